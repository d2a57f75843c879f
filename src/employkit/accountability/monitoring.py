"""Override monitoring: how often counsellors change the typology's segment, and who stands out.

Counsellors may override a segment, with a reason (:mod:`employkit.profiling.overrides`).
Two patterns deserve a look:

* **rubber-stamping** — a counsellor who (almost) never overrides, so the typology decides
  alone: flagged when the counsellor has at least ``accountability.overrides.min_profiles``
  profiles and an override rate below ``accountability.overrides.rubber_stamp_rate``;
* **outliers** — a counsellor whose override rate is far from everybody else's. For each
  counsellor c with at least ``min_profiles`` profiles, against all other counsellors o::

      z = (p_c − p_o) / sqrt(p · (1 − p) · (1/n_c + 1/n_o)),   p = (k_c + k_o) / (n_c + n_o)

  (the two-proportion z statistic, as the control limits of a funnel plot); ``|z|`` above
  ``accountability.overrides.outlier_z`` is flagged as overriding far more (``outlier_high``)
  or far less (``outlier_low``) than the others.

The counts reuse :func:`~employkit.profiling.overrides.override_report` (by segment),
:func:`~employkit.profiling.overrides.counsellor_override_rates` and
:func:`~employkit.profiling.overrides.override_reasons`. :func:`profiles_from_log` rebuilds
the profiles and overrides from a decision log, so ``employkit overrides report --log``
needs nothing else.

>>> import datetime as dt
>>> from employkit.explain import Explanation
>>> from employkit.labels import Text
>>> from employkit.profiling.base import SeekerProfile, Segment
>>> from employkit.profiling.overrides import override
>>> from employkit.testing import make_system
>>> a, b = Segment("a", Text("가", "a")), Segment("b", Text("나", "b"))
>>> def p(n):
...     return SeekerProfile(seeker_id=f"S{n}", typology_id="profiling.seeker.demo", as_of=dt.date(2024, 1, 2),
...                          segment=a, explanation=Explanation("profiling.seeker.demo", "demo", "1"))
>>> profiles = [p(n) for n in range(100)]
>>> profiles[:20] = [override(x, b, reason_code="other", reason="x", counsellor="C2") for x in profiles[:20]]
>>> owners = {f"S{n}": ("C1" if n >= 50 else "C2") for n in range(100)}
>>> report = monitor_overrides(profiles, make_system(), dt.date(2024, 1, 2), counsellors=owners)
>>> [(r.counsellor, r.rate, r.flags) for r in report.by_counsellor]
[('C1', 0.0, ('rubber_stamp', 'outlier_low')), ('C2', 0.4, ('outlier_high',))]
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit._moved import forward
from employkit.accountability.audit import Flag
from employkit.accountability.decisions import DecisionKind, DecisionRecord, plain
from employkit.explain import Explanation, ParameterUse
from employkit.labels import Text
from employkit.profiling.base import SeekerProfile, Segment
from employkit.profiling.overrides import (
    OverriddenProfile,
    Override,
    OverrideRate,
    OverrideReason,
    OverrideReasonCount,
    counsellor_override_rates,
    override_reasons,
    override_report,
)

if TYPE_CHECKING:
    from employkit.rules import RuleSystem

__all__ = ["CounsellorRow", "OverrideMonitor", "monitor_overrides", "profiles_from_log", "to_data"]

RUBBER_STAMP = "accountability.overrides.rubber_stamp_rate"
MIN_PROFILES = "accountability.overrides.min_profiles"
OUTLIER_Z = "accountability.overrides.outlier_z"


@frozen(kw_only=True)
class CounsellorRow:
    """One counsellor: profiles, overrides, rate, z against the others, and flags."""

    counsellor: str
    profiles: int | None
    overridden: int | None
    rate: float | None
    z: float | None
    flags: tuple[str, ...] = ()
    suppressed: bool = False


@frozen(kw_only=True)
class OverrideMonitor:
    """Override rates by counsellor, segment and reason, with the flags raised."""

    as_of: dt.date
    profiles: int
    overridden: int
    by_counsellor: tuple[CounsellorRow, ...]
    by_segment: tuple[OverrideRate, ...]
    by_reason: tuple[OverrideReasonCount, ...]
    flags: tuple[Flag, ...]
    parameters: tuple[ParameterUse, ...]
    min_cell: int | None


def _z(k_c: int, n_c: int, k_o: int, n_o: int) -> float | None:
    if n_c == 0 or n_o == 0:
        return None
    p = (k_c + k_o) / (n_c + n_o)
    if p <= 0.0 or p >= 1.0:
        return None
    return (k_c / n_c - k_o / n_o) / math.sqrt(p * (1 - p) * (1 / n_c + 1 / n_o))


def monitor_overrides(
    profiles: Iterable[SeekerProfile | OverriddenProfile],
    system: RuleSystem,
    as_of: dt.date,
    *,
    counsellors: Mapping[str, str] | None = None,
    publish: bool = False,
) -> OverrideMonitor:
    """Rates and flags for ``profiles`` (see the module); thresholds as of ``as_of``.

    ``counsellors`` maps seeker ids to the counsellor in charge (without it an override
    counts for the counsellor who made it, and other profiles are "unassigned", which is
    never flagged). With ``publish`` the segment and reason tables suppress small cells
    (``metrics.suppression.min_cell``); the counsellor table is for the centre's own
    supervision and keeps its figures.
    """
    items = list(profiles)
    rubber = float(system.parameter(RUBBER_STAMP, as_of).value)
    least = int(system.parameter(MIN_PROFILES, as_of).value)
    z_limit = float(system.parameter(OUTLIER_Z, as_of).value)
    uses = [system.parameter(pid, as_of) for pid in (RUBBER_STAMP, MIN_PROFILES, OUTLIER_Z)]
    min_cell = None
    if publish:
        use = system.parameter("metrics.suppression.min_cell", as_of)
        uses.append(use)
        from employkit.metrics.suppress import min_cell_of

        min_cell = min_cell_of(system, as_of)
    mapping = dict(counsellors) if counsellors is not None else None
    rates = counsellor_override_rates(items, counsellors=mapping)
    total_n = sum(r.profiles or 0 for r in rates)
    total_k = sum(r.overridden or 0 for r in rates)
    rows: list[CounsellorRow] = []
    flags: list[Flag] = []
    for r in rates:
        n, k = r.profiles or 0, r.overridden or 0
        marks: list[str] = []
        z = _z(k, n, total_k - k, total_n - n)
        if r.counsellor != "unassigned" and n >= least:
            if k / n < rubber:
                marks.append("rubber_stamp")
                flags.append(
                    Flag(
                        section="overrides",
                        attribute="counsellor",
                        group=r.counsellor,
                        measure="override_rate",
                        value=k / n,
                        threshold=rubber,
                        reference=None,
                        reason=Text(
                            f"상담사 {r.counsellor}: {n}건 중 {k}건 변경 ({100 * k / n:.2f}%) — "
                            f"기준 {100 * rubber:g}% 미만, 형식적 승인 의심",
                            f"counsellor {r.counsellor}: {k} of {n} profiles overridden ({100 * k / n:.2f}%), "
                            f"below {100 * rubber:g}% — possible rubber-stamping",
                        ),
                    )
                )
            if z is not None and abs(z) > z_limit:
                high = z > 0
                marks.append("outlier_high" if high else "outlier_low")
                flags.append(
                    Flag(
                        section="overrides",
                        attribute="counsellor",
                        group=r.counsellor,
                        measure="override_rate_z",
                        value=z,
                        threshold=z_limit,
                        reference="others",
                        reason=Text(
                            f"상담사 {r.counsellor}: 변경률 {100 * k / n:.1f}% — 다른 상담사 대비 z = {z:+.2f} "
                            f"(|z| > {z_limit:g}), {'훨씬 많이' if high else '훨씬 적게'} 변경",
                            f"counsellor {r.counsellor}: override rate {100 * k / n:.1f}%, z = {z:+.2f} against "
                            f"the others (|z| > {z_limit:g}): overrides far {'more' if high else 'less'} often",
                        ),
                    )
                )
        rows.append(
            CounsellorRow(counsellor=r.counsellor, profiles=n, overridden=k, rate=r.rate, z=z, flags=tuple(marks))
        )
    return OverrideMonitor(
        as_of=as_of,
        profiles=total_n,
        overridden=total_k,
        by_counsellor=tuple(rows),
        by_segment=tuple(override_report(items, counsellors=mapping, min_cell=min_cell)),
        by_reason=tuple(override_reasons(items, counsellors=mapping, min_cell=min_cell)),
        flags=tuple(flags),
        parameters=tuple(uses),
        min_cell=min_cell,
    )


def _segment(result: Mapping[str, Any], code_key: str = "segment") -> Segment | None:
    code = result.get(code_key)
    if code is None:
        return None
    label = result.get("segment_label") or {"ko": code, "en": code}
    return Segment(code, Text(label["ko"], label["en"]), group=result.get("group"))


def _profile(record: DecisionRecord, result: Mapping[str, Any]) -> SeekerProfile:
    return SeekerProfile(
        seeker_id=record.subject,
        typology_id=str(result.get("typology_id") or record.inputs.get("typology_id")),
        as_of=record.as_of,
        segment=_segment(result),
        missing=tuple(result.get("missing") or ()),
        protected_used=tuple(result.get("protected_used") or ()),
        explanation=Explanation(
            rule_id=record.rule_ids[0] if record.rule_ids else "unknown.rule",
            pack=record.packs[0].name if record.packs else "unknown",
            pack_version=record.packs[0].version if record.packs else "",
            as_of=record.as_of,
        ),
    )


def profiles_from_log(
    records: Iterable[DecisionRecord],
) -> tuple[list[SeekerProfile | OverriddenProfile], dict[str, str]]:
    """The latest profile of each (subject, typology) in a log, overridden where an override
    was logged, and the counsellor in charge of each subject (from segment records).

    Subjects are pseudonyms, so the report never needs the centre's ids.
    """
    latest: dict[tuple[str, str], SeekerProfile | OverriddenProfile] = {}
    when: dict[tuple[str, str], tuple[dt.date, str]] = {}
    owners: dict[str, str] = {}
    for r in records:
        if r.kind not in (DecisionKind.SEGMENT, DecisionKind.OVERRIDE):
            continue
        tid = str(r.inputs.get("typology_id"))
        key = (r.subject, tid)
        stamp = (r.as_of, r.recorded_at)
        if key in when and when[key] > stamp:
            continue
        if r.kind is DecisionKind.SEGMENT:
            latest[key] = _profile(r, r.result)
            if r.counsellor:
                owners[r.subject] = r.counsellor
        else:
            original = _profile(r, r.result["original"])
            chosen = _segment(r.result)
            assert chosen is not None
            given = r.inputs["override"]
            latest[key] = OverriddenProfile(
                original=original,
                override=Override(
                    seeker_id=r.subject,
                    typology_id=tid,
                    on=dt.date.fromisoformat(str(r.result["on"])),
                    original=original.segment.code if original.segment else None,
                    segment=chosen,
                    reason_code=OverrideReason.parse(str(r.result["reason_code"])),
                    reason=str(given.get("reason", "")),
                    counsellor=r.counsellor or "unassigned",
                ),
            )
        when[key] = stamp
    return list(latest.values()), owners


def to_data(monitor: OverrideMonitor) -> dict[str, Any]:
    """The report as JSON-ready data."""
    data: dict[str, Any] = plain(monitor)
    return data


# render_table moved to employkit.render.monitoring; the old name warns until 0.3.
__getattr__ = forward(__name__, "employkit.render.monitoring")
