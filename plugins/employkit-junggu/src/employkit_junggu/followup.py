"""Jung-gu summary follow-up variant (being written)."""

from __future__ import annotations

from employkit.followup.base import FollowUpPolicy


def followup_policies() -> tuple[FollowUpPolicy, ...]:
    """The Jung-gu follow-up policies."""
    return ()
