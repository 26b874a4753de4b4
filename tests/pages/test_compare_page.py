"""/compare: regions ranked for one indicator and target, the status matrix, totals."""

from __future__ import annotations

import pandas as pd
import pytest

from kpis.compare import assessment_table
from kpis.dataset import load_dataset
from kpis.i18n import STATUS_STYLES
from kpis.progress import assess, assessments_frame
from tests.pages.conftest import texts
from ui import widgets

PAGE = "app_pages/compare.py"


def ranking_table(at):
    """The ranking: a static table, a region a row (a card on a phone), its cells as shown."""
    return next(t.value for t in at.table if "Hạng" in t.value.columns or "Rank" in t.value.columns)


def matrix_table(at):
    """The status matrix, a region a row."""
    return next(
        d.value
        for d in at.dataframe
        if "Đã đạt" in d.value.columns or "Achieved" in d.value.columns
    )


def read_down_table(at):
    """The status matrix of a few regions, read down a target a row (`kpis.compare.read_down`):
    a static table, its first column the targets."""
    return next(t.value for t in at.table if t.value.columns[0] in ("Mục tiêu", "Target"))


def test_shipped_plan_first_indicator_ranked_with_status_total_and_source(open_page):
    at = open_page(PAGE)
    page = texts(at)
    assert "So sánh các địa bàn" in page
    assert "684/QĐ-UBND · 1 địa bàn · tính đến năm 2024" in page
    ranked = ranking_table(at)
    # every column in the one table a phone reads as cards (the grid showed it two of them),
    # the region first: the card's heading
    assert list(ranked.columns)[:2] == ["Địa bàn", "Hạng"]
    assert ranked.iloc[0].to_dict() == {
        "Hạng": "1",
        "Địa bàn": "Bắc Kạn",
        "Trạng thái": "✔ Đã đạt",
        "Năm": "2020",
        "Giá trị": "3 tổ chức",
        "Tiến độ": "100% từ năm gốc 2015",  # a share of the way from the baseline
        "Dự báo năm mục tiêu": "–",
        "Nguồn": "Minh họa – không phải số liệu thực tế",  # the mark in the page's language
    }
    assert "Tổng các địa bàn năm 2024: 3 tổ chức" in page  # a count adds up
    # and says where its figures come from, the illustrative mark included
    assert any(c.value == "Nguồn: Minh họa – không phải số liệu thực tế" for c in at.caption)
    assert any("Số liệu minh họa" in i.value for i in at.info)
    # no grid for the ranking, whose columns a phone had to swipe to without a hint
    assert not [d for d in at.dataframe if "Hạng" in d.value.columns]


def test_the_matrix_has_one_icon_per_target_and_the_achieved_count(open_page, shipped):
    at = open_page(PAGE)
    matrix = read_down_table(at).set_index("Mục tiêu")
    rows = assess(shipped.plan, shipped.figures.table)
    # one region: read down, a target a row (a phone shows the region's column whole)
    assert list(matrix.columns) == ["Bắc Kạn"]
    assert len(matrix.index) == 1 + len(rows)
    assert not [d for d in at.dataframe if "Bắc Kạn" in d.value.columns and len(d.value) == 1]
    achieved = sum(r.status == "achieved" for r in rows)
    assert matrix.loc["Đã đạt", "Bắc Kạn"] == f"{achieved}/{len(rows)}"
    # named, with the status word beside its colour (the colour: tests/browser/test_compare.py)
    assert matrix.loc["Số tổ chức KH&CN công lập · 2020", "Bắc Kạn"] == "✔ Đã đạt"
    assert not [c for c in matrix.columns if "public_st_orgs" in c]


@pytest.mark.parametrize(
    ("indicator", "why"),
    [("st_investment_share", "tỷ lệ"), ("hightech_agri_zone", "mốc hoàn thành")],
)
def test_no_total_for_shares_and_milestones(open_page, indicator, why):
    page = texts(open_page(PAGE, id=indicator))
    assert f"Không cộng tổng: {why} của các địa bàn cộng lại không có ý nghĩa." in page
    assert "Tổng các địa bàn" not in page


def test_the_second_target_is_chosen_from_the_url(open_page):
    at = open_page(PAGE, id="public_st_orgs", target="2")
    assert ranking_table(at).iloc[0]["Trạng thái"] == "⚠ Cần đẩy nhanh"


def test_english(open_page):
    at = open_page(PAGE, lang="en")
    assert "Compare regions" in texts(at)
    assert ranking_table(at).iloc[0]["Status"] == "✔ Achieved"


def test_lang_son_plan_tracked_only(open_page, repo_root, monkeypatch):
    monkeypatch.setenv("KPI_TARGETS", str(repo_root / "plans" / "lang-son-147-2023.yaml"))
    at = open_page(PAGE, id="provincial_st_tasks")
    page = texts(at)
    assert "147/KH-UBND · 1 địa bàn · tính đến năm 2023" in page
    assert "không có mục tiêu định lượng: chỉ theo dõi số liệu" in page
    ranked = ranking_table(at)
    assert list(ranked.columns) == ["Địa bàn", "Hạng", "Giá trị", "Năm", "Nguồn"]
    assert ranked.iloc[0]["Giá trị"] == "60 nhiệm vụ"
    assert (
        ranked.iloc[0]["Nguồn"]
        == "Kế hoạch 147/KH-UBND ngày 04/7/2023 của UBND tỉnh Lạng Sơn, Mục A.I.1.2"
    )
    assert "Tổng các địa bàn năm 2023: 60 nhiệm vụ" in page
    assert "Kế hoạch này chưa có mục tiêu định lượng nào" in page
    assert not any("Số liệu minh họa" in i.value for i in at.info)  # reported figures


