"""kpis.bulk_memory: a national command runs without the cyclic collector, which comes back
as it was once the command is done, whatever happens in it; every command and the dashboard's
server run on ordinary pages; a command's threads share one heap."""

from __future__ import annotations

import gc
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from kpis.bulk_memory import bulk_work
from tests.helpers import plan_text

REPO = Path(__file__).resolve().parents[1]

# The start of a child that checks the pages it runs on: the setting is the process's, for the
# rest of its life, and its children's (this one's may have it already from a test before:
# the child starts from huge pages, as a fresh process does), and `thp()` says it ("1": huge
# pages allowed, "0": ordinary pages only).
ON_HUGE_PAGES = (
    "import ctypes\n"
    "ctypes.CDLL(None).prctl(41, 0, 0, 0, 0)\n"
    "def thp():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('THP_enabled:'):\n"
    "            return line.split()[1]\n"
)


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
    code = ON_HUGE_PAGES + (
        "from kpis.bulk_memory import bulk_work\n"
        "before = thp()\n"
        "with bulk_work():\n"
        "    print(before, thp())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()
    assert out == ["1", "0"]


def validate_in_child(
    tmp_path: Path, prelude: str, years: tuple[int, ...] = (2020,)
) -> subprocess.CompletedProcess:
    """`python -m kpis validate` of a one-indicator plan with a file a year, run in a child
    after `prelude` (Python code: what it sets up or registers to say at exit)."""
    (tmp_path / "targets.yaml").write_text(plan_text({"id": "orgs"}), "utf-8")
    data = tmp_path / "data"
    data.mkdir()
    for year in years:
        (data / f"{year}.csv").write_text(f"indicator,year,value\norgs,{year},3\n", "utf-8")
    code = prelude + (
        "import runpy, sys\n"
        "sys.argv = ['kpis', *sys.argv[1:]]\n"
        "runpy.run_module('kpis', run_name='__main__')\n"
    )
    arguments = ["validate", "--targets", str(tmp_path / "targets.yaml"), "--data", str(data)]
    return subprocess.run(
        [sys.executable, "-c", code, *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux's /proc only")
def test_every_command_runs_on_ordinary_pages(tmp_path):
    """Not only `status` and `import`: `validate` reads a whole national set as well."""
    run = validate_in_child(
        tmp_path,
        ON_HUGE_PAGES
        + "import atexit, sys\n"
        + "print('before', thp(), file=sys.stderr)\n"
        + "atexit.register(lambda: print('after', thp(), file=sys.stderr))\n",
    )
    assert run.returncode == 0, run.stderr
    assert "before 1" in run.stderr
    assert "after 0" in run.stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux's /proc only")
def test_the_dashboard_server_runs_on_ordinary_pages():
    """The server reads and imports national sets too (a long-text set read in 0.9 s on
    ordinary pages, 1.9-2.4 s on huge ones): dashboard.py sets it, as a page is served."""
    code = ON_HUGE_PAGES + (
        "from streamlit.testing.v1 import AppTest\n"
        "before = thp()\n"
        "at = AppTest.from_file('dashboard.py', default_timeout=60)\n"
        "at.run()\n"
        "assert not at.exception, [e.value for e in at.exception]\n"
        "print(before, thp(), len(at.title))\n"
    )
    env = {**os.environ, "KPI_TARGETS": str(REPO / "targets.yaml"), "KPI_DATA": str(REPO / "data")}
    env.pop("KPI_PLANS", None)
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    before, after, titles = run.stdout.split()
    assert (before, after) == ("1", "0")
    assert int(titles) >= 1  # (the overview was drawn: the setting came with a real page)


ARENAS = (
    "import contextlib, ctypes, sys, threading\n"
    "from kpis.bulk_memory import one_heap\n"
    "libc = ctypes.CDLL(None)\n"
    "libc.malloc.restype = ctypes.c_void_p\n"
    "libc.free.argtypes = [ctypes.c_void_p]\n"
    "def work():\n"
    "    libc.free(libc.malloc(1 << 20))\n"
    "if sys.argv[1] == 'one heap':\n"
    "    one_heap()\n"
    "thread = threading.Thread(target=work)\n"
    "thread.start()\n"
    "thread.join()\n"
    "libc.malloc_stats()\n"  # (one «Arena n:» block a heap, on standard error)
)


def heaps(stderr: str) -> int:
    return stderr.count("Arena ")


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")
@pytest.mark.parametrize(("setting", "expected"), [("one heap", 1), ("as it is", 2)])
def test_one_heap_has_a_threads_blocks_in_the_main_heap(setting, expected):
    """A block one thread frees is there for the next array of any other: `status` frees
    the checked table in the main thread and codes the regions in two others."""
    run = subprocess.run(
        [sys.executable, "-c", ARENAS, setting], capture_output=True, text=True, check=True
    )
    assert heaps(run.stderr) == expected


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")
def test_a_command_runs_on_one_heap_whatever_its_threads(tmp_path):
    """`python -m kpis` sets it before pyarrow's import starts a thread: a national `status`
    (here `validate` of two files, read in two threads) allocates from one heap only."""
    run = validate_in_child(
        tmp_path,
        "import atexit, ctypes\natexit.register(ctypes.CDLL(None).malloc_stats)\n",
        years=(2020, 2021),
    )
    assert run.returncode == 0, run.stderr
    assert heaps(run.stderr) == 1
