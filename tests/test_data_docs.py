"""docs/data.rst documents every table and column of the schema exactly as the code has it."""

from __future__ import annotations

import re
from pathlib import Path

from employkit.sources.schema import TABLE_KO, TABLE_ORDER, TABLES

PAGE = Path(__file__).resolve().parent.parent / "docs" / "data.rst"
HEADER = ["column", "한국어", "type", "required", "description"]


def documented_tables(text: str) -> dict[str, tuple[str, list[list[str]]]]:
    """``table -> (Korean name, rows)`` for every ``list-table:: Columns of ``t`` (한국어)`` in the page."""
    found: dict[str, tuple[str, list[list[str]]]] = {}
    blocks = re.split(r"^\.\. list-table:: ", text, flags=re.M)[1:]
    for block in blocks:
        title, _, body = block.partition("\n")
        match = re.fullmatch(r"Columns of ``(\w+)`` \((.+)\)", title.strip())
        if match is None:
            continue
        lines = []
        for line in body.splitlines():
            if line.strip() and not line.startswith("   "):
                break  # the end of the directive
            lines.append(line)
        rows: list[list[str]] = []
        for line in lines:
            if line.startswith("   * - "):
                rows.append([line[len("   * - ") :].strip()])
            elif line.startswith("     - "):
                rows[-1].append(line[len("     - ") :].strip())
            elif line.startswith("       ") and rows:
                rows[-1][-1] += " " + line.strip()  # a cell continued on the next line
        assert match.group(1) not in found, f"{match.group(1)} documented twice"
        found[match.group(1)] = (match.group(2), rows)
    return found


def expected_rows(table: str) -> list[list[str]]:
    return [[f"``{c.name}``", c.ko, c.type, "yes" if c.required else "no", c.description] for c in TABLES[table]]


def test_every_table_and_column_is_documented_as_in_the_schema() -> None:
    found = documented_tables(PAGE.read_text(encoding="utf-8"))
    assert list(found) == list(TABLE_ORDER)
    for table in TABLE_ORDER:
        ko, rows = found[table]
        assert ko == TABLE_KO[table], f"{table}: Korean name {ko!r} differs from the schema's {TABLE_KO[table]!r}"
        assert rows[0] == HEADER, f"{table}: header {rows[0]}"
        documented = {row[0]: row for row in rows[1:]}
        for row in expected_rows(table):
            assert row[0] in documented, f"{table}: column {row[0]} is not documented"
            assert documented[row[0]] == row, f"{table}: column {row[0]} is documented as {documented[row[0]]}"
        assert [row[0] for row in rows[1:]] == [row[0] for row in expected_rows(table)], f"{table}: order or extras"


def test_the_parser_notices_drift() -> None:
    text = PAGE.read_text(encoding="utf-8")
    drifted = text.replace("     - 구직등록일\n", "     - 등록일자\n", 1)
    assert drifted != text
    _ko, rows = documented_tables(drifted)["seekers"]
    row = next(r for r in rows if r[0] == "``registered_on``")
    assert row != next(r for r in expected_rows("seekers") if r[0] == "``registered_on``")
    missing = re.sub(r"   \* - ``nationality``\n(     - .*\n){4}", "", text, count=1)
    assert "``nationality``" not in [r[0] for r in documented_tables(missing)["seekers"][1]]
    assert "sheet" in text and "employkit synth" in text and ".. automodule:: employkit.frames" in text
