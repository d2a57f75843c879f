"""What every reader of a file shares: decoding, the rows and problems it found, the centre.

A reader fills a :class:`_Read` — the raw rows of each table (as
:class:`~employkit.sources.columns.Columns` or mappings of cell texts), the row number
of each, the file each table came from, the problems met while reading and the centre
of a ``centre.toml`` — and :meth:`_Read.dataset` hands it to the validating edge
(:func:`~employkit.sources.tables.build_dataset`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import field, frozen

from employkit.config import parse_config
from employkit.dataset import Dataset
from employkit.errors import ConfigError, DataError, Problem
from employkit.model import Centre
from employkit.sources import cells, limits
from employkit.sources.tables import RawRow, SourceMap, build_dataset, safe_problem, source_map, validate_tables

__all__ = ["CENTRE_FILE", "decode", "decode_problem"]

#: The centre's settings beside the tables of a folder.
CENTRE_FILE = "centre.toml"
_ENCODINGS = ("utf-8", "cp949", "euc-kr")


@frozen
class _Read:
    """What a reader found: rows, their numbers, files, problems and the centre."""

    tables: dict[str, Iterable[RawRow]] = field(factory=dict)
    numbers: dict[str, list[int]] = field(factory=dict)
    files: dict[str, str] = field(factory=dict)
    problems: list[Problem] = field(factory=list)
    centre: list[Centre] = field(factory=list)
    mapping: list[SourceMap] = field(factory=list)

    def dataset(self, origin: str) -> Dataset:
        found = [safe_problem(p) for p in self.problems]
        mapping = self.mapping[0] if self.mapping else None
        if any(p.severity == "error" for p in found):
            more = validate_tables(self.tables, self.files, row_numbers=self.numbers, mapping=mapping)
            raise DataError([*found, *more], f"cannot load {origin}")
        try:
            return build_dataset(
                self.tables,
                origin,
                self.files,
                centre=self.centre[0] if self.centre else None,
                row_numbers=self.numbers,
                mapping=mapping,
            )
        except DataError as exc:
            raise DataError([*found, *exc.problems], f"cannot load {origin}") from None

    def validate(self) -> list[Problem]:
        found = [safe_problem(p) for p in self.problems]
        mapping = self.mapping[0] if self.mapping else None
        return [*found, *validate_tables(self.tables, self.files, row_numbers=self.numbers, mapping=mapping)]


def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 with or without BOM, UTF-16 with BOM, else CP949 (a superset of EUC-KR).

    Bytes that decode as UTF-8 are UTF-8: CP949 is tried only when they do not. (Some
    short CP949 texts are valid UTF-8 too, but guessing CP949 for them turned "José"
    into "Jos챕" in files that were UTF-8; a CP949 file of any length almost never is.)

    Raises :class:`UnicodeDecodeError` if none fits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" as spreadsheet programs save it
        return data.decode("utf-16"), "utf-16"
    error: UnicodeDecodeError | None = None
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            error = error or exc
            continue
        return text, encoding
    assert error is not None
    raise error


def decode_problem(data: bytes, file: str, table: str | None = None) -> Problem:
    """The problem of bytes :func:`decode` refused, with the first line at fault.

    A file whose lines are partly UTF-8 Korean and partly another encoding (two exports
    pasted together) is named as such, with one line of each kind.
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    utf8_line: int | None = None
    other_line: int | None = None
    for number, raw in enumerate(data[3:].split(b"\n") if bom else data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
            continue
        if any(ord(ch) >= 0x800 for ch in text):
            utf8_line = utf8_line or number
    if bom and other_line is not None:
        return Problem(
            f"the file starts with a UTF-8 byte order mark but line {other_line} is not UTF-8; "
            "save the whole file in one encoding (UTF-8)",
            file,
            table,
            other_line,
            code="bad_encoding",
        )
    if utf8_line is not None and other_line is not None:
        return Problem(
            f"mixed encodings: line {utf8_line} is UTF-8 but line {other_line} is not; "
            "save the whole file in one encoding (UTF-8)",
            file,
            table,
            other_line,
            code="bad_encoding",
        )
    line = other_line or 1
    return Problem(
        "cannot decode the line: the file is not UTF-8, UTF-8 with BOM, CP949 or EUC-KR",
        file,
        table,
        line,
        code="bad_encoding",
    )


def _centre_from_toml(data: bytes, where: str, read: _Read) -> None:
    try:
        text, _ = decode(data)
        raw = tomllib.loads(text)
        # the source's own headers and spellings ([columns.<table>], [values.<column>])
        own: dict[str, Any] = {k: raw.pop(k) for k in ("columns", "values") if k in raw}
        if own:
            mapping, problems = source_map(own, where)
            read.mapping.append(mapping)
            read.problems.extend(problems)
        config = parse_config(raw, where)
    except UnicodeDecodeError:
        read.problems.append(decode_problem(data, where))
    except tomllib.TOMLDecodeError as exc:
        read.problems.append(Problem(f"not valid TOML: {exc}", where, code="bad_syntax"))
    except RecursionError:
        read.problems.append(Problem("not valid TOML: arrays or tables nested too deeply", where, code="bad_syntax"))
    except ConfigError as exc:
        reason = str(exc)
        read.problems.append(Problem(reason.removeprefix(f"{where}: "), where, code="bad_setting"))
    else:
        if config.centre is not None:
            read.centre.append(config.centre)


def _check_cells(
    values: Sequence[str], names: Sequence[str], bounds: limits.DataLimits, file: str, table: str, number: int
) -> None:
    """Raise :class:`LimitExceeded` for a cell over ``[data] max_cell_bytes``."""
    for i, value in enumerate(values):
        if bounds.cell_too_big(value):
            column = names[i] if i < len(names) and names[i] else f"#{i + 1}"
            raise limits.too_many(
                "max_cell_bytes", bounds.max_cell_bytes, "bytes in a cell", file, table, number, column
            )


def _scalar_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and (isinstance(value, int) or value.is_integer()):
        return cells.number_text(value)  # a resident number that lost its leading zeros gets them back
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


#: Table names as files and sheets name them: English or Korean, any case.
