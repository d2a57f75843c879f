"""The national seeker and employer typologies (filled in by the profiling work)."""

from __future__ import annotations

from employkit.profiling.base import EmployerTypology, SeekerTypology


def seeker_typologies() -> tuple[SeekerTypology, ...]:
    """The national seeker typologies."""
    return ()


def employer_typologies() -> tuple[EmployerTypology, ...]:
    """The national employer typologies."""
    return ()
