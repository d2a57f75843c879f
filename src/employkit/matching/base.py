"""What a match component is, and what it returns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from attrs import field, frozen, validators

from employkit.explain import Explanation

if TYPE_CHECKING:
    from employkit.model import Seeker, Vacancy
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = ["ComponentScore", "MatchComponent"]


@frozen(kw_only=True)
class ComponentScore:
    """One component of a seeker–vacancy score.

    ``value`` lies in [0, 1]. ``missing`` marks a component whose inputs were absent
    (neutral, never a penalty); ``gate`` marks a hard condition that failed, which
    excludes the pair whatever the soft score.
    """

    component: str
    value: float = field(validator=[validators.ge(0.0), validators.le(1.0)])
    explanation: Explanation
    missing: bool = False
    gate: bool = False
    flags: tuple[str, ...] = ()  # things a counsellor should see, e.g. an age preference


@runtime_checkable
class MatchComponent(Protocol):
    """One criterion of a match, registered by ``employkit_match_components``."""

    @property
    def meta(self) -> RuleMeta:
        """The component's rule metadata."""
        ...

    @property
    def key(self) -> str:
        """A short name used in weights and tables (``"wage"``, ``"place"``…)."""
        ...

    def score(self, seeker: Seeker, vacancy: Vacancy, ctx: EvalContext) -> ComponentScore:
        """Score one pair as of ``ctx.as_of``."""
        ...
