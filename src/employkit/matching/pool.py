"""A prepared pool: a centre's vacancies and seekers, ready to rank against one query at a time.

A service answers "the best vacancies for this seeker" many times against the same
vacancies. :func:`~employkit.matching.ranking.rank` prepares every component over all
the candidates on each call; a :class:`MatchPool` does the part that depends on the
candidates alone once: it holds the candidates as a table and, for each component,
the distinct combinations of the fields the component reads. A query then builds each
component's kernel on itself and those combinations, spreads the columns to every
candidate (:class:`~employkit.matching.kernels.SpreadKernel`), takes the exact top
``k`` with the batch path and explains the pairs returned from the same kernels. The
path is :func:`~employkit.matching.ranking.rank`'s, so the scores, the order (ties keep
the candidates' order) and the explanations are the same with the same filters.

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
from numpy.typing import NDArray

from employkit.errors import InvalidArgument
from employkit.matching.batch import BatchScorer
from employkit.matching.columns import SeekerTable, VacancyTable
from employkit.matching.kernels import Distinct, SpreadKernel, build_kernel
from employkit.matching.ranking import Filters
from employkit.model import Seeker, Vacancy

if TYPE_CHECKING:
    from employkit.matching.scoring import Matcher, MatchResult

__all__ = ["MatchPool"]

_QUERY = Distinct.one()


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
        self._vacancy_table = VacancyTable.from_records(list(self.vacancies))
        self._seeker_table = SeekerTable.from_records(list(self.seekers))
        self._vacancy_rows = [Distinct.of(self._vacancy_table, c.vacancy_fields, day) for c in matcher.components]
        self._seeker_rows = [Distinct.of(self._seeker_table, c.seeker_fields, day) for c in matcher.components]
        opened = Filters(open_on=day)
        self._open_vacancies = opened.vacancy_mask(self.vacancies)
        self._open_seekers = opened.seeker_mask(self.seekers)

    def __len__(self) -> int:
        return len(self.seekers) + len(self.vacancies)

    def _vacancy_kernels(self, query: SeekerTable) -> list[SpreadKernel]:
        ctx = self.matcher.context()
        return [
            build_kernel(c, query, _QUERY, self._vacancy_table, rows, ctx.fork(), tabulate=True)
            for c, rows in zip(self.matcher.components, self._vacancy_rows, strict=True)
        ]

    def _seeker_kernels(self, query: VacancyTable) -> list[SpreadKernel]:
        ctx = self.matcher.context()
        return [
            build_kernel(c, self._seeker_table, rows, query, _QUERY, ctx.fork(), tabulate=True)
            for c, rows in zip(self.matcher.components, self._seeker_rows, strict=True)
        ]

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
        query = SeekerTable.from_records([seeker])
        batch = BatchScorer(self.matcher, query, self._vacancy_table, kernels=self._vacancy_kernels(query))
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
        query = VacancyTable.from_records([vacancy])
        batch = BatchScorer(self.matcher, self._seeker_table, query, kernels=self._seeker_kernels(query))
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
