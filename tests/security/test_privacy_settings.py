"""Privacy settings validated: small-cell threshold, identifying breakdowns, key files, look-alike ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from employkit.cli import cli
from employkit.config import parse_config
from employkit.errors import ConfigError
from employkit.metrics.suppress import check_min_cell, min_cell_of
from employkit.privacy import is_identifying, pseudonym_key
from employkit.rules import RuleSystem
from employkit.sources.cells import parse_id
from employkit.sources.readers import CsvFolderSource

KEY = "a-centre-secret-of-enough-length"


@pytest.mark.parametrize("value", [2, 5, 10, 100, 5.0])
def test_thresholds_accepted(value: object) -> None:
    assert check_min_cell(value) == int(value)  # type: ignore[call-overload]


@pytest.mark.parametrize("value", [0, -1, 1, True, False, "five", "5", float("nan"), float("inf"), 2.5, None, [5]])
def test_thresholds_refused(value: object) -> None:
    with pytest.raises(ConfigError, match=r"metrics\.suppression\.min_cell"):
        check_min_cell(value)


def test_one_only_with_the_unsafe_setting_and_the_report_says_so() -> None:
    assert check_min_cell(1, unsafe=True) == 1
    with pytest.raises(ConfigError):
        check_min_cell(0, unsafe=True)
    config = parse_config(
        {"parameters": {"metrics.suppression.min_cell": 1}, "privacy": {"unsafe_small_cells": True}}, "c.toml"
    )
    system = RuleSystem.build(config)
    assert min_cell_of(system, dt.date(2016, 6, 30)) == 1
    from employkit.metrics.report import kpi_report
    from employkit.sources import load

    report = kpi_report(load("sample", system), system, dt.date(2016, 6, 30))
    from employkit.render.kpis import render_table

    assert "unsafe_small_cells" in render_table(report) and "unsafe_small_cells" in render_table(report, "en")


@pytest.mark.parametrize("value", ['"five"', "nan", "inf", "0", "-1", "true", "1"])
def test_kpi_with_a_bad_threshold_is_a_clear_error(tmp_path: Path, value: str) -> None:
    config = tmp_path / "employkit.toml"
    config.write_text(f'[parameters]\n"metrics.suppression.min_cell" = {value}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "kpi"])
    assert result.exit_code == 2 and "metrics.suppression.min_cell" in result.output, result.output


@pytest.mark.parametrize(
    "column",
    [
        "seeker_id",
        "placement_id",
        "vacancy_id",
        "employer_id",
        "성명",
        "이름",
        "연락처",
        "전화번호",
        "phone",
        "email",
        "주소",
        "Seeker_ID",
        "고객 연락처",
        "counsellor",
        "ｓｅｅｋｅｒ_ｉｄ",
    ],
)
def test_identifying_columns(column: str) -> None:
    assert is_identifying(column)


@pytest.mark.parametrize("column", ["age_band", "wage_band", "gender", "occupation", "segment", "residence_code"])
def test_grouping_columns(column: str) -> None:
    assert not is_identifying(column)


@pytest.mark.parametrize(
    "args",
    [
        ["kpi", "--by", "seeker_id"],
        ["kpi", "--by", "employer_id"],
        ["audit", "--by", "gender,seeker_id"],
        ["audit", "--by", "성명"],
        ["audit", "--by", "연락처"],
    ],
)
def test_published_breakdowns_by_ids_are_refused(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "identifies people" in result.output
    assert "S0000001" not in result.output


def _key_config(tmp_path: Path, given: str) -> object:
    return parse_config({"privacy": {"pseudonym_key_file": given}}, str(tmp_path / "conf" / "employkit.toml"))


def test_key_file_must_stay_in_the_configuration_folder(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    with pytest.raises(ConfigError, match="inside the configuration's folder"):
        pseudonym_key(_key_config(tmp_path, "../../../../etc/passwd"), environ={})


def test_key_file_must_be_private(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    key = tmp_path / "conf" / "k.key"
    key.write_text(KEY, encoding="utf-8")
    key.chmod(0o644)
    with pytest.raises(ConfigError, match="other users can read"):
        pseudonym_key(_key_config(tmp_path, "k.key"), environ={})
    key.chmod(0o600)
    assert pseudonym_key(_key_config(tmp_path, "k.key"), environ={}) == KEY


def test_explicit_absolute_key_file(tmp_path: Path) -> None:
    key = tmp_path / "elsewhere.key"
    key.write_text(KEY, encoding="utf-8")
    key.chmod(0o400)
    (tmp_path / "conf").mkdir()
    assert pseudonym_key(_key_config(tmp_path, str(key)), environ={}) == KEY
    with pytest.raises(ConfigError, match="not a regular file"):
        pseudonym_key(_key_config(tmp_path, str(tmp_path)), environ={})


@pytest.mark.parametrize(
    ("given", "expected"),
    [("S0000001", "S0000001"), ("S000\u200b0001", "S0000001"), ("Ｓ００００００１", "S0000001"), (" S1\u2060 ", "S1")],
)
def test_lookalike_ids_are_folded(given: str, expected: str) -> None:
    assert parse_id(given) == expected


@pytest.mark.parametrize("given", ["\u04050000001", "S000000\u03bf", "P\u04300001", "\u0421\u0410\u0415"])
def test_mixed_script_ids_are_refused(given: str) -> None:
    if given.isascii():
        pytest.fail("not a mixed-script id")
    if all(not ch.isascii() for ch in given):
        assert parse_id(given) == given  # wholly Cyrillic: another alphabet, not a look-alike
        return
    with pytest.raises(ValueError, match="looks alike"):
        parse_id(given)


def test_two_spellings_of_one_id_are_one_seeker(tmp_path: Path) -> None:
    (tmp_path / "seekers.csv").write_text(
        "seeker_id,birth_year,registered_on,residence_code\nS1,1987,2016-01-04,11140\nＳ1\u200b,1990,2016-01-05,11140\n",
        encoding="utf-8",
    )
    problems = CsvFolderSource().validate(str(tmp_path))
    assert any("twice" in p.reason or "duplicate" in p.reason.lower() for p in problems), problems


def test_a_nul_in_a_header_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "seekers.csv").write_text(
        "seeker_id,birth_\x00year,registered_on,residence_code\n"
        + "".join(f"S{i},1987,2016-01-04,11140\n" for i in range(20)),
        encoding="utf-8",
    )
    problems = [p for p in CsvFolderSource().validate(str(tmp_path)) if p.severity == "error"]
    assert len(problems) == 1 and "NUL" in problems[0].reason and problems[0].column == "birth_year"


def test_decision_log_drops_extra_columns(tmp_path: Path) -> None:
    from employkit.accountability import decisions as dec
    from employkit.model import Seeker

    seeker = Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=dt.date(2016, 1, 4),
        birth_year=1987,
        extra={"성명": "홍길동", "연락처": "010-1234-5678", "latitude": "37.5"},
    )
    data = dec.seeker_data(seeker, KEY)
    assert data["extra"] == {"latitude": "37.5"} and "홍길동" not in str(data)
    kept = dec.seeker_data(seeker, KEY, dec.safe_columns(parse_config({"privacy": {"safe_columns": ["성명"]}})))
    assert kept["extra"]["성명"] == "홍길동" and "연락처" not in kept["extra"]
    with pytest.raises(ConfigError, match="safe_columns"):
        dec.safe_columns(parse_config({"privacy": {"safe_columns": "성명"}}))
