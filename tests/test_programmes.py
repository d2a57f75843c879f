"""Programme eligibility: the documents' figures and lines, tables refused at load, one row = the centre's row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import employkit_guro
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.config import CentreConfig
from employkit.dataset import Dataset
from employkit.decision import DecisionTableError
from employkit.labels import Text
from employkit.model import Centre, CentreLevel, Employer, EmploymentType, Placement, Seeker, SeekerGroup
from employkit.packs import RuleMeta
from employkit.programmes import (
    Facts,
    Outcome,
    ScalarProgramme,
    Verdict,
    eligibility,
    evaluate_centre,
    parse_programmes,
    programmes_in_force,
)
from employkit.rules import RuleSystem
from employkit.testing import make_system

SEED = "seeds/001_9743a8cda015755e.txt"
HIRING = "programmes.national.special_hiring_incentive"
SMALL = "programmes.national.small_firm_unpaid_leave"
ONLINE = "programmes.national.online_benefit_claim"
ROUTING = "programmes.national.employment_support_routing"
ROTA = "programmes.national.benefit_claim_rotation"
PAID = "programmes.national.special_industry.paid_leave"
UNPAID = "programmes.national.special_industry.unpaid_leave"


def _config(region: str) -> CentreConfig:
    return CentreConfig(centre=Centre(name="센터", level=CentreLevel.DISTRICT, region_code=region))


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return RuleSystem.build(_config("11140"))


def _one(record: Any, system: RuleSystem, day: dt.date, programme: str, data: Dataset | None = None) -> Any:
    (found,) = eligibility(record, system, day, programme=programme, data=data)
    return found


def _seeker(**kw: Any) -> Seeker:
    base: dict[str, Any] = {"seeker_id": "S1", "residence_code": "11140", "registered_on": dt.date(2021, 1, 4)}
    return Seeker(**{**base, **kw})


# ------------------------------------------------------------------ 무급휴직지원금 (L1005-L1009)


@pytest.mark.parametrize(
    ("employees", "days_left", "status", "outcome"),
    [
        (9, 60, "eligible", "eligible"),
        (9, 61, "not_eligible", "support_left"),
        (9, 0, "eligible", "eligible"),
        (10, 30, "not_eligible", "ten_or_more"),
        (9, None, "missing", None),
    ],
)
def test_small_firm_unpaid_leave_follows_l1005(
    system: RuleSystem, employees: int, days_left: int | None, status: str, outcome: str | None
) -> None:
    firm = Employer(employer_id="E1", employees=employees, region_code="11140", paid_support_days_left=days_left)
    found = _one(firm, system, dt.date(2021, 5, 1), SMALL)
    assert (found.status, found.outcome) == (status, outcome)
    if status == "missing":
        assert found.missing == ("paid_support_days_left",)
        assert found.grant.amount is None and found.grant.total is None
    assert found.explanation.rule_id == SMALL
    assert found.explanation.inputs["employees"] == employees


def test_small_firm_unpaid_leave_ends_with_2022(system: RuleSystem) -> None:
    firm = Employer(employer_id="E1", employees=9, region_code="11140", paid_support_days_left=10)
    assert SMALL in {e.programme_id for e in eligibility(firm, system, dt.date(2022, 12, 31))}
    assert SMALL not in {e.programme_id for e in eligibility(firm, system, dt.date(2023, 1, 1))}


# ------------------------------------------------------------------ 특별고용촉진장려금 (L1045-L1057)


def _hire(
    unemployed_since: dt.date | None,
    start: dt.date,
    ended: dt.date | None = None,
    sme: bool | None = True,
    groups: frozenset[SeekerGroup] = frozenset(),
) -> tuple[Placement, Dataset]:
    seeker = _seeker(unemployed_since=unemployed_since, groups=groups)
    firm = Employer(employer_id="E1", employees=40, region_code="11140", sme=sme)
    hire = Placement(
        placement_id="P1",
        seeker_id="S1",
        employer_id="E1",
        start_date=start,
        employment_type=EmploymentType.REGULAR,
        ended_on=ended,
    )
    return hire, Dataset(seekers=[seeker], employers=[firm], placements=[hire])


def test_hire_after_one_month_unemployed_kept_six_months_gets_six_times_one_million(system: RuleSystem) -> None:
    hire, data = _hire(dt.date(2021, 1, 4), dt.date(2021, 2, 4))
    found = _one(hire, system, dt.date(2021, 8, 4), HIRING, data)
    assert (found.status, found.outcome) == ("eligible", "eligible")
    assert (found.grant.amount, found.grant.period, found.grant.total) == (1_000_000, 6, 6 * 1_000_000)
    cited = {u.parameter_id: u for u in found.explanation.parameters}
    amount = cited[f"{HIRING}.monthly_amount"]
    assert amount.value == 1_000_000 and amount.source is not None and "L1051" in str(amount.source)
    assert cited[f"{HIRING}.quota"].value["total"] == 40_000


def test_a_centre_that_changes_an_amount_keeps_its_unit_and_total(system: RuleSystem) -> None:
    hire, data = _hire(dt.date(2021, 1, 4), dt.date(2021, 2, 4))
    what_if = system.with_parameters({f"{HIRING}.monthly_amount": 800_000})
    found = _one(hire, what_if, dt.date(2021, 8, 4), HIRING, data)
    assert (found.grant.amount, found.grant.amount_unit, found.grant.total) == (800_000, "KRW/month", 6 * 800_000)
    assert found.explanation.inputs["unemployed_months_before"] == 1
    assert found.explanation.inputs["months_kept"] == 6


@pytest.mark.parametrize(
    ("since", "start", "ended", "sme", "outcome"),
    [
        (dt.date(2021, 1, 5), dt.date(2021, 2, 4), None, True, "unemployed_under_one_month"),  # a day short
        (dt.date(2021, 1, 4), dt.date(2021, 2, 4), dt.date(2021, 8, 3), True, "kept_under_six_months"),
        (dt.date(2021, 1, 4), dt.date(2021, 2, 4), None, False, "not_sme"),
        (dt.date(2019, 10, 1), dt.date(2019, 12, 1), None, True, "outside_period"),
        (None, dt.date(2021, 2, 4), None, True, None),
        (dt.date(2021, 1, 4), dt.date(2021, 2, 4), None, None, None),
    ],
)
def test_hiring_incentive_refusals_and_missing_facts(
    system: RuleSystem,
    since: dt.date | None,
    start: dt.date,
    ended: dt.date | None,
    sme: bool | None,
    outcome: str | None,
) -> None:
    hire, data = _hire(since, start, ended, sme)
    found = _one(hire, system, dt.date(2021, 12, 31), HIRING, data)
    assert found.outcome == outcome
    if outcome is None:
        assert found.status == "missing" and found.grant.total is None
        assert found.missing == (("unemployed_months_before",) if since is None else ("employer.sme",))
    else:
        assert found.status == "not_eligible"


def test_hiring_incentive_2021_quota_groups(system: RuleSystem) -> None:
    for groups, outcome in (
        (frozenset({SeekerGroup.YOUTH}), "eligible_youth"),
        (frozenset({SeekerGroup.CAREER_BREAK_WOMAN}), "eligible_career_break"),
    ):
        hire, data = _hire(dt.date(2021, 1, 1), dt.date(2021, 3, 1), groups=groups)
        found = _one(hire, system, dt.date(2021, 12, 1), HIRING, data)
        assert (found.outcome, found.grant.total) == (outcome, 6_000_000)
    quota = system.parameter(f"{HIRING}.quota", dt.date(2021, 6, 1)).value
    assert (quota["youth"], quota["career_break_woman"]) == (20_000, 18_000)
    assert system.parameter(f"{HIRING}.quota", dt.date(2020, 6, 1)).value["total"] == 50_000


def test_hiring_incentive_is_not_in_force_after_2021(system: RuleSystem) -> None:
    assert HIRING not in {p.meta.rule_id for p in programmes_in_force(system, dt.date(2022, 1, 1))}
    assert HIRING in {p.meta.rule_id for p in programmes_in_force(system, dt.date(2021, 12, 31))}


# ------------------------------------------------------------------ leave support periods (L969-L982)


def test_paid_leave_period_is_270_days_only_in_2021(system: RuleSystem) -> None:
    firm = Employer(employer_id="E1", employees=50, region_code="11140", special_industry=True)
    days = {day: _one(firm, system, day, PAID).grant.period for day in (dt.date(2020, 12, 31), dt.date(2021, 1, 1))}
    assert days == {dt.date(2020, 12, 31): 180, dt.date(2021, 1, 1): 270}
    assert _one(firm, system, dt.date(2021, 12, 31), PAID).grant.period == 270
    assert _one(firm, system, dt.date(2022, 1, 1), PAID).grant.period == 180
    use = _one(firm, system, dt.date(2021, 1, 1), PAID).explanation.parameter(f"{PAID}_days")
    assert use.effective_from == dt.date(2021, 1, 1) and "L982" in str(use.source)


def test_unpaid_leave_period_is_270_days_from_april_2021(system: RuleSystem) -> None:
    firm = Employer(employer_id="E1", employees=50, region_code="11140", special_industry=True)
    assert _one(firm, system, dt.date(2021, 3, 31), UNPAID).grant.period == 180
    found = _one(firm, system, dt.date(2021, 4, 1), UNPAID)
    assert (found.grant.period, found.grant.period_unit) == (270, "days")
    assert found.explanation.parameter(f"{UNPAID}_training_allowance").value == 300_000
    other = Employer(employer_id="E2", employees=50, region_code="11140", special_industry=False)
    assert _one(other, system, dt.date(2021, 4, 1), UNPAID).status == "not_eligible"
    unknown = Employer(employer_id="E3", employees=50, region_code="11140")
    missing = _one(unknown, system, dt.date(2021, 4, 1), UNPAID)
    assert missing.missing == ("special_industry",) and missing.grant.period is None
    assert [u.parameter_id for u in missing.explanation.parameters] == [f"{UNPAID}_training_allowance"]


# ------------------------------------------------------------------ online claims (L667-L671)


@pytest.mark.parametrize(
    ("days", "involuntary", "status", "missing"),
    [
        (180, True, "eligible", ()),
        (179, True, "not_eligible", ()),
        (400, False, "not_eligible", ()),
        (None, True, "missing", ("insured_days",)),
        (200, None, "missing", ("involuntary_leaving",)),
        (None, None, "missing", ("insured_days", "involuntary_leaving")),
        (None, False, "not_eligible", ()),
    ],
)
def test_online_benefit_claim_needs_180_insured_days_and_involuntary_leaving(
    system: RuleSystem, days: int | None, involuntary: bool | None, status: str, missing: tuple[str, ...]
) -> None:
    found = _one(_seeker(insured_days=days, involuntary_leaving=involuntary), system, dt.date(2021, 3, 1), ONLINE)
    assert (found.status, found.missing) == (status, missing)


def test_online_claims_start_in_february_2021(system: RuleSystem) -> None:
    ids = {e.programme_id for e in eligibility(_seeker(insured_days=200), system, dt.date(2021, 1, 31))}
    assert ONLINE not in ids


# ------------------------------------------------------------------ 국민취업지원제도 routing (L955-L956)


@pytest.mark.parametrize(
    ("participant", "groups", "outcome"),
    [
        (True, {SeekerGroup.LOW_INCOME}, "job_centre"),
        (True, {SeekerGroup.LOW_INCOME, SeekerGroup.YOUTH}, "job_centre"),
        (True, {SeekerGroup.YOUTH}, "private_contractor"),
        (True, set(), "review"),
        (False, {SeekerGroup.YOUTH}, "not_participant"),
        (None, {SeekerGroup.YOUTH}, None),
    ],
)
def test_employment_support_routing(
    system: RuleSystem, participant: bool | None, groups: set[SeekerGroup], outcome: str | None
) -> None:
    found = _one(
        _seeker(employment_support_participant=participant, groups=groups), system, dt.date(2021, 6, 1), ROUTING
    )
    assert found.outcome == outcome
    if outcome == "review":
        assert found.status == "review"


# ------------------------------------------------------------------ 2부제 (L1144-L1147)


@pytest.mark.parametrize(
    ("month", "outcome"),
    [
        (1, "mon_wed_fri_am"),
        (3, "mon_wed_fri_am"),
        (4, "mon_wed_fri_pm"),
        (9, "tue_thu_fri_am"),
        (12, "tue_thu_fri_pm"),
    ],
)
def test_benefit_claim_rota_by_birth_month(system: RuleSystem, month: int, outcome: str) -> None:
    found = _one(_seeker(birth_date=dt.date(1980, month, 15)), system, dt.date(2021, 1, 11), ROTA)
    assert found.outcome == outcome


def test_benefit_claim_rota_needs_a_birth_date_and_its_dates(system: RuleSystem) -> None:
    found = _one(_seeker(birth_year=1980), system, dt.date(2021, 6, 9), ROTA)
    assert (found.status, found.missing) == ("missing", ("birth_month",))
    assert ROTA not in {e.programme_id for e in eligibility(_seeker(birth_year=1980), system, dt.date(2021, 6, 10))}


# ------------------------------------------------------------------ tables refused at load


_GAP = """
[[programme]]
id = "programmes.test.gap"
ko = "시험"
en = "test"
subject = "employer"
hit_policy = "unique"
  [[programme.input]]
  name = "days"
  field = "paid_support_days_left"
  [[programme.outcome]]
  code = "yes"
  status = "eligible"
  ko = "예"
  [[programme.row]]
  when = { days = "<= 60" }
  output = "yes"
  [[programme.row]]
  when = { days = "missing" }
  missing = ["days"]
