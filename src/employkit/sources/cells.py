"""Parsers of single cells, and detection of resident registration numbers.

Every parser takes the text of a non-empty cell and returns a value, or raises
:class:`ValueError` whose message is a reason a counsellor can act on. Empty cells are
handled by the caller (they mean "missing").

>>> parse_bool("예"), parse_date("2015.07.01"), parse_int("1,500,000")
(True, datetime.date(2015, 7, 1), 1500000)
>>> find_rrn("900101-1234567"), mask_rrn("번호 900101-1234567")
(True, '번호 ******-*******')

Numbers are bounded so that every later step (arrays of 64-bit integers, date
arithmetic for follow-up schedules) can hold them: whole numbers have at most
:data:`MAX_DIGITS` digits and dates lie between :data:`MIN_DATE` and :data:`MAX_DATE`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TypeVar

from employkit.codes import check_occupation, check_region
from employkit.labels import CodedEnum

__all__ = [
    "MAX_DATE",
    "MAX_DIGITS",
    "MIN_DATE",
    "RRN_REASON",
    "find_rrn",
    "mask_rrn",
    "parse_bool",
    "parse_code",
    "parse_date",
    "parse_enum",
    "parse_enum_list",
    "parse_float",
    "parse_int",
    "parse_list",
    "parse_occupation",
    "parse_region",
]

E = TypeVar("E", bound=CodedEnum)

#: The reason given for a cell holding a resident registration number.
RRN_REASON = "looks like a resident registration number (주민등록번호); refused"

_TRUE = frozenset({"true", "1", "y", "yes", "t", "예", "네", "o"})
_FALSE = frozenset({"false", "0", "n", "no", "f", "아니오", "아니요", "x"})
_DATE = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?$")
_INT = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
# 6 digits, then nothing, a space, or a dash (any of the Unicode dashes, spaces around
# it allowed), then 7 digits; \d also matches full-width digits (９００１０１).
_RRN = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(\s*[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]\s*|\s)?(\d)(\d{6})(?!\d)")

#: The most digits a whole number may have (a 64-bit integer holds 18).
MAX_DIGITS = 15
#: The earliest and latest dates accepted in any date column.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


def parse_bool(text: str) -> bool:
    """``true``/``false``, ``1``/``0``, ``Y``/``N``, ``예``/``아니오`` (any case)."""
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError("not a yes/no value: use true/false, 1/0, Y/N or 예/아니오")


def parse_date(text: str) -> dt.date:
    """An ISO 8601 date (``2015-07-01``); also ``2015.07.01``, ``2015/07/01`` and ``2015-7-1``."""
    cleaned = text.strip()
    match = _DATE.match(cleaned)
    if match is None:
        try:
            day = dt.date.fromisoformat(cleaned)
        except ValueError:
            raise ValueError("not a date: use YYYY-MM-DD (also YYYY.MM.DD)") from None
    else:
        year, month, number = (int(g) for g in match.groups())
        try:
            day = dt.date(year, month, number)
        except ValueError as exc:
            raise ValueError(f"not a valid date: {exc}") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"date out of range: expected {MIN_DATE.year} to {MAX_DATE.year}")
    return day


def parse_int(text: str) -> int:
    """A whole number ≥ 0; thousands separators (``1,500,000``) and ``.0`` are accepted."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    negative = cleaned.startswith("-")
    if negative or cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if not _INT.match(cleaned):
        raise ValueError("not a whole number")
    if len(cleaned.replace(",", "")) > MAX_DIGITS:
        raise ValueError(f"number too large: more than {MAX_DIGITS} digits")
    if negative and int(cleaned.replace(",", "")) != 0:
        raise ValueError("must not be negative")
    return int(cleaned.replace(",", ""))


def parse_float(text: str) -> float:
    """A decimal number such as ``40`` or ``37.5`` (``,`` as thousands separator allowed)."""
    cleaned = text.strip().replace(",", "")
    if len(cleaned) > 40:
        raise ValueError("not a number (too long)")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError("not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return value


def parse_code(text: str, what: str = "code") -> str:
    """A code made of ASCII digits, such as a region or KECO code."""
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise ValueError(f"not a {what}: expected digits only")
    return cleaned


def parse_region(text: str) -> str:
    """A region code known to :mod:`employkit.codes` (8- and 10-digit codes by their 시군구).

    The same check as the record classes (:func:`employkit.codes.check_region`); whether
    the code was in force on the record's date is checked with the whole row.
    """
    code = parse_code(text, "region code")
    return check_region(code)


def parse_occupation(text: str) -> str:
    """A KECO occupation code known to :mod:`employkit.codes` (2025, or the 2018 list)."""
    code = parse_code(text, "KECO occupation code")
    return check_occupation(code)


def parse_list(text: str) -> frozenset[str]:
    """``;``-separated texts, blanks dropped."""
    return frozenset(part.strip() for part in text.split(";") if part.strip())


def parse_enum(cls: type[E], text: str) -> E:
    """A member of ``cls`` by its code, Korean label or English label."""
    return cls.parse(text)


def parse_enum_list(cls: type[E], text: str) -> frozenset[E]:
    """``;``-separated members of ``cls``; the error names every unknown item."""
    members: set[E] = set()
    unknown: list[str] = []
    for part in parse_list(text):
        try:
            members.add(cls.parse(part))
        except ValueError:
            unknown.append(part)
    if unknown:
        allowed = ", ".join(m.code for m in cls)
        raise ValueError(f"unknown {cls.__name__} {', '.join(sorted(unknown))}; expected one of: {allowed}")
    return frozenset(members)


def _is_rrn(match: re.Match[str]) -> bool:
    yy, mm, dd, _sep, first, _rest = match.groups()
    if not 1 <= int(first) <= 8:
        return False
    century = 1900 if int(first) in (1, 2, 5, 6) else 2000
    try:
        dt.date(century + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return True


def find_rrn(text: str) -> bool:
    """Whether ``text`` contains something shaped like a resident registration number.

    That is 6 digits forming a valid YYMMDD date, then nothing, a space or a dash (``-``
    or another Unicode dash, spaces around it allowed), then 7 digits whose first is 1–8.
    Full-width digits count too. The checksum is not required (numbers issued since
    October 2020 have none).

    >>> find_rrn("850230-1234567"), find_rrn("851231 2234567"), find_rrn("8512312234567")
    (False, True, True)
    >>> find_rrn("851231 – 2234567"), find_rrn("８５１２３１－２２３４５６７"), find_rrn("010-1234-5678")
    (True, True, False)
    """
    return any(_is_rrn(m) for m in _RRN.finditer(text))


def mask_rrn(text: str) -> str:
    """``text`` with the digits of every resident registration number replaced by ``*``."""

    def hide(match: re.Match[str]) -> str:
        if not _is_rrn(match):
            return match.group(0)
        return re.sub(r"\d", "*", match.group(0))

    return _RRN.sub(hide, text)
