"""The Jung-gu pack's A/B/C typology and firm visit list."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import employkit_junggu
import pytest
from employkit_junggu.profiling import ABC_ID, VISITS_ID, visit_summary

from employkit.errors import RuleNotFound
from employkit.model import Employer, Intake, Level, Seeker
from employkit.profiling.api import classify_employer, classify_seeker, profile_dataset, profile_employers
from employkit.rules import RuleSystem
from employkit.testing import config_from_toml, make_system

DAY = dt.date(2016, 6, 1)
H, M, L = Level.HIGH, Level.MID, Level.LOW

ENABLED = """
[packs]
enabled = ["national", "junggu"]

[profiling]
seeker_typology = "profiling.seeker.junggu"
"""


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return RuleSystem.build(config_from_toml(ENABLED))  # the installed pack, enabled in employkit.toml


def person(**answers: Any) -> Seeker:
    return Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2016, 2, 1), intake=Intake(**answers))


@pytest.mark.parametrize(
    ("answers", "code", "first"),
    [
        (dict(motivation=H, ability=M), "A", "job_referral"),
        (dict(motivation=L, ability=H), "B", "in_depth_counselling"),
        (dict(motivation=L, ability=L), "counsellor_review", "counsellor_decision"),  # the plan is silent
        (dict(motivation=M, ability=L), "C", "training.moel"),
    ],
)
def test_abc_through_the_enabled_pack(system: RuleSystem, answers: dict[str, Any], code: str, first: str) -> None:
    p = classify_seeker(person(**answers), system, DAY)  # default typology from [profiling]
    assert p.typology_id == ABC_ID
    assert p.segment is not None and p.segment.code == code and p.segment.pathway[0].code == first
    assert p.explanation.pack == "junggu" and p.explanation.pack_version == employkit_junggu.__version__


def test_type_c_links_to_the_five_training_institutions(system: RuleSystem) -> None:
    p = classify_seeker(person(motivation=H, ability=L), system, DAY)
    assert p.segment is not None
    names = [s.label.ko for s in p.segment.pathway if s.code.startswith("training.")]
    assert len(names) == 5
    for institution in ("고용노동부", "서울시 기술교육원", "상공회의소", "여성능력개발기관", "인생이모작지원센터"):
        assert any(institution in n for n in names)
    use = p.explanation.parameter("profiling.seeker.junggu.training_institutions")
    assert str(use.source).startswith("seeds/000_743a0a447e219bca.txt#L391")


def test_abc_names_missing_ratings(system: RuleSystem) -> None:
    assert classify_seeker(person(), system, DAY).missing == ("motivation", "ability")
    assert classify_seeker(person(motivation=H), system, DAY).missing == ("ability",)
    # B or counsellor review depends on the ability rating unless the centre puts motivation first
    assert classify_seeker(person(motivation=L), system, DAY).missing == ("ability",)


MOTIVATION_FIRST = "profiling.seeker.junggu.assume.both_lacking_motivation_first"


def test_both_lacking_is_a_dated_option_the_centre_switches_on(system: RuleSystem) -> None:
    default = classify_seeker(person(motivation=L, ability=L), system, DAY)
    assert default.segment is not None and default.segment.code == "counsellor_review"
    assert default.segment.label.ko == "상담사 판단 필요"
    use = default.explanation.parameter(MOTIVATION_FIRST)
    assert use.value is False and str(use.source).startswith("seeds/000_743a0a447e219bca.txt#L310")
    config = ENABLED + f'\n[parameters]\n"{MOTIVATION_FIRST}" = [{{ from = 2016-03-01, value = true }}]\n'
    centre = RuleSystem.build(config_from_toml(config))
    before = classify_seeker(person(motivation=L, ability=L), centre, dt.date(2016, 2, 29))
    after = classify_seeker(person(motivation=L, ability=L), centre, DAY)
    assert before.segment is not None and before.segment.code == "counsellor_review"
    assert after.segment is not None and after.segment.code == "B"
    assert after.explanation.parameter(MOTIVATION_FIRST).effective_from == dt.date(2016, 3, 1)
    assert classify_seeker(person(motivation=L), centre, DAY).segment == after.segment  # B needs no ability then


def test_abc_is_absent_when_the_pack_is_not_enabled() -> None:
    system = RuleSystem.build(config_from_toml('[packs]\nenabled = ["national"]\n'))
    with pytest.raises(RuleNotFound, match="junggu"):
        classify_seeker(person(motivation=H, ability=H), system, DAY, ABC_ID)


def test_abc_via_the_test_kit() -> None:
    system = make_system(employkit_junggu)
    p = classify_seeker(person(motivation=H, ability=H), system, DAY, ABC_ID)
    assert p.segment is not None and p.segment.code == "A" and p.segment.group == "ready"


def firm(employees: int, region: str = "11140", **kw: Any) -> Employer:
    return Employer(employer_id="E1", employees=employees, region_code=region, **kw)


@pytest.mark.parametrize(
    ("employer", "code"),
    [
        (firm(10, uses_job_board=True), "job_board"),
        (firm(100, uses_job_board=True), "job_board"),
        (firm(9, uses_job_board=True), "not_listed"),
        (firm(101, uses_job_board=True), "not_listed"),
        (firm(50, region="11110", uses_job_board=True), "not_listed"),
        (firm(50, uses_job_board=False), "not_listed"),
        (firm(300, partner=True), "partner"),
        (firm(5, sme_fund=True), "sme_fund"),
        (firm(400, region="11110", mou=True), "mou"),
        (firm(50, uses_job_board=True, partner=True, mou=True), "job_board"),
    ],
)
def test_visit_list(system: RuleSystem, employer: Employer, code: str) -> None:
    p = classify_employer(employer, system, DAY, VISITS_ID)
    assert p.segment is not None and p.segment.code == code
    if code != "not_listed":
        assert [s.code for s in p.segment.pathway] == ["advance_notice", "site_visit", "employer_network"]


def test_visit_list_needs_job_board_use_only_when_it_decides(system: RuleSystem) -> None:
    p = classify_employer(firm(50), system, DAY, VISITS_ID)
    assert p.segment is None and p.missing == ("uses_job_board",)
    assert classify_employer(firm(50, partner=True), system, DAY, VISITS_ID).segment is not None


def test_visit_targets_are_the_2016_plan(system: RuleSystem) -> None:
    from employkit.synth import sample_centre

    profiles = profile_employers(sample_centre(), system, DAY, VISITS_ID)
    summary = visit_summary(profiles.profiles, system.context(DAY))
    assert {k: t for k, (_, t) in summary.items()} == {
        "job_board": 1458,
        "partner": 350,
        "sme_fund": 98,
        "mou": 47,
        "total": 1953,
    }
    assert summary["total"][0] == sum(n for k, (n, _) in summary.items() if k != "total")
    assert visit_summary(profiles.profiles, system.context(dt.date(2017, 1, 1)))["total"][1] is None


def test_sample_centre_by_abc(system: RuleSystem) -> None:
    from employkit.synth import sample_centre

    result = profile_dataset(sample_centre(), system, DAY, "profiling.seeker.junggu")
    summary = result.summary()
    assert list(summary)[:3] == ["A", "B", "C"] and sum(summary.values()) == 3110


def test_cli_profiles_with_the_centre_typology(tmp_path: Path) -> None:
    from attrs import evolve
    from click.testing import CliRunner

    from employkit.cli import cli
    from employkit.model import Period
    from employkit.sources.readers import write_csv_folder
    from employkit.synth import JUNGGU_2015, build

    # a Jung-gu centre's 2016 registrants: each is classed A/B/C, the typology of its registration day
    assert JUNGGU_2015.centre is not None
    centre = evolve(JUNGGU_2015.centre, period=Period.year(2016))
    folder = write_csv_folder(build(evolve(JUNGGU_2015.scaled(300, 120), year=2016, centre=centre)), tmp_path / "jg")
    args = ["profile", "--source", str(folder)]
    out = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    data = json.loads(out.stdout)
    assert data["typology"] == ABC_ID and set(data["summary"]) >= {"A", "B", "C"}
    table = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "A형 — 즉시 취업알선 가능" in table.stdout
