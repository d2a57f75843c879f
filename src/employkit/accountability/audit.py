"""The fairness audit: is any group of seekers treated worse?

:func:`fairness_audit` looks at one dataset as of one date, for each grouping column
asked for (``gender``, ``age_band``, ``nationality``, ``disability``, a seeker group such
as ``group.career_break_woman``, an intake answer, any seeker field, or an extra column
of the data):

**Profiling** — every seeker is classed with the centre's typology (or the one named).
For each group the audit gives the share in each segment, and the *selection rate*: the
share in the favourable outcome, i.e. the segments whose group is listed in the
parameter ``accountability.fairness.favourable_groups`` (the "ready" seekers, who go
straight to referral), or the typology's first segment (the highest band of a scored
typology) when its segments have no group. The *disparate-impact ratio* of a group is
its selection rate divided by the highest rate of any group; below
``accountability.fairness.four_fifths`` (0.8: the four-fifths rule of 29 CFR 1607.4(D))
it is flagged. Each segment's share is also compared with the highest share of any
group in that segment (shown, not flagged: a segment is not good or bad by itself).

**Matching** — every vacancy's top-k list of seekers (``accountability.matching.top_k``)
from the batch scorer. A seeker at rank r gets exposure 1 / log2(1 + r) (rank 1 counts 1,
rank 3 counts 0.5); a group's exposure is the mean over its seekers, its ratio the
exposure divided by the most exposed group's, flagged below the same threshold. The mean
total of the group's listed pairs and the mean of each seeker's best eligible score are
shown beside it.

**Placement** — the employment rate of each group with the KPI's own definition
(:func:`~employkit.metrics.report.kpi_report`'s ``employment_rate``: seekers registered
in the period who were placed in it, over seekers registered in it; the period is the
KPI's default year unless given), grouped by any column the KPIs accept (``residence``,
``age_band`` with the KPIs' age, ``occupation`` …); the ratio to the best group is
flagged below the threshold. An outcome, like retention.

**Follow-up** — retention at the months of ``accountability.retention.months`` from the
placements and recorded contacts, by the one definition
(:func:`~employkit.followup.retention.retention_status`) and with the KPI's denominator
(placements due at the point; unknown counted unless ``metrics.retention.exclude_unknown``),
so a group's rate is the KPI's rate on that group; the ratio to the best group is flagged below the threshold. This is
an outcome, not a rule's decision: a flag here says what the data holds.

Groups with fewer people than ``metrics.suppression.min_cell`` are not judged (no
ratio, no flag, never the reference) and in a published audit their figures are
suppressed; a count of 1 to ``min_cell − 1`` is hidden too (its rate and ratio with
it, though a flag computed on the exact figures is still shown, without the number).

Each flag says whether the rule that decided *reads* the attribute: when it does not
(the national checklist reads no protected attribute), the difference comes from the
answers and facts in the data, not from the rule. The audit also states, for every
active seeker typology and match component, which protected attributes it declares and
uses, and whether the centre's configuration (``[profiling] allow_protected``,
``[matching] use_age``) allows them; a protected attribute used without permission is a
flag of its own.

Renderers: :func:`render_table`, :func:`to_data` (JSON) and :func:`render_html`.

>>> import datetime as dt
>>> from employkit.testing import make_system
>>> from employkit.synth import sample_centre
>>> audit = fairness_audit(sample_centre(), make_system(), dt.date(2022, 1, 3), by=["gender"],
...                        sections=["profiling"], typology_id="profiling.seeker.national")
>>> [(r.group, r.selected, r.profiled, round(r.ratio, 3)) for r in audit.profiling[0].rows]
[('F', 818, 1729, 0.994), ('M', 657, 1381, 1.0)]
>>> audit.flags
()
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from employkit.accountability.decisions import plain
from employkit.errors import ConfigError, EmploykitError
from employkit.explain import ParameterUse
from employkit.labels import Lang, Text
from employkit.metrics.suppress import is_small
from employkit.model import Gender, Seeker, SeekerGroup
from employkit.profiling.base import INTAKE_FIELDS, PROTECTED_ATTRIBUTES, SeekerProfile, Segment

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.rules import EvalContext, RuleSystem

__all__ = [
    "DEFAULT_BY",
    "SECTIONS",
    "ExposureRow",
    "FairnessAudit",
    "Flag",
    "MatchingAudit",
    "PlacementAudit",
    "PlacementRow",
    "ProfilingAudit",
    "ProtectedUse",
    "RetentionAudit",
    "RetentionCell",
    "RetentionRow",
    "SegmentRow",
    "fairness_audit",
    "group_key",
    "render_html",
    "render_table",
    "to_data",
]

#: The grouping columns when none are asked for.
DEFAULT_BY: tuple[str, ...] = ("gender", "age_band", "nationality", "disability")
#: The parts of an audit.
SECTIONS: tuple[str, ...] = ("profiling", "matching", "placement", "followup")

THRESHOLD = "accountability.fairness.four_fifths"
FAVOURABLE = "accountability.fairness.favourable_groups"
TOP_K = "accountability.matching.top_k"
MONTHS = "accountability.retention.months"
MIN_CELL = "metrics.suppression.min_cell"
AGE_BANDS = "metrics.breakdown.age_bands"

#: The protected attribute a grouping column reveals.
PROTECTED_OF: Mapping[str, str] = {
    "gender": "gender",
    "age_band": "age",
    "birth_year": "age",
    "nationality": "nationality",
    "disability": "disability",
    "group.disability": "disability",
    "group.youth": "age",
    "group.middle_aged": "age",
    "group.older": "age",
    "group.career_break_woman": "gender",
    "group.multicultural": "nationality",
}

_COLUMN_LABELS: Mapping[str, Text] = {
    "gender": Text("성별", "gender"),
    "age_band": Text("연령대", "age band"),
    "nationality": Text("국적", "nationality"),
    "disability": Text("장애", "disability"),
}


# ---------------------------------------------------------------------- records


@frozen(kw_only=True)
class Flag:
    """Something the audit flags, with its reason in Korean and English."""

    section: str  # profiling, matching, followup, protected
    attribute: str
    group: str
    measure: str
    value: float | None
    threshold: float | None
    reference: str | None
    reason: Text
    rule_reads_attribute: bool | None = None


def _map(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return dict(values)


@frozen(kw_only=True)
class SegmentRow:
    """One group under one typology: counts and shares per segment, selection rate and ratio.

    ``None`` marks a figure suppressed (or, for ``ratio``, not judged).
    """

    group: str
    label: Text
    seekers: int | None
    profiled: int | None
    not_profiled: int | None
    counts: Mapping[str, int | None] = field(converter=_map, hash=False)
    shares: Mapping[str, float | None] = field(converter=_map, hash=False)
    segment_ratios: Mapping[str, float | None] = field(converter=_map, hash=False)
    selected: int | None
    rate: float | None
    ratio: float | None
    judged: bool
    flagged: bool = False
    reference: bool = False
    suppressed: bool = False


@frozen(kw_only=True)
class ProfilingAudit:
    """The profiling part of an audit for one grouping column."""

    attribute: str
    typology_id: str
    pack: str
    pack_version: str
    segments: tuple[tuple[str, Text], ...]
    favourable: tuple[str, ...]
    rows: tuple[SegmentRow, ...]
    rule_reads_attribute: bool


@frozen(kw_only=True)
class ExposureRow:
    """One group's exposure in the vacancies' top-k lists."""

    group: str
    label: Text
    seekers: int | None
    appearances: int | None
    exposure: float | None
    ratio: float | None
    mean_listed_score: float | None
    mean_best_score: float | None
    judged: bool
    flagged: bool = False
    reference: bool = False
    suppressed: bool = False


@frozen(kw_only=True)
class MatchingAudit:
    """The matching part of an audit for one grouping column."""

    attribute: str
    top_k: int
    vacancies: int
    rows: tuple[ExposureRow, ...]
    rule_reads_attribute: bool


@frozen(kw_only=True)
class PlacementRow:
    """One group's employment rate: placed of registered seekers (the KPI's cohort)."""

    group: str
    label: Text
    seekers: int | None
    placed: int | None
    rate: float | None
    ratio: float | None
    judged: bool
    flagged: bool = False
    reference: bool = False
    suppressed: bool = False


@frozen(kw_only=True)
class PlacementAudit:
    """The placement part of an audit for one grouping column."""

    attribute: str
    kpi: str
    period: str
    rows: tuple[PlacementRow, ...]


@frozen(kw_only=True)
class RetentionCell:
    """Retention of one group at one point: ``retained`` of ``known`` (the KPI's denominator: placements due)."""

    months: int
    retained: int | None
    known: int | None
    rate: float | None
    ratio: float | None
    judged: bool
    flagged: bool = False
    reference: bool = False


@frozen(kw_only=True)
class RetentionRow:
    """One group's retention at every point."""

    group: str
    label: Text
    placements: int | None
    cells: tuple[RetentionCell, ...]
    suppressed: bool = False


@frozen(kw_only=True)
class RetentionAudit:
    """The follow-up part of an audit for one grouping column."""

    attribute: str
    months: tuple[int, ...]
    rows: tuple[RetentionRow, ...]


@frozen(kw_only=True)
class ProtectedUse:
    """Which protected attributes one active rule declares and uses, and whether that is allowed."""

    family: str  # seeker_typology or match_component
    rule_id: str
    pack: str
    pack_version: str
    declared: tuple[str, ...]
    used: tuple[str, ...]
    allowed: tuple[str, ...]
    evaluated: bool
    statement: Text

    @property
    def ok(self) -> bool:
        """Whether every attribute used is allowed by the configuration."""
        return set(self.used) <= set(self.allowed)


@frozen(kw_only=True)
class FairnessAudit:
    """A fairness audit of one dataset as of one date (see the module)."""

    as_of: dt.date
    origin: str
    centre: str | None
    by: tuple[str, ...]
    threshold: float
    min_cell: int
    publish: bool
    profiling: tuple[ProfilingAudit, ...] = ()
    matching: tuple[MatchingAudit, ...] = ()
    placement: tuple[PlacementAudit, ...] = ()
    retention: tuple[RetentionAudit, ...] = ()
    protected: tuple[ProtectedUse, ...] = ()
    flags: tuple[Flag, ...] = ()
    parameters: tuple[ParameterUse, ...] = ()
    notes: tuple[Text, ...] = ()

    def flagged(self, section: str | None = None, attribute: str | None = None) -> list[Flag]:
        """The flags of one section and/or grouping column."""
        return [
            f
            for f in self.flags
            if (section is None or f.section == section) and (attribute is None or f.attribute == attribute)
        ]


# ---------------------------------------------------------------------- grouping


_SEEKER_FIELDS = {a.name for a in attrs.fields(Seeker)} - {"seeker_id", "extra", "intake"}


def _age_bands(ctx: EvalContext) -> list[tuple[str, int, Text]]:
    raw = ctx.param(AGE_BANDS)
    try:
        bands = [
            (str(b["key"]), int(b["min"]), Text(str(b.get("ko", b["key"])), str(b.get("en", b["key"])))) for b in raw
        ]
    except (KeyError, TypeError, ValueError):
        raise ConfigError(f"parameter {AGE_BANDS}: expected a list of {{key, min}} tables") from None
    return sorted(bands, key=lambda b: b[1])


def group_key(seeker: Seeker, column: str, as_of: dt.date, age_bands: Sequence[tuple[str, int, Text]] = ()) -> str:
    """The group of ``seeker`` by ``column`` (``"unknown"`` when the value is not recorded).

    >>> import datetime as dt
    >>> from employkit.model import Gender, Seeker
    >>> s = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2016, 1, 4), gender=Gender.FEMALE)
    >>> group_key(s, "gender", dt.date(2016, 1, 4)), group_key(s, "disability", dt.date(2016, 1, 4))
    ('F', 'no')
    """
    if column == "gender":
        return seeker.gender.code if seeker.gender is not None else "unknown"
    if column == "age_band":
        # age when the seeker registered, as the KPIs count it: the decisions audited were made then
        age = seeker.age_on(min(seeker.registered_on, as_of))
        if age is None:
            return "unknown"
        found = "unknown"
        for key, low, _ in age_bands:
            if age >= low:
                found = key
        return found
    if column == "nationality":
        return (seeker.nationality or "unknown").strip() or "unknown"
    if column == "disability":
        return "yes" if SeekerGroup.DISABILITY in seeker.groups else "no"
    if column.startswith("group."):
        return "yes" if SeekerGroup.parse(column.removeprefix("group.")) in seeker.groups else "no"
    if column in INTAKE_FIELDS:
        return _key(getattr(seeker.intake, column))
    if column == "residence":  # the KPIs' residence column: the seeker's region code
        return _key(seeker.residence_code)
    if column == "month":  # the KPIs' month column for seekers: the registration month
        return seeker.registered_on.strftime("%Y-%m")
    if column in _SEEKER_FIELDS:
        return _key(getattr(seeker, column))
    return _key(seeker.extra.get(column))


def _key(value: Any) -> str:
    if value is None or value == "":
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset | set | tuple | list):
        return ";".join(sorted(str(getattr(v, "code", v)) for v in value)) or "none"
    return str(getattr(value, "code", value))


