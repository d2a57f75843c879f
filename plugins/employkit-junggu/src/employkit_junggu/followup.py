"""Jung-gu follow-up variants: the summary (1 month, 6 months, 1 year) and the flowchart (first week, 6 months, 1 year).

The Jung-gu plan states its follow-up three times: in the summary, every placed person is
kept in the placement database and contacted 1 month, 6 months and 1 year after starting
(``seeds/000_743a0a447e219bca.txt#L44``, ``#L156``); in the three-stage flowchart, people
still in work get follow-up after the first week, at 6 months and at 1 year (``#L450``); in
the detail, by employment type (the national default, ``national.followup.default``,
``#L417``). This pack registers the first two as policies a centre can select::

    [followup]
    policy = "junggu.followup.summary"   # or "junggu.followup.flow"

Both are the same table engine as the national policy, reading the pack's own contact
points and outcome table (``followup.toml`` beside this module) and the national tables for
the rest: the check one month before a fixed-term contract ends, the action catalogue and
the retry rule.
"""

from __future__ import annotations

import datetime as dt

from employkit.explain import SourceRef
from employkit.followup.base import FollowUpPolicy
from employkit.followup.policies import PolicyParameters, TablePolicy
from employkit.labels import Text
from employkit.packs import RuleMeta

__all__ = ["FLOW_POLICY", "SUMMARY_POLICY", "followup_policies"]

#: The ids a centre selects in ``[followup] policy``.
SUMMARY_POLICY = "junggu.followup.summary"
FLOW_POLICY = "junggu.followup.flow"

_PARAMS = PolicyParameters(
    contacts="junggu.followup.summary.contacts",
    outcomes="junggu.followup.summary.outcomes",
)
_FLOW_PARAMS = PolicyParameters(
    contacts="junggu.followup.flow.contacts",
    outcomes="junggu.followup.summary.outcomes",
)


def followup_policies() -> tuple[FollowUpPolicy, ...]:
    """The Jung-gu summary variant (1 month, 6 months, 1 year) and the flowchart variant (L450)."""
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
    flow = RuleMeta(
        rule_id=FLOW_POLICY,
        title=Text(
            "중구 재직자 사후관리(첫1주일·6개월·1년)", "Jung-gu follow-up after the first week, 6 months and 1 year"
        ),
        source=SourceRef("seeds/000_743a0a447e219bca.txt", "L450"),
        effective_from=dt.date(2016, 1, 1),
        parameters=_FLOW_PARAMS.ids(),
        description=Text(
            "재직자: 취업후 첫1주일, 6개월, 1년까지 사후관리, 계약직은 계약만료 1개월 전 확인",
            "people in work followed after the first week, at 6 months and at 1 year; fixed-term jobs "
            "checked 1 month before the contract ends",
        ),
    )
    return (TablePolicy(meta=meta, params=_PARAMS), TablePolicy(meta=flow, params=_FLOW_PARAMS))
