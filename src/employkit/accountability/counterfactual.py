"""Counterfactuals: what would change a decision, in terms a person can act on.

**Segments** (:func:`explain_segment_change`). Only intake answers a person can work on
are ever changed — the ones priced in the parameter ``accountability.counterfactual.costs``
(job field decided, employability, motivation, ability, regional mobility, economic
hardship). Protected attributes (gender, age, nationality, disability) and everything
else about the person are never touched; a cost table naming a protected attribute is
refused. Each answer moves only in the direction the services aim at: a level up one
step at a time (low → mid → high, each step costing the field's cost), a yes/no answer
towards "job field decided", "can move region" and "no economic hardship".

The search is a *uniform-cost search* over sets of changed answers: every combination
of one, then two (up to ``accountability.counterfactual.max_changes``) answers and
their reachable values is ordered by

1. total cost (sum of the steps' costs),
2. then fewer answers changed,
3. then the checklist's order of fields (:data:`~employkit.profiling.base.INTAKE_FIELDS`)
   and smaller steps first,

and re-classified with the same typology, rules and parameters in that order. The first
candidate that puts the seeker in a segment is that segment's *smallest change*; the
cheapest of them is :attr:`SegmentChanges.smallest`. The search is exhaustive within the
limit, so no cheaper change within it exists.

**Matches** (:func:`explain_match_change`). For a seeker–vacancy pair, each counted
component could at most add ``share × (1 − value)`` to the total (the weights are
renormalised over the counted components; see :mod:`employkit.matching.scoring`). Where
the seeker can act, the change is made on a copy of the seeker and the pair re-scored:
occupation — aim at the vacancy's occupation; wage — accept the offered wage; place —
be willing to move region; hours — accept the vacancy's hours and employment type;
skills — gain the required skills and certificates (training). Components keyed by a
protected attribute (the employer's age preference) are never proposed.

>>> import datetime as dt
>>> from employkit.model import Intake, Level, Seeker
>>> from employkit.testing import make_system
>>> s = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2022, 3, 2),
...            intake=Intake(job_field_decided=True, employability=Level.MID, motivation=Level.LOW,
...                          ability=Level.MID, economic_hardship=False, mobile=False))
>>> found = explain_segment_change(s, make_system(), dt.date(2022, 3, 2), "profiling.seeker.national")
>>> found.current.segment.code, found.smallest.segment, found.smallest.describe("en")
('prep_low_motivation', 'ready_local', 'employability mid → high')
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from employkit.errors import InvalidArgument, ParameterError
from employkit.labels import Lang, Text
from employkit.model import Level, Seeker, Vacancy
from employkit.profiling.base import FIELD_LABELS, INTAKE_FIELDS, PROTECTED_ATTRIBUTES, SeekerProfile

if TYPE_CHECKING:
    from employkit.matching.scoring import MatchResult
    from employkit.rules import RuleSystem

__all__ = [
    "COSTS_PARAMETER",
    "FAVOURABLE",
    "MAX_CHANGES_PARAMETER",
    "Change",
    "MatchChanges",
    "MatchLever",
    "Proposal",
    "SegmentChanges",
    "explain_match_change",
    "explain_segment_change",
]

COSTS_PARAMETER = "accountability.counterfactual.costs"
MAX_CHANGES_PARAMETER = "accountability.counterfactual.max_changes"

#: The direction each yes/no answer may move (levels always move up).
FAVOURABLE: Mapping[str, bool] = {"job_field_decided": True, "mobile": True, "economic_hardship": False}

_LEVELS = (Level.LOW, Level.MID, Level.HIGH)


def _show(value: Any) -> str:
    if isinstance(value, Level):
        return value.code
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _show_ko(value: Any) -> str:
    if isinstance(value, Level):
        return value.label.ko
    if isinstance(value, bool):
        return "예" if value else "아니오"
    return str(value)


@frozen
class Change:
    """One intake answer changed: ``before`` → ``after`` at ``cost``."""

    field: str
    before: Any
    after: Any
    cost: int

    @property
    def label(self) -> Text:
        """The change in Korean and English."""
        name = FIELD_LABELS.get(self.field, Text(self.field, self.field))
        return Text(
            f"{name.ko} {_show_ko(self.before)} → {_show_ko(self.after)}",
            f"{self.field} {_show(self.before)} → {_show(self.after)}",
        )


def _changes(values: Sequence[Change]) -> tuple[Change, ...]:
    return tuple(values)


@frozen(kw_only=True)
class Proposal:
    """The smallest change found that moves the seeker to ``segment``."""

    changes: tuple[Change, ...] = field(converter=_changes)
    cost: int
    segment: str
    label: Text
    profile: SeekerProfile = field(eq=False, repr=False)

    def describe(self, lang: Lang = "ko") -> str:
        """The changes, joined with "and"."""
        joiner = " 그리고 " if lang == "ko" else " and "
        return joiner.join(c.label.get(lang) for c in self.changes)

    def sentence(self, lang: Lang = "ko") -> str:
        """One line for the seeker: the change and where it leads."""
        if lang == "ko":
            return f"{self.describe('ko')} (이)라면 → {self.label.ko} (비용 {self.cost})"
        return f"with {self.describe('en')} → {self.label.en} (cost {self.cost})"


def _proposals(values: Sequence[Proposal]) -> tuple[Proposal, ...]:
    return tuple(values)


@frozen(kw_only=True)
class SegmentChanges:
    """The counterfactuals of one seeker under one typology."""

    seeker_id: str
    typology_id: str
    as_of: dt.date
    current: SeekerProfile = field(eq=False, repr=False)
    proposals: tuple[Proposal, ...] = field(converter=_proposals)
    costs: Mapping[str, int] = field(hash=False)
    max_changes: int
    searched: int
    note: Text | None = None

    @property
    def smallest(self) -> Proposal | None:
        """The cheapest proposal (ties: fewer answers, then the checklist's order), or ``None``."""
        return self.proposals[0] if self.proposals else None

    def to(self, segment: str) -> Proposal | None:
        """The smallest change into ``segment``, or ``None`` when none was found."""
        for p in self.proposals:
            if p.segment == segment:
                return p
        return None


def _cost_table(raw: Any) -> dict[str, int]:
    if not isinstance(raw, Mapping):
        raise ParameterError(f"parameter {COSTS_PARAMETER}: expected a table of field = cost")
    out: dict[str, int] = {}
    for name, cost in raw.items():
        if name in PROTECTED_ATTRIBUTES or name in ("birth_year", "birth_date", "gender", "nationality", "groups"):
            raise ParameterError(
                f"parameter {COSTS_PARAMETER}: {name} is a protected attribute; it is never proposed for change"
            )
        if name not in INTAKE_FIELDS:
            raise ParameterError(
                f"parameter {COSTS_PARAMETER}: {name!r} is not an intake answer ({', '.join(INTAKE_FIELDS)})"
            )
        if isinstance(cost, bool) or not isinstance(cost, int) or cost < 1:
            raise ParameterError(f"parameter {COSTS_PARAMETER}: the cost of {name} must be a whole number ≥ 1")
        out[name] = cost
    return out


def _options(seeker: Seeker, costs: Mapping[str, int]) -> list[tuple[int, str, list[tuple[Any, int]]]]:
    """For each changeable field (in checklist order): its index, name and (value, cost) options."""
    out = []
    for index, name in enumerate(INTAKE_FIELDS):
        if name not in costs:
            continue
        now = getattr(seeker.intake, name)
        if now is None:  # an unanswered question is asked, never assumed
            continue
        options: list[tuple[Any, int]] = []
        if isinstance(now, Level):
            options = [(lv, (lv.rank - now.rank) * costs[name]) for lv in _LEVELS if lv.rank > now.rank]
        elif isinstance(now, bool) and now != FAVOURABLE[name]:
            options = [(FAVOURABLE[name], costs[name])]
        if options:
            out.append((index, name, options))
    return out


def explain_segment_change(
    seeker: Seeker,
    system: RuleSystem,
    as_of: dt.date,
    typology_id: str | None = None,
    *,
    target: str | None = None,
    max_changes: int | None = None,
) -> SegmentChanges:
    """The smallest actionable change that moves ``seeker`` to each other segment (see the module).

    ``target`` keeps only proposals into that segment code or segment group (e.g.
    ``"ready"``). ``max_changes`` overrides ``accountability.counterfactual.max_changes``.
    """
    from employkit.profiling.api import seeker_typology

    typology = seeker_typology(system, as_of, typology_id)
    ctx = system.context(as_of)
    costs = _cost_table(ctx.param(COSTS_PARAMETER))
    limit = int(ctx.param(MAX_CHANGES_PARAMETER)) if max_changes is None else max_changes
    if limit < 1:
        raise InvalidArgument("max_changes must be at least 1")
    current = typology.classify(seeker, system.context(as_of))
    tid = typology.meta.rule_id
    if current.segment is None:
        note = (
            Text(
                "유형분류 불가: 먼저 누락 항목에 응답해야 함 — " + ", ".join(current.missing),
                "not profiled: answer the missing questions first — " + ", ".join(current.missing),
            )
            if current.missing
            else Text("이 유형분류의 대상이 아님", "the typology does not apply to this seeker")
        )
        return SegmentChanges(
            seeker_id=seeker.seeker_id,
            typology_id=tid,
            as_of=as_of,
            current=current,
            proposals=(),
            costs=costs,
            max_changes=limit,
            searched=0,
            note=note,
        )
    options = _options(seeker, costs)
    candidates: list[tuple[tuple[Any, ...], tuple[Change, ...]]] = []
    for size in range(1, limit + 1):
        for combo in itertools.combinations(options, size):
            for picks in itertools.product(*(opts for _, _, opts in combo)):
                changes = tuple(
                    Change(name, getattr(seeker.intake, name), value, cost)
                    for (_, name, _), (value, cost) in zip(combo, picks, strict=True)
                )
                total = sum(c.cost for c in changes)
                order = tuple(i for i, _, _ in combo)
                steps = tuple(cost for _, cost in picks)
                candidates.append(((total, size, order, steps), changes))
    candidates.sort(key=lambda c: c[0])
    found: dict[str, Proposal] = {}
    searched = 0
    for (total, _size, _order, _steps), changes in candidates:
        searched += 1
        intake = attrs.evolve(seeker.intake, **{c.field: c.after for c in changes})
        profile = typology.classify(attrs.evolve(seeker, intake=intake), system.context(as_of))
        seg = profile.segment
        if seg is None or seg.code == current.segment.code or seg.code in found:
            continue
        if target is not None and target not in (seg.code, seg.group):
            continue
        found[seg.code] = Proposal(changes=changes, cost=total, segment=seg.code, label=seg.label, profile=profile)
    return SegmentChanges(
        seeker_id=seeker.seeker_id,
        typology_id=tid,
        as_of=as_of,
        current=current,
        proposals=tuple(found.values()),
        costs=costs,
        max_changes=limit,
        searched=searched,
        note=None
        if found
        else Text(
            f"답변을 최대 {limit}개 바꾸어도 다른 유형이 되지 않음",
            f"no change of up to {limit} answer(s) moves the seeker to another segment",
        ),
    )


# ---------------------------------------------------------------------- matches


@frozen(kw_only=True)
class MatchLever:
    """One component of a match and what acting on it would do.

    ``ceiling`` is the most the component could add (its value raised to 1, or its data
    supplied with value 1 when missing); ``change`` the seeker's concrete change, when
    there is one, and ``new_total`` / ``gain`` the re-scored pair with it.
    """

    component: str
    value: float
    share: float
    status: str
    ceiling: float
    change: Text | None = None
    new_total: float | None = None
    gain: float | None = None
    makes_eligible: bool = False

    @property
    def effect(self) -> float:
        """The gain when re-scored, else the ceiling: what the ranking of levers uses."""
        return self.gain if self.gain is not None else self.ceiling


def _levers(values: Sequence[MatchLever]) -> tuple[MatchLever, ...]:
    return tuple(values)


@frozen(kw_only=True)
class MatchChanges:
    """The components that would raise one seeker–vacancy match most, best first."""

    seeker_id: str
    vacancy_id: str
    as_of: dt.date
    total: float
    eligible: bool
    levers: tuple[MatchLever, ...] = field(converter=_levers)
    not_proposed: tuple[str, ...] = ()  # components keyed by a protected attribute
    result: MatchResult | None = field(default=None, eq=False, repr=False)


def _won(value: int | None) -> str:
    return "—" if value is None else f"{value:,} ₩"


def _seeker_change(key: str, seeker: Seeker, vacancy: Vacancy) -> tuple[Seeker, Text] | None:
    """The seeker's own change that addresses component ``key``, if there is one."""
    if key == "occupation" and vacancy.occupation != seeker.desired_occupation:
        return attrs.evolve(seeker, desired_occupation=vacancy.occupation), Text(
            f"희망 직종을 {seeker.desired_occupation or '미정'} → {vacancy.occupation} 로",
            f"aim at occupation {vacancy.occupation} (now {seeker.desired_occupation or 'none'})",
        )
    if (
        key == "wage"
        and vacancy.offered_wage is not None
        and seeker.desired_wage is not None
        and vacancy.offered_wage < seeker.desired_wage
    ):
        return attrs.evolve(seeker, desired_wage=vacancy.offered_wage), Text(
            f"희망 임금 {_won(seeker.desired_wage)} → 제시 임금 {_won(vacancy.offered_wage)} 수용",
            f"accept the offered wage {_won(vacancy.offered_wage)} (wants {_won(seeker.desired_wage)})",
        )
    if key == "place" and seeker.intake.mobile is not True:
        return attrs.evolve(seeker, intake=attrs.evolve(seeker.intake, mobile=True)), Text(
            "지역이동 가능으로", "be willing to move region"
        )
    if key == "hours":
        hours = vacancy.hours_per_week if vacancy.hours_per_week is not None else seeker.desired_hours
        types = seeker.employment_types
        if types and vacancy.employment_type not in types:
            types = types | {vacancy.employment_type}
        if hours != seeker.desired_hours or types != seeker.employment_types:
            return attrs.evolve(seeker, desired_hours=hours, employment_types=types), Text(
                f"주 {hours:g}시간·{vacancy.employment_type.label.ko} 근무 수용",
                f"accept {hours:g} hours a week and {vacancy.employment_type.label.en} work",
            )
    if key == "skills":
        from employkit.matching.fields import optional_skills

        skills = seeker.skills | vacancy.required_skills | optional_skills(vacancy)
        certs = seeker.certificates | vacancy.required_certificates
        gained = sorted((skills - seeker.skills) | (certs - seeker.certificates))
        if gained:
            return attrs.evolve(seeker, skills=skills, certificates=certs), Text(
                "훈련으로 기술·자격 취득: " + ", ".join(gained),
                "gain through training: " + ", ".join(gained),
            )
    return None


def explain_match_change(seeker: Seeker, vacancy: Vacancy, system: RuleSystem, as_of: dt.date) -> MatchChanges:
    """The components that would raise the match of ``seeker`` and ``vacancy`` most (see the module)."""
    from employkit.matching.scoring import Matcher

    matcher = Matcher(system, as_of)
    result = matcher.score(seeker, vacancy)
    counted = [c for c in result.components if c.counted]
    den = sum(c.weight for c in counted)
    num = sum(c.weight * c.value for c in counted)
    levers: list[MatchLever] = []
    skipped: list[str] = []
    for c in result.components:
        if c.key in PROTECTED_ATTRIBUTES:
            skipped.append(c.key)
            continue
        if c.advisory:
            continue
        if c.counted:
            ceiling = c.share * (1.0 - c.value)
        else:  # missing: its data supplied with value 1
            ceiling = (num + c.weight) / (den + c.weight) - result.total if den + c.weight > 0 else 0.0
        found = _seeker_change(c.key, seeker, vacancy)
        change = new_total = gain = None
        makes_eligible = False
        if found is not None:
            changed, change = found
            again = matcher.score(changed, vacancy)
            makes_eligible = again.eligible and not result.eligible
            if again.total > result.total + 1e-12 or makes_eligible:
                new_total, gain = again.total, again.total - result.total
            else:  # the change would not help this pair: not proposed
                change = None
        levers.append(
            MatchLever(
                component=c.key,
                value=c.value,
                share=c.share,
                status=c.status,
                ceiling=max(0.0, ceiling),
                change=change,
                new_total=new_total,
                gain=gain,
                makes_eligible=makes_eligible,
            )
        )
    order = {k: n for n, k in enumerate(matcher.keys)}
    levers.sort(key=lambda lv: (not lv.makes_eligible, -round(lv.effect, 12), order.get(lv.component, 99)))
    return MatchChanges(
        seeker_id=seeker.seeker_id,
        vacancy_id=vacancy.vacancy_id,
        as_of=as_of,
        total=result.total,
        eligible=result.eligible,
        levers=tuple(levers),
        not_proposed=tuple(skipped),
        result=result,
    )
