"""Populations and columns: what a KPI counts, and what it can be broken down by.

A :class:`Frame` is one KPI computation's view of a dataset: the records of each
**population** in the period (:data:`POPULATIONS`), and the value of any **column** of a
record. A column is

* a breakdown dimension (:data:`DIMENSIONS`): ``age_band``, ``wage_band``,
  ``occupation``, ``occupation_group``, ``residence``, ``resident``, ``month``,
  ``segment``, ``partner_agency``, ``employment_type``, ``gender``, ``industry``…;
* a derived value: ``age``, ``is_resident``, ``hires`` (placements into a vacancy);
* a field of the record (``monthly_wage``, ``via_referral``…), a key of its ``extra``
  columns, or a field of a linked record, dotted (``seeker.gender``,
  ``employer.partner``) or found by looking through the links (a placement's
  ``residence_code`` is its seeker's).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.errors import ConfigError
from employkit.labels import CodedEnum, Text
from employkit.metrics.scope import KpiScope, cache_of, scope_of

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.model import Centre, Placement, Seeker
    from employkit.rules import EvalContext

__all__ = ["DIMENSIONS", "POPULATIONS", "UNKNOWN", "Dimension", "Frame", "FrameBase", "Population", "Row"]

#: The cell key of records whose column has no value.
UNKNOWN = "unknown"


@frozen
class Row:
    """One record of a population, with the name of its table."""

    table: str
    record: Any


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
    """A breakdown column: a Korean and English title and how each record gets its cell."""

    name: str
    title: Text
    key: Callable[[Frame, Row], str | None]
    label: Callable[[FrameBase, str], Text] | None = None


class FrameBase(ABC):
    """What every view of the data shares, records or columns: the context, the scope, bands and cell labels.

    :class:`Frame` views a :class:`~employkit.dataset.Dataset` record by record;
    :class:`employkit.metrics.columnar.ColumnFrame` views DataFrames column by column.
    """

    def __init__(self, ctx: EvalContext, scope: KpiScope) -> None:
        self.ctx = ctx
        self.scope = scope
        self._bands: dict[str, list[Mapping[str, Any]]] = {}

    @property
    @abstractmethod
    def centre(self) -> Centre | None:
        """The centre the data describes (targets, budget, staff, region), if known."""

    @property
    def region_code(self) -> str | None:
        """The centre's region code (for ``resident``)."""
        centre = self.centre
        return centre.region_code if centre is not None else None

    @abstractmethod
    def outside_cohort(self) -> int:
        """Placements in the period whose seeker did not register in the period."""

    def label(self, column: str, key: str) -> Text:
        """The Korean and English label of a cell."""
        if key == UNKNOWN:
            return Text("미상", "unknown")
        dim = DIMENSIONS.get(column)
        if dim is not None and dim.label is not None:
            return dim.label(self, key)
        return Text(key, key)

    # ------------------------------------------------------------------ bands

    def bands(self, pid: str) -> Sequence[Mapping[str, Any]]:
        """The bands of a band parameter (``metrics.breakdown.age_bands``…), lowest first."""
        if pid not in self._bands:
            self._bands[pid] = sorted(self.ctx.param(pid), key=lambda b: b["min"])
        return self._bands[pid]

    def band_of(self, pid: str, value: float | None) -> str | None:
        """The key of the band holding ``value`` (the highest band whose ``min`` ≤ value)."""
        if value is None:
            return None
        found = None
        for band in self.bands(pid):
            if value >= band["min"]:
                found = str(band["key"])
        return found

    def band_label(self, pid: str, key: str) -> Text:
        """The label of a band."""
        for band in self.bands(pid):
            if str(band["key"]) == key:
                return Text(str(band.get("ko", key)), str(band.get("en", key)))
        return Text(key, key)

    def order(self, column: str, keys: Iterable[str]) -> list[str]:
        """Cells in reading order: bands by their bounds, other cells as strings, unknown last."""
        pid = _BAND_PARAMS.get(column)
        keys = list(keys)
        if pid is not None:
            rank = {str(b["key"]): n for n, b in enumerate(self.bands(pid))}
            return sorted(keys, key=lambda k: (k == UNKNOWN, rank.get(k, len(rank)), k))
        return sorted(keys, key=lambda k: (k == UNKNOWN, k))


