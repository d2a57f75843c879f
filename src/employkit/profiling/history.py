"""Re-profiling: the history of a seeker's segments over time.

People who need preparation are moved to "ready" once motivation or ability improve:
the typology is run again as of a later date, and the history keeps every result, so
a centre can say who moved from "needs preparation" to "ready", and when
(seeds/001_9743a8cda015755e.txt#L508, 취업의욕·능력 제고를 통해 준비된 구직자로 전환).

>>> import datetime as dt
>>> from employkit.explain import Explanation
>>> from employkit.labels import Text
>>> from employkit.profiling.base import SeekerProfile, Segment
>>> prep = Segment("prep", Text("준비 필요", "needs preparation"), group="needs_preparation")
>>> ready = Segment("ready", Text("준비됨", "ready"), group="ready")
>>> def p(day, seg):
...     return SeekerProfile(seeker_id="S1", typology_id="profiling.seeker.demo", as_of=day, segment=seg,
...                          explanation=Explanation("profiling.seeker.demo", "demo", "1"))
>>> h = ProfileHistory.start("S1").add(p(dt.date(2022, 3, 2), prep)).add(p(dt.date(2022, 6, 7), ready))
>>> [(m.from_group, m.to_group, m.on.isoformat()) for m in h.moves()]
[('needs_preparation', 'ready', '2022-06-07')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from attrs import field, frozen

from employkit.errors import InvalidArgument
from employkit.labels import Text
from employkit.profiling.base import SeekerProfile
from employkit.profiling.overrides import OverriddenProfile

if TYPE_CHECKING:
    from employkit.model import Seeker
    from employkit.rules import RuleSystem

__all__ = ["HistoryEntry", "Move", "ProfileBook", "ProfileHistory", "reprofile"]

AnyProfile = SeekerProfile | OverriddenProfile


@frozen(kw_only=True)
class HistoryEntry:
    """One profiling result in a seeker's history."""

    as_of: dt.date
    typology_id: str
    segment: str | None
    group: str | None
    label: Text | None
    status: str  # profiled, not_profiled, not_applicable, overridden
    missing: tuple[str, ...] = ()

    @classmethod
    def of(cls, profile: AnyProfile) -> HistoryEntry:
        """The entry for one profile (an override records the counsellor's segment)."""
        seg = profile.segment
        return cls(
            as_of=profile.as_of,
            typology_id=profile.typology_id,
            segment=seg.code if seg else None,
            group=seg.group if seg else None,
            label=seg.label if seg else None,
            status=profile.status,
            missing=profile.missing,
        )


@frozen
class Move:
    """A change of segment between two profilings of one seeker under one typology."""

    seeker_id: str
    typology_id: str
    since: dt.date  # the date of the earlier profile
    on: dt.date  # the date of the profile that shows the new segment
    from_segment: str
    to_segment: str
    from_group: str | None
    to_group: str | None


def _entries(values: Iterable[HistoryEntry]) -> tuple[HistoryEntry, ...]:
    return tuple(sorted(values, key=lambda e: (e.as_of, e.typology_id)))


@frozen
class ProfileHistory:
    """Every profiling result of one seeker, oldest first. Immutable: :meth:`add` returns a new one."""

    seeker_id: str
    entries: tuple[HistoryEntry, ...] = field(default=(), converter=_entries)

    @classmethod
    def start(cls, seeker_id: str) -> ProfileHistory:
        """An empty history."""
        return cls(seeker_id)

    def add(self, profile: AnyProfile) -> ProfileHistory:
        """This history with ``profile`` added; a result of the same typology and date is replaced."""
        if profile.seeker_id != self.seeker_id:
            raise InvalidArgument(f"profile of {profile.seeker_id!r} added to the history of {self.seeker_id!r}")
        entry = HistoryEntry.of(profile)
        kept = [e for e in self.entries if (e.as_of, e.typology_id) != (entry.as_of, entry.typology_id)]
        return ProfileHistory(self.seeker_id, (*kept, entry))

    def current(self, typology_id: str | None = None, on: dt.date | None = None) -> HistoryEntry | None:
        """The latest entry (of ``typology_id``), as of ``on`` when given."""
        found = [
            e
            for e in self.entries
            if (typology_id is None or e.typology_id == typology_id) and (on is None or e.as_of <= on)
        ]
        return found[-1] if found else None

    def moves(self, typology_id: str | None = None) -> list[Move]:
        """Changes of segment between consecutive assigned segments, per typology, oldest first."""
        last: dict[str, HistoryEntry] = {}
        out: list[Move] = []
        for e in self.entries:
            if e.segment is None or (typology_id is not None and e.typology_id != typology_id):
                continue
            before = last.get(e.typology_id)
            if before is not None and before.segment is not None and before.segment != e.segment:
                out.append(
                    Move(
                        self.seeker_id,
                        e.typology_id,
                        before.as_of,
                        e.as_of,
                        before.segment,
                        e.segment,
                        before.group,
                        e.group,
                    )
                )
            last[e.typology_id] = e
        return out


def _frozen_map(values: Mapping[str, ProfileHistory]) -> Mapping[str, ProfileHistory]:
    return MappingProxyType(dict(values))


@frozen
class ProfileBook:
    """The histories of many seekers, by seeker id."""

    histories: Mapping[str, ProfileHistory] = field(factory=dict, converter=_frozen_map, hash=False)

    def add(self, profiles: Iterable[AnyProfile]) -> ProfileBook:
        """This book with ``profiles`` added (a new book; this one is unchanged)."""
        found = dict(self.histories)
        for p in profiles:
            found[p.seeker_id] = found.get(p.seeker_id, ProfileHistory.start(p.seeker_id)).add(p)
        return ProfileBook(found)

    def moves(
        self,
        *,
        from_group: str | None = None,
        to_group: str | None = None,
        typology_id: str | None = None,
        between: tuple[dt.date, dt.date] | None = None,
    ) -> list[Move]:
        """Every move, filtered by groups (e.g. ``"needs_preparation"`` → ``"ready"``) and dates."""
        out = []
        for sid in sorted(self.histories):
            for m in self.histories[sid].moves(typology_id):
                if from_group is not None and m.from_group != from_group:
                    continue
                if to_group is not None and m.to_group != to_group:
                    continue
                if between is not None and not between[0] <= m.on <= between[1]:
                    continue
                out.append(m)
        return out


def reprofile(
    history: ProfileHistory | None,
    seeker: Seeker,
    system: RuleSystem,
    as_of: dt.date,
    typology_id: str | None = None,
) -> tuple[ProfileHistory, SeekerProfile]:
    """Profile ``seeker`` again as of ``as_of`` and add the result to ``history``."""
    from employkit.profiling.api import classify_seeker

    profile = classify_seeker(seeker, system, as_of, typology_id)
    base = history if history is not None else ProfileHistory.start(seeker.seeker_id)
    return base.add(profile), profile
