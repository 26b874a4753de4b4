"""Small reusable widgets: status badges, bars, count cards, notices, charts, downloads.

The HTML here is built only from our own constants and numbers we formatted, never from
user text; the stylesheet (STYLE) is ours too, with no external font or script, so the
dashboard works offline.
"""

from __future__ import annotations

import csv
import html
import io
import json
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kpis.cards import Card
from kpis.charts import png_config, sparkline_svg, status_colour
from kpis.errors import HEADER_LINE, WHOLE_FILE, WHOLE_ROW, Problem
from kpis.i18n import SHOWN_STYLES, STATUS_STYLES
from kpis.safe_cells import neutralise_frame
from kpis.safe_text import WORD_JOINER, md_text
from kpis.templates import HEADERS_VI
from kpis.ui_text import CONTROL_NAMES_VI, is_illustrative, t
from ui.cache import LoadError


def show_load_error(error: LoadError, lang: str) -> None:
    """A plan or data folder that failed to load: a message and every problem, no traceback."""
    st.error(error.message(lang))
    if error.problems:
        problems_table(list(error.problems), lang, "load_problems")


def short_path(file: str, folder: Path | str | None) -> str:
    """`/srv/kpi/data/2025.csv` -> `data/2025.csv`: the name people see in their folder.
    Never the server's absolute path: a file outside the folder is named by its name alone."""
    fallback = Path(file).name if Path(file).is_absolute() else file
    if folder is None:
        return fallback
    try:
        return str(Path(file).resolve().relative_to(Path(folder).resolve().parent))
    except (ValueError, OSError):
        return fallback


# The places a problem of no one cell has (kpis.errors): the command line keeps these machine
# words for scripts, a Vietnamese page says them in Vietnamese, as it does a figure's columns.
_PLACE_WORDS_VI = {WHOLE_FILE: "tệp", WHOLE_ROW: "dòng", HEADER_LINE: "dòng tiêu đề"}


def problems_frame(
    problems: Sequence[Problem], lang: str, folder: Path | None = None
) -> pd.DataFrame:
    """Problems as a table: place (file:line: column), severity, message.

    `folder`: the data folder, so files under it are named `data/2025.csv`, not a long path.
    A figure's column is named as the Vietnamese template heads it on a Vietnamese page
    («giá trị», not the contract's «value», which the command line keeps).
    """
    places = []
    for p in problems:
        column = (
            _PLACE_WORDS_VI.get(p.column) or HEADERS_VI.get(p.column, p.column)
            if lang == "vi" and p.column
            else p.column
        )
        shown = Problem(
            short_path(p.file, folder), p.message_vi, p.message_en, p.line, column, p.severity
        )
        places.append(shown.place())
    return pd.DataFrame(
        {
            t("col_place", lang): places,
            t("col_severity", lang): [
                t("severity_error" if p.is_error else "severity_warning", lang) for p in problems
            ],
            t("col_message", lang): [p.message(lang) for p in problems],
        }
    )


def problems_table(
    problems: Sequence[Problem], lang: str, key: str, folder: Path | None = None
) -> None:
    """Problems (`problems_frame`) where each message is read in full, its advice too: a
    table that wraps while there are few enough to read (`short_or_grid`)."""
    short_or_grid(problems_frame(problems, lang, folder), key)


def status_badge_html(status: str, lang: str) -> str:
    """A coloured badge with icon and word (METHOD.md's word; colour never alone).

    Built only from our own constants, never from user text. `status` may be
    NOT_APPLICABLE (kpis.shown.shown_status): «⊘ Không áp dụng» on white, no status colour.
    """
    style = SHOWN_STYLES[status]
    # white on a white page: a grey outline keeps it a badge
    edge = ";box-shadow:inset 0 0 0 1px #8C8C8C" if status not in STATUS_STYLES else ""
    return (
        f'<span class="kpi-badge" style="background:{style.colour};color:{style.ink}{edge}">'
        f"{html.escape(style.icon)} {html.escape(style.word(lang))}</span>"
    )


def progress_bar_html(
    progress: float | None, expected: float | None, status: str, label: str
) -> str:
    """A progress bar in the status colour with a tick where a straight path would be.

    `label` is a number we formatted (e.g. '67%'), not user text.
    """
    share = 0.0 if progress is None else max(0.0, min(1.0, progress))
    tick = ""
    if expected is not None and 0 <= expected <= 1:
        tick = f'<span class="kpi-bar-tick" style="left:{expected * 100:.1f}%"></span>'
    return (
        f'<div class="kpi-bar" role="img" aria-label="{html.escape(label)}">'
        f'<span class="kpi-bar-fill" style="width:{share * 100:.1f}%;'
        f'background:{status_colour(status)}"></span>{tick}</div>'
        f'<div class="kpi-bar-label">{html.escape(label)}</div>'
    )


