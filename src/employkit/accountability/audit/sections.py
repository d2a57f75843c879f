"""The four sections of the fairness audit: profiling, matching, placement and follow-up."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from employkit.accountability.audit.groups import _flag, _group_label, _order, _ratio_flags, group_key
from employkit.accountability.audit.records import (
    PROTECTED_OF,
    ExposureRow,
    Flag,
    MatchingAudit,
    PlacementAudit,
    PlacementRow,
    ProfilingAudit,
    RetentionAudit,
    RetentionCell,
    RetentionRow,
    SegmentRow,
)
from employkit.labels import Text
from employkit.metrics.suppress import is_small
from employkit.profiling.base import PROTECTED_ATTRIBUTES, SeekerProfile, Segment

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.rules import EvalContext, RuleSystem


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
