"""/present (Trình chiếu): the conference deck on screen, one slide at a time, for a projector.

The same slides as the PowerPoint (kpis.slides), in the view's language, as-of year and region;
`?slide=N` in the URL; next/previous buttons (and a clicker's PageDown/PageUp or the arrow
keys); the sidebar hidden; large type, high contrast. `?presenter=1` is the presenter's own
window (speaker notes, the next slide), opened beside the projector's as a new window; the two
follow each other's slide (SYNC_JS).
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Sequence
from urllib.parse import urlencode

import streamlit as st

from kpis.deck import PPTX_MIME, deck_bytes, deck_file_name
from kpis.errors import BrowserNotFound
from kpis.export import prepare
from kpis.i18n import pick
from kpis.images import find_browser
from kpis.safe_text import md_text
from kpis.slides import (
    IndicatorSlide,
    ScorecardSlide,
    Slide,
    TasksSlide,
    TitleSlide,
    build_slides,
    chart_for,
)
from kpis.slides import word as slide_word
from kpis.ui_text import t
from ui import cache, state, widgets

# Our own constant CSS (no user text): hide the sidebar and the header; the slide, its source
# line and the Previous/Next row fit the window's height at 1280x720, 1366x768 and 1920x1080
# (projectors), so sizes follow the height: text ~20 px at 720 px high (none under 18), 24-26
# px at 1080; the chart and a table take the height the rest leaves (calc(100vh - ...)). That
# rest is part type (em) and part gaps and paddings (vh), and the type stops growing at ~915 px
# high (its clamps' caps) while the gaps keep growing: a budget of type alone cut the bottom
# link by 6 px at 1920x1080 (20 px at 1920x1200). Each budget gives up a share of the height.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], [data-testid="stHeader"] {display:none !important}
[data-testid="stMainBlockContainer"] {max-width:100% !important;
  padding:1.2vh 2.5rem 0.5vh 2.5rem !important}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {
  gap:clamp(0.3rem, 1.1vh, 1rem)}
[data-testid="stMain"] [data-testid="stHeading"] [data-testid="stMarkdownContainer"] {
  margin-bottom:0 !important}
[data-testid="stMain"] {font-size:clamp(1.15rem, 2.8vh, 1.6rem);color:#111111}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td,
[data-testid="stMain"] th, [data-testid="stMain"] button p, [data-testid="stMain"] a p,
[data-testid="stMain"] summary p {font-size:clamp(1.15rem, 2.8vh, 1.6rem);line-height:1.3}
[data-testid="stMain"] [data-testid="stIconMaterial"] {font-size:clamp(1.15rem, 2.8vh, 1.6rem)
  !important}
.st-key-present_slide h1 {font-size:clamp(1.6rem, 4.8vh, 2.6rem) !important;line-height:1.15;
  color:#1F3A5F;padding:0}
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] * {
  font-size:clamp(1.15rem, 2.6vh, 1.5rem) !important;
  color:#333333 !important;opacity:1 !important;line-height:1.3}
.st-key-present_slide [data-testid="stMetricValue"] {font-size:clamp(1.4rem, 3.6vh, 2.2rem)}
.st-key-present_slide [data-testid="stMetricLabel"] p {font-size:clamp(1.15rem, 2.6vh, 1.5rem)}
.st-key-present_slide .kpi-badge {font-size:clamp(1.15rem, 2.8vh, 1.6rem);padding:4px 16px;
  border-radius:10px}
.st-key-present_title {background:#1F3A5F;border-radius:12px;padding:8vh 3rem}
.st-key-present_title h1, .st-key-present_title p {color:#FFFFFF !important}
.st-key-present_title h1 {font-size:clamp(1.8rem, 5.2vh, 2.8rem) !important}
.kpi-present-tag {display:inline-block;background:#FFE8A3;color:#5C4200;font-weight:700;
  padding:4px 14px;border-radius:8px;font-size:clamp(1.15rem, 2.6vh, 1.5rem)}
table.kpi-present-table {width:100%;border-collapse:collapse;
  height:min(100vh - 22em, 86vh - 13em)}
[data-testid="stMain"] .kpi-present-table td {font-size:clamp(1.15rem, 2.6vh, 1.6rem);
  line-height:1.2}
[data-testid="stMain"] .kpi-present-table th {background:#1F3A5F;color:#FFFFFF;
  text-align:left;padding:0.7vh 12px;font-size:clamp(1.15rem, 2.6vh, 1.5rem);line-height:1.2}
.kpi-present-table td {padding:0.7vh 12px;border-bottom:1px solid #D0D5DD;
  vertical-align:middle}
.kpi-present-table tr:nth-child(even) td {background:#F2F4F7}
.kpi-present-table td.num {text-align:right;white-space:nowrap}
/* Under 1200 px wide the figures' cells wrap too: kept on one line, they took half a 1024 px
   table and left the indicator's name 110 px, a word a line, 7 rows 700 px high */
@media (max-width: 1200px) {.kpi-present-table td.num {white-space:normal}}
.st-key-chart_screen_present {flex:none !important;height:calc(85vh - 8em) !important;
  min-height:220px}
.st-key-present_lone_figure {background:#F2F4F7;border-radius:12px;padding:6vh 2rem;
  text-align:center}
.st-key-present_lone_figure p {margin:0;line-height:1.15;color:#475467;
  font-size:clamp(1.15rem, 2.6vh, 1.5rem)}
.st-key-present_lone_number p {font-size:clamp(3rem, 14vh, 7rem);font-weight:700;
  color:#1F3A5F}
.st-key-present_lone_unit p {font-size:clamp(1.4rem, 4vh, 2.3rem);color:#1D2939}
.st-key-present_nav {margin-top:0.4vh;border-top:1px solid #D0D5DD;padding-top:0.6vh}
.st-key-present_nav button {min-height:0;padding-top:0.4vh;padding-bottom:0.4vh}
.st-key-present_nav button [data-testid="stMarkdownContainer"], .st-key-present_nav button p,
.st-key-present_nav a [data-testid="stMarkdownContainer"], .st-key-present_nav a p
  {white-space:normal;overflow:visible;text-overflow:clip}
/* the other window's link is a link button (it opens a new window), laid out as the page link
   above it (Streamlit's margins and padding for one): a link button's 8 px more pushed the
   row under the slide's foot at 1024x768, and its icon sat out of line */
.st-key-present_other_window {margin:-6px 0}
.st-key-present_other_window a {min-height:0;padding:0 8px;margin:2px 0}
/* A phone (the shared link opened in the hall): type and margins for 360 px, the tables
   scrolled sideways rather than cut (which chart shows: widgets.STYLE's chart_screen_ and
   chart_phone_ rule) */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding:1.2vh 1rem 0.5vh 1rem !important}
  .st-key-present_title {padding:4vh 1.25rem}
  .st-key-present_title h1 {font-size:1.6rem !important}
  .st-key-present_slide h1 {font-size:1.45rem !important}
  [data-testid="stMain"] .kpi-present-table td, [data-testid="stMain"] .kpi-present-table th
    {font-size:1rem}
  /* a table row a card, each cell under its column's name (data-label): a scorecard's
     progress and status were off to the right of a 360 px screen */
  table.kpi-present-table, .kpi-present-table tbody, .kpi-present-table tr,
  .kpi-present-table td {display:block;height:auto}
  .kpi-present-table thead {display:none}
  .kpi-present-table tr {border:1px solid #D0D5DD;border-radius:8px;margin-bottom:0.6rem;
    padding:0.3rem 0}
  .kpi-present-table td, .kpi-present-table tr:nth-child(even) td {border:none;
    background:none;text-align:left !important;white-space:normal !important}
  .kpi-present-table td:first-child {font-weight:700}
  .kpi-present-table td[data-label]::before {content:attr(data-label) ": ";font-weight:400;
    color:#475467}
}
.st-key-present_notes {background:#FFF8E1;border-radius:10px;padding:1rem 1.2rem}
.st-key-present_next_slide {border:2px dashed #8C8C8C;border-radius:10px;padding:1rem 1.2rem}
/* the next slide's heading: an h2 after the slide's h1 (no level skipped), an h3's size */
[data-testid="stMain"] .st-key-present_next_slide h2 {font-size:1.75rem;padding:0.75rem 0 1rem;
  letter-spacing:-0.005em}
</style>
"""
# The presenter's window has its Previous/Next row on top, the slide and the notes below it
# (`nav`): beside the notes, the slide's column is narrower, its heading and table cells wrap,
# and a slide's notes may be longer than the screen; the row below them was off a 1280x720
# screen on 2 of 19 slides.
PRESENTER_CSS = """
<style>
.st-key-present_nav {margin-top:0;border-top:none;padding-top:0;
  border-bottom:1px solid #D0D5DD;padding-bottom:0.6vh}
</style>
"""
# The projector's window (not the presenter's): the page is one screen high, a column whose
# slide takes what the Previous/Next row leaves, and an indicator's chart what the slide's
# heading, the panel beside it and the source line leave. The budget above, calc(85vh - 8em),
# assumes a one-line heading and a one-line row of buttons; at 1024x768 a long name wraps
# onto two lines and so do the row's labels, and the row went under the screen's edge on 12
# indicator slides of 13. The five scripts and stylesheets before the slide take no room:
# each was a flex gap, 42 px in all. Not on a phone, where the slide scrolls.
PROJECTOR_CSS = """
<style>
@media (min-width: 641px) {
  [data-testid="stMainBlockContainer"] {height:100vh;box-sizing:border-box;display:flex;
    flex-direction:column}
  [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {flex:1 1 0;
    min-height:0}
  [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > :is(
    [data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child),
    [data-testid="stElementContainer"]:has([data-testid="stMarkdownContainer"] > style:only-child),
    [data-testid="stLayoutWrapper"]:has(> .st-key-document_language)) {display:none}
  [data-testid="stLayoutWrapper"]:has(> .st-key-present_slide) {flex:1 1 0;min-height:0}
  [data-testid="stLayoutWrapper"]:has(> .st-key-present_nav) {flex:none}
  /* Streamlit pulls each page link 6 px past its box (margin:-6px 0): the last one, in the
     row's foot, would stick 6 px out of the screen */
  .st-key-present_nav {padding-bottom:6px}
  .st-key-present_slide > [data-testid="stLayoutWrapper"]:has(.st-key-chart_screen_present) {
    flex:1 1 0;min-height:0}
  .st-key-present_slide [data-testid="stColumn"]:has(.st-key-chart_screen_present) {
    display:flex;flex-direction:column}
  [data-testid="stLayoutWrapper"]:has(> .st-key-chart_screen_present) {flex:1 1 0;
    min-height:0}
  .st-key-chart_screen_present {flex:1 1 0 !important;height:auto !important}
}
/* an older projector's 1024 px: the chart's column a little wider (kpis.charts.SIZES'
   projector plot_width is its plot there), the gap beside the panel half Streamlit's large */
@media (min-width: 641px) and (max-width: 1200px) {
  .st-key-present_slide [data-testid="stHorizontalBlock"]:has(.st-key-chart_screen_present) {
    gap:2rem}
}
</style>
"""
# Our own constant script: a presentation clicker sends PageDown/PageUp (or the arrow keys);
# they press the Next/Previous buttons. Installed once per browser tab, inert off /present.
CLICKER_JS = """
<script>
if (!window.kpisPresentKeys) {
  window.kpisPresentKeys = true;
  document.addEventListener("keydown", (event) => {
    const tag = (event.target && event.target.tagName) || "";
    if (["INPUT", "TEXTAREA", "SELECT"].includes(tag) || event.altKey || event.ctrlKey
        || event.metaKey) return;
    const forward = ["PageDown", "ArrowRight"].includes(event.key);
    const back = ["PageUp", "ArrowLeft"].includes(event.key);
    if (!forward && !back) return;
    const button = document.querySelector(
      forward ? ".st-key-present_next button" : ".st-key-present_previous button");
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
}
</script>
"""
# Our own constant script with the slide's number: each slide starts at its top. On a phone the
# Next button is below the slide, and the page kept its scroll, so the next slide opened on its
# sources and buttons, its title and chart above the screen. (Which element scrolls depends on
# Streamlit's layout: each that may is set.)
TOP_JS = """
<script>
if (window.kpisPresentSlide !== {number}) {{
  window.kpisPresentSlide = {number};
  for (const box of [document.scrollingElement,
                     document.querySelector('[data-testid="stMain"]'),
                     document.querySelector('[data-testid="stAppViewContainer"]')]) {{
    if (box) box.scrollTop = 0;
  }}
}}
</script>
"""
# Our own constant script: the projector's window and the presenter's show the same slide,
# whichever of them the presenter drives (a clicker drives the focused one: the laptop's).
# Both run in one browser, so a same-origin BroadcastChannel carries the number; nothing
# leaves the machine. Only a Next/Previous press in this window (by hand, or a key through
# CLICKER_JS) is announced, once its slide is drawn: a slide received from the other window
# is not, so two windows never echo each other, and returning to /present from another page
# moves no one. A message names its deck (deck_id: plan, language, year and region, whose
# slides differ); another deck's is ignored, and the number is checked against this deck's
# count before use. The window follows by rewriting ?slide= and telling Streamlit the address
# changed (as the browser's Back does), so it reruns on the new slide without a reload. A
# browser without BroadcastChannel (Safari before 15.4) keeps each window on its own.
SYNC_JS = """
<script>{
window.kpisPresentDeck = {deck: "{deck}", number: {number}, count: {count}};
if (!window.kpisPresentSync && "BroadcastChannel" in window) {
  const sync = {channel: new BroadcastChannel("kpis-present"), driven: false, drawn: null};
  window.kpisPresentSync = sync;
  document.addEventListener("click", (event) => {
    const target = event.target;
    if (target && target.closest && target.closest(
        ".st-key-present_next button, .st-key-present_previous button")) sync.driven = true;
  }, true);
  sync.channel.onmessage = (event) => {
    const data = event.data;
    const here = window.kpisPresentDeck;
    if (!data || data.kind !== "kpis-present-slide" || !here || data.deck !== here.deck
        || !document.querySelector(".st-key-present_slide")) return;
    const number = data.number;
    if (!Number.isInteger(number) || number < 1 || number > here.count
        || number === here.number) return;
    const url = new URL(window.location.href);
    url.searchParams.set("slide", String(number));
    window.history.replaceState(window.history.state, "", url);
    window.dispatchEvent(new PopStateEvent("popstate", {state: window.history.state}));
  };
}
const sync = window.kpisPresentSync;
if (sync && sync.drawn !== window.kpisPresentDeck.number) {
  sync.drawn = window.kpisPresentDeck.number;
  if (sync.driven) {
    sync.driven = false;
    sync.channel.postMessage({kind: "kpis-present-slide", deck: window.kpisPresentDeck.deck,
                              number: sync.drawn});
  }
}
}</script>
"""