def counts_html(counts: dict[str, int], lang: str) -> str:
    """One card per status present: the count over '✔ Đã đạt', edged in the status colour.

    A wrapping flex row, so on a phone the cards sit two abreast instead of one per screen.
    """
    cards = []
    for status, count in counts.items():
        style = SHOWN_STYLES[status]  # not applicable too: counted apart from «no data»
        cards.append(
            f'<div class="kpi-count" style="border-color:{style.colour}">'
            f"<b>{count}</b>{html.escape(style.icon)} {html.escape(style.word(lang))}"
            "</div>"
        )
    return '<div class="kpi-counts">' + "".join(cards) + "</div>"


def sparkline_html(values: Sequence[float], status: str | None = None) -> str:
    svg = sparkline_svg(values, status_colour(status) if status else "#1F4E79")
    return f'<div class="kpi-spark">{svg}</div>' if svg else ""


STYLE = """
<style>
.kpi-badge {display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;
  font-size:0.9rem;white-space:nowrap}
.kpi-bar {position:relative;height:12px;background:#E6E9EE;border-radius:6px;overflow:hidden;
  max-width:220px;margin-top:6px}
.kpi-bar-fill {position:absolute;left:0;top:0;bottom:0;border-radius:6px}
.kpi-bar-tick {position:absolute;top:-2px;bottom:-2px;width:2px;background:#1A1A1A}
.kpi-bar-label {font-size:0.8rem;color:#444}
.kpi-count {border-left:6px solid;padding:4px 10px;margin-bottom:6px;background:#F7F9FB}
[data-testid="stMainBlockContainer"] {padding-top:2.5rem}
[data-testid="stMain"] h1 {font-size:1.7rem;line-height:1.3}
/* The headings go down one level at a time (axe heading-order; a screen reader's list of
   headings): a page's sections are h2 (st.header) under its h1, where st.subheader's h3 and
   Markdown's ##### skipped levels on 8 of 9 pages. Each keeps the size it was drawn at: a
   section's head an h3's, a short head written in Markdown («## 11 mục tiêu») an h5's, an
   agency's name (an h2 over h3 sections) Streamlit's h2. */
[data-testid="stMain"] [data-testid="stHeading"] h2 {font-size:1.75rem;padding:0.75rem 0 1rem}
[data-testid="stMain"] [data-testid="stMarkdown"] h2 {font-size:1.25rem;padding:0.375rem 0 1rem;
  letter-spacing:normal}
[data-testid="stMain"] .st-key-agency_name h2 {font-size:2.25rem;padding:1rem 0}
[data-testid="stMetricValue"] {font-size:1.6rem}
/* A metric's label wraps, where Streamlit cuts it with «…»: «Số liệu năm hạn 2…» hid the
   deadline's year on a phone */
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"] p {white-space:normal;overflow:visible;text-overflow:clip;
  overflow-wrap:anywhere}
.kpi-counts {display:flex;flex-wrap:wrap;gap:8px;margin-bottom:12px}
.kpi-counts .kpi-count {flex:1 1 150px;margin:0}
.kpi-spark svg {width:100%;max-width:140px;height:auto}
[class*="st-key-chart_phone_"] {display:none}
@media (max-width: 640px) {
  [class*="st-key-chart_phone_"] {display:block}
  [class*="st-key-chart_screen_"] {display:none}
  [data-testid="stMain"] h1 {font-size:1.25rem}
  [data-testid="stMainBlockContainer"] {padding-left:0.8rem;padding-right:0.8rem}
  [data-testid="stMetricValue"] {font-size:1.3rem}
  .kpi-counts .kpi-count {flex:1 1 40%}
  [class*="st-key-headline_"] [data-testid="stColumn"] {
    min-width:calc(50% - 0.5rem) !important;flex:1 1 calc(50% - 0.5rem) !important}
}
.kpi-count b {font-size:1.6rem;display:block;line-height:1.2}
/* text_table on a phone: each row a card, the header hidden but kept for screen readers */
@media (max-width: 640px) {
  [class*="st-key-cards_"] table, [class*="st-key-cards_"] tbody, [class*="st-key-cards_"] tr,
  [class*="st-key-cards_"] td {display:block;width:auto}
  [class*="st-key-cards_"] thead {position:absolute;width:1px;height:1px;overflow:hidden;
    clip-path:inset(50%);white-space:nowrap}
  [class*="st-key-cards_"] tr {border:1px solid #D0D5DD;border-radius:8px;padding:6px 10px;
    margin-bottom:8px}
  [class*="st-key-cards_"] td {border:none;padding:2px 0 !important;white-space:normal;
    overflow-wrap:anywhere}
  [class*="st-key-cards_"] td:first-child {font-weight:600}
  [class*="st-key-cards_"] td div, [class*="st-key-cards_"] td p {display:inline}
  [class*="st-key-cards_"] td::before {color:#444}
}
/* Streamlit marks a focused link only with a faint fill: a keyboard user must see where they are */
a:focus-visible, button:focus-visible, [role="button"]:focus-visible,
[tabindex]:focus-visible, summary:focus-visible {outline:3px solid #1A56DB !important;
  outline-offset:2px}
/* (a fold's header, `summary`, had only Streamlit's half-transparent shadow, 2.5:1 on white.)
   A chart's toolbar shows on hover, or while it holds the focus, fading in over 0.3 s: a
   button just reached by Tab was see-through, its outline too. Shown whole at once. */
.js-plotly-plot .plotly:focus-within .modebar--hover .modebar-group {opacity:1;transition:none}
/* A collapsed sidebar (a phone, or 200 % zoom) is only moved off screen by Streamlit: its 14
   links and boxes stayed in the Tab order, focused where nobody sees them, and read by a
   screen reader. Hidden once it has slid out (so the slide still shows); shown at once when
   opened, since the open state's transition has no delay on visibility. Its widgets' labels
   set visibility:visible themselves (the help "?" in one stayed in the Tab order): inside,
   everything follows the panel. */
[data-testid="stSidebar"][data-collapsed="true"] {visibility:hidden;
  transition:transform 0.3s, min-width 0.3s, max-width 0.3s, visibility 0s 0.3s}
[data-testid="stSidebar"][data-collapsed="true"] * {visibility:inherit !important}
/* A help "?" is a 16 px icon, under the 24x24 px a finger needs (WCAG 2.5.8): its button grows
   by 4 px each side and gives the room back with a negative margin, so nothing moves */
[data-testid="stTooltipIcon"] button {padding:4px;margin:-4px}
/* A heading's link to itself is named "Link to heading" in English whatever the page's language,
   and nobody here shares a link to a heading: not shown, so not read out or tabbed to */
[data-testid="stHeaderActionElements"] a[href^="#"] {display:none}
/* document_language's script: it runs where it is, and takes no room in the page */
.st-key-document_language {display:none}
/* Printing (staff print the overview for meetings): the page alone, across the sheet. The
   sidebar took a quarter of every page, buttons and pickers printed though nothing can be
   pressed on paper, a link was clipped at the edge, and target cards split between pages. */
@media print {
  @page {size:A4;margin:12mm}
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stPageLink"], [data-testid="stRadio"], [data-testid="stSelectbox"],
  [data-testid="stMultiSelect"], [data-testid="stTextInput"], [data-testid="stNumberInput"],
  [data-testid="stCheckbox"], [data-testid="stToggle"], [data-testid="stFileUploader"],
  [data-testid="stTooltipIcon"], [data-testid="stElementToolbar"],
  [data-testid="stProgress"] {display:none !important}
  /* the app scrolls inside fixed-height boxes on screen; on paper every box grows with its
     content, or the content past the first page is lost */
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    height:auto !important;overflow:visible !important;position:static !important}
  [data-testid="stMain"] {margin:0 !important;width:100% !important}
  [data-testid="stMainBlockContainer"] {max-width:none !important;padding:0 !important}
  /* a fold as tall as its cards: Streamlit animates an opening fold's height for half a
     second, again when its cards arrive from the rerun, with an inline height and overflow
     hidden. Printed meanwhile, the fold kept its height of that moment and the cards below
     it were cut from the paper (the last group's last cards, on a busy server). !important
     outranks both the inline style and the animation. */
  [data-testid="stExpander"] details {height:auto !important;overflow:visible !important}
  /* a card, a chart, a count, a table row: whole on one page */
  [class*="st-key-overview_card_"], [data-testid="stPlotlyChart"], [data-testid="stMetric"],
  [data-testid="stAlert"], .kpi-count, tr {break-inside:avoid}
  /* a heading, and a fold's label, on the page of what it heads */
  h1, h2, h3, h4, h5, h6, [data-testid="stExpander"] summary {break-after:avoid}
  [data-testid="stElementContainer"]:has(h1, h2, h3, h4, h5, h6) {break-after:avoid}
}
</style>
"""