class Frame(FrameBase):
    """One KPI computation's view of a dataset: populations, columns and parameters.

    Parameters are read through ``ctx.param`` so every value used is cited in the
    explanation; selections are cached for the whole report.
    """

    def __init__(self, data: Dataset, ctx: EvalContext) -> None:
        super().__init__(ctx, scope_of(ctx, data))
        self.data = data
        self._cache = cache_of(ctx)
        self._key = (id(data), self.scope.period, self.scope.observed_on)

    @property
    def centre(self) -> Centre | None:
        """The dataset's centre."""
        return self.data.centre

    # ------------------------------------------------------------------ shared caches

    def _cached(self, name: str, build: Callable[[], Any]) -> Any:
        key = (*self._key, name)
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    @property
    def placements_by_id(self) -> Mapping[str, Placement]:
        """Placements keyed by id."""
        result: Mapping[str, Placement] = self._cached(
            "placements_by_id", lambda: {p.placement_id: p for p in self.data.placements}
        )
        return result

    @property
    def placements_by_vacancy(self) -> Mapping[str, Sequence[Placement]]:
        """Placements that started by the observation date, by vacancy id."""

        def build() -> Mapping[str, list[Placement]]:
            out: dict[str, list[Placement]] = defaultdict(list)
            for p in self.data.placements:
                if p.vacancy_id is not None and p.start_date <= self.scope.observed_on:
                    out[p.vacancy_id].append(p)
            return out

        result: Mapping[str, Sequence[Placement]] = self._cached("placements_by_vacancy", build)
        return result

    def in_period(self, day: dt.date | None) -> bool:
        """Whether ``day`` is in the period and not after the observation date."""
        return day is not None and self.scope.period.start <= day <= self.scope.until

    # ------------------------------------------------------------------ populations

    def rows(self, population: str) -> Sequence[Row]:
        """The records of ``population`` in the period (raises :class:`ConfigError` if unknown)."""
        if population not in POPULATIONS:
            raise ConfigError(f"unknown population {population!r}; expected one of {', '.join(POPULATIONS)}")
        result: Sequence[Row] = self._cached(f"rows:{population}", lambda: self._select(population))
        return result

    def _select(self, population: str) -> list[Row]:
        d = self.data
        if population == "seekers":
            return [Row("seekers", s) for s in d.seekers if self.in_period(s.registered_on)]
        if population == "placements":
            return [Row("placements", p) for p in d.placements if self.in_period(p.start_date)]
        if population == "placed_seekers":
            cohort = {r.record.seeker_id for r in self.rows("seekers")}
            placed = {r.record.seeker_id for r in self.rows("placements")} & cohort
            return [r for r in self.rows("seekers") if r.record.seeker_id in placed]
        if population == "vacancies":
            return [Row("vacancies", v) for v in d.vacancies if self.in_period(v.posted_on)]
        if population == "employers":
            posting = {r.record.employer_id for r in self.rows("vacancies")}
            return [Row("employers", e) for e in d.employers if e.employer_id in posting]
        return [Row("followups", f) for f in d.followups if self.in_period(f.contacted_on)]

    def outside_cohort(self) -> int:
        """Placements in the period whose seeker did not register in the period."""
        cohort = {r.record.seeker_id for r in self.rows("seekers")}
        return sum(1 for r in self.rows("placements") if r.record.seeker_id not in cohort)

    # ------------------------------------------------------------------ links and columns

    def link(self, row: Row, name: str) -> Row | None:
        """The record ``name`` (seeker, employer, vacancy, placement) linked to ``row``."""
        rec = row.record
        if name == row.table.rstrip("s") or (name == "vacancy" and row.table == "vacancies"):
            return row
        if name == "seeker":
            sid = getattr(rec, "seeker_id", None)
            if sid is None and row.table == "followups":
                placed = self.link(row, "placement")
                return self.link(placed, "seeker") if placed else None
            seeker = self.data.seekers_by_id.get(sid) if sid is not None else None
            return Row("seekers", seeker) if seeker is not None else None
        if name == "employer":
            eid = getattr(rec, "employer_id", None)
            if eid is None and row.table == "followups":
                placed = self.link(row, "placement")
                return self.link(placed, "employer") if placed else None
            employer = self.data.employers_by_id.get(eid) if eid is not None else None
            return Row("employers", employer) if employer is not None else None
        if name == "vacancy":
            vid = getattr(rec, "vacancy_id", None)
            vacancy = self.data.vacancies_by_id.get(vid) if vid is not None else None
            return Row("vacancies", vacancy) if vacancy is not None else None
        if name == "placement" and row.table == "followups":
            placement = self.placements_by_id.get(rec.placement_id)
            return Row("placements", placement) if placement is not None else None
        return None

    def value(self, row: Row, column: str) -> Any:
        """The value of ``column`` for ``row`` (``None`` when it has none)."""
        derived = _DERIVED.get(column)
        if derived is not None:
            return derived(self, row)
        dim = DIMENSIONS.get(column)
        if dim is not None:
            return dim.key(self, row)
        return self.field(row, column)

    def field(self, row: Row, column: str) -> Any:
        """The stored value of ``column`` for ``row`` or a linked record (no derived columns)."""
        head, dot, rest = column.partition(".")
        if dot and head in _LINKS:
            linked = self.link(row, head)
            return self.value(linked, rest) if linked is not None else None
        for candidate in (row, *(self.link(row, n) for n in _LOOKUP.get(row.table, ()))):
            if candidate is None:
                continue
            rec = candidate.record
            if hasattr(rec, column) and column != "extra":
                return getattr(rec, column)
            extra = getattr(rec, "extra", None)
            if isinstance(extra, Mapping) and column in extra:
                return extra[column]
        return None

    def key(self, row: Row, column: str) -> str:
        """The breakdown cell of ``row`` for ``column``: a string, :data:`UNKNOWN` when empty."""
        dim = DIMENSIONS.get(column)
        raw = dim.key(self, row) if dim is not None else self.value(row, column)
        return _as_key(raw)

    def known_column(self, column: str) -> bool:
        """Whether ``column`` names a dimension, a derived value or a record field anywhere."""
        if column in DIMENSIONS or column in _DERIVED:
            return True
        head, dot, rest = column.partition(".")
        if dot and head in _LINKS:
            return bool(rest)
        for records in (
            self.data.seekers,
            self.data.placements,
            self.data.vacancies,
            self.data.employers,
            self.data.followups,
        ):
            for rec in records[:1]:
                if hasattr(rec, column):
                    return True
            if any(column in getattr(r, "extra", {}) for r in records[:200]):
                return True
        return False


