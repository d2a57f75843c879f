"""Plain text for terminals and text reports: tables that line up with Korean (wide) characters, safe text.

Everything employkit prints from data or from the user passes through :func:`safe_text`:
resident registration numbers masked, control characters (escape sequences that would
move the cursor, recolour or retitle the terminal) shown as ``\\x1b``-style escapes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["aligned", "safe_text", "table", "width"]

# C0 and C1 control characters other than tab and line feed, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone surrogates: bytes of the command line that were not UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def safe_text(text: str) -> str:
    r"""``text`` fit for a terminal: resident numbers masked, control characters escaped.

    >>> safe_text("상담사 \x1b[2J홍길동 870412-2931746")
    '상담사 \\x1b[2J홍길동 ******-*******'
    """
    from employkit.sources.cells import find_rrn, mask_rrn

    if find_rrn(text):
        text = mask_rrn(text)
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def width(text: str) -> int:
    """Display width of ``text`` in a terminal (Hangul counts as two columns)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], max_col: int = 60) -> str:
    """Rows under headers, columns aligned; long cells are cut with an ellipsis."""
    headers = [safe_text(str(h)) for h in headers]
    cells = [[_cut(safe_text(str(c)), max_col) for c in row] for row in rows]
    sizes = [width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            sizes[i] = max(sizes[i], width(c))
    lines = ["  ".join(_pad(h, sizes[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(_pad(c, sizes[i]) for i, c in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines)


def aligned(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows under headers with columns aligned, each cell as it is (no masking, no cutting)."""
    sizes = [width(h) for h in headers]
    for row in rows:
        for i, c in enumerate(row):
            sizes[i] = max(sizes[i], width(c))
    lines = ["  ".join(_pad(h, sizes[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(_pad(c, sizes[i]) for i, c in enumerate(row)).rstrip() for row in rows]
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
