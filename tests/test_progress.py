"""The method of METHOD.md, in parameter tables: every status, the thresholds, the rules."""

from __future__ import annotations

import math
import warnings
from dataclasses import astuple

import numpy as np
import pandas as pd
import pytest

from kpis.figures import parse_figures_bytes
from kpis.plan import Target
from kpis.progress import (
    Assessment,
    _order,
    _pace,
    assess,
    assess_target,
    effective_series,
    growth_level,
    least_squares_at,
    series_by_key,
)
from tests.helpers import make_figures, make_plan, many_regions


def judge(
    indicator: dict,
    rows: list[tuple],
    as_of: int | None = None,
    region: str | None = None,
    target: int = 1,
) -> Assessment:
    """The assessment of the indicator's `target`-th target for one region."""
    plan = make_plan(indicator)
    table = make_figures(plan, [(indicator["id"], *row) for row in rows])
    results = assess(plan, table, as_of=as_of, regions=[region] if region else None)
    return [r for r in results if r.target_index == target][0]


COUNT = {"id": "orgs", "integer": True}

# (case, indicator, figures (year, value), as_of, status, progress, projected)
CASES = [
    (
        "achieved at the latest figure",
        {**COUNT, "targets": [{"year": 2020, "min": 3}]},
        [(2015, 1), (2018, 3)],
        None,
        "achieved",
        1.0,
        13 / 3,
    ),  # projected even when met
    (
        "missed: target year passed, not met",
        {**COUNT, "targets": [{"year": 2020, "min": 5}]},
        [(2015, 1), (2020, 3), (2022, 6)],
        2024,
        "missed",
        0.5,
        None,
    ),
    (
        "on track exactly at 95% of the required progress",
        {**COUNT, "integer": False, "targets": [{"year": 2025, "min": 20}]},
        [(2015, 0), (2020, 9.5)],
        None,
        "on_track",
        9.5 / 20,
        19.0,
    ),
    (
        "needs acceleration exactly at 50%",
        {**COUNT, "integer": False, "targets": [{"year": 2025, "min": 20}]},
        [(2015, 0), (2020, 5)],
        None,
        "needs_acceleration",
        0.25,
        10.0,
    ),
    (
        "off track just under 50%",
        {**COUNT, "integer": False, "targets": [{"year": 2025, "min": 20}]},
        [(2015, 0), (2020, 4.999)],
        None,
        "off_track",
        4.999 / 20,
        9.998,
    ),
    (
        "off track at exactly 0: flat",
        {**COUNT, "targets": [{"year": 2025, "min": 20}]},
        [(2015, 4), (2020, 4)],
        None,
        "off_track",
        0.0,
        4.0,
    ),
    (
        "regressing: moving away",
        {**COUNT, "targets": [{"year": 2025, "min": 20}]},
        [(2015, 4), (2020, 2)],
        None,
        "regressing",
        -2 / 16,
        0.0,
    ),
    (
        "insufficient data: one point, future target",
        {**COUNT, "targets": [{"year": 2025, "min": 20}]},
        [(2020, 4)],
        None,
        "insufficient_data",
        0.0,
        None,
    ),
    ("no data", {**COUNT, "targets": [{"year": 2025, "min": 20}]}, [], None, "no_data", None, None),
    (
        "approx: 19 of about 20 is met",
        {**COUNT, "targets": [{"year": 2020, "min": 20, "approx": True}]},
        [(2015, 0), (2020, 19)],
        None,
        "achieved",
        0.95,
        None,
    ),
    (
        "approx: 18 of about 20 is not",
        {**COUNT, "targets": [{"year": 2020, "min": 20, "approx": True}]},
        [(2015, 0), (2020, 18)],
        None,
        "missed",
        0.9,
        None,
    ),
    (
        "approx max: 105 of at most about 100 is met",
        {
            "id": "cost",
            "direction": "decrease",
            "targets": [{"year": 2020, "max": 100, "approx": True}],
        },
        [(2015, 150), (2020, 105)],
        None,
        "achieved",
        45 / 50,
        None,
    ),
    (
        "min_times_baseline: doubled",
        {**COUNT, "targets": [{"year": 2025, "min_times_baseline": 2}]},
        [(2015, 10), (2020, 20)],
        None,
        "achieved",
        1.0,
        30.0,
    ),
    (
        "min_times_baseline: halfway at half time",
        {**COUNT, "targets": [{"year": 2025, "min_times_baseline": 2}]},
        [(2015, 10), (2020, 15)],
        None,
        "on_track",
        0.5,
        20.0,
    ),
    (
        "decrease with a max: progress toward a lower goal",
        {
            "id": "poverty",
            "unit": "%",
            "direction": "decrease",
            "targets": [{"year": 2025, "max": 5}],
        },
        [(2015, 10), (2020, 8)],
        None,
        "needs_acceleration",
        0.4,
        6.0,
    ),
    (
        "between: inside the band",
        {"id": "share", "unit": "%", "targets": [{"year": 2025, "min": 1.5, "max": 2}]},
        [(2015, 1.0), (2020, 1.7)],
        None,
        "achieved",
        1.0,
        2.4,
    ),
    (
        "between: above the band measures toward max",
        {"id": "share", "unit": "%", "targets": [{"year": 2025, "min": 1.5, "max": 2}]},
        [(2015, 3.0), (2020, 2.5)],
        None,
        "on_track",
        0.5,
        2.0,
    ),
    (
        "as-of earlier than the latest figure",
        {**COUNT, "targets": [{"year": 2025, "min": 10}]},
        [(2015, 0), (2018, 3), (2022, 10)],
        2018,
        "on_track",
        0.3,
        10.0,
    ),
]