def _as_key(raw: Any) -> str:
    if raw is None or raw == "":
        return UNKNOWN
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, CodedEnum):
        return raw.code
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, frozenset | set | tuple | list):
        return "+".join(sorted(_as_key(v) for v in raw)) or UNKNOWN
    return str(raw)


_LINKS = ("seeker", "employer", "vacancy", "placement")
_LOOKUP: Mapping[str, tuple[str, ...]] = {
    "placements": ("seeker", "vacancy", "employer"),
    "vacancies": ("employer",),
    "followups": ("placement", "seeker", "employer"),
    "seekers": (),
    "employers": (),
}
_DATE_OF: Mapping[str, str] = {
    "seekers": "registered_on",
    "placements": "start_date",
    "vacancies": "posted_on",
    "followups": "contacted_on",
}


def _reference_day(frame: Frame, row: Row) -> dt.date | None:
    """The day a record's age is counted on: registration for seekers, start for placements."""
    if row.table == "seekers":
        return row.record.registered_on  # type: ignore[no-any-return]
    if row.table == "placements":
        return row.record.start_date  # type: ignore[no-any-return]
    if row.table == "followups":
        placed = frame.link(row, "placement")
        return placed.record.start_date if placed else None
    return None


def _age(frame: Frame, row: Row) -> int | None:
    day = _reference_day(frame, row)
    seeker = frame.link(row, "seeker")
    if day is None or seeker is None:
        return None
    rec: Seeker = seeker.record
    return rec.age_on(day)


def _is_resident(frame: Frame, row: Row) -> bool | None:
    region = frame.region_code
    seeker = frame.link(row, "seeker")
    if region is None or seeker is None:
        return None
    from employkit.codes import in_region  # the current codes: a 45710 seeker lives in a 52710 centre

    return in_region(str(seeker.record.residence_code), region)


def _hires(frame: Frame, row: Row) -> int | None:
    if row.table != "vacancies":
        return None
    placed = frame.placements_by_vacancy.get(row.record.vacancy_id, ())
    return min(len(placed), int(row.record.openings))


def _wage(frame: Frame, row: Row) -> int | None:
    field = {"placements": "monthly_wage", "vacancies": "offered_wage", "seekers": "desired_wage"}.get(row.table)
    if field is None:
        placed = frame.link(row, "placement")
        return _wage(frame, placed) if placed else None
    return getattr(row.record, field)  # type: ignore[no-any-return]


def _occupation(frame: Frame, row: Row) -> str | None:
    field = {"placements": "occupation", "vacancies": "occupation", "seekers": "desired_occupation"}.get(row.table)
    if field is None:
        placed = frame.link(row, "placement")
        return _occupation(frame, placed) if placed else None
    code = getattr(row.record, field)
    if code is None and row.table == "placements":
        vacancy = frame.link(row, "vacancy")
        code = vacancy.record.occupation if vacancy else None
    return code  # type: ignore[no-any-return]


_DERIVED: Mapping[str, Callable[[Frame, Row], Any]] = {
    "age": _age,
    "is_resident": _is_resident,
    "hires": _hires,
    "wage": _wage,
}


def _band_key(pid: str, value_of: Callable[[Frame, Row], float | None]) -> Callable[[Frame, Row], str | None]:
    def key(frame: Frame, row: Row) -> str | None:
        return frame.band_of(pid, value_of(frame, row))

    return key


