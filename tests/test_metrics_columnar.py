"""The columnar KPI path gives the record path's report, exactly (sample centre, filters, hypothesis)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from employkit.dataset import Dataset
from employkit.errors import ConfigError, DataError
from employkit.frames import to_frames
from employkit.labels import Text
from employkit.metrics.base import KpiValue
from employkit.metrics.columnar import ColumnData, _add_months
from employkit.metrics.frame import DIMENSIONS
from employkit.metrics.kpis import FormulaKpi
from employkit.metrics.measures import Count, Difference, Param, Sum, Where, Within
from employkit.metrics.report import KpiReport, kpi_report, kpi_report_frames
from employkit.model import FollowUpContact, FollowUpOutcome
from employkit.packs import RuleMeta
from employkit.render.kpis import to_data
from employkit.rules import RuleSystem
from employkit.synth import JUNGGU_2015, SynthSpec, build, sample_centre
from employkit.testing import make_pack, make_system

AS_OF = dt.date(2016, 6, 30)
SYSTEM = make_system()


def _kpi(key: str, numerator: object, denominator: object = None, *, bounded: bool = False) -> FormulaKpi:
    return FormulaKpi(
        meta=RuleMeta(rule_id=f"metrics.test.{key}", title=Text(key, key)),
        key=key,
        numerator=numerator,  # type: ignore[arg-type]
        denominator=denominator,  # type: ignore[arg-type]
        unit="%" if denominator is not None else "people",
        bounded=bounded,
    )


#: Filters of every kind, on own, derived, linked and dimension columns.
FILTER_KPIS = [
    _kpi("youth", Count("placements", where=[Where("age", "lt", 35)]), Count("placements"), bounded=True),
    _kpi("women", Count("placed_seekers", where=[Where("seeker.gender", "eq", "F")]), Count("seekers")),
    _kpi("in_codes", Count("placements", where=[Where("occupation", "in", ("5611", "5420"))])),
    _kpi("not_in", Count("placements", where=[Where("employment_type", "not_in", ("regular",))])),
    _kpi("prefix", Count("seekers", where=[Where("residence_code", "prefix", ("1114", "1111"))])),
    _kpi("groups_has", Count("seekers", where=[Where("groups", "has", "older")])),
    _kpi("types_has", Count("seekers", where=[Where("employment_types", "has", "regular")])),
    _kpi("absent", Count("placements", where=[Where("monthly_wage", "absent")])),
    _kpi("wage_band", Count("placements", where=[Where("wage_band", "eq", "1.0-1.5M"), Where("age", "ge", 40)])),
    _kpi("ne", Count("vacancies", where=[Where("hires", "ne", 0)])),
    _kpi("gt", Sum("vacancies", "openings", where=[Where("offered_wage", "gt", 1_500_000)])),
    _kpi("le", Sum("placements", "monthly_wage", where=[Where("monthly_wage", "le", 1_200_000)])),
    _kpi("hours", Sum("seekers", "desired_hours")),
    _kpi("partner", Count("employers", where=[Where("partner", "eq", True)])),
    _kpi("link_field", Count("placements", where=[Where("residence_code", "prefix", "11140")])),
    _kpi("industry", Count("vacancies", where=[Where("employer.industry", "present")])),
    _kpi("quality", Count("placements", where=[Where("wage", "ge", Param("metrics.quality_job.min_monthly_wage"))])),
    _kpi(
        "early",
        Count("placements", where=[Within("start_date", "seeker.registered_on", 2)]),
        Count("placements"),
        bounded=True,
    ),
    _kpi("left_over", Difference(Sum("vacancies", "openings"), Sum("vacancies", "hires"))),
    _kpi("contacts", Count("followups", where=[Where("outcome", "in", ("still_employed", "renewed"))])),
    _kpi("contact_age", Count("followups", where=[Where("age", "ge", 50), Where("seeker.is_resident", "eq", True)])),
]
PACK = make_pack("columnar_test", version="1.0.0", kpis=FILTER_KPIS)
FULL = make_system(PACK)


def _frames_report(data: Dataset, system: RuleSystem, **kw: object) -> KpiReport:
    return kpi_report_frames(to_frames(data), system, centre=data.centre, origin=data.origin, **kw)  # type: ignore[arg-type]


def _assert_same(a: KpiReport, b: KpiReport) -> None:
    assert [r.rule_id for r in a.results] == [r.rule_id for r in b.results]
    for ra, rb in zip(a.results, b.results, strict=True):
        assert rb.error is None or rb.error == ra.error, rb.error
        assert ra == rb, ra.rule_id
    assert a == b
    assert to_data(a) == to_data(b)


@pytest.fixture(scope="module", autouse=True)
def _records_without_pandas() -> Iterator[None]:
    """``kpi_report`` on a Dataset as it runs without pandas (on its records): the peer the columns are checked against.

    With pandas, ``kpi_report`` computes on columns itself; the record path stays the
    one a plain install (no ``employkit[pandas]``) runs, so it is still held to the same report.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("employkit.metrics.report._columns_of", lambda _data: None)
        yield


