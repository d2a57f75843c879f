"""Programme eligibility: what one programme decides, for many subjects or one.

A programme (지원 사업) registered through ``employkit_programmes`` meets
:class:`Programme`: it reads some facts of one subject (:mod:`employkit.programmes.fields`)
and gives each subject one :class:`Verdict` — an :class:`Outcome` it declares (with a
status: ``eligible``, ``not_eligible`` or ``review``), or the facts that are missing.
An outcome may grant an amount and a period, both dated parameters with sources, read
on the evaluation date.

:class:`ProgrammeColumns` holds the verdicts of a whole table of subjects (one index per
row into the verdicts); :meth:`ProgrammeBase.explain` renders :class:`Eligibility`, with
its explanation, for the rows asked for only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from employkit.errors import InvalidValue, NotFound, ParameterError
from employkit.explain import Explanation
from employkit.labels import Text
from employkit.packs import RuleMeta
from employkit.programmes.fields import Facts, fact

if TYPE_CHECKING:
    from employkit.rules import EvalContext

__all__ = [
    "MISSING",
    "STATUSES",
    "Eligibility",
    "Grant",
    "Outcome",
    "Programme",
    "ProgrammeBase",
    "ProgrammeColumns",
    "Verdict",
]

#: What a verdict can say, with its labels. ``missing``: facts are missing, no value given.
STATUSES: Mapping[str, Text] = {
    "eligible": Text("대상", "eligible"),
    "not_eligible": Text("비대상", "not eligible"),
    "review": Text("상담사 검토 필요", "needs counsellor review"),
    "missing": Text("정보 누락", "missing facts"),
}
MISSING = "missing"


@frozen
class Outcome:
    """One answer a programme can give: a code, a status, labels, and what it grants.

    ``amount`` and ``period`` name dated parameters (KRW per month, say, and months or
    days); when the amount's unit is ``KRW/month`` and the period's ``months``, the
    total is their product.
    """

    code: str
    status: str
    label: Text
    amount: str | None = None
    period: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.status not in STATUSES or self.status == MISSING:
            raise InvalidValue(f"outcome {self.code}: status {self.status!r} is not eligible, not_eligible or review")


@frozen
class Verdict:
    """What a rule decided for a combination of facts: an outcome code, or the facts missing."""

    outcome: str | None
    missing: tuple[str, ...] = ()
    reason: Text | None = None
    rule: Text | None = None  # which part of the rule (a table row), for the explanation
    inputs: tuple[str, ...] = ()  # the facts that mattered


@frozen
class Grant:
    """An outcome's amount and period on a date, from its parameters."""

    amount: int | None = None
    amount_unit: str | None = None
    period: int | None = None
    period_unit: str | None = None

    @property
    def total(self) -> int | None:
        """Amount × period when they are KRW per month and months, else ``None``."""
        if self.amount is None or self.period is None:
            return None
        if self.amount_unit == "KRW/month" and self.period_unit == "months":
            return self.amount * self.period
        return None


@frozen(kw_only=True)
class Eligibility:
    """One subject's verdict under one programme, with its explanation."""

    programme_id: str
    title: Text
    subject: str
    subject_id: str
    as_of: dt.date
    status: str
    outcome: str | None
    label: Text
    missing: tuple[str, ...]
    missing_labels: tuple[Text, ...]
    grant: Grant
    explanation: Explanation

    def to_row(self) -> dict[str, Any]:
        """A flat dict for JSON and CSV output."""
        return {
            "programme": self.programme_id,
            "programme_ko": self.title.ko,
            "subject": self.subject,
            "id": self.subject_id,
            "as_of": self.as_of.isoformat(),
            "status": self.status,
            "outcome": self.outcome,
            "label_ko": self.label.ko,
            "label_en": self.label.en,
            "missing": list(self.missing),
            "missing_ko": [t.ko for t in self.missing_labels],
            "amount": self.grant.amount,
            "amount_unit": self.grant.amount_unit,
            "period": self.grant.period,
            "period_unit": self.grant.period_unit,
            "total": self.grant.total,
        }


@frozen(eq=False)
class ProgrammeColumns:
    """A programme's verdicts for a table of subjects: ``rows[i]`` indexes :attr:`verdicts`."""

    programme_id: str
    subject: str
    as_of: dt.date
    ids: tuple[str, ...]
    verdicts: tuple[Verdict, ...]
    rows: npt.NDArray[np.int32]
    outcomes: tuple[Outcome, ...]
    grants: Mapping[str, Grant] = field(factory=dict)
    owners: tuple[str, ...] = ()  # hire: the hiring employer of each row

    def __len__(self) -> int:
        return len(self.ids)

    def statuses(self) -> npt.NDArray[np.str_]:
        """The status of each row."""
        by_code = {o.code: o.status for o in self.outcomes}
        per_verdict = np.array([by_code[v.outcome] if v.outcome else MISSING for v in self.verdicts] or [MISSING])
        return per_verdict[self.rows] if len(self.rows) else np.array([], dtype=per_verdict.dtype)

    def codes(self) -> list[str | None]:
        """The outcome code of each row (``None`` missing facts)."""
        return [self.verdicts[int(r)].outcome for r in self.rows]

    def summary(self) -> dict[str, Any]:
        """Counts by status and by outcome, and the total granted to eligible subjects."""
        status = self.statuses()
        counts = {s: int((status == s).sum()) for s in STATUSES}
        per_verdict: list[int] = np.bincount(self.rows, minlength=len(self.verdicts)).tolist() if len(self.rows) else []
        by_outcome: dict[str, int] = {o.code: 0 for o in self.outcomes}
        missing: dict[str, int] = {}
        for v, n in zip(self.verdicts, per_verdict, strict=False):
            if v.outcome is not None:
                by_outcome[v.outcome] += n
            else:
                for m in v.missing:
                    missing[m] = missing.get(m, 0) + n
        status_of = {o.code: o.status for o in self.outcomes}
        paid = [
            (self.grants.get(o, Grant()).total, n) for o, n in by_outcome.items() if n and status_of[o] == "eligible"
        ]
        granted = sum(t * n for t, n in paid if t is not None) if any(t is not None for t, _ in paid) else None
        return {
            "programme": self.programme_id,
            "subject": self.subject,
            "as_of": self.as_of.isoformat(),
            "subjects": len(self),
            "status": counts,
            "outcomes": by_outcome,
            "missing": missing,
            "total_krw": granted,
        }


