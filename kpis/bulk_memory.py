"""How a command working on a national data set holds memory: no cyclic collection while it
runs, and the C library's malloc keeping what it frees for the next array.

Such a command (`status`, `import`) makes millions of objects and columns of millions of rows,
frees them, and makes the next: the cyclic collector walks the live ones again and again
(they hold no cycle worth finding), and every freed block given back to the kernel is faulted
in and zeroed again by the next allocation, which costs most on a virtual machine. Only for
command-line processes: the dashboard's server keeps its collector and its malloc as they are.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """Within the block, no cyclic collection (restored after), and for the rest of the
    process freed blocks kept (`keep_freed_memory`)."""
    keep_freed_memory()
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
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    mallopt(_M_TRIM_THRESHOLD, 2**31 - 1)
