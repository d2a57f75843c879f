"""Profiling: jobseeker and employer typologies (구직자·구인기업 유형분류).

Typologies are rules registered by packs through ``employkit_seeker_typologies`` and
``employkit_employer_typologies``; the interfaces are in :mod:`employkit.profiling.base`.
The national ones are in :mod:`employkit.national.profiling`; points and logistic
scorers in :mod:`employkit.profiling.scorers`; the vectorised path in
:mod:`employkit.profiling.batch`; re-profiling history and counsellor overrides in
:mod:`employkit.profiling.history` and :mod:`employkit.profiling.overrides`; the
functions most callers need in :mod:`employkit.profiling.api`.
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