def _kpi_column(data: Dataset, system: RuleSystem, as_of: dt.date, column: str) -> bool:
    """Whether the KPIs accept ``column`` as a breakdown (the placement section groups by it)."""
    from employkit.metrics.frame import Frame
    from employkit.metrics.scope import KpiContext, KpiScope, Period

    scope = KpiScope(period=Period(as_of, as_of), observed_on=as_of)
    return Frame(data, KpiContext(system, as_of, scope)).known_column(column)


def _check_column(column: str, seekers: Sequence[Seeker]) -> None:
    if column in ("gender", "age_band", "nationality", "disability", "residence", "month") or column in INTAKE_FIELDS:
        return
    if column.startswith("group."):
        try:
            SeekerGroup.parse(column.removeprefix("group."))
        except ValueError as exc:
            raise ConfigError(f"grouping column {column!r}: {exc}") from None
        return
    if column in _SEEKER_FIELDS or any(column in s.extra for s in seekers):
        return
    known = ", ".join(["gender", "age_band", "nationality", "disability", "group.<code>", *sorted(_SEEKER_FIELDS)])
    raise ConfigError(f"unknown grouping column {column!r}; use one of: {known}, or a column of the data")


def _group_label(column: str, key: str, age_bands: Sequence[tuple[str, int, Text]]) -> Text:
    if key == "unknown":
        return Text("미상", "unknown")
    if column == "gender":
        try:
            return Gender.parse(key).label
        except ValueError:
            return Text(key, key)
    if column == "age_band":
        for k, _, label in age_bands:
            if k == key:
                return label
    if key in ("yes", "no"):
        return Text("예" if key == "yes" else "아니오", key)
    return Text(key, key)


