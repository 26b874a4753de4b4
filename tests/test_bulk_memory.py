"""kpis.bulk_memory: a national command runs without the cyclic collector, which comes back
as it was once the command is done, whatever happens in it."""

from __future__ import annotations

import gc
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
