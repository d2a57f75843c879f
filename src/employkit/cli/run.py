"""``employkit run``: the main job on one centre's records."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Literal

import click

from employkit.cli._output import check_output_path, store_errors
from employkit.cli._source import open_dataset, source_option
from employkit.cli._whatif import compare_lines, param_option, what_if
from employkit.cli.app import State, as_of_option, cli, friendly_errors, to_date


@cli.command("run")
@source_option
@as_of_option
@click.option(
    "--out",
    default="employkit-report",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The report folder (replaced whole when the run succeeds; left as it was when it does not).",
)
@click.option(
    "--store",
    default=None,
    type=click.Path(dir_okay=False),
    help="The follow-up store (SQLite). Default: the centre's — [followup] store in employkit.toml, "
    "else employkit-followup-<centre>.sqlite beside employkit.toml (or in this folder).",
)
@click.option("--typology", default=None, help="Seeker typology id (default: the centre's, else the national one).")
@click.option("--employer-typology", default=None, help="Employer typology id (default: the centre's).")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 100), help="Matches kept per list.")
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True, help="Report language.")
@click.option("--progress/--no-progress", default=None, help="Progress bars (default: when a terminal).")
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="Replace seeker and placement ids in the report by keyed pseudonyms (for a report that leaves the "
    "centre); the key is EMPLOYKIT_PSEUDONYM_KEY or [privacy] pseudonym_key_file / pseudonym_key.",
)
@param_option
@click.pass_obj
@friendly_errors
@store_errors("store")
def run_command(
    state: State,
    location: str,
    as_of: dt.datetime | None,
    out: str,
    store: str | None,
    typology: str | None,
    employer_typology: str | None,
    top: int,
    lang: Literal["ko", "en"],
    progress: bool | None,
    pseudonymise: bool,
    params: tuple[str, ...] = (),
) -> None:
    """Profile, match, schedule follow-ups and compute the KPIs of a centre; write a report.

    Loads and validates the records (the bundled sample centre by default), then writes
    report.html (with charts), report.md, kpis.json, profiles.csv, employer_profiles.csv,
    matches.csv, followups.csv and run.json into --out, and prints a summary.
    """
    from employkit.pipeline import run_centre
    from employkit.privacy import pseudonym_key

    check_output_path(out, "--out", folder=True)
    if store:
        check_output_path(store, "--store")
    key = pseudonym_key(state.system()) if pseudonymise else None  # before any work: no key, nothing written
    show = sys.stderr.isatty() if progress is None else progress
    data = open_dataset(state, location)
    system, overrides = what_if(state.system(), params)
    result = run_centre(
        data,
        system,
        out,
        as_of=to_date(as_of) if as_of is not None else None,  # None: the centre's reference date
        store=store,
        top=top,
        typology=typology,
        employer_typology=employer_typology,
        lang=lang,
        progress=show,
        echo=(lambda line: click.echo(f"… {line}", err=True)) if show else None,
        pseudonym_key=key,
    )
    click.echo(result.summary(lang))
    if overrides:  # what-if: the KPIs against the baseline's
        from employkit.metrics.report import kpi_report

        day = result.as_of
        before, after = (kpi_report(data, s, day, publish=False) for s in (state.system(), system))
        rows = [(r.value.kpi_id, before.get(r.value.kpi_id).value.value, r.value.value) for r in after.results]
        click.echo("\n".join(compare_lines(rows, overrides, lang)))
