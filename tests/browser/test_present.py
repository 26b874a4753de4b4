"""/present in a real browser: one slide at a time, next/previous, ?slide=N, both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app
from tests.pages.test_present_page import expected_slides

pytestmark = pytest.mark.browser


def slides_of(repo_root, lang):
    """The deck's slides, the plan's tasks included, as /present and the downloads make them."""
    return expected_slides(repo_root, lang)


def expect_heading(page, text: str) -> None:
    """The slide's heading (waits for the rerun to draw it)."""
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(text, timeout=30_000)


def test_presenting_in_vietnamese_next_previous_and_the_url(app, repo_root):
    slides = slides_of(repo_root, "vi")
    page = app.open("/present")
    page.set_viewport_size({"width": 1920, "height": 1080})  # a projector
    expect_heading(page, slides[0].heading)
    # full screen; the page's own CSS hides the sidebar a moment after the first paint
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    app.screenshot("present_title_vi")

    page.get_by_role("button", name="Tiếp ▶").click()
    app.wait()
    page.wait_for_url(re.compile(r"slide=2"))
    expect_heading(page, slides[1].heading)
    expect(page.get_by_text("✔ Đã đạt").first).to_be_visible()  # status word on its colour
    app.screenshot("present_scorecard_vi")

    page.get_by_role("button", name="◀ Trước").click()
    app.wait()
    page.wait_for_url(re.compile(r"slide=1"))
    expect_heading(page, slides[0].heading)
    expect(page.get_by_role("button", name="Tạo bài trình chiếu (PowerPoint)")).to_be_visible()

    # a presentation clicker sends PageDown / PageUp
    page.keyboard.press("PageDown")
    page.wait_for_url(re.compile(r"slide=2"))
    app.wait()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"slide=3"))
    app.wait()
    expect_heading(page, slides[2].heading)
    page.keyboard.press("PageUp")
    page.wait_for_url(re.compile(r"slide=2"))
    app.wait()
    expect_heading(page, slides[1].heading)
    assert not app.page_errors


def test_on_a_phone_each_next_slide_opens_at_its_top(app, repo_root):
    slides = slides_of(repo_root, "vi")
    page = app.open("/present?slide=3")
    page.set_viewport_size({"width": 360, "height": 740})
    expect_heading(page, slides[2].heading)
    app.wait()
    # Down to the Next button, below the slide, as a thumb goes; then tapped.
    forward = page.get_by_role("button", name="Tiếp ▶")
    forward.scroll_into_view_if_needed()
    assert page.locator('[data-testid="stMain"] h1').first.bounding_box()["y"] < 0
    forward.click()
    page.wait_for_url(re.compile(r"slide=4"))
    expect_heading(page, slides[3].heading)
    app.wait()
    # The new slide's title is on the screen, not above it.
    title = page.locator('[data-testid="stMain"] h1').first
    expect(title).to_be_in_viewport()
    assert 0 <= title.bounding_box()["y"] < 740
    assert not app.page_errors


