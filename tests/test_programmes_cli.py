"""``employkit eligibility`` on a centre written to CSV with the programme columns (Korean headers read back)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from employkit.model import Centre, CentreLevel, Employer, EmploymentType, Placement, Seeker
from employkit.sources import load
from employkit.sources.writers import write_records

Run = Callable[..., CompletedProcess[str]]


@pytest.fixture
def centre(tmp_path: Path) -> str:
    seeker = Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=dt.date(2021, 1, 4),
        birth_date=dt.date(1990, 2, 1),
        unemployed_since=dt.date(2021, 1, 4),
        insured_days=179,
        involuntary_leaving=True,
        employment_support_participant=False,
    )
    firm = Employer(employer_id="E1", employees=9, region_code="11140", sme=True, paid_support_days_left=60)
    hire = Placement(
        placement_id="P1",
        seeker_id="S1",
        employer_id="E1",
        start_date=dt.date(2021, 2, 4),
        employment_type=EmploymentType.REGULAR,
    )
    folder = tmp_path / "centre"
    info = Centre(name="시험 센터", level=CentreLevel.DISTRICT, region_code="11140")
    write_records([("seekers", seeker), ("employers", firm), ("placements", hire)], folder, "csv", centre=info)
    return str(folder)


def test_the_programme_columns_round_trip(centre: str) -> None:
    data = load(centre)
    (seeker,) = data.seekers
    assert (seeker.unemployed_since, seeker.insured_days, seeker.involuntary_leaving) == (
        dt.date(2021, 1, 4),
        179,
        True,
    )
    assert seeker.regular_income is None and seeker.employment_support_participant is False
    (firm,) = data.employers
    assert (firm.sme, firm.special_industry, firm.paid_support_days_left) == (True, None, 60)


def test_eligibility_of_one_firm_and_its_hires(run_cli: Run, centre: str) -> None:
    out = run_cli("eligibility", "--source", centre, "--as-of", "2021-08-04", "--employer", "E1", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = {r["programme"]: r for r in json.loads(out.stdout)}
    small = rows["programmes.national.small_firm_unpaid_leave"]
    assert small["status"] == "eligible"
    hire = rows["programmes.national.special_hiring_incentive"]
    assert (hire["status"], hire["id"], hire["total"]) == ("eligible", "P1", 6_000_000)
    assert rows["programmes.national.special_industry.paid_leave"]["missing"] == ["special_industry"]
    assert hire["explanation"]["rule_id"] == "programmes.national.special_hiring_incentive"


def test_eligibility_of_one_seeker_as_text(run_cli: Run, centre: str) -> None:
    out = run_cli("eligibility", "--source", centre, "--as-of", "2021-03-02", "--seeker", "S1")
    assert out.returncode == 0, out.stderr
    assert "비대상: 피보험단위기간 180일 미만 (방문 신청)" in out.stdout
    assert "월·수·금 오전" in out.stdout  # born in February: L1146
    assert "seeds/001_9743a8cda015755e.txt#L670" in out.stdout


def test_eligibility_of_the_whole_centre(run_cli: Run, centre: str) -> None:
    out = run_cli("eligibility", "--source", centre, "--as-of", "2021-08-04", "--format", "json")
    assert out.returncode == 0, out.stderr
    summary = {r["programme"]: r for r in json.loads(out.stdout)["programmes"]}
    assert summary["programmes.national.special_hiring_incentive"]["total_krw"] == 6_000_000
    assert summary["programmes.national.online_benefit_claim"]["status"]["not_eligible"] == 1
    text = run_cli("eligibility", "--source", centre, "--as-of", "2021-08-04")
    assert "특별고용촉진장려금" in text.stdout and "6,000,000" in text.stdout


def test_unknown_ids_are_reported(run_cli: Run, centre: str) -> None:
    out = run_cli("eligibility", "--source", centre, "--as-of", "2021-08-04", "--seeker", "S9")
    assert out.returncode != 0 and "S9" in out.stderr
    out = run_cli("eligibility", "--source", centre, "--as-of", "2021-08-04", "--programme", "programmes.x.y")
    assert out.returncode != 0 and "programmes.x.y" in out.stderr


def test_the_run_report_has_a_programme_section(run_cli: Run, centre: str, tmp_path: Path) -> None:
    out_dir = tmp_path / "report"
    out = run_cli("run", "--source", centre, "--as-of", "2021-08-04", "--out", str(out_dir))
    assert out.returncode == 0, out.stderr
    md = (out_dir / "report.md").read_text(encoding="utf-8")
    assert "## 지원 사업 대상" in md
    assert "| 특별고용촉진장려금 | hire | 1 | 0 | 0 | 0 | 6,000,000 |" in md
    assert 'id="programmes"' in (out_dir / "report.html").read_text(encoding="utf-8")
