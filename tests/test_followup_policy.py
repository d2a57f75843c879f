"""Follow-up policies: hand-worked dates, calendar rules, outcome → action tables, properties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.errors import ParameterError, RuleNotFound
from employkit.followup.api import actions_for, resolve_policy, schedule, schedule_all, to_rows
from employkit.followup.base import FollowUpPolicy, retry_kind, split_kind
from employkit.followup.calendar import BusinessCalendar, add_months, korean_calendar
from employkit.followup.policies import PRE_END, TablePolicy
from employkit.model import FIXED_TERM_TYPES, EmploymentType, FollowUpOutcome, Placement
from employkit.national.followup import DEFAULT_POLICY
from employkit.rules import RuleSystem
from employkit.testing import make_pack, make_system, parameters_from_toml

D = dt.date
E = EmploymentType
O = FollowUpOutcome  # noqa: E741


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return make_system()


def placement(
    start: dt.date,
    etype: EmploymentType = E.REGULAR,
    end: dt.date | None = None,
    ended: dt.date | None = None,
    pid: str = "P1",
) -> Placement:
    return Placement(
        placement_id=pid,
        seeker_id="S1",
        employer_id="E1",
        start_date=start,
        employment_type=etype,
        contract_end=end,
        ended_on=ended,
    )


def dates(system: RuleSystem, p: Placement, **kw: Any) -> list[str]:
    return [d.isoformat() for d in schedule(p, system, **kw).dates()]


# ----------------------------------------------------------------- hand-worked dates (acceptance)


def test_regular_placement_2016_03_02(system: RuleSystem) -> None:
    s = schedule(placement(D(2016, 3, 2)), system)
    assert [d.isoformat() for d in s.dates()] == ["2016-03-02", "2016-03-09", "2016-06-02", "2016-09-02"]
    assert s.kinds() == ("start_day", "week_1", "month_3", "month_6")
    assert s.policy_id == DEFAULT_POLICY
    assert all(c.due_on == c.nominal_on and c.moved_because is None for c in s.contacts)


def test_short_term_contract_gets_pre_end_check(system: RuleSystem) -> None:
    s = schedule(placement(D(2016, 4, 1), E.SHORT_TERM_CONTRACT, D(2016, 9, 30)), system)
    assert [d.isoformat() for d in s.dates()] == ["2016-04-01", "2016-04-08", "2016-07-01", "2016-08-30"]
    assert s.kinds()[-1] == PRE_END and s.contacts[-1].before_end
    # the 6-month contact (2016-10-04 after moving off 10-01 and the 10-03 holiday) is after the end
    assert any("2016-10-04" in r.en and "contract end" in r.en for r in s.explanation.reasons)


def test_explanation_cites_parameters_with_sources(system: RuleSystem) -> None:
    s = schedule(placement(D(2016, 4, 1), E.SHORT_TERM_CONTRACT, D(2016, 9, 30)), system)
    lead = s.explanation.parameter("followup.pre_end.lead_months")
    assert lead.value == 1 and str(lead.source) == "seeds/000_743a0a447e219bca.txt#L426"
    assert str(s.explanation.parameter("followup.contacts").source) == "seeds/000_743a0a447e219bca.txt#L417"
    assert s.explanation.rule_id == DEFAULT_POLICY and s.explanation.pack == "national"
    with pytest.raises(KeyError):
        s.explanation.parameter("followup.outcomes")  # the schedule does not read the outcome table


def test_chuseok_2016_moves_routine_contacts_forward(system: RuleSystem) -> None:
    # 6 months after 2016-03-15 is 2016-09-15 (Chuseok); 14-16 Sep are holidays, 17-18 a weekend
    s = schedule(placement(D(2016, 3, 15)), system)
    last = s.contacts[-1]
    assert (last.nominal_on, last.due_on) == (D(2016, 9, 15), D(2016, 9, 19))
    assert last.moved_because is not None and last.moved_because.ko == "추석"
    assert "2016-09-19" in s.explanation.render("en") and "Chuseok" in s.explanation.render("en")
    # a first day at work on Chuseok: the start-day call is on the next business day
    s = schedule(placement(D(2016, 9, 15)), system)
    assert [d.isoformat() for d in s.dates()][:2] == ["2016-09-19", "2016-09-22"]


def test_chuseok_2016_moves_pre_end_check_back(system: RuleSystem) -> None:
    # contract ends 2016-10-15: one month before is 2016-09-15 (Chuseok) → Tuesday 2016-09-13
    s = schedule(placement(D(2016, 6, 1), E.COMMERCIAL_CONTRACT, D(2016, 10, 15)), system)
    check = s.contacts[-1]
    assert check.kind == PRE_END and (check.nominal_on, check.due_on) == (D(2016, 9, 15), D(2016, 9, 13))
    assert s.dates() == tuple(sorted(s.dates()))


def test_months_are_added_by_the_calendar(system: RuleSystem) -> None:
    assert add_months(D(2015, 1, 31), 1) == D(2015, 2, 28)
    assert add_months(D(2016, 1, 31), 1) == D(2016, 2, 29)
    assert add_months(D(2016, 3, 31), -1) == D(2016, 2, 29)
    # a commercial contract ending 2016-03-31: the check is one month before, the end of February
    s = schedule(placement(D(2015, 12, 1), E.COMMERCIAL_CONTRACT, D(2016, 3, 31)), system)
    check = next(c for c in s.contacts if c.kind == PRE_END)
    assert check.nominal_on == D(2016, 2, 29) and check.due_on == D(2016, 2, 29)
    # the 3-month contact falls on 1 March (Independence Movement Day) and moves to the 2nd
    assert s.contacts[-1].kind == "month_3" and s.contacts[-1].due_on == D(2016, 3, 2)


def test_public_job_and_daily_work(system: RuleSystem) -> None:
    s = schedule(placement(D(2016, 2, 1), E.PUBLIC_JOB, D(2016, 5, 31)), system)
    # week 1 = 02-08, in Seollal (02-07..10) → 02-11; 3 months = 05-01 (Sun) → 05-02; pre-end 04-30 (Sat) → 04-29
    assert [d.isoformat() for d in s.dates()] == ["2016-02-01", "2016-02-11", "2016-04-29", "2016-05-02"]
    assert s.kinds() == ("start_day", "week_1", PRE_END, "month_3")
    # daily work has no contract-end rule: the routine contacts only
    assert schedule(placement(D(2016, 3, 2), E.DAILY), system).kinds() == ("start_day", "week_1", "month_3", "month_6")


def test_contract_shorter_than_the_lead_time(system: RuleSystem) -> None:
    # a 3-week contract: the pre-end check cannot be a month before; it is on the first day, merged
    s = schedule(placement(D(2016, 5, 2), E.SHORT_TERM_CONTRACT, D(2016, 5, 20)), system)
    assert [(c.kind, c.due_on.isoformat()) for c in s.contacts] == [
        (PRE_END, "2016-05-02"),
        ("week_1", "2016-05-09"),
    ]
    assert any("merged" in r.en for r in s.explanation.reasons)


def test_ended_placement_gets_no_contacts_after_it_ended(system: RuleSystem) -> None:
    s = schedule(placement(D(2016, 3, 2), ended=D(2016, 4, 30)), system)
    assert s.kinds() == ("start_day", "week_1")


def test_no_policy_before_the_default_applies_and_unknown_policy(system: RuleSystem) -> None:
    # the national default (the 2016 plan's schedule) applies to placements from 2010 on
    assert schedule(placement(D(2015, 3, 2)), system, as_of=D(2015, 3, 2)).kinds()[0] == "start_day"
    with pytest.raises(RuleNotFound, match=r"national\.followup\.default"):
        schedule(placement(D(2009, 3, 2)), system, as_of=D(2009, 3, 2))
    with pytest.raises(RuleNotFound, match=r"policies: .*national\.followup\.default"):
        schedule(placement(D(2016, 3, 2)), system, policy_id="nowhere.followup.none")
    with pytest.raises(RuleNotFound, match="not a follow-up policy"):
        resolve_policy(system, "source.sample")


def test_the_default_policy_is_a_dated_parameter_not_a_name_in_the_engine() -> None:
    from employkit.followup.api import policy_id_for

    assert policy_id_for(make_system(), on=D(2016, 3, 2)) == DEFAULT_POLICY
    override = parameters_from_toml(
        """
