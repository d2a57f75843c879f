"""The follow-up store belongs to one centre, scopes request keys to the placement, checks dates, and is thread-safe."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from employkit.config import parse_config
from employkit.followup.api import schedule_all
from employkit.stores.paths import default_store_path
from employkit.stores.followup import (
    MIGRATIONS,
    SCHEMA_VERSION,
    FollowUpStore,
    IdempotencyConflict,
    OutcomeDateError,
    StoreError,
)
from employkit.model import Centre, CentreLevel, EmploymentType, FollowUpContact, FollowUpOutcome, Placement
from employkit.testing import make_system

D = dt.date
SYSTEM = make_system()
JUNGGU = "11140-중구-일자리플러스센터"
GANGNAM = "11680-강남구-일자리센터"
TODAY = D(2016, 12, 31)
START = D(2016, 3, 2)


def placement(pid: str, start: dt.date = START) -> Placement:
    return Placement(
        placement_id=pid,
        seeker_id=f"S{pid}",
        employer_id="E1",
        start_date=start,
        employment_type=EmploymentType.REGULAR,
        extra={"counsellor": "kim"},
    )


def scheduled(path: Path, *ps: Placement, centre: str | None = JUNGGU, today: dt.date = TODAY) -> FollowUpStore:
    store = FollowUpStore(path, system=SYSTEM, centre=centre, today=today)
    store.add_schedules(zip(ps, schedule_all(ps, SYSTEM, D(2016, 3, 1)), strict=True), as_of=D(2016, 3, 1))
    return store


def digest(path: Path) -> dict[str, str]:
    """The bytes of the database and its WAL, to show nothing was written."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (path, path.with_name(path.name + "-wal"))
        if p.exists()
    }


# ---------------------------------------------------------------------- the store's centre


def test_a_new_store_records_its_centre_and_refuses_another_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "followup.sqlite"
    with scheduled(path, placement("P1")) as store:
        assert store.centre == JUNGGU and not store.adopted
    with FollowUpStore(path, system=SYSTEM, centre=JUNGGU) as again:
        assert again.centre == JUNGGU and again.counts()["open"] == 1
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        FollowUpStore(path, system=SYSTEM, centre=GANGNAM)
    message = str(caught.value)
    assert JUNGGU in message and GANGNAM in message and str(path) in message
    assert "nothing was written" in message
    assert digest(path) == before
    with FollowUpStore(path) as reader:  # a tool that only reads opens any store
        assert reader.centre == JUNGGU and reader.counts()["open"] == 1
    assert digest(path) == before


