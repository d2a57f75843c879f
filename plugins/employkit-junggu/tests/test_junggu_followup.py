"""The Jung-gu summary follow-up variant: 1 month, 6 months, 1 year, selectable in employkit.toml."""

from __future__ import annotations

import datetime as dt

import employkit_junggu
import pytest
from employkit_junggu.followup import FLOW_POLICY, SUMMARY_POLICY

from employkit.followup.api import actions_for, policy_id_for, schedule
from employkit.followup.base import FollowUpPolicy
from employkit.followup.policies import PRE_END
from employkit.model import EmploymentType, FollowUpOutcome, Placement
from employkit.national.followup import DEFAULT_POLICY
from employkit.rules import RuleSystem
from employkit.testing import config_from_toml, make_system

D = dt.date
E = EmploymentType
O = FollowUpOutcome  # noqa: E741

CONFIG = config_from_toml('[followup]\npolicy = "junggu.followup.summary"\n')


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return make_system(employkit_junggu, config=CONFIG)


def placement(start: dt.date, etype: EmploymentType = E.REGULAR, end: dt.date | None = None) -> Placement:
    return Placement(
        placement_id="J1", seeker_id="S1", employer_id="E1", start_date=start, employment_type=etype, contract_end=end
    )


def test_registered_next_to_the_national_default(system: RuleSystem) -> None:
    ids = [p.meta.rule_id for p in system.followup_policies()]
    assert ids == [FLOW_POLICY, SUMMARY_POLICY, DEFAULT_POLICY]
    assert all(isinstance(p, FollowUpPolicy) for p in system.followup_policies())
    assert not [g for g in system.gaps if "followup" in g.id]
    assert not [c for c in system.conflicts if "followup" in c.id]


def test_the_centre_selects_it_in_its_configuration(system: RuleSystem) -> None:
    assert policy_id_for(system) == SUMMARY_POLICY
    s = schedule(placement(D(2016, 3, 2)), system)
    assert s.policy_id == SUMMARY_POLICY and s.explanation.pack == "junggu"
    # without the setting the national default applies
    assert schedule(placement(D(2016, 3, 2)), make_system(employkit_junggu)).policy_id == DEFAULT_POLICY


def test_one_month_six_months_one_year(system: RuleSystem) -> None:
    # 31 Jan + 1 month = 29 Feb (2016 is a leap year); 31 Jul 2016 is a Sunday → 1 Aug
    s = schedule(placement(D(2016, 1, 31)), system)
    assert [(c.kind, c.due_on.isoformat()) for c in s.contacts] == [
        ("month_1", "2016-02-29"),
        ("month_6", "2016-08-01"),
        ("year_1", "2017-01-31"),
    ]
    uses = s.explanation.parameter("junggu.followup.summary.contacts")
    assert uses.pack == "junggu" and str(uses.source) == "seeds/000_743a0a447e219bca.txt#L156"


def test_fixed_term_jobs_keep_the_national_pre_end_check(system: RuleSystem) -> None:
    s = schedule(placement(D(2016, 4, 1), E.SHORT_TERM_CONTRACT, D(2016, 9, 30)), system)
    assert [(c.kind, c.due_on.isoformat()) for c in s.contacts] == [
        ("month_1", "2016-05-02"),  # 1 May is a Sunday
        (PRE_END, "2016-08-30"),
    ]
    assert s.explanation.parameter("followup.pre_end.lead_months").pack == "national"


def test_retention_closes_at_one_year_not_six_months(system: RuleSystem) -> None:
    p = placement(D(2016, 3, 2))
    six = actions_for(p, "month_6", O.STILL_EMPLOYED, D(2016, 9, 2), system)
    assert [a.code for a in six] == ["continue"]
    year = actions_for(p, "year_1", O.STILL_EMPLOYED, D(2017, 3, 2), system)
    assert [a.code for a in year] == ["close"] and year[0].result == "retained"
    # the national default closes a regular placement at 6 months
    national = actions_for(p, "month_6", O.STILL_EMPLOYED, D(2016, 9, 2), system, policy_id=DEFAULT_POLICY)
    assert national[0].result == "retained"


def test_left_seeking_short_term_contract(system: RuleSystem) -> None:
    p = placement(D(2016, 4, 1), E.SHORT_TERM_CONTRACT, D(2016, 9, 30))
    acts = actions_for(p, PRE_END, O.LEFT_SEEKING, D(2016, 8, 30), system)
    assert [a.code for a in acts] == ["re_register", "training_referral", "close"]
    assert acts[0].explanation is not None
    assert acts[0].explanation.parameter("junggu.followup.summary.outcomes").pack == "junggu"


def test_the_flowchart_variant_follows_l450_first_week_six_months_one_year() -> None:
    # seeds/000_743a0a447e219bca.txt#L450: 재직자 — 취업후 첫1주일, 6개월, 1년까지 사후관리 서비스 제공
    flow = make_system(employkit_junggu, config=config_from_toml('[followup]\npolicy = "junggu.followup.flow"\n'))
    s = schedule(placement(D(2016, 3, 2)), flow)
    assert s.policy_id == FLOW_POLICY
    assert [(c.kind, c.due_on.isoformat()) for c in s.contacts] == [
        ("week_1", "2016-03-09"),
        ("month_6", "2016-09-02"),
        ("year_1", "2017-03-02"),
    ]
    assert str(s.explanation.parameter("junggu.followup.flow.contacts").source).endswith("#L450")
    year = actions_for(placement(D(2016, 3, 2)), "year_1", O.STILL_EMPLOYED, D(2017, 3, 2), flow)
    assert [a.code for a in year] == ["close"] and year[0].result == "retained"


def test_the_summary_variant_cites_the_summary_lines_not_l450(system: RuleSystem) -> None:
    summary = next(p for p in system.followup_policies() if p.meta.rule_id == SUMMARY_POLICY)
    assert summary.meta.source is not None and summary.meta.source.locator == "L156"
