"""Worker processes for the matching engines: a function mapped over items in forked processes.

The exact search (:func:`~employkit.matching.topk.exact_top`) takes many small numpy
steps per block of queries; they hold the interpreter lock, so threads wait on each
other. :func:`forked_map` runs a function over items in forked worker processes
instead: the function and the items are set in this module just before the fork, so
the workers inherit them (closures and large arrays included) without pickling; only
the spans of items each worker takes and the results travel between processes.

Forking is safe only where the platform forks cleanly and no other thread holds a lock
the child would inherit: :func:`can_fork` says when (the engines use threads otherwise).

>>> can_fork() in (True, False)
True
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

__all__ = ["can_fork", "forked_map"]

T = TypeVar("T")
R = TypeVar("R")

#: The job the forked workers inherit: set just before the fork, cleared after.
_JOB: dict[str, Any] = {}


def can_fork() -> bool:
    """Whether worker processes can be forked safely: on Linux, with no other thread running.

    The plugin host's idle hook workers (``employkit-hook``) do not count: they wait on a
    queue holding no lock, and their pool starts afresh in a forked process.
    """
    import sys
    import threading

    if not sys.platform.startswith("linux"):  # macOS can fork, but its system libraries may not survive it
        return False
    others = [t for t in threading.enumerate() if t is not threading.current_thread()]
    return all(t.name == "employkit-hook" for t in others)


def _run_span(span: tuple[int, int]) -> list[Any]:
    """In a forked worker: the inherited function over the items ``span``."""
    run, items = _JOB["run"], _JOB["items"]
    return [run(item) for item in items[span[0] : span[1]]]


def forked_map(run: Callable[[T], R], items: Sequence[T], sizes: Sequence[int], workers: int) -> list[R]:
    """``run`` over ``items`` in ``workers`` forked processes; the results in no set order.

    ``sizes`` weighs each item (its queries, say): the items are cut into about
    ``32 × workers`` consecutive spans of similar weight, so no worker is left with a
    long tail. Call it only when :func:`can_fork`; a result must pickle.
    """
    import multiprocessing

    if not items:
        return []
    total = np.cumsum(np.asarray(sizes, dtype=np.int64))
    pieces = max(1, min(len(items), 32 * workers))
    cuts = np.unique(np.searchsorted(total, np.linspace(0, total[-1], pieces + 1)[1:-1], side="left"))
    bounds = [0, *[int(c) + 1 for c in cuts if 0 <= c < len(items) - 1], len(items)]
    spans = [(a, b) for a, b in itertools.pairwise(sorted(set(bounds))) if b > a]
    _JOB["run"], _JOB["items"] = run, items
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [result for part in pool.imap_unordered(_run_span, spans) for result in part]
    finally:
        _JOB.clear()
