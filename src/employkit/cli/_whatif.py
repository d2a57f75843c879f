"""``--param ID=VALUE``: what-if runs of the commands that evaluate rules, against the baseline."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from employkit.errors import ConfigError

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["compare_lines", "param_option", "parse_params", "what_if"]


def param_option(func: F) -> F:
    """The repeatable ``--param ID=VALUE`` option."""
    return click.option(
        "--param",
        "params",
        multiple=True,
        help='What-if: give parameter ID the value VALUE (a TOML value: 3, 0.9, true, [1, 6], "text"); '
        "repeatable. The result is compared with the baseline.",
    )(func)


def parse_params(pairs: Sequence[str]) -> dict[str, Any]:
    """``ID=VALUE`` pairs as a mapping; values read as TOML (bare words as text).

    >>> parse_params(["metrics.suppression.min_cell=10", "metrics.retention.exclude_unknown=true", "x.y=[1, 6]"])
    {'metrics.suppression.min_cell': 10, 'metrics.retention.exclude_unknown': True, 'x.y': [1, 6]}
    """
    found: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key.strip() or not text.strip():
            raise ConfigError(f"--param {pair!r}: expected ID=VALUE, e.g. metrics.suppression.min_cell=10")
        try:
            value = tomllib.loads(f"v = {text.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = text.strip()
        found[key.strip()] = value
    return found


def what_if(system: Any, pairs: Sequence[str]) -> tuple[Any, dict[str, Any]]:
    """The system with the ``--param`` values (or the system itself when none are given)."""
    overrides = parse_params(pairs)
    if not overrides:
        return system, overrides
    return system.with_parameters(overrides), overrides


def compare_lines(rows: Sequence[tuple[str, Any, Any]], overrides: dict[str, Any], lang: str = "ko") -> list[str]:
    """A what-if comparison: one line per ``(what, baseline, what-if)`` that changed, then a count."""
    head = "가정 비교 (기준 → 가정)" if lang == "ko" else "what-if against the baseline"
    given = ", ".join(f"{k} = {v!r}" for k, v in overrides.items())
    lines = [f"{head}: {given}"]
    changed = [(name, a, b) for name, a, b in rows if a != b]
    for name, a, b in changed:
        delta = ""
        if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
            delta = f"  ({b - a:+.4g})"
        lines.append(f"  {name}: {_show(a)} → {_show(b)}{delta}")
    same = len(rows) - len(changed)
    lines.append(f"  {'변경 없음' if lang == 'ko' else 'unchanged'}: {same:,} / {len(rows):,}")
    return lines


def _show(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
