"""A prepared pool: a centre's vacancies and seekers, ready to rank against one query at a time.

A service answers "the best vacancies for this seeker" many times against the same
vacancies. :func:`~employkit.matching.ranking.rank` prepares every component over all
the candidates on each call; a :class:`MatchPool` does the part that depends on the
candidates alone once: for each national component it finds the distinct combinations
of the fields the component reads (:data:`~employkit.matching.columns.COMPONENT_FIELDS`)
among the candidates and keeps one record of each. A query then prepares each component
on itself and those few records, spreads the columns to every candidate
(:class:`~employkit.matching.columns.SpreadKernel`) and takes the exact top ``k`` with
the batch path. The kernels are the components' own, so the scores, the order (ties
keep the candidates' order) and the explanations are those of
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

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.errors import InvalidArgument
from employkit.matching.base import PairKernel, VectorisedComponent
from employkit.matching.batch import BatchScorer, _PairByPair
from employkit.matching.columns import COMPONENT_FIELDS, SeekerTable, SpreadKernel, VacancyTable, distinct_rows
from employkit.matching.ranking import Filters
from employkit.model import Seeker, Vacancy

if TYPE_CHECKING:
    from employkit.matching.scoring import Matcher, MatchResult

__all__ = ["MatchPool"]


@frozen(eq=False)
class _Side:
    """One side of the pool: per component, the distinct combinations and each row's."""

    first: tuple[NDArray[np.intp] | None, ...]
    inverse: tuple[NDArray[np.intp] | None, ...]


_ONE = np.zeros(1, dtype=np.intp)


class MatchPool:
    """The seekers and vacancies of a centre, prepared once for ranking (see the module).

    ``matcher`` fixes the rule system and the date; ``seekers`` and ``vacancies`` are
    the candidates, in the order ties keep. Building costs about one ranking over the
    whole pool; each query then costs the preparation of the query against the
    distinct combinations, plus the scoring of the pool's rows.
    """

    def __init__(self, matcher: Matcher, *, seekers: Sequence[Seeker] = (), vacancies: Sequence[Vacancy] = ()) -> None:
        self.matcher = matcher
        self.seekers: tuple[Seeker, ...] = tuple(seekers)
        self.vacancies: tuple[Vacancy, ...] = tuple(vacancies)
        day = matcher.as_of
        v_table = VacancyTable.from_records(list(self.vacancies)) if self.vacancies else None
        s_table = SeekerTable.from_records(list(self.seekers)) if self.seekers else None
        v_first: list[NDArray[np.intp] | None] = []
        v_inv: list[NDArray[np.intp] | None] = []
        s_first: list[NDArray[np.intp] | None] = []
        s_inv: list[NDArray[np.intp] | None] = []
        for c in matcher.components:
            fields = COMPONENT_FIELDS.get(type(c)) if isinstance(c, VectorisedComponent) else None
            if fields is None or v_table is None:
                v_first.append(None)
                v_inv.append(None)
            else:
                f, i = distinct_rows([v_table.field_values(name, day) for name in fields[1]], len(v_table))
                v_first.append(f)
                v_inv.append(i)
            if fields is None or s_table is None:
                s_first.append(None)
                s_inv.append(None)
            else:
                f, i = distinct_rows([s_table.field_values(name, day) for name in fields[0]], len(s_table))
                s_first.append(f)
                s_inv.append(i)
        self._vacancy_side = _Side(tuple(v_first), tuple(v_inv))
        self._seeker_side = _Side(tuple(s_first), tuple(s_inv))
        opened = Filters(open_on=day)
        self._open_vacancies = opened.vacancy_mask(self.vacancies)
        self._open_seekers = opened.seeker_mask(self.seekers)

    def __len__(self) -> int:
        return len(self.seekers) + len(self.vacancies)

    def _vacancy_kernels(self, seeker: Seeker) -> list[PairKernel]:
        ctx = self.matcher.context()
        side = self._vacancy_side
        kernels: list[PairKernel] = []
        for n, c in enumerate(self.matcher.components):
            first, inverse = side.first[n], side.inverse[n]
            if first is not None and inverse is not None and isinstance(c, VectorisedComponent):
                reps = [self.vacancies[int(i)] for i in first]
                inner = c.prepare([seeker], reps, ctx.fork())
                kernels.append(_spread(inner, _ONE, inverse))
            elif isinstance(c, VectorisedComponent):
                kernels.append(c.prepare([seeker], self.vacancies, ctx.fork()))
            else:
                kernels.append(_PairByPair(c, [seeker], self.vacancies, ctx.fork()))
        return kernels

    def _seeker_kernels(self, vacancy: Vacancy) -> list[PairKernel]:
        ctx = self.matcher.context()
        side = self._seeker_side
        kernels: list[PairKernel] = []
        for n, c in enumerate(self.matcher.components):
            first, inverse = side.first[n], side.inverse[n]
            if first is not None and inverse is not None and isinstance(c, VectorisedComponent):
                reps = [self.seekers[int(i)] for i in first]
                inner = c.prepare(reps, [vacancy], ctx.fork())
                kernels.append(_spread(inner, inverse, _ONE))
            elif isinstance(c, VectorisedComponent):
                kernels.append(c.prepare(self.seekers, [vacancy], ctx.fork()))
            else:
                kernels.append(_PairByPair(c, self.seekers, [vacancy], ctx.fork()))
        return kernels

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
        mask = self._mask(filters, open_only, self._open_vacancies, "vacancy")
        if not mask.any():
            return []
        batch = BatchScorer(self.matcher, [seeker], self.vacancies, kernels=self._vacancy_kernels(seeker))
        return batch.results(batch.top_vacancies(k, vacancy_mask=mask))

    def top_seekers(
        self, vacancy: Vacancy, k: int = 10, *, filters: Filters | None = None, open_only: bool = True
    ) -> list[MatchResult]:
        """The ``k`` best eligible seekers of the pool for ``vacancy``, best first."""
        if k < 1:
            raise InvalidArgument("k must be at least 1")
        if not self.seekers:
            return []
        mask = self._mask(filters, open_only, self._open_seekers, "seeker")
        if not mask.any():
            return []
        batch = BatchScorer(self.matcher, self.seekers, [vacancy], kernels=self._seeker_kernels(vacancy))
        return batch.results(batch.top_seekers(k, seeker_mask=mask))

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


def _spread(kernel: PairKernel, s_inverse: NDArray[np.intp], v_inverse: NDArray[np.intp]) -> SpreadKernel:
    return SpreadKernel(
        {k: np.asarray(a)[s_inverse] for k, a in kernel.seeker_columns.items()},
        {k: np.asarray(a)[v_inverse] for k, a in kernel.vacancy_columns.items()},
        kernel,
        s_inverse,
        v_inverse,
    )