[[parameter]]
id = "followup.default_policy"
override = true
  [[parameter.value]]
  from = 2020-01-01
  value = "test.followup.other"
"""
    )
    system = make_system(make_pack("demo", parameters=override))
    assert policy_id_for(system, on=D(2019, 12, 31)) == DEFAULT_POLICY
    assert policy_id_for(system, on=D(2020, 1, 1)) == policy_id_for(system) == "test.followup.other"
    # without a pack defining it, the engine names the setting to make instead of a pack's rule
    bare = make_system(national=False)
    with pytest.raises(RuleNotFound, match=r"\[followup\] policy.*followup\.default_policy"):
        policy_id_for(bare)
    assert policy_id_for(bare, "any.policy") == "any.policy"


def test_policy_meets_the_protocol_and_is_registered(system: RuleSystem) -> None:
    (policy,) = [p for p in system.followup_policies() if p.meta.rule_id == DEFAULT_POLICY]
    assert isinstance(policy, FollowUpPolicy) and isinstance(policy, TablePolicy)
    assert not [g for g in system.gaps if "followup" in g.id]
    assert set(policy.meta.parameters) <= set(system.parameter_ids())


def test_to_rows_for_followups_csv(system: RuleSystem) -> None:
    ps = [placement(D(2016, 3, 15), pid="A"), placement(D(2016, 4, 1), E.SHORT_TERM_CONTRACT, D(2016, 9, 30), pid="B")]
    rows = to_rows(schedule_all(ps, system))
    assert len(rows) == 8 and [r["seq"] for r in rows] == [1, 2, 3, 4, 1, 2, 3, 4]
    moved = rows[3]
    assert moved["nominal_on"] == "2016-09-15" and moved["due_on"] == "2016-09-19"
    assert moved["moved_because"] == "Chuseok"
    assert rows[-1]["kind"] == PRE_END and rows[-1]["before_end"] is True


# ----------------------------------------------------------------- outcomes → actions


def codes(actions: tuple[Any, ...]) -> list[str]:
    return [a.code for a in actions]


def test_renewed_commercial_contract_closes(system: RuleSystem) -> None:
    p = placement(D(2016, 1, 4), E.COMMERCIAL_CONTRACT, D(2016, 12, 31))
    acts = actions_for(p, PRE_END, O.RENEWED, D(2016, 11, 30), system)
    assert codes(acts) == ["close"] and acts[0].closes and acts[0].result == "renewed"
    acts = actions_for(p, PRE_END, O.CONVERTED_REGULAR, D(2016, 11, 30), system)
    assert acts[-1].result == "converted"
    # wanting to leave or seek again → employment support (L428)
    acts = actions_for(p, PRE_END, O.LEFT_SEEKING, D(2016, 11, 30), system)
    assert codes(acts) == ["re_register", "employment_support", "close"]
    assert codes(actions_for(p, PRE_END, O.CONSIDERING_MOVE, D(2016, 11, 30), system)) == [
        "in_depth_counselling",
        "employment_support",
    ]


def test_left_seeking_short_term_contract_re_registers_and_refers_to_training(system: RuleSystem) -> None:
    p = placement(D(2016, 4, 1), E.SHORT_TERM_CONTRACT, D(2016, 9, 30))
    acts = actions_for(p, PRE_END, O.LEFT_SEEKING, D(2016, 8, 30), system)
    assert codes(acts) == ["re_register", "training_referral", "close"]
    # re-register at once (the day itself, a business day); training within 5 business days
    assert acts[0].due_on == D(2016, 8, 30) and acts[1].due_on == D(2016, 9, 6)
    assert acts[0].label.ko == "재구직등록" and acts[1].label.ko == "직업훈련기관 연계"
    # at the pre-end check, "will seek again" (considering a move) also re-registers
    acts = actions_for(p, PRE_END, O.CONSIDERING_MOVE, D(2016, 8, 30), system)
    assert codes(acts) == ["re_register", "training_referral"] and not any(a.closes for a in acts)
    # the same for a public job
    q = placement(D(2016, 4, 1), E.PUBLIC_JOB, D(2016, 9, 30))
    assert codes(actions_for(q, PRE_END, O.LEFT_SEEKING, D(2016, 8, 30), system))[:2] == [
        "re_register",
        "training_referral",
    ]


def test_regular_closes_as_retained_only_at_six_months(system: RuleSystem) -> None:
    p = placement(D(2016, 3, 2))
    acts = actions_for(p, "month_6", O.STILL_EMPLOYED, D(2016, 9, 2), system)
    assert codes(acts) == ["close"] and acts[0].result == "retained"
    acts = actions_for(p, "month_3", O.STILL_EMPLOYED, D(2016, 6, 2), system)
    assert codes(acts) == ["continue"] and acts[0].due_on is None and not acts[0].closes
    # three-stage flow: a move considered → in-depth counselling; left, not seeking → close
    assert codes(actions_for(p, "week_1", O.CONSIDERING_MOVE, D(2016, 3, 9), system)) == ["in_depth_counselling"]
    acts = actions_for(p, "week_1", O.LEFT_NOT_SEEKING, D(2016, 3, 9), system)
    assert acts[-1].result == "left_not_seeking"
    acts = actions_for(p, "week_1", O.LEFT_SEEKING, D(2016, 3, 9), system)
    assert codes(acts) == ["re_register", "employment_support", "close"]
    assert acts[0].explanation is not None and acts[0].explanation.parameter("followup.outcomes")


def test_unreachable_retries_then_misses_then_closes(system: RuleSystem) -> None:
    p = placement(D(2016, 3, 2))
    acts = actions_for(p, "month_3", O.UNREACHABLE, D(2016, 6, 2), system)
    assert codes(acts) == ["retry"] and acts[0].contact_kind == "month_3:retry1"
    assert acts[0].due_on == D(2016, 6, 8)  # Thu 2 June + 3 business days (6 June is Memorial Day)
    acts = actions_for(p, "month_6:retry1", O.UNREACHABLE, D(2016, 9, 9), system)
    # Friday 2016-09-09 + 3 business days: 12, 13, then Chuseok and a weekend → Monday 19
    assert acts[0].contact_kind == "month_6:retry2" and acts[0].due_on == D(2016, 9, 19)
    # after the limit (2 retries): the 3-month contact is missed, the 6-month one stands
    acts = actions_for(p, "month_3:retry2", O.UNREACHABLE, D(2016, 6, 20), system)
    assert codes(acts) == ["missed"] and not acts[0].closes
    # the last contact missed: follow-up closes as unreachable
    acts = actions_for(p, "month_6:retry2", O.UNREACHABLE, D(2016, 9, 23), system)
    assert codes(acts) == ["missed", "close"] and acts[-1].result == "unreachable"


def test_every_type_kind_and_outcome_has_a_row(system: RuleSystem) -> None:
    day = D(2016, 6, 1)
    for etype in E:
        end = D(2016, 12, 31) if etype in FIXED_TERM_TYPES else None
        p = placement(D(2016, 1, 4), etype, end)
        for kind in (*schedule(p, system).kinds(), PRE_END):
            for outcome in O:
                acts = actions_for(p, kind, outcome, day, system)
                assert acts, (etype, kind, outcome)
                assert sum(a.closes for a in acts) <= 1


def test_retry_kinds() -> None:
    assert split_kind(retry_kind("week_1", 1)) == ("week_1", 1)
    with pytest.raises(ValueError):
        retry_kind("week_1", 0)


# ----------------------------------------------------------------- tables are checked


def _override(toml: str) -> RuleSystem:
    from employkit.testing import make_pack

    params = parameters_from_toml(toml)
    return make_system(make_pack("centre_x", layer="district", overrides=[p.id for p in params], parameters=params))


def test_a_bad_table_names_the_parameter_and_row() -> None:
    system = _override(
        """
