"""The logistic example pack: p = 1 / (1 + e^-x) and its bands, at the cut-points."""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

PACK_ROOT = Path(__file__).resolve().parent.parent
if str(PACK_ROOT / "src") not in sys.path:  # until the pack is pip-installed
    sys.path.insert(0, str(PACK_ROOT / "src"))

import employkit_logit_example as pack  # noqa: E402

from employkit.model import Gender, Intake, Level, Seeker  # noqa: E402
from employkit.profiling.api import classify_seeker, profile_columns, profile_dataset  # noqa: E402
from employkit.profiling.batch import SeekerColumns  # noqa: E402
from employkit.rules import RuleSystem  # noqa: E402
from employkit.testing import config_from_toml, make_system  # noqa: E402

DAY = dt.date(2024, 5, 2)
TID = pack.TYPOLOGY_ID


def person(sid: str = "S1", registered: dt.date = DAY, **answers: Any) -> Seeker:
    return Seeker(
        seeker_id=sid,
        residence_code="11140",
        registered_on=registered,
        birth_year=1984,
        gender=Gender.FEMALE,
        intake=Intake(**answers),
    )


def system_with(config: str = "") -> RuleSystem:
    return make_system(pack, config=config_from_toml(config) if config else None)


def test_pack_is_declared_and_loads() -> None:
    meta = tomllib.loads((PACK_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["entry-points"]["employkit"] == {"logit_example": "employkit_logit_example"}
    system = system_with()
    assert TID in [t.meta.rule_id for t in system.seeker_typologies(DAY)]
    assert not system.gaps and not system.conflicts
    bands = system.parameter("profiling.seeker.logit_example.bands", DAY).value
    assert [(b["code"], b["min"]) for b in bands] == [("high", 0.66), ("mid", 0.25), ("low", 0.0)]


FULL = dict(
    job_field_decided=True, employability=Level.HIGH, motivation=Level.HIGH, ability=Level.MID, economic_hardship=False
)


def test_default_model_by_hand() -> None:
    p = classify_seeker(person(**FULL), system_with(), DAY, TID)
    x = -2.0 + 0.6 * 1 + 0.8 * 2 + 0.7 * 2 + 0.6 * 1  # age is left out: not allowed
    assert p.score == pytest.approx(1 / (1 + math.exp(-x)))
    assert p.band == "high" and p.segment is not None and p.segment.code == "high"
    assert p.protected_used == ()
    assert any("left out" in r.en and "age" in r.en for r in p.explanation.reasons)
    aged = classify_seeker(person(**FULL), system_with('[profiling]\nallow_protected = ["age"]\n'), DAY, TID)
    assert aged.score == pytest.approx(1 / (1 + math.exp(-(x - 0.02 * 40))))
    assert aged.protected_used == ("age",)


def _at(x: float) -> RuleSystem:
    """A system whose model gives exactly ``x`` for a seeker with motivation mid (rank 1)."""
    return system_with(
        f'[parameters]\n"profiling.seeker.logit_example.model" = {{ intercept = {x - 1.0!r}, '
        "weights = { motivation = 1.0 } }\n"
    )


@pytest.mark.parametrize(
    ("cut", "above", "below"),
    [(0.66, "high", "mid"), (0.25, "mid", "low")],
)
def test_bands_at_the_cut_points(cut: float, above: str, below: str) -> None:
    logit = math.log(cut / (1 - cut))
    seeker = person(motivation=Level.MID)
    for x, band in ((logit + 1e-9, above), (logit - 1e-9, below)):
        p = classify_seeker(seeker, _at(x), DAY, TID)
        expected = 1 / (1 + math.exp(-x))
        assert p.score == pytest.approx(expected, abs=1e-15)
        assert p.band == band, (x, p.score)
        assert (p.band == above) == (expected >= cut)
        assert p.explanation.parameter("profiling.seeker.logit_example.model").pack == "centre"
    exact = classify_seeker(seeker, _at(logit), DAY, TID)
    assert exact.score is not None and exact.band == (above if exact.score >= cut else below)


def test_missing_features_are_named() -> None:
    p = classify_seeker(person(motivation=Level.HIGH), system_with(), DAY, TID)
    assert p.segment is None
    assert p.missing == ("job_field_decided", "employability", "ability", "economic_hardship")


def test_vectorised_equals_one_by_one() -> None:
    rng = random.Random(3)
    people = []
    for k in range(400):
        answers = {f: rng.choice([None, *Level]) for f in ("employability", "motivation", "ability")}
        answers |= {f: rng.choice([None, True, False]) for f in ("job_field_decided", "economic_hardship")}
        people.append(person(f"S{k}", DAY - dt.timedelta(days=rng.randrange(900)), **answers))
    system = system_with('[profiling]\nallow_protected = ["age"]\n')
    one = profile_dataset(people, system, DAY, TID)
    many = profile_columns(SeekerColumns.from_seekers(people, DAY), system, typology_id=TID)
    assert many.segment_codes() == [p.band for p in one.profiles]
    assert many.scores is not None
    assert [float(s) for s in many.scores] == [p.score for p in one.profiles]
