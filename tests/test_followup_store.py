"""The follow-up store: idempotent scheduling, one-transaction recording, agenda, export, migrations."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from employkit.export import write_rows
from employkit.followup.api import schedule, schedule_all, schedule_dataset
from employkit.stores.followup import MIGRATIONS, SCHEMA_VERSION, FollowUpStore, StoreError
from employkit.model import EmploymentType, FollowUpContact, FollowUpOutcome, Placement
from employkit.rules import RuleSystem
from employkit.synth import SynthSpec, build
from employkit.testing import make_system

D = dt.date
E = EmploymentType
O = FollowUpOutcome  # noqa: E741
SYSTEM = make_system()


def placement(
    pid: str, start: dt.date, etype: EmploymentType = E.REGULAR, end: dt.date | None = None, who: str = ""
) -> Placement:
    return Placement(
        placement_id=pid,
        seeker_id=f"S{pid}",
        employer_id="E1",
        start_date=start,
        employment_type=etype,
        contract_end=end,
        extra={"counsellor": who} if who else {},
    )


REGULAR = placement("R1", D(2016, 3, 2), who="kim")
COMMERCIAL = placement("C1", D(2016, 1, 4), E.COMMERCIAL_CONTRACT, D(2016, 12, 31), who="lee")
SHORT = placement("S1", D(2016, 4, 1), E.SHORT_TERM_CONTRACT, D(2016, 9, 30), who="kim")


@pytest.fixture
def store(tmp_path: Path) -> FollowUpStore:
    s = FollowUpStore(tmp_path / "followup.sqlite", system=SYSTEM)
    ps = [REGULAR, COMMERCIAL, SHORT]
    s.add_schedules(zip(ps, schedule_all(ps, SYSTEM, D(2016, 1, 4)), strict=True), centre="중구", as_of=D(2016, 1, 4))
    return s


def test_store_settings(store: FollowUpStore) -> None:
    db = store._conn
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
    assert store.schema_version == SCHEMA_VERSION == MIGRATIONS[-1].version


def test_scheduling_is_idempotent(store: FollowUpStore) -> None:
    before = store.counts()
    ps = [REGULAR, COMMERCIAL, SHORT]
    again = store.add_schedules(zip(ps, schedule_all(ps, SYSTEM, D(2016, 1, 4)), strict=True), centre="중구")
    assert again == 0 and store.counts() == before
    assert before["contacts"] == 4 + 5 + 4 and before["open"] == 3


def test_renewed_commercial_contract_closes_its_follow_up(store: FollowUpStore) -> None:
    done = store.record("C1", "still_employed", on=D(2016, 1, 4))
    assert done.contact_kind == "start_day" and done.status == "open"
    done = store.record("C1", O.RENEWED, on=D(2016, 11, 30), contact_kind="pre_contract_end", counsellor="lee")
    assert done.status == "closed" and done.result == "renewed"
    assert [a.code for a in done.actions] == ["close"]
    assert store.status("C1") == ("closed", "renewed")
    assert {c["status"] for c in store.contacts("C1")} == {"done", "cancelled"}
    with pytest.raises(StoreError, match="closed on 2016-11-30 \\(renewed\\)"):
        store.record("C1", "still_employed", on=D(2016, 12, 1))
    assert store.verify() == []


def test_left_seeking_short_term_contract_creates_re_registration_and_training(store: FollowUpStore) -> None:
    done = store.record("S1", "left_seeking", on=D(2016, 8, 30), contact_kind="pre_contract_end")
    assert [a.code for a in done.actions] == ["re_register", "training_referral", "close"]
    open_actions = store.actions("S1", status="open")
    assert [(a["code"], a["due_on"]) for a in open_actions] == [
        ("re_register", "2016-08-30"),
        ("training_referral", "2016-09-06"),
    ]
    items = store.due(D(2016, 8, 29), D(2016, 9, 9))
    assert [(i.item, i.code, i.counsellor) for i in items if i.placement_id == "S1"] == [
        ("action", "re_register", "kim"),
        ("action", "training_referral", "kim"),
    ]
    store.complete_action(int(open_actions[0]["action_id"]), D(2016, 8, 31))
    assert [a["code"] for a in store.actions("S1", status="open")] == ["training_referral"]
    with pytest.raises(StoreError):
        store.complete_action(int(open_actions[0]["action_id"]))


def test_regular_retained_at_six_months_and_retention_feed(store: FollowUpStore) -> None:
    for day in (D(2016, 3, 2), D(2016, 3, 9), D(2016, 6, 2)):
        assert store.record("R1", "still_employed", on=day).status == "open"
    done = store.record("R1", "still_employed", on=D(2016, 9, 2))
    assert (done.status, done.result) == ("closed", "retained")
    row = next(r for r in store.retention(as_of=D(2017, 6, 1)) if r.placement_id == "R1")
    assert row.retained == {1: True, 3: True, 6: True, 12: None}
    short = next(r for r in store.retention(as_of=D(2017, 6, 1)) if r.placement_id == "S1")
    # the contract ended 2016-09-30 and no contact says whether it was renewed: unknown, not left
    assert short.retained == {1: None, 3: None, 6: None, 12: None}


def test_unreachable_schedules_a_retry_contact(store: FollowUpStore) -> None:
    store.record("R1", "still_employed", on=D(2016, 3, 2))
    done = store.record("R1", "unreachable", on=D(2016, 3, 9))
    assert done.contact_kind == "week_1" and done.actions[0].contact_kind == "week_1:retry1"
    kinds = [(c["kind"], c["status"], c["due_on"]) for c in store.contacts("R1")]
    assert ("week_1:retry1", "pending", "2016-03-14") in kinds
    # the retry is now the earliest pending contact
    assert store.record("R1", "unreachable", on=D(2016, 3, 14)).contact_kind == "week_1:retry1"
    assert store.record("R1", "unreachable", on=D(2016, 3, 17)).contact_kind == "week_1:retry2"
    assert store.record("R1", "still_employed", on=D(2016, 6, 2)).contact_kind == "month_3"
    assert store.verify() == []


def test_last_contact_completes_follow_up(store: FollowUpStore) -> None:
    for _ in range(3):
        store.record("S1", "still_employed", on=D(2016, 5, 1))
    done = store.record("S1", "still_employed", on=D(2016, 8, 30))
    assert (done.contact_kind, done.status, done.result) == ("pre_contract_end", "completed", None)
    with pytest.raises(StoreError, match="no pending contact"):
        store.record("S1", "still_employed", on=D(2016, 9, 1))


def test_key_makes_recording_idempotent(store: FollowUpStore) -> None:
    first = store.record("R1", "still_employed", on=D(2016, 3, 2), key="call-1")
    again = store.record("R1", "still_employed", on=D(2016, 3, 2), key="call-1")
    assert again.repeated and not first.repeated
    assert again.outcome_id == first.outcome_id and again.contact_kind == "start_day"
    assert store.counts()["outcomes"] == 1


def test_a_resident_number_in_a_note_is_refused_and_nothing_is_stored(store: FollowUpStore) -> None:
    from employkit.errors import DataError

    before = store.counts()
    with pytest.raises(DataError) as caught:
        store.record("R1", "still_employed", on=D(2016, 3, 2), note="본인 확인 900101-1234567")
    assert "1234567" not in str(caught.value) and "******-*******" in str(caught.value.problems[0].value)
    with pytest.raises(DataError):
        store.record("R1", "still_employed", on=D(2016, 3, 2), counsellor="9001011234567")
    assert store.counts() == before


def test_errors_are_clear(store: FollowUpStore, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="'P404' is not in the store"):
        store.record("P404", "still_employed")
    with pytest.raises(StoreError, match="unknown FollowUpOutcome 'fired'"):
        store.record("R1", "fired")
    with pytest.raises(StoreError, match="no pending contact 'year_1'; pending: start_day"):
        store.record("R1", "still_employed", contact_kind="year_1")
    with pytest.raises(StoreError, match="needs the rule system"):
        FollowUpStore(tmp_path / "other.sqlite").record("R1", "still_employed")
    assert store.counts()["outcomes"] == 0  # nothing half-written by the failures


def test_failure_inside_the_transaction_rolls_everything_back(store: FollowUpStore) -> None:
    from employkit.testing import make_pack, parameters_from_toml

    broken = parameters_from_toml(
        """
