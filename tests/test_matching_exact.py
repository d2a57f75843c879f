"""The exact national engine returns the exhaustive top-k, in both directions.

On random small months — few wages and hours (many ties), missing fields, gates (a
required certificate, an excluded employment type, a district's transit limit, a
centre's commute reach ``matching.gate.reach``), and a
district component with a numpy kernel or written as a scalar rule (no group bound: it
is bounded by its maximum) — the exact engine's lists equal brute force: every pair
scored with the same score function, best first, ties by index. The pairs returned
score as the one-pair path does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest
from attrs import evolve, frozen
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.labels import Text
from employkit.matching import Matcher
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.matching.blocking import BlockedScorer
from employkit.matching.bounds import GroupBounds
from employkit.matching.scalar import ScalarComponent, Verdict
from employkit.model import EmploymentType, Intake, Seeker, Vacancy
from employkit.packs import RuleMeta
from employkit.rules import EvalContext
from employkit.testing import config_from_toml, make_pack, make_system, parameters_from_toml
from tests.test_scale import OCCUPATIONS, REGIONS, TYPES, WAGES, seekers  # the same small months

DAY = dt.date(2016, 6, 1)
SOME = settings(max_examples=40, deadline=None)


TRANSIT_META = RuleMeta(
    rule_id="gu.matching.transit",
    title=Text("대중교통 시간", "transit time"),
    parameters=("matching.weight.transit",),
)
WEIGHT = """
[[parameter]]
id = "matching.weight.transit"
[[parameter.value]]
from = 2015-01-01
value = 0.4
source = "district decision"
"""


def _transit(minutes: float | None, mobile: bool) -> tuple[float, bool, bool]:
    """(value, counted, gate): full value within 30 minutes, half within 60; over 90 a gate unless mobile."""
    if minutes is None:
        return 0.0, False, False
    value = 1.0 if minutes <= 30 else 0.5 if minutes <= 60 else 0.0
    return value, True, minutes > 90 and not mobile


class Transit(ScalarComponent):
    """A district's transit-time component written as a scalar rule (evaluated per distinct combination)."""

    meta = TRANSIT_META
    key = "transit"
    seeker_fields = ("mobile",)
    vacancy_fields = ("minutes",)

    def rule(self, seeker: Mapping[str, Any], vacancy: Mapping[str, Any], ctx: EvalContext) -> Verdict:
        minutes = vacancy["minutes"]
        value, counted, gate = _transit(None if minutes is None else float(minutes), seeker["mobile"] is True)
        return Verdict(value=value, missing=not counted, gate=gate, reasons=[Text(f"{minutes}", f"{minutes}")])


@frozen
class VectorisedTransit:
    """The same component with a numpy kernel."""

    meta: RuleMeta = TRANSIT_META
    key: str = "transit"
    seeker_fields: tuple[str, ...] = ("mobile",)
    vacancy_fields: tuple[str, ...] = ("minutes",)

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        def function(seeker: Columns, vacancy: Columns) -> ArrayScores:
            minutes = vacancy["minutes"]
            mobile = seeker["mobile"]
            known = ~np.isnan(minutes)
            value = np.where(minutes <= 30, 1.0, np.where(minutes <= 60, 0.5, 0.0))
            return ArrayScores(
                values=np.where(known, value, 0.0) + np.zeros(np.broadcast(mobile, minutes).shape),
                counted=known & np.ones(np.broadcast(mobile, minutes).shape, dtype=bool),
                gate=known & (minutes > 90) & ~mobile,
            )

        minutes = [m for m in vacancies["minutes"].tolist()]
        return Kernel(
            {"mobile": np.asarray(seekers["mobile"]) == 1},
            {"minutes": np.array([np.nan if m is None else float(m) for m in minutes])},
            function,
        )

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        return pair.result(self, ctx, [Text("통근", "transit")], {"minutes": pair.vacancy["minutes"]})


#: A centre's commute reach: seekers who cannot move only within their province, mobile ones within 150 km.
REACH = config_from_toml(
    """
[parameters."matching.gate.reach"]
from = 2015-01-01
value = { local = "province", local_km = 0, mobile = "national", mobile_km = 150 }
source = "centre decision"
"""
)

MATCHERS = {
    "national": Matcher(make_system(), DAY),
    "reach gate": Matcher(make_system(config=REACH), DAY),
    "reach gate and kernel": Matcher(
        make_system(
            make_pack("gu", match_components=[VectorisedTransit()], parameters=parameters_from_toml(WEIGHT)),
            config=REACH,
        ),
        DAY,
    ),
    "scalar rule": Matcher(
        make_system(make_pack("gu", match_components=[Transit()], parameters=parameters_from_toml(WEIGHT))), DAY
    ),
    "kernel": Matcher(
        make_system(make_pack("gu", match_components=[VectorisedTransit()], parameters=parameters_from_toml(WEIGHT))),
        DAY,
    ),
}