@pytest.mark.parametrize(
    "case, indicator, rows, as_of, status, progress, projected", CASES, ids=[c[0] for c in CASES]
)
def test_status_progress_and_projection(case, indicator, rows, as_of, status, progress, projected):
    result = judge(indicator, rows, as_of=as_of)
    assert result.status == status
    if progress is None:
        assert result.progress is None
    else:
        assert result.progress == pytest.approx(progress)
    if projected is None:
        assert result.projected_value is None
    else:
        assert result.projected_value == pytest.approx(projected)


def test_every_status_is_reachable():
    reached = {judge(c[1], c[2], as_of=c[3]).status for c in CASES}
    reached |= {
        judge(
            {"id": "lab", "kind": "milestone", "targets": [{"year": 2030, "min": 1}]},
            [(2016, 0), (2020, 0)],
        ).status
    }
    assert reached == {
        "achieved",
        "on_track",
        "needs_acceleration",
        "off_track",
        "regressing",
        "missed",
        "pending",
        "insufficient_data",
        "no_data",
    }


@pytest.mark.parametrize(
    "projected_progress, status",
    [
        (0.95, "on_track"),
        (0.95 - 1e-12, "on_track"),
        (0.9499999, "needs_acceleration"),
        (0.5, "needs_acceleration"),
        (0.5 - 1e-12, "needs_acceleration"),
        (0.4999999, "off_track"),
        (0.0, "off_track"),
        (-1e-12, "off_track"),
        (-0.0000001, "regressing"),
    ],
)
def test_thresholds_compare_after_rounding_to_nine_decimals(projected_progress, status):
    assert _pace(projected_progress) == status


def test_comparisons_are_made_after_rounding_to_nine_decimals():
    # 8.3 * (1 - 0.05) is 7.885000000000001 in binary floating point: 7.885 must still count
    assert 8.3 * (1 - 0.05) > 7.885
    result = judge(
        {"id": "x", "targets": [{"year": 2020, "min": 8.3, "approx": True}]},
        [(2015, 0), (2020, 7.885)],
    )
    assert result.status == "achieved"


MILESTONE = {"id": "lab", "kind": "milestone", "targets": [{"year": 2025, "min": 1}]}


@pytest.mark.parametrize(
    "rows, as_of, status",
    [
        ([(2016, 0), (2019, 1)], None, "achieved"),
        ([(2016, 0), (2020, 0)], None, "pending"),
        ([(2016, 0), (2025, 0)], None, "missed"),
        ([(2020, 0)], None, "pending"),  # a milestone is pending, never insufficient_data
    ],
)
def test_milestones(rows, as_of, status):
    result = judge(MILESTONE, rows, as_of=as_of)
    assert result.status == status
    assert result.projected_value is None


STANDING = {
    "id": "share",
    "unit": "%",
    "targets": [{"from": 2016, "to": 2030, "min": 1.5, "max": 2}],
}


@pytest.mark.parametrize(
    "rows, as_of, status, progress, years_met",
    [
        (
            [(2015, 0.5), (2016, 1.6), (2017, 1.4), (2018, 1.8)],
            None,
            "achieved",
            2 / 3,
            (2016, 2018),
        ),
        ([(2016, 1.6), (2017, 1.4)], None, "off_track", 0.5, (2016,)),
        ([(2016, 1.6), (2017, 2.5)], 2031, "missed", 0.5, (2016,)),
        ([(2015, 1.6)], None, "no_data", None, ()),  # before the period: not counted
    ],
)
def test_standing_target(rows, as_of, status, progress, years_met):
    result = judge(STANDING, rows, as_of=as_of)
    assert result.status == status
    assert result.target_year == 2030
    assert result.projected_value is None
    assert result.years_met == years_met
    if progress is None:
        assert result.progress is None
    else:
        assert result.progress == pytest.approx(progress)


def test_cumulative_sums_from_its_first_year_with_a_zero_baseline():
    indicator = {
        "id": "firms",
        "kind": "cumulative",
        "cumulative_from": 2016,
        "targets": [{"year": 2020, "min": 20, "approx": True}],
    }
    plan = make_plan(indicator)
    table = make_figures(
        plan, [("firms", 2015, 7), ("firms", 2016, 2), ("firms", 2017, 3), ("firms", 2019, 4)]
    )
    series = effective_series(plan, table)
    assert list(series["year"]) == [2016, 2017, 2019]  # 2015 is before counting starts
    assert list(series["value"]) == [2, 5, 9]
    result = assess(plan, table, as_of=2019)[0]
    assert (result.baseline_year, result.baseline_value) == (2015, 0)
    assert result.progress == pytest.approx(9 / 20)
    # fit through (2015, 0), (2016, 2), (2017, 5), (2019, 9)
    assert result.projected_value == pytest.approx(
        least_squares_at([2015, 2016, 2017, 2019], [0, 2, 5, 9], 2020)
    )


def test_derived_values_only_where_every_input_exists_and_no_division_by_zero():
    plan = make_plan(
        {"id": "spend"},
        {"id": "budget"},
        {
            "id": "share",
            "unit": "%",
            "formula": "spend / budget * 100",
            "targets": [{"year": 2025, "min": 2}],
        },
    )
    table = make_figures(
        plan,
        [
            ("spend", 2016, 10),
            ("budget", 2016, 1000),
            ("spend", 2017, 12),  # no budget in 2017
            ("spend", 2018, 5),
            ("budget", 2018, 0),  # division by zero
            ("spend", 2019, 30),
            ("budget", 2019, 1500),
        ],
    )
    series = effective_series(plan, table)
    share = series[series["indicator"] == "share"]
    assert list(share["year"]) == [2016, 2019]
    assert list(share["value"]) == pytest.approx([1.0, 2.0])


