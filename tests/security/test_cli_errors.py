"""Every input that once gave a traceback gives a clear message; a fuzz over every command and option."""

from __future__ import annotations

import sqlite3
import traceback
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from employkit.cli import cli
from tests.security.cli_fuzz import commands, invocation
from tests.security.fixtures import make_files


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return make_files(tmp_path_factory.mktemp("hostile"))


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        pytest.fail("traceback:\n" + "".join(traceback.format_exception(exc)))
    return result.exit_code, result.output


CASES = {
    "config bomb": (["--config", "{bomb_toml}", "rules"], "nested too deeply"),
    "inputs bomb": (["kpi", "--inputs", "{bomb_toml}"], "--inputs"),
    "inputs binary": (["kpi", "--inputs", "{binary}"], "--inputs"),
    "long source": (["validate", "--source", "a" * 5000], "too long"),
    "long source kpi": (["kpi", "--source", "/" + "가" * 200], "too long"),
    "missing shared string": (["validate", "--source", "{bad_xlsx}"], "shared string"),
    "corrupt store": (["followup", "export", "--store", "{corrupt_store}"], "follow-up store"),
    "schema 2 store": (["followup", "export", "--store", "{schema2_store}"], "follow-up store"),
    "kpi year": (["kpi", "--year", "99999"], "--year"),
    "segments cp949": (["kpi", "--segments", "{cp949_csv}", "--by", "segment", "--source", "{folder}"], ""),
    "segments binary": (["kpi", "--segments", "{binary}", "--by", "segment"], "--segments"),
    "plot missing folder": (["kpi", "--plot", "{missing_dir}"], "--plot"),
    "top -1": (["match", "--seeker", "S0000001", "--top", "-1"], "--top"),
    "audit top -1": (["audit", "--top", "-1", "--source", "{folder}"], ""),
    "max changes -1": (["explain-change", "--seeker", "S0000001", "--max-changes", "-1"], "--max-changes"),
    "new-plugin name": (["new-plugin", "x" * 300, "--dir", "{folder}"], "pack name"),
    "out under a file": (["run", "--out", "{under_file}"], "--out"),
    "store under a file": (["run", "--store", "{under_file}"], "--store"),
    "batch out under a file": (["batch-match", "--out", "{under_file}"], ""),
    "replay binary log": (["decisions", "verify", "--log", "{binary}"], ""),
    "replay bad kinds": (["decisions", "replay", "--log", "{binary}", "--kinds", "nope"], "--kinds"),
    "on 9999": (
        [
            "followup",
            "record",
            "--store",
            "{corrupt_store}",
            "--placement",
            "P1",
            "--outcome",
            "x",
            "--on",
            "9999-12-31",
        ],
        "",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_known_tracebacks_are_clear_messages(name: str, files: dict[str, str]) -> None:
    args, expected = CASES[name]
    code, output = _run([a.format(**files) for a in args])
    assert code in (1, 2), output
    assert expected in output, output
    assert "Traceback" not in output


def test_a_store_claiming_schema_2_without_tables(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA user_version = 2")
    code, output = _run(["followup", "due", "--store", str(store), "--from", "2016-01-01", "--to", "2016-02-01"])
    assert code == 2 and str(store) in output


def _all_commands() -> list[tuple[tuple[str, ...], click.Command]]:
    return list(commands(cli, click.Context(cli)))


COMMANDS = _all_commands()


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_fuzz_every_command(
    path: tuple[str, ...],
    command: click.Command,
    files: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Random options with hostile values: never a traceback; usage errors exit with status 2."""
    monkeypatch.chdir(tmp_path)
    hostile = {k: v for k, v in files.items() if k != "folder"}
    if path == ("serve",):
        uvicorn = pytest.importorskip("uvicorn")
        monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)  # a server would listen until stopped

    @settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(invocation(path, command, hostile))
    def check(args: list[str]) -> None:
        if any(p.name == "location" for p in command.params) and "--source" not in args:
            args = [*args, "--source", files["binary"]]  # the default would compute over the sample centre
        result = CliRunner().invoke(cli, args)
        exc = result.exception
        if exc is not None and not isinstance(exc, SystemExit):
            raise AssertionError(f"{args}: {''.join(traceback.format_exception(exc))}")
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
        if "Usage:" in result.output and "Error:" in result.output:
            assert result.exit_code == 2, (args, result.output)

    check()


@pytest.mark.parametrize(
    "args",
    [
        ["kpi", "--format", "yaml"],
        ["match", "--top", "many"],
        ["kpi", "--year", "-5"],
        ["run", "--lang", "fr"],
        ["followup", "due", "--from", "2016-13-01", "--to", "2016-12-01"],
        ["nonexistent-command"],
        ["match", "--no-such-option"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, output = _run(args)
    assert code == 2 and "Error" in output
