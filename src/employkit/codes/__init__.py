"""Korean code lists shipped with employkit: KECO 2018 occupations and region codes.

Two small tables are package data, read on first use and cached:

* ``keco.csv`` — the 한국고용직업분류 2018 (KECO 2018, 한국고용정보원 / 고용24). All major
  (1-digit) and middle (2-digit) groups; minor (3-digit) and detailed (4-digit) groups
  only for the occupations a district job centre meets most. See :func:`occupations`.
* ``regions.csv`` — 행정표준코드 region codes: every 시도 (2 digits, old and new codes
  with validity dates) and some 시군구 (5 digits). See :func:`regions`.

Codes are always strings of digits: ``"0"`` (a KECO major group) and ``"11"`` (Seoul)
lose their meaning as integers.

>>> keco_distance("5611", "5612")
1
>>> region_name("11140", lang="en")
'Jung-gu'
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Literal, cast

from attrs import frozen

__all__ = [
    "Occupation",
    "OccupationLevel",
    "Region",
    "RegionLevel",
    "is_known_occupation",
    "is_known_region",
    "keco_distance",
    "occupation_ancestors",
    "occupations",
    "province_of",
    "region_name",
    "regions",
]

Lang = Literal["ko", "en"]
OccupationLevel = Literal["major", "middle", "minor", "detailed"]
RegionLevel = Literal["province", "district"]

#: KECO level name -> number of digits in a code of that level.
_KECO_DIGITS: dict[str, int] = {"major": 1, "middle": 2, "minor": 3, "detailed": 4}
_KECO_LENGTHS = (4, 3, 2, 1)
_KECO_COLUMNS = ("code", "level", "name_ko", "name_en", "parent")
_REGION_COLUMNS = ("code", "name_ko", "name_en", "level", "parent", "valid_from", "valid_to")


@frozen
class Occupation:
    """One KECO 2018 group: its code, level, Korean and English names and parent code.

    ``parent`` is ``None`` for a major group. English names are employkit's own
    translations; the Korean names are the KECO titles.
    """

    code: str
    level: OccupationLevel
    name_ko: str
    name_en: str
    parent: str | None

    def name(self, lang: Lang = "ko") -> str:
        """The name in ``lang`` (``"ko"`` or ``"en"``)."""
        return self.name_ko if lang == "ko" else self.name_en


@frozen
class Region:
    """One administrative region: a 시도 (``province``) or a 시군구 (``district``).

    ``valid_from`` and ``valid_to`` are inclusive; ``None`` means open-ended on that side.
    """

    code: str
    name_ko: str
    name_en: str
    level: RegionLevel
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    def name(self, lang: Lang = "ko") -> str:
        """The name in ``lang`` (``"ko"`` or ``"en"``)."""
        return self.name_ko if lang == "ko" else self.name_en

    def valid_on(self, on: dt.date) -> bool:
        """Whether the code was in force on ``on`` (both ends inclusive)."""
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_to is None or on <= self.valid_to


# --------------------------------------------------------------------------- loading


def _rows(filename: str, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, row)`` from a packaged CSV, skipping ``#`` comment lines."""
    text = files(__name__).joinpath(filename).read_text(encoding="utf-8-sig")
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    reader = csv.reader(line for _, line in numbered)
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != columns:
        raise ValueError(f"{filename}: expected the header {','.join(columns)!r}, found {header!r}")
    for (number, _), values in zip(numbered[1:], reader, strict=True):
        if len(values) != len(columns):
            raise ValueError(f"{filename}, line {number}: expected {len(columns)} columns, found {len(values)}")
        yield number, {key: value.strip() for key, value in zip(columns, values, strict=True)}


