"""The national batch job on Dask: exact by default, the same lists as one machine.

In the exact mode (the default of :class:`~employkit.matching.blocking.BlockedScorer`)
:func:`dask_top_vacancies` prepares the exact search once on the client (the scoring
plan, the candidate groups and their bounds), **broadcasts** it to every worker, and
runs one task per **range of seekers** (``part_size`` seekers): each task runs the same
search as the single machine (:func:`~employkit.matching.topk.exact_top`) for its
seekers. A seeker's exact list does not depend on which other seekers share its task,
so the result is the single-machine result, row for row.

In the blocked mode (``mode="blocked"``, an approximation) the job runs as follows.

When one machine is not enough, :func:`dask_top_vacancies` runs the job of
:meth:`BlockedScorer.top_vacancies <employkit.matching.blocking.BlockedScorer.top_vacancies>`
as Dask tasks. The engine is prepared once on the client (columns, kernels, tables and
blocks: seconds even for a national month); then

* the seeker groups are **partitioned by their blocking key** (reach and region: a
  province, a wide area, a district), one task per partition;
* the **smaller side is broadcast**: when there are fewer vacancies than seekers (the
  usual case) the vacancies' half of the scoring plan is sent once to every worker and
  each task gets only its partition's seekers; otherwise the seekers' half is broadcast
  and each task gets the vacancies its partition can reach;
* each task runs the same function as the single-machine engine
  (:func:`~employkit.matching.plan.best_vacancies`) and returns its seekers' lists,
  which the client writes into the result.

So the result is the single-machine result, row for row. Workers need employkit (and
the packs whose components are used) installed; they do not need the rule system or the
records — only numpy arrays and the components' scoring functions, which Dask ships
with cloudpickle. Explanations are built on the client, for the pairs asked for
(:meth:`BlockedScorer.results <employkit.matching.blocking.BlockedScorer.results>`).

Needs the optional extra ``employkit[dask]``; without it :func:`dask_top_vacancies`
raises :class:`DaskUnavailable`.

On a real cluster::

    from dask.distributed import Client
    client = Client("tcp://scheduler.example:8786")
    engine = BlockedScorer(matcher, seekers, vacancies)
    top = dask_top_vacancies(engine, 30, client=client)

Without ``client`` the tasks run on Dask's current scheduler (a ``Client`` made
earlier becomes the default; otherwise the local threaded scheduler), or the one named
by ``scheduler`` (``"threads"``, ``"processes"``, ``"synchronous"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from employkit.errors import EmploykitError, InvalidArgument
from employkit.matching.batch import DEFAULT_CHUNK_CELLS, TopK
from employkit.matching.blocking import BlockedScorer, _mask, _topk
from employkit.matching.plan import KernelPlan, PlanSide, best_vacancies
from employkit.matching.topk import Search, exact_top

__all__ = ["DaskUnavailable", "Partition", "dask_top_vacancies", "partitions"]

INSTALL_HINT = "pip install 'employkit[dask]'"


class DaskUnavailable(EmploykitError):
    """Dask is not installed."""


def _dask() -> Any:
    try:
        import dask
    except ImportError:
        raise DaskUnavailable(f"running on Dask needs the dask extra: {INSTALL_HINT}") from None
    return dask


#: One partition: its key, its seekers (global, ascending), and per group the seekers'
#: positions in the partition and the group's candidate vacancies (global, ascending).
Partition = tuple[tuple[str, str | None], NDArray[np.intp], list[tuple[NDArray[np.intp], NDArray[np.intp]]]]


def partitions(engine: BlockedScorer, vacancy_mask: NDArray[np.bool_] | None = None) -> list[Partition]:
    """The engine's seeker groups partitioned by blocking key (reach and region)."""
    mask = _mask(vacancy_mask, engine.shape[1])
    by_key: dict[tuple[str, str | None], list[int]] = {}
    for g, key in enumerate(engine.blocks.partition_keys()):
        by_key.setdefault(key, []).append(g)
    out: list[Partition] = []
    for key in sorted(by_key, key=lambda k: (k[0], k[1] or "")):
        groups = by_key[key]
        members = [engine.blocks.seekers(g) for g in groups]
        seekers = np.sort(np.concatenate(members)) if members else np.zeros(0, dtype=np.intp)
        work = [
            (np.searchsorted(seekers, m).astype(np.intp), engine.blocks.candidates(g, mask))
            for g, m in zip(groups, members, strict=True)
        ]
        out.append((key, seekers, work))
    return out


