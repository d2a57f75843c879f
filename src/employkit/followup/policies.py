"""The national follow-up policies (filled in by the follow-up work)."""

from __future__ import annotations

from employkit.followup.base import FollowUpPolicy


def national_policies() -> tuple[FollowUpPolicy, ...]:
    """The national follow-up policies."""
    return ()
