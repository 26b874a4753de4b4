"""The method of METHOD.md, in parameter tables: every status, the thresholds, the rules."""

from __future__ import annotations

import math

import pytest

from kpis.progress import Assessment, _pace, assess, effective_series, least_squares_at
from tests.helpers import make_figures, make_plan


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
            ("orgs", 2018, 5, "Lạng Sơn"),
        ],
    )
    home, other = assess(plan, table, as_of=2018)
    assert (home.region, home.baseline_year, home.baseline_value) == ("Bắc Kạn", 2016, 2)
    assert home.progress == pytest.approx(0.5)
    assert (other.region, other.baseline_year, other.baseline_value) == ("Lạng Sơn", 2014, 1)
    assert other.progress == pytest.approx(0.8)


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
