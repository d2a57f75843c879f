"""Rank the vacancies for one seeker and print the explanation a counsellor reads.

Run: python examples/rank_one_seeker/run.py [--seeker ID] [--top K] [--lang ko|en]
"""

from __future__ import annotations

import argparse
import datetime as dt

from employkit.matching.ranking import rank
from employkit.rules import RuleSystem
from employkit.synth import sample_centre

AS_OF = dt.date(2016, 1, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeker", default=None, help="seeker id (default: the first career-break woman)")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--lang", choices=["ko", "en"], default="ko")
    args = parser.parse_args()

    data = sample_centre()
    system = RuleSystem.build()
    if args.seeker:
        seeker = data.seekers_by_id[args.seeker]
    else:
        seeker = next(s for s in data.seekers if any(g.code == "career_break_woman" for g in s.groups))
    results = rank(seeker, data.vacancies, system, top=args.top, as_of=AS_OF)
    print(f"seeker {seeker.seeker_id}: wants {seeker.desired_occupation}, {seeker.desired_wage} KRW/month\n")
    for n, result in enumerate(results, 1):
        print(f"#{n}  {result.vacancy_id}  total {result.total:.3f}")
        print(result.render(args.lang))
        print()

    totals = [r.total for r in results]
    assert len(results) == args.top and totals == sorted(totals, reverse=True)
    assert all(r.eligible for r in results)
    first = results[0]
    assert all(c.key in first.render("en") for c in system.match_components(AS_OF) if first.component(c.key).counted)
    print(f"OK: top {args.top} for {seeker.seeker_id}, best {totals[0]:.3f}, each with its component breakdown")


if __name__ == "__main__":
    main()
