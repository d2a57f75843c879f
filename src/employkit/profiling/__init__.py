"""Profiling: jobseeker and employer typologies (구직자·구인기업 유형분류).

Typologies are rules registered by packs through ``employkit_seeker_typologies`` and
``employkit_employer_typologies``; the interfaces are in :mod:`employkit.profiling.base`.
"""

from employkit.profiling.base import (
    EmployerProfile,
    EmployerTypology,
    SeekerProfile,
    SeekerTypology,
    Segment,
    Service,
)

__all__ = ["EmployerProfile", "EmployerTypology", "SeekerProfile", "SeekerTypology", "Segment", "Service"]
