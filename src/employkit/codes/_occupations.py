"""KECO occupation codes: the complete 2025 revision and the (partial) 2018 list.

* ``keco2025.csv`` — 한국고용직업분류 2025, complete (10 / 35 / 139 / 493 groups), generated
  by ``scripts/build_keco2025.py`` from Statistics Korea's classification portal data.
* ``keco.csv`` — KECO 2018, partial below the middle level (see its header): kept for the
  records coded before the 2025 revision. A code listed in 2018 only (12 of them: groups
  the 2025 revision renumbered or dropped) is still known, with its 2018 title.

A code is known if one of the two files lists it — exactly: an unlisted code is refused
even when its parent is listed (``5699`` is not a code although ``56`` is).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Literal, cast

from attrs import frozen

from employkit.codes._table import rows as _rows
from employkit.errors import InvalidArgument, InvalidValue, ReferenceDataError, UnknownCode

Lang = Literal["ko", "en"]
OccupationLevel = Literal["major", "middle", "minor", "detailed"]
KecoVersion = Literal["2025", "2018"]

#: KECO level name -> number of digits in a code of that level.
_KECO_DIGITS: dict[str, int] = {"major": 1, "middle": 2, "minor": 3, "detailed": 4}
_KECO_COLUMNS = ("code", "level", "name_ko", "name_en", "parent")
_FILES: dict[str, str] = {"2025": "keco2025.csv", "2018": "keco.csv"}


@frozen
class Occupation:
    """One KECO group: its code, level, Korean and English names, parent code and revision.

    ``parent`` is ``None`` for a major group. English names are employkit's own
    translations (empty where none was made: :meth:`name` then gives the Korean title).
    ``version`` is the KECO revision the title comes from (``"2025"`` or ``"2018"``).
    """

    code: str
    level: OccupationLevel
    name_ko: str
    name_en: str
    parent: str | None
    version: str = "2025"

    def name(self, lang: Lang = "ko") -> str:
        """The name in ``lang`` (``"ko"`` or ``"en"``; the Korean title if no English one)."""
        return self.name_ko if lang == "ko" or not self.name_en else self.name_en


@cache
def keco(version: KecoVersion) -> Mapping[str, Occupation]:
    """The groups of one KECO revision as shipped (2025 complete, 2018 partial), by code."""
    if version not in _FILES:
        raise InvalidArgument(f"KECO version must be '2025' or '2018', not {version!r}")
    filename = _FILES[version]
    table: dict[str, Occupation] = {}
    for number, row in _rows(filename, _KECO_COLUMNS):
        code, level = row["code"], row["level"]
        if level not in _KECO_DIGITS:
            raise ReferenceDataError(f"{filename}, line {number}: unknown level {level!r}")
        if not code.isdigit() or len(code) != _KECO_DIGITS[level]:
            raise ReferenceDataError(
                f"{filename}, line {number}: code {code!r} is not a {level} KECO code ({_KECO_DIGITS[level]} digits)"
            )
        if code in table:
            raise ReferenceDataError(f"{filename}, line {number}: duplicate code {code!r}")
        parent = row["parent"] or None
        if parent != (code[:-1] or None):
            raise ReferenceDataError(
                f"{filename}, line {number}: the parent of {code!r} must be "
                f"{code[:-1] or 'empty'!r}, not {row['parent']!r}"
            )
        table[code] = Occupation(
            code=code,
            level=cast(OccupationLevel, level),
            name_ko=row["name_ko"],
            name_en=row["name_en"],
            parent=parent,
            version=version,
        )
    return MappingProxyType(table)


@cache
def occupations() -> Mapping[str, Occupation]:
    """Every KECO group employkit knows, by code: KECO 2025 first, then 2018-only codes.

    The mapping is read-only and cached.
    """
    merged = dict(keco("2025"))
    for code, occ in keco("2018").items():
        merged.setdefault(code, occ)
    return MappingProxyType(merged)


def _keco_code(code: str) -> str:
    """``code`` without surrounding blanks, if it has the shape of a KECO code (1-4 digits)."""
    cleaned = code.strip() if isinstance(code, str) else ""
    if not (cleaned.isascii() and cleaned.isdigit() and 1 <= len(cleaned) <= 4):
        raise InvalidValue(
            f"{code!r} is not a KECO code: expected 1 to 4 digits, such as '5' "
            "(major), '56' (middle), '561' (minor) or '5611' (detailed)"
        )
    return cleaned


def check_occupation(code: str) -> str:
    """``code`` cleaned, if KECO 2025 or the shipped KECO 2018 list has it.

    >>> check_occupation("5611")
    '5611'
    >>> check_occupation("5699")
    Traceback (most recent call last):
    ...
    employkit.errors.UnknownCode: unknown KECO occupation code '5699': not in KECO 2025 (complete) nor in employkit's KECO 2018 list (56 청소 및 기타 개인서비스직 has no such group)
    >>> check_occupation("999999")
    Traceback (most recent call last):
    ...
    employkit.errors.InvalidValue: '999999' is not a KECO code: expected 1 to 4 digits, such as '5' (major), '56' (middle), '561' (minor) or '5611' (detailed)
    """  # noqa: E501
    cleaned = _keco_code(code)
    table = occupations()
    if cleaned in table:
        return cleaned
    parent = next((cleaned[:n] for n in (3, 2, 1) if n < len(cleaned) and cleaned[:n] in table), None)
    tail = f" ({parent} {table[parent].name_ko} has no such group)" if parent is not None else ""
    raise UnknownCode(
        f"unknown KECO occupation code {cleaned!r}: not in KECO 2025 (complete) nor in employkit's KECO 2018 list{tail}"
    )


def occupation_ancestors(code: str) -> tuple[str, ...]:
    """``code`` followed by its enclosing groups, up to its major group.

    Steps through the digit prefixes (4 → 3 → 2 → 1 digits) and keeps those the tables
    list; ``code`` itself is always first.

    >>> occupation_ancestors("5611")
    ('5611', '561', '56', '5')

    Raises :class:`ValueError` if ``code`` is not 1 to 4 digits.
    """
    code = _keco_code(code)
    table = occupations()
    return (code, *(code[:n] for n in (3, 2, 1) if n < len(code) and code[:n] in table))


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
    consulted.

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
    """Whether ``code`` is listed in KECO 2025 or employkit's KECO 2018 list (no exception).

    >>> is_known_occupation("5611"), is_known_occupation("5699"), is_known_occupation("x")
    (True, False, False)
    """
    try:
        check_occupation(code)
    except ValueError:
        return False
    return True
