"""How the pages show the version 2 forms (issue 11 §2): a growth target's average growth so far
against the rate asked, a period average's mean and years counted, "trên 80%", a rank as
"hạng 14 → trong top 10", a merged region with its dates, estimates marked "(ước)". On the
v2 plan of test_version_2_pages (one place for it) and on the shipped Thái Nguyên plan."""

from __future__ import annotations

import pytest

from tests.pages.conftest import open_every_group, texts
from tests.pages.test_compare_page import ranking_table, read_down_table
from tests.pages.test_indicator import metrics
from tests.pages.test_version_2_pages import FIGURES, PLAN

PAGE = "app_pages/indicator.py"


@pytest.fixture
def v2(tmp_path, monkeypatch):
    (tmp_path / "targets.yaml").write_text(PLAN, "utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "2026.csv").write_text(FIGURES, "utf-8")
    (tmp_path / "plans").mkdir()

    def use() -> None:
        monkeypatch.setenv("KPI_TARGETS", str(tmp_path / "targets.yaml"))
        monkeypatch.setenv("KPI_DATA", str(tmp_path / "data"))
        monkeypatch.setenv("KPI_PLANS", str(tmp_path / "plans"))

    return use


def test_growth_shows_the_average_so_far_against_the_rate_asked(open_page, v2):
    v2()
    at = open_page(PAGE, id="rev")
    page = texts(at)
    # 100 in 2024, 125 (an estimate) in 2026: (125/100)^(1/2) − 1 = 11.8% a year
    assert "bình quân 11,8%/năm so với 10%/năm" in page
    assert metrics(at)["Số liệu mới nhất"][0] == "125 (ước)"
    page_en = texts(open_page(PAGE, id="rev", lang="en"))
    assert "average 11.8% a year against 10% a year" in page_en


def test_period_average_shows_the_mean_and_the_years_counted(open_page, v2):
    v2()
    at = open_page(PAGE, id="grdp")
    # 2026: 9, 2027: 7.5 (an estimate) → mean 8.25 over 2 years, target 8–10 on average
    assert "bình quân 8,25% (2 năm: 2026–2027)" in texts(at)
    shown = metrics(at)
    assert shown["Mục tiêu"] == ["8–10%"] and shown["Số liệu mới nhất"] == ["7,5% (ước)"]


@pytest.mark.parametrize("lang, words", [("vi", "trên 80%"), ("en", "more than 80%")])
def test_an_exclusive_target_reads_more_than(open_page, v2, lang, words):
    v2()
    at = open_page(PAGE, id="share", lang=lang)
    assert list(metrics(at).values())[1] == [words]  # the target, beside 80% itself
    assert f"{words} " in texts(at)


def test_a_rank_reads_from_its_place_to_the_top_n(open_page, v2):
    v2()
    at = open_page(PAGE, id="rank")
    assert "hạng 14 → trong top 10" in texts(at)
    assert metrics(at)["Số liệu mới nhất"] == ["hạng 14"]
    at = open_page(PAGE, id="rank", lang="en")
    assert "rank 14 → in the top 10" in texts(at)


@pytest.mark.parametrize(
    "lang, label",
    [
        ("vi", "Bắc Kạn (đến 2025, nay thuộc Thái Nguyên)"),
        ("en", "Bắc Kạn (until 2025, now part of Thái Nguyên)"),
    ],
)
def test_a_merged_region_is_named_with_its_dates(open_page, v2, lang, label):
    v2()
    at = open_page("app_pages/overview.py", lang=lang, region="Bắc Kạn")
    choice = at.sidebar.selectbox(key="region")
    assert choice.value == "Bắc Kạn"  # the URL and the data keep the name
    assert label in [choice.format_func(option) for option in choice.options]
    assert label in texts(at)  # "Tình hình tính đến năm … · Địa bàn: …"


def test_the_thai_nguyen_plan_on_its_pages(open_page):
    at = open_every_group(open_page(plan="thai-nguyen-57-2025"))
    page = texts(at)
    assert "Mục tiêu: trên 80% vào năm 2025" in page and "Mục tiêu: ≥ 12 doanh nghiệp" in page
    assert "**58,7% (ước)**" in page  # the estimate on its card
    assert "Đã đạt" in page and "Không đạt" in page and "Chưa có số liệu" in page
    regions = at.sidebar.selectbox(key="region")
    assert [regions.format_func(o) for o in regions.options] == [
        "Thái Nguyên",
        "Bắc Kạn (đến 2025, nay thuộc Thái Nguyên)",
    ]
    at = open_page(PAGE, plan="thai-nguyen-57-2025", id="commune_officials_digital_skills")
    shown = metrics(at)
    assert shown["Số liệu mới nhất"] == ["80%"] and shown["Mục tiêu"] == ["trên 80%"]
    assert "Không đạt" in texts(at)  # exactly 80% is not "more than 80%"
    at = open_page(PAGE, plan="thai-nguyen-57-2025", id="pii_rank", region="Bắc Kạn")
    shown = metrics(at)  # tracked: its latest figure, no target, no status
    assert set(shown) == {"Số liệu mới nhất"}
    assert "Bắc Kạn (đến 2025, nay thuộc Thái Nguyên)" in at.sidebar.selectbox(
        key="region"
    ).format_func("Bắc Kạn")


def test_the_method_page_works_the_three_new_forms_through(open_page):
    page = texts(open_page("app_pages/method.py"))
    assert "Ba dạng mục tiêu mới" in page
    # Decision 684 states none of them: each is marked assumed, on the plan's figures, which
    # are sample data and say so (not «the plan's figures», as if reported)
    assert page.count("Ví dụ giả định") == 3
    assert (
        page.count("số liệu là số liệu minh họa đã lưu (không phải số liệu báo cáo thực tế)") == 3
    )
    assert "đúng bằng 3 tổ chức là chưa đạt" in page
    assert "bình quân 0,8%/năm so với 7%/năm" in page  # total S&T investment 2016 → 2024
    assert "Trung bình = **1,55%** (5 năm)" in page
    at = open_page("app_pages/method.py", plan="thai-nguyen-57-2025", lang="en")
    page = texts(at)
    # its examples are on the placeholder figures: the page and each example say so
    assert any(i.value.startswith("Illustrative figures") for i in at.info)
    assert page.count("Illustrative figures (not reported figures). ") >= 1
    # the Thái Nguyên plan's own «Trên 80%», 80% reported: not met
    assert "target «more than 80% by 2025». The 2025 figure: 80%." in page
    assert "so exactly 80% does not meet it: **✖ Missed**" in page


def test_compare_names_the_merged_region_and_never_adds_ranks(open_page):
    at = open_page("app_pages/compare.py", plan="thai-nguyen-57-2025", lang="en")
    at.selectbox(key="compare_indicator").set_value("pii_rank").run()
    ranking = ranking_table(at)
    assert list(ranking["Region"]) == [
        "Thái Nguyên",
        "Bắc Kạn (until 2025, now part of Thái Nguyên)",
    ]  # rank 11 before rank 52: a lower rank is better
    assert list(ranking["Value"]) == ["rank 11", "rank 52"]
    assert "adding up ranks of regions means nothing" in texts(at)
    at.selectbox(key="compare_indicator").set_value("coverage_5g").run()
    # two regions: the matrix read down the targets, a region a column
    assert "Bắc Kạn (until 2025, now part of Thái Nguyên)" in list(read_down_table(at).columns)
