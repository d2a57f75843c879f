"""Plain-text tables that line up with Korean (wide) characters."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """Display width of ``text`` in a terminal (Hangul counts as two columns)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], max_col: int = 60) -> str:
    """Rows under headers, columns aligned; long cells are cut with an ellipsis."""
    cells = [[_cut(str(c), max_col) for c in row] for row in rows]
    sizes = [width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            sizes[i] = max(sizes[i], width(c))
    lines = ["  ".join(_pad(h, sizes[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(_pad(c, sizes[i]) for i, c in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines)


def _cut(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"