def inject_style() -> None:
    """Our few CSS rules (no external fonts or scripts: the dashboard works offline)."""
    st.markdown(STYLE, unsafe_allow_html=True)


# Rows a static table shows whole; past them, a grid that scrolls (a static table of 7,000
# problems is pages of scrolling, and slow to draw).
WRAPPED_ROWS = 50


def accept_warnings(
    warnings: Sequence[Problem],
    lang: str,
    *,
    heading: str,
    accept: str,
    table_key: str,
    tick_key: str,
    note: str | None = None,
) -> bool:
    """Warnings that saving needs one explicit tick for, shown open above the save button:
    `heading` (their count and what to do), `note` (how to read their places), every warning,
    then the tick box `accept`. True once ticked.

    `tick_key` should be new for each preview, so that a tick given to one preview never
    carries to the next."""
    st.warning(heading)
    if note:
        st.caption(note)
    problems_table(warnings, lang, table_key)
    accepted = st.checkbox(accept, key=tick_key)
    if not accepted:
        st.caption(t("accept_first", lang))
    return accepted


def short_or_grid(frame: pd.DataFrame, key: str) -> None:
    """`frame` as a `text_table` (cells wrap, a phone shows each row as a card) up to
    `WRAPPED_ROWS` rows, else in Streamlit's grid. The grid cuts a cell at its column's edge
    (a problem's advice, the value about to be saved) and shows a 360 px phone its first
    column only."""
    if len(frame) <= WRAPPED_ROWS:
        text_table(frame, key)
    else:
        st.dataframe(frame, hide_index=True, width="stretch", key=key)


