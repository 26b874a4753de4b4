"""What a screen reader names, in the page's language: charts, folds, links, Streamlit's and
Plotly's own controls. Read through Playwright's accessible names and roles, as a screen
reader's lists of figures, links and buttons would give them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.pages.test_present_page import expected_slides

pytestmark = pytest.mark.browser


def _open(app, path: str, lang: str):
    joiner = "&" if "?" in path else "?"
    page = app.open(path + (f"{joiner}lang=en" if lang == "en" else ""))
    expect(page.locator("h1").first).to_be_visible()
    return page


@pytest.mark.parametrize(
    ("lang", "name", "words"),
    [
        (
            "vi",
            "Biểu đồ: Số tổ chức KH&CN công lập.",
            [
                "Số liệu minh họa",
                "Số liệu mới nhất: 3 tổ chức (2024), nguồn: Minh họa",
                "Mục tiêu: ≥ 3 tổ chức vào năm 2020, trạng thái: Đã đạt",
                "Mục tiêu: ≥ 5 tổ chức vào năm 2030, trạng thái: Cần đẩy nhanh",
                "bảng «Số liệu và nguồn» bên dưới",
            ],
        ),
        (
            "en",
            "Chart: Public science and technology organisations.",
            [
                "Illustrative figures",
                "Latest figure: 3 organisations (2024), source: Illustrative",
                "Target: ≥ 3 organisations by 2020, status: Achieved",
                "Target: ≥ 5 organisations by 2030, status: Needs acceleration",
                "the table “Figures and sources” below",
            ],
        ),
    ],
)
def test_the_indicator_chart_is_a_figure_named_by_what_it_shows(app, lang, name, words):
    """The chart was an image named by its tick labels («2016 2018 … 0 1 2 3»): it is a figure
    named by the indicator, its latest figure and source, its targets and their statuses, and
    where the table of figures is; Plotly's pictures are hidden, so the ticks are not read."""
    page = _open(app, "/indicator?id=public_st_orgs", lang)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_attached()
    figure = page.get_by_role("figure", name=re.compile("^" + re.escape(name)))
    expect(figure).to_be_visible()
    for part in words:
        expect(figure).to_have_accessible_name(re.compile(re.escape(part)))
    expect(page.get_by_role("img", name=re.compile(r"\b2016 2018\b"))).to_have_count(0)
    # the chart's modebar stays reachable inside the figure
    expect(figure.get_by_role("toolbar")).to_be_attached()


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("vi", "Biểu đồ: Số tổ chức KH&CN công lập. Số liệu minh họa"),
        ("en", "Chart: Public science and technology organisations. Illustrative figures"),
    ],
)
def test_a_slides_chart_is_a_figure_named_by_what_it_shows(app, repo_root, lang, name):
    slides = expected_slides(repo_root, lang)
    number = next(
        n
        for n, slide in enumerate(slides, 1)
        if getattr(slide, "indicator", None) and slide.indicator.id == "public_st_orgs"
    )
    page = app.open(f"/present?slide={number}{'&lang=en' if lang == 'en' else ''}")
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_attached()
    figures = page.get_by_role("figure", name=re.compile(r"^(Biểu đồ|Chart): "))
    expect(figures).to_have_count(1)  # the phone's chart is not shown, so not read
    expect(figures).to_have_accessible_name(re.compile("^" + re.escape(name)))
    expect(figures).to_have_accessible_name(re.compile(r"(trạng thái|status): "))


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        (
            "vi",
            "Tổ chức KH&CN, 2 mục tiêu: 1 đã đạt, 1 cần đẩy nhanh",
            "Hạ tầng KH&CN, 2 mục tiêu: 1 không đạt, 1 chưa hoàn thành",
        ),
        (
            "en",
            "S&T organisations, 2 targets: 1 achieved, 1 needs acceleration",
            "S&T infrastructure, 2 targets: 1 missed, 1 pending",
        ),
    ],
)
def test_a_folds_status_counts_are_named_in_words(app, lang, first, second):
    """A fold shows «✔ 1 ⚠ 1» / «✖ 1 … 1»: a screen reader read "check mark 1 warning 1", or
    skipped «…» and «○». Its label is named by the count cards' words, opened or not."""
    page = _open(app, "/", lang)
    folds = page.locator('[data-testid="stExpander"] summary')
    expect(folds.first).to_contain_text("✔ 1 ⚠ 1")  # the symbols stay on screen
    expect(folds.nth(0)).to_have_accessible_name(first)
    expect(folds.nth(1)).to_have_accessible_name(second)
    folds.nth(0).click()  # opened, redrawn by the rerun: still named
    app.wait()
    expect(page.locator('[data-testid="stExpander"] details[open]')).to_have_count(1)
    expect(folds.nth(0)).to_have_accessible_name(first)


@pytest.mark.parametrize(("lang", "word"), [("vi", "Chi tiết"), ("en", "Details")])
def test_every_detail_link_on_the_overview_has_a_name_of_its_own(app, lang, word):
    """Fourteen links were all «Chi tiết» in a screen reader's list of links: each is named by
    its indicator, and by the target's year where two cards share it; the word shown stays."""
    page = _open(app, "/", lang)
    page.set_viewport_size({"width": 1280, "height": 2200})
    folds = page.locator('[data-testid="stExpander"] details:not([open]) summary')
    for _ in range(folds.count()):  # open every group, one rerun each
        folds.first.click()
        app.wait()
    links = page.get_by_role("link", name=re.compile(rf"^{word}: "))
    cards = page.locator('[class*="st-key-overview_card_"]')
    expect(cards).to_have_count(14)  # every card drawn (the review counted 14 links)
    expect(links).to_have_count(cards.count())
    names = [link.get_attribute("aria-label") for link in links.all()]
    assert len(set(names)) == len(names), names
    assert all(text.strip().endswith(word) for text in links.all_inner_texts())
    orgs = (
        "Số tổ chức KH&CN công lập"
        if lang == "vi"
        else "Public science and technology organisations"
    )
    expect(page.get_by_role("link", name=f"{word}: {orgs} (2030)", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=word, exact=True)).to_have_count(0)


