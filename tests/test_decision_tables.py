"""Decision tables: load-time checks, the columnar engine against a row-by-row oracle,
table typologies in packs, and scalar Python typologies."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from employkit.decision import BOOL, LEVEL, DecisionTable, DecisionTableError, Domain, parse_cell
from employkit.errors import PluginLoadError
from employkit.labels import Text
from employkit.model import Intake, Level, Seeker
from employkit.national.profiling import seeker_table
from employkit.packs import RuleMeta
from employkit.profiling.api import classify_seeker, profile_columns, profile_dataset
from employkit.profiling.base import SeekerTypology, Segment
from employkit.profiling.batch import SeekerColumns
from employkit.profiling.scalar import Decision, ScalarTypology
from employkit.profiling.tables import TableTypology, parse_seeker_typologies
from employkit.testing import make_pack, make_system

DAY = dt.date(2022, 6, 1)
AGE = Domain("number", minimum=0, maximum=150)
DOMAINS = {"level": LEVEL, "bool": BOOL, "age": AGE}


def table(rows: list[dict[str, Any]], policy: str = "unique", inputs: tuple[str, ...] = ("motivation", "ability")):
    spec = {
        "id": "demo.table",
        "hit_policy": policy,
        "input": [{"name": n, "domain": "age" if n == "age" else "level"} for n in inputs],
        "row": rows,
    }
    return DecisionTable.from_mapping(spec, origin="demo-pack/profiling.toml", domains=DOMAINS)


# ---------------------------------------------------------------- load-time checks


def test_a_gap_is_refused_with_the_table_and_an_uncovered_case() -> None:
    t = table(
        [
            {"when": {"motivation": "missing"}, "missing": ["motivation"]},
            {"when": {"motivation": "low"}, "output": "B"},
            {"when": {"motivation": ">= mid", "ability": "low|mid"}, "output": "C"},
        ]
    )
    with pytest.raises(DecisionTableError) as err:
        t.compile()
    text = str(err.value)
    assert "demo-pack/profiling.toml: table demo.table" in text
    assert "no row covers motivation=mid, ability=high" in text
    assert "(4 uncovered combination(s))" in text  # mid or high motivation × high or missing ability


def test_an_overlap_under_unique_names_both_rows_and_a_case() -> None:
    t = table(
        [
            {"when": {"motivation": "any"}, "output": "A"},
            {"when": {"motivation": "low", "ability": ["low", "missing"]}, "output": "B"},
        ]
    )
    with pytest.raises(DecisionTableError, match=r"row 2 overlaps row 1 under the unique hit policy: both match "):
        t.compile()
    with pytest.raises(DecisionTableError, match=r"motivation=low, ability=low"):
        t.compile()


def test_a_row_that_can_never_fire_under_first_is_refused() -> None:
    t = table(
        [
            {"when": {"motivation": "present"}, "output": "A"},
            {"when": {"motivation": "high", "ability": "low"}, "output": "B"},
            {"when": {}, "missing": ["motivation"]},
        ],
        policy="first",
    )
    with pytest.raises(DecisionTableError, match=r"row 2 can never fire: earlier rows take every case.*row 1"):
        t.compile()


def test_a_row_no_input_can_match_is_refused() -> None:
    t = table([{"when": {"age": "< 0"}, "output": "A"}, {"when": {}, "output": "B"}], "first", ("age",))
    with pytest.raises(DecisionTableError, match="row 1 can never fire: no possible input matches it"):
        t.compile()


def test_an_input_needs_a_known_domain_or_a_field() -> None:
    def spec(entry: dict[str, Any]) -> dict[str, Any]:
        return {"id": "demo.table", "input": [{"name": "x", **entry}], "row": [{"when": {}, "output": "A"}]}

    with pytest.raises(DecisionTableError, match=r"input 'x' names no 'domain' \(nor a 'field' of the records\)"):
        DecisionTable.from_mapping(spec({}), origin="demo-pack/profiling.toml", domains=DOMAINS)
    with pytest.raises(DecisionTableError, match=r"input 'x': unknown domain or field 'colour'"):
        DecisionTable.from_mapping(spec({"domain": "colour"}), origin="demo-pack/profiling.toml", domains=DOMAINS)


def test_numeric_ranges_are_checked_on_the_intervals_they_cut() -> None:
    rows = [
        {"when": {"age": "missing"}, "missing": ["age"]},
        {"when": {"age": "< 35"}, "output": "youth"},
        {"when": {"age": "[35, 64]"}, "output": "adult"},
    ]
    with pytest.raises(DecisionTableError, match="no row covers age=65"):
        table(rows, inputs=("age",)).compile()
    ok = table([*rows, {"when": {"age": "> 64"}, "output": "older"}], inputs=("age",)).compile()
    not_18_or_20 = parse_cell("!= 18|20", AGE)
    assert [not_18_or_20.accepts(x, AGE) for x in (17, 18, 19, 20, 21, None)] == [True, False, True, False, True, False]
    ages = np.array([0, 34, 35, 64, 64.5, 65, np.nan])
    assert ok.evaluate({"age": ages}).rows.tolist() == [1, 1, 2, 2, 3, 3, 0]
    # an integer domain has no value between 34 and 35: "< 35" and ">= 35" leave no gap
    table(
        [
            {"when": {"age": "missing"}, "missing": ["age"]},
            {"when": {"age": "<= 34"}, "output": "y"},
            {"when": {"age": ">= 35"}, "output": "a"},
        ],
        inputs=("age",),
    ).compile()


def test_collect_returns_every_matching_row() -> None:
    t = table(
        [
            {"when": {"motivation": "low"}, "output": "counselling"},
            {"when": {"ability": "<= mid"}, "output": "training"},
        ],
        policy="collect",
    ).compile()
    result = t.evaluate({"motivation": np.array([0, 0, 2, -1]), "ability": np.array([0, 2, 1, -1])})
    assert result.hits is not None
    assert result.hits.tolist() == [[True, True], [True, False], [False, True], [False, False]]


@pytest.mark.parametrize(
    ("raw", "domain", "codes"),
    [
        ("上", LEVEL, {2}),
        ("!= low", LEVEL, {1, 2}),
        ("[하, 중]", LEVEL, {0, 1}),
        (["mid", "high"], LEVEL, {1, 2}),
        (True, BOOL, {1}),
        ("예", BOOL, {1}),
        ("未完", BOOL, {0}),
    ],
)
def test_cells_read_codes_aliases_sets_and_ranges(raw: Any, domain: Domain, codes: set[int]) -> None:
    assert parse_cell(raw, domain).codes == frozenset(codes)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"when": {"colour": "red"}, "output": "A"}], "row 1: unknown input(s) colour"),
        ([{"when": {"motivation": "very"}, "output": "A"}], "row 1, input motivation: 'very' is not one of low"),
        ([{"when": {}, "output": "A", "missing": ["motivation"]}], "row 1: give either 'output' or 'missing'"),
        ([{"when": {}, "missing": ["age"]}], "row 1: 'missing' names age, which the table does not read"),
        ([{"when": {"motivation": "> red"}, "output": "A"}], "row 1, input motivation"),
    ],
)
def test_malformed_rows_are_named(rows: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(DecisionTableError, match=re.escape(message)):
        table(rows)


# ---------------------------------------------------------------- the columnar engine against the oracle

LEVEL_CELLS = ["any", "missing", "present", "low", "mid|high", ">= mid", "!= high", ["missing", "low"], "high"]
AGE_CELLS = ["any", "missing", "< 30", "[30, 60]", "> 60", ">= 45", "== 18", "(18, 30]"]


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(
        st.tuples(st.sampled_from(LEVEL_CELLS), st.sampled_from(LEVEL_CELLS), st.sampled_from(AGE_CELLS)),
        min_size=1,
        max_size=6,
    ),
    policy=st.sampled_from(["first", "collect"]),
    records=st.lists(
        st.tuples(st.integers(-1, 2), st.integers(-1, 2), st.one_of(st.none(), st.integers(0, 150), st.floats(0, 150))),
        min_size=1,
        max_size=40,
    ),
)
def test_random_tables_on_columns_equal_the_row_by_row_oracle(
    cells: list[tuple[Any, Any, Any]], policy: str, records: list[tuple[int, int, float | None]]
) -> None:
    rows = [{"when": {"motivation": m, "ability": a, "age": g}, "output": f"o{k}"} for k, (m, a, g) in enumerate(cells)]
    rows.append({"when": {}, "output": "rest"})  # first: nothing uncovered
    spec = table(rows, policy, ("motivation", "ability", "age"))
    try:
        compiled = spec.compile()
    except DecisionTableError:
        assume(False)  # a random row shadowed by an earlier one: refused, as it should be
        raise
    columns = {
        "motivation": np.array([r[0] for r in records]),
        "ability": np.array([r[1] for r in records]),
        "age": np.array([np.nan if r[2] is None else r[2] for r in records], dtype=np.float64),
    }
    result = compiled.evaluate(columns)
    for i, (m, a, g) in enumerate(records):
        expected = compiled.evaluate_one(
            {"motivation": None if m < 0 else m, "ability": None if a < 0 else a, "age": g}
        )
        if policy == "collect":
            assert result.hits is not None and np.flatnonzero(result.hits[i]).tolist() == expected
        else:
            assert [int(result.rows[i])] == expected
            one = {"motivation": m, "ability": a, "age": g}  # a one-record call: same lookup, no arrays
            assert compiled.row_of(one) == expected[0]


@settings(max_examples=40, deadline=None)
@given(
    answers=st.lists(
        st.tuples(*(st.integers(-1, 2) for _ in range(3)), *(st.integers(-1, 1) for _ in range(3))),
        min_size=1,
        max_size=60,
    ),
    options=st.tuples(st.booleans(), st.booleans(), st.booleans()),
)
def test_the_national_table_on_columns_equals_the_oracle(
    answers: list[tuple[int, ...]], options: tuple[bool, ...]
) -> None:
    compiled = seeker_table().compiled
    names = ("employability", "motivation", "ability", "job_field_decided", "economic_hardship", "mobile")
    columns: dict[str, Any] = {n: np.array([a[k] for a in answers]) for k, n in enumerate(names)}
    for name, value in zip(
        ("assume_both_lacking", "assume_nothing_lacking", "assume_undecided_high"), options, strict=True
    ):
        columns[name] = int(value)
    rows = compiled.evaluate(columns, len(answers)).rows
    for i, a in enumerate(answers):
        values = {n: (None if a[k] < 0 else a[k]) for k, n in enumerate(names)}
        values.update({k: v for k, v in columns.items() if k.startswith("assume")})
        assert compiled.evaluate_one(values) == [int(rows[i])]


# ---------------------------------------------------------------- table typologies in packs

BAD_PACK_TOML = """
[[seeker_typology]]
id = "profiling.seeker.{name}"
ko = "시험"
en = "test"
hit_policy = "unique"
  [[seeker_typology.input]]
  name = "motivation"
  field = "intake.motivation"
  [[seeker_typology.segment]]
  code = "B"
  ko = "B형"
  en = "type B"
  [[seeker_typology.row]]
  when = {{ motivation = "low" }}
  output = "B"
  [[seeker_typology.row]]
  when = {{ motivation = "missing" }}
  missing = ["motivation"]
