"""The ``employkit`` command line.

Every command takes the centre configuration from ``--config`` (or ``EMPLOYKIT_CONFIG``,
or ``./employkit.toml`` when present). Errors in the user's data or configuration are
printed as one clear message with exit status 2 — never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from employkit._version import __version__
from employkit.errors import EmploykitError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER_ERROR = 2


class State:
    """What the root command hands to sub-commands: the configuration, and the packs once loaded."""

    def __init__(self, config_path: str | None = None, strict: bool = False) -> None:
        self.config_path = config_path
        self.strict = strict
        self._system: Any = None
        self._host: Any = None
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
        """The plugin host (loaded once)."""
        if self._host is None:
            from employkit.plugins import PluginHost

            self._host = PluginHost(strict=True if self.strict else None)
        return self._host

    def system(self) -> Any:
        """The rule system built from the configuration and the loaded packs."""
        if self._system is None:
            from employkit.rules import RuleSystem

            config = self.config
            self._system = RuleSystem.build(config, self.host, strict=self.strict or config.strict)
        return self._system


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


def as_of_option(func: F) -> F:
    """The ``--as-of DATE`` option (default: today)."""
    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Evaluate with the rules and parameters in force on this date (YYYY-MM-DD; default today).",
    )(func)


def to_date(value: dt.datetime | None) -> dt.date:
    """The ``--as-of`` value as a date (today when not given)."""
    return value.date() if value is not None else dt.date.today()


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


from employkit.cli import audit as _audit  # noqa: E402,F401
from employkit.cli import batch as _batch  # noqa: E402,F401
from employkit.cli import commands as _commands  # noqa: E402,F401  (registers the built-in commands)
from employkit.cli import data as _data  # noqa: E402,F401
from employkit.cli import followup as _followup  # noqa: E402,F401
from employkit.cli import kpi as _kpi  # noqa: E402,F401
from employkit.cli import match as _match  # noqa: E402,F401
from employkit.cli import profile as _profile  # noqa: E402,F401
from employkit.cli import run as _run  # noqa: E402,F401
from employkit.cli import validate as _validate  # noqa: E402,F401
