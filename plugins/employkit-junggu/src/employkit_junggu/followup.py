"""Jung-gu summary follow-up variant (사후관리 요약형): 1 month, 6 months and 1 year.

The Jung-gu plan states its follow-up twice: in the summary, every placed person is kept
in the placement database and contacted 1 month, 6 months and 1 year after starting
(``seeds/000_743a0a447e219bca.txt#L44``, ``#L156``); in the detail, by employment type
(the national default, ``national.followup.default``). This pack registers the summary as
a policy a centre can select::

    [followup]
    policy = "junggu.followup.summary"

It is the same table engine as the national policy, reading the pack's own contact points
and outcome table (``followup.toml`` beside this module) and the national tables for the
rest: the check one month before a fixed-term contract ends, the action catalogue and the
retry rule.
"""

from __future__ import annotations

import datetime as dt

from employkit.explain import SourceRef
from employkit.followup.base import FollowUpPolicy
from employkit.followup.policies import PolicyParameters, TablePolicy
from employkit.labels import Text
from employkit.packs import RuleMeta

__all__ = ["SUMMARY_POLICY", "followup_policies"]

#: The id a centre selects in ``[followup] policy``.
SUMMARY_POLICY = "junggu.followup.summary"

_PARAMS = PolicyParameters(
    contacts="junggu.followup.summary.contacts",
    outcomes="junggu.followup.summary.outcomes",
)


def followup_policies() -> tuple[FollowUpPolicy, ...]:
    """The Jung-gu summary variant (1 month, 6 months, 1 year)."""
    reads = _PARAMS.ids()
    meta = RuleMeta(
        rule_id=SUMMARY_POLICY,
        title=Text("중구 취업자 사후관리(1개월·6개월·1년)", "Jung-gu follow-up at 1 month, 6 months and 1 year"),
        source=SourceRef("seeds/000_743a0a447e219bca.txt", "L156"),
        effective_from=dt.date(2016, 1, 1),
        parameters=reads,
        description=Text(
            "취업자 DB로 1개월·6개월·1년까지 지속관리, 계약직은 계약만료 1개월 전 확인",
            "every placed person followed at 1 month, 6 months and 1 year; fixed-term jobs checked "
            "1 month before the contract ends",
        ),
    )
    return (TablePolicy(meta=meta, params=_PARAMS),)
