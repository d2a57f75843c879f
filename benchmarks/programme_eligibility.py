"""Programme eligibility for a whole centre (columnar) against one record at a time.

Builds ``--seekers`` synthetic seekers with the programme facts (a share left blank),
then times :func:`employkit.programmes.evaluate_centre` over all of them and
:func:`employkit.programmes.eligibility` (a one-row call of the same code, with its
explanation) on a sample, and prints records per second and the ratio.

    python benchmarks/programme_eligibility.py [--seekers N] [--sample N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from employkit.config import CentreConfig
from employkit.dataset import Dataset
from employkit.model import Centre, CentreLevel, Seeker, SeekerGroup
from employkit.programmes import eligibility, evaluate_centre
from employkit.rules import RuleSystem

DAY = dt.date(2021, 3, 2)


def seekers(n: int, seed: int = 18) -> list[Seeker]:
    rng = random.Random(seed)

    def maybe(value: object) -> object:
        return None if rng.random() < 0.05 else value

    out = []
    for i in range(n):
        groups = {g for g in (SeekerGroup.YOUTH, SeekerGroup.LOW_INCOME) if rng.random() < 0.3}
        out.append(
            Seeker(
                seeker_id=f"S{i}",
                residence_code="11530",
                registered_on=dt.date(2021, 1, 4),
                birth_date=maybe(dt.date(rng.randint(1950, 2003), rng.randint(1, 12), 1)),  # type: ignore[arg-type]
                groups=groups,
                unemployed_since=maybe(dt.date(2020, rng.randint(1, 12), 1)),  # type: ignore[arg-type]
                insured_days=maybe(rng.randint(0, 720)),  # type: ignore[arg-type]
                involuntary_leaving=maybe(rng.random() < 0.7),  # type: ignore[arg-type]
                regular_income=maybe(rng.random() < 0.2),  # type: ignore[arg-type]
                employment_support_participant=maybe(rng.random() < 0.4),  # type: ignore[arg-type]
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    config = CentreConfig(centre=Centre(name="구로구 일자리센터", level=CentreLevel.DISTRICT, region_code="11530"))
    system = RuleSystem.build(config)
    people = seekers(args.seekers)
    data = Dataset(seekers=people)

    start = time.perf_counter()
    centre = evaluate_centre(data, system, DAY)
    columnar = time.perf_counter() - start
    programmes = [r for r in centre.summary() if r["subject"] == "seeker"]

    start = time.perf_counter()
    for s in people[: args.sample]:
        eligibility(s, system, DAY)
    one = (time.perf_counter() - start) / args.sample

    per_row = columnar / len(people)
    print(f"seekers {len(people):,}, seeker programmes in force {len(programmes)} on {DAY}")
    print(f"centre (columnar): {columnar:.2f} s, {len(people) / columnar:,.0f} seekers/s")
    print(f"one record at a time (with explanations): {1 / one:,.0f} seekers/s on {args.sample:,}")
    print(f"ratio: columnar is {one / per_row:.1f}x faster per seeker")
    for row in programmes:
        print(f"  {row['programme']}: {row['status']}")


if __name__ == "__main__":
    main()