def text_table(
    frame: pd.DataFrame,
    key: str,
    *,
    bare: Sequence[str] = (),
    inline: Sequence[str] = (),
    statuses: pd.DataFrame | None = None,
) -> None:
    """`frame` as a static table whose cells wrap, every header and cell shown as text; on a
    phone each row is a card: its first cell in bold, then one «header: cell» line per cell
    that is not empty. Streamlit's grid (st.dataframe) showed a 360 px phone only its first
    column. `bare`: columns whose cell says its header itself («quá hạn»), shown alone;
    `inline`: short cells (a year's mark) shown side by side on a card, not one a line;
    `statuses` (same shape, a status or None): cells in their status's colour, the word kept,
    a badge on a card."""
    box = f".st-key-cards_{key}"
    # A card cannot read its row's headers: the stylesheet gives each cell its label, as text
    # we escape for a CSS string (so no header can close the string or the <style>).
    rules = [
        f'{box} td:nth-child({n})::before{{content:"{css_text(f"{name}: ")}"}}'
        for n, name in enumerate(frame.columns, start=1)
        if n > 1 and name not in bare
    ]
    side_by_side = [
        f"{box} td:nth-child({n})"
        for n, name in enumerate(frame.columns, start=1)
        if n > 1 and name in inline
    ]
    if side_by_side:
        rules.append(",".join(side_by_side) + "{display:inline-block;margin-right:1em}")
    # Streamlit draws an empty cell as a no-break space, which no selector can tell from text:
    # the empty cells are named by their place, so a card has no label with nothing after it.
    empty = [
        f"{box} tr:nth-child({row}) td:nth-child({column})"
        for column, name in enumerate(frame.columns, start=1)
        for row, cell in enumerate(frame[name], start=1)
        if _blank(cell)
    ]
    if empty:
        rules.append(",".join(empty) + "{display:none}")
    # A coloured cell on a card is as wide as its words, like the badges elsewhere, rather
    # than a band across the card; its label is in the cell's ink (grey on green was unread).
    coloured = [
        f"{box} tr:nth-child({row}) td:nth-child({column})"
        for column in range(1, frame.shape[1] + 1)
        for row in range(1, len(frame) + 1)
        if statuses is not None and statuses.iat[row - 1, column - 1] in STATUS_STYLES
    ]
    if coloured:
        rules.append(
            ",".join(coloured) + "{width:fit-content;padding:2px 10px !important;"
            "border-radius:12px;margin:2px 0}"
            + ",".join(f"{cell}::before" for cell in coloured)
            + "{color:inherit}"
        )
    with st.container(key=f"cards_{key}"):
        st.html(f"<style>@media (max-width: 640px) {{{''.join(rules)}}}</style>")
        # st.table reads its headers and cells as Markdown, and a cell may be the plan's text;
        # a missing cell is empty, never «nan»
        shown = frame.map(lambda cell: "" if _blank(cell) else md_text(cell))
        shown = shown.rename(columns=md_text)
        st.table(
            shown if statuses is None else status_styled(shown, statuses),
            hide_index=True,
            border="horizontal",
        )


def _blank(cell: object) -> bool:
    return bool(pd.isna(cell)) or not str(cell).strip()


def css_text(text: str) -> str:
    """`text` for inside a CSS string: every character but a letter, a digit or a space as
    its code point escaped (`\\3c `), so no quote, backslash, line break or `<` is left."""
    return "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)


