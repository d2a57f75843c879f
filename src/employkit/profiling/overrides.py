"""Counsellor overrides: a counsellor may replace a segment, never silently.

An override needs a reason code (:class:`OverrideReason`), a free-text reason and the
counsellor's name; the original profile is kept beside it, and override rates by
segment and counsellor are reportable (:func:`override_report`).

>>> import datetime as dt
>>> from employkit.explain import Explanation
>>> from employkit.labels import Text
>>> from employkit.profiling.base import SeekerProfile, Segment
>>> a, b = Segment("a", Text("가", "a")), Segment("b", Text("나", "b"))
>>> p = SeekerProfile(seeker_id="S1", typology_id="profiling.seeker.demo", as_of=dt.date(2024, 1, 2),
...                   segment=a, explanation=Explanation("profiling.seeker.demo", "demo", "1"))
>>> o = override(p, b, reason_code="new_information", reason="취업 의사 확인", counsellor="C01")
>>> o.segment.code, o.original.segment.code
('b', 'a')
>>> override(p, b, reason_code="new_information", reason=" ", counsellor="C01")
Traceback (most recent call last):
...
employkit.profiling.overrides.OverrideRefused: an override needs a free-text reason
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from attrs import frozen

from employkit.errors import EmploykitError
from employkit.explain import Explanation
from employkit.labels import CodedEnum, Text
from employkit.profiling.base import SeekerProfile, Segment

__all__ = [
    "OverriddenProfile",
    "Override",
    "OverrideCase",
    "OverrideRate",
    "OverrideReason",
    "OverrideReasonCount",
    "OverrideRefused",
    "counsellor_override_rates",
    "override",
    "override_cases",
    "override_reasons",
    "override_report",
]


class OverrideRefused(EmploykitError):
    """An override was refused: no reason code, no reason, no counsellor, or no change."""


class OverrideReason(CodedEnum):
    """Why a counsellor replaced a segment (사유 코드)."""

    NEW_INFORMATION = ("new_information", "상담 중 새로운 정보 확인", "new information from counselling")
    INTAKE_ERROR = ("intake_error", "체크리스트 응답 기록 오류", "intake answer recorded wrongly")
    COUNSELLOR_JUDGEMENT = ("counsellor_judgement", "상담사 전문 판단", "counsellor's professional judgement")
    SEEKER_REQUEST = ("seeker_request", "구직자 요청", "seeker's request")
    CHANGED_CIRCUMSTANCES = ("changed_circumstances", "상황 변화", "circumstances changed")
    OTHER = ("other", "기타", "other")


@frozen(kw_only=True)
class Override:
    """A counsellor's replacement of one profile's segment."""

    seeker_id: str
    typology_id: str
    on: dt.date
    original: str | None  # the original segment code (None if not profiled)
    segment: Segment
    reason_code: OverrideReason
    reason: str
    counsellor: str


@frozen(kw_only=True)
class OverriddenProfile:
    """A profile whose segment a counsellor replaced; the original is kept."""

    original: SeekerProfile
    override: Override

    @property
    def seeker_id(self) -> str:
        """The seeker."""
        return self.original.seeker_id

    @property
    def typology_id(self) -> str:
        """The typology of the original profile."""
        return self.original.typology_id

    @property
    def as_of(self) -> dt.date:
        """The date of the original profile."""
        return self.original.as_of

    @property
    def segment(self) -> Segment:
        """The segment in force: the counsellor's."""
        return self.override.segment

    @property
    def explanation(self) -> Explanation:
        """The original decision's explanation."""
        return self.original.explanation

    @property
    def missing(self) -> tuple[str, ...]:
        """The fields the original profile lacked."""
        return self.original.missing

    @property
    def status(self) -> str:
        """Always ``"overridden"``."""
        return "overridden"

    @property
    def note(self) -> Text:
        """One line saying who replaced what, and why."""
        o = self.override
        was = o.original or "—"
        return Text(
            f"상담사 {o.counsellor} 변경 ({o.on.isoformat()}): {was} → {o.segment.code}; "
            f"사유 {o.reason_code.label.ko}: {o.reason}",
            f"overridden by {o.counsellor} on {o.on.isoformat()}: {was} → {o.segment.code}; "
            f"{o.reason_code.label.en}: {o.reason}",
        )


