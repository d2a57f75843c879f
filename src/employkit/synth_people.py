"""Who a synthetic centre's people are: the report's bands, occupation groups and one seeker's draw.

Split from :mod:`employkit.synth`, which re-exports :data:`AGE_BANDS` and
:data:`WAGE_BANDS`. The bands and the occupation groups are those of the Jung-gu plan
(``seeds/000_743a0a447e219bca.txt``); the KECO and KSIC codes of the groups, the shares of
a seeker's groups, intake answers and wishes are assumptions (see :mod:`employkit.synth`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import TYPE_CHECKING

from employkit.model import EmploymentType, Gender, Intake, Level, Seeker, SeekerGroup
from employkit.synth_programmes import seeker_fields
from employkit.synth_sampling import random_day, random_level

if TYPE_CHECKING:
    from employkit.synth import SynthSpec

__all__ = ["AGE_BANDS", "INDUSTRY", "OCCUPATIONS", "OTHER_SEOUL", "WAGE_BANDS", "draw_seeker"]

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

#: Residence and employer regions of non-residents of a Seoul district (default neighbours).
OTHER_SEOUL = ("11110", "11170", "11200", "11215", "11230", "11260", "11290", "11305", "11440", "11500")
#: KSIC divisions of the firms hiring in each occupation group (assumption).
INDUSTRY = {
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


def draw_seeker(
    rng: random.Random,
    n: int,
    spec: SynthSpec,
    age: int,
    resident: bool,
    placed: bool,
    registered: dt.date | None = None,
    age_year: int | None = None,
    facts: random.Random | None = None,
) -> Seeker:
    """A seeker of ``age`` in ``age_year`` (default ``spec.year``), registered on ``registered``
    (default: a day of the legacy dating).

    With ``facts``, the seeker also gets the programme facts, drawn from that stream
    (:func:`employkit.synth_programmes.seeker_fields`); ``rng`` draws the same either way.
    """
    year = spec.year if age_year is None else age_year
    if registered is None:
        registered = random_day(rng, dt.date(spec.year, 1, 2), dt.date(spec.year, 11, 30))
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
        employability=Level.HIGH if ready else random_level(rng, 0.1, 0.5),
        motivation=random_level(rng, 0.5, 0.1) if ready else random_level(rng, 0.1, 0.45),
        ability=random_level(rng, 0.4, 0.1) if ready else random_level(rng, 0.1, 0.45),
        economic_hardship=SeekerGroup.LOW_INCOME in groups or rng.random() < 0.1,
        mobile=(age < 35 and rng.random() < 0.7) or rng.random() < 0.15,
    )
    wish = rng.choices(list(WAGE_BANDS), weights=[10, 45, 30, 15])[0]
    low, high = WAGE_BANDS[wish]
    part_time = SeekerGroup.CAREER_BREAK_WOMAN in groups and rng.random() < 0.6
    drawn = {} if facts is None else seeker_fields(facts, registered, registered.year - (year - age), groups)
    return Seeker(
        seeker_id=f"{spec.prefix}S{n:07d}",
        residence_code=spec.region_code if resident else rng.choice(spec.neighbours),
        registered_on=registered,
        birth_year=year - age,
        gender=gender,
        desired_occupation=OCCUPATIONS[rng.choices(list(OCCUPATIONS), weights=[30, 12, 8, 14, 9, 8, 7, 8, 4])[0]],
        desired_wage=rng.randrange(low, high + 1, 10_000),
        desired_hours=20.0 if part_time else 40.0,
        employment_types=frozenset({EmploymentType.TIME_SELECTIVE} if part_time else set()),
        intake=intake,
        groups=frozenset(groups),
        **drawn,
    )
