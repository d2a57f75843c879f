"""Jung-gu A/B/C seeker typology and firm visit list (being written)."""

from __future__ import annotations

from employkit.profiling.base import EmployerTypology, SeekerTypology


def seeker_typologies() -> tuple[SeekerTypology, ...]:
    """The Jung-gu seeker typologies."""
    return ()


def employer_typologies() -> tuple[EmployerTypology, ...]:
    """The Jung-gu employer typologies."""
    return ()
