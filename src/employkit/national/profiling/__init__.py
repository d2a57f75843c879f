"""The national typologies of the 2021 plan (공공 고용서비스 강화 방안).

Four rules, registered by the built-in national pack:

``profiling.seeker.national`` — a decision table, ``national/seeker_typology.toml``
    The intake checklist (유형분류 체크리스트) sorts a jobseeker into *ready* (준비된
    구직자: job field decided and employability high), mobile or not, or *needs
    preparation* (준비가 필요한 구직자): low motivation, low ability, or both low with
    economic hardship; where the plan is silent, *needs counsellor review* (상담사 판단
    필요) unless the centre switches on a dated assumption. In force (provisionally)
    from 2022-01-01. Run by :class:`~employkit.profiling.tables.TableTypology`.
``profiling.seeker.national.special_type`` — :class:`SpecialTypeTypology`
    The special-type worker desk (특고 취업전담반): to wage work, stay special-type, or
    to self-employment. From 2022-01-01.
``profiling.employer.national`` — :class:`NationalEmployerTypology`
    The five employer types by wage, welfare and recognition, with intervention level,
    stage-1 and stage-2 services and the Enterprise Recruitment Support Package. From
    2021-07-01.
``profiling.employer.national.targets`` — :class:`TargetSelection`
    Job discovery targets: potential client firms (잠재고객기업) and priority support
    firms (중점지원기업). From 2021-07-01.

Every decision names the checklist answers that decided it; no rule reads a protected
attribute (gender, age, nationality, disability).

The package's modules: :mod:`~.common` (rule ids, the plan cited), :mod:`~.seekers`,
:mod:`~.employers` and :mod:`~.targets`.
"""

from __future__ import annotations

from typing import Any

from employkit.national.profiling.common import NATIONAL_EMPLOYER_ID, NATIONAL_SEEKER_ID, SPECIAL_TYPE_ID, TARGETS_ID
from employkit.national.profiling.employers import (
    EMPLOYER_REVIEW,
    EMPLOYER_SEGMENTS,
    ENTERPRISE_RECRUITMENT_PACKAGE,
    NATIONAL_EMPLOYER_META,
    NationalEmployerTypology,
    PackageStep,
)
from employkit.national.profiling.seekers import (
    SPECIAL_TYPE_META,
    SPECIAL_TYPE_SEGMENTS,
    SpecialTypeTypology,
    answer,
    level_param,
    seeker_table,
)
from employkit.national.profiling.targets import (
    NOT_TARGETED,
    POTENTIAL_CLIENT,
    PRIORITY_SUPPORT,
    TARGET_SEGMENTS,
    TARGETS_META,
    TargetSelection,
)
from employkit.profiling.base import NOT_PROTECTED, EmployerTypology, SeekerTypology, missing_reason

__all__ = [
    "EMPLOYER_REVIEW",
    "EMPLOYER_SEGMENTS",
    "ENTERPRISE_RECRUITMENT_PACKAGE",
    "NATIONAL_EMPLOYER_ID",
    "NATIONAL_EMPLOYER_META",
    "NATIONAL_SEEKER_ID",
    "NOT_PROTECTED",
    "NOT_TARGETED",
    "POTENTIAL_CLIENT",
    "PRIORITY_SUPPORT",
    "SEEKER_SEGMENTS",
    "SPECIAL_TYPE_ID",
    "SPECIAL_TYPE_META",
    "SPECIAL_TYPE_SEGMENTS",
    "TARGETS_ID",
    "TARGETS_META",
    "TARGET_SEGMENTS",
    "NationalEmployerTypology",
    "PackageStep",
    "SpecialTypeTypology",
    "TargetSelection",
    "answer",
    "employer_typologies",
    "level_param",
    "missing_reason",
    "seeker_table",
    "seeker_typologies",
]


def __getattr__(name: str) -> Any:
    if name == "SEEKER_SEGMENTS":  # read from the table on first use
        return seeker_table().segments
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------- registration


def seeker_typologies() -> tuple[SeekerTypology, ...]:
    """The national seeker typologies: the checklist typology (a decision table) and the special-type pathways."""
    from employkit.profiling.tables import load_decision_tables

    return (*load_decision_tables("employkit.national"), SpecialTypeTypology())


def employer_typologies() -> tuple[EmployerTypology, ...]:
    """The national employer typologies: the five types and the job-discovery targets."""
    return (NationalEmployerTypology(), TargetSelection())