def _order(column: str, keys: Iterable[str], age_bands: Sequence[tuple[str, int, Text]]) -> list[str]:
    found = set(keys)
    if column == "age_band":
        ordered = [k for k, _, _ in age_bands if k in found]
    elif column == "gender":
        ordered = [g.code for g in Gender if g.code in found]
    else:
        ordered = []
    rest = sorted(k for k in found if k not in ordered and k != "unknown")
    return ordered + rest + (["unknown"] if "unknown" in found else [])


# ---------------------------------------------------------------------- helpers


def _ratio_flags(
    rates: Mapping[str, float | None], judged: Iterable[str], threshold: float
) -> tuple[dict[str, float | None], str | None]:
    """Each judged group's rate divided by the highest judged rate, and that group."""
    pool = {g: r for g, r in rates.items() if g in set(judged) and r is not None}
    if not pool:
        return {g: None for g in rates}, None
    ref = max(pool, key=lambda g: (pool[g], g))
    top = pool[ref]
    if top <= 0:
        return {g: None for g in rates}, ref
    return {g: (pool[g] / top if g in pool else None) for g in rates}, ref


def _reads_text(reads: bool, section: str) -> Text:
    if reads:
        return Text(
            "결정 규칙이 이 속성을 사용함 (센터 설정에서 허용)",
            "the deciding rule uses this attribute (allowed by the centre's configuration)",
        )
    if section in ("followup", "placement"):
        return Text("결과 지표: 차이는 자료에 있는 그대로임", "an outcome: the difference is what the data holds")
    return Text(
        "결정 규칙은 이 속성을 읽지 않음: 차이는 자료의 응답·사실에서 옴",
        "the deciding rule does not read this attribute: the difference comes from the answers and facts in the data",
    )


def _flag(
    section: str,
    attribute: str,
    group: str,
    measure: str,
    ratio: float,
    shown: bool,
    threshold: float,
    reference: str,
    what: Text,
    reads: bool | None,
) -> Flag:
    number = f"{ratio:.2f}" if shown else f"< {threshold:g}"
    why = _reads_text(bool(reads), section)
    return Flag(
        section=section,
        attribute=attribute,
        group=group,
        measure=measure,
        value=ratio if shown else None,
        threshold=threshold,
        reference=reference,
        rule_reads_attribute=reads,
        reason=Text(
            f"{attribute}={group}: {what.ko} 비율이 최우대 집단({reference}) 대비 {number} (기준 {threshold:g} 미만) — "
            f"{why.ko}",
            f"{attribute}={group}: {what.en} is {number} of the most favoured group's ({reference}), "
            f"below {threshold:g} — {why.en}",
        ),
    )


# ---------------------------------------------------------------------- sections


def _favourable(
    segments: Sequence[Segment], profiles: Sequence[SeekerProfile], groups: Sequence[str], chosen: Sequence[str] | None
) -> tuple[str, ...]:
    if chosen:
        return tuple(chosen)
    by_group = tuple(s.code for s in segments if s.group in groups)
    if by_group:
        return by_group
    seen = tuple(dict.fromkeys(p.segment.code for p in profiles if p.segment and p.segment.group in groups))
    if seen:
        return seen
    return (segments[0].code,) if segments else ()


