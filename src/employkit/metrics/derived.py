"""Derived values and breakdown dimensions on columns (:data:`~employkit.metrics.frame.DERIVED`, ``DIMENSIONS``).

Each function takes a :class:`~employkit.metrics.columnar.ColumnFrame`, a table and
row positions and gives one :class:`~employkit.metrics.columns.Values` per row:

* ``age`` — :func:`employkit.model.ages_on` (the one definition of age) on the
  registration day for seekers, the start day for placements and their contacts;
* ``wage`` — the placement's monthly wage, the vacancy's offer, the seeker's wish;
* ``is_resident`` — the seeker lives in the centre's region (:func:`employkit.codes.in_region`);
* ``hires`` — placements into a vacancy started by the observation date, at most its openings;
* the dimensions ``occupation``, ``occupation_group``, ``residence``, ``resident``,
  ``month``, ``segment``, ``partner_agency``, ``employment_type``, ``gender``, ``industry``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from employkit.labels import CodedEnum
from employkit.metrics.cells import DAY, Values, blank, coded_from
from employkit.metrics.columns import pick
from employkit.metrics.frame import DATE_OF
from employkit.model import ages_on

if TYPE_CHECKING:
    from employkit.metrics.columnar import ColumnFrame

__all__ = ["coded", "days", "derived", "dimension", "numbers"]

_WAGE = {"placements": "monthly_wage", "vacancies": "offered_wage", "seekers": "desired_wage"}
_OCCUPATION = {"placements": "occupation", "vacancies": "occupation", "seekers": "desired_occupation"}


def coded(codes: np.ndarray, names: list[str]) -> Values:
    """Text cells given as codes into ``names`` (``-1``: empty)."""
    return coded_from(codes, names, "str")


def days(values: Values) -> np.ndarray | None:
    """The cells as ``datetime64[D]`` days (``NaT`` when empty), or ``None`` when they are not days."""
    if values.kind == "date":
        return values.data
    if values.coded and values.uniques and all(isinstance(u, dt.date) for u in values.uniques):
        table = np.array([*values.uniques, None], dtype=DAY)
        return table[np.where(values.data < 0, len(values.uniques), values.data)]
    if not values.known.any():
        return np.full(len(values), np.datetime64("NaT"), dtype=DAY)
    return None


def numbers(values: Values) -> tuple[np.ndarray, np.ndarray, str]:
    """The cells that are numbers (not flags): which rows, their numbers and whether all are whole (``int``)."""
    if values.kind in ("int", "float"):
        data = values.data[values.known]
        return values.known, data, values.kind
    if not values.coded or not values.uniques:
        return np.zeros(len(values), bool), np.zeros(0, np.int64), "int"
    usable = [isinstance(u, int | float) and not isinstance(u, bool) for u in values.uniques]
    kind = "int" if all(isinstance(u, int) for u, ok in zip(values.uniques, usable, strict=True) if ok) else "float"
    dtype = np.int64 if kind == "int" else np.float64
    table = np.array([u if ok else 0 for u, ok in zip(values.uniques, usable, strict=True)] + [0], dtype=dtype)
    good = np.array([*usable, False], dtype=bool)
    codes = np.where(values.data < 0, len(values.uniques), values.data)
    known = good[codes]
    return known, table[codes][known], kind


def derived(frame: ColumnFrame, table: str, rows: np.ndarray, column: str) -> Values:
    """The derived value ``column`` (``age``, ``wage``, ``is_resident``, ``hires``) of each of ``rows``."""
    if column == "age":
        return _age(frame, table, rows)
    if column == "wage":
        return _wage(frame, table, rows)
    if column == "is_resident":
        return _is_resident(frame, table, rows)
    if table != "vacancies":  # hires
        return blank(len(rows))
    counts, index = frame.cached("hires", lambda: _hire_counts(frame))
    placed = counts[index[rows]] if len(rows) else np.zeros(0, np.int64)
    openings = frame.take("vacancies", "openings", rows)
    return Values("int", np.minimum(placed, openings.data), openings.known)


def _hire_counts(frame: ColumnFrame) -> tuple[np.ndarray, np.ndarray]:
    """Placements started by the observation date, per distinct vacancy id, and each vacancy's id code."""
    data = frame.data
    own, theirs = data.column("vacancies", "vacancy_id"), data.column("placements", "vacancy_id")
    codes, uniques = own.factorized()
    placed = pick(np.arange(len(uniques)), data.match(own, theirs), theirs)
    start = data.column("placements", "start_date")
    started = start.known & (start.data <= np.datetime64(frame.scope.observed_on, "D")) & (placed >= 0)
    counts = np.append(np.bincount(placed[started], minlength=len(uniques)), 0)
    return counts, np.where(codes < 0, len(uniques), codes)


