"""The domain model: validation at construction, enums, and exact JSON round trips."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from employkit.codes import occupations, regions
from employkit.converter import from_json, structure, to_json, unstructure
from employkit.errors import DataError
from employkit.model import (
    Centre,
    CentreLevel,
    Employer,
    EmploymentType,
    FollowUpContact,
    FollowUpOutcome,
    Gender,
    Intake,
    Level,
    Placement,
    Seeker,
    SeekerGroup,
    Vacancy,
)


def test_enum_codes_and_labels() -> None:
    assert EmploymentType.REGULAR == "regular"
    assert EmploymentType.REGULAR.label.ko == "정규직"
    assert EmploymentType.COMMERCIAL_CONTRACT.label.ko == "상용 계약직"
    assert EmploymentType.parse("단기계약직") is EmploymentType.SHORT_TERM_CONTRACT
    assert EmploymentType.parse(" Public Job ") is EmploymentType.PUBLIC_JOB
    assert Level.parse("상") is Level.HIGH
    with pytest.raises(ValueError, match="expected one of: regular, commercial_contract"):
        EmploymentType.parse("permanent")


def test_every_enum_member_has_distinct_codes_and_korean_labels() -> None:
    for enum in (EmploymentType, SeekerGroup, Level, Gender, CentreLevel, FollowUpOutcome):
        codes = [m.code for m in enum]
        labels = [m.label.ko for m in enum]
        assert len(set(codes)) == len(codes)
        assert len(set(labels)) == len(labels)
        assert all(any("\uac00" <= ch <= "\ud7a3" for ch in label) for label in labels), enum


def test_fixed_term_placement_needs_contract_end() -> None:
    with pytest.raises(ValueError, match="contract_end is required for short_term_contract"):
        Placement(
            placement_id="P1",
            seeker_id="S1",
            employer_id="E1",
            start_date=dt.date(2016, 4, 1),
            employment_type=EmploymentType.SHORT_TERM_CONTRACT,
        )
    with pytest.raises(ValueError, match="contract_end is before start_date"):
        Placement(
            placement_id="P1",
            seeker_id="S1",
            employer_id="E1",
            start_date=dt.date(2016, 4, 1),
            contract_end=dt.date(2016, 3, 1),
            employment_type=EmploymentType.SHORT_TERM_CONTRACT,
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"openings": 0}, "openings"),
        ({"offered_wage": -1}, "offered_wage must not be negative"),
        ({"region_code": "Seoul"}, "region_code: .Seoul. is not a region code"),
        ({"occupation": "A12"}, "occupation: .A12. is not a KECO code"),
        ({"hours_per_week": 200}, "hours_per_week must be between 0 and 168"),
        ({"closes_on": dt.date(2015, 1, 1)}, "closes_on is before posted_on"),
    ],
)
def test_vacancy_rejects_bad_values(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "vacancy_id": "V1",
        "employer_id": "E1",
        "occupation": "5611",
        "openings": 2,
        "employment_type": EmploymentType.REGULAR,
        "region_code": "11140",
        "posted_on": dt.date(2016, 1, 4),
    }
    with pytest.raises(ValueError, match=message):
        Vacancy(**{**base, **kwargs})  # type: ignore[arg-type]


def test_seeker_age() -> None:
    s = Seeker(
        seeker_id="S1", residence_code="11140", registered_on=dt.date(2016, 1, 1), birth_date=dt.date(1960, 6, 15)
    )
    assert s.age_on(dt.date(2016, 6, 14)) == 55
    assert s.age_on(dt.date(2016, 6, 15)) == 56
    assert (
        Seeker(seeker_id="S2", residence_code="11", registered_on=dt.date(2016, 1, 1), birth_year=1990).age_on(
            dt.date(2016, 1, 1)
        )
        == 26
    )
    with pytest.raises(ValueError, match="disagree"):
        Seeker(
            seeker_id="S3",
            residence_code="11",
            registered_on=dt.date(2016, 1, 1),
            birth_year=1961,
            birth_date=dt.date(1960, 1, 1),
        )


def test_structure_errors_name_the_field_path() -> None:
    data = {
        "vacancy_id": "V1",
        "employer_id": "E1",
        "occupation": "5611",
        "openings": "many",
        "employment_type": "regular",
        "region_code": "11140",
        "posted_on": "2016-01-04",
    }
    with pytest.raises(DataError) as err:
        structure(data, Vacancy)
    assert [(p.location, p.code) for p in err.value.problems] == [("$.openings", "not_a_number")]
    with pytest.raises(DataError) as err:
        structure({**data, "openings": 1, "colour": "red"}, Vacancy)
    assert [(p.location, p.code) for p in err.value.problems] == [("$.colour", "unknown_field")]


# codes in force over the whole span of ``days`` (the edge checks a code against the record's date)
codes = st.sampled_from(
    sorted(
        c
        for c, r in regions().items()
        if len(c) == 5 and r.valid_on(dt.date(2000, 1, 1)) and r.valid_on(dt.date(2030, 12, 31))
    )
)
ids = st.text(alphabet="ABCDEFGHJK0123456789-", min_size=1, max_size=12)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
levels = st.none() | st.sampled_from(Level)
words = st.frozensets(st.text(alphabet="abc가나다", min_size=1, max_size=5), max_size=3)

seekers = st.builds(
    Seeker,
    seeker_id=ids,
    residence_code=codes,
    registered_on=days,
    birth_year=st.integers(1930, 1999),  # a seeker gives a birth year or date, born before registering
    gender=st.none() | st.sampled_from(Gender),
    desired_occupation=st.none() | st.sampled_from(sorted(occupations())),
    desired_wage=st.none() | st.integers(0, 10_000_000),
    desired_hours=st.none() | st.floats(1, 80, allow_nan=False),
    employment_types=st.frozensets(st.sampled_from(EmploymentType)),
    intake=st.builds(
        Intake,
        job_field_decided=st.none() | st.booleans(),
        employability=levels,
        motivation=levels,
        ability=levels,
        economic_hardship=st.none() | st.booleans(),
        mobile=st.none() | st.booleans(),
    ),
    groups=st.frozensets(st.sampled_from(SeekerGroup)),
    skills=words,
    certificates=words,
)


@given(seekers)
def test_seeker_json_round_trip_is_exact(seeker: Seeker) -> None:
    assert from_json(to_json(seeker), Seeker) == seeker


@given(ids, ids, days, st.integers(0, 400), st.sampled_from(EmploymentType), st.none() | st.integers(0, 9_000_000))
def test_placement_round_trip(
    pid: str, sid: str, start: dt.date, length: int, etype: EmploymentType, wage: int | None
) -> None:
    end = start + dt.timedelta(days=length) if etype.code.endswith(("contract", "public_job")) else None
    p = Placement(
        placement_id=pid,
        seeker_id=sid,
        employer_id="E1",
        start_date=start,
        employment_type=etype,
        contract_end=end,
        monthly_wage=wage,
    )
    assert structure(unstructure(p), Placement) == p


def test_other_records_round_trip() -> None:
    e = Employer(employer_id="E1", employees=12, region_code="11140", wage_level=Level.LOW, uses_job_board=True)
    c = FollowUpContact(placement_id="P1", contacted_on=dt.date(2016, 3, 9), outcome=FollowUpOutcome.STILL_EMPLOYED)
    centre = Centre(
        name="중구 일자리플러스센터", level=CentreLevel.DISTRICT, region_code="11140", targets={2015: 2300, 2016: 2000}
    )
    for obj in (e, c, centre):
        assert from_json(to_json(obj), type(obj)) == obj
    assert '"중구 일자리플러스센터"' in to_json(centre)
