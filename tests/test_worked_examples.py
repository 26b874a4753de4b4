"""The /method page's worked examples of the version 2 forms (kpis/worked_examples.py), on the
shipped plans: the plan's own target where it states one, else one marked as assumed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpis.dataset import load_dataset
from kpis.progress import default_as_of, effective_series, series_by_key
from kpis.worked_examples import worked_examples

REPO = Path(__file__).resolve().parents[1]


def examples_of(plan_file: str) -> dict:
    dataset = load_dataset(REPO / plan_file, REPO / "data")
    series = series_by_key(effective_series(dataset.plan, dataset.figures.table))
    as_of = default_as_of(dataset.figures.table)
    found = worked_examples(dataset.plan, series, dataset.plan.plan.region, as_of)
    return {example.form: example for example in found}


def test_decision_684_states_none_so_each_is_assumed_on_its_figures():
    found = examples_of("targets.yaml")
    assert [e.stated for e in found.values()] == [False, False, False]
    strict = found["exclusive"]  # "ít nhất 03" read as "trên 3": 3 organisations in 2020
    assert (strict.indicator.id, strict.target.min, strict.row.latest_value) == (
        "public_st_orgs",
        3,
        3,
    )
    assert strict.row.status == "missed"
    growth = found["growth"]  # money before counts
    assert growth.indicator.id == "st_investment" and growth.target.min_growth == 7
    assert growth.row.average_growth == pytest.approx(((76500 / 72000) ** (1 / 8) - 1) * 100)
    assert growth.row.goal == pytest.approx(72000 * 1.07**10)
    assert growth.row.status == "off_track"
    mean = found["period_average"]  # at the plan's own 1.5% floor, 2016-2020
    assert (mean.indicator.id, mean.target.mean_min) == ("st_investment_share", 1.5)
    shares = [72000 / 5120000, 81500 / 5310000, 90200 / 5480000, 95800 / 5650000, 88400 / 6020000]
    assert mean.row.mean == pytest.approx(sum(shares) * 100 / 5)
    assert mean.row.status == "achieved" and len(mean.row.years_met) == 3


def test_the_thai_nguyen_plan_gives_its_own_more_than_80():
    found = examples_of("plans/thai-nguyen-57-2025.yaml")
    strict = found["exclusive"]
    assert strict.stated and strict.indicator.id == "commune_officials_digital_skills"
    assert (strict.row.latest_value, strict.row.status) == (80, "missed")
    assert not found["growth"].stated and not found["period_average"].stated


def test_a_plan_without_targets_or_series_gives_no_example():
    assert examples_of("plans/lang-son-147-2023.yaml") == {}
