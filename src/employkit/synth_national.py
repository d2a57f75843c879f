"""A synthetic country: every province (시도) and district (시군구), sized by population.

Two generators share the same geography, :data:`PROVINCES` (the 17 provinces of 2024,
population share and number of districts):

* :func:`month_tables` — one national month of seekers and vacancies as columns
  (:class:`~employkit.matching.columns.SeekerTable` / ``VacancyTable``), for matching at
  scale (``benchmarks/national_month.py``);
* :func:`national_records` — a whole synthetic register for every district, as the
  ``(table, record)`` pairs :func:`employkit.synth.generate` yields: each district is a
  synthetic centre (:class:`~employkit.synth.SynthSpec` with the district's share of the
  seekers and vacancies, ids prefixed by the district code, non-residents from the other
  districts of its province), streamed one district after another in bounded memory.

District codes are the real ones of :mod:`employkit.codes`' region table — the 시군구 in
force throughout the period generated (:func:`national_records`), or at the end of 2024
for the month of :func:`month_tables` — and so are the occupations of :func:`month_tables` (the real
4-digit KECO codes of :data:`MIDDLE_GROUPS`): a row of the month is a valid record, with
a district centroid for commute distances.

>>> districts = national_districts()
>>> len(districts), len({d[:2] for d in districts})
(229, 17)
>>> "11140" in districts
True
>>> import datetime as dt
>>> then = national_districts(dt.date(2013, 1, 1), dt.date(2015, 12, 31))
>>> len(then), "42110" in then, "51110" in then  # 강원 before 강원특별자치도; 여주 changed in 2013
(228, True, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from employkit.model import EmploymentType

if TYPE_CHECKING:
    from employkit.matching.columns import SeekerTable, VacancyTable
    from employkit.synth import SynthSpec

__all__ = [
    "CERTIFICATES",
    "MIDDLE_GROUPS",
    "PROVINCES",
    "district_weights",
    "month_tables",
    "national_districts",
    "national_records",
]

#: Provinces (2024 codes), population share in %, number of districts (시군구).
#: The default day of the country's districts: the end of 2024 (the national month).
_END_2024 = dt.date(2024, 12, 31)

PROVINCES = {
    "11": (18.2, 25),
    "26": (6.4, 16),
    "27": (4.6, 9),
    "28": (5.8, 10),
    "29": (2.8, 5),
    "30": (2.8, 5),
    "31": (2.1, 5),
    "36": (0.8, 1),
    "41": (26.7, 31),
    "51": (2.9, 18),
    "43": (3.1, 11),
    "44": (4.1, 15),
    "52": (3.4, 14),
    "46": (3.5, 22),
    "47": (5.0, 22),
    "48": (6.3, 18),
    "50": (1.3, 2),
}
MIDDLE_GROUPS = tuple(
    f"{g:02d}" for g in (1, 2, 3, 11, 12, 13, 14, 15, 21, 22, 23, 24, 25, 30, 41, 42, 51, 52, 53, 54, 55, 56)
) + tuple(f"{g:02d}" for g in (61, 62, 70, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90))
CERTIFICATES = ("요양보호사", "지게차운전기능사", "조리사", "전기기능사", "운전면허1종")


def month_tables(n_seekers: int, n_vacancies: int, seed: int = 2024) -> tuple[SeekerTable, VacancyTable]:
    """A synthetic national month as columns: regions by population, occupations skewed."""
    from employkit.matching.columns import SeekerTable, VacancyTable

    rng = np.random.default_rng(seed)
    provinces = list(PROVINCES)
    share = np.array([PROVINCES[p][0] for p in provinces])
    share = share / share.sum()
    districts = national_districts()
    d_province = np.array([d[:2] for d in districts])
    per_province = {p: int(np.sum(d_province == p)) for p in provinces}
    d_weight = np.array([share[provinces.index(p)] / per_province[p] for p in d_province])
    d_weight = d_weight * rng.uniform(0.5, 1.5, len(districts))
    d_weight /= d_weight.sum()
    by_group = _occupation_codes()
    codes = [c for g in MIDDLE_GROUPS for c in by_group[g]]
    group_weight = 1.0 / np.arange(1, len(MIDDLE_GROUPS) + 1) ** 0.9
    rng.shuffle(group_weight)
    c_weight = np.concatenate(
        [np.full(len(by_group[g]), w / len(by_group[g])) for g, w in zip(MIDDLE_GROUPS, group_weight, strict=True)]
    )
    c_weight = c_weight * rng.uniform(0.3, 1.7, len(codes))
    c_weight /= c_weight.sum()
    codes_arr = np.array(codes, dtype=object)
    districts_arr = np.array(districts, dtype=object)

    def wages(n: int) -> np.ndarray:
        return np.round(rng.lognormal(np.log(2_500_000), 0.25, n), -4)

    n = n_seekers
    s_occ = codes_arr[rng.choice(len(codes), n, p=c_weight)]
    s_occ[rng.random(n) < 0.02] = None
    s_types = np.where(rng.random(n) < 0.15, 1 << list(EmploymentType).index(EmploymentType.TIME_SELECTIVE), 0)
    s_certs = np.empty(n, dtype=object)
    held = rng.random(n) < 0.2
    s_certs[:] = ""
    s_certs[held] = np.array(CERTIFICATES, dtype=object)[rng.integers(0, len(CERTIFICATES), int(held.sum()))]
    seekers = SeekerTable.from_columns(
        {
            "seeker_id": np.char.add("S", np.arange(n).astype(str)).astype(object),
            "residence_code": districts_arr[rng.choice(len(districts), n, p=d_weight)],
            "registered_on": np.datetime64("2024-12-01") + rng.integers(0, 31, n).astype("timedelta64[D]"),
            "birth_year": rng.integers(1955, 2006, n),
            "desired_occupation": s_occ,
            "desired_wage": np.where(rng.random(n) < 0.05, np.nan, wages(n)),
            "desired_hours": np.where(s_types > 0, 20.0, 40.0),
            "employment_types": s_types,
            "mobile": rng.random(n) < 0.25,
            "certificates": s_certs,
        }
    )
    m = n_vacancies
    v_types = rng.choice(len(EmploymentType), m, p=[0.45, 0.2, 0.12, 0.05, 0.05, 0.1, 0.03])
    v_certs = np.empty(m, dtype=object)
    asks = rng.random(m) < 0.1
    v_certs[:] = ""
    v_certs[asks] = np.array(CERTIFICATES, dtype=object)[rng.integers(0, len(CERTIFICATES), int(asks.sum()))]
    has_age = rng.random(m) < 0.1
    low = rng.integers(20, 50, m).astype(float)
    vacancies = VacancyTable.from_columns(
        {
            "vacancy_id": np.char.add("V", np.arange(m).astype(str)).astype(object),
            "employer_id": np.char.add("E", rng.integers(0, m // 2 + 1, m).astype(str)).astype(object),
            "occupation": codes_arr[rng.choice(len(codes), m, p=c_weight)],
            "openings": 1 + rng.poisson(0.7, m),
            "employment_type": np.array([t.code for t in EmploymentType], dtype=object)[v_types],
            "region_code": districts_arr[rng.choice(len(districts), m, p=d_weight)],
            "posted_on": np.datetime64("2024-12-01") + rng.integers(0, 31, m).astype("timedelta64[D]"),
            "offered_wage": wages(m),
            "hours_per_week": np.where(
                v_types == list(EmploymentType).index(EmploymentType.TIME_SELECTIVE), 20.0, 40.0
            ),
            "min_age": np.where(has_age, low, np.nan),
            "max_age": np.where(has_age, low + 20, np.nan),
            "required_certificates": v_certs,
        }
    )
    return seekers, vacancies


def _occupation_codes() -> dict[str, list[str]]:
    """The real 4-digit KECO codes of each of :data:`MIDDLE_GROUPS` (those a record accepts)."""
    from employkit.codes import is_known_occupation, occupations

    table = occupations()
    return {
        g: sorted(c for c in table if len(c) == 4 and c.startswith(g) and is_known_occupation(c)) for g in MIDDLE_GROUPS
    }


def national_districts(start: dt.date = _END_2024, end: dt.date | None = None) -> list[str]:
    """Every district code (시군구) of the synthetic country, province by province.

    The 시군구 of :mod:`employkit.codes`' region table in force on every day from
    ``start`` to ``end`` (one day by default: the end of 2024), so each record's region is
    valid on its dates: in 2015 강원 is 42xxx and 전북 45xxx, 군위군 is 47720 (경상북도)
    and 미추홀구 is still 남구 28170. A district whose code changed within the period (여주군
    → 여주시 on 2013-09-23) has no single valid code and is left out. Cities' own 일반구
    are left out too: a city is one district here.
    """
    from employkit.codes import current_region, regions

    known = regions()
    last = end or start
    by_province: dict[str, list[str]] = {p: [] for p in PROVINCES}
    for code, r in known.items():
        if r.level != "district" or code[2:] == "000" or r.parent is None:
            continue
        if known.get(r.parent) is None or known[r.parent].level != "province":
            continue
        province = current_region(r.parent)
        if province in by_province and r.valid_on(start) and r.valid_on(last):
            by_province[province].append(code)
    return [code for p in PROVINCES for code in sorted(by_province[p])]


def district_weights(start: dt.date = _END_2024, end: dt.date | None = None) -> dict[str, float]:
    """Each district's share of the country: its province's population share, split evenly."""
    from employkit.codes import current_region, regions

    known = regions()
    districts = national_districts(start, end)
    province = {d: current_region(str(known[d].parent)) for d in districts}
    per_province = {p: sum(province[d] == p for d in districts) for p in PROVINCES}
    return {d: PROVINCES[province[d]][0] / per_province[province[d]] for d in districts}


def national_records(base: SynthSpec, seekers: int, vacancies: int) -> Iterator[tuple[str, object]]:
    """The records of every district's synthetic centre (see the module text).

    ``base`` gives the shares, the seed and the period (:meth:`SynthSpec.over`); ``seekers``
    and ``vacancies`` are the national totals, apportioned over the districts by
    population. A district too small for one seeker and one vacancy gets none.
    """
    import attrs

    from employkit.synth import apportion, generate

    weights = district_weights(base.start or _END_2024, base.end)
    n_seekers = apportion(seekers, weights)
    n_vacancies = apportion(vacancies, weights)
    districts = list(weights)
    for i, code in enumerate(districts):
        if n_seekers[code] < 1 or n_vacancies[code] < 1:
            continue
        neighbours = tuple(d for d in districts if d[:2] == code[:2] and d != code) or (code,)
        spec = attrs.evolve(
            base.scaled(n_seekers[code], n_vacancies[code], seed=base.seed * 1000 + i),
            region_code=code,
            prefix=f"{code}-",
            neighbours=neighbours,
        )
        yield from generate(spec)