def _age(frame: ColumnFrame, table: str, rows: np.ndarray) -> Values:
    if table in ("seekers", "placements"):
        day = frame.take(table, "registered_on" if table == "seekers" else "start_date", rows)
    elif table == "followups":
        day = frame.through(table, rows, "placement", lambda t, r: frame.take(t, "start_date", r))
    else:
        return blank(len(rows))
    born_on = frame.through(table, rows, "seeker", lambda t, r: frame.take(t, "birth_date", r))
    born_in = frame.through(table, rows, "seeker", lambda t, r: frame.take(t, "birth_year", r))
    age = ages_on(day.data, born_on.data, born_in.numbers())
    known = ~np.isnan(age)
    return Values("int", np.where(known, age, 0).astype(np.int64), known)


def _wage(frame: ColumnFrame, table: str, rows: np.ndarray) -> Values:
    name = _WAGE.get(table)
    if name is not None:
        return frame.take(table, name, rows)
    return frame.through(table, rows, "placement", lambda t, r: _wage(frame, t, r))


def _is_resident(frame: ColumnFrame, table: str, rows: np.ndarray) -> Values:
    region = frame.region_code
    if region is None:
        return blank(len(rows))
    from employkit.codes import in_region  # the current codes: a 45710 seeker lives in a 52710 centre

    home = frame.through(table, rows, "seeker", lambda t, r: frame.take(t, "residence_code", r))
    codes, uniques = home.factorized()
    flags = np.array([in_region(str(u), region) for u in uniques] + [False], dtype=bool)
    return Values("bool", flags[np.where(codes < 0, len(uniques), codes)], codes >= 0)


def _occupation(frame: ColumnFrame, table: str, rows: np.ndarray) -> Values:
    name = _OCCUPATION.get(table)
    if name is None:
        return frame.through(table, rows, "placement", lambda t, r: _occupation(frame, t, r))
    own = frame.take(table, name, rows)
    if table != "placements" or own.known.all():
        return own
    missing = np.flatnonzero(~own.known)
    filled = frame.through(table, rows[missing], "vacancy", lambda t, r: frame.take(t, "occupation", r))
    cells = own.python()
    for at, value in zip(missing.tolist(), filled.python(), strict=True):
        cells[at] = value
    return coded_from(np.arange(len(cells)), cells, "str")


def dimension(frame: ColumnFrame, table: str, rows: np.ndarray, name: str) -> Values:
    """The breakdown dimension ``name`` (not a band) of each of ``rows``."""
    n = len(rows)
    if name == "occupation":
        return _occupation(frame, table, rows)
    if name == "occupation_group":
        return _occupation(frame, table, rows).map(lambda code: str(code)[:2] if code else None)
    if name == "residence":
        home = frame.through(table, rows, "seeker", lambda t, r: frame.take(t, "residence_code", r))
        return home.map(lambda code: str(code)[:5])
    if name == "resident":
        flags = _is_resident(frame, table, rows)
        codes = np.where(flags.known, np.where(flags.data, 0, 1), -1)
        return coded(codes.astype(np.int64), ["resident", "non_resident"])
    if name == "month":
        column = DATE_OF.get(table)
        if column is None:
            return blank(n)
        day = frame.take(table, column, rows)
        months = day.data.astype("datetime64[M]").view(np.int64)
        uniques, inverse = np.unique(np.where(day.known, months, -(10**9)), return_inverse=True)
        names = [f"{1970 + u // 12:04d}-{u % 12 + 1:02d}" if u > -(10**9) else None for u in uniques.tolist()]
        return coded_from(np.asarray(inverse, dtype=np.int64).reshape(-1), names, "str")
    if name == "segment":
        segments = frame.scope.segments
        if segments is None:
            return blank(n)
        ids = frame.through(table, rows, "seeker", lambda t, r: frame.take(t, "seeker_id", r))
        return ids.map(lambda sid: segments.get(str(sid)))
    if name == "partner_agency":
        return _partner_agency(frame, table, rows)
    if name == "employment_type":
        value = frame.field(table, rows, "employment_type")
        return value.map(lambda v: v.code if isinstance(v, CodedEnum) else None)
    if name == "gender":
        gender = frame.through(table, rows, "seeker", lambda t, r: frame.take(t, "gender", r))
        return gender.map(lambda v: v.code if isinstance(v, CodedEnum) else v)
    industry = frame.through(table, rows, "employer", lambda t, r: frame.take(t, "industry", r))
    return industry.map(lambda code: str(code) if code else None)


def _partner_agency(frame: ColumnFrame, table: str, rows: np.ndarray) -> Values:
    """The first truthy ``partner_agency`` of the row, its seeker or its placement."""
    found: list[Any] = [None] * len(rows)
    todo = np.ones(len(rows), dtype=bool)
    for name in (None, "seeker", "placement"):
        target, linked = (table, rows) if name is None else frame.link(table, rows, name)
        if "partner_agency" not in frame.data.extra_columns(target):
            continue
        at = np.flatnonzero(todo & (linked >= 0))
        cells = frame.take(target, "partner_agency", linked[at]).python()
        for i, cell in zip(at.tolist(), cells, strict=True):
            if cell:
                found[i] = str(cell)
                todo[i] = False
    return coded_from(np.arange(len(rows)), found, "str")
