"""kpis/chart_alt.py: a chart's name for a screen reader, from the shipped plan and figures."""

from __future__ import annotations

import pytest

from kpis.chart_alt import chart_alt
from kpis.dataset import load_dataset
from kpis.progress import assess, effective_series
from kpis.scorecard import scorecard_row
from kpis.shown import last_point
from kpis.ui_text import figures_behind


@pytest.fixture(scope="module")
def shipped(repo_root):
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    plan, table = dataset.plan, dataset.figures.table
    region = plan.plan.region
    rows = assess(plan, table, as_of=2024, regions=[region])
    series = effective_series(plan, table)
    return plan, table, series[series["region"] == region], rows, region


def _alt(shipped, indicator_id, lang, *, sources=None, table=True):
    plan, figures, series, rows, region = shipped
    indicator = plan.indicator(indicator_id)
    points = series[(series["indicator"] == indicator_id) & (series["year"] <= 2024)]
    last = last_point(points)
    targets = [
        scorecard_row(plan, row, lang, last) for row in rows if row.indicator == indicator_id
    ]
    behind = figures_behind(plan, indicator, figures, region, 2024)
    if sources is not None:  # the same figures, as a department would report them
        behind = behind.assign(source=sources)
    return chart_alt(indicator, targets, last, behind, lang, table=table)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "vi",
            "Biểu đồ: Số tổ chức KH&CN công lập. "
            "Số liệu minh họa, không phải số liệu báo cáo thực tế. "
            "Số liệu mới nhất: 3 tổ chức (2024), nguồn: Minh họa – không phải số liệu thực tế. "
            "Mục tiêu: ≥ 3 tổ chức vào năm 2020, trạng thái: Đã đạt. "
            "Mục tiêu: ≥ 5 tổ chức vào năm 2030, trạng thái: Cần đẩy nhanh. "
            "Số liệu từng năm và nguồn: bảng «Số liệu và nguồn» bên dưới.",
        ),
        (
            "en",
            "Chart: Public science and technology organisations. "
            "Illustrative figures, not reported figures. "
            "Latest figure: 3 organisations (2024), source: Illustrative – not a reported figure. "
            "Target: ≥ 3 organisations by 2020, status: Achieved. "
            "Target: ≥ 5 organisations by 2030, status: Needs acceleration. "
            "Each year's figures and sources: the table “Figures and sources” below.",
        ),
    ],
)
def test_a_chart_is_named_by_its_latest_figure_targets_and_statuses(shipped, lang, expected):
    assert _alt(shipped, "public_st_orgs", lang) == expected


def test_reported_figures_are_not_called_illustrative_and_their_source_is_named(shipped):
    alt = _alt(shipped, "public_st_orgs", "vi", sources="Báo cáo 12/BC-SKHCN")
    assert "minh họa" not in alt.casefold()
    assert "Số liệu mới nhất: 3 tổ chức (2024), nguồn: Báo cáo 12/BC-SKHCN." in alt


def test_a_tracked_indicator_has_no_target_and_a_slide_points_to_no_table(shipped):
    alt = _alt(shipped, "st_development_fund", "en", table=False)
    assert alt.startswith("Chart: ")
    assert "Target" not in alt and "table" not in alt
    assert "Latest figure: " in alt