# Streamlit's page is `<html lang="en">` whatever it shows, and its skip link always says
# "Skip to main content": a screen reader then reads Vietnamese with an English voice (WCAG
# 3.1.1), or the English link with a Vietnamese one (3.1.2). Streamlit also names each help
# icon "Help" or "Help for <the label>" in English: they are named in the page's language as
# they appear (an observer, installed once; the names it sets are read back on a switch). Only
# "vi" or "en" is ever written into the script, never user text: a label is the page's own,
# set as an attribute. The script runs again only when the language changes. (A block: it runs
# again in the same page, where a second top-level `const` fails.)
# It also takes out of what is copied the invisible word joiners `kpis.safe_text.md_text` puts
# into user text (in «http://», «www.», «@», «10:30»): a source's address copied from a page
# and pasted into a browser or a report is then the address as typed, not a broken one.
LANGUAGE_JS = """<script>{
document.documentElement.lang = "{code}";
const skip = document.querySelector('[data-testid="stSkipToContent"]');
if (skip) skip.lang = "en";
window.kpiLanguage = "{code}";
window.kpiUploadWord = {upload};
window.kpiRemoveWord = {remove};
if (!window.kpiHelpNames) {
  const named = (name) => {
    const parts = name.match(/^(?:Help|Trợ giúp)(?: (?:for|về) ([\\s\\S]*))?$/);
    if (!parts) return name;
    const vi = window.kpiLanguage === "vi";
    if (parts[1] === undefined) return vi ? "Trợ giúp" : "Help";
    return (vi ? "Trợ giúp về " : "Help for ") + parts[1];
  };
  window.kpiHelpNames = () => {
    for (const button of document.querySelectorAll('[data-testid="stTooltipIcon"] button')) {
      const name = button.getAttribute("aria-label");
      if (name !== null && named(name) !== name) button.setAttribute("aria-label", named(name));
    }
    // The uploader's button and its file input, named by our word (file_uploader draws it).
    // A chosen file's chip has its own button, which Streamlit names "Remove" and the file's
    // name: «Xoá tệp» and the name, read from the chip (its title holds it whole where the
    // chip shortens it). (No angle bracket in this script: the page drops it whole.)
    for (const el of document.querySelectorAll('[data-testid="stFileUploaderDropzone"] button,'
        + '[data-testid="stFileUploaderDropzoneInput"],[data-testid="stFileChipDeleteBtn"] button')) {
      const chip = el.closest('[data-testid="stFileChip"]');
      let name = window.kpiUploadWord;
      if (chip) {
        const file = chip.querySelector('[data-testid="stFileChipName"]');
        const shown = file ? file.getAttribute("title") || file.textContent : "";
        name = (window.kpiRemoveWord + " " + shown).trim();
      }
      if (el.getAttribute("aria-label") !== name) el.setAttribute("aria-label", name);
    }
  };
  new MutationObserver(window.kpiHelpNames).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"]});
}
window.kpiHelpNames();
// Names Streamlit gives no way to set (aria_names): each tag, which has no text, carries a
// name for a box keyed by the page: a chart's box becomes a figure of that name, its Plotly
// pictures hidden (their tick labels were the chart's name); a card's link or a fold's label
// is named. Run on every change, as the help names are: a rerun redraws the boxes.
if (!window.kpiBoxNames) {
  window.kpiBoxNames = () => {
    for (const tag of document.querySelectorAll(".kpi-name")) {
      const key = tag.dataset.box;
      const box = key ? document.getElementsByClassName("st-key-" + key)[0]
        : tag.parentElement.closest('[class*="st-key-"]');
      if (!box) continue;
      const kind = tag.dataset.kind;
      const el = kind === "link" ? box.querySelector('[data-testid="stPageLink"] a')
        : kind === "fold" ? box.querySelector("summary") : box;
      if (!el) continue;
      if (kind === "figure") {
        if (el.getAttribute("role") !== "figure") el.setAttribute("role", "figure");
        for (const svg of el.querySelectorAll("svg.main-svg")) {
          if (svg.getAttribute("aria-hidden") !== "true") svg.setAttribute("aria-hidden", "true");
        }
      }
      if (el.getAttribute("aria-label") !== tag.dataset.name) {
        el.setAttribute("aria-label", tag.dataset.name);
      }
    }
  };
  new MutationObserver(window.kpiBoxNames).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label", "data-name"]});
}
window.kpiBoxNames();
// Streamlit's and Plotly's own controls, named in English (kpis.ui_text.CONTROL_NAMES_VI): on
// a Vietnamese page by their Vietnamese names, on an English page by their own again. The name
// (aria-label) and Plotly's hover tip (data-title) alike; only these controls, by their place.
// A toolbar button's hover tip is Streamlit's own box, drawn apart (in its overlay layer) with
// the English label as its text, and tied to the button's hover box by aria-describedby only
// while it is shown: the tip said «Show/hide columns» over a button named «Ẩn/hiện cột». Its
// words are renamed in place (the text node React keeps, so React's next draw still finds
// it), and only in the tip of a toolbar button, whose text is Streamlit's label, never ours.
window.kpiControlWords = {controls};
if (!window.kpiControlNames) {
  const CONTROLS = '.modebar-btn, [data-testid="stElementToolbar"] button,'
    + '[data-testid="stSelectbox"] button, [data-testid="stMultiSelect"] button,'
    + '[data-testid="stSidebarCollapseButton"] button, [data-testid="stExpandSidebarButton"],'
    + '[data-testid="stSidebar"], [data-testid="stSidebarNav"]';
  const TIPPED = '[data-testid="stElementToolbar"] [data-testid="stTooltipHoverTarget"]'
    + '[aria-describedby]';
  window.kpiControlNames = () => {
    const words = window.kpiControlWords;
    const vi = window.kpiLanguage === "vi";
    const english = {};
    for (const [en, named] of Object.entries(words)) english[named] = en;
    const renamed = (name) => (vi ? words[name] : english[name]);
    for (const el of document.querySelectorAll(CONTROLS)) {
      for (const attr of ["aria-label", "data-title"]) {
        const name = el.getAttribute(attr);
        if (name === null) continue;
        const to = renamed(name);
        if (to !== undefined && to !== name) el.setAttribute(attr, to);
      }
    }
    for (const target of document.querySelectorAll(TIPPED)) {
      const tip = document.getElementById(target.getAttribute("aria-describedby"));
      if (!tip) continue;
      const texts = document.createTreeWalker(tip, NodeFilter.SHOW_TEXT);
      for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        const to = renamed(node.data);
        if (to !== undefined && to !== node.data) node.data = to;
      }
    }
  };
  new MutationObserver(window.kpiControlNames).observe(document.body, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["aria-label", "data-title", "aria-describedby"]});
}
window.kpiControlNames();
// Focus sent on after an action (focus_after): Save, Undo or Confirm undo reruns the page, and
// Streamlit's redraw left the focus on the page itself, 35 Tab presses above the undo. The tag
// drawn in that one rerun names the box to focus: followed once (its token), when the run is
// over, so that no other rerun moves the focus, nor takes it from the grid while one types.
if (!window.kpiFocusAfter) {
  window.kpiFocusDone = new Set();
  window.kpiFocusAfter = () => {
    // Not while the run is drawn: a box drawn then can still be redrawn.
    const app = document.querySelector('[data-testid="stApp"]');
    const run = app ? app.dataset.testScriptState : undefined;
    if (run && run !== "notRunning") return;
    for (const tag of document.querySelectorAll(".kpi-focus")) {
      const token = tag.dataset.token;
      if (!token || window.kpiFocusDone.has(token)) continue;
      const box = document.getElementsByClassName("st-key-" + tag.dataset.box)[0];
      if (!box) continue;
      const el = tag.dataset.kind === "button" ? box.querySelector("button") : box;
      if (!el) continue;
      window.kpiFocusDone.add(token);
      if (el === box && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
      el.focus();  // and scrolled into view
    }
  };
  new MutationObserver(window.kpiFocusAfter).observe(document.body, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["data-test-script-state"]});
}
window.kpiFocusAfter();
if (!window.kpiPlainCopy) {
  window.kpiPlainCopy = true;
  document.addEventListener("copy", (event) => {
    const selection = document.getSelection();
    const text = String(selection);
    if (!text.includes("\\u2060") || !event.clipboardData) return;
    const copied = document.createElement("div");
    for (let i = 0; i < selection.rangeCount; i++) {
      copied.appendChild(selection.getRangeAt(i).cloneContents());
    }
    event.clipboardData.setData("text/plain", text.replaceAll("\\u2060", ""));
    event.clipboardData.setData("text/html", copied.innerHTML.replaceAll("\\u2060", ""));
    event.preventDefault();
  });
}
}</script>"""