"""


def test_a_table_with_a_gap_is_refused_naming_an_example() -> None:
    import tomllib

    with pytest.raises(DecisionTableError) as err:
        parse_programmes(tomllib.loads(_GAP), "pack/test.toml")
    message = str(err.value)
    assert "pack/test.toml" in message and "programmes.test.gap" in message and "no row covers days=61" in message


def test_an_overlap_an_unknown_fact_and_an_undeclared_outcome_are_refused() -> None:
    import tomllib

    overlap = _GAP.replace('when = { days = "missing" }', 'when = { days = "any" }')
    with pytest.raises(DecisionTableError, match="overlaps row 1"):
        parse_programmes(tomllib.loads(overlap), "t.toml")
    with pytest.raises(DecisionTableError, match="unknown employer fact 'days_left'"):
        parse_programmes(tomllib.loads(_GAP.replace('field = "paid_support_days_left"', 'field = "days_left"')), "t")
    with pytest.raises(DecisionTableError, match="not an outcome"):
        parse_programmes(tomllib.loads(_GAP.replace('output = "yes"', 'output = "no"')), "t")
    with pytest.raises(DecisionTableError, match="status"):
        parse_programmes(tomllib.loads(_GAP.replace('status = "eligible"', 'status = "maybe"')), "t")


# ------------------------------------------------------------------ the scalar escape hatch


def test_a_scalar_programme_is_called_once_per_distinct_combination(system: RuleSystem) -> None:
    calls: list[Mapping[str, Any]] = []

    def rule(f: Mapping[str, Any]) -> Verdict:
        calls.append(dict(f))
        if f["insured_days"] is None:
            return Verdict(None, ("insured_days",))
        return Verdict("yes" if f["insured_days"] >= 180 else "no")

    programme = ScalarProgramme(
        RuleMeta(rule_id="programmes.test.scalar", title=Text("시험", "test")),
        "seeker",
        (Outcome("yes", "eligible", Text("예", "yes")), Outcome("no", "not_eligible", Text("아니오", "no"))),
        rule,
        facts=("insured_days",),
    )
    seekers = [_seeker(seeker_id=f"S{i}", insured_days=d) for i, d in enumerate([180, 179, None, 180, None])]
    facts = Facts.read("seeker", seekers, dt.date(2021, 3, 1), programme.facts)
    result = programme.decide(facts, system.context(dt.date(2021, 3, 1)))
    assert len(calls) == 3
    assert result.codes() == ["yes", "no", None, "yes", None]
    assert result.summary()["status"] == {"eligible": 2, "not_eligible": 1, "review": 0, "missing": 2}


# ------------------------------------------------------------------ one row = the centre's row


_DAY = dt.date(2021, 6, 1)
_opt_bool = st.sampled_from([None, True, False])


@st.composite
def _centre(draw: st.DrawFn) -> Dataset:
    n = draw(st.integers(1, 6))
    seekers, employers, hires = [], [], []
    for i in range(n):
        groups = draw(
            st.sets(st.sampled_from([SeekerGroup.YOUTH, SeekerGroup.LOW_INCOME, SeekerGroup.CAREER_BREAK_WOMAN]))
        )
        birth = draw(st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31))))
        seekers.append(
            Seeker(
                seeker_id=f"S{i}",
                residence_code=draw(st.sampled_from(["11140", "11530"])),
                registered_on=dt.date(2021, 1, 4),
                birth_date=birth,
                groups=groups,
                unemployed_since=draw(st.one_of(st.none(), st.dates(dt.date(2019, 1, 1), dt.date(2021, 5, 1)))),
                insured_days=draw(st.one_of(st.none(), st.integers(0, 400))),
                involuntary_leaving=draw(_opt_bool),
                regular_income=draw(_opt_bool),
                employment_support_participant=draw(_opt_bool),
            )
        )
        employers.append(
            Employer(
                employer_id=f"E{i}",
                employees=draw(st.integers(0, 30)),
                region_code="11140",
                sme=draw(_opt_bool),
                special_industry=draw(_opt_bool),
                paid_support_days_left=draw(st.one_of(st.none(), st.integers(0, 200))),
            )
        )
        start = draw(st.dates(dt.date(2019, 6, 1), dt.date(2021, 5, 31)))
        hires.append(
            Placement(
                placement_id=f"P{i}",
                seeker_id=f"S{draw(st.integers(0, n - 1))}",
                employer_id=f"E{draw(st.integers(0, n - 1))}",
                start_date=start,
                employment_type=EmploymentType.REGULAR,
                ended_on=draw(st.one_of(st.none(), st.dates(start, dt.date(2021, 6, 1)))),
            )
        )
    return Dataset(seekers=seekers, employers=employers, placements=hires)


@settings(max_examples=40, deadline=None)
@given(data=_centre())
def test_one_record_equals_its_row_of_the_centre(data: Dataset) -> None:
    system = make_system(employkit_guro, region="11530")  # the national programmes and Guro's public work
    centre = evaluate_centre(data, system, _DAY)
    records: list[tuple[str, Any]] = [
        *(("seeker", s) for s in data.seekers),
        *(("employer", e) for e in data.employers),
        *(("hire", p) for p in data.placements),
    ]
    for subject, record in records:
        single = {e.programme_id: e for e in eligibility(record, system, _DAY, data=data)}
        rid = (
            record.seeker_id
            if subject == "seeker"
            else record.employer_id
            if subject == "employer"
            else record.placement_id
        )
        from_centre = {e.programme_id: e for e in centre.of(subject, rid, system)}
        assert single.keys() == from_centre.keys()
        for pid, one in single.items():
            other = from_centre[pid]
            assert (one.status, one.outcome, one.missing, one.grant) == (
                other.status,
                other.outcome,
                other.missing,
                other.grant,
            )
            assert one.explanation.inputs == other.explanation.inputs


def test_centre_summary_counts_every_subject_and_the_amount_granted(system: RuleSystem) -> None:
    hire, data = _hire(dt.date(2021, 1, 4), dt.date(2021, 2, 4))
    other = Placement(
        placement_id="P2",
        seeker_id="S1",
        employer_id="E1",
        start_date=dt.date(2021, 5, 1),
        employment_type=EmploymentType.REGULAR,
    )
    data = Dataset(seekers=data.seekers, employers=data.employers, placements=[hire, other])
    centre = evaluate_centre(data, system, dt.date(2021, 8, 4))
    row = next(r for r in centre.summary() if r["programme"] == HIRING)
    assert row["subjects"] == 2 and row["status"]["eligible"] == 1 and row["total_krw"] == 6_000_000
    assert [e.outcome for e in centre.hires_of("E1", system)] == ["eligible", "kept_under_six_months"]
    assert SEED in str(system.rule(HIRING).meta.source)


def test_a_closed_programme_leaves_no_parameter_warning(system: RuleSystem) -> None:
    later = system.unset_parameters(dt.date(2024, 1, 1))
    assert not [w for w in later if "programmes." in w]
    assert HIRING not in {p.meta.rule_id for p in programmes_in_force(system, dt.date(2024, 1, 1))}


def test_chungnam_goal_is_a_dated_parameter_of_its_pack() -> None:
    system = RuleSystem.build(_config("44131"))
    use = system.parameter("chungnam.employment_rate.goal", dt.date(2015, 12, 31))
    assert (use.value, use.pack) == (70.0, "chungnam")
    assert "seeds/002_62de1f3d4f953fee.txt" in str(use.source) and "L37" in str(use.source)


def test_hook_employkit_programmes() -> None:
    import tomllib

    from employkit.testing import make_pack, make_system

    fixed = _GAP.replace('when = { days = "<= 60" }', 'when = { days = "present" }')
    (programme,) = parse_programmes(tomllib.loads(fixed), "gangnam/programmes.toml")
    gangnam = make_pack("gangnam", regions=["11680"], programmes=[programme])
    here = make_system(gangnam, region="11680")
    assert "programmes.test.gap" in {p.meta.rule_id for p in programmes_in_force(here, dt.date(2021, 1, 1))}
    origin, _ = here.provenance("programmes.test.gap")
    assert origin.name == "gangnam"
    elsewhere = make_system(gangnam, region="11140")
    assert "programmes.test.gap" not in {p.meta.rule_id for p in programmes_in_force(elsewhere, dt.date(2021, 1, 1))}
    firm = Employer(employer_id="E1", employees=3, region_code="11680", paid_support_days_left=5)
    (found,) = eligibility(firm, here, dt.date(2021, 1, 1), programme="programmes.test.gap")
    assert found.status == "eligible" and found.explanation.pack == "gangnam"


def test_a_centre_is_decided_on_what_exists_on_the_day() -> None:
    """Seekers registered and hires started after the evaluation date are not decided."""
    import attrs as _attrs

    from employkit.programmes.api import evaluate_centre
    from employkit.rules import RuleSystem
    from employkit.synth import JUNGGU_2015, build

    data = build(_attrs.evolve(JUNGGU_2015.scaled(400, 200, seed=5).over(dt.date(2021, 1, 1), dt.date(2021, 12, 31))))
    day = dt.date(2021, 6, 30)
    result = evaluate_centre(data, RuleSystem.build(), day)
    seekers = sum(1 for s in data.seekers if s.registered_on <= day)
    hires = sum(1 for p in data.placements if p.start_date <= day)
    assert 0 < seekers < len(data.seekers) and 0 < hires < len(data.placements)
    subjects = {r["programme"]: r["subjects"] for r in result.summary()}
    for programme, n in subjects.items():
        kind = next(p.subject for p, _ in result.results if p.meta.rule_id == programme)
        assert n == {"seeker": seekers, "hire": hires, "employer": len(data.employers)}[kind], programme
