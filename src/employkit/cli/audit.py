"""Accountability commands: ``audit``, ``explain-change``, ``decisions`` and ``overrides``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import click

from employkit.cli._output import check_output_path, table
from employkit.cli._source import open_dataset, source_option
from employkit.cli.app import State, as_of_option, cli, echo_json, friendly_errors, to_date
from employkit.errors import ConfigError, DataError, Problem
from employkit.labels import Lang


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _lang(lang: str) -> Lang:
    return "ko" if lang == "ko" else "en"


def _emit(text: str, out: str | None) -> None:
    if out:
        from employkit.atomic import write_text_atomic

        write_text_atomic(out, text)
        click.echo(f"written to {out}", err=True)
    else:
        click.echo(text, nl=False)


# ---------------------------------------------------------------------- audit


@cli.command("audit")
@source_option
@as_of_option
@click.option(
    "--by",
    "by",
    default="gender,age_band,nationality,disability",
    show_default=True,
    help="Grouping columns, comma-separated: gender, age_band, nationality, disability, residence, month, "
    "group.<code>, or any seeker column (the placement section takes any KPI breakdown column).",
)
@click.option("--typology", "typology_id", default=None, help="Seeker typology audited (default: the centre's).")
@click.option(
    "--sections",
    default="profiling,matching,placement,followup",
    show_default=True,
    help="Parts of the audit: profiling, matching, placement (employment rate), followup (retention).",
)
@click.option("--top", "top_k", type=int, default=None, help="Length of each vacancy's list (exposure audit).")
@click.option("--favourable", default=None, help="Segment codes counted as the favourable outcome, comma-separated.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True, help="Language of labels.")
@click.option("--out", default=None, type=click.Path(dir_okay=False), help="Write to this file (atomically).")
@click.option("--unsuppressed", is_flag=True, help="Show small groups and cells (not for publication).")
@click.pass_obj
@friendly_errors
def audit_command(
    state: State,
    location: str,
    as_of: dt.datetime | None,
    by: str,
    typology_id: str | None,
    sections: str,
    top_k: int | None,
    favourable: str | None,
    fmt: str,
    lang: str,
    out: str | None,
    unsuppressed: bool,
) -> None:
    """Fairness audit: segment shares and the four-fifths rule, exposure in match lists,
    employment rate and retention by group, and the protected attributes each active rule uses.

    Flags a group whose rate is below 0.8 of the most favoured group's (parameter
    accountability.fairness.four_fifths). Groups under metrics.suppression.min_cell
    people are not judged and, unless --unsuppressed, not shown.
    """
    from employkit.accountability import audit as au
    from employkit.privacy import refuse_identifying
    from employkit.render import audit as shown

    for column in _split(by) if not unsuppressed else ():  # published output: no id as a row label
        refuse_identifying(column, "--by")
    if out:
        check_output_path(out, "--out")
    data = open_dataset(state, location)
    result = au.fairness_audit(
        data,
        state.system(),
        to_date(as_of),
        by=_split(by),
        typology_id=typology_id,
        sections=_split(sections),
        top_k=top_k,
        favourable=_split(favourable) or None,
        publish=not unsuppressed,
    )
    language = _lang(lang)
    if fmt == "json":
        _emit(json.dumps(au.to_data(result), ensure_ascii=False, indent=2) + "\n", out)
    elif fmt == "html":
        _emit(shown.render_html(result, language), out)
    else:
        _emit(shown.render_table(result, language), out)


# ---------------------------------------------------------------------- counterfactuals


def _find(items: Any, attr: str, wanted: str, location: str, what: str) -> Any:
    for item in items:
        if getattr(item, attr) == wanted:
            return item
    raise DataError([Problem(f"no {what} with id {wanted!r}", file=location)], "not found")


@cli.command("explain-change")
@source_option
@as_of_option
@click.option("--seeker", "seeker_id", required=True, help="The seeker's id.")
@click.option("--vacancy", "vacancy_id", default=None, help="A vacancy: which match components would raise it most.")
@click.option("--typology", "typology_id", default=None, help="Seeker typology (default: the centre's).")
@click.option("--target", default=None, help="Only changes into this segment code or segment group (e.g. ready).")
@click.option(
    "--max-changes",
    type=click.IntRange(min=1),
    default=None,
    help="Most answers changed together (default: parameter).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True)
@click.pass_obj
@friendly_errors
def explain_change_command(
    state: State,
    location: str,
    as_of: dt.datetime | None,
    seeker_id: str,
    vacancy_id: str | None,
    typology_id: str | None,
    target: str | None,
    max_changes: int | None,
    fmt: str,
    lang: str,
) -> None:
    """What would change a decision: the smallest change of a seeker's own intake answers
    that moves them to another segment, or (with --vacancy) the match components that
    would raise the match most. Protected attributes are never proposed."""
    from employkit.accountability.counterfactual import explain_match_change, explain_segment_change

    language = _lang(lang)
    data = open_dataset(state, location)
    system = state.system()
    day = to_date(as_of)
    seeker = _find(data.seekers, "seeker_id", seeker_id, location, "seeker")
    if vacancy_id is not None:
        vacancy = _find(data.vacancies, "vacancy_id", vacancy_id, location, "vacancy")
        found = explain_match_change(seeker, vacancy, system, day)
        if fmt == "json":
            echo_json(_match_data(found))
            return
        click.echo(
            f"{seeker_id} × {vacancy_id} · {day.isoformat()} · total {found.total:.3f}"
            + ("" if found.eligible else " (not eligible)")
        )
        rows = [
            [
                lv.component,
                f"{lv.value:.2f}",
                f"{lv.share:.3f}",
                lv.status,
                f"+{lv.ceiling:.3f}",
                lv.change.get(language) if lv.change else "",
                "" if lv.new_total is None else f"{lv.new_total:.3f}",
                "" if lv.gain is None else f"{lv.gain:+.3f}",
            ]
            for lv in found.levers
        ]
        click.echo(table(["component", "value", "share", "status", "ceiling", "change", "new total", "gain"], rows))
        if found.not_proposed:
            note = "보호 속성이라 제안하지 않음" if language == "ko" else "never proposed (protected attribute)"
            click.echo(f"{', '.join(found.not_proposed)}: {note}")
        return
    changes = explain_segment_change(seeker, system, day, typology_id, target=target, max_changes=max_changes)
    if fmt == "json":
        echo_json(_segment_data(changes))
        return
    seg = changes.current.segment
    now = f"{seg.code} — {seg.label.get(language)}" if seg else changes.current.status
    click.echo(f"{seeker_id} · {changes.typology_id} · {day.isoformat()} · {now}")
    if changes.proposals:
        rows = [[p.segment, p.label.get(language), p.describe(language), str(p.cost)] for p in changes.proposals]
        click.echo(table(["segment", "label", "change", "cost"], rows, max_col=80))
    if changes.note is not None:
        click.echo(changes.note.get(language))
    click.echo(
        f"searched {changes.searched} candidate(s), up to {changes.max_changes} answer(s) changed; costs: "
        + ", ".join(f"{k}={v}" for k, v in changes.costs.items())
    )


def _segment_data(changes: Any) -> dict[str, Any]:
    seg = changes.current.segment
    return {
        "seeker_id": changes.seeker_id,
        "typology_id": changes.typology_id,
        "as_of": changes.as_of,
        "current": {"status": changes.current.status, "segment": seg.code if seg else None},
        "proposals": [
            {
                "segment": p.segment,
                "label": p.label,
                "cost": p.cost,
                "changes": [
                    {"field": c.field, "before": c.before, "after": c.after, "cost": c.cost} for c in p.changes
                ],
            }
            for p in changes.proposals
        ],
        "searched": changes.searched,
        "max_changes": changes.max_changes,
        "costs": dict(changes.costs),
        "note": changes.note,
    }


def _match_data(found: Any) -> dict[str, Any]:
    return {
        "seeker_id": found.seeker_id,
        "vacancy_id": found.vacancy_id,
        "as_of": found.as_of,
        "total": found.total,
        "eligible": found.eligible,
        "levers": list(found.levers),
        "not_proposed": list(found.not_proposed),
    }


# ---------------------------------------------------------------------- decision log


@cli.group("decisions")
def decisions_group() -> None:
    """The decision log: record decisions, replay them, verify the log."""


@decisions_group.command("record")
@source_option
@as_of_option
@click.option(
    "--log", "log_path", required=True, type=click.Path(dir_okay=False), help="The decision log (JSON Lines)."
)
@click.option(
    "--kinds",
    default="segment",
    show_default=True,
    help="Kinds to record, comma-separated: segment, match_list, followup_action, kpi_value.",
)
@click.option("--typology", "typology_id", default=None, help="Seeker typology (default: the centre's).")
@click.option(
    "--limit", type=int, default=None, help="Only the first N seekers (segments, match lists) and contacts (follow-up)."
)
@click.option("--top", type=int, default=10, show_default=True, help="Length of each seeker's match list.")
@click.pass_obj
@friendly_errors
def record_command(
    state: State,
    location: str,
    as_of: dt.datetime | None,
    log_path: str,
    kinds: str,
    typology_id: str | None,
    limit: int | None,
    top: int,
) -> None:
    """Append the decisions made on a dataset to the log (subjects pseudonymised).

    Needs the centre's pseudonym key: EMPLOYKIT_PSEUDONYM_KEY or [privacy] pseudonym_key.
    """
    from employkit.accountability import decisions as dec
    from employkit.accountability.log import DecisionLog

    key = dec.pseudonym_key(state.config)  # before any work: no key, nothing written
    wanted = _split(kinds)
    for k in wanted:
        try:
            dec.DecisionKind.parse(k)
        except ValueError as exc:
            raise ConfigError(f"--kinds: {exc}") from None
    data = open_dataset(state, location)
    system = state.system()  # the data's centre decides the packs
    day = to_date(as_of)
    seekers = data.seekers[:limit] if limit is not None else data.seekers
    records: list[Any] = []
    if "segment" in wanted:
        from employkit.profiling.api import counsellors_of, profile_dataset

        owners = counsellors_of(data)
        result = profile_dataset(seekers, system, day, typology_id)
        by_id = {s.seeker_id: s for s in seekers}
        records += [
            dec.segment_decision(p, by_id[p.seeker_id], system, key=key, counsellor=owners.get(p.seeker_id))
            for p in result.profiles
        ]
    if "match_list" in wanted:
        from employkit.matching.ranking import rank
        from employkit.matching.scoring import Matcher

        matcher = Matcher(system, day)
        fingerprint = dec.pool_fingerprint(data.vacancies)
        for s in seekers:
            found = rank(s, data.vacancies, matcher, top=top)
            records.append(
                dec.match_list_decision(
                    found, s, data.vacancies, system, key=key, top=top, as_of=day, fingerprint=fingerprint
                )
            )
    if "followup_action" in wanted:
        records += _followup_records(data, system, key, day, limit)
    if "kpi_value" in wanted:
        from employkit.metrics.report import kpi_report

        report = kpi_report(data, system, day)
        fingerprint = dec.dataset_fingerprint(data)
        records += [
            dec.kpi_decision(r, report, data, system, fingerprint=fingerprint)
            for r in report.results
            if r.error is None
        ]
    stored = DecisionLog(log_path).extend(records)
    counts: dict[str, int] = {}
    for r in stored:
        counts[r.kind.code] = counts.get(r.kind.code, 0) + 1
    click.echo(
        f"{log_path}: {len(stored)} decision(s) appended (" + ", ".join(f"{k} {n}" for k, n in counts.items()) + ")"
    )


def _followup_records(data: Any, system: Any, key: str, day: dt.date, limit: int | None) -> list[Any]:
    """One record per recorded contact: the actions its outcome triggers.

    A contact's kind is the scheduled contact due last on or before the contact date
    (the first one when the contact came early); the policy is the one in force on ``day``.
    """
    from employkit.accountability import decisions as dec
    from employkit.followup.api import actions_for, schedule

    placements = {p.placement_id: p for p in data.placements}
    out = []
    for c in data.followups[:limit] if limit is not None else data.followups:
        if c.contacted_on > day or c.placement_id not in placements:
            continue
        p = placements[c.placement_id]
        planned = schedule(p, system, as_of=day)
        if not planned.contacts:
            continue
        earlier = [x for x in planned.contacts if x.due_on <= c.contacted_on]
        kind = (earlier[-1] if earlier else planned.contacts[0]).kind
        actions = actions_for(p, kind, c.outcome, c.contacted_on, system, as_of=day)
        out.append(
            dec.followup_action_decision(
                p,
                kind,
                c.outcome,
                c.contacted_on,
                actions,
                system,
                key=key,
                as_of=day,
                counsellor=c.counsellor,
            )
        )
    return out


@decisions_group.command("replay")
@click.option("--log", "log_path", required=True, type=click.Path(dir_okay=False), help="The decision log.")
@click.option("--source", "location", default=None, help="The dataset (needed for KPI values; re-ranks match lists).")
@click.option("--kinds", default=None, help="Only these kinds, comma-separated.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
@friendly_errors
def replay_command(state: State, log_path: str, location: str | None, kinds: str | None, fmt: str) -> None:
    """Re-run every logged decision with the active packs and compare the results.

    Refuses, naming the difference, when a pack version, a parameter value or a setting
    differs from the logged one. Exit status 1 when any result differs.
    """
    import os

    from employkit.accountability.decisions import KEY_ENV, DecisionKind, pseudonym_key
    from employkit.accountability.log import replay_log

    for k in _split(kinds):
        try:
            DecisionKind.parse(k)
        except ValueError as exc:
            raise ConfigError(f"--kinds: {exc}") from None
    data = open_dataset(state, location) if location else None
    system = state.system()
    key = (
        pseudonym_key(system.config)
        if (os.environ.get(KEY_ENV) or system.config.setting("privacy", "pseudonym_key"))
        else None
    )
    results = replay_log(log_path, system, data=data, key=key, kinds=_split(kinds) or None)
    differing = [r for r in results if not r.identical]
    if fmt == "json":
        echo_json(
            {
                "log": log_path,
                "replayed": len(results),
                "identical": len(results) - len(differing),
                "results": [
                    {
                        "decision_id": r.record.decision_id,
                        "kind": r.record.kind.code,
                        "subject": r.record.subject,
                        "identical": r.identical,
                        "differences": list(r.differences),
                        "notes": list(r.notes),
                    }
                    for r in results
                ],
            }
        )
    else:
        rows = [
            [
                r.record.decision_id[:12],
                r.record.kind.code,
                r.record.subject,
                "identical" if r.identical else "DIFFERS",
                "; ".join(r.differences[:2]),
            ]
            for r in results
        ]
        click.echo(table(["decision", "kind", "subject", "replay", "differences"], rows, max_col=80))
        click.echo(f"{len(results)} replayed, {len(results) - len(differing)} identical, {len(differing)} differ")
    if differing:
        sys.exit(1)


@decisions_group.command("verify")
@click.option("--log", "log_path", required=True, type=click.Path(dir_okay=False), help="The decision log.")
@click.pass_obj
@friendly_errors
def verify_command(state: State, log_path: str) -> None:
    """Check every line of the log and its hash chain (exit status 1 when broken)."""
    from employkit.accountability.log import DecisionLog

    log = DecisionLog(log_path)
    problems = log.verify()
    records, _ = log.read()
    for p in problems:
        click.echo(f"  - {p}")
    click.echo(f"{log_path}: {len(records)} record(s), {len(problems)} problem(s)")
    if problems:
        sys.exit(1)


# ---------------------------------------------------------------------- overrides


@cli.group("overrides")
def overrides_group() -> None:
    """Counsellors' overrides of segments."""


@overrides_group.command("report")
@click.option("--log", "log_path", required=True, type=click.Path(dir_okay=False), help="The decision log.")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True)
@click.option("--publish", is_flag=True, help="Suppress small cells in the segment and reason tables.")
@click.pass_obj
@friendly_errors
def overrides_report_command(
    state: State, log_path: str, as_of: dt.datetime | None, fmt: str, lang: str, publish: bool
) -> None:
    """Override rate by counsellor, segment and reason, from the decision log; flags
    rubber-stamping (almost never overriding) and outliers (z against the others)."""
    from employkit.accountability import monitoring as mon
    from employkit.accountability.log import DecisionLog
    from employkit.render.monitoring import render_table

    profiles, owners = mon.profiles_from_log(DecisionLog(log_path).records())
    day = to_date(as_of, default_today=True)  # a log of decisions: today unless asked
    report = mon.monitor_overrides(profiles, state.system(), day, counsellors=owners, publish=publish)
    if fmt == "json":
        click.echo(json.dumps(mon.to_data(report), ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(report, _lang(lang)), nl=False)
