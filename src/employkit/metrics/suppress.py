"""Small-cell suppression for published tables (통계 공표 시 소규모 셀 비공개).

A published cell is hidden when a count it shows — its numerator, its denominator, or
for a proportion the people *not* counted (denominator − numerator) — is at least 1 and
below the threshold (parameter ``metrics.suppression.min_cell``, default 5). Zeros are
shown. When a breakdown would hide exactly one cell, the next smallest cell is hidden
too, so the hidden one cannot be recovered by subtracting the others from the total.
Only counts of people are checked (``KpiValue.disclosive``): not money, openings,
counsellors or population figures in the hundreds of thousands.

>>> from employkit.metrics.suppress import is_small
>>> is_small(3, 5), is_small(0, 5), is_small(5, 5)
(True, False, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from employkit.errors import ConfigError
from employkit.metrics.base import KpiValue

__all__ = [
    "MIN_CELL_PARAMETER",
    "SAFE_MIN_CELL",
    "UNSAFE_SETTING",
    "check_min_cell",
    "is_small",
    "min_cell_of",
    "suppress",
    "suppress_together",
    "suppressed_cell",
]

#: The parameter holding the smallest count of people a published cell may show.
MIN_CELL_PARAMETER = "metrics.suppression.min_cell"
#: The lowest threshold accepted without the unsafe setting (1 would suppress nothing).
SAFE_MIN_CELL = 2
#: ``[privacy] unsafe_small_cells = true`` lets ``min_cell`` be 1; reports then say so.
UNSAFE_SETTING = "unsafe_small_cells"


def check_min_cell(value: Any, *, unsafe: bool = False, where: str = MIN_CELL_PARAMETER) -> int:
    """``value`` as a suppression threshold: a whole number of people, at least :data:`SAFE_MIN_CELL`.

    A value of 1 (no suppression) is accepted only with ``unsafe`` (the setting
    ``[privacy] unsafe_small_cells = true``); 0, negative numbers, fractions, ``nan``,
    ``inf``, text and ``true`` never are. Raises :class:`~employkit.errors.ConfigError`.

    >>> check_min_cell(5), check_min_cell(1, unsafe=True), check_min_cell(10.0)
    (5, 1, 10)
    >>> check_min_cell("five")
    Traceback (most recent call last):
    employkit.errors.ConfigError: metrics.suppression.min_cell: expected a whole number of people (at least 2), ...
    """
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if number is None:
        raise ConfigError(f"{where}: expected a whole number of people (at least {SAFE_MIN_CELL}), got {value!r}")
    if number < 1 or (number < SAFE_MIN_CELL and not unsafe):
        raise ConfigError(
            f"{where}: {number} would publish cells of single people; use at least {SAFE_MIN_CELL} "
            f"(5 is usual), or set [privacy] {UNSAFE_SETTING} = true to publish with 1 (reports then say so)"
            if number >= 1
            else f"{where}: {number} is not a threshold; use a whole number of people, at least {SAFE_MIN_CELL}"
        )
    return number


def min_cell_of(system: Any, as_of: dt.date) -> int:
    """The validated threshold in force on ``as_of`` in ``system`` (a :class:`~employkit.rules.RuleSystem`)."""
    value = system.parameter(MIN_CELL_PARAMETER, as_of).value
    config = getattr(system, "config", None)
    settings = getattr(config, "settings", None) or {}
    privacy = settings.get("privacy", {}) if hasattr(settings, "get") else {}
    unsafe = privacy.get(UNSAFE_SETTING, False) if hasattr(privacy, "get") else False
    if not isinstance(unsafe, bool):
        raise ConfigError(f"[privacy] {UNSAFE_SETTING}: expected true or false, got {unsafe!r}")
    return check_min_cell(value, unsafe=unsafe)


def is_small(count: float | None, min_cell: int) -> bool:
    """Whether ``count`` is a whole number from 1 up to ``min_cell − 1``."""
    if count is None or isinstance(count, bool):
        return False
    if isinstance(count, float) and not count.is_integer():
        return False
    return 0 < count < min_cell


def _needs(value: KpiValue, min_cell: int) -> bool:
    people_num, people_den = value.disclosive
    num = value.numerator if people_num else None
    den = value.denominator if people_den else None
    if is_small(num, min_cell) or is_small(den, min_cell):
        return True
    if value.bounded and num is not None and den is not None:
        return is_small(den - num, min_cell)
    return False


def suppressed_cell(value: KpiValue) -> KpiValue:
    """``value`` with its figures hidden."""
    return attrs.evolve(
        value,
        numerator=None,
        denominator=None,
        value=None,
        interval=None,
        suppressed=True,
        breakdown={},
        steps=(),
    )


def suppress(value: KpiValue, min_cell: int) -> KpiValue:
    """``value`` as it may be published: small cells hidden, with secondary suppression."""
    if _needs(value, min_cell):
        return suppressed_cell(value)
    cells = dict(value.breakdown)
    hidden = {k for k, c in cells.items() if _needs(c, min_cell)}
    if len(hidden) == 1 and len(cells) > 1:
        hidden.add(_smallest_shown(cells, hidden))
    breakdown = {k: suppressed_cell(c) if k in hidden else c for k, c in cells.items()}
    steps = tuple(suppressed_cell(s) if _needs(s, min_cell) else s for s in value.steps)
    return attrs.evolve(value, breakdown=breakdown, steps=steps)


def _smallest_shown(cells: dict[str, KpiValue], hidden: set[str]) -> str:
    shown = [k for k in cells if k not in hidden]
    return min(shown, key=lambda k: (cells[k].numerator or 0, cells[k].denominator or 0, k))


Series = tuple[object, ...]


def _series(value: KpiValue, figure: str) -> Series | None:
    """Which people a figure of a breakdown counts: figures with the same total over the same
    cells are taken to count the same people (the attacker's view), so they share a series."""
    total = getattr(value, figure)
    if total is None or not value.disclosive[0 if figure == "numerator" else 1]:
        return None
    return ("series", total, frozenset(value.breakdown))


def _small(value: KpiValue, cell: KpiValue, min_cell: int) -> list[Series]:
    """The series in which ``cell`` shows a small count: its numerator's when the numerator or
    the people not counted (denominator − numerator) are few, its denominator's when that is small."""
    if not _needs(cell, min_cell):
        return []
    found = []
    num, den = _series(value, "numerator"), _series(value, "denominator")
    if is_small(cell.denominator, min_cell) and cell.disclosive[1] and den is not None:
        found.append(den)
    if num is not None and (is_small(cell.numerator, min_cell) or value.bounded):
        found.append(num)
    if not found:  # no shared series to protect: the cell alone
        found.append(("cell", id(value), frozenset(value.breakdown)))
    return found


def suppress_together(values: Sequence[KpiValue], min_cell: int) -> list[KpiValue]:
    """The KPIs of one published report, suppressed so that no KPI gives away another's hidden cell.

    KPIs broken down by the same column may count the same people: a figure with the same
    total over the same cells as another (the employment rate's placed seekers and the
    placements, say) could show a count the other hides. So a small count is hidden in every
    figure of its **series** (figures with that total over those cells), and secondary
    suppression is repeated until each series hides none or at least two of its cells. A
    cell is hidden when one of its figures' series hides it; cells that reveal no small
    count stay shown (a month's 297 seekers are shown although the month had 4 placements:
    the placements are hidden wherever they appear, so the rate cannot be worked back).
    """
    open_values = [v for v in values if not _needs(v, min_cell) and v.breakdown]
    hidden: dict[Series, set[str]] = {}
    members: dict[Series, list[tuple[KpiValue, str]]] = {}
    for v in open_values:
        for figure in ("numerator", "denominator"):
            key = _series(v, figure)
            if key is not None:
                members.setdefault(key, []).append((v, figure))
        for k, c in v.breakdown.items():
            for key in _small(v, c, min_cell):
                hidden.setdefault(key, set()).add(k)
                members.setdefault(key, [])
    while True:
        grown = False
        for key, keys in hidden.items():
            cells = key[2]
            assert isinstance(cells, frozenset)
            if len(keys) == 1 and len(cells) > 1:
                keys.add(_smallest_in(members.get(key, []), cells, keys))
                grown = True
        if not grown:
            break
    out = []
    for v in values:
        if _needs(v, min_cell):
            out.append(suppressed_cell(v))
            continue
        cells_hidden: set[str] = set()
        for figure in ("numerator", "denominator"):
            key = _series(v, figure)
            if key is not None:
                cells_hidden |= hidden.get(key, set())
        for k in v.breakdown:  # a small cell with no shared series
            for key in _small(v, v.breakdown[k], min_cell):
                cells_hidden |= hidden.get(key, set())
        breakdown = {k: suppressed_cell(c) if k in cells_hidden else c for k, c in v.breakdown.items()}
        steps = tuple(suppressed_cell(s) if _needs(s, min_cell) else s for s in v.steps)
        out.append(attrs.evolve(v, breakdown=breakdown, steps=steps))
    return out


def _smallest_in(members: Sequence[tuple[KpiValue, str]], cells: frozenset[str], hidden: set[str]) -> str:
    """The shown cell of a series with the smallest figure (the cheapest to hide)."""

    def size(k: str) -> tuple[float, str]:
        counts = [getattr(v.breakdown[k], f) or 0 for v, f in members if k in v.breakdown]
        return (min(counts) if counts else 0, k)

    return min((k for k in cells if k not in hidden), key=size)
