"""Eligibility for a whole centre, and for one seeker, firm or hire (a one-row call of the same code).

>>> import datetime as dt
>>> from employkit.rules import RuleSystem
>>> from employkit.model import Seeker
>>> s = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2021, 3, 2),
...            insured_days=179, involuntary_leaving=True)
>>> [e.status for e in eligibility(s, RuleSystem.build(), dt.date(2021, 6, 1),
...                                 programme="programmes.national.online_benefit_claim")]
['not_eligible']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.errors import DataError, Problem, RuleNotFound
from employkit.model import Employer, Placement, Seeker
from employkit.programmes.base import Eligibility, Programme, ProgrammeColumns
from employkit.programmes.fields import Facts, World

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.rules import RuleSystem

__all__ = ["CentreEligibility", "eligibility", "evaluate_centre", "programmes_in_force"]


def _covers(regions: Sequence[str], region_code: str | None) -> bool:
    if not regions:
        return True
    if region_code is None:
        return False
    from employkit.codes import in_region

    return any(in_region(region_code, r) for r in regions)


def programmes_in_force(system: RuleSystem, as_of: dt.date, subject: str | None = None) -> list[Programme]:
    """The programmes of the centre's packs in force on ``as_of`` and covering its region."""
    found: list[Programme] = system.rules("programme", as_of)
    return [p for p in found if (subject is None or p.subject == subject) and _covers(p.regions, system.region_code)]


def _world(system: RuleSystem, data: Dataset | None) -> World:
    if data is None:
        return World(system.region_code)
    return World(system.region_code, data.seekers_by_id, data.employers_by_id)


@frozen(eq=False)
class CentreEligibility:
    """Every programme's verdicts for a centre's seekers, firms and hires, as of one date."""

    as_of: dt.date
    facts: Mapping[str, Facts]
    results: tuple[tuple[Programme, ProgrammeColumns], ...]

    def summary(self) -> list[dict[str, Any]]:
        """Counts per programme: by status, by outcome, missing facts, total granted."""
        out = []
        for programme, result in self.results:
            row = result.summary()
            row["programme_ko"] = programme.meta.title.ko
            row["programme_en"] = programme.meta.title.en
            out.append(row)
        return out

    def of(self, subject: str, subject_id: str, system: RuleSystem) -> list[Eligibility]:
        """Every programme's eligibility, with explanations, for one subject of the centre."""
        facts = self.facts.get(subject)
        if facts is None or subject_id not in facts.ids:
            return []
        index = facts.ids.index(subject_id)
        ctx = system.context(self.as_of)
        out: list[Eligibility] = []
        for programme, result in self.results:
            if programme.subject == subject:
                out.extend(programme.explain(facts, result, [index], ctx))
        return out

    def hires_of(self, employer_id: str, system: RuleSystem) -> list[Eligibility]:
        """The eligibility of every hire of one firm, with explanations."""
        facts = self.facts.get("hire")
        if facts is None:
            return []
        rows = [k for k, owner in enumerate(facts.owners) if owner == employer_id]
        ctx = system.context(self.as_of)
        out: list[Eligibility] = []
        for programme, result in self.results:
            if programme.subject == "hire":
                out.extend(programme.explain(facts, result, rows, ctx))
        return out


def _records(data: Dataset, subject: str, as_of: dt.date) -> Sequence[Any]:
    """The records that exist on ``as_of``: seekers registered and hires started by then (firms have no date)."""
    if subject == "seeker":
        return [s for s in data.seekers if s.registered_on <= as_of]
    if subject == "hire":
        return [p for p in data.placements if p.start_date <= as_of]
    return data.employers


def evaluate_centre(
    data: Dataset, system: RuleSystem, as_of: dt.date, programmes: Iterable[str] | None = None
) -> CentreEligibility:
    """Decide every programme in force for every seeker, firm and hire of ``data`` (columnar).

    Only what exists on ``as_of`` is decided: seekers registered and hires started by then.

    ``programmes`` limits the evaluation to those ids (an unknown id raises
    :class:`~employkit.errors.RuleNotFound`).
    """
    chosen = programmes_in_force(system, as_of)
    if programmes is not None:
        wanted = list(programmes)
        known = {p.meta.rule_id for p in chosen}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise RuleNotFound(
                f"no programme {', '.join(unknown)} in force on {as_of.isoformat()} for this centre; "
                f"in force: {', '.join(sorted(known)) or 'none'}"
            )
        chosen = [p for p in chosen if p.meta.rule_id in wanted]
    world = _world(system, data)
    facts: dict[str, Facts] = {}
    for subject in dict.fromkeys(p.subject for p in chosen):
        names = {n for p in chosen if p.subject == subject for n in p.facts}
        facts[subject] = Facts.read(subject, _records(data, subject, as_of), as_of, names, world)
    ctx = system.context(as_of)
    results = tuple((p, p.decide(facts[p.subject], ctx)) for p in chosen)
    return CentreEligibility(as_of, facts, results)


def eligibility(
    record: Seeker | Employer | Placement,
    system: RuleSystem,
    as_of: dt.date,
    *,
    data: Dataset | None = None,
    programme: str | None = None,
) -> list[Eligibility]:
    """One seeker's, firm's or hire's eligibility under every programme in force (or one).

    The record is decided as a table of one row, by the same code as
    :func:`evaluate_centre`. A hire reads its seeker and firm from ``data``.
    """
    subject = "seeker" if isinstance(record, Seeker) else "employer" if isinstance(record, Employer) else "hire"
    chosen = programmes_in_force(system, as_of, subject)
    if programme is not None:
        chosen = [p for p in chosen if p.meta.rule_id == programme]
        if not chosen:
            raise DataError(
                [Problem(f"no {subject} programme {programme!r} in force on {as_of.isoformat()} for this centre")],
                "unknown programme",
            )
    facts = Facts.read(subject, [record], as_of, {n for p in chosen for n in p.facts}, _world(system, data))
    ctx = system.context(as_of)
    out: list[Eligibility] = []
    for p in chosen:
        out.extend(p.explain(facts, p.decide(facts, ctx), [0], ctx))
    return out
