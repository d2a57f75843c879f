"""The cells of decision tables: input domains and the conditions written in rows.

See :mod:`employkit.decision` for the table format.

>>> parse_cell(">= mid", LEVEL).codes == frozenset({1, 2})
True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from ..errors import InvalidValue

__all__ = ["BOOL", "LEVEL", "Cell", "Domain", "between", "condition_text", "parse_cell", "show_value"]


@frozen
class Domain:
    """The values an input can take.

    ``kind`` is ``"level"``, ``"bool"``, ``"enum"`` (codes in :attr:`values`, column
    values are their indices, ``-1`` missing) or ``"number"`` (column values are
    numbers, ``NaN`` missing; :attr:`integer` numbers between :attr:`minimum` and
    :attr:`maximum`). ``aliases`` maps other spellings (``"하"``, ``"下"``) to codes.
    """

    kind: str
    values: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(factory=dict, hash=False)
    integer: bool = True
    minimum: float | None = None
    maximum: float | None = None

    @property
    def ordered(self) -> bool:
        """Whether comparisons (``>=``, ranges) make sense."""
        return self.kind in ("level", "number")

    def code(self, token: str) -> int:
        """The index of ``token`` (a code or an alias); raises :class:`ValueError`."""
        key = token.strip().casefold()
        key = self.aliases.get(key, key).casefold()
        for i, v in enumerate(self.values):
            if v.casefold() == key:
                return i
        raise InvalidValue(f"{token!r} is not one of {', '.join(self.values)}")


#: Three-step ratings (상·중·하); the plans' 上/中/下 are accepted in cells.
LEVEL = Domain(
    "level",
    ("low", "mid", "high"),
    {"하": "low", "중": "mid", "상": "high", "下": "low", "中": "mid", "上": "high"},
)
#: Yes / no answers (예/아니오, 完/未完, 可/不可 accepted in cells).
BOOL = Domain(
    "bool",
    ("false", "true"),
    {"아니오": "false", "예": "true", "未完": "false", "完": "true", "不可": "false", "可": "true"},
)


@frozen
class Cell:
    """One parsed condition: which domain cells it accepts (see :meth:`Input.cells`)."""

    text: str
    any: bool = False
    missing: bool = False  # accepts a missing value
    codes: frozenset[int] = frozenset()  # categorical codes accepted
    intervals: tuple[tuple[float, bool, float, bool], ...] = ()  # (low, closed, high, closed)

    def accepts(self, value: float | int | None, domain: Domain) -> bool:
        """Whether a Python value (a code index, a number, ``None``) satisfies the cell."""
        if self.any:
            return True
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.missing
        if domain.kind == "number":
            return any(_inside(float(value), iv) for iv in self.intervals)
        return int(value) in self.codes

    def constants(self) -> list[float]:
        """The numbers this cell cuts a numeric domain at."""
        return [x for lo, _, hi, _ in self.intervals for x in (lo, hi) if math.isfinite(x)]


def _inside(x: float, iv: tuple[float, bool, float, bool]) -> bool:
    lo, lo_closed, hi, hi_closed = iv
    return (x > lo or (lo_closed and x == lo)) and (x < hi or (hi_closed and x == hi))


OPS = (">=", "<=", "!=", "==", ">", "<")


def _number(token: str) -> float:
    try:
        return float(token.replace(",", "").replace("_", ""))
    except ValueError:
        raise InvalidValue(f"{token!r} is not a number") from None


def _ordinal(token: str, domain: Domain) -> float:
    return _number(token) if domain.kind == "number" else float(domain.code(token))


def parse_cell(raw: Any, domain: Domain) -> Cell:
    """Read one cell written in a table (see the module docs); raises :class:`ValueError`."""
    if isinstance(raw, list | tuple):
        parts = [parse_cell(r, domain) for r in raw]
        if not parts:
            raise InvalidValue("an empty list matches nothing; write 'any' or name values")
        text = "|".join(p.text for p in parts)
        return Cell(
            text,
            any(p.any for p in parts),
            any(p.missing for p in parts),
            frozenset().union(*(p.codes for p in parts)),
            tuple(iv for p in parts for iv in p.intervals),
        )
    if isinstance(raw, bool):
        raw = "true" if raw else "false"
    if isinstance(raw, int | float):
        raw = repr(raw)
    if not isinstance(raw, str):
        raise InvalidValue(f"a cell is text, a boolean, a number or a list, not {type(raw).__name__}")
    text = raw.strip()
    if "|" in text and not text.startswith(("[", "(", *OPS)):
        return parse_cell([p for p in text.split("|")], domain)
    low = text.casefold()
    if low in ("any", "-", ""):
        return Cell(text or "any", any=True)
    if low == "missing":
        return Cell(text, missing=True)
    everything = _everything(domain)
    if low in ("present", "not missing"):
        return Cell(text, codes=everything.codes, intervals=everything.intervals)
    if text[:1] in "[(" and text[-1:] in "])" and "," in text:
        if not domain.ordered:
            raise InvalidValue(f"a range needs an ordered input (levels or numbers), not {domain.kind}")
        a, b = text[1:-1].split(",", 1)
        iv = (_ordinal(a, domain), text[0] == "[", _ordinal(b, domain), text[-1] == "]")
        return _from_interval(text, iv, domain)
    for op in OPS:
        if text.startswith(op):
            value = text[len(op) :].strip()
            if op in ("==", "!="):
                eq = parse_cell(value, domain)
                if op == "==":
                    return Cell(text, codes=eq.codes, intervals=eq.intervals)
                return _complement(text, eq, domain)
            if not domain.ordered:
                raise InvalidValue(f"{op} needs an ordered input (levels or numbers), not {domain.kind}")
            x = _ordinal(value, domain)
            inf = math.inf
            iv = {
                ">=": (x, True, inf, False),
                ">": (x, False, inf, False),
                "<=": (-inf, False, x, True),
                "<": (-inf, False, x, False),
            }[op]
            return _from_interval(text, iv, domain)
    if domain.kind == "number":
        x = _number(text)
        return Cell(text, intervals=((x, True, x, True),))
    return Cell(text, codes=frozenset({domain.code(text)}))


def _everything(domain: Domain) -> Cell:
    if domain.kind == "number":
        return Cell("present", intervals=((-math.inf, False, math.inf, False),))
    return Cell("present", codes=frozenset(range(len(domain.values))))


def _from_interval(text: str, iv: tuple[float, bool, float, bool], domain: Domain) -> Cell:
    if domain.kind == "number":
        return Cell(text, intervals=(iv,))
    return Cell(text, codes=frozenset(i for i in range(len(domain.values)) if _inside(float(i), iv)))


def _complement(text: str, cell: Cell, domain: Domain) -> Cell:
    if domain.kind != "number":
        return Cell(text, codes=frozenset(range(len(domain.values))) - cell.codes)
    if any(lo != hi for lo, _, hi, _ in cell.intervals):
        raise InvalidValue("!= takes values, not ranges")
    bounds = [-math.inf, *sorted({lo for lo, _, _, _ in cell.intervals}), math.inf]
    return Cell(text, intervals=tuple((a, False, b, False) for a, b in itertools.pairwise(bounds)))


def between(a: float, b: float, integer: bool) -> float | None:
    """A value strictly between ``a`` and ``b`` (an integer when asked), or ``None``."""
    if math.isinf(a) and math.isinf(b):
        return 0.0
    if math.isinf(a):
        return float(math.ceil(b) - 1) if integer else b - 1
    if math.isinf(b):
        return float(math.floor(a) + 1) if integer else a + 1
    if integer:
        k = math.floor(a) + 1
        return float(k) if k < b else None
    return (a + b) / 2


def show_value(value: Any, domain: Domain) -> str:
    """A domain value as tables write it (``missing`` for ``None``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "missing"
    if domain.kind == "number":
        return f"{value:g}"
    return domain.values[int(value)]


def condition_text(name: str, text: str) -> str:
    return f"{name} {text}" if text.startswith((*OPS, "[", "(")) else f"{name}={text}"
