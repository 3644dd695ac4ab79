"""Independent jobs (pages, static maps) on both cores, results in input order.

Workers are forked, so a job function and the data it reads (a join result, a
build's cube) are inherited rather than pickled; only the small job arguments
and the results cross between processes. Where ``fork`` is not available, or
for a single worker, jobs run one after the other in this process; the output
is the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

#: Workers used when there are enough jobs to pay for starting them.
WORKERS = 2

_JOB: Callable[[Any], Any] | None = None


def _call(item: Any) -> Any:
    assert _JOB is not None
    return _JOB(item)


def available_workers() -> int:
    """How many worker processes :func:`parallel_map` can use here (1 = run in-process)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(WORKERS, os.cpu_count() or 1))


def parallel_map(job: Callable[[Any], Any], items: Sequence[Any], workers: int = WORKERS
                 ) -> list[Any]:
    """``[job(item) for item in items]``, on up to ``workers`` forked processes.

    >>> parallel_map(lambda x: x * x, [1, 2, 3], workers=2)
    [1, 4, 9]
    """
    global _JOB
    workers = min(workers, available_workers(), len(items))
    if workers <= 1:
        return [job(item) for item in items]
    _JOB = job
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_call, items))
    finally:
        _JOB = None
