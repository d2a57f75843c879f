"""Columnar inputs for the batch engine: numpy arrays, pandas DataFrames, Arrow tables.

A national run has hundreds of thousands of seekers; building a
:class:`~employkit.model.Seeker` per row only to read a few fields back is most of the
cost. :class:`SeekerTable` and :class:`VacancyTable` hold one numpy array per field
(the columns of :mod:`employkit.sources.schema`, plus ``latitude``, ``longitude`` and,
for vacancies, ``optional_skills``). They are built from

* a mapping of arrays (:meth:`SeekerTable.from_columns`) — numpy arrays, lists, pandas
  Series or Arrow arrays, one per column, English or Korean column names;
* a pandas DataFrame (:meth:`SeekerTable.from_frame`, the layout of
  :func:`employkit.frames.to_frames`);
* an Arrow table (:meth:`SeekerTable.from_arrow`; needs ``pyarrow``, which employkit
  does not install — pass a table you already have);
* records (:meth:`SeekerTable.from_records`), which the table keeps and hands back.

:func:`prepare_kernels` turns two tables into the components' kernels without a record
per row: for each national component it finds the distinct combinations of the fields
that component reads (:data:`COMPONENT_FIELDS`), builds one record per distinct
combination (a real row, the first that has it), lets the component prepare its kernel
on those, and spreads the kernel's columns back to every row. The kernel is the
component's own, so the scores are the record path's, bit for bit. A component of
another pack, whose fields employkit does not know, is prepared on records built from
the table (correct, slower). :func:`columnar_scorer` gives a
:class:`~employkit.matching.batch.BatchScorer` over the tables; records are built only
for the pairs whose explanations are asked for.

>>> import datetime as dt
>>> import numpy as np
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
>>> batch = columnar_scorer(matcher, seekers, vacancies)
>>> totals, eligible = batch.scores()
>>> round(float(totals[0, 0]), 4), round(matcher.score(seekers.record(0), vacancies.record(0)).total, 4)
(0.8889, 0.8889)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from employkit.errors import DataError, Problem
from employkit.matching.base import ArrayScores, Columns, PairKernel, VectorisedComponent
from employkit.matching.batch import DEFAULT_CHUNK_CELLS, BatchScorer, _PairByPair
from employkit.matching.components import (
    AgeComponent,
    HoursComponent,
    OccupationComponent,
    PlaceComponent,
    SkillsComponent,
    WageComponent,
    optional_skills,
)
from employkit.model import EmploymentType, Gender, Intake, Seeker, SeekerGroup, Vacancy

if TYPE_CHECKING:
    from employkit.matching.scoring import Matcher

__all__ = [
    "COMPONENT_FIELDS",
    "RecordView",
    "SeekerTable",
    "SpreadKernel",
    "VacancyTable",
    "as_seeker_table",
    "as_vacancy_table",
    "columnar_scorer",
    "distinct_rows",
    "prepare_kernels",
]

_TYPES: tuple[EmploymentType, ...] = tuple(EmploymentType)
_NAT = np.datetime64("NaT", "D")
_EPOCH = dt.date(1970, 1, 1)

#: The fields each national component reads: (seeker fields, vacancy fields). ``age``
#: is the seeker's age on the evaluation date, computed from ``birth_year`` /
#: ``birth_date``.
COMPONENT_FIELDS: Mapping[type, tuple[tuple[str, ...], tuple[str, ...]]] = {
    OccupationComponent: (("desired_occupation",), ("occupation",)),
    WageComponent: (("desired_wage",), ("offered_wage",)),
    PlaceComponent: (("residence_code", "mobile", "latitude", "longitude"), ("region_code", "latitude", "longitude")),
    HoursComponent: (("desired_hours", "employment_types"), ("hours_per_week", "employment_type")),
    SkillsComponent: (("skills", "certificates"), ("required_skills", "required_certificates", "optional_skills")),
    AgeComponent: (("age",), ("min_age", "max_age")),
}

_KO_NAMES: dict[str, dict[str, str]] = {}


def _korean_names(table: str) -> Mapping[str, str]:
    """Korean column name -> English name, from the schema."""
    if table not in _KO_NAMES:
        from employkit.sources.schema import TABLES

        _KO_NAMES[table] = {c.ko: c.name for c in TABLES[table]}
    return _KO_NAMES[table]


# --------------------------------------------------------------------------- cell conversion


def _plain(values: Any, kind: str) -> NDArray[Any]:
    """A numpy array from a numpy array, a list, a pandas Series or an Arrow array."""
    module = type(values).__module__
    if module.startswith("pyarrow"):
        if kind in ("float", "int"):
            return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.float64)
        return np.asarray(values.to_pylist(), dtype=object)
    if module.startswith("pandas"):
        if kind in ("float", "int"):
            return np.asarray(values.to_numpy(dtype="float64", na_value=np.nan))
        if kind == "date" and str(values.dtype).startswith("datetime64"):
            return np.asarray(values.to_numpy(dtype="datetime64[ns]"))
        return np.asarray(values.to_numpy(dtype=object, na_value=None))
    if isinstance(values, np.ndarray):
        return values
    return np.asarray(list(values), dtype=object)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if type(value).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(value, str) and not value.strip()


def _text(values: NDArray[Any]) -> NDArray[np.object_]:
    out = np.empty(values.shape[0], dtype=object)
    for i, v in enumerate(values.tolist()):
        out[i] = None if _missing(v) else str(v).strip()
    return out


def _floats(values: NDArray[Any], column: str, problems: list[Problem], table: str) -> NDArray[np.float64]:
    if values.dtype.kind in "fiub":
        return values.astype(np.float64)
    out = np.full(values.shape[0], np.nan)
    for i, v in enumerate(values.tolist()):
        if _missing(v):
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            problems.append(Problem("not a number", table=table, row=i + 1, column=column, value=str(v)))
    return out


def _dates(
    values: NDArray[Any], column: str, problems: list[Problem], table: str, *, required: bool = False
) -> NDArray[np.datetime64]:
    if values.dtype.kind == "M":
        out = values.astype("datetime64[D]")
        if required:
            for i in np.flatnonzero(np.isnat(out))[:1000].tolist():
                problems.append(Problem("required", table=table, row=i + 1, column=column))
        return out
    out = np.full(values.shape[0], _NAT)
    for i, v in enumerate(values.tolist()):
        if _missing(v):
            if required:
                problems.append(Problem("required", table=table, row=i + 1, column=column))
            continue
        try:
            day = v.date() if isinstance(v, dt.datetime) else v if isinstance(v, dt.date) else dt.date.fromisoformat(v)
            out[i] = np.datetime64(day, "D")
        except (TypeError, ValueError):
            problems.append(Problem("not a date (YYYY-MM-DD)", table=table, row=i + 1, column=column, value=str(v)))
    return out


def _tristate(values: NDArray[Any], column: str, problems: list[Problem], table: str) -> NDArray[np.int8]:
    if values.dtype.kind == "b":
        return values.astype(np.int8)
    out = np.full(values.shape[0], -1, dtype=np.int8)
    for i, v in enumerate(values.tolist()):
        if _missing(v):
            continue
        if isinstance(v, bool | np.bool_) or v in (0, 1):
            out[i] = int(bool(v))
        elif isinstance(v, str) and v.strip().lower() in (
            "true",
            "false",
            "yes",
            "no",
            "y",
            "n",
            "1",
            "0",
            "예",
            "아니오",
        ):
            out[i] = int(v.strip().lower() in ("true", "yes", "y", "1", "예"))
        else:
            problems.append(Problem("expected true or false", table=table, row=i + 1, column=column, value=str(v)))
    return out


_EMPTY: frozenset[str] = frozenset()
_E = TypeVar("_E", Gender, SeekerGroup)


def _enums(
    values: NDArray[Any], kind: type[_E], column: str, problems: list[Problem], table: str
) -> NDArray[np.object_]:
    out = np.empty(values.shape[0], dtype=object)
    cache: dict[str, _E] = {}
    for i, v in enumerate(values.tolist()):
        if _missing(v):
            out[i] = None
            continue
        key = str(v).strip()
        found = cache.get(key)
        if found is None:
            try:
                found = cache[key] = kind.parse(key)
            except ValueError as exc:
                problems.append(Problem(str(exc), table=table, row=i + 1, column=column, value=key))
                continue
        out[i] = found
    return out


def _enum_sets(
    values: NDArray[Any], kind: type[_E], column: str, problems: list[Problem], table: str
) -> NDArray[np.object_]:
    out = np.empty(values.shape[0], dtype=object)
    for i, v in enumerate(_sets(values).tolist()):
        items = []
        for key in sorted(v):
            try:
                items.append(kind.parse(key))
            except ValueError as exc:
                problems.append(Problem(str(exc), table=table, row=i + 1, column=column, value=key))
        out[i] = frozenset(items)
    return out


def _sets(values: NDArray[Any]) -> NDArray[np.object_]:
    out = np.empty(values.shape[0], dtype=object)
    cache: dict[Any, frozenset[str]] = {}
    for i, v in enumerate(values.tolist()):
        if _missing(v):
            out[i] = _EMPTY
            continue
        if isinstance(v, str):
            found = cache.get(v)
            if found is None:
                found = cache[v] = frozenset(x.strip() for x in v.split(";") if x.strip())
            out[i] = found
        else:
            out[i] = frozenset(str(x).strip() for x in v if str(x).strip())
    return out


def _type_masks(values: NDArray[Any], column: str, problems: list[Problem], table: str) -> NDArray[np.int64]:
    if values.dtype.kind in "iu":
        return values.astype(np.int64)
    out = np.zeros(values.shape[0], dtype=np.int64)
    cache: dict[str, int] = {}
    for i, v in enumerate(values.tolist()):
        if _missing(v):
            continue
        items = v.split(";") if isinstance(v, str) else list(v)
        mask = 0
        for item in items:
            key = str(item).strip()
            if not key:
                continue
            bit = cache.get(key)
            if bit is None:
                try:
                    bit = cache[key] = 1 << _TYPES.index(EmploymentType.parse(key))
                except ValueError as exc:
                    problems.append(Problem(str(exc), table=table, row=i + 1, column=column, value=key))
                    continue
            mask |= bit
        out[i] = mask
    return out


def _type_index(values: NDArray[Any], column: str, problems: list[Problem], table: str) -> NDArray[np.int8]:
    out = np.zeros(values.shape[0], dtype=np.int8)
    cache: dict[str, int] = {}
    for i, v in enumerate(values.tolist()):
        key = "" if _missing(v) else str(v).strip()
        found = cache.get(key)
        if found is None:
            try:
                found = cache[key] = _TYPES.index(EmploymentType.parse(key))
            except ValueError as exc:
                problems.append(Problem(str(exc), table=table, row=i + 1, column=column, value=key))
                continue
        out[i] = found
    return out


def _check_codes(
    codes: NDArray[np.object_],
    column: str,
    ok: Callable[[str], bool],
    reason: str,
    problems: list[Problem],
    table: str,
    *,
    required: bool,
) -> None:
    verdict: dict[str, bool] = {}
    for i, code in enumerate(codes.tolist()):
        if code is None:
            if required:
                problems.append(Problem("required", table=table, row=i + 1, column=column))
            continue
        good = verdict.get(code)
        if good is None:
            good = verdict[code] = ok(code)
        if not good:
            problems.append(Problem(reason, table=table, row=i + 1, column=column, value=code))


def _region_ok(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) in (2, 5, 8, 10)


def _occupation_ok(code: str) -> bool:
    return code.isascii() and code.isdigit() and 1 <= len(code) <= 6


def _range_check(
    values: NDArray[np.float64],
    column: str,
    bad: NDArray[np.bool_],
    reason: str,
    problems: list[Problem],
    table: str,
) -> None:
    for i in np.flatnonzero(bad)[:1000].tolist():
        problems.append(Problem(reason, table=table, row=i + 1, column=column, value=f"{values[i]:g}"))


def _day(value: np.datetime64) -> dt.date | None:
    if np.isnat(value):
        return None
    return _EPOCH + dt.timedelta(days=int(value.astype("datetime64[D]").astype(np.int64)))


def _int_or_none(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def _float_or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


class _Source:
    """Columns by English or Korean name, converted to numpy arrays on demand."""

    def __init__(self, columns: Mapping[str, Any], table: str) -> None:
        ko = _korean_names(table)
        self.columns = {ko.get(str(k), str(k)): v for k, v in columns.items()}
        self.table = table
        sizes = {k: len(v) for k, v in self.columns.items()}
        if len(set(sizes.values())) > 1:
            listing = ", ".join(f"{k} {n}" for k, n in sizes.items())
            raise DataError([Problem(f"columns differ in length ({listing})", table=table)], f"invalid {table} columns")
        self.n = next(iter(sizes.values()), 0)

    def get(self, name: str, kind: str) -> NDArray[Any] | None:
        if name not in self.columns:
            return None
        return _plain(self.columns[name], kind)

    def need(self, name: str, kind: str, problems: list[Problem]) -> NDArray[Any]:
        found = self.get(name, kind)
        if found is None:
            problems.append(Problem("required column is missing", table=self.table, column=name))
            return np.full(self.n, None, dtype=object)
        return found


_R = TypeVar("_R", Seeker, Vacancy)


class RecordView(Sequence[_R], Generic[_R]):
    """A table seen as a sequence of records, each built when it is asked for."""

    def __init__(self, build: Callable[[int], _R], size: int) -> None:
        self._build: Callable[[int], _R] = build
        self._size = size

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> _R: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[_R]: ...

    def __getitem__(self, index: int | slice) -> _R | Sequence[_R]:
        if isinstance(index, slice):
            return [self._build(i) for i in range(*index.indices(self._size))]
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError(index)
        return self._build(index)

    def __iter__(self) -> Iterator[_R]:
        for i in range(self._size):
            yield self._build(i)


def _arr(value: Any) -> NDArray[Any]:
    return np.asarray(value)


def _keep(value: Any) -> Any:
    return value


# --------------------------------------------------------------------------- seekers


@frozen(kw_only=True, eq=False)
class SeekerTable:
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
    records: Sequence[Seeker] | None = field(default=None, converter=_keep)

    def __len__(self) -> int:
        return int(self.seeker_id.shape[0])

    @classmethod
    def from_columns(cls, columns: Mapping[str, Any]) -> SeekerTable:
        """Build from one array per column (English or Korean schema names).

        Required: ``seeker_id``, ``residence_code``, ``registered_on``. Raises
        :class:`~employkit.errors.DataError` listing every bad cell (row 1 = the first).
        """
        src = _Source(columns, "seekers")
        n = src.n
        problems: list[Problem] = []
        t = "seekers"
        ids = _text(src.need("seeker_id", "text", problems))
        _check_codes(ids, "seeker_id", lambda _c: True, "", problems, t, required=True)
        residence = _text(src.need("residence_code", "text", problems))
        _check_codes(
            residence,
            "residence_code",
            _region_ok,
            "not a region code of 2, 5, 8 or 10 digits",
            problems,
            t,
            required=True,
        )
        registered = _dates(src.need("registered_on", "date", problems), "registered_on", problems, t, required=True)
        raw = src.get("birth_year", "int")
        birth_year = np.full(n, np.nan) if raw is None else _floats(raw, "birth_year", problems, t)
        _range_check(
            birth_year,
            "birth_year",
            ~np.isnan(birth_year) & ((birth_year < 1900) | (birth_year > 2100)),
            "birth year out of range",
            problems,
            t,
        )
        raw = src.get("birth_date", "date")
        birth_date = np.full(n, _NAT) if raw is None else _dates(raw, "birth_date", problems, t)
        both = ~np.isnan(birth_year) & ~np.isnat(birth_date)
        if both.any():
            years = birth_date.astype("datetime64[Y]").astype(np.int64) + 1970
            _range_check(
                birth_year,
                "birth_year",
                both & (years != birth_year),
                "birth_year and birth_date disagree",
                problems,
                t,
            )
        raw = src.get("desired_occupation", "text")
        occupation = np.full(n, None, dtype=object) if raw is None else _text(raw)
        _check_codes(
            occupation,
            "desired_occupation",
            _occupation_ok,
            "not a KECO code of 1 to 6 digits",
            problems,
            t,
            required=False,
        )
        raw = src.get("desired_wage", "float")
        wage = np.full(n, np.nan) if raw is None else _floats(raw, "desired_wage", problems, t)
        _range_check(wage, "desired_wage", wage < 0, "must not be negative", problems, t)
        raw = src.get("desired_hours", "float")
        hours = np.full(n, np.nan) if raw is None else _floats(raw, "desired_hours", problems, t)
        _range_check(
            hours, "desired_hours", (hours <= 0) | (hours > 168), "must be between 0 and 168 hours a week", problems, t
        )
        raw = src.get("employment_types", "text")
        types = np.zeros(n, dtype=np.int64) if raw is None else _type_masks(raw, "employment_types", problems, t)
        raw = src.get("mobile", "bool")
        mobile = np.full(n, -1, dtype=np.int8) if raw is None else _tristate(raw, "mobile", problems, t)
        raw = src.get("skills", "text")
        skills = np.full(n, _EMPTY, dtype=object) if raw is None else _sets(raw)
        raw = src.get("certificates", "text")
        certs = np.full(n, _EMPTY, dtype=object) if raw is None else _sets(raw)
        raw = src.get("latitude", "float")
        lat = np.full(n, np.nan) if raw is None else _floats(raw, "latitude", problems, t)
        raw = src.get("longitude", "float")
        lon = np.full(n, np.nan) if raw is None else _floats(raw, "longitude", problems, t)
        raw = src.get("gender", "text")
        gender = None if raw is None else _enums(raw, Gender, "gender", problems, t)
        raw = src.get("groups", "text")
        groups = None if raw is None else _enum_sets(raw, SeekerGroup, "groups", problems, t)
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
        from employkit.matching.components import _coordinates

        n = len(seekers)
        coords = [_coordinates(s.extra) for s in seekers]
        return cls(
            seeker_id=np.array([s.seeker_id for s in seekers], dtype=object),
            residence_code=np.array([s.residence_code for s in seekers], dtype=object),
            registered_on=np.array([np.datetime64(s.registered_on, "D") for s in seekers], dtype="datetime64[D]")
            if n
            else np.zeros(0, dtype="datetime64[D]"),
            birth_year=np.array([np.nan if s.birth_year is None else s.birth_year for s in seekers], dtype=float),
            birth_date=np.array(
                [_NAT if s.birth_date is None else np.datetime64(s.birth_date, "D") for s in seekers],
                dtype="datetime64[D]",
            ),
            desired_occupation=np.array([s.desired_occupation for s in seekers], dtype=object),
            desired_wage=np.array([np.nan if s.desired_wage is None else s.desired_wage for s in seekers], dtype=float),
            desired_hours=np.array(
                [np.nan if s.desired_hours is None else s.desired_hours for s in seekers], dtype=float
            ),
            employment_types=np.array(
                [sum(1 << _TYPES.index(t) for t in s.employment_types) for s in seekers], dtype=np.int64
            ),
            mobile=np.array([-1 if s.intake.mobile is None else int(s.intake.mobile) for s in seekers], dtype=np.int8),
            skills=_object_array([s.skills for s in seekers]),
            certificates=_object_array([s.certificates for s in seekers]),
            latitude=np.array([np.nan if c is None else c[0] for c in coords], dtype=float),
            longitude=np.array([np.nan if c is None else c[1] for c in coords], dtype=float),
            gender=_object_array([s.gender for s in seekers]),
            groups=_object_array([s.groups for s in seekers]),
            records=seekers,
        )

    def ages(self, day: dt.date) -> NDArray[np.float64]:
        """Age in whole years on ``day`` (:func:`employkit.model.ages_on`; NaN when unknown)."""
        from employkit.model import ages_on

        days = np.full(len(self.birth_year), np.datetime64(day, "D"))
        result: NDArray[np.float64] = ages_on(days, self.birth_date, self.birth_year)
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
                registered_on=_day(self.registered_on[i]) or _EPOCH,
                birth_year=_int_or_none(float(self.birth_year[i])),
                birth_date=_day(self.birth_date[i]),
                desired_occupation=self.desired_occupation[i],
                desired_wage=_int_or_none(float(self.desired_wage[i])),
                desired_hours=_float_or_none(float(self.desired_hours[i])),
                employment_types=frozenset(t for b, t in enumerate(_TYPES) if mask >> b & 1),
                intake=Intake(mobile=None if mobile < 0 else bool(mobile)),
                skills=self.skills[i],
                certificates=self.certificates[i],
                gender=None if self.gender is None else self.gender[i],
                groups=frozenset() if self.groups is None else self.groups[i],
                extra=extra,
            )
        except ValueError as exc:
            raise DataError([Problem(str(exc), table="seekers", row=i + 1)], "invalid seeker row") from None

    def view(self) -> RecordView[Seeker]:
        """The table as a sequence of records, each built when asked for."""
        if self.records is not None:
            return RecordView(self.records.__getitem__, len(self))
        return RecordView(self.record, len(self))

    def take(self, index: NDArray[np.intp]) -> SeekerTable:
        """The rows ``index``, in that order."""
        records = None if self.records is None else [self.records[int(i)] for i in index]
        return SeekerTable(
            **{name: getattr(self, name)[index] for name in _SEEKER_ARRAYS},
            gender=None if self.gender is None else self.gender[index],
            groups=None if self.groups is None else self.groups[index],
            records=records,
        )

    def field_values(self, name: str, day: dt.date) -> NDArray[Any]:
        """The column ``name`` (``"age"``: ages on ``day``)."""
        return self.ages(day) if name == "age" else np.asarray(getattr(self, name))


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


def _object_array(items: Sequence[Any]) -> NDArray[np.object_]:
    out = np.empty(len(items), dtype=object)
    for i, v in enumerate(items):
        out[i] = v
    return out


# --------------------------------------------------------------------------- vacancies


@frozen(kw_only=True, eq=False)
class VacancyTable:
    """Vacancies as columns: one numpy array per field, one row per vacancy.

    ``employment_type`` is the index of the type in :class:`~employkit.model.EmploymentType`
    (declaration order); ``optional_skills`` are the preferred skills a record keeps in
    ``extra["optional_skills"]``. Missing values as in :class:`SeekerTable`.
    """

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
    records: Sequence[Vacancy] | None = field(default=None, converter=_keep)

    def __len__(self) -> int:
        return int(self.vacancy_id.shape[0])

    @classmethod
    def from_columns(cls, columns: Mapping[str, Any]) -> VacancyTable:
        """Build from one array per column (English or Korean schema names).

        Required: ``vacancy_id``, ``employer_id``, ``occupation``, ``openings``,
        ``employment_type`` (codes or labels), ``region_code``, ``posted_on``. Raises
        :class:`~employkit.errors.DataError` listing every bad cell.
        """
        src = _Source(columns, "vacancies")
        n = src.n
        problems: list[Problem] = []
        t = "vacancies"
        ids = _text(src.need("vacancy_id", "text", problems))
        _check_codes(ids, "vacancy_id", lambda _c: True, "", problems, t, required=True)
        employer = _text(src.need("employer_id", "text", problems))
        _check_codes(employer, "employer_id", lambda _c: True, "", problems, t, required=True)
        occupation = _text(src.need("occupation", "text", problems))
        _check_codes(
            occupation, "occupation", _occupation_ok, "not a KECO code of 1 to 6 digits", problems, t, required=True
        )
        openings_f = _floats(src.need("openings", "int", problems), "openings", problems, t)
        _range_check(
            openings_f,
            "openings",
            ~(openings_f >= 1) | (openings_f != np.floor(openings_f)),
            "must be a whole number of at least 1",
            problems,
            t,
        )
        etype = _type_index(src.need("employment_type", "text", problems), "employment_type", problems, t)
        region = _text(src.need("region_code", "text", problems))
        _check_codes(
            region, "region_code", _region_ok, "not a region code of 2, 5, 8 or 10 digits", problems, t, required=True
        )
        posted = _dates(src.need("posted_on", "date", problems), "posted_on", problems, t, required=True)
        raw = src.get("closes_on", "date")
        closes = np.full(n, _NAT) if raw is None else _dates(raw, "closes_on", problems, t)
        before = ~np.isnat(closes) & ~np.isnat(posted) & (closes < posted)
        for i in np.flatnonzero(before)[:1000].tolist():
            problems.append(Problem("closes_on is before posted_on", table=t, row=i + 1, column="closes_on"))
        floats: dict[str, NDArray[np.float64]] = {}
        for name in ("offered_wage", "hours_per_week", "min_age", "max_age", "latitude", "longitude"):
            raw = src.get(name, "float")
            floats[name] = np.full(n, np.nan) if raw is None else _floats(raw, name, problems, t)
        _range_check(
            floats["offered_wage"], "offered_wage", floats["offered_wage"] < 0, "must not be negative", problems, t
        )
        h = floats["hours_per_week"]
        _range_check(h, "hours_per_week", (h <= 0) | (h > 168), "must be between 0 and 168 hours a week", problems, t)
        _range_check(
            floats["min_age"], "min_age", floats["min_age"] > floats["max_age"], "min_age is above max_age", problems, t
        )
        sets: dict[str, NDArray[np.object_]] = {}
        for name in ("required_skills", "required_certificates", "optional_skills"):
            raw = src.get(name, "text")
            sets[name] = np.full(n, _EMPTY, dtype=object) if raw is None else _sets(raw)
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
        from employkit.matching.components import _coordinates

        coords = [_coordinates(v.extra) for v in vacancies]

        def num(values: Iterable[float | None]) -> NDArray[np.float64]:
            return np.array([np.nan if x is None else x for x in values], dtype=float)

        def days(values: Iterable[dt.date | None]) -> NDArray[np.datetime64]:
            return np.array([_NAT if d is None else np.datetime64(d, "D") for d in values], dtype="datetime64[D]")

        return cls(
            vacancy_id=np.array([v.vacancy_id for v in vacancies], dtype=object),
            employer_id=np.array([v.employer_id for v in vacancies], dtype=object),
            occupation=np.array([v.occupation for v in vacancies], dtype=object),
            openings=np.array([v.openings for v in vacancies], dtype=np.int64),
            employment_type=np.array([_TYPES.index(v.employment_type) for v in vacancies], dtype=np.int8),
            region_code=np.array([v.region_code for v in vacancies], dtype=object),
            posted_on=days(v.posted_on for v in vacancies),
            closes_on=days(v.closes_on for v in vacancies),
            offered_wage=num(v.offered_wage for v in vacancies),
            hours_per_week=num(v.hours_per_week for v in vacancies),
            min_age=num(v.min_age for v in vacancies),
            max_age=num(v.max_age for v in vacancies),
            required_skills=_object_array([v.required_skills for v in vacancies]),
            required_certificates=_object_array([v.required_certificates for v in vacancies]),
            optional_skills=_object_array([optional_skills(v) for v in vacancies]),
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
            posted = _day(self.posted_on[i])
            return Vacancy(
                vacancy_id=str(self.vacancy_id[i]),
                employer_id=str(self.employer_id[i]),
                occupation=str(self.occupation[i]),
                openings=int(self.openings[i]),
                employment_type=_TYPES[int(self.employment_type[i])],
                region_code=str(self.region_code[i]),
                posted_on=posted or _EPOCH,
                closes_on=_day(self.closes_on[i]),
                offered_wage=_int_or_none(float(self.offered_wage[i])),
                hours_per_week=_float_or_none(float(self.hours_per_week[i])),
                min_age=_int_or_none(float(self.min_age[i])),
                max_age=_int_or_none(float(self.max_age[i])),
                required_skills=self.required_skills[i],
                required_certificates=self.required_certificates[i],
                extra=extra,
            )
        except ValueError as exc:
            raise DataError([Problem(str(exc), table="vacancies", row=i + 1)], "invalid vacancy row") from None

    def view(self) -> RecordView[Vacancy]:
        """The table as a sequence of records, each built when asked for."""
        if self.records is not None:
            return RecordView(self.records.__getitem__, len(self))
        return RecordView(self.record, len(self))

    def take(self, index: NDArray[np.intp]) -> VacancyTable:
        """The rows ``index``, in that order."""
        records = None if self.records is None else [self.records[int(i)] for i in index]
        return VacancyTable(**{name: getattr(self, name)[index] for name in _VACANCY_ARRAYS}, records=records)

    def field_values(self, name: str, day: dt.date) -> NDArray[Any]:
        """The column ``name``."""
        return np.asarray(getattr(self, name))


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


# --------------------------------------------------------------------------- kernels


def _codes(values: NDArray[Any]) -> tuple[NDArray[np.intp], int]:
    """Integer codes of the distinct values of a column (NaN, None and NaT are values too)."""
    if values.dtype.kind in "fiubM":
        if values.dtype.kind == "M":
            values = values.astype(np.int64)
        _, inverse = np.unique(values, return_inverse=True, equal_nan=True)
        inverse = inverse.reshape(-1)
        return inverse.astype(np.intp), int(inverse.max(initial=-1)) + 1
    seen: dict[Any, int] = {}
    out = np.empty(values.shape[0], dtype=np.intp)
    for i, v in enumerate(values.tolist()):
        code = seen.get(v)
        if code is None:
            code = seen[v] = len(seen)
        out[i] = code
    return out, len(seen)


def distinct_rows(columns: Sequence[NDArray[Any]], n: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The first row of each distinct combination of ``columns``, and each row's combination.

    Returns ``(first, inverse)``: ``first[c]`` is the first row with combination ``c``
    and ``inverse[i]`` the combination of row ``i``, so ``first[inverse]`` gives for every
    row a row with the same values.
    """
    key = np.zeros(n, dtype=np.int64)
    for col in columns:
        codes, size = _codes(col)
        combined = key * max(size, 1) + codes
        _, key = np.unique(combined, return_inverse=True)
        key = key.reshape(-1).astype(np.int64)
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first.astype(np.intp), inverse.reshape(-1).astype(np.intp)


