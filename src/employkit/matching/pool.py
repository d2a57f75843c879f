"""A prepared pool: a centre's vacancies and seekers, ready to rank against one query at a time.

A service answers "the best vacancies for this seeker" many times against the same
vacancies. :func:`~employkit.matching.ranking.rank` prepares every component over all
the candidates on each call; a :class:`MatchPool` does the part that depends on the
candidates alone once: for each national component it finds the distinct combinations
of the fields the component reads (:data:`~employkit.matching.columns.COMPONENT_FIELDS`)
among the candidates and keeps one record of each. A query then prepares each component
on itself and those few records, scores only them, and spreads each component's terms
of the weighted mean (numerator, denominator, gate) to every candidate by its
combination; the totals are summed component by component in the order and with the
arithmetic of :func:`~employkit.matching.batch.combine`, so they are the same numbers.
The exact top ``k`` is selected with :func:`~employkit.matching.batch.top_k_rows` (ties
keep the candidates' order) and only those ``k`` pairs are explained. The kernels are
the components' own, so the scores, the order and the explanations are those of
:func:`~employkit.matching.ranking.rank` with the same filters; a component of another
pack, whose fields employkit does not know, is prepared over every candidate (correct,
slower).

The pool belongs to one matcher (one rule system on one date). It holds no lock and
never changes after it is built, so threads may share it; to take in new records build
a new pool and swap it in.

>>> import datetime as dt
>>> from employkit.synth import sample_centre
>>> from employkit.testing import make_system
>>> from employkit.matching.scoring import Matcher
>>> from employkit.matching.ranking import rank
>>> data = sample_centre()
>>> matcher = Matcher(make_system(), dt.date(2015, 12, 31))
>>> pool = MatchPool(matcher, seekers=data.seekers, vacancies=data.vacancies)
>>> mine = pool.top_vacancies(data.seekers[0], 3)
>>> [(r.vacancy_id, round(r.total, 9)) for r in mine] == [
...     (r.vacancy_id, round(r.total, 9)) for r in rank(data.seekers[0], data.vacancies, matcher, top=3)]
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.errors import InvalidArgument
from employkit.matching.base import PairKernel, VectorisedComponent
from employkit.matching.batch import _PairByPair
from employkit.matching.columns import COMPONENT_FIELDS, SeekerTable, VacancyTable, distinct_rows
from employkit.matching.ranking import Filters
from employkit.model import Seeker, Vacancy

if TYPE_CHECKING:
    from employkit.matching.scoring import Matcher, MatchResult
    from employkit.rules import EvalContext

__all__ = ["MatchPool"]

#: Prepares a component's kernel on some seekers and vacancies (its ``prepare``, or pair by pair).
Prepare = Callable[[Sequence[Seeker], Sequence[Vacancy], "EvalContext"], PairKernel]


@frozen(eq=False)
class _Part:
    """One component against the rows of one side of the pool.

    ``reps`` are the records it is prepared on: one per distinct combination of the
    fields it reads, ``inverse`` giving each row's combination, or every row
    (``inverse`` ``None``) for a component whose fields employkit does not know.
    """

    prepare: Prepare
    weight: float
    reps: tuple[Any, ...]
    inverse: NDArray[np.intp] | None


@frozen(eq=False)
class _Side:
    """The rows of one side of the pool (the candidates of a query), prepared once."""

    rows: tuple[Any, ...]
    parts: tuple[_Part, ...]
    opened: NDArray[np.bool_]

    @classmethod
    def build(cls, matcher: Matcher, rows: tuple[Any, ...], side: Literal["seekers", "vacancies"]) -> _Side:
        day = matcher.as_of
        table: SeekerTable | VacancyTable | None = None
        if rows:
            table = SeekerTable.from_records(list(rows)) if side == "seekers" else VacancyTable.from_records(list(rows))
        parts: list[_Part] = []
        for c in matcher.components:
            weight = matcher.weights[c.key]
            if not isinstance(c, VectorisedComponent):
                parts.append(_Part(functools.partial(_PairByPair, c), weight, rows, None))
                continue
            fields = COMPONENT_FIELDS.get(type(c))
            if fields is None or table is None:
                parts.append(_Part(c.prepare, weight, rows, None))
                continue
            names = fields[0] if side == "seekers" else fields[1]
            first, inverse = distinct_rows([table.field_values(name, day) for name in names], len(table))
            parts.append(_Part(c.prepare, weight, tuple(rows[int(i)] for i in first), inverse))
        opened = Filters(open_on=day)
        mask = opened.seeker_mask(rows) if side == "seekers" else opened.vacancy_mask(rows)
        return cls(rows, tuple(parts), mask)

    def scores(
        self, query: Any, ctx: EvalContext, side: Literal["seekers", "vacancies"]
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Totals and eligibility of ``query`` against every row.

        The weighted mean of :func:`~employkit.matching.batch.combine`, term for term in
        the same order (the same numbers); a component's terms are computed on its
        combinations and taken for every row by its combination (added as one number
        when they are all the same, left out when they are zero gates).
        """
        n = len(self.rows)
        num = np.zeros(n)
        den = np.zeros(n)
        gate = np.zeros(n, dtype=bool)
        for part in self.parts:
            m = len(part.reps)
            if side == "seekers":
                kernel, shape = part.prepare(part.reps, [query], ctx.fork()), (m, 1)
            else:
                kernel, shape = part.prepare([query], part.reps, ctx.fork()), (1, m)
            sc = {k: np.asarray(a)[:, None] for k, a in kernel.seeker_columns.items()}
            vc = {k: np.asarray(a)[None] for k, a in kernel.vacancy_columns.items()}
            r = kernel.score(sc, vc)
            counted = np.broadcast_to(r.counted, shape).reshape(m)
            values = np.broadcast_to(r.values, shape).reshape(m)
            num = num + _spread(np.where(counted, part.weight * values, 0.0), part.inverse)
            den = den + _spread(np.where(counted, part.weight, 0.0), part.inverse)
            failed = np.broadcast_to(r.gate, shape).reshape(m)
            if failed.any():
                gate |= _spread(failed, part.inverse)
        has = den > 0.0
        total = np.where(has, np.minimum(1.0, num / np.where(has, den, 1.0)), 0.0)
        return total, ~gate


