"""Limits on what reading an input may cost: rows, columns, cell size, workbook expansion.

Each limit is a setting of the centre configuration's ``[data]`` table, with a default
that holds any real centre's records and refuses inputs built to exhaust memory or time
(a header of a million columns, a sparse sheet 16,384 columns wide, a zip bomb, a SQLite
view that never ends). An input over a limit is refused at once with
:class:`~employkit.errors.LimitExceeded`, naming the limit and how to raise it:

.. code-block:: toml

   [data]
   max_rows = 1000000           # records in one table (file, sheet or SQLite table)
   max_columns = 500            # columns in one table
   max_cell_bytes = 1000000     # bytes of one cell (UTF-8)
   max_workbook_bytes = 100000000  # an .xlsx's uncompressed size
   max_compression_ratio = 100  # uncompressed / compressed, for each part of an .xlsx over 1 MB

:func:`employkit.sources.load` applies the configuration of the rule system it is given
(:func:`using`); readers called directly use :func:`current` (the defaults unless inside
:func:`using`).

>>> from employkit.config import parse_config
>>> DataLimits.from_config(parse_config({"data": {"max_rows": 10}})).max_rows
10
>>> error = too_many("max_rows", 10, "rows", "seekers.csv", "seekers", 12)
>>> print(str(error.problems[0]).split(";")[0])
seekers.csv, seekers, row 12: more than 10 rows: over the limit [data] max_rows = 10 (입력 한도 초과)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from attrs import asdict, frozen

from employkit.errors import ConfigError, LimitExceeded, Problem

__all__ = ["DataLimits", "current", "too_many", "using"]


@frozen
class DataLimits:
    """The ``[data]`` limits; see the module notes for what each bounds."""

    max_rows: int = 1_000_000
    max_columns: int = 500
    max_cell_bytes: int = 1_000_000
    max_workbook_bytes: int = 100_000_000
    max_compression_ratio: int = 100

    @classmethod
    def from_config(cls, config: Any) -> DataLimits:
        """The limits set in ``config``'s ``[data]`` table (a :class:`~employkit.config.CentreConfig`)."""
        values: dict[str, int] = {}
        for key in asdict(cls()):
            raw = config.setting("data", key) if config is not None else None
            if raw is None:
                continue
            if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
                raise ConfigError(f"[data] {key} must be a whole number ≥ 1, got {raw!r}")
            values[key] = raw
        return cls(**values)

    def cell_too_big(self, text: str) -> bool:
        """Whether ``text`` takes more than :attr:`max_cell_bytes` bytes in UTF-8."""
        return len(text) * 4 > self.max_cell_bytes and len(text.encode("utf-8", "surrogatepass")) > self.max_cell_bytes


_current: ContextVar[DataLimits] = ContextVar("employkit_data_limits", default=DataLimits())  # noqa: B039


def current() -> DataLimits:
    """The limits in force for this thread or task."""
    return _current.get()


@contextmanager
def using(limits: DataLimits) -> Iterator[DataLimits]:
    """Make ``limits`` :func:`current` within the block."""
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


def too_many(
    key: str,
    limit: int,
    what: str,
    file: str | None,
    table: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> LimitExceeded:
    """The error for an input over the limit ``[data] key``: raise it."""
    reason = (
        f"more than {limit:,} {what}: over the limit [data] {key} = {limit:,} (입력 한도 초과); "
        f"if the input is genuine, raise it in employkit.toml ([data] {key} = …)"
    )
    return LimitExceeded(
        [Problem(reason, file, table, row, column, code="too_large")], f"cannot load {file or 'the input'}"
    )
