"""Mismatch analysis: what employers ask for against what seekers want.

The Jung-gu Job Plus Centre's 2015 plan compares its 1,302 hiring firms with its 3,110
seekers by rank order (``seeds/000_743a0a447e219bca.txt#L603-625``): occupations
sought vs preferred, ages wanted vs seekers' ages, wages offered vs wanted. The
national 2021 plan notes that care, security/cleaning and simple manufacturing — jobs
whose conditions are alike and need little intervention — made 49.1% of
service-supported placements in 2020 (``seeds/001_9743a8cda015755e.txt#L85-86``).
:func:`mismatch` computes both from a dataset:

* demand is counted in **openings** (구인인원) of the vacancies, supply in **seekers**;
* occupations are grouped by the KECO prefixes of ``matching.mismatch.occupation_groups``
  (longest prefix wins; the rest is ``other``);
* an employer's age preference is placed in the band of the middle of its range,
  a seeker by their age when they registered (``matching.mismatch.age_bands``);
* wages by ``matching.mismatch.wage_bands`` (offered vs desired, KRW/month);
* each table ranks its rows on both sides (1 = most; equal counts share a rank);
* the easy-match share is the share of placements (and of referral placements) in the
  occupations of ``matching.mismatch.easy_match_occupations``, beside the national
  reference when one is in force.

Published tables suppress small cells: :meth:`MismatchTable.published` blanks counts
below ``metrics.suppression.min_cell``.

>>> import datetime as dt
>>> from employkit.synth import sample_centre
>>> from employkit.testing import make_system
>>> report = mismatch(sample_centre(), make_system(), as_of=dt.date(2015, 12, 31))
>>> report.occupations.demand_order()[:3]
['cleaning', 'security_parking', 'office']
>>> report.occupations.demand_total, report.occupations.supply_total
(2239, 3110)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from employkit._version import __version__
from employkit.errors import NotFound, ParameterError, RuleNotFound
from employkit.explain import Explanation, ParameterUse
from employkit.labels import Lang, Text
from employkit.matching.scoring import Matcher
from employkit.rules import EvalContext, RuleSystem

if TYPE_CHECKING:
    from employkit.dataset import Dataset

__all__ = ["EasyMatchShare", "MismatchReport", "MismatchRow", "MismatchTable", "mismatch"]

_OTHER = "other"
_NONE = "none"


@frozen(kw_only=True)
class MismatchRow:
    """One category: openings asked (demand) and seekers wanting it (supply), with ranks."""

    code: str
    label: Text
    demand: int
    supply: int
    demand_rank: int | None
    supply_rank: int | None

    @property
    def rank_gap(self) -> int | None:
        """Supply rank minus demand rank (positive: employers rank it higher than seekers)."""
        if self.demand_rank is None or self.supply_rank is None:
            return None
        return self.supply_rank - self.demand_rank


@frozen(kw_only=True)
class MismatchTable:
    """Demand vs supply over the categories of one dimension (occupation, age or wage)."""

    dimension: str
    title: Text
    rows: tuple[MismatchRow, ...]
    explanation: Explanation

    @property
    def demand_total(self) -> int:
        """All openings counted."""
        return sum(r.demand for r in self.rows)

    @property
    def supply_total(self) -> int:
        """All seekers counted."""
        return sum(r.supply for r in self.rows)

    def demand_order(self) -> list[str]:
        """Category codes with openings, most first (ties in table order)."""
        return [r.code for r in _order(self.rows, "demand")]

    def supply_order(self) -> list[str]:
        """Category codes with seekers, most first (ties in table order)."""
        return [r.code for r in _order(self.rows, "supply")]

    def row(self, code: str) -> MismatchRow:
        """The row of category ``code`` (raises :class:`KeyError`)."""
        for r in self.rows:
            if r.code == code:
                return r
        raise NotFound(f"no row of category {code!r} in this mismatch table")

    def published(self, min_cell: int) -> list[dict[str, Any]]:
        """The rows as dicts, counts between 1 and ``min_cell - 1`` replaced by ``None``."""
        out = []
        for r in self.rows:
            out.append(
                {
                    "dimension": self.dimension,
                    "code": r.code,
                    "label_ko": r.label.ko,
                    "label_en": r.label.en,
                    "demand": _suppress(r.demand, min_cell),
                    "demand_rank": r.demand_rank,
                    "supply": _suppress(r.supply, min_cell),
                    "supply_rank": r.supply_rank,
                }
            )
        return out


def _order(rows: Sequence[MismatchRow], side: str) -> list[MismatchRow]:
    def rank(r: MismatchRow) -> int | None:
        return r.demand_rank if side == "demand" else r.supply_rank

    ranked = [(rank(r) or 0, n, r) for n, r in enumerate(rows) if rank(r) is not None]
    return [r for _, _, r in sorted(ranked, key=lambda x: (x[0], x[1]))]


def _suppress(count: int, min_cell: int) -> int | None:
    return None if 0 < count < min_cell else count


@frozen(kw_only=True)
class EasyMatchShare:
    """Placements in the easy-match occupations (care, security/cleaning, simple manufacturing).

    ``share`` is over placements whose occupation is known; ``referral_share`` over
    those made by referral (``via_referral``), the national figure's base;
    ``reference`` is the national share in force on the date, if any.
    """

    placements: int
    known: int
    easy: int
    by_group: Mapping[str, int] = field(hash=False)
    referral_known: int
    referral_easy: int
    reference: float | None
    explanation: Explanation

    @property
    def share(self) -> float | None:
        """Easy-match placements / placements with a known occupation."""
        return self.easy / self.known if self.known else None

    @property
    def referral_share(self) -> float | None:
        """The same among referral placements."""
        return self.referral_easy / self.referral_known if self.referral_known else None


@frozen(kw_only=True)
class MismatchReport:
    """The three demand vs supply tables and the easy-match share."""

    as_of: dt.date
    occupations: MismatchTable
    ages: MismatchTable
    wages: MismatchTable
    easy_match: EasyMatchShare

    @property
    def tables(self) -> tuple[MismatchTable, ...]:
        """Occupations, ages, wages."""
        return (self.occupations, self.ages, self.wages)

    def to_rows(self, min_cell: int | None = None) -> list[dict[str, Any]]:
        """Every table's rows; with ``min_cell``, small counts suppressed."""
        rows: list[dict[str, Any]] = []
        for t in self.tables:
            rows += t.published(min_cell if min_cell is not None else 0)
        return rows


