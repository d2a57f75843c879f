"""Matching: explainable seeker–vacancy scores, ranking and mismatch analysis (알선·매칭).

Components are rules registered through ``employkit_match_components``; the interface
is in :mod:`employkit.matching.base`, the national components in
:mod:`employkit.matching.components`. :func:`score` scores one pair, :func:`rank` ranks
candidates, :class:`BatchScorer` scores many seekers × many vacancies with numpy, and
:func:`mismatch` compares demand with supply.

At national scale (:doc:`/scale`): :class:`BlockedScorer` finds the exact top-k of
columnar inputs (:class:`SeekerTable`, :class:`VacancyTable`) by exact pruning, or
scores only the in-block pairs (:class:`BlockRules`) when asked (``mode="blocked"``),
:func:`allocate` assigns seekers within the openings, :func:`exposure_metrics` and
:func:`cap_exposure` measure and limit congestion, and :func:`dask_top_vacancies` runs
the job on Dask.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from employkit.matching.base import (
    ArrayScores,
    ComponentScore,
    MatchComponent,
    PairKernel,
    VectorisedComponent,
)

if TYPE_CHECKING:
    from employkit.matching.allocation import Allocation, allocate
    from employkit.matching.batch import BatchScorer, TopK
    from employkit.matching.blocking import BlockedScorer
    from employkit.matching.blocks import BlockRules
    from employkit.matching.columns import SeekerTable, VacancyTable
    from employkit.matching.distributed import dask_top_vacancies
    from employkit.matching.exposure import ExposureMetrics, cap_exposure, exposure_metrics
    from employkit.matching.mismatches import MismatchReport, mismatch
    from employkit.matching.ranking import Filters, Rankings, rank, rank_all, to_rows
    from employkit.matching.scoring import ComponentResult, Matcher, MatchResult, score

# Loaded on first use, so building a rule system (which imports the interface in
# ``base``) does not import the scoring engine.
_LAZY = {
    "Allocation": "allocation",
    "allocate": "allocation",
    "BlockedScorer": "blocking",
    "BlockRules": "blocks",
    "SeekerTable": "columns",
    "VacancyTable": "columns",
    "dask_top_vacancies": "distributed",
    "ExposureMetrics": "exposure",
    "cap_exposure": "exposure",
    "exposure_metrics": "exposure",
    "BatchScorer": "batch",
    "TopK": "batch",
    "MismatchReport": "mismatches",
    "mismatch": "mismatches",
    "Filters": "ranking",
    "Rankings": "ranking",
    "rank": "ranking",
    "rank_all": "ranking",
    "to_rows": "ranking",
    "ComponentResult": "scoring",
    "Matcher": "scoring",
    "MatchResult": "scoring",
    "score": "scoring",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Allocation",
    "ArrayScores",
    "BatchScorer",
    "BlockRules",
    "BlockedScorer",
    "ComponentResult",
    "ComponentScore",
    "ExposureMetrics",
    "Filters",
    "MatchComponent",
    "MatchResult",
    "Matcher",
    "MismatchReport",
    "PairKernel",
    "Rankings",
    "SeekerTable",
    "TopK",
    "VacancyTable",
    "VectorisedComponent",
    "allocate",
    "cap_exposure",
    "dask_top_vacancies",
    "exposure_metrics",
    "mismatch",
    "rank",
    "rank_all",
    "score",
    "to_rows",
]
