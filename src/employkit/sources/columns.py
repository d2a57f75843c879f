"""Clean tables checked and built column by column: the fast path of the validating edge.

A national month holds millions of cells. :func:`clean_records` runs every check of
:mod:`employkit.sources.tables` once per distinct value of a column (or once per
distinct combination of the columns a row check reads) instead of once per cell, and
builds the records in bulk. It reports no problem: it answers the records when the
tables have none, neither error nor warning, and ``None`` otherwise — then the row by
row check runs and names every problem with its file, row and column. So the problems,
their order and the records are those of the row path; only the time differs.

The records are built without calling each class's ``__init__``: the checks here are
those the record classes make (ranges, codes, the order of dates), so each record is
made once, with its fields set column by column, and identical values (dates, codes,
sets, intake answers) are shared between records.
"""

from __future__ import annotations

import datetime as dt
import gc
import operator
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import compress, repeat
from typing import Any

import attrs

from employkit.codes import check_occupation, check_region
from employkit.model import (
    FIXED_TERM_TYPES,
)
from employkit.sources import cells
from employkit.sources.aliases import SourceMap
from employkit.sources.bulk import CLASSES, build_records
from employkit.sources.checks import (
    _AGE_COLUMNS,
    _CONTROL,
    _HOURS_COLUMNS,
    _PARSERS,
    _REGION_DATES,
    _WAGE_COLUMNS,
    AGE_RANGE,
    BIRTH_YEARS,
    MAX_CELL,
    MAX_HOURS,
    MAX_WAGE,
    _canonical,
    _header_map,
    _region_of,
    _text,
)
from employkit.sources.schema import ID_COLUMNS, REFERENCES, TABLE_ORDER, TABLES, Column

__all__ = ["Columns", "clean_records", "paused_collection"]

RawRow = Mapping[str, str | None]


class Columns:
    """A table read as columns: the header's ``names`` and one list of ``cells`` per name.

    A cell past the end of a short row is ``None``; a column whose header is empty is
    kept (readers report its values) but left out of the rows. ``distinct`` may give,
    for each column, its distinct cells (a set, or the keys of a mapping), as a reader found them.
    Iterating gives the rows as mappings from name to cell, as readers give rows.
    """

    __slots__ = ("cells", "distinct", "length", "names")

    def __init__(
        self,
        names: Sequence[str],
        cells: Sequence[Sequence[str | None]],
        length: int,
        distinct: Sequence[Collection[str | None]] | None = None,
    ) -> None:
        self.names = list(names)
        self.cells = list(cells)
        self.length = length
        self.distinct = distinct

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[RawRow]:
        keep = [(i, name) for i, name in enumerate(self.names) if name]
        for values in zip(*self.cells, strict=True):
            yield {name: values[i] for i, name in keep}


_Found = tuple[list[str], list[Sequence[Any]], int, list[Collection[Any]] | None]


def _columns_of(rows: Iterable[RawRow]) -> _Found | None:
    """Header, columns, length and distinct cells of ``rows``, if they are columns or rows of one shape."""
    if isinstance(rows, Columns):
        named = [i for i, n in enumerate(rows.names) if n]
        if len({rows.names[i] for i in named}) != len(named):
            return None
        distinct = None if rows.distinct is None else [rows.distinct[i] for i in named]
        return [rows.names[i] for i in named], [rows.cells[i] for i in named], rows.length, distinct
    if not isinstance(rows, list | tuple):
        return None  # an iterator is read once, by the row path
    if not rows:
        return [], [], 0, None
    keys = tuple(rows[0])
    if any(tuple(row) != keys for row in rows):
        return None
    columns: list[Sequence[Any]] = [list(c) for c in zip(*(row.values() for row in rows), strict=True)]
    return [str(k) for k in keys], columns, len(rows), None


@attrs.define
class _Parsed:
    """One table's columns after the checks: parsed values (``None`` for empty) by column."""

    n: int
    values: dict[str, Sequence[Any]] = attrs.field(factory=dict)
    extra: list[str] = attrs.field(factory=list)  # columns outside the schema, kept as text
    #: the distinct values of columns kept as written, as the reader found them
    known: dict[str, Collection[Any]] = attrs.field(factory=dict)

    def column(self, key: str) -> Iterable[Any]:
        return self.values[key] if key in self.values else repeat(None, self.n)

    def distinct(self, key: str) -> Collection[Any]:
        """The distinct values of column ``key`` (``None`` among them for empty cells)."""
        found = self.known.get(key)
        return found if found is not None else set(self.values[key])


