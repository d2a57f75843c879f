"""Fuzzing the readers and the configuration and parameter parsers with hypothesis.

Whatever goes in — random bytes, random text, random TOML, CSV rows of random cells
under the real headers — what comes out is a dataset (or a configuration, or
parameters) or one of employkit's errors (:class:`DataError`, :class:`ConfigError`,
:class:`ParameterError`), never another exception. Each test is bounded: a few dozen
examples, each with a deadline.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from employkit.config import CentreConfig, load_config, parse_config
from employkit.dataset import Dataset
from employkit.errors import ConfigError, DataError, ParameterError
from employkit.params import Parameter, load_parameters, parse_parameters
from employkit.sources import load
from employkit.sources.cells import find_rrn
from employkit.sources.excel import ExcelSource
from employkit.sources.readers import CsvFolderSource, JsonlFolderSource, SqliteSource, decode
from employkit.sources.schema import TABLE_ORDER, TABLES
from employkit.sources.tables import build_dataset

FUZZ = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Bytes a reader may meet: anything, plus fragments of real files.
FRAGMENTS = [
    b"seeker_id,birth_year,residence_code,registered_on\n",
    b"S1,1960,11140,2015-03-02\n",
    b'"',
    b",",
    b";",
    b"\t",
    b"\r\n",
    b"\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    "구직자ID,출생연도,거주지코드,구직등록일\n".encode(),
    "구직자".encode("cp949"),
    b"900101-1234567",
    b"{",
    b"[",
    b"}",
    b'{"seeker_id": "S1"}\n',
]
some_bytes = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=8), max_size=30).map(b"".join),
)


def _outcome(read: Callable[[], Any]) -> Any:
    """``read()``'s value, or the employkit error it raised; any other exception fails the test."""
    try:
        return read()
    except (DataError, ConfigError, ParameterError) as exc:
        assert str(exc)
        assert not find_rrn(str(exc)), "an error showed a resident registration number"
        return exc


def _folder(files: dict[str, bytes]) -> Any:
    folder = tempfile.TemporaryDirectory()
    for name, data in files.items():
        (Path(folder.name) / name).write_bytes(data)
    return folder


# ------------------------------------------------------------------ bytes into every reader


@FUZZ
@given(st.sampled_from(TABLE_ORDER), some_bytes, some_bytes)
@example("seekers", b"\xef\xbb\xbf\xff\xfe", b"")
@example("seekers", b'seeker_id\n"' + b"x" * 140_000, b"")
def test_csv_folder_reads_any_bytes(table: str, data: bytes, centre: bytes) -> None:
    with _folder({f"{table}.csv": data, "seekers.csv" if table != "seekers" else "x.txt": data}) as folder:
        if centre:
            (Path(folder) / "centre.toml").write_bytes(centre)
        found = _outcome(lambda: CsvFolderSource().open(folder))
        assert isinstance(found, Dataset | DataError)
        problems = CsvFolderSource().validate(folder)  # never raises
        assert isinstance(found, Dataset) or any(p.severity == "error" for p in problems)


@FUZZ
@given(some_bytes)
def test_jsonl_folder_reads_any_bytes(data: bytes) -> None:
    with _folder({"seekers.jsonl": data, "followups.jsonl": data}) as folder:
        assert isinstance(_outcome(lambda: JsonlFolderSource().open(folder)), Dataset | DataError)
        JsonlFolderSource().validate(folder)


@FUZZ
@given(st.sampled_from(["centre.xlsx", "centre.sqlite"]), some_bytes)
@example("centre.xlsx", b"PK\x03\x04" + b"\x00" * 60)
@example("centre.sqlite", b"SQLite format 3\x00" + b"\x00" * 200)
def test_workbook_and_database_readers_read_any_bytes(name: str, data: bytes) -> None:
    with _folder({name: data}) as folder:
        path = str(Path(folder) / name)
        source = ExcelSource() if name.endswith(".xlsx") else SqliteSource()
        assert isinstance(_outcome(lambda: source.open(path)), Dataset | DataError)
        assert isinstance(_outcome(lambda: load(path)), Dataset | DataError)


@settings(max_examples=200, deadline=dt.timedelta(seconds=1))
@given(some_bytes)
def test_decode_gives_text_or_a_decode_error(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        return
    assert isinstance(text, str) and encoding in {"utf-8", "utf-8-sig", "utf-16", "cp949"}


# ------------------------------------------------------------------ structured fuzzing: real headers, random cells

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "0", "-1", "2016-02-30", "2015-07-01", "11140", "5611", "regular", "true", "1,500,000"]),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@st.composite
def csv_tables(draw: st.DrawFn) -> dict[str, str]:
    """Some tables as CSV text: some of their real headers (or Korean names, or others) and random cells."""
    files = {}
    for table in draw(st.sets(st.sampled_from(TABLE_ORDER), min_size=1)):
        names = [c.name for c in TABLES[table]] + [c.ko for c in TABLES[table]] + ["메모", "", "x"]
        header = draw(st.lists(st.sampled_from(names), min_size=1, max_size=8))
        rows = draw(st.lists(st.lists(cell, min_size=len(header) - 1, max_size=len(header) + 1), max_size=5))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        files[f"{table}.csv"] = buffer.getvalue()
    return files


