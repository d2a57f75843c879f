"""The facts programme eligibility reads, drawn for synthetic seekers and firms.

:mod:`employkit.programmes` decides from optional facts of a record (see
:mod:`employkit.programmes.fields`); a record without them is "missing facts". A
synthetic centre (:mod:`employkit.synth`) draws them here, from a random stream of its
own, so adding them left every other record as it was. Where a source document gives a
figure it is cited; everything else is an **assumption**, a plausible shape and nothing
more:

Seekers, at registration:

* **Employed job-changers** (재직 중 구직): 8% register while still in work (assumption).
  They have no unemployment start (``unemployed_since`` is ``None``: the rules that need
  it report it missing, as they must), a regular income, and did not leave a job.
* **Unemployment start**: the others became unemployed some days before registering —
  an exponential gap with a mean of 60 days, at most three years (assumption); a
  career-break woman (경력단절여성) left work one to ten years before.
* **Insured days** (피보험단위기간 in the 18 months before leaving, at most about 470
  paid days: six of seven calendar days): none for 35% of young people (first job),
  90% of career-break women, 30% of people aged 60 and over and 15% of the others
  (assumption); otherwise ``30 + 440·B`` days with ``B ~ Beta(2, 1)``, so about one in
  nine of the insured have fewer than the 180 days the online benefit claim needs
  (``seeds/001_9743a8cda015755e.txt`` L670).
* **Involuntary leaving** (비자발적 이직: dismissal, contract expiry, closure): 60% of
  those who left an insured job (assumption); not recorded (``None``) without insured
  days, since there is no insured job to have left; ``False`` for job-changers.
* **Regular income**: none for the low-income vulnerable; 35% of people aged 60 and over
  (pensions; assumption), 5% of the other unemployed; every job-changer.
* **국민취업지원제도 participation**: the programme began in 2021 (L122), so nobody
  registered earlier takes part. From 2021, those who cannot draw unemployment benefit
  (fewer than 180 insured days, or not involuntary) take part at 70% if low-income, 50%
  if young and 25% otherwise; 3% of those who can draw it. This keeps participants at
  about half as many as benefit-eligible seekers, as the plan's figures are: 640,000
  participants in 2021 (L26) against 1,372,000 new benefit claimants in 2020 (L15).

A re-registration (a person who left a placed job seeking work) is unemployed from the
day the job ended; their insured days are the paid days of that job (at most 470); a
fixed-term contract that ran out is involuntary leaving, any other exit is at 35%
(assumption).

Firms:

* **SME** (중소기업): every firm under 300 employees (the old headcount threshold of the
  Framework Act on SMEs; today it is sales-based) except 3% that belong to a large group,
  none of 300 or more (assumption). With the generator's firm sizes that is about 96%.
* **Special employment-support industry** (특별고용지원업종: travel, tourist
  accommodation, performances … 14 industries from 2021-04, L970-L972): 40% of the
  accommodation firms (KSIC 55: tourist hotels beside other lodging) and 1% of the others
  (travel agencies, exhibitions, airport buses hidden in other codes) (assumption).
* **Paid job-retention support left** (유급 고용유지지원금): the support runs for at most
  180 days a year (L981-L982). 25% of firms — 80% in the special industries — have used
  some (assumption): their days left are 180 less a uniform 1–180; the others have 180.

Each function returns the facts as fields of the record, given to its constructor:

>>> import datetime as dt, random
>>> from employkit.model import Seeker, SeekerGroup
>>> fields = seeker_fields(random.Random(1), dt.date(2021, 3, 2), 31, {SeekerGroup.YOUTH})
>>> sorted(fields)
['employment_support_participant', 'insured_days', 'involuntary_leaving', 'regular_income', 'unemployed_since']
>>> seeker_fields(random.Random(1), dt.date(2021, 3, 2), 31, {SeekerGroup.YOUTH}) == fields
True
>>> s = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2021, 3, 2), birth_year=1990, **fields)
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection
from typing import Any

from employkit.model import SeekerGroup

__all__ = [
    "BENEFIT_DAYS",
    "EMPLOYED_SHARE",
    "MAX_INSURED_DAYS",
    "PAID_SUPPORT_DAYS",
    "PROGRAMME_START",
    "SME_EMPLOYEES",
    "employer_fields",
    "reregistration_fields",
    "seeker_fields",
]

#: Share of seekers who register while still in work (assumption).
EMPLOYED_SHARE = 0.08
#: Paid days the 18-month base period of 피보험단위기간 holds at most (six of seven days).
MAX_INSURED_DAYS = 470
#: Insured days the online benefit claim needs (seeds/001_9743a8cda015755e.txt L670).
BENEFIT_DAYS = 180
#: The first day of 국민취업지원제도 (seeds/001_9743a8cda015755e.txt L122, L822).
PROGRAMME_START = dt.date(2021, 1, 1)
#: Firms under this many employees are SMEs (assumption: the old headcount threshold).
SME_EMPLOYEES = 300
#: Days of paid job-retention support a year (seeds/001_9743a8cda015755e.txt L981-L982).
PAID_SUPPORT_DAYS = 180


def _insured_days(rng: random.Random, groups: Collection[SeekerGroup], age: int) -> int:
    if SeekerGroup.CAREER_BREAK_WOMAN in groups:
        none = 0.9
    elif age < 30:
        none = 0.35
    elif age >= 60:
        none = 0.3
    else:
        none = 0.15
    if rng.random() < none:
        return 0
    return 30 + round((MAX_INSURED_DAYS - 30) * rng.betavariate(2, 1))


def _participates(rng: random.Random, registered_on: dt.date, groups: Collection[SeekerGroup], benefit: bool) -> bool:
    if registered_on < PROGRAMME_START:
        return False
    if benefit:
        share = 0.03
    elif SeekerGroup.LOW_INCOME in groups:
        share = 0.7
    elif SeekerGroup.YOUTH in groups:
        share = 0.5
    else:
        share = 0.25
    return rng.random() < share


def seeker_fields(
    rng: random.Random, registered_on: dt.date, age: int, groups: Collection[SeekerGroup]
) -> dict[str, Any]:
    """The programme facts of a seeker registering on ``registered_on`` at ``age``, as :class:`Seeker` fields."""
    insured = _insured_days(rng, groups, age)
    if rng.random() < EMPLOYED_SHARE:
        return {
            "unemployed_since": None,
            "insured_days": insured,
            "involuntary_leaving": False,
            "regular_income": True,
            "employment_support_participant": _participates(rng, registered_on, groups, benefit=True),
        }
    if SeekerGroup.CAREER_BREAK_WOMAN in groups:
        gap = rng.randint(365, 3650)
    else:
        gap = min(int(rng.expovariate(1 / 60)), 3 * 365)
    involuntary = None if insured == 0 else rng.random() < 0.6
    # no draw for the low-income vulnerable: they have no regular income
    income = SeekerGroup.LOW_INCOME not in groups and rng.random() < (0.35 if age >= 60 else 0.05)
    benefit = involuntary is True and insured >= BENEFIT_DAYS
    return {
        "unemployed_since": registered_on - dt.timedelta(days=gap),
        "insured_days": insured,
        "involuntary_leaving": involuntary,
        "regular_income": income,
        "employment_support_participant": _participates(rng, registered_on, groups, benefit),
    }


def reregistration_fields(
    rng: random.Random,
    registered_on: dt.date,
    groups: Collection[SeekerGroup],
    *,
    started: dt.date,
    left_on: dt.date,
    contract_ran_out: bool,
) -> dict[str, Any]:
    """The programme facts of a person registering again after a job held from ``started`` to ``left_on``."""
    insured = min(MAX_INSURED_DAYS, (left_on - started).days * 6 // 7)
    involuntary = contract_ran_out or rng.random() < 0.35
    benefit = involuntary and insured >= BENEFIT_DAYS
    return {
        "unemployed_since": left_on,
        "insured_days": insured,
        "involuntary_leaving": involuntary,
        "regular_income": False,
        "employment_support_participant": _participates(rng, registered_on, groups, benefit),
    }


def employer_fields(rng: random.Random, employees: int, industry: str | None) -> dict[str, Any]:
    """The programme facts of a firm of ``employees`` in KSIC division ``industry``, as :class:`Employer` fields."""
    sme = employees < SME_EMPLOYEES and rng.random() >= 0.03
    special = rng.random() < (0.4 if industry == "55" else 0.01)
    used = rng.random() < (0.8 if special else 0.25)
    left = PAID_SUPPORT_DAYS - rng.randint(1, PAID_SUPPORT_DAYS) if used else PAID_SUPPORT_DAYS
    return {"sme": sme, "special_industry": special, "paid_support_days_left": left}
