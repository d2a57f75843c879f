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
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from employkit.codes import check_occupation, check_region
from employkit.errors import InvalidValue
from employkit.labels import CodedEnum

__all__ = [
    "GENDER_SPELLINGS",
    "MAX_DATE",
    "MAX_DIGITS",
    "MIN_DATE",
    "RRN_REASON",
    "RRN_SEPARATORS",
    "CellError",
    "error_code",
    "find_rrn",
    "fold_text",
    "is_rrn_digits",
    "list_text",
    "mask_data",
    "mask_rrn",
    "number_text",
    "parse_bool",
    "parse_code",
    "parse_date",
    "parse_enum",
    "parse_enum_list",
    "parse_float",
    "parse_gender",
    "parse_id",
    "parse_int",
    "parse_list",
    "parse_occupation",
    "parse_region",
    "restore_rrn",
    "rrn_found",
    "rrn_path",
    "split_rrn",
]

E = TypeVar("E", bound=CodedEnum)

#: The reason given for a cell holding a resident registration number.
RRN_REASON = "looks like a resident registration number (주민등록번호); refused"

_TRUE = frozenset({"true", "1", "y", "yes", "t", "예", "네", "o"})
_FALSE = frozenset({"false", "0", "n", "no", "f", "아니오", "아니요", "x"})
_DATE = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?$")
_INT = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
# yes/no written as words: in a number's place, a value of the wrong type (as JSON's true)
_BOOL_WORDS = frozenset({"true", "false", "yes", "no", "예", "아니오", "아니요"})
_FRACTION = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)\.\d+$")

#: The most digits a whole number may have (a 64-bit integer holds 18).
MAX_DIGITS = 15
#: The earliest and latest dates accepted in any date column.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


class CellError(InvalidValue):
    """A cell's value is refused: ``str(error)`` is the reason, ``code`` its problem code.

    The codes are those of :data:`employkit.problems.CODES`. A plain :class:`ValueError`
    from a parser counts as ``invalid``.
    """

    def __init__(self, reason: str, code: str = "invalid") -> None:
        super().__init__(reason)
        self.code = code


def error_code(exc: BaseException, default: str = "invalid") -> str:
    """The problem code of an error raised by a parser (``default`` for a plain ValueError)."""
    return getattr(exc, "code", default) if isinstance(exc, CellError) else default


def parse_bool(text: str) -> bool:
    """``true``/``false``, ``1``/``0``, ``Y``/``N``, ``예``/``아니오`` (any case)."""
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError("not a yes/no value: use true/false, 1/0, Y/N or 예/아니오", "unknown_value")


def parse_date(text: str) -> dt.date:
    """An ISO 8601 date (``2015-07-01``); also ``2015.07.01``, ``2015/07/01`` and ``2015-7-1``."""
    cleaned = text.strip()
    match = _DATE.match(cleaned)
    if match is None:
        try:
            day = dt.date.fromisoformat(cleaned)
        except ValueError:
            raise CellError("not a date: use YYYY-MM-DD (also YYYY.MM.DD)", "bad_date") from None
    else:
        year, month, number = (int(g) for g in match.groups())
        try:
            day = dt.date(year, month, number)
        except ValueError as exc:
            raise CellError(f"not a valid date: {exc}", "bad_date") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise CellError(f"date out of range: expected {MIN_DATE.year} to {MAX_DATE.year}", "out_of_range")
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
        if cleaned.casefold() in _BOOL_WORDS:
            raise CellError(f"not a whole number: a yes/no value ({cleaned})", "wrong_type")
        raise CellError("not a whole number", "not_whole" if _FRACTION.match(cleaned) else "not_a_number")
    if len(cleaned.replace(",", "")) > MAX_DIGITS:
        raise CellError(f"number too large: more than {MAX_DIGITS} digits", "out_of_range")
    if negative and int(cleaned.replace(",", "")) != 0:
        raise CellError("must not be negative", "out_of_range")
    return int(cleaned.replace(",", ""))


