"""JSON records and datasets through the same validation as files: one edge for every input.

A JSON record has the shape :func:`employkit.converter.unstructure` gives a model record
(a seeker's intake answers under ``intake``, columns beyond the schema under ``extra``).
:func:`record` maps it onto one row of its table (:data:`~employkit.sources.schema.TABLES`)
and runs the checks of :func:`employkit.sources.tables.build_dataset` on it: the same cell
parsers (so ``하``, ``정규직``, ``예`` and ``2015.07.01`` are read as in a CSV file), the same
codes and ranges, resident registration numbers refused anywhere. What JSON adds is its
types, checked without coercion: ``true`` where a number belongs, ``1800000.5`` where a
whole number belongs, a number where a text id or code belongs, a list where an object
belongs — each is a problem with its code. Every problem names its JSON path, and all of
them are raised together as :class:`~employkit.errors.DataError`; nothing is half-built.

>>> import datetime as dt
>>> s = record({"seeker_id": "S1", "residence_code": "11140", "registered_on": "2016-01-04",
...             "birth_year": 1990, "intake": {"motivation": "하"}}, "seekers")
>>> s.intake.motivation.code
'low'
>>> try:
...     record({"seeker_id": "S1", "residence_code": "11140", "registered_on": "2016-01-04",
...             "birth_year": True, "intake": {"motivation": "very"}}, "seekers")
... except Exception as exc:
...     print(sorted((p.location, p.code) for p in exc.problems))
[('$.birth_year', 'wrong_type'), ('$.intake.motivation', 'unknown_value')]

:func:`dataset` reads a whole dataset-shaped object (``{"centre": {...}, "seekers": [...],
...}``), paths then starting with the table and the index: ``$.seekers[3].birth_year``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, cast

from employkit.dataset import Dataset
from employkit.errors import DataError, Problem
from employkit.model import (
    Centre,
    CentreLevel,
    Employer,
    FollowUpContact,
    Intake,
    Period,
    Placement,
    Seeker,
    Vacancy,
)
from employkit.sources import cells
from employkit.sources.schema import INTAKE_COLUMNS, TABLE_ORDER, TABLES, CellType
from employkit.sources.tables import _check, safe_problem

__all__ = ["RECORD_TABLES", "centre", "dataset", "intake", "json_text", "record"]

Path = tuple[str | int, ...]

#: The model class of each table's records.
RECORD_TABLES: Mapping[type, str] = {
    Seeker: "seekers",
    Employer: "employers",
    Vacancy: "vacancies",
    Placement: "placements",
    FollowUpContact: "followups",
}

_ONE: Mapping[str, str] = {
    "seekers": "seeker",
    "employers": "employer",
    "vacancies": "vacancy",
    "placements": "placement",
    "followups": "follow-up",
}
_NUMBERS: frozenset[CellType] = frozenset({"int", "wage", "float"})
_LISTS: frozenset[CellType] = frozenset({"list", "employment_types", "groups"})
_WHAT: Mapping[CellType, str] = {
    "int": "a whole number",
    "wage": "a whole number of KRW",
    "float": "a number",
    "bool": "true or false",
    "date": "a date as text (YYYY-MM-DD)",
    "id": "an identifier as text",
    "region": 'a region code as text ("11140")',
    "occupation": 'a KECO code as text ("5611")',
    "list": "a list of texts",
    "employment_types": "a list of employment types",
    "groups": "a list of target groups",
}


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple | set | frozenset):
        return "a list"
    return type(value).__name__


def _shown(value: object) -> str:
    """The value as a problem shows it (JSON, resident numbers masked)."""
    try:
        text = json.dumps(cells.mask_data(value), ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        text = _kind(value)
    return text


def json_text(kind: CellType, value: object) -> str | None:
    """The text a cell parser reads for a JSON (or DataFrame) ``value`` of a ``kind`` column.

    Texts pass as they are (the parsers accept the spellings of a CSV file). Numbers are
    accepted where the column holds numbers, ``true``/``false`` where it holds yes/no,
    lists where it holds several items; anything else raises
    :class:`~employkit.sources.cells.CellError` with code ``wrong_type``, never coerced.

    >>> json_text("wage", 1800000.0), json_text("bool", False), json_text("groups", ["youth", "청년"])
    ('1800000', 'false', 'youth;청년')
    >>> json_text("wage", True)
    Traceback (most recent call last):
    ...
    employkit.sources.cells.CellError: expected a whole number of KRW, found true
    """
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return value
    if kind == "date" and type(value) is dt.date:  # from Python callers
        return value.isoformat()
    what = _WHAT.get(kind, "a text")
    if isinstance(value, bool):
        if kind == "bool":
            return "true" if value else "false"
    elif isinstance(value, int | float):
        if kind in _NUMBERS:
            if isinstance(value, float) and not math.isfinite(value):
                raise cells.CellError(f"expected {what}, found {value!r}", "not_a_number")
            return cells.number_text(value)
    elif isinstance(value, list | tuple | set | frozenset) and kind in _LISTS:
        items = list(value)
        for item in items:
            if isinstance(item, Enum):
                continue
            if not isinstance(item, str):
                raise cells.CellError(f"expected {what}, found {_kind(item)} in the list", "wrong_type")
        return ";".join(str(i.value) if isinstance(i, Enum) else i for i in items)
    raise cells.CellError(f"expected {what}, found {_kind(value)}", "wrong_type")


class _Edge:
    """Problems of one input, with the columns already reported per row (not reported twice)."""

    def __init__(self, origin: str | None) -> None:
        self.origin = origin
        self.problems: list[Problem] = []
        self.reported: set[tuple[str, int, str]] = set()

    def add(self, reason: str, code: str, path: Path, value: object = None, severity: str = "error") -> None:
        shown = None if value is None else _shown(value)
        self.problems.append(Problem(reason, self.origin, value=shown, severity=severity, code=code, path=path))

    def rrn(self, value: object, path: Path) -> bool:
        """Report a resident number in ``value`` (keys and pairs of items too); whether one was found."""
        found = cells.rrn_found(value)
        if found is None:
            return False
        shown = found[1]
        self.problems.append(Problem(cells.RRN_REASON, self.origin, value=shown, code="rrn", path=path))
        return True

    def row(self, table: str, data: object, path: Path, index: int) -> dict[str, str | None] | None:
        """The row of one JSON record, its type problems reported; ``None`` if it is not an object."""
        if not isinstance(data, Mapping):
            self.add(f"expected an object (one {_ONE[table]} record), found {_kind(data)}", "wrong_type", path)
            return None
        columns = {c.name: c for c in TABLES[table]}
        nested = {"intake": INTAKE_COLUMNS} if table == "seekers" else {}
        row: dict[str, str | None] = {name: None for name in columns}
        for key, value in data.items():
            name = str(key)
            if cells.find_rrn(name):
                self.add(f"a key {cells.RRN_REASON}", "rrn", (*path, name))
                continue
            if name in nested:
                self._nested(table, name, nested[name], value, path, index, row, columns)
            elif name == "extra" and table != "followups":
                self._extra(table, value, path, index, row)
            elif name in columns and name not in INTAKE_COLUMNS:
                self._cell(table, columns[name].type, name, value, (*path, name), index, row)
            else:
                self.add(f"unknown field {name!r} for a {_ONE[table]} record", "unknown_field", (*path, name), value)
        return row

    def _cell(
        self, table: str, kind: CellType, column: str, value: object, path: Path, index: int, row: dict[str, Any]
    ) -> None:
        # texts are searched by the table's own checks; other values here, before their type is judged
        if not isinstance(value, str) and self.rrn(value, path):
            self.reported.add((table, index, column))
            return
        try:
            row[column] = json_text(kind, value)
        except cells.CellError as exc:
            self.add(str(exc), exc.code, path, value)
            self.reported.add((table, index, column))

    def _nested(
        self,
        table: str,
        name: str,
        names: Sequence[str],
        value: object,
        path: Path,
        index: int,
        row: dict[str, Any],
        columns: Mapping[str, Any],
    ) -> None:
        if value is None:
            return
        if not isinstance(value, Mapping):
            self.add(f"expected an object ({name}), found {_kind(value)}", "wrong_type", (*path, name), value)
            return
        for key, item in value.items():
            where = (*path, name, str(key))
            if cells.find_rrn(str(key)):
                self.add(f"a key {cells.RRN_REASON}", "rrn", where)
            elif key in names:
                self._cell(table, columns[key].type, str(key), item, where, index, row)
            else:
                self.add(f"unknown field {key!r} in {name}", "unknown_field", where, item)

    def _extra(self, table: str, value: object, path: Path, index: int, row: dict[str, Any]) -> None:
        if value is None:
            return
        if not isinstance(value, Mapping):
            self.add(f"expected an object (extra), found {_kind(value)}", "wrong_type", (*path, "extra"), value)
            return
        keys = [str(k) for k in value]
        split = cells.split_rrn(list(value.values()))
        if split is not None:  # 앞자리 and 뒷자리 in two fields
            where = (*path, "extra", keys[split])
            self.problems.append(
                Problem(
                    f"{cells.RRN_REASON} (split over two fields)",
                    self.origin,
                    value="******, *******",
                    code="rrn",
                    path=where,
                )
            )
            return
        for key, item in value.items():
            name = str(key)
            where = (*path, "extra", name)
            if cells.find_rrn(name):
                self.add(f"a key {cells.RRN_REASON}", "rrn", where)
            elif name in row:
                self.add(f"extra field {name!r} is a column of the schema", "duplicate_field", where, item)
            elif isinstance(item, Mapping | list | tuple):
                self.add(f"expected a text in extra, found {_kind(item)}", "wrong_type", where, item)
            elif not self.rrn(item, where):
                row[name] = None if item is None else json_text("text", _scalar(item))


def _scalar(item: object) -> object:
    """An extra value as the text a file would hold (numbers and true/false written out)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return cells.number_text(item)
    return item