@st.composite
def vacancies(draw: st.DrawFn) -> Vacancy:
    minutes = draw(st.none() | st.sampled_from([20, 45, 70, 120]))
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
        extra={} if minutes is None else {"minutes": minutes},
    )


def _brute(totals: np.ndarray, eligible: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
    """Per row, the k best eligible columns: total descending, ties by column index."""
    out = []
    for row_t, row_e in zip(totals, eligible, strict=True):
        cols = [j for j in np.lexsort((np.arange(row_t.shape[0]), -row_t)).tolist() if row_e[j]][:k]
        out.append([(j, float(row_t[j])) for j in cols])
    return out


def _lists(top: Any, n: int) -> list[list[tuple[int, float]]]:
    out: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for q, c, r, t in zip(
        top.query.tolist(), top.candidate.tolist(), top.rank.tolist(), top.total.tolist(), strict=True
    ):
        assert r == len(out[q]) + 1
        out[q].append((c, t))
    return out


@SOME
@given(
    st.lists(seekers(), min_size=1, max_size=14),
    st.lists(vacancies(), min_size=1, max_size=16),
    st.integers(1, 6),
    st.sampled_from(sorted(MATCHERS)),
    st.integers(0, 3),
    st.sampled_from([1, 7, 1 << 20]),
    st.integers(1, 2),
)
def test_the_exact_engine_equals_brute_force_both_ways(
    ss: list[Seeker], vs: list[Vacancy], k: int, which: str, digits: int, chunk: int, workers: int
) -> None:
    matcher = MATCHERS[which]
    engine = BlockedScorer(matcher, ss, vs, group_digits=digits, chunk_cells=chunk, workers=workers, progress=False)
    n_s, n_v = len(ss), len(vs)
    totals, eligible = engine.plan.score_block(np.arange(n_s), np.arange(n_v))  # every pair, the same function
    top = engine.top_vacancies(k)
    assert _lists(top, n_s) == _brute(totals, eligible, k)
    assert engine.scored_pairs <= n_s * n_v
    back = engine.top_seekers(k)
    assert _lists(back, n_v) == _brute(totals.T, eligible.T, k)
    # the totals are the one-pair path's, gates included
    for s, v, t in zip(top.seeker_index.tolist(), top.vacancy_index.tolist(), top.total.tolist(), strict=True):
        one = matcher.score(ss[s], vs[v])
        assert one.eligible and abs(one.total - t) <= 1e-9
    # filters: a vacancy mask removes candidates (seekers' lists) and queries (vacancies' lists)
    keep = np.arange(n_v) % 2 == 0
    masked = engine.top_vacancies(k, vacancy_mask=keep)
    assert _lists(masked, n_s) == _brute(np.where(keep, totals, 0.0), eligible & keep, k)
    some = engine.top_seekers(k, seeker_mask=np.arange(n_s) % 3 != 1, vacancy_mask=keep)
    s_keep = np.arange(n_s) % 3 != 1
    expected = _brute(totals.T, eligible.T & s_keep, k)
    assert _lists(some, n_v) == [row if keep[j] else [] for j, row in enumerate(expected)]


@SOME
@given(st.lists(seekers(), min_size=1, max_size=10), st.lists(vacancies(), min_size=1, max_size=12))
def test_no_pair_of_a_group_scores_above_its_bound(ss: list[Seeker], vs: list[Vacancy]) -> None:
    for matcher in MATCHERS.values():
        engine = BlockedScorer(matcher, ss, vs, progress=False)
        totals, eligible = engine.plan.score_block(np.arange(len(ss)), np.arange(len(vs)))
        for fine in (False, True):
            group, n = engine.candidate_groups("vacancies", fine)
            bound = GroupBounds.of(engine.plan, "vacancies", group, n).bound(np.arange(len(ss)))
            for j in range(len(vs)):
                assert (np.where(eligible[:, j], totals[:, j], -np.inf) <= bound[:, group[j]]).all()
                # a group whose bound is -inf holds no eligible pair for that seeker
                assert not (eligible[:, j] & np.isneginf(bound[:, group[j]])).any()


def test_the_exact_engine_on_the_sample_centre_and_its_seeker_subset() -> None:
    from employkit.synth import sample_centre

    data = sample_centre()
    matcher = MATCHERS["national"]
    ss, vs = list(data.seekers[:120]), list(data.vacancies)
    engine = BlockedScorer(matcher, ss, vs, progress=False)
    totals, eligible = engine.plan.score_block(np.arange(len(ss)), np.arange(len(vs)))
    top = engine.top_vacancies(10)
    assert _lists(top, len(ss)) == _brute(totals, eligible, 10)
    assert 0 < engine.scored_pairs < len(ss) * len(vs)  # pruning scored fewer than every pair
    part = engine.top_vacancies(10, seekers=[3, 50])
    assert sorted(set(part.query.tolist())) == [3, 50]
    for q in (3, 50):
        assert part.candidate[part.query == q].tolist() == top.candidate[top.query == q].tolist()


def test_modes_are_checked() -> None:
    from employkit.synth import sample_centre

    data = sample_centre()
    with pytest.raises(ValueError, match="mode"):
        BlockedScorer(MATCHERS["national"], data.seekers[:5], data.vacancies[:5], mode="fast")
    with pytest.raises(ValueError, match="group_digits"):
        BlockedScorer(MATCHERS["national"], data.seekers[:5], data.vacancies[:5], group_digits=7)
    missing = [evolve(v, extra={}) for v in data.vacancies[:5]]
    assert BlockedScorer(MATCHERS["kernel"], data.seekers[:5], missing).top_vacancies(2).rank.max() <= 2


@SOME
@given(st.lists(seekers(), min_size=1, max_size=8), st.lists(vacancies(), min_size=1, max_size=8))
def test_the_reach_gate_is_the_same_on_every_path(ss: list[Seeker], vs: list[Vacancy]) -> None:
    from employkit.matching.batch import BatchScorer

    matcher = MATCHERS["reach gate"]
    engine = BlockedScorer(matcher, ss, vs, progress=False)
    totals, eligible = engine.plan.score_block(np.arange(len(ss)), np.arange(len(vs)))  # tabulated
    b_totals, b_eligible = BatchScorer(matcher, ss, vs).scores()  # the records' kernels
    blocked = BlockedScorer(matcher, ss, vs, mode="blocked", progress=False, recall_sample=0)
    in_block = blocked.blocks.mask()
    b_top = blocked.top_vacancies(len(vs))
    for i, s in enumerate(ss):
        for j, v in enumerate(vs):
            one = matcher.score(s, v)
            place = one.component("place")
            assert one.eligible == bool(eligible[i, j]) == bool(b_eligible[i, j])
            assert abs(one.total - totals[i, j]) <= 1e-9 and abs(one.total - b_totals[i, j]) <= 1e-9
            text_ko, text_en = place.explanation.render("ko"), place.explanation.render("en")
            assert "matching.gate.reach" in text_ko and "matching.gate.reach" in text_en
            if place.gate:
                assert "place" in one.gates and "관문 불통과" in text_ko and "gate failed" in text_en
                # out of reach for this seeker: neither mode lists it
                assert not ((b_top.seeker_index == i) & (b_top.vacancy_index == j)).any()
            elif one.eligible and in_block[i, j]:
                assert ((b_top.seeker_index == i) & (b_top.vacancy_index == j)).any()


def test_a_local_seeker_out_of_province_fails_the_reach_gate_and_says_why() -> None:
    seeker = Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=dt.date(2016, 1, 4),
        desired_occupation="5611",
        intake=Intake(mobile=False),
    )
    near = Vacancy(
        vacancy_id="V1",
        employer_id="E1",
        occupation="5611",
        openings=1,
        employment_type=EmploymentType.REGULAR,
        region_code="11110",
        posted_on=dt.date(2016, 1, 4),
    )
    far = evolve(near, vacancy_id="V2", region_code="26110")
    gated = MATCHERS["reach gate"]
    assert gated.score(seeker, near).eligible
    result = gated.score(seeker, far)
    assert not result.eligible and result.gates == ("place",)
    assert "지역이동이 어려운 구직자는 같은 시도 안의 구인만" in result.render("ko")
    assert "seekers who cannot move are offered vacancies within the same province only" in result.render("en")
    assert "gate failed: place" in result.render("en")
    # nationally off: the same pair is eligible; the parameter is cited, no gate is reported
    plain = MATCHERS["national"].score(seeker, far)
    assert plain.eligible and "commute-reach gate" not in plain.render("en")
    assert "parameter matching.gate.reach" in plain.render("en")
    # a mobile seeker within 150 km passes (Seoul to Busan is about 325 km: out of reach)
    mobile = evolve(seeker, intake=Intake(mobile=True))
    assert gated.score(mobile, near).eligible and not gated.score(mobile, far).eligible
    assert "within 150 km of home" in gated.score(mobile, far).render("en")


def test_a_malformed_reach_gate_is_a_parameter_error() -> None:
    from employkit.errors import ParameterError

    bad = config_from_toml(
        """
[parameters."matching.gate.reach"]
from = 2015-01-01
value = { local = "street", local_km = 0, mobile = "national", mobile_km = 0 }
"""
    )
    matcher = Matcher(make_system(config=bad), DAY)
    seeker = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2016, 1, 4))
    vacancy = Vacancy(
        vacancy_id="V1",
        employer_id="E1",
        occupation="5611",
        openings=1,
        employment_type=EmploymentType.REGULAR,
        region_code="11110",
        posted_on=dt.date(2016, 1, 4),
    )
    with pytest.raises(ParameterError, match=r"matching.gate.reach.local: expected one of district, province"):
        matcher.score(seeker, vacancy)