def test_on_a_phone_the_scorecard_shows_each_targets_status(app, repo_root):
    slides = slides_of(repo_root, "vi")
    page = app.open("/present?slide=2")
    page.set_viewport_size({"width": 360, "height": 740})
    expect_heading(page, slides[1].heading)
    app.wait()
    # Each row a card: the status badge and the progress under the target's name, on the
    # screen (they were off to the right of a table 621 px wide).
    rows = page.locator("table.kpi-present-table tbody tr")
    expect(rows).to_have_count(len(slides[1].rows))
    for row in rows.all():
        badge = row.locator(".kpi-badge")
        box = badge.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
        progress = row.locator("td").nth(3)
        assert progress.evaluate("e => getComputedStyle(e, '::before').content").startswith(
            '"Tiến độ'
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not app.page_errors
    app.screenshot("present_scorecard_phone")


def test_an_indicator_slide_in_english_from_the_url(app, repo_root):
    slides = slides_of(repo_root, "en")
    number = next(
        i
        for i, s in enumerate(slides, start=1)
        if getattr(s, "status", None) == "needs_acceleration"
    )
    page = app.open(f"/present?lang=en&slide={number}")
    page.set_viewport_size({"width": 1920, "height": 1080})
    app.wait()
    expect_heading(page, slides[number - 1].heading)
    expect(page.get_by_text("⚠ Needs acceleration").first).to_be_visible()
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
    # one chart shown: the projector's (the phone's is drawn for a narrow window only)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert [chart.is_visible() for chart in charts.all()] == [True, False]
    expect(page.get_by_text(f"{number} / {len(slides)}")).to_be_visible()
    expect(page.get_by_text("Illustrative figures").first).to_be_visible()
    app.screenshot("present_indicator_en")
    page.get_by_role("button", name="Next ▶").click()
    app.wait()
    page.wait_for_url(re.compile(rf"slide={number + 1}"))
    expect_heading(page, slides[number].heading)
    assert "lang=en" in page.url
    assert not app.page_errors


def test_the_deck_of_this_view_is_made_with_progress_then_downloaded(app, repo_root):
    from pptx import Presentation

    slides = slides_of(repo_root, "en")
    page = app.open("/present?lang=en&slide=2")
    page.get_by_role(
        "button", name="Make the slides (PowerPoint)"
    ).click()  # made while a bar counts the charts
    expect(page.get_by_test_id("stProgress")).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download the slides (PowerPoint)").click(timeout=120_000)
    assert download.value.suggested_filename == "bac-kan-684-2016_2024_en.pptx"
    deck = Presentation(download.value.path())
    assert [s.shapes.title.text_frame.text for s in deck.slides] == [s.heading for s in slides]
    assert not app.page_errors


def test_the_overview_offers_the_same_deck(app, repo_root):
    from pptx import Presentation

    slides = slides_of(repo_root, "vi")
    page = app.open("/")
    page.get_by_role(
        "button", name="Tạo bài trình chiếu (PowerPoint)"
    ).click()  # made while a bar counts the charts
    expect(page.get_by_test_id("stProgress")).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Tải bài trình chiếu (PowerPoint)").click(timeout=120_000)
    assert download.value.suggested_filename == "bac-kan-684-2016_2024_vi.pptx"
    deck = Presentation(download.value.path())
    assert [s.shapes.title.text_frame.text for s in deck.slides] == [s.heading for s in slides]
    assert not app.page_errors


# The projector's window and the presenter's, as a presenter has them: two windows of one
# browser (one context), both on the same slide of the same deck.
def open_window(context, base_url: str, path: str):
    window = context.new_page()
    window.goto(base_url + path, wait_until="domcontentloaded")
    wait_for_app(window)
    return window


def position_of(page, number: int, count: int):
    return page.locator(".st-key-present_nav").get_by_text(f"{number} / {count}", exact=True)


def test_the_projector_follows_the_presenters_window_and_back(app, repo_root):
    slides = slides_of(repo_root, "vi")
    count = len(slides)
    context = app.page.context
    projector = app.open("/present?slide=7")
    presenter = open_window(context, app.base_url, "/present?slide=7&presenter=1")
    expect(presenter.locator(".st-key-present_notes")).to_be_visible()

    presenter.keyboard.press("ArrowRight")  # the clicker, in the focused (presenter's) window
    expect(position_of(presenter, 8, count)).to_be_visible()
    expect(position_of(projector, 8, count)).to_be_visible()  # the room sees it too
    expect_heading(projector, slides[7].heading)
    expect(projector).to_have_url(re.compile(r"slide=8"))
    wait_for_app(projector)

    presenter.get_by_role("button", name="Tiếp ▶").click()
    expect(position_of(projector, 9, count)).to_be_visible()

    # and the other way: driven from the projector's window, the presenter's follows
    projector.keyboard.press("PageUp")
    expect(position_of(projector, 8, count)).to_be_visible()
    expect(position_of(presenter, 8, count)).to_be_visible()
    expect(presenter).to_have_url(re.compile(r"slide=8"))
    expect(presenter).to_have_url(re.compile(r"presenter=1"))  # still the presenter's view
    expect(presenter.locator(".st-key-present_notes")).to_be_visible()

    # neither echoes the other: both settle where they are
    wait_for_app(projector)
    wait_for_app(presenter)
    presenter.wait_for_timeout(1500)
    expect(position_of(projector, 8, count)).to_be_visible()
    expect(position_of(presenter, 8, count)).to_be_visible()
    assert not app.page_errors


def test_another_deck_is_not_moved(app, repo_root):
    # the same plan in English is another deck (its slides differ): it stays where it is
    context = app.page.context
    english = app.open("/present?lang=en&slide=3")
    count_en = len(slides_of(repo_root, "en"))
    vietnamese = open_window(context, app.base_url, "/present?slide=3&presenter=1")
    count_vi = len(slides_of(repo_root, "vi"))
    vietnamese.keyboard.press("ArrowRight")
    expect(position_of(vietnamese, 4, count_vi)).to_be_visible()
    wait_for_app(vietnamese)
    english.wait_for_timeout(1500)
    expect(position_of(english, 3, count_en)).to_be_visible()
    assert "slide=3" in english.url


@pytest.mark.parametrize("number", ["0", "99", "2.5", "'8'"])
def test_a_slide_number_out_of_this_deck_is_ignored(app, number):
    page = app.open("/present?slide=4")
    count = page.evaluate("window.kpisPresentDeck.count")
    other = open_window(page.context, app.base_url, "/present?slide=4&presenter=1")
    deck = other.evaluate("window.kpisPresentDeck.deck")
    other.evaluate(
        """([deck, number]) => new BroadcastChannel("kpis-present").postMessage(
            {kind: "kpis-present-slide", deck, number})""",
        [deck, eval(number)],  # noqa: S307 (our own literals: numbers and a string)
    )
    page.wait_for_timeout(1500)
    expect(position_of(page, 4, count)).to_be_visible()
    assert "slide=4" in page.url


def test_the_presenter_link_opens_a_new_window_on_this_slide(app):
    page = app.open("/present?slide=5")
    count = page.evaluate("window.kpisPresentDeck.count")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Mở cửa sổ người trình bày").click()
    presenter = opened.value
    wait_for_app(presenter)
    assert "presenter=1" in presenter.url and "slide=5" in presenter.url
    expect(presenter.locator(".st-key-present_next_slide")).to_be_visible()
    # the projector's window is still the projector's: no notes, on its slide
    expect(page.locator(".st-key-present_next_slide")).to_have_count(0)
    assert "presenter" not in page.url
    expect(position_of(page, 5, count)).to_be_visible()
    # and from the presenter's window, a window for the audience, on the same slide
    with page.context.expect_page() as opened:
        presenter.get_by_role("link", name="Mở cửa sổ cho khán giả").click()
    audience = opened.value
    wait_for_app(audience)
    assert "slide=5" in audience.url and "presenter" not in audience.url
    assert not app.page_errors