MODEBAR_VI = [
    "Tải biểu đồ về (PNG)",
    "Phóng to vùng chọn",
    "Kéo để dịch biểu đồ",
    "Phóng to",
    "Thu nhỏ",
    "Đặt lại trục",
    "Toàn màn hình",
]
MODEBAR_EN = ["Download plot as a PNG", "Zoom", "Pan", "Zoom in", "Zoom out", "Reset axes"]


def _modebar_names(page) -> list[str]:
    buttons = page.locator(".st-key-chart_screen_indicator_chart").get_by_role("button")
    expect(buttons.first).to_be_attached()
    return buttons.evaluate_all("all => all.map(b => b.getAttribute('aria-label'))")


def test_streamlits_and_plotlys_controls_are_named_in_the_pages_language(app):
    """The chart's toolbar, the select boxes' «Open», the sidebar and its toggle were named in
    English on the Vietnamese page: a Vietnamese voice misread them. They are named in
    Vietnamese there, in English on an English page, again after each switch."""
    page = _open(app, "/indicator?id=public_st_orgs", "vi")
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_attached()
    chart = page.get_by_role("figure", name=re.compile("^Biểu đồ: "))
    for name in MODEBAR_VI:
        expect(chart.get_by_role("button", name=name, exact=True)).to_be_attached()
    # Plotly's hover tip says the same
    expect(chart.locator(".modebar-btn").first).to_have_attribute("data-title", MODEBAR_VI[0])
    expect(page.get_by_role("button", name="Open", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Mở danh sách", exact=True).first).to_be_attached()
    expect(page.get_by_role("region", name="Thanh bên")).to_be_visible()
    expect(page.get_by_role("navigation", name="Các trang")).to_be_attached()
    sidebar = page.locator('[data-testid="stSidebar"]')
    toggle = page.locator('[data-testid="stSidebarCollapseButton"] button')
    sidebar.hover()  # the toggle is shown (so named) while the pointer is over the sidebar
    expect(toggle).to_have_accessible_name("Thu gọn thanh bên")
    toggle.click()
    expect(page.get_by_role("button", name="Mở thanh bên", exact=True)).to_be_visible()
    page.get_by_role("button", name="Mở thanh bên", exact=True).click()
    expect(page.get_by_role("region", name="Thanh bên")).to_be_in_viewport()

    # to English: Streamlit's and Plotly's own words again
    sidebar.get_by_text("English", exact=True).click()
    app.wait()
    expect(page.get_by_role("figure", name=re.compile("^Chart: "))).to_be_attached()
    expect(page.get_by_role("button", name="Open", exact=True).first).to_be_attached()
    expect(page.get_by_role("region", name="Sidebar")).to_be_visible()
    sidebar.hover()
    expect(toggle).to_have_accessible_name("Collapse sidebar")
    assert _modebar_names(page)[: len(MODEBAR_EN)] == MODEBAR_EN
    # and back
    sidebar.get_by_text("Tiếng Việt", exact=True).click()
    app.wait()
    expect(page.get_by_role("figure", name=re.compile("^Biểu đồ: "))).to_be_attached()
    sidebar.hover()
    expect(toggle).to_have_accessible_name("Thu gọn thanh bên")
    expect(page.get_by_role("button", name="Open", exact=True)).to_have_count(0)
    assert _modebar_names(page) == MODEBAR_VI
    assert not app.page_errors


def test_a_data_grids_toolbar_is_named_in_vietnamese(app):
    page = _open(app, "/data", "vi")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    for name in ("Ẩn/hiện cột", "Tìm kiếm", "Toàn màn hình"):
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_be_attached()
    expect(toolbar.get_by_role("button", name="Search", exact=True)).to_have_count(0)


@pytest.mark.parametrize(
    ("lang", "names", "english"),
    [
        ("vi", ["Ẩn/hiện cột", "Tìm kiếm"], ["Show/hide columns", "Search"]),
        ("en", ["Show/hide columns", "Search"], ["Show/hide columns", "Search"]),
    ],
)
def test_a_data_grids_toolbar_tips_are_in_the_pages_language(app, lang, names, english):
    """The toolbar's buttons were named in Vietnamese, but the tip shown on hovering one (a box
    of Streamlit's own, drawn apart) still said «Show/hide columns»: it says what the button is
    named, in the page's language."""
    page = _open(app, "/data", lang)
    grid = page.locator('[data-testid="stDataFrame"]').first
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    for name, word in zip(names, english, strict=True):
        grid.hover()  # the toolbar is shown while the pointer is over the grid
        button = toolbar.get_by_role("button", name=name, exact=True)
        button.hover()
        # the tip of this button: its hover box points at it while it is shown
        target = toolbar.locator(
            '[data-testid="stTooltipHoverTarget"]',
            has=page.get_by_role("button", name=name, exact=True),
        )
        expect(target).to_have_attribute("aria-describedby", re.compile(".+"))
        tip = page.locator(f'[role="tooltip"][id="{target.get_attribute("aria-describedby")}"]')
        expect(tip).to_have_text(name)
        if word != name:
            expect(page.get_by_text(word, exact=True)).to_have_count(0)
    assert not app.page_errors
