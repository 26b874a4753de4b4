"""/compare on the shipped Thái Nguyên plan (review of a provincial leader, §6): Bắc Kạn, merged
into Thái Nguyên on 1/7/2025 and without a figure for the 2025 targets, reads «Không áp dụng»
on each of them, and its count is not «Đã đạt 0/7» as if it had failed everything."""

from __future__ import annotations

import pytest

from tests.pages.conftest import open_every_group, texts
from tests.pages.test_compare_page import ranking_table, read_down_table

PAGE = "app_pages/compare.py"
WORDS = {
    "vi": ("Bắc Kạn (đến 2025, nay thuộc Thái Nguyên)", "Không áp dụng", "Đã đạt", "Trạng thái"),
    "en": ("Bắc Kạn (until 2025, now part of Thái Nguyên)", "Not applicable", "Achieved", "Status"),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_bac_kan_reads_not_applicable_in_the_matrix_and_the_ranking(open_page, lang):
    bac_kan, not_applicable, achieved, status = WORDS[lang]
    at = open_page(PAGE, plan="thai-nguyen-57-2025", id="coverage_5g", lang=lang)
    matrix = read_down_table(at)  # two regions: a target a row, a region a column
    column = list(matrix[bac_kan])
    assert column == [not_applicable] * 8  # the count row and the seven 2025 targets
    assert not any(cell.startswith("0/") for cell in column)
    count = matrix[matrix.iloc[:, 0] == achieved].iloc[0]
    assert count["Thái Nguyên"] == "4/7"  # Thái Nguyên's own count is unchanged
    ranking = ranking_table(at)
    row = ranking[ranking.iloc[:, 0] == bac_kan].iloc[0]  # (the region heads each row)
    assert row[status] == not_applicable
    # and the page says why, once, under the matrix
    why = "Không áp dụng: địa bàn đã sáp nhập" if lang == "vi" else "Not applicable: the region"
    assert texts(at).count(why) == 1


OVERVIEW = {
    "vi": ("7 mục tiêu", "<b>7</b>⊘ Không áp dụng", "Chưa có số liệu", "Không áp dụng: địa bàn"),
    "en": ("7 targets", "<b>7</b>⊘ Not applicable", "No data", "Not applicable: the region"),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_overview_of_bac_kan_reads_not_applicable_not_7_without_data(open_page, lang):
    # the review's «7 mục tiêu · 7 ○ Chưa có số liệu» for a province merged in the targets' year
    targets, counted, no_data, why = OVERVIEW[lang]
    at = open_every_group(open_page(plan="thai-nguyen-57-2025", region="Bắc Kạn", lang=lang))
    page = texts(at)
    assert f"## {targets}" in page
    cards = next(m.value for m in at.markdown if 'class="kpi-counts"' in m.value)
    assert counted in cards and no_data not in cards
    assert page.count(why) == 1  # the reason, once, under the counts
    # every card's badge says so, and each group's label counts them as ⊘, none as ○ (no data)
    badges = [m.value for m in at.markdown if 'class="kpi-badge"' in m.value]
    assert len(badges) == 7 and all(counted.split("</b>")[1] in b for b in badges)
    tracked = "chỉ theo dõi" if lang == "vi" else "tracked only"  # a group without targets
    labels = [e.label for e in at.expander if tracked not in e.label]
    assert len(labels) == 5 and all("○" not in e and "⊘ " in e for e in labels)


def test_thai_nguyen_itself_still_counts_its_target_without_a_figure_as_no_data(open_page):
    at = open_page(plan="thai-nguyen-57-2025", region="Thái Nguyên")
    cards = next(m.value for m in at.markdown if 'class="kpi-counts"' in m.value)
    assert "<b>1</b>○ Chưa có số liệu" in cards and "Không áp dụng" not in cards


@pytest.mark.parametrize(
    "lang, counted, badge, no_data",
    [
        ("vi", "7 Không áp dụng", "⊘ Không áp dụng", "Chưa có số liệu"),
        ("en", "7 Not applicable", "⊘ Not applicable", "No data"),
    ],
)
def test_present_shows_bac_kans_scorecard_as_not_applicable(
    repo_root, monkeypatch, lang, counted, badge, no_data
):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KPI_TARGETS", str(repo_root / "targets.yaml"))
    monkeypatch.setenv("KPI_DATA", str(repo_root / "data"))
    monkeypatch.delenv("KPI_PLANS", raising=False)
    monkeypatch.chdir(repo_root)
    app = AppTest.from_file(str(repo_root / "dashboard.py"), default_timeout=60)
    query = {"plan": "thai-nguyen-57-2025", "region": "Bắc Kạn", "lang": lang, "slide": "2"}
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page("app_pages/present.py")
    app.run()
    assert not app.exception, app.exception
    page = texts(app)
    assert counted in page  # the slide's count line, as the deck's
    assert page.count(badge) == 4 and no_data not in page  # the first part's four targets


def test_the_indicator_page_of_bac_kan_says_not_applicable_and_why(open_page):
    at = open_page(
        "app_pages/indicator.py", plan="thai-nguyen-57-2025", region="Bắc Kạn", id="coverage_5g"
    )
    badges = [m.value for m in at.markdown if 'class="kpi-badge"' in m.value]
    assert len(badges) == 1 and "⊘ Không áp dụng" in badges[0]
    assert "Chưa có số liệu" not in badges[0]
    assert texts(at).count("Không áp dụng: địa bàn đã sáp nhập") == 1


@pytest.mark.parametrize(
    "lang, indicator, words, help_says",
    [
        (
            "vi",
            "commune_officials_digital_skills",  # «trên 80%» at exactly 80%: missed
            "100% từ năm gốc 2024; bằng 80%, chưa vượt",
            "phần quãng đường từ năm gốc đến mục tiêu",
        ),
        ("vi", "provincial_science_tasks", "300% từ năm gốc 2024", "có thể trên 100%"),
        (
            "en",
            "commune_officials_digital_skills",
            "100% from the 2024 baseline; at 80%, not yet above",
            "the share of the way from the baseline to the target",
        ),
    ],
)
def test_the_rankings_progress_says_from_which_baseline(
    open_page, lang, indicator, words, help_says
):
    at = open_page(PAGE, plan="thai-nguyen-57-2025", id=indicator, lang=lang)
    ranking = ranking_table(at)
    progress = ranking.columns[ranking.columns.isin(["Tiến độ", "Progress"])][0]
    assert ranking.iloc[0][progress] == words  # Thái Nguyên: never a bare «100%» or «300%»
    row = ranking[ranking.iloc[:, 0].str.startswith("Bắc Kạn")].iloc[0]
    assert row[progress] == "–"  # not applicable: no progress
    helps = [s.help for s in at.header if s.value in ("Xếp hạng", "Ranking")]
    assert len(helps) == 1 and help_says in helps[0] and "100%)" not in helps[0]
