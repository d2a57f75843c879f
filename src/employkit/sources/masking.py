"""Problems fit to print and log: resident registration numbers masked, long values cut."""

from __future__ import annotations

import attrs

from employkit.errors import Problem
from employkit.sources import cells

__all__ = ["safe_problem"]

_SHOWN = 80  # characters of a value shown in a problem


def safe_problem(problem: Problem) -> Problem:
    """``problem`` fit to print and log: resident registration numbers masked, long values cut.

    Every problem a reader or :func:`build_dataset` reports passes through here, so no
    message, table or log line ever shows a resident registration number found in the
    input, wherever it was (a cell, a header, a sheet name, a TOML key).

    >>> str(safe_problem(Problem("bad", "a.csv", "seekers", 2, "메모", "번호 900101-1234567")))
    "a.csv, seekers, row 2, column '메모': bad (value '번호 ******-*******')"
    """
    value = _masked(problem.value)  # masked before it is cut, so no part of a number shows
    if value is not None and len(value) > _SHOWN:
        value = f"{value[:_SHOWN]}… ({len(value):,} characters)"
    return attrs.evolve(
        problem,
        reason=cells.mask_rrn(problem.reason),
        file=_masked(problem.file),
        table=_masked(problem.table),
        column=_masked(problem.column),
        value=value,
        path=tuple(cells.mask_rrn(p) if isinstance(p, str) else p for p in problem.path),
    )


def _masked(text: str | None) -> str | None:
    return cells.mask_rrn(text) if text is not None and cells.find_rrn(text) else text
