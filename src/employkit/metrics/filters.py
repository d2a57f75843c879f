"""Filters of a KPI measure, as data: :class:`Where` compares a column, :class:`Within` bounds a date.

A filter value may be a dated parameter (:class:`Param`), read as of the KPI's date and
cited in its explanation. Every filter describes itself in Korean and English.

>>> Where("monthly_wage", "ge", 2_000_000).describe_value(2_000_000).en
'monthly_wage ≥ 2,000,000'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from employkit.errors import InvalidValue
from employkit.labels import Text

if TYPE_CHECKING:
    from employkit.metrics.columnar import ColumnFrame

__all__ = ["OPS", "Filter", "Param", "Where", "Within", "compare", "show"]


@frozen
class Param:
    """A dated parameter used as a value; read as of the KPI's date and cited in its explanation."""

    id: str


#: Comparison operators of :class:`Where`, with their symbols.
OPS: Mapping[str, str] = {
    "eq": "=",
    "ne": "≠",
    "in": "∈",
    "not_in": "∉",
    "ge": "≥",
    "gt": ">",
    "le": "≤",
    "lt": "<",
    "prefix": "starts with",
    "has": "includes",
    "present": "is known",
    "absent": "is unknown",
}


def show(value: Any) -> str:
    """A value as explanations write it (``2,000,000``, ``{a, b}``, ``true``)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, tuple | list | frozenset | set):
        return "{" + ", ".join(show(v) for v in value) + "}"
    return str(value)


def compare(op: str, have: Any, want: Any) -> bool:
    """Whether a cell ``have`` passes ``op`` against ``want`` (an empty cell is ``None``)."""
    if op == "present":
        return have is not None
    if op == "absent":
        return have is None
    if have is None:
        return False
    if op == "eq":
        return bool(have == want or str(have) == str(want))
    if op == "ne":
        return not (have == want or str(have) == str(want))
    if op == "in":
        return have in want or str(have) in {str(w) for w in want}
    if op == "not_in":
        return not (have in want or str(have) in {str(w) for w in want})
    if op == "has":  # a set-valued column (groups, skills…) includes ``want``
        members = have if isinstance(have, (set, frozenset, tuple, list)) else (have,)
        return want in members or str(want) in {getattr(m, "code", str(m)) for m in members}
    if op == "prefix":
        prefixes = (want,) if isinstance(want, str) else tuple(want)
        return str(have).startswith(tuple(str(p) for p in prefixes))
    try:
        if op == "ge":
            return bool(have >= want)
        if op == "gt":
            return bool(have > want)
        if op == "le":
            return bool(have <= want)
        return bool(have < want)
    except TypeError:
        return False


def _op(_inst: object, _attribute: Any, value: str) -> None:
    if value not in OPS:
        raise InvalidValue(f"unknown operator {value!r}; expected one of {', '.join(OPS)}")


@frozen
class Where:
    """Keep records whose ``column`` compares with ``value`` by ``op`` (see :data:`OPS`)."""

    column: str
    op: str = field(default="eq", validator=_op)
    value: Any = True

    def parameters(self) -> tuple[str, ...]:
        """The parameter ids this filter reads."""
        return (self.value.id,) if isinstance(self.value, Param) else ()

    def describe(self, frame: ColumnFrame) -> Text:
        """The filter in words, with parameter values as of the KPI's date."""
        want = frame.ctx.param(self.value.id) if isinstance(self.value, Param) else self.value
        return self.describe_value(want)

    def describe_value(self, want: Any) -> Text:
        """The filter in words for a given value."""
        if self.op in ("present", "absent"):
            return Text(f"{self.column} {'있음' if self.op == 'present' else '없음'}", f"{self.column} {OPS[self.op]}")
        text = f"{self.column} {OPS[self.op]} {show(want)}"
        return Text(text, text)


@frozen
class Within:
    """Keep records whose date ``column`` is no later than ``months`` months after date ``of``."""

    column: str
    of: str
    months: int | Param

    def parameters(self) -> tuple[str, ...]:
        """The parameter ids this filter reads."""
        return (self.months.id,) if isinstance(self.months, Param) else ()

    def describe(self, frame: ColumnFrame) -> Text:
        """The filter in words."""
        months = int(frame.ctx.param(self.months.id) if isinstance(self.months, Param) else self.months)
        return Text(
            f"{self.column}이(가) {self.of}부터 {months}개월 이내",
            f"{self.column} within {months} month{'s' if months != 1 else ''} of {self.of}",
        )


Filter = Where | Within