def _parse_value(table: str, key: str, kind: str, text: str, today: dt.date) -> tuple[bool, Any]:
    """``(ok, value)`` of one distinct text of a known column, with every check of the value alone."""
    if kind == "id" and text.isascii():
        return True, text  # what parse_id gives ASCII text: no folding, no look-alike letter
    try:
        value = _PARSERS[kind](text)  # type: ignore[index]
    except ValueError:
        return False, None
    if kind == "id" and value != text:
        return False, None
    if kind == "region" and check_region(value) != value:
        return False, None
    if kind == "occupation" and check_occupation(value) != value:
        return False, None
    if key in _WAGE_COLUMNS and value > MAX_WAGE:
        return False, None
    if key in _HOURS_COLUMNS and not 0 < value <= MAX_HOURS:
        return False, None
    if key in _AGE_COLUMNS and not AGE_RANGE[0] <= value <= AGE_RANGE[1]:
        return False, None
    if table == "vacancies" and key == "openings" and value < 1:
        return False, None
    if (
        table == "seekers"
        and key == "birth_year"
        and not (BIRTH_YEARS[0] <= value <= BIRTH_YEARS[1] and value <= today.year)
    ):
        return False, None
    if table == "seekers" and key == "birth_date" and value > today:
        return False, None
    return True, value


_DIGITS = "0123456789"
_NO_DIGITS = str.maketrans("", "", _DIGITS)
_NO_SEPARATORS = str.maketrans("", "", cells.RRN_SEPARATORS)
_NO_SEPARATORS_OR_DIGITS = str.maketrans("", "", cells.RRN_SEPARATORS + _DIGITS)


def _screen(text: str) -> tuple[bool, str | None]:
    """``(may hold a resident number, half of one)`` of a cell's text, as :mod:`employkit.sources.cells` reads it.

    The half is what :func:`cells.split_rrn` takes for one: 6 or 7 digits, separators
    left out. ASCII text is screened by its digits alone; other text by the cells' own
    functions.
    """
    if not text.isascii():
        return cells.find_rrn(text), cells._piece(text)
    digits = len(text) - len(text.translate(_NO_DIGITS))
    if digits < 6:
        return False, None
    half = text.translate(_NO_SEPARATORS) if digits <= 7 and not text.translate(_NO_SEPARATORS_OR_DIGITS) else None
    return digits >= 13 and cells.find_rrn(text), half if half is not None and len(half) in (6, 7) else None


_NOT_DIGITS = re.compile(r"[^0-9\n]+")
_ASCII_NOT_DIGITS = str.maketrans(
    "", "", "".join(chr(c) for c in range(128) if not chr(c).isdigit() and chr(c) != "\n")
)
_NOR_SEPARATORS_OR_DIGITS = str.maketrans("", "", cells.RRN_SEPARATORS.replace("\n", "") + _DIGITS)


def _may_hold_numbers(folded: str, texts: Sequence[str]) -> list[str]:
    """The texts (joined by newlines in ``folded``, folded) that may hold a resident number or half of one.

    Those with 13 digits or more, and those made of digits and separators alone; the
    others cannot, as :func:`cells.find_rrn` and :func:`cells.split_rrn` read them.
    """
    if not texts:
        return []
    digits = (folded.translate(_ASCII_NOT_DIGITS) if folded.isascii() else _NOT_DIGITS.sub("", folded)).split("\n")
    rest = folded.translate(_NOR_SEPARATORS_OR_DIGITS).split("\n")
    found: list[str] = []
    if max(map(len, digits)) >= 13:
        found += compress(texts, map((12).__lt__, map(len, digits)))
    if "" in rest:
        found += compress(texts, map(operator.not_, rest))
    return found


_Column = tuple[Sequence[Any], dict[Any, str]]


