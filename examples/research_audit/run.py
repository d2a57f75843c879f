"""A planted placement bias, and the audit that finds it.

Delete 70% of women's placements in the sample: the employment rate of women falls to
about 10.6% against 34.8% for men. The audit's placement section computes each group's
rate with the KPI's own definition and flags a ratio under four fifths.

Run: python examples/research_audit/run.py
"""

from __future__ import annotations

import datetime as dt
import random

import attrs

from employkit.accountability.audit import fairness_audit
from employkit.model import Gender
from employkit.rules import RuleSystem
from employkit.synth import sample_centre

DAY = dt.date(2016, 6, 30)


def main() -> None:
    data = sample_centre()
    women = {s.seeker_id for s in data.seekers if s.gender is Gender.FEMALE}
    theirs = [p for p in data.placements if p.seeker_id in women]
    gone = {p.placement_id for p in random.Random(7).sample(theirs, round(0.7 * len(theirs)))}
    biased = attrs.evolve(data, placements=tuple(p for p in data.placements if p.placement_id not in gone))
    system = RuleSystem.build()
    audit = fairness_audit(biased, system, DAY, by=["gender", "residence"], sections=["placement"])
    rows = {r.group: r for r in audit.placement[0].rows}
    for g, r in rows.items():
        print(f"{g}: {r.placed:,} placed of {r.seekers:,} = {r.rate:.1%}, ratio {r.ratio:.3f}")
    flag = audit.flagged("placement", "gender")
    assert [f.group for f in flag] == ["F"]
    clean = fairness_audit(data, system, DAY, by=["gender"], sections=["placement"])
    assert not clean.flagged(attribute="gender")
    print(
        f"OK: women {rows['F'].rate:.1%} against men {rows['M'].rate:.1%}, ratio {rows['F'].ratio:.3f} < 0.8: flagged"
    )


if __name__ == "__main__":
    main()