def override(
    profile: SeekerProfile,
    segment: Segment | str,
    *,
    reason_code: OverrideReason | str | None,
    reason: str | None,
    counsellor: str | None,
    on: dt.date | None = None,
    segments: Iterable[Segment] | None = None,
) -> OverriddenProfile:
    """Replace ``profile``'s segment, keeping the original.

    ``segment`` may be a code, looked up in ``segments`` (the typology's segments).
    Raises :class:`OverrideRefused` when the reason code, the free-text reason or the
    counsellor is missing, when the code is unknown, or when nothing changes.
    """
    if reason_code is None or (isinstance(reason_code, str) and not reason_code.strip()):
        raise OverrideRefused("an override needs a reason code: " + ", ".join(r.code for r in OverrideReason))
    try:
        code = reason_code if isinstance(reason_code, OverrideReason) else OverrideReason.parse(reason_code)
    except ValueError as exc:
        raise OverrideRefused(str(exc)) from None
    if reason is None or not reason.strip():
        raise OverrideRefused("an override needs a free-text reason")
    if counsellor is None or not counsellor.strip():
        raise OverrideRefused("an override needs the counsellor who made it")
    known = {s.code: s for s in segments} if segments is not None else None
    if isinstance(segment, str):
        if known is None or segment not in known:
            raise OverrideRefused(f"unknown segment {segment!r} for {profile.typology_id}")
        segment = known[segment]
    elif known is not None and segment.code not in known:
        raise OverrideRefused(f"segment {segment.code!r} is not one of {profile.typology_id}'s")
    original = profile.segment.code if profile.segment else None
    if original == segment.code:
        raise OverrideRefused(f"the profile is already in segment {segment.code!r}")
    return OverriddenProfile(
        original=profile,
        override=Override(
            seeker_id=profile.seeker_id,
            typology_id=profile.typology_id,
            on=on or profile.as_of,
            original=original,
            segment=segment,
            reason_code=code,
            reason=reason.strip(),
            counsellor=counsellor.strip(),
        ),
    )


@frozen
class OverrideRate:
    """Overrides of one original segment (and one counsellor, or ``"*"`` for all)."""

    segment: str
    counsellor: str
    profiles: int | None  # None when suppressed
    overridden: int | None
    rate: float | None
    suppressed: bool = False


@frozen
class OverrideCase:
    """One profile as override reports count it: its original segment, the counsellor
    it counts for, and whether (and why) it was overridden."""

    seeker_id: str
    segment: str  # the original segment code, or the status when not profiled
    counsellor: str  # the counsellor in charge, else the one who overrode, else "unassigned"
    overridden: bool
    reason_code: OverrideReason | None = None


def override_cases(
    profiles: Iterable[SeekerProfile | OverriddenProfile], counsellors: Mapping[str, str] | None = None
) -> list[OverrideCase]:
    """Each profile as an :class:`OverrideCase` (the counting rule of :func:`override_report`).

    ``counsellors`` maps a seeker id to the counsellor in charge; an overridden profile
    without one counts for the counsellor who overrode it; anything else is
    ``"unassigned"``.
    """
    out = []
    for p in profiles:
        if isinstance(p, OverriddenProfile):
            seg = p.override.original or "not_profiled"
            who = (counsellors or {}).get(p.seeker_id, p.override.counsellor)
            out.append(OverrideCase(p.seeker_id, seg, who or "unassigned", True, p.override.reason_code))
        else:
            seg = p.segment.code if p.segment else p.status
            who = (counsellors or {}).get(p.seeker_id, "")
            out.append(OverrideCase(p.seeker_id, seg, who or "unassigned", False))
    return out


