"""Follow-up after placement (취업 후 사후관리): schedules, outcomes, actions.

Policies are rules registered through ``employkit_followup_policies``; the interface is
in :mod:`employkit.followup.base`, business days in :mod:`employkit.followup.calendar`.
"""

from employkit.followup.base import Action, FollowUpPolicy, Schedule, ScheduledContact
from employkit.followup.calendar import BusinessCalendar, add_months

__all__ = ["Action", "BusinessCalendar", "FollowUpPolicy", "Schedule", "ScheduledContact", "add_months"]
