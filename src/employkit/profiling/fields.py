"""The seeker fields a typology may read, by name, as columns of :class:`SeekerColumns`.

Decision tables and scalar typologies name the fields they read —
``intake.motivation``, ``age``, ``groups.youth`` — and get them here as numpy columns
with their :class:`~employkit.decision.Domain`, the name a "missing" answer is reported
under, and the protected attribute the field reveals (if any).

>>> FIELDS["intake.motivation"].domain.values
('low', 'mid', 'high')
>>> FIELDS["age"].protected, FIELDS["age"].missing_name
('age', 'birth_year')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import frozen

from employkit.decision import BOOL, LEVEL, Domain
from employkit.errors import EmploykitError
from employkit.labels import Text
from employkit.model import Level, Seeker, SeekerGroup
from employkit.profiling.base import FIELD_LABELS, INTAKE_FIELDS
from employkit.profiling.batch import GENDER_CODES, GROUP_BITS, SeekerColumns, column_values

__all__ = ["FIELDS", "SeekerField", "field_domain", "python_value", "record_values", "shown_value"]

_PROTECTED_GROUPS: Mapping[SeekerGroup, str] = {
    SeekerGroup.YOUTH: "age",
    SeekerGroup.MIDDLE_AGED: "age",
    SeekerGroup.OLDER: "age",
    SeekerGroup.CAREER_BREAK_WOMAN: "gender",
    SeekerGroup.MULTICULTURAL: "nationality",
    SeekerGroup.DISABILITY: "disability",
}


@frozen
class SeekerField:
    """One readable field: its domain, how to read it from columns, and what it reveals."""

    name: str
    domain: Domain
    read: Callable[[SeekerColumns], npt.NDArray[Any]]
    label: Text
    missing_name: str | None = None  # the field reported missing (``None``: never missing)
    protected: str | None = None
    span: tuple[int, int] | None = None  # integer numbers: the smallest and largest value


def _intake(name: str) -> Callable[[SeekerColumns], npt.NDArray[Any]]:
    def read(cols: SeekerColumns) -> npt.NDArray[Any]:
        return np.asarray(getattr(cols, name))

    return read


def _age(cols: SeekerColumns) -> npt.NDArray[Any]:
    out: npt.NDArray[Any] = np.where(cols.age < 0, np.nan, cols.age.astype(np.float64))
    return out


def _days(cols: SeekerColumns) -> npt.NDArray[Any]:
    return cols.registered_days.astype(np.float64)


def _group(bit: int) -> Callable[[SeekerColumns], npt.NDArray[Any]]:
    def read(cols: SeekerColumns) -> npt.NDArray[Any]:
        out: npt.NDArray[Any] = ((cols.groups & bit) != 0).astype(np.int8)
        return out

    return read


_GENDER = Domain(
    "enum",
    tuple(g.code for g, _ in sorted(GENDER_CODES.items(), key=lambda x: x[1])),
    {"female": "F", "여": "F", "여성": "F", "male": "M", "남": "M", "남성": "M", "other": "X", "기타": "X"},
)


def _fields() -> dict[str, SeekerField]:
    out: dict[str, SeekerField] = {}
    for name in INTAKE_FIELDS:
        domain = LEVEL if name in ("employability", "motivation", "ability") else BOOL
        out[f"intake.{name}"] = SeekerField(f"intake.{name}", domain, _intake(name), FIELD_LABELS[name], name)
    out["age"] = SeekerField(
        "age", Domain("number", minimum=0, maximum=150), _age, Text("연령", "age"), "birth_year", "age", (0, 150)
    )
    out["gender"] = SeekerField("gender", _GENDER, _intake("gender"), FIELD_LABELS["gender"], "gender", "gender")
    out["foreign"] = SeekerField(
        "foreign", BOOL, _intake("foreign"), Text("외국 국적", "foreign national"), "nationality", "nationality"
    )
    out["registered_days"] = SeekerField(
        "registered_days", Domain("number"), _days, Text("구직등록 경과일수", "days since registration")
    )
    for g, bit in GROUP_BITS.items():
        name = f"groups.{g.code}"
        out[name] = SeekerField(name, BOOL, _group(bit), g.label, None, _PROTECTED_GROUPS.get(g))
    return out


#: Every field a seeker typology may read, by name.
FIELDS: Mapping[str, SeekerField] = _fields()


def _column(name: str) -> str:
    if name.startswith("groups."):
        return "groups"
    return name.removeprefix("intake.")


def record_values(seeker: Seeker, as_of: dt.date, names: Iterable[str]) -> dict[str, Any]:
    """The fields ``names`` of one seeker, encoded as in the columns (codes, ``-1`` or NaN missing).

    The same encoding as :meth:`SeekerColumns.from_seekers` (both use
    :data:`~employkit.profiling.batch.ENCODERS`), without building arrays: what a
    one-seeker call reads.
    """
    wanted = tuple(names)
    raw = column_values(seeker, as_of, {_column(n) for n in wanted})
    out: dict[str, Any] = {}
    for name in wanted:
        if name.startswith("groups."):
            out[name] = int(bool(raw["groups"] & GROUP_BITS[SeekerGroup.parse(name[7:])]))
        elif name == "age":
            out[name] = float("nan") if raw["age"] < 0 else float(raw["age"])
        elif name == "registered_days":
            out[name] = float(raw["registered_days"])
        else:
            out[name] = raw[_column(name)]
    return out


def field_domain(name: str) -> Domain:
    """The domain of field ``name`` (raises :class:`~employkit.errors.EmploykitError` naming the known ones)."""
    try:
        return FIELDS[name].domain
    except KeyError:
        raise EmploykitError(f"unknown seeker field {name!r}; known: {', '.join(FIELDS)}") from None


def python_value(domain: Domain, raw: Any) -> Any:
    """A column value as a Python value: a :class:`Level`, a bool, a code, a number or ``None``."""
    value = float(raw) if domain.kind == "number" else int(raw)
    if domain.kind == "number":
        return None if np.isnan(value) else (int(value) if value == int(value) else value)
    if value < 0:
        return None
    if domain.kind == "level":
        return (Level.LOW, Level.MID, Level.HIGH)[int(value)]
    if domain.kind == "bool":
        return bool(value)
    return domain.values[int(value)]


def shown_value(value: Any) -> Any:
    """A value as explanations show it (a level's code)."""
    return value.code if isinstance(value, Level) else value