def deck_id(view: state.View) -> str:
    """Which deck a window shows, for SYNC_JS: the same plan, language, year and region give
    the same slides. A hash, so that no user text (a region's name) is written into a script."""
    key = json.dumps([view.plan.plan.id, str(view.targets), view.lang, view.as_of, view.region])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


WORDS = {
    "previous": ("◀ Trước", "◀ Previous"),
    "next": ("Tiếp ▶", "Next ▶"),
    "exit": ("Thoát trình chiếu", "Leave presentation"),
    "progress": ("Tiến độ", "Progress"),
    "notes": ("Lời dẫn", "Speaker notes"),
    "next_slide": ("Trang tiếp theo", "Next slide"),
    "last_slide": ("Đây là trang cuối.", "This is the last slide."),
    "audience": ("Mở cửa sổ cho khán giả", "Open the audience window"),
    "presenter": ("Mở cửa sổ người trình bày", "Open the presenter window"),
    "no_browser": ("Không tạo được tệp PowerPoint: ", "Cannot make the PowerPoint file: "),
}


def word(key: str, lang: str) -> str:
    vi, en = WORDS[key]
    return pick(vi, en, lang)


def tag(text: str) -> str:
    """The illustrative-figures tag; `text` is one of our own constant labels."""
    return f'<span class="kpi-present-tag">{text}</span>'


