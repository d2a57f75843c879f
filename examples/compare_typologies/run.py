"""National typology vs the Jung-gu A/B/C typology on the same seekers.

Both classify the sample centre's 3,110 seekers from the same intake answers. The
national typology (2021 plan, in force from 2022) reads the whole checklist; Jung-gu's
A/B/C (2016 plan) reads only motivation and ability after an in-depth interview. The
cross-table shows where they agree and where a seeker's service would differ.

Run: python examples/compare_typologies/run.py
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from employkit.centre import CentreContext
from employkit.profiling.api import profile_dataset
from employkit.synth import sample_centre

AS_OF = dt.date(2022, 3, 2)  # both typologies are in force
NATIONAL, JUNGGU = "profiling.seeker.national", "profiling.seeker.junggu"


def main() -> None:
    data = sample_centre()
    system = CentreContext().use(data).system  # the sample is a Jung-gu centre (11140): its pack applies
    if "junggu" not in [p.name for p in system.active]:
        raise SystemExit("the Jung-gu pack is not installed: pip install -e plugins/employkit-junggu")
    national = profile_dataset(data, system, AS_OF, NATIONAL)
    abc = profile_dataset(data, system, AS_OF, JUNGGU)

    pairs = Counter(
        (n.segment.code if n.segment else "not_profiled", j.segment.code if j.segment else "not_profiled")
        for n, j in zip(national.profiles, abc.profiles, strict=True)
    )
    columns = sorted({j for _, j in pairs})
    rows = sorted({n for n, _ in pairs})
    print(f"{'national ↓ / Jung-gu →':<26}" + "".join(f"{c:>8}" for c in columns) + f"{'total':>8}")
    for r in rows:
        counts = [pairs.get((r, c), 0) for c in columns]
        print(f"{r:<26}" + "".join(f"{n:>8,}" for n in counts) + f"{sum(counts):>8,}")

    total = sum(pairs.values())
    assert total == len(data.seekers) == 3110
    # Someone lacking motivation in the national sense is never "A" in Jung-gu's with motivation low.
    low_motivation = {p.seeker_id for p in abc.profiles if p.segment and p.segment.code == "B"}
    ready = {p.seeker_id for p in national.profiles if p.segment and p.segment.code.startswith("ready")}
    agree = sum(pairs.get((r, "A"), 0) for r in rows if r.startswith("ready"))
    print(f"\nready (national) that are A (Jung-gu): {agree:,} of {len(ready):,}")
    print(f"type B (Jung-gu) seekers: {len(low_motivation):,}")
    # One seeker, both explanations side by side.
    sid = next(p.seeker_id for p in national.profiles if p.segment and p.segment.code == "prep_low_motivation")
    print("\n" + (national.get(sid).explanation.render("ko") if national.get(sid) else ""))  # type: ignore[union-attr]
    print("\n" + (abc.get(sid).explanation.render("ko") if abc.get(sid) else ""))  # type: ignore[union-attr]
    print(f"\nOK: {total:,} seekers profiled by both typologies")


if __name__ == "__main__":
    main()