# Streamlit 1.67's uploader has no words of ours to set: its button says "Upload" and its hint
# "5MB per file • XLSX, CSV" in English, whatever the page's language (and a screen reader
# reads the button's icon name too: "upload Upload"). Its own text is taken out of sight and of
# the accessibility tree (display:none) and ours is drawn in its place (::after content, which
# Chromium draws), in the uploader's box only; the button is named by the same word with
# aria-label (LANGUAGE_JS), which every screen reader and axe-core read.
# A chosen file's chip is drawn inside the box too: its remove button keeps its ✕ icon (the
# rule hid it and wrote «Tải lên» in its place, so a chosen file could not be seen to be
# removable).
UPLOADER_BUTTON = "[data-testid=stFileUploaderDropzone] button:not([data-testid=stFileChip] *)"
UPLOADER_CSS = (
    "<style>"
    ".st-key-{box} " + UPLOADER_BUTTON + " > *"
    ",.st-key-{box} [data-testid=stFileUploaderDropzoneInstructions] > *{{display:none}}"
    ".st-key-{box} " + UPLOADER_BUTTON + '::after{{content:"{button}"}}'
    ".st-key-{box} [data-testid=stFileUploaderDropzoneInstructions]::after"
    '{{content:"{limit}";font-size:0.875rem;color:inherit;opacity:0.8}}'
    "</style>"
)