def show_title(slide: TitleSlide) -> None:
    with st.container(key="present_title"):
        st.title(md_text(slide.title), anchor=False)
        st.markdown(f"**{md_text(slide.as_of_line)}**")
        st.markdown(md_text(slide.document_line))
        st.markdown(md_text(slide.made_line))
    if slide.illustrative:
        st.markdown(tag(slide.illustrative), unsafe_allow_html=True)


def show_scorecard(slide: ScorecardSlide, lang: str) -> None:
    head, label = st.columns([5, 1.3], vertical_alignment="center")
    head.title(md_text(slide.heading), anchor=False)
    if slide.illustrative:
        label.markdown(tag(slide.illustrative), unsafe_allow_html=True)
    st.caption(md_text(slide.summary))
    if slide.tracked:  # a plan without targets: its tracked figures, as the deck
        present_table(
            slide.tracked_columns,
            [
                [("", html.escape(name)), ("num", html.escape(figure))]
                for name, figure in slide.tracked
            ],
        )
        st.caption(md_text(slide.footer))
        return
    if not slide.rows:
        return  # no figures either: the summary says so
    # One table filling the slide's height (rows stretch), every cell escaped: names and
    # targets are the plan's words; the status cell is our badge (word beside colour).
    present_table(
        slide.columns,
        [
            [
                ("", html.escape(row.name)),
                ("", html.escape(row.target)),
                ("num", html.escape(row.figure)),
                ("num", html.escape(row.progress)),
                ("", widgets.status_badge_html(row.status, lang)),
            ]
            for row in slide.rows
        ],
    )
    st.caption(md_text(slide.footer))


