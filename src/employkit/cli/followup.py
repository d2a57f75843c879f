"""``employkit followup``: schedule follow-up contacts, list what is due, record outcomes.

Each centre has its own store. Every command takes ``--store FILE``; without it the store
is :func:`employkit.stores.paths.default_store_path` — ``[followup] store`` in
``employkit.toml`` (relative to that file's folder) if set, else
``employkit-followup-<centre key>.sqlite`` beside the configuration (or in the current
directory), the same file ``employkit run`` writes. The centre is the dataset's
(``--source``) when it names one, else the configuration's ``[centre]``. The policy is
``--policy ID`` or ``[followup] policy``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from employkit.cli._output import store_errors, table
from employkit.cli._source import open_dataset, source_option
from employkit.cli.app import State, as_of_option, cli, echo_json, friendly_errors, to_date
from employkit.errors import ConfigError

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.stores.followup import FollowUpStore

_DATE = click.DateTime(formats=["%Y-%m-%d"])
_FORMAT = click.Choice(["table", "json", "csv"])
_STORE_HELP = (
    "The follow-up store (SQLite). Default: [followup] store in employkit.toml, else "
    "employkit-followup-<centre>.sqlite beside it (the store `employkit run` writes)."
)
_NO_STORE = (
    "no follow-up store: give --store FILE, set [followup] store in employkit.toml, or name the centre "
    "in its [centre] table (its store is then employkit-followup-<centre>.sqlite beside employkit.toml)"
)


def _centre_key(state: State, data: Dataset | None = None) -> str | None:
    """The key of the centre at work: the dataset's centre, else the configuration's ``[centre]``."""
    centre = data.centre if data is not None and data.centre is not None else state.config.centre
    return None if centre is None else str(centre.key)


def _store_path(state: State, given: str | None, key: str | None) -> Path | None:
    """``--store``, else the centre's default store; ``None`` when neither can be named."""
    from employkit.stores.paths import default_store_path

    if given:
        return Path(given)
    config = state.config
    if not config.setting("followup", "store") and key is None:
        # no centre named: the one store `employkit run` left in this folder, if there is exactly one
        found = sorted(Path.cwd().glob("employkit-followup-*.sqlite"))
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise ConfigError(f"{_NO_STORE}; this folder holds the stores of several centres: {names}")
        return found[0] if found else None
    return default_store_path(config, key or "")


def _open(state: State, given: str | None, *, write: bool) -> FollowUpStore:
    """An existing store; commands that write open it as the configured centre's."""
    from employkit.stores.followup import FollowUpStore, StoreError

    key = _centre_key(state)
    path = _store_path(state, given, key)
    if path is None:
        raise ConfigError(_NO_STORE)
    if not path.is_file():
        raise StoreError(
            f"no follow-up store at {path}; run `employkit followup schedule --source …` "
            "or `employkit run` for this centre first"
        )
    store = FollowUpStore(path, system=state.system(), centre=key if write else None)
    _adopted(store)
    return store


def _adopted(store: FollowUpStore) -> None:
    if store.adopted:
        click.echo(
            f"employkit: {store.path} recorded no centre; it now belongs to {store.centre} "
            f"(저장소가 {store.centre} 센터에 배정됨)",
            err=True,
        )


def _emit(rows: list[dict[str, Any]], fmt: str, headers: list[str], cells: Sequence[Sequence[object]]) -> None:
    from employkit.export import write_rows

    if fmt == "json":
        echo_json(rows)
    elif fmt == "csv":
        buf = io.StringIO()
        write_rows(rows, buf, "csv")
        click.echo(buf.getvalue(), nl=False)
    else:
        click.echo(table(headers, cells, max_col=60))


@cli.group("followup")
def followup_group() -> None:
    """Follow-up after placement (취업 후 사후관리): schedules, agenda, outcomes."""