@FUZZ
@given(csv_tables(), st.sampled_from(["utf-8", "utf-8-sig", "cp949", "utf-16"]))
def test_csv_rows_of_random_cells_load_or_fail_clearly(files: dict[str, str], encoding: str) -> None:
    encoded = {}
    for name, text in files.items():
        try:
            encoded[name] = text.encode(encoding)
        except UnicodeEncodeError:
            encoded[name] = text.encode("utf-8")
    with _folder(encoded) as folder:
        found = _outcome(lambda: CsvFolderSource().open(folder))
        if isinstance(found, DataError):
            assert all(p.file for p in found.problems)


raw_value = st.one_of(st.none(), cell)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from([*TABLE_ORDER, "notes"]),
        st.lists(st.dictionaries(st.sampled_from(["seeker_id", "placement_id", "birth_year", "x"]), raw_value)),
        max_size=3,
    )
)
def test_build_dataset_takes_any_raw_tables(tables: dict[str, list[dict[str, str | None]]]) -> None:
    assert isinstance(_outcome(lambda: build_dataset(tables, "fuzz")), Dataset | DataError)


# ------------------------------------------------------------------ configuration and parameters

toml_scalar = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**20),
    st.floats(allow_nan=False),
    st.text(max_size=10),
    st.dates(),
    st.datetimes(),
    st.times(),
)
toml_value = st.recursive(
    toml_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
SECTIONS = ["centre", "packs", "parameters", "privacy", "profiling", "followup", "metrics", "other"]
KEYS = ["name", "level", "region_code", "targets", "enabled", "strict", "hook_timeout", "pseudonym_key", "2016", "x"]


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(SECTIONS),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), toml_value, max_size=4) | toml_value,
        max_size=4,
    )
)
@example({"centre": {"name": "x", "region_code": 11140}})
@example({"centre": {"name": "x", "counsellors": "3"}})
@example({"packs": {"strict": "yes", "hook_timeout": float("inf")}})
@example({"parameters": {"Not An Id": 1, "metrics.x.y": [{"from": "never", "value": 1}]}})
def test_parse_config_gives_a_configuration_or_a_config_error(data: dict[str, Any]) -> None:
    assert isinstance(_outcome(lambda: parse_config(data, "fuzz.toml")), CentreConfig | ConfigError)


@FUZZ
@given(some_bytes | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
@example(b"[centre]\nname = \xff\n")
@example(b"\xef\xbb\xbf[centre]\nname = 'x'\n")
def test_load_config_reads_any_file(data: bytes) -> None:
    with _folder({"employkit.toml": data}) as folder:
        found = _outcome(lambda: load_config(Path(folder) / "employkit.toml"))
        assert isinstance(found, CentreConfig | ConfigError)


parameter_entry = st.dictionaries(
    st.sampled_from(["id", "ko", "en", "unit", "override", "value", "extra"]),
    toml_value
    | st.sampled_from(["metrics.a.b", "x"])
    | st.lists(
        st.dictionaries(
            st.sampled_from(["from", "to", "value", "source"]),
            toml_value | st.sampled_from(["2016-01-01", "doc#L1"]),
        ),
        max_size=3,
    ),
)


@FUZZ
@given(st.dictionaries(st.sampled_from(["parameter", "other"]), st.lists(parameter_entry, max_size=3) | toml_value))
def test_parse_parameters_gives_parameters_or_a_parameter_error(data: dict[str, Any]) -> None:
    found = _outcome(lambda: parse_parameters(data, "fuzz.toml"))
    assert isinstance(found, ParameterError) or all(isinstance(p, Parameter) for p in found)


@FUZZ
@given(some_bytes | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
@example(b'[[parameter]]\nid = "a.b"\n[[parameter.value]]\nfrom = 2016-01-01\nvalue = 1\nsource = 3\n')
def test_load_parameters_reads_any_file(data: bytes) -> None:
    with _folder({"p.toml": data}) as folder:
        found = _outcome(lambda: load_parameters(Path(folder) / "p.toml"))
        assert isinstance(found, list | ParameterError)


def test_the_fuzzers_reach_valid_inputs_too() -> None:
    """The generators are not only noise: a real TOML configuration and a CSV dataset pass."""
    text = '[centre]\nname = "중구"\nregion_code = "11140"\n[packs]\nhook_timeout = 5\n'
    assert parse_config(tomllib.loads(text)).hook_timeout == 5.0
    with _folder({"seekers.csv": FRAGMENTS[0] + FRAGMENTS[1]}) as folder:
        assert len(CsvFolderSource().open(folder).seekers) == 1
