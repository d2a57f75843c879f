"""The ``--source`` option every data command shares, and loading through the rule system."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from employkit.sources.sample import SAMPLE

if TYPE_CHECKING:
    from employkit.cli.app import State
    from employkit.dataset import Dataset

F = TypeVar("F", bound=Callable[..., Any])

SOURCE_HELP = (
    "The centre's records: a folder of CSV or JSON Lines files, a .sqlite or .xlsx file, "
    "or 'sample' for the bundled sample centre (default)."
)


def check_location(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> str | None:
    """A ``--source`` callback: refuse a path the file system cannot hold (a name over 255 bytes)."""
    import os
    from pathlib import Path

    if value is None:
        return value
    parts = Path(value).parts
    if any(len(os.fsencode(part)) > 255 for part in parts) or len(os.fsencode(value)) > 4095:
        raise click.BadParameter("the path is too long for the file system (a name over 255 bytes)")
    return value


def source_option(func: F) -> F:
    """``--source PATH`` (default: the bundled sample centre), passed as ``location``."""
    return click.option(
        "--source", "location", default=SAMPLE, show_default=True, help=SOURCE_HELP, callback=check_location
    )(func)


def open_dataset(state: State, location: str) -> Dataset:
    """Load ``location`` for the command's centre: its ``centre.toml`` fills in the centre,
    whose region decides the packs in force.

    Raises :class:`employkit.errors.DataError` listing every problem; commands wrapped in
    ``friendly_errors`` turn it into a message and exit status 2.
    """
    return state.load(location)  # type: ignore[no-any-return]
