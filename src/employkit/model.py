"""The domain model: who and what a public employment service works with.

All records are frozen attrs classes with keyword-only fields, validated when they are
built. They hold no serialization code (that lives in :mod:`employkit.converter`) and no
I/O. Money is whole KRW per month (``int``), dates are :class:`datetime.date`, regions are
Korean administrative codes (e.g. ``"11140"`` for Seoul Jung-gu) and occupations are
KECO codes (한국고용직업분류).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen, validators

from employkit.codes import check_occupation, check_region
from employkit.errors import InvalidValue
from employkit.labels import CodedEnum

__all__ = [
    "FIXED_TERM_TYPES",
    "Centre",
    "CentreLevel",
    "Employer",
    "EmploymentType",
    "FollowUpContact",
    "FollowUpOutcome",
    "Gender",
    "Intake",
    "Level",
    "Period",
    "Placement",
    "Seeker",
    "SeekerGroup",
    "Vacancy",
    "age_in_years",
    "ages_on",
]


class Level(CodedEnum):
    """A three-step rating used by intake checklists and employer profiles (상·중·하)."""

    LOW = ("low", "하", "low")
    MID = ("mid", "중", "mid")
    HIGH = ("high", "상", "high")

    @property
    def rank(self) -> int:
        """0 for low, 1 for mid, 2 for high: for comparisons."""
        return ("low", "mid", "high").index(self.code)


class Gender(CodedEnum):
    """Gender as recorded by the centre (a protected attribute)."""

    FEMALE = ("F", "여성", "female")
    MALE = ("M", "남성", "male")
    OTHER = ("X", "기타", "other")


class EmploymentType(CodedEnum):
    """Employment type (고용형태) of a vacancy, a placement or a seeker's wish."""

    REGULAR = ("regular", "정규직", "regular")
    COMMERCIAL_CONTRACT = ("commercial_contract", "상용 계약직", "commercial contract")
    SHORT_TERM_CONTRACT = ("short_term_contract", "단기계약직", "short-term contract")
    PUBLIC_JOB = ("public_job", "공공일자리", "public job")
    DAILY = ("daily", "일용직", "daily work")
    TIME_SELECTIVE = ("time_selective", "시간선택제", "time-selective (part-time)")
    SPECIAL_TYPE = ("special_type", "특수형태근로", "special-type work")


#: Employment types whose placements must carry a contract end date.
FIXED_TERM_TYPES = frozenset(
    {
        EmploymentType.COMMERCIAL_CONTRACT,
        EmploymentType.SHORT_TERM_CONTRACT,
        EmploymentType.PUBLIC_JOB,
    }
)


class SeekerGroup(CodedEnum):
    """Target groups the source documents single out (취업취약계층 and others)."""

    YOUTH = ("youth", "청년", "youth")
    MIDDLE_AGED = ("middle_aged", "중장년", "middle-aged / baby-boomer")
    OLDER = ("older", "고령자", "older person")
    CAREER_BREAK_WOMAN = ("career_break_woman", "경력단절여성", "career-break woman")
    MULTICULTURAL = ("multicultural", "다문화", "multicultural family")
    VOCATIONAL_HS_GRAD = ("vocational_hs_grad", "특성화고 졸업생", "vocational high-school graduate")
    LOW_INCOME = ("low_income", "저소득 취약계층", "low-income vulnerable")
    DISABILITY = ("disability", "장애인", "person with a disability")
    SPECIAL_TYPE_WORKER = ("special_type_worker", "특수형태근로종사자", "special-type worker")
    PLATFORM_WORKER = ("platform_worker", "플랫폼 종사자", "platform worker")


class CentreLevel(CodedEnum):
    """What kind of centre runs the service."""

    NATIONAL = ("national", "고용센터", "national employment centre")
    PROVINCE = ("province", "광역 일자리센터", "provincial job centre")
    DISTRICT = ("district", "자치구 일자리센터", "district job centre")
    COUNTY = ("county", "군 일자리센터", "county job centre")


