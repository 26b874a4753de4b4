"""What fits where it is read: every /present slide inside a 1280x720 and a 1024x768
projector's window (no scrolling to reach the source line or Previous/Next, nothing cut off), the deck's button and the links beside it
with their labels whole at 1280x720, 1366x768 and 1024x768, the budget-share chart's reference
lines' key whole, above the plot and drawn in the lines' dashes at a phone's, a narrow
window's and a laptop's width, on a projector and in the presenter's window, the
legend clear of the source footer at 800-900 px, no mode bar over a phone chart's title, and
/data's download buttons with their labels whole at a laptop's and a phone's width."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from kpis.charts import SIZES
from kpis.slides import IndicatorSlide
from kpis.slides import word as slide_word
from kpis.ui_text import t
from tests.browser.conftest import App
from tests.browser.measure import chart_texts, overlaps, problems_in_chart, texts
from tests.pages.test_present_page import expected_slides

pytestmark = pytest.mark.browser

SMALL_PROJECTOR = {"width": 1280, "height": 720}
OLD_PROJECTOR = {"width": 1024, "height": 768}  # 4:3, XGA
SHARE = "st_investment_share"  # the indicator with a reference line (2%, Decision 684's range)

# A plotly chart's parts, as boxes in the window: the SVG, each annotation's text (its lines
# joined by a space), the legend's entries, the year ticks and the title.
CHART_PARTS_JS = """
(plot) => {
  const box = (el) => { const b = el.getBoundingClientRect();
    return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
  const notes = [...plot.querySelectorAll('.annotation-text')].map((el) => {
    const lines = [...el.querySelectorAll('tspan.line')].map((t) => t.textContent);
    return {...box(el), text: lines.length ? lines.join(' ') : el.textContent};
  });
  const entries = [...plot.querySelectorAll('.legend .traces')].map(box);
  const bar = plot.querySelector('.modebar');
  const shownBar = bar && bar.getBoundingClientRect().width > 0
    && getComputedStyle(bar).opacity !== '0' && getComputedStyle(bar).display !== 'none';
  const title = plot.querySelector('.gtitle');
  // the reference lines' key: each entry's words and the dash of its line sample; the plot
  // area, and the dashed lines drawn in it
  const dash = (path) => path ? getComputedStyle(path).strokeDasharray : null;
  const key = [...plot.querySelectorAll('.legend2 .traces')].map((entry) => {
    const words = entry.querySelector('.legend2text');
    const lines = [...words.querySelectorAll('tspan.line')].map((t) => t.textContent);
    return {...box(words), text: lines.length ? lines.join(' ') : words.textContent,
            dash: dash(entry.querySelector('.legendlines path'))};
  });
  const lines = [...plot.querySelectorAll('.scatterlayer .trace path.js-line')]
    .map((path) => ({...box(path), dash: dash(path)}));
  const ticks = [...plot.querySelectorAll('.xtick text')].map(box);  // the years
  return {svg: box(plot.querySelector('.main-svg')), notes, entries, key, lines, ticks,
          plotArea: box(plot.querySelector('.draglayer .xy .nsewdrag')),
          modebar: shownBar ? box(bar) : null, title: title ? box(title) : null};
}
"""


def chart_parts(plot) -> dict:
    return plot.evaluate(CHART_PARTS_JS)


def union(boxes: list[dict]) -> dict:
    return {
        "left": min(b["left"] for b in boxes),
        "top": min(b["top"] for b in boxes),
        "right": max(b["right"] for b in boxes),
        "bottom": max(b["bottom"] for b in boxes),
    }


def inside(box: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        box["left"] >= outer["left"] - slack
        and box["right"] <= outer["right"] + slack
        and box["top"] >= outer["top"] - slack
        and box["bottom"] <= outer["bottom"] + slack
    )


def drawn_chart(page, size: str):
    """The indicator page's chart for `size` ("screen" or "phone"), once plotly has drawn its
    annotations (title, labels, footer) and legend: they come after the SVG itself."""
    plot = page.locator(f'[class*="st-key-chart_{size}_"] .js-plotly-plot').first
    expect(plot.locator(".main-svg").first).to_be_visible(timeout=30_000)
    expect(plot.locator(".legend .traces").first).to_be_visible()
    expect(plot.locator(".legend2 .traces")).to_have_count(1)  # the 2% line's key
    expect(plot.locator(".annotation-text").first).to_be_attached()  # the footer
    return plot


def key_is_readable_and_clear(parts: dict) -> list[str]:
    """The reference lines' key: whole inside the chart, above the plot (so over no line and
    no bar), its entries apart, each drawn with its own line's dash."""
    key, found = parts["key"], []
    for entry in key:
        if not inside(entry, parts["svg"]):
            found.append(f"cut: {entry['text']!r}")
        if overlaps(entry, parts["plotArea"]) or entry["bottom"] > parts["plotArea"]["top"]:
            found.append(f"on the plot: {entry['text']!r} {entry} / {parts['plotArea']}")
    for i, a in enumerate(key):
        for b in key[i + 1 :]:
            if overlaps(a, b):
                found.append(f"overlap: {a['text']!r} / {b['text']!r}")
    dashes = [entry["dash"] for entry in key]
    drawn = {line["dash"] for line in parts["lines"]}
    if len(set(dashes)) != len(dashes) or not set(dashes) <= drawn or "none" in dashes:
        found.append(f"samples {dashes} are not the lines' own dashes {drawn}")
    return found


