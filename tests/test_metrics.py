"""KPIs: the source figures, formulas, inputs, breakdowns, funnels, retention, packs and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest

from employkit.dataset import Dataset
from employkit.errors import ConfigError, ParameterError
from employkit.explain import SourceRef
from employkit.followup.retention import retention_feed
from employkit.labels import Text
from employkit.metrics import KpiDefinition
from employkit.metrics.builtin import national_kpis
from employkit.metrics.kpis import FormulaKpi
from employkit.metrics.measures import Count, Param, Where
from employkit.metrics.numbers import round_half_up, wilson_interval
from employkit.metrics.report import kpi_report
from employkit.metrics.scope import KpiContext, KpiScope, Period
from employkit.model import EmploymentType, FollowUpContact, FollowUpOutcome, Placement, Seeker
from employkit.packs import RuleMeta
from employkit.render.kpis import render_csv, render_html, render_markdown, render_table, to_data
from employkit.rules import RuleSystem
from employkit.synth import sample_centre
from employkit.testing import config_from_toml, make_pack, make_system

AS_OF = dt.date(2016, 6, 30)


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return make_system()


@pytest.fixture(scope="module")
def sample_report(system: RuleSystem):  # type: ignore[no-untyped-def]
    return kpi_report(sample_centre(), system, AS_OF)


# ---------------------------------------------------------------------- the sources' figures


def test_sample_reproduces_junggu_2015(sample_report) -> None:  # type: ignore[no-untyped-def]
    rate = sample_report.get("employment_rate").value
    assert (rate.numerator, rate.denominator, rate.rounded, rate.display) == (1095, 3110, 35.2, "35%")
    assert rate.exact == Fraction(1095 * 100, 3110)
    target = sample_report.get("target_achievement").value
    assert (target.numerator, target.denominator, target.rounded, target.display) == (1095, 2300, 47.6, "48%")
    resident = sample_report.get("resident_share").value
    assert (resident.numerator, resident.denominator, resident.rounded, resident.display) == (482, 1095, 44.0, "44%")
    assert sample_report.get("openings").value.numerator == 2239
    assert sample_report.get("employers").value.numerator == 1302
    assert sample_report.get("openings_per_seeker").value.rounded == 0.72
    assert sample_report.get("openings_filled").value.rounded == 48.9
    # 24 placements pay 2.0M KRW or more (the top band of seeds/000#L601)
    assert sample_report.get("quality_job_share").value.numerator == 24


def test_breakdowns_by_age_and_wage_reproduce_the_source(system: RuleSystem) -> None:
    data = sample_centre()
    by_age = kpi_report(data, system, AS_OF, by="age_band", only=["placements"]).get("placements").value
    assert {k: c.numerator for k, c in by_age.breakdown.items()} == {"20-30s": 139, "40-50s": 595, "60+": 361}
    assert list(by_age.breakdown) == ["20-30s", "40-50s", "60+"]  # band order, not alphabetical
    by_wage = kpi_report(data, system, AS_OF, by="wage_band", only=["placements"]).get("placements").value
    assert {k: c.numerator for k, c in by_wage.breakdown.items()} == {
        "<=1.0M": 309,
        "1.0-1.5M": 581,
        "1.5-2.0M": 181,
        ">=2.0M": 24,
    }
    assert by_wage.breakdown["1.0-1.5M"].label == Text("100~150만원", "1.0–1.5M")


def test_rounding_is_exact_half_up() -> None:
    assert round_half_up(Fraction(1095 * 100, 3110), 1) == round_half_up(Fraction(352, 10), 1)
    assert str(round_half_up(Fraction(5, 2), 0)) == "3"
    assert str(round_half_up(2.675, 2)) == "2.68"  # float 2.675 is 2.67499… in binary
    assert str(round_half_up(Fraction(-5, 2), 0)) == "-3"


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(0, 10, 1.96)
    assert low == 0.0 and round(high, 4) == 0.2775
    low, high = wilson_interval(5, 10, 1.96)
    assert round(low, 4) == 0.2366 and round(high, 4) == 0.7634
    with pytest.raises(ValueError):
        wilson_interval(3, 0, 1.96)


def test_interval_on_request(system: RuleSystem) -> None:
    only = ["employment_rate", "cohort_employment_rate", "target_achievement"]
    report = kpi_report(sample_centre(), system, AS_OF, ci=True, only=only)
    # the cohort rate is a proportion (each seeker counted once); the documents' 취업률 is
    # not (a seeker placed twice counts twice), so only the first has a Wilson interval
    rate = report.get("cohort_employment_rate").value
    assert rate.interval is not None and rate.interval.low < 35.21 < rate.interval.high
    assert rate.interval.level == 0.95
    assert report.get("employment_rate").value.interval is None
    assert report.get("target_achievement").value.interval is None  # not a proportion
    assert (
        kpi_report(sample_centre(), system, AS_OF, only=["cohort_employment_rate"])
        .get("cohort_employment_rate")
        .value.interval
        is None
    )


# ---------------------------------------------------------------------- inputs


GURO = {
    "population": 421_115,
    "economically_active": 261_933,
    "inactive": 159_182,
    "employed": 250_146,
    "unemployed": 11_787,
}


def test_labour_force_rates_from_caller_inputs(system: RuleSystem) -> None:
    report = kpi_report(Dataset(), system, dt.date(2010, 12, 31), year=2010, inputs=GURO)
    keys = report.kpi_ids()
    got = {k: report.get(k).value.rounded for k in keys if k.startswith("labour_force")}
    assert got == {
        "labour_force_participation": 62.2,
        "labour_force_inactive": 37.8,
        "labour_force_employed_share": 95.5,
        "labour_force_employment_rate": 59.4,
        "labour_force_unemployment_rate": 4.5,
    }
    unemployment = report.get("labour_force_unemployment_rate").value
    assert (unemployment.numerator, unemployment.denominator) == (11_787, 261_933)
    assert unemployment.explanation.inputs["unemployed"] == 11_787


def test_missing_inputs_are_named(system: RuleSystem) -> None:
    value = kpi_report(Dataset(), system, dt.date(2010, 12, 31), year=2010).get("labour_force_participation").value
    assert value.value is None and set(value.missing) == {"economically_active", "population"}
    assert any("population" in r.en for r in value.explanation.reasons)


def test_config_inputs_by_year_and_caller_wins() -> None:
    config = config_from_toml(
        """