def test_plan_baseline_ignores_earlier_figures_and_applies_to_the_plan_region_only():
    indicator = {
        "id": "orgs",
        "baseline": {"year": 2016, "value": 2},
        "targets": [{"year": 2020, "min": 6}],
    }
    plan = make_plan(indicator)
    table = make_figures(
        plan,
        [
            ("orgs", 2015, 9),
            ("orgs", 2018, 4),
            ("orgs", 2014, 1, "Lạng Sơn"),
            ("orgs", 2016, 2, "Lạng Sơn"),
            ("orgs", 2018, 5, "Lạng Sơn"),
        ],
    )
    home, other = assess(plan, table, as_of=2018)
    assert (home.region, home.baseline_year, home.baseline_value) == ("Bắc Kạn", 2016, 2)
    assert home.progress == pytest.approx(0.5)
    # Version 2: another region's baseline is its first figure in or after the plan's
    # baseline year (2015); the figure of 2014 is history.
    assert (other.region, other.baseline_year, other.baseline_value) == ("Lạng Sơn", 2016, 2)
    assert other.progress == pytest.approx(0.75)


def test_baseline_value_without_year_takes_the_plans_baseline_year():
    indicator = {"id": "orgs", "baseline": {"value": 2}, "targets": [{"year": 2020, "min": 4}]}
    result = judge(indicator, [(2017, 3)])
    assert (result.baseline_year, result.baseline_value) == (2015, 2)
    assert result.status == "on_track"  # (2015, 2) and (2017, 3) → 4.5 by 2020


def test_expected_is_the_share_of_time_elapsed_since_the_baseline():
    result = judge({**COUNT, "targets": [{"year": 2025, "min": 20}]}, [(2015, 0), (2019, 4)])
    assert result.expected == pytest.approx(0.4)


def test_target_year_passed_judges_the_figure_of_the_target_year_not_later_ones():
    result = judge(
        {**COUNT, "targets": [{"year": 2020, "min": 5}]}, [(2015, 1), (2019, 2), (2023, 9)]
    )
    assert (result.status, result.latest_year, result.latest_value) == ("missed", 2019, 2)


def test_regions_default_to_every_region_present_plan_region_first():
    plan = make_plan({**COUNT, "targets": [{"year": 2020, "min": 3}]})
    table = make_figures(
        plan, [("orgs", 2016, 1, "Thái Nguyên"), ("orgs", 2016, 2), ("orgs", 2016, 3, "Cao Bằng")]
    )
    assert [r.region for r in assess(plan, table)] == ["Bắc Kạn", "Cao Bằng", "Thái Nguyên"]


def test_no_figures_at_all_gives_no_data_for_the_plan_region():
    plan = make_plan({**COUNT, "targets": [{"year": 2020, "min": 3}]})
    rows = assess(plan, make_figures(plan, []))
    assert [(r.region, r.status) for r in rows] == [("Bắc Kạn", "no_data")]


def test_least_squares_is_the_ordinary_line():
    # mean (2016, 3), slope 5/2: at 2018, 3 + 2.5 * 2
    assert least_squares_at([2015, 2016, 2017], [1, 2, 6], 2018) == pytest.approx(8.0)
    assert math.isclose(least_squares_at([2000, 2010], [0, 10], 2020), 20)


def test_vectorised_rounding_is_pythons_round_to_the_last_bit():
    # assess() rounds whole arrays at once; it must agree with METHOD.md's round(x, 9) exactly,
    # ties and the values just beside them included.
    import random

    import numpy as np

    from kpis.progress import _round9

    rng = random.Random(9)
    values = [rng.uniform(-1e6, 1e6) for _ in range(20_000)]
    values += [rng.randint(-(10**6), 10**6) / 10**9 + 5e-10 for _ in range(2_000)]  # ties
    values += [v + d for v in values[-200:] for d in (-1e-18, 1e-18)]
    values += [
        0.0,
        -0.0,
        1e300,
        -1e300,
        2.0**53,
        0.1 + 0.2,
        19.000000000000004,
        7.885000000000001,
        float("inf"),
        float("-inf"),
    ]
    expected = [round(v, 9) for v in values]
    assert _round9(np.array(values)).tolist() == expected
    assert np.isnan(_round9(np.array([float("nan")]))[0])


# ---------------------------------------------------------------------------------------------
# Version 2: growth, period average, exclusive, clamping, the baseline year, estimates, rows

GROWTH = {"id": "rev", "targets": [{"from": 2020, "to": 2025, "min_growth": 10}]}
LEVEL = 100 * 1.1**5  # 161.051: the level ten per cent a year implies from 100 in 2020

