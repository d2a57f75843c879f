"""Tidy frames out of every result, Parquet round trips, intervals and suppression for researchers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from employkit.accountability.audit import fairness_audit
from employkit.frames import read_parquet, to_frame, to_parquet
from employkit.matching.ranking import rank_all
from employkit.metrics.report import kpi_report
from employkit.metrics.series import kpi_series
from employkit.metrics.survival import placement_curves, retention_curves
from employkit.profiling.api import profile_dataset
from employkit.rules import RuleSystem
from employkit.synth import sample_centre

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
DAY = dt.date(2016, 6, 30)
NATIONAL_DAY = dt.date(2022, 1, 3)  # the national typology is in force from 2022


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return RuleSystem.build()


def _results(system: RuleSystem) -> dict[str, object]:
    data = sample_centre()
    report = kpi_report(data, system, DAY, by="age_band", ci=True, publish=False)
    return {
        "report": report,
        "value": report.get("employment_rate").value,
        "series": kpi_series(data, system, "quarter", as_of=DAY, only=["employment_rate", "placements"]),
        "curves": placement_curves(data, DAY, by="gender"),
        "retention": retention_curves(data, DAY),
        "curve": retention_curves(data, DAY).overall,
        "audit": fairness_audit(data, system, NATIONAL_DAY, by=["gender"], sections=["placement", "followup"]),
        "matches": rank_all(data.seekers[:20], data.vacancies[:30], system, top=3, as_of=NATIONAL_DAY),
        "profiles": profile_dataset(data.seekers[:50], system, NATIONAL_DAY, "profiling.seeker.national"),
    }


def test_every_result_is_a_tidy_frame_that_round_trips_through_parquet(system: RuleSystem, tmp_path: Path) -> None:
    for name, result in _results(system).items():
        frame = to_frame(result)
        assert len(frame) > 0, name
        path = to_parquet(result, tmp_path / f"{name}.parquet")
        back = read_parquet(path)
        pd.testing.assert_frame_equal(back, frame, obj=name)


def test_report_rows_are_unrounded_with_the_by_column_and_intervals(system: RuleSystem) -> None:
    report = kpi_report(sample_centre(), system, DAY, by="age_band", ci=True, publish=False)
    frame = to_frame(report)
    # the cohort rate is a proportion of the period's registrants: it carries the interval
    rate = frame[(frame["kpi_id"] == "cohort_employment_rate") & frame["cell"].isna()].iloc[0]
    assert rate["value"] == pytest.approx(1095 * 100 / 3110, abs=1e-12)  # exact, not 35.2
    assert rate["interval_low"] < rate["value"] < rate["interval_high"] and rate["interval_method"] == "wilson"
    cells = frame[(frame["kpi_id"] == "cohort_employment_rate") & frame["cell"].notna()]
    assert set(cells["age_band"]) == set(cells["cell"]) and cells["numerator"].sum() == 1095
    assert {"value", "numerator", "denominator", "interval_low", "interval_high", "suppressed", "by"} <= set(frame)


def test_census_inputs_get_no_interval_and_say_so(system: RuleSystem) -> None:
    inputs = {"population": 421_115, "economically_active": 261_933, "employed": 250_000}
    report = kpi_report(sample_centre(), system, DAY, inputs=inputs, ci=True)
    participation = report.get("participation_rate").value if "participation_rate" in report.kpi_ids() else None
    census = [
        r.value
        for r in report.results
        if not r.error and r.value.value is not None and {"population"} & set(r.value.explanation.inputs)
    ]
    assert census, report.kpi_ids()
    for value in census:
        assert value.interval is None
        assert any("not a binomial sample" in reason.en for reason in value.explanation.reasons)
    assert participation is None or participation.interval is None
    # records-based proportions still get their interval
    assert report.get("cohort_employment_rate").value.interval is not None
    assert to_frame(census[0])["interval_note"].iloc[0].startswith("no confidence interval")


def test_suppression_hides_the_small_count_not_unrelated_cells(system: RuleSystem) -> None:
    published = kpi_report(sample_centre(), system, DAY, by="month")
    truth = kpi_report(sample_centre(), system, DAY, by="month", publish=False)
    placements = published.get("placements").value.breakdown
    seekers = published.get("seekers").value.breakdown
    true_placements = truth.get("placements").value.breakdown
    small = [k for k, c in true_placements.items() if 0 < (c.numerator or 0) < 5]
    assert small  # the sample's first months have few placements starting
    for month in small:
        assert placements[month].suppressed
        assert (
            not seekers[month].suppressed
            and seekers[month].numerator == truth.get("seekers").value.breakdown[month].numerator
        )
