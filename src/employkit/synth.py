"""Seeded synthetic centres, and the bundled sample centre that mirrors Jung-gu 2015.

One mechanism makes both. A :class:`SynthSpec` gives the sizes (seekers, employers,
openings, placements) and the marginals (placements by age band, monthly wage band,
residence and occupation); every marginal is turned into exact counts by largest-
remainder apportionment, then shuffled with the seed. At the sample's size the counts
are exactly the figures of the Jung-gu Job Plus Centre's 2015 results
(``seeds/000_743a0a447e219bca.txt``): 3,110 seekers, 1,302 firms with 2,239 openings,
1,095 placements of which 482 residents; placements by age 595 / 361 / 139 and by wage
581 / 309 / 181 / 24. At other sizes the same shares are kept.

What the source does not give is an assumption, stated here and in :data:`JUNGGU_2015`:
the occupation shares beyond cleaning 44%, office 11% and service 7% (the chart is
partly garbled), the employment-type mix, intake answers, and dates within 2015.

>>> data = sample_centre()
>>> len(data.seekers), len(data.employers), sum(v.openings for v in data.vacancies), len(data.placements)
(3110, 1302, 2239, 1095)
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import TypeVar

from attrs import field, frozen

from employkit.dataset import Dataset
from employkit.model import (
    FIXED_TERM_TYPES,
    Centre,
    CentreLevel,
    Employer,
    EmploymentType,
    FollowUpContact,
    FollowUpOutcome,
    Gender,
    Intake,
    Level,
    Placement,
    Seeker,
    SeekerGroup,
    Vacancy,
)

__all__ = ["AGE_BANDS", "JUNGGU_2015", "WAGE_BANDS", "SynthSpec", "apportion", "generate", "sample_centre"]

K = TypeVar("K")

#: Placement age bands as the Jung-gu plan reports them: (label, lowest age, highest age).
AGE_BANDS: Mapping[str, tuple[int, int]] = {"20-30s": (20, 39), "40-50s": (40, 59), "60+": (60, 79)}

#: Monthly wage bands as the Jung-gu plan reports them, in KRW: (label, lowest, highest).
WAGE_BANDS: Mapping[str, tuple[int, int]] = {
    "<=1.0M": (700_000, 1_000_000),
    "1.0-1.5M": (1_010_000, 1_500_000),
    "1.5-2.0M": (1_510_000, 1_990_000),
    ">=2.0M": (2_000_000, 2_800_000),
}

#: KECO codes for the occupation groups the Jung-gu plan ranks.
OCCUPATIONS: Mapping[str, str] = {
    "cleaning": "5611",
    "security": "5420",
    "parking": "5623",
    "office": "0295",
    "service": "5629",
    "kitchen": "5323",
    "sales": "6151",
    "machinery": "816",
    "manufacturing": "890",
}

_OTHER_SEOUL = ("11110", "11170", "11200", "11215", "11230", "11260", "11290", "11305", "11440", "11500")
_INDUSTRY = {  # KSIC divisions by occupation group (assumption)
    "cleaning": "74",
    "security": "74",
    "parking": "74",
    "office": "70",
    "service": "55",
    "kitchen": "56",
    "sales": "47",
    "machinery": "29",
    "manufacturing": "25",
}


@frozen(kw_only=True)
class SynthSpec:
    """Sizes and marginals of a synthetic centre. Shares are weights; they need not sum to 1."""

    seekers: int = field()
    employers: int
    openings: int
    placements: int
    resident_placements: int
    seed: int = 2015
    year: int = 2015
    region_code: str = "11140"
    age_bands: Mapping[str, float] = field(factory=dict, hash=False)
    wage_bands: Mapping[str, float] = field(factory=dict, hash=False)
    placement_occupations: Mapping[str, float] = field(factory=dict, hash=False)
    vacancy_occupations: Mapping[str, float] = field(factory=dict, hash=False)
    employment_types: Mapping[EmploymentType, float] = field(factory=dict, hash=False)
    centre: Centre | None = None

    @seekers.validator
    def _sizes(self, _attribute: object, value: int) -> None:
        if not 0 < self.placements <= value:
            raise ValueError("placements must be between 1 and the number of seekers")
        if not 0 < self.employers <= self.openings:
            raise ValueError("every employer needs at least one opening")
        if not 0 <= self.resident_placements <= self.placements:
            raise ValueError("resident placements must be between 0 and placements")

    def scaled(self, seekers: int, vacancies: int, seed: int | None = None) -> SynthSpec:
        """The same marginals for ``seekers`` seekers and ``vacancies`` employers/vacancies."""
        ratio = seekers / self.seekers
        placements = max(1, round(self.placements * ratio))
        return SynthSpec(
            seekers=seekers,
            employers=vacancies,
            openings=max(vacancies, round(vacancies * self.openings / self.employers)),
            placements=placements,
            resident_placements=round(placements * self.resident_placements / self.placements),
            seed=self.seed if seed is None else seed,
            year=self.year,
            region_code=self.region_code,
            age_bands=self.age_bands,
            wage_bands=self.wage_bands,
            placement_occupations=self.placement_occupations,
            vacancy_occupations=self.vacancy_occupations,
            employment_types=self.employment_types,
            centre=None,
        )


#: Jung-gu Job Plus Centre, 2015 (seeds/000_743a0a447e219bca.txt).
JUNGGU_2015 = SynthSpec(
    seekers=3110,
    employers=1302,
    openings=2239,
    placements=1095,
    resident_placements=482,
    age_bands={"40-50s": 595, "60+": 361, "20-30s": 139},
    wage_bands={"1.0-1.5M": 581, "<=1.0M": 309, "1.5-2.0M": 181, ">=2.0M": 24},
    # cleaning 44%, office 11%, service 7% are in the source; the rest follows its rank order (assumption)
    placement_occupations={
        "cleaning": 44,
        "security": 12,
        "parking": 8,
        "office": 11,
        "service": 7,
        "kitchen": 7,
        "sales": 5,
        "machinery": 4,
        "manufacturing": 2,
    },
    # employers' demand order: cleaning > security/parking > office > service > kitchen > sales > machinery > mfg
    vacancy_occupations={
        "cleaning": 35,
        "security": 11,
        "parking": 7,
        "office": 13,
        "service": 10,
        "kitchen": 9,
        "sales": 7,
        "machinery": 5,
        "manufacturing": 3,
    },
    employment_types={
        EmploymentType.REGULAR: 40,
        EmploymentType.COMMERCIAL_CONTRACT: 20,
        EmploymentType.SHORT_TERM_CONTRACT: 18,
        EmploymentType.PUBLIC_JOB: 12,
        EmploymentType.TIME_SELECTIVE: 6,
        EmploymentType.DAILY: 4,
    },
    centre=Centre(
        name="중구 일자리플러스센터 (sample)",
        level=CentreLevel.DISTRICT,
        region_code="11140",
        targets={2015: 2300, 2016: 2000},
        budget_krw={2016: 99_482_000},
        counsellors=3,
        officials=4,
    ),
)


def apportion(total: int, weights: Mapping[K, float]) -> dict[K, int]:
    """Split ``total`` into whole counts proportional to ``weights`` (largest remainder).

    The counts always sum to ``total``; when the weights are counts that already sum to
    ``total`` they come back unchanged.

    >>> apportion(1095, {"a": 595, "b": 361, "c": 139})
    {'a': 595, 'b': 361, 'c': 139}
    >>> apportion(10, {"a": 1, "b": 1, "c": 1})
    {'a': 4, 'b': 3, 'c': 3}
    """
    if total < 0:
        raise ValueError("total must not be negative")
    weight_sum = sum(weights.values())
    if not weights or weight_sum <= 0:
        raise ValueError("weights must be positive")
    exact = {k: total * w / weight_sum for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    short = total - sum(counts.values())
    order = sorted(weights, key=lambda k: (-(exact[k] - counts[k]), list(weights).index(k)))
    for k in order[:short]:
        counts[k] += 1
    return counts


def _quota(rng: random.Random, total: int, weights: Mapping[K, float]) -> list[K]:
    items = [k for k, n in apportion(total, weights).items() for _ in range(n)]
    rng.shuffle(items)
    return items


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _level(rng: random.Random, high: float, low: float) -> Level:
    r = rng.random()
    return Level.HIGH if r < high else Level.LOW if r < high + low else Level.MID


def _seeker(rng: random.Random, n: int, spec: SynthSpec, age: int, resident: bool, placed: bool) -> Seeker:
    year = spec.year
    registered = _day(rng, dt.date(year, 1, 2), dt.date(year, 11, 30))
    gender = Gender.FEMALE if rng.random() < 0.55 else Gender.MALE
    groups = set()
    if age < 35:
        groups.add(SeekerGroup.YOUTH)
    elif age >= 60:
        groups.add(SeekerGroup.OLDER)
    elif age >= 40:
        groups.add(SeekerGroup.MIDDLE_AGED)
    if gender is Gender.FEMALE and 30 <= age <= 54 and rng.random() < 0.3:
        groups.add(SeekerGroup.CAREER_BREAK_WOMAN)
    if rng.random() < 0.12:
        groups.add(SeekerGroup.LOW_INCOME)
    ready = rng.random() < (0.7 if placed else 0.35)
    intake = Intake(
        job_field_decided=ready or rng.random() < 0.3,
        employability=Level.HIGH if ready else _level(rng, 0.1, 0.5),
        motivation=_level(rng, 0.5, 0.1) if ready else _level(rng, 0.1, 0.45),
        ability=_level(rng, 0.4, 0.1) if ready else _level(rng, 0.1, 0.45),
        economic_hardship=SeekerGroup.LOW_INCOME in groups or rng.random() < 0.1,
        mobile=(age < 35 and rng.random() < 0.7) or rng.random() < 0.15,
    )
    wish = rng.choices(list(WAGE_BANDS), weights=[10, 45, 30, 15])[0]
    low, high = WAGE_BANDS[wish]
    part_time = SeekerGroup.CAREER_BREAK_WOMAN in groups and rng.random() < 0.6
    return Seeker(
        seeker_id=f"S{n:07d}",
        residence_code=spec.region_code if resident else rng.choice(_OTHER_SEOUL),
        registered_on=registered,
        birth_year=year - age,
        gender=gender,
        desired_occupation=OCCUPATIONS[rng.choices(list(OCCUPATIONS), weights=[30, 12, 8, 14, 9, 8, 7, 8, 4])[0]],
        desired_wage=rng.randrange(low, high + 1, 10_000),
        desired_hours=20.0 if part_time else 40.0,
        employment_types=frozenset({EmploymentType.TIME_SELECTIVE} if part_time else set()),
        intake=intake,
        groups=frozenset(groups),
    )


def _placement_plan(spec: SynthSpec) -> tuple[list[str], list[str], list[bool], list[str]]:
    rng = random.Random(spec.seed * 7919 + 1)
    ages = _quota(rng, spec.placements, spec.age_bands)
    wages = _quota(rng, spec.placements, spec.wage_bands)
    residents = _quota(
        rng, spec.placements, {True: spec.resident_placements, False: spec.placements - spec.resident_placements}
    )
    occupations = _quota(rng, spec.placements, spec.placement_occupations)
    return ages, wages, residents, occupations


def generate(spec: SynthSpec) -> Iterator[tuple[str, object]]:
    """Yield ``(table, record)`` pairs of a synthetic centre, table by table.

    Records are produced one at a time (employers and vacancies first, then seekers,
    placements and follow-ups), so a writer can stream millions of rows. The same spec
    and seed always give the same records.
    """
    rng = random.Random(spec.seed)
    year = spec.year
    # employers and their vacancies: one vacancy per employer, the extra openings spread at random
    vacancy_occ = _quota(rng, spec.employers, spec.vacancy_occupations)
    extra = [0] * spec.employers
    for i in (rng.randrange(spec.employers) for _ in range(spec.openings - spec.employers)):
        extra[i] += 1
    capacity: dict[str, list[tuple[str, str, int]]] = {}
    for i in range(spec.employers):
        group = vacancy_occ[i]
        employees = min(int(rng.paretovariate(1.2) * 5), 2000)
        local = rng.random() < 0.8
        employer = Employer(
            employer_id=f"E{i + 1:07d}",
            employees=employees,
            region_code=spec.region_code if local else rng.choice(_OTHER_SEOUL),
            name=f"표본기업 {i + 1}",
            industry=_INDUSTRY[group],
            wage_level=_level(rng, 0.15, 0.45),
            welfare_level=_level(rng, 0.15, 0.45),
            recognition=_level(rng, 0.1, 0.5),
            uses_job_board=rng.random() < 0.7,
            partner=rng.random() < 0.27,
            mou=rng.random() < 0.04,
            sme_fund=rng.random() < 0.08,
        )
        yield "employers", employer
        etype = rng.choices(list(spec.employment_types), weights=list(spec.employment_types.values()))[0]
        band = rng.choices(list(WAGE_BANDS), weights=[25, 50, 20, 5])[0]
        low, high = WAGE_BANDS[band]
        openings = 1 + extra[i]
        vacancy = Vacancy(
            vacancy_id=f"V{i + 1:07d}",
            employer_id=employer.employer_id,
            occupation=OCCUPATIONS[group],
            openings=openings,
            employment_type=etype,
            region_code=employer.region_code,
            posted_on=_day(rng, dt.date(year, 1, 2), dt.date(year, 11, 30)),
            offered_wage=rng.randrange(low, high + 1, 10_000),
            hours_per_week=20.0 if etype is EmploymentType.TIME_SELECTIVE else 40.0,
        )
        yield "vacancies", vacancy
        capacity.setdefault(group, []).append((vacancy.vacancy_id, employer.employer_id, openings))

    ages, wages, residents, occupations = _placement_plan(spec)
    # seekers: the first `placements` are the ones placed, with the planned age and residence
    placed_ids = rng.sample(range(1, spec.seekers + 1), spec.placements)
    plan_of = {sid: k for k, sid in enumerate(placed_ids)}
    seekers: dict[int, Seeker] = {}
    for n in range(1, spec.seekers + 1):
        k = plan_of.get(n)
        if k is not None:
            low_age, high_age = AGE_BANDS[ages[k]]
            seeker = _seeker(rng, n, spec, rng.randint(low_age, high_age), residents[k], True)
            seekers[n] = seeker
        else:
            age = rng.choices([rng.randint(20, 39), rng.randint(40, 59), rng.randint(60, 79)], weights=[25, 45, 30])[0]
            seeker = _seeker(rng, n, spec, age, rng.random() < 0.42, False)
        yield "seekers", seeker

    cursor = {g: 0 for g in capacity}
    used: dict[str, int] = {}
    for k, n in enumerate(placed_ids):
        seeker = seekers[n]
        group = occupations[k]
        slots = capacity.get(group) or [s for g in capacity for s in capacity[g]]
        for _ in range(len(slots)):  # next vacancy of that occupation with an opening left
            vid, eid, openings = slots[cursor.get(group, 0) % len(slots)]
            cursor[group] = cursor.get(group, 0) + 1
            if used.get(vid, 0) < openings:
                break
        used[vid] = used.get(vid, 0) + 1
        start = _day(rng, seeker.registered_on + dt.timedelta(days=7), dt.date(year, 12, 31))
        # the age band is reported by age in the placement year: birth year fixes it
        etype = rng.choices(list(spec.employment_types), weights=list(spec.employment_types.values()))[0]
        end = None
        if etype in FIXED_TERM_TYPES:
            months = 12 if etype is EmploymentType.COMMERCIAL_CONTRACT else rng.choice([3, 4, 6])
            end = start + dt.timedelta(days=30 * months)
        low, high = WAGE_BANDS[wages[k]]
        placement = Placement(
            placement_id=f"P{k + 1:07d}",
            seeker_id=seeker.seeker_id,
            employer_id=eid,
            vacancy_id=vid,
            start_date=start,
            employment_type=etype,
            contract_end=end,
            monthly_wage=rng.randrange(low, high + 1, 10_000),
            occupation=OCCUPATIONS[group],
            via_referral=rng.random() < 0.85,
        )
        yield "placements", placement
        first = start + dt.timedelta(days=7)
        if first <= dt.date(year, 12, 31):
            outcome = rng.choices(
                [FollowUpOutcome.STILL_EMPLOYED, FollowUpOutcome.LEFT_SEEKING, FollowUpOutcome.UNREACHABLE],
                weights=[85, 8, 7],
            )[0]
            yield (
                "followups",
                FollowUpContact(placement_id=placement.placement_id, due_on=first, contacted_on=first, outcome=outcome),
            )


def build(spec: SynthSpec, origin: str = "synthetic") -> Dataset:
    """All of :func:`generate`'s records as one :class:`Dataset` (for sizes that fit in memory)."""
    tables: dict[str, list[object]] = {}
    for table, record in generate(spec):
        tables.setdefault(table, []).append(record)
    return Dataset(
        seekers=_typed(tables.get("seekers", []), Seeker),
        employers=_typed(tables.get("employers", []), Employer),
        vacancies=_typed(tables.get("vacancies", []), Vacancy),
        placements=_typed(tables.get("placements", []), Placement),
        followups=_typed(tables.get("followups", []), FollowUpContact),
        centre=spec.centre,
        origin=origin,
    )


def _typed(records: Sequence[object], kind: type[K]) -> tuple[K, ...]:
    return tuple(r for r in records if isinstance(r, kind))


@cache
def sample_centre() -> Dataset:
    """The bundled sample centre: synthetic, deterministic, with Jung-gu 2015's totals."""
    return build(JUNGGU_2015, origin="sample:junggu-2015")