def present_table(columns: Sequence[str], rows: Sequence[Sequence[tuple[str, str]]]) -> None:
    """A projector's table: `rows` of (class, cell HTML already escaped) under `columns`. Each
    cell but the first carries its column's name (data-label), which a phone's card shows
    before it (PRESENT_CSS)."""
    head_cells = "".join(f"<th>{html.escape(h)}</th>" for h in columns)
    labels = [html.escape(h, quote=True) for h in columns]

    def cell(at: int, kind: str, inner: str) -> str:
        attributes = (f' class="{kind}"' if kind else "") + (
            f' data-label="{labels[at]}"' if at else ""
        )
        return f"<td{attributes}>{inner}</td>"

    body = "".join(
        "<tr>" + "".join(cell(at, kind, inner) for at, (kind, inner) in enumerate(row)) + "</tr>"
        for row in rows
    )
    st.markdown(
        f'<table class="kpi-present-table"><thead><tr>{head_cells}</tr></thead>'
        f"<tbody>{body}</tbody></table>",
        unsafe_allow_html=True,
    )


def show_tasks(slide: TasksSlide) -> None:
    # the heading, summary and counts carry the plan's words, the footer its document
    st.title(md_text(slide.heading), anchor=False)
    st.markdown(f"**{md_text(slide.summary)}**")
    st.caption(md_text(slide.note or slide.counts))  # as the deck: no report at all, said so
    if slide.rows:  # the same projector table as the scorecard, every cell escaped
        present_table(
            slide.columns, [[("", html.escape(str(cell))) for cell in row] for row in slide.rows]
        )
    st.caption(md_text(slide.footer))