[[parameter]]
id = "followup.outcomes"
  [[parameter.value]]
  from = 2016-01-01
  value = [{ outcomes = ["still_employed"], actions = ["continue"] }, { outcomes = ["fired"], close = "retained" }]
"""
    )
    p = placement(D(2016, 3, 2))
    with pytest.raises(ParameterError, match=r"followup.outcomes, row 2: unknown outcomes fired"):
        actions_for(p, "week_1", O.STILL_EMPLOYED, D(2016, 3, 9), system)


def test_a_missing_row_is_a_clear_error() -> None:
    system = _override(
        """
[[parameter]]
id = "followup.outcomes"
  [[parameter.value]]
  from = 2016-01-01
  value = [{ outcomes = ["still_employed"], actions = ["continue"] }]
"""
    )
    with pytest.raises(ParameterError, match="no row for outcome 'renewed'"):
        actions_for(placement(D(2016, 3, 2)), "week_1", O.RENEWED, D(2016, 3, 9), system)


def test_a_district_can_change_the_lead_time_from_a_date() -> None:
    system = _override(
        """
[[parameter]]
id = "followup.pre_end.lead_months"
  [[parameter.value]]
  from = 2017-01-01
  value = 2
  source = "district decision 2016-12"
"""
    )
    p = placement(D(2016, 4, 1), E.SHORT_TERM_CONTRACT, D(2016, 9, 30))
    assert schedule(p, system, as_of=D(2016, 6, 1)).contacts[-1].due_on == D(2016, 8, 30)
    late = schedule(p, system, as_of=D(2017, 1, 2))
    assert late.contacts[-1].due_on == D(2016, 7, 29)  # 2016-07-30 is a Saturday
    assert late.explanation.parameter("followup.pre_end.lead_months").pack == "centre_x"


def test_district_closures_come_from_the_calendar_hook() -> None:
    from employkit.testing import make_pack

    closed = BusinessCalendar("gu", korean_calendar()._holidays, closures=[D(2016, 3, 9)])
    system = make_system(make_pack("gu", calendar=closed))
    assert dates(system, placement(D(2016, 3, 2)))[1] == "2016-03-10"


# ----------------------------------------------------------------- properties (hypothesis)


@st.composite
def placements(draw: Callable[..., Any]) -> Placement:
    start = draw(st.dates(D(2016, 1, 1), D(2028, 12, 31)))
    etype = draw(st.sampled_from(list(E)))
    end = None
    if etype in FIXED_TERM_TYPES or draw(st.booleans()):
        end = start + dt.timedelta(days=draw(st.integers(0, 800)))
        if etype not in FIXED_TERM_TYPES and draw(st.booleans()):
            end = None
    ended = None
    if draw(st.integers(0, 4)) == 0:
        ended = start + dt.timedelta(days=draw(st.integers(0, 400)))
    return placement(start, etype, end, ended)


CAL = korean_calendar()
SYSTEM = make_system()


@settings(max_examples=150, deadline=None)
@given(placements())
def test_schedule_properties(p: Placement) -> None:
    s = schedule(p, SYSTEM, as_of=D(2016, 1, 1))
    days = s.dates()
    assert all(d >= p.start_date for d in days)  # never before the start
    assert list(days) == sorted(set(days))  # in order, one contact a day
    assert all(CAL.is_business_day(d) for d in days)  # no contact on a weekend or holiday
    for c in s.contacts:
        if not c.before_end:
            assert c.due_on >= c.nominal_on  # routine contacts only move forward
    if p.contract_end is not None:
        has_business_day = CAL.next_business_day(p.start_date) <= p.contract_end
        if has_business_day:
            assert all(d <= p.contract_end for d in days)  # never after the contract end
        else:
            assert s.kinds() in ((), (PRE_END,))
    if p.ended_on is not None:
        assert all(d <= p.ended_on for d in days)
    assert schedule(p, SYSTEM, as_of=D(2016, 1, 1)) == s  # scheduling twice equals once
