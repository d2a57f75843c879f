"""The audit's placement section: the four-fifths rule on employment rates, by any KPI column."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
from collections.abc import Callable

import attrs

from employkit.accountability.audit import fairness_audit
from employkit.dataset import Dataset
from employkit.metrics.report import kpi_report
from employkit.model import Gender
from employkit.render.audit import render_table
from employkit.rules import RuleSystem
from employkit.synth import sample_centre

Run = Callable[..., subprocess.CompletedProcess[str]]
DAY = dt.date(2016, 6, 30)


def _planted(share: float = 0.7, seed: int = 7) -> Dataset:
    """The sample with ``share`` of women's placements (and their follow-ups) deleted."""
    data = sample_centre()
    women = {s.seeker_id for s in data.seekers if s.gender is Gender.FEMALE}
    theirs = [p for p in data.placements if p.seeker_id in women]
    gone = {p.placement_id for p in random.Random(seed).sample(theirs, round(share * len(theirs)))}
    return attrs.evolve(
        data,
        placements=tuple(p for p in data.placements if p.placement_id not in gone),
        followups=tuple(c for c in data.followups if c.placement_id not in gone),
    )


def test_a_planted_placement_bias_is_flagged_with_the_kpis_definition() -> None:
    system = RuleSystem.build()
    data = _planted()
    audit = fairness_audit(data, system, DAY, by=["gender"], sections=["placement"])
    rows = {r.group: r for r in audit.placement[0].rows}
    # the same cells as the KPI's breakdown
    kpi = kpi_report(data, system, DAY, by="gender", only=["employment_rate"], publish=False)
    cells = kpi.get("employment_rate").value.breakdown
    for g in ("F", "M"):
        assert (rows[g].placed, rows[g].seekers) == (cells[g].numerator, cells[g].denominator)
    assert round(rows["F"].rate * 100, 1) == 10.6 and round(rows["M"].rate * 100, 1) == 34.8
    assert rows["M"].reference and rows["F"].flagged and 0.29 < rows["F"].ratio < 0.32
    flag = audit.flagged("placement", "gender")[0]
    assert flag.group == "F" and "employment rate" in flag.reason.en and "outcome" in flag.reason.en
    assert "employment rate" in render_table(audit, "en")
    # without the deletion nothing is flagged by gender
    clean = fairness_audit(sample_centre(), system, DAY, by=["gender"], sections=["placement", "followup"])
    assert clean.flagged(attribute="gender") == []


def test_retention_by_group_is_audited_on_the_sample() -> None:
    day = dt.date(2015, 12, 31)  # the sample's records end with 2015
    audit = fairness_audit(sample_centre(), RuleSystem.build(), day, by=["gender"], sections=["followup"])
    cells = {(r.group, c.months): c for r in audit.retention[0].rows for c in r.cells}
    six = cells[("F", 6)], cells[("M", 6)]
    assert all(c.known and c.known >= 50 and c.judged for c in six)  # the sample has follow-ups at 6 months now
    assert all(0.3 < (c.rate or 0) < 0.9 for c in six) and not any(c.flagged for c in six)
    assert cells[("F", 12)].known is None  # a year after a 2015 start lies beyond the records


def test_audit_by_residence_and_other_kpi_columns(run_cli: Run) -> None:
    result = run_cli(
        "audit", "--as-of", "2022-01-03", "--by", "residence", "--sections", "placement,followup", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    groups = {r["group"] for r in data["placement"][0]["rows"]}
    assert "11140" in groups and data["placement"][0]["attribute"] == "residence"
    # the placement section takes any KPI breakdown column, the seeker sections do not
    ok = run_cli("audit", "--as-of", "2022-01-03", "--by", "occupation", "--sections", "placement", "--format", "json")
    assert ok.returncode == 0, ok.stderr
    bad = run_cli("audit", "--as-of", "2022-01-03", "--by", "occupation", "--sections", "profiling")
    assert (
        bad.returncode != 0 and "unknown grouping column 'occupation'" in bad.stderr and "Traceback" not in bad.stderr
    )
