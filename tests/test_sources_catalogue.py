"""The sources catalogue (docs/sources-catalogue.rst) cites lines that exist, and its counts add up."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from employkit.documents import DOCUMENTS

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "sources-catalogue.rst"
SEEDS = next(
    (p / "shared" / "seeds" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT / "shared" / "seeds",
)
STATUSES = {"encoded", "deviation", "employkit definition", "not encoded"}


def _rows() -> list[tuple[str, str, str, str, str, str]]:
    """(document, line, kind, item, status, where) for every row of the page's tables."""
    rows: list[tuple[str, str, str, str, str, str]] = []
    document = ""
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        if line.startswith("seeds/"):
            document = line.split(" ")[0]
        if line.startswith("   * - ") and not line.startswith("   * - line"):
            cells = [line[7:]] + [lines[n + k][7:] for k in range(1, 5)]
            rows.append((document, *cells))  # type: ignore[arg-type]
    return rows


def test_every_row_has_a_known_status_and_a_reason() -> None:
    rows = _rows()
    assert len(rows) >= 111
    assert {r[4] for r in rows} <= STATUSES
    assert all(r[5].strip() for r in rows)
    assert len({r[0] for r in rows}) == 5


def test_the_summary_counts_match_the_rows() -> None:
    counts = Counter(r[4] for r in _rows())
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    assert f"{sum(counts.values())} items: {counts['encoded']} encoded, {counts['deviation']} encoded" in text
    assert f"{counts['not encoded']} not encoded" in text


def test_every_row_cites_lines_that_exist_in_its_document() -> None:
    lengths = {d.file: d.lines for d in DOCUMENTS}
    uncited, past_the_end = [], []
    for document, line, *_ in _rows():
        numbers = [int(n) for n in re.findall(r"L(\d+)", line)]
        if not numbers:
            uncited.append((document, line))
        past_the_end += [(document, n) for n in numbers if not 1 <= n <= lengths[Path(document).name]]
    assert uncited == [], "rows that cite no line"
    assert past_the_end == [], "lines past the end of their document"


def test_the_recorded_lengths_are_those_of_the_documents() -> None:
    if not SEEDS.exists():
        pytest.skip("the shared seeds are not next to this checkout: the lengths above are checked where they are")
    found = {
        d.file: len((SEEDS / d.file).read_text(encoding="utf-8", errors="replace").splitlines()) for d in DOCUMENTS
    }
    assert found == {d.file: d.lines for d in DOCUMENTS}
