"""What the national typologies share: their rule ids, the plan they cite, small builders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from employkit.labels import Text
from employkit.packs import RuleMeta
from employkit.profiling.base import (
    Service,
)

if TYPE_CHECKING:
    pass


PLAN_DOC = "seeds/001_9743a8cda015755e.txt"

NATIONAL_SEEKER_ID = "profiling.seeker.national"
SPECIAL_TYPE_ID = "profiling.seeker.national.special_type"
NATIONAL_EMPLOYER_ID = "profiling.employer.national"
TARGETS_ID = "profiling.employer.national.targets"


def rule_meta(**fields: Any) -> RuleMeta:
    """RuleMeta from keyword fields (``parameters`` given as a tuple of ids)."""
    return RuleMeta(**fields)


def service(code: str, ko: str, en: str) -> Service:
    return Service(code, Text(ko, en))
