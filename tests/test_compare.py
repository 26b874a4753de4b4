"""Regions side by side (kpis/compare.py): ranking, status matrix, totals."""

from __future__ import annotations

import pandas as pd
import pytest

from kpis.compare import (
    ranking,
    read_down,
    sources_by_region,
    status_cells,
    status_matrix,
    summable,
    total,
)
from kpis.progress import assess, assessments_frame, effective_series, regions_of
from tests.helpers import make_figures, make_plan

PLAN = make_plan(
    {
        "id": "orgs",
        "integer": True,
        "targets": [{"year": 2020, "min": 10}, {"year": 2030, "min": 20}],
    },
    {"id": "spend", "unit": "triệu đồng", "kind": "flow"},
    {"id": "share", "unit": "%", "targets": [{"year": 2030, "min": 2}]},
    {"id": "lab", "unit": "hoàn thành", "kind": "milestone", "targets": [{"year": 2030, "min": 1}]},
    {"id": "waste", "direction": "decrease"},
    {"id": "firms", "kind": "cumulative", "cumulative_from": 2016},
    {"id": "per_firm", "formula": "spend / orgs"},
    {"id": "both", "formula": "spend + orgs"},
)
ROWS = [
    # orgs: A meets 2020 (10); B halfway (5 of 10); C and D tie (2); E has no orgs at all
    ("orgs", 2015, 0, "A"),
    ("orgs", 2020, 10, "A"),
    ("orgs", 2015, 0, "B"),
    ("orgs", 2020, 5, "B"),
    ("orgs", 2015, 0, "C"),
    ("orgs", 2020, 2, "C"),
    ("orgs", 2015, 0, "D"),
    ("orgs", 2020, 2, "D"),
    ("spend", 2020, 100, "A"),
    ("spend", 2020, 50.5, "B"),
    ("spend", 2019, 70, "C"),
    ("waste", 2020, 5, "A"),
    ("waste", 2020, 3, "B"),
    ("waste", 2018, 1, "E"),
    ("lab", 2020, 1, "E"),
]


@pytest.fixture(scope="module")
def judged():
    table = make_figures(PLAN, ROWS)
    series = effective_series(PLAN, table)
    regions = regions_of(PLAN, table)
    frame = assessments_frame(assess(PLAN, table, as_of=2020, regions=regions, series=series))
    return frame, series, regions


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        ("orgs", True),  # a count (stock)
        ("spend", True),  # money (flow)
        ("firms", True),  # cumulative count
        ("share", False),  # a share: adding percentages means nothing
        ("lab", False),  # a milestone is 0/1 per region
        ("per_firm", False),  # a derived ratio
        ("both", True),  # a derived sum of counts and money
    ],
)
def test_what_adds_up(indicator, expected):
    assert summable(PLAN.indicator(indicator)) is expected


def test_ranking_by_progress_ties_share_a_rank_no_data_last(judged):
    frame, series, regions = judged
    ranked = ranking(PLAN, "orgs", 1, frame, series, 2020, regions)
    assert ranked[["rank", "region", "status"]].astype(object).values.tolist() == [
        [1, "A", "achieved"],
        [2, "B", "missed"],
        [3, "C", "missed"],
        [3, "D", "missed"],
        [pd.NA, "E", "no_data"],
    ]
    assert ranked["progress"].tolist()[:4] == [1.0, 0.5, 0.2, 0.2]


def test_ranking_of_a_later_target_uses_its_own_status(judged):
    frame, series, regions = judged
    ranked = ranking(PLAN, "orgs", 2, frame, series, 2020, regions)
    assert ranked["region"].tolist()[:2] == ["A", "B"]
    assert ranked.loc[0, "status"] == "on_track"  # 0 → 10 in 5 years reaches 30 by 2030
    assert ranked.loc[0, "goal"] == 20


def test_tracked_indicator_ranked_by_latest_value_without_status(judged):
    frame, series, regions = judged
    ranked = ranking(PLAN, "spend", None, frame, series, 2020, regions)
    assert ranked[["rank", "region", "latest_year", "latest_value"]].head(3).astype(
        object
    ).values.tolist() == [[1, "A", 2020, 100.0], [2, "C", 2019, 70.0], [3, "B", 2020, 50.5]]
    assert ranked["region"].tolist()[3:] == ["D", "E"]  # no figure: last, unranked
    assert ranked["rank"].isna().tolist()[3:] == [True, True]
    assert ranked["latest_value"].isna().tolist()[3:] == [True, True]
    assert ranked["status"].isna().all()


def test_decrease_indicator_ranks_the_lowest_first(judged):
    frame, series, regions = judged
    ranked = ranking(PLAN, "waste", None, frame, series, 2020, regions)
    assert ranked["region"].tolist()[:3] == ["E", "B", "A"]
    assert ranked["rank"].tolist()[:3] == [1, 2, 3]


