# ruff: noqa: E501
"""Hostile inputs shared by the reliability suite: files, paths and texts that once broke employkit."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

#: A resident registration number used in the tests (a valid date, 7th digit 2; not a real person's).
RRN = "870412-2931746"
RRN_DIGITS = "8704122931746"

#: Texts for string options and arguments.
TEXTS = [
    "",
    " ",
    "x",
    "S0000001",
    "V0000001",
    "a" * 300,
    "\x1b[31mred\x1b[0m",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "# heading | pipe",
    "Ѕ0000001",  # Cyrillic capital DZE
    "S000\u200b0001",
    "-1",
    "0",
    "99999",
    "9999-12-31",
    "nan",
    "inf",
    "../../etc/passwd",
    "é" * 200,
    "청년",
]


def make_files(root: Path) -> dict[str, str]:
    """Write the hostile files under ``root``; returns name -> path."""
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    files["bomb_toml"] = root / "bomb.toml"
    files["bomb_toml"].write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    files["binary"] = root / "binary.bin"
    files["binary"].write_bytes(bytes(range(256)) * 4)
    files["cp949_csv"] = root / "segments.csv"
    files["cp949_csv"].write_bytes("seeker_id,segment\nS0000001,청년\n".encode("cp949"))
    files["regular"] = root / "regular.txt"
    files["regular"].write_text("just a file\n", encoding="utf-8")
    files["under_file"] = files["regular"] / "out"
    files["missing_dir"] = root / "missing" / "out.png"
    files["long_name"] = root / ("가" * 100)
    files["corrupt_store"] = root / "corrupt.sqlite"
    files["corrupt_store"].write_bytes(b"SQLite format 3\x00" + b"\xff" * 2000)
    files["schema2_store"] = root / "schema2.sqlite"
    with sqlite3.connect(files["schema2_store"]) as db:
        db.execute("PRAGMA user_version = 2")
    files["bad_xlsx"] = root / "bad.xlsx"
    _xlsx_missing_shared_string(files["bad_xlsx"])
    files["folder"] = root
    return {k: str(v) for k, v in files.items()}


def _xlsx_missing_shared_string(path: Path) -> None:
    """A minimal workbook whose seekers sheet points at shared string 7 of a table of one."""
    ct = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    wb = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="seekers" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    wb_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>7</v></c></row></sheetData></worksheet>'
    )
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'count="1" uniqueCount="1"><si><t>seeker_id</t></si></sst>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", shared)