# (case, indicator, figures (year, value), as_of, status, progress, projected,
#  latest (year, value), average growth so far in % a year)
GROWTH_CASES = [
    (
        "growth achieved: the level reached early",
        GROWTH,
        [(2019, 50), (2020, 100), (2023, 170)],
        None,
        "achieved",
        70 / (LEVEL - 100),
        100 + 70 / 3 * 5,
        (2023, 170),
        (1.7 ** (1 / 3) - 1) * 100,
    ),
    (
        "growth missed: the target year passed below the level",
        GROWTH,
        [(2020, 100), (2025, 150)],
        2026,
        "missed",
        50 / (LEVEL - 100),
        None,
        (2025, 150),
        (1.5**0.2 - 1) * 100,
    ),
    (
        "growth on track",
        GROWTH,
        [(2020, 100), (2022, 125)],
        None,
        "on_track",
        25 / (LEVEL - 100),
        162.5,
        (2022, 125),
        (1.25**0.5 - 1) * 100,
    ),
    (
        "growth needs acceleration",
        GROWTH,
        [(2020, 100), (2022, 121)],
        None,
        "needs_acceleration",
        21 / (LEVEL - 100),
        152.5,
        (2022, 121),
        10.0,
    ),
    (
        "growth off track",
        GROWTH,
        [(2020, 100), (2022, 105)],
        None,
        "off_track",
        5 / (LEVEL - 100),
        112.5,
        (2022, 105),
        (1.05**0.5 - 1) * 100,
    ),
    (
        "growth regressing",
        GROWTH,
        [(2020, 100), (2022, 90)],
        None,
        "regressing",
        -10 / (LEVEL - 100),
        75.0,
        (2022, 90),
        (0.9**0.5 - 1) * 100,
    ),
    (
        "growth: only the base year, a future target",
        GROWTH,
        [(2020, 100)],
        None,
        "insufficient_data",
        0.0,
        None,
        (2020, 100),
        None,
    ),
    (
        "growth: no value in the base year",
        GROWTH,
        [(2019, 90), (2021, 100), (2022, 120)],
        None,
        "insufficient_data",
        None,
        None,
        (2022, 120),
        None,
    ),
    (
        "growth from zero is undefined",
        GROWTH,
        [(2020, 0), (2022, 5)],
        None,
        "insufficient_data",
        None,
        None,
        (2022, 5),
        None,
    ),
    (
        "growth: nothing from the base year on",
        GROWTH,
        [(2018, 100), (2019, 110)],
        None,
        "no_data",
        None,
        None,
        (None, None),
        None,
    ),
    (
        "growth at most: a fall of at least ten per cent a year",
        {
            "id": "cost",
            "direction": "decrease",
            "targets": [{"from": 2020, "to": 2025, "max_growth": -10}],
        },
        [(2020, 100), (2023, 55)],
        None,
        "achieved",
        45 / (100 - 100 * 0.9**5),
        25.0,
        (2023, 55),
        (0.55 ** (1 / 3) - 1) * 100,
    ),
    (
        "growth more than zero: staying level is not growing",
        {"id": "rev", "targets": [{"from": 2020, "to": 2022, "min_growth": 0, "exclusive": True}]},
        [(2020, 100), (2022, 100)],
        None,
        "missed",
        0.0,
        None,
        (2022, 100),
        0.0,
    ),
    (
        "growth projection clamped into the range",
        {"id": "share", "unit": "%", "targets": [{"from": 2020, "to": 2030, "min_growth": 10}]},
        [(2020, 40), (2022, 60)],
        None,
        "needs_acceleration",  # the level (103.75) lies beyond 100: never quite reached
        20 / (40 * 1.1**10 - 40),
        100.0,  # the line reaches 140 in 2030; a share cannot pass 100
        (2022, 60),
        (1.5**0.5 - 1) * 100,
    ),
]


@pytest.mark.parametrize(
    "case, indicator, rows, as_of, status, progress, projected, latest, growth",
    GROWTH_CASES,
    ids=[c[0] for c in GROWTH_CASES],
)
def test_growth_targets(case, indicator, rows, as_of, status, progress, projected, latest, growth):
    result = judge(indicator, rows, as_of=as_of)
    assert result.status == status
    assert (result.latest_year, result.latest_value) == latest
    assert result.baseline_year == 2020
    for got, expected in [
        (result.progress, progress),
        (result.projected_value, projected),
        (result.average_growth, growth),
    ]:
        assert got == (None if expected is None else pytest.approx(expected))
    if status not in ("insufficient_data", "no_data"):
        target = indicator["targets"][0]
        rate = target.get("min_growth", target.get("max_growth"))
        level = result.baseline_value * (1 + rate / 100) ** (target["to"] - target["from"])
        assert result.goal == pytest.approx(level)


def test_growth_ignores_the_plan_baseline():
    indicator = {**GROWTH, "baseline": {"year": 2015, "value": 10}}
    result = judge(indicator, [(2020, 100), (2023, 170)])
    assert (result.baseline_year, result.baseline_value, result.status) == (2020, 100, "achieved")


def test_a_growth_level_beyond_the_float_range_is_inf_not_an_overflow_error():
    # The plan bounds the rate (kpis.plan.MAX_GROWTH_RATE); a target built past that bound
    # still never raises.
    far = Target.model_construct(from_=2020, to=2030, min_growth=1e40)
    assert growth_level(far, 100.0) == math.inf
    steep = {"id": "rev", "value_range": [None, None], "targets": [{"from": 1995, "to": 2100}]}
    rows = [(1995, 1e200), (1996, 2e200)]  # 1e200 × 11^105 is beyond any float
    at_least = judge({**steep, "targets": [{**steep["targets"][0], "min_growth": 1000}]}, rows)
    at_most = judge({**steep, "targets": [{**steep["targets"][0], "max_growth": 1000}]}, rows)
    assert (at_least.status, at_least.progress) == ("off_track", 0.0)  # out of reach
    assert at_most.status == "achieved"


# Figures as large as a float holds (validate accepts any finite number): differences, sums
# and projections of them pass the float range.
EXTREMES = [
    {"id": "a", "targets": [{"year": 2100, "min": 1}, {"year": 2100, "min": 1.7e308}]},
    {
        "id": "b",
        "value_range": [None, None],
        "targets": [
            {"year": 2100, "min": 1},
            {"from": 1996, "to": 2100, "mean_min": 1},
            {"from": 1995, "to": 2100, "min_growth": 1000},
        ],
    },
    {
        "id": "c",
        "kind": "cumulative",
        "cumulative_from": 1995,
        "targets": [{"year": 2100, "min": 1}],
    },
]
EXTREME_FIGURES = [
    ("a", 1995, 1e300),
    ("a", 1996, 1.7e308),
    ("b", 1995, -1.7e308),
    ("b", 1996, 1.7e308),
    ("b", 1997, 1.7e308),
    ("c", 1995, 1.7e308),
    ("c", 1996, 1.7e308),
]


