"""Follow-up after placement (취업 후 사후관리): schedules, outcomes and the actions they trigger.

Policies are rules registered through ``employkit_followup_policies``; the interface is
in :mod:`employkit.followup.base`, the table-driven engine in
:mod:`employkit.followup.policies` (the national pack's default policy is in
:mod:`employkit.national.followup`), business days in :mod:`employkit.followup.calendar`,
the pure entry points in :mod:`employkit.followup.api` and the retention feed in
:mod:`employkit.followup.retention`. The package reads and writes no file: the durable
SQLite store is :mod:`employkit.stores.followup`.
"""

from employkit.followup.base import Action, FollowUpPolicy, Schedule, ScheduledContact
from employkit.followup.calendar import BusinessCalendar, add_months

__all__ = ["Action", "BusinessCalendar", "FollowUpPolicy", "Schedule", "ScheduledContact", "add_months"]