def _run(
    seeker_side: PlanSide,
    vacancy_side: PlanSide,
    seekers: NDArray[np.intp],
    vacancy_rows: NDArray[np.intp] | None,
    work: Sequence[tuple[NDArray[np.intp], NDArray[np.intp]]],
    k: int,
    chunk_cells: int,
    seekers_broadcast: bool,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """One task: the best ``k`` vacancies of each seeker of a partition.

    ``seeker_side`` covers the partition's seekers (row ``i`` = ``seekers[i]``) or all
    seekers (broadcast); ``vacancy_side`` covers all vacancies (broadcast) or the rows
    ``vacancy_rows``. Returns global seeker indexes, vacancy indexes and totals.
    """
    plan = KernelPlan.join(seeker_side, vacancy_side)
    out_s: list[NDArray[np.intp]] = []
    out_v: list[NDArray[np.intp]] = []
    out_t: list[NDArray[np.float64]] = []
    for local, cands in work:
        rows = seekers[local] if seekers_broadcast else local
        cols = cands if vacancy_rows is None else np.searchsorted(vacancy_rows, cands).astype(np.intp)
        found_v, found_t = best_vacancies(plan, rows, cols, k, chunk_cells)
        if vacancy_rows is not None:
            found_v = np.where(found_v >= 0, vacancy_rows[np.maximum(found_v, 0)], -1)
        out_s.append(seekers[local])
        out_v.append(found_v)
        out_t.append(found_t)
    return _stack(out_s, out_v, out_t, k)


def _stack(
    s: list[NDArray[np.intp]], v: list[NDArray[np.intp]], t: list[NDArray[np.float64]], k: int
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    if not s:
        return np.zeros(0, dtype=np.intp), np.zeros((0, k), dtype=np.intp), np.zeros((0, k))
    width = k
    vv = [np.pad(x, ((0, 0), (0, width - x.shape[1])), constant_values=-1) for x in v]
    tt = [np.pad(x, ((0, 0), (0, width - x.shape[1])), constant_values=-np.inf) for x in t]
    return np.concatenate(s), np.concatenate(vv), np.concatenate(tt)


def dask_top_vacancies(
    engine: BlockedScorer,
    k: int,
    *,
    client: Any = None,
    scheduler: str | None = None,
    vacancy_mask: NDArray[np.bool_] | None = None,
    chunk_cells: int | None = None,
    part_size: int = 50_000,
) -> TopK:
    """:meth:`engine.top_vacancies(k) <employkit.matching.blocking.BlockedScorer.top_vacancies>` on Dask.

    Exact engines run one task per ``part_size`` seekers with the search broadcast;
    blocked ones one task per blocking partition.

    ``client`` is a ``dask.distributed.Client`` (the broadcast side is scattered to every
    worker once); without it the tasks run on ``scheduler`` or Dask's default. Raises
    :class:`DaskUnavailable` when Dask is not installed.
    """
    dask = _dask()
    if k < 1:
        raise InvalidArgument("k must be at least 1")
    n_s, n_v = engine.shape
    chunk = chunk_cells or engine.chunk_cells or DEFAULT_CHUNK_CELLS
    if engine.mode == "exact":
        return _dask_exact(dask, engine, k, client, scheduler, vacancy_mask, chunk, part_size)
    parts = partitions(engine, vacancy_mask)
    plan = engine.plan
    vacancies_smaller = n_v <= n_s
    broadcast = plan.vacancy_side() if vacancies_smaller else plan.seeker_side()
    if client is not None:
        shared = client.scatter(broadcast, broadcast=True, hash=False)
    else:
        shared = dask.delayed(broadcast, pure=True, name="employkit-broadcast")
    tasks = []
    task = dask.delayed(_run, pure=True)
    for _key, seekers, work in parts:
        if vacancies_smaller:
            tasks.append(task(plan.seeker_side(seekers), shared, seekers, None, work, k, chunk, False))
        else:
            reach = np.unique(np.concatenate([c for _, c in work])) if work else np.zeros(0, dtype=np.intp)
            tasks.append(task(shared, plan.vacancy_side(reach), seekers, reach, work, k, chunk, True))
    if client is not None:
        results = client.gather(client.compute(tasks))
    else:
        results = dask.compute(*tasks, scheduler=scheduler) if scheduler else dask.compute(*tasks)
    best_i = np.full((n_s, k), -1, dtype=np.intp)
    best_t = np.full((n_s, k), -np.inf)
    for s, v, t in results:
        best_i[s] = v
        best_t[s] = t
    return _topk("vacancies", best_i, best_t, np.arange(n_s, dtype=np.intp))


def _exact_part(search: Search, seekers: NDArray[np.intp], k: int, chunk_cells: int) -> tuple[Any, ...]:
    """One task of the exact job: the exact lists of a range of seekers."""
    best_i, best_t, scored = exact_top(search, seekers, k, chunk_cells=chunk_cells)
    return seekers, best_i, best_t, scored


def _dask_exact(
    dask: Any,
    engine: BlockedScorer,
    k: int,
    client: Any,
    scheduler: str | None,
    vacancy_mask: NDArray[np.bool_] | None,
    chunk: int,
    part_size: int,
) -> TopK:
    if part_size < 1:
        raise InvalidArgument("part_size must be at least 1")
    n_s, n_v = engine.shape
    search = engine.search("vacancies", _mask(vacancy_mask, n_v))
    if client is not None:
        shared = client.scatter(search, broadcast=True, hash=False)
    else:
        shared = dask.delayed(search, pure=True, name="employkit-exact-search")
    task = dask.delayed(_exact_part, pure=True)
    rows = np.arange(n_s, dtype=np.intp)
    # similar seekers in the same task (they are searched in blocks that share groups)
    key = search.query_key
    by_key = rows if key is None else np.lexsort((key[:, 1], key[:, 0])).astype(np.intp)
    tasks = [task(shared, by_key[lo : lo + part_size], k, chunk) for lo in range(0, n_s, part_size)]
    if client is not None:
        results = client.gather(client.compute(tasks))
    else:
        results = dask.compute(*tasks, scheduler=scheduler) if scheduler else dask.compute(*tasks)
    best_i = np.full((n_s, k), -1, dtype=np.intp)
    best_t = np.full((n_s, k), -np.inf)
    engine.scored_pairs = 0
    for s, v, t, scored in results:
        best_i[s] = v
        best_t[s] = t
        engine.scored_pairs += int(scored)
    return _topk("vacancies", best_i, best_t, rows)
