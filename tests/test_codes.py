"""Tests of the packaged code lists (KECO 2018 occupations, region codes) and their loader."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from importlib.resources import files

import attrs
import pytest

from employkit import codes
from employkit.codes import (
    Occupation,
    Region,
    is_known_occupation,
    is_known_region,
    keco_distance,
    occupation_ancestors,
    occupations,
    province_of,
    region_name,
    regions,
)

ON = dt.date(2024, 6, 1)


def _raw_rows(filename: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Header, data rows and comment lines of a packaged CSV, read independently of the loader."""
    text = files("employkit.codes").joinpath(filename).read_text(encoding="utf-8")
    lines = text.splitlines()
    comments = [line for line in lines if line.startswith("#")]
    rows = list(csv.reader(line for line in lines if line and not line.startswith("#")))
    return rows[0], rows[1:], comments


# --------------------------------------------------------------------------- the files


@pytest.mark.parametrize("filename", ["keco.csv", "regions.csv"])
def test_codes_are_unique(filename: str) -> None:
    _, rows, _ = _raw_rows(filename)
    counts = Counter(row[0] for row in rows)
    assert [code for code, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("filename", ["keco.csv", "regions.csv"])
def test_every_parent_exists_in_the_same_file(filename: str) -> None:
    header, rows, _ = _raw_rows(filename)
    parent_col = header.index("parent")
    present = {row[0] for row in rows}
    missing = {row[0]: row[parent_col] for row in rows if row[parent_col] not in present | {""}}
    assert missing == {}


@pytest.mark.parametrize("filename", ["keco.csv", "regions.csv"])
def test_header_comments_state_source_and_scope(filename: str) -> None:
    _, _, comments = _raw_rows(filename)
    text = "\n".join(comments)
    assert comments, "the file must start with # comment lines"
    if filename == "keco.csv":
        assert "KECO 2018" in text
        assert "한국고용정보원" in text
        assert "PARTIAL BELOW THE MIDDLE LEVEL" in text
    else:
        assert "행정안전부" in text
        assert "2024-06-01" in text


def test_loader_matches_the_file_row_for_row() -> None:
    _, keco_rows, _ = _raw_rows("keco.csv")
    _, region_rows, _ = _raw_rows("regions.csv")
    assert len(occupations()) == len(keco_rows)
    assert len(regions()) == len(region_rows)


# --------------------------------------------------------------------------- occupations


def test_all_major_and_middle_groups_of_keco_2018() -> None:
    table = occupations()
    majors = sorted(code for code, occ in table.items() if occ.level == "major")
    middles = [code for code, occ in table.items() if occ.level == "middle"]
    assert majors == [str(d) for d in range(10)]
    assert len(middles) == 35
    assert table["55"].name_ko == "돌봄 서비스직(간병·육아)"
    assert table["89"].name_ko == "제조 단순직"


def test_levels_and_parents_are_consistent() -> None:
    digits = {"major": 1, "middle": 2, "minor": 3, "detailed": 4}
    for code, occ in occupations().items():
        assert occ.code == code
        assert len(code) == digits[occ.level]
        assert occ.parent == (code[:-1] or None)
        assert occ.name_ko and occ.name_en


@pytest.mark.parametrize(
    ("code", "name_ko"),
    [
        ("561", "청소·방역 및 가사 서비스원"),  # cleaning
        ("542", "경비원"),  # security guard
        ("5623", "주차 관리·안내원"),  # parking
        ("5501", "요양 보호사 및 간병인"),  # care
        ("531", "주방장 및 조리사"),  # cooking
        ("532", "식당 서비스원"),  # food service
        ("615", "판매 종사자"),  # sales
        ("026", "경영지원 사무원"),  # office
        ("622", "자동차 운전원"),  # driving
        ("890", "제조 단순 종사자"),  # simple manufacturing
        ("813", "금형원 및 공작기계 조작원"),  # machinery operation
    ],
)
def test_groups_a_job_centre_uses_are_present(code: str, name_ko: str) -> None:
    assert occupations()[code].name_ko == name_ko


def test_occupation_is_frozen() -> None:
    occ = occupations()["5"]
    assert isinstance(occ, Occupation)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        occ.name_ko = "x"  # type: ignore[misc]
    assert occ.name("en") == occ.name_en


def test_tables_are_read_only_and_cached() -> None:
    assert occupations() is occupations()
    assert regions() is regions()
    with pytest.raises(TypeError):
        occupations()["X"] = occupations()["5"]  # type: ignore[index]


def test_ancestors_of_a_listed_detailed_code() -> None:
    assert occupation_ancestors("5611") == ("5611", "561", "56", "5")


def test_ancestors_of_an_unlisted_4_digit_code_resolve_by_prefix() -> None:
    # 5625 is not a KECO 2018 code shipped here, but its minor group 562 is.
    assert "5625" not in occupations()
    assert occupation_ancestors("5625") == ("5625", "562", "56", "5")
    # No minor groups of 30 are shipped: the chain skips the missing 301.
    assert occupation_ancestors("3011") == ("3011", "30", "3")


def test_ancestors_of_higher_levels() -> None:
    assert occupation_ancestors("5") == ("5",)
    assert occupation_ancestors("62") == ("62", "6")
    assert occupation_ancestors(" 622 ") == ("622", "62", "6")


@pytest.mark.parametrize("bad", ["", "56a", "56111", "５６", "-1"])
def test_ancestors_reject_malformed_codes(bad: str) -> None:
    with pytest.raises(ValueError, match="not a KECO 2018 code"):
        occupation_ancestors(bad)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("5611", "5611", 0),
        ("561", "561", 0),
        ("5611", "5612", 1),  # same minor group 561
        ("561", "5616", 1),
        ("5611", "5623", 2),  # same middle group 56
        ("56", "5611", 2),
        ("5611", "5501", 3),  # same major group 5
        ("5", "5611", 3),
        ("5611", "6221", 4),  # unrelated
        ("0210", "8900", 4),
        ("9999", "9998", 1),  # unlisted codes still compare by prefix
    ],
)
def test_keco_distance(a: str, b: str, distance: int) -> None:
    assert keco_distance(a, b) == distance
    assert keco_distance(b, a) == distance