def _column_path(table: str, column: str | None) -> Path:
    if not column:
        return ()
    name = column.split(" + ")[0]
    if table == "seekers" and name in INTAKE_COLUMNS:
        return ("intake", name)
    if any(c.name == name for c in TABLES[table]):
        return (name,)
    return ("extra", name)


def _located(problem: Problem, table: str, prefix: Path, origin: str | None) -> Problem:
    """A table problem (table, row, column) as a JSON problem (path)."""
    path = (*prefix, *_column_path(table, problem.column))
    return Problem(
        problem.reason,
        origin,
        value=problem.value,
        severity=problem.severity,
        code=problem.code,
        path=path,
        reason_ko=problem.reason_ko,
    )


def _run(
    edge: _Edge, tables: Mapping[str, list[dict[str, str | None]]], prefixes: Mapping[str, list[Path]], whole: bool
) -> dict[str, list[object]]:
    numbers = {name: list(range(len(rows))) for name, rows in tables.items()}
    records, problems = _check(tables, {}, numbers, whole=whole)
    for problem in problems:
        table = problem.table or "seekers"
        if problem.row is not None and (table, problem.row, (problem.column or "").split(" + ")[0]) in edge.reported:
            continue  # already reported with its JSON type
        if problem.row is not None and table in prefixes:
            prefix: Path = prefixes[table][problem.row]
        else:
            prefix = (table,) if whole else ()
        edge.problems.append(_located(problem, table, prefix, edge.origin))
    return records