def _as_written(
    column: Column | None, spelled: Mapping[str, str] | None, raw: Sequence[Any], distinct: Collection[Any]
) -> _Column | None:
    """A column of identifiers or free text whose cells are kept as written, checked all at once; else ``None``.

    The distinct cells are joined into one text and searched once for what the row path
    refuses or changes: control characters, blanks around a value, over-long cells, a
    folded identifier. Only the few cells that may hold (half) a resident number are
    then looked at one by one. ``None`` leaves the column to :func:`_each`.
    """
    if spelled is not None or (column is not None and column.type not in ("id", "text")):
        return None
    texts = list(filter(None, distinct))
    blank = len(texts) < len(distinct)
    if blank and column is not None and column.required:
        return None
    joined = "\n".join(texts)
    if not joined.isascii() and (column is None or column.type == "id"):
        return None  # identifiers are folded, extra cells are kept folded or not: one by one
    if joined.count("\n") != len(texts) - 1 or _CONTROL.search(joined):
        return None
    if "\n".join(map(str.strip, texts)) != joined:
        return None  # blanks around a value: the row path strips them
    if texts and max(map(len, texts)) > MAX_CELL:
        return None
    folded = joined if joined.isascii() else cells.fold_text(joined)
    if folded.count("\n") != len(texts) - 1:
        return None
    halves: dict[Any, str] = {}
    for text in _may_hold_numbers(folded, texts):
        number, half = _screen(text)
        if number:
            return None
        if half is not None:
            halves[text] = half
    if not blank:
        return raw, halves
    empty = {v: None for v in distinct if not v}
    return list(map(empty.get, raw, raw)), halves


def _each(
    name: str,
    key: str,
    column: Column | None,
    spelled: Mapping[str, str] | None,
    raw: Sequence[Any],
    distinct: Collection[Any],
    today: dt.date,
) -> _Column | None:
    """A column checked one distinct cell at a time, as the row path checks each cell; ``None`` at any problem."""
    values: dict[Any, Any] = {}
    halves: dict[Any, str] = {}
    for cell in distinct:
        text = _text(cell)
        if text is not None and column is not None and column.type == "id":
            text = cells.fold_text(text).strip() or None
        if text is None:
            if column is not None and column.required:
                return None
            values[cell] = None
            continue
        number, half = _screen(text)
        if number or len(text) > MAX_CELL or _CONTROL.search(text):
            return None
        if half is not None:
            halves[cell] = half
        if column is None:
            values[cell] = text
            continue
        if spelled is not None:
            text = spelled.get(text.strip(), text)
        ok, values[cell] = _parse_value(name, key, column.type, text, today)
        if not ok:
            return None
    if len(values) == 1:  # one value in every row
        return [*values.values()] * len(raw), halves
    return list(map(values.__getitem__, raw)), halves


def _parse_table(name: str, rows: Iterable[RawRow], mapping: SourceMap, today: dt.date) -> _Parsed | None:
    found = _columns_of(rows)
    if found is None:
        return None
    headers, raw_columns, n, distinct = found
    if n == 0:
        return _Parsed(0)
    names = _header_map(name)
    names.update(mapping.columns.get(name, {}))
    known = {c.name: c for c in TABLES[name]}
    keys: list[str] = []
    for header in headers:
        key = _canonical(header, names)
        if _CONTROL.search(key) or cells.find_rrn(key) or key in keys:
            return None
        keys.append(key)
    for col in TABLES[name]:
        if col.required and col.name not in keys:
            return None
    if name == "seekers" and not {"birth_year", "birth_date"} & set(keys):
        return None
    if any(f.default is attrs.NOTHING and f.name not in keys for f in attrs.fields(CLASSES[name])):
        return None
    parsed = _Parsed(n)
    pieces: list[dict[Any, str]] = []
    for index, (key, raw) in enumerate(zip(keys, raw_columns, strict=True)):
        column = known.get(key)
        spelled = mapping.values.get(key) if column is not None else None
        try:
            cells_ = set(raw) if distinct is None else distinct[index]
        except TypeError:  # an unhashable cell: the row path names it
            return None
        if not set(map(type, cells_)) <= {str, type(None)}:
            return None  # 1, 1.0 and True are one key but three texts: the row path reads each
        if column is None and name == "followups" and any(map(_text, cells_)):
            return None  # follow-ups keep no extra columns: a warning names it
        found_column = _as_written(column, spelled, raw, cells_) or _each(
            name, key, column, spelled, raw, cells_, today
        )
        if found_column is None:
            return None
        parsed.values[key], halves = found_column
        if parsed.values[key] is raw:
            parsed.known[key] = cells_
        if column is None:
            parsed.extra.append(key)
        pieces.append(halves)
    if not _rows_hold(name, parsed, keys, raw_columns, pieces):
        return None
    return parsed


def _split_number(
    front: Sequence[Any], back: Sequence[Any], fronts: Mapping[Any, str], backs: Mapping[Any, str]
) -> bool:
    """Whether a row holds the two halves of a resident number in these adjacent columns."""
    if not any(len(p) == 6 for p in fronts.values()) or not any(len(p) == 7 for p in backs.values()):
        return False
    for a, b in zip(front, back, strict=True):
        first, second = fronts.get(a), backs.get(b)
        if first and second and len(first) == 6 and len(second) == 7 and cells.is_rrn_digits(first + second):
            return True
    return False


