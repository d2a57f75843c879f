"""The ``--source`` option every data command shares, and loading through the rule system."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from employkit.sources.sample import SAMPLE

if TYPE_CHECKING:
    from employkit.cli import State
    from employkit.dataset import Dataset

F = TypeVar("F", bound=Callable[..., Any])

SOURCE_HELP = (
    "The centre's records: a folder of CSV or JSON Lines files, a .sqlite or .xlsx file, "
    "or 'sample' for the bundled sample centre (default)."
)


def source_option(func: F) -> F:
    """``--source PATH`` (default: the bundled sample centre), passed as ``location``."""
    return click.option("--source", "location", default=SAMPLE, show_default=True, help=SOURCE_HELP)(func)


def open_dataset(state: State, location: str) -> Dataset:
    """Load ``location`` for the command's centre: its ``centre.toml`` fills in the centre,
    whose region decides the packs in force.

    Raises :class:`employkit.errors.DataError` listing every problem; commands wrapped in
    ``friendly_errors`` turn it into a message and exit status 2.
    """
    return state.load(location)  # type: ignore[no-any-return]
