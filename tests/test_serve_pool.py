"""The prepared pool ranks exactly as rank() does, and a served centre reloads it when its files change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from attrs import evolve

from employkit.matching.pool import MatchPool
from employkit.matching.ranking import Filters, rank
from employkit.matching.scoring import Matcher
from employkit.synth import sample_centre
from employkit.testing import make_system

DAY = dt.date(2015, 12, 31)


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return sample_centre()


def _pairs(results):  # type: ignore[no-untyped-def]
    return [(r.seeker_id, r.vacancy_id, round(r.total, 12), r.eligible) for r in results]


@pytest.mark.parametrize("region", [None, "44"])  # 44: Chungnam, whose pack adds a component employkit cannot spread
def test_the_pool_ranks_as_rank_does(data, region: str | None) -> None:  # type: ignore[no-untyped-def]
    if region:
        chungnam = pytest.importorskip("employkit_chungnam")
        matcher = Matcher(make_system(chungnam, region=region), DAY)
        assert "time_selective" in matcher.keys
    else:
        matcher = Matcher(make_system(), DAY)
    pool = MatchPool(matcher, seekers=data.seekers[:400], vacancies=data.vacancies)
    for seeker in data.seekers[::97]:
        for filters, open_only in ((None, True), (None, False), (Filters(region="111", occupation="5"), True)):
            got = pool.top_vacancies(seeker, 7, filters=filters, open_only=open_only)
            want = rank(seeker, data.vacancies, matcher, top=7, filters=filters, open_only=open_only)
            assert _pairs(got) == _pairs(want)
    for vacancy in data.vacancies[::131]:
        got = pool.top_seekers(vacancy, 5)
        want = rank(vacancy, data.seekers[:400], matcher, top=5)
        assert _pairs(got) == _pairs(want)
        assert [r.render("en") for r in got] == [r.render("en") for r in want]


def test_an_empty_side_ranks_nothing(data) -> None:  # type: ignore[no-untyped-def]
    pool = MatchPool(Matcher(make_system(), DAY), vacancies=data.vacancies[:10])
    assert pool.top_seekers(data.vacancies[0], 3) == []
    with pytest.raises(ValueError, match="at least 1"):
        pool.top_vacancies(data.seekers[0], 0)


def test_a_served_centre_reloads_its_pool_when_its_files_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from employkit.serve import centres
    from employkit.serve.centres import CentreRuntime
    from employkit.serve.config import CentreEntry
    from employkit.sources.writers import write_records

    small = sample_centre()
    folder = tmp_path / "centre"

    def write(n: int) -> None:
        rows = [("seekers", s) for s in small.seekers[:50]] + [("vacancies", v) for v in small.vacancies[:n]]
        rows += [("employers", e) for e in small.employers]
        write_records(rows, folder, "csv", centre=evolve(small.centre) if small.centre else None)

    write(30)
    rt = CentreRuntime(CentreEntry(centre_id="c", data=str(folder), store=tmp_path / "s.sqlite"))
    assert rt.pool_info()["vacancies"] == 30
    monkeypatch.setattr(centres, "CHECK_EVERY", 0.0)
    write(45)
    assert rt.pool_info()["vacancies"] == 45  # seen at the next request
    write(20)
    assert rt.reload()["vacancies"] == 20
