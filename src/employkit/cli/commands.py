"""The built-in commands: ``plugins`` and ``rules`` (later domains add theirs here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from employkit.cli import State, as_of_option, cli, echo_json, friendly_errors, to_date
from employkit.cli._output import table


def _pack_record(pack: Any, active: bool) -> dict[str, Any]:
    return {
        "name": pack.info.name,
        "version": pack.info.version,
        "layer": pack.info.layer.code,
        "title": {"ko": pack.info.title.ko, "en": pack.info.title.en},
        "origin": pack.origin,
        "hooks": list(pack.hooks),
        "overrides": sorted(pack.info.overrides),
        "active": active,
    }


@cli.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
@friendly_errors
def plugins_command(state: State, as_json: bool) -> None:
    """List loaded packs, packs that failed to load, conflicts and gaps."""
    system = state.system()
    host = system.host
    active = {p.name for p in system.active}
    data = {
        "packs": [_pack_record(p, p.name in active) for p in host.packs if p.name not in host.failed_names()],
        "failed": [{"name": f.name, "origin": f.origin, "stage": f.stage, "reason": f.reason} for f in host.failures],
        "skipped": sorted(host.skipped),
        "conflicts": [
            {"id": c.id, "kind": c.kind, "packs": list(c.packs), "reason": c.reason} for c in system.conflicts
        ],
        "gaps": [{"id": g.id, "pack": g.pack, "reason": g.reason} for g in system.gaps],
    }
    if as_json:
        echo_json(data)
        return
    rows = [
        (
            p["name"],
            p["version"],
            p["layer"],
            "yes" if p["active"] else "no",
            p["title"]["ko"],
            ", ".join(h.removeprefix("employkit_") for h in p["hooks"]),
        )
        for p in data["packs"]
    ]
    click.echo(table(["pack", "version", "layer", "active", "title", "hooks"], rows, max_col=80))
    for f in data["failed"]:
        click.echo(f"FAILED {f['name']} at {f['stage']}: {f['reason']}\n       from {f['origin']}")
    for name in data["skipped"]:
        click.echo(f"skipped {name} (EMPLOYKIT_PLUGINS / EMPLOYKIT_DISABLE_PLUGINS)")
    for c in system.conflicts:
        click.echo(f"CONFLICT {c}")
    for g in system.gaps:
        click.echo(f"GAP {g}")


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@cli.command("rules")
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--kind", default=None, help="Only this kind: parameter, seeker_typology, kpi, …")
@click.pass_obj
@friendly_errors
def rules_command(state: State, as_of: dt.datetime | None, as_json: bool, kind: str | None) -> None:
    """List every rule and parameter in force, with its pack, dates and source."""
    day = to_date(as_of)
    system = state.system()
    entries = [e for e in system.catalogue(day) if kind is None or e.kind == kind]
    if as_json:
        echo_json({"as_of": day, "entries": entries, "gaps": list(system.gaps)})
        return
    rows = [
        (
            e.id,
            e.kind,
            _show_value(e.value) if e.kind == "parameter" else "",
            f"{e.pack} {e.pack_version}".strip(),
            f"{e.effective_from or '…'}–{e.effective_to or '…'}" if e.status == "in force" else e.status,
            str(e.source or ""),
        )
        for e in entries
    ]
    click.echo(f"as of {day.isoformat()}")
    click.echo(table(["id", "kind", "value", "pack", "in force", "source"], rows))


@cli.command("new-plugin")
@click.argument("name")
@click.option("--dir", "directory", default=".", show_default=True, type=click.Path(file_okay=False), help="Where.")
@click.option(
    "--layer",
    type=click.Choice(["district", "regional"]),
    default="district",
    show_default=True,
    help="The pack's layer: a district (기초) or a province (광역).",
)
@click.option("--title", default=None, help="The pack's title, e.g. '강남구 일자리센터'.")
@friendly_errors
def new_plugin_command(name: str, directory: str, layer: str, title: str | None) -> None:
    """Write a new rule pack NAME into DIR/employkit-NAME, ready to install and test.

    The pack has a pyproject with the entry point, one dated parameter, one rule (a
    KPI) and tests written with employkit.testing, which pass as generated. Then:
    ``pip install -e DIR/employkit-NAME`` and ``employkit plugins`` lists it.
    """
    from employkit.scaffold import write_skeleton

    folder = write_skeleton(name, directory, layer=layer, title=title)
    click.echo(f"wrote {folder}")
    click.echo(f"next: pip install -e {folder} && employkit plugins && python -m pytest {folder / 'tests'}")