def _raise(edge: _Edge, summary: str) -> None:
    if any(p.severity == "error" for p in edge.problems):
        problems = sorted(edge.problems, key=lambda p: tuple((isinstance(s, int), str(s).zfill(12)) for s in p.path))
        raise DataError([safe_problem(p) for p in problems], summary)


def record(data: object, table: str, *, origin: str | None = None) -> Any:
    """One record of ``table`` from its JSON shape, or :class:`DataError` with every problem."""
    edge = _Edge(origin)
    row = edge.row(table, data, (), 0)
    if row is None:
        _raise(edge, f"cannot read a {_ONE[table]} record")
    assert row is not None
    records = _run(edge, {table: [row]}, {table: [()]}, whole=False)
    _raise(edge, f"cannot read a {_ONE[table]} record")
    return records[table][0]


def intake(data: object, *, origin: str | None = None) -> Intake:
    """An :class:`~employkit.model.Intake` from its JSON shape (checked as a seeker's ``intake``)."""
    edge = _Edge(origin)
    if not isinstance(data, Mapping):
        edge.add(f"expected an object (intake), found {_kind(data)}", "wrong_type", ())
        _raise(edge, "cannot read intake answers")
    columns = {c.name: c for c in TABLES["seekers"]}
    values: dict[str, Any] = {}
    for key, value in cast(Mapping[str, Any], data).items():
        if key not in INTAKE_COLUMNS:
            edge.add(f"unknown field {key!r} in intake", "unknown_field", (str(key),), value)
            continue
        try:
            text = json_text(columns[key].type, value)
            if text is not None and text.strip():
                values[key] = _parse(columns[key].type, text)
        except ValueError as exc:
            edge.add(str(exc), cells.error_code(exc), (key,), value)
    _raise(edge, "cannot read intake answers")
    return Intake(**values)


def _parse(kind: CellType, text: str) -> Any:
    from employkit.sources.checks import _PARSERS

    return _PARSERS[kind](text)


def centre(data: object, *, origin: str | None = None, path: Path = ()) -> Centre:
    """A :class:`~employkit.model.Centre` from its JSON shape, or :class:`DataError`."""
    edge = _Edge(origin)
    built = _centre(edge, data, path)
    _raise(edge, "cannot read the centre")
    assert built is not None
    return built


