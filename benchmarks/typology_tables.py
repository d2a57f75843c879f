"""District typologies at national scale: a decision table and a scalar Python rule.

Classifies the same synthetic seekers (numpy columns, about 3% of each answer blank)
with three typologies through :func:`employkit.profiling.api.profile_columns`:

* the national checklist typology (the peer: a 9-input decision table),
* Jung-gu's A/B/C decision table (``employkit_junggu``),
* a scalar Python district typology (by age band, motivation and ability) that the
  engine calls once per distinct combination of the fields it declares,

and prints each time, the ratios to the national typology (goal ≤ 2×), the number of
calls the scalar function received, and a check that the table path and the row-by-row
oracle agree on a sample. Best of ``--repeat`` runs.

    python benchmarks/typology_tables.py [--seekers N] [--repeat R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from employkit.labels import Text
from employkit.model import Level
from employkit.packs import RuleMeta
from employkit.profiling.api import profile_columns
from employkit.profiling.base import Segment
from employkit.profiling.batch import SeekerColumns
from employkit.profiling.scalar import Decision, ScalarTypology
from employkit.profiling.tables import TableTypology
from employkit.testing import config_from_toml, make_pack, make_system

T = TypeVar("T")
DAY = dt.date(2022, 6, 1)
ROOT = Path(__file__).resolve().parent.parent
SCALAR_ID = "profiling.seeker.benchdistrict"


def synthetic(n: int, seed: int = 4) -> SeekerColumns:
    """``n`` seekers: levels 0–2, booleans 0/1, about 3% of each answer blank, ages 18–79."""
    rng = np.random.default_rng(seed)

    def answers(high: int) -> np.ndarray:
        col = rng.integers(0, high + 1, n, dtype=np.int8)
        col[rng.random(n) < 0.03] = -1
        return col

    return SeekerColumns.from_arrays(
        DAY,
        np.char.add("S", np.arange(n).astype(str)).astype(object),
        job_field_decided=answers(1),
        employability=answers(2),
        motivation=answers(2),
        ability=answers(2),
        economic_hardship=answers(1),
        mobile=answers(1),
        age=rng.integers(18, 80, n, dtype=np.int16),
    )


CALLS = [0]


def district_rule(values: Mapping[str, Any], ctx: Any) -> Decision:
    """Youth (under 35) first, then motivation and ability: a rule that does not fit a table row."""
    CALLS[0] += 1
    age, mot, abil = values["age"], values["intake.motivation"], values["intake.ability"]
    if age is None or mot is None or abil is None:
        return Decision(missing=tuple(k for k, v in values.items() if v is None))
    if age < 35 and mot is not Level.LOW:
        return Decision("youth_track", reason=Text("청년, 의욕 있음", "youth with motivation"))
    if mot.rank + abil.rank >= 3:
        return Decision("ready", reason=Text("의욕+능력 ≥ 3", "motivation + ability ≥ 3"))
    return Decision("support", reason=Text("지원 필요", "needs support"))


def scalar_system() -> Any:
    typology = ScalarTypology(
        RuleMeta(rule_id=SCALAR_ID, title=Text("벤치마크 구 유형", "benchmark district typology")),
        [Segment(c, Text(c, c)) for c in ("youth_track", "ready", "support")],
        ("age", "intake.motivation", "intake.ability"),
        district_rule,
    )
    pack = make_pack("benchdistrict", seeker_typologies=[typology])
    return make_system(pack, config=config_from_toml('[profiling]\nallow_protected = ["age"]\n'))


def best(func: Callable[[], T], repeat: int) -> tuple[T, float]:
    times = []
    result: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    assert result is not None
    return result, min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seekers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n = args.seekers
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {n:,} synthetic seekers as of {DAY}")
    start = time.perf_counter()
    cols = synthetic(n)
    print(f"  build and check the columns {time.perf_counter() - start:8.3f} s")

    sys.path.insert(0, str(ROOT / "plugins" / "employkit-junggu" / "src"))
    import employkit_junggu

    national_system = make_system()
    junggu_system = make_system(employkit_junggu)
    scalar = scalar_system()

    runs = [
        ("national checklist table (peer)", lambda: profile_columns(cols, national_system)),
        (
            "Jung-gu A/B/C table",
            lambda: profile_columns(cols, junggu_system, typology_id="profiling.seeker.junggu"),
        ),
        ("scalar Python district typology", lambda: profile_columns(cols, scalar, typology_id=SCALAR_ID)),
    ]
    timings = []
    for label, func in runs:
        CALLS[0] = 0
        result, seconds = best(func, args.repeat)
        timings.append(seconds)
        calls = f", {CALLS[0] // args.repeat:,} calls of the function per run" if CALLS[0] else ""
        print(f"  {label:<34} {seconds:8.3f} s  {n / seconds:>13,.0f} rows/s{calls}")
        print("    " + ", ".join(f"{k} {v:,}" for k, v in result.counts().items() if v))

    # the table path against the row-by-row oracle, on a sample
    typology = junggu_system.rule("profiling.seeker.junggu", DAY)
    assert isinstance(typology, TableTypology)
    result = profile_columns(cols, junggu_system, typology_id="profiling.seeker.junggu")
    option = junggu_system.parameter("profiling.seeker.junggu.assume.both_lacking_motivation_first", DAY).value
    for i in range(0, n, max(1, n // 2000)):
        values = {
            "motivation": None if cols.motivation[i] < 0 else int(cols.motivation[i]),
            "ability": None if cols.ability[i] < 0 else int(cols.ability[i]),
            "motivation_first": int(bool(option)),
        }
        assert result.rows is not None
        assert typology.compiled.evaluate_one(values) == [int(result.rows[i])]
    print("  Jung-gu table on columns = the row-by-row oracle on a sample of 2,000: OK")

    peer = timings[0]
    for (label, _), seconds in zip(runs[1:], timings[1:], strict=True):
        ratio = seconds / peer
        print(f"{label}: {ratio:.2f}x the national typology (goal ≤ 2x): {'OK' if ratio <= 2 else 'OVER'}")


if __name__ == "__main__":
    main()