def test_numbers_beyond_the_float_range_are_not_defined_never_inf_nor_a_warning():
    plan = make_plan(*EXTREMES, baseline_year=1995)
    table = make_figures(plan, EXTREME_FIGURES)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's "overflow encountered" is an error here
        fast = assess(plan, table)
        by_key = series_by_key(effective_series(plan, table))
        slow = [
            assess_target(plan, ind, k, "Bắc Kạn", by_key.get(("Bắc Kạn", ind.id)), 1997)
            for ind, k, _ in plan.targeted()
        ]
    assert [astuple(a) for a in fast] == [astuple(a) for a in slow]
    numbers = [
        value
        for a in fast
        for value in astuple(a)
        if isinstance(value, float) and not isinstance(value, bool)
    ]
    assert all(math.isfinite(value) for value in numbers), fast
    a_min, a_huge, b_min, b_mean, b_growth, c_min = fast
    # the trend passes the float range: no projection shown, the status still its own
    assert a_min.projected_value is None and a_min.status == "achieved"
    assert (a_huge.projected_value, a_huge.projected_progress) == (None, None)
    # 1.7e308 − (−1.7e308) is beyond a float: progress not defined
    assert (b_min.status, b_min.progress, b_min.projected_value) == ("achieved", None, None)
    assert b_mean.mean == pytest.approx(1.7e308)  # math.fsum overflowed: an OverflowError
    assert b_growth.status == "insufficient_data"  # growth from below zero
    # a cumulative sum beyond the float range is no value: 1995's sum is the latest
    assert (c_min.latest_year, c_min.latest_value) == (1995, 1.7e308)


PERIOD = {
    "id": "grdp",
    "unit": "%",
    "value_range": [None, None],
    "targets": [{"from": 2021, "to": 2025, "mean_min": 8, "mean_max": 10}],
}

# (case, indicator, figures, as_of, status, progress, mean, years met)
PERIOD_CASES = [
    (
        "period average achieved",
        PERIOD,
        [(2020, 3), (2021, 8), (2022, 9), (2023, 10), (2024, 9), (2025, 8)],
        None,
        "achieved",
        1.0,
        8.8,
        (2021, 2022, 2023, 2024, 2025),
    ),
    (
        "period average missed",
        PERIOD,
        [(2021, 5), (2022, 6), (2023, 7), (2024, 8), (2025, 9)],
        None,
        "missed",
        0.4,
        7.0,
        (2024, 2025),
    ),
    (
        "period average on track before the period ends",
        PERIOD,
        [(2021, 9), (2022, 7), (2023, 10)],
        None,
        "on_track",
        2 / 3,
        26 / 3,
        (2021, 2023),
    ),
    (
        "period average off track",
        PERIOD,
        [(2021, 5), (2022, -6)],
        None,
        "off_track",
        0.0,
        -0.5,
        (),
    ),
    (
        "period average: no figure in the period",
        PERIOD,
        [(2019, 9), (2020, 9)],
        None,
        "no_data",
        None,
        None,
        (),
    ),
    (
        "period average more than 8: exactly 8 is not",
        {**PERIOD, "targets": [{"from": 2021, "to": 2022, "mean_min": 8, "exclusive": True}]},
        [(2021, 7), (2022, 9)],
        None,
        "missed",
        0.5,
        8.0,
        (2022,),
    ),
    (
        "period average at most",
        {**PERIOD, "targets": [{"from": 2021, "to": 2030, "mean_max": 2}]},
        [(2021, 1), (2022, 2.5)],
        2031,
        "achieved",
        0.5,
        1.75,
        (2021,),
    ),
]


@pytest.mark.parametrize(
    "case, indicator, rows, as_of, status, progress, mean, years_met",
    PERIOD_CASES,
    ids=[c[0] for c in PERIOD_CASES],
)
def test_period_average_targets(case, indicator, rows, as_of, status, progress, mean, years_met):
    result = judge(indicator, rows, as_of=as_of)
    assert result.status == status
    assert result.projected_value is None
    assert result.years_met == years_met
    assert result.progress == (None if progress is None else pytest.approx(progress))
    assert result.mean == (None if mean is None else pytest.approx(mean))
    if status != "no_data":
        in_period = [
            r
            for r in rows
            if r[0] >= 2021 and r[0] <= min(as_of or 9999, indicator["targets"][0]["to"])
        ]
        assert (result.latest_year, result.latest_value) == in_period[-1]


def test_every_status_of_the_new_forms_is_reachable():
    growth = {judge(c[1], c[2], as_of=c[3]).status for c in GROWTH_CASES}
    period = {judge(c[1], c[2], as_of=c[3]).status for c in PERIOD_CASES}
    assert growth == {
        "achieved",
        "missed",
        "on_track",
        "needs_acceleration",
        "off_track",
        "regressing",
        "insufficient_data",
        "no_data",
    }
    assert period == {"achieved", "missed", "on_track", "off_track", "no_data"}
    exclusive = {judge(c[1], c[2], as_of=c[3]).status for c in EXCLUSIVE_CASES}
    assert exclusive == {"achieved", "missed", "on_track", "off_track", "no_data"}


SHARE = {"id": "share", "unit": "%"}