def parse_float(text: str) -> float:
    """A decimal number such as ``40`` or ``37.5`` (``,`` as thousands separator allowed)."""
    cleaned = text.strip().replace(",", "")
    if len(cleaned) > 40:
        raise CellError("not a number (too long)", "not_a_number")
    try:
        value = float(cleaned)
    except ValueError:
        if cleaned.casefold() in _BOOL_WORDS:
            raise CellError(f"not a number: a yes/no value ({cleaned})", "wrong_type") from None
        raise CellError("not a number", "not_a_number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError("not a finite number", "not_a_number")
    return value


_LOOKALIKE_SCRIPTS = re.compile("[\u0370-\u03ff\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")


def parse_id(text: str) -> str:
    """An identifier: folded (:func:`fold_text`: NFKC, invisible characters dropped) and trimmed.

    An identifier mixing Latin letters or digits with Greek or Cyrillic letters (``Ѕ``
    that looks like ``S``) is refused: it would count as a different person.

    >>> parse_id(" Ｓ000\u200b0001"), parse_id("구직자-7")
    ('S0000001', '구직자-7')
    """
    folded = fold_text(text).strip()
    other = _LOOKALIKE_SCRIPTS.search(folded)
    if other is not None and re.search(r"[A-Za-z0-9]", folded):
        raise CellError(
            f"mixes Latin letters or digits with a {unicodedata.name(other.group(0), 'non-Latin').split()[0].title()} "
            f"letter (U+{ord(other.group(0)):04X}) that looks alike; retype the identifier",
            "lookalike",
        )
    return folded


def parse_code(text: str, what: str = "code") -> str:
    """A code made of ASCII digits, such as a region or KECO code."""
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise CellError(f"not a {what}: expected digits only", "unknown_code")
    return cleaned


def parse_region(text: str) -> str:
    """A region code known to :mod:`employkit.codes` (8- and 10-digit codes by their 시군구).

    The same check as the record classes (:func:`employkit.codes.check_region`); whether
    the code was in force on the record's date is checked with the whole row.
    """
    code = parse_code(text, "region code")
    try:
        return check_region(code)
    except ValueError as exc:
        raise CellError(str(exc), "unknown_code") from None


def parse_occupation(text: str) -> str:
    """A KECO occupation code known to :mod:`employkit.codes` (2025, or the 2018 list)."""
    code = parse_code(text, "KECO occupation code")
    try:
        return check_occupation(code)
    except ValueError as exc:
        raise CellError(str(exc), "unknown_code") from None


def parse_list(text: str) -> frozenset[str]:
    """``;``-separated texts, blanks dropped."""
    return frozenset(part.strip() for part in text.split(";") if part.strip())


def parse_enum(cls: type[E], text: str) -> E:
    """A member of ``cls`` by its code, Korean label or English label."""
    try:
        return cls.parse(text)
    except ValueError as exc:
        raise CellError(str(exc), "unknown_value") from None


#: Spellings of a gender beyond :class:`~employkit.model.Gender`'s codes and labels.
GENDER_SPELLINGS: Mapping[str, str] = {"남": "M", "남자": "M", "여": "F", "여자": "F"}


def parse_gender(cls: type[E], text: str) -> E:
    """A gender: ``F``/``M``/``X``, 여성/남성/기타, female/male/other, also 여/남 and 여자/남자."""
    cleaned = text.strip()
    return parse_enum(cls, GENDER_SPELLINGS.get(cleaned, cleaned))


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
        raise CellError(
            f"unknown {cls.__name__} {', '.join(sorted(unknown))}; expected one of: {allowed}", "unknown_value"
        )
    return frozenset(members)


# --------------------------------------------------------------------------- resident numbers
#
# The one detector of resident registration numbers (주민등록번호). Every edge uses it:
# the readers (cells, headers, sheet names, numeric cells, adjacent cells of a row),
# employkit.converter (JSON in and out), the command line (every argument), the
# configuration, the follow-up store's free text and every published output.
#
# A number is 13 digits: YYMMDD, then a digit giving sex and century (1-8; 9 and 0 are
# births in the 1800s, none of whom is a jobseeker), then 6 digits. The last digit was a
# checksum until October 2020; numbers issued since then have none, so the checksum
# cannot be required. What keeps false positives low is the structure: the 6 digits
# must be a real date, not in the future, in the century the 7th digit gives, and the
# 13 digits must stand alone (not inside a longer run of digits).
#
# Before looking, text is folded: NFKC (full-width digits and spaces, compatibility
# forms), invisible characters dropped (Unicode category Cf: zero-width space, word
# joiner, soft hyphen, byte-order mark, bidirectional marks), any decimal digit read as
# its value. The two parts may then be separated by up to three separator characters
# (spaces, dashes of any kind, ``.``, ``/``, ``_``, ``~``, ``,``, ``;``, ``·``, ``ー``),
# and so may single digits spaced out: ``870412 - 2931746``, ``870412/2931746`` and
# ``8 7 0 4 1 2 2 9 3 1 7 4 6`` are found, while digit runs of other shapes (decimal
# numbers in a row of figures, the digits of an identifier such as ``V0001092``
# directly after a letter) are not read as one. Numbers that lost their leading zeros
# as numeric spreadsheet or JSON cells (births in 2000-2009) are restored by
# :func:`restore_rrn`, and a number split over two adjacent cells of a row
# (앞자리/뒷자리) is found by :func:`split_rrn`.

#: Separator characters allowed between the digits of a number (after NFKC).
RRN_SEPARATORS = " \t\n\r\f\v-./_~,;:·・ー‐‑‒–—―−﹣－"
_SEP_CLASS = "[" + re.escape(RRN_SEPARATORS) + "]"
_SEP = _SEP_CLASS + "{1,3}"
# 6 digits together or spaced out one by one, maybe separators, 7 digits together or
# spaced out; not inside a longer run of digits nor right after or before an ASCII letter
# (the digits of an identifier such as V0001092), nor the decimals of a number (0.8704…).
# A lookahead, so overlapping candidates are all tried.
_SHAPE = re.compile(
    rf"(?<![0-9A-Za-z])(?<![0-9]\.)(?=((?:[0-9]{{6}}|[0-9](?:{_SEP}[0-9]){{5}})(?:{_SEP})?"
    rf"(?:[0-9]{{7}}|[0-9](?:{_SEP}[0-9]){{6}}))(?![0-9A-Za-z]))"
)
_NO_DIGITS = str.maketrans("", "", "0123456789")
# Invisible characters: Unicode's format characters (category Cf: soft hyphen, zero-width
# space and joiners, bidirectional marks, word joiner, byte-order mark, tags…), variation
# selectors, the combining grapheme joiner and the Hangul fillers, which show as nothing.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_MIN_TEXT = 13


def fold_text(text: str) -> str:
    """``text`` as the detectors read it: NFKC, invisible characters dropped, digits in ASCII.

    The same folding serves identifiers (:func:`employkit.privacy.fold_identifier`), so
    a look-alike written with full-width letters or a zero-width space is the same text.

    >>> fold_text("８７０４１２\\u200b－２９３１７４６")
    '870412-2931746'
    """
    if text.isascii():
        return text
    folded = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    if _OTHER_DIGIT.search(folded):
        folded = _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), folded)
    return folded


