"""Properties every KPI must keep, for any records (hypothesis)."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from employkit.dataset import Dataset
from employkit.labels import Text
from employkit.metrics.base import KpiValue
from employkit.metrics.report import KpiReport, kpi_report
from employkit.metrics.suppress import suppress
from employkit.model import Centre, CentreLevel, Employer, EmploymentType, Placement, Seeker, Vacancy
from employkit.testing import make_system

SYSTEM = make_system()
AS_OF = dt.date(2016, 6, 30)
YEAR_START = dt.date(2015, 1, 1)
CENTRE = Centre(name="test", level=CentreLevel.DISTRICT, region_code="11140", targets={2015: 40}, counsellors=2)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    n = draw(st.integers(min_value=0, max_value=25))
    seekers = []
    for i in range(n):
        seekers.append(
            Seeker(
                seeker_id=f"S{i}",
                residence_code=draw(st.sampled_from(["11140", "11110", "1114051000"])),
                registered_on=YEAR_START + dt.timedelta(days=draw(st.integers(-60, 364))),
                birth_year=draw(st.integers(1940, 2000)),
                desired_wage=draw(st.none() | st.integers(800_000, 2_600_000)),
            )
        )
    vacancies = [
        Vacancy(
            vacancy_id=f"V{j}",
            employer_id="E1",
            occupation=draw(st.sampled_from(["5611", "5420", "0295"])),
            openings=draw(st.integers(1, 4)),
            employment_type=EmploymentType.REGULAR,
            region_code="11140",
            posted_on=YEAR_START + dt.timedelta(days=draw(st.integers(0, 364))),
        )
        for j in range(draw(st.integers(0, 6)))
    ]
    placements = []
    for i, s in enumerate(seekers):
        if draw(st.booleans()):
            placements.append(_placement(draw, i, s, vacancies))
    return Dataset(
        seekers=seekers,
        employers=[Employer(employer_id="E1", employees=10, region_code="11140")],
        vacancies=vacancies,
        placements=placements,
        centre=CENTRE,
    )


def _placement(draw: st.DrawFn, i: int, s: Seeker, vacancies: list[Vacancy]) -> Placement:
    return Placement(
        placement_id=f"P{i}",
        seeker_id=s.seeker_id,
        employer_id="E1",
        vacancy_id=draw(st.sampled_from([v.vacancy_id for v in vacancies])) if vacancies else None,
        start_date=s.registered_on + dt.timedelta(days=draw(st.integers(0, 200))),
        employment_type=EmploymentType.REGULAR,
        monthly_wage=draw(st.none() | st.integers(700_000, 3_000_000)),
        occupation=draw(st.sampled_from(["5611", "5420", "0295", "890"])),
        via_referral=draw(st.booleans()),
    )


def _all_values(report: KpiReport) -> list[KpiValue]:
    out = []
    for r in report.results:
        out += [r.value, *r.value.steps, *r.value.breakdown.values()]
    return out


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(datasets(), st.sampled_from([None, "age_band", "wage_band", "resident", "month"]))
def test_rates_stay_within_bounds(data: Dataset, by: str | None) -> None:
    report = kpi_report(data, SYSTEM, AS_OF, year=2015, by=by, publish=False)
    for v in _all_values(report):
        if v.value is None:
            continue
        if v.lower is not None:
            assert v.value >= v.lower, v.kpi_id
        if v.upper is not None:
            assert v.value <= v.upper, v.kpi_id
        if v.bounded and v.numerator is not None and v.denominator is not None:
            assert 0 <= v.numerator <= v.denominator, v.kpi_id


@FAST
@given(datasets(), st.sampled_from(["age_band", "wage_band", "month", "occupation"]), st.integers(2, 12))
def test_suppression_never_shows_a_small_cell(data: Dataset, by: str, min_cell: int) -> None:
    system = SYSTEM.with_parameters({"metrics.suppression.min_cell": min_cell})
    report = kpi_report(data, system, AS_OF, year=2015, by=by)
    assert report.min_cell == min_cell
    for v in _all_values(report):
        people_num, people_den = v.disclosive
        for count, people in ((v.numerator, people_num), (v.denominator, people_den)):
            if people and count is not None:
                assert not 0 < count < min_cell, (v.kpi_id, count)
        if v.suppressed:
            assert v.value is None and v.numerator is None and v.display == "*"


@FAST
@given(datasets(), st.data())
def test_adding_a_placement_never_lowers_the_employment_rate(data: Dataset, extra: st.DataObject) -> None:
    if not data.seekers:
        return
    before = kpi_report(data, SYSTEM, AS_OF, year=2015, only=["employment_rate"], publish=False)
    seeker = extra.draw(st.sampled_from(list(data.seekers)))
    new = Placement(
        placement_id="P-new",
        seeker_id=seeker.seeker_id,
        employer_id="E1",
        start_date=max(seeker.registered_on, YEAR_START) + dt.timedelta(days=extra.draw(st.integers(0, 30))),
        employment_type=EmploymentType.REGULAR,
    )
    after = kpi_report(
        attrs.evolve(data, placements=(*data.placements, new)),
        SYSTEM,
        AS_OF,
        year=2015,
        only=["employment_rate"],
        publish=False,
    )
    b, a = before.get("employment_rate").value, after.get("employment_rate").value
    assert (a.value or 0) >= (b.value or 0)
    assert a.denominator == b.denominator


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 60)), min_size=1, max_size=8), st.integers(2, 10))
def test_secondary_suppression_hides_at_least_two_cells(cells: list[tuple[int, int]], min_cell: int) -> None:
    from employkit.explain import Explanation

    why = Explanation(rule_id="metrics.test.x", pack="test", pack_version="0")

    def value(num: int, den: int, label: str) -> KpiValue:
        return KpiValue(
            kpi_id="x",
            title=Text("x", "x"),
            numerator=num,
            denominator=num + den,
            unit="%",
            value=None if num + den == 0 else num * 100 / (num + den),
            explanation=why,
            bounded=True,
            label=Text(label, label),
        )

    total = value(sum(c[0] for c in cells) + min_cell, sum(c[1] for c in cells) + min_cell, "total")
    total = attrs.evolve(total, breakdown={str(i): value(n, d, str(i)) for i, (n, d) in enumerate(cells)})
    published = suppress(total, min_cell)
    hidden = [c for c in published.breakdown.values() if c.suppressed]
    assert len(hidden) != 1 or len(cells) == 1


@FAST
@given(datasets(), st.sampled_from(["age_band", "wage_band", "resident", "month", "occupation", "gender", "residence"]))
def test_counts_are_the_records_and_cells_add_up_to_them(data: Dataset, by: str) -> None:
    """On the one path: the period's records counted one by one, and every breakdown adds up to its total."""
    report = kpi_report(data, SYSTEM, AS_OF, year=2015, by=by, publish=False)
    in_year = [s for s in data.seekers if s.registered_on.year == 2015]
    placed = [p for p in data.placements if p.start_date.year == 2015 and p.start_date <= AS_OF]
    cohort = {s.seeker_id for s in in_year}
    residents = sum(
        1 for p in placed if next(s for s in data.seekers if s.seeker_id == p.seeker_id).residence_code[:5] == "11140"
    )
    expected = {
        "seekers": (len(in_year) if data.seekers else None, None),
        "placements": (len(placed) if data.placements else None, None),
        "cohort_employment_rate": (
            len({p.seeker_id for p in placed} & cohort) if data.seekers else None,
            len(in_year) if data.seekers else None,
        ),
        "resident_share": ((residents, len(placed)) if data.placements else (None, None)),
    }
    for key, (num, den) in expected.items():
        value = report.get(key).value
        assert (value.numerator, value.denominator) == (num, den), key
        if value.breakdown and value.numerator is not None:
            assert sum(c.numerator or 0 for c in value.breakdown.values()) == value.numerator, key
            if den is not None:
                assert sum(c.denominator or 0 for c in value.breakdown.values()) == value.denominator, key
