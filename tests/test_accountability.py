"""Accountability: the decision log and replay, and the fairness audit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from employkit.accountability import decisions as dec
from employkit.accountability.audit import fairness_audit, to_data
from employkit.accountability.log import DecisionLog, ReplayMismatch, replay, replay_log
from employkit.config import CentreConfig
from employkit.dataset import Dataset
from employkit.errors import ConfigError
from employkit.followup.api import actions_for
from employkit.labels import Text
from employkit.matching.ranking import rank
from employkit.matching.scoring import Matcher
from employkit.metrics.report import kpi_report
from employkit.model import EmploymentType, Gender, Intake, Level, Placement, Seeker
from employkit.national.profiling import NATIONAL_SEEKER_ID, SEEKER_SEGMENTS
from employkit.packs import RuleMeta
from employkit.profiling.api import classify_seeker, profile_dataset, pseudonym
from employkit.profiling.base import Segment
from employkit.profiling.overrides import override
from employkit.profiling.scorers import ScoredTypology, Scorer
from employkit.render.audit import render_html, render_table
from employkit.rules import RuleSystem
from employkit.synth import sample_centre
from employkit.testing import config_from_toml, make_pack, make_system, parameters_from_toml

KEY = "test-centre-secret"
NATIONAL_DAY = dt.date(2022, 1, 3)  # the national typology is in force from 2022-01-01
SAMPLE_DAY = dt.date(2015, 12, 31)  # the sample centre's records are 2015


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return make_system()


@pytest.fixture(scope="module")
def data() -> Dataset:
    return sample_centre()


# ---------------------------------------------------------------------- replay (acceptance)


def _logged(tmp_path: Path, system: RuleSystem, data: Dataset) -> DecisionLog:
    log = DecisionLog(tmp_path / "decisions.jsonl")
    seekers = data.seekers[:25]
    profiles = profile_dataset(seekers, system, NATIONAL_DAY, NATIONAL_SEEKER_ID)
    log.extend([dec.segment_decision(p, s, system, key=KEY) for p, s in zip(profiles.profiles, seekers, strict=True)])
    # a counsellor's override
    first = profiles.profiles[0]
    other = next(s for s in SEEKER_SEGMENTS if s.code != first.segment.code)  # type: ignore[union-attr]
    done = override(
        first,
        other.code,
        reason_code="new_information",
        reason="상담 중 확인",
        counsellor="C07",
        segments=SEEKER_SEGMENTS,
    )
    log.append(dec.override_decision(done, seekers[0], system, key=KEY))
    # match lists over the whole pool of vacancies
    matcher = Matcher(system, SAMPLE_DAY)
    pool = dec.pool_fingerprint(data.vacancies)
    for s in data.seekers[:3]:
        found = rank(s, data.vacancies, matcher, top=5)
        log.append(dec.match_list_decision(found, s, data.vacancies, system, key=KEY, top=5, fingerprint=pool))
    # KPI values
    report = kpi_report(data, system, dt.date(2016, 1, 31))
    fingerprint = dec.dataset_fingerprint(data)
    log.extend(
        [dec.kpi_decision(r, report, data, system, fingerprint=fingerprint) for r in report.results if not r.error]
    )
    # follow-up actions
    p = Placement(
        placement_id="P9",
        seeker_id="S0000009",
        employer_id="E1",
        start_date=dt.date(2016, 4, 1),
        contract_end=dt.date(2016, 9, 30),
        employment_type=EmploymentType.SHORT_TERM_CONTRACT,
    )
    for kind, outcome in (("pre_contract_end", "left_seeking"), ("month_3", "still_employed")):
        on = dt.date(2016, 8, 30)
        acts = actions_for(p, kind, outcome, on, system)
        log.append(dec.followup_action_decision(p, kind, outcome, on, acts, system, key=KEY))
    return log


def test_logged_decisions_replay_identically(tmp_path: Path, system: RuleSystem, data: Dataset) -> None:
    log = _logged(tmp_path, system, data)
    records = log.records()
    kinds = {r.kind.code for r in records}
    assert kinds == {"segment", "override", "match_list", "kpi_value", "followup_action"}
    results = replay_log(log, system, data=data, key=KEY)
    assert len(results) == len(records) > 30
    assert all(r.identical for r in results), [r.differences for r in results if not r.identical]
    # the match lists were re-ranked over the whole pool and came out the same
    match = [r for r in results if r.record.kind.code == "match_list"]
    assert all(any("same list" in n.en for n in r.notes) for r in match)
    # the KPI figure of the source document survives the round trip
    rate = next(r for r in records if r.subject == "kpi:employment_rate")
    assert (rate.result["numerator"], rate.result["denominator"]) == (1095, 3110)
    # a fresh system built the same way replays too (nothing is cached in the log's favour)
    again = replay_log(log, make_system(), data=data, key=KEY, kinds=["segment", "kpi_value"])
    assert again and all(r.identical for r in again)


def test_a_changed_result_is_reported_not_hidden(tmp_path: Path, system: RuleSystem, data: Dataset) -> None:
    s = data.seekers[0]
    record = dec.segment_decision(classify_seeker(s, system, NATIONAL_DAY), s, system, key=KEY)
    forged = attrs.evolve(record, result={**record.result, "segment": "prep_multiple_barriers"})
    outcome = replay(forged, system)
    assert not outcome.identical
    assert outcome.differences[0].startswith("$.segment: logged 'prep_multiple_barriers'")


def _demo_pack(version: str, intercept: float = 1.0) -> Any:
    params = parameters_from_toml(
        f"""
