"""National-scale matching: blocking, columnar inputs, exposure, the batch-match CLI.

* the blocked mode (an explicit approximation) gives the one-pair path's top-k restricted
  to the in-block pairs (hypothesis, ties broken by index), the blocks are exactly the
  pairs the rules admit, and it measures its recall against the exact lists (the exact
  engine itself is tested against brute force in test_matching_exact.py);
* the columnar path (arrays, DataFrames, Arrow) scores as the record path;
* block rules come from dated parameters; exposure metrics and the cap.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.errors import DataError, ParameterError
from employkit.matching import BatchScorer, Matcher
from employkit.matching.batch import TopK
from employkit.matching.blocking import BlockedScorer, BlockRules
from employkit.matching.columns import SeekerTable, VacancyTable
from employkit.matching.exposure import cap_exposure, exposure_metrics, gini, truncate
from employkit.model import EmploymentType, Intake, Seeker, Vacancy
from employkit.synth import sample_centre
from employkit.testing import make_pack, make_system, parameters_from_toml

DAY = dt.date(2016, 6, 1)
SYSTEM = make_system()
MATCHER = Matcher(SYSTEM, DAY)
FEW = settings(max_examples=30, deadline=None)

OCCUPATIONS = ["5611", "5612", "5623", "5420", "542", "5", "0295", "0211", "6151", "890", "81"]
REGIONS = ["11140", "11110", "11", "41110", "28177", "26110", "26", "51110", "42110"]
TYPES = list(EmploymentType)
WAGES = [None, 1_500_000, 2_000_000, 2_500_000]  # few values: many ties


@st.composite
def seekers(draw: st.DrawFn) -> Seeker:
    return Seeker(
        seeker_id=f"S{draw(st.integers(0, 999))}",
        residence_code=draw(st.sampled_from(REGIONS)),
        registered_on=dt.date(2016, 1, 4),
        birth_year=draw(st.none() | st.sampled_from([1960, 1980, 1995])),
        desired_occupation=draw(st.none() | st.sampled_from(OCCUPATIONS)),
        desired_wage=draw(st.sampled_from(WAGES)),
        desired_hours=draw(st.none() | st.sampled_from([20.0, 40.0])),
        employment_types=draw(st.frozensets(st.sampled_from(TYPES[:3]), max_size=2)),
        intake=Intake(mobile=draw(st.none() | st.booleans())),
        certificates=draw(st.frozensets(st.sampled_from(["요양보호사", "조리사"]), max_size=1)),
    )


@st.composite
def vacancies(draw: st.DrawFn) -> Vacancy:
    return Vacancy(
        vacancy_id=f"V{draw(st.integers(0, 999))}",
        employer_id="E1",
        occupation=draw(st.sampled_from(OCCUPATIONS)),
        openings=draw(st.integers(1, 3)),
        employment_type=draw(st.sampled_from(TYPES[:3])),
        region_code=draw(st.sampled_from(REGIONS)),
        posted_on=dt.date(2016, 1, 4),
        offered_wage=draw(st.sampled_from(WAGES)),
        hours_per_week=draw(st.none() | st.sampled_from([20.0, 40.0])),
        min_age=draw(st.none() | st.just(30)),
        required_certificates=draw(st.frozensets(st.sampled_from(["요양보호사", "조리사"]), max_size=1)),
    )


def _in_block(rules: BlockRules, s: Seeker, v: Vacancy) -> bool:
    """The blocking rule written out pair by pair (the oracle for the engine's groups)."""
    reach = rules.mobile if s.intake.mobile is True else rules.local
    if reach == "district" and len(s.residence_code) < 5:
        reach = "province"
    home = rules.region_key(s.residence_code, reach)
    return (
        home is not None
        and home == rules.region_key(v.region_code, reach)
        and rules.admits_occupation(s.desired_occupation, v.occupation)
    )


def _expected(matcher: Matcher, ss: list[Seeker], vs: list[Vacancy], rules: BlockRules, k: int) -> list[list[int]]:
    lists = []
    for s in ss:
        scored = [(matcher.score(s, v), j) for j, v in enumerate(vs) if _in_block(rules, s, v)]
        lists.append([j for r, j in sorted(scored, key=lambda p: (-p[0].total, p[1])) if r.eligible][:k])
    return lists


RULES = [
    BlockRules.of(MATCHER),
    BlockRules(local="district", mobile="province", occupation_digits=3, related=(("542", "5623"),)),
    BlockRules(local="province", mobile="national", occupation_digits=0),
]


@FEW
@given(
    st.lists(seekers(), min_size=1, max_size=8),
    st.lists(vacancies(), min_size=1, max_size=10),
    st.integers(1, 4),
    st.sampled_from(range(len(RULES))),
    st.integers(1, 30),
)
def test_blocked_top_k_equals_one_pair_top_k_within_blocks(
    ss: list[Seeker], vs: list[Vacancy], k: int, which: int, chunk: int
) -> None:
    rules = RULES[which]
    engine = BlockedScorer(MATCHER, ss, vs, mode="blocked", rules=rules, chunk_cells=chunk, progress=False)
    mask = engine.blocks.mask()
    assert mask.tolist() == [[_in_block(rules, s, v) for v in vs] for s in ss]
    assert engine.blocks.pairs == int(mask.sum())
    top = engine.top_vacancies(k)
    expected = _expected(MATCHER, ss, vs, rules, k)
    for i in range(len(ss)):
        mine = top.query == i
        assert top.candidate[mine].tolist() == expected[i]
        assert top.rank[mine].tolist() == list(range(1, len(expected[i]) + 1))
    assert [r.total for r in engine.results(top)] == top.total.tolist()
    # the unblocked batch engine, restricted to the in-block pairs, gives the same lists
    totals, eligible = BatchScorer(MATCHER, ss, vs).scores()
    key = np.where(eligible & mask, totals, -np.inf)
    for i in range(len(ss)):
        order = [j for j in np.lexsort((np.arange(len(vs)), -key[i])).tolist() if np.isfinite(key[i, j])][:k]
        assert order == expected[i]
    # and per vacancy: the best in-block seekers, ties by seeker index
    back = engine.top_seekers(k)
    for j in range(len(vs)):
        order = [i for i in np.lexsort((np.arange(len(ss)), -key[:, j])).tolist() if np.isfinite(key[i, j])][:k]
        assert back.candidate[back.query == j].tolist() == order


@FEW
@given(st.lists(seekers(), min_size=1, max_size=6), st.lists(vacancies(), min_size=1, max_size=6))
def test_blocked_scores_equal_the_one_pair_path_with_coordinates(ss: list[Seeker], vs: list[Vacancy]) -> None:
    rng = np.random.default_rng(len(ss) * 31 + len(vs))
    ss = [evolve(s, extra={"latitude": 37 + rng.random(), "longitude": 127 + rng.random()}) for s in ss]
    vs = [evolve(v, extra={"latitude": 37 + rng.random(), "longitude": 127 + rng.random()}) for v in vs]
    engine = BlockedScorer(MATCHER, ss, vs, rules=RULES[2], progress=False)
    top = engine.top_vacancies(len(vs))
    for s, v, t in zip(top.seeker_index.tolist(), top.vacancy_index.tolist(), top.total.tolist(), strict=True):
        assert abs(MATCHER.score(ss[s], vs[v]).total - t) <= 1e-9


def test_blocks_on_the_sample_leave_out_other_occupations_and_keep_a_seekers_best() -> None:
    data = sample_centre()
    seekers, vacancies = list(data.seekers[:300]), list(data.vacancies)
    engine = BlockedScorer(MATCHER, seekers, vacancies, mode="blocked", progress=False, recall_sample=100)
    assert 0 < engine.blocks.pairs < len(seekers) * len(vacancies)
    top = engine.top_vacancies(5, seekers=[0, 7])
    assert sorted(set(top.query.tolist())) == [0, 7]
    assert engine.recall is None  # measured on whole runs only
    full = engine.top_vacancies(5)
    assert engine.scored_pairs == engine.blocks.pairs
    # the recall of the blocked lists against the exact ones, on a seeded sample of seekers
    recall = engine.recall
    assert recall is not None and (recall.sample, recall.k, recall.seed) == (100, 5, 0)
    exact = BlockedScorer(MATCHER, seekers, vacancies, progress=False).top_vacancies(5)
    rng = np.random.default_rng(0)
    pick = set(rng.choice(len(seekers), size=100, replace=False).tolist())
    wanted = [(s, v) for s, v in zip(exact.query.tolist(), exact.candidate.tolist(), strict=True) if s in pick]
    got = {(s, v) for s, v in zip(full.query.tolist(), full.candidate.tolist(), strict=True) if s in pick}
    assert recall.recall == sum(p in got for p in wanted) / len(wanted) < 1.0
    threaded = BlockedScorer(MATCHER, seekers, vacancies, mode="blocked", progress=False, workers=2).top_vacancies(5)
    assert threaded.candidate.tolist() == full.candidate.tolist() and threaded.total.tolist() == full.total.tolist()
    for i in (0, 7):
        assert top.candidate[top.query == i].tolist() == full.candidate[full.query == i].tolist()
    # a vacancy mask (filter) only removes candidates
    keep = np.array([v.region_code == "11140" for v in vacancies])
    masked = engine.top_vacancies(5, vacancy_mask=keep)
    assert keep[masked.candidate].all()


def test_block_rules_come_from_dated_parameters() -> None:
    rules = BlockRules.of(MATCHER)
    assert (rules.local, rules.mobile, rules.occupation_digits) == ("province", "wide_area", 2)
    assert ("542", "5623") in rules.related
    assert rules.wide_areas["41"] == rules.wide_areas["11"] == "capital"
    assert rules.explanation is not None
    used = {u.parameter_id for u in rules.explanation.parameters}
    assert {"matching.block.reach", "matching.block.wide_areas", "matching.block.occupation_digits"} <= used
    assert any("never scored" in r.en for r in rules.explanation.reasons)
    # 강원특별자치도 (51) joins the Gangwon area from 2023-06-11, 전북특별자치도 (52) Honam from 2024-01-18
    assert "51" not in BlockRules.of(SYSTEM, dt.date(2023, 1, 1)).wide_areas
    assert BlockRules.of(SYSTEM, dt.date(2023, 7, 1)).wide_areas["51"] == "gangwon"
    assert "52" not in BlockRules.of(SYSTEM, dt.date(2023, 7, 1)).wide_areas
    assert BlockRules.of(SYSTEM, dt.date(2024, 2, 1)).wide_areas["52"] == "honam"


def test_a_malformed_block_parameter_is_a_parameter_error() -> None:
    override = parameters_from_toml(
        """
        [[parameter]]
        id = "matching.block.reach"
        override = true
          [[parameter.value]]
          from = 2015-01-01
          value = { local = "county", mobile = "national" }
        """
    )
    pack = make_pack("district_test", overrides=["matching.block.reach"], parameters=override)
    with pytest.raises(ParameterError, match=r"matching\.block\.reach\.local"):
        BlockRules.of(make_system(pack), DAY)
    with pytest.raises(ValueError, match="local must be one of"):
        BlockRules(local="county", mobile="national")


# --------------------------------------------------------------------------- columns


def test_columnar_inputs_score_as_records() -> None:
    pd = pytest.importorskip("pandas")
    from employkit.frames import to_frames

    data = sample_centre()
    frames = to_frames(data)
    seekers_df, vacancies_df = frames["seekers"].iloc[:120], frames["vacancies"]
    from_frame = BatchScorer(MATCHER, seekers_df, vacancies_df)
    records = BatchScorer(MATCHER, data.seekers[:120], data.vacancies)
    assert np.array_equal(from_frame.scores()[0], records.scores()[0])
    pairs = ([5, 7, 100], [0, 9, 1301])
    assert [r.explanation for r in from_frame.explain(*pairs)] == [r.explanation for r in records.explain(*pairs)]
    table = SeekerTable.from_frame(seekers_df)
    assert table.record(3).groups == data.seekers[3].groups
    assert table.record(3).intake.mobile == data.seekers[3].intake.mobile
    assert VacancyTable.from_frame(vacancies_df).record(9) == data.vacancies[9]
    korean = seekers_df.rename(
        columns={"seeker_id": "구직자ID", "residence_code": "거주지코드", "desired_wage": "희망임금"}
    )
    assert SeekerTable.from_frame(korean).record(0).desired_wage == data.seekers[0].desired_wage
    assert isinstance(pd.DataFrame, type)


def test_columnar_inputs_from_arrow() -> None:
    pa = pytest.importorskip("pyarrow")
    from employkit.frames import to_frames

    data = sample_centre()
    frames = to_frames(data)
    seekers = SeekerTable.from_arrow(pa.Table.from_pandas(frames["seekers"].iloc[:50]))
    vacancies = VacancyTable.from_arrow(pa.Table.from_pandas(frames["vacancies"]))
    assert vacancies.record(4) == data.vacancies[4]
    engine = BlockedScorer(MATCHER, seekers, vacancies, progress=False)
    same = BlockedScorer(MATCHER, data.seekers[:50], data.vacancies, progress=False)
    a, b = engine.top_vacancies(5), same.top_vacancies(5)
    assert a.candidate.tolist() == b.candidate.tolist() and a.total.tolist() == b.total.tolist()


def test_columns_from_numpy_arrays_and_every_field_match_records() -> None:
    rng = np.random.default_rng(3)
    n, m = 60, 40
    seekers = SeekerTable.from_columns(
        {
            "seeker_id": [f"S{i}" for i in range(n)],
            "residence_code": rng.choice(["11140", "11110", "41110"], n),
            "registered_on": np.full(n, np.datetime64("2016-01-04")),
            "birth_date": np.array(["1970-06-02", "1980-05-31", None] * 20, dtype=object),
            "desired_occupation": rng.choice(np.array(["5611", "5623", None], dtype=object), n),
            "desired_wage": rng.choice([1_500_000.0, np.nan], n),
            "desired_hours": rng.choice([20.0, 40.0, np.nan], n),
            "employment_types": rng.choice(["", "regular", "regular;daily"], n),
            "mobile": rng.choice(np.array([True, False, None], dtype=object), n),
            "skills": rng.choice(["", "엑셀", "엑셀;운전"], n),
            "certificates": rng.choice(["", "요양보호사"], n),
            "latitude": rng.choice([37.5, np.nan], n),
            "longitude": np.full(n, 127.0),
        }
    )
    vacancies = VacancyTable.from_columns(
        {
            "vacancy_id": [f"V{j}" for j in range(m)],
            "employer_id": ["E1"] * m,
            "occupation": rng.choice(["5611", "5623", "0295"], m),
            "openings": rng.integers(1, 4, m),
            "employment_type": rng.choice(["regular", "daily", "정규직"], m),
            "region_code": rng.choice(["11140", "41110"], m),
            "posted_on": ["2016-01-04"] * m,
            "offered_wage": rng.choice([1_400_000, 1_600_000], m),
            "hours_per_week": rng.choice([20.0, 40.0], m),
            "min_age": rng.choice([30.0, np.nan], m),
            "max_age": rng.choice([60.0, np.nan], m),
            "required_skills": rng.choice(["", "엑셀"], m),
            "optional_skills": rng.choice(["", "운전"], m),
            "required_certificates": rng.choice(["", "요양보호사"], m),
            "latitude": rng.choice([37.6, np.nan], m),
            "longitude": np.full(m, 127.1),
        }
    )
    s_records = [seekers.record(i) for i in range(n)]
    v_records = [vacancies.record(j) for j in range(m)]
    assert s_records[0].age_on(DAY) == 45 and s_records[1].age_on(DAY) == 36
    columnar = BatchScorer(MATCHER, seekers, vacancies).scores()
    objects = BatchScorer(MATCHER, s_records, v_records).scores()
    assert np.abs(columnar[0] - objects[0]).max() <= 1e-12
    assert (columnar[1] == objects[1]).all()
    single = np.array([[MATCHER.score(s, v).total for v in v_records] for s in s_records])
    assert np.abs(columnar[0] - single).max() <= 1e-9


def test_bad_columns_are_data_errors_with_row_and_column() -> None:
    with pytest.raises(DataError) as caught:
        SeekerTable.from_columns(
            {
                "seeker_id": ["S1", "S2", "S3"],
                "residence_code": ["11140", "Seoul", "11"],
                "registered_on": ["2016-01-04", "yesterday", None],
                "desired_wage": [1_000_000, -5, None],
            }
        )
    found = {(p.row, p.column) for p in caught.value.problems}
    assert {(2, "residence_code"), (2, "registered_on"), (3, "registered_on"), (2, "desired_wage")} <= found
    with pytest.raises(DataError, match="openings"):
        VacancyTable.from_columns(
            {
                "vacancy_id": ["V1"],
                "employer_id": ["E1"],
                "occupation": ["5611"],
                "openings": [0],
                "employment_type": ["regular"],
                "region_code": ["11140"],
                "posted_on": ["2016-01-04"],
            }
        )
    with pytest.raises(DataError, match="required column is missing"):
        VacancyTable.from_columns({"vacancy_id": ["V1"]})


# --------------------------------------------------------------------------- exposure


def test_gini_and_exposure_metrics() -> None:
    assert gini([5, 5, 5]) == 0.0
    assert gini([0, 0, 0, 0]) == 0.0
    assert abs(gini([0, 0, 0, 10]) - 0.75) < 1e-12
    m = exposure_metrics([0, 0, 0, 1], 4, top_fraction=0.25)
    assert (m.recommended, m.coverage, m.max_exposure, m.top_share) == (2, 0.5, 3, 0.75)
    assert [r[0] for r in m.rows("en")][:2] == ["vacancies", "recommendations"]


@FEW
@given(
    st.lists(st.lists(st.integers(0, 6), min_size=1, max_size=6, unique=True), min_size=1, max_size=12),
    st.integers(1, 3),
    st.integers(1, 4),
)
def test_the_cap_is_never_exceeded_and_keeps_each_seekers_order(lists: list[list[int]], k: int, cap: int) -> None:
    rows = [(i, v, r + 1, 1.0 - 0.1 * r - 0.001 * i) for i, vs in enumerate(lists) for r, v in enumerate(vs)]
    top = TopK(
        direction="vacancies",
        query=[r[0] for r in rows],
        candidate=[r[1] for r in rows],
        rank=[r[2] for r in rows],
        total=[r[3] for r in rows],
    )
    capped = cap_exposure(top, k=k, cap=cap)
    assert np.bincount(capped.candidate, minlength=7).max() <= cap
    for i, vs in enumerate(lists):
        mine = capped.candidate[capped.query == i].tolist()
        assert len(mine) <= k
        assert mine == [v for v in vs if v in mine]  # a sub-list, in the seeker's order
        assert capped.rank[capped.query == i].tolist() == list(range(1, len(mine) + 1))
    # a cap no vacancy reaches changes nothing
    loose = cap_exposure(top, k=k, cap=len(lists) + 1)
    assert loose.candidate.tolist() == truncate(top, k).candidate.tolist()


def test_a_cap_spreads_the_sample_centres_recommendations() -> None:
    data = sample_centre()
    engine = BlockedScorer(MATCHER, data.seekers[:400], data.vacancies, progress=False)
    top = engine.top_vacancies(20)
    before = exposure_metrics(truncate(top, 10).vacancy_index, len(data.vacancies))
    capped = cap_exposure(top, k=10, cap=20)
    after = exposure_metrics(capped.vacancy_index, len(data.vacancies))
    assert after.max_exposure <= 20 < before.max_exposure
    assert after.coverage > before.coverage and after.gini < before.gini


# --------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def small_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    from employkit.frames import to_frames
    from employkit.synth import JUNGGU_2015, build

    folder = tmp_path_factory.mktemp("centre")
    frames = to_frames(build(JUNGGU_2015.scaled(150, 60, seed=9)))
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return str(folder)


def test_cli_batch_match(
    run_cli: Callable[..., subprocess.CompletedProcess[str]], small_source: str, tmp_path: Path
) -> None:
    out = tmp_path / "lists.csv"
    result = run_cli(
        "batch-match", "--source", small_source, "--top", "3", "--cap", "5", "--allocate", "greedy",
        "--as-of", "2015-12-31", "--format", "json", "--out", str(out), "--no-progress", "--workers", "2",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["exposure_after"]["max_exposure"] <= 5
    assert summary["allocation"]["over_capacity"] == 0
    assert summary["allocation"]["blocking_pairs"] == 0  # greedy on one common score is stable
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == summary["written"] == summary["rows"]
    assert {"seeker_id", "rank", "vacancy_id", "total", "allocated"} <= set(rows[0])
    assert summary["mode"] == "exact" and summary["recall"] is None
    assert 0 < summary["scored_pairs"] <= summary["pairs"]
    table = run_cli("batch-match", "--source", small_source, "--top", "2", "--as-of", "2015-12-31", "--lang", "en")
    assert table.returncode == 0 and "coverage of vacancies" in table.stdout and "seconds:" in table.stdout
    assert "exact top-k" in table.stdout
    # the approximation only on request, with its measured recall
    approx = run_cli(
        "batch-match", "--source", small_source, "--top", "3", "--as-of", "2015-12-31", "--format", "json",
        "--approximate", "--recall-sample", "40",
    )  # fmt: skip
    assert approx.returncode == 0, approx.stderr
    blocked = json.loads(approx.stdout)
    assert blocked["mode"] == "blocked" and blocked["scored_pairs"] == blocked["in_block_pairs"]
    assert blocked["recall"]["sample"] == 40 and 0.0 <= blocked["recall"]["recall"] <= 1.0
    shown = run_cli("batch-match", "--source", small_source, "--top", "3", "--as-of", "2015-12-31", "--approximate")
    assert shown.returncode == 0 and "근사 재현율" in shown.stdout


def test_cli_batch_match_bad_source_is_a_message(
    run_cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    result = run_cli("batch-match", "--source", str(tmp_path / "missing"))
    assert result.returncode == 2 and "error" in result.stderr


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from employkit.matching.blocking import show_progress

    data = sample_centre()
    BlockedScorer(MATCHER, data.seekers[:30], data.vacancies, progress=True).top_vacancies(3)
    assert "pair" in capsys.readouterr().err
    BlockedScorer(MATCHER, data.seekers[:30], data.vacancies).top_vacancies(3)  # stderr is not a terminal here
    assert capsys.readouterr().err == ""
    assert show_progress(None) is False and show_progress(True) is True


def test_blocks_use_the_code_in_force_so_old_and_new_codes_meet() -> None:
    from employkit.matching.blocking import BlockRules

    rules = BlockRules(local="province", mobile="wide_area", wide_areas={})
    # 완주군: 45710 (전라북도) until 2024-01-17, 52710 (전북특별자치도) since
    assert rules.region_key("45710", "province") == rules.region_key("52710", "province") == "52"
    assert rules.region_key("45710", "district") == "52710"
    assert rules.region_key("11140", "district") == "11140"
