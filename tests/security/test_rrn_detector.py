"""The one resident-registration-number detector: spellings found, look-alikes of other numbers not."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.sources.cells import (
    find_rrn,
    fold_text,
    is_rrn_digits,
    list_text,
    mask_data,
    mask_rrn,
    number_text,
    restore_rrn,
    rrn_found,
    split_rrn,
)

# (front, back) of numbers with valid structure: births in the 1900s and 2000s, citizens and foreigners.
NUMBERS = [
    ("870412", "2931746"),
    ("010101", "3123456"),
    ("991231", "1000001"),
    ("050315", "4123456"),
    ("750607", "5234567"),
]

SEPARATORS = [
    "",
    " ",
    "  ",
    "-",
    "--",
    " - ",
    ".",
    "/",
    "_",
    "~",
    "ー",
    "\u3000",
    "\u3000\u3000",
    "\u00a0",
    "\u2010",
    "\u2013",
    "\u2014",
    "\u2212",
    "\uff0d",
    "\ufe63",
    ",",
    ";",
    "·",
]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u200e", "\u202e"]


@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize(("front", "back"), NUMBERS[:3])
def test_each_separator_is_folded(front: str, back: str, sep: str) -> None:
    text = f"메모 {front}{sep}{back} 끝"
    assert find_rrn(text)
    masked = mask_rrn(text)
    assert front not in masked and back not in masked and masked.startswith("메모 ")


@pytest.mark.parametrize("mark", INVISIBLE)
@pytest.mark.parametrize("where", [1, 6, 9])
def test_invisible_characters_anywhere_are_dropped(mark: str, where: int) -> None:
    digits = "8704122931746"
    assert find_rrn(digits[:where] + mark + digits[where:])


@pytest.mark.parametrize(
    "text",
    [
        "8 7 0 4 1 2 2 9 3 1 7 4 6",
        "8 7 0 4 1 2 - 2 9 3 1 7 4 6",
        "8.7.0.4.1.2.2.9.3.1.7.4.6",
        "８７０４１２－２９３１７４６",  # full-width
        "٨٧٠٤١٢-٢٩٣١٧٤٦",  # Arabic-Indic digits
        "주민번호870412-2931746",
        "RRN:8704122931746",
        "[870412, 2931746]",
        "870412\u3000-\u30002931746",
        "(870412-2931746)",
    ],
)
def test_other_spellings(text: str) -> None:
    assert find_rrn(text)
    assert not any(ch.isdigit() for ch in mask_rrn(text) if ch not in "()[]")


@pytest.mark.parametrize(
    "text",
    [
        "010-1234-5678",
        "02-123-4567",
        "2015.07.01",
        "2026-01-01 12:30:45",
        "1,500,000",
        "S0000055,V0001092,0.80823",  # the digits of identifiers, then a decimal
        "0.8704122931746",  # decimals of a score
        "V8704122931746",  # an identifier with a letter glued on
        "8704122931746X",
        "87041229317461",  # 14 digits
        "870412-29317461",
        "870412-293174",
        "123-45-67891",  # a business registration number
        "1234567891",
        "4111 1111 1111 1111",  # a card number
        "870230-2931746",  # no 30 February
        "871312-2931746",  # no month 13
        "870412-9931746",  # 9: born in the 1800s
        "870412-0931746",
        "990101-3123456",  # 3: born 2099, in the future
        "",
        "합격 통보 완료",
    ],
)
def test_what_is_not_a_number(text: str) -> None:
    assert not find_rrn(text)
    assert mask_rrn(text) == text


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("8704122931746", True),
        ("0501014123456", True),
        ("0001013123456", True),
        ("9912318123456", False),  # 8: 2099, in the future
        ("8704125931746", True),  # foreigner, 1900s
        ("87041229317", False),
        ("87041a2931746", False),
    ],
)
def test_structure(digits: str, expected: bool) -> None:
    assert is_rrn_digits(digits, today=dt.date(2026, 12, 6)) is expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (503154123456, "0503154123456"),  # born 2005, lost one zero
        (101014123456, "0101014123456"),
        (1013123456, "0001013123456"),  # born January 2000, lost three zeros
        (10153123456, "0010153123456"),  # October 2000, two zeros
        (8704122931746, "8704122931746"),
        (503154123456.0, "0503154123456"),
        (1234567891, "1234567891"),  # a valid business registration number stays
        (1500000, "1500000"),
        (42, "42"),
        (0, "0"),
    ],
)
def test_numeric_cells_get_their_zeros_back(number: float, expected: str) -> None:
    assert number_text(number) == expected


def test_restore_leaves_text_of_other_lengths() -> None:
    assert restore_rrn("123") == "123" and restore_rrn("12345678901234") == "12345678901234"


@pytest.mark.parametrize(
    ("values", "index"),
    [
        (["홍길동", "870412", "2931746"], 1),
        ([870412, 2931746], 0),
        ([50315, 4123456], 0),  # 050315 lost its zero
        (["870412 ", " 2931746"], 0),
        (["x", "1", "870412", "2931746", "y"], 2),
        (["2931746", "870412"], None),
        (["1500000", "010101"], None),
        (["870230", "2931746"], None),
        (["870412"], None),
        ([], None),
    ],
)
def test_numbers_split_over_two_values(values: list[object], index: int | None) -> None:
    assert split_rrn(values) == index


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"a": {"b": ["x", "870412-2931746"]}}, "$.a.b[1]"),
        ({"note": [870412, 2931746]}, "$.note[0]"),
        ({"front": 870412, "back": 2931746}, "$.front"),
        ({"n": 503154123456}, "$.n"),
        ({"870412-2931746": 1}, "$ (a key)"),
        ([{"x": 1}, {"y": "８７０４１２２９３１７４６"}], "$[1].y"),
        ({"ok": [1, 2, 3], "f": 0.8704122931746}, None),
        ({"phone": "010-1234-5678"}, None),
    ],
)
def test_json_data(data: object, path: str | None) -> None:
    found = rrn_found(data)
    assert (found[0] if found else None) == path
    if found:
        assert "870412" not in found[1] and "2931746" not in found[1]
        assert rrn_found(mask_data(data)) is None


def test_list_text_keeps_a_split_number_whole() -> None:
    assert list_text([50315, 4123456]) == "050315;4123456" and find_rrn(list_text([50315, 4123456]))


def test_fold_text() -> None:
    assert fold_text("Ｓ０００\u200b１") == "S0001" and fold_text("abc") == "abc"


@st.composite
def spelled(draw: st.DrawFn) -> tuple[str, str]:
    """A valid number spelled with random separators, invisible marks and digit forms."""
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)))
    sex = draw(st.sampled_from("1256" if born.year < 2000 else "3478"))
    rest = draw(st.text("0123456789", min_size=6, max_size=6))
    digits = born.strftime("%y%m%d") + sex + rest
    sep = draw(st.sampled_from(SEPARATORS))
    out = []
    for i, d in enumerate(digits):
        if i == 6:
            out.append(sep)
        if draw(st.booleans()) and draw(st.booleans()):
            out.append(draw(st.sampled_from(INVISIBLE)))
        out.append(chr(0xFF10 + int(d)) if draw(st.integers(0, 4)) == 0 else d)
    before = draw(st.sampled_from(["", "메모 ", "번호:", "(", "주민 "]))
    after = draw(st.sampled_from(["", " 확인", ")", ".", " 010-1234-5678"]))
    return before + "".join(out) + after, digits


@settings(max_examples=300, deadline=None, database=None)
@given(spelled())
def test_generated_spellings_are_found_and_masked(case: tuple[str, str]) -> None:
    text, digits = case
    assert find_rrn(text), repr(text)
    masked = mask_rrn(text)
    assert digits not in fold_text(masked).replace(" ", "")
    assert not find_rrn(masked)
