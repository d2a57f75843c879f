"""KPI definitions as the source documents give them (issue 18, point 2).

The documents' 취업률 counts every placement (seeds/000#L11-L12: 1,095 / 3,110 = 35.2%);
the cohort rate is employkit's and says so; 미충원율 and 워크넷 이용률 follow the national
plan (seeds/001#L1330, L1333, L1361) with its reference figures as dated parameters; this
centre's "openings not filled by its placements" has its own name; funnels count cases and
people apart (seeds/004#L56).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from employkit.dataset import Dataset
from employkit.metrics.report import kpi_report
from employkit.metrics.scope import Period
from employkit.national.metrics import national_kpis
from employkit.synth import sample_centre
from employkit.testing import make_system

AS_OF = dt.date(2016, 6, 30)
_ROOT = Path(__file__).resolve().parents[1]
SEEDS = next(
    (p / "shared" / "seeds" for p in (_ROOT.parent, _ROOT.parent.parent) if (p / "shared").is_dir()),
    _ROOT / "shared" / "seeds",
)


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return kpi_report(sample_centre(), make_system(), AS_OF, publish=False)


def test_the_documents_employment_rate_counts_every_placement(report) -> None:  # type: ignore[no-untyped-def]
    rate = report.get("employment_rate").value
    placements = report.get("placements").value
    assert (rate.numerator, rate.denominator, rate.rounded) == (1095, 3110, 35.2)
    assert rate.numerator == placements.numerator  # 취업자 in the rate = 취업자 수
    assert "every placement" in rate.explanation.reasons[0].en or "placements 1,095" in rate.explanation.reasons[1].en


def test_the_cohort_rate_has_another_id_and_is_labelled(report) -> None:  # type: ignore[no-untyped-def]
    cohort = report.get("cohort_employment_rate").value
    assert cohort.title.ko.startswith("코호트 취업률")
    assert any(r.en.startswith("employkit definition") for r in cohort.explanation.reasons)


def test_unfilled_rate_is_the_surveys_and_the_centres_figure_has_its_own_name(report) -> None:  # type: ignore[no-untyped-def]
    assert report.get("unfilled_rate").value.value is None  # no survey figures in a centre's records
    own = report.get("openings_unfilled_by_centre").value
    assert (own.numerator, own.denominator, own.rounded) == (2239 - 1095, 2239, 51.1)
    assert any("employkit definition" in r.en for r in own.explanation.reasons)
    survey = kpi_report(
        Dataset(),
        make_system(),
        dt.date(2020, 12, 31),
        year=2020,
        inputs={"survey.unfilled": 63, "survey.openings": 500},
    ).get("unfilled_rate")
    assert survey.value.rounded == 12.6


@pytest.mark.parametrize(
    ("kpi", "value", "line", "text"),
    [
        ("unfilled_rate_reference", 12.6, 1361, "미충원율(%, 평균 12.6)"),
        ("jobboard_use_rate_insured_reference", 27.8, 1330, "구인인원/고보취득인원, 평균 27.8"),
        ("jobboard_use_rate_survey_reference", 82.9, 1333, "사업체조사 구인, 평균 82.9"),
    ],
)
def test_reference_figures_are_dated_parameters_from_the_national_plan(
    kpi: str, value: float, line: int, text: str
) -> None:
    found = kpi_report(Dataset(), make_system(), dt.date(2021, 3, 31), year=2021, only=[kpi]).get(kpi).value
    assert found.value == value
    assert f"#L{line}" in str(found.explanation.parameters[-1].source) or any(
        f"#L{line}" in str(p.source) for p in found.explanation.parameters
    )
    before = kpi_report(Dataset(), make_system(), dt.date(2019, 12, 31), year=2019, only=[kpi]).get(kpi).value
    assert before.value is None  # the figure is of 2020: not in force before
    seed = SEEDS / "001_9743a8cda015755e.txt"
    if seed.exists():
        assert text in seed.read_text(encoding="utf-8").splitlines()[line - 1]


def test_funnel_counts_cases_and_people_apart() -> None:
    funnel = (
        kpi_report(
            Dataset(),
            make_system(),
            dt.date(2023, 11, 30),
            period=Period(dt.date(2023, 1, 1), dt.date(2023, 11, 30)),
            inputs={"consultations": 4013, "referrals": 3516, "placements": 1525},
            only=["funnel"],
        )
        .get("funnel")
        .value
    )
    steps = {s.kpi_id: s for s in funnel.steps}
    assert steps["funnel.consultations"].unit == "cases"
    assert steps["funnel.served"].denominator is None  # 3,516 people are no share of 4,013 cases
    assert (funnel.numerator, funnel.denominator) == (1525, 3516)
    assert any("no conversion from 'consultations' (cases)" in r.en for r in funnel.explanation.reasons)


def test_every_kpi_cites_a_document_or_says_it_is_employkits() -> None:
    for kpi in national_kpis():
        source = kpi.meta.source
        assert source is not None, kpi.meta.rule_id
        if source.document == "employkit definition":
            assert kpi.meta.description is not None and kpi.meta.description.en.startswith("employkit definition")
        else:
            assert source.document.startswith("seeds/") and source.locator, kpi.meta.rule_id
