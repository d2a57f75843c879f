"""The national follow-up policy: the engine's :class:`~employkit.followup.policies.TablePolicy`
reading the national tables of ``followup.toml``.

The schedule and outcome rules are those of the Jung-gu detailed plan
(``seeds/000_743a0a447e219bca.txt#L417-L453``), which the national pack applies as
employkit's default; which policy a centre uses when it names none is the dated
parameter ``followup.default_policy`` (also in ``followup.toml``).

>>> [p.meta.rule_id for p in national_policies()]
['national.followup.default']
"""

from __future__ import annotations

import datetime as dt

from employkit.explain import SourceRef
from employkit.followup.base import FollowUpPolicy
from employkit.followup.policies import PolicyParameters, TablePolicy
from employkit.labels import Text
from employkit.packs import RuleMeta

__all__ = ["DEFAULT_POLICY", "national_policies"]

#: The rule id of the national default policy (``followup.default_policy`` names it).
DEFAULT_POLICY = "national.followup.default"


def national_policies() -> tuple[FollowUpPolicy, ...]:
    """The national default policy by employment type (``national.followup.default``)."""
    params = PolicyParameters()
    return (
        TablePolicy(
            meta=RuleMeta(
                rule_id=DEFAULT_POLICY,
                title=Text("고용형태별 취업자 사후관리", "follow-up by employment type"),
                source=SourceRef("seeds/000_743a0a447e219bca.txt", "L417-L453"),
                # employkit's default for placements from 2010 on (the schedule of the 2016 plan)
                effective_from=dt.date(2010, 1, 1),
                parameters=params.ids(),
                description=Text(
                    "출근일·첫 1주일·3개월·6개월 연락, 계약직은 계약만료 1개월 전 확인",
                    "contacts on the first day, after 1 week, 3 and 6 months; fixed-term jobs checked "
                    "1 month before the contract ends",
                ),
            ),
            params=params,
        ),
    )
