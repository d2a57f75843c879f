"""Congestion of recommendation lists: exposure metrics and a cap on exposure.

When every seeker is shown their top ``k`` vacancies, a few attractive vacancies (high
wage, central district, a common occupation) appear in thousands of lists while many
appear in none: the employer with one opening is swamped, and other openings are never
seen. :func:`exposure_metrics` measures it over the pool of vacancies:

* **coverage** — the share of vacancies recommended at least once;
* **Gini of exposure** — inequality of the number of lists each vacancy is in (0: every
  vacancy equally often; close to 1: a few vacancies take every place);
* **top-vacancy share** — the share of all recommendations that go to the most exposed
  ``top_fraction`` (1%) of vacancies; and the largest number of lists one vacancy is in.

:func:`cap_exposure` re-ranks the lists so that no vacancy is recommended more than
``cap`` times. It goes down the lists rank by rank: at rank ``r`` every seeker whose
list is not full proposes their ``r``-th candidate; a vacancy takes proposals while it
has been recommended fewer than ``cap`` times, the higher scores first (ties by seeker
index), and a seeker whose candidate is full moves on to the next one. So a seeker's
better candidates are kept before anyone's worse ones, and the result is deterministic.
The lists must be longer than ``k`` (compute the top ``k + slack``) for a capped seeker
to find replacements; a seeker whose candidates are all capped gets a shorter list.

>>> import numpy as np
>>> from employkit.matching.batch import TopK
>>> top = TopK(direction="vacancies", query=[0, 0, 1, 1, 2, 2], candidate=[0, 1, 0, 1, 0, 2],
...            rank=[1, 2, 1, 2, 1, 2], total=[0.9, 0.5, 0.8, 0.7, 0.6, 0.4])
>>> before = exposure_metrics(top.vacancy_index[top.rank <= 1], 3)
>>> before.coverage, before.max_exposure
(0.3333333333333333, 3)
>>> capped = cap_exposure(top, k=1, cap=2)
>>> capped.candidate.tolist()
[0, 0, 2]
>>> exposure_metrics(capped.vacancy_index, 3).coverage
0.6666666666666666
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.errors import InvalidArgument
from employkit.labels import Lang, Text
from employkit.matching.batch import TopK

__all__ = ["EXPOSURE_LABELS", "ExposureMetrics", "cap_exposure", "exposure_metrics", "gini", "truncate"]

#: Labels of the exposure metrics, for tables a counsellor or analyst reads.
EXPOSURE_LABELS: dict[str, Text] = {
    "vacancies": Text("구인 수", "vacancies"),
    "recommendations": Text("추천 건수", "recommendations"),
    "recommended": Text("한 번 이상 추천된 구인", "vacancies recommended at least once"),
    "coverage": Text("추천된 구인 비율", "coverage of vacancies"),
    "gini": Text("노출 지니계수", "Gini of exposure"),
    "top_share": Text("상위 구인의 추천 점유율", "top-vacancy share of recommendations"),
    "max_exposure": Text("한 구인의 최다 추천 횟수", "most recommendations of one vacancy"),
}


def gini(counts: Sequence[float] | NDArray[Any]) -> float:
    """The Gini coefficient of non-negative counts (0 when all are equal or all are 0).

    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4])
    (0.0, 0.75)
    """
    x = np.sort(np.asarray(counts, dtype=np.float64))
    n = x.shape[0]
    total = float(x.sum())
    if n == 0 or total == 0.0:
        return 0.0
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float(2.0 * np.dot(ranks, x) / (n * total) - (n + 1) / n)


@frozen(kw_only=True)
class ExposureMetrics:
    """How recommendations spread over the vacancies (see the module's description)."""

    vacancies: int
    recommendations: int
    recommended: int
    coverage: float
    gini: float
    top_share: float
    top_fraction: float
    max_exposure: int

    def rows(self, lang: Lang = "ko") -> list[tuple[str, str, str]]:
        """``(key, label, value)`` rows for a table."""
        values = {
            "vacancies": f"{self.vacancies:,}",
            "recommendations": f"{self.recommendations:,}",
            "recommended": f"{self.recommended:,}",
            "coverage": f"{self.coverage:.1%}",
            "gini": f"{self.gini:.3f}",
            "top_share": f"{self.top_share:.1%} ({self.top_fraction:.0%})",
            "max_exposure": f"{self.max_exposure:,}",
        }
        return [(k, EXPOSURE_LABELS[k].get(lang), v) for k, v in values.items()]

    def as_dict(self) -> dict[str, float | int]:
        """The metrics as plain numbers."""
        return {
            "vacancies": self.vacancies,
            "recommendations": self.recommendations,
            "recommended": self.recommended,
            "coverage": self.coverage,
            "gini": self.gini,
            "top_share": self.top_share,
            "top_fraction": self.top_fraction,
            "max_exposure": self.max_exposure,
        }


def exposure_metrics(
    vacancy_index: Sequence[int] | NDArray[np.intp], n_vacancies: int, *, top_fraction: float = 0.01
) -> ExposureMetrics:
    """Exposure of ``n_vacancies`` vacancies given the vacancy of every recommendation.

    ``top_fraction`` is the share of vacancies whose part of the recommendations
    ``top_share`` reports (at least one vacancy).
    """
    if not 0.0 < top_fraction <= 1.0:
        raise InvalidArgument("top_fraction must be in (0, 1]")
    vi = np.asarray(vacancy_index, dtype=np.intp)
    counts = np.bincount(vi, minlength=n_vacancies) if n_vacancies else np.zeros(0, dtype=np.intp)
    if counts.shape[0] > n_vacancies:
        raise InvalidArgument("a vacancy index is beyond n_vacancies")
    total = int(vi.shape[0])
    recommended = int(np.count_nonzero(counts))
    top_n = max(1, int(np.ceil(top_fraction * n_vacancies))) if n_vacancies else 0
    top = np.sort(counts)[::-1][:top_n]
    return ExposureMetrics(
        vacancies=n_vacancies,
        recommendations=total,
        recommended=recommended,
        coverage=recommended / n_vacancies if n_vacancies else 0.0,
        gini=gini(counts),
        top_share=float(top.sum()) / total if total else 0.0,
        top_fraction=top_fraction,
        max_exposure=int(counts.max(initial=0)),
    )


def truncate(top: TopK, k: int) -> TopK:
    """The lists of ``top`` cut to their first ``k`` ranks."""
    keep = top.rank <= k
    return TopK(
        direction=top.direction,
        query=top.query[keep],
        candidate=top.candidate[keep],
        rank=top.rank[keep],
        total=top.total[keep],
    )


def cap_exposure(top: TopK, *, k: int, cap: int) -> TopK:
    """Lists of at most ``k`` vacancies in which no vacancy appears more than ``cap`` times.

    ``top`` holds each seeker's candidates in rank order (from
    :meth:`~employkit.matching.blocking.BlockedScorer.top_vacancies` with ``k`` plus some
    slack). Ranks in the result are renumbered from 1; totals are unchanged.
    """
    if top.direction != "vacancies":
        raise InvalidArgument("cap_exposure re-ranks seekers' lists of vacancies (direction 'vacancies')")
    if k < 1 or cap < 1:
        raise InvalidArgument("k and cap must be at least 1")
    n = len(top)
    if n == 0:
        return top
    query, cand, rank, total = top.query, top.candidate, top.rank, top.total
    n_q = int(query.max()) + 1
    n_v = int(cand.max()) + 1
    filled = np.zeros(n_q, dtype=np.intp)
    shown = np.zeros(n_v, dtype=np.intp)
    accepted = np.zeros(n, dtype=bool)
    for r in np.unique(rank).tolist():
        rows = np.flatnonzero(rank == r)
        rows = rows[filled[query[rows]] < k]
        if rows.size == 0:
            continue
        # by vacancy, then higher score, then seeker index: the position within a vacancy
        order = rows[np.lexsort((query[rows], -total[rows], cand[rows]))]
        v = cand[order]
        first = np.r_[True, v[1:] != v[:-1]]
        start = np.maximum.accumulate(np.where(first, np.arange(order.size), 0))
        position = np.arange(order.size) - start
        ok = position < cap - shown[v]
        taken = order[ok]
        accepted[taken] = True
        np.add.at(shown, cand[taken], 1)
        np.add.at(filled, query[taken], 1)
    keep = np.flatnonzero(accepted)
    q = query[keep]
    first_row = np.r_[True, q[1:] != q[:-1]]
    starts = np.maximum.accumulate(np.where(first_row, np.arange(keep.size), 0))
    return TopK(
        direction="vacancies",
        query=q,
        candidate=cand[keep],
        rank=np.arange(keep.size) - starts + 1,
        total=total[keep],
    )
