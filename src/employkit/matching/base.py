"""What a match component is, and what it returns.

A component scores one criterion of a seeker–vacancy pair (occupation, wage, place…)
as a value in [0, 1] with an explanation in its own unit. It is written once, in three
parts (:class:`MatchComponent`):

* **fields** — the seeker and vacancy fields it reads (``seeker_fields``,
  ``vacancy_fields``: columns of :class:`~employkit.matching.columns.SeekerTable` and
  :class:`~employkit.matching.columns.VacancyTable`, ``"age"``, or any other field of the
  records or ``extra`` column);
* **a kernel** — :meth:`MatchComponent.kernel` reads parameters and builds columns from
  those fields, once, and its :meth:`PairKernel.score` scores many pairs at once with
  numpy (:class:`ArrayScores`: values, counted, gate and the intermediate arrays its
  reason needs). The engine hands the kernel the *distinct combinations* of the
  declared fields only, so a kernel over 100,000 seekers usually sees a few hundred
  rows;
* **a renderer** — :meth:`MatchComponent.explain` turns one scored :class:`Pair` (its
  fields and the kernel's values there) into the :class:`ComponentScore` a counsellor
  reads.

Every path runs the same kernel: one pair (:meth:`~employkit.matching.scoring.Matcher.score`)
is a one-row call, the batch, the exact and blocked top-k, allocation, the pool and the
service score columns, and explanations are rendered only for the pairs returned.
A rule that is easier to write for one combination at a time is a
:class:`~employkit.matching.scalar.ScalarComponent`: a plain function evaluated once per
distinct combination of its fields.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
from attrs import field, frozen, validators
from numpy.typing import NDArray

from employkit.explain import Explanation
from employkit.labels import Text

if TYPE_CHECKING:
    from collections.abc import Callable

    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = [
    "ArrayScores",
    "Columns",
    "ComponentScore",
    "Kernel",
    "MatchComponent",
    "Pair",
    "PairKernel",
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
    are the component's ``flag_labels``.
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


def _array(value: Any) -> NDArray[Any]:
    return np.asarray(value)


@frozen(kw_only=True, eq=False)
class ArrayScores:
    """A component's scores for many pairs at once.

    The arrays broadcast to the shape of the pairs scored: ``values`` (float, in
    [0, 1]), ``counted`` (bool: the value enters the total — not missing, not
    advisory), ``gate`` (bool: a hard condition failed) and ``details``, the
    intermediate arrays the component's renderer reads (a distance in km, a KECO
    level…), by name.
    """

    values: NDArray[np.float64] = field(converter=_array)
    counted: NDArray[np.bool_] = field(converter=_array)
    gate: NDArray[np.bool_] = field(converter=_array)
    details: Mapping[str, Any] = field(factory=dict)


@runtime_checkable
class PairKernel(Protocol):
    """A component prepared for many seekers and vacancies.

    ``seeker_columns`` and ``vacancy_columns`` hold one row per seeker and per vacancy
    (in the order of the columns given to :meth:`MatchComponent.kernel`). The engine
    selects rows and hands :meth:`score` arrays that broadcast against each other — a
    block of seekers against a block of vacancies (``s[:, None]`` and ``v[None, :]``, or
    the other way round), or the two sides of a list of pairs (``s[i]`` and ``v[j]``).
    The kernel computes element by element and must not assume which.
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


@frozen(eq=False)
class Kernel:
    """A kernel made of columns and the numpy function that scores pairs of them.

    ``function(seeker, vacancy)`` receives the columns of the pairs (broadcasting
    against each other) and returns their :class:`ArrayScores`.
    """

    seeker_columns: Columns
    vacancy_columns: Columns
    function: Callable[[Columns, Columns], ArrayScores]

    def score(self, seeker: Columns, vacancy: Columns) -> ArrayScores:
        """The scores of the pairs whose columns are given."""
        return self.function(seeker, vacancy)


_MISSING = Text("자료 없음: 총점에서 제외 (불이익 없음)", "missing: left out of the total (no penalty)")


def _plain(value: Any) -> Any:
    """A numpy scalar as a Python value."""
    return value.item() if isinstance(value, np.generic) else value


@frozen(kw_only=True)
class Pair:
    """One scored pair, as a component's renderer sees it.

    ``seeker`` and ``vacancy`` give the pair's fields by name as Python values (``None``
    when missing; money and ages as ``int``, dates as :class:`datetime.date`, employment
    types as :class:`~employkit.model.EmploymentType`); ``value``, ``counted``, ``gate``
    and ``details`` are the kernel's scores at this pair.
    """

    seeker: Mapping[str, Any]
    vacancy: Mapping[str, Any]
    value: float
    counted: bool
    gate: bool
    details: Mapping[str, Any]
    as_of: dt.date

    def detail(self, name: str) -> Any:
        """The kernel's intermediate value ``name`` at this pair (a Python value; ``None`` for NaN)."""
        value = _plain(self.details[name])
        return None if isinstance(value, float) and math.isnan(value) else value

    def result(
        self,
        component: MatchComponent,
        ctx: EvalContext,
        reasons: Sequence[Text],
        inputs: Mapping[str, Any],
        *,
        missing: bool | None = None,
        advisory: bool = False,
        flags: Sequence[str] = (),
        details: Sequence[Explanation] = (),
    ) -> ComponentScore:
        """The :class:`ComponentScore` of this pair: the kernel's value and gate, with these reasons.

        ``missing`` defaults to "neither counted nor advisory"; a missing component's
        value is 0 and its explanation says it is left out of the total.
        """
        if missing is None:
            missing = not self.counted and not advisory
        lead = [*reasons[:1], _MISSING, *reasons[1:]] if missing else reasons
        return ComponentScore(
            component=component.key,
            value=0.0 if missing else min(1.0, max(0.0, self.value)),
            missing=missing,
            advisory=advisory,
            gate=False if missing else self.gate,
            flags=tuple(flags),
            explanation=ctx.explain(component.meta.rule_id, reasons=lead, inputs=inputs, details=details),
        )


@runtime_checkable
class MatchComponent(Protocol):
    """One criterion of a match, registered by ``employkit_match_components``.

    Its weight is the parameter ``matching.weight.<key>``. See the module for the
    contract: fields, a kernel, a renderer.
    """

    @property
    def meta(self) -> RuleMeta:
        """The component's rule metadata."""
        ...

    @property
    def key(self) -> str:
        """A short name used in weights and tables (``"wage"``, ``"place"``…)."""
        ...

    @property
    def seeker_fields(self) -> tuple[str, ...]:
        """The seeker fields the kernel reads."""
        ...

    @property
    def vacancy_fields(self) -> tuple[str, ...]:
        """The vacancy fields the kernel reads."""
        ...

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> PairKernel:
        """Read parameters as of ``ctx.as_of`` and build the kernel's columns.

        ``seekers`` maps each of :attr:`seeker_fields` to an array (one row per seeker
        row to score; the engine passes the distinct combinations), and likewise
        ``vacancies``. Arrays are as in the tables: NaN for a missing number, ``None``
        for missing text, sets as frozensets.
        """
        ...

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        """The score of one pair with its reasons, from the pair's fields and the kernel's values."""
        ...
