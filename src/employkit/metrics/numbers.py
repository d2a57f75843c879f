"""Exact rounding, display formats and the Wilson interval for KPI values.

Rates are computed as exact fractions and rounded half-up, the way the source documents
round by hand: 1,095 / 3,110 = 35.209…% is 35.2% to one decimal and 35% to none.

>>> from fractions import Fraction
>>> round_half_up(Fraction(1095 * 100, 3110), 1)
Decimal('35.2')
>>> format_number(round_half_up(Fraction(1095 * 100, 3110), 0), 0, "%")
'35%'
>>> low, high = wilson_interval(1095, 3110, 1.96)
>>> round(low * 100, 1), round(high * 100, 1)
(33.5, 36.9)
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..errors import InvalidArgument

__all__ = ["format_number", "round_half_up", "wilson_interval"]


def round_half_up(value: Fraction | int | float, decimals: int) -> Decimal:
    """``value`` rounded half away from zero to ``decimals`` places, as a :class:`Decimal`.

    Fractions are rounded exactly, so 0.5 boundaries are never lost to binary floating
    point (2.675 with two decimals gives 2.68).
    """
    frac = (
        value if isinstance(value, Fraction) else Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    )
    quantum = Decimal(1).scaleb(-decimals)
    scaled = frac * 10**decimals
    sign = -1 if scaled < 0 else 1
    whole = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return (Decimal(sign * whole) * quantum).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: Decimal, decimals: int, unit: str) -> str:
    """A rounded value for a reader: thousands separators, and ``%`` for percentages.

    >>> format_number(Decimal("1036.7"), 1, "seekers/counsellor")
    '1,036.7'
    """
    text = f"{value:,.{max(decimals, 0)}f}"
    return f"{text}%" if unit == "%" else text


def wilson_interval(successes: float, trials: float, z: float) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``successes / trials`` (as fractions of 1).

    ``z`` is the normal quantile of the confidence level (1.96 for 95%). Raises
    :class:`ValueError` when ``trials`` is not positive or ``successes`` is outside
    ``[0, trials]``.
    """
    if trials <= 0:
        raise InvalidArgument("the Wilson interval needs at least one trial")
    if not 0 <= successes <= trials:
        raise InvalidArgument("successes must lie between 0 and the number of trials")
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return max(0.0, centre - half), min(1.0, centre + half)