[metrics.inputs]
jobboard_openings = 100
[metrics.inputs.2020]
new_insured = 400
jobboard_openings = 111
"""
    )
    system = make_system(config=config)
    data = Dataset()
    job = kpi_report(data, system, dt.date(2020, 12, 31), year=2020).get("jobboard_use_rate").value
    assert (job.numerator, job.denominator, job.rounded) == (111, 400, 27.8)
    assert "[metrics.inputs.2020]" in job.explanation.reasons[-1].en
    other = kpi_report(data, system, dt.date(2021, 12, 31), year=2021).get("jobboard_use_rate").value
    assert other.numerator == 100 and other.missing == ("new_insured",)
    given = kpi_report(data, system, dt.date(2020, 12, 31), year=2020, inputs={"new_insured": 500})
    assert given.get("jobboard_use_rate").value.denominator == 500


def test_bad_inputs_are_config_errors(system: RuleSystem) -> None:
    with pytest.raises(ConfigError, match="population"):
        kpi_report(Dataset(), system, AS_OF, inputs={"population": -1})
    bad = make_system(config=config_from_toml('[metrics.inputs]\npopulation = "many"\n'))
    with pytest.raises(ConfigError, match=r"metrics\.inputs\.population"):
        kpi_report(Dataset(), bad, AS_OF, year=2015)


# ---------------------------------------------------------------------- funnels


def test_travel_team_funnel(system: RuleSystem) -> None:
    inputs = {
        "counselled": 941,
        "served": 654,
        "served.referral": 315,
        "served.guidance": 244,
        "served.training": 45,
        "placements": 130,
    }
    funnel = kpi_report(Dataset(), system, dt.date(2021, 6, 15), year=2021, inputs=inputs).get("funnel").value
    steps = {s.kpi_id: s for s in funnel.steps}
    assert steps["funnel.counselled"].numerator == 941
    assert (steps["funnel.served"].numerator, steps["funnel.served"].rounded) == (654, 69.5)
    assert (steps["funnel.placed"].numerator, steps["funnel.placed"].denominator, steps["funnel.placed"].rounded) == (
        130,
        654,
        19.9,
    )
    assert steps["funnel.served.referral"].rounded == 48.2  # 315 of 654
    assert steps["funnel.served.referral"].label == Text("알선", "referral")
    assert (funnel.numerator, funnel.denominator, funnel.rounded) == (130, 941, 13.8)


def test_funnel_skips_a_missing_step(system: RuleSystem) -> None:
    funnel = kpi_report(sample_centre(), system, AS_OF).get("funnel").value
    assert [s.kpi_id for s in funnel.steps] == ["funnel.counselled", "funnel.placed"]
    assert "served" in funnel.missing
    assert any("left out" in r.en for r in funnel.explanation.reasons)


# ---------------------------------------------------------------------- retention


def _seeker(n: int, day: dt.date = dt.date(2015, 1, 5), residence: str = "11140") -> Seeker:
    return Seeker(seeker_id=f"S{n}", residence_code=residence, registered_on=day, birth_year=1970)


def _placement(n: int, start: dt.date, **kw: object) -> Placement:
    return Placement(
        placement_id=f"P{n}",
        seeker_id=f"S{n}",
        employer_id="E1",
        start_date=start,
        employment_type=EmploymentType.REGULAR,
        **kw,  # type: ignore[arg-type]
    )


def _contact(n: int, day: dt.date, outcome: FollowUpOutcome) -> FollowUpContact:
    return FollowUpContact(placement_id=f"P{n}", contacted_on=day, outcome=outcome)


def test_retention_leaves_out_checks_not_yet_due(system: RuleSystem) -> None:
    data = Dataset(
        seekers=[_seeker(n) for n in range(1, 6)],
        placements=[
            _placement(1, dt.date(2015, 3, 2)),  # retained: called after 6 months
            _placement(2, dt.date(2015, 3, 2)),  # left before 6 months
            _placement(3, dt.date(2015, 3, 2)),  # unknown: never reached
            _placement(4, dt.date(2015, 3, 2), ended_on=dt.date(2015, 12, 1)),  # ended after the point
            _placement(5, dt.date(2015, 11, 2)),  # 6-month check due 2016-05-02: not yet due on 2016-03-31
        ],
        followups=[
            _contact(1, dt.date(2015, 9, 3), FollowUpOutcome.STILL_EMPLOYED),
            _contact(2, dt.date(2015, 5, 1), FollowUpOutcome.LEFT_SEEKING),
            _contact(5, dt.date(2015, 11, 9), FollowUpOutcome.STILL_EMPLOYED),
        ],
    )
    value = kpi_report(data, system, dt.date(2016, 3, 31), year=2015, only=["retention_6m"], publish=False)
    six = value.get("retention_6m").value
    assert (six.numerator, six.denominator) == (2, 4)  # placement 5 is not in the cohort
    assert six.explanation.inputs["later"] == 1 and six.explanation.inputs["unknown"] == 1
    lenient = system.with_parameters({"metrics.retention.exclude_unknown": True})
    six = kpi_report(data, lenient, dt.date(2016, 3, 31), year=2015, only=["retention_6m"], publish=False)
    assert (six.get("retention_6m").value.numerator, six.get("retention_6m").value.denominator) == (2, 3)


def test_sample_retention_is_counted_from_its_follow_up_contacts(sample_report) -> None:  # type: ignore[no-untyped-def]
    from employkit.followup.calendar import add_months

    data = sample_centre()
    for months in (1, 3, 6):
        value = sample_report.get(f"retention_{months}m").value
        due = [p for p in data.placements if add_months(p.start_date, months) <= AS_OF]
        feed = retention_feed(due, data.followups, (months,), AS_OF)
        assert (value.numerator, value.denominator) == (sum(r.retained[months] is True for r in feed), len(due))
        assert value.value is not None
    one = sample_report.get("retention_1m").value
    assert one.denominator == 1095 and 50 < one.value < 95
    # the sample's records end with 2015: no contact reaches a year after a 2015 start
    assert sample_report.get("retention_12m").value.value is None


# ---------------------------------------------------------------------- parameters, breakdowns


def test_quality_threshold_is_a_dated_parameter(system: RuleSystem) -> None:
    quality = kpi_report(sample_centre(), system, AS_OF, only=["quality_job_share"]).get("quality_job_share").value
    use = quality.explanation.parameter("metrics.quality_job.min_monthly_wage")
    assert use.value == 2_000_000 and use.source == SourceRef(
        "seeds/000_743a0a447e219bca.txt", "L601 (급여별 취업자: 200만원이상)"
    )
    lower = system.with_parameters({"metrics.quality_job.min_monthly_wage": 1_500_001})
    changed = kpi_report(sample_centre(), lower, AS_OF, only=["quality_job_share"]).get("quality_job_share").value
    assert changed.numerator == 181 + 24


def test_early_placement_uses_add_months() -> None:
    data = Dataset(
        seekers=[_seeker(1, dt.date(2015, 1, 31)), _seeker(2, dt.date(2015, 1, 31))],
        placements=[_placement(1, dt.date(2015, 4, 30)), _placement(2, dt.date(2015, 5, 1))],
    )
    value = kpi_report(data, make_system(), AS_OF, year=2015, publish=False).get("early_placement_share").value
    assert (value.numerator, value.denominator) == (1, 2)


def test_breakdown_by_segment_and_errors(system: RuleSystem) -> None:
    data = sample_centre()
    segments = {s.seeker_id: ("A" if n % 3 else "B") for n, s in enumerate(data.seekers)}
    report = kpi_report(data, system, AS_OF, by="segment", segments=segments, only=["employment_rate"])
    cells = report.get("employment_rate").value.breakdown
    assert set(cells) == {"A", "B"}
    assert sum(c.denominator or 0 for c in cells.values()) == 3110
    with pytest.raises(ConfigError, match="segment"):
        kpi_report(data, system, AS_OF, by="segment")
    with pytest.raises(ConfigError, match="unknown breakdown column"):
        kpi_report(data, system, AS_OF, by="shoe_size")


def test_breakdown_that_does_not_apply_is_left_out(system: RuleSystem) -> None:
    openings = kpi_report(sample_centre(), system, AS_OF, by="age_band", only=["openings"]).get("openings").value
    assert openings.breakdown == {}
    assert any("does not apply" in r.en for r in openings.explanation.reasons)


def test_month_breakdown_and_residence(system: RuleSystem) -> None:
    months = kpi_report(sample_centre(), system, AS_OF, by="month", only=["placements"], publish=False)
    cells = months.get("placements").value.breakdown
    assert sum(c.numerator or 0 for c in cells.values()) == 1095
    assert all(k.startswith("2015-") for k in cells)
    resident = kpi_report(sample_centre(), system, AS_OF, by="resident", only=["placements"]).get("placements").value
    assert resident.breakdown["resident"].numerator == 482
    assert resident.breakdown["resident"].label == Text("관내 주민", "resident")


def test_year_filters_records(system: RuleSystem) -> None:
    empty = kpi_report(sample_centre(), system, AS_OF, year=2016).get("employment_rate").value
    assert (empty.numerator, empty.denominator, empty.value) == (0, 0, None)


def test_cohort_rule_is_explained() -> None:
    data = Dataset(
        seekers=[_seeker(1, dt.date(2014, 12, 1)), _seeker(2, dt.date(2015, 2, 1))],
        placements=[_placement(1, dt.date(2015, 1, 10)), _placement(2, dt.date(2015, 3, 1))],
    )
    report = kpi_report(data, make_system(), AS_OF, year=2015, publish=False)
    cohort = report.get("cohort_employment_rate").value
    assert (cohort.numerator, cohort.denominator) == (1, 1)
    assert any("registered outside the period left out" in r.en for r in cohort.explanation.reasons)
    assert any("employkit definition" in r.en for r in cohort.explanation.reasons)
    # the documents' 취업률 (seeds/000#L11-L12) counts every placement of the period
    rate = report.get("employment_rate").value
    assert (rate.numerator, rate.denominator) == (2, 1)
    assert any("registered outside the period are counted" in r.en for r in rate.explanation.reasons)
    assert not any("employkit definition" in r.en for r in rate.explanation.reasons)


# ---------------------------------------------------------------------- packs and centres


def _youth_kpi() -> FormulaKpi:
    return FormulaKpi(
        meta=RuleMeta(rule_id="metrics.demo.young_placements", title=Text("청년 취업자", "young placements")),
        key="young_placements",
        numerator=Count("placements", where=(Where("age", "lt", 40),)),
        unit="people",
    )


def test_pack_kpi_appears_next_to_built_ins() -> None:
    pack = make_pack("demo", version="2.1.0", kpis=[_youth_kpi()])
    report = kpi_report(sample_centre(), make_system(pack), AS_OF)
    keys = report.kpi_ids()
    assert keys[0] == "employment_rate" and keys[-1] == "young_placements"
    result = report.get("young_placements")
    assert (result.pack, result.pack_version, result.value.numerator) == ("demo", "2.1.0", 139)
    data = to_data(report)
    entry = next(k for k in data["kpis"] if k["id"] == "young_placements")
    assert entry["pack"] == {"name": "demo", "version": "2.1.0"} and entry["explanation"]["pack"] == "demo"
    assert "demo" in render_table(report, "en")


def test_failing_pack_kpi_is_reported_not_fatal() -> None:
    broken = FormulaKpi(
        meta=RuleMeta(rule_id="metrics.demo.broken", title=Text("깨진 지표", "broken")),
        key="broken",
        numerator=Count("placements", where=(Where("monthly_wage", "ge", Param("demo.no_such_parameter")),)),
    )
    report = kpi_report(sample_centre(), make_system(make_pack("demo", kpis=[broken])), AS_OF)
    assert report.get("broken").error is not None and "demo.no_such_parameter" in (report.get("broken").error or "")
    assert report.get("employment_rate").error is None


def test_centre_kpi_from_configuration() -> None:
    config = config_from_toml(
        """