# (case, indicator, figures, as_of, status)
EXCLUSIVE_CASES = [
    (
        "more than 80: 80 is not",
        {**SHARE, "targets": [{"year": 2020, "min": 80, "exclusive": True}]},
        [(2015, 50), (2020, 80)],
        None,
        "missed",
    ),
    (
        "more than 80: 80.5 is",
        {**SHARE, "targets": [{"year": 2020, "min": 80, "exclusive": True}]},
        [(2015, 50), (2020, 80.5)],
        None,
        "achieved",
    ),
    (
        "less than 5: 5 is not",
        {
            **SHARE,
            "direction": "decrease",
            "targets": [{"year": 2020, "max": 5, "exclusive": True}],
        },
        [(2015, 9), (2020, 5)],
        None,
        "missed",
    ),
    (
        "less than 5: 4.9 is",
        {
            **SHARE,
            "direction": "decrease",
            "targets": [{"year": 2020, "max": 5, "exclusive": True}],
        },
        [(2015, 9), (2020, 4.9)],
        None,
        "achieved",
    ),
    (
        "more than 80, on the way",
        {**SHARE, "targets": [{"year": 2025, "min": 80, "exclusive": True}]},
        [(2015, 50), (2020, 70)],
        None,
        "on_track",
    ),
    (
        "standing: more than 1 every year",
        {**SHARE, "targets": [{"from": 2016, "to": 2030, "min": 1, "exclusive": True}]},
        [(2016, 1.2), (2017, 1)],
        None,
        "off_track",
    ),
    (
        "standing: none yet",
        {**SHARE, "targets": [{"from": 2016, "to": 2030, "min": 1, "exclusive": True}]},
        [(2015, 1.2)],
        None,
        "no_data",
    ),
]


@pytest.mark.parametrize(
    "case, indicator, rows, as_of, status", EXCLUSIVE_CASES, ids=[c[0] for c in EXCLUSIVE_CASES]
)
def test_exclusive_targets(case, indicator, rows, as_of, status):
    assert judge(indicator, rows, as_of=as_of).status == status


@pytest.mark.parametrize(
    "indicator, rows, projected",
    [
        ({**SHARE, "targets": [{"year": 2030, "min": 90}]}, [(2015, 50), (2020, 80)], 100.0),
        (
            {**COUNT, "direction": "decrease", "targets": [{"year": 2030, "max": 1}]},
            [(2015, 10), (2020, 5)],
            0.0,
        ),
        (
            {
                "id": "rank",
                "direction": "decrease",
                "value_range": [1, None],
                "targets": [{"year": 2030, "max": 5}],
            },
            [(2015, 20), (2020, 10)],
            1.0,
        ),
        (
            {
                "id": "tfp",
                "unit": "%",
                "value_range": [None, None],
                "targets": [{"year": 2030, "min": 50}],
            },
            [(2015, -10), (2020, 40)],
            140.0,
        ),
    ],
)
def test_projections_are_clamped_into_the_range(indicator, rows, projected):
    result = judge(indicator, rows)
    assert result.projected_value == projected


def test_figures_before_the_plan_baseline_year_are_history():
    result = judge(
        {**COUNT, "targets": [{"year": 2025, "min": 20}]}, [(2010, 0), (2016, 4), (2020, 12)]
    )
    assert (result.baseline_year, result.baseline_value) == (2016, 4)
    assert result.progress == pytest.approx(0.5)
    assert judge({**COUNT, "targets": [{"year": 2025, "min": 20}]}, [(2012, 3)]).status == "no_data"


def estimate_table(plan, rows):
    """Figures with an estimate column: (indicator, year, value, estimate mark)."""
    text = "indicator,year,value,ước tính\n" + "".join(f"{i},{y},{v},{e}\n" for i, y, v, e in rows)
    table, problems = parse_figures_bytes(text.encode(), "e.csv", plan)
    assert [p for p in problems if p.is_error] == []
    return table


def test_latest_is_estimate_follows_the_figures_behind_the_latest_value():
    plan = make_plan(
        {"id": "a", "targets": [{"year": 2030, "min": 9}]},
        {"id": "b", "targets": [{"year": 2030, "min": 9}]},
        {"id": "ratio", "formula": "a / b", "targets": [{"year": 2030, "min": 9}]},
        {
            "id": "total",
            "kind": "cumulative",
            "cumulative_from": 2016,
            "targets": [{"year": 2030, "min": 9}],
        },
    )
    table = estimate_table(
        plan,
        [
            ("a", 2020, 1, ""),
            ("a", 2021, 2, "x"),
            ("b", 2020, 1, ""),
            ("b", 2021, 2, ""),
            ("total", 2017, 1, "ước"),
            ("total", 2018, 1, ""),
        ],
    )
    flags = {r.indicator: r.latest_is_estimate for r in assess(plan, table)}
    assert flags == {"a": True, "b": False, "ratio": True, "total": True}
    series = effective_series(plan, table)
    ratio = series[series["indicator"] == "ratio"]
    assert ratio["estimate"].tolist() == [False, True]