def is_rrn_digits(digits: str, *, today: dt.date | None = None) -> bool:
    """Whether 13 ASCII digits have the structure of a resident registration number.

    A real YYMMDD date not after ``today``, in the century the 7th digit (1-8) gives.
    The checksum is not required: numbers issued since October 2020 have none.

    >>> is_rrn_digits("8704122931746"), is_rrn_digits("8704129931746"), is_rrn_digits("8702302931746")
    (True, False, False)
    """
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    sex = int(digits[6])
    if not 1 <= sex <= 8:
        return False
    century = 1900 if sex in (1, 2, 5, 6) else 2000
    try:
        born = dt.date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return born <= (today or dt.date.today())


def _rrn_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of ``folded`` text holding a number (see the notes above), overlapping ones included."""
    if len(folded) < _MIN_TEXT or len(folded) - len(folded.translate(_NO_DIGITS)) < 13:
        return []
    spans: list[tuple[int, int]] = []
    for match in _SHAPE.finditer(folded):
        start, end = match.span(1)
        digits = "".join(ch for ch in match.group(1) if "0" <= ch <= "9")
        if is_rrn_digits(digits):
            spans.append((start, end))
    return spans


def find_rrn(text: str) -> bool:
    """Whether ``text`` holds something shaped like a resident registration number.

    Text is folded first (:func:`fold_text`); the 6 and 7 digits may be separated by up
    to three separator characters (:data:`RRN_SEPARATORS`), and so may single digits
    spaced out. See the notes above.

    >>> find_rrn("850230-1234567"), find_rrn("851231 2234567"), find_rrn("8512312234567")
    (False, True, True)
    >>> find_rrn("851231 – 2234567"), find_rrn("８５１２３１－２２３４５６７"), find_rrn("010-1234-5678")
    (True, True, False)
    >>> find_rrn("870412\\u2060-\\u00ad2931746"), find_rrn("8 7 0 4 1 2 2 9 3 1 7 4 6"), find_rrn("870412ー2931746")
    (True, True, True)
    """
    return bool(_rrn_spans(fold_text(text)))


def mask_rrn(text: str) -> str:
    """``text`` with the digits of every resident registration number replaced by ``*``.

    Text holding none is returned as it is; otherwise the folded text (:func:`fold_text`)
    is returned, masked.

    >>> mask_rrn("번호 870412 2931746, 전화 010-1234-5678")
    '번호 ****** *******, 전화 010-1234-5678'
    """
    folded = fold_text(text)
    spans = _rrn_spans(folded)
    if not spans:
        return text
    chars = list(folded)
    for start, end in spans:
        for i in range(start, end):
            if chars[i].isdigit():
                chars[i] = "*"
    return "".join(chars)


def _is_business_number(digits: str) -> bool:
    """Whether 10 digits pass the check digit of a business registration number (사업자등록번호)."""
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False)) + int(digits[8]) * 5 // 10
    return (10 - total % 10) % 10 == int(digits[9])


def restore_rrn(digits: str) -> str:
    """The 13 digits of a number that lost its leading zeros in a numeric cell, else ``digits``.

    Spreadsheets and JSON store ``0503154123456`` (born 2005) as the number
    503154123456. Digits of a numeric cell, 10 to 12 long, are padded with zeros to 13
    and kept padded when they then form a number of someone born in 2000-2009 (7th
    digit 3, 4, 7 or 8). Ten digits that pass the check digit of a business registration
    number (사업자등록번호, ten digits too) are left alone, so employer numbers are not
    refused; this misses one in ten of the numbers of people born January-September 2000
    stored as numbers. The readers call this for numeric cells only: a text cell keeps
    its digits as written.

    >>> restore_rrn("503154123456"), restore_rrn("1234567891"), restore_rrn("42")
    ('0503154123456', '1234567891', '42')
    """
    if not (10 <= len(digits) <= 12 and digits.isascii() and digits.isdigit()):
        return digits
    padded = digits.zfill(13)
    if padded[6] not in "3478" or not is_rrn_digits(padded):
        return digits
    if len(digits) == 10 and _is_business_number(digits):
        return digits
    return padded


def number_text(value: int | float) -> str:
    """The text of a numeric cell, with a resident number's lost zeros restored (:func:`restore_rrn`).

    >>> number_text(503154123456), number_text(1500000.0), number_text(2.5)
    ('0503154123456', '1500000', '2.5')
    """
    if isinstance(value, float):
        if not value.is_integer():
            return repr(value)
        value = int(value)
    return restore_rrn(str(value)) if value > 0 else str(value)


def _piece(value: object) -> str | None:
    """The digits of a value that may be half of a number (6 or 7 digits), else ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        text = f"{value:06d}" if 0 <= value < 1_000_000 else str(value)
    elif isinstance(value, float) and value.is_integer():
        text = f"{int(value):06d}" if 0 <= value < 1_000_000 else str(int(value))
    elif isinstance(value, str):
        text = "".join(ch for ch in fold_text(value) if ch not in RRN_SEPARATORS)
    else:
        return None
    return text if len(text) in (6, 7) and text.isascii() and text.isdigit() else None


