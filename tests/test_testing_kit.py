"""The pack author's kit, run the way a pack's own test suite runs it (pytester)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

PACK_TEST = '''
import datetime as dt
from employkit.testing import parameters_from_toml

def test_my_override(make_system, make_pack):
    params = parameters_from_toml("""
[[parameter]]
id = "metrics.suppression.min_cell"
override = true
[[parameter.value]]
from = 2016-01-01
value = 10
""")
    system = make_system(make_pack("mygu", version="0.2.0", parameters=params))
    use = system.parameter("metrics.suppression.min_cell", dt.date(2016, 1, 1))
    assert (use.value, use.pack, use.overrides) == (10, "mygu", ("national@0.1.0",))
'''

CASES = """
packs: [national]
cases:
  - name: right
    kind: parameter
    as_of: 2016-06-01
    input: {id: labour.minimum_wage.hourly}
    expect: {value: 6030}
  - name: wrong
    kind: parameter
    as_of: 2016-06-01
    input: {id: labour.minimum_wage.hourly}
    expect: {value: 6031}
  - name: expects nothing
    kind: parameter
    input: {id: labour.minimum_wage.hourly}
"""


def test_fixtures_work_in_a_pack_test_suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_pack=PACK_TEST)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_case_files_pass_and_fail_with_clear_messages(pytester: pytest.Pytester) -> None:
    (pytester.path / "mygu.cases.yaml").write_text(CASES, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*mygu.cases.yaml :: wrong: value: expected 6031, got 6030*",
            "*expects nothing: the case expects nothing*",
        ]
    )