def _profiling(
    data: Dataset,
    system: RuleSystem,
    ctx: EvalContext,
    profiles: Sequence[SeekerProfile],
    typology: Any,
    columns: Sequence[str],
    favourable: tuple[str, ...],
    threshold: float,
    min_cell: int,
    publish: bool,
    age_bands: Sequence[tuple[str, int, Text]],
    flags: list[Flag],
) -> list[ProfilingAudit]:
    segments: list[Segment] = [s for s in getattr(typology, "segments", ()) if isinstance(s, Segment)]
    known = {s.code for s in segments}
    for p in profiles:
        if p.segment is not None and p.segment.code not in known:
            segments.append(p.segment)
            known.add(p.segment.code)
    used = {a for p in profiles for a in p.protected_used}
    origin, _ = system.provenance(typology.meta.rule_id)
    seekers = data.seekers_by_id
    out = []
    for column in columns:
        reads = PROTECTED_OF.get(column) in used
        members: dict[str, list[SeekerProfile]] = defaultdict(list)
        for p in profiles:
            members[group_key(seekers[p.seeker_id], column, ctx.as_of, age_bands)].append(p)
        keys = _order(column, members, age_bands)
        stats = {}
        for g in keys:
            ps = members[g]
            counts = Counter(p.segment.code for p in ps if p.segment is not None)
            profiled = sum(counts.values())
            selected = sum(counts[c] for c in favourable)
            stats[g] = (len(ps), profiled, sum(p.status == "not_profiled" for p in ps), counts, selected)
        judged = [g for g in keys if stats[g][1] >= min_cell]
        rates = {g: (stats[g][4] / stats[g][1] if stats[g][1] else None) for g in keys}
        ratios, ref = _ratio_flags(rates, judged, threshold)
        seg_ratios: dict[str, dict[str, float | None]] = {}
        for s in segments:
            shares = {g: (stats[g][3][s.code] / stats[g][1] if stats[g][1] else None) for g in keys}
            seg_ratios[s.code] = _ratio_flags(shares, judged, threshold)[0]
        rows = []
        for g in keys:
            n, profiled, missing, counts, selected = stats[g]
            is_judged = g in judged
            label = _group_label(column, g, age_bands)
            if publish and not is_judged:
                rows.append(
                    SegmentRow(
                        group=g,
                        label=label,
                        seekers=None if is_small(n, min_cell) else n,
                        profiled=None,
                        not_profiled=None,
                        counts={s.code: None for s in segments},
                        shares={s.code: None for s in segments},
                        segment_ratios={s.code: None for s in segments},
                        selected=None,
                        rate=None,
                        ratio=None,
                        judged=False,
                        suppressed=True,
                    )
                )
                continue
            hide_rate = publish and (is_small(selected, min_cell) or is_small(profiled - selected, min_cell))
            cell_counts: dict[str, int | None] = {}
            cell_shares: dict[str, float | None] = {}
            cell_ratios: dict[str, float | None] = {}
            for s in segments:
                k = counts[s.code]
                hidden = publish and is_small(k, min_cell)
                cell_counts[s.code] = None if hidden else k
                cell_shares[s.code] = None if hidden or not profiled else k / profiled
                cell_ratios[s.code] = None if hidden else seg_ratios[s.code].get(g)
            ratio = ratios.get(g)
            flagged = is_judged and ratio is not None and ratio < threshold
            if flagged and ratio is not None and ref is not None:
                what = Text(
                    f"유리한 결과({', '.join(favourable)}) 선정률", f"the selection rate ({', '.join(favourable)})"
                )
                flags.append(
                    _flag(
                        "profiling",
                        column,
                        g,
                        "selection_rate_ratio",
                        ratio,
                        not hide_rate,
                        threshold,
                        ref,
                        what,
                        reads,
                    )
                )
            rows.append(
                SegmentRow(
                    group=g,
                    label=label,
                    seekers=n,
                    profiled=profiled,
                    not_profiled=None if publish and is_small(missing, min_cell) else missing,
                    counts=cell_counts,
                    shares=cell_shares,
                    segment_ratios=cell_ratios,
                    selected=None if hide_rate else selected,
                    rate=None if hide_rate else rates[g],
                    ratio=None if hide_rate else ratio,
                    judged=is_judged,
                    flagged=flagged,
                    reference=g == ref,
                )
            )
        out.append(
            ProfilingAudit(
                attribute=column,
                typology_id=typology.meta.rule_id,
                pack=origin.name,
                pack_version=origin.version,
                segments=tuple((s.code, s.label) for s in segments),
                favourable=favourable,
                rows=tuple(rows),
                rule_reads_attribute=reads,
            )
        )
    return out


