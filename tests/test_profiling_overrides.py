"""Counsellor overrides and re-profiling history."""

from __future__ import annotations

import datetime as dt

import pytest

from employkit.model import Intake, Level, Seeker
from employkit.national.profiling import SEEKER_SEGMENTS
from employkit.profiling.api import classify_seeker
from employkit.profiling.history import ProfileBook, ProfileHistory, reprofile
from employkit.profiling.overrides import OverriddenProfile, OverrideReason, OverrideRefused, override, override_report
from employkit.rules import RuleSystem
from employkit.testing import make_system


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return make_system()


def person(sid: str, **answers: object) -> Seeker:
    return Seeker(
        seeker_id=sid,
        residence_code="11140",
        registered_on=dt.date(2022, 1, 3),
        intake=Intake(**answers),  # type: ignore[arg-type]
    )


PREP = dict(job_field_decided=False, employability=Level.LOW, motivation=Level.LOW, ability=Level.MID)
READY = dict(job_field_decided=True, employability=Level.HIGH, motivation=Level.HIGH, ability=Level.MID, mobile=False)


def test_override_without_a_reason_is_refused(system: RuleSystem) -> None:
    p = classify_seeker(person("S1", **PREP), system, dt.date(2022, 3, 2))
    for kwargs in (
        dict(reason_code=None, reason="구직 의욕 확인", counsellor="C1"),
        dict(reason_code="", reason="구직 의욕 확인", counsellor="C1"),
        dict(reason_code="new_information", reason="", counsellor="C1"),
        dict(reason_code="new_information", reason="   ", counsellor="C1"),
        dict(reason_code="new_information", reason=None, counsellor="C1"),
        dict(reason_code="new_information", reason="구직 의욕 확인", counsellor=""),
        dict(reason_code="no_such_code", reason="구직 의욕 확인", counsellor="C1"),
    ):
        with pytest.raises(OverrideRefused):
            override(p, "prep_low_ability", segments=SEEKER_SEGMENTS, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(OverrideRefused, match="already"):
        override(p, "prep_low_motivation", reason_code="other", reason="x", counsellor="C1", segments=SEEKER_SEGMENTS)
    with pytest.raises(OverrideRefused, match="unknown segment"):
        override(p, "vip", reason_code="other", reason="x", counsellor="C1", segments=SEEKER_SEGMENTS)


def test_override_keeps_the_original(system: RuleSystem) -> None:
    p = classify_seeker(person("S1", **PREP), system, dt.date(2022, 3, 2))
    o = override(
        p,
        "prep_low_ability",
        reason_code=OverrideReason.NEW_INFORMATION,
        reason="상담 결과 의욕은 충분, 기술 부족이 주된 애로",
        counsellor="C07",
        on=dt.date(2022, 3, 5),
        segments=SEEKER_SEGMENTS,
    )
    assert o.segment.code == "prep_low_ability"
    assert o.original is p and o.original.segment is not None and o.original.segment.code == "prep_low_motivation"
    assert o.override.original == "prep_low_motivation" and o.override.counsellor == "C07"
    assert o.status == "overridden" and o.explanation is p.explanation
    assert "C07" in o.note.en and "prep_low_motivation → prep_low_ability" in o.note.en


def test_override_rate_by_segment_and_counsellor(system: RuleSystem) -> None:
    day = dt.date(2022, 3, 2)
    profiles: list[object] = []
    for k in range(10):
        p = classify_seeker(person(f"S{k}", **(PREP if k < 6 else READY)), system, day)
        if k in (0, 1, 6):
            p = override(
                p,
                "prep_low_ability" if k < 6 else "ready_mobile",
                reason_code="counsellor_judgement",
                reason="면담 결과",
                counsellor="C1",
                segments=SEEKER_SEGMENTS,
            )
        profiles.append(p)
    rows = override_report(profiles)  # type: ignore[arg-type]
    by = {(r.segment, r.counsellor): r for r in rows}
    assert by[("prep_low_motivation", "*")].profiles == 6 and by[("prep_low_motivation", "*")].overridden == 2
    assert by[("prep_low_motivation", "*")].rate == pytest.approx(2 / 6)
    assert by[("ready_local", "*")].rate == pytest.approx(1 / 4)
    owners = {f"S{k}": ("C1" if k % 2 == 0 else "C2") for k in range(10)}
    rows = override_report(profiles, counsellors=owners)  # type: ignore[arg-type]
    by = {(r.segment, r.counsellor): r for r in rows}
    assert (by[("prep_low_motivation", "C1")].overridden, by[("prep_low_motivation", "C1")].profiles) == (1, 3)
    assert (by[("prep_low_motivation", "C2")].overridden, by[("prep_low_motivation", "C2")].profiles) == (1, 3)
    hidden = override_report(profiles, min_cell=5)  # type: ignore[arg-type]
    small = {(r.segment, r.counsellor): r for r in hidden}[("ready_local", "*")]
    assert small.suppressed and small.profiles is None and small.rate is None


def test_reprofiling_keeps_the_history_of_segments(system: RuleSystem) -> None:
    history, first = reprofile(None, person("S1", **PREP), system, dt.date(2022, 3, 2))
    assert first.segment is not None and first.segment.group == "needs_preparation"
    history, second = reprofile(history, person("S1", **READY), system, dt.date(2022, 6, 7))
    assert second.segment is not None and second.segment.code == "ready_local"
    [move] = history.moves()
    assert (move.from_group, move.to_group) == ("needs_preparation", "ready")
    assert (move.since, move.on) == (dt.date(2022, 3, 2), dt.date(2022, 6, 7))
    assert history.current() is not None and history.current().segment == "ready_local"  # type: ignore[union-attr]
    assert history.current(on=dt.date(2022, 4, 1)).segment == "prep_low_motivation"  # type: ignore[union-attr]
    # profiling again on the same date replaces that day's result
    again = history.add(second)
    assert len(again.entries) == 2
    with pytest.raises(ValueError):
        history.add(classify_seeker(person("S2", **READY), system, dt.date(2022, 6, 7)))


def test_profile_book_reports_who_moved_and_when(system: RuleSystem) -> None:
    march = [classify_seeker(person(f"S{k}", **PREP), system, dt.date(2022, 3, 2)) for k in range(3)]
    june = [
        classify_seeker(person("S0", **READY), system, dt.date(2022, 6, 7)),
        classify_seeker(person("S1", **PREP), system, dt.date(2022, 6, 7)),
    ]
    book = ProfileBook().add(march).add(june)
    moved = book.moves(from_group="needs_preparation", to_group="ready")
    assert [(m.seeker_id, m.on) for m in moved] == [("S0", dt.date(2022, 6, 7))]
    assert book.moves(between=(dt.date(2022, 1, 1), dt.date(2022, 5, 1))) == []
    assert isinstance(book.histories["S2"], ProfileHistory) and len(book.histories["S2"].entries) == 1


def test_an_override_enters_the_history(system: RuleSystem) -> None:
    p = classify_seeker(person("S1", **PREP), system, dt.date(2022, 3, 2))
    o = override(
        p,
        "ready_local",
        reason_code="intake_error",
        reason="이동 가능 여부 오기",
        counsellor="C2",
        segments=SEEKER_SEGMENTS,
    )
    assert isinstance(o, OverriddenProfile)
    h = ProfileHistory.start("S1").add(o)
    assert h.entries[0].status == "overridden" and h.entries[0].segment == "ready_local"
