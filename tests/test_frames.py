"""pandas DataFrames in and out: dtypes, round trip, validation with table, row and column."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings

from employkit.dataset import Dataset
from employkit.errors import DataError
from employkit.frames import from_frames, to_frames
from employkit.model import EmploymentType, SeekerGroup
from employkit.sources.schema import TABLE_ORDER, TABLES
from employkit.synth import sample_centre
from tests.test_sources import datasets


@settings(max_examples=30, deadline=None)
@given(data=datasets())
def test_round_trip(data: Dataset) -> None:
    frames = to_frames(data)
    assert from_frames(frames, centre=data.centre) == data


def test_frames_have_schema_columns_and_dtypes() -> None:
    data = sample_centre()
    frames = to_frames(data)
    assert list(frames) == list(TABLE_ORDER)
    for table, frame in frames.items():
        assert list(frame.columns)[: len(TABLES[table])] == [c.name for c in TABLES[table]]
    seekers, placements = frames["seekers"], frames["placements"]
    assert len(seekers) == 3110 and len(placements) == 1095
    dtypes = {name: str(seekers[name].dtype) for name in ["birth_year", "desired_hours", "mobile", "registered_on"]}
    assert dtypes == {
        "birth_year": "Int64",
        "desired_hours": "Float64",
        "mobile": "boolean",
        "registered_on": "datetime64[ns]",
    }
    assert str(seekers["motivation"].dtype) == "category" and list(seekers["motivation"].cat.categories) == [
        "low",
        "mid",
        "high",
    ]
    assert str(seekers["groups"].dtype) == "string" and str(seekers["seeker_id"].dtype) == "string"
    assert placements["contract_end"].isna().sum() == sum(p.contract_end is None for p in data.placements)
    assert int(placements["monthly_wage"].sum()) == sum(p.monthly_wage or 0 for p in data.placements)
    older = seekers["groups"].str.split(";").map(lambda gs: "older" in gs).sum()
    assert older == sum(SeekerGroup.OLDER in s.groups for s in data.seekers)
    empty = to_frames(Dataset(seekers=data.seekers[:1]))
    assert len(empty["followups"]) == 0 and list(empty["followups"].columns) == [c.name for c in TABLES["followups"]]


def test_from_frames_accepts_plain_python_values_and_korean_columns() -> None:
    seekers = pd.DataFrame(
        {
            "구직자ID": ["S1", "S2"],
            "출생연도": [1970, 1985.0],
            "residence_code": [11140, "11140"],
            "registered_on": [dt.date(2016, 1, 4), pd.Timestamp("2016-01-05")],
            "groups": [["older", "low_income"], []],
            "employment_types": [("regular",), None],
            "mobile": [True, None],
            "비고": ["x", None],
        },
        index=[10, 20],
    )
    data = from_frames({"seekers": seekers}, origin="study")
    first, second = data.seekers
    assert (first.birth_year, second.birth_year, second.residence_code) == (1970, 1985, "11140")
    assert first.groups == {SeekerGroup.OLDER, SeekerGroup.LOW_INCOME} and second.groups == frozenset()
    assert first.employment_types == {EmploymentType.REGULAR} and first.intake.mobile is True
    assert first.extra == {"비고": "x"} and second.extra == {} and data.origin == "study"


def test_from_frames_reports_every_problem_with_table_row_and_column() -> None:
    frames = to_frames(sample_centre())
    seekers = frames["seekers"].copy()
    seekers.loc[4, "desired_wage"] = -100
    seekers.loc[7, "residence_code"] = "99999"
    placements = frames["placements"].drop(columns=["start_date"])
    with pytest.raises(DataError) as info:
        from_frames({**frames, "seekers": seekers, "placements": placements})
    found = {(p.file, p.table, p.row, p.column) for p in info.value.problems}
    assert found == {
        ("frames['seekers']", "seekers", 5, "desired_wage"),
        ("frames['seekers']", "seekers", 8, "residence_code"),
        ("frames['placements']", "placements", None, "start_date"),
    }
    assert "negative wage" in str(info.value)
    with pytest.raises(DataError, match="the seekers table is required"):
        from_frames({"employers": frames["employers"]})