"""

PACK_INIT = """
from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.packs import Layer, PackInfo
from employkit.profiling.tables import load_decision_tables


@hookimpl
def employkit_pack_info():
    return PackInfo(name="{name}", version="0.1.0", layer=Layer.DISTRICT, title=Text("{name}", "{name}"))


@hookimpl
def employkit_seeker_typologies():
    return load_decision_tables(__package__)
"""


def _pack(tmp_path: Path, name: str, toml: str) -> Any:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text(PACK_INIT.format(name=name), encoding="utf-8")
    (folder / "profiling.toml").write_text(toml.format(name=name), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))


def test_a_pack_with_a_gap_in_its_table_is_refused_at_load(tmp_path: Path) -> None:
    module = _pack(tmp_path, "gappack", BAD_PACK_TOML)
    system = make_system(module)
    failure = next(f for f in system.host.failures if f.name == "gappack")
    assert failure.stage == "employkit_seeker_typologies"
    assert "gappack/profiling.toml: table profiling.seeker.gappack: no row covers motivation=mid" in failure.reason
    assert "profiling.seeker.gappack" not in system.rule_ids()
    with pytest.raises(PluginLoadError, match="gappack"):
        make_system(module, strict=True)


def test_a_pack_with_an_overlap_names_the_rows(tmp_path: Path) -> None:
    overlapping = BAD_PACK_TOML + '  [[seeker_typology.row]]\n  when = {{ motivation = "any" }}\n  output = "B"\n'
    module = _pack(tmp_path, "overlappack", overlapping)
    failure = next(f for f in make_system(module).host.failures if f.name == "overlappack")
    assert "table profiling.seeker.overlappack, row 3 overlaps row 1" in failure.reason
    assert "both match motivation=low" in failure.reason


def test_a_complete_table_pack_needs_no_python_and_classifies(tmp_path: Path) -> None:
    complete = BAD_PACK_TOML + '  [[seeker_typology.row]]\n  when = {{ motivation = ">= mid" }}\n  output = "B"\n'
    module = _pack(tmp_path, "okpack", complete)
    system = make_system(module, strict=True)
    typology = system.rule("profiling.seeker.okpack", DAY)
    assert isinstance(typology, TableTypology) and isinstance(typology, SeekerTypology)
    p = classify_seeker(_seeker(motivation=Level.MID), system, DAY, "profiling.seeker.okpack")
    assert p.segment is not None and p.segment.code == "B"
    assert p.explanation.pack == "okpack" and p.explanation.inputs == {"motivation": "mid", "row": 3}


def _seeker(sid: str = "S1", **answers: Any) -> Seeker:
    return Seeker(seeker_id=sid, residence_code="11140", registered_on=dt.date(2022, 1, 3), intake=Intake(**answers))


def test_explanations_are_rendered_only_for_the_rows_asked_for() -> None:
    system = make_system()
    seekers = [_seeker(f"S{k}", job_field_decided=True, employability=Level.HIGH, mobile=k % 2 == 0) for k in range(50)]
    cols = SeekerColumns.from_seekers(seekers, DAY)
    result = profile_columns(cols, system)
    assert result.rows is not None and set(result.rows.tolist()) == {4, 5}  # rows 5 and 6 of the table
    table_typology = seeker_table()
    ctx = system.context(DAY)
    (p,) = table_typology.explain(cols, result, [3], ctx)
    assert p.seeker_id == "S3" and p.segment is not None and p.segment.code == "ready_local"
    assert p.explanation.inputs["row"] == 6 and p.explanation.parameters == ()  # no option mattered
    assert p == profile_dataset(seekers[3:4], system, DAY, "profiling.seeker.national").profiles[0]


def test_parse_errors_name_the_file_and_the_table() -> None:
    data = tomllib.loads(BAD_PACK_TOML.format(name="x").replace('output = "B"', 'output = "Z"', 1))
    with pytest.raises(
        DecisionTableError, match=r"f.toml: table profiling.seeker.x, row 1: output 'Z' is not a segment"
    ):
        parse_seeker_typologies(data, "f.toml")


# ---------------------------------------------------------------- scalar Python typologies


def test_a_scalar_typology_runs_once_per_distinct_combination() -> None:
    calls: list[tuple[Any, ...]] = []

    def rule(values: dict[str, Any], ctx: Any) -> Decision:
        calls.append(tuple(values.values()))
        if values["intake.motivation"] is None:
            return Decision(missing=("intake.motivation",))
        young = values["age"] is not None and values["age"] < 35
        return Decision("youth" if young else "other", reason=Text("연령", "by age"))

    typology = ScalarTypology(
        RuleMeta(rule_id="profiling.seeker.scalar_demo", title=Text("시험", "demo")),
        [Segment("youth", Text("청년", "youth")), Segment("other", Text("기타", "other"))],
        ("intake.motivation", "age"),
        rule,
    )
    system = make_system(make_pack("scalardemo", seeker_typologies=[typology]))
    people = [
        Seeker(
            seeker_id=f"P{k}",
            residence_code="11140",
            registered_on=dt.date(2022, 1, 3),
            birth_year=1990 if k % 3 else 1960,
            intake=Intake(motivation=None if k % 5 == 0 else Level.HIGH),
        )
        for k in range(300)
    ]
    cols = SeekerColumns.from_seekers(people, DAY)
    result = profile_columns(cols, system, typology_id="profiling.seeker.scalar_demo")
    assert len(calls) == len(set(calls)) == 4  # (missing | high) × (aged 32 | aged 62)
    one = profile_dataset(people, system, DAY, "profiling.seeker.scalar_demo")  # one seeker at a time
    assert result.segment_codes() == [p.segment.code if p.segment else None for p in one.profiles]
    assert [result.missing_fields(i) for i in range(300)] == [p.missing for p in one.profiles]
    assert one.profiles[1].protected_used == ("age",) and one.profiles[1].explanation.inputs["age"] == 32
    assert one.profiles[0].missing == ("motivation",)


def test_a_scalar_typology_must_declare_known_fields() -> None:
    with pytest.raises(Exception, match="declare the fields it reads"):
        ScalarTypology(
            RuleMeta(rule_id="profiling.seeker.bad", title=Text("x", "x")),
            [Segment("a", Text("a", "a"))],
            ("intake.colour",),
            lambda values, ctx: Decision("a"),
        )