def split_rrn(values: Sequence[object]) -> int | None:
    """The index of the first of two adjacent values forming a number (앞자리 then 뒷자리), else ``None``.

    >>> split_rrn(["홍길동", "870412", "2931746"]), split_rrn([870412, 2931746]), split_rrn(["1500000", "010101"])
    (1, 0, None)
    """
    pieces = [_piece(v) for v in values]
    for i in range(len(pieces) - 1):
        front, back = pieces[i], pieces[i + 1]
        if (
            front is not None
            and back is not None
            and len(front) == 6
            and len(back) == 7
            and is_rrn_digits(front + back)
        ):
            return i
    return None


def list_text(values: Sequence[object]) -> str:
    """The ``;``-joined text of a JSON list cell; a number split over two items is kept whole.

    >>> list_text(["a", 2]), list_text([50315, 4123456])
    ('a;2', '050315;4123456')
    """
    found = split_rrn(values)
    texts = [str(v) for v in values]
    if found is not None:
        texts[found], texts[found + 1] = _piece(values[found]) or "", _piece(values[found + 1]) or ""
    return ";".join(texts)


def rrn_found(data: object, path: str = "$") -> tuple[str, str] | None:
    """``(path, shown)`` of the first resident number in JSON-like ``data``, else ``None``.

    ``shown`` is the value holding it, masked (:func:`mask_rrn`).

    Strings and keys are read with :func:`find_rrn`; whole numbers with
    :func:`restore_rrn`; lists and the values of an object with :func:`split_rrn` too
    (``[870412, 2931746]``).

    >>> rrn_found({"a": [1, {"memo": "번호 870412-2931746"}]}), rrn_found({"x": [870412, 2931746]})
    (('$.a[1].memo', '번호 ******-*******'), ('$.x[0]', '******, *******'))
    """
    stack: list[tuple[object, str]] = [(data, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if find_rrn(item):
                return where, mask_rrn(item)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int | float):
            if isinstance(item, float) and not (item.is_integer() and abs(item) < 1e16):
                continue
            if find_rrn(number_text(item)):
                return where, "*************"
        elif isinstance(item, Mapping):
            for key in item:
                if find_rrn(str(key)):
                    return f"{where} (a key)", mask_rrn(str(key))
            values = list(item.values())
            found = split_rrn(values)
            if found is not None:
                return f"{where}.{list(item)[found]}", "******, *******"
            stack.extend((v, f"{where}.{k}") for k, v in reversed(list(item.items())))
        elif isinstance(item, list | tuple | set | frozenset):
            items = list(item)
            found = split_rrn(items)
            if found is not None:
                return f"{where}[{found}]", "******, *******"
            stack.extend((v, f"{where}[{i}]") for i, v in reversed(list(enumerate(items))))
    return None


def rrn_path(data: object, path: str = "$") -> str | None:
    """The path of the first resident number in JSON-like ``data`` (:func:`rrn_found`), else ``None``.

    >>> rrn_path({"a": [1, {"memo": "870412-2931746"}]}), rrn_path({"n": 7})
    ('$.a[1].memo', None)
    """
    found = rrn_found(data, path)
    return None if found is None else found[0]


def mask_data(data: Any) -> Any:
    """JSON-like ``data`` with every resident number masked (:func:`mask_rrn`), for outputs.

    >>> mask_data({"memo": "870412-2931746", "n": [870412, 2931746], "k": 1})
    {'memo': '******-*******', 'n': ['******', '*******'], 'k': 1}
    """
    if isinstance(data, str):
        return mask_rrn(data) if find_rrn(data) else data
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int | float):
        if isinstance(data, float) and not (data.is_integer() and abs(data) < 1e16):
            return data
        return "*************" if find_rrn(number_text(data)) else data
    if isinstance(data, Mapping):
        out = {mask_data(k) if isinstance(k, str) else k: mask_data(v) for k, v in data.items()}
        split = split_rrn(list(out.values()))
        if split is not None:
            keys = list(out)[split : split + 2]
            out[keys[0]], out[keys[1]] = "******", "*******"
        return out
    if isinstance(data, list | tuple):
        items = [mask_data(v) for v in data]
        split = split_rrn(items)
        if split is not None:
            items[split], items[split + 1] = "******", "*******"
        return items
    return data
