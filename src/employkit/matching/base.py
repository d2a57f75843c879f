"""What a match component is, and what it returns.

A component scores one criterion of a seeker–vacancy pair (occupation, wage, place…)
as a value in [0, 1] with an explanation in its own unit. Every component meets
:class:`MatchComponent` (one pair at a time). A component that can also score many
pairs at once with numpy meets :class:`VectorisedComponent`: it prepares a
:class:`PairKernel` — one row of columns per seeker and per vacancy — whose
:meth:`PairKernel.score` takes the columns of many pairs and returns
:class:`ArrayScores`. The batch engine (:mod:`employkit.matching.batch`) uses the kernel
when there is one and falls back to :meth:`MatchComponent.score` pair by pair otherwise,
so a pack's component works in both paths; the kernel must give the same values as
:meth:`MatchComponent.score` (to 1e-9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
from attrs import field, frozen, validators
from numpy.typing import NDArray

from employkit.explain import Explanation

if TYPE_CHECKING:
    from employkit.model import Seeker, Vacancy
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = [
    "ArrayScores",
    "Columns",
    "ComponentScore",
    "MatchComponent",
    "PairKernel",
    "VectorisedComponent",
]

#: Columns of a kernel: one array per feature, the first axis one row per seeker or vacancy.
Columns = Mapping[str, NDArray[Any]]


@frozen(kw_only=True)
class ComponentScore:
    """One component of a seeker–vacancy score.

    ``value`` lies in [0, 1]. Three marks say how the value enters the total:

    * ``missing`` — the inputs were absent; the component is left out of the total and
      the other weights are renormalised (neutral, never a penalty);
    * ``advisory`` — the component is shown to the counsellor but not counted, because
      the configuration does not allow its use (an employer's age preference);
    * ``gate`` — a hard condition failed (a required licence the seeker lacks, an
      employment type the seeker excludes): the pair is not recommended whatever its
      soft score, and the failure is reported separately.

    ``flags`` are codes a counsellor should see (``"age_preference"``…); their labels
    are in :data:`employkit.matching.components.FLAG_LABELS`.
    """

    component: str
    value: float = field(validator=[validators.ge(0.0), validators.le(1.0)])
    explanation: Explanation
    missing: bool = False
    gate: bool = False
    flags: tuple[str, ...] = ()  # things a counsellor should see, e.g. an age preference
    advisory: bool = False

    @property
    def counted(self) -> bool:
        """Whether the value enters the total (not missing, not advisory)."""
        return not self.missing and not self.advisory


@runtime_checkable
class MatchComponent(Protocol):
    """One criterion of a match, registered by ``employkit_match_components``.

    Its weight is the parameter ``matching.weight.<key>``.
    """

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


def _array(value: Any) -> NDArray[Any]:
    return np.asarray(value)


@frozen(kw_only=True, eq=False)
class ArrayScores:
    """A component's scores for many pairs at once.

    The three arrays broadcast to the shape of the pairs scored: ``values`` (float, in
    [0, 1]), ``counted`` (bool: the value enters the total — not missing, not
    advisory) and ``gate`` (bool: a hard condition failed).
    """

    values: NDArray[np.float64] = field(converter=_array)
    counted: NDArray[np.bool_] = field(converter=_array)
    gate: NDArray[np.bool_] = field(converter=_array)


@runtime_checkable
class PairKernel(Protocol):
    """A component prepared for many seekers and vacancies.

    ``seeker_columns`` and ``vacancy_columns`` hold one row per seeker and per vacancy
    (in the order given to :meth:`VectorisedComponent.prepare`). The engine selects rows
    and hands :meth:`score` arrays that broadcast against each other — a block of
    seekers against a block of vacancies (``s[:, None]`` and ``v[None, :]``, or the
    other way round), or the two sides of a list of pairs (``s[i]`` and ``v[j]``). The
    kernel computes element by element and must not assume which.
    """

    @property
    def seeker_columns(self) -> Columns:
        """One row per seeker."""
        ...

    @property
    def vacancy_columns(self) -> Columns:
        """One row per vacancy."""
        ...

    def score(self, seeker: Columns, vacancy: Columns) -> ArrayScores:
        """The scores of the pairs whose columns are given (broadcast against each other)."""
        ...


@runtime_checkable
class VectorisedComponent(MatchComponent, Protocol):
    """A component that can also score many pairs at once (optional)."""

    def prepare(self, seekers: Sequence[Seeker], vacancies: Sequence[Vacancy], ctx: EvalContext) -> PairKernel:
        """Read parameters as of ``ctx.as_of`` and build the columns of ``seekers`` and ``vacancies``."""
        ...
