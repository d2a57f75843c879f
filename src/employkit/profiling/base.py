"""What a seeker or employer typology is, and what it returns.

A typology is a rule registered by a pack. It has :class:`~employkit.packs.RuleMeta`
(its id names the typology) and a ``classify`` method that returns a profile carrying
an :class:`~employkit.explain.Explanation`. A seeker whose intake lacks what the
typology needs is *not profiled*: the profile has no segment and names the missing
fields — a typology never guesses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from attrs import field, frozen

from employkit.explain import Explanation
from employkit.labels import Text

if TYPE_CHECKING:
    from employkit.model import Employer, Seeker, Vacancy
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = [
    "FIELD_LABELS",
    "GROUPS",
    "INTAKE_FIELDS",
    "NOT_PROTECTED",
    "PROTECTED_ATTRIBUTES",
    "EmployerProfile",
    "EmployerTypology",
    "SeekerProfile",
    "SeekerTypology",
    "Segment",
    "Service",
    "missing_reason",
]

#: The protected attributes: none of them may enter a score unless the centre's
#: configuration allows it explicitly (``[profiling] allow_protected = ["age"]``).
PROTECTED_ATTRIBUTES: tuple[str, ...] = ("gender", "age", "nationality", "disability")

#: The intake checklist's fields (유형분류 체크리스트), in a fixed order.
INTAKE_FIELDS: tuple[str, ...] = (
    "job_field_decided",
    "employability",
    "motivation",
    "ability",
    "economic_hardship",
    "mobile",
)

#: How explanations name the fields a typology reads.
FIELD_LABELS: dict[str, Text] = {
    "job_field_decided": Text("취업분야 결정", "job field decided"),
    "employability": Text("취업가능성", "employability"),
    "motivation": Text("취업의욕", "motivation"),
    "ability": Text("취업능력", "ability"),
    "economic_hardship": Text("경제적 여건 어려움", "economic hardship"),
    "mobile": Text("지역이동 가능", "can move region"),
    "special_type_goal": Text("특고 희망 경로", "special-type worker's goal"),
    "birth_year": Text("출생연도", "birth year"),
    "gender": Text("성별", "gender"),
    "nationality": Text("국적", "nationality"),
    "wage_level": Text("임금수준", "wage level"),
    "welfare_level": Text("복지수준", "welfare level"),
    "recognition": Text("인지도", "recognition"),
    "industry": Text("업종", "industry"),
    "uses_job_board": Text("워크넷 이용", "uses the job board"),
    "employees": Text("근로자수", "employees"),
}

#: Groups of segments shared by typologies, so histories can say who moved from
#: "needs preparation" to "ready" whatever the typology.
GROUPS: dict[str, Text] = {
    "ready": Text("준비된 구직자", "ready"),
    "needs_preparation": Text("준비가 필요한 구직자", "needs preparation"),
}


#: The sentence an explanation carries when no protected attribute entered the decision.
NOT_PROTECTED = Text(
    "보호 속성(성별·연령·국적·장애)은 사용하지 않음",
    "protected attributes (gender, age, nationality, disability): none used",
)


def missing_reason(fields: Iterable[str]) -> Text:
    """The reason "not profiled: these fields are missing", in Korean and English."""
    names = list(fields)
    ko = ", ".join(FIELD_LABELS[f].ko if f in FIELD_LABELS else f for f in names)
    return Text(
        f"유형분류 불가 — 필요한 항목이 없음: {ko} ({', '.join(names)})",
        f"not profiled — missing: {', '.join(names)}",
    )


def _services(values: Iterable[Service]) -> tuple[Service, ...]:
    return tuple(values)


@frozen
class Service:
    """One service on a pathway (e.g. 심층상담, 직업훈련 연계), with a stable code."""

    code: str
    label: Text


@frozen
class Segment:
    """A class of a typology, with its ordered service pathway.

    ``group`` places the segment in a wider group (``"ready"``,
    ``"needs_preparation"``…) when the typology has one.
    """

    code: str
    label: Text
    pathway: tuple[Service, ...] = field(default=(), converter=_services)
    group: str | None = None


@frozen(kw_only=True)
class SeekerProfile:
    """The result of classifying one seeker.

    ``segment`` is ``None`` when the seeker could not be profiled (``missing`` then
    names the intake fields that were needed) or when the typology does not apply to
    the seeker (e.g. the special-type worker pathways for someone who is not one).
    ``protected_used`` names the protected attributes that entered the decision
    (normally none); ``score`` and ``band`` are set by scored typologies.
    """

    seeker_id: str
    typology_id: str
    as_of: dt.date
    segment: Segment | None
    explanation: Explanation
    missing: tuple[str, ...] = ()
    protected_used: tuple[str, ...] = ()
    score: float | None = None
    band: str | None = None

    @property
    def profiled(self) -> bool:
        """Whether a segment was assigned."""
        return self.segment is not None

    @property
    def status(self) -> str:
        """``"profiled"``, ``"not_profiled"`` (fields missing) or ``"not_applicable"``."""
        if self.segment is not None:
            return "profiled"
        return "not_profiled" if self.missing else "not_applicable"


@frozen(kw_only=True)
class EmployerProfile:
    """The result of classifying one employer (or one of its vacancies).

    ``segment.pathway`` holds the stage-1 services (when the vacancy is posted) and
    ``stage2`` the services when hiring proves hard (구인애로).
    """

    employer_id: str
    typology_id: str
    as_of: dt.date
    segment: Segment | None
    explanation: Explanation
    intervention_level: int | None = None  # 1 weakest … 5 strongest
    stage2: tuple[Service, ...] = ()  # services when hiring proves hard (구인애로)
    vacancy_id: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def profiled(self) -> bool:
        """Whether a segment was assigned."""
        return self.segment is not None


@runtime_checkable
class SeekerTypology(Protocol):
    """A way of classing jobseekers, registered by ``employkit_seeker_typologies``."""

    @property
    def meta(self) -> RuleMeta:
        """The typology's rule metadata (its id names the typology)."""
        ...

    def classify(self, seeker: Seeker, ctx: EvalContext) -> SeekerProfile:
        """Class one seeker as of ``ctx.as_of``."""
        ...


@runtime_checkable
class EmployerTypology(Protocol):
    """A way of classing hiring firms, registered by ``employkit_employer_typologies``."""

    @property
    def meta(self) -> RuleMeta:
        """The typology's rule metadata."""
        ...

    def classify(self, employer: Employer, vacancy: Vacancy | None, ctx: EvalContext) -> EmployerProfile:
        """Class one employer, or one of its vacancies, as of ``ctx.as_of``."""
        ...