def _spread(term: NDArray[Any], inverse: NDArray[np.intp] | None) -> Any:
    """A component's terms on its combinations, for every row: one number when they are all equal."""
    if inverse is None:
        return term
    if (term == term[0]).all():
        return term[0]
    return term[inverse]


class MatchPool:
    """The seekers and vacancies of a centre, prepared once for ranking (see the module).

    ``matcher`` fixes the rule system and the date; ``seekers`` and ``vacancies`` are
    the candidates, in the order ties keep. Building costs about one ranking over the
    whole pool; each query then costs the preparation and scoring of the query against
    the distinct combinations, the spreading of their terms to the pool's rows, and the
    explanations of the ``k`` pairs returned.
    """

    def __init__(self, matcher: Matcher, *, seekers: Sequence[Seeker] = (), vacancies: Sequence[Vacancy] = ()) -> None:
        self.matcher = matcher
        self.seekers: tuple[Seeker, ...] = tuple(seekers)
        self.vacancies: tuple[Vacancy, ...] = tuple(vacancies)
        self._vacancy_side = _Side.build(matcher, self.vacancies, "vacancies")
        self._seeker_side = _Side.build(matcher, self.seekers, "seekers")

    def __len__(self) -> int:
        return len(self.seekers) + len(self.vacancies)

    def top_vacancies(
        self, seeker: Seeker, k: int = 10, *, filters: Filters | None = None, open_only: bool = True
    ) -> list[MatchResult]:
        """The ``k`` best eligible vacancies of the pool for ``seeker``, best first.

        ``filters`` restrict the vacancies as :func:`~employkit.matching.ranking.rank`'s
        do; with ``open_only`` (and no ``filters.open_on``) only vacancies open on the
        matcher's date are candidates.
        """
        if k < 1:
            raise InvalidArgument("k must be at least 1")
        if not self.vacancies:
            return []
        mask = self._mask(filters, open_only, self._vacancy_side.opened, "vacancy")
        if not mask.any():
            return []
        total, eligible = self._vacancy_side.scores(seeker, self.matcher.context(), "vacancies")
        chosen = _top(total, eligible & mask, k)
        return [self.matcher.score(seeker, self.vacancies[i]) for i in chosen]

    def top_seekers(
        self, vacancy: Vacancy, k: int = 10, *, filters: Filters | None = None, open_only: bool = True
    ) -> list[MatchResult]:
        """The ``k`` best eligible seekers of the pool for ``vacancy``, best first."""
        if k < 1:
            raise InvalidArgument("k must be at least 1")
        if not self.seekers:
            return []
        mask = self._mask(filters, open_only, self._seeker_side.opened, "seeker")
        if not mask.any():
            return []
        total, eligible = self._seeker_side.scores(vacancy, self.matcher.context(), "seekers")
        chosen = _top(total, eligible & mask, k)
        return [self.matcher.score(self.seekers[i], vacancy) for i in chosen]

    def _mask(
        self, filters: Filters | None, open_only: bool, opened: NDArray[np.bool_], side: str
    ) -> NDArray[np.bool_]:
        if filters is None or filters == Filters():
            return opened.copy() if open_only else np.ones(opened.shape, dtype=bool)
        if filters.open_on is None and open_only:
            filters = Filters(
                region=filters.region,
                occupation=filters.occupation,
                employment_type=filters.employment_type,
                open_on=self.matcher.as_of,
            )
        return filters.vacancy_mask(self.vacancies) if side == "vacancy" else filters.seeker_mask(self.seekers)


def _top(total: NDArray[np.float64], keep: NDArray[np.bool_], k: int) -> list[int]:
    """The rows of the ``k`` best totals among those kept, best first (ties: the earlier row).

    Selection is linear (``numpy.partition``); only the rows at or above the ``k``-th
    best value are sorted — what :func:`~employkit.matching.batch.top_k_rows` returns
    for one row, without its passes over the whole row.
    """
    key = np.where(keep, total, -np.inf)
    n = key.shape[0]
    if k < n:
        kth = np.partition(key, n - k)[n - k]
        rows = np.flatnonzero(key >= kth)
    else:
        rows = np.arange(n)
    vals = key[rows]
    order = np.lexsort((rows, -vals))[:k]
    return [int(r) for r, v in zip(rows[order].tolist(), vals[order].tolist(), strict=True) if v != -np.inf]
