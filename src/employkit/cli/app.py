"""The root ``employkit`` command and what its sub-commands share.

The click group, the :class:`State` it hands to sub-commands, the ``--as-of`` option and
the error handling live here, apart from :mod:`employkit.cli`, so that command modules
import this module and :mod:`employkit.cli` imports them: one direction, no cycle.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from employkit._version import __version__
from employkit.errors import EmploykitError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 2


class State:
    """What the root command hands to sub-commands: the centre, its configuration and packs.

    The centre (:class:`~employkit.centre.CentreContext`) is built from ``--config`` and
    filled in from the data a command loads (its ``centre.toml``), so the rules, the
    evaluation date and the follow-up store are those of the centre the data belongs to.
    """

    def __init__(self, config_path: str | None = None, strict: bool = False) -> None:
        self.config_path = config_path
        self.strict = strict
        self._centre: Any = None
        self._host: Any = None
        self._loaded: dict[str, Any] = {}
        self._plugin_commands: dict[str, click.Command] | None = None

    @property
    def config(self) -> Any:
        """The centre configuration (empty when there is no file)."""
        from employkit.config import CentreConfig, load_config

        if self.config_path:
            return load_config(self.config_path)
        default = Path("employkit.toml")
        return load_config(default) if default.is_file() else CentreConfig()

    @property
    def host(self) -> Any:
        """The plugin host (loaded once). Packs the configuration disables are never imported."""
        if self._host is None:
            from employkit.plugins import PluginHost

            config = self.config
            deny = [n for n in config.disabled_packs if n != "national"] or None
            self._host = PluginHost(strict=True if self.strict else None, deny=deny)
        return self._host

    @property
    def centre(self) -> Any:
        """The centre this command works for (:class:`~employkit.centre.CentreContext`)."""
        if self._centre is None:
            from employkit.centre import CentreContext

            config = self.config
            self._centre = CentreContext(config, host=self.host, strict=self.strict or config.strict)
        return self._centre

    def system(self) -> Any:
        """The centre's rule system: the national pack, its region's packs, those it enables."""
        return self.centre.system

    def load(self, location: str) -> Any:
        """The dataset at ``location`` (read once), which becomes the centre's data."""
        if location not in self._loaded:
            self._loaded[location] = self.centre.load(location)
        else:
            self.centre.use(self._loaded[location])
        return self.centre.data


class EmploykitGroup(click.Group):
    """The root group: adds commands packs register through ``employkit_cli_commands``."""

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        state = ctx.find_root().ensure_object(State)
        if state._plugin_commands is None:
            commands: dict[str, click.Command] = {}
            try:
                found = state.host.collect(
                    "employkit_cli_commands", lambda c: isinstance(c, click.Command), "a click.Command"
                )
            except EmploykitError as exc:
                raise click.ClickException(str(exc)) from None
            for c in found:
                name = c.item.name
                if name in self.commands or name in commands:
                    click.echo(f"employkit: pack {c.pack.name} adds command {name!r}, which exists; left out", err=True)
                    continue
                commands[name] = c.item
            state._plugin_commands = commands
        return state._plugin_commands

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from employkit.cli._output import check_arguments

        check_arguments(args)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._plugin_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        return self._plugin_commands(ctx).get(cmd_name)


def friendly_errors(func: F) -> F:
    """Turn employkit errors into one message on standard error and exit status 2."""

    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EmploykitError as exc:
            from employkit.cli._output import safe_text

            click.echo(f"employkit: error: {safe_text(str(exc))}", err=True)
            sys.exit(EXIT_USER_ERROR)
        except BrokenPipeError:  # the output was closed (`| head`): stop quietly
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as exc:  # a path the user gave that cannot be read or written
            from employkit.cli._output import safe_text

            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"employkit: error: cannot use{safe_text(str(where))}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_USER_ERROR)

    return cast(F, wrapper)


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")


if TYPE_CHECKING:
    _ParamBase = click.ParamType[dt.datetime, Any]
else:
    _ParamBase = click.ParamType


class DateType(_ParamBase):
    """A calendar date written as data files write it: 2016-01-04, 2016/01/04, 2016.01.04 or 20160104."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        text = str(value).strip()
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
        digits = [int(p) for p in text.replace("/", "-").replace(".", "-").split("-") if p.isdigit()]
        if len(digits) == 3 and len(text) <= 10:
            try:
                dt.date(*digits)
            except ValueError as exc:
                self.fail(f"{text!r} is not a date of the calendar ({exc})", param, ctx)
        self.fail(f"{text!r} is not a date: write it as YYYY-MM-DD (for example 2016-01-04)", param, ctx)


def as_of_option(func: F) -> F:
    """The ``--as-of DATE`` option (default: the centre's reference date)."""
    return click.option(
        "--as-of",
        "as_of",
        type=DateType(),
        default=None,
        help=(
            "Evaluate with the rules and parameters in force on this date (YYYY-MM-DD). "
            "Default: the centre's reference date — the end of its reporting period, "
            "else the last day its records cover."
        ),
    )(func)


def to_date(value: dt.datetime | dt.date | None, *, default_today: bool = False) -> dt.date:
    """The ``--as-of`` value as a date; when not given, the centre's reference date.

    The reference date is the end of the centre's reporting period, else the last day
    of the records the command loaded. Listings that need no records (``rules``, the
    follow-up agenda) pass ``default_today`` to fall back on today's date instead of
    failing.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    ctx = click.get_current_context(silent=True)
    state = ctx.find_root().obj if ctx is not None else None
    if isinstance(state, State):
        centre = state.centre
        if centre.data is not None or (centre.centre is not None and centre.centre.period is not None):
            return centre.reference_date  # type: ignore[no-any-return]
    if default_today:
        return dt.date.today()
    from employkit.errors import ConfigError

    raise ConfigError(
        "no evaluation date: give --as-of DATE, or the centre's reporting period "
        "([centre] period_start and period_end in employkit.toml)"
    )


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON with Korean kept readable."""
    from employkit.converter import to_json

    click.echo(to_json(data, indent=2))


@click.group(cls=EmploykitGroup)
@click.version_option(__version__, "--version", prog_name="employkit")
@click.option(
    "--config",
    "config_path",
    envvar="EMPLOYKIT_CONFIG",
    type=click.Path(dir_okay=False),
    default=None,
    help="Centre configuration (employkit.toml). Default: ./employkit.toml when present.",
)
@click.option("--strict", is_flag=True, envvar="EMPLOYKIT_STRICT", help="Stop when any pack fails or conflicts.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, strict: bool) -> None:
    """employkit — public employment service logic: profiling, matching, follow-up, KPIs."""
    if ctx.obj is None:
        ctx.obj = State(config_path, strict)
    else:
        ctx.obj.config_path, ctx.obj.strict = config_path, strict


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``employkit`` script."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="employkit")