@frozen(eq=False)
class SpreadKernel:
    """A kernel prepared on representative rows, its columns spread to every row.

    ``inner`` is the component's kernel over the distinct combinations of the fields it
    reads; row ``i`` of the seekers has combination ``seeker_code[i]`` (and likewise for
    vacancies), so a value of the component is a function of the two codes — the batch
    engine may tabulate it (:class:`employkit.matching.blocking.KernelPlan`).
    """

    seeker_columns: Columns
    vacancy_columns: Columns
    inner: PairKernel
    seeker_code: NDArray[np.intp]
    vacancy_code: NDArray[np.intp]

    def score(self, seeker: Columns, vacancy: Columns) -> ArrayScores:
        """The inner kernel's scores (its function reads only the columns given)."""
        return self.inner.score(seeker, vacancy)


def _spread(kernel: PairKernel, s_inverse: NDArray[np.intp], v_inverse: NDArray[np.intp]) -> SpreadKernel:
    return SpreadKernel(
        {k: np.asarray(a)[s_inverse] for k, a in kernel.seeker_columns.items()},
        {k: np.asarray(a)[v_inverse] for k, a in kernel.vacancy_columns.items()},
        kernel,
        s_inverse,
        v_inverse,
    )


def prepare_kernels(matcher: Matcher, seekers: SeekerTable, vacancies: VacancyTable) -> tuple[PairKernel, ...]:
    """One kernel per component of ``matcher``, built from the tables' columns.

    A national component (:data:`COMPONENT_FIELDS`) is prepared on one record per
    distinct combination of the fields it reads, and its columns are spread to every
    row; any other component is prepared on records built from the tables.
    """
    ctx = matcher.context()
    day = matcher.as_of
    kernels: list[PairKernel] = []
    s_view, v_view = seekers.view(), vacancies.view()
    for c in matcher.components:
        fields = COMPONENT_FIELDS.get(type(c))
        if fields is not None and isinstance(c, VectorisedComponent):
            s_fields, v_fields = fields
            s_first, s_inv = distinct_rows([seekers.field_values(f, day) for f in s_fields], len(seekers))
            v_first, v_inv = distinct_rows([vacancies.field_values(f, day) for f in v_fields], len(vacancies))
            s_reps = [seekers.record(int(i)) for i in s_first]
            v_reps = [vacancies.record(int(i)) for i in v_first]
            kernels.append(_spread(c.prepare(s_reps, v_reps, ctx.fork()), s_inv, v_inv))
        elif isinstance(c, VectorisedComponent):
            kernels.append(c.prepare(s_view, v_view, ctx.fork()))
        else:
            kernels.append(_PairByPair(c, s_view, v_view, ctx.fork()))
    return tuple(kernels)


def columnar_scorer(
    matcher: Matcher,
    seekers: Any,
    vacancies: Any,
    *,
    chunk_cells: int = DEFAULT_CHUNK_CELLS,
    progress: bool = False,
) -> BatchScorer:
    """A :class:`~employkit.matching.batch.BatchScorer` over columnar seekers and vacancies.

    ``seekers`` and ``vacancies`` are tables, DataFrames, Arrow tables, mappings of
    columns or records (see :func:`as_seeker_table`). Indexes in its results are rows.
    """
    s_table, v_table = as_seeker_table(seekers), as_vacancy_table(vacancies)
    kernels = prepare_kernels(matcher, s_table, v_table)
    return BatchScorer(
        matcher,
        s_table.view(),
        v_table.view(),
        chunk_cells=chunk_cells,
        progress=progress,
        kernels=kernels,
    )