def show_indicator(slide: IndicatorSlide, report, lang: str, chart_size: str) -> None:
    """`chart_size`: "projector", or "presenter" in the presenter's narrower column."""
    head, label = st.columns([5, 1.3], vertical_alignment="bottom")
    if slide.group:
        head.caption(md_text(slide.group.upper()))
    head.title(md_text(slide.heading), anchor=False)
    if slide.illustrative:
        label.markdown(tag(slide.illustrative), unsafe_allow_html=True)
    chart_col, panel = st.columns([2.3, 1], gap="large")
    if slide.lone is not None:  # one figure said large, as the deck does: a dot on empty axes
        with chart_col.container(key="present_lone_figure"):  # told the room nothing more
            lone = slide.lone
            for part, line in (("number", lone.number), ("unit", lone.unit), ("when", lone.when)):
                if line:
                    st.container(key=f"present_lone_{part}").markdown(md_text(line))
    elif slide.has_figures:  # drawn for a projector: 24 px type, the slide's own title above;
        # as high as the window leaves (PRESENT_CSS), the figure redrawn to its element's height
        with chart_col.container(key="chart_screen_present"):
            # its name for a screen reader: the figures in words, as the slide was built with
            # them (the panel beside says them too)
            widgets.aria_names("figure", {"": slide.alt})
            st.plotly_chart(
                chart_for(report, slide, size=chart_size),
                width="stretch",
                height="stretch",
                theme=None,
                key="present_chart_figure",
                config={"displayModeBar": False},
            )
        # A phone gets a figure laid out for its width, the stylesheet showing the one that
        # fits (as `widgets.chart` does): the projector's 24 px type and ticks overran 360 px.
        with chart_col.container(key="chart_phone_present"):
            widgets.aria_names("figure", {"": slide.alt})
            st.plotly_chart(
                chart_for(report, slide, size="phone_slide"),
                width="stretch",
                theme=None,
                key="present_chart_figure_phone",
                config={"displayModeBar": False},
            )
    else:  # no empty axes
        chart_col.info(slide_word("no_chart", lang))
    with panel:
        for row in slide.targets:
            st.markdown(widgets.status_badge_html(row.status, lang), unsafe_allow_html=True)
            st.markdown(
                f"**{md_text(row.target)}**  \n{word('progress', lang)}: {md_text(row.progress)}"
            )
        for number in () if slide.lone else slide.key_numbers:  # (the figure is the picture)
            st.metric(md_text(number.label), md_text(number.value))
    st.caption(f"{md_text(slide.source_line)}  \n{md_text(slide.clause_line)}")


