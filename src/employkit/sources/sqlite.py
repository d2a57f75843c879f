"""A SQLite database as a data source: tables of the schema's names, read as text."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from attrs import frozen

from employkit.dataset import Dataset
from employkit.errors import Problem
from employkit.labels import Text
from employkit.packs import RuleMeta
from employkit.sources import limits
from employkit.sources.raw import _centre_from_toml, _Read, _scalar_text
from employkit.sources.schema import TABLE_ORDER
from employkit.sources.tables import RawRow

__all__ = ["SQLITE_SUFFIXES", "SqliteSource"]

#: The suffixes of a file read as a SQLite database.
SQLITE_SUFFIXES = frozenset({".sqlite", ".sqlite3", ".db"})
SQLITE_META = RuleMeta(rule_id="source.sqlite", title=Text("SQLite 데이터베이스", "SQLite database"))


@frozen
class SqliteSource:
    """A SQLite database (``.sqlite``, ``.sqlite3``, ``.db``) with the tables of the schema.

    Values are read as text. Row numbers in problems are 1-based positions in ``rowid``
    order.
    """

    meta: RuleMeta = SQLITE_META

    def can_open(self, location: str) -> bool:
        """Whether ``location`` is a file with a SQLite suffix."""
        path = Path(location)
        return path.suffix.lower() in SQLITE_SUFFIXES and path.is_file()

    def read(self, location: str) -> _Read:
        """The raw rows and reading problems."""
        read = _Read()
        path = Path(location)
        bounds = limits.current()
        try:
            # Read-only: the source is never written, never switched to WAL.
            with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
                db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, bounds.max_cell_bytes + 1)
                db.execute("PRAGMA trusted_schema = OFF")
                found = db.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view')")
                objects = {name: (kind, sql or "") for kind, name, sql in found}
                triggers = {r[0] for r in db.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")}
                for table in TABLE_ORDER:
                    if table not in objects:
                        continue
                    where = f"{path.name}:{table}"
                    read.files[table] = where
                    refused = _sqlite_refusal(db, table, *objects[table], table in triggers)
                    if refused:
                        read.problems.append(Problem(refused, where, table, code="unreadable"))
                        read.tables[table], read.numbers[table] = [], []
                        continue
                    _sqlite_rows(db, table, where, bounds, read)
                if "centre" in objects and not _sqlite_refusal(db, "centre", *objects["centre"], "centre" in triggers):
                    found = db.execute('SELECT "toml" FROM "centre"').fetchone()
                    if found and found[0]:
                        _centre_from_toml(str(found[0]).encode("utf-8"), f"{path.name}:centre", read)
        except sqlite3.Error as exc:
            reason = str(exc)
            if "too big" in reason:
                raise limits.too_many("max_cell_bytes", bounds.max_cell_bytes, "bytes in a cell", path.name) from None
            read.problems.append(Problem(f"cannot read the SQLite database: {reason}", path.name, code="unreadable"))
        if "seekers" not in read.tables:
            read.files.setdefault("seekers", f"{path.name}:seekers")
        return read

    def open(self, location: str) -> Dataset:
        """Read the database; raise :class:`DataError` listing every problem."""
        return self.read(location).dataset(str(location))

    def validate(self, location: str) -> list[Problem]:
        """Every problem of the database, errors and warnings, without raising."""
        return self.read(location).validate()


def _sqlite_refusal(db: sqlite3.Connection, table: str, kind: str, sql: str, triggered: bool) -> str | None:
    """Why ``table`` is not read (a view, a virtual table, triggers, generated columns), or ``None``.

    Only plain tables are read: a view or a virtual table runs code of the file's
    choosing (a recursive view never ends), and so do generated columns.
    """
    if kind == "view":
        return "is a VIEW; only tables are read (a view can run without end): store the rows in a table"
    if sql.lstrip().upper().startswith("CREATE VIRTUAL"):
        return "is a virtual table; only plain tables are read"
    if triggered:
        return "has triggers; only plain tables without triggers are read"
    hidden = [r for r in db.execute(f"PRAGMA table_xinfo({_quote(table)})") if r[6] in (2, 3)]
    if hidden:
        return f"has generated columns ({', '.join(str(r[1]) for r in hidden)}); only stored columns are read"
    return None


def _sqlite_rows(db: sqlite3.Connection, table: str, where: str, bounds: limits.DataLimits, read: _Read) -> None:
    cursor = db.execute(f"SELECT * FROM {_quote(table)}")
    columns = [d[0] for d in cursor.description]
    if len(columns) > bounds.max_columns:
        raise limits.too_many("max_columns", bounds.max_columns, "columns", where, table)
    rows: list[RawRow] = []
    while batch := cursor.fetchmany(1000):
        if len(rows) + len(batch) > bounds.max_rows:
            raise limits.too_many("max_rows", bounds.max_rows, "rows", where, table, bounds.max_rows + 1)
        rows.extend({c: _scalar_text(v) for c, v in zip(columns, values, strict=True)} for values in batch)
    read.tables[table] = rows
    read.numbers[table] = list(range(1, len(rows) + 1))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