def test_as_of_hides_later_figures(judged):
    frame, series, regions = judged
    ranked = ranking(PLAN, "spend", None, frame, series, 2019, regions)
    assert ranked["region"].tolist()[0] == "C"
    assert ranked["latest_value"].notna().sum() == 1


def test_status_matrix_one_row_per_region_one_column_per_target(judged):
    frame, series, regions = judged
    matrix = status_matrix(PLAN, frame, regions)
    assert list(matrix.index) == ["A", "B", "C", "D", "E"]
    assert list(matrix.columns) == [("orgs", 1), ("orgs", 2), ("share", 1), ("lab", 1)]
    assert matrix.loc["A", ("orgs", 1)] == "achieved"
    assert matrix.loc["E", ("lab", 1)] == "achieved"
    assert matrix.loc["E", ("orgs", 2)] == "no_data"


@pytest.mark.parametrize(
    ("regions", "turned"),
    [(["A"], True), (["A", "B", "C"], True), (["A", "B", "C", "D"], False)],
)
def test_a_few_regions_are_read_down_a_target_a_row(judged, regions, turned):
    # Four targets: one to three regions fit a phone as columns beside the targets' names;
    # four regions stay a row each (as many as targets: nothing gained by turning).
    frame, _, _ = judged
    cells, statuses = status_cells(PLAN, status_matrix(PLAN, frame, regions), "vi", "Đã đạt")
    shown, colours, was_turned = read_down(cells, statuses)
    assert was_turned == turned
    if turned:
        assert list(shown.columns) == regions
        assert shown.index[0] == "Đã đạt" and len(shown.index) == 5
        assert shown.loc["Đã đạt", "A"] == cells.loc["A", "Đã đạt"]
        assert colours.shape == shown.shape
        assert colours.T.to_numpy().tolist() == statuses.to_numpy().tolist()
        assert list(colours.index) == list(shown.index)
    else:
        assert shown is cells and colours is statuses


def test_total_adds_only_the_regions_that_reported_that_year(judged):
    _, series, regions = judged
    result = total(PLAN, "spend", series, 2020, regions)
    assert (result.value, result.regions_counted, result.regions_total) == (150.5, 2, 5)
    assert total(PLAN, "spend", series, 2019, regions).value == 70
    assert total(PLAN, "spend", series, 2017, regions) is None  # nobody reported


@pytest.mark.parametrize("indicator", ["share", "lab", "per_firm"])
def test_no_total_where_a_sum_means_nothing(judged, indicator):
    _, series, regions = judged
    assert total(PLAN, indicator, series, 2020, regions) is None


def test_old_and_new_provinces_stay_apart():
    """Bắc Kạn until 2024, Thái Nguyên (merged) from 2025: two regions, no bridged figures."""
    plan = make_plan({"id": "spend", "unit": "triệu đồng", "kind": "flow"})
    table = make_figures(
        plan,
        [
            ("spend", 2024, 10, "Bắc Kạn"),
            ("spend", 2025, 30, "Thái Nguyên"),
            ("spend", 2024, 20, "Thái Nguyên"),
        ],
    )
    series = effective_series(plan, table)
    regions = regions_of(plan, table)
    assert regions == ["Bắc Kạn", "Thái Nguyên"]
    assert total(plan, "spend", series, 2025, regions).regions_counted == 1
    assert total(plan, "spend", series, 2025, regions).value == 30
    ranked = ranking(plan, "spend", None, pd.DataFrame(), series, 2025, regions)
    assert ranked[["region", "latest_year"]].values.tolist() == [
        ["Thái Nguyên", 2025],
        ["Bắc Kạn", 2024],
    ]


def test_an_achieved_target_outranks_more_progress_short_of_it():
    """From a baseline already beyond the goal, achieving shows little 'progress'."""
    plan = make_plan({"id": "orgs", "targets": [{"year": 2020, "min": 10}]})
    table = make_figures(
        plan,
        [
            ("orgs", 2015, 20, "Over"),
            ("orgs", 2020, 15, "Over"),
            ("orgs", 2015, 0, "Behind"),
            ("orgs", 2020, 9, "Behind"),
        ],
    )
    series = effective_series(plan, table)
    frame = assessments_frame(assess(plan, table, regions=["Over", "Behind"], series=series))
    ranked = ranking(plan, "orgs", 1, frame, series, 2020, ["Over", "Behind"])
    assert ranked[["rank", "region", "status"]].astype(object).values.tolist() == [
        [1, "Over", "achieved"],
        [2, "Behind", "missed"],
    ]
    assert ranked["progress"].tolist() == [0.5, 0.9]