@followup_group.command("schedule")
@source_option
@click.option("--store", "store_path", default=None, help=_STORE_HELP)
@click.option("--no-store", is_flag=True, help="List the contacts; store nothing.")
@click.option("--policy", "policy_id", default=None, help="Follow-up policy id; default [followup] policy.")
@as_of_option
@click.option("--format", "fmt", type=_FORMAT, default="table", show_default=True, help="Output format.")
@click.pass_obj
@friendly_errors
@store_errors("store_path")
def schedule_command(
    state: State,
    location: str,
    store_path: str | None,
    no_store: bool,
    policy_id: str | None,
    as_of: dt.datetime | None,
    fmt: str,
) -> None:
    """Schedule the follow-up contacts of every placement in a dataset.

    The contacts are kept in the centre's store (running it again adds nothing) and the
    dataset's recorded contacts are stored as outcomes. With ``--no-store``, or when no
    store can be named (no ``--store``, no ``[followup] store``, no centre), they are
    listed instead.
    """
    from employkit.followup.api import ROW_FIELDS, schedule_dataset

    if no_store and store_path:
        raise click.UsageError("--store and --no-store exclude each other")
    data = open_dataset(state, location)
    system = state.system()
    key = _centre_key(state, data)
    path = None if no_store else _store_path(state, store_path, key)
    day = to_date(as_of)
    if path is None:
        run = schedule_dataset(data, system, policy_id=policy_id, as_of=day)
        rows = run.rows()
        cells = [
            (r["placement_id"], r["kind"], r["label_ko"], r["due_on"], r["moved_because"] and f"← {r['nominal_on']}")
            for r in rows
        ]
        _emit(rows, fmt, ["placement", "kind", "contact", "due", "moved"], cells)
        if fmt == "table":
            why = "--no-store" if no_store else "no store: no --store, [followup] store or centre"
            click.echo(f"{len(run.schedules):,} placement(s), {run.contacts:,} contact(s); not stored ({why})")
        return
    from employkit.stores.followup import FollowUpStore

    with FollowUpStore(path, system=system, centre=key) as store:
        _adopted(store)
        run = schedule_dataset(data, system, store, policy_id=policy_id, as_of=day)
        counts = store.counts()
    summary = {
        "store": str(path),
        "centre": key,
        "policy": run.schedules[0].policy_id if run.schedules else policy_id,
        "placements": len(run.schedules),
        "contacts": run.contacts,
        "added": run.added,
        "imported": run.imported,
        "skipped": list(run.skipped),
        "store_counts": counts,
    }
    if fmt == "json":
        echo_json(summary)
    elif fmt == "csv":
        _emit(run.rows(), "csv", list(ROW_FIELDS), [])
    else:
        click.echo(
            f"{path}: {len(run.schedules):,} placement(s), {run.contacts:,} contact(s) scheduled, "
            f"{run.added:,} new; {run.imported:,} recorded contact(s) imported"
        )
        click.echo(
            f"follow-up: {counts['open']:,} open, {counts['completed']:,} completed, {counts['closed']:,} closed; "
            f"{counts['pending']:,} contact(s) pending, {counts['open_actions']:,} open action(s)"
        )
        for reason in run.skipped[:10]:
            click.echo(f"  not imported: {reason}")


@followup_group.command("due")
@click.option("--store", "store_path", default=None, help=_STORE_HELP)
@click.option("--from", "start", type=_DATE, required=True, help="First day of the window (YYYY-MM-DD).")
@click.option("--to", "end", type=_DATE, required=True, help="Last day of the window (YYYY-MM-DD).")
@click.option("--centre", default=None, help="Only this centre.")
@click.option("--counsellor", default=None, help="Only this counsellor's placements.")
@click.option("--overdue/--no-overdue", default=True, show_default=True, help="Also list items due before --from.")
@click.option("--format", "fmt", type=_FORMAT, default="table", show_default=True, help="Output format.")
@click.pass_obj
@friendly_errors
@store_errors("store_path")
def due_command(
    state: State,
    store_path: str | None,
    start: dt.datetime,
    end: dt.datetime,
    centre: str | None,
    counsellor: str | None,
    overdue: bool,
    fmt: str,
) -> None:
    """List the contacts and actions due in a window (and those overdue), by counsellor."""
    from employkit.stores.followup import StoreError, agenda_rows

    if end < start:
        raise StoreError(f"--to {end.date()} is before --from {start.date()}")
    with _open(state, store_path, write=False) as store:
        items = store.agenda(start.date(), end.date(), centre=centre, counsellor=counsellor, overdue=overdue)
    rows = agenda_rows(items)
    cells = [
        (
            i.due_on.isoformat(),
            "overdue" if i.overdue else "",
            i.counsellor or "-",
            i.placement_id,
            i.employment_type,
            i.item,
            i.label.ko,
        )
        for i in items
    ]
    _emit(rows, fmt, ["due", "", "counsellor", "placement", "type", "item", "what"], cells)
    if fmt == "table":
        late = sum(i.overdue for i in items)
        click.echo(f"{len(items) - late:,} due from {start.date()} to {end.date()}, {late:,} overdue")


