"""The national match components (filled in by the matching work)."""

from __future__ import annotations

from employkit.matching.base import MatchComponent


def national_components() -> tuple[MatchComponent, ...]:
    """The national match components."""
    return ()