@pytest.fixture(scope="module")
def sample() -> tuple[Dataset, dict[str, pd.DataFrame]]:
    data = sample_centre()
    return data, to_frames(data)


@pytest.mark.parametrize("by", [None, *sorted(DIMENSIONS.keys() - {"segment"}), "via_referral", "seeker.gender"])
def test_sample_equals_the_record_path_for_every_breakdown(by: str | None, sample) -> None:  # type: ignore[no-untyped-def]
    data, frames = sample
    for publish in (True, False):
        expected = kpi_report(data, FULL, AS_OF, by=by, publish=publish)
        found = kpi_report_frames(frames, FULL, AS_OF, by=by, publish=publish, centre=data.centre, origin=data.origin)
        _assert_same(expected, found)
    if by is None:
        rate = found.get("employment_rate").value
        assert (rate.numerator, rate.denominator, rate.display) == (1095, 3110, "35%")
        assert found.get("early").value.numerator > 0 and found.get("contacts").value.numerator is not None


def test_sample_retention_segments_intervals_and_inputs(sample) -> None:  # type: ignore[no-untyped-def]
    data, _ = sample
    segments = {s.seeker_id: ("a" if n % 3 else "b") for n, s in enumerate(data.seekers) if n % 7}
    for as_of in (dt.date(2015, 9, 30), dt.date(2017, 3, 31)):
        kw = {"by": "segment", "segments": segments, "ci": True, "inputs": {"referrals": 900, "counsellors": 3}}
        expected = kpi_report(data, FULL, as_of, year=2015, **kw)  # type: ignore[arg-type]
        _assert_same(expected, _frames_report(data, FULL, as_of=as_of, year=2015, **kw))


def test_retention_statuses_from_contacts_and_end_dates() -> None:
    data = sample_centre()
    first = data.placements[:40]
    contacts = [
        FollowUpContact(
            placement_id=p.placement_id,
            contacted_on=p.start_date + dt.timedelta(days=20 + 11 * (n % 9)),
            outcome=list(FollowUpOutcome)[n % len(FollowUpOutcome)],
        )
        for n, p in enumerate(first)
        for _ in range(1 + n % 2)
    ]
    ended = [
        attrs.evolve(p, ended_on=p.start_date + dt.timedelta(days=15 + 30 * (n % 5))) if n % 4 == 0 else p
        for n, p in enumerate(first)
    ]
    small = Dataset(
        seekers=data.seekers,
        employers=data.employers,
        vacancies=data.vacancies,
        placements=ended,
        followups=contacts,
        centre=data.centre,
    )
    for by in (None, "age_band", "resident"):
        expected = kpi_report(small, SYSTEM, dt.date(2016, 2, 1), year=2015, by=by, publish=False)
        found = _frames_report(small, SYSTEM, as_of=dt.date(2016, 2, 1), year=2015, by=by, publish=False)
        _assert_same(expected, found)
        one = found.get("retention_1m").value
        assert one.value is not None and 0 < one.numerator < one.denominator  # contacts and end dates reach
        assert found.get("retention_12m").value.value is None  # not due by the observation date


@st.composite
def centres(draw: st.DrawFn) -> SynthSpec:
    seekers = draw(st.integers(20, 160))
    spec = JUNGGU_2015.scaled(seekers, draw(st.integers(1, 30)), seed=draw(st.integers(0, 10_000)))
    placements = draw(st.integers(1, seekers))
    return attrs.evolve(
        spec,
        placements=placements,
        resident_placements=draw(st.integers(0, placements)),
        centre=JUNGGU_2015.centre,
    )


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    centres(),
    st.sampled_from([None, "age_band", "wage_band", "occupation", "resident", "month", "gender", "employment_type"]),
    st.booleans(),
    st.dates(dt.date(2015, 3, 1), dt.date(2016, 12, 31)),
)
def test_synthetic_centres_give_the_same_report(spec: SynthSpec, by: str | None, publish: bool, as_of: dt.date) -> None:
    data = build(spec)
    expected = kpi_report(data, FULL, as_of, year=2015, by=by, publish=publish)
    _assert_same(expected, _frames_report(data, FULL, as_of=as_of, year=2015, by=by, publish=publish))


