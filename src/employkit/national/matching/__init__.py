"""The national match components: occupation, wage, place, hours and type, skills, age.

Each component scores one criterion of a seeker–vacancy pair as a value in [0, 1] with
reasons in its own unit (KECO levels, ₩, km, hours a week, skills held), and reads
its numbers from the parameters in ``national/matching.toml``. Each is written once:
the fields it reads, a numpy kernel over them, and a renderer of one pair's reasons
(:mod:`employkit.matching.base`).

======================  =========================================================
component (key)         value
======================  =========================================================
occupation              by KECO distance (same code … unrelated), raised by the
                        related-occupation table
wage                    1 when the offer meets the wish, falling linearly to 0 at
                        a shortfall of ``matching.wage.zero_at_shortfall``
place                   by km when both sides have coordinates, else same
                        district / same province / elsewhere; wide-area values
                        for a mobile seeker
hours                   weekly hours apart, and the employment type wanted
skills                  essential skills, optional skills and certificates held
age                     advisory only, unless the centre sets
                        ``[matching] use_age = true``
======================  =========================================================

Missing inputs make a component *missing*: it is left out of the total (see
:mod:`employkit.matching.scoring`) and its explanation says what was missing.

>>> [c.key for c in national_components()]
['occupation', 'wage', 'place', 'hours', 'skills', 'age']
"""

from __future__ import annotations

from employkit.matching.base import MatchComponent
from employkit.national.matching.age import AgeComponent
from employkit.national.matching.common import FLAG_LABELS, won
from employkit.national.matching.hours import HoursComponent
from employkit.national.matching.occupation import OccupationComponent
from employkit.national.matching.place import REACH_GATES, PlaceComponent, haversine_km
from employkit.national.matching.skills import SkillsComponent
from employkit.national.matching.wage import WageComponent, monthly_minimum_wage

__all__ = [
    "FLAG_LABELS",
    "REACH_GATES",
    "AgeComponent",
    "HoursComponent",
    "OccupationComponent",
    "PlaceComponent",
    "SkillsComponent",
    "WageComponent",
    "haversine_km",
    "monthly_minimum_wage",
    "national_components",
    "won",
]


def national_components() -> tuple[MatchComponent, ...]:
    """The national match components, in the order they are shown."""
    return (
        OccupationComponent(),
        WageComponent(),
        PlaceComponent(),
        HoursComponent(),
        SkillsComponent(),
        AgeComponent(),
    )