def test_keco_distance_rejects_malformed_codes() -> None:
    with pytest.raises(ValueError, match="not a KECO 2018 code"):
        keco_distance("5611", "cleaner")


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("5611", True),  # listed
        ("3011", True),  # unlisted, middle group 30 listed
        ("5625", True),  # unlisted, minor group 562 listed
        ("56", True),
        ("5", True),  # a listed major group is itself in the table
        ("99", False),  # no middle group 99 in KECO 2018; major 9 is not enough
        ("991", False),
        ("", False),
        ("abc", False),
        ("56111", False),
    ],
)
def test_is_known_occupation(code: str, known: bool) -> None:
    assert is_known_occupation(code) is known


# --------------------------------------------------------------------------- regions


def test_seoul_has_exactly_25_districts() -> None:
    seoul = [r for r in regions().values() if r.level == "district" and r.parent == "11"]
    assert len(seoul) == 25
    assert all(r.code.startswith("11") and len(r.code) == 5 for r in seoul)


def test_jung_gu() -> None:
    assert region_name("11140") == "중구"
    assert region_name("11140", lang="en") == "Jung-gu"
    assert region_name("11530", lang="ko") == "구로구"
    assert region_name("11740", lang="en") == "Gangdong-gu"


def test_17_provinces_on_2024_06_01() -> None:
    provinces = {r.code for r in regions().values() if r.level == "province" and r.valid_on(ON)}
    assert len(provinces) == 17
    assert {"51", "52"} <= provinces
    assert not {"42", "45"} & provinces


def test_gangwon_and_jeonbuk_code_changes() -> None:
    assert is_known_region("42", on=dt.date(2023, 6, 10))
    assert not is_known_region("42", on=dt.date(2023, 6, 11))
    assert is_known_region("51", on=dt.date(2023, 6, 11))
    assert not is_known_region("51", on=dt.date(2023, 6, 10))
    assert is_known_region("45", on=dt.date(2024, 1, 17))
    assert not is_known_region("45", on=dt.date(2024, 1, 18))
    assert is_known_region("52", on=dt.date(2024, 1, 18))


def test_wanju_old_and_new_codes() -> None:
    assert region_name("45710") == region_name("52710") == "완주군"
    assert is_known_region("45710", on=dt.date(2023, 12, 31))
    assert not is_known_region("45710", on=ON)
    assert is_known_region("52710", on=ON)
    assert not is_known_region("52710", on=dt.date(2023, 12, 31))
    assert is_known_region("45710")  # without a date: listed at all


def test_chungnam_cities_and_counties() -> None:
    chungnam = [r for r in regions().values() if r.parent == "44"]
    assert len(chungnam) == 15  # 8 시 + 7 군
    assert region_name("44200") == "아산시"


def test_children_are_valid_only_while_their_parent_is() -> None:
    table = regions()
    for region in table.values():
        if region.parent is None:
            continue
        parent = table[region.parent]
        for day in (region.valid_from, region.valid_to):
            if day is not None:
                assert parent.valid_on(day), (region.code, day)


def test_region_is_frozen() -> None:
    region = regions()["11"]
    assert isinstance(region, Region)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        region.name_en = "x"  # type: ignore[misc]


@pytest.mark.parametrize("code", ["99999", "11", "11140", "45710", "4413", ""])
def test_province_of_is_the_prefix(code: str) -> None:
    if len(code) < 2:
        with pytest.raises(ValueError, match="not a region code"):
            province_of(code)
    else:
        assert province_of(code) == code[:2]


def test_province_of_does_not_map_old_codes_to_new() -> None:
    assert province_of("45710") == "45"
    assert province_of("52710") == "52"
    assert province_of("1114010100") == "11"  # a 10-digit 법정동 code


@pytest.mark.parametrize("bad", ["1", "Seoul", "11-140"])
def test_province_of_rejects_non_codes(bad: str) -> None:
    with pytest.raises(ValueError, match="not a region code"):
        province_of(bad)


@pytest.mark.parametrize("unknown", ["99999", "11111", "", "Seoul"])
def test_region_name_of_an_unknown_code_raises_key_error(unknown: str) -> None:
    with pytest.raises(KeyError, match="unknown region code"):
        region_name(unknown)
    assert not is_known_region(unknown)
    assert not is_known_region(unknown, on=ON)


def test_region_name_rejects_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang"):
        region_name("11140", lang="fr")  # type: ignore[arg-type]


def test_module_exports() -> None:
    for name in codes.__all__:
        assert hasattr(codes, name), name
