"""Seeded synthetic centres, and the bundled sample centre that mirrors Jung-gu 2015.

One mechanism makes both. A :class:`SynthSpec` gives the sizes (seekers, employers,
openings, placements) and the marginals (placements by age band, monthly wage band,
residence and occupation); every marginal is turned into exact counts by largest-
remainder apportionment, then dealt in random order (the seed fixes it) while the records
stream out, so memory does not grow with the sizes. At the sample's size the counts
are exactly the figures of the Jung-gu Job Plus Centre's 2015 results
(``seeds/000_743a0a447e219bca.txt``): 3,110 seekers, 1,302 firms with 2,239 openings,
1,095 placements of which 482 residents; placements by age 595 / 361 / 139 and by wage
581 / 309 / 181 / 24. At other sizes the same shares are kept.

What the source does not give is an assumption, stated here and in :data:`JUNGGU_2015`:
the occupation shares beyond cleaning 44%, office 11% and service 7% (the chart is
partly garbled), the employment-type mix, intake answers, and dates within 2015. Each
placement has follow-up contacts at the national policy's points up to the extraction
day (:mod:`employkit.synth_followup`; for the sample, 31 December 2015), drawn from the
placement's own random stream so that every other record stays as it was.

With a period (:meth:`SynthSpec.over`), registrations and placements spread over every
month of several years by a seasonal profile, people leave their jobs and some register
again; :mod:`employkit.synth_national` makes every district of the country a centre.
Seekers and firms then also carry the facts programme eligibility reads (unemployment
start, insured days, involuntary leaving, regular income, 국민취업지원제도 participation;
SME, special industry, paid-support days left), drawn by :mod:`employkit.synth_programmes`
from a stream of their own; the sample keeps none (:attr:`SynthSpec.programme_facts`).

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

import attrs
from attrs import field, frozen

from employkit.dataset import Dataset
from employkit.errors import InvalidArgument
from employkit.model import (
    FIXED_TERM_TYPES,
    Centre,
    CentreLevel,
    Employer,
    EmploymentType,
    FollowUpContact,
    FollowUpOutcome,
    Period,
    Placement,
    Seeker,
    Vacancy,
)
from employkit.synth_followup import (
    PLACEMENT_SEASON,
    REGISTRATION_SEASON,
    DayPicker,
    contacts_for,
    job_course,
    registration_before,
)
from employkit.synth_people import AGE_BANDS, INDUSTRY, OCCUPATIONS, OTHER_SEOUL, WAGE_BANDS, draw_seeker
from employkit.synth_programmes import employer_fields, reregistration_fields
from employkit.synth_sampling import Deck, Openings, Shuffle, Slots, random_day, random_level

__all__ = [
    "AGE_BANDS",
    "JUNGGU_2015",
    "WAGE_BANDS",
    "SynthSpec",
    "apportion",
    "generate",
    "sample_centre",
    "synth_centre",
]

K = TypeVar("K")


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
    #: The registration period. ``None``: the legacy dating of the sample (registrations
    #: 2 January–30 November of ``year``, placements until 31 December). Given: registrations
    #: and placements spread over every month of ``start``–``end`` by the seasons of
    #: :mod:`employkit.synth_followup`, with job exits and re-registrations.
    start: dt.date | None = None
    end: dt.date | None = None
    #: The extraction day: no follow-up contact is dated later (default: ``end``, or
    #: 31 December of ``year`` in the legacy dating).
    followups_until: dt.date | None = None
    #: Share of the people who leave a job seeking work and register again (dated mode only).
    reregister: float = 0.5
    #: Put before every id (``"11140-"`` → ``11140-S0000001``), so centres can be pooled.
    prefix: str = ""
    #: Residence and employer regions of non-residents (default: other Seoul districts).
    neighbours: tuple[str, ...] = OTHER_SEOUL
    #: Draw the optional facts programme eligibility reads (:mod:`employkit.synth_programmes`).
    #: ``None``: in the dated mode only, so the bundled sample (the legacy dating, which
    #: mirrors 2015 records that say none of them) keeps the records its figures come from.
    programme_facts: bool | None = None
    age_bands: Mapping[str, float] = field(factory=dict, hash=False)
    wage_bands: Mapping[str, float] = field(factory=dict, hash=False)
    placement_occupations: Mapping[str, float] = field(factory=dict, hash=False)
    vacancy_occupations: Mapping[str, float] = field(factory=dict, hash=False)
    employment_types: Mapping[EmploymentType, float] = field(factory=dict, hash=False)
    centre: Centre | None = None

    @seekers.validator
    def _sizes(self, _attribute: object, value: int) -> None:
        if not 0 < self.placements <= value:
            raise InvalidArgument("placements must be between 1 and the number of seekers")
        if not 0 < self.employers <= self.openings:
            raise InvalidArgument("every employer needs at least one opening")
        if not 0 <= self.resident_placements <= self.placements:
            raise InvalidArgument("resident placements must be between 0 and placements")

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
            start=self.start,
            end=self.end,
            followups_until=self.followups_until,
            reregister=self.reregister,
            prefix=self.prefix,
            neighbours=self.neighbours,
            programme_facts=self.programme_facts,
        )

    def over(self, start: dt.date, end: dt.date, followups_until: dt.date | None = None) -> SynthSpec:
        """The same sizes and shares, registrations spread over ``start``–``end`` (dated mode)."""
        if end < start:
            raise InvalidArgument(f"the period ends ({end}) before it starts ({start})")
        if (end - start).days < 14:
            raise InvalidArgument("the period must be at least 15 days long")
        return attrs.evolve(self, start=start, end=end, year=start.year, followups_until=followups_until)

    @property
    def draws_programme_facts(self) -> bool:
        """Whether seekers and firms get the facts programmes read (see :attr:`programme_facts`)."""
        if self.programme_facts is not None:
            return self.programme_facts
        return self.start is not None and self.end is not None

    @property
    def until(self) -> dt.date:
        """The extraction day: the last day a follow-up contact may be dated."""
        if self.followups_until is not None:
            return self.followups_until
        return self.end if self.end is not None else dt.date(self.year, 12, 31)


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
        period=Period.year(2015),
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
        raise InvalidArgument("total must not be negative")
    weight_sum = sum(weights.values())
    if not weights or weight_sum <= 0:
        raise InvalidArgument("weights must be positive")
    exact = {k: total * w / weight_sum for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    short = total - sum(counts.values())
    order = sorted(weights, key=lambda k: (-(exact[k] - counts[k]), list(weights).index(k)))
    for k in order[:short]:
        counts[k] += 1
    return counts


def generate(spec: SynthSpec) -> Iterator[tuple[str, object]]:
    """Yield ``(table, record)`` pairs of a synthetic centre, in bounded memory.

    First every employer, each followed by its vacancy; then every seeker, each placed
    one followed by their placement, its follow-up contacts and, in the dated mode, a
    re-registration of a person who left the job seeking work. Memory does not grow
    with the sizes: every marginal is dealt from a :class:`Deck` of exact counts, the
    placed seekers are chosen by sequential selection sampling, and a placement finds
    its vacancy by replaying its occupation group's stream of openings. The same spec
    and seed always give the same records.

    Ids: ``E…``/``V…`` (an employer and its one vacancy share the number, scattered
    over ``1..employers``), ``S…`` in order, ``P…`` in order of the placed seekers, all
    after ``spec.prefix``; a re-registration is the seeker's id followed by ``R1``.
    Follow-up contacts come from each placement's own random stream
    (:mod:`employkit.synth_followup`), so adding them left every other record as it was.
    """
    rng = random.Random(spec.seed)
    # the programme facts come from a stream of their own: drawing them changes no other record
    facts = random.Random(f"{spec.seed}:programmes") if spec.draws_programme_facts else None
    year = spec.year
    dated = spec.start is not None and spec.end is not None
    until = spec.until
    prefix = spec.prefix
    registrations = postings = placeable = None
    if spec.start is not None and spec.end is not None:
        registrations = DayPicker(spec.start, spec.end, REGISTRATION_SEASON)
        postings = DayPicker(spec.start, spec.end, PLACEMENT_SEASON)
        placeable = DayPicker(spec.start + dt.timedelta(days=7), spec.end, PLACEMENT_SEASON)
    n_employers = spec.employers
    shuffle = Shuffle(rng, n_employers)
    # vacancies per occupation group, their extra openings, and placements per group
    vacancy_counts = apportion(n_employers, spec.vacancy_occupations)
    groups = list(vacancy_counts)
    extra_counts = apportion(spec.openings - n_employers, vacancy_counts) if n_employers else {}
    starts: dict[str, int] = {}
    position = 0
    for group in groups:
        starts[group] = position
        position += vacancy_counts[group]
    streams = {
        g: Openings(spec.seed, g, vacancy_counts[g], extra_counts.get(g, 0), starts[g])
        for g in groups
        if vacancy_counts[g]
    }
    deck = Deck(vacancy_counts)
    for _ in range(n_employers):
        group = deck.draw(rng)
        where, openings = streams[group].next()
        number = shuffle(where) + 1
        employees = min(int(rng.paretovariate(1.2) * 5), 2000)
        local = rng.random() < 0.8
        drawn = {} if facts is None else employer_fields(facts, employees, INDUSTRY[group])
        employer = Employer(
            employer_id=f"{prefix}E{number:07d}",
            employees=employees,
            region_code=spec.region_code if local else rng.choice(spec.neighbours),
            name=f"표본기업 {prefix}{number}",
            industry=INDUSTRY[group],
            wage_level=random_level(rng, 0.15, 0.45),
            welfare_level=random_level(rng, 0.15, 0.45),
            recognition=random_level(rng, 0.1, 0.5),
            uses_job_board=rng.random() < 0.7,
            partner=rng.random() < 0.27,
            mou=rng.random() < 0.04,
            sme_fund=rng.random() < 0.08,
            **drawn,
        )
        yield "employers", employer
        etype = rng.choices(list(spec.employment_types), weights=list(spec.employment_types.values()))[0]
        band = rng.choices(list(WAGE_BANDS), weights=[25, 50, 20, 5])[0]
        low, high = WAGE_BANDS[band]
        posted = random_day(rng, dt.date(year, 1, 2), dt.date(year, 11, 30))
        yield (
            "vacancies",
            Vacancy(
                vacancy_id=f"{prefix}V{number:07d}",
                employer_id=employer.employer_id,
                occupation=OCCUPATIONS[group],
                openings=openings,
                employment_type=etype,
                region_code=employer.region_code,
                posted_on=posted if postings is None else postings.draw(rng),
                offered_wage=rng.randrange(low, high + 1, 10_000),
                hours_per_week=20.0 if etype is EmploymentType.TIME_SELECTIVE else 40.0,
            ),
        )

    # the placement plan: exact counts per age band, wage band, residence and occupation
    plan = random.Random(spec.seed * 7919 + 1)
    ages = Deck(apportion(spec.placements, spec.age_bands))
    wages = Deck(apportion(spec.placements, spec.wage_bands))
    residents = Deck({True: spec.resident_placements, False: spec.placements - spec.resident_placements})
    placement_counts = apportion(spec.placements, spec.placement_occupations)
    occupations = Deck(placement_counts)
    slots = {
        g: Slots(
            spec.seed,
            g,
            vacancy_counts.get(g, 0),
            extra_counts.get(g, 0),
            starts.get(g, 0),
            min(n, vacancy_counts.get(g, 0) + extra_counts.get(g, 0)),
        )
        for g, n in placement_counts.items()
    }
    to_place = spec.placements
    k = 0
    for n in range(1, spec.seekers + 1):
        # selection sampling: exactly `placements` of the seekers are placed
        if rng.random() * (spec.seekers - n + 1) >= to_place:
            age = rng.choices([rng.randint(20, 39), rng.randint(40, 59), rng.randint(60, 79)], weights=[25, 45, 30])[0]
            day = None if registrations is None else registrations.draw(rng)
            yield "seekers", draw_seeker(rng, n, spec, age, rng.random() < 0.42, False, day, facts=facts)
            continue
        to_place -= 1
        low_age, high_age = AGE_BANDS[ages.draw(plan)]
        age = rng.randint(low_age, high_age)
        resident = residents.draw(plan)
        start: dt.date | None = None
        if placeable is not None and spec.start is not None:
            start = placeable.draw(rng)
            registered = registration_before(rng, start, spec.start)
            # the age band is reported by age in the placement year: birth year fixes it
            seeker = draw_seeker(rng, n, spec, age, resident, True, registered, start.year, facts=facts)
        else:
            seeker = draw_seeker(rng, n, spec, age, resident, True, facts=facts)
        yield "seekers", seeker
        k += 1
        group = occupations.draw(plan)
        where_or_none = slots[group].take()
        if where_or_none is None:  # more placements in the group than openings: placed without a vacancy
            number, vacancy_id = rng.randrange(n_employers) + 1, None
        else:
            number = shuffle(where_or_none) + 1
            vacancy_id = f"{prefix}V{number:07d}"
        if start is None:  # the legacy dating: any day from a week after registering to 31 December
            start = random_day(rng, seeker.registered_on + dt.timedelta(days=7), dt.date(year, 12, 31))
        etype = rng.choices(list(spec.employment_types), weights=list(spec.employment_types.values()))[0]
        end = None
        if etype in FIXED_TERM_TYPES:
            months = 12 if etype is EmploymentType.COMMERCIAL_CONTRACT else rng.choice([3, 4, 6])
            end = start + dt.timedelta(days=30 * months)
        low, high = WAGE_BANDS[wages.draw(plan)]
        placement_id = f"{prefix}P{k:07d}"
        monthly_wage = rng.randrange(low, high + 1, 10_000)
        via_referral = rng.random() < 0.85
        # the legacy first-week contact keeps its draw from the main stream
        first = start + dt.timedelta(days=7)
        legacy: FollowUpContact | None = None
        if not dated and first <= dt.date(year, 12, 31):
            outcome = rng.choices(
                [FollowUpOutcome.STILL_EMPLOYED, FollowUpOutcome.LEFT_SEEKING, FollowUpOutcome.UNREACHABLE],
                weights=[85, 8, 7],
            )[0]
            legacy = FollowUpContact(placement_id=placement_id, due_on=first, contacted_on=first, outcome=outcome)
        own = random.Random(f"{spec.seed}:followup:{placement_id}")
        if legacy is not None and legacy.outcome is FollowUpOutcome.LEFT_SEEKING:
            course = job_course(own, start, end, left_by=7)
        else:
            course = job_course(own, start, end, stayed_days=7 if legacy is not None else 0)
        again = (
            dated
            and course.left_on is not None
            and course.seeking
            and course.left_on <= until
            and own.random() < spec.reregister
        )
        yield (
            "placements",
            Placement(
                placement_id=placement_id,
                seeker_id=seeker.seeker_id,
                employer_id=f"{prefix}E{number:07d}",
                vacancy_id=vacancy_id,
                start_date=start,
                employment_type=etype,
                contract_end=end,
                monthly_wage=monthly_wage,
                occupation=OCCUPATIONS[group],
                via_referral=via_referral,
                # the centre learns the end date when the person registers again
                ended_on=course.left_on if again else None,
            ),
        )
        contacts = [] if legacy is None or legacy.contacted_on > until else [legacy]
        skip = frozenset({first}) if legacy is not None else frozenset()
        contacts += contacts_for(own, placement_id, start, end, etype.code, course, until, skip=skip)
        for contact in sorted(contacts, key=lambda c: c.contacted_on):
            yield "followups", contact
        if again and course.left_on is not None and spec.end is not None:
            day = course.left_on + dt.timedelta(days=own.randint(1, 60))
            if day <= spec.end:
                ran_out = end is not None and course.left_on == end + dt.timedelta(days=1)
                drawn = (
                    {}
                    if facts is None
                    else reregistration_fields(
                        facts, day, seeker.groups, started=start, left_on=course.left_on, contract_ran_out=ran_out
                    )
                )
                yield "seekers", attrs.evolve(seeker, seeker_id=f"{seeker.seeker_id}R1", registered_on=day, **drawn)


def build(spec: SynthSpec, origin: str = "synthetic") -> Dataset:
    """All of :func:`generate`'s records as one :class:`Dataset` (for sizes that fit in memory).

    Employers and vacancies are sorted by id; the other tables keep the generated order.
    """
    tables: dict[str, list[object]] = {}
    for table, record in generate(spec):
        tables.setdefault(table, []).append(record)
    return Dataset(
        seekers=_typed(tables.get("seekers", []), Seeker),
        employers=sorted(_typed(tables.get("employers", []), Employer), key=lambda e: e.employer_id),
        vacancies=sorted(_typed(tables.get("vacancies", []), Vacancy), key=lambda v: v.vacancy_id),
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


def synth_centre(spec: SynthSpec, *, national: bool = False) -> Centre:
    """The centre of a synthetic dataset: a district centre of ``spec.region_code`` (or the
    whole country), with a placement target for each year of the period.

    A year's target is its share of the planned placements (by days of the period in
    that year) divided by the sample's achievement (1,095 of a 2,300 target), so a
    synthetic centre reaches about 48% of its targets as Jung-gu did in 2015.

    >>> import datetime as dt
    >>> spec = JUNGGU_2015.scaled(3110, 1302).over(dt.date(2014, 1, 1), dt.date(2015, 12, 31))
    >>> synth_centre(spec).targets
    {2014: 1150, 2015: 1150}
    """
    start = spec.start or dt.date(spec.year, 1, 1)
    end = spec.end or dt.date(spec.year, 12, 31)
    days = (end - start).days + 1
    targets: dict[int, int] = {}
    for year in range(start.year, end.year + 1):
        inside = (min(end, dt.date(year, 12, 31)) - max(start, dt.date(year, 1, 1))).days + 1
        targets[year] = round(spec.placements * inside / days * 2300 / 1095)
    period = Period(start, end)
    if national:
        return Centre(name="전국 합성 자료 (synthetic)", level=CentreLevel.NATIONAL, targets=targets, period=period)
    return Centre(
        name=f"합성 센터 {spec.region_code} (synthetic)",
        level=CentreLevel.DISTRICT,
        region_code=spec.region_code,
        targets=targets,
        period=period,
    )