def _matching(
    data: Dataset,
    system: RuleSystem,
    ctx: EvalContext,
    columns: Sequence[str],
    top_k: int,
    threshold: float,
    min_cell: int,
    publish: bool,
    age_bands: Sequence[tuple[str, int, Text]],
    flags: list[Flag],
    notes: list[Text],
) -> list[MatchingAudit]:
    from employkit.matching.batch import BatchScorer
    from employkit.matching.scoring import Matcher

    seekers, vacancies = data.seekers, data.vacancies
    if not seekers or not vacancies:
        notes.append(
            Text("매칭 감사 생략: 구직자 또는 구인이 없음", "matching audit skipped: no seekers or no vacancies")
        )
        return []
    matcher = Matcher(system, ctx.as_of)
    batch = BatchScorer(matcher, seekers, vacancies)
    lists = batch.top_seekers(top_k)
    best = batch.top_vacancies(1)
    exposure = [0.0] * len(seekers)
    appearances = [0] * len(seekers)
    listed_total = [0.0] * len(seekers)
    for i, rank, total in zip(lists.seeker_index.tolist(), lists.rank.tolist(), lists.total.tolist(), strict=True):
        exposure[i] += 1.0 / math.log2(1 + rank)
        appearances[i] += 1
        listed_total[i] += total
    best_total: dict[int, float] = dict(zip(best.seeker_index.tolist(), best.total.tolist(), strict=True))
    counted_protected = {
        c.key
        for c in matcher.components
        if c.key in PROTECTED_ATTRIBUTES and bool(ctx.setting("matching", f"use_{c.key}"))
    }
    out = []
    for column in columns:
        reads = PROTECTED_OF.get(column) in counted_protected
        members: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(seekers):
            members[group_key(s, column, ctx.as_of, age_bands)].append(i)
        keys = _order(column, members, age_bands)
        judged = [g for g in keys if len(members[g]) >= min_cell]
        mean_exposure = {g: sum(exposure[i] for i in members[g]) / len(members[g]) for g in keys}
        ratios, ref = _ratio_flags(mean_exposure, judged, threshold)
        rows = []
        for g in keys:
            idx = members[g]
            is_judged = g in judged
            label = _group_label(column, g, age_bands)
            if publish and not is_judged:
                rows.append(
                    ExposureRow(
                        group=g,
                        label=label,
                        seekers=None,
                        appearances=None,
                        exposure=None,
                        ratio=None,
                        mean_listed_score=None,
                        mean_best_score=None,
                        judged=False,
                        suppressed=True,
                    )
                )
                continue
            shown = sum(appearances[i] for i in idx)
            bests = [best_total[i] for i in idx if i in best_total]
            ratio = ratios.get(g)
            flagged = is_judged and ratio is not None and ratio < threshold
            if flagged and ratio is not None and ref is not None:
                what = Text(f"추천 상위 {top_k}명 노출도", f"the exposure in top-{top_k} lists")
                flags.append(_flag("matching", column, g, "exposure_ratio", ratio, True, threshold, ref, what, reads))
            rows.append(
                ExposureRow(
                    group=g,
                    label=label,
                    seekers=len(idx),
                    appearances=shown,
                    exposure=mean_exposure[g],
                    ratio=ratio,
                    mean_listed_score=sum(listed_total[i] for i in idx) / shown if shown else None,
                    mean_best_score=sum(bests) / len(bests) if bests else None,
                    judged=is_judged,
                    flagged=flagged,
                    reference=g == ref,
                )
            )
        out.append(
            MatchingAudit(
                attribute=column, top_k=top_k, vacancies=len(vacancies), rows=tuple(rows), rule_reads_attribute=reads
            )
        )
    return out


def _placement(
    data: Dataset,
    system: RuleSystem,
    as_of: dt.date,
    columns: Sequence[str],
    period: Any,
    threshold: float,
    min_cell: int,
    publish: bool,
    flags: list[Flag],
) -> list[PlacementAudit]:
    from employkit.metrics.report import kpi_report

    out = []
    for column in columns:
        report = kpi_report(data, system, as_of, period=period, by=column, only=["employment_rate"], publish=False)
        value = report.get("employment_rate").value
        cells = value.breakdown
        keys = list(cells)
        placed = {g: int(cells[g].numerator or 0) for g in keys}
        seekers = {g: int(cells[g].denominator or 0) for g in keys}
        judged = [g for g in keys if seekers[g] >= min_cell and g != "unknown"]
        rates = {g: (placed[g] / seekers[g] if seekers[g] else None) for g in keys}
        ratios, ref = _ratio_flags(rates, judged, threshold)
        rows = []
        for g in keys:
            is_judged = g in judged
            hide = publish and (
                not is_judged or is_small(placed[g], min_cell) or is_small(seekers[g] - placed[g], min_cell)
            )
            ratio = ratios.get(g)
            flagged = is_judged and ratio is not None and ratio < threshold
            if flagged and ratio is not None and ref is not None:
                what = Text("취업률", "the employment rate")
                flags.append(
                    _flag("placement", column, g, "employment_rate_ratio", ratio, not hide, threshold, ref, what, None)
                )
            label = cells[g].label or Text(g, g)
            rows.append(
                PlacementRow(
                    group=g,
                    label=label,
                    seekers=None if publish and is_small(seekers[g], min_cell) else seekers[g],
                    placed=None if hide else placed[g],
                    rate=None if hide else rates[g],
                    ratio=None if hide else ratio,
                    judged=is_judged,
                    flagged=flagged,
                    reference=g == ref,
                    suppressed=hide,
                )
            )
        out.append(
            PlacementAudit(attribute=column, kpi="employment_rate", period=report.period.label, rows=tuple(rows))
        )
    return out


def _retention(
    data: Dataset,
    ctx: EvalContext,
    columns: Sequence[str],
    months: tuple[int, ...],
    threshold: float,
    min_cell: int,
    publish: bool,
    age_bands: Sequence[tuple[str, int, Text]],
    flags: list[Flag],
) -> list[RetentionAudit]:
    import numpy as np

    from employkit.followup.retention import (
        LEFT_JOB,
        RETAINED,
        UNKNOWN,
        add_months_array,
        contacts_of,
        placement_columns,
        retention_rate,
        retention_status,
    )

    placed = list(data.placements)
    start, ended = placement_columns(placed)
    contacts = contacts_of(placed, data.followups)
    window = int(ctx.param("metrics.retention.window_days"))
    exclude_unknown = bool(ctx.param("metrics.retention.exclude_unknown"))
    status = {
        m: retention_status(start, ended, add_months_array(start, m), contacts, ctx.as_of, window)[0] for m in months
    }
    seekers = data.seekers_by_id
    out = []
    for column in columns:
        members: dict[str, list[int]] = defaultdict(list)
        for n, p in enumerate(placed):
            s = seekers.get(p.seeker_id)
            members[group_key(s, column, ctx.as_of, age_bands) if s is not None else "unknown"].append(n)
        keys = _order(column, members, age_bands)
        cells: dict[str, list[RetentionCell]] = {g: [] for g in keys}
        for m in months:
            of = {g: status[m][members[g]] for g in keys}
            counts = {g: np.bincount(of[g].astype(np.int64), minlength=4) for g in keys}
            kept = {g: int(counts[g][RETAINED]) for g in keys}
            # the KPI's denominator: due placements, unknown included unless metrics.retention.exclude_unknown
            known = {
                g: retention_rate(kept[g], int(counts[g][LEFT_JOB]), int(counts[g][UNKNOWN]), exclude_unknown)[1]
                for g in keys
            }
            judged = [g for g in keys if known[g] >= min_cell]
            rates = {g: (kept[g] / known[g] if known[g] else None) for g in keys}
            ratios, ref = _ratio_flags(rates, judged, threshold)
            for g in keys:
                is_judged = g in judged
                hide = publish and (
                    not is_judged or is_small(kept[g], min_cell) or is_small(known[g] - kept[g], min_cell)
                )
                ratio = ratios.get(g)
                flagged = is_judged and ratio is not None and ratio < threshold
                if flagged and ratio is not None and ref is not None:
                    what = Text(f"{m}개월 고용유지율", f"the {m}-month retention rate")
                    flags.append(
                        _flag(
                            "followup", column, g, f"retention_{m}m_ratio", ratio, not hide, threshold, ref, what, None
                        )
                    )
                cells[g].append(
                    RetentionCell(
                        months=m,
                        retained=None if hide else kept[g],
                        known=None if publish and not is_judged else known[g],
                        rate=None if hide else rates[g],
                        ratio=None if hide else ratio,
                        judged=is_judged,
                        flagged=flagged,
                        reference=g == ref,
                    )
                )
        rows = []
        for g in keys:
            n = len(members[g])
            small = publish and is_small(n, min_cell)
            rows.append(
                RetentionRow(
                    group=g,
                    label=_group_label(column, g, age_bands),
                    placements=None if small else n,
                    cells=tuple(cells[g]),
                    suppressed=small,
                )
            )
        out.append(RetentionAudit(attribute=column, months=months, rows=tuple(rows)))
    return out