def _rows_hold(
    name: str, parsed: _Parsed, keys: Sequence[str], raw: Sequence[Sequence[Any]], pieces: Sequence[Mapping[Any, str]]
) -> bool:
    """The checks of :mod:`employkit.sources.tables` and of the record classes that read several cells of a row."""
    for i in range(len(keys) - 1):
        if _split_number(raw[i], raw[i + 1], pieces[i], pieces[i + 1]):
            return False
    id_column = ID_COLUMNS.get(name)
    if id_column is not None and len(parsed.distinct(id_column)) != parsed.n:
        return False
    col = parsed.column
    for code_column, date_column in _REGION_DATES.get(name, ()):
        for code, day in set(zip(col(code_column), col(date_column), strict=False)):
            if code is not None and day is not None and not _region_of(code).valid_on(day):
                return False
    if name == "seekers":
        for registered, born_on, year in set(
            zip(col("registered_on"), col("birth_date"), col("birth_year"), strict=False)
        ):
            if born_on is None and year is None:
                return False
            if born_on is not None and year is not None and born_on.year != year:
                return False
            born = born_on or year
            if registered is not None and born is not None:
                born_year = born if isinstance(born, int) else born.year
                if born_year > registered.year or (not isinstance(born, int) and born > registered):
                    return False
    elif name == "vacancies":
        pairs = zip(col("posted_on"), col("closes_on"), col("min_age"), col("max_age"), strict=False)
        for posted, closes, low, high in set(pairs):
            if (closes is not None and closes < posted) or (low is not None and high is not None and low > high):
                return False
    elif name == "placements":
        rows = zip(col("employment_type"), col("start_date"), col("contract_end"), col("ended_on"), strict=False)
        for kind, start, end, ended in set(rows):
            if kind in FIXED_TERM_TYPES and end is None:
                return False
            if (end is not None and end < start) or (ended is not None and ended < start):
                return False
    return True


def _references_hold(parsed: Mapping[str, _Parsed]) -> bool:
    """Every reference to another table names one of its rows; follow-ups come after the start."""
    ids = {name: p.distinct(ID_COLUMNS[name]) if p.n else set() for name, p in parsed.items() if name in ID_COLUMNS}
    for (name, column), target in REFERENCES.items():
        table = parsed.get(name)
        if table is None or column not in table.values:
            continue
        given = table.distinct(column)
        if None in given:
            given = set(given) - {None}
        if given and (target not in ids or not all(map(ids[target].__contains__, given))):
            return False
    followups, placements = parsed.get("followups"), parsed.get("placements")
    if followups is not None and placements is not None and placements.n:
        starts = dict(zip(placements.column("placement_id"), placements.column("start_date"), strict=False))
        for placement, day in set(
            zip(followups.column("placement_id"), followups.column("contacted_on"), strict=False)
        ):
            start = starts.get(placement)
            if start is not None and day is not None and day < start:
                return False
    return True


@contextmanager
def paused_collection() -> Iterator[None]:
    """No cyclic garbage collection within the block (restored after it).

    Loading makes millions of objects and no cycle among them; each collection would
    walk them all again.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def clean_records(
    tables: Mapping[str, Iterable[RawRow]], mapping: SourceMap | None = None
) -> dict[str, list[object]] | None:
    """The records of ``tables`` if the whole dataset has no problem at all, else ``None``.

    The same checks as :func:`employkit.sources.tables.build_dataset`, run on columns:
    ``None`` whenever the row path would report anything, error or warning.
    """
    if "seekers" not in tables or any(name not in TABLES for name in tables):
        return None
    mapping = mapping or SourceMap()
    if {"contacted_on", *ID_COLUMNS.values()} & mapping.values.keys():
        return None  # the row path reads follow-up dates and identifiers as written
    today = dt.date.today()
    with paused_collection():
        parsed: dict[str, _Parsed] = {}
        for name in TABLE_ORDER:
            if name in tables:
                found = _parse_table(name, tables[name], mapping, today)
                if found is None:
                    return None
                parsed[name] = found
        if not _references_hold(parsed):
            return None
        records: dict[str, list[object]] = {}
        for name in list(parsed):
            table = parsed.pop(name)
            records[name] = build_records(CLASSES[name], table.n, table.values, table.extra)
        return records