MERGED = dict(
    region="Thái Nguyên",
    regions=[
        {"name": "Thái Nguyên"},
        {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"},
    ],
)


def test_a_region_that_ceased_gets_no_row_for_later_targets():
    plan = make_plan(
        {
            "id": "orgs",
            "targets": [
                {"year": 2025, "min": 3},
                {"year": 2030, "min": 5},
                {"from": 2021, "to": 2030, "mean_min": 1},
            ],
        },
        **MERGED,
    )
    table = make_figures(
        plan, [("orgs", 2020, 1, "Bắc Kạn"), ("orgs", 2024, 2, "Bắc Kạn"), ("orgs", 2026, 4)]
    )
    rows = [(r.region, r.target_year) for r in assess(plan, table)]
    assert rows == [
        ("Thái Nguyên", 2025),
        ("Thái Nguyên", 2030),
        ("Thái Nguyên", 2030),
        ("Bắc Kạn", 2025),
    ]
    # Nothing of Bắc Kạn is carried into Thái Nguyên: each region judged on its own figures.
    home = assess(plan, table)[0]
    assert (home.status, home.latest_year) == ("no_data", None)


def test_a_subset_of_targets_or_a_coded_series_judges_the_same(repo_root):
    """/compare judges one target for every region, or every target for a page of regions,
    on a series coded once (`code_series`): each cell as the whole plan's judgement has it."""
    from kpis.dataset import load_dataset
    from kpis.progress import code_series

    for plan_file, data in (
        ("targets.yaml", "data"),
        ("plans/thai-nguyen-57-2025.yaml", "data"),
    ):
        dataset = load_dataset(repo_root / plan_file, repo_root / data)
        plan, table = dataset.plan, dataset.figures.table
        series = effective_series(plan, table)
        coded = code_series(series)
        for as_of in (2018, 2024):
            whole = assess(plan, table, as_of=as_of, series=series)
            assert assess(plan, table, as_of=as_of, coded=coded) == whole
            for indicator, position, _ in plan.targeted():
                only = {(indicator.id, position)}
                alone = assess(plan, table, as_of=as_of, coded=coded, targets=only)
                assert alone and alone == [
                    row
                    for row in whole
                    if (row.indicator, row.target_index) == (indicator.id, position)
                ]


def test_the_fields_asked_for_are_the_whole_judgements_own(repo_root):
    """`python -m kpis status` asks only for the fields it writes: each is the column the
    whole judgement has, and no other is made."""
    from kpis.dataset import load_dataset
    from kpis.progress import ASSESSMENT_FIELDS, assess_coded, code_figures

    for plan_file in ("targets.yaml", "plans/thai-nguyen-57-2025.yaml"):
        dataset = load_dataset(repo_root / plan_file, repo_root / "data")
        coded = code_figures(dataset.plan, dataset.figures.table)
        for as_of in (2018, 2024):
            whole = assess_coded(dataset.plan, coded, as_of)
            assert list(whole) == list(ASSESSMENT_FIELDS)
            for fields in (["status", "progress"], ["baseline_value", "years_met", "region"]):
                asked = assess_coded(dataset.plan, coded, as_of, fields=fields)
                assert list(asked) == [f for f in ASSESSMENT_FIELDS if f in fields]
                assert asked == {name: whole[name] for name in fields}


def test_the_numbers_as_arrays_are_the_lists_numbers(repo_root):
    """The status table asks for its numbers as arrays: each is the list's number, NaN where
    the list has None; the estimate flags True where the list's are; its region, indicator,
    target year and status as categoricals of the list's values; every other field the list
    itself."""
    from kpis.dataset import load_dataset
    from kpis.progress import (
        CODED_FIELDS,
        CSV_COLUMNS,
        NUMBER_ARRAY_FIELDS,
        assess_coded,
        code_figures,
    )

    fields = [*CSV_COLUMNS, "latest_is_estimate"]
    for plan_file in ("targets.yaml", "plans/thai-nguyen-57-2025.yaml"):
        dataset = load_dataset(repo_root / plan_file, repo_root / "data")
        coded = code_figures(dataset.plan, dataset.figures.table)
        for as_of in (2018, 2024, 2030):
            lists = assess_coded(dataset.plan, coded, as_of, fields=fields)
            arrays = assess_coded(dataset.plan, coded, as_of, fields=fields, number_arrays=True)
            assert list(arrays) == list(lists)
            for name in NUMBER_ARRAY_FIELDS:
                assert arrays[name].dtype == np.float64, name
                expected = [math.nan if value is None else value for value in lists[name]]
                np.testing.assert_array_equal(arrays[name], np.array(expected), err_msg=name)
            assert arrays["latest_is_estimate"].dtype == bool
            assert arrays["latest_is_estimate"].tolist() == [
                value is True for value in lists["latest_is_estimate"]
            ]
            # (what the comparison covers: a cell without figures, hence None and NaN)
            assert None in lists["latest_is_estimate"] and None in lists["latest_year"]
            for name in CODED_FIELDS:  # each row's value; the categories those taken, once
                assert isinstance(arrays[name], pd.Categorical), name
                assert list(arrays[name]) == lists[name], name
                categories = arrays[name].categories.tolist()
                assert len(categories) == len(set(lists[name])) == len(set(categories)), name
            others = set(fields) - {*NUMBER_ARRAY_FIELDS, *CODED_FIELDS, "latest_is_estimate"}
            assert {name: arrays[name] for name in others} == {n: lists[n] for n in others}


def test_every_judged_value_is_pythons_own(repo_root):
    """The columns hold Python's numbers, words and None, not numpy's: json writes them, and a
    page compares them with ==."""
    from kpis.dataset import load_dataset
    from kpis.progress import assess_columns

    allowed = {str, int, float, bool, tuple, type(None)}
    for plan_file in ("targets.yaml", "plans/thai-nguyen-57-2025.yaml"):
        dataset = load_dataset(repo_root / plan_file, repo_root / "data")
        for as_of in (2018, 2024, None):
            columns = assess_columns(dataset.plan, dataset.figures.table, as_of)
            for name, values in columns.items():
                assert {type(value) for value in values} <= allowed, name
            rows = assess(dataset.plan, dataset.figures.table, as_of)
            assert {type(getattr(row, name)) for row in rows for name in columns} <= allowed


@pytest.mark.parametrize("seed", range(48))
def test_figures_are_put_in_the_order_of_their_indicator_region_and_year(seed):
    """Whatever the rows' order and density: keys in order kept so, distinct keys in no order
    placed in their slots, long runs, a key given twice or keys too sparse for slots sorted;
    always the three columns' stable sort."""
    rng = np.random.default_rng(seed)
    indicators, regions, years = (int(rng.integers(1, n)) for n in (30, 60, 40))
    every = np.arange(indicators * regions * years)
    # dense (every key once), sparse (few of the possible keys), or with repeated keys
    rows = {
        0: every,
        1: rng.choice(every, size=max(1, len(every) // 50), replace=False),
        2: rng.choice(every, size=len(every), replace=True),
    }[seed % 3]
    # in order, in no order, in one sorted run a year (a national set's year files), or in
    # two sorted runs
    in_order = np.sort(rows)
    rows = [
        in_order,
        rng.permutation(rows),
        in_order[np.argsort(in_order % years, kind="stable")],
        np.roll(in_order, len(rows) // 3 + 1),
    ][seed // 3 % 4]
    ind, rest = np.divmod(rows, regions * years)
    reg, year = np.divmod(rest, years)
    year = year + 1990
    expected = np.lexsort((year, reg, ind))
    order = _order(ind, reg, year, regions + int(rng.integers(0, 3)))
    assert np.array_equal(order.rows, expected)
    # the columns read back from the slots' keys are the columns in that order, and so are
    # those of some rows alone
    kept = rng.random(len(rows)) < 0.7
    alone = _order(ind, reg, year, regions + int(rng.integers(0, 3)), kept)  # (put alone)
    some = expected[kept[expected]]
    for sorting, rows_kept in ((order, expected), (order.of_rows(kept), some), (alone, some)):
        assert np.array_equal(sorting.rows, rows_kept)
        if sorting.keys is not None:
            for got, column in zip(sorting.columns(), (ind, reg, year), strict=True):
                assert got.dtype == np.int64 and np.array_equal(got, column[rows_kept])
    if seed % 3 == 0 and seed // 3 % 4 == 1:  # (what the comparison covers: the slots)
        assert order.keys is not None


@pytest.mark.parametrize("seed", range(24))
def test_a_derived_indicators_keys_are_found_as_numpys_set_functions_find_them(seed):
    """The keys a derived indicator's inputs share, found from sorted keys without sorting
    again: `np.unique` and `np.intersect1d`'s answers, with repeated, missing and no keys."""
    from kpis.progress import _common_sorted, _distinct_sorted

    rng = np.random.default_rng(seed)
    size = int(rng.integers(0, 6)) ** 3
    keys = np.sort(rng.integers(0, max(size, 1) * 2, size=size))
    assert np.array_equal(_distinct_sorted(keys), np.unique(keys))
    other = np.sort(rng.integers(0, max(size, 1) * 2, size=int(rng.integers(0, 200))))
    distinct = np.unique(other)
    assert np.array_equal(_common_sorted(distinct, keys), np.intersect1d(distinct, keys))


@pytest.fixture
def in_halves(monkeypatch):
    """National scale on any table and any machine: `region_parts` splits whatever it is given."""
    from kpis import cores

    monkeypatch.setattr(cores, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)


def assert_same_columns(parts: dict, whole: dict) -> None:
    assert list(parts) == list(whole)
    for name, column in whole.items():
        joined = parts[name]
        assert type(joined) is type(column), name
        if isinstance(column, np.ndarray):
            assert joined.dtype == column.dtype, name
            np.testing.assert_array_equal(joined, column, err_msg=name)
        else:  # a list, or a categorical of the values the list would hold
            assert list(joined) == list(column), name


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("number_arrays", [False, True])
def test_the_regions_judged_in_two_halves_are_the_wholes_judgement(
    tmp_path, in_halves, seed, number_arrays
):
    """At national scale `python -m kpis status` codes and judges two halves of the regions one
    a core: the halves' rows, one after the other, are the whole judgement's, field for field
    (the plan's own region first, each region's figures judged alone: its cumulative sums,
    derived values, estimates, the targets of every form)."""
    from kpis.figures import read_figures
    from kpis.plan import load_plan
    from kpis.progress import CSV_COLUMNS, assess_coded, assess_parts, code_figures, region_parts

    plan = load_plan(many_regions(tmp_path, seed))[0]
    figures = read_figures(tmp_path / "data", plan, sources=False)
    assert [p for p in figures.problems if p.is_error] == [] and figures.keys is not None
    table = figures.table[["year", "value", "estimate"]]
    fields = [*CSV_COLUMNS, "latest_is_estimate"] if number_arrays else None
    for as_of in (2018, 2024, 2026):
        whole = assess_coded(
            plan,
            code_figures(plan, figures.table, figures.keys),
            as_of,
            fields=fields,
            number_arrays=number_arrays,
        )
        statuses = set(whole["status"])
        assert {"achieved", "no_data"} < statuses and len(statuses) >= 4
        parts = region_parts(plan, table, figures.keys)
        halves = [part.regions for part in parts]
        assert [len(half) for half in halves] == [4, 5] and halves[0][0] == "Thái Nguyên"
        assert [*halves[0], *halves[1]] == list(dict.fromkeys(whole["region"]))
        judged = assess_parts(plan, parts, as_of, fields, number_arrays=number_arrays)
        assert parts == []  # each half's figures let go once coded
        assert_same_columns(judged, whole)


def test_one_part_below_national_scale_or_for_the_regions_asked_for(repo_root):
    """A province's figures, or the regions `--region` asks for, are judged whole, as they
    are: nothing is copied."""
    from kpis.dataset import load_dataset
    from kpis.progress import region_parts

    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data", sources=False)
    table, keys = dataset.figures.table, dataset.figures.keys
    assert len(table) < 200_000
    (whole,) = region_parts(dataset.plan, table, keys)
    assert whole.regions is None and whole.table is table and whole.keys is keys
    (asked,) = region_parts(dataset.plan, table, keys, ["Bắc Kạn"])
    assert asked.regions == ["Bắc Kạn"] and asked.table is table