@followup_group.command("record")
@click.option("--store", "store_path", default=None, help=_STORE_HELP)
@click.option("--placement", "placement_id", required=True, help="Placement id.")
@click.option("--outcome", required=True, help="still_employed, renewed, converted_regular, left_seeking, …")
@click.option("--on", "on", type=_DATE, default=None, help="Day of the contact (default today).")
@click.option("--contact", "contact_kind", default=None, help="Contact kind (default: the earliest pending).")
@click.option("--counsellor", default=None, help="Who made the contact.")
@click.option("--note", default=None, help="A note on the contact.")
@click.option(
    "--key",
    default=None,
    help="Request key: the same report sent again with it changes nothing; another report with it is refused.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
@friendly_errors
@store_errors("store_path")
def record_command(
    state: State,
    store_path: str | None,
    placement_id: str,
    outcome: str,
    on: dt.datetime | None,
    contact_kind: str | None,
    counsellor: str | None,
    note: str | None,
    key: str | None,
    as_json: bool,
) -> None:
    """Record what a follow-up contact found; store and print the actions it triggers.

    The date must lie between the placement's start and today. With ``--key``, sending
    the same report again changes nothing; a key already used for another report (another
    outcome, date, contact, counsellor, note or placement) is refused.
    """
    with _open(state, store_path, write=True) as store:
        done = store.record(
            placement_id,
            outcome,
            on=on.date() if on is not None else None,
            contact_kind=contact_kind,
            counsellor=counsellor,
            note=note,
            key=key,
        )
    if as_json:
        echo_json(
            {
                "placement_id": done.placement_id,
                "contact": done.contact_kind,
                "outcome": done.outcome.code,
                "contacted_on": done.contacted_on,
                "status": done.status,
                "result": done.result,
                "repeated": done.repeated,
                "actions": [
                    {
                        "code": a.code,
                        "label": {"ko": a.label.ko, "en": a.label.en},
                        "due_on": a.due_on,
                        "closes": a.closes,
                        "result": a.result,
                        "contact": a.contact_kind,
                    }
                    for a in done.actions
                ],
            }
        )
        return
    again = " (already recorded; nothing changed)" if done.repeated else ""
    click.echo(
        f"{done.placement_id}: {done.outcome.label.ko} ({done.outcome.code}) at {done.contact_kind} "
        f"on {done.contacted_on.isoformat()}{again}"
    )
    for a in done.actions:
        when = f" by {a.due_on.isoformat()}" if a.due_on else ""
        click.echo(f"  → {a.code}: {a.label.ko} / {a.label.en}{when}")
    result = f" ({done.result})" if done.result else ""
    click.echo(f"follow-up {done.status}{result}")


@followup_group.command("retention")
@click.option("--store", "store_path", default=None, help=_STORE_HELP)
@as_of_option
@click.option("--format", "fmt", type=_FORMAT, default="table", show_default=True, help="Output format.")
@click.pass_obj
@friendly_errors
@store_errors("store_path")
def retention_command(state: State, store_path: str | None, as_of: dt.datetime | None, fmt: str) -> None:
    """Who was still employed 1, 3, 6 and 12 months after starting (the KPI feed)."""
    from employkit.followup.retention import retention_rates

    day = to_date(as_of, default_today=True)  # the store's follow-ups as they stand today unless asked
    with _open(state, store_path, write=False) as store:
        rows = store.retention(as_of=day)
    if fmt != "table":
        flat = [r.as_dict() for r in rows]
        _emit(flat, fmt, [], [])
        return
    rates = retention_rates(rows)
    cells = [
        (
            f"{m}개월 ({m} mo)",
            f"{kept:,}",
            f"{known:,}",
            f"{len(rows) - known:,}",
            f"{100 * kept / known:.1f}%" if known else "—",
        )
        for m, (kept, known) in rates.items()
    ]
    click.echo(table(["point", "retained", "known", "unknown", "rate"], cells))


@followup_group.command("export")
@click.option("--store", "store_path", default=None, help=_STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.pass_obj
@friendly_errors
@store_errors("store_path")
def export_command(state: State, store_path: str | None, fmt: str) -> None:
    """Every contact with its outcome, as CSV or JSON."""
    with _open(state, store_path, write=False) as store:
        rows = store.history_rows()
    _emit(rows, fmt, [], [])
