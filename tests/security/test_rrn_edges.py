"""Every edge refuses a resident number and never shows it: files, JSON, configuration, command line, outputs."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from employkit.cli import cli
from employkit.config import parse_config
from employkit.converter import structure, to_json
from employkit.errors import ConfigError, DataError
from employkit.export import rows_text, safe_cell
from employkit.model import Placement
from employkit.privacy import refuse_rrn
from employkit.sources.readers import CsvFolderSource, JsonlFolderSource, decode

SEEKER_HEADER = "seeker_id,birth_year,registered_on,residence_code,메모"
SPELLINGS = [
    "870412-2931746",
    "870412  2931746",
    "870412--2931746",
    "870412.2931746",
    "870412/2931746",
    "870412_2931746",
    "870412~2931746",
    "870412\u200b2931746",
    "870412\u2060-2931746",
    "870412\u00ad2931746",
    "870412ー2931746",
    "870412\u3000\u30002931746",
    "8 7 0 4 1 2 2 9 3 1 7 4 6",
]


def _shown(text: str) -> bool:
    folded = "".join(ch for ch in text if ch.isdigit())
    return "8704122931746" in folded or "2931746" in text


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_csv_cell_is_refused_and_masked(tmp_path: Path, spelling: str) -> None:
    (tmp_path / "seekers.csv").write_text(
        f"{SEEKER_HEADER}\nS1,1987,2016-01-04,11140,번호 {spelling}\n", encoding="utf-8"
    )
    problems = CsvFolderSource().validate(str(tmp_path))
    assert any("resident registration number" in p.reason for p in problems)
    assert not any(_shown(str(p)) for p in problems)


@pytest.mark.parametrize("spelling", SPELLINGS[:6])
def test_a_jsonl_value_is_refused(tmp_path: Path, spelling: str) -> None:
    row = {"seeker_id": "S1", "birth_year": 1987, "registered_on": "2016-01-04", "residence_code": "11140"}
    (tmp_path / "seekers.jsonl").write_text(json.dumps({**row, "memo": spelling}, ensure_ascii=False) + "\n")
    problems = JsonlFolderSource().validate(str(tmp_path))
    assert any("resident registration number" in p.reason for p in problems)


@pytest.mark.parametrize(
    "extra",
    [
        {"rrn": [870412, 2931746]},
        {"rrn": ["870412", "2931746"]},
        {"rrn": 503154123456},
        {"front": "870412", "back": "2931746"},
    ],
)
def test_jsonl_lists_numbers_and_split_keys(tmp_path: Path, extra: dict[str, object]) -> None:
    row = {"seeker_id": "S1", "birth_year": 1987, "registered_on": "2016-01-04", "residence_code": "11140"}
    (tmp_path / "seekers.jsonl").write_text(json.dumps({**row, **extra}) + "\n")
    problems = JsonlFolderSource().validate(str(tmp_path))
    assert any("resident registration number" in p.reason for p in problems)
    assert not any("2931746" in str(p) or "4123456" in str(p) for p in problems)


def test_front_and_back_columns_of_one_row(tmp_path: Path) -> None:
    (tmp_path / "seekers.csv").write_text(
        "seeker_id,birth_year,registered_on,residence_code,앞자리,뒷자리\nS1,1987,2016-01-04,11140,870412,2931746\n",
        encoding="utf-8",
    )
    problems = CsvFolderSource().validate(str(tmp_path))
    assert any("split over two columns" in p.reason and p.column == "앞자리 + 뒷자리" for p in problems)
    assert not any("2931746" in str(p) for p in problems)


def test_an_excel_number_that_lost_its_zero(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from employkit.sources.excel import ExcelSource

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "seekers"
    sheet.append(["seeker_id", "birth_year", "registered_on", "residence_code", "번호"])
    sheet.append(["S1", 2005, "2016-01-04", "11140", 503154123456])
    book.save(tmp_path / "c.xlsx")
    problems = ExcelSource().validate(str(tmp_path / "c.xlsx"))
    assert any("resident registration number" in p.reason for p in problems)
    assert not any("503154123456" in str(p) for p in problems)


@pytest.mark.parametrize("spelling", SPELLINGS[:5])
def test_converter_refuses_json_with_a_number(spelling: str) -> None:
    data = {
        "placement_id": "P1",
        "seeker_id": "S1",
        "employer_id": "E1",
        "start_date": "2016-03-02",
        "employment_type": "regular",
        "extra": {"memo": spelling},
    }
    with pytest.raises(DataError) as info:
        structure(data, Placement)
    assert "$.extra.memo" in str(info.value) and not _shown(str(info.value))


def test_converter_output_is_masked() -> None:
    assert "2931746" not in to_json({"memo": "870412-2931746", "n": [870412, 2931746]})


@pytest.mark.parametrize(
    "toml",
    [
        {"followup": {"contacts": ["김상담 870412-2931746"]}},
        {"followup": {"contacts": [870412, 2931746]}},
        {"report": {"870412-2931746": "x"}},
        {"metrics": {"inputs": {"x": 503154123456}}},
    ],
)
def test_configuration_refuses_a_number(toml: dict[str, object]) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(toml, "employkit.toml")
    assert "resident registration number" in str(info.value) and "2931746" not in str(info.value)


@pytest.mark.parametrize("spelling", SPELLINGS[:5])
def test_free_text_for_the_store_is_refused(spelling: str) -> None:
    with pytest.raises(DataError) as info:
        refuse_rrn(f"통화 {spelling}", where="note")
    assert not _shown(str(info.value))


def _string_options() -> list[tuple[tuple[str, ...], str]]:
    from tests.security.cli_fuzz import commands

    ctx = click.Context(cli)
    found = []
    for path, command in commands(cli, ctx):
        for param in command.params:
            numeric = click.Choice | click.types.IntParamType | click.types.FloatParamType
            if isinstance(param, click.Option) and not param.is_flag and not isinstance(param.type, numeric):
                found.append((path, param.opts[0]))
    return found


STRING_OPTIONS = _string_options()


@pytest.mark.parametrize(("path", "option"), STRING_OPTIONS, ids=[f"{' '.join(p)} {o}" for p, o in STRING_OPTIONS])
def test_every_command_line_option_refuses_a_number(path: tuple[str, ...], option: str) -> None:
    result = CliRunner().invoke(cli, [*path, option, "870412-2931746"])
    assert result.exit_code == 2
    assert "resident registration number" in result.output and "2931746" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["match", "--seeker", "870412", "2931746"],
        ["followup", "record", "--key", "8704122931746"],
        ["explain-change", "--seeker", "870412\u200b-2931746"],
        ["validate", "--source", "/data/870412-2931746.csv"],
        ["new-plugin", "８７０４１２－２９３１７４６"],
    ],
)
def test_arguments_and_split_arguments(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "2931746" not in result.output


@pytest.mark.parametrize(
    "value", ["870412-2931746", "=870412-2931746", 8704122931746, 503154123456, "메모 870412 2931746"]
)
def test_published_cells_are_masked(value: object) -> None:
    assert "2931746" not in str(safe_cell(value)) and "4123456" not in str(safe_cell(value))
    assert "2931746" not in rows_text([{"a": value}]) and "2931746" not in rows_text([{"a": value}], "json")


@pytest.mark.parametrize("text", ["José Müller", "café", "naïve\u00a0text", "Ελληνικά", "Русский", "ÆØÅ æøå"])
def test_utf8_below_u0800_stays_utf8(text: str) -> None:
    assert decode(text.encode("utf-8")) == (text, "utf-8")


@pytest.mark.parametrize("text", ["청년 구직자 명단", "중구 일자리센터", "취업 성공"])
def test_cp949_still_read(text: str) -> None:
    assert decode(text.encode("cp949")) == (text, "cp949")
