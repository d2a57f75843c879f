"""``employkit eligibility``: which programmes a seeker, a firm or a whole centre qualifies for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from employkit.cli._output import table
from employkit.cli._source import open_dataset, source_option
from employkit.cli.app import State, as_of_option, cli, echo_json, friendly_errors, to_date
from employkit.errors import DataError, Problem


def _amount(e: Any) -> str:
    g = e.grant
    parts = []
    if g.amount is not None:
        parts.append(f"{g.amount:,} {g.amount_unit or ''}".strip())
    if g.period is not None:
        parts.append(f"{g.period} {g.period_unit or ''}".strip())
    if g.total is not None:
        parts.append(f"= {g.total:,} KRW")
    return " × ".join(parts[:2]) + (f" {parts[2]}" if len(parts) > 2 else "")


def _show(found: list[Any], who: str, fmt: str) -> None:
    if fmt == "json":
        echo_json([{**e.to_row(), "explanation": e.explanation} for e in found])
        return
    if not found:
        click.echo(f"{who}: no programme in force for this subject on this date")
        return
    for e in found:
        click.echo(f"{e.title.ko} ({e.title.en}) · {e.subject_id}")
        click.echo(f"  {e.label.ko} / {e.label.en}" + (f" · {_amount(e)}" if _amount(e) else ""))
        click.echo(e.explanation.render("ko", indent="  "))
        click.echo(e.explanation.render("en", indent="  "))
        click.echo("")


def _summary_rows(summary: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for s in summary:
        st = s["status"]
        total = s["total_krw"]
        rows.append(
            (
                s["programme_ko"],
                s["subject"],
                f"{s['subjects']:,}",
                f"{st['eligible']:,}",
                f"{st['not_eligible']:,}",
                f"{st['review']:,}",
                f"{st['missing']:,}",
                "—" if total is None else f"{total:,}",
            )
        )
    return rows


@cli.command("eligibility")
@source_option
@click.option("--seeker", "seeker_id", default=None, help="One jobseeker's programmes, with explanations.")
@click.option(
    "--employer", "employer_id", default=None, help="One firm's programmes and its hires', with explanations."
)
@click.option("--programme", "programme_ids", multiple=True, help="Only this programme id (repeatable).")
@as_of_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output."
)
@click.pass_obj
@friendly_errors
def eligibility_command(
    state: State,
    location: str,
    seeker_id: str | None,
    employer_id: str | None,
    programme_ids: tuple[str, ...],
    as_of: dt.datetime | None,
    fmt: str,
) -> None:
    """Programme eligibility (지원 사업 대상): for one seeker or firm, or counts for the whole centre.

    Each programme in force on the date gives eligible, not eligible, needs review, or
    missing facts (naming them), with the amount and period it grants.
    """
    from employkit.programmes import evaluate_centre

    if seeker_id is not None and employer_id is not None:
        raise click.UsageError("give --seeker or --employer, not both")
    data = open_dataset(state, location)
    day = to_date(as_of)
    system = state.system()
    centre = evaluate_centre(data, system, day, programme_ids or None)
    if seeker_id is not None or employer_id is not None:
        subject, ident = ("seeker", seeker_id) if seeker_id is not None else ("employer", employer_id)
        assert ident is not None
        known = data.seekers_by_id if subject == "seeker" else data.employers_by_id
        if ident not in known:
            raise DataError([Problem(f"no {subject} with id {ident!r}", file=location)], "not found")
        found = centre.of(subject, ident, system)
        if subject == "employer":
            found += centre.hires_of(ident, system)
        _show(found, f"{subject} {ident}", fmt)
        return
    summary = centre.summary()
    if fmt == "json":
        echo_json({"as_of": day, "programmes": summary})
        return
    click.echo(f"programme eligibility · as of {day.isoformat()} · {len(summary)} programme(s) in force")
    headers = ["programme", "subject", "n", "eligible", "not eligible", "review", "missing", "total KRW"]
    click.echo(table(headers, _summary_rows(summary), max_col=40))
