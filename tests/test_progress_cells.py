"""`assess` (every region and target at once, numpy scans) gives what `assess_target` gives for
each cell on its own (plain Python scans): the fast path is the method, not an approximation."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import astuple
from pathlib import Path

import numpy as np
import pytest

from kpis.dataset import load_dataset
from kpis.progress import assess, assess_target, effective_series, series_by_key

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "make_national.py"), str(out)],
        check=True,
        capture_output=True,
    )
    return load_dataset(out / "targets.yaml", out / "data")


def cell_by_cell(dataset, as_of, regions, table=None):
    plan = dataset.plan
    by_key = series_by_key(
        effective_series(plan, dataset.figures.table if table is None else table)
    )
    return [
        assess_target(plan, indicator, position, region, by_key.get((region, indicator.id)), as_of)
        for region in regions
        for indicator, position, _ in plan.targeted()
    ]


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


@pytest.mark.parametrize(("as_of", "first_year"), [(1999, 1996), (2021, 2017), (2025, 2017)])
def test_figures_with_gaps_regions_out_of_order_every_cell(national, as_of, first_year):
    # Years missing here and there (a cell's figures are then not one per year), a region
    # asked for twice, the plan's own region (no figures) among them, not in sorted order;
    # from 2017 on, the cumulative indicators' baseline year (2015) comes before any figure.
    table = national.figures.table
    kept = (np.random.default_rng(as_of).random(len(table)) > 0.4) & (table["year"] >= first_year)
    gappy = table[kept].reset_index(drop=True)
    regions = ["Thái Nguyên", "An Giang", "Cả nước", "Hà Nội", "An Giang"]
    fast = assess(national.plan, gappy, as_of=as_of, regions=regions)
    slow = cell_by_cell(national, as_of, regions, table=gappy)
    assert [astuple(a) for a in fast] == [astuple(a) for a in slow]


def test_a_series_given_in_any_order(national):
    # Pages pass the effective series they already computed; its row order must not matter.
    table = national.figures.table
    shuffled = effective_series(national.plan, table).sample(frac=1, random_state=3)
    regions = ["Lạng Sơn", "Huế"]
    fast = assess(national.plan, table, as_of=2022, regions=regions, series=shuffled)
    assert [astuple(a) for a in fast] == [astuple(a) for a in cell_by_cell(national, 2022, regions)]
