"""Counterfactuals and override monitoring."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import employkit_junggu
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.accountability import decisions as dec
from employkit.accountability.counterfactual import explain_match_change, explain_segment_change
from employkit.accountability.log import DecisionLog
from employkit.accountability.monitoring import monitor_overrides, profiles_from_log
from employkit.errors import ParameterError
from employkit.explain import Explanation
from employkit.labels import Text
from employkit.model import EmploymentType, Gender, Intake, Level, Seeker, Vacancy
from employkit.national.profiling import SEEKER_SEGMENTS
from employkit.packs import RuleMeta
from employkit.profiling.api import classify_seeker
from employkit.profiling.base import INTAKE_FIELDS, PROTECTED_ATTRIBUTES, SeekerProfile, Segment
from employkit.profiling.overrides import (
    OverriddenProfile,
    counsellor_override_rates,
    override,
    override_reasons,
)
from employkit.profiling.scorers import ScoredTypology, Scorer
from employkit.render.monitoring import render_table
from employkit.rules import RuleSystem
from employkit.testing import config_from_toml, make_pack, make_system, parameters_from_toml

DAY = dt.date(2022, 1, 3)


def _demo_pack(version: str, intercept: float = 1.0) -> Any:
    """The planted-bias pack of test_accountability: points 1 + 2×motivation − 3×female."""
    params = parameters_from_toml(
        f"""
[[parameter]]
id = "profiling.seeker.demo.model"
[[parameter.value]]
from = 2020-01-01
value = {{ intercept = {intercept}, weights = {{ motivation = 2.0, female = -3.0 }} }}