def _centre(edge: _Edge, data: object, path: Path) -> Centre | None:
    if not isinstance(data, Mapping):
        edge.add(f"expected an object (the centre), found {_kind(data)}", "wrong_type", path)
        return None
    if edge.rrn(data, path):
        return None
    start = len(edge.problems)
    values: dict[str, Any] = {}

    def field(key: str, kind: CellType, parse: Any) -> None:
        value = data.get(key)
        try:
            text = json_text(kind, value)
            if text is not None and text.strip():
                values[key] = parse(text)
        except ValueError as exc:
            edge.add(str(exc), cells.error_code(exc), (*path, key), value)

    field("name", "text", str.strip)
    field("level", "text", lambda t: cells.parse_enum(CentreLevel, t))
    field("region_code", "region", cells.parse_region)
    field("counsellors", "int", cells.parse_int)
    field("officials", "int", cells.parse_int)
    for key in ("name", "level"):
        if key not in values and not any(p.path[len(path) :][:1] == (key,) for p in edge.problems[start:]):
            edge.add("missing required value", "required", (*path, key))
    for key in ("targets", "budget_krw"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, Mapping):
            edge.add(f"expected an object (year: number), found {_kind(value)}", "wrong_type", (*path, key), value)
            continue
        years: dict[int, int] = {}
        for year, amount in value.items():
            where = (*path, key, str(year))
            try:
                number = cells.parse_int(str(year))
                if not 1900 <= number <= 2100:
                    raise cells.CellError("year out of range: expected 1900 to 2100", "out_of_range")
            except ValueError as exc:
                edge.add(f"a year as key: {exc}", cells.error_code(exc), where, year)
                continue
            try:
                text = json_text("int", amount)
                if text is None:
                    raise cells.CellError("missing required value", "required")
                years[number] = cells.parse_int(text)
            except ValueError as exc:
                edge.add(str(exc), cells.error_code(exc), where, amount)
        values[key] = years
    period = data.get("period")
    if period is not None:
        if not isinstance(period, Mapping):
            edge.add(f"expected an object (start, end), found {_kind(period)}", "wrong_type", (*path, "period"), period)
        else:
            days: dict[str, Any] = {}
            for key in ("start", "end"):
                value = period.get(key)
                try:
                    text = json_text("date", value)
                    if text is None:
                        raise cells.CellError("missing required value", "required")
                    days[key] = cells.parse_date(text)
                except ValueError as exc:
                    edge.add(str(exc), cells.error_code(exc), (*path, "period", key), value)
            for key in period.keys() - {"start", "end"}:
                edge.add(f"unknown field {key!r} in period", "unknown_field", (*path, "period", str(key)))
            if len(days) == 2:
                if days["end"] < days["start"]:
                    edge.add("the period ends before it starts", "date_order", (*path, "period", "end"), period)
                else:
                    values["period"] = Period(days["start"], days["end"])
    known = {"name", "level", "region_code", "counsellors", "officials", "targets", "budget_krw", "period"}
    for key in data.keys() - known:
        edge.add(f"unknown field {key!r} for the centre", "unknown_field", (*path, str(key)), data[key])
    if len(edge.problems) > start:
        return None
    return Centre(**values)


def dataset(data: object, *, origin: str = "json") -> Dataset:
    """A :class:`~employkit.dataset.Dataset` from a dataset-shaped JSON object, or :class:`DataError`.

    ``{"centre": {...}, "seekers": [...], "employers": [...], "vacancies": [...],
    "placements": [...], "followups": [...]}``; only ``seekers`` is required. The checks
    are those of a folder of files (duplicate ids, references between tables too); paths
    start with the table and the index: ``("seekers", 3, "birth_year")``.
    """
    edge = _Edge(origin)
    summary = f"cannot load {origin}"
    if not isinstance(data, Mapping):
        edge.add(f"expected an object of tables, found {_kind(data)}", "wrong_type", ())
        _raise(edge, summary)
    body = cast(Mapping[str, Any], data)
    built_centre = _centre(edge, body["centre"], ("centre",)) if body.get("centre") is not None else None
    tables: dict[str, list[dict[str, str | None]]] = {}
    prefixes: dict[str, list[Path]] = {}
    for key, value in body.items():
        if key == "centre":
            continue
        if key not in TABLES:
            what = "a key " + cells.RRN_REASON if cells.find_rrn(str(key)) else f"unknown table {key!r}"
            code = "rrn" if cells.find_rrn(str(key)) else "unknown_table"
            edge.add(f"{what}; expected centre, {', '.join(TABLE_ORDER)}", code, (str(key),))
            continue
        if not isinstance(value, list):
            edge.add(f"expected a list of {key} records, found {_kind(value)}", "wrong_type", (key,), None)
            tables.setdefault(key, [])  # present, if unreadable: not also reported missing
            continue
        rows, paths = tables.setdefault(key, []), prefixes.setdefault(key, [])
        for index, item in enumerate(value):
            row = edge.row(key, item, (key, index), len(rows))
            if row is not None:
                rows.append(row)
                paths.append((key, index))
    ordered = {name: tables[name] for name in TABLE_ORDER if name in tables}
    records = _run(edge, ordered, prefixes, whole=True)
    _raise(edge, summary)
    return Dataset.from_tables(records, built_centre, origin)