def open_indicator(app: App, lang: str, viewport: dict):
    app.page.set_viewport_size(viewport)
    return app.open(f"/indicator?id={SHARE}&lang={lang}")


# What is cut off on a projector, in the page as drawn: the page scrolling (down or sideways),
# the slide or anything drawn in it running under the Previous/Next row, the slide or the
# row past the window's edge. An empty list once it all fits; null before it is drawn.
UNFIT_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const slide = document.querySelector('.st-key-present_slide');
  const nav = document.querySelector('.st-key-present_nav');
  if (!main || !slide || !nav) return null;
  const found = [];
  if (main.scrollHeight > main.clientHeight + 1)
    found.push(`the page scrolls: ${main.scrollHeight} px in ${main.clientHeight}`);
  if (main.scrollWidth > main.clientWidth + 1)
    found.push(`the page scrolls sideways: ${main.scrollWidth} px in ${main.clientWidth}`);
  const s = slide.getBoundingClientRect(), n = nav.getBoundingClientRect();
  if (s.bottom > n.top + 1) found.push(`the slide ends at ${s.bottom}, the row starts at ${n.top}`);
  // what is drawn of it, its words and its chart, whatever box holds them (boxes overhang
  // their words: Streamlit's negative margins)
  const drawn = [...slide.querySelectorAll('.main-svg')].map((svg) => ['the chart', svg]);
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg, style, script')) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    drawn.push([`«${node.textContent.trim().slice(0, 40)}»`, range]);
  }
  for (const [what, thing] of drawn) {
    const b = thing.getBoundingClientRect();
    if (b.width < 1 || b.height < 1) continue;
    if (b.bottom > n.top + 1)
      found.push(`${what} ends at ${Math.round(b.bottom)}, under the row at ${Math.round(n.top)}`);
    if (b.right > innerWidth + 1)
      found.push(`${what} ends at ${Math.round(b.right)}, past the window's right edge`);
  }
  for (const [name, b] of [['slide', s], ['Previous/Next row', n]]) {
    if (b.top < -1 || b.bottom > innerHeight + 1 || b.left < -1 || b.right > innerWidth + 1)
      found.push(`the ${name} is outside the ${innerWidth}x${innerHeight} window: ${b.top}-${b.bottom}`);
  }
  return found;
}
"""


def unfit(page) -> list[str]:
    """What of the slide is cut off, once the layout settles (a redrawn chart, a late font):
    waits until nothing is, then says what still is (at most 15 s of waiting)."""
    with contextlib.suppress(PlaywrightTimeout):  # (said below, with what is cut off)
        page.wait_for_function(
            f"() => {{ const f = ({UNFIT_JS})(); return f && !f.length; }}", timeout=15_000
        )
    found = page.evaluate(UNFIT_JS)
    return ["the slide was not drawn"] if found is None else found


# 1280x720: a small projector; 1024x768: an older one (4:3), where long headings and the
# buttons' labels wrap onto two lines and the scorecard's columns are narrow: 14 slides of 19
# (14 of 20 in English) ran past the screen's foot there, the scorecards by 120-310 px (the
# chart's height a budget for one-line headings; the figures' cells unwrapped, so the
# indicators' names got a word a line).
@pytest.mark.parametrize("viewport", [SMALL_PROJECTOR, OLD_PROJECTOR], ids=["1280x720", "1024x768"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_slide_fits_a_projector(app, repo_root, lang, viewport):
    slides = expected_slides(repo_root, lang)
    app.page.set_viewport_size(viewport)
    width, height = viewport["width"], viewport["height"]
    for number, slide in enumerate(slides, start=1):
        page = app.open(f"/present?lang={lang}&slide={number}")
        heading = page.locator('[data-testid="stMain"] h1').first
        expect(heading).to_have_text(slide.heading)
        expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
        charted = isinstance(slide, IndicatorSlide) and slide.has_figures
        if charted:  # drawn, then redrawn to the height the window leaves it
            box = page.locator(".st-key-chart_screen_present")
            expect(box.locator(".main-svg").first).to_be_visible(timeout=30_000)
            page.wait_for_function(
                """() => { const box = document.querySelector('.st-key-chart_screen_present');
                  const svg = box && box.querySelector('.main-svg');
                  return svg && Math.abs(svg.getBoundingClientRect().height
                                         - box.getBoundingClientRect().height) < 2; }""",
                timeout=30_000,
            )
        app.wait()
        page.evaluate("() => document.fonts.ready")  # measured in the font it is drawn in
        cut = unfit(page)
        assert not cut, f"slide {number} ({type(slide).__name__}), {width}x{height}: {cut}"
        seen = {
            "title": heading,
            "slide": page.locator(".st-key-present_slide"),  # its last line: the source
            "previous": page.locator(".st-key-present_previous button"),
            "next": page.locator(".st-key-present_next button"),
            "slide number": page.get_by_text(f"{number} / {len(slides)}", exact=True),
        }
        captions = page.locator('.st-key-present_slide [data-testid="stCaptionContainer"]')
        if captions.count():
            seen["source line"] = captions.last
        if charted:
            seen["chart"] = page.locator(".st-key-chart_screen_present .main-svg").first
        for table in page.locator("table.kpi-present-table").all():
            seen["table"] = table
        for name, element in seen.items():
            box = element.bounding_box()
            assert (
                box
                and box["y"] >= 0
                and box["y"] + box["height"] <= height + 1
                and box["x"] >= 0
                and box["x"] + box["width"] <= width + 1
            ), f"slide {number}: the {name} is outside the {width}x{height} window: {box}"
        if charted:
            clipped = [
                p
                for p in problems_in_chart(chart_texts(page.locator(".js-plotly-plot").first))
                if p.startswith("clipped")
            ]
            assert not clipped, f"slide {number}: {clipped}"
            # a chart the room can read: not squeezed to a strip by what is around it
            assert seen["chart"].bounding_box()["height"] >= 0.4 * height, number
        # read at the back of the room: ~20 px at 720-768 px high, none under 18
        smallest = min(t["size"] for t in texts(page))
        assert smallest >= 18, f"slide {number}: text of {smallest} px"
    assert not app.page_errors


def test_the_presenters_window_keeps_next_and_previous_on_a_1280x720_screen(app, repo_root):
    # The presenter's window puts the notes beside the slide: the slide's narrower column
    # wraps a long heading onto two lines, and the chart, as high as a one-line heading
    # leaves, pushed Previous and Next below the screen.
    slides = expected_slides(repo_root, "vi")
    app.page.set_viewport_size(SMALL_PROJECTOR)
    outside = []
    for number, slide in enumerate(slides, start=1):
        page = app.open(f"/present?slide={number}&presenter=1")
        expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(slide.heading)
        charted = isinstance(slide, IndicatorSlide) and slide.has_figures
        if charted:
            box = page.locator(".st-key-chart_screen_present")
            expect(box.locator(".main-svg").first).to_be_visible(timeout=30_000)
        app.wait()
        if charted:  # (the projector's 24 px years ran together in the narrower column)
            plot = page.locator(".st-key-chart_screen_present .js-plotly-plot").first
            found = problems_in_chart(chart_texts(plot))
            outside.extend(f"slide {number}: {problem}" for problem in found)
        for name in ("previous", "next"):
            button = page.locator(f".st-key-present_{name} button").bounding_box()
            if not (button and button["y"] >= 0 and button["y"] + button["height"] <= 720 + 1):
                outside.append(f"slide {number} ({type(slide).__name__}): {name} at {button}")
    assert not outside, "\n".join(outside)
    assert not app.page_errors


# A button's label as drawn: its text's full width (scrollWidth), the width it is shown in
# (Streamlit cuts a long label with "…"), and whether its box lies within the button's.
BUTTON_LABEL_JS = """
(button) => {
  const label = button.querySelector('[data-testid="stMarkdownContainer"]');
  const b = button.getBoundingClientRect(), l = label.getBoundingClientRect();
  return {text: label.textContent, scroll: label.scrollWidth, client: label.clientWidth,
          inside: l.left >= b.left - 0.5 && l.right <= b.right + 0.5};
}
"""


def label_shown_whole(button) -> dict:
    measured = button.evaluate(BUTTON_LABEL_JS)
    assert measured["scroll"] <= measured["client"] and measured["inside"], measured
    return measured


DOWNLOADS = (
    "data_template_csv",
    "data_template_xlsx",
    "data_template_other",
    "data_export_csv",
    "data_export_xlsx",
)


# 1280 px: a laptop, the sidebar open; 360 px: a phone. The five buttons in one row of five
# columns cut «Mẫu tiếng Anh 202…», «Toàn bộ số liệu (Ex…» and «Template 2025 (Exc…» at 1280.
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 360, "height": 740}]
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_data_pages_download_buttons_show_their_whole_labels(app, lang, viewport):
    app.page.set_viewport_size(viewport)
    page = app.open(f"/data?lang={lang}")
    page.evaluate("() => document.fonts.ready")  # measured in the font it is drawn in
    labels = []
    for key in DOWNLOADS:
        button = page.locator(f".st-key-{key} button")
        expect(button).to_be_visible()
        labels.append(label_shown_whole(button)["text"])
    assert labels[2].startswith("Mẫu tiếng Anh 20" if lang == "vi" else "Vietnamese template 20")
    assert not app.page_errors


# (1024x768: an older projector, or a laptop's window beside the notes: the label wraps)
@pytest.mark.parametrize(
    "viewport", [SMALL_PROJECTOR, {"width": 1366, "height": 768}, {"width": 1024, "height": 768}]
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_deck_button_and_the_links_show_their_whole_labels_on_a_projector(app, lang, viewport):
    app.page.set_viewport_size(viewport)
    page = app.open(f"/present?lang={lang}")
    button = page.locator(".st-key-present_download_make button")
    expect(button).to_contain_text(t("make_deck", lang))
    page.evaluate("() => document.fonts.ready")  # measured in the font it is drawn in
    label_shown_whole(button)
    # The download button that takes its place once the deck is made has the same icon and
    # padding in the same column, and a longer label: measured here in the make button's
    # place, so the test need not draw every chart of the deck.
    download = slide_word("download_deck", lang)
    button.evaluate("(b, text) => { b.querySelector('p').textContent = text; }", download)
    assert label_shown_whole(button)["text"] == download
    # and the links beside it: leave, and open the presenter's window
    links = page.locator(".st-key-present_nav a")
    expect(links).to_have_count(2)
    for link in links.all():
        label_shown_whole(link)


@pytest.mark.parametrize("width", [800, 1280])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_reference_lines_key_is_whole_and_clear_of_the_plot(app, lang, width):
    # Labelled on the plot, the words of the reference lines ran over the lines (a label of two
    # lines 62 px high on a 260 px plot): a key above the plot instead.
    page = open_indicator(app, lang, {"width": width, "height": 900})
    plot = drawn_chart(page, "screen")
    parts = chart_parts(plot)
    assert not any("IV.3.a" in n["text"] for n in parts["notes"])
    texts = [entry["text"] for entry in parts["key"]]
    assert len(texts) == 1 and "2%:" in texts[0], texts
    assert texts[0].rstrip().endswith("IV.3.a)"), texts  # whole, its end not cut at the edge
    assert not key_is_readable_and_clear(parts), f"{width} px"
    assert not problems_in_chart(chart_texts(plot)), f"{width} px"


@pytest.mark.parametrize("width", [800, 850, 900])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("indicator", ["public_st_orgs", "st_enterprises", SHARE])
def test_the_legend_stays_clear_of_the_source_footer(app, lang, width, indicator):
    app.page.set_viewport_size({"width": width, "height": 900})
    page = app.open(f"/indicator?id={indicator}&lang={lang}")
    plot = page.locator('[class*="st-key-chart_screen_"] .js-plotly-plot').first
    expect(plot.locator(".main-svg").first).to_be_visible(timeout=30_000)
    expect(plot.locator(".legend .traces").first).to_be_visible()
    expect(plot.locator(".annotation-text").last).to_contain_text("684/")  # the footer
    parts = chart_parts(plot)
    footer = parts["notes"][-1]
    legend = union(parts["entries"])
    assert not overlaps(legend, footer), f"legend {legend} over footer {footer}"
    assert legend["bottom"] <= footer["top"] + 1


@pytest.fixture
def phone(browser, dashboard_server):
    """A touch phone: 360 px, no hover (plotly's mode bar cannot be hovered away)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
    )
    page = context.new_page()
    yield App(page, dashboard_server)
    context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_touch_phone_the_chart_title_and_labels_are_clear(phone, lang):
    page = phone.open(f"/indicator?id={SHARE}&lang={lang}")
    plot = drawn_chart(page, "phone")
    # A tap is all the hover a phone has: on the title, where no point's label comes up (a
    # label is a passing box over the plot, which covers what is under it by design).
    parts, box = chart_parts(plot), plot.bounding_box()
    title = parts["title"]
    plot.tap(
        position={
            "x": (title["left"] + title["right"]) / 2 - box["x"],
            "y": (title["top"] + title["bottom"]) / 2 - box["y"],
        }
    )
    expect(plot.locator(".hoverlayer .hovertext")).to_have_count(0)
    parts = chart_parts(plot)
    assert parts["title"]
    assert parts["modebar"] is None or not overlaps(parts["modebar"], parts["title"])
    assert len(parts["key"]) == 1 and parts["key"][0]["text"].rstrip().endswith("IV.3.a)")
    assert not key_is_readable_and_clear(parts)
    assert not problems_in_chart(chart_texts(plot))


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("indicator", ["public_st_orgs", "st_enterprises", SHARE])
def test_on_a_phone_the_legend_takes_two_rows_at_most(phone, lang, indicator):
    # «Figures», «Target», «Expected path (straight from the baseline)», «Trend projection
    # 2030: Needs acceleration» took three rows at 360 px in both languages, and the budget
    # share's «Year the target was met» a third row in English.
    page = phone.open(f"/indicator?id={indicator}&lang={lang}")
    plot = page.locator('[class*="st-key-chart_phone_"] .js-plotly-plot').first
    expect(plot.locator(".legend .traces").first).to_be_visible(timeout=30_000)
    page.evaluate("() => document.fonts.ready")  # measured in the font it is drawn in
    parts = chart_parts(plot)
    assert len(parts["entries"]) >= 3, parts["entries"]
    rows = {round(entry["top"]) for entry in parts["entries"]}
    assert len(rows) <= 2, parts["entries"]
    legend = union(parts["entries"])
    assert legend["bottom"] - legend["top"] <= 2 * 12 * 1.6 + 2, legend  # two rows of 12 px
    assert inside(legend, parts["svg"]), (legend, parts["svg"])
    plot_area = parts["plotArea"]
    assert plot_area["bottom"] - plot_area["top"] >= 280, plot_area  # the phone's 300 px
    assert legend["top"] > plot_area["bottom"]