def file_uploader(
    label: str,
    lang: str,
    *,
    key: str,
    box: str,
    help: str | None,
    max_mb: int,
    types: Sequence[str] = ("xlsx", "csv"),
):
    """`st.file_uploader` whose button and size hint are in the page's language («Tải lên»,
    «Tối đa 5 MB mỗi tệp • XLSX, CSV»), drawn in a container keyed `box` (one name per page,
    while `key` changes after each save)."""
    limit = t("upload_limit", lang, mb=max_mb, types=", ".join(x.upper() for x in types))
    with st.container(key=box):
        st.html(
            UPLOADER_CSS.format(
                box=box, button=css_text(t("upload_button", lang)), limit=css_text(limit)
            )
        )
        return st.file_uploader(label, type=list(types), key=key, help=help, max_upload_size=max_mb)


def document_language(lang: str) -> None:
    """Tell the browser which language the page is in: `<html lang="vi">` or `"en"`."""
    code = "en" if lang == "en" else "vi"
    with st.container(key="document_language"):  # hidden by STYLE: no height, no gap
        # Our own word, as a JSON string with "<" escaped: nothing in it can end the script.
        upload, remove = (
            json.dumps(t(key, code)).replace("<", "\\u003c")
            for key in ("upload_button", "upload_remove")
        )
        controls = json.dumps(CONTROL_NAMES_VI, ensure_ascii=False).replace("<", "\\u003c")
        script = (
            LANGUAGE_JS.replace("{code}", code)
            .replace("{upload}", upload)
            .replace("{remove}", remove)
            .replace("{controls}", controls)
        )
        st.html(script, unsafe_allow_javascript=True)


# A name Streamlit gives no way to set, for a box of the page: LANGUAGE_JS sets it (a chart's
# box: a figure of that name; a card's link; a fold's label). The tag carries it as an attribute,
# escaped (a name holds the plan's words); it has no text, so nothing is read twice, and its
# own box takes no room.
NAME_TAG = '<span class="kpi-name" data-kind="{kind}" data-box="{box}" data-name="{name}"></span>'
NAME_BOX_CSS = '<style>[data-testid="stElementContainer"]:has(.kpi-name){display:none}</style>'


def aria_names(kind: str, names: dict[str, str]) -> None:
    """Name boxes for a screen reader: `kind` "figure", "link" or "fold"; `names`: box key ->
    name, the key "" for the box this is drawn in (a fold is named from outside: a folded
    group draws nothing inside)."""
    tags = "".join(
        NAME_TAG.format(kind=kind, box=html.escape(box), name=html.escape(name))
        for box, name in names.items()
    )
    st.html(NAME_BOX_CSS + tags)


# Where the focus goes once an action's rerun is drawn (LANGUAGE_JS follows the tag once, by its
# token): a box (made focusable, so a screen reader reads it) or its first button.
FOCUS_TAG = (
    '<style>[data-testid="stElementContainer"]:has(.kpi-focus){{display:none}}</style>'
    '<span class="kpi-focus" data-kind="{kind}" data-box="{box}" data-token="{token}"></span>'
)


def focus_after(box: str, kind: str = "box") -> None:
    """Move the keyboard's focus, once, to the box keyed `box` ("box") or to its first button
    ("button") when this run is drawn. Drawn only in the rerun that follows an action, so no
    other rerun moves the focus."""
    token = secrets.token_hex(8)
    st.html(FOCUS_TAG.format(kind=html.escape(kind), box=html.escape(box), token=token))


def illustrative_notice(sources: Sequence[object], lang: str) -> bool:
    """Show the illustrative-figures notice when any of these sources is sample data."""
    if any(is_illustrative(s) for s in sources):
        st.info(t("illustrative_notice", lang), icon=":material/info:")
        return True
    return False


def chart(make: Callable[[str], go.Figure], filename: str, key: str, alt: str) -> None:
    """A chart drawn twice, for a screen and for a phone (`make(size)`, kpis.charts.SIZES),
    the stylesheet showing the one that fits the window; the modebar's PNG download is named
    and sized for a report. Plotly cannot wrap a title or thin out its ticks as a window
    narrows, so the phone gets a figure laid out for its width. A touch screen has no hover
    to hide the modebar, which then stood over the phone chart's title: the phone's has none.
    `alt`: what the chart shows in words (kpis.chart_alt), its box's name for a screen reader."""
    for size, box in (("screen", key), ("phone", f"{key}_phone")):
        fig = make(size)
        config = png_config(filename, height=fig.layout.height)
        if size == "phone":
            config["displayModeBar"] = False
        with st.container(key=f"chart_{size}_{box}"):
            aria_names("figure", {"": alt})
            st.plotly_chart(fig, width="stretch", key=box, theme=None, config=config)