class FollowUpOutcome(CodedEnum):
    """What a follow-up contact found (사후관리 결과)."""

    STILL_EMPLOYED = ("still_employed", "재직 중", "still employed")
    RENEWED = ("renewed", "재계약", "contract renewed")
    CONVERTED_REGULAR = ("converted_regular", "정규직 전환", "converted to regular")
    LEFT_SEEKING = ("left_seeking", "이직·재구직 희망", "left, seeking work")
    LEFT_NOT_SEEKING = ("left_not_seeking", "이직·구직 미희망", "left, not seeking work")
    CONSIDERING_MOVE = ("considering_move", "이직 고려", "considering a move")
    UNREACHABLE = ("unreachable", "연락 불가", "unreachable")


def _region_code(_inst: object, attribute: Any, value: Any) -> None:
    """Codes are checked exactly as the source files check them (employkit.codes)."""
    if value is None:
        return
    try:
        cleaned = check_region(value)
    except ValueError as exc:
        raise InvalidValue(f"{attribute.name}: {exc}") from None
    if cleaned != value:
        raise InvalidValue(f"{attribute.name}: {value!r} has blanks around the code")


def _occupation_code(_inst: object, attribute: Any, value: Any) -> None:
    if value is None:
        return
    try:
        cleaned = check_occupation(value)
    except ValueError as exc:
        raise InvalidValue(f"{attribute.name}: {exc}") from None
    if cleaned != value:
        raise InvalidValue(f"{attribute.name}: {value!r} has blanks around the code")


def _non_negative(_inst: object, attribute: Any, value: Any) -> None:
    if value is not None and value < 0:
        raise InvalidValue(f"{attribute.name} must not be negative, got {value!r}")


def _hours(_inst: object, attribute: Any, value: Any) -> None:
    if value is not None and not 0 < value <= 168:
        raise InvalidValue(f"{attribute.name} must be between 0 and 168 hours a week, got {value!r}")


def _types(values: Iterable[EmploymentType]) -> frozenset[EmploymentType]:
    return frozenset(values)


def _groups(values: Iterable[SeekerGroup]) -> frozenset[SeekerGroup]:
    return frozenset(values)


def _strings(values: Any) -> frozenset[str]:
    return frozenset(str(v).strip() for v in values if str(v).strip())


def _extra() -> Any:
    """Extra columns a source carried beyond the schema; kept for plugins."""
    return field(factory=dict, hash=False, repr=False)


@frozen(kw_only=True)
class Intake:
    """Answers of the intake checklist (유형분류 체크리스트); ``None`` means not asked."""

    job_field_decided: bool | None = None  # 취업분야 결정
    employability: Level | None = None  # 취업가능성
    motivation: Level | None = None  # 취업의욕
    ability: Level | None = None  # 취업능력
    economic_hardship: bool | None = None  # 경제적 여건 어려움
    mobile: bool | None = None  # 지역이동 가능


def age_in_years(year: Any, month: Any, day: Any, born_year: Any, born_month: Any = 0, born_day: Any = 0) -> Any:
    """Age in whole years on the day ``year-month-day`` of someone born on ``born_year-born_month-born_day``.

    The one definition of age, used by every path: it takes Python numbers (one person)
    or numpy arrays (a column, element-wise). A birthday not yet reached in the year takes
    a year off; with the birth year only (``born_month`` 0), the age is the difference of years.

    >>> age_in_years(2016, 3, 1, 1970, 3, 2), age_in_years(2016, 3, 2, 1970, 3, 2), age_in_years(2016, 1, 1, 1970)
    (45, 46, 46)
    """
    return year - born_year - ((month < born_month) | ((month == born_month) & (day < born_day)))


def ages_on(days: Any, birth_date: Any, birth_year: Any) -> Any:
    """:func:`age_in_years` on columns: ``days`` and ``birth_date`` as ``datetime64`` arrays (``NaT`` unknown),
    ``birth_year`` as floats (``NaN`` unknown); the result is floats, ``NaN`` where the age is not known."""
    import numpy as np

    def split(d: Any) -> tuple[Any, Any, Any]:
        months = d.astype("datetime64[M]")
        year = months.astype("datetime64[Y]").astype(np.int64) + 1970
        month = months.astype(np.int64) % 12 + 1
        dom = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
        return year.astype(np.int16), month.astype(np.int8), dom.astype(np.int8)

    def fields(d: Any) -> tuple[Any, Any, Any]:
        """Year, month and day of each known day, each calendar day of the span split once."""
        number = d.view(np.int64)
        low, high = (int(number.min()), int(number.max())) if len(number) else (0, 0)
        if high - low < 200_000:  # days repeat: split each day of the span once, then look it up
            at = number - low
            return tuple(part[at] for part in split(np.arange(low, high + 1).view("datetime64[D]")))
        return split(d)

    days, born_on, born_in = np.broadcast_arrays(
        np.asarray(days).astype("datetime64[D]", copy=False),
        np.asarray(birth_date).astype("datetime64[D]", copy=False),
        np.asarray(birth_year, dtype=np.float64),
    )
    ages = np.full(days.shape, np.nan)
    known = ~np.isnat(days)
    dated = known & ~np.isnat(born_on)
    year_only = known & ~dated
    if year_only.any():
        y, m, d = fields(days[year_only])
        ages[year_only] = age_in_years(y.astype(np.float64), m, d, born_in[year_only])
    if dated.any():
        y, m, d = fields(days[dated])
        ages[dated] = age_in_years(y.astype(np.int64), m, d, *fields(born_on[dated]))
    return ages


