"""Work spread over the cores this process may use: a few jobs that spend their time in C++
(pyarrow, numpy) without Python's lock, run two at a time."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

# Rows of work below which a second thread costs about what it saves (the callers' test of
# `worth_it`: a national table's column conversions, a rewrite made in two halves).
PARALLEL_ROWS = 200_000


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the
    machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def two_at_a_time(worth_it: bool, *jobs: Callable[[], object]) -> list:
    """Each job's result, in order: run two at a time when `worth_it` and the process may use
    two cores, else one after the other. The first job to fail raises, once all have ended."""
    if not worth_it or len(jobs) < 2 or usable_cores() < 2:
        return [job() for job in jobs]
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(job) for job in jobs]
    return [future.result() for future in futures]