def _date(filename: str, number: int, column: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{filename}, line {number}, column {column}: {value!r} is not an ISO date") from None


@cache
def occupations() -> Mapping[str, Occupation]:
    """Every KECO 2018 group shipped with employkit, by code (read once, then cached).

    All 10 major and 35 middle groups are present; minor and detailed groups only for
    a selection of middle groups (see the header of ``keco.csv``). The mapping is
    read-only.
    """
    table: dict[str, Occupation] = {}
    for number, row in _rows("keco.csv", _KECO_COLUMNS):
        code, level = row["code"], row["level"]
        if level not in _KECO_DIGITS:
            raise ValueError(f"keco.csv, line {number}: unknown level {level!r}")
        if not code.isdigit() or len(code) != _KECO_DIGITS[level]:
            raise ValueError(
                f"keco.csv, line {number}: code {code!r} is not a {level} KECO code ({_KECO_DIGITS[level]} digits)"
            )
        if code in table:
            raise ValueError(f"keco.csv, line {number}: duplicate code {code!r}")
        parent = row["parent"] or None
        if parent != (code[:-1] or None):
            raise ValueError(
                f"keco.csv, line {number}: the parent of {code!r} must be "
                f"{code[:-1] or 'empty'!r}, not {row['parent']!r}"
            )
        table[code] = Occupation(
            code=code,
            level=cast(OccupationLevel, level),
            name_ko=row["name_ko"],
            name_en=row["name_en"],
            parent=parent,
        )
    return MappingProxyType(table)


@cache
def regions() -> Mapping[str, Region]:
    """Every region code shipped with employkit, by code (read once, then cached).

    Includes codes no longer in force (check :meth:`Region.valid_on`, or use
    :func:`is_known_region` with a date). The mapping is read-only.
    """
    table: dict[str, Region] = {}
    for number, row in _rows("regions.csv", _REGION_COLUMNS):
        code, level = row["code"], row["level"]
        if level not in ("province", "district"):
            raise ValueError(f"regions.csv, line {number}: unknown level {level!r}")
        expected = 2 if level == "province" else 5
        if not code.isdigit() or len(code) != expected:
            raise ValueError(f"regions.csv, line {number}: code {code!r} is not a {level} code ({expected} digits)")
        if code in table:
            raise ValueError(f"regions.csv, line {number}: duplicate code {code!r}")
        table[code] = Region(
            code=code,
            name_ko=row["name_ko"],
            name_en=row["name_en"],
            level=cast(RegionLevel, level),
            parent=row["parent"] or None,
            valid_from=_date("regions.csv", number, "valid_from", row["valid_from"]),
            valid_to=_date("regions.csv", number, "valid_to", row["valid_to"]),
        )
    return MappingProxyType(table)


# --------------------------------------------------------------------------- occupations


def _keco_code(code: str) -> str:
    """``code`` without surrounding blanks, if it has the shape of a KECO code (1-4 digits)."""
    cleaned = code.strip() if isinstance(code, str) else ""
    if not (cleaned.isascii() and cleaned.isdigit() and 1 <= len(cleaned) <= 4):
        raise ValueError(
            f"{code!r} is not a KECO 2018 code: expected 1 to 4 digits, such as '5' "
            "(major), '56' (middle), '561' (minor) or '5611' (detailed)"
        )
    return cleaned


def _keco_parent(code: str, table: Mapping[str, Occupation]) -> str | None:
    """The parent of ``code``: from the table if listed, else its next-shorter prefix."""
    known = table.get(code)
    if known is not None:
        return known.parent
    for length in _KECO_LENGTHS:
        if length < len(code):
            return code[:length]
    return None


def occupation_ancestors(code: str) -> tuple[str, ...]:
    """``code`` followed by its known enclosing groups, up to its major group.

    The chain follows the ``parent`` column of ``keco.csv``. Where a code is not in the
    table (most detailed codes are not), it steps to the next-shorter digit prefix
    (4 → 3 → 2 → 1 digits), so a detailed code still reaches the groups that are listed.
    ``code`` itself is always first; of the groups above it, only those in the table
    are returned.

    >>> occupation_ancestors("5611")
    ('5611', '561', '56', '5')
    >>> occupation_ancestors("3011")  # no minor groups of 30 are shipped
    ('3011', '30', '3')

    Raises :class:`ValueError` if ``code`` is not 1 to 4 digits.
    """
    code = _keco_code(code)
    table = occupations()
    chain = [code]
    parent = _keco_parent(code, table)
    while parent is not None:
        if parent in table:
            chain.append(parent)
        parent = _keco_parent(parent, table)
    return tuple(chain)


def keco_distance(a: str, b: str) -> int:
    """How far apart two KECO codes are, by the longest digit prefix they share.

    ====  ===========================================================
    0     the same code
    1     different codes in the same minor group (first 3 digits)
    2     the same middle group (first 2 digits), different minor group
    3     the same major group (first digit), different middle group
    4     different major groups
    ====  ===========================================================

    A shared prefix counts only if both codes are at least that long: ``"53"`` and
    ``"531"`` are 2 apart, ``"531"`` and ``"5311"`` 1 apart. The table is not
    consulted, so unlisted codes work too.

    >>> keco_distance("5311", "5323")
    2
    >>> keco_distance("5611", "6221")
    4

    Raises :class:`ValueError` if either code is not 1 to 4 digits.
    """
    a, b = _keco_code(a), _keco_code(b)
    if a == b:
        return 0
    for length, distance in ((3, 1), (2, 2), (1, 3)):
        if len(a) >= length and len(b) >= length and a[:length] == b[:length]:
            return distance
    return 4


def is_known_occupation(code: str) -> bool:
    """Whether ``code`` is in the table, or has a listed ancestor of at least 2 digits.

    So a detailed code not shipped here counts as known when its minor or middle group
    is listed (every middle group is), while ``"99"`` — no such middle group in
    KECO 2018 — does not: a major group alone is not enough. Anything that is not
    1 to 4 digits is simply not known (no exception).

    >>> is_known_occupation("3011"), is_known_occupation("99"), is_known_occupation("x")
    (True, False, False)
    """
    try:
        cleaned = _keco_code(code)
    except ValueError:
        return False
    table = occupations()
    if cleaned in table:
        return True
    return any(cleaned[:length] in table for length in (3, 2) if length < len(cleaned))


# --------------------------------------------------------------------------- regions


def province_of(region_code: str) -> str:
    """The 시도 part of a region code: its first two digits.

    Works for 2-digit 시도 codes, 5-digit 시군구 codes and 10-digit 법정동 codes. It does
    not translate between old and new codes: ``"45710"`` (완주군 before 2024-01-18) gives
    ``"45"``, ``"52710"`` gives ``"52"``. The table is not consulted.

    >>> province_of("11140")
    '11'

    Raises :class:`ValueError` if ``region_code`` is not at least two digits.
    """
    cleaned = region_code.strip() if isinstance(region_code, str) else ""
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) >= 2):
        raise ValueError(
            f"{region_code!r} is not a region code: expected digits, such as '11' (서울특별시) or '11140' (서울 중구)"
        )
    return cleaned[:2]


def region_name(code: str, lang: Lang = "ko") -> str:
    """The name of region ``code`` in ``lang`` (``"ko"`` or ``"en"``).

    Codes no longer in force still have their names. Raises :class:`KeyError` if the
    code is not in the table shipped with employkit.

    >>> region_name("11140")
    '중구'
    """
    region = regions().get(code.strip()) if isinstance(code, str) else None
    if region is None:
        raise KeyError(
            f"unknown region code {code!r}: not in employkit's region table "
            "(employkit/codes/regions.csv lists every 시도 and only some 시군구)"
        )
    if lang not in ("ko", "en"):
        raise ValueError(f"lang must be 'ko' or 'en', not {lang!r}")
    return region.name(lang)


def is_known_region(code: str, on: dt.date | None = None) -> bool:
    """Whether ``code`` is in the region table and, if ``on`` is given, in force that day.

    >>> is_known_region("42"), is_known_region("42", on=dt.date(2024, 6, 1))
    (True, False)
    """
    region = regions().get(code.strip()) if isinstance(code, str) else None
    if region is None:
        return False
    return on is None or region.valid_on(on)
