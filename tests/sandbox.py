"""Run a reader in a child process with a memory and a time limit: a hostile file that makes it
allocate gigabytes fails the test (MemoryError, a kill) instead of taking the machine down."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMORY_BYTES = 2 * 1024**3  # address space: pandas, pyarrow and openpyxl imported take ~0.5 GB


def _limit(memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def run_limited(
    code: str, timeout: float = 60, memory: int = MEMORY_BYTES, env: dict[str, str] | None = None
) -> dict:
    """Run `code` (Python that prints one JSON value as its last line) under the limits; the
    JSON it printed. A traceback, a kill or a timeout fails the calling test with the detail."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=lambda: _limit(memory),
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    assert result.returncode == 0, (
        f"exit {result.returncode}\n{result.stderr[-3000:]}\n{result.stdout[-1000:]}"
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


READ_FILE = """
import json, sys
from kpis.figures import read_figures
from tests.helpers import make_plan
plan = make_plan({{"id": "orgs", "integer": True}}, {{"id": "spend"}})
figures = read_figures({path!r}, plan)
print(json.dumps({{"rows": len(figures.table),
                  "problems": [p.format("en") for p in figures.problems]}}))
"""


def read_limited(path: Path, **kwargs) -> dict:
    """`read_figures(path)` under the limits: {"rows": n, "problems": [text, ...]}."""
    return run_limited(READ_FILE.format(path=str(path)), **kwargs)
