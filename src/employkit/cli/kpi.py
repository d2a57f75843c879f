"""``employkit kpi``: every KPI of the active packs on a centre's records."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import click

from employkit.cli._output import check_output_path
from employkit.cli._source import open_dataset, source_option
from employkit.cli._whatif import compare_lines, param_option, what_if
from employkit.cli.app import State, as_of_option, cli, friendly_errors, to_date
from employkit.errors import ConfigError
from employkit.labels import Lang

FORMATS = ("table", "json", "csv", "markdown", "html")


def _parse_inputs(pairs: tuple[str, ...], files: tuple[str, ...]) -> dict[str, float]:
    """``--inputs FILE.toml`` tables, then ``--input NAME=NUMBER`` pairs (later wins)."""
    found: dict[str, float] = {}
    for name in files:
        try:
            data = tomllib.loads(Path(name).read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise ConfigError(f"--inputs {name}: cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"--inputs {name}: not UTF-8 text; save the file as UTF-8") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"--inputs {name}: not valid TOML: {exc}") from None
        except RecursionError:
            raise ConfigError(f"--inputs {name}: not valid TOML: arrays or tables nested too deeply") from None
        table = data.get("inputs", data)
        for key, value in _flatten(table):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"{name}: input {key!r} must be a number, got {value!r}")
            found[key] = value
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--input {pair!r}: expected NAME=NUMBER, e.g. population=421115")
        try:
            number = float(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise ConfigError(f"--input {pair!r}: {text!r} is not a number") from None
        found[key.strip()] = int(number) if number.is_integer() else number
    return found


def _flatten(table: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(_flatten(value, name + "."))
        else:
            out.append((name, value))
    return out


def _segments(path: str | None) -> dict[str, str] | None:
    """A CSV of ``seeker_id,segment`` rows (header optional)."""
    if path is None:
        return None
    import csv
    import io

    from employkit.sources.cells import RRN_REASON, find_rrn
    from employkit.sources.raw import decode

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"--segments {path}: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise ConfigError(
            f"--segments {path}: not a text file (it holds NUL bytes); expected a CSV of seeker_id,segment"
        )
    try:
        text, _ = decode(data)
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except UnicodeDecodeError:
        raise ConfigError(f"--segments {path}: not UTF-8 or CP949 text; save the CSV as UTF-8") from None
    except csv.Error as exc:
        raise ConfigError(f"--segments {path}: not a readable CSV ({exc})") from None
    for n, row in enumerate(rows, 1):
        if any(find_rrn(cell) for cell in row) or (len(row) > 1 and find_rrn(" ".join(row[:2]))):
            raise ConfigError(f"--segments {path}, row {n}: {RRN_REASON}")
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["seeker_id", "segment"]:
        rows = rows[1:]
    found: dict[str, str] = {}
    for n, row in enumerate(rows, 1):
        if len(row) < 2 or not row[0].strip():
            raise ConfigError(f"{path}, row {n}: expected seeker_id,segment")
        found[row[0].strip()] = row[1].strip()
    return found


@cli.command("kpi")
@source_option
@as_of_option
@click.option(
    "--year",
    type=click.IntRange(1900, 2100),
    default=None,
    help="The calendar year to report (default: the latest year of the records).",
)
@click.option("--by", "by", default=None, help="Break every KPI down by a column: age_band, wage_band, occupation, …")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True, help="Language of labels.")
@click.option(
    "--plot", "plot", type=click.Path(dir_okay=False), default=None, help="Also write the charts to this PNG."
)
@click.option("--ci", is_flag=True, help="Add Wilson confidence intervals to every proportion.")
@click.option("--kpi", "only", multiple=True, help="Only this KPI (key or rule id); repeatable.")
@click.option(
    "--input", "input_pairs", multiple=True, help="A KPI input NAME=NUMBER (e.g. population=421115); repeatable."
)
@click.option(
    "--inputs", "input_files", multiple=True, type=click.Path(dir_okay=False), help="A TOML file of KPI inputs."
)
@click.option("--segments", "segments_file", default=None, help="CSV of seeker_id,segment for --by segment.")
@click.option("--unsuppressed", is_flag=True, help="Show small cells (not for publication).")
@click.option(
    "--series",
    "freq",
    type=click.Choice(["month", "quarter", "year"]),
    default=None,
    help="A series: every KPI for each month, quarter or year (of --year, else of all the records).",
)
@click.option(
    "--curve",
    type=click.Choice(["placement", "retention"]),
    default=None,
    help="Kaplan–Meier curve by --by: placement within t months of registering, or retention after placement.",
)
@click.option(
    "--frame",
    "frame_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the result as a tidy table: .parquet (employkit[parquet]) or .csv.",
)
@param_option
@click.pass_obj
@friendly_errors
def kpi_command(
    state: State,
    location: str,
    as_of: dt.datetime | None,
    year: int | None,
    by: str | None,
    fmt: str,
    lang: str,
    plot: str | None,
    ci: bool,
    only: tuple[str, ...],
    input_pairs: tuple[str, ...],
    input_files: tuple[str, ...],
    segments_file: str | None,
    unsuppressed: bool,
    freq: str | None,
    curve: str | None,
    frame_path: str | None,
    params: tuple[str, ...],
) -> None:
    """Compute the KPIs of a centre: employment rate, target achievement, funnels, retention…

    Every value keeps its exact numerator and denominator and names the pack that
    defines it. Published output suppresses cells under metrics.suppression.min_cell
    people unless --unsuppressed is given. Figures that are not records (population,
    counselling counts, job-board openings…) come from --input / --inputs or the
    centre's [metrics.inputs].

    For research: --series gives every KPI per month, quarter or year (unsuppressed
    unless published one period at a time); --curve gives censoring-aware
    Kaplan–Meier curves by --by; --frame writes the tidy table (Parquet or CSV);
    --param ID=VALUE runs a what-if and prints what changed against the baseline.
    --plot writes the report's charts, and beside them (NAME-rates.png) each rate
    with its interval by group; with --series or --curve it draws that instead.
    """
    from employkit.metrics import report as rep
    from employkit.render import kpis as rendered

    language: Lang = "ko" if lang == "ko" else "en"
    if plot:
        check_output_path(plot, "--plot")
    data = open_dataset(state, location)
    baseline = state.system()
    system, overrides = what_if(baseline, params)
    if freq is not None and curve is not None:
        raise click.BadParameter("give --series or --curve, not both", param_hint="--series/--curve")
    if freq is not None or curve is not None:
        _research(data, system, to_date(as_of), year, by, only, freq, curve, fmt, language, plot, frame_path, ci)
        return
    report = rep.kpi_report(
        data,
        system,
        to_date(as_of),
        year=year,
        by=by,
        inputs=_parse_inputs(input_pairs, input_files),
        segments=_segments(segments_file),
        ci=ci,
        only=only or None,
        publish=not unsuppressed,
    )
    if fmt == "json":
        from employkit.sources.cells import mask_data

        click.echo(json.dumps(mask_data(rendered.to_data(report)), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(rendered.render_csv(report), nl=False)
    elif fmt == "markdown":
        click.echo(rendered.render_markdown(report, language), nl=False)
    elif fmt == "html":
        charts = _charts(data, system, report, language)
        click.echo(rendered.render_html(report, language, charts), nl=False)
    else:
        click.echo(rendered.render_table(report, language))
    if overrides:
        before = rep.kpi_report(
            data,
            baseline,
            to_date(as_of),
            year=year,
            by=by,
            inputs=_parse_inputs(input_pairs, input_files),
            segments=_segments(segments_file),
            only=only or None,
            publish=not unsuppressed,
        )
        click.echo("\n".join(compare_lines(_compared(before, report), overrides, language)), err=fmt != "table")
    if frame_path:
        click.echo(f"table written to {_write_frame(report, frame_path)}", err=True)
    if plot:
        from employkit.render.charts import plot_dashboard
        from employkit.render.plots import plot_rates

        written = plot_dashboard(data, system, report, plot, language)
        click.echo(f"chart written to {written}", err=True)
        rates = Path(plot).with_name(f"{Path(plot).stem}-rates.png")
        plot_rates(report, rates, kpis=only or None, lang=language)
        click.echo(f"rates with intervals written to {rates}", err=True)


def _compared(before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    """``(KPI or cell, baseline value, what-if value)`` for every KPI and breakdown cell."""
    rows = []
    for r in after.results:
        try:
            old = before.get(r.value.kpi_id).value
        except KeyError:
            continue
        rows.append((r.value.kpi_id, old.value, r.value.value))
        for key, cell in r.value.breakdown.items():
            other = old.breakdown.get(key)
            rows.append((f"{r.value.kpi_id}[{key}]", other.value if other is not None else None, cell.value))
    return rows


def _write_frame(result: Any, path: str) -> str:
    from employkit.frames import to_frame, to_parquet

    if path.lower().endswith(".parquet"):
        to_parquet(result, path)
    elif path.lower().endswith(".csv"):
        to_frame(result).to_csv(path, index=False)
    else:
        raise click.BadParameter("end the name in .parquet or .csv", param_hint="--frame")
    return path


def _research(
    data: Any,
    system: Any,
    as_of: dt.date,
    year: int | None,
    by: str | None,
    only: tuple[str, ...],
    freq: str | None,
    curve: str | None,
    fmt: str,
    lang: Lang,
    plot: str | None,
    frame_path: str | None,
    ci: bool,
) -> None:
    """``--series`` and ``--curve``: a tidy table on standard output, optional frame and plot."""
    import csv
    import io

    if curve is not None:
        from employkit.metrics.survival import placement_curves, retention_curves

        make = placement_curves if curve == "placement" else retention_curves
        start = dt.date(year, 1, 1) if year is not None else None
        result: Any = make(data, as_of, by=by, system=system, start=start)
        rows = result.table((1, 3, 6, 12))
        columns = ["group", "months", "value", "lower", "upper", "at_risk", "subjects"]
    else:
        from employkit.metrics.series import kpi_series

        assert freq is not None
        start, end = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year is not None else (None, None)
        result = kpi_series(data, system, freq, start, end, as_of=as_of, by=by, only=only or None, ci=ci)
        rows = [r for r in result.rows() if r.get("step") is None]
        columns = ["period", "kpi_id", "cell", "value", "numerator", "denominator", "interval_low", "interval_high"]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        click.echo("\t".join(columns))
        for row in rows:
            click.echo("\t".join(_cell(row.get(c)) for c in columns))
    if frame_path:
        click.echo(f"table written to {_write_frame(result, frame_path)}", err=True)
    if plot:
        from employkit.render.plots import plot_curves, plot_series

        if curve is not None:
            plot_curves(result, plot, lang=lang)
        else:
            kpis = list(only) or ["employment_rate", "placements"]
            plot_series(result, kpis, plot, lang=lang)
        click.echo(f"chart written to {plot}", err=True)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def _charts(data: Any, system: Any, report: Any, lang: Any) -> dict[str, bytes]:
    from employkit.render.charts import PlotUnavailable, report_charts

    try:
        return report_charts(data, system, report, lang)
    except PlotUnavailable:
        return {}