[[parameter]]
id = "profiling.seeker.demo.model"
[[parameter.value]]
from = 2020-01-01
value = {{ intercept = {intercept}, weights = {{ motivation = 2.0, female = -3.0 }} }}

[[parameter]]
id = "profiling.seeker.demo.bands"
[[parameter.value]]
from = 2020-01-01
value = [{{ code = "high", min = 4.0 }}, {{ code = "mid", min = 2.0 }}, {{ code = "low", min = -1000.0 }}]
"""
    )
    typ = ScoredTypology(
        RuleMeta(rule_id="profiling.seeker.demo", title=Text("시험 (성별 편향)", "demo with a planted gender bias")),
        Scorer("points", "profiling.seeker.demo.model", "profiling.seeker.demo.bands"),
        [Segment(c, Text(c, c)) for c in ("high", "mid", "low")],
    )
    return make_pack("demo", version=version, parameters=params, seeker_typologies=[typ])


ALLOW_GENDER = config_from_toml(
    '[profiling]\nseeker_typology = "profiling.seeker.demo"\nallow_protected = ["gender"]\n'
)


def test_replay_refuses_other_packs_parameters_or_settings() -> None:
    s = Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=dt.date(2022, 1, 3),
        gender=Gender.FEMALE,
        intake=Intake(motivation=Level.HIGH),
    )
    old = make_system(_demo_pack("1.0.0"), config=ALLOW_GENDER)
    record = dec.segment_decision(classify_seeker(s, old, NATIONAL_DAY), s, old, key=KEY)
    assert record.result["band"] == "mid" and record.result["protected_used"] == ["gender"]
    assert replay(record, old).identical
    with pytest.raises(ReplayMismatch, match=r"pack demo: logged version 1\.0\.0, active version 2\.0\.0"):
        replay(record, make_system(_demo_pack("2.0.0"), config=ALLOW_GENDER))
    with pytest.raises(ReplayMismatch, match=r"parameter profiling\.seeker\.demo\.model"):
        replay(record, make_system(_demo_pack("1.0.0", intercept=5.0), config=ALLOW_GENDER))
    with pytest.raises(ReplayMismatch, match=r"setting \[profiling\] allow_protected"):
        replay(record, make_system(_demo_pack("1.0.0"), config=config_from_toml("[profiling]\nallow_protected = []\n")))
    with pytest.raises(ReplayMismatch, match=r"pack demo 1\.0\.0 is not active"):
        replay(record, make_system())


def test_kpi_replay_needs_the_same_dataset(tmp_path: Path, system: RuleSystem, data: Dataset) -> None:
    report = kpi_report(data, system, dt.date(2016, 1, 31), only=["employment_rate"])
    record = dec.kpi_decision(report.results[0], report, data, system)
    assert replay(record, system, data=data).identical
    with pytest.raises(ReplayMismatch, match="give the data"):
        replay(record, system)
    smaller = attrs.evolve(data, seekers=data.seekers[:-1])
    with pytest.raises(ReplayMismatch, match="not the one the KPI was computed on"):
        replay(record, system, data=smaller)


# ---------------------------------------------------------------------- the log file


def test_log_is_append_only_with_a_hash_chain(tmp_path: Path, system: RuleSystem, data: Dataset) -> None:
    log = DecisionLog(tmp_path / "d.jsonl")
    people = data.seekers[:4]
    recs = [dec.segment_decision(classify_seeker(s, system, NATIONAL_DAY), s, system, key=KEY) for s in people]
    stored = log.extend(recs[:2])
    before = log.path.read_bytes()
    assert stored[0].prev_hash is None and stored[1].prev_hash is not None
    log.append(recs[2])
    after = log.path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == 3  # earlier lines untouched
    assert log.verify() == []
    assert [r.decision_id for r in log.records()] == [r.decision_id for r in recs[:3]]
    # a crash mid-write leaves a cut line: it is reported, and the next record starts a new line
    with open(log.path, "ab") as handle:
        handle.write(b'{"schema":"employkit.decision/1","decision')
    log.append(recs[3])
    records, problems = log.read()
    assert len(records) == 4 and [p.row for p in problems] == [4]
    # changing an earlier line breaks the chain at the line after it
    lines = log.path.read_bytes().split(b"\n")
    lines[0] = lines[0].replace(b'"as_of":"2022-01-03"', b'"as_of":"2022-01-04"')
    log.path.write_bytes(b"\n".join(lines))
    rows = [p.row for p in log.verify() if p.column == "prev_hash"]
    assert rows == [2]


def test_export_copies_lines_of_some_kinds(tmp_path: Path, system: RuleSystem, data: Dataset) -> None:
    log = DecisionLog(tmp_path / "d.jsonl")
    s = data.seekers[0]
    log.append(dec.segment_decision(classify_seeker(s, system, NATIONAL_DAY), s, system, key=KEY))
    report = kpi_report(data, system, dt.date(2016, 1, 31), only=["employment_rate"])
    log.append(dec.kpi_decision(report.results[0], report, data, system))
    out = log.export(tmp_path / "kpis.jsonl", kinds=["kpi_value"])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["kind"] == "kpi_value"
    assert lines[0] == log.path.read_text(encoding="utf-8").splitlines()[1]


# ---------------------------------------------------------------------- personal data


def test_pseudonym_key_comes_from_the_configuration_before_the_environment() -> None:
    with pytest.raises(ConfigError, match="no pseudonym key"):
        dec.pseudonym_key(CentreConfig(), environ={})
    configured = config_from_toml('[privacy]\npseudonym_key = "from-the-configuration"\n')
    assert dec.pseudonym_key(configured, environ={}) == "from-the-configuration"
    # a centre's own key wins: a process serving two centres never uses one's key for the other
    assert dec.pseudonym_key(configured, environ={dec.KEY_ENV: "from-the-environment"}) == "from-the-configuration"
    assert dec.pseudonym_key(CentreConfig(), environ={dec.KEY_ENV: "from-the-environment"}) == "from-the-environment"


def test_records_hold_no_raw_ids_or_registration_numbers(system: RuleSystem) -> None:
    s = Seeker(
        seeker_id="S0000123",
        residence_code="11140",
        registered_on=dt.date(2022, 1, 3),
        intake=Intake(job_field_decided=True, employability=Level.HIGH, mobile=True),
        extra={"rrn": "900101-1234567", "memo": "본인확인 9001011234567 (S0000123)", "counsellor": "C01"},
    )
    record = dec.segment_decision(classify_seeker(s, system, NATIONAL_DAY), s, system, key=KEY)
    line = dec.to_line(record)
    assert "S0000123" not in line and "1234567" not in line and '"rrn"' not in line
    assert record.subject == pseudonym("S0000123", KEY) and record.subject in line
    # extra columns no rule reads stay out of the log ...
    assert record.inputs["seeker"]["extra"] == {} and "C01" not in line
    # ... unless [privacy] safe_columns lists them; even then ids are pseudonymised and numbers masked
    safe = dec.safe_columns(config_from_toml('[privacy]\nsafe_columns = ["memo", "counsellor", "rrn"]\n'))
    kept = dec.seeker_data(s, KEY, safe)
    assert kept["extra"]["memo"] == f"본인확인 ************* ({record.subject})".replace(record.subject, "S0000123")
    assert kept["extra"]["counsellor"] == "C01" and "rrn" not in kept["extra"]


# ---------------------------------------------------------------------- fairness audit


def _people(n: int) -> list[Seeker]:
    """Women and men with the same intake answers, in the same proportions."""
    levels = (Level.LOW, Level.MID, Level.HIGH)
    out = []
    for i in range(n):
        out.append(
            Seeker(
                seeker_id=f"T{i:04d}",
                residence_code="11140",
                registered_on=dt.date(2022, 1, 3),
                birth_year=1960 + (i * 7) % 40,
                gender=Gender.FEMALE if i % 2 else Gender.MALE,
                nationality="VN" if i < 3 else "KR",
                intake=Intake(
                    job_field_decided=True,
                    employability=Level.HIGH,
                    motivation=levels[(i // 2) % 3],
                    ability=Level.MID,
                    economic_hardship=False,
                    mobile=bool(i % 3),
                ),
            )
        )
    return out


def test_audit_flags_a_planted_gender_bias() -> None:
    data = Dataset(seekers=_people(300), origin="planted")
    biased = make_system(_demo_pack("1.0.0"), config=ALLOW_GENDER)
    audit = fairness_audit(data, biased, NATIONAL_DAY, by=["gender", "nationality"], sections=["profiling"])
    gender = audit.profiling[0]
    assert gender.typology_id == "profiling.seeker.demo" and gender.favourable == ("high",)
    rows = {r.group: r for r in gender.rows}
    # points 1 + 2×motivation (low 0, mid 1, high 2) − 3 if female; "high" needs 4:
    # men reach it with high motivation (5), one in three; women never (at most 2)
    assert (rows["M"].selected, rows["M"].profiled) == (50, 150)
    assert (rows["F"].selected, rows["F"].profiled) == (0, 150)
    assert rows["M"].reference and rows["F"].ratio == 0.0 and rows["F"].flagged
    flags = audit.flagged("profiling", "gender")
    assert [(f.group, f.rule_reads_attribute) for f in flags] == [("F", True)]
    assert "uses this attribute" in flags[0].reason.en
    # the audit states the protected attribute used, and that the configuration allowed it
    demo = next(u for u in audit.protected if u.rule_id == "profiling.seeker.demo")
    assert demo.declared == ("gender",) and demo.used == ("gender",) and demo.ok
    assert "allowed by the centre's [profiling] allow_protected" in demo.statement.en
    # the three VN seekers are too few to judge: suppressed, never flagged
    vn = next(r for r in audit.profiling[1].rows if r.group == "VN")
    assert vn.suppressed and vn.seekers is None and vn.ratio is None and not vn.flagged
    # without permission the attribute is left out: no bias, no flag
    fair = make_system(
        _demo_pack("1.0.0"), config=config_from_toml('[profiling]\nseeker_typology = "profiling.seeker.demo"\n')
    )
    clean = fairness_audit(data, fair, NATIONAL_DAY, by=["gender"], sections=["profiling"])
    assert clean.flags == ()
    statement = next(u for u in clean.protected if u.rule_id == "profiling.seeker.demo")
    assert statement.used == () and "left out: gender" in statement.statement.en


def test_audit_of_the_sample_centre_flags_only_what_the_data_holds(system: RuleSystem, data: Dataset) -> None:
    audit = fairness_audit(data, system, NATIONAL_DAY, by=["gender", "age_band"], typology_id=NATIONAL_SEEKER_ID)
    # nothing by gender; no rule reads a protected attribute; nothing used without permission
    assert audit.flagged(attribute="gender") == []
    assert audit.flagged("protected") == []
    assert all(f.rule_reads_attribute in (False, None) for f in audit.flags)
    assert all(u.ok and u.used == () for u in audit.protected)
    # age is counted when the seeker registered, as the KPIs count it (not eleven years later,
    # on the audit's date): the 20-30s are then "ready" as often as the four-fifths rule asks
    flagged = {(f.section, f.attribute, f.group) for f in audit.flags}
    assert ("profiling", "age_band", "20-30s") not in flagged
    young = next(r for r in audit.profiling[1].rows if r.group == "20-30s")
    profiles = profile_dataset(data, system, NATIONAL_DAY, NATIONAL_SEEKER_ID).profiles
    ages = {s.seeker_id: s.age_on(s.registered_on) for s in data.seekers}
    mine = [p for p in profiles if 20 <= (ages[p.seeker_id] or 0) < 40]
    ready = sum(p.segment is not None and p.segment.group == "ready" for p in mine)
    assert (young.selected, young.profiled) == (ready, len(mine))
    assert young.ratio is not None and young.ratio >= 0.8
    # what the data itself holds is flagged elsewhere: the younger placed less often, for one
    assert ("placement", "age_band", "20-30s") in flagged
    assert "does not read this attribute" in next(f for f in audit.flags if f.section == "matching").reason.en
    # renderers
    text = render_table(audit, "en")
    assert "four-fifths threshold 0.8" in text and "⚑" in text
    page = render_html(audit, "ko")
    assert page.startswith("<!DOCTYPE html>") and 'class="flag"' in page
    assert json.loads(json.dumps(to_data(audit)))["flag_count"] == len(audit.flags)


def test_audit_rejects_unknown_columns_and_sections(system: RuleSystem, data: Dataset) -> None:
    with pytest.raises(ConfigError, match="unknown grouping column 'shoe_size'"):
        fairness_audit(data, system, NATIONAL_DAY, by=["shoe_size"])
    with pytest.raises(ConfigError, match="unknown audit section"):
        fairness_audit(data, system, NATIONAL_DAY, by=["gender"], sections=["astrology"])


def test_unsuppressed_audit_shows_small_groups_but_does_not_judge_them() -> None:
    data = Dataset(seekers=_people(60), origin="small")
    audit = fairness_audit(data, make_system(), NATIONAL_DAY, by=["nationality"], sections=["profiling"], publish=False)
    vn = next(r for r in audit.profiling[0].rows if r.group == "VN")
    assert vn.seekers == 3 and not vn.suppressed and not vn.judged and vn.ratio is None
