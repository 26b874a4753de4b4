"""kpis.bulk_memory: a national command runs without the cyclic collector, which comes back
as it was once the command is done, whatever happens in it."""

from __future__ import annotations

import gc
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from kpis.bulk_memory import bulk_work

REPO = Path(__file__).resolve().parents[1]


def test_the_collector_is_off_within_and_back_after_even_on_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk_work():
        assert not gc.isenabled()
        raise RuntimeError("a command that fails")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with bulk_work():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux's /proc only")
def test_a_national_command_runs_on_ordinary_pages():
    # In a child: the setting is the process's, for the rest of its life, and its children's
    # (this one's may have it already from a test before: the child starts from huge pages).
    code = (
        "import ctypes\n"
        "ctypes.CDLL(None).prctl(41, 0, 0, 0, 0)\n"
        "from kpis.bulk_memory import bulk_work\n"
        "def thp():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('THP_enabled:'):\n"
        "            return line.split()[1]\n"
        "before = thp()\n"
        "with bulk_work():\n"
        "    print(before, thp())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()
    assert out == ["1", "0"]


ARENAS = (
    "import contextlib, ctypes, sys, threading\n"
    "from kpis.bulk_memory import bulk_work\n"
    "libc = ctypes.CDLL(None)\n"
    "libc.malloc.restype = ctypes.c_void_p\n"
    "libc.free.argtypes = [ctypes.c_void_p]\n"
    "def work():\n"
    "    libc.free(libc.malloc(1 << 20))\n"
    "kind = sys.argv[1]\n"
    "block = bulk_work(kind == 'shared') if kind != 'ordinary' else contextlib.nullcontext()\n"
    "with block:\n"
    "    thread = threading.Thread(target=work)\n"
    "    thread.start()\n"
    "    thread.join()\n"
    "libc.malloc_stats()\n"  # (one «Arena n:» block a heap, on standard error)
)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")
@pytest.mark.parametrize(("within", "arenas"), [("shared", 1), ("bulk", 2), ("ordinary", 2)])
def test_status_threads_allocate_from_one_heap(within, arenas):
    """A block one thread frees is there for the next array of any other: `status` frees
    the checked table in the main thread and codes the regions in two others. An import's
    threads keep a heap each, as any process's do."""
    stats = subprocess.run(
        [sys.executable, "-c", ARENAS, within], capture_output=True, text=True, check=True, cwd=REPO
    ).stderr
    assert stats.count("Arena ") == arenas
