"""`employkit serve`: the real server on 127.0.0.1, called with a real HTTP client.

Two centres (Jung-gu with the sample's records, Gangnam with a configuration only), four
tokens (one per centre, one for both, one with a tiny rate), every status the service
answers with, idempotency, outcome dates, resident numbers, the access log, threads,
and schemathesis from the service's own OpenAPI schema.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

fastapi = pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

from employkit.serve.config import hash_token, parse_server_config  # noqa: E402

JUNGGU = "j" * 40
GANGNAM = "g" * 40
BOTH = "b" * 40
BURST = "r" * 40
RRN = "870412-2931746"  # shaped like a resident registration number (a real date, a valid 7th digit)

TODAY = dt.date.today()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Running:
    """A uvicorn server in a thread of this process (so its threads can be counted)."""

    def __init__(self, app: Any) -> None:
        self.port = _free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="test-uvicorn", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, Path]]:
    from employkit.serve import create_app

    root = tmp_path_factory.mktemp("serve")
    (root / "gangnam.toml").write_text(
        '[centre]\nname = "강남구 일자리센터"\nregion_code = "11680"\n\n'
        '[privacy]\npseudonym_key = "gangnam-secret-key-0123456789"\n',
        encoding="utf-8",
    )
    (root / "junggu.toml").write_text('[privacy]\npseudonym_key = "junggu-secret-key-0123456789"\n', encoding="utf-8")
    log = root / "access.jsonl"
    config = parse_server_config(
        {
            "server": {"rate_per_minute": 100_000, "max_body_bytes": 4096, "access_log": str(log)},
            "centres": {
                "junggu": {"config": "junggu.toml", "data": "sample", "store": "junggu.sqlite"},
                "gangnam": {"config": "gangnam.toml", "store": "gangnam.sqlite"},
            },
            "tokens": [
                {"name": "junggu-system", "sha256": hash_token(JUNGGU), "centres": ["junggu"]},
                {"name": "gangnam-system", "env": "GANGNAM_TOKEN", "centres": ["gangnam"]},
                {"name": "both", "sha256": hash_token(BOTH), "centres": ["junggu", "gangnam"]},
                {"name": "burst", "sha256": hash_token(BURST), "centres": ["gangnam"], "rate_per_minute": 60},
            ],
        },
        str(root / "server.toml"),
        environ={"GANGNAM_TOKEN": GANGNAM},
    )
    running = Running(create_app(config))
    yield running, log
    running.stop()


@pytest.fixture
def client(served: tuple[Running, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served[0].url, timeout=30) as c:
        yield c


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


SEEKER: dict[str, Any] = {
    "seeker_id": "W1",
    "residence_code": "11140",
    "registered_on": "2016-03-02",
    "birth_year": 1990,
    "desired_occupation": "0295",
    "desired_wage": 2_000_000,
    "intake": {
        "job_field_decided": True,
        "employability": "high",
        "motivation": "high",
        "ability": "high",
        "mobile": True,
    },
}


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("urn:employkit:problem:")
    assert "Traceback" not in response.text
    return body


# --------------------------------------------------------------------------- service and tokens


def test_health_and_version_need_no_token(client: httpx.Client) -> None:
    from employkit import __version__

    assert client.get("/health").json() == {"status": "ok", "centres": ["gangnam", "junggu"]}
    assert client.get("/version").json()["employkit"] == __version__
    assert client.get("/health").headers["x-request-id"]


def test_tokens_are_scoped_to_their_centres(client: httpx.Client) -> None:
    assert client.get("/centres/junggu", headers=auth(JUNGGU)).json()["region_code"] == "11140"
    assert client.get("/centres/gangnam", headers=auth(GANGNAM)).json()["region_code"] == "11680"
    problem(client.get("/centres/gangnam", headers=auth(JUNGGU)), 403)
    problem(client.get("/centres/junggu", headers=auth(GANGNAM)), 403)
    for cid in ("junggu", "gangnam"):
        assert client.get(f"/centres/{cid}", headers=auth(BOTH)).status_code == 200
    missing = client.get("/centres/junggu")
    problem(missing, 401)
    assert missing.headers["www-authenticate"] == "Bearer"
    problem(client.get("/centres/junggu", headers=auth("x" * 40)), 401)
    problem(client.get("/centres/junggu", headers={"Authorization": f"Basic {JUNGGU}"}), 401)
    problem(client.get("/centres/mapo", headers=auth(BOTH)), 404)


def test_each_centre_has_its_own_packs(client: httpx.Client) -> None:
    junggu = client.get("/centres/junggu/packs", headers=auth(JUNGGU)).json()
    gangnam = client.get("/centres/gangnam/packs", headers=auth(GANGNAM)).json()
    active = {c: {p["name"] for p in d["packs"] if p["active"]} for c, d in (("j", junggu), ("g", gangnam))}
    assert "junggu" in active["j"] and "junggu" not in active["g"]
    rules = client.get("/centres/junggu/rules", params={"on": "2016-06-30"}, headers=auth(JUNGGU)).json()
    assert rules["as_of"] == "2016-06-30" and "junggu" in rules["packs"]
    assert any(e["kind"] == "parameter" for e in rules["entries"])


def test_a_rate_limit_per_token(client: httpx.Client) -> None:
    codes = [client.get("/centres/gangnam", headers=auth(BURST)).status_code for _ in range(12)]
    assert codes[0] == 200 and 429 in codes
    limited = client.get("/centres/gangnam", headers=auth(BURST))
    problem(limited, 429)
    assert int(limited.headers["retry-after"]) >= 1
    assert client.get("/centres/gangnam", headers=auth(GANGNAM)).status_code == 200  # other tokens unaffected


# --------------------------------------------------------------------------- profiling and matching


def test_profile_a_seeker_in_korean_and_english(client: httpx.Client) -> None:
    r = client.post("/centres/junggu/profile/seeker", json=SEEKER, headers=auth(JUNGGU))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "profiled" and body["as_of"] == "2016-03-02"
    assert body["segment"]["label"]["ko"] and body["segment"]["label"]["en"]
    assert body["services"] and all(s["label"]["ko"] for s in body["services"])
    exp = body["explanation"]
    assert exp["pack"] and exp["rule_id"] and exp["text"]["ko"] and exp["text"]["en"]


def test_profile_an_employer(client: httpx.Client) -> None:
    employer = {"employer_id": "E1", "employees": 12, "region_code": "11140", "wage_level": "mid"}
    r = client.post(
        "/centres/junggu/profile/employer",
        json={"employer": employer},
        params={"as_of": "2022-03-02"},
        headers=auth(JUNGGU),
    )
    assert r.status_code == 200, r.text
    assert r.json()["employer_id"] == "E1" and r.json()["explanation"]["text"]["en"]


def test_rank_vacancies_as_the_library_does(client: httpx.Client) -> None:
    from employkit.converter import structure
    from employkit.matching.ranking import rank
    from employkit.matching.scoring import Matcher
    from employkit.model import Seeker
    from employkit.rules import RuleSystem
    from employkit.synth import sample_centre

    r = client.post("/centres/junggu/match/vacancies", params={"top": 5}, json=SEEKER, headers=auth(JUNGGU))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["pool"]["vacancies"] > 1000 and len(body["results"]) == 5
    data = sample_centre()
    system = RuleSystem.build()
    from employkit.config import CentreConfig

    system = RuleSystem.build(CentreConfig().with_centre(data.centre))
    expected = rank(structure(SEEKER, Seeker), data.vacancies, Matcher(system, dt.date(2015, 12, 31)), top=5)
    assert [(x["vacancy_id"], round(x["total"], 9)) for x in body["results"]] == [
        (e.vacancy_id, round(e.total, 9)) for e in expected
    ]
    first = body["results"][0]
    assert first["rank"] == 1 and 0 < first["coverage"]["share"] <= 1
    assert set(first["coverage"]["with_data"]) | set(first["coverage"]["missing"]) <= {
        c["key"] for c in first["components"]
    }
    assert all(c["reason"]["ko"] and c["rule"] for c in first["components"])
    assert "explanation" not in first  # the whole rendered text only when asked
    full = client.post(
        "/centres/junggu/match/vacancies", params={"top": 1, "explain": "true"}, json=SEEKER, headers=auth(JUNGGU)
    ).json()["results"][0]
    assert full["vacancy_id"] == first["vacancy_id"] and full["explanation"]["ko"] and full["explanation"]["en"]


def test_rank_seekers_pseudonymised_with_the_centres_key(client: httpx.Client) -> None:
    vacancy = {
        "vacancy_id": "NEW1",
        "employer_id": "E1",
        "occupation": "0295",
        "openings": 1,
        "employment_type": "regular",
        "region_code": "11140",
        "posted_on": "2015-12-01",
        "offered_wage": 2_100_000,
    }
    plain = client.post("/centres/junggu/match/seekers", params={"top": 3}, json=vacancy, headers=auth(JUNGGU)).json()
    hidden = client.post(
        "/centres/junggu/match/seekers", params={"top": 3, "pseudonymise": "true"}, json=vacancy, headers=auth(JUNGGU)
    ).json()
    from employkit.privacy import pseudonymise

    assert [pseudonymise(x["seeker_id"], "junggu-secret-key-0123456789") for x in plain["results"]] == [
        x["seeker_id"] for x in hidden["results"]
    ]


def test_a_centre_without_records_has_no_pool(client: httpx.Client) -> None:
    problem(client.post("/centres/gangnam/match/vacancies", json=SEEKER, headers=auth(GANGNAM)), 404)
    reloaded = client.post("/centres/junggu/pool/reload", headers=auth(JUNGGU))
    assert reloaded.status_code == 200 and reloaded.json()["vacancies"] > 1000


# --------------------------------------------------------------------------- bad input


def test_bad_input_lists_every_problem_with_its_path(client: httpx.Client) -> None:
    bad = {**SEEKER, "registered_on": "2016-13-40", "desired_wage": -5}
    body = problem(client.post("/centres/junggu/profile/seeker", json=bad, headers=auth(JUNGGU)), 422)
    found = {p["path"]: p["code"] for p in body["problems"]}
    assert found == {"$.registered_on": "bad_date", "$.desired_wage": "out_of_range"}, body
    assert all(p["reason_ko"] for p in body["problems"]), body
    planted = {**SEEKER, "birth_year": 2030, "desired_wage": True, "desired_occupation": "9999", "hobby": "바둑"}
    body = problem(client.post("/centres/junggu/profile/seeker", json=planted, headers=auth(JUNGGU)), 422)
    found = {p["path"]: p["code"] for p in body["problems"]}
    assert found == {
        "$.birth_year": "future_date",
        "$.desired_wage": "wrong_type",
        "$.desired_occupation": "unknown_code",
        "$.hobby": "unknown_field",
    }, body
    body = problem(
        client.post("/centres/junggu/profile/seeker", json={**SEEKER, "shoe_size": 3}, headers=auth(JUNGGU)), 422
    )
    assert "shoe_size" in json.dumps(body)
    problem(
        client.post(
            "/centres/junggu/profile/seeker",
            content=b"{not json",
            headers={**auth(JUNGGU), "content-type": "application/json"},
        ),
        422,
    )
    problem(
        client.post(
            "/centres/junggu/profile/seeker",
            content=b'{"a": NaN}',
            headers={**auth(JUNGGU), "content-type": "application/json"},
        ),
        422,
    )
    problem(
        client.post(
            "/centres/junggu/profile/seeker",
            content=b"\xff\xfe",
            headers={**auth(JUNGGU), "content-type": "application/json"},
        ),
        422,
    )
    problem(
        client.post(
            "/centres/junggu/profile/seeker", content=b"a,b", headers={**auth(JUNGGU), "content-type": "text/csv"}
        ),
        415,
    )
    problem(client.post("/centres/junggu/profile/seeker", json=[1, 2], headers=auth(JUNGGU)), 422)
    problem(client.post("/centres/junggu/match/vacancies", params={"top": 0}, json=SEEKER, headers=auth(JUNGGU)), 422)
    problem(
        client.get("/centres/junggu/kpis", params={"start": "2015-12-31", "end": "2015-01-01"}, headers=auth(JUNGGU)),
        422,
    )
    deep = b"[" * 100_000
    problem(
        client.post(
            "/centres/junggu/profile/seeker", content=deep, headers={**auth(JUNGGU), "content-type": "application/json"}
        ),
        413,
    )
    nested = ("[" * 1500 + "]" * 1500).encode()
    problem(
        client.post(
            "/centres/junggu/profile/seeker",
            content=nested,
            headers={**auth(JUNGGU), "content-type": "application/json"},
        ),
        422,
    )
    problem(client.get("/no/such/route"), 404)


def test_a_body_over_the_limit_is_413(client: httpx.Client) -> None:
    big = {**SEEKER, "skills": [f"skill-{i:05d}" for i in range(1000)]}
    problem(client.post("/centres/junggu/profile/seeker", json=big, headers=auth(JUNGGU)), 413)

    def chunks() -> Iterator[bytes]:
        yield b'{"seeker_id": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    streamed = client.post(
        "/centres/junggu/profile/seeker", content=chunks(), headers={**auth(JUNGGU), "content-type": "application/json"}
    )
    problem(streamed, 413)


def test_resident_numbers_are_refused_everywhere_and_never_logged(
    client: httpx.Client, served: tuple[Running, Path]
) -> None:
    for where, r in {
        "body": client.post("/centres/junggu/profile/seeker", json={**SEEKER, "seeker_id": RRN}, headers=auth(JUNGGU)),
        "nested": client.post(
            "/centres/junggu/profile/employer",
            json={
                "employer": {
                    "employer_id": "E",
                    "employees": 1,
                    "region_code": "11140",
                    "extra": {"memo": [870412, 2931746]},
                }
            },
            headers=auth(JUNGGU),
        ),
        "query": client.get(
            "/centres/junggu/agenda",
            params={"start": "2016-01-01", "end": "2016-01-31", "counsellor": RRN},
            headers=auth(JUNGGU),
        ),
        "path": client.get(f"/centres/junggu/placements/{RRN}", headers=auth(JUNGGU)),
        "header": client.post(
            "/centres/junggu/placements/P1/outcomes",
            json={"outcome": "still_employed"},
            headers={**auth(JUNGGU), "Idempotency-Key": RRN},
        ),
    }.items():
        body = problem(r, 422)
        assert "2931746" not in r.text, where
        assert any(p["code"] == "rrn" for p in body["problems"]), where
    time.sleep(0.1)
    text = served[1].read_text(encoding="utf-8")
    assert "2931746" not in text and "870412" not in text
    for line in text.splitlines():
        record = json.loads(line)
        assert set(record) == {"time", "request_id", "method", "endpoint", "centre", "token", "status", "duration_ms"}
        assert "{" in record["endpoint"] or record["endpoint"] in (
            "/health",
            "/version",
            "/openapi.json",
            "(unrouted)",
            "/docs",
        )
        assert JUNGGU not in line


# --------------------------------------------------------------------------- follow-up


def _placement(pid: str, start: dt.date) -> dict[str, Any]:
    return {
        "placement_id": pid,
        "seeker_id": "S1",
        "employer_id": "E1",
        "start_date": start.isoformat(),
        "employment_type": "regular",
    }


def test_follow_up_schedule_record_and_idempotency(client: httpx.Client) -> None:
    start = TODAY - dt.timedelta(days=20)
    h = auth(GANGNAM)
    s = client.post(
        "/centres/gangnam/placements", json=_placement("G-P1", start), params={"counsellor": "kim"}, headers=h
    )
    assert s.status_code == 200, s.text
    assert s.json()["added"] > 0 and s.json()["contacts"]
    again = client.post("/centres/gangnam/placements", json=_placement("G-P1", start), headers=h).json()
    assert again["added"] == 0  # scheduling twice adds nothing

    agenda = client.get(
        "/centres/gangnam/agenda",
        params={"start": start.isoformat(), "end": (TODAY + dt.timedelta(days=400)).isoformat(), "counsellor": "kim"},
        headers=h,
    ).json()
    assert {i["placement_id"] for i in agenda["items"]} == {"G-P1"}

    report = {
        "outcome": "still_employed",
        "contacted_on": (start + dt.timedelta(days=1)).isoformat(),
        "note": "재직 확인",
    }
    first = client.post(
        "/centres/gangnam/placements/G-P1/outcomes", json=report, headers={**h, "Idempotency-Key": "k-1"}
    )
    assert first.status_code == 200, first.text
    assert first.json()["repeated"] is False
    repeat = client.post(
        "/centres/gangnam/placements/G-P1/outcomes", json=report, headers={**h, "Idempotency-Key": "k-1"}
    )
    assert repeat.status_code == 200 and repeat.json()["repeated"] is True
    assert repeat.json()["outcome_id"] == first.json()["outcome_id"]
    other = {**report, "outcome": "left_seeking"}
    problem(
        client.post("/centres/gangnam/placements/G-P1/outcomes", json=other, headers={**h, "Idempotency-Key": "k-1"}),
        409,
    )

    # the same key for another placement is refused, not dropped
    client.post("/centres/gangnam/placements", json=_placement("G-P2", start), headers=h)
    problem(
        client.post("/centres/gangnam/placements/G-P2/outcomes", json=report, headers={**h, "Idempotency-Key": "k-1"}),
        409,
    )

    contacts = client.get("/centres/gangnam/placements/G-P1", headers=h).json()
    assert sum(1 for c in contacts["contacts"] if c["outcome"]) == 1


def test_outcome_dates_and_unknown_placements(client: httpx.Client) -> None:
    h = auth(GANGNAM)
    start = TODAY - dt.timedelta(days=5)
    client.post("/centres/gangnam/placements", json=_placement("G-D1", start), headers=h)
    before = problem(
        client.post(
            "/centres/gangnam/placements/G-D1/outcomes",
            json={"outcome": "still_employed", "contacted_on": "1999-01-04"},
            headers=h,
        ),
        422,
    )
    assert "1999-01-04" in before["detail"]
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    problem(
        client.post(
            "/centres/gangnam/placements/G-D1/outcomes",
            json={"outcome": "still_employed", "contacted_on": future},
            headers=h,
        ),
        422,
    )
    problem(
        client.post("/centres/gangnam/placements/NOPE/outcomes", json={"outcome": "still_employed"}, headers=h), 404
    )
    problem(client.get("/centres/gangnam/placements/NOPE", headers=h), 404)
    problem(
        client.post("/centres/gangnam/placements/G-D1/outcomes", json={"outcome": "fired_into_space"}, headers=h), 422
    )
    # a placement of one centre is unknown to the other (each centre its own store)
    problem(client.get("/centres/junggu/placements/G-D1", headers=auth(JUNGGU)), 404)


def test_concurrent_outcomes_are_neither_lost_nor_duplicated(
    client: httpx.Client, served: tuple[Running, Path]
) -> None:
    h = auth(GANGNAM)
    start = TODAY - dt.timedelta(days=30)
    ids = [f"G-C{i}" for i in range(16)]
    for pid in ids:
        assert client.post("/centres/gangnam/placements", json=_placement(pid, start), headers=h).status_code == 200
    results: list[int] = []

    def work(pid: str) -> None:
        with httpx.Client(base_url=served[0].url, timeout=30) as c:
            for _ in range(3):  # the same request three times: recorded once
                r = c.post(
                    f"/centres/gangnam/placements/{pid}/outcomes",
                    json={"outcome": "still_employed", "contacted_on": start.isoformat()},
                    headers={**h, "Idempotency-Key": f"once-{pid}"},
                )
                results.append(r.status_code)

    threads = [threading.Thread(target=work, args=(pid,)) for pid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 48
    for pid in ids:
        contacts = client.get(f"/centres/gangnam/placements/{pid}", headers=h).json()["contacts"]
        assert sum(1 for c in contacts if c["outcome"]) == 1


def test_a_store_held_by_another_writer_is_503_not_database_is_locked(tmp_path: Path) -> None:
    import asyncio
    import sqlite3

    from employkit.serve import create_app

    (tmp_path / "c.toml").write_text('[centre]\nname = "강남구 일자리센터"\nregion_code = "11680"\n', encoding="utf-8")
    config = parse_server_config(
        {
            "server": {"access_log": ""},
            "centres": {"c": {"config": "c.toml", "store": "c.sqlite"}},
            "tokens": [{"name": "t", "sha256": hash_token(GANGNAM), "centres": ["c"]}],
        },
        str(tmp_path / "server.toml"),
    )
    app = create_app(config)
    runtime = app.state.runtimes["c"]
    runtime.store_timeout = 0.2
    start = TODAY - dt.timedelta(days=3)

    async def scenario() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
            first = await c.post("/centres/c/placements", json=_placement("B1", start), headers=auth(GANGNAM))
            other = sqlite3.connect(tmp_path / "c.sqlite", isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # another process's long write
            try:
                busy = await c.post(
                    "/centres/c/placements/B1/outcomes", json={"outcome": "still_employed"}, headers=auth(GANGNAM)
                )
            finally:
                other.execute("ROLLBACK")
                other.close()
            after = await c.post(
                "/centres/c/placements/B1/outcomes", json={"outcome": "still_employed"}, headers=auth(GANGNAM)
            )
            return [first, busy, after]

    first, busy, after = asyncio.run(scenario())
    assert first.status_code == 200
    body = problem(busy, 503)
    assert busy.headers["retry-after"] == "1" and "locked" not in busy.text and "sqlite" not in body["detail"]
    assert after.status_code == 200  # the retry goes through


def test_kpis_with_breakdowns_and_intervals(client: httpx.Client) -> None:
    r = client.get(
        "/centres/junggu/kpis",
        params={"start": "2015-01-01", "end": "2015-12-31", "by": "age_band"},
        headers=auth(JUNGGU),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kpis"] and body["confidence_intervals"] is True and body["by"] == "age_band"
    problem(
        client.get(
            "/centres/junggu/kpis",
            params={"start": "2015-01-01", "end": "2015-12-31", "by": "shoe_size"},
            headers=auth(JUNGGU),
        ),
        422,
    )


# --------------------------------------------------------------------------- threads, imports, CLI


def test_no_thread_is_left_behind(client: httpx.Client) -> None:
    for _ in range(20):  # warm the thread pool
        client.post("/centres/junggu/profile/seeker", json=SEEKER, headers=auth(JUNGGU))
    before = threading.active_count()
    for i in range(200):
        r = client.post("/centres/junggu/profile/seeker", json={**SEEKER, "seeker_id": f"T{i}"}, headers=auth(JUNGGU))
        assert r.status_code == 200
    assert threading.active_count() <= before + 4, [t.name for t in threading.enumerate()]


def test_cors_is_off_unless_configured(client: httpx.Client, tmp_path: Path) -> None:
    import asyncio

    from employkit.serve import create_app

    preflight = {"Origin": "https://casework.example", "Access-Control-Request-Method": "POST"}
    assert (
        "access-control-allow-origin" not in client.options("/centres/junggu/profile/seeker", headers=preflight).headers
    )
    (tmp_path / "c.toml").write_text('[centre]\nname = "강남구 일자리센터"\nregion_code = "11680"\n', encoding="utf-8")
    config = parse_server_config(
        {
            "server": {"cors_origins": ["https://casework.example"], "access_log": ""},
            "centres": {"c": {"config": "c.toml"}},
        },
        str(tmp_path / "server.toml"),
    )
    app = create_app(config)

    async def ask() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
            return await c.options("/centres/c", headers=preflight)

    answer = asyncio.run(ask())
    assert answer.headers["access-control-allow-origin"] == "https://casework.example"


def test_import_employkit_does_not_import_the_web_stack() -> None:
    code = (
        "import sys, employkit, employkit.cli, employkit.serve; "
        "print(sorted(m for m in ('fastapi', 'starlette', 'uvicorn', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_demo_prints_a_token_once_and_serves_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from employkit.cli import cli
    from employkit.serve import STATE_ENV

    seen: dict[str, Any] = {}

    def fake_run(target: str, **kwargs: Any) -> None:
        import os

        seen["target"], seen["kwargs"], seen["state"] = target, kwargs, json.loads(os.environ[STATE_ENV])

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.delenv(STATE_ENV, raising=False)
    result = CliRunner().invoke(cli, ["serve", "--demo", "--port", "8123", "--workers", "2"])
    assert result.exit_code == 0, result.output
    token = next(line.split(": ", 1)[1] for line in result.output.splitlines() if line.startswith("token"))
    assert result.output.count(token) == 1  # printed once, kept as its hash only
    assert seen["kwargs"]["workers"] == 2 and seen["kwargs"]["factory"] is True
    assert token not in json.dumps(seen["state"])  # worker processes get the hash only
    assert seen["state"]["tokens"][0]["sha256"] == hash_token(token)
    assert seen["state"]["centres"]["demo"]["data"] == "sample"


def test_server_configuration_errors_are_clear(tmp_path: Path) -> None:
    from employkit.errors import ConfigError
    from employkit.serve.config import load_server_config

    bad = tmp_path / "server.toml"
    bad.write_text(
        '[centres.a]\ndata = "x"\n[[tokens]]\nname = "t"\nsha256 = "zz"\ncentres = ["a"]\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="64 hex digits"):
        load_server_config(bad)
    bad.write_text('[centres.a]\n[[tokens]]\nname = "t"\nenv = "NOPE_UNSET_TOKEN"\ncentres = ["a"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="NOPE_UNSET_TOKEN"):
        load_server_config(bad)
    bad.write_text('[centres.a]\n[[tokens]]\nsha256 = "' + "0" * 64 + '"\ncentres = ["b"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown centre"):
        load_server_config(bad)


# --------------------------------------------------------------------------- the schema


def test_the_schema_is_generated_from_the_model(client: httpx.Client) -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")  # schemathesis's validator

    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    comps = schema["components"]["schemas"]
    seeker = comps["Seeker"]
    assert seeker["additionalProperties"] is False and "registered_on" in seeker["required"]
    assert seeker["properties"]["registered_on"]["format"] == "date"
    assert seeker["properties"]["desired_wage"]["anyOf"][0]["x-unit"] == "KRW/month"
    assert comps["EmploymentType"]["x-enum-labels"]["regular"]["ko"] == "정규직"
    assert comps["Vacancy"]["properties"]["openings"]["minimum"] == 1
    assert "pydantic" not in json.dumps(schema).lower() and "HTTPValidationError" not in comps
    body = schema["paths"]["/centres/{centre}/profile/seeker"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Seeker"
    for name, s in comps.items():
        assert jsonschema_rs.meta.is_valid(s), name
    assert client.get("/docs").status_code == 200


def test_schemathesis_finds_no_server_error_and_no_answer_off_the_schema(served: tuple[Running, Path]) -> None:
    """Cases generated from /openapi.json (bounded, derandomised): no 5xx, every answer as the schema says."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    url = served[0].url
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    failures: list[str] = []
    calls: dict[str, int] = {}
    statuses: set[int] = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if operation.path == "/centres/{centre}/pool/reload":
            continue  # rebuilding the pool many times only costs time

        def check(case: Any, label: str) -> None:
            response = case.call(base_url=url, headers=auth(BOTH), timeout=30)
            calls[label] = calls.get(label, 0) + 1
            statuses.add(response.status_code)
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, BaseExceptionGroup) as exc:
                failures.append(f"{label} → {response.status_code}: {str(exc)[:600]}")

        def for_label(label: str) -> Any:
            def run(case: Any) -> None:
                check(case, label)

            return run

        quick = settings(
            max_examples=12, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        quick(given(operation.as_strategy())(for_label(label)))()
    assert len(calls) >= 15 and all(n >= 1 for n in calls.values()), calls
    assert 200 in statuses and 422 in statuses
    assert not failures, "\n".join(failures[:5])