@runtime_checkable
class Programme(Protocol):
    """A programme's eligibility rule, registered by ``employkit_programmes``."""

    @property
    def meta(self) -> RuleMeta:
        """The rule metadata: id, names, source, validity dates, parameters read."""
        ...

    @property
    def subject(self) -> str:
        """``seeker``, ``employer`` or ``hire``."""
        ...

    @property
    def regions(self) -> tuple[str, ...]:
        """Region codes the programme is limited to (empty: wherever its pack applies)."""
        ...

    @property
    def facts(self) -> tuple[str, ...]:
        """The facts of its subject it reads."""
        ...

    def decide(self, facts: Facts, ctx: EvalContext) -> ProgrammeColumns:
        """The verdict of every subject of ``facts`` as of ``ctx.as_of``."""
        ...

    def explain(
        self, facts: Facts, result: ProgrammeColumns, rows: Iterable[int], ctx: EvalContext
    ) -> list[Eligibility]:
        """Eligibility, with explanations, of the rows ``rows`` of ``result`` only."""
        ...


class ProgrammeBase:
    """What table and scalar programmes share: outcomes, grants, explanations."""

    meta: RuleMeta
    subject: str
    outcomes: tuple[Outcome, ...]
    regions: tuple[str, ...]
    facts: tuple[str, ...]

    def outcome(self, code: str) -> Outcome:
        """The declared outcome ``code``."""
        for o in self.outcomes:
            if o.code == code:
                return o
        raise NotFound(f"no outcome {code!r} in programme {self.meta.rule_id}")

    def grants(self, ctx: EvalContext) -> dict[str, Grant]:
        """Each outcome's amount and period on ``ctx.as_of`` (parameters read through ``ctx``)."""
        out: dict[str, Grant] = {}
        for o in self.outcomes:
            if o.amount is None and o.period is None:
                continue
            amount = period = None
            amount_unit = period_unit = None
            if o.amount is not None:
                amount = int(ctx.param(o.amount))
                amount_unit = _unit(ctx, o.amount)
            if o.period is not None:
                period = int(ctx.param(o.period))
                period_unit = _unit(ctx, o.period)
            out[o.code] = Grant(amount, amount_unit, period, period_unit)
        return out

    def _columns(self, facts: Facts, verdicts: Sequence[Verdict], rows: Any, ctx: EvalContext) -> ProgrammeColumns:
        return ProgrammeColumns(
            self.meta.rule_id,
            self.subject,
            ctx.as_of,
            facts.ids,
            tuple(verdicts),
            np.asarray(rows, dtype=np.int32),
            self.outcomes,
            self.grants(ctx.fork()),
            facts.owners,
        )

    def explain(
        self, facts: Facts, result: ProgrammeColumns, rows: Iterable[int], ctx: EvalContext
    ) -> list[Eligibility]:
        """Eligibility, with explanations, of the rows ``rows`` of ``result`` only."""
        out = []
        for i in rows:
            v = result.verdicts[int(result.rows[i])]
            inputs: dict[str, Any] = facts.row(i, v.inputs)
            granted = {p for o in self.outcomes for p in (o.amount, o.period) if p}
            for cited in self.meta.parameters:  # cited with their dates and sources, when in force
                if cited in granted:  # an outcome's own amount and period: cited with that outcome
                    continue
                try:
                    ctx.param(cited)
                except ParameterError:
                    continue
            grant = Grant()
            if v.outcome is not None:
                o = self.outcome(v.outcome)
                for pid in (o.amount, o.period):
                    if pid is not None:
                        ctx.param(pid)
                grant = result.grants.get(o.code, Grant())
                status, label = o.status, o.label
            else:
                status = MISSING
                shown = ", ".join(fact(self.subject, m).label.ko for m in v.missing)
                shown_en = ", ".join(fact(self.subject, m).label.en for m in v.missing)
                label = Text(f"정보 누락: {shown}", f"missing facts: {shown_en}")
            reasons = [r for r in (label, v.reason, v.rule) if r is not None]
            out.append(
                Eligibility(
                    programme_id=self.meta.rule_id,
                    title=self.meta.title,
                    subject=self.subject,
                    subject_id=result.ids[i],
                    as_of=result.as_of,
                    status=status,
                    outcome=v.outcome,
                    label=label,
                    missing=v.missing,
                    missing_labels=tuple(fact(self.subject, m).label for m in v.missing),
                    grant=grant,
                    explanation=ctx.explain(self.meta.rule_id, reasons=reasons, inputs=inputs),
                )
            )
        return out


def _unit(ctx: EvalContext, parameter: str) -> str | None:
    """The unit of ``parameter``: an override that gives none (a centre's value, a what-if)
    keeps the unit of the definition it overrides."""
    return next((c.item.unit for c in ctx.system.resolved_parameter(parameter).chain if c.item.unit), None)