# (1024x768: the key wrapped for a 1280 px window ran 30-65 px out of the figure)
@pytest.mark.parametrize(
    ("viewport", "presenter"),
    [
        ({"width": 1920, "height": 1080}, False),
        (SMALL_PROJECTOR, False),
        (SMALL_PROJECTOR, True),
        (OLD_PROJECTOR, False),
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_projector_the_reference_lines_key_is_clear_of_the_plot(
    app, repo_root, lang, viewport, presenter
):
    # The projector's slide wrapped each label onto two lines over the 2% line and the band;
    # the presenter's narrower column cut their beginnings at the plot's left edge.
    slides = expected_slides(repo_root, lang)
    number = next(
        n
        for n, s in enumerate(slides, start=1)
        if isinstance(s, IndicatorSlide) and s.indicator.id == SHARE
    )
    app.page.set_viewport_size(viewport)
    page = app.open(f"/present?lang={lang}&slide={number}" + ("&presenter=1" if presenter else ""))
    plot = page.locator(".st-key-chart_screen_present .js-plotly-plot").first
    expect(plot.locator(".legend2 .traces")).to_have_count(1, timeout=30_000)
    app.wait()
    parts = chart_parts(plot)
    assert not key_is_readable_and_clear(parts)
    assert parts["key"][0]["text"].rstrip().endswith("IV.3.a)")
    # the plot keeps room to be read
    plot_area = parts["plotArea"]
    assert plot_area["bottom"] - plot_area["top"] >= 120, plot_area
    assert not problems_in_chart(chart_texts(plot))
    tag = f"{viewport['width']}{'_presenter' if presenter else ''}_{lang}"
    app.screenshot(f"present_share_key_{tag}")


@pytest.mark.parametrize(
    ("viewport", "most_rows", "least_plot"),
    [(SMALL_PROJECTOR, 2, 160), ({"width": 1920, "height": 1080}, 1, 440)],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_projector_the_budget_shares_legend_leaves_the_plot_its_height(
    app, repo_root, lang, viewport, most_rows, least_plot
):
    # «Số liệu», «Năm đạt mục tiêu», «Mục tiêu: ≥ 1,5% mỗi năm 2016–2030» took a row each
    # under the plot, which was 130 px tall at 1280x720 in English (160 in Vietnamese).
    slides = expected_slides(repo_root, lang)
    number = next(
        n
        for n, s in enumerate(slides, start=1)
        if isinstance(s, IndicatorSlide) and s.indicator.id == SHARE
    )
    app.page.set_viewport_size(viewport)
    page = app.open(f"/present?lang={lang}&slide={number}")
    plot = page.locator(".st-key-chart_screen_present .js-plotly-plot").first
    expect(plot.locator(".legend .traces")).to_have_count(3, timeout=30_000)
    app.wait()
    parts = chart_parts(plot)
    rows = {round(entry["top"]) for entry in parts["entries"]}
    assert len(rows) <= most_rows, parts["entries"]
    plot_area = parts["plotArea"]
    assert plot_area["bottom"] - plot_area["top"] >= least_plot, plot_area
    legend = union(parts["entries"])
    assert legend["top"] > plot_area["bottom"] and inside(legend, parts["svg"])
    assert not problems_in_chart(chart_texts(plot))
    app.screenshot(f"present_share_legend_{viewport['width']}_{lang}")


@pytest.mark.parametrize("indicator", ["st_enterprises", SHARE])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_on_a_1920_projector_the_legend_leaves_no_blank_row(app, repo_root, lang, indicator):
    # The room under the plot was kept for the rows the legend takes in a 640 px plot (two),
    # and the one row it takes at 1920x1080 (English; Vietnamese's enterprises take two)
    # stood 60-90 px under the years.
    slides = expected_slides(repo_root, lang)
    number = next(
        n
        for n, s in enumerate(slides, start=1)
        if isinstance(s, IndicatorSlide) and s.indicator.id == indicator
    )
    app.page.set_viewport_size({"width": 1920, "height": 1080})
    page = app.open(f"/present?lang={lang}&slide={number}")
    plot = page.locator(".st-key-chart_screen_present .js-plotly-plot").first
    expect(plot.locator(".legend .traces").first).to_be_visible(timeout=30_000)
    app.wait()
    parts = chart_parts(plot)
    font = SIZES["projector"].font
    legend, plot_area = union(parts["entries"]), parts["plotArea"]
    years = max(tick["bottom"] for tick in parts["ticks"])
    assert years <= legend["top"] <= years + font, (years, legend)  # under the years, no gap
    assert legend["bottom"] <= parts["svg"]["bottom"] + 1
    if parts["key"]:  # the reference lines' key over the plot: the plot right under it
        key = union(parts["key"])
        assert key["bottom"] <= plot_area["top"] <= key["bottom"] + font, (key, plot_area)
    assert not problems_in_chart(chart_texts(plot))
    app.screenshot(f"present_legend_gap_{indicator}_{lang}")


@pytest.mark.parametrize("number", [4, 8, 12, 19])
def test_the_presenter_link_is_whole_on_a_1920x1080_projector(app, number):
    """At 1920x1080 the row's last link, «Mở cửa sổ người trình bày», ended 6 px below the
    window on slides 4-19 (a table or a chart taking the height its type left, while the gaps
    grew with the window): whole inside it, nothing to scroll."""
    app.page.set_viewport_size({"width": 1920, "height": 1080})
    page = app.open(f"/present?slide={number}")
    link = page.locator(".st-key-present_nav a").filter(has_text="Mở cửa sổ người trình bày")
    expect(link).to_be_visible()
    page.evaluate("() => document.fonts.ready")
    box = link.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 1080, box
    main = page.locator('[data-testid="stMain"]')
    assert main.evaluate("m => m.scrollHeight - m.clientHeight") <= 0
