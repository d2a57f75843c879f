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
so a group's rate is the KPI's rate on that group; the ratio to the best group is flagged
below the threshold. This is
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

The audit as data: :func:`to_data` (JSON). As text and HTML: :func:`employkit.render.audit.render_table`
and :func:`~employkit.render.audit.render_html`.

The package's modules: :mod:`~.records` (the results), :mod:`~.groups` (grouping seekers, ratio
flags), :mod:`~.sections` (the four sections), :mod:`~.protected` (which rules read which
protected attribute).

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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from employkit._moved import forward
from employkit.accountability.audit.groups import _age_bands, _check_column, _kpi_column, group_key
from employkit.accountability.audit.protected import _protected
from employkit.accountability.audit.records import (
    AGE_BANDS,
    DEFAULT_BY,
    FAVOURABLE,
    MIN_CELL,
    MONTHS,
    PROTECTED_OF,
    SECTIONS,
    THRESHOLD,
    TOP_K,
    ExposureRow,
    FairnessAudit,
    Flag,
    MatchingAudit,
    PlacementAudit,
    PlacementRow,
    ProfilingAudit,
    ProtectedUse,
    RetentionAudit,
    RetentionCell,
    RetentionRow,
    SegmentRow,
)
from employkit.accountability.audit.sections import _favourable, _matching, _placement, _profiling, _retention
from employkit.accountability.decisions import plain
from employkit.errors import ConfigError
from employkit.labels import Text
from employkit.profiling.base import SeekerProfile

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.rules import RuleSystem


__all__ = [
    "DEFAULT_BY",
    "PROTECTED_OF",
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
    "to_data",
]


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


# ---------------------------------------------------------------------- data


def to_data(audit: FairnessAudit) -> dict[str, Any]:
    """The audit as JSON-ready data (``audit.json``)."""
    data: dict[str, Any] = plain(audit)
    data["flag_count"] = len(audit.flags)
    return data


# render_table and render_html moved to employkit.render.audit; the old names warn until 0.3.
__getattr__ = forward(__name__, "employkit.render.audit")
