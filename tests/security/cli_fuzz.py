"""Arguments for every command and option of the command line, for the fuzz test."""

from __future__ import annotations

import math
from collections.abc import Iterator

import click
from hypothesis import strategies as st

from tests.security.fixtures import TEXTS


def commands(
    group: click.Group, ctx: click.Context, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every (path, command) under ``group``, sub-groups included."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None:
            continue
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from commands(command, ctx, path)
        else:
            yield path, command


def value_strategy(param: click.Parameter, files: dict[str, str]) -> st.SearchStrategy[str]:
    """Values for one parameter: valid ones and hostile ones."""
    kind = param.type
    paths = st.sampled_from(sorted(files.values()))
    texts = st.sampled_from(TEXTS)
    if isinstance(kind, click.Choice):
        return st.one_of(st.sampled_from([str(c) for c in kind.choices]), texts)
    if isinstance(kind, click.types.IntParamType | click.IntRange):
        ints = st.one_of(st.integers(-5, 5000), st.sampled_from([-1, 0, 99999, 2**63, -(2**63)]))
        return st.one_of(ints.map(str), texts)
    if isinstance(kind, click.types.FloatParamType | click.FloatRange):
        floats = st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not math.isnan(f) or True)
        return st.one_of(floats.map(repr), texts)
    if isinstance(kind, click.DateTime):
        return st.sampled_from(["2016-06-30", "9999-12-31", "0001-01-01", "2026-02-30", "x", "1999-01-01"])
    if isinstance(kind, click.Path | click.File):
        return st.one_of(paths, texts)
    name = (param.name or "").lower()
    if "source" in name or "location" in name:
        return st.one_of(st.just("sample"), paths, texts)
    return st.one_of(texts, paths)


@st.composite
def invocation(draw: st.DrawFn, path: tuple[str, ...], command: click.Command, files: dict[str, str]) -> list[str]:
    """An argument list for ``command``: some of its options, each with a drawn value, and its arguments."""
    args: list[str] = list(path)
    for param in command.params:
        if isinstance(param, click.Option):
            if param.hidden or "--help" in param.opts or "--version" in param.opts:
                continue
            if not (param.required or draw(st.booleans())):
                continue
            flag = param.opts[0]
            if param.is_flag or param.count:
                args.append(flag if not param.secondary_opts or draw(st.booleans()) else param.secondary_opts[0])
            else:
                args += [flag, draw(value_strategy(param, files))]
        elif isinstance(param, click.Argument):
            count = 1 if param.nargs in (1, -1) else max(param.nargs, 1)
            for _ in range(count):
                args.append(draw(value_strategy(param, files)))
    return args