# --------------------------------------------------------------------------- categories


@frozen
class _Category:
    code: str
    label: Text
    prefixes: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None


def _label(entry: Mapping[str, Any], pid: str, n: int) -> tuple[str, Text]:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("code"), str):
        raise ParameterError(f"parameter {pid}, entry {n}: needs a string 'code'")
    code = entry["code"]
    return code, Text(str(entry.get("ko", code)), str(entry.get("en", code)))


def _occupation_groups(ctx: EvalContext) -> list[_Category]:
    pid = "matching.mismatch.occupation_groups"
    out = []
    for n, entry in enumerate(ctx.param(pid), 1):
        code, label = _label(entry, pid, n)
        prefixes = tuple(str(p) for p in entry.get("prefixes", ()))
        if not prefixes or not all(p.isdigit() for p in prefixes):
            raise ParameterError(f"parameter {pid}, group {code}: 'prefixes' must be KECO code prefixes")
        out.append(_Category(code, label, prefixes))
    return out


def _bands(ctx: EvalContext, pid: str, low_key: str | None, high_key: str) -> list[_Category]:
    out = []
    for n, entry in enumerate(ctx.param(pid), 1):
        code, label = _label(entry, pid, n)
        low = entry.get(low_key) if low_key else None
        high = entry.get(high_key)
        for v in (low, high):
            if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
                raise ParameterError(f"parameter {pid}, band {code}: bounds must be whole numbers")
        out.append(_Category(code, label, (), low, high))
    return out


def _by_prefix(groups: Sequence[_Category]) -> Callable[[str | None], str]:
    table = sorted(((p, g.code) for g in groups for p in g.prefixes), key=lambda x: -len(x[0]))

    def find(code: str | None) -> str:
        if code is None:
            return _OTHER
        for prefix, group in table:
            if code.startswith(prefix):
                return group
        return _OTHER

    return find


def _age_band(bands: Sequence[_Category], age: int | None) -> str:
    if age is None:
        return _NONE
    for b in bands:
        if (b.low is None or age >= b.low) and (b.high is None or age <= b.high):
            return b.code
    return _OTHER


