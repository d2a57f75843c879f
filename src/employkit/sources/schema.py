"""The canonical schema of a centre dataset, as data.

A dataset is a set of tables (``seekers``, ``employers``, ``vacancies``, ``placements``,
``followups``) whose columns have English snake_case names. Each :class:`Column` also
has a Korean name, which readers accept as a header too, a cell type and whether a value
is required. Readers, :mod:`employkit.sources.tables` and the documentation all use
:data:`TABLES`.

Cell types:

========================  ==============================================================
``id``                    a non-empty identifier
``text``                  free text
``int``                   a whole number ≥ 0 (thousands separators allowed)
``wage``                  KRW per month, a whole number ≥ 0
``float``                 a decimal number
``date``                  ISO 8601 (``2015-07-01``), also ``2015.07.01`` and ``2015-7-1``
``bool``                  true/false, 1/0, Y/N, 예/아니오 (any case)
``level``                 low/mid/high, also 하/중/상
``region``                a Korean administrative region code (``11140``)
``occupation``            a KECO occupation code (``5611``; 2025, or the 2018 list)
``list``                  ``;``-separated texts
``gender``                F/M/X (or 여성/남성/기타, 여/남, 여자/남자)
``employment_type``       an :class:`~employkit.model.EmploymentType` code or label
``employment_types``      ``;``-separated employment types
``groups``                ``;``-separated :class:`~employkit.model.SeekerGroup` codes
``outcome``               a :class:`~employkit.model.FollowUpOutcome` code or label
========================  ==============================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from attrs import frozen

from ..errors import NotFound
from ..labels import CodedEnum
from ..model import EmploymentType, FollowUpOutcome, Gender, Level, SeekerGroup

__all__ = [
    "ID_COLUMNS",
    "INTAKE_COLUMNS",
    "REFERENCES",
    "REQUIRED_TABLES",
    "TABLES",
    "TABLE_DESCRIPTIONS",
    "TABLE_KO",
    "TABLE_ORDER",
    "CellType",
    "Column",
    "column",
]

CellType = Literal[
    "id",
    "text",
    "int",
    "wage",
    "float",
    "date",
    "bool",
    "level",
    "region",
    "occupation",
    "list",
    "gender",
    "employment_type",
    "employment_types",
    "groups",
    "outcome",
]

#: The cell types that hold one code of an enumeration, with the enumeration.
ENUM_CELLS: Mapping[CellType, type[CodedEnum]] = MappingProxyType(
    {"level": Level, "gender": Gender, "employment_type": EmploymentType, "outcome": FollowUpOutcome}
)
#: The cell types that hold a set of values, with the enumeration of its members (``None``: texts).
SET_CELLS: Mapping[CellType, type[CodedEnum] | None] = MappingProxyType(
    {"list": None, "employment_types": EmploymentType, "groups": SeekerGroup}
)


@frozen
class Column:
    """One column of a table: English name, Korean name, cell type, required, description."""

    name: str
    ko: str
    type: CellType
    required: bool = False
    description: str = ""


_SEEKERS = (
    Column("seeker_id", "구직자ID", "id", True, "Identifier of the jobseeker, unique in the table."),
    Column("birth_year", "출생연도", "int", False, "Year of birth; required unless birth_date is given."),
    Column("birth_date", "생년월일", "date", False, "Date of birth (never a resident registration number)."),
    Column("gender", "성별", "gender", False, "F, M or X."),
    Column("residence_code", "거주지코드", "region", True, "Region code of the residence (5-digit 시군구)."),
    Column("registered_on", "구직등록일", "date", True, "Date of registration with the centre."),
    Column(
        "desired_occupation",
        "희망직종",
        "occupation",
        False,
        "KECO code of the desired occupation (2025, or the 2018 list).",
    ),
    Column("desired_wage", "희망임금", "wage", False, "Desired wage, KRW per month."),
    Column("desired_hours", "희망근로시간", "float", False, "Desired hours per week."),
    Column("employment_types", "희망고용형태", "employment_types", False, "Wished employment types, ';'-separated."),
    Column("job_field_decided", "취업분야결정", "bool", False, "Intake: the job field is decided."),
    Column("employability", "취업가능성", "level", False, "Intake: employability (low/mid/high)."),
    Column("motivation", "취업의욕", "level", False, "Intake: motivation (low/mid/high)."),
    Column("ability", "취업능력", "level", False, "Intake: ability and skills (low/mid/high)."),
    Column("economic_hardship", "경제적어려움", "bool", False, "Intake: economic hardship."),
    Column("mobile", "지역이동가능", "bool", False, "Intake: can move to another region."),
    Column("groups", "대상집단", "groups", False, "Target groups (SeekerGroup codes), ';'-separated."),
    Column("skills", "보유기술", "list", False, "Skills, ';'-separated."),
    Column("certificates", "자격증", "list", False, "Certificates, ';'-separated."),
    Column("nationality", "국적", "text", False, "Nationality."),
    Column("unemployed_since", "실업시작일", "date", False, "Programmes: first day of the current unemployment."),
    Column(
        "insured_days", "피보험단위기간", "int", False, "Programmes: insured days (피보험단위기간) at the last job."
    ),
    Column("involuntary_leaving", "비자발적이직", "bool", False, "Programmes: left the last job involuntarily."),
    Column("regular_income", "정기소득", "bool", False, "Programmes: has a regular income."),
    Column(
        "employment_support_participant",
        "국민취업지원제도참여",
        "bool",
        False,
        "Programmes: takes part in the national employment support programme (국민취업지원제도).",
    ),
)

_EMPLOYERS = (
    Column("employer_id", "기업ID", "id", True, "Identifier of the firm, unique in the table."),
    Column("name", "기업명", "text", False, "Name of the firm."),
    Column("employees", "근로자수", "int", True, "Number of employees."),
    Column("industry", "업종", "text", False, "KSIC industry code."),
    Column("region_code", "소재지코드", "region", True, "Region code of the workplace."),
    Column("wage_level", "임금수준", "level", False, "Wage level (low/mid/high)."),
    Column("welfare_level", "복지수준", "level", False, "Welfare level (low/mid/high)."),
    Column("recognition", "인지도", "level", False, "Public recognition (low/mid/high)."),
    Column("uses_job_board", "워크넷이용", "bool", False, "Uses the public job board (워크넷/고용24)."),
    Column("partner", "협력업체", "bool", False, "A partner firm of the centre."),
    Column("mou", "MOU체결", "bool", False, "Signed an MOU with the centre."),
    Column("sme_fund", "중소기업육성기금", "bool", False, "Received the SME development fund."),
    Column("sme", "중소기업", "bool", False, "Programmes: a small or medium-sized enterprise (중소기업)."),
    Column(
        "special_industry", "특별고용지원업종", "bool", False, "Programmes: in a special employment-support industry."
    ),
    Column(
        "paid_support_days_left",
        "유급지원잔여일수",
        "int",
        False,
        "Programmes: days of paid job-retention support (유급 고용유지지원금) left.",
    ),
)

_VACANCIES = (
    Column("vacancy_id", "구인ID", "id", True, "Identifier of the vacancy, unique in the table."),
    Column("employer_id", "기업ID", "id", True, "The employer posting it (an employer_id)."),
    Column("occupation", "모집직종", "occupation", True, "KECO code of the occupation (2025, or the 2018 list)."),
    Column("openings", "구인인원", "int", True, "Number of openings (at least 1)."),
    Column("offered_wage", "제시임금", "wage", False, "Offered wage, KRW per month."),
    Column("employment_type", "고용형태", "employment_type", True, "Employment type."),
    Column("hours_per_week", "주당근로시간", "float", False, "Hours per week."),
    Column("region_code", "근무지코드", "region", True, "Region code of the workplace."),
    Column("posted_on", "등록일", "date", True, "Date the vacancy was posted."),
    Column("closes_on", "마감일", "date", False, "Closing date."),
    Column("min_age", "최소연령", "int", False, "Employer's minimum age preference."),
    Column("max_age", "최대연령", "int", False, "Employer's maximum age preference."),
    Column("required_skills", "요구기술", "list", False, "Required skills, ';'-separated."),
    Column("required_certificates", "요구자격증", "list", False, "Required certificates, ';'-separated."),
)

_PLACEMENTS = (
    Column("placement_id", "취업ID", "id", True, "Identifier of the placement, unique in the table."),
    Column("seeker_id", "구직자ID", "id", True, "The jobseeker placed (a seeker_id)."),
    Column("employer_id", "기업ID", "id", True, "The hiring employer (an employer_id)."),
    Column("vacancy_id", "구인ID", "id", False, "The vacancy filled (a vacancy_id)."),
    Column("start_date", "취업일", "date", True, "First day at work."),
    Column("employment_type", "고용형태", "employment_type", True, "Employment type."),
    Column(
        "contract_end",
        "계약종료일",
        "date",
        False,
        "End of the contract; required for commercial_contract, short_term_contract and public_job.",
    ),
    Column("monthly_wage", "월임금", "wage", False, "Wage, KRW per month."),
    Column("occupation", "취업직종", "occupation", False, "KECO code of the job (2025, or the 2018 list)."),
    Column("via_referral", "알선취업", "bool", False, "Placed through the centre's referral."),
    Column("ended_on", "퇴사일", "date", False, "Date the job ended."),
)

_FOLLOWUPS = (
    Column("placement_id", "취업ID", "id", True, "The placement followed up (a placement_id)."),
    Column("due_on", "예정일", "date", False, "Date the contact was due."),
    Column("contacted_on", "연락일", "date", True, "Date of the contact."),
    Column("outcome", "결과", "outcome", True, "What the contact found."),
    Column("note", "메모", "text", False, "Counsellor's note."),
    Column("counsellor", "상담사", "text", False, "Counsellor who made the contact."),
)

#: The tables, in the order they are read and written.
TABLE_ORDER: tuple[str, ...] = ("seekers", "employers", "vacancies", "placements", "followups")

#: Every table's columns, in schema order.
TABLES: Mapping[str, tuple[Column, ...]] = MappingProxyType(
    {
        "seekers": _SEEKERS,
        "employers": _EMPLOYERS,
        "vacancies": _VACANCIES,
        "placements": _PLACEMENTS,
        "followups": _FOLLOWUPS,
    }
)

#: Every table's Korean name (accepted as an Excel sheet name).
TABLE_KO: Mapping[str, str] = MappingProxyType(
    {
        "seekers": "구직자",
        "employers": "구인기업",
        "vacancies": "구인공고",
        "placements": "취업",
        "followups": "사후관리",
    }
)

#: What each table holds, for the documentation.
TABLE_DESCRIPTIONS: Mapping[str, str] = MappingProxyType(
    {
        "seekers": "Jobseekers registered with the centre, one row each, with their intake answers.",
        "employers": "Firms the centre works with.",
        "vacancies": "Job openings the firms posted.",
        "placements": "Jobs seekers started, through the centre or reported to it.",
        "followups": "Contacts after a placement (follow-up), several per placement allowed.",
    }
)

#: Tables a dataset must have.
REQUIRED_TABLES: frozenset[str] = frozenset({"seekers"})

#: The identifier column of each table whose ids must be unique.
ID_COLUMNS: Mapping[str, str] = MappingProxyType(
    {"seekers": "seeker_id", "employers": "employer_id", "vacancies": "vacancy_id", "placements": "placement_id"}
)

#: ``(table, column) -> referenced table``: columns holding the id of another table's row.
REFERENCES: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("vacancies", "employer_id"): "employers",
        ("placements", "seeker_id"): "seekers",
        ("placements", "employer_id"): "employers",
        ("placements", "vacancy_id"): "vacancies",
        ("followups", "placement_id"): "placements",
    }
)

#: Seeker columns that go into :class:`~employkit.model.Intake`.
INTAKE_COLUMNS: tuple[str, ...] = (
    "job_field_decided",
    "employability",
    "motivation",
    "ability",
    "economic_hardship",
    "mobile",
)


def column(table: str, name: str) -> Column:
    """The column ``name`` of ``table``; raises :class:`KeyError` if there is none.

    >>> column("seekers", "residence_code").ko
    '거주지코드'
    """
    for col in TABLES[table]:
        if col.name == name:
            return col
    raise NotFound(f"table {table!r} has no column {name!r}")