def _band_label(pid: str) -> Callable[[FrameBase, str], Text]:
    def label(frame: FrameBase, key: str) -> Text:
        return frame.band_label(pid, key)

    return label


def _occupation_label(_frame: FrameBase, key: str) -> Text:
    from employkit.codes import occupations

    known = occupations().get(key)
    return Text(known.name_ko, known.name_en) if known else Text(key, key)


def _region_label(_frame: FrameBase, key: str) -> Text:
    from employkit.codes import region_name

    try:
        return Text(region_name(key, "ko"), region_name(key, "en"))
    except (KeyError, ValueError):
        return Text(key, key)


def _month(frame: Frame, row: Row) -> str | None:
    field = _DATE_OF.get(row.table)
    day = getattr(row.record, field) if field else None
    return day.strftime("%Y-%m") if isinstance(day, dt.date) else None


def _segment(frame: Frame, row: Row) -> str | None:
    segments = frame.scope.segments
    seeker = frame.link(row, "seeker")
    if segments is None or seeker is None:
        return None
    return segments.get(seeker.record.seeker_id)


def _enum_label(enum: type[CodedEnum]) -> Callable[[FrameBase, str], Text]:
    def label(_frame: FrameBase, key: str) -> Text:
        try:
            return enum.parse(key).label
        except ValueError:
            return Text(key, key)

    return label


def _employment_type(frame: Frame, row: Row) -> str | None:
    value = frame.field(row, "employment_type")
    return value.code if isinstance(value, CodedEnum) else None


def _gender(frame: Frame, row: Row) -> str | None:
    seeker = frame.link(row, "seeker")
    gender = seeker.record.gender if seeker else None
    return gender.code if gender is not None else None


def _partner_agency(frame: Frame, row: Row) -> str | None:
    for candidate in (row, frame.link(row, "seeker"), frame.link(row, "placement")):
        if candidate is None:
            continue
        extra = getattr(candidate.record, "extra", {})
        if extra.get("partner_agency"):
            return str(extra["partner_agency"])
    return None


def _residence(frame: Frame, row: Row) -> str | None:
    seeker = frame.link(row, "seeker")
    return str(seeker.record.residence_code)[:5] if seeker else None


def _resident(frame: Frame, row: Row) -> str | None:
    flag = _is_resident(frame, row)
    return None if flag is None else ("resident" if flag else "non_resident")


def _occupation_group(frame: Frame, row: Row) -> str | None:
    code = _occupation(frame, row)
    return code[:2] if code else None


def _industry(frame: Frame, row: Row) -> str | None:
    employer = frame.link(row, "employer")
    industry = employer.record.industry if employer is not None else None
    return str(industry) if industry else None


_RESIDENT_LABELS = {"resident": Text("관내 주민", "resident"), "non_resident": Text("관외", "non-resident")}


def _from_enum_module() -> tuple[type[CodedEnum], type[CodedEnum]]:
    from employkit.model import EmploymentType, Gender

    return EmploymentType, Gender


_ET, _GENDER = _from_enum_module()

_BAND_PARAMS: Mapping[str, str] = {
    "age_band": "metrics.breakdown.age_bands",
    "wage_band": "metrics.breakdown.wage_bands",
}

#: The breakdown dimensions every KPI understands (any other column works too).
DIMENSIONS: Mapping[str, Dimension] = {
    d.name: d
    for d in (
        Dimension(
            "age_band",
            Text("연령대", "age band"),
            _band_key("metrics.breakdown.age_bands", _age),
            _band_label("metrics.breakdown.age_bands"),
        ),
        Dimension(
            "wage_band",
            Text("급여 구간", "monthly wage band"),
            _band_key("metrics.breakdown.wage_bands", _wage),
            _band_label("metrics.breakdown.wage_bands"),
        ),
        Dimension("occupation", Text("직종", "occupation"), _occupation, _occupation_label),
        Dimension(
            "occupation_group",
            Text("직종 중분류", "occupation group"),
            _occupation_group,
            _occupation_label,
        ),
        Dimension("residence", Text("거주지", "residence"), _residence, _region_label),
        Dimension("resident", Text("주민 여부", "residents"), _resident, lambda _f, k: _RESIDENT_LABELS[k]),
        Dimension("month", Text("월", "month"), _month),
        Dimension("segment", Text("세그먼트", "segment"), _segment),
        Dimension("partner_agency", Text("협력기관", "partner agency"), _partner_agency),
        Dimension("employment_type", Text("고용형태", "employment type"), _employment_type, _enum_label(_ET)),
        Dimension("gender", Text("성별", "gender"), _gender, _enum_label(_GENDER)),
        Dimension(
            "industry",
            Text("업종", "industry"),
            _industry,
        ),
    )
}