@settings(max_examples=60, deadline=None)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), st.integers(-30, 30))
def test_add_months_on_arrays_matches_the_calendar(day: dt.date, months: int) -> None:
    from employkit.followup.calendar import add_months

    found = _add_months(np.array([np.datetime64(day, "ns"), np.datetime64("NaT", "ns")]), months)
    assert found[0] == np.datetime64(add_months(day, months), "ns") and np.isnat(found[1])


def test_frames_built_directly_with_integer_ids_and_plain_dtypes(sample) -> None:  # type: ignore[no-untyped-def]
    data, frames = sample
    plain = {name: frame.copy() for name, frame in frames.items()}
    seekers, placements = plain["seekers"], plain["placements"]
    number = {sid: n for n, sid in enumerate(seekers["seeker_id"])}
    seekers["seeker_id"] = np.arange(len(seekers))
    placements["seeker_id"] = placements["seeker_id"].map(number).astype(np.int64)
    placements["monthly_wage"] = placements["monthly_wage"].astype("float64")  # NaN for missing
    placements["start_date"] = placements["start_date"].dt.strftime("%Y-%m-%d")
    expected = kpi_report(data, SYSTEM, AS_OF, by="age_band")
    _assert_same(
        expected, kpi_report_frames(plain, SYSTEM, AS_OF, by="age_band", centre=data.centre, origin=data.origin)
    )


def test_what_the_columnar_path_cannot_do_is_a_clear_error(sample) -> None:  # type: ignore[no-untyped-def]
    data, frames = sample

    @attrs.frozen
    class Custom:
        meta: RuleMeta

        def compute(self, data: Dataset, ctx: object) -> KpiValue:
            raise AssertionError("not called")

    born = _kpi("born", Count("seekers", where=[Where("born", "ge", 1980)]))
    system = make_system(
        make_pack("odd", kpis=[Custom(RuleMeta(rule_id="metrics.odd.custom", title=Text("c", "c"))), born])
    )
    report = kpi_report_frames(frames, system, AS_OF, centre=data.centre)
    assert "ColumnarUnsupported" in (report.get("metrics.odd.custom").error or "")
    assert "compute_columns" in (report.get("metrics.odd.custom").error or "")
    assert "born" in (report.get("born").error or "")
    assert report.get("employment_rate").error is None
    with pytest.raises(DataError, match="start_date"):
        kpi_report_frames({**frames, "placements": frames["placements"].drop(columns="start_date")}, SYSTEM, AS_OF)
    with pytest.raises(ConfigError, match="unknown breakdown column"):
        kpi_report_frames(frames, SYSTEM, AS_OF, by="no_such_column")
    with pytest.raises(DataError, match="unknown table"):
        ColumnData({"people": frames["seekers"]})


def test_missing_tables_are_missing_figures_as_in_the_record_path(sample) -> None:  # type: ignore[no-untyped-def]
    data, _ = sample
    only_seekers = Dataset(seekers=data.seekers, centre=data.centre)
    expected = kpi_report(only_seekers, SYSTEM, AS_OF, year=2015)
    found = kpi_report_frames(
        {"seekers": to_frames(only_seekers)["seekers"]}, SYSTEM, AS_OF, year=2015, centre=data.centre
    )
    assert "placements records" in found.get("placements").value.missing
    for ra, rb in zip(expected.results, found.results, strict=True):
        assert ra.value == rb.value, ra.rule_id


def test_age_by_birth_date_counts_the_birthday(sample) -> None:  # type: ignore[no-untyped-def]
    data, _ = sample
    seekers = [
        attrs.evolve(s, birth_date=dt.date(s.born, 1 + n % 12, 1 + n % 28)) if n % 3 == 0 and s.born else s
        for n, s in enumerate(data.seekers)
    ]
    dated = attrs.evolve(data, seekers=seekers)
    for by in ("age_band", None):
        expected = kpi_report(dated, FULL, AS_OF, by=by, publish=False)
        _assert_same(expected, _frames_report(dated, FULL, as_of=AS_OF, by=by, publish=False))
    assert any(s.age_on(s.registered_on) != s.registered_on.year - s.born for s in seekers if s.born)
