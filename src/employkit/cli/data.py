"""``employkit synth``: write a seeded synthetic centre, streaming, in bounded memory."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from employkit.cli import State, cli, echo_json, friendly_errors

ENCODINGS = ("utf-8", "utf-8-sig", "cp949")


def _check_target(out: Path, fmt: str) -> None:
    """Refuse an ``--out`` whose suffix the chosen format's reader would not recognise."""
    from employkit.sources.excel import EXCEL_SUFFIXES
    from employkit.sources.readers import SQLITE_SUFFIXES
    from employkit.sources.writers import format_for

    suffix = out.suffix.lower()
    if fmt == "sqlite" and suffix not in SQLITE_SUFFIXES:
        raise click.BadParameter("for --format sqlite, end the name in .sqlite, .sqlite3 or .db", param_hint="--out")
    if fmt == "xlsx" and suffix not in EXCEL_SUFFIXES:
        raise click.BadParameter("for --format xlsx, end the name in .xlsx", param_hint="--out")
    if fmt in ("csv", "jsonl") and format_for(out, fmt) != fmt:
        raise click.BadParameter(f"--format {fmt} writes a folder; {out.name} names a {format_for(out)} file")


@cli.command("synth")
@click.option("--seekers", type=click.IntRange(min=1), required=True, help="Number of jobseekers.")
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
    fmt: str | None,
    encoding: str,
    as_json: bool,
) -> None:
    """Write a seeded synthetic centre calibrated to the sample's (Jung-gu 2015) marginals.

    Placements keep the sample's rate (35.2% of seekers), residents' share (44%), age,
    wage and occupation shares. Rows are written as they are generated, so memory stays
    bounded from hundreds to millions of rows. A progress bar shows on standard error
    when it is a terminal. The output is replaced only when writing succeeds.
    """
    from tqdm import tqdm

    from employkit.sources.excel import MAX_ROWS
    from employkit.sources.writers import format_for, write_records
    from employkit.synth import JUNGGU_2015, generate

    fmt = fmt or format_for(out)
    _check_target(out, fmt)
    spec = JUNGGU_2015.scaled(seekers, vacancies, seed=seed)
    if fmt == "xlsx" and max(spec.seekers, spec.employers) >= MAX_ROWS:
        raise click.BadParameter(
            f"an Excel sheet holds at most {MAX_ROWS:,} rows (header included); use csv, jsonl or sqlite",
            param_hint="--seekers/--vacancies",
        )
    expected = spec.seekers + 2 * spec.employers + 2 * spec.placements  # follow-ups: at most one per placement
    started = time.perf_counter()
    with tqdm(
        total=expected, unit="rows", unit_scale=True, file=sys.stderr, disable=not sys.stderr.isatty(), leave=False
    ) as bar:

        def advance(rows: int) -> None:
            bar.update(rows)

        try:
            counts = write_records(generate(spec), out, fmt, encoding=encoding, progress=advance)
        except OSError as exc:  # an --out folder holding other files, no permission, disk full
            raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    seconds = time.perf_counter() - started
    rows = sum(counts.values())
    summary: dict[str, Any] = {
        "out": str(out),
        "format": fmt,
        "seed": seed,
        "rows": counts,
        "openings": spec.openings,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if seconds > 0 else None,
    }
    if as_json:
        echo_json(summary)
        return
    parts = ", ".join(f"{n:,} {table}" for table, n in counts.items())
    click.echo(f"wrote {parts} ({spec.openings:,} openings) to {out} ({fmt}) in {seconds:.1f} s")