def _declared(typology: Any, system: RuleSystem, as_of: dt.date) -> tuple[str, ...]:
    """The protected attributes a scored typology's model names (whether or not allowed)."""
    from employkit.profiling.scorers import FEATURES, LinearModel, ScoredTypology

    if not isinstance(typology, ScoredTypology):
        return ()
    try:
        model = LinearModel.parse(typology.scorer.model, system.parameter(typology.scorer.model, as_of).value)
    except EmploykitError:
        return ()
    return tuple(sorted({p for name, _ in model.weights if (p := FEATURES[name].protected)}))


def _protected(
    data: Dataset,
    system: RuleSystem,
    ctx: EvalContext,
    audited: Mapping[str, Sequence[SeekerProfile]],
    flags: list[Flag],
    notes: list[Text],
) -> list[ProtectedUse]:
    from employkit.profiling.api import profile_dataset
    from employkit.profiling.scorers import allowed_protected

    allowed = tuple(sorted(allowed_protected(ctx)))
    out: list[ProtectedUse] = []
    for typology in system.seeker_typologies(ctx.as_of):
        rid = typology.meta.rule_id
        origin, _ = system.provenance(rid)
        declared = _declared(typology, system, ctx.as_of)
        profiles = audited.get(rid)
        if profiles is None:
            try:
                profiles = profile_dataset(data, system, ctx.as_of, rid).profiles
            except EmploykitError as exc:
                notes.append(
                    Text(f"{rid}: 보호 속성 점검 실패 — {exc}", f"{rid}: protected-attribute check failed — {exc}")
                )
                profiles = ()
        used = tuple(sorted({a for p in profiles for a in p.protected_used}))
        out.append(_typology_statement(rid, origin.name, origin.version, declared, used, allowed, flags))
    for c in system.match_components(ctx.as_of):
        origin, _ = system.provenance(c.meta.rule_id)
        if c.key in PROTECTED_ATTRIBUTES:
            on = bool(ctx.setting("matching", f"use_{c.key}"))
            statement = (
                Text(
                    f"{c.key} 점수 반영: 센터 설정 [matching] use_{c.key} = true 로 허용",
                    f"{c.key} counted: allowed by the centre's [matching] use_{c.key} = true",
                )
                if on
                else Text(
                    f"{c.key}: 상담사에게 표시만 하고 점수에 반영하지 않음 ([matching] use_{c.key} 미설정)",
                    f"{c.key}: shown to the counsellor, not counted ([matching] use_{c.key} not set)",
                )
            )
            out.append(
                ProtectedUse(
                    family="match_component",
                    rule_id=c.meta.rule_id,
                    pack=origin.name,
                    pack_version=origin.version,
                    declared=(c.key,),
                    used=(c.key,) if on else (),
                    allowed=(c.key,) if on else (),
                    evaluated=True,
                    statement=statement,
                )
            )
        else:
            out.append(
                ProtectedUse(
                    family="match_component",
                    rule_id=c.meta.rule_id,
                    pack=origin.name,
                    pack_version=origin.version,
                    declared=(),
                    used=(),
                    allowed=(),
                    evaluated=True,
                    statement=Text("보호 속성을 읽지 않음", "reads no protected attribute"),
                )
            )
    return out


def _typology_statement(
    rid: str,
    pack: str,
    version: str,
    declared: tuple[str, ...],
    used: tuple[str, ...],
    allowed: tuple[str, ...],
    flags: list[Flag],
) -> ProtectedUse:
    parts_ko: list[str] = []
    parts_en: list[str] = []
    without = sorted(set(used) - set(allowed))
    with_permission = sorted(set(used) & set(allowed))
    left_out = sorted(set(declared) - set(used))
    if with_permission:
        parts_ko.append(f"사용: {', '.join(with_permission)} — 센터 설정 [profiling] allow_protected 에서 허용")
        parts_en.append(f"uses {', '.join(with_permission)} — allowed by the centre's [profiling] allow_protected")
    if without:
        parts_ko.append(f"사용: {', '.join(without)} — 센터 설정에서 허용하지 않았음")
        parts_en.append(f"uses {', '.join(without)} although the configuration does not allow it")
        for a in without:
            flags.append(
                Flag(
                    section="protected",
                    attribute=a,
                    group="*",
                    measure="protected_without_permission",
                    value=None,
                    threshold=None,
                    reference=None,
                    rule_reads_attribute=True,
                    reason=Text(
                        f"{rid} ({pack} {version}) 이(가) 허용되지 않은 보호 속성 {a} 을(를) 사용함",
                        f"{rid} ({pack} {version}) uses the protected attribute {a}, "
                        "which the configuration does not allow",
                    ),
                )
            )
    if left_out:
        parts_ko.append(f"모형에 있으나 제외: {', '.join(left_out)} (허용되지 않음)")
        parts_en.append(f"named by its model but left out: {', '.join(left_out)} (not allowed)")
    if not parts_en:
        parts_ko.append("보호 속성을 사용하지 않음")
        parts_en.append("uses no protected attribute")
    return ProtectedUse(
        family="seeker_typology",
        rule_id=rid,
        pack=pack,
        pack_version=version,
        declared=declared,
        used=used,
        allowed=allowed,
        evaluated=True,
        statement=Text("; ".join(parts_ko), "; ".join(parts_en)),
    )


