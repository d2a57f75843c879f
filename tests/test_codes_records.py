"""Issue 18's acceptance for codes: real records from Busan, Gyeonggi, Sejong and Wanju (old and new).

Each validates at the edge and through the Python API, resolves to its name and province,
counts as a resident of its centre (residence by the current code) and matches by km.
"""

from __future__ import annotations

import datetime as dt

import pytest

from employkit.codes import current_region, district_km, province_of, region_name
from employkit.dataset import Dataset
from employkit.errors import DataError
from employkit.metrics.report import kpi_report
from employkit.model import Centre, CentreLevel, EmploymentType, Placement, Seeker, Vacancy
from employkit.sources.tables import build_dataset, validate_tables
from employkit.testing import make_system

# (centre region, seeker residence, registered on, expected name, province)
CASES = [
    ("26110", "26110", dt.date(2015, 3, 2), "부산광역시 중구", "26"),
    ("41135", "41135", dt.date(2019, 5, 7), "경기도 성남시 분당구", "41"),
    ("36110", "36110", dt.date(2020, 9, 1), "세종특별자치시", "36"),
    ("52710", "45710", dt.date(2023, 4, 3), "전라북도 완주군", "45"),  # old code, new centre
    ("52710", "52710", dt.date(2025, 2, 3), "전북특별자치도 완주군", "52"),
    ("45710", "52710", dt.date(2025, 2, 3), "전북특별자치도 완주군", "52"),  # centre configured with the old code
]


def _seeker_row(code: str, day: dt.date) -> dict[str, str]:
    return {"seeker_id": "S1", "birth_year": "1970", "residence_code": code, "registered_on": day.isoformat()}


@pytest.mark.parametrize(("centre", "code", "day", "name", "province"), CASES)
def test_records_validate_resolve_and_count_as_residents(
    centre: str, code: str, day: dt.date, name: str, province: str
) -> None:
    data = build_dataset({"seekers": [_seeker_row(code, day)]})
    assert data.seekers[0].residence_code == code  # the record keeps its own code
    assert region_name(code) == name and province_of(code) == province
    seeker = data.seekers[0]
    placement = Placement(
        placement_id="P1",
        seeker_id="S1",
        employer_id="E1",
        start_date=day + dt.timedelta(days=30),
        employment_type=EmploymentType.REGULAR,
    )
    home = Centre(name="centre", level=CentreLevel.DISTRICT, region_code=centre)
    report = kpi_report(
        Dataset(seekers=(seeker,), placements=(placement,), centre=home),
        make_system(),
        day + dt.timedelta(days=60),
        by="resident",
        only=["placements"],
        publish=False,
    )
    assert report.get("placements").value.breakdown["resident"].numerator == 1


def test_records_match_by_km_between_district_centroids() -> None:
    from employkit.matching import score

    system = make_system()

    def place(home: str, work: str) -> float:
        s = Seeker(seeker_id="S1", residence_code=home, registered_on=dt.date(2025, 2, 3), birth_year=1970)
        v = Vacancy(
            vacancy_id="V1",
            employer_id="E1",
            occupation="5611",
            openings=1,
            employment_type=EmploymentType.REGULAR,
            region_code=work,
            posted_on=dt.date(2025, 2, 3),
        )
        result = score(s, v, system, as_of=dt.date(2025, 2, 10))
        component = result.component("place")
        assert component.explanation.inputs["distance_from"] == "district centroids"
        return component.value

    assert place("45710", "52710") == 1.0  # the same county under its old and new code
    assert place("26110", "26110") == 1.0
    assert place("41135", "41131") > place("41135", "41150")  # 분당구: 수정구 is nearer than 의정부시
    assert place("36110", "26110") == 0.0  # Sejong to Busan: beyond 40 km
    assert 0.0 < place("36110", "44130") < 1.0  # Sejong to Cheonan: about 28 km
    assert district_km("45710", "52710") == 0.0


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"residence_code": "26999"}, "unknown region code '26999': no such 시군구 under 부산광역시"),
        ({"desired_occupation": "5699"}, "unknown KECO occupation code '5699'"),
        ({"desired_occupation": "999999"}, "'999999' is not a KECO code"),
    ],
)
def test_unknown_codes_are_refused_at_the_edge_with_the_reason(row: dict[str, str], reason: str) -> None:
    problems = validate_tables({"seekers": [{**_seeker_row("26110", dt.date(2025, 1, 2)), **row}]})
    assert [p.severity for p in problems] == ["error"]
    assert reason in problems[0].reason
    assert problems[0].column == next(iter(row))


def test_an_expired_code_names_its_successor_and_the_record_keeps_it() -> None:
    rows = {"seekers": [_seeker_row("45710", dt.date(2025, 2, 3))]}
    problems = validate_tables(rows)
    assert [p.severity for p in problems] == ["warning"]
    assert "45710 (전라북도 완주군) was no longer in force on 2025-02-03" in problems[0].reason
    assert "replaced on 2024-01-18 by 52710 (전북특별자치도 완주군)" in problems[0].reason
    data = build_dataset(rows)
    assert data.seekers[0].residence_code == "45710"
    assert current_region("45710") == "52710"


def test_a_code_used_before_it_existed_is_an_error() -> None:
    with pytest.raises(DataError, match=r"52710.*not yet in force on 2023-03-02"):
        build_dataset({"seekers": [_seeker_row("52710", dt.date(2023, 3, 2))]})
