"""The dashboard's pages in headless Chromium, in both languages, with nothing fetched from outside.

Each test opens a URL people share, checks that no exception is shown and that the content a
reader looks for is there (status words, the chart drawn), and saves a screenshot under
tests/browser/screenshots/. The `page` fixture fails the test on any request to a host other
than 127.0.0.1.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kpis.plan import load_plan
from tests.browser.conftest import App

pytestmark = pytest.mark.browser

# Every target of the shipped plan has its card on the overview.
TARGETS = len(list(load_plan(Path(__file__).resolve().parents[2] / "targets.yaml")[0].targeted()))
TALL = {
    "width": 1280,
    "height": 2200,
}  # Streamlit scrolls inside the app: a tall window shows it all


def expect_words(page, words) -> None:
    """Each word shows in the main area (retrying: HTML blocks may paint after the run ends)."""
    main = page.locator('[data-testid="stMain"]')
    for word in words:
        expect(main).to_contain_text(word)


def open_every_group(app) -> None:
    """Open each folded group of the overview as a reader does, one click (and rerun) each,
    waiting for its cards to be drawn."""
    folds = app.page.locator('[data-testid="stExpander"]')
    for i in range(folds.count()):
        fold = folds.nth(i)
        if fold.locator("details[open]").count():
            continue
        # Once in ~40 CI runs on a busy machine, a fold clicked right after the previous
        # fold's rerun stayed closed (the click reached no rerun); a reader clicks again, and
        # so does this test, once, after the app is idle. The cause is not found yet.
        for _ in range(2):
            app.wait(settle_ms=300)
            fold.locator("summary").click()
            app.wait(settle_ms=300)
            if fold.locator("details[open]").count():
                break
        expect(fold.locator('[data-testid="stPageLink"]').first).to_be_visible()
        app.wait()


def wait_for_charts(page, count: int = 1) -> None:
    """Every plotly chart on the page has drawn its plot (an SVG with the main layer)."""
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= count


@pytest.mark.parametrize(
    ("lang", "title", "words"),
    [
        (
            "vi",
            "Kế hoạch hành động thực hiện Đề án",
            ["Đã đạt", "Cần đẩy nhanh", "Không đạt", f"{TARGETS} mục tiêu", "Số liệu minh họa"],
        ),
        (
            "en",
            "Action plan implementing the scheme",
            [
                "Achieved",
                "Needs acceleration",
                "Missed",
                f"{TARGETS} targets",
                "Illustrative figures",
            ],
        ),
    ],
)
def test_overview(app, lang, title, words):
    app.page.set_viewport_size(TALL)
    page = app.open("/" if lang == "vi" else "/?lang=en")
    assert title in page.locator("h1").first.inner_text()
    expect_words(page, words)
    # the groups are folded: one status badge per target row once each is opened
    expect(page.locator(".kpi-badge")).to_have_count(0)
    open_every_group(app)
    expect(page.locator(".kpi-badge")).to_have_count(TARGETS)
    assert not app.page_errors
    app.screenshot(f"overview_{lang}")


@pytest.mark.parametrize(
    ("path", "lang", "heading", "status"),
    [
        ("/indicator?id=public_st_orgs", "vi", "Số tổ chức KH&CN công lập", "Cần đẩy nhanh"),
        (
            "/indicator?id=public_st_orgs&lang=en",
            "en",
            "Public science and technology organisations",
            "Needs acceleration",
        ),
        (
            "/indicator?id=st_investment_share",
            "vi",
            "Tỷ lệ đầu tư cho KH&CN trên tổng chi ngân sách tỉnh",
            "Chậm tiến độ",
        ),
        (
            "/indicator?id=st_investment_share&lang=en",
            "en",
            "S&T investment as a share of total provincial budget spending",
            "Off track",
        ),
    ],
)
def test_indicator(app, path, lang, heading, status):
    app.page.set_viewport_size(TALL)
    page = app.open(path)
    expect(page.locator("h1").first).to_have_text(heading)
    wait_for_charts(page)
    expect_words(page, [status])
    chart_text = page.locator(".js-plotly-plot").first.inner_text()
    assert ("Nguồn: Minh họa" if lang == "vi" else "Source: Illustrative") in chart_text
    assert ("684/QĐ-UBND") in chart_text
    assert not app.page_errors
    name = path.split("id=")[1].split("&")[0]
    app.screenshot(f"indicator_{name}_{lang}")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "vi",
            [
                "Tình trạng số liệu",
                "Còn thiếu cho năm 2024",
                "Số liệu minh họa",
                "Không có lỗi nào",
            ],
        ),
        (
            "en",
            [
                "Coverage of the figures",
                "Still missing for 2024",
                "Illustrative figures",
                "No problems",
            ],
        ),
    ],
)
def test_coverage(app, lang, words):
    app.page.set_viewport_size(TALL)
    page = app.open("/coverage" + ("?lang=en" if lang == "en" else ""))
    expect_words(page, words)
    matrix = page.locator(".st-key-cards_coverage_matrix table")
    expect(matrix).to_be_visible()
    app.screenshot(f"coverage_{lang}")


def test_coverage_on_a_phone_shows_each_name_whole_and_the_latest_year(app):
    app.page.set_viewport_size({"width": 360, "height": 1600})
    page = app.open("/coverage")
    card = page.locator(".st-key-cards_coverage_matrix tbody tr").filter(
        has_text="Số tổ chức KH&CN công lập"
    )
    # the name whole, and the as-of year's mark on the card, within the screen
    latest = card.get_by_role("cell", name="2024: ◇")  # (its label is the stylesheet's)
    expect(latest).to_be_visible()
    box = latest.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    overflow = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert overflow <= 360
    app.screenshot("coverage_360px")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("vi", ["Phương pháp đánh giá", "Đúng tiến độ", "Chưa đủ số liệu", "= 33%", "= 60%"]),
        ("en", ["How progress is judged", "On track", "Insufficient data", "= 33%", "= 60%"]),
    ],
)
def test_method(app, lang, words):
    app.page.set_viewport_size(TALL)
    page = app.open("/method" + ("?lang=en" if lang == "en" else ""))
    expect_words(page, words)
    app.screenshot(f"method_{lang}")


def test_language_and_year_follow_the_reader_across_pages(app):
    page = app.open("/?lang=en&as_of=2020")
    expect_words(page, ["Position as at 2020"])
    open_every_group(app)
    page.get_by_role("link", name="Details").first.click()  # the first row's detail link
    app.wait()
    expect(page.locator("h1").first).to_have_text("Public science and technology organisations")
    assert "lang=en" in page.url and "as_of=2020" in page.url and "id=public_st_orgs" in page.url
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Method").click()
    app.wait()
    expect_words(page, ["How progress is judged"])
    assert "lang=en" in page.url


def test_overview_on_a_phone(app):
    app.page.set_viewport_size({"width": 360, "height": 1600})
    page = app.open("/")
    expect_words(page, ["Đã đạt", f"{TARGETS} mục tiêu"])
    # nothing wider than the screen: no sideways scrolling on a phone
    overflow = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert overflow <= 360
    app.screenshot("overview_360px")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_phone_reads_each_headline_label_whole(app, lang):
    """A metric's label wraps on a 360 px phone where Streamlit cut it: «Số liệu năm hạn 2…»
    hid which year's figure the target was judged on."""
    app.page.set_viewport_size({"width": 360, "height": 1600})
    page = app.open(f"/indicator?id=public_st_orgs&lang={lang}")
    labels = page.locator('[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"]')
    expect(labels.first).to_be_visible()
    deadline = "Số liệu năm hạn 2020" if lang == "vi" else "At the 2020 deadline"
    expect(labels.filter(has_text=deadline)).to_have_count(1)
    measured = labels.evaluate_all(
        "els => els.map(e => [e.textContent, e.scrollWidth, e.clientWidth,"
        " e.querySelector('p').getBoundingClientRect().right"
        " <= e.getBoundingClientRect().right + 0.5])"
    )
    assert measured and all(
        scroll <= client and inside for _, scroll, client, inside in measured
    ), measured
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    app.screenshot(f"indicator_headline_labels_360_{lang}")


