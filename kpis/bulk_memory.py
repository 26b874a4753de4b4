"""How a command working on a national data set holds memory: no cyclic collection while it
runs, the C library's malloc keeping what it frees for the next array, from one heap for
every thread, ordinary pages.

Such a command (`status`, `import`) makes millions of objects and columns of millions of rows,
frees them, and makes the next: the cyclic collector walks the live ones again and again
(they hold no cycle worth finding), and every freed block given back to the kernel is faulted
in and zeroed again by the next allocation, which costs most on a virtual machine. The
collector and malloc settings are for command-line processes only: the dashboard's server
keeps its collector and its malloc as they are (a long-lived process would hold its peak
memory for ever), but runs on ordinary pages too (`no_huge_pages`, set by `dashboard.py`).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8
# Linux's prctl option (linux/prctl.h): no transparent huge page for this process
_PR_SET_THP_DISABLE = 41


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """Within the block, no cyclic collection (restored after), and for the rest of the
    process freed blocks kept (`keep_freed_memory`) and memory in ordinary pages
    (`no_huge_pages`)."""
    keep_freed_memory()
    no_huge_pages()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_freed_memory() -> None:
    """Let the C library's malloc keep what numpy frees for the next array, until the process
    ends, instead of giving it back to the kernel at once.

    glibc maps each block of 128 KB or more on its own and unmaps it when freed, and gives the
    free top of its heap back: the next array's pages are then faulted in and zeroed by the
    kernel afresh. A national run makes and frees columns of millions of rows (24 MB each at
    3,060,000 figures) again and again. With `status`'s reading pool, 3,060,000 figures in 30
    files take ~250,000 page faults instead of 410,000 (1,020,000 in 340 files 80,000 instead
    of 123,000), ~0.4 s less system time of ~6 s of CPU; a year's import into 340 files ~85,000
    instead of ~110,000. The largest threshold glibc takes is 32 MB. Elsewhere than glibc
    there is nothing to set.
    """
    mallopt = _mallopt()
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, 32 << 20)
        mallopt(_M_TRIM_THRESHOLD, 2**31 - 1)


def one_heap() -> None:
    """Have every thread the process starts from now on allocate from the C library's one
    heap, until the process ends (glibc gives each new thread a heap, an "arena", of its
    own): a block one thread frees is then there for the next array of any other. Called by
    `python -m kpis` before anything starts a thread (importing pyarrow does): a heap made
    before stays, and later threads are shared out among the heaps there are.

    `status` frees the checked table in the main thread and codes two halves of the regions
    in two others (`kpis.progress.assess_parts`): with a heap each, the halves took fresh
    pages beside the freed ones, and the peak at 1,020,000 figures in 340 files rose from
    ~350 to ~375 MB (1.87× the pandas read's), at 3,060,000 in 1,020 files from ~690 to ~775
    MB (1.98×); from the one heap ~335 and ~690–710 MB, as fast. A year's import took as long
    either way (2.70–2.87 s against 2.69–2.86 s into the unlike set, in turn). Elsewhere than
    glibc there is nothing to set.
    """
    mallopt = _mallopt()
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, 1)


def _mallopt():
    """glibc's `mallopt`, or None elsewhere."""
    try:
        return ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return None


def no_huge_pages() -> None:
    """Have the kernel give this process ordinary 4 KB pages, not transparent huge pages,
    until it ends.

    numpy asks for huge pages for every large array (`madvise`), and the kernel zeroes a
    whole 2 MB page at its first touch, compacting memory to find one when it is fragmented:
    a national command makes and frees arrays of millions of rows again and again. Measured
    in turn on a shared 2-core virtual machine (December 2026), with huge pages and without:
    a year's import into 340 region files, system time 1.5-2.2 s -> 1.0-1.4 s and 4.8-5.3 s
    -> 4.5-4.8 s on the clock (twice the page faults, each cheaper); `status` on 3,060,000
    figures in 30 files, system time 1.4-1.9 s -> 1.1-1.2 s. The dashboard's server reads and
    imports the same sets (December 2026, the same machine, the unlike benchmark's set of
    1,016,158 figures with a long source on every row): reading it 1.9-2.4 s -> 0.9 s (system
    time 1.9-2.8 s -> 0.3 s), importing a year into it as the data page does 5.7 s -> 2.5 s;
    1,020,000 figures in 340 files with short sources read as fast, with a peak of 350 MB
    instead of 400. Elsewhere than Linux there is nothing to set.
    """
    try:
        prctl = ctypes.CDLL(None).prctl
    except (OSError, AttributeError, TypeError):
        return
    prctl(_PR_SET_THP_DISABLE, 1, 0, 0, 0)
