"""``employkit synth``: write a seeded synthetic centre, streaming, in bounded memory."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import click

from employkit.cli.app import State, cli, echo_json, friendly_errors

ENCODINGS = ("utf-8", "utf-8-sig", "cp949")


def _check_target(out: Path, fmt: str) -> None:
    """Refuse an ``--out`` whose suffix the chosen format's reader would not recognise."""
    from employkit.sources.excel import EXCEL_SUFFIXES
    from employkit.sources.sqlite import SQLITE_SUFFIXES
    from employkit.sources.writers import format_for

    suffix = out.suffix.lower()
    if fmt == "sqlite" and suffix not in SQLITE_SUFFIXES:
        raise click.BadParameter("for --format sqlite, end the name in .sqlite, .sqlite3 or .db", param_hint="--out")
    if fmt == "xlsx" and suffix not in EXCEL_SUFFIXES:
        raise click.BadParameter("for --format xlsx, end the name in .xlsx", param_hint="--out")
    if fmt in ("csv", "jsonl") and format_for(out, fmt) != fmt:
        raise click.BadParameter(f"--format {fmt} writes a folder; {out.name} names a {format_for(out)} file")


@cli.command("synth")
@click.option(
    "--seekers", type=click.IntRange(min=1), required=True, help="Number of jobseekers (first registrations)."
)
@click.option(
    "--vacancies",
    type=click.IntRange(min=1),
    required=True,
    help="Number of vacancies (one per employer; openings scale with the sample's 2,239 per 1,302).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder for csv/jsonl; a .sqlite/.db or .xlsx file for sqlite/xlsx.",
)
@click.option("--seed", type=int, default=2015, show_default=True, help="Random seed: the same seed, the same data.")
@click.option(
    "--years",
    type=click.IntRange(min=1, max=50),
    default=None,
    help="Calendar years of registrations, ending with --end's year (default 3; not with --start).",
)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First registration day (YYYY-MM-DD).")
@click.option(
    "--end", type=click.DateTime(["%Y-%m-%d"]), default="2015-12-31", show_default=True, help="Last day of the period."
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Extraction day: follow-up contacts up to this day (default: --end).",
)
@click.option(
    "--national", is_flag=True, help="Every province and district; --seekers and --vacancies are national totals."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "sqlite", "xlsx"]),
    default=None,
    help="Output format (default: from the --out suffix, else csv).",
)
@click.option(
    "--encoding", type=click.Choice(ENCODINGS), default="utf-8", show_default=True, help="Encoding of CSV files."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
@friendly_errors
def synth_command(
    state: State,
    seekers: int,
    vacancies: int,
    out: Path,
    seed: int,
    years: int | None,
    start: dt.datetime | None,
    end: dt.datetime,
    until: dt.datetime | None,
    national: bool,
    fmt: str | None,
    encoding: str,
    as_json: bool,
) -> None:
    """Write a seeded synthetic centre calibrated to the sample's (Jung-gu 2015) marginals.

    Registrations spread over every month of the period (three calendar years by
    default) with a seasonal profile; placements keep the sample's rate (35.2% of
    seekers), residents' share (44%), age, wage and occupation shares. Each placement has
    follow-up contacts at the national policy's points up to the extraction day, with
    outcomes (retained, left, unreachable); some who leave seeking work register again
    (id ending in R1). Seekers and firms carry the facts programme eligibility reads
    (unemployment start, insured days, SME, special industry …; see
    employkit.synth_programmes), so `employkit eligibility` decides on them. With
    --national every district of every province is a centre.
    The centre (name, level, region, targets and the reporting period) is written
    beside the data (centre.toml, or a centre table in SQLite). Rows are written as they
    are generated, so memory stays bounded. The output is replaced only when writing
    succeeds.
    """
    from tqdm import tqdm

    from employkit.sources.excel import MAX_ROWS
    from employkit.sources.writers import format_for, write_records
    from employkit.synth import JUNGGU_2015, generate, synth_centre
    from employkit.synth_national import national_records

    fmt = fmt or format_for(out)
    _check_target(out, fmt)
    last = end.date()
    if start is not None and years is not None:
        raise click.BadParameter("give --start or --years, not both", param_hint="--years")
    first = start.date() if start is not None else dt.date(last.year - (years or 3) + 1, 1, 1)
    if (last - first).days < 14:
        raise click.BadParameter(f"the period {first}–{last} must be at least 15 days long", param_hint="--start/--end")
    extracted = until.date() if until is not None else last
    if extracted < last:
        raise click.BadParameter(
            f"the extraction day {extracted} is before the period's end {last}", param_hint="--until"
        )
    spec = JUNGGU_2015.scaled(seekers, vacancies, seed=seed).over(first, last, extracted)
    if fmt == "xlsx" and max(spec.seekers, spec.employers) * 2 >= MAX_ROWS:
        raise click.BadParameter(
            f"an Excel sheet holds at most {MAX_ROWS:,} rows (header included, re-registrations counted); "
            "use csv, jsonl or sqlite",
            param_hint="--seekers/--vacancies",
        )
    centre = synth_centre(spec, national=national)
    records = national_records(spec, seekers, vacancies) if national else generate(spec)
    expected = spec.seekers + 2 * spec.employers + 7 * spec.placements
    started = time.perf_counter()
    with tqdm(
        total=expected, unit="rows", unit_scale=True, file=sys.stderr, disable=not sys.stderr.isatty(), leave=False
    ) as bar:

        def advance(rows: int) -> None:
            bar.update(rows)

        try:
            counts = write_records(records, out, fmt, encoding=encoding, progress=advance, centre=centre)
        except OSError as exc:  # an --out folder holding other files, no permission, disk full
            raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    seconds = time.perf_counter() - started
    rows = sum(counts.values())
    summary: dict[str, Any] = {
        "out": str(out),
        "format": fmt,
        "seed": seed,
        "period": {"start": first.isoformat(), "end": last.isoformat(), "extracted": extracted.isoformat()},
        "national": national,
        "rows": counts,
        "re_registrations": counts.get("seekers", 0) - seekers,
        "openings": None if national else spec.openings,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if seconds > 0 else None,
    }
    if as_json:
        echo_json(summary)
        return
    parts = ", ".join(f"{n:,} {table}" for table, n in counts.items())
    opened = "" if national else f" ({spec.openings:,} openings)"
    click.echo(
        f"wrote {parts}{opened} to {out} ({fmt}), registrations {first}–{last}, "
        f"{summary['re_registrations']:,} re-registrations, in {seconds:.1f} s"
    )
