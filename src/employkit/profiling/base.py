"""What a seeker or employer typology is, and what it returns."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from attrs import field, frozen

from employkit.explain import Explanation
from employkit.labels import Text

if TYPE_CHECKING:
    from employkit.model import Employer, Seeker, Vacancy
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = [
    "EmployerProfile",
    "EmployerTypology",
    "SeekerProfile",
    "SeekerTypology",
    "Segment",
    "Service",
]


@frozen
class Service:
    """One service on a pathway (e.g. 심층상담, 직업훈련 연계), with a stable code."""

    code: str
    label: Text


@frozen
class Segment:
    """A class of a typology, with its ordered service pathway."""

    code: str
    label: Text
    pathway: tuple[Service, ...] = field(default=(), converter=tuple)


@frozen(kw_only=True)
class SeekerProfile:
    """The result of classifying one seeker.

    ``segment`` is ``None`` when the seeker could not be profiled; ``missing`` then
    names the intake fields that were needed.
    """

    seeker_id: str
    typology_id: str
    as_of: dt.date
    segment: Segment | None
    explanation: Explanation
    missing: tuple[str, ...] = ()

    @property
    def profiled(self) -> bool:
        """Whether a segment was assigned."""
        return self.segment is not None


@frozen(kw_only=True)
class EmployerProfile:
    """The result of classifying one employer (or one of its vacancies)."""

    employer_id: str
    typology_id: str
    as_of: dt.date
    segment: Segment | None
    explanation: Explanation
    intervention_level: int | None = None  # 1 weakest … 5 strongest
    stage2: tuple[Service, ...] = ()  # services when hiring proves hard (구인애로)
    vacancy_id: str | None = None
    missing: tuple[str, ...] = ()


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