def made_download(
    *,
    key: str,
    make_label: str,
    label: str,
    build: Callable[[Callable[[int, int], None]], bytes],
    file_name: str,
    mime: str,
    icon: str,
    lang: str,
    made_for: object,
    where=st,
) -> None:
    """A file that takes seconds to build (a deck, a report: a browser drawing each chart) in
    two steps: a button builds it while a bar says how far it is ("Đang vẽ biểu đồ 7/12"),
    then a download button serves it. The file is kept in the session for the view it was
    made for (`made_for`: plan, data, as-of year, region, language), so it is built once."""
    slot = f"_made_{key}"
    box = where.empty()
    held = st.session_state.get(slot)
    if held is None or held[0] != made_for:
        if not box.button(make_label, key=f"{key}_make", icon=icon):
            return
        bar = box.progress(0.0, text=t("making", lang))

        def drawn(done: int, total: int) -> None:  # the last step, putting it together, remains
            bar.progress(done / (total + 1), text=t("making_chart", lang, done=done, total=total))

        data = build(drawn)
        bar.progress(1.0, text=t("making_file", lang))
        held = st.session_state[slot] = (made_for, data)
    box.download_button(
        label, data=held[1], file_name=file_name, mime=mime, key=key, icon=icon, on_click="ignore"
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for download: UTF-8 with BOM (Excel shows Vietnamese), text formulas neutralised.

    Numbers stay numbers (a negative number is not a formula); only text cells are touched.
    """
    safe = neutralise_frame(frame)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def status_styled(frame: pd.DataFrame, statuses: pd.DataFrame) -> pd.io.formats.style.Styler:
    """`frame` for st.dataframe with each cell whose status is known (`statuses`, same shape)
    in that status's colour and ink: the colours of the badges, the word kept in the cell."""

    def css(status: object) -> str:
        style = STATUS_STYLES.get(status) if isinstance(status, str) else None
        return f"background-color: {style.colour}; color: {style.ink}" if style else ""

    rules = statuses.map(css).to_numpy()
    return frame.style.apply(lambda _: rules, axis=None)


def status_table(frame: pd.DataFrame, statuses: pd.DataFrame) -> None:
    """`frame` (its index a column of its own, under the index's name) as a static table whose
    cells wrap, each whose status is known (`statuses`, same shape) in that status's colour,
    every header and cell shown as text: a few regions' statuses read down the targets, whose
    names st.dataframe's grid cut at its column's edge."""
    # st.table reads its headers and cells as Markdown, and a name may be the plan's text
    headers = [md_text(frame.index.name), *map(md_text, frame.columns)]
    # A region named as the first column («Mục tiêu») would be a second column of one name,
    # which the colours cannot tell apart: the first is told by an invisible word joiner
    # (taken out again on copy, as md_text's are).
    while headers[0] in headers[1:]:
        headers[0] += WORD_JOINER
    shown = frame.map(md_text).set_axis(headers[1:], axis=1).reset_index(drop=True)
    shown.insert(0, headers[0], [md_text(name) for name in frame.index])
    colours = statuses.set_axis(headers[1:], axis=1).reset_index(drop=True)
    colours.insert(0, headers[0], None)
    st.table(status_styled(shown, colours), hide_index=True, border="horizontal")


def status_text(status: str, lang: str) -> str:
    """'✔ Đã đạt' as plain text (for sentences; the badge is status_badge_html)."""
    style = SHOWN_STYLES[status]
    return f"{style.icon} {style.word(lang)}"


def card_bar_html(card: Card) -> str:
    """The card's progress bar ('' where none is drawn: milestones, tracked indicators)."""
    if not card.bar:
        return ""
    return progress_bar_html(card.progress, card.expected, card.status, card.bar_label)


def card_trend_html(card: Card) -> str:
    """The card's sparkline, in its status colour ('' for fewer than two points)."""
    # a target that does not apply has no status colour: the plain line (white would vanish)
    return sparkline_html(card.trend, card.status if card.status in STATUS_STYLES else None)


LEAVE_WARNED_KEY = "leave_warned"  # the browser was last told that edits are unsaved


def warn_before_leaving(unsaved: bool) -> None:
    """Have the browser ask before a reload or closing the tab while a page holds `unsaved`
    edits (`beforeunload`): the one moment Streamlit cannot speak. Drawn while edits are
    unsaved and once more after, to tell the browser they no longer are."""
    if not unsaved and not st.session_state.get(LEAVE_WARNED_KEY):
        return
    st.session_state[LEAVE_WARNED_KEY] = unsaved
    st.html(
        "<script>"
        f"window.kpiUnsaved = {'true' if unsaved else 'false'};"
        "if (!window.kpiLeaveHook) {"
        "  window.kpiLeaveHook = (event) => {"
        "    if (window.kpiUnsaved) { event.preventDefault(); event.returnValue = ''; }"
        "  };"
        "  window.addEventListener('beforeunload', window.kpiLeaveHook);"
        "}"
        "</script>",
        unsafe_allow_javascript=True,
    )
