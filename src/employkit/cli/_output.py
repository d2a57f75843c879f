"""Terminal output: arguments checked before any command runs, output paths, store errors.

Everything the command line prints from data or from the user passes through
:func:`~employkit.render.text.safe_text` (resident registration numbers masked, control
characters escaped); it and :func:`~employkit.render.text.table` live in
:mod:`employkit.render.text`, where renderers outside the CLI find them too. Arguments are
checked before any command runs (:func:`check_arguments`).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import click

from employkit.render.text import _CONTROL, _SURROGATE, safe_text, table, width

__all__ = ["check_arguments", "check_output_path", "safe_text", "store_errors", "table", "width"]

F = TypeVar("F", bound=Callable[..., Any])


def check_arguments(args: Sequence[str]) -> None:
    """Refuse (usage error, exit status 2) arguments holding a resident number or control characters.

    Every argument of every command, option values and file paths included, is read
    with the one detector (:func:`employkit.sources.cells.find_rrn`), and so is each
    pair of adjacent arguments (a number typed as ``870412 2931746``). The message names
    the argument by position and never shows the number.
    """
    from employkit.sources.cells import RRN_REASON, find_rrn, split_rrn

    for index, arg in enumerate(args, start=1):
        if _SURROGATE.search(arg):
            raise click.UsageError(f"argument {index}: not valid UTF-8 text (인코딩 오류)")
        if find_rrn(arg):
            raise click.UsageError(f"argument {index} {RRN_REASON}; give an identifier that is not one")
        control = _CONTROL.search(arg)
        if control is not None:
            raise click.UsageError(
                f"argument {index} holds a control character (U+{ord(control.group(0)):04X}); "
                "control characters are refused (제어 문자)"
            )
    for index, pair in enumerate(itertools.pairwise(args), start=1):
        if split_rrn(pair) is not None:
            raise click.UsageError(f"arguments {index} and {index + 1} together: {RRN_REASON}")


def check_output_path(path: str, option: str, *, folder: bool = False) -> None:
    """Refuse (usage error) an output path that cannot be written, before any work is done.

    Its folder must exist and be a folder (not a regular file), each name must fit the
    file system (255 bytes), and the path itself must not be a folder (a file is
    expected) — or, with ``folder``, must not be a regular file.
    """
    import os
    from pathlib import Path

    target = Path(path)
    for part in target.parts:
        if len(os.fsencode(part)) > 255:
            raise click.BadParameter(f"the name {safe_text(part[:40])}… is longer than 255 bytes", param_hint=option)
    parent = target.parent
    for ancestor in [parent, *parent.parents]:
        if ancestor.exists() and not ancestor.is_dir():
            raise click.BadParameter(f"{safe_text(str(ancestor))} is a file, not a folder", param_hint=option)
    if not parent.is_dir():
        raise click.BadParameter(
            f"the folder {safe_text(str(parent))} does not exist; create it first", param_hint=option
        )
    if folder and target.exists() and not target.is_dir():
        raise click.BadParameter(f"{safe_text(path)} is a file; expected a folder", param_hint=option)
    if not folder and target.is_dir():
        raise click.BadParameter(f"{safe_text(path)} is a folder; expected a file name", param_hint=option)


def store_errors(param: str) -> Callable[[F], F]:
    """Turn SQLite errors of the follow-up store (corrupt, busy, tables missing) into a clear error.

    ``param`` is the keyword argument holding the store path (``None``: the configured one).
    Goes under ``friendly_errors``.
    """

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            import sqlite3

            try:
                return func(*args, **kwargs)
            except sqlite3.Error as exc:
                from employkit.stores.followup import StoreError

                where = kwargs.get(param) or "([followup] store)"
                reason = "busy: another program is writing to it; try again" if "locked" in str(exc) else str(exc)
                raise StoreError(
                    f"the follow-up store {where} cannot be used: {reason} "
                    "(a damaged file, or not a store employkit wrote; expected an employkit follow-up store)"
                ) from None

        return cast(F, wrapper)

    return wrap
