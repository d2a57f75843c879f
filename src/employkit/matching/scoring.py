"""Scoring one seeker–vacancy pair: components, weights, total, gates and flags.

The total is the **weighted mean of the components that have data**::

    total = Σ w_c · v_c / Σ w_c      over the components c that are counted

where ``v_c`` is the component's value in [0, 1] and ``w_c`` its weight, the parameter
``matching.weight.<key>``. A component is *counted* unless it is missing (its inputs
were absent) or advisory (an age preference the centre has not configured for use).
So a missing component is exactly the same as a component that does not exist: the
other weights are renormalised, and missing data never raises or lowers a score. When
no component is counted the total is 0 (nothing is known). Each component's
*contribution* ``w_c · v_c / Σ w_c`` is shown; the contributions add up to the total.

Gates (a required licence the seeker lacks, an employment type the seeker excludes)
do not change the total: they mark the pair *not eligible*, and ranking leaves it out.
Flags (an employer's age preference, an offer below the minimum wage) are shown to the
counsellor and never change anything.

>>> import datetime as dt
>>> from employkit.model import Seeker, Vacancy, EmploymentType
>>> from employkit.testing import make_system
>>> seeker = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2016, 1, 4),
...                 desired_occupation="5611", desired_wage=1_500_000)
>>> vacancy = Vacancy(vacancy_id="V1", employer_id="E1", occupation="5611", openings=1,
...                   employment_type=EmploymentType.REGULAR, region_code="11140",
...                   posted_on=dt.date(2016, 1, 4), offered_wage=1_350_000)
>>> result = score(seeker, vacancy, make_system(), as_of=dt.date(2016, 2, 1))
>>> round(result.total, 4), round(result.component("wage").value, 4)
(0.8889, 0.6667)
>>> result.component("wage").reason("en")
'offers 1,350,000 ₩, 150,000 ₩ below what the seeker wants (1,500,000 ₩)'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from attrs import frozen

from employkit._version import __version__
from employkit.errors import NotFound, ParameterError, RuleConflictError, RuleNotFound
from employkit.explain import Explanation, ParameterUse
from employkit.labels import Lang, Text
from employkit.matching.base import ComponentScore, MatchComponent
from employkit.rules import EvalContext, RuleSystem

if TYPE_CHECKING:
    from employkit.model import Seeker, Vacancy

__all__ = ["SCORE_RULE", "ComponentResult", "MatchResult", "Matcher", "score", "weight_parameter"]

#: The rule id the total's explanation carries (the combination is employkit's, not a pack's).
SCORE_RULE = "matching.score"


def weight_parameter(key: str) -> str:
    """The id of the weight parameter of component ``key``.

    >>> weight_parameter("wage")
    'matching.weight.wage'
    """
    return f"matching.weight.{key}"


@frozen(kw_only=True)
class ComponentResult:
    """One component of a :class:`MatchResult`: its value, weight and contribution.

    ``weight`` is the parameter value; ``share`` is the weight renormalised over the
    counted components (0 when this one is not counted); ``contribution`` is
    ``share × value``.
    """

    key: str
    value: float
    weight: float
    share: float
    contribution: float
    missing: bool
    advisory: bool
    gate: bool
    flags: tuple[str, ...]
    explanation: Explanation

    @property
    def counted(self) -> bool:
        """Whether the value enters the total."""
        return not self.missing and not self.advisory

    @property
    def status(self) -> str:
        """``"counted"``, ``"missing"`` or ``"advisory"``."""
        return "missing" if self.missing else "advisory" if self.advisory else "counted"

    def reason(self, lang: Lang = "ko") -> str:
        """The first reason of the explanation, in ``lang``."""
        return self.explanation.reasons[0].get(lang) if self.explanation.reasons else ""


@frozen(kw_only=True)
class MatchResult:
    """The score of one seeker–vacancy pair with its breakdown.

    ``total`` is the soft score in [0, 1]; ``eligible`` is false when a gate failed
    (``gates`` names the components whose gate failed); ``flags`` are the counsellor
    flags of every component.
    """

    seeker_id: str
    vacancy_id: str
    as_of: dt.date
    total: float
    eligible: bool
    gates: tuple[str, ...]
    flags: tuple[str, ...]
    components: tuple[ComponentResult, ...]
    explanation: Explanation

    def component(self, key: str) -> ComponentResult:
        """The component ``key`` (raises :class:`KeyError`)."""
        for c in self.components:
            if c.key == key:
                return c
        raise NotFound(f"no component {key!r} in this match result")

    def render(self, lang: Lang = "ko") -> str:
        """A multi-line breakdown for a counsellor."""
        return self.explanation.render(lang)


#: Keys shown first, in this order; other components follow by rule id.
DISPLAY_ORDER = ("occupation", "wage", "place", "hours", "skills", "age")


def _display_order(component: MatchComponent) -> tuple[int, str]:
    key = component.key
    return (DISPLAY_ORDER.index(key) if key in DISPLAY_ORDER else len(DISPLAY_ORDER), component.meta.rule_id)


class Matcher:
    """Scores pairs with the components and weights of a rule system on one date.

    Build it once and score many pairs: the components, their weights and the
    settings are read when it is built. ``only`` or ``exclude`` restrict the
    components by key (e.g. to compare a pair with and without one component).

    Raises :class:`~employkit.errors.RuleConflictError` when two components share a
    key, and :class:`~employkit.errors.ParameterError` when a weight is missing or
    negative.
    """

    def __init__(
        self,
        system: RuleSystem,
        as_of: dt.date,
        *,
        only: Iterable[str] | None = None,
        exclude: Iterable[str] = (),
    ) -> None:
        self.system = system
        self.as_of = as_of
        chosen = set(only) if only is not None else None
        dropped = set(exclude)
        components: list[MatchComponent] = []
        seen: dict[str, str] = {}
        for c in sorted(system.match_components(as_of), key=_display_order):
            if (chosen is not None and c.key not in chosen) or c.key in dropped:
                continue
            if c.key in seen:
                raise RuleConflictError(
                    f"match components {seen[c.key]} and {c.meta.rule_id} share the key {c.key!r}; "
                    "keys name weights and must be unique"
                )
            seen[c.key] = c.meta.rule_id
            components.append(c)
        self.components: tuple[MatchComponent, ...] = tuple(components)
        #: The labels of the flags the components raise (each component's ``flag_labels``).
        self.flag_labels: dict[str, Text] = {}
        for c in self.components:
            self.flag_labels.update(getattr(c, "flag_labels", {}))
        self.weight_uses: dict[str, ParameterUse] = {}
        for c in self.components:
            pid = weight_parameter(c.key)
            try:
                use = system.parameter(pid, as_of)
            except RuleNotFound:
                raise ParameterError(
                    f"match component {c.meta.rule_id} needs the weight parameter {pid}, which no active pack defines"
                ) from None
            value = use.value
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not (math.isfinite(value) and value >= 0)
            ):
                raise ParameterError(f"parameter {pid}: a weight must be a finite number ≥ 0, got {value!r}")
            self.weight_uses[c.key] = use
        self.weights: dict[str, float] = {k: float(u.value) for k, u in self.weight_uses.items()}

    @classmethod
    def of(cls, source: Matcher | RuleSystem | EvalContext, as_of: dt.date | None = None) -> Matcher:
        """A matcher from a rule system (``as_of`` defaults to today), a context, or itself."""
        if isinstance(source, Matcher):
            if as_of is not None and as_of != source.as_of:
                return cls(source.system, as_of)
            return source
        if isinstance(source, EvalContext):
            return cls(source.system, as_of or source.as_of)
        return cls(source, as_of or dt.date.today())

    @property
    def keys(self) -> tuple[str, ...]:
        """The component keys, in order."""
        return tuple(c.key for c in self.components)

    def context(self) -> EvalContext:
        """A fresh evaluation context on the matcher's date."""
        return self.system.context(self.as_of)

    def score(self, seeker: Seeker, vacancy: Vacancy) -> MatchResult:
        """Score one pair: every component, the weighted total, gates and flags.

        The batch path on one row each: each component's kernel scores the pair and its
        renderer explains it.
        """
        from employkit.matching.columns import SeekerTable, VacancyTable
        from employkit.matching.kernels import explain_pairs, prepare_kernels

        seekers, vacancies = SeekerTable.from_records([seeker]), VacancyTable.from_records([vacancy])
        kernels = prepare_kernels(self, seekers, vacancies)
        return explain_pairs(self, kernels, seekers, vacancies, [0], [0])[0]

    def combine(self, seeker_id: str, vacancy_id: str, scores: Sequence[ComponentScore]) -> MatchResult:
        """The :class:`MatchResult` of already computed component scores (in component order)."""
        num = 0.0
        den = 0.0
        for c, s in zip(self.components, scores, strict=True):
            if s.counted:
                w = self.weights[c.key]
                num += w * s.value
                den += w
        total = min(1.0, num / den) if den > 0.0 else 0.0
        parts: list[ComponentResult] = []
        for c, s in zip(self.components, scores, strict=True):
            w = self.weights[c.key]
            share = w / den if s.counted and den > 0.0 else 0.0
            parts.append(
                ComponentResult(
                    key=c.key,
                    value=s.value,
                    weight=w,
                    share=share,
                    contribution=share * s.value,
                    missing=s.missing,
                    advisory=s.advisory,
                    gate=s.gate,
                    flags=s.flags,
                    explanation=s.explanation,
                )
            )
        gates = tuple(p.key for p in parts if p.gate)
        flags = tuple(dict.fromkeys(f for p in parts for f in p.flags))
        return MatchResult(
            seeker_id=seeker_id,
            vacancy_id=vacancy_id,
            as_of=self.as_of,
            total=total,
            eligible=not gates,
            gates=gates,
            flags=flags,
            components=tuple(parts),
            explanation=self._explain(seeker_id, vacancy_id, total, parts, gates, flags),
        )

    def _explain(
        self,
        seeker_id: str,
        vacancy_id: str,
        total: float,
        parts: Sequence[ComponentResult],
        gates: Sequence[str],
        flags: Sequence[str],
    ) -> Explanation:
        counted = [p for p in parts if p.counted]
        terms = " + ".join(f"{p.share:.3f}×{p.value:.2f}" for p in counted) or "-"
        reasons = [
            Text(
                f"총점 {total:.3f} = 자료가 있는 {len(counted)}개 요소의 가중평균 ({terms})",
                f"total {total:.3f} = weighted mean of the {len(counted)} components with data ({terms})",
            )
        ]
        for p in parts:
            if p.counted:
                reasons.append(
                    Text(
                        f"{p.key}: {p.value:.2f} × 비중 {p.share:.3f} = {p.contribution:+.3f} — {p.reason('ko')}",
                        f"{p.key}: {p.value:.2f} × share {p.share:.3f} = {p.contribution:+.3f} — {p.reason('en')}",
                    )
                )
            elif p.missing:
                reasons.append(
                    Text(
                        f"{p.key}: 자료 없음, 제외(불이익 없음) — {p.reason('ko')}",
                        f"{p.key}: missing, left out (no penalty) — {p.reason('en')}",
                    )
                )
            else:
                reasons.append(
                    Text(
                        f"{p.key}: 참고용, 점수 미반영 — {p.reason('ko')}",
                        f"{p.key}: advisory, not counted — {p.reason('en')}",
                    )
                )
        if gates:
            reasons.append(
                Text(
                    f"관문 불통과: {', '.join(gates)} — 추천 대상에서 제외 (점수와 별도)",
                    f"gate failed: {', '.join(gates)} — not recommended (separate from the score)",
                )
            )
        for f in flags:
            label = self.flag_labels.get(f, Text(f, f))
            reasons.append(Text(f"확인 필요: {label.ko}", f"for the counsellor: {label.en}"))
        uses = tuple(self.weight_uses[p.key] for p in counted)
        return Explanation(
            rule_id=SCORE_RULE,
            pack="employkit",
            pack_version=__version__,
            reasons=tuple(reasons),
            as_of=self.as_of,
            parameters=uses,
            inputs={"seeker_id": seeker_id, "vacancy_id": vacancy_id},
            details=tuple(p.explanation for p in parts),
        )


def score(
    seeker: Seeker,
    vacancy: Vacancy,
    source: Matcher | RuleSystem | EvalContext,
    *,
    as_of: dt.date | None = None,
) -> MatchResult:
    """Score one seeker–vacancy pair.

    ``source`` is a rule system (evaluated on ``as_of``, default today), an evaluation
    context (its date), or a :class:`Matcher` (reused; fastest for many pairs).
    """
    return Matcher.of(source, as_of).score(seeker, vacancy)
