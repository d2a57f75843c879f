"""Reading the CSV tables packaged with :mod:`employkit.codes`."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib.resources import files

from ..errors import ReferenceDataError


def rows(filename: str, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` from a packaged CSV, skipping ``#`` comment lines."""
    text = files("employkit.codes").joinpath(filename).read_text(encoding="utf-8-sig")
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    reader = csv.reader(line for _, line in numbered)
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != columns:
        raise ReferenceDataError(f"{filename}: expected the header {','.join(columns)!r}, found {header!r}")
    for (number, _), values in zip(numbered[1:], reader, strict=True):
        if len(values) != len(columns):
            raise ReferenceDataError(f"{filename}, line {number}: expected {len(columns)} columns, found {len(values)}")
        yield number, {key: value.strip() for key, value in zip(columns, values, strict=True)}