[[metrics.kpis]]
key = "older_share"
ko = "60세 이상 취업자 비율"
en = "placements aged 60+"
numerator = { count = "placements", where = [["age", "ge", 60]] }
denominator = { count = "placements" }
bounded = true
source = "centre plan 2016#p.3"
"""
    )
    report = kpi_report(sample_centre(), make_system(config=config), AS_OF)
    older = report.get("older_share")
    assert older.pack == "centre" and older.rule_id == "metrics.centre.older_share"
    assert (older.value.numerator, older.value.denominator, older.value.rounded) == (361, 1095, 33.0)
    bad = make_system(config=config_from_toml('[[metrics.kpis]]\nkey = "x"\nnumerator = { count = "nobody" }\n'))
    with pytest.raises(ConfigError, match="nobody"):
        kpi_report(sample_centre(), bad, AS_OF)


def test_every_builtin_meets_the_protocol_and_cites_a_source(system: RuleSystem) -> None:
    for kpi in national_kpis():
        assert isinstance(kpi, KpiDefinition)
        assert kpi.meta.rule_id.startswith("metrics.national.")
    assert not system.conflicts and not system.gaps


def test_plain_context_uses_the_calendar_year(system: RuleSystem) -> None:
    rate = next(k for k in system.kpis() if k.meta.rule_id == "metrics.national.employment_rate")
    value = rate.compute(sample_centre(), system.context(dt.date(2015, 12, 31)))
    assert (value.numerator, value.denominator) == (1095, 3110)
    scope = KpiScope(period=Period.year(2015), observed_on=dt.date(2015, 6, 30))
    half = rate.compute(sample_centre(), KpiContext(system, dt.date(2015, 6, 30), scope))
    assert half.denominator is not None and half.denominator < 3110  # records after the observation date left out


# ---------------------------------------------------------------------- renderings and CLI


def test_renderings(sample_report) -> None:  # type: ignore[no-untyped-def]
    csv_text = render_csv(sample_report)
    assert csv_text.splitlines()[0].startswith("id,name_ko,name_en,cell")
    assert "employment_rate,취업률,employment rate,,,,35.2,35%,1095,3110" in csv_text
    md = render_markdown(sample_report, "en", charts={"by age": "chart-1.png"})
    assert "| employment rate | 35.2% | 35% | 1,095 | 3,110 |" in md and "![by age](chart-1.png)" in md
    page = render_html(sample_report, "ko", charts={"연령대별": b"\x89PNG fake"})
    assert page.startswith("<!DOCTYPE html>") and "data:image/png;base64," in page and "취업률" in page


def test_cli_json_acceptance(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("kpi", "--source", "sample", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rate = next(k for k in data["kpis"] if k["id"] == "employment_rate")
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1095, 3110, 35.2)
    assert rate["names"] == {"ko": "취업률", "en": "employment rate"} and rate["unit"] == "%"
    assert rate["explanation"]["rule_id"] == "metrics.national.employment_rate"
    assert data["period"]["label"] == "2015" and data["suppression"] == {"min_cell": 5}


def test_cli_formats_and_errors(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = run_cli("kpi", "--as-of", "2016-06-30", "--by", "age_band", "--kpi", "cohort_employment_rate", "--ci")
    assert table.returncode == 0 and "40-50대" in table.stdout and "33.5–36.9" in table.stdout
    csv_out = run_cli("kpi", "--as-of", "2016-06-30", "--format", "csv", "--kpi", "placements", "--by", "wage_band")
    assert "placements,취업자 수,placements,1.0-1.5M,100~150만원,1.0–1.5M,581" in csv_out.stdout
    inputs = tmp_path / "guro.toml"
    inputs.write_text("[inputs]\npopulation = 421_115\neconomically_active = 261_933\n", encoding="utf-8")
    guro = run_cli("kpi", "--year", "2010", "--inputs", str(inputs), "--input", "unemployed=11,787", "--format", "json")
    kpis = {k["id"]: k for k in json.loads(guro.stdout)["kpis"]}
    assert kpis["labour_force_participation"]["value"] == 62.2
    assert kpis["labour_force_unemployment_rate"]["value"] == 4.5
    bad = run_cli("kpi", "--by", "shoe_size")
    assert bad.returncode == 2 and "unknown breakdown column" in bad.stderr
    assert run_cli("kpi", "--input", "population").returncode == 2
    assert run_cli("kpi", "--kpi", "no_such_kpi").returncode == 2


def test_cli_plot_writes_a_real_png(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    image = pytest.importorskip("matplotlib.image")
    target = tmp_path / "kpi.png"
    result = run_cli("kpi", "--as-of", "2016-06-30", "--plot", str(target), "--kpi", "funnel")
    assert result.returncode == 0, result.stderr
    pixels = image.imread(str(target))
    height, width = pixels.shape[:2]
    assert width >= 800 and height >= 400
    assert float(pixels[..., :3].std()) > 0.05  # not a blank page
    assert (pixels[..., :3] < 0.5).mean() > 0.01  # some dark ink: bars, text


def test_charts_fall_back_to_english_without_hangul(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    from employkit.render import charts

    monkeypatch.setattr(charts, "hangul_font", lambda: None)
    assert charts.chart_lang("ko") == "en"


def test_parameter_with_no_value_in_force_is_an_error_for_that_kpi() -> None:
    system = make_system()
    with pytest.raises(ParameterError):
        system.parameter("metrics.quality_job.min_monthly_wage", dt.date(1999, 1, 1))


def test_on_a_dataset_what_columns_cannot_compute_is_computed_on_the_records() -> None:
    import attrs

    from employkit.metrics.base import KpiValue

    @attrs.frozen
    class Custom:  # a pack's own KPI class with compute() only
        meta: RuleMeta

        def compute(self, data: Dataset, ctx: object) -> KpiValue:
            raise ConfigError("computed on the records")

    born = FormulaKpi(
        meta=RuleMeta(rule_id="metrics.odd.born", title=Text("b", "b")),
        key="born",
        numerator=Count("seekers", where=(Where("born", "ge", 1980),)),  # a record property, not a column
        unit="people",
    )
    system = make_system(
        make_pack("odd", kpis=[Custom(RuleMeta(rule_id="metrics.odd.custom", title=Text("c", "c"))), born])
    )
    data = sample_centre()
    report = kpi_report(data, system, AS_OF)
    assert "computed on the records" in (report.get("metrics.odd.custom").error or "")
    assert report.get("born").error is None
    expected = sum(1 for s in data.seekers if s.born is not None and s.born >= 1980 and s.registered_on.year == 2015)
    assert report.get("born").value.numerator == expected > 0
    assert report.get("employment_rate").value.numerator == 1095