# ---------------------------------------------------------------------- the audit


def fairness_audit(
    data: Dataset,
    system: RuleSystem,
    as_of: dt.date,
    *,
    by: Sequence[str] = DEFAULT_BY,
    typology_id: str | None = None,
    sections: Sequence[str] = SECTIONS,
    top_k: int | None = None,
    favourable: Sequence[str] | None = None,
    publish: bool = True,
    period: Any = None,
) -> FairnessAudit:
    """Audit ``data`` as of ``as_of`` for each grouping column of ``by`` (see the module).

    ``typology_id`` names the seeker typology audited (default: the centre's);
    ``favourable`` the segment codes counted as selected (default: by
    ``accountability.fairness.favourable_groups``); ``top_k`` the list length of the
    exposure audit; ``period`` (a :class:`~employkit.metrics.scope.Period`) the placement
    section's period (default: the KPIs' default year). With ``publish`` (the default)
    small cells are suppressed. Raises
    :class:`~employkit.errors.ConfigError` for an unknown column or section.
    """
    from employkit.profiling.api import profile_dataset, seeker_typology

    wanted = tuple(dict.fromkeys(s.strip() for s in sections if s.strip()))
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise ConfigError(f"unknown audit section(s) {', '.join(unknown)}; expected some of {', '.join(SECTIONS)}")
    columns = tuple(dict.fromkeys(c.strip() for c in by if c.strip()))
    if not columns:
        raise ConfigError("the audit needs at least one grouping column (--by)")
    seeker_sections = [s for s in wanted if s != "placement"]
    for c in columns:
        if seeker_sections or not _kpi_column(data, system, as_of, c):
            _check_column(c, data.seekers)
    ctx = system.context(as_of)
    threshold = float(ctx.param(THRESHOLD))
    min_cell = int(ctx.param(MIN_CELL))
    age_bands = _age_bands(ctx)
    flags: list[Flag] = []
    notes: list[Text] = []
    audited: dict[str, Sequence[SeekerProfile]] = {}
    profiling: list[ProfilingAudit] = []
    result = profile_dataset(data, system, as_of, typology_id) if "profiling" in wanted else None
    if result is not None:
        notes.extend(Text(n, n) for n in result.notes)
    if result is not None and result.profiles:
        typology = seeker_typology(system, result.profiles[-1].as_of, result.profiles[-1].typology_id)
        audited[typology.meta.rule_id] = result.profiles
        groups = tuple(str(g) for g in ctx.param(FAVOURABLE))
        chosen = _favourable(result.segments or (), result.profiles, groups, favourable)
        if not chosen:
            notes.append(Text("유리한 결과로 볼 유형이 없음", "no segment counts as the favourable outcome"))
        profiling = _profiling(
            data,
            system,
            ctx,
            result.profiles,
            typology,
            columns,
            chosen,
            threshold,
            min_cell,
            publish,
            age_bands,
            flags,
        )
    matching: list[MatchingAudit] = []
    if "matching" in wanted:
        k = int(ctx.param(TOP_K)) if top_k is None else top_k
        if k < 1:
            raise ConfigError("top_k must be at least 1")
        matching = _matching(data, system, ctx, columns, k, threshold, min_cell, publish, age_bands, flags, notes)
    placement: list[PlacementAudit] = []
    if "placement" in wanted:
        placement = _placement(data, system, as_of, columns, period, threshold, min_cell, publish, flags)
    retention: list[RetentionAudit] = []
    if "followup" in wanted:
        months = tuple(int(m) for m in ctx.param(MONTHS))
        retention = _retention(data, ctx, columns, months, threshold, min_cell, publish, age_bands, flags)
    protected = _protected(data, system, ctx, audited, flags, notes)
    read = [THRESHOLD, MIN_CELL, AGE_BANDS]
    read += [FAVOURABLE] if "profiling" in wanted else []
    read += [TOP_K] if "matching" in wanted and top_k is None else []
    read += [MONTHS] if "followup" in wanted else []
    uses = tuple(system.parameter(pid, as_of) for pid in read)
    return FairnessAudit(
        as_of=as_of,
        origin=data.origin,
        centre=data.centre.name if data.centre is not None else None,
        by=columns,
        threshold=threshold,
        min_cell=min_cell,
        publish=publish,
        profiling=tuple(profiling),
        matching=tuple(matching),
        placement=tuple(placement),
        retention=tuple(retention),
        protected=tuple(protected),
        flags=tuple(flags),
        parameters=uses,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------- renderers


def to_data(audit: FairnessAudit) -> dict[str, Any]:
    """The audit as JSON-ready data (``audit.json``)."""
    data: dict[str, Any] = plain(audit)
    data["flag_count"] = len(audit.flags)
    return data


def _pct(x: float | None) -> str:
    return "*" if x is None else f"{100 * x:.1f}%"


def _num(x: float | int | None, digits: int = 2) -> str:
    if x is None:
        return "*"
    if isinstance(x, int):
        return f"{x:,}"
    return f"{x:.{digits}f}"


def _mark(flagged: bool, reference: bool) -> str:
    return "⚑" if flagged else ("ref" if reference else "")


def _tables(audit: FairnessAudit, lang: Lang) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every table of the audit as (title, headers, rows)."""
    out: list[tuple[str, list[str], list[list[str]]]] = []
    for p in audit.profiling:
        title = (
            f"유형분류 {p.typology_id} ({p.pack} {p.pack_version}) · 집단 {p.attribute} · "
            f"유리한 결과: {', '.join(p.favourable)}"
            if lang == "ko"
            else f"profiling {p.typology_id} ({p.pack} {p.pack_version}) · by {p.attribute} · favourable: "
            f"{', '.join(p.favourable)}"
        )
        headers = (
            ["group", "seekers", "profiled"] + [code for code, _ in p.segments] + ["selected", "rate", "ratio", ""]
        )
        rows = []
        for r in p.rows:
            rows.append(
                [r.label.get(lang) if r.group != r.label.en else r.group, _num(r.seekers), _num(r.profiled)]
                + [f"{_num(r.counts[c])} ({_pct(r.shares[c])})" for c, _ in p.segments]
                + [_num(r.selected), _pct(r.rate), _num(r.ratio), _mark(r.flagged, r.reference)]
            )
        out.append((title, headers, rows))
    for m in audit.matching:
        title = (
            f"매칭 노출도 · 집단 {m.attribute} · 구인 {m.vacancies:,}건의 상위 {m.top_k}명 목록"
            if lang == "ko"
            else f"matching exposure · by {m.attribute} · top-{m.top_k} lists of {m.vacancies:,} vacancies"
        )
        headers = ["group", "seekers", "listed", "exposure", "ratio", "mean listed", "mean best", ""]
        rows = [
            [
                r.label.get(lang),
                _num(r.seekers),
                _num(r.appearances),
                _num(r.exposure, 3),
                _num(r.ratio),
                _num(r.mean_listed_score, 3),
                _num(r.mean_best_score, 3),
                _mark(r.flagged, r.reference),
            ]
            for r in m.rows
        ]
        out.append((title, headers, rows))
    for pa in audit.placement:
        title = (
            f"취업률 ({pa.kpi}, {pa.period}) · 집단 {pa.attribute}"
            if lang == "ko"
            else f"employment rate ({pa.kpi}, {pa.period}) · by {pa.attribute}"
        )
        headers = ["group", "seekers", "placed", "rate", "ratio", ""]
        rows = [
            [
                pr.label.get(lang),
                _num(pr.seekers),
                _num(pr.placed),
                _pct(pr.rate),
                _num(pr.ratio),
                _mark(pr.flagged, pr.reference),
            ]
            for pr in pa.rows
        ]
        out.append((title, headers, rows))
    for t in audit.retention:
        title = f"고용유지 · 집단 {t.attribute}" if lang == "ko" else f"retention · by {t.attribute}"
        headers = ["group", "placements"]
        for mo in t.months:
            headers += [f"{mo}m retained/known", f"{mo}m rate", f"{mo}m ratio", ""]
        rows = []
        for rr in t.rows:
            row = [rr.label.get(lang), _num(rr.placements)]
            for c in rr.cells:
                row += [
                    f"{_num(c.retained)}/{_num(c.known)}",
                    _pct(c.rate),
                    _num(c.ratio),
                    _mark(c.flagged, c.reference),
                ]
            rows.append(row)
        out.append((title, headers, rows))
    if audit.protected:
        title = "보호 속성 사용" if lang == "ko" else "protected attributes"
        headers = ["rule", "pack", "declared", "used", "allowed", "statement"]
        rows = [
            [
                u.rule_id,
                f"{u.pack} {u.pack_version}",
                ", ".join(u.declared) or "-",
                ", ".join(u.used) or "-",
                ", ".join(u.allowed) or "-",
                u.statement.get(lang),
            ]
            for u in audit.protected
        ]
        out.append((title, headers, rows))
    return out


def _head(audit: FairnessAudit, lang: Lang) -> list[str]:
    who = audit.centre or audit.origin
    if lang == "ko":
        return [
            f"공정성 감사 · {who} · 기준일 {audit.as_of.isoformat()}",
            f"4/5 규칙 기준 {audit.threshold:g} (29 CFR 1607.4(D)) · 최소 셀 {audit.min_cell}"
            + (" · 공표용 (소규모 셀 비공개)" if audit.publish else " · 내부용 (비공개 처리 없음)"),
        ]
    return [
        f"fairness audit · {who} · as of {audit.as_of.isoformat()}",
        f"four-fifths threshold {audit.threshold:g} (29 CFR 1607.4(D)) · min cell {audit.min_cell}"
        + (" · published (small cells suppressed)" if audit.publish else " · internal (nothing suppressed)"),
    ]


def _flag_lines(audit: FairnessAudit, lang: Lang) -> list[str]:
    if not audit.flags:
        return ["표시된 항목 없음" if lang == "ko" else "nothing flagged"]
    head = f"표시 {len(audit.flags)}건:" if lang == "ko" else f"{len(audit.flags)} flag(s):"
    return [head] + [f"  ⚑ [{f.section}] {f.reason.get(lang)}" for f in audit.flags]


def render_table(audit: FairnessAudit, lang: Lang = "ko") -> str:
    """The audit as plain-text tables, then the flags and notes."""
    from employkit.cli._output import table

    lines = _head(audit, lang)
    for title, headers, rows in _tables(audit, lang):
        lines += ["", title, table(headers, rows, max_col=90)]
    lines += ["", *_flag_lines(audit, lang)]
    lines += [n.get(lang) for n in audit.notes]
    return "\n".join(lines) + "\n"


def render_html(audit: FairnessAudit, lang: Lang = "ko") -> str:
    """The audit as a standalone HTML page (flagged rows highlighted)."""
    esc = html.escape
    head = _head(audit, lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(head[0])}</title>',
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #bbb;padding:.25em .6em;text-align:right}td:first-child,th:first-child"
        "{text-align:left}tr.flag{background:#fde2e1}tr.ref{background:#e6f2e6}.flags li{color:#a00}</style>",
        "</head><body>",
        f"<h1>{esc(head[0])}</h1><p>{esc(head[1])}</p>",
    ]
    for title, headers, rows in _tables(audit, lang):
        parts.append(f"<h2>{esc(title)}</h2><table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr>")
        for row in rows:
            cls = ' class="flag"' if "⚑" in row else (' class="ref"' if "ref" in row else "")
            parts.append(f"<tr{cls}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    flag_head = "표시" if lang == "ko" else "Flags"
    parts.append(f'<h2>{flag_head}</h2><ul class="flags">')
    if audit.flags:
        parts += [f"<li>[{esc(f.section)}] {esc(f.reason.get(lang))}</li>" for f in audit.flags]
    else:
        parts.append(f"<li>{esc(_flag_lines(audit, lang)[0])}</li>")
    parts.append("</ul>")
    parts += [f"<p>{esc(n.get(lang))}</p>" for n in audit.notes]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
