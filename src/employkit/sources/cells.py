"""Parsers of single cells, and detection of resident registration numbers.

Every parser takes the text of a non-empty cell and returns a value, or raises
:class:`ValueError` whose message is a reason a counsellor can act on. Empty cells are
handled by the caller (they mean "missing").

>>> parse_bool("예"), parse_date("2015.07.01"), parse_int("1,500,000")
(True, datetime.date(2015, 7, 1), 1500000)
>>> find_rrn("900101-1234567"), mask_rrn("번호 900101-1234567")
(True, '번호 ******-*******')
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TypeVar

from employkit.codes import is_known_occupation, is_known_region
from employkit.labels import CodedEnum

__all__ = [
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
_RRN = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(\s?-\s?)?([1-8])(\d{6})(?!\d)")


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
            return dt.date.fromisoformat(cleaned)
        except ValueError:
            raise ValueError("not a date: use YYYY-MM-DD (also YYYY.MM.DD)") from None
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a valid date: {exc}") from None


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
    if negative and int(cleaned.replace(",", "")) != 0:
        raise ValueError("must not be negative")
    return int(cleaned.replace(",", ""))


def parse_float(text: str) -> float:
    """A decimal number such as ``40`` or ``37.5`` (``,`` as thousands separator allowed)."""
    cleaned = text.strip().replace(",", "")
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


#: Provinces whose districts the shipped region table lists in full (Seoul, Chungnam).
_COMPLETE_PROVINCES = frozenset({"11", "44"})


def parse_region(text: str) -> str:
    """A region code known to :mod:`employkit.codes` (8- and 10-digit codes by their 시군구)."""
    code = parse_code(text, "region code")
    if len(code) not in (2, 5, 8, 10):
        raise ValueError("not a region code: expected 2, 5, 8 or 10 digits")
    district = code if len(code) <= 5 else code[:5]
    if is_known_region(district):
        return code
    # The shipped table lists every province but districts only where it is complete;
    # elsewhere a district of a known province is accepted as it is.
    if len(district) == 5 and is_known_region(district[:2]) and district[:2] not in _COMPLETE_PROVINCES:
        return code
    raise ValueError("unknown region code (not in employkit's region table)")


def parse_occupation(text: str) -> str:
    """A KECO 2018 occupation code known to :mod:`employkit.codes`."""
    code = parse_code(text, "KECO occupation code")
    if not is_known_occupation(code):
        raise ValueError("unknown KECO occupation code")
    return code


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
    century = {"1": 1900, "2": 1900, "5": 1900, "6": 1900}.get(first, 2000)
    try:
        dt.date(century + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return True


def find_rrn(text: str) -> bool:
    """Whether ``text`` contains something shaped like a resident registration number.

    That is 6 digits forming a valid YYMMDD date, an optional ``-``, then 7 digits whose
    first is 1–8. The checksum is not required (numbers issued since October 2020 have
    none).

    >>> find_rrn("850230-1234567"), find_rrn("851231 2234567"), find_rrn("8512312234567")
    (False, False, True)
    """
    return any(_is_rrn(m) for m in _RRN.finditer(text))


def mask_rrn(text: str) -> str:
    """``text`` with the digits of every resident registration number replaced by ``*``."""

    def hide(match: re.Match[str]) -> str:
        if not _is_rrn(match):
            return match.group(0)
        return re.sub(r"\d", "*", match.group(0))

    return _RRN.sub(hide, text)
