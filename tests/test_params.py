"""Dated parameters: files, periods, and evaluation as of a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from employkit.errors import ParameterError
from employkit.params import load_parameters
from employkit.testing import parameters_from_toml

TWO_PERIODS = """
[[parameter]]
id = "demo.rate"
ko = "데모"
en = "demo"
unit = "percent"
  [[parameter.value]]
  from = 2015-01-01
  to = 2018-12-31
  value = 10
  source = "seeds/000_743a0a447e219bca.txt#L10"
  [[parameter.value]]
  from = 2019-01-01
  value = 12.5
"""


def test_value_in_force_by_date() -> None:
    (p,) = parameters_from_toml(TWO_PERIODS)
    assert p.at(dt.date(2014, 12, 31)) is None
    assert p.at(dt.date(2015, 1, 1)).value == 10  # type: ignore[union-attr]
    assert p.at(dt.date(2018, 12, 31)).value == 10  # type: ignore[union-attr]
    assert p.at(dt.date(2019, 1, 1)).value == 12.5  # type: ignore[union-attr]
    assert str(p.values[0].source) == "seeds/000_743a0a447e219bca.txt#L10"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[parameter]]\nid = "flat"\n[[parameter.value]]\nfrom = 2015-01-01\nvalue = 1', "not namespaced"),
        ('[[parameter]]\nid = "a.b"\n', "needs at least one"),
        ('[[parameter]]\nid = "a.b"\n[[parameter.value]]\nvalue = 1', "needs 'from' and 'value'"),
        ('[[parameter]]\nid = "a.b"\n[[parameter.value]]\nfrom = "soon"\nvalue = 1', "expected a date"),
        ('[[parameter]]\nid = "a.b"\ncolour = 1\n[[parameter.value]]\nfrom = 2015-01-01\nvalue = 1', "unknown key"),
        (
            '[[parameter]]\nid = "a.b"\n[[parameter.value]]\nfrom = 2015-01-01\nvalue = 1\n'
            "[[parameter.value]]\nfrom = 2015-06-01\nvalue = 2",
            "overlaps",
        ),
        (
            '[[parameter]]\nid = "a.b"\n[[parameter.value]]\nfrom = 2015-01-01\nvalue = 1\n'
            '[[parameter]]\nid = "a.b"\n[[parameter.value]]\nfrom = 2016-01-01\nvalue = 1',
            "defined twice",
        ),
    ],
)
def test_bad_parameter_files_name_the_parameter(text: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        parameters_from_toml(text, "demo.toml")


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="cannot read"):
        load_parameters(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[parameter]\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"bad.toml: not valid TOML"):
        load_parameters(bad)


def test_values_are_immutable() -> None:
    (p,) = parameters_from_toml('[[parameter]]\nid = "a.b"\n[[parameter.value]]\nfrom = 2015-01-01\nvalue = [1, 2]')
    assert p.values[0].value == (1, 2)


@given(st.lists(st.integers(1, 400), min_size=1, max_size=6), st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)))
def test_at_most_one_value_in_force(lengths: list[int], day: dt.date) -> None:
    start = dt.date(2010, 1, 1)
    blocks = []
    for n, length in enumerate(lengths):
        end = start + dt.timedelta(days=length)
        blocks.append(f"[[parameter.value]]\nfrom = {start.isoformat()}\nto = {end.isoformat()}\nvalue = {n}\n")
        start = end + dt.timedelta(days=1)
    (p,) = parameters_from_toml('[[parameter]]\nid = "a.b"\n' + "".join(blocks))
    matching = [v for v in p.values if v.in_force(day)]
    assert len(matching) <= 1
    assert (p.at(day) is None) == (not matching)
