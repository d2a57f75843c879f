"""What a KPI counts and what it can be broken down by: populations and breakdown columns.

A KPI counts the rows of a **population** in the period (:data:`POPULATIONS`) and may
break them down by a **column** (:data:`DIMENSIONS` lists the named breakdowns; any other
column works too). A column is

* a breakdown dimension: ``age_band``, ``wage_band``, ``occupation``,
  ``occupation_group``, ``residence``, ``resident``, ``month``, ``segment``,
  ``partner_agency``, ``employment_type``, ``gender``, ``industry``;
* a derived value (:data:`DERIVED`): ``age``, ``is_resident``, ``hires`` (placements into
  a vacancy), ``wage``;
* a stored column of the row's table, one of its records' attributes (``born``), an
  extra column, or a column of a linked row, dotted (``seeker.gender``,
  ``employer.partner``) or found by looking through the links (a placement's
  ``residence_code`` is its seeker's).

How each is computed on columns is in :mod:`employkit.metrics.columnar` and
:mod:`employkit.metrics.derived`; this module holds the names, titles and cell labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.labels import CodedEnum, Text

if TYPE_CHECKING:
    from employkit.metrics.columnar import ColumnFrame

__all__ = ["DERIVED", "DIMENSIONS", "POPULATIONS", "UNKNOWN", "Dimension", "Population"]

#: The cell key of rows whose column has no value.
UNKNOWN = "unknown"


@frozen
class Population:
    """A set of records a KPI counts: a table, and which of its records are in the period."""

    name: str
    table: str
    title: Text
    rule: Text  # how records are selected, for explanations


#: The populations measures can count.
POPULATIONS: Mapping[str, Population] = {
    p.name: p
    for p in (
        Population(
            "seekers", "seekers", Text("구직자", "seekers"), Text("기간 중 구직등록", "registered in the period")
        ),
        Population(
            "placements",
            "placements",
            Text("취업자", "placements"),
            Text("기간 중 취업(입사일 기준)", "started work in the period"),
        ),
        Population(
            "placed_seekers",
            "seekers",
            Text("취업한 구직자", "placed seekers"),
            Text(
                "기간 중 구직등록하고 기간 중 취업한 구직자",
                "registered in the period and placed in the period (a cohort)",
            ),
        ),
        Population(
            "vacancies", "vacancies", Text("구인", "vacancies"), Text("기간 중 구인 등록", "posted in the period")
        ),
        Population(
            "employers",
            "employers",
            Text("구인처", "employers"),
            Text("기간 중 구인을 등록한 기업", "posted a vacancy in the period"),
        ),
        Population(
            "followups",
            "followups",
            Text("사후관리 연락", "follow-up contacts"),
            Text("기간 중 연락", "contacted in the period"),
        ),
    )
}


@frozen
class Dimension:
    """A breakdown column: a Korean and English title and how a cell key reads."""

    name: str
    title: Text
    label: Callable[[ColumnFrame, str], Text] | None = None


def as_key(raw: Any) -> str:
    """The breakdown cell key of a value: a string, :data:`UNKNOWN` when empty."""
    if raw is None or raw == "":
        return UNKNOWN
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, CodedEnum):
        return raw.code
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, frozenset | set | tuple | list):
        return "+".join(sorted(as_key(v) for v in raw)) or UNKNOWN
    return str(raw)


#: Links a dotted column may name.
LINKS = ("seeker", "employer", "vacancy", "placement")
#: Where a column that is not a table's own is looked for, in order.
LOOKUP: Mapping[str, tuple[str, ...]] = {
    "placements": ("seeker", "vacancy", "employer"),
    "vacancies": ("employer",),
    "followups": ("placement", "seeker", "employer"),
    "seekers": (),
    "employers": (),
}
#: The day of a row of each table (registration, start, posting, contact).
DATE_OF: Mapping[str, str] = {
    "seekers": "registered_on",
    "placements": "start_date",
    "vacancies": "posted_on",
    "followups": "contacted_on",
}
#: Derived values, computed from several columns.
DERIVED = frozenset({"age", "is_resident", "hires", "wage"})
#: The band parameter of each banded dimension.
BAND_PARAMS: Mapping[str, str] = {
    "age_band": "metrics.breakdown.age_bands",
    "wage_band": "metrics.breakdown.wage_bands",
}


def _band_label(pid: str) -> Callable[[ColumnFrame, str], Text]:
    def label(frame: ColumnFrame, key: str) -> Text:
        return frame.band_label(pid, key)

    return label


def _occupation_label(_frame: ColumnFrame, key: str) -> Text:
    from employkit.codes import occupations

    known = occupations().get(key)
    return Text(known.name_ko, known.name_en) if known else Text(key, key)


def _region_label(_frame: ColumnFrame, key: str) -> Text:
    from employkit.codes import region_name

    try:
        return Text(region_name(key, "ko"), region_name(key, "en"))
    except (KeyError, ValueError):
        return Text(key, key)


def _enum_label(enum: type[CodedEnum]) -> Callable[[ColumnFrame, str], Text]:
    def label(_frame: ColumnFrame, key: str) -> Text:
        try:
            return enum.parse(key).label
        except ValueError:
            return Text(key, key)

    return label


_RESIDENT_LABELS = {"resident": Text("관내 주민", "resident"), "non_resident": Text("관외", "non-resident")}


def _enums() -> tuple[type[CodedEnum], type[CodedEnum]]:
    from employkit.model import EmploymentType, Gender

    return EmploymentType, Gender


_ET, _GENDER = _enums()

#: The breakdown dimensions every KPI understands (any other column works too).
DIMENSIONS: Mapping[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("age_band", Text("연령대", "age band"), _band_label("metrics.breakdown.age_bands")),
        Dimension("wage_band", Text("급여 구간", "monthly wage band"), _band_label("metrics.breakdown.wage_bands")),
        Dimension("occupation", Text("직종", "occupation"), _occupation_label),
        Dimension("occupation_group", Text("직종 중분류", "occupation group"), _occupation_label),
        Dimension("residence", Text("거주지", "residence"), _region_label),
        Dimension("resident", Text("주민 여부", "residents"), lambda _f, k: _RESIDENT_LABELS[k]),
        Dimension("month", Text("월", "month")),
        Dimension("segment", Text("세그먼트", "segment")),
        Dimension("partner_agency", Text("협력기관", "partner agency")),
        Dimension("employment_type", Text("고용형태", "employment type"), _enum_label(_ET)),
        Dimension("gender", Text("성별", "gender"), _enum_label(_GENDER)),
        Dimension("industry", Text("업종", "industry")),
    )
}
