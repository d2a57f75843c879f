"""Programme eligibility (지원 사업 대상 판정): which programmes and subsidies a seeker, a firm
or a hire qualifies for, with the amounts and periods they grant.

Programmes are a rule family like the typologies: packs register them through the
``employkit_programmes`` hook, usually as decision tables in their TOML
(:mod:`employkit.programmes.tables`), else as a Python rule over declared facts
(:class:`ScalarProgramme`). A verdict is eligible, not eligible, "needs counsellor
review", or "missing facts" naming what is missing — never a guess. A centre is decided
as columns (:func:`evaluate_centre`); one record is a one-row call of the same code
(:func:`eligibility`). This package names no pack's programme.
"""

from __future__ import annotations

from employkit.programmes.api import CentreEligibility, eligibility, evaluate_centre, programmes_in_force
from employkit.programmes.base import (
    STATUSES,
    Eligibility,
    Grant,
    Outcome,
    Programme,
    ProgrammeColumns,
    Verdict,
)
from employkit.programmes.fields import FACTS, SUBJECTS, Fact, Facts, World
from employkit.programmes.scalar import ScalarProgramme
from employkit.programmes.tables import TableProgramme, load_programmes, parse_programmes

__all__ = [
    "FACTS",
    "STATUSES",
    "SUBJECTS",
    "CentreEligibility",
    "Eligibility",
    "Fact",
    "Facts",
    "Grant",
    "Outcome",
    "Programme",
    "ProgrammeColumns",
    "ScalarProgramme",
    "TableProgramme",
    "Verdict",
    "World",
    "eligibility",
    "evaluate_centre",
    "load_programmes",
    "parse_programmes",
    "programmes_in_force",
]
