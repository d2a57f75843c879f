"""``employkit validate``: check a centre dataset and list every problem."""

from __future__ import annotations

import sys
from typing import Any

import click

from employkit.cli._output import table
from employkit.cli._source import check_location
from employkit.cli.app import State, cli, echo_json, friendly_errors
from employkit.errors import DataError, Problem


def _problems(source: Any, location: str) -> list[Problem]:
    """Every problem, warnings included when the source can list them without loading."""
    check = getattr(source, "validate", None)
    if callable(check):
        return list(check(location))
    try:
        source.open(location)
    except DataError as exc:
        return list(exc.problems)
    return []


def _record(p: Problem) -> dict[str, Any]:
    return {
        "severity": p.severity,
        "table": p.table,
        "file": p.file,
        "row": p.row,
        "column": p.column,
        "value": p.value,
        "reason": p.reason,
    }


@cli.command("validate")
@click.option(
    "--source",
    "location",
    required=True,
    callback=check_location,
    help="The dataset: a folder of CSV or JSON Lines files, a .sqlite or .xlsx file, or 'sample'.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
@friendly_errors
def validate_command(state: State, location: str, as_json: bool) -> None:
    """Check a dataset: list every problem with its file, row and column.

    Exit status 1 when there are errors, 0 when there are none (warnings allowed), 2 when
    the source cannot be opened at all.
    """
    from employkit.sources import find_source

    source = find_source(location, state.system())
    problems = _problems(source, location)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if as_json:
        echo_json(
            {"source": location, "errors": errors, "warnings": warnings, "problems": [_record(p) for p in problems]}
        )
    else:
        if problems:
            rows = [
                (
                    p.severity,
                    p.table or "",
                    p.file or "",
                    "" if p.row is None else str(p.row),
                    p.column or "",
                    "" if p.value is None else p.value,
                    p.reason,
                )
                for p in problems
            ]
            click.echo(table(["severity", "table", "file", "row", "column", "value", "reason"], rows, max_col=100))
        click.echo(f"{location}: {errors} error(s), {warnings} warning(s)")
    if errors:
        sys.exit(1)