@frozen(kw_only=True)
class Seeker:
    """A registered jobseeker (구직자).

    Give ``birth_year`` or ``birth_date``; never a resident registration number.
    """

    seeker_id: str = field(validator=validators.min_len(1))
    residence_code: str = field(validator=_region_code)
    registered_on: dt.date
    birth_year: int | None = field(default=None)
    birth_date: dt.date | None = None
    gender: Gender | None = None
    nationality: str | None = None
    desired_occupation: str | None = field(default=None, validator=_occupation_code)
    desired_wage: int | None = field(default=None, validator=_non_negative)
    desired_hours: float | None = field(default=None, validator=_hours)
    employment_types: frozenset[EmploymentType] = field(default=frozenset(), converter=_types)
    intake: Intake = Intake()
    groups: frozenset[SeekerGroup] = field(default=frozenset(), converter=_groups)
    skills: frozenset[str] = field(default=frozenset(), converter=_strings)
    certificates: frozenset[str] = field(default=frozenset(), converter=_strings)
    # facts programme eligibility reads (employkit.programmes); None: not recorded
    unemployed_since: dt.date | None = None  # 실업 시작일
    insured_days: int | None = field(default=None, validator=_non_negative)  # 피보험단위기간(일)
    involuntary_leaving: bool | None = None  # 비자발적 이직
    regular_income: bool | None = None  # 정기 소득 있음
    employment_support_participant: bool | None = None  # 국민취업지원제도 참여
    extra: Mapping[str, Any] = _extra()

    @birth_year.validator
    def _check_birth(self, _attribute: Any, value: int | None) -> None:
        if value is not None and not 1900 <= value <= 2100:
            raise InvalidValue(f"birth_year out of range: {value}")
        if value is not None and self.birth_date is not None and self.birth_date.year != value:
            raise InvalidValue("birth_year and birth_date disagree")

    @property
    def born(self) -> int | None:
        """The birth year, from ``birth_year`` or ``birth_date``."""
        if self.birth_year is not None:
            return self.birth_year
        return self.birth_date.year if self.birth_date else None

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day`` (:func:`age_in_years` on this one seeker)."""
        if self.birth_date is not None:
            b = self.birth_date
            return int(age_in_years(day.year, day.month, day.day, b.year, b.month, b.day))
        return None if self.birth_year is None else int(age_in_years(day.year, day.month, day.day, self.birth_year))


@frozen(kw_only=True)
class Employer:
    """A hiring firm (구인기업)."""

    employer_id: str = field(validator=validators.min_len(1))
    employees: int = field(validator=_non_negative)
    region_code: str = field(validator=_region_code)
    name: str | None = None
    industry: str | None = None  # KSIC code
    wage_level: Level | None = None
    welfare_level: Level | None = None
    recognition: Level | None = None  # 인지도
    uses_job_board: bool | None = None  # 워크넷 이용
    partner: bool = False  # 협력업체
    mou: bool = False  # MOU 체결
    sme_fund: bool = False  # 중소기업육성기금 지원
    # facts programme eligibility reads (employkit.programmes); None: not recorded
    sme: bool | None = None  # 중소기업 여부
    special_industry: bool | None = None  # 특별고용지원업종
    paid_support_days_left: int | None = field(default=None, validator=_non_negative)  # 유급 고용유지지원금 잔여일수
    extra: Mapping[str, Any] = _extra()


@frozen(kw_only=True)
class Vacancy:
    """An opening posted by an employer (구인)."""

    vacancy_id: str = field(validator=validators.min_len(1))
    employer_id: str = field(validator=validators.min_len(1))
    occupation: str = field(validator=_occupation_code)
    openings: int = field(validator=validators.ge(1))
    employment_type: EmploymentType
    region_code: str = field(validator=_region_code)
    posted_on: dt.date
    offered_wage: int | None = field(default=None, validator=_non_negative)
    hours_per_week: float | None = field(default=None, validator=_hours)
    closes_on: dt.date | None = None
    min_age: int | None = None
    max_age: int | None = None
    required_skills: frozenset[str] = field(default=frozenset(), converter=_strings)
    required_certificates: frozenset[str] = field(default=frozenset(), converter=_strings)
    extra: Mapping[str, Any] = _extra()

    def __attrs_post_init__(self) -> None:
        if self.closes_on is not None and self.closes_on < self.posted_on:
            raise InvalidValue("closes_on is before posted_on")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise InvalidValue("min_age is above max_age")


@frozen(kw_only=True)
class Placement:
    """A jobseeker hired into a job (취업)."""

    placement_id: str = field(validator=validators.min_len(1))
    seeker_id: str = field(validator=validators.min_len(1))
    employer_id: str = field(validator=validators.min_len(1))
    start_date: dt.date
    employment_type: EmploymentType
    vacancy_id: str | None = None
    contract_end: dt.date | None = None
    monthly_wage: int | None = field(default=None, validator=_non_negative)
    occupation: str | None = field(default=None, validator=_occupation_code)
    via_referral: bool | None = None  # 알선취업
    ended_on: dt.date | None = None
    extra: Mapping[str, Any] = _extra()

    def __attrs_post_init__(self) -> None:
        if self.employment_type in FIXED_TERM_TYPES and self.contract_end is None:
            raise InvalidValue(f"contract_end is required for {self.employment_type.code} placements")
        if self.contract_end is not None and self.contract_end < self.start_date:
            raise InvalidValue("contract_end is before start_date")
        if self.ended_on is not None and self.ended_on < self.start_date:
            raise InvalidValue("ended_on is before start_date")


@frozen(kw_only=True)
class FollowUpContact:
    """One follow-up contact after a placement (사후관리)."""

    placement_id: str = field(validator=validators.min_len(1))
    contacted_on: dt.date
    outcome: FollowUpOutcome
    due_on: dt.date | None = None
    note: str | None = None
    counsellor: str | None = None


@frozen
class Period:
    """A span of days, both ends inclusive: a reporting period, a KPI's period.

    >>> Period.year(2015).label
    '2015'
    >>> dt.date(2015, 7, 1) in Period.year(2015)
    True
    """

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValue(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def label(self) -> str:
        """``"2015"`` for a calendar year, else ``"2015-01-01–2015-06-30"``."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) and (
            self.start.year == self.end.year
        ):
            return str(self.start.year)
        return f"{self.start.isoformat()}–{self.end.isoformat()}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


