"""Data folders named as Korean exports name them, and what a wrong --source is told."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from employkit.errors import ConfigError, DataError
from employkit.sources import load
from employkit.sources.readers import table_named, write_csv_folder, write_jsonl_folder
from employkit.sources.schema import TABLE_KO
from employkit.synth import sample_centre


def _rename_korean(folder: Path, suffix: str, form: str = "NFC") -> None:
    for table, ko in TABLE_KO.items():
        english = folder / f"{table}{suffix}"
        if english.exists():
            english.rename(folder / unicodedata.normalize(form, f"{ko}{suffix}"))


@pytest.mark.parametrize(("suffix", "write"), [(".csv", write_csv_folder), (".jsonl", write_jsonl_folder)])
def test_a_folder_with_korean_file_names_reads_like_the_english_one(tmp_path: Path, suffix: str, write) -> None:  # type: ignore[no-untyped-def]
    data = sample_centre()
    english = write(data, tmp_path / "en")
    korean = write(data, tmp_path / "ko")
    _rename_korean(korean, suffix)
    assert (korean / f"구직자{suffix}").is_file() and not (korean / f"seekers{suffix}").exists()
    assert load(korean) == load(english)


def test_korean_names_stored_decomposed_are_read(tmp_path: Path) -> None:
    folder = write_csv_folder(sample_centre(), tmp_path / "nfd")
    _rename_korean(folder, ".csv", "NFD")  # as macOS stores Hangul file names
    assert len(load(folder).seekers) == len(sample_centre().seekers)


def test_the_same_table_under_two_names_is_refused(tmp_path: Path) -> None:
    folder = write_csv_folder(sample_centre(), tmp_path / "both")
    (folder / "구직자.csv").write_bytes((folder / "seekers.csv").read_bytes())
    with pytest.raises(DataError) as info:
        load(folder)
    assert "구직자.csv" in str(info.value) and "seekers.csv" in str(info.value) and "keep one" in str(info.value)


def test_table_names_match_the_excel_sheet_names() -> None:
    from employkit.sources.excel import sheet_table

    for name in ("seekers", "구직자", "구인기업", "구인공고", "취업", "사후관리", "Seekers", "FOLLOWUPS", "notes"):
        assert table_named(name) == sheet_table(name), name


def test_a_single_csv_file_is_told_apart_from_a_folder(tmp_path: Path) -> None:
    folder = write_csv_folder(sample_centre(), tmp_path / "centre")
    with pytest.raises(DataError) as info:
        load(folder / "seekers.csv")
    text = str(info.value)
    assert "a single file was given" in text and "파일 하나가 아니라" in text
    for table, ko in TABLE_KO.items():
        assert f"{table}.csv ({ko}.csv" in text


def test_a_folder_with_no_recognised_file_lists_what_is_expected(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(tmp_path)
    text = str(info.value)
    assert "no recognised file" in text and "notes.csv" in text and "구직자.csv" in text and "seekers.csv" in text


def test_cli_says_which_files_a_folder_needs(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "readme.txt").write_text("x", encoding="utf-8")
    result = run_cli("validate", "--source", str(tmp_path))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "구직자.csv" in result.stdout + result.stderr


def test_a_missing_pyyaml_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from employkit.testing.cases import load_case_file

    case = tmp_path / "x.cases.yaml"
    case.write_text("cases: []\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "yaml", None)  # an import of yaml now fails as if not installed
    with pytest.raises(ConfigError, match=r"employkit\[yaml\]"):
        load_case_file(case)
