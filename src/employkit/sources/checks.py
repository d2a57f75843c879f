"""The checks of a cell and of a row that every path of the validating edge shares.

:mod:`employkit.sources.tables` (row by row, every problem named) and
:mod:`employkit.sources.columns` (column by column, for tables without problems) read
the same parsers, bounds and header names from here, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from employkit.codes import Region as _Region
from employkit.codes import regions
from employkit.model import EmploymentType, FollowUpOutcome, Gender, Level, SeekerGroup
from employkit.sources import cells
from employkit.sources.schema import TABLES, CellType

__all__ = ["AGE_RANGE", "BIRTH_YEARS", "MAX_CELL", "MAX_HOURS", "MAX_WAGE"]

_WAGE_COLUMNS = frozenset({"desired_wage", "offered_wage", "monthly_wage"})
#: The most characters a cell may hold (an Excel cell's limit).
MAX_CELL = 32_767
#: The highest wage accepted, KRW per month (above it, a unit or typing mistake).
MAX_WAGE = 1_000_000_000
#: The years of birth accepted (as :class:`~employkit.model.Seeker` does).
BIRTH_YEARS = (1900, 2100)
#: The range of an age preference (min_age, max_age) of a vacancy.
AGE_RANGE = (15, 100)
_AGE_COLUMNS = frozenset({"min_age", "max_age"})
#: Hours a week: more than 0, at most every hour of the week (as the record classes check).
MAX_HOURS = 168
_HOURS_COLUMNS = frozenset({"desired_hours", "hours_per_week"})
# Control characters other than tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_PARSERS: Mapping[CellType, Callable[[str], Any]] = {
    "id": cells.parse_id,
    "text": lambda t: t.strip(),
    "int": cells.parse_int,
    "wage": cells.parse_int,
    "float": cells.parse_float,
    "date": cells.parse_date,
    "bool": cells.parse_bool,
    "level": lambda t: cells.parse_enum(Level, t),
    "region": cells.parse_region,
    "occupation": cells.parse_occupation,
    "list": cells.parse_list,
    "gender": lambda t: cells.parse_gender(Gender, t),
    "employment_type": lambda t: cells.parse_enum(EmploymentType, t),
    "employment_types": lambda t: cells.parse_enum_list(EmploymentType, t),
    "groups": lambda t: cells.parse_enum_list(SeekerGroup, t),
    "outcome": lambda t: cells.parse_enum(FollowUpOutcome, t),
}


#: Region columns checked against the record's own date (the code must be in force then).
_REGION_DATES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "seekers": (("residence_code", "registered_on"),),
    "vacancies": (("region_code", "posted_on"),),
}


def _region_of(code: str) -> _Region:
    return regions()[code if len(code) <= 5 else code[:5]]


def _header_map(table: str) -> dict[str, str]:
    """Accepted header (folded English name or Korean name) -> canonical column name."""
    out: dict[str, str] = {}
    for col in TABLES[table]:
        out[col.name] = col.name
        out[col.ko] = col.name
    return out


def _canonical(header: str, names: Mapping[str, str]) -> str:
    cleaned = header.strip().lstrip("\ufeff").strip()
    return names.get(cleaned) or names.get(cleaned.casefold().replace(" ", "_")) or cleaned


def _text(value: object) -> str | None:
    if value is None:
        return None
    cleaned = str(value).strip()
    return cleaned or None