def show_notes(slide: Slide, following: Slide | None, number: int, count: int, lang: str) -> None:
    """The presenter's window only: what to say, and what comes next."""
    notes = getattr(slide, "notes", ())
    if notes:
        with st.container(key="present_notes"):
            st.markdown(f"**{word('notes', lang)}**")
            for sentence in notes:
                st.markdown(md_text(sentence))
    with st.container(key="present_next_slide"):
        if following is None:
            st.markdown(word("last_slide", lang))
        else:
            st.markdown(f"**{word('next_slide', lang)} ({number + 1} / {count})**")
            st.markdown(f"## {md_text(following.heading)}")
            status = getattr(following, "status", None)
            if status:
                st.markdown(widgets.status_badge_html(status, lang), unsafe_allow_html=True)


def slide_number(count: int) -> int:
    """`?slide=N` (1-based), kept within the deck; a bad value shows the first slide."""
    try:
        number = int(st.query_params.get("slide", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), count)


def go_to(number: int) -> None:
    st.query_params["slide"] = str(number)


view = state.current_view()
lang = view.lang
# ?presenter=1: the presenter's own window, with the speaker notes and the next slide; the
# audience's window (the projector) shows the slide alone.
presenter = st.query_params.get("presenter") == "1"
st.markdown(PRESENT_CSS + (PRESENTER_CSS if presenter else PROJECTOR_CSS), unsafe_allow_html=True)
st.html(CLICKER_JS, unsafe_allow_javascript=True)
tasks, _, tasks_date = cache.task_table_cached(view) if view.plan.tasks else (None, [], None)
report = prepare(
    view.plan,
    view.table,
    as_of=view.as_of,
    region=view.region,
    lang=lang,
    tasks=tasks,
    tasks_date=tasks_date,
)
slides = build_slides(report)
number = slide_number(len(slides))
st.query_params["slide"] = str(number)
st.html(TOP_JS.format(number=number), unsafe_allow_javascript=True)
st.html(
    SYNC_JS.replace("{deck}", deck_id(view))
    .replace("{number}", str(number))
    .replace("{count}", str(len(slides))),
    unsafe_allow_javascript=True,
)
current = slides[number - 1]