def test_the_centre_is_checked_under_the_write_lock_when_two_centres_create_one_file(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    FollowUpStore(path, centre=JUNGGU).close()
    with pytest.raises(StoreError, match="belongs to centre '11140-중구-일자리플러스센터', not to '11680"):
        FollowUpStore(path, centre=GANGNAM)
    with pytest.raises(StoreError, match="centre key must be a non-empty string"):
        FollowUpStore(tmp_path / "x.sqlite", centre=" ")


def test_a_store_opened_without_a_centre_adopts_the_first_centre_that_opens_it(tmp_path: Path) -> None:
    path = tmp_path / "followup.sqlite"
    with scheduled(path, placement("P1"), centre=None) as store:
        assert store.centre is None
    with FollowUpStore(path, centre=GANGNAM) as store:
        assert store.centre == GANGNAM and store.adopted
    with FollowUpStore(path, centre=GANGNAM) as store:
        assert store.centre == GANGNAM and not store.adopted
    with pytest.raises(StoreError, match="belongs to centre '11680"):
        FollowUpStore(path, centre=JUNGGU)


def _old_store(path: Path, version: int) -> None:
    """A store as employkit wrote it at schema ``version``, with one keyed outcome."""
    db = sqlite3.connect(path)
    for step in MIGRATIONS[:version]:
        for statement in step.statements:
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {version}")
    record = {
        "placement_id": "R1",
        "seeker_id": "SR1",
        "employer_id": "E1",
        "start_date": "2016-03-02",
        "employment_type": "regular",
    }
    db.execute(
        """INSERT INTO placements (placement_id, seeker_id, employment_type, start_date, policy_id, policy_as_of,
           record) VALUES ('R1', 'SR1', 'regular', '2016-03-02', 'national.followup.default', '2016-03-02', ?)""",
        (json.dumps(record),),
    )
    for kind, due in (("start_day", "2016-03-02"), ("week_1", "2016-03-09")):
        db.execute(
            """INSERT INTO contacts (placement_id, kind, seq, due_on, nominal_on, label_ko, label_en, origin, status)
               VALUES ('R1', ?, 1, ?, ?, 'x', 'x', 'schedule', ?)""",
            (kind, due, due, "done" if kind == "start_day" else "pending"),
        )
    db.execute(
        """INSERT INTO outcomes (contact_id, placement_id, outcome, contacted_on, counsellor, request_key)
           VALUES (1, 'R1', 'still_employed', '2016-03-02', 'kim', 'call-1')"""
    )
    db.execute(
        """INSERT INTO actions (outcome_id, placement_id, code, label_ko, label_en, status)
           VALUES (1, 'R1', 'check_in', 'x', 'x', 'info')"""
    )
    db.commit()
    db.close()


@pytest.mark.parametrize("version", [1, 2])
def test_an_old_schema_store_migrates_keeps_its_outcomes_and_adopts_the_centre(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.sqlite"
    _old_store(path, version)
    with FollowUpStore(path, system=SYSTEM, centre=JUNGGU, today=TODAY) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.centre == JUNGGU and store.adopted
        assert store.counts()["outcomes"] == 1 and store.verify() == []
        uniques = [
            [c[2] for c in store._conn.execute(f"PRAGMA index_info({i['name']!r})")]
            for i in store._conn.execute("PRAGMA index_list(outcomes)")
            if i["unique"]
        ]
        assert ["placement_id", "request_key"] in uniques and ["request_key"] not in uniques
        # the key recorded before the migration still answers a repeat, and still conflicts
        again = store.record("R1", "still_employed", on=D(2016, 3, 2), key="call-1")
        assert again.repeated and again.outcome_id == 1 and again.contact_kind == "start_day"
        with pytest.raises(IdempotencyConflict, match="'call-1' was already used"):
            store.record("R1", "left_seeking", on=D(2016, 3, 2), key="call-1")
        assert store.record("R1", "still_employed", on=D(2016, 3, 9), key="call-2").contact_kind == "week_1"
        assert store._conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(StoreError, match="belongs to centre"):
        FollowUpStore(path, centre=GANGNAM)


def test_two_centres_in_one_folder_keep_two_stores(tmp_path: Path) -> None:
    config = parse_config({}, path=str(tmp_path / "employkit.toml"))
    junggu = Centre(name="중구 일자리플러스센터", level=CentreLevel.DISTRICT, region_code="11140")
    gangnam = Centre(name="강남구 일자리센터", level=CentreLevel.DISTRICT, region_code="11680")
    assert junggu.key == JUNGGU and gangnam.key == GANGNAM
    paths = {key: default_store_path(config, key) for key in (junggu.key, gangnam.key)}
    assert paths[JUNGGU] == tmp_path / f"employkit-followup-{JUNGGU}.sqlite"
    assert len(set(paths.values())) == 2
    # the same placement ids in both centres: each store keeps its own, none is skipped
    for key, start in ((JUNGGU, D(2016, 3, 2)), (GANGNAM, D(2016, 5, 2))):
        with scheduled(paths[key], placement("P1", start), placement("P2", start), centre=key) as store:
            assert store.counts()["contacts"] == 8
    for key, start in ((JUNGGU, "2016-03-02"), (GANGNAM, "2016-05-02")):
        with FollowUpStore(paths[key], centre=key) as store:
            assert {p.start_date.isoformat() for p in store.placements()} == {start}
    configured = parse_config({"followup": {"store": "shared/f.sqlite"}}, path=str(tmp_path / "employkit.toml"))
    assert default_store_path(configured, JUNGGU) == tmp_path / "shared" / "f.sqlite"
    cwd = default_store_path(parse_config({}), JUNGGU)
    assert cwd == Path.cwd() / f"employkit-followup-{JUNGGU}.sqlite"


def test_a_centre_key_that_cannot_name_a_file_is_refused(tmp_path: Path) -> None:
    from employkit.errors import ConfigError

    config = parse_config({}, path=str(tmp_path / "employkit.toml"))
    for bad in ("", "../x", "a/b", ".."):
        with pytest.raises(ConfigError, match="cannot name a follow-up store file"):
            default_store_path(config, bad)
    with pytest.raises(ConfigError, match=r"\[followup\] store must be a file path"):
        default_store_path(parse_config({"followup": {"store": 3}}, path="employkit.toml"), JUNGGU)


# ---------------------------------------------------------------------- request keys


def test_the_same_key_and_payload_returns_the_first_answer(tmp_path: Path) -> None:
    with scheduled(tmp_path / "f.sqlite", placement("P1")) as store:
        first = store.record("P1", "still_employed", on=D(2016, 3, 2), key="k1", counsellor="lee", note="잘 지냄")
        again = store.record("P1", "still_employed", on=D(2016, 3, 2), key="k1", counsellor="lee", note="잘 지냄")
        assert again.repeated and not first.repeated and again.outcome_id == first.outcome_id
        # a field left out matches what it resolved to; the resolved value matches too
        explicit = store.record(
            "P1", "still_employed", on=D(2016, 3, 2), key="k1", contact_kind="start_day", counsellor="lee",
            note="잘 지냄",
        )  # fmt: skip
        assert explicit.repeated
        assert store.counts()["outcomes"] == 1


def test_a_key_left_without_date_and_counsellor_repeats_on_a_later_day(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    with scheduled(path, placement("P1"), today=D(2016, 3, 3)) as store:
        first = store.record("P1", "still_employed", key="k1")
        assert first.contacted_on == D(2016, 3, 3)
    with FollowUpStore(path, system=SYSTEM, centre=JUNGGU, today=D(2016, 3, 4)) as store:
        assert store.record("P1", "still_employed", key="k1").repeated  # the client's retry, a day later
        assert store.record("P1", "still_employed", on=D(2016, 3, 3), counsellor="kim", key="k1").repeated
        with pytest.raises(IdempotencyConflict, match=r"on '2016-03-04' \(was '2016-03-03'\)"):
            store.record("P1", "still_employed", on=D(2016, 3, 4), key="k1")
        with pytest.raises(IdempotencyConflict, match=r"counsellor 'lee' \(was 'kim'\)"):
            store.record("P1", "still_employed", counsellor="lee", key="k1")
        assert store.counts()["outcomes"] == 1


@pytest.mark.parametrize(
    ("change", "what"),
    [
        ({"outcome": "left_seeking"}, "outcome 'left_seeking' (was 'still_employed')"),
        ({"on": D(2016, 3, 3)}, "on '2016-03-03' (was '2016-03-02')"),
        ({"contact_kind": "week_1"}, "contact 'week_1' (was 'start_day')"),
        ({"counsellor": "park"}, "counsellor 'park' (was 'lee')"),
        ({"note": "다른 메모"}, "differs in note"),
    ],
)
def test_the_same_key_with_another_payload_is_refused(tmp_path: Path, change: dict[str, object], what: str) -> None:
    request: dict[str, object] = {
        "outcome": "still_employed",
        "on": D(2016, 3, 2),
        "counsellor": "lee",
        "note": "잘 지냄",
    }
    with scheduled(tmp_path / "f.sqlite", placement("P1")) as store:
        first = store.record("P1", key="k1", **request)  # type: ignore[arg-type]
        before = store.counts()
        with pytest.raises(IdempotencyConflict) as caught:
            store.record("P1", key="k1", **{**request, **change})  # type: ignore[arg-type]
        message = str(caught.value)
        assert what in message and "'k1' was already used for still_employed on 2016-03-02 at start_day" in message
        assert f"outcome {first.outcome_id}" in message and "nothing was written" in message
        assert "다른 메모" not in message  # a note is named, never echoed
        assert store.counts() == before and store.verify() == []


def test_a_key_reused_for_another_placement_is_refused_not_dropped(tmp_path: Path) -> None:
    with scheduled(tmp_path / "f.sqlite", placement("P1"), placement("P2")) as store:
        store.record("P1", "still_employed", on=D(2016, 3, 2), key="k1")
        before = store.counts()
        with pytest.raises(IdempotencyConflict) as caught:
            store.record("P2", "still_employed", on=D(2016, 3, 2), key="k1")
        message = str(caught.value)
        assert "placement P1" in message and "outcome of placement P2" in message
        assert store.counts() == before
        assert [c["outcome"] for c in store.contacts("P2")] == [None] * 4  # P2's report is still to be made
        assert isinstance(caught.value, StoreError)


def test_keys_are_unique_per_placement_in_the_schema(tmp_path: Path) -> None:
    with scheduled(tmp_path / "f.sqlite", placement("P1")) as store:
        store.record("P1", "still_employed", on=D(2016, 3, 2), key="k1")
        db = store._conn
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            db.execute(
                """INSERT INTO outcomes (contact_id, placement_id, outcome, contacted_on, request_key)
                   VALUES (2, 'P1', 'still_employed', '2016-03-09', 'k1')"""
            )


# ---------------------------------------------------------------------- dates


def test_an_outcome_before_the_start_or_after_today_is_refused(tmp_path: Path) -> None:
    with scheduled(tmp_path / "f.sqlite", placement("P1", D(2016, 3, 2)), today=D(2016, 6, 30)) as store:
        for day in (D(1999, 1, 4), D(2016, 3, 1), D(2016, 7, 1)):
            with pytest.raises(OutcomeDateError) as caught:
                store.record("P1", "still_employed", on=day)
            message = str(caught.value)
            assert f"placement P1: a contact on {day.isoformat()}" in message
            assert "2016-03-02 … 2016-06-30" in message and isinstance(caught.value, StoreError)
        assert store.counts()["outcomes"] == 0
        assert store.record("P1", "still_employed", on=D(2016, 3, 2)).contacted_on == D(2016, 3, 2)
        assert store.record("P1", "still_employed").contacted_on == D(2016, 6, 30)  # today, the store's clock


def test_a_placement_starting_after_today_takes_no_outcome_yet(tmp_path: Path) -> None:
    with (
        scheduled(tmp_path / "f.sqlite", placement("P1", D(2017, 1, 2)), today=D(2016, 12, 31)) as store,
        pytest.raises(OutcomeDateError, match="2017-01-02 … 2016-12-31"),
    ):
        store.record("P1", "still_employed")


def test_imported_contacts_are_checked_against_the_placement_start(tmp_path: Path) -> None:
    contacts = [
        FollowUpContact(placement_id="P1", contacted_on=D(1999, 3, 2), outcome=FollowUpOutcome.STILL_EMPLOYED),
        FollowUpContact(placement_id="P1", contacted_on=D(2016, 3, 2), outcome=FollowUpOutcome.STILL_EMPLOYED),
        FollowUpContact(placement_id="P1", contacted_on=D(2016, 3, 9), outcome=FollowUpOutcome.STILL_EMPLOYED),
    ]
    with scheduled(tmp_path / "f.sqlite", placement("P1"), today=D(2026, 12, 6)) as store:
        added, skipped = store.import_contacts(contacts)
        assert added == 2
        assert len(skipped) == 1 and skipped[0].startswith("P1 1999-03-02: placement P1: a contact on 1999-03-02")
        assert [c.contacted_on for c in store.recorded_contacts()] == [D(2016, 3, 2), D(2016, 3, 9)]


# ---------------------------------------------------------------------- threads


def _record_all(store: FollowUpStore, jobs: list[tuple[str, str, dt.date]], out: list[object]) -> None:
    try:
        for key, pid, day in jobs:
            out.append(store.record(pid, "still_employed", on=day, key=key))
    except BaseException as exc:  # reported to the test thread
        out.append(exc)


def _jobs(n: int) -> tuple[list[Placement], list[tuple[str, str, dt.date]]]:
    ps = [placement(f"T{k:03d}", D(2016, 3, 2) + dt.timedelta(days=k % 20)) for k in range(n)]
    days = (0, 7, 100)
    return ps, [(f"{p.placement_id}#{i}", p.placement_id, p.start_date + dt.timedelta(days=d)) for p in ps for i, d in
                enumerate(days)]  # fmt: skip


def _run(threads: list[threading.Thread]) -> None:
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)


def test_two_threads_share_one_store_without_loss_or_duplicates(tmp_path: Path) -> None:
    ps, jobs = _jobs(40)
    with scheduled(tmp_path / "f.sqlite", *ps) as store:
        # both threads send every report (a client retrying with the same keys)
        results: list[list[object]] = [[], []]
        _run([threading.Thread(target=_record_all, args=(store, jobs, out)) for out in results])
        for out in results:
            assert not [r for r in out if isinstance(r, BaseException)], out[-1]
        recorded = [r for out in results for r in out]
        assert len(recorded) == 2 * len(jobs)
        assert sum(not r.repeated for r in recorded) == len(jobs)  # type: ignore[attr-defined]
        keys = [r[0] for r in store._conn.execute("SELECT request_key FROM outcomes")]
        assert sorted(keys) == sorted(k for k, *_ in jobs)
        assert store.verify() == []


def test_threads_with_their_own_store_objects_wait_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    ps, jobs = _jobs(40)
    scheduled(path, *ps).close()
    halves = [jobs[: len(jobs) // 2], jobs[len(jobs) // 2 :]]
    results: list[list[object]] = [[], []]
    stores = [FollowUpStore(path, system=SYSTEM, centre=JUNGGU, today=TODAY, timeout=60) for _ in halves]
    try:
        _run(
            [
                threading.Thread(target=_record_all, args=(s, half, out))
                for s, half, out in zip(stores, halves, results, strict=True)
            ]
        )
    finally:
        for s in stores:
            s.close()
    for out in results:
        assert not [r for r in out if isinstance(r, BaseException)], out[-1]
    with FollowUpStore(path) as store:
        assert store.counts()["outcomes"] == len(jobs) and store.verify() == []


def test_a_store_made_in_one_thread_is_usable_in_another(tmp_path: Path) -> None:
    with scheduled(tmp_path / "f.sqlite", placement("P1")) as store:
        box: list[object] = []
        call: Callable[[], None] = lambda: box.append(store.counts()["contacts"])  # noqa: E731
        _run([threading.Thread(target=call)])
        assert box == [4]


@pytest.mark.parametrize("version", [2, 3])
def test_a_file_claiming_a_schema_without_its_tables_is_refused_clearly(tmp_path: Path, version: int) -> None:
    path = tmp_path / "claims.sqlite"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()
    for centre in (None, JUNGGU):
        with pytest.raises(StoreError, match=r"claims\.sqlite: ") as caught:
            FollowUpStore(path, centre=centre)
        assert "no such table" in str(caught.value) or "has no actions, contacts, meta" in str(caught.value)
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0  # nothing was created
    db.close()


def test_a_resident_number_as_request_key_is_refused_and_never_stored(tmp_path: Path) -> None:
    from employkit.errors import DataError

    with scheduled(tmp_path / "f.sqlite", placement("P1")) as store:
        with pytest.raises(DataError) as caught:
            store.record("P1", "still_employed", on=D(2016, 3, 2), key="870412-2931746")
        assert "2931746" not in str(caught.value)
        assert store.counts()["outcomes"] == 0