def _rate_row(seg: str, who: str, n: int, k: int, min_cell: int | None) -> OverrideRate:
    if min_cell is not None and (n < min_cell or 0 < k < min_cell):
        return OverrideRate(seg, who, None if n < min_cell else n, None, None, True)
    return OverrideRate(seg, who, n, k, k / n)


def override_report(
    profiles: Iterable[SeekerProfile | OverriddenProfile],
    *,
    counsellors: Mapping[str, str] | None = None,
    min_cell: int | None = None,
) -> list[OverrideRate]:
    """Override rate by original segment, then by segment and counsellor.

    ``counsellors`` maps a seeker id to the counsellor in charge; an overridden
    profile without one counts for the counsellor who overrode it. Without the mapping
    only the by-segment rows (counsellor ``"*"``) are given. With ``min_cell`` (for
    published tables: the parameter ``metrics.suppression.min_cell``) a row with fewer
    profiles, or with between 1 and ``min_cell - 1`` overrides, is suppressed.
    """
    totals: Counter[tuple[str, str]] = Counter()
    changed: Counter[tuple[str, str]] = Counter()
    for case in override_cases(profiles, counsellors):
        keys = [(case.segment, "*")] + ([(case.segment, case.counsellor)] if counsellors is not None else [])
        for key in keys:
            totals[key] += 1
            if case.overridden:
                changed[key] += 1
    return [
        _rate_row(seg, who, totals[(seg, who)], changed[(seg, who)], min_cell)
        for seg, who in sorted(totals, key=lambda k: (k[0], k[1] != "*", k[1]))
    ]


def counsellor_override_rates(
    profiles: Iterable[SeekerProfile | OverriddenProfile],
    *,
    counsellors: Mapping[str, str] | None = None,
    min_cell: int | None = None,
) -> list[OverrideRate]:
    """Override rate by counsellor over all segments (rows with segment ``"*"``), by counsellor name.

    Counting and suppression as in :func:`override_report`.
    """
    totals: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    for case in override_cases(profiles, counsellors):
        totals[case.counsellor] += 1
        changed[case.counsellor] += case.overridden
    return [_rate_row("*", who, totals[who], changed[who], min_cell) for who in sorted(totals)]


@frozen
class OverrideReasonCount:
    """Overrides with one reason code (by one counsellor, or ``"*"`` for all)."""

    reason_code: str
    counsellor: str
    overrides: int | None  # None when suppressed
    share: float | None  # of that counsellor's (or all) overrides
    suppressed: bool = False


def override_reasons(
    profiles: Iterable[SeekerProfile | OverriddenProfile],
    *,
    counsellors: Mapping[str, str] | None = None,
    min_cell: int | None = None,
) -> list[OverrideReasonCount]:
    """Overrides by reason code, then (with ``counsellors``) by reason and counsellor.

    Shares are of the overrides of the same counsellor (or of all, for ``"*"``); with
    ``min_cell`` a count from 1 to ``min_cell - 1`` is suppressed.
    """
    found: Counter[tuple[str, str]] = Counter()
    for case in override_cases(profiles, counsellors):
        if not case.overridden or case.reason_code is None:
            continue
        found[(case.reason_code.code, "*")] += 1
        if counsellors is not None:
            found[(case.reason_code.code, case.counsellor)] += 1
    per: Counter[str] = Counter()
    for (_code, who), n in found.items():
        per[who] += n
    order = {r.code: i for i, r in enumerate(OverrideReason)}
    rows = []
    for code, who in sorted(found, key=lambda k: (k[1] != "*", k[1], order.get(k[0], 99))):
        n = found[(code, who)]
        if min_cell is not None and 0 < n < min_cell:
            rows.append(OverrideReasonCount(code, who, None, None, True))
        else:
            rows.append(OverrideReasonCount(code, who, n, n / per[who]))
    return rows
