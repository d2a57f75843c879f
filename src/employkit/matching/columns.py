"""Seekers and vacancies as columns: the one form every matching path scores.

A national run has hundreds of thousands of seekers; building a
:class:`~employkit.model.Seeker` per row only to read a few fields back is most of the
cost. :class:`SeekerTable` and :class:`VacancyTable` hold one numpy array per field
(the columns of :mod:`employkit.sources.schema`, plus ``latitude``, ``longitude`` and,
for vacancies, ``optional_skills``; any other column is kept in ``extra``). They are
built from

* a mapping of arrays (:meth:`SeekerTable.from_columns`) — numpy arrays, lists, pandas
  Series or Arrow arrays, one per column, English or Korean column names;
* a pandas DataFrame (:meth:`SeekerTable.from_frame`, the layout of
  :func:`employkit.frames.to_frames`);
* an Arrow table (:meth:`SeekerTable.from_arrow`; needs ``pyarrow``, which employkit
  does not install — pass a table you already have);
* records (:meth:`SeekerTable.from_records`), which the table keeps and hands back; one
  pair scored alone is a table of one row on each side.

A component reads the fields it declares through :meth:`SeekerTable.field_values` (the
arrays its kernel gets) and a renderer reads one pair's fields through
:meth:`SeekerTable.row` (Python values). A field that is not a column of the table is
read from the ``extra`` columns, else from the records (an attribute, else
``record.extra``).

>>> import datetime as dt
>>> import numpy as np
>>> from employkit.matching.batch import BatchScorer
>>> from employkit.matching.scoring import Matcher
>>> from employkit.testing import make_system
>>> seekers = SeekerTable.from_columns({
...     "seeker_id": ["S1", "S2"], "residence_code": ["11140", "26110"],
...     "registered_on": np.array(["2016-01-04", "2016-01-05"], dtype="datetime64[D]"),
...     "desired_occupation": ["5611", "0295"], "desired_wage": [1_500_000, 2_000_000]})
>>> vacancies = VacancyTable.from_columns({
...     "vacancy_id": ["V1"], "employer_id": ["E1"], "occupation": ["5611"], "openings": [2],
...     "employment_type": ["regular"], "region_code": ["11140"], "posted_on": ["2016-01-04"],
...     "offered_wage": [1_350_000]})
>>> matcher = Matcher(make_system(), dt.date(2016, 2, 1))
>>> batch = BatchScorer(matcher, seekers, vacancies)
>>> totals, eligible = batch.scores()
>>> round(float(totals[0, 0]), 4), round(matcher.score(seekers.record(0), vacancies.record(0)).total, 4)
(0.8889, 0.8889)
>>> seekers.row(0, dt.date(2016, 2, 1))["desired_wage"]
1500000
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from employkit.errors import DataError, Problem
from employkit.matching import cells
from employkit.matching.fields import FieldTable, Row, coordinates, extra_columns, not_required, optional_skills
from employkit.model import Gender, Intake, Seeker, SeekerGroup, Vacancy

__all__ = [
    "Row",
    "SeekerTable",
    "VacancyTable",
    "as_seeker_table",
    "as_vacancy_table",
    "coordinates",
    "optional_skills",
]


def _arr(value: Any) -> NDArray[Any]:
    return np.asarray(value)


def _keep(value: Any) -> Any:
    return value


_SEEKER_ARRAYS = (
    "seeker_id",
    "residence_code",
    "registered_on",
    "birth_year",
    "birth_date",
    "desired_occupation",
    "desired_wage",
    "desired_hours",
    "employment_types",
    "mobile",
    "skills",
    "certificates",
    "latitude",
    "longitude",
)

_VACANCY_ARRAYS = (
    "vacancy_id",
    "employer_id",
    "occupation",
    "openings",
    "employment_type",
    "region_code",
    "posted_on",
    "closes_on",
    "offered_wage",
    "hours_per_week",
    "min_age",
    "max_age",
    "required_skills",
    "required_certificates",
    "optional_skills",
    "latitude",
    "longitude",
)


# --------------------------------------------------------------------------- seekers


@frozen(kw_only=True, eq=False)
class SeekerTable(FieldTable):
    """Seekers as columns: one numpy array per field, one row per seeker.

    Missing values: ``None`` in text columns, NaN in number columns, NaT in dates,
    ``-1`` in ``mobile`` (not asked), an empty set in ``skills`` / ``certificates``,
    ``0`` in ``employment_types`` (a bit mask over :class:`~employkit.model.EmploymentType`
    in declaration order: none listed, any accepted). ``latitude`` / ``longitude`` are
    the coordinates the place component reads from a record's extra columns. ``gender``
    and ``groups`` (optional) are kept for pack components that read them.

    A record built from the columns (:meth:`record`) carries these fields only — the
    intake answers other than mobility, for instance, are not kept; a pack component
    that reads other fields needs a table built from records (:meth:`from_records`).
    """

    ARRAYS = _SEEKER_ARRAYS
    OPTIONAL = ("gender", "groups")
    TABLE = "seekers"

    seeker_id: NDArray[np.object_] = field(converter=_arr)
    residence_code: NDArray[np.object_] = field(converter=_arr)
    registered_on: NDArray[np.datetime64] = field(converter=_arr)
    birth_year: NDArray[np.float64] = field(converter=_arr)
    birth_date: NDArray[np.datetime64] = field(converter=_arr)
    desired_occupation: NDArray[np.object_] = field(converter=_arr)
    desired_wage: NDArray[np.float64] = field(converter=_arr)
    desired_hours: NDArray[np.float64] = field(converter=_arr)
    employment_types: NDArray[np.int64] = field(converter=_arr)
    mobile: NDArray[np.int8] = field(converter=_arr)
    skills: NDArray[np.object_] = field(converter=_arr)
    certificates: NDArray[np.object_] = field(converter=_arr)
    latitude: NDArray[np.float64] = field(converter=_arr)
    longitude: NDArray[np.float64] = field(converter=_arr)
    gender: NDArray[np.object_] | None = field(default=None)
    groups: NDArray[np.object_] | None = field(default=None)
    extra: Mapping[str, NDArray[Any]] = field(factory=dict)
    records: Sequence[Seeker] | None = field(default=None, converter=_keep)
    _cache: dict[str, NDArray[Any]] = field(factory=dict, init=False, repr=False)

    @classmethod
    def from_columns(cls, columns: Mapping[str, Any]) -> SeekerTable:
        """Build from one array per column (English or Korean schema names).

        Required: ``seeker_id``, ``residence_code``, ``registered_on``. Raises
        :class:`~employkit.errors.DataError` listing every bad cell (row 1 = the first).
        """
        src = cells.Source(columns, "seekers")
        n = src.n
        problems: list[Problem] = []
        t = "seekers"
        ids = cells.text(src.need("seeker_id", "text", problems))
        cells.check_codes(ids, "seeker_id", lambda _c: True, "", problems, t, required=True)
        residence = cells.text(src.need("residence_code", "text", problems))
        cells.check_codes(
            residence,
            "residence_code",
            cells.region_ok,
            "not a region code of 2, 5, 8 or 10 digits",
            problems,
            t,
            required=True,
        )
        registered = cells.dates(
            src.need("registered_on", "date", problems), "registered_on", problems, t, required=True
        )
        raw = src.get("birth_year", "int")
        birth_year = np.full(n, np.nan) if raw is None else cells.floats(raw, "birth_year", problems, t)
        cells.range_check(
            birth_year,
            "birth_year",
            ~np.isnan(birth_year) & ((birth_year < 1900) | (birth_year > 2100)),
            "birth year out of range",
            problems,
            t,
        )
        raw = src.get("birth_date", "date")
        birth_date = np.full(n, cells.NAT) if raw is None else cells.dates(raw, "birth_date", problems, t)
        both = ~np.isnan(birth_year) & ~np.isnat(birth_date)
        if both.any():
            years = birth_date.astype("datetime64[Y]").astype(np.int64) + 1970
            cells.range_check(
                birth_year,
                "birth_year",
                both & (years != birth_year),
                "birth_year and birth_date disagree",
                problems,
                t,
            )
        raw = src.get("desired_occupation", "text")
        occupation = np.full(n, None, dtype=object) if raw is None else cells.text(raw)
        cells.check_codes(
            occupation,
            "desired_occupation",
            cells.occupation_ok,
            "not a KECO code of 1 to 6 digits",
            problems,
            t,
            required=False,
        )
        raw = src.get("desired_wage", "float")
        wage = np.full(n, np.nan) if raw is None else cells.floats(raw, "desired_wage", problems, t)
        cells.range_check(wage, "desired_wage", wage < 0, "must not be negative", problems, t)
        raw = src.get("desired_hours", "float")
        hours = np.full(n, np.nan) if raw is None else cells.floats(raw, "desired_hours", problems, t)
        cells.range_check(
            hours, "desired_hours", (hours <= 0) | (hours > 168), "must be between 0 and 168 hours a week", problems, t
        )
        raw = src.get("employment_types", "text")
        types = np.zeros(n, dtype=np.int64) if raw is None else cells.type_masks(raw, "employment_types", problems, t)
        raw = src.get("mobile", "bool")
        mobile = np.full(n, -1, dtype=np.int8) if raw is None else cells.tristate(raw, "mobile", problems, t)
        raw = src.get("skills", "text")
        skills = np.full(n, cells.EMPTY, dtype=object) if raw is None else cells.sets(raw)
        raw = src.get("certificates", "text")
        certs = np.full(n, cells.EMPTY, dtype=object) if raw is None else cells.sets(raw)
        raw = src.get("latitude", "float")
        lat = np.full(n, np.nan) if raw is None else cells.floats(raw, "latitude", problems, t)
        raw = src.get("longitude", "float")
        lon = np.full(n, np.nan) if raw is None else cells.floats(raw, "longitude", problems, t)
        raw = src.get("gender", "text")
        gender = None if raw is None else cells.enums(raw, Gender, "gender", problems, t)
        raw = src.get("groups", "text")
        groups = None if raw is None else cells.enum_sets(raw, SeekerGroup, "groups", problems, t)
        if problems:
            raise DataError(problems, "invalid seeker columns")
        return cls(
            seeker_id=ids,
            residence_code=residence,
            registered_on=registered,
            birth_year=birth_year,
            birth_date=birth_date,
            desired_occupation=occupation,
            desired_wage=wage,
            desired_hours=hours,
            employment_types=types,
            mobile=mobile,
            skills=skills,
            certificates=certs,
            latitude=lat,
            longitude=lon,
            gender=gender,
            groups=groups,
            extra=extra_columns(src, (*_SEEKER_ARRAYS, *cls.OPTIONAL)),
        )

    @classmethod
    def from_frame(cls, frame: Any) -> SeekerTable:
        """Build from a pandas DataFrame (columns as in :func:`employkit.frames.to_frames`)."""
        return cls.from_columns({str(k): frame[k] for k in frame.columns})

    @classmethod
    def from_arrow(cls, table: Any) -> SeekerTable:
        """Build from a ``pyarrow.Table`` (its columns by name)."""
        return cls.from_columns({name: table.column(name) for name in table.column_names})

    @classmethod
    def from_records(cls, seekers: Sequence[Seeker]) -> SeekerTable:
        """The columns of ``seekers``; :meth:`record` then returns the original records."""
        n = len(seekers)
        coords = [coordinates(s.extra) for s in seekers]
        return cls(
            seeker_id=np.array([s.seeker_id for s in seekers], dtype=object),
            residence_code=np.array([s.residence_code for s in seekers], dtype=object),
            registered_on=np.array([np.datetime64(s.registered_on, "D") for s in seekers], dtype="datetime64[D]")
            if n
            else np.zeros(0, dtype="datetime64[D]"),
            birth_year=np.array([np.nan if s.birth_year is None else s.birth_year for s in seekers], dtype=float),
            birth_date=np.array(
                [cells.NAT if s.birth_date is None else np.datetime64(s.birth_date, "D") for s in seekers],
                dtype="datetime64[D]",
            ),
            desired_occupation=np.array([s.desired_occupation for s in seekers], dtype=object),
            desired_wage=np.array([np.nan if s.desired_wage is None else s.desired_wage for s in seekers], dtype=float),
            desired_hours=np.array(
                [np.nan if s.desired_hours is None else s.desired_hours for s in seekers], dtype=float
            ),
            employment_types=np.array(
                [sum(1 << cells.TYPES.index(t) for t in s.employment_types) for s in seekers], dtype=np.int64
            ),
            mobile=np.array([-1 if s.intake.mobile is None else int(s.intake.mobile) for s in seekers], dtype=np.int8),
            skills=cells.object_array([s.skills for s in seekers]),
            certificates=cells.object_array([s.certificates for s in seekers]),
            latitude=np.array([np.nan if c is None else c[0] for c in coords], dtype=float),
            longitude=np.array([np.nan if c is None else c[1] for c in coords], dtype=float),
            gender=cells.object_array([s.gender for s in seekers]),
            groups=cells.object_array([s.groups for s in seekers]),
            records=seekers,
        )

    def ages(self, day: dt.date, index: NDArray[np.intp] | None = None) -> NDArray[np.float64]:
        """Age in whole years on ``day`` (:func:`employkit.model.ages_on`; NaN when unknown), of the rows ``index``."""
        from employkit.model import age_in_years, ages_on

        if index is None and len(self.birth_year) == 1:  # one seeker: the same rule on Python numbers
            born_on = cells.day(self.birth_date[0])
            if born_on is not None:
                age = age_in_years(day.year, day.month, day.day, born_on.year, born_on.month, born_on.day)
                return np.array([age], dtype=np.float64)
            return np.array([day.year - self.birth_year[0]], dtype=np.float64)
        born, year = (
            (self.birth_date, self.birth_year) if index is None else (self.birth_date[index], self.birth_year[index])
        )
        days = np.full(len(year), np.datetime64(day, "D"))
        result: NDArray[np.float64] = ages_on(days, born, year)
        return result

    def record(self, i: int) -> Seeker:
        """Row ``i`` as a :class:`~employkit.model.Seeker` (the original record when built from records)."""
        if self.records is not None:
            return self.records[i]
        extra: dict[str, Any] = {}
        if not (math.isnan(self.latitude[i]) or math.isnan(self.longitude[i])):
            extra = {"latitude": float(self.latitude[i]), "longitude": float(self.longitude[i])}
        mobile = int(self.mobile[i])
        mask = int(self.employment_types[i])
        try:
            return Seeker(
                seeker_id=str(self.seeker_id[i]),
                residence_code=str(self.residence_code[i]),
                registered_on=cells.day(self.registered_on[i]) or cells.EPOCH,
                birth_year=cells.int_or_none(float(self.birth_year[i])),
                birth_date=cells.day(self.birth_date[i]),
                desired_occupation=self.desired_occupation[i],
                desired_wage=cells.int_or_none(float(self.desired_wage[i])),
                desired_hours=cells.float_or_none(float(self.desired_hours[i])),
                employment_types=frozenset(t for b, t in enumerate(cells.TYPES) if mask >> b & 1),
                intake=Intake(mobile=None if mobile < 0 else bool(mobile)),
                skills=self.skills[i],
                certificates=self.certificates[i],
                gender=None if self.gender is None else self.gender[i],
                groups=frozenset() if self.groups is None else self.groups[i],
                extra=extra,
            )
        except ValueError as exc:
            raise DataError([Problem(str(exc), table="seekers", row=i + 1)], "invalid seeker row") from None


# --------------------------------------------------------------------------- vacancies


@frozen(kw_only=True, eq=False)
class VacancyTable(FieldTable):
    """Vacancies as columns: one numpy array per field, one row per vacancy.

    ``employment_type`` is the index of the type in :class:`~employkit.model.EmploymentType`
    (declaration order); ``optional_skills`` are the preferred skills a record keeps in
    ``extra["optional_skills"]``. Missing values as in :class:`SeekerTable`.
    """

    ARRAYS = _VACANCY_ARRAYS
    TABLE = "vacancies"

    vacancy_id: NDArray[np.object_] = field(converter=_arr)
    employer_id: NDArray[np.object_] = field(converter=_arr)
    occupation: NDArray[np.object_] = field(converter=_arr)
    openings: NDArray[np.int64] = field(converter=_arr)
    employment_type: NDArray[np.int8] = field(converter=_arr)
    region_code: NDArray[np.object_] = field(converter=_arr)
    posted_on: NDArray[np.datetime64] = field(converter=_arr)
    closes_on: NDArray[np.datetime64] = field(converter=_arr)
    offered_wage: NDArray[np.float64] = field(converter=_arr)
    hours_per_week: NDArray[np.float64] = field(converter=_arr)
    min_age: NDArray[np.float64] = field(converter=_arr)
    max_age: NDArray[np.float64] = field(converter=_arr)
    required_skills: NDArray[np.object_] = field(converter=_arr)
    required_certificates: NDArray[np.object_] = field(converter=_arr)
    optional_skills: NDArray[np.object_] = field(converter=_arr)
    latitude: NDArray[np.float64] = field(converter=_arr)
    longitude: NDArray[np.float64] = field(converter=_arr)
    extra: Mapping[str, NDArray[Any]] = field(factory=dict)
    records: Sequence[Vacancy] | None = field(default=None, converter=_keep)
    _cache: dict[str, NDArray[Any]] = field(factory=dict, init=False, repr=False)

    @classmethod
    def from_columns(cls, columns: Mapping[str, Any]) -> VacancyTable:
        """Build from one array per column (English or Korean schema names).

        Required: ``vacancy_id``, ``employer_id``, ``occupation``, ``openings``,
        ``employment_type`` (codes or labels), ``region_code``, ``posted_on``. Raises
        :class:`~employkit.errors.DataError` listing every bad cell.
        """
        src = cells.Source(columns, "vacancies")
        n = src.n
        problems: list[Problem] = []
        t = "vacancies"
        ids = cells.text(src.need("vacancy_id", "text", problems))
        cells.check_codes(ids, "vacancy_id", lambda _c: True, "", problems, t, required=True)
        employer = cells.text(src.need("employer_id", "text", problems))
        cells.check_codes(employer, "employer_id", lambda _c: True, "", problems, t, required=True)
        occupation = cells.text(src.need("occupation", "text", problems))
        cells.check_codes(
            occupation,
            "occupation",
            cells.occupation_ok,
            "not a KECO code of 1 to 6 digits",
            problems,
            t,
            required=True,
        )
        openings_f = cells.floats(src.need("openings", "int", problems), "openings", problems, t)
        cells.range_check(
            openings_f,
            "openings",
            ~(openings_f >= 1) | (openings_f != np.floor(openings_f)),
            "must be a whole number of at least 1",
            problems,
            t,
        )
        etype = cells.type_index(src.need("employment_type", "text", problems), "employment_type", problems, t)
        region = cells.text(src.need("region_code", "text", problems))
        cells.check_codes(
            region,
            "region_code",
            cells.region_ok,
            "not a region code of 2, 5, 8 or 10 digits",
            problems,
            t,
            required=True,
        )
        posted = cells.dates(src.need("posted_on", "date", problems), "posted_on", problems, t, required=True)
        raw = src.get("closes_on", "date")
        closes = np.full(n, cells.NAT) if raw is None else cells.dates(raw, "closes_on", problems, t)
        before = ~np.isnat(closes) & ~np.isnat(posted) & (closes < posted)
        for i in np.flatnonzero(before)[:1000].tolist():
            problems.append(Problem("closes_on is before posted_on", table=t, row=i + 1, column="closes_on"))
        floats: dict[str, NDArray[np.float64]] = {}
        for name in ("offered_wage", "hours_per_week", "min_age", "max_age", "latitude", "longitude"):
            raw = src.get(name, "float")
            floats[name] = np.full(n, np.nan) if raw is None else cells.floats(raw, name, problems, t)
        cells.range_check(
            floats["offered_wage"], "offered_wage", floats["offered_wage"] < 0, "must not be negative", problems, t
        )
        h = floats["hours_per_week"]
        cells.range_check(
            h, "hours_per_week", (h <= 0) | (h > 168), "must be between 0 and 168 hours a week", problems, t
        )
        cells.range_check(
            floats["min_age"], "min_age", floats["min_age"] > floats["max_age"], "min_age is above max_age", problems, t
        )
        sets: dict[str, NDArray[np.object_]] = {}
        for name in ("required_skills", "required_certificates", "optional_skills"):
            raw = src.get(name, "text")
            sets[name] = np.full(n, cells.EMPTY, dtype=object) if raw is None else cells.sets(raw)
        sets["optional_skills"] = cells.object_array(
            [not_required(o, r) for o, r in zip(sets["optional_skills"], sets["required_skills"], strict=True)]
        )
        if problems:
            raise DataError(problems, "invalid vacancy columns")
        return cls(
            vacancy_id=ids,
            employer_id=employer,
            occupation=occupation,
            openings=openings_f.astype(np.int64),
            employment_type=etype,
            region_code=region,
            posted_on=posted,
            closes_on=closes,
            **floats,
            **sets,
            extra=extra_columns(src, _VACANCY_ARRAYS),
        )

    @classmethod
    def from_frame(cls, frame: Any) -> VacancyTable:
        """Build from a pandas DataFrame (columns as in :func:`employkit.frames.to_frames`)."""
        return cls.from_columns({str(k): frame[k] for k in frame.columns})

    @classmethod
    def from_arrow(cls, table: Any) -> VacancyTable:
        """Build from a ``pyarrow.Table`` (its columns by name)."""
        return cls.from_columns({name: table.column(name) for name in table.column_names})

    @classmethod
    def from_records(cls, vacancies: Sequence[Vacancy]) -> VacancyTable:
        """The columns of ``vacancies``; :meth:`record` then returns the original records."""
        coords = [coordinates(v.extra) for v in vacancies]

        def num(values: Iterable[float | None]) -> NDArray[np.float64]:
            return np.array([np.nan if x is None else x for x in values], dtype=float)

        def days(values: Iterable[dt.date | None]) -> NDArray[np.datetime64]:
            return np.array([cells.NAT if d is None else np.datetime64(d, "D") for d in values], dtype="datetime64[D]")

        return cls(
            vacancy_id=np.array([v.vacancy_id for v in vacancies], dtype=object),
            employer_id=np.array([v.employer_id for v in vacancies], dtype=object),
            occupation=np.array([v.occupation for v in vacancies], dtype=object),
            openings=np.array([v.openings for v in vacancies], dtype=np.int64),
            employment_type=np.array([cells.TYPES.index(v.employment_type) for v in vacancies], dtype=np.int8),
            region_code=np.array([v.region_code for v in vacancies], dtype=object),
            posted_on=days(v.posted_on for v in vacancies),
            closes_on=days(v.closes_on for v in vacancies),
            offered_wage=num(v.offered_wage for v in vacancies),
            hours_per_week=num(v.hours_per_week for v in vacancies),
            min_age=num(v.min_age for v in vacancies),
            max_age=num(v.max_age for v in vacancies),
            required_skills=cells.object_array([v.required_skills for v in vacancies]),
            required_certificates=cells.object_array([v.required_certificates for v in vacancies]),
            optional_skills=cells.object_array([optional_skills(v) for v in vacancies]),
            latitude=num(None if c is None else c[0] for c in coords),
            longitude=num(None if c is None else c[1] for c in coords),
            records=vacancies,
        )

    def record(self, i: int) -> Vacancy:
        """Row ``i`` as a :class:`~employkit.model.Vacancy` (the original record when built from records)."""
        if self.records is not None:
            return self.records[i]
        extra: dict[str, Any] = {}
        if not (math.isnan(self.latitude[i]) or math.isnan(self.longitude[i])):
            extra = {"latitude": float(self.latitude[i]), "longitude": float(self.longitude[i])}
        if self.optional_skills[i]:
            extra["optional_skills"] = ";".join(sorted(self.optional_skills[i]))
        try:
            posted = cells.day(self.posted_on[i])
            return Vacancy(
                vacancy_id=str(self.vacancy_id[i]),
                employer_id=str(self.employer_id[i]),
                occupation=str(self.occupation[i]),
                openings=int(self.openings[i]),
                employment_type=cells.TYPES[int(self.employment_type[i])],
                region_code=str(self.region_code[i]),
                posted_on=posted or cells.EPOCH,
                closes_on=cells.day(self.closes_on[i]),
                offered_wage=cells.int_or_none(float(self.offered_wage[i])),
                hours_per_week=cells.float_or_none(float(self.hours_per_week[i])),
                min_age=cells.int_or_none(float(self.min_age[i])),
                max_age=cells.int_or_none(float(self.max_age[i])),
                required_skills=self.required_skills[i],
                required_certificates=self.required_certificates[i],
                extra=extra,
            )
        except ValueError as exc:
            raise DataError([Problem(str(exc), table="vacancies", row=i + 1)], "invalid vacancy row") from None


# --------------------------------------------------------------------------- conversion


def as_seeker_table(seekers: Any) -> SeekerTable:
    """A :class:`SeekerTable` from a table, a DataFrame, an Arrow table, a mapping of columns or records."""
    if isinstance(seekers, SeekerTable):
        return seekers
    if type(seekers).__module__.startswith("pyarrow"):
        return SeekerTable.from_arrow(seekers)
    if type(seekers).__module__.startswith("pandas"):
        return SeekerTable.from_frame(seekers)
    if isinstance(seekers, Mapping):
        return SeekerTable.from_columns(seekers)
    return SeekerTable.from_records(list(seekers))


def as_vacancy_table(vacancies: Any) -> VacancyTable:
    """A :class:`VacancyTable` from a table, a DataFrame, an Arrow table, a mapping of columns or records."""
    if isinstance(vacancies, VacancyTable):
        return vacancies
    if type(vacancies).__module__.startswith("pyarrow"):
        return VacancyTable.from_arrow(vacancies)
    if type(vacancies).__module__.startswith("pandas"):
        return VacancyTable.from_frame(vacancies)
    if isinstance(vacancies, Mapping):
        return VacancyTable.from_columns(vacancies)
    return VacancyTable.from_records(list(vacancies))
