"""`assess` (every region and target at once, numpy scans) gives what `assess_target` gives for
each cell on its own (plain Python scans): the fast path is the method, not an approximation."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import astuple
from pathlib import Path

import pytest

from kpis.dataset import load_dataset
from kpis.progress import assess, assess_target, effective_series, series_by_key

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    subprocess.run([sys.executable, str(REPO / "bench" / "make_national.py"), str(out)],
                   check=True, capture_output=True)
    return load_dataset(out / "targets.yaml", out / "data")


def cell_by_cell(dataset, as_of, regions):
    by_key = series_by_key(effective_series(dataset.plan, dataset.figures.table))
    return [assess_target(dataset.plan, indicator, position, region,
                          by_key.get((region, indicator.id)), as_of)
            for region in regions for indicator, position, _ in dataset.plan.targeted()]


@pytest.mark.parametrize("as_of", [2016, 2019, 2020, 2024, 2030])
def test_shipped_plan_every_cell(as_of):
    dataset = load_dataset(REPO / "targets.yaml", REPO / "data")
    regions = ["Bắc Kạn", "Nowhere"]
    fast = assess(dataset.plan, dataset.figures.table, as_of=as_of, regions=regions)
    assert [astuple(a) for a in fast] == [astuple(a) for a in cell_by_cell(dataset, as_of, regions)]


@pytest.mark.parametrize("as_of", [1996, 2010, 2020, 2025])
def test_synthetic_national_set_every_cell(national, as_of):
    regions = ["An Giang", "Hà Nội", "Lạng Sơn", "Thái Nguyên", "Bắc Kạn"]  # the last: none
    fast = assess(national.plan, national.figures.table, as_of=as_of, regions=regions)
    slow = cell_by_cell(national, as_of, regions)
    assert len(fast) == len(slow) == 5 * len(list(national.plan.targeted()))
    assert [astuple(a) for a in fast] == [astuple(a) for a in slow]
