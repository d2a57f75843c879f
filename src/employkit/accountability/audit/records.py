"""The fairness audit's results: flags and the rows of each section, with the parameters it reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from employkit.explain import ParameterUse
from employkit.labels import Text

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
