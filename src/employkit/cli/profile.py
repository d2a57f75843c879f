"""``employkit profile``: class every seeker (or firm) of a dataset, with pathways and a summary."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import click

from employkit.cli._output import table
from employkit.cli._source import open_dataset, source_option
from employkit.cli._whatif import compare_lines, param_option, what_if
from employkit.cli.app import State, as_of_option, cli, echo_json, friendly_errors, to_date
from employkit.errors import DataError, Problem, RuleNotFound
from employkit.export import SafeWriter


def _csv(fields: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, list(fields))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _summary_table(summary: dict[str, int], labels: dict[str, str]) -> str:
    total = sum(summary.values())
    rows = [
        (code, labels.get(code, ""), f"{n:,}", f"{100 * n / total:.1f}%" if total else "—")
        for code, n in summary.items()
    ]
    rows.append(("total", "합계", f"{total:,}", "100.0%" if total else "—"))
    return table(["segment", "label", "count", "share"], rows)


def _labels(segments: tuple[Any, ...]) -> dict[str, str]:
    out = {s.code: s.label.ko for s in segments}
    out.update({"not_profiled": "유형분류 불가 (항목 누락)", "not_applicable": "해당 없음"})
    return out


def _explain(profile: Any, fmt: str) -> None:
    if fmt == "json":
        echo_json(profile)
        return
    seg = profile.segment
    head = seg.label if seg else None
    click.echo(f"{profile.typology_id} · {profile.as_of.isoformat()}")
    ident = getattr(profile, "seeker_id", None) or getattr(profile, "employer_id", "")
    if seg is not None and head is not None:
        click.echo(f"{ident}: {seg.code} — {head.ko} ({head.en})")
        for n, service in enumerate(seg.pathway, 1):
            click.echo(f"  {n}. {service.label.ko} ({service.label.en}) [{service.code}]")
        for service in getattr(profile, "stage2", ()):
            click.echo(f"  2단계: {service.label.ko} ({service.label.en}) [{service.code}]")
    else:
        missing = ", ".join(profile.missing)
        click.echo(f"{ident}: " + (f"not profiled — missing {missing}" if missing else "not applicable"))
    click.echo(profile.explanation.render("ko"))
    click.echo(profile.explanation.render("en"))


@cli.command("profile")
@source_option
@click.option("--typology", "typology_id", default=None, help="Typology id (default: the centre's, else national).")
@as_of_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True, help="Output."
)
@click.option("--explain", "explain_id", default=None, help="Print one person's (or firm's) full explanation.")
@click.option("--by-vacancy", is_flag=True, help="With an employer typology: class each vacancy, not each firm.")
@param_option
@click.pass_obj
@friendly_errors
def profile_command(
    state: State,
    location: str,
    typology_id: str | None,
    as_of: dt.datetime | None,
    fmt: str,
    explain_id: str | None,
    by_vacancy: bool,
    params: tuple[str, ...] = (),
) -> None:
    """Class every seeker with a typology: segment, service pathway, and a count per segment.

    An employer typology (e.g. profiling.employer.national) classes the firms instead.
    """
    from employkit.profiling.api import (
        EMPLOYER_ROW_FIELDS,
        ROW_FIELDS,
        default_typology_id,
        profile_dataset,
        profile_employers,
    )

    data = open_dataset(state, location)
    day = to_date(as_of)
    system, overrides = what_if(state.system(), params)
    tid = typology_id or default_typology_id(system)
    try:
        kind = system.resolved_rule(tid).kind
    except RuleNotFound:  # reported by the profiling functions below, with the known ids
        kind = "seeker_typology"
    if kind == "employer_typology":
        result: Any = profile_employers(data, system, day, tid, by_vacancy=by_vacancy)
        fields = EMPLOYER_ROW_FIELDS
        key = "employer_id"
    else:
        # the centre's typology in force on each seeker's registration day, unless one is named
        result = profile_dataset(data, system, day, typology_id)
        fields = ROW_FIELDS
        key = "seeker_id"
    for note in getattr(result, "notes", ()):
        click.echo(f"employkit: note: {note}", err=True)

    if explain_id is not None:
        found = [p for p in result.profiles if getattr(p, key) == explain_id]
        if not found:
            raise DataError([Problem(f"no {key.split('_')[0]} with id {explain_id!r}", file=location)], "not found")
        for p in found:
            _explain(p, fmt)
        return

    rows = result.to_rows()
    summary = result.summary()
    compared_lines: list[str] = []
    if overrides:  # what-if: segment counts and changed people against the baseline
        base = state.system()
        before = (
            profile_employers(data, base, day, tid, by_vacancy=by_vacancy)
            if kind == "employer_typology"
            else profile_dataset(data, base, day, tid)
        )

        def where(p: Any) -> str:
            return str(p.segment.code if p.segment else getattr(p, "status", "not_profiled"))

        old = {getattr(p, key): where(p) for p in before.profiles}
        moved = sum(old.get(getattr(p, key)) != where(p) for p in result.profiles)
        counts = before.summary()
        compared = [(code, counts.get(code, 0), n) for code, n in summary.items()]
        compared.append(("moved", 0, moved))
        compared_lines = compare_lines(compared, overrides)
        if fmt != "table":
            click.echo("\n".join(compared_lines), err=True)
    if fmt == "json":
        echo_json({"typology": result.typology_id, "as_of": day, "summary": summary, "profiles": rows})
        return
    if fmt == "csv":
        click.echo(_csv(fields, rows), nl=False)
        return
    click.echo(f"{result.typology_id} · as of {day.isoformat()} · {len(rows):,} profile(s)")
    if key == "seeker_id":
        shown = [
            (r["seeker_id"], r["segment"] or r["status"], r["segment_ko"], r["pathway_ko"], r["missing"]) for r in rows
        ]
        click.echo(table(["seeker", "segment", "label", "pathway", "missing"], shown, max_col=70))
    else:
        shown = [
            (r["employer_id"], r["vacancy_id"], r["segment"] or r["status"], r["intervention_level"], r["stage1_ko"])
            for r in rows
        ]
        click.echo(table(["employer", "vacancy", "segment", "level", "stage 1"], shown, max_col=70))
    click.echo("")
    click.echo(_summary_table(summary, _labels(result.segments)))
    if compared_lines:
        click.echo("\n" + "\n".join(compared_lines))