_KEY_UNSAFE = re.compile(r"[^0-9A-Za-z가-힣_.]+")


@frozen(kw_only=True)
class Centre:
    """A job centre: its level, region, reporting period, yearly targets, budget and staff.

    ``period`` is the reporting period the centre's figures cover (from ``centre.toml``
    or ``employkit.toml``: ``period_start`` / ``period_end``); its end is the centre's
    reference date, the date rules are evaluated on when none is given.
    """

    name: str
    level: CentreLevel
    region_code: str | None = field(default=None, validator=_region_code)
    targets: Mapping[int, int] = field(factory=dict, hash=False)  # year -> placements
    budget_krw: Mapping[int, int] = field(factory=dict, hash=False)  # year -> KRW
    counsellors: int | None = field(default=None, validator=_non_negative)
    officials: int | None = field(default=None, validator=_non_negative)
    period: Period | None = None

    @property
    def key(self) -> str:
        """A name for files that belong to this centre: its region code and name.

        >>> Centre(name="중구 일자리센터", level=CentreLevel.DISTRICT, region_code="11140").key
        '11140-중구-일자리센터'
        """
        name = _KEY_UNSAFE.sub("-", self.name).strip("-.")[:60] or "centre"
        return f"{self.region_code}-{name}" if self.region_code else name