def _wage_band(bands: Sequence[_Category], wage: int | None) -> str:
    if wage is None:
        return _OTHER
    for b in bands:
        if b.high is None or wage <= b.high:
            return b.code
    return _OTHER


def _ranks(counts: Mapping[str, int]) -> dict[str, int | None]:
    """Competition ranks (1 = most) of the categories with a count above 0."""
    values = sorted((c for c in counts.values() if c > 0), reverse=True)
    return {k: (values.index(c) + 1 if c > 0 else None) for k, c in counts.items()}


def _table(
    dimension: str,
    title: Text,
    categories: Sequence[tuple[str, Text]],
    demand: Counter[str],
    supply: Counter[str],
    explain: Callable[[Text], Explanation],
) -> MismatchTable:
    codes = [c for c, _ in categories]
    labels = dict(categories)
    counts_d = {c: demand.get(c, 0) for c in codes}
    counts_s = {c: supply.get(c, 0) for c in codes}
    rd, rs = _ranks(counts_d), _ranks(counts_s)
    rows = tuple(
        MismatchRow(
            code=c, label=labels[c], demand=counts_d[c], supply=counts_s[c], demand_rank=rd[c], supply_rank=rs[c]
        )
        for c in codes
        if counts_d[c] or counts_s[c] or c not in (_OTHER, _NONE)
    )

    def names(side: str, lang: Lang) -> str:
        return " › ".join(r.label.get(lang) for r in _order(rows, side)) or "-"

    order = Text(
        f"구인(구인인원) {names('demand', 'ko')} / 구직자 {names('supply', 'ko')}",
        f"employers (openings) {names('demand', 'en')} / seekers {names('supply', 'en')}",
    )
    return MismatchTable(dimension=dimension, title=title, rows=rows, explanation=explain(order))


def _explainer(
    system: RuleSystem, as_of: dt.date, rule_id: str, pids: Iterable[str], reasons: Iterable[Text] = ()
) -> Callable[[Text], Explanation]:
    """A function building the explanation of ``rule_id`` with a leading reason."""
    uses: tuple[ParameterUse, ...] = tuple(system.parameter(pid, as_of) for pid in pids)
    rest = tuple(reasons)

    def explain(lead: Text) -> Explanation:
        return Explanation(
            rule_id=rule_id,
            pack="employkit",
            pack_version=__version__,
            reasons=(lead, *rest),
            as_of=as_of,
            parameters=uses,
        )

    return explain


# --------------------------------------------------------------------------- the report


