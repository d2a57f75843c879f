"""The request bodies that are not records of the model: validated by the same converter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from attrs import field, frozen, validators

from employkit.model import Employer, FollowUpOutcome, Vacancy

__all__ = ["EmployerRequest", "OutcomeReport"]


def _optional_text(limit: int) -> Any:
    return validators.optional(validators.and_(validators.instance_of(str), validators.max_len(limit)))


@frozen(kw_only=True)
class EmployerRequest:
    """An employer to profile, and optionally one of its vacancies (the profile is then the vacancy's)."""

    employer: Employer
    vacancy: Vacancy | None = None


@frozen(kw_only=True)
class OutcomeReport:
    """What a follow-up contact found (사후관리 결과), for one placement.

    ``contacted_on`` must lie between the placement's start and today (default today);
    ``contact`` names the scheduled contact it answers (default: the earliest pending).
    """

    outcome: FollowUpOutcome
    contacted_on: dt.date | None = None
    contact: str | None = field(default=None, validator=_optional_text(64))
    counsellor: str | None = field(default=None, validator=_optional_text(200))
    note: str | None = field(default=None, validator=_optional_text(2000))