def show_slide() -> None:
    with st.container(key="present_slide"):
        if isinstance(current, TitleSlide):
            show_title(current)
        elif isinstance(current, ScorecardSlide):
            show_scorecard(current, lang)
        elif isinstance(current, TasksSlide):
            show_tasks(current)
        else:
            show_indicator(current, report, lang, "presenter" if presenter else "projector")


nav = st.container(key="present_nav") if presenter else None
if presenter:
    shown, side = st.columns([2.6, 1], gap="large")
    with shown:
        show_slide()
    with side:
        following = slides[number] if number < len(slides) else None
        show_notes(current, following, number, len(slides), lang)
else:
    show_slide()

if nav is None:  # (the projector's: below the slide)
    nav = st.container(key="present_nav")
# The deck's button is the row's longest label ("Download the slides (PowerPoint)", 20 px
# type at 720 px high): its column takes room from Previous/Next, whose words are short,
# so it shows on one line at 1280x720 and 1366x768; below, the row's labels wrap (the
# stylesheet above) and show whole at 1024x768 too (tests/browser/test_fits.py).
back, where, forward, download, leave = nav.columns(
    [0.8, 0.5, 0.8, 2, 1.6], vertical_alignment="center"
)
back.button(
    word("previous", lang),
    key="present_previous",
    disabled=number == 1,
    on_click=go_to,
    args=(number - 1,),
    width="stretch",
)
where.markdown(f"**{number} / {len(slides)}**", text_alignment="center")
forward.button(
    word("next", lang),
    key="present_next",
    disabled=number == len(slides),
    on_click=go_to,
    args=(number + 1,),
    width="stretch",
    type="primary",
)
try:
    find_browser()
except BrowserNotFound as exc:
    download.caption(word("no_browser", lang) + exc.message(lang))
else:
    plan, table, as_of, region = view.plan, view.table, view.as_of, view.region
    widgets.made_download(  # made on click while a bar counts the charts, then downloaded
        key="present_download",
        make_label=t("make_deck", lang),
        label=slide_word("download_deck", lang),
        build=lambda progress: deck_bytes(
            plan,
            table,
            as_of=as_of,
            region=region,
            lang=lang,
            tasks=tasks,
            tasks_date=tasks_date,
            progress=progress,
        ),
        file_name=deck_file_name(plan, as_of, lang),
        mime=PPTX_MIME,
        icon=":material/download:",
        lang=lang,
        made_for=(cache.cache_key(view.targets, view.data), as_of, region, lang),
        where=download,
    )
leave.page_link(
    "app_pages/overview.py",
    label=word("exit", lang),
    icon=":material/close:",
    query_params=view.link_params(),
)
other = {k: v for k, v in view.link_params(slide=str(number)).items() if k != "presenter"}
if not presenter:
    other["presenter"] = "1"
# A new window (a page link would turn this one into the other): the presenter drags it to
# the laptop's screen; SYNC_JS keeps the two on one slide. Relative, so it stays on this
# server and under its base path.
leave.link_button(
    word("audience" if presenter else "presenter", lang),
    "present?" + urlencode(other),
    icon=":material/open_in_new:",
    key="present_other_window",
    type="tertiary",
)
