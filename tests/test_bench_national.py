"""bench/bench_national.py --set: a data set made elsewhere, measured as the generated ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_set_made_elsewhere_is_measured_without_generating_one(tmp_path):
    # The shipped plans and figures: a set bench/ did not write, its data folder shared by
    # three plans, its files with their own columns and regions.
    given = tmp_path / "shipped"
    given.mkdir()
    shutil.copy(REPO / "targets.yaml", given)
    shutil.copytree(REPO / "data", given / "data")
    shutil.copytree(REPO / "plans", given / "plans")
    before = {f.name: f.read_bytes() for f in (given / "data").iterdir()}
    result = subprocess.run(
        [sys.executable, "bench/bench_national.py", "--set", str(given), "--repeat", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = result.stdout.split("\nsummary\n", 1)[1]
    # Bắc Kạn's busiest year in the shipped figures is 2024, its 11 figures all changed
    measured = [
        "status, 108 figures, 12 files (given set shipped) |",
        "status peak memory, 108 figures, 12 files (given set shipped) |",
        "status, 108 figures, 12 files (given set shipped), pinned to one core |",
        "import of 11 changed figures, 108 figures, 12 files (given set shipped) (python -m kpis",
        "undo of 11 changed figures, 108 figures, 12 files (given set shipped) (the store's",
    ]
    for line in measured:
        assert line in summary, summary
    # every import beside the pandas script's same change, measured in the same run
    assert "pandas makes the same change in" in summary
    # the set itself is never written
    assert {f.name: f.read_bytes() for f in (given / "data").iterdir()} == before