[[parameter]]
id = "followup.outcomes"
  [[parameter.value]]
  from = 2016-01-01
  value = [{ outcomes = ["renewed"], close = "renewed" }]
"""
    )
    system = make_system(make_pack("bad", overrides=["followup.outcomes"], parameters=broken))
    before = store.counts()
    with pytest.raises(Exception, match="no row for outcome 'still_employed'"):
        store.record("R1", "still_employed", on=D(2016, 3, 2), system=system)
    assert store.counts() == before and store.verify() == []


def test_agenda_due_overdue_per_centre_and_counsellor(store: FollowUpStore) -> None:
    items = store.agenda(D(2016, 4, 1), D(2016, 4, 8))
    assert [(i.overdue, i.placement_id, i.code, i.due_on.isoformat()) for i in items] == [
        (True, "R1", "start_day", "2016-03-02"),
        (True, "R1", "week_1", "2016-03-09"),
        (False, "S1", "start_day", "2016-04-01"),
        (False, "S1", "week_1", "2016-04-08"),
        (True, "C1", "start_day", "2016-01-04"),
        (True, "C1", "week_1", "2016-01-11"),
        (False, "C1", "month_3", "2016-04-04"),
    ]
    assert [i.counsellor for i in items] == ["kim"] * 4 + ["lee"] * 3
    kim = store.agenda(D(2016, 4, 1), D(2016, 4, 8), counsellor="kim")
    assert {i.placement_id for i in kim} == {"R1", "S1"}
    assert [(i.placement_id, i.code) for i in kim if not i.overdue] == [("S1", "start_day"), ("S1", "week_1")]
    lee = store.agenda(D(2016, 4, 1), D(2016, 4, 8), counsellor="lee", overdue=False)
    assert [(i.code, i.due_on) for i in lee] == [("month_3", D(2016, 4, 4))]
    assert store.overdue(D(2016, 1, 5), centre="중구")[0].overdue
    assert store.due(D(2016, 4, 1), D(2016, 4, 8), centre="other") == []


def test_export_csv_and_json(store: FollowUpStore) -> None:
    store.record("R1", "still_employed", on=D(2016, 3, 2), note="적응 양호")
    rows = store.history_rows()
    assert len(rows) == 13 and rows[0]["centre"] == "중구"
    buf = io.StringIO()
    write_rows(rows, buf, "csv")
    lines = buf.getvalue().splitlines()
    assert lines[0].startswith("centre,counsellor,placement_id") and "적응 양호" in buf.getvalue()
    buf = io.StringIO()
    write_rows([i.as_dict() for i in store.due(D(2016, 3, 1), D(2016, 3, 31))], buf, "json")
    data = json.loads(buf.getvalue())
    assert [d["code"] for d in data] == ["week_1"] and data[0]["label_ko"] == "첫 1주일"


def test_recorded_contacts_round_trip(store: FollowUpStore) -> None:
    store.record("R1", "still_employed", on=D(2016, 3, 3), counsellor="park")
    (c,) = store.recorded_contacts()
    assert c == FollowUpContact(
        placement_id="R1", contacted_on=D(2016, 3, 3), outcome=O.STILL_EMPLOYED, due_on=D(2016, 3, 2), counsellor="park"
    )
    assert {p.placement_id for p in store.placements()} == {"R1", "C1", "S1"}
    assert next(p for p in store.placements() if p.placement_id == "R1") == REGULAR


def test_closed_placement_gets_no_new_contacts(store: FollowUpStore) -> None:
    store.record("C1", "left_not_seeking", on=D(2016, 1, 4))
    p = COMMERCIAL
    assert store.add_schedules([(p, schedule(p, SYSTEM, D(2016, 1, 4)))]) == 0
    assert store.verify() == []


def test_migrates_an_old_file_and_refuses_a_newer_one(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0].statements:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute(
        """INSERT INTO placements (placement_id, seeker_id, employment_type, start_date, policy_id, policy_as_of,
           record) VALUES ('R1', 'SR1', 'regular', '2016-03-02', 'national.followup.default', '2016-03-02', ?)""",
        (
            json.dumps(
                {
                    "placement_id": "R1",
                    "seeker_id": "SR1",
                    "employer_id": "E1",
                    "start_date": "2016-03-02",
                    "employment_type": "regular",
                }
            ),
        ),
    )
    db.commit()
    db.close()
    with FollowUpStore(path, system=SYSTEM) as store:
        assert store.schema_version == SCHEMA_VERSION == 3
        assert store.counts()["open"] == 1
        assert "done_on" in {r[1] for r in store._conn.execute("PRAGMA table_info(actions)")}
        assert store.centre is None and not store.adopted  # opened without a centre: nothing adopted
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="schema version 99 is newer"):
        FollowUpStore(path)


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "x.sqlite"
    bad.write_text("hello, not sqlite " * 100)
    with pytest.raises(StoreError, match="not a usable follow-up store"):
        FollowUpStore(bad)
    with pytest.raises(StoreError, match="does not exist"):
        FollowUpStore(tmp_path / "nowhere" / "x.sqlite")


def test_schedule_dataset_imports_recorded_contacts_once(tmp_path: Path) -> None:
    spec = SynthSpec(
        seekers=60, employers=10, openings=20, placements=30, resident_placements=12,
        age_bands={"40-50s": 1}, wage_bands={"1.0-1.5M": 1}, placement_occupations={"cleaning": 1},
        vacancy_occupations={"cleaning": 1}, employment_types={E.REGULAR: 1, E.SHORT_TERM_CONTRACT: 1},
    )  # fmt: skip
    data = build(spec)
    with FollowUpStore(tmp_path / "f.sqlite", system=SYSTEM) as store:
        run = schedule_dataset(data, SYSTEM, store, as_of=D(2016, 1, 4))
        assert run.added == run.contacts and run.imported == len(data.followups) - len(run.skipped)
        assert run.imported > 0
        again = schedule_dataset(data, SYSTEM, store, as_of=D(2016, 1, 4))
        assert (again.added, again.imported) == (0, 0)
        assert store.counts()["outcomes"] == run.imported
        # synthetic contacts are made at the policy's points: they land on those contacts
        kinds = {c["kind"] for p in data.placements[:10] for c in store.contacts(p.placement_id) if c["outcome"]}
        points = {"start_day", "week_1", "month_3", "month_6", "pre_contract_end"}
        assert "week_1" in kinds and {k.split(":")[0] for k in kinds} <= points
        assert store.verify() == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    starts=st.lists(st.dates(D(2016, 1, 1), D(2020, 12, 31)), min_size=1, max_size=5),
    repeat=st.integers(1, 3),
)
def test_scheduling_twice_equals_once(
    tmp_path_factory: pytest.TempPathFactory, starts: list[dt.date], repeat: int
) -> None:
    ps = [placement(f"P{n}", d, E.SHORT_TERM_CONTRACT, d + dt.timedelta(days=200)) for n, d in enumerate(starts)]
    path = tmp_path_factory.mktemp("twice") / "f.sqlite"
    system: RuleSystem = SYSTEM
    with FollowUpStore(path, system=system) as store:
        first = store.add_schedules(zip(ps, schedule_all(ps, system, D(2016, 1, 1)), strict=True))
        snapshot = store.history_rows()
        for _ in range(repeat):
            assert store.add_schedules(zip(ps, schedule_all(ps, system, D(2016, 1, 1)), strict=True)) == 0
        assert store.history_rows() == snapshot
        assert first == sum(len(s.contacts) for s in schedule_all(ps, system, D(2016, 1, 1)))
