"""The built-in commands: ``plugins`` and ``rules`` (later domains add theirs here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from employkit.cli._output import table
from employkit.cli.app import State, as_of_option, cli, echo_json, friendly_errors, to_date


def _pack_record(pack: Any, system: Any) -> dict[str, Any]:
    act = system.activation.get(pack.info.name)
    return {
        "name": pack.info.name,
        "version": pack.info.version,
        "layer": pack.info.layer.code,
        "regions": list(pack.info.regions),
        "title": {"ko": pack.info.title.ko, "en": pack.info.title.en},
        "origin": pack.origin,
        "hooks": list(pack.hooks),
        "active": bool(act and act.active),
        "why": {"ko": act.reason.ko, "en": act.reason.en} if act else None,
        "overrides": [
            {
                "id": o.id,
                "kind": o.kind,
                "replaces": o.replaces,
                "value": o.value,
                "replaced_value": o.replaced_value,
                "source": str(o.source) if o.source else None,
            }
            for o in system.overrides_of(pack.info.name)
        ],
        "declared_overrides": sorted(pack.info.overrides),
    }


def centre_option(func: Any) -> Any:
    """``--centre REGION|FILE``: the centre whose packs to show (a region code or an employkit.toml)."""
    return click.option(
        "--centre",
        "centre",
        default=None,
        help="The centre: a region code (e.g. 11680) or its employkit.toml. Default: --config.",
    )(func)


def _centre_system(state: State, centre: str | None) -> Any:
    """The rule system of ``--centre`` (else of the configured centre)."""
    if centre is None:
        return state.system()
    from employkit.centre import CentreContext
    from employkit.config import load_config

    text = centre.strip()
    if text.isascii() and text.isdigit():
        from attrs import evolve

        from employkit.errors import ConfigError
        from employkit.model import Centre, CentreLevel

        config = state.config
        known = config.centre
        try:
            facts = Centre(
                name=known.name if known is not None else f"centre {text}",
                level=known.level if known is not None else CentreLevel.DISTRICT,
                region_code=text,
            )
        except ValueError as exc:
            raise ConfigError(f"--centre: {exc}") from None
        config = evolve(config, centre=facts)
    else:
        config = load_config(text)
    return CentreContext(config, host=state.host, strict=state.strict).system


@cli.command("plugins")
@centre_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
@friendly_errors
def plugins_command(state: State, centre: str | None, as_json: bool) -> None:
    """List installed packs, whether each applies to the centre and why, their overrides,
    packs that failed to load, conflicts and gaps."""
    system = _centre_system(state, centre)
    host = system.host
    region = system.region_code
    data: dict[str, Any] = {
        "centre": {
            "name": system.config.centre.name if system.config.centre else None,
            "region_code": region,
        },
        "packs": [_pack_record(p, system) for p in host.packs if p.name not in host.failed_names()],
        "failed": [{"name": f.name, "origin": f.origin, "stage": f.stage, "reason": f.reason} for f in host.failures],
        "skipped": sorted(host.skipped),
        "conflicts": [
            {"id": c.id, "kind": c.kind, "packs": list(c.packs), "reason": c.reason} for c in system.conflicts
        ],
        "gaps": [{"id": g.id, "pack": g.pack, "reason": g.reason} for g in system.gaps],
        "warnings": [
            f"{p['name']}: installed but applies to no configured centre ({p['why']['en']})"
            for p in [_pack_record(p, system) for p in host.packs if p.name not in host.failed_names()]
            if not p["active"]
        ],
    }
    if as_json:
        echo_json(data)
        return
    where = f"{data['centre']['name'] or 'centre'} ({region or 'no region code'})"
    click.echo(f"packs for {where}")
    rows = [
        (
            p["name"],
            p["version"],
            p["layer"],
            ", ".join(p["regions"]) or ("all" if p["layer"] == "national" else "–"),
            "yes" if p["active"] else "no",
            p["why"]["ko"] if p["why"] else "",
            ", ".join(h.removeprefix("employkit_") for h in p["hooks"]),
        )
        for p in data["packs"]
    ]
    click.echo(table(["pack", "version", "layer", "regions", "active", "why", "hooks"], rows, max_col=80))
    for p in data["packs"]:
        for o in p["overrides"]:
            shown = (
                f": {_show_value(o['value'])} (was {_show_value(o['replaced_value'])})"
                if o["value"] is not None
                else ""
            )
            click.echo(f"OVERRIDE {p['name']} {o['kind']} {o['id']}{shown}, replacing {o['replaces']}")
    for f in data["failed"]:
        click.echo(f"FAILED {f['name']} at {f['stage']}: {f['reason']}\n       from {f['origin']}")
    for name in data["skipped"]:
        click.echo(f"skipped {name} (EMPLOYKIT_PLUGINS / EMPLOYKIT_DISABLE_PLUGINS)")
    for c in system.conflicts:
        click.echo(f"CONFLICT {c}")
    for g in system.gaps:
        click.echo(f"GAP {g}")
    for w in data["warnings"]:
        click.echo(f"NOTE {w}")


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@cli.command("rules")
@centre_option
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--kind", default=None, help="Only this kind: parameter, seeker_typology, kpi, …")
@click.pass_obj
@friendly_errors
def rules_command(state: State, centre: str | None, as_of: dt.datetime | None, as_json: bool, kind: str | None) -> None:
    """List every rule and parameter in force for the centre, with its pack, dates and source.

    Parameters with no value on the date are listed as warnings, never left out silently.
    """
    day = to_date(as_of, default_today=True)
    system = _centre_system(state, centre)
    entries = [e for e in system.catalogue(day) if kind is None or e.kind == kind]
    unset = system.unset_parameters(day)
    if as_json:
        echo_json(
            {
                "as_of": day,
                "region_code": system.region_code,
                "packs": [p.name for p in system.active],
                "entries": entries,
                "gaps": list(system.gaps),
                "warnings": unset,
            }
        )
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
    click.echo(
        f"as of {day.isoformat()} · region {system.region_code or '–'} · packs "
        + ", ".join(f"{p.name} {p.info.version}" for p in system.active)
    )
    click.echo(table(["id", "kind", "value", "pack", "in force", "source"], rows))
    for line in unset:
        click.echo(f"WARNING {line}")


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
@click.option(
    "--region",
    "regions",
    multiple=True,
    help="A district (5 digits, e.g. 11680) or province (2 digits) the pack applies to; repeatable. "
    "Without one the pack applies only where a centre enables it by name.",
)
@friendly_errors
def new_plugin_command(name: str, directory: str, layer: str, title: str | None, regions: tuple[str, ...]) -> None:
    """Write a new rule pack NAME into DIR/employkit-NAME, ready to install and test.

    The pack has a pyproject with the entry point, one dated parameter, one rule (a
    KPI) and tests written with employkit.testing, which pass as generated. Then:
    ``pip install -e DIR/employkit-NAME`` and ``employkit plugins`` lists it.
    """
    from employkit.scaffold import write_skeleton

    folder = write_skeleton(name, directory, layer=layer, title=title, regions=regions)
    click.echo(f"wrote {folder}")
    click.echo(f"next: pip install -e {folder} && employkit plugins && python -m pytest {folder / 'tests'}")
