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
from kpis.figures import parse_figures_bytes
from kpis.progress import assess, assess_target, effective_series, has_row, series_by_key
from tests.helpers import make_plan

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
        for indicator, position, target in plan.targeted()
        if has_row(plan, region, target)
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


# Version 2: every new form, with estimates, ranges that clamp, a region that ceased to exist
# and figures from before the plan's baseline year; "khoảng" targets beside growth targets.
V2_PLAN = make_plan(
    {
        "id": "rev",
        "targets": [
            {"year": 2024, "min": 150},
            {"year": 2026, "min": 150, "approx": True},
            {"from": 2018, "to": 2025, "min_growth": 7},
            {"from": 2020, "to": 2030, "min_growth": 7, "exclusive": True},
            {"from": 2016, "to": 2022, "mean_min": 100},
        ],
    },
    {
        "id": "cost",
        "direction": "decrease",
        "targets": [
            {"from": 2018, "to": 2026, "max_growth": -3},
            {"year": 2028, "max": 40, "exclusive": True},
            {"year": 2027, "max": 40, "approx": True},
        ],
    },
    {
        "id": "share",
        "unit": "%",
        "targets": [
            {"year": 2030, "min": 80, "exclusive": True},
            {"from": 2016, "to": 2030, "min": 30, "exclusive": True},
            {"from": 2019, "to": 2023, "mean_min": 40, "mean_max": 60},
            {"from": 2017, "to": 2030, "min_growth": 5},
        ],
    },
    {
        "id": "tfp",
        "unit": "%",
        "value_range": [None, None],
        "targets": [{"from": 2021, "to": 2025, "mean_min": 30, "exclusive": True}],
    },
    {
        "id": "rank",
        "direction": "decrease",
        "integer": True,
        "value_range": [1, 63],
        "targets": [{"year": 2030, "max": 10}],
    },
    {"id": "ratio", "formula": "share / rev * 100", "targets": [{"year": 2030, "min": 50}]},
    region="Thái Nguyên",
    regions=[
        {"name": "Thái Nguyên"},
        {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"},
        {"name": "Cao Bằng"},
    ],
)


def v2_figures(seed: int):
    rng = np.random.default_rng(seed)
    lines = ["indicator,region,year,value,estimate"]
    for region in ("Thái Nguyên", "Bắc Kạn", "Cao Bằng"):
        for year in range(2012, 2031):
            if region == "Bắc Kạn" and year > 2025:
                continue
            for indicator in ("rev", "cost", "share", "tfp", "rank"):
                if rng.random() < 0.35:
                    continue
                value = {
                    "rev": rng.choice([0, rng.uniform(50, 250)]),
                    "cost": rng.uniform(20, 80),
                    "share": rng.uniform(0, 100),
                    "tfp": rng.uniform(-40, 110),
                    "rank": rng.integers(1, 64),
                }[indicator]
                mark = "x" if rng.random() < 0.2 else ""
                lines.append(f"{indicator},{region},{year},{value},{mark}")
    table, problems = parse_figures_bytes(("\n".join(lines) + "\n").encode(), "v2.csv", V2_PLAN)
    assert [p for p in problems if p.is_error] == []
    return table


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("as_of", [2015, 2019, 2022, 2025, 2027, 2031])
def test_version_2_forms_every_cell(seed, as_of):
    table = v2_figures(seed)
    regions = ["Thái Nguyên", "Bắc Kạn", "Cao Bằng"]
    fast = assess(V2_PLAN, table, as_of=as_of, regions=regions)
    by_key = series_by_key(effective_series(V2_PLAN, table))
    slow = [
        assess_target(V2_PLAN, ind, position, region, by_key.get((region, ind.id)), as_of)
        for region in regions
        for ind, position, target in V2_PLAN.targeted()
        if has_row(V2_PLAN, region, target)
    ]
    assert [astuple(a) for a in fast] == [astuple(a) for a in slow]
    assert len({a.status for a in fast} - {"no_data"}) >= 2  # judged, not only empty


# Generated plans: every target form side by side in one plan, so that what one form needs of
# the batch (a growth target's level, a cumulative sum) cannot leak into another's judgement,
# and baselines given in the plan, with or without a year, on every kind of indicator;
# figures drawn at the bounds' edges (95% and 105% of them, the bound itself) where
# "khoảng" and "trên"/"dưới" decide.
REGIONS = ["Bắc Kạn", "Lạng Sơn"]
EDGES = [0.0, 0.5, 0.9, 0.95, 0.97, 1.0, 1.03, 1.05, 1.1, 1.5]


def dated_target(rng, year: int, scale: float) -> dict:
    form = rng.choice(["min", "max", "between", "times"])
    if form == "times":
        return {"year": year, "min_times_baseline": float(rng.choice([1.5, 2]))}
    if form == "between":
        return {"year": year, "min": scale, "max": scale * 1.2}
    target = {"year": year, str(form): scale}
    mark = rng.choice(["approx", "exclusive", "none"], p=[0.5, 0.2, 0.3])
    return target if mark == "none" else {**target, str(mark): True}


def random_indicator(rng, n: int) -> dict:
    kind = str(rng.choice(["stock", "flow", "cumulative", "milestone"], p=[0.4, 0.2, 0.25, 0.15]))
    scale = float(rng.choice([20, 100, 8.3]))
    indicator = {"id": f"i{n}", "kind": kind}
    if kind == "milestone":
        return {**indicator, "targets": [{"year": int(rng.integers(2018, 2031)), "min": 1}]}
    if kind == "cumulative":
        indicator["cumulative_from"] = 2016
    if rng.random() < 0.4:  # the plan's baseline comes first, also for a cumulative indicator
        given = {"value": round(scale * float(rng.choice([0.0, 0.2, 0.5])), 3)}
        indicator["baseline"] = given if rng.random() < 0.3 else {"year": 2016, **given}
    targets = []
    for _ in range(int(rng.integers(1, 5))):
        year = int(rng.integers(2018, 2031))
        form = rng.choice(["dated", "standing", "average", "growth"], p=[0.5, 0.2, 0.1, 0.2])
        if form == "dated":
            targets.append(dated_target(rng, year, scale))
        elif form == "standing":
            bound = str(rng.choice(["min", "max"]))
            standing = {"from": 2017, "to": year, bound: scale}
            targets.append({**standing, "approx": True} if rng.random() < 0.5 else standing)
        elif form == "average":
            targets.append({"from": 2017, "to": year, "mean_min": scale})
        else:
            rate = str(rng.choice(["min_growth", "max_growth"]))
            targets.append({"from": int(rng.integers(2014, 2018)), "to": year, rate: 5})
    return {**indicator, "targets": targets}


def random_case(seed: int):
    rng = np.random.default_rng(seed)
    plan = make_plan(*(random_indicator(rng, n) for n in range(int(rng.integers(3, 7)))))
    lines = ["indicator,region,year,value"]
    for indicator in plan.indicators:
        scale = max((t.min or t.max or 0 for t in indicator.targets), default=20) or 20
        for region in REGIONS:
            for year in range(2013, 2032):
                if rng.random() < 0.4:
                    continue
                if indicator.kind == "milestone":
                    value = int(rng.random() < 0.3)
                elif indicator.kind == "cumulative":  # sums that pass the bounds' edges
                    value = round(scale * float(rng.choice(EDGES)) / 4, 3)
                else:
                    value = round(scale * float(rng.choice(EDGES)), 3)
                lines.append(f"{indicator.id},{region},{year},{value}")
    table, problems = parse_figures_bytes(("\n".join(lines) + "\n").encode(), "g.csv", plan)
    assert [p for p in problems if p.is_error] == []
    return plan, table


@pytest.mark.parametrize("seed", range(20))
def test_generated_plans_of_every_form_every_cell(seed):
    plan, table = random_case(seed)
    by_key = series_by_key(effective_series(plan, table))
    for as_of in (2016, 2019, 2022, 2025, 2031):
        fast = assess(plan, table, as_of=as_of, regions=REGIONS)
        slow = [
            assess_target(plan, ind, position, region, by_key.get((region, ind.id)), as_of)
            for region in REGIONS
            for ind, position, _ in plan.targeted()
        ]
        assert [astuple(a) for a in fast] == [astuple(a) for a in slow], (seed, as_of)
