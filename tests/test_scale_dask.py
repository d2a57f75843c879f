"""The batch job on Dask gives the single-machine result, row for row: exact and blocked.

Run on a local ``dask.distributed`` cluster in this process (``processes=False``) and on
the synchronous scheduler, with the vacancies broadcast (fewer vacancies than seekers)
and with the seekers broadcast (fewer seekers).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from employkit.matching import Matcher
from employkit.matching.batch import TopK
from employkit.matching.blocking import BlockedScorer
from employkit.matching.distributed import DaskUnavailable, dask_top_vacancies, partitions
from employkit.synth import sample_centre
from employkit.testing import make_system

pytest.importorskip("dask")
pytest.importorskip("distributed")

MATCHER = Matcher(make_system(), dt.date(2015, 12, 31))


def _same(a: TopK, b: TopK) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("query", "candidate", "rank", "total"))


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as c,
    ):
        yield c


def test_dask_equals_single_machine_on_a_local_cluster(client: object) -> None:
    data = sample_centre()
    keep = np.arange(len(data.vacancies)) % 3 != 0
    exact = BlockedScorer(MATCHER, data.seekers[:1200], data.vacancies, progress=False)
    assert exact.mode == "exact"
    assert _same(dask_top_vacancies(exact, 10, client=client, part_size=500), exact.top_vacancies(10))
    single = exact.scored_pairs
    assert _same(
        dask_top_vacancies(exact, 5, client=client, vacancy_mask=keep, part_size=300),
        exact.top_vacancies(5, vacancy_mask=keep),
    )
    assert 0 < single < 1200 * len(data.vacancies)
    engine = BlockedScorer(MATCHER, data.seekers[:1200], data.vacancies, mode="blocked", progress=False)
    assert len(partitions(engine)) > 1
    assert _same(dask_top_vacancies(engine, 10, client=client), engine.top_vacancies(10))
    assert _same(
        dask_top_vacancies(engine, 5, client=client, vacancy_mask=keep), engine.top_vacancies(5, vacancy_mask=keep)
    )


def test_dask_broadcasting_the_seekers_when_they_are_fewer() -> None:
    data = sample_centre()
    engine = BlockedScorer(MATCHER, data.seekers[:150], data.vacancies, mode="blocked", progress=False)
    assert engine.shape[0] < engine.shape[1]
    assert _same(dask_top_vacancies(engine, 7, scheduler="synchronous"), engine.top_vacancies(7))
    exact = BlockedScorer(MATCHER, data.seekers[:150], data.vacancies, progress=False)
    assert _same(dask_top_vacancies(exact, 7, scheduler="synchronous", part_size=40), exact.top_vacancies(7))


def test_without_dask_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    data = sample_centre()
    engine = BlockedScorer(MATCHER, data.seekers[:20], data.vacancies[:20], progress=False)
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(DaskUnavailable, match=r"employkit\[dask\]"):
        dask_top_vacancies(engine, 3)


def test_the_reach_gate_holds_on_dask_and_in_allocation() -> None:
    from employkit.matching.allocation import allocate
    from employkit.testing import config_from_toml

    config = config_from_toml(
        """
[parameters."matching.gate.reach"]
from = 2015-01-01
value = { local = "district", local_km = 0, mobile = "national", mobile_km = 0 }
"""
    )
    matcher = Matcher(make_system(config=config), dt.date(2015, 12, 31))
    data = sample_centre()
    seekers, vacancies = data.seekers[:200], data.vacancies
    exact = BlockedScorer(matcher, seekers, vacancies, progress=False)
    top = exact.top_vacancies(5)
    assert _same(dask_top_vacancies(exact, 5, scheduler="synchronous", part_size=70), top)
    pairs = zip(top.seeker_index.tolist(), top.vacancy_index.tolist(), strict=True)
    one = [matcher.score(seekers[s], vacancies[v]) for s, v in pairs]
    assert all(r.eligible for r in one)
    ungated = BlockedScorer(MATCHER, seekers, vacancies, progress=False).top_vacancies(5)
    out = [
        (int(s), int(v))
        for s, v in zip(ungated.seeker_index, ungated.vacancy_index, strict=True)
        if "place" in matcher.score(seekers[int(s)], vacancies[int(v)]).gates
    ]
    assert out  # the gate bites on this data: out-of-reach pairs the ungated lists hold ...
    listed = set(zip(top.seeker_index.tolist(), top.vacancy_index.tolist(), strict=True))
    assert not listed & set(out)  # ... are in no gated list
    plan = allocate(top.seeker_index, top.vacancy_index, top.total, [v.openings for v in vacancies], method="greedy")
    assert all(matcher.score(seekers[s], vacancies[v]).eligible for s, v in plan.pairs())