[[parameter]]
id = "profiling.seeker.demo.bands"
[[parameter.value]]
from = 2020-01-01
value = [{{ code = "high", min = 4.0 }}, {{ code = "mid", min = 2.0 }}, {{ code = "low", min = -1000.0 }}]
"""
    )
    typ = ScoredTypology(
        RuleMeta(rule_id="profiling.seeker.demo", title=Text("시험 (성별 편향)", "demo with a planted gender bias")),
        Scorer("points", "profiling.seeker.demo.model", "profiling.seeker.demo.bands"),
        [Segment(c, Text(c, c)) for c in ("high", "mid", "low")],
    )
    return make_pack("demo", version=version, parameters=params, seeker_typologies=[typ])


ALLOW_GENDER = config_from_toml(
    '[profiling]\nseeker_typology = "profiling.seeker.demo"\nallow_protected = ["gender"]\n'
)


L, M, H = Level.LOW, Level.MID, Level.HIGH


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return make_system()


def person(**answers: object) -> Seeker:
    return Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=DAY,
        birth_year=1980,
        gender=Gender.FEMALE,
        intake=Intake(**answers),  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------------- segments (documented smallest changes)


def test_national_low_motivation_seeker(system: RuleSystem) -> None:
    s = person(job_field_decided=True, employability=M, motivation=L, ability=M, economic_hardship=False, mobile=False)
    found = explain_segment_change(s, system, DAY, "profiling.seeker.national")
    assert found.current.segment is not None and found.current.segment.code == "prep_low_motivation"
    # employability mid → high (cost 1) makes the seeker ready; not mobile → local referral
    best = found.smallest
    assert best is not None and best.segment == "ready_local" and best.cost == 1
    assert [(c.field, c.before, c.after) for c in best.changes] == [("employability", M, H)]
    assert best.describe("en") == "employability mid → high"
    assert best.sentence("en") == "with employability mid → high → ready — not mobile (cost 1)"
    # into the other segments: two changes, or two steps of one answer
    mobile = found.to("ready_mobile")
    assert mobile is not None and mobile.cost == 2
    assert [c.field for c in mobile.changes] == ["employability", "mobile"]
    # motivation up with ability mid: the plan sets no type (seeds/001 L514-L520) → counsellor review
    review = found.to("counsellor_review")
    assert review is not None and [(c.field, c.after, c.cost) for c in review.changes] == [("motivation", M, 1)]
    assert found.to("prep_low_ability") is None  # would need ability to fall
    # nothing moves the seeker into multiple barriers: answers only ever improve
    assert found.to("prep_multiple_barriers") is None
    assert [p.cost for p in found.proposals] == sorted(p.cost for p in found.proposals)


def test_national_multiple_barriers_ties_go_to_the_checklist_order(system: RuleSystem) -> None:
    s = person(job_field_decided=False, employability=L, motivation=L, ability=L, economic_hardship=True, mobile=False)
    found = explain_segment_change(s, system, DAY, "profiling.seeker.national")
    assert found.current.segment is not None and found.current.segment.code == "prep_multiple_barriers"
    assert [(p.segment, p.describe("en"), p.cost) for p in found.proposals[:2]] == [
        ("prep_low_ability", "motivation low → mid", 1),  # motivation comes before ability
        ("prep_low_motivation", "ability low → mid", 1),
    ]
    ready = explain_segment_change(s, system, DAY, "profiling.seeker.national", target="ready")
    best = ready.smallest  # job field decided, and employability two steps up: two answers, cost 3
    assert best is not None and (best.segment, best.cost) == ("ready_local", 3)
    assert [(c.field, c.after) for c in best.changes] == [("job_field_decided", True), ("employability", H)]
    single = explain_segment_change(s, system, DAY, "profiling.seeker.national", target="ready", max_changes=1)
    assert single.proposals == () and single.note is not None and "no change of up to 1" in single.note.en


def test_junggu_abc() -> None:
    system = make_system(employkit_junggu)
    day = dt.date(2016, 3, 2)  # Jung-gu A/B/C is in force from 2016
    s = person(motivation=L, ability=L)
    found = explain_segment_change(s, system, day, "profiling.seeker.junggu")
    # both lacking: the plan does not say B or C (seeds/000 L310) → counsellor review by default
    assert found.current.segment is not None and found.current.segment.code == "counsellor_review"
    assert [(p.segment, p.describe("en"), p.cost) for p in found.proposals] == [
        ("C", "motivation low → mid", 1),
        ("B", "ability low → mid", 1),
        ("A", "motivation low → mid and ability low → mid", 2),
    ]


def test_not_profiled_seeker_is_asked_first(system: RuleSystem) -> None:
    found = explain_segment_change(person(employability=H), system, DAY, "profiling.seeker.national")
    assert found.proposals == () and found.searched == 0
    assert found.note is not None and "job_field_decided" in found.note.en


def test_protected_attributes_are_never_proposed() -> None:
    biased = make_system(_demo_pack("1.0.0"), config=ALLOW_GENDER)
    woman = person(motivation=L)  # points 1 − 3 = −2: low; a man would be 1: low too
    found = explain_segment_change(woman, biased, DAY)
    assert [(p.segment, p.describe("en")) for p in found.proposals] == [
        ("mid", "motivation low → high"),  # 1 + 4 − 3 = 2; "high" is out of reach without changing gender
    ]
    assert all(c.field not in PROTECTED_ATTRIBUTES for p in found.proposals for c in p.changes)
    with pytest.raises(ParameterError, match="gender is a protected attribute"):
        explain_segment_change(
            woman, biased.with_parameters({"accountability.counterfactual.costs": {"gender": 1}}), DAY
        )


ANSWERS = st.fixed_dictionaries(
    {
        "job_field_decided": st.booleans(),
        "employability": st.sampled_from([L, M, H]),
        "motivation": st.sampled_from([L, M, H]),
        "ability": st.sampled_from([L, M, H]),
        "economic_hardship": st.booleans(),
        "mobile": st.booleans(),
    }
)


@settings(max_examples=40, deadline=None)
@given(answers=ANSWERS, gender=st.sampled_from([Gender.FEMALE, Gender.MALE]))
def test_proposals_are_actionable_and_lead_where_they_say(answers: dict[str, object], gender: Gender) -> None:
    system = SYSTEM
    s = attrs.evolve(person(**answers), gender=gender)
    found = explain_segment_change(s, system, DAY, "profiling.seeker.national")
    seen = set()
    for p in found.proposals:
        assert {c.field for c in p.changes} <= set(INTAKE_FIELDS)
        assert p.cost == sum(c.cost for c in p.changes) and p.segment not in seen
        seen.add(p.segment)
        changed = attrs.evolve(s, intake=attrs.evolve(s.intake, **{c.field: c.after for c in p.changes}))
        again = classify_seeker(changed, system, DAY, "profiling.seeker.national")
        assert again.segment is not None and again.segment.code == p.segment
        for c in p.changes:  # only ever the direction the services aim at
            if isinstance(c.before, Level):
                assert c.after.rank > c.before.rank
            else:
                assert c.after is {"economic_hardship": False}.get(c.field, True)


SYSTEM = make_system()


# ---------------------------------------------------------------------- matches


def test_match_levers_rank_the_seekers_own_changes(system: RuleSystem) -> None:
    seeker = Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=dt.date(2016, 1, 4),
        birth_year=1960,
        desired_occupation="5611",
        desired_wage=1_500_000,
    )
    vacancy = Vacancy(
        vacancy_id="V1",
        employer_id="E1",
        occupation="5611",
        openings=1,
        employment_type=EmploymentType.REGULAR,
        region_code="11140",
        posted_on=dt.date(2016, 1, 4),
        offered_wage=1_350_000,
        max_age=45,
        required_certificates=["지게차운전기능사"],
    )
    found = explain_match_change(seeker, vacancy, system, dt.date(2016, 2, 1))
    assert found.not_proposed == ("age",)  # the employer's age preference: never a lever
    assert "age" not in [lv.component for lv in found.levers]
    assert found.levers[0].component == "wage"  # the largest gain comes first
    skills = next(lv for lv in found.levers if lv.component == "skills")
    assert skills.change is not None and "gain through training: 지게차운전기능사" in skills.change.en
    assert skills.gain is not None and 0 < skills.gain < found.levers[0].effect
    wage = next(lv for lv in found.levers if lv.component == "wage")
    assert wage.change is not None and "accept the offered wage 1,350,000" in wage.change.en
    assert wage.gain is not None and wage.new_total is not None
    assert wage.gain == pytest.approx(wage.ceiling) and wage.new_total == pytest.approx(found.total + wage.gain)


# ---------------------------------------------------------------------- override monitoring


def _profile(n: int, seg: Segment) -> SeekerProfile:
    return SeekerProfile(
        seeker_id=f"S{n:03d}",
        typology_id="profiling.seeker.national",
        as_of=DAY,
        segment=seg,
        explanation=Explanation("profiling.seeker.national", "national", "0.1.0"),
    )


def _caseload() -> tuple[list[SeekerProfile | OverriddenProfile], dict[str, str]]:
    """Three counsellors of 100 seekers: C1 never overrides, C2 overrides 5, C3 overrides 30."""
    ready, prep = SEEKER_SEGMENTS[1], SEEKER_SEGMENTS[2]
    profiles: list[SeekerProfile | OverriddenProfile] = []
    owners: dict[str, str] = {}
    for n in range(300):
        who = ("C1", "C2", "C3")[n // 100]
        owners[f"S{n:03d}"] = who
        p = _profile(n, prep if n % 2 else ready)
        k = n % 100
        if (who == "C2" and k < 5) or (who == "C3" and k < 30):
            reason = "intake_error" if k % 3 == 0 else "new_information"
            target = ready if p.segment is prep else prep
            profiles.append(override(p, target, reason_code=reason, reason="확인", counsellor=who))
        else:
            profiles.append(p)
    return profiles, owners


def test_rubber_stamping_and_outliers_are_flagged(system: RuleSystem) -> None:
    profiles, owners = _caseload()
    report = monitor_overrides(profiles, system, DAY, counsellors=owners)
    rows = {r.counsellor: r for r in report.by_counsellor}
    assert (rows["C1"].overridden, rows["C2"].overridden, rows["C3"].overridden) == (0, 5, 30)
    assert rows["C1"].flags == ("rubber_stamp", "outlier_low")  # 0% < 1%, and z ≈ −4.5
    assert rows["C2"].flags == ()
    assert rows["C3"].flags == ("outlier_high",)
    # C3 against the others: p_c = 0.30, p_o = 5/200, pooled 35/300
    p = 35 / 300
    z = (0.30 - 0.025) / (p * (1 - p) * (1 / 100 + 1 / 200)) ** 0.5
    assert rows["C3"].z == pytest.approx(z)
    assert {f.measure for f in report.flags} == {"override_rate", "override_rate_z"}
    assert "possible rubber-stamping" in render_table(report, "en")
    by_reason = {(r.reason_code, r.counsellor): r.overrides or 0 for r in report.by_reason}
    assert by_reason[("intake_error", "*")] + by_reason[("new_information", "*")] == 35


def test_new_override_counts_in_profiling_overrides() -> None:
    profiles, owners = _caseload()
    rates = {r.counsellor: (r.profiles, r.overridden) for r in counsellor_override_rates(profiles, counsellors=owners)}
    assert rates == {"C1": (100, 0), "C2": (100, 5), "C3": (100, 30)}
    published = override_reasons(profiles, counsellors=owners, min_cell=5)
    c2 = [r for r in published if r.counsellor == "C2"]
    assert all(r.suppressed and r.overrides is None for r in c2)  # 2 and 3 overrides: small cells
    assert counsellor_override_rates(profiles)[0].counsellor == "C2"  # without owners: who overrode, else unassigned


def test_override_report_from_the_decision_log(tmp_path: Path, system: RuleSystem) -> None:
    ready = dict(job_field_decided=True, employability=H, motivation=H, ability=M, mobile=False)
    log = DecisionLog(tmp_path / "d.jsonl")
    for n in range(60):
        s = attrs.evolve(person(**ready), seeker_id=f"S{n:03d}")
        profile = classify_seeker(s, system, DAY, "profiling.seeker.national")
        who = "C1" if n < 30 else "C2"
        log.append(dec.segment_decision(profile, s, system, key="k", counsellor=who))
        if who == "C2" and n < 40:
            done = override(
                profile,
                "prep_low_ability",
                reason_code="new_information",
                reason="훈련 필요",
                counsellor=who,
                segments=SEEKER_SEGMENTS,
            )
            log.append(dec.override_decision(done, s, system, key="k"))
    profiles, owners = profiles_from_log(log.records())
    assert len(profiles) == 60 and set(owners.values()) == {"C1", "C2"}
    report = monitor_overrides(profiles, system, DAY, counsellors=owners)
    rows = {r.counsellor: (r.profiles, r.overridden) for r in report.by_counsellor}
    assert rows == {"C1": (30, 0), "C2": (30, 10)}
    assert all(not s.startswith("S0") for s in owners)  # pseudonyms only
    seg = next(r for r in report.by_segment if r.counsellor == "*")
    assert (seg.segment, seg.profiles, seg.overridden) == ("ready_local", 60, 10)


def test_segment_labels_survive_the_log(system: RuleSystem) -> None:
    s = person(job_field_decided=True, employability=H, mobile=True)
    record = dec.segment_decision(classify_seeker(s, system, DAY), s, system, key="k")
    profiles, _ = profiles_from_log([record])
    first = profiles[0]
    assert first.segment is not None and first.segment.label == Text("준비된 구직자 — 지역이동 가능", "ready — mobile")