def test_the_matrix_from_columns_is_the_matrix_from_a_table(judged):
    from kpis.progress import assess_columns

    frame, series, regions = judged
    table = make_figures(PLAN, ROWS)
    columns = assess_columns(PLAN, table, 2020, regions, series)
    assert status_matrix(PLAN, columns, regions).equals(status_matrix(PLAN, frame, regions))
    assert status_matrix(PLAN, columns, ["E", "A"]).index.tolist() == ["E", "A"]


def test_sources_by_region_reads_each_regions_own_year():
    table = make_figures(PLAN, ROWS)
    table.loc[table["indicator"] == "spend", "source"] = ["Sở Tài chính", "Cục Thống kê", "Sở"]
    found = sources_by_region(table, ["spend", "orgs"], {"A": 2020, "C": 2019, "E": 2020})
    assert found["C"] == ["Sở"] and found["E"] == []
    assert "Sở Tài chính" in found["A"]


MERGED = make_plan(
    {"id": "share", "unit": "%", "targets": [{"year": 2024, "min": 50}, {"year": 2025, "min": 80}]},
    {"id": "pii"},  # tracked: Bắc Kạn's only figures in the first case
    regions=[
        {"name": "Thái Nguyên"},
        {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"},
    ],
    region="Thái Nguyên",
    baseline_year=2023,
)


@pytest.mark.parametrize(
    "bac_kan, cells, count",
    [
        # no figure: 2024 (it still existed) has no data; 2025, its last year, does not apply
        # and is not counted: «0/1», not «0/2»
        ([("pii", 2023, 40, "Bắc Kạn")], ["○ Chưa có số liệu", "Không áp dụng"], "0/1"),
        # figures: judged as METHOD says, every status kept
        (
            [("share", 2023, 40, "Bắc Kạn"), ("share", 2025, 81, "Bắc Kạn")],
            ["✖ Không đạt", "✔ Đã đạt"],
            "1/2",
        ),
    ],
)
def test_a_merged_region_reads_not_applicable_on_its_last_years_targets(bac_kan, cells, count):
    rows = [("share", 2023, 60, "Thái Nguyên"), ("share", 2025, 85, "Thái Nguyên"), *bac_kan]
    judged = assess(MERGED, make_figures(MERGED, rows), as_of=2025)
    matrix = status_matrix(MERGED, assessments_frame(judged), ["Thái Nguyên", "Bắc Kạn"])
    shown, _ = status_cells(MERGED, matrix, "vi", "Đã đạt")
    assert list(shown.loc["Bắc Kạn"])[1:] == cells
    assert shown.loc["Bắc Kạn", "Đã đạt"] == count
    assert shown.loc["Thái Nguyên", "Đã đạt"] == "2/2"
    # METHOD's rows are untouched: the CLI still gives Bắc Kạn its 2025 row
    assert ("Bắc Kạn", 2025) in {(r.region, r.target_year) for r in judged}
    english, _ = status_cells(MERGED, matrix, "en", "Achieved")
    assert ("Not applicable" in list(english.loc["Bắc Kạn"])) == ("Không áp dụng" in cells)


def test_the_thai_nguyen_matrix_has_bac_kan_not_applicable_not_0_of_7(repo_root):
    from kpis.dataset import load_dataset
    from kpis.progress import STATUSES

    dataset = load_dataset(repo_root / "plans" / "thai-nguyen-57-2025.yaml", repo_root / "data")
    judged = assess(dataset.plan, dataset.figures.table)
    shown, statuses = status_cells(
        dataset.plan, status_matrix(dataset.plan, assessments_frame(judged)), "vi", "Đã đạt"
    )
    assert set(shown.loc["Bắc Kạn"]) == {"Không áp dụng"}  # its count too: not «0/7»
    assert shown.loc["Thái Nguyên", "Đã đạt"] == "4/7"
    assert not any(s in STATUSES for s in statuses.loc["Bắc Kạn"])  # no status colour


@pytest.mark.parametrize(
    "lang, words", [("vi", "125% từ năm gốc 2023"), ("en", "125% from the 2023 baseline")]
)
def test_the_rankings_progress_cells_say_from_which_baseline(lang, words):
    from kpis.compare import assessment_table, progress_cells

    rows = [("share", 2023, 60, "Thái Nguyên"), ("share", 2025, 85, "Thái Nguyên")]
    rows.append(("pii", 2023, 40, "Bắc Kạn"))
    table = make_figures(MERGED, rows)
    judged = assessment_table(assess(MERGED, table, as_of=2025))
    ranked = ranking(MERGED, "share", 2, judged, effective_series(MERGED, table), 2025)
    # (85 − 60) / (80 − 60): past the target, not «125%» read bare as the figure over it;
    # Bắc Kạn, merged in 2025 without a figure, has none
    assert progress_cells(MERGED, "share", 2, ranked, lang) == [words, "–"]