def test_bad_figures_show_a_banner_and_the_rest_still_charts(
    dashboard_factory, page, tmp_path, repo_root
):
    data = tmp_path / "data"
    shutil.copytree(repo_root / "data", data)
    (data / "2025.csv").write_text(
        "indicator,year,value,source\npublic_st_orgs,2025,abc,Báo cáo\n", encoding="utf-8"
    )
    app = App(page, dashboard_factory({"KPI_DATA": str(data)}))
    page.set_viewport_size(TALL)
    app.open("/indicator?id=public_st_orgs")
    expect(page.get_by_text("1 lỗi trong số liệu")).to_be_visible()
    wait_for_charts(page)  # the valid figures are still charted
    page.get_by_role("link", name="Xem danh sách lỗi").click()
    app.wait()
    expect(page.locator("h1").first).to_have_text("Tình trạng số liệu")
    # (a word joiner, invisible, keeps a place like «x.csv:100: giá trị» from becoming an
    # emoji); the column as the Vietnamese template heads it
    expect(page.get_by_text(re.compile(r"^data/2025\.csv:\u2060?2: giá trị$"))).to_be_visible()
    assert "/coverage" in page.url
    app.screenshot("coverage_with_problems_vi")


def test_the_chart_downloads_as_a_report_sized_png(app, tmp_path):
    page = app.open("/indicator?id=public_st_orgs")
    wait_for_charts(page)
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    with page.expect_download() as download:
        # the modebar's button, named in the page's language (ui.widgets.LANGUAGE_JS)
        chart.get_by_role("button", name="Tải biểu đồ về (PNG)", exact=True).click()
    assert download.value.suggested_filename == "public_st_orgs_2024_vi.png"
    path = tmp_path / "chart.png"
    download.value.save_as(path)
    png = path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    figure_height = chart.evaluate("plot => plot.layout.height")
    # 1100 px wide at scale 2 whatever the window, and tall enough for the source footer
    assert (width, height) == (2200, 2 * figure_height)