def mismatch(
    dataset: Dataset, source: RuleSystem | EvalContext | Matcher, *, as_of: dt.date | None = None
) -> MismatchReport:
    """Demand vs supply tables and the easy-match share of ``dataset``.

    ``source`` gives the parameters (a rule system evaluated on ``as_of``, default
    today; or a context, or a matcher).
    """
    if isinstance(source, Matcher | EvalContext):
        system, day = source.system, as_of or source.as_of
    else:
        system, day = source, as_of or dt.date.today()
    ctx = system.context(day)
    other = Text("기타·미기재", "other or not stated")
    none = Text("무관·미상", "none stated or unknown")

    groups = _occupation_groups(ctx)
    group_of = _by_prefix(groups)
    demand: Counter[str] = Counter()
    for v in dataset.vacancies:
        demand[group_of(v.occupation)] += v.openings
    supply: Counter[str] = Counter(group_of(s.desired_occupation) for s in dataset.seekers)
    occ_pid = "matching.mismatch.occupation_groups"
    occupations = _table(
        "occupation",
        Text("직종: 채용 모집직종 vs 선호직종", "occupations: sought by employers vs preferred by seekers"),
        [*((g.code, g.label) for g in groups), (_OTHER, other)],
        demand,
        supply,
        _explainer(system, day, "matching.mismatch.occupation", [occ_pid]),
    )

    age_pid = "matching.mismatch.age_bands"
    age_bands = _bands(ctx, age_pid, "min", "max")
    lowest = min((b.low for b in age_bands if b.low is not None), default=15)
    highest = max((b.high for b in age_bands if b.high is not None), default=120)
    demand = Counter()
    for v in dataset.vacancies:
        if v.min_age is None and v.max_age is None:
            demand[_NONE] += v.openings
            continue
        low = v.min_age if v.min_age is not None else lowest
        high = v.max_age if v.max_age is not None else highest
        demand[_age_band(age_bands, (low + high) // 2)] += v.openings
    supply = Counter(_age_band(age_bands, s.age_on(s.registered_on)) for s in dataset.seekers)
    ages = _table(
        "age",
        Text("연령: 채용희망 연령 vs 구직자 연령", "ages: wanted by employers vs seekers' ages"),
        [*((b.code, b.label) for b in age_bands), (_NONE, none), (_OTHER, other)],
        demand,
        supply,
        _explainer(
            system,
            day,
            "matching.mismatch.age",
            [age_pid],
            [
                Text(
                    "구인: 선호 연령 범위의 중간값 연령대; 구직자: 등록 시점 연령",
                    "employers: the band of the middle of the preferred range; seekers: age at registration",
                )
            ],
        ),
    )

    wage_pid = "matching.mismatch.wage_bands"
    wage_bands = _bands(ctx, wage_pid, None, "upto")
    demand = Counter()
    for v in dataset.vacancies:
        demand[_wage_band(wage_bands, v.offered_wage)] += v.openings
    supply = Counter(_wage_band(wage_bands, s.desired_wage) for s in dataset.seekers)
    wages = _table(
        "wage",
        Text("급여: 채용희망 급여 vs 희망 급여 (원/월)", "wages: offered vs wanted (KRW/month)"),
        [*((b.code, b.label) for b in wage_bands), (_OTHER, other)],
        demand,
        supply,
        _explainer(system, day, "matching.mismatch.wage", [wage_pid]),
    )
    return MismatchReport(
        as_of=day,
        occupations=occupations,
        ages=ages,
        wages=wages,
        easy_match=_easy_match(dataset, system, ctx, day),
    )


def _easy_match(dataset: Dataset, system: RuleSystem, ctx: EvalContext, day: dt.date) -> EasyMatchShare:
    pid = "matching.mismatch.easy_match_occupations"
    raw = ctx.param(pid)
    if not isinstance(raw, Mapping) or not raw:
        raise ParameterError(f"parameter {pid}: expected a table of group = [KECO prefixes]")
    groups = [_Category(str(k), Text(str(k), str(k)), tuple(str(p) for p in v)) for k, v in raw.items()]
    group_of = _by_prefix(groups)
    by_id = dataset.vacancies_by_id
    by_group: Counter[str] = Counter()
    known = easy = referral_known = referral_easy = 0
    for p in dataset.placements:
        occupation = p.occupation
        if occupation is None and p.vacancy_id is not None and p.vacancy_id in by_id:
            occupation = by_id[p.vacancy_id].occupation
        if occupation is None:
            continue
        group = group_of(occupation)
        is_easy = group != _OTHER
        known += 1
        easy += is_easy
        if is_easy:
            by_group[group] += 1
        if p.via_referral:
            referral_known += 1
            referral_easy += is_easy
    pids = [pid]
    reference = None
    ref_pid = "matching.mismatch.easy_match_reference_share"
    try:
        ref_use = system.parameter(ref_pid, day)
    except (ParameterError, RuleNotFound):  # no national reference in force on that date
        ref_use = None
    if ref_use is not None:
        reference = float(ref_use.value)
        pids.append(ref_pid)
    share = easy / known if known else None
    reasons = [
        Text(
            f"쉬운 매칭 직종 취업 {easy}명 / 직종 확인 취업 {known}명"
            + (f" = {share:.1%}" if share is not None else ""),
            f"{easy} of {known} placements with a known occupation are in easy-match occupations"
            + (f" = {share:.1%}" if share is not None else ""),
        )
    ]
    if reference is not None:
        reasons.append(
            Text(
                f"전국 기준: 서비스지원 취업의 {reference:.1%}",
                f"national reference: {reference:.1%} of service-supported placements",
            )
        )
    return EasyMatchShare(
        placements=len(dataset.placements),
        known=known,
        easy=easy,
        by_group=dict(by_group),
        referral_known=referral_known,
        referral_easy=referral_easy,
        reference=reference,
        explanation=_explainer(system, day, "matching.mismatch.easy_match", pids, reasons[1:])(reasons[0]),
    )