def test_synthetic_provinces_ranked_by_progress(open_page, national, monkeypatch):
    monkeypatch.setenv("KPI_TARGETS", str(national / "targets.yaml"))
    monkeypatch.setenv("KPI_DATA", str(national / "data"))
    monkeypatch.setenv("KPI_PLANS", str(national / "plans"))
    at = open_page(PAGE, id="ind_000", target="1")
    dataset = load_dataset(national / "targets.yaml", national / "data")
    frame = assessments_frame(assess(dataset.plan, dataset.figures.table))
    rows = frame[(frame["indicator"] == "ind_000") & (frame["target_index"] == 1)]
    achieved = rows[rows["status"] == "achieved"].sort_values("progress", ascending=False)
    ranked = ranking_table(at)
    assert len(ranked) == 34
    assert ranked["Địa bàn"].tolist()[: len(achieved)] == achieved["region"].tolist()
    assert ranked["Hạng"].tolist()[0] == "1"
    assert "34 địa bàn" in texts(at)
    # the matrix folded (a national set), opened a page of regions at a time: every region
    # once, in the ranking's list order
    fold = at.expander[-1]
    assert fold.label == "34 địa bàn: mở để xem trạng thái của từng địa bàn, 20 địa bàn một trang"
    # (the ranking's 34 regions in one table: no grid, no pages)
    assert not at.dataframe and not fold.get("radio")
    assert not [r for r in at.radio if r.key == "compare_ranking_rows"]
    at.session_state["compare_matrix_open"] = True
    at.run()
    columns = 1 + len(list(dataset.plan.targeted()))
    pages = at.radio(key="compare_matrix_rows")
    assert pages.label == "Địa bàn (trong số 34)" and pages.options == ["1–20", "21–34"]
    first = matrix_table(at)
    assert first.shape == (20, columns)
    pages.set_value((21, 34)).run()
    second = matrix_table(at)
    assert second.shape == (14, columns)
    assert sorted([*first.index, *second.index]) == sorted(ranked["Địa bàn"])
    # each cell is the status kpis.progress gives that region and target, in words
    words = {status: f"{style.icon} {style.word('vi')}" for status, style in STATUS_STYLES.items()}
    every = pd.concat([first, second])
    for _, row in frame[frame["target_index"] == 1].head(200).iterrows():
        indicator = dataset.plan.indicator(row["indicator"])
        label = f"{indicator.text('name', 'vi')} · {indicator.targets[0].end_year}"
        assert every.loc[row["region"], label] == words[row["status"]], (row["region"], label)


def test_assessment_table_has_the_frames_values(shipped):
    rows = assess(shipped.plan, shipped.figures.table)
    small = assessment_table(rows)
    full = assessments_frame(rows)[small.columns]
    assert (
        small.astype(object).where(small.notna(), None).values.tolist()
        == full.astype(object).where(full.notna(), None).values.tolist()
    )


def test_sidebar_offers_every_plan_and_the_url_picks_one(open_page):
    at = open_page()
    choice = at.sidebar.selectbox(key="plan")
    assert choice.options == [
        "684/QĐ-UBND · Bắc Kạn",
        "147/KH-UBND · Lạng Sơn",
        "KH thực hiện NQ 57 · Thái Nguyên",  # short, in the others' «document · province»
    ]
    assert choice.value == "bac-kan-684-2016"
    assert "Kế hoạch hành động thực hiện Đề án tái cơ cấu" in texts(at)

    at = open_page(plan="lang-son-147-2023")
    assert at.sidebar.selectbox(key="plan").value == "lang-son-147-2023"
    page = texts(at)
    assert "Kế hoạch khoa học công nghệ, đổi mới sáng tạo và dự toán ngân sách" in page
    assert "147/KH-UBND" in page and "UBND tỉnh Lạng Sơn" in page  # no file name: /coverage
    assert not at.error


def test_choosing_a_plan_in_the_sidebar_switches_the_page(open_page):
    at = open_page(PAGE)
    at.sidebar.selectbox(key="plan").set_value("lang-son-147-2023").run()
    assert not at.exception
    assert "147/KH-UBND · 1 địa bàn · tính đến năm 2023" in texts(at)
    assert at.query_params["plan"] == "lang-son-147-2023"  # a shareable link


def test_an_unknown_plan_in_the_url_falls_back_to_the_main_plan(open_page):
    at = open_page(plan="nope")
    assert at.sidebar.selectbox(key="plan").value == "bac-kan-684-2016"
    assert "684/QĐ-UBND" in texts(at)


def test_many_regions_are_ranked_a_page_at_a_time(open_page, use_national, monkeypatch):
    # A national set ranks hundreds of regions: a static table of each would be screens of
    # scrolling, so past WRAPPED_ROWS they come a page at a time (34 regions, 20 a page here).
    monkeypatch.setattr(widgets, "WRAPPED_ROWS", 20)
    at = open_page(PAGE, id="ind_000", target="1")
    pages = at.radio(key="compare_ranking_rows")
    assert pages.label == "Địa bàn (trong số 34)" and pages.options == ["1–20", "21–34"]
    first = ranking_table(at)
    assert len(first) == 20 and first["Hạng"].iloc[0] == "1"
    pages.set_value((21, 34)).run()
    second = ranking_table(at)
    assert len(second) == 14
    regions = [*first["Địa bàn"], *second["Địa bàn"]]
    assert len(set(regions)) == 34  # every region once
    ranks = [int(r) for r in [*first["Hạng"], *second["Hạng"]] if r != "–"]
    assert ranks == sorted(ranks)  # the second page goes on from the first
