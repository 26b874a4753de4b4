"""/ (Tổng quan): the plan, counts by status and the scorecard of every target, by group."""

from __future__ import annotations

import streamlit as st

from kpis.cards import PAGE_CARDS, page_ranges
from kpis.deck import PPTX_MIME, deck_bytes, deck_file_name
from kpis.i18n import NOT_APPLICABLE
from kpis.images import find_browser_or_none
from kpis.report import DOCX_MIME, report_bytes, report_file_name
from kpis.report import word as report_word
from kpis.safe_text import md_text
from kpis.slides import word as slide_word
from kpis.tasks import summarise
from kpis.ui_text import document_dated, plan_issued_line, region_label, source_text, t
from ui import cache, state, widgets

view = state.current_view()
lang, plan = view.lang, view.plan
info = plan.plan

# --- The plan and the as-of year ---------------------------------------------------------
st.title(md_text(info.text("title", lang)))
st.caption(md_text(plan_issued_line(info, lang)))
if view.as_of is None:
    st.info(t("no_figures", lang))
else:
    region = region_label(plan, view.region, lang)
    st.markdown(f"**{t('as_of_caption', lang, year=view.as_of, region=md_text(region))}**")

# Everything below the title comes ready from the cache (cache.scorecard_cached: counts,
# cards, footnotes): a rerun only emits it, however many targets the plan has.
scorecard = cache.scorecard_cached(view)
table = view.table
widgets.illustrative_notice(scorecard.sources, lang)
tasks, _, tasks_date = cache.task_table_cached(view) if plan.tasks else (None, [], None)

# --- The conference deck (the same slides as /present, kpis.deck) and the written report
# (Word, Decree 30/2020 layout, kpis.report) of this view: each made on click while a bar
# counts the charts drawn (seconds), then downloaded (widgets.made_download) -----------------
this_view = {
    "as_of": view.as_of,
    "region": view.region,
    "lang": lang,
    "tasks": tasks,
    "tasks_date": tasks_date,
}
made_for = (cache.cache_key(view.targets, view.data), view.as_of, view.region, lang)
report = (t("make_report", lang), report_word("download", lang), "overview_report")
downloads = [
    report
    + (report_bytes, DOCX_MIME, report_file_name(plan, view.as_of, lang), ":material/description:")
]
if find_browser_or_none() is not None:  # the deck's charts need the browser to be drawn
    deck = (t("make_deck", lang), slide_word("download_deck", lang), "overview_deck")
    downloads.insert(
        0,
        deck
        + (deck_bytes, PPTX_MIME, deck_file_name(plan, view.as_of, lang), ":material/slideshow:"),
    )
for make_label, label, key, build, mime, file_name, icon in downloads:
    widgets.made_download(
        key=key,
        make_label=make_label,
        label=label,
        build=lambda progress, build=build: build(plan, table, progress=progress, **this_view),
        file_name=file_name,
        mime=mime,
        icon=icon,
        lang=lang,
        made_for=made_for,
    )

# --- Counts by status --------------------------------------------------------------------
if scorecard.targets:
    st.markdown(f"## {t('targets_count', lang, n=scorecard.targets)}")
    st.markdown(widgets.counts_html(dict(scorecard.counts), lang), unsafe_allow_html=True)
    if dict(scorecard.counts).get(NOT_APPLICABLE):  # why a merged province's targets read so
        st.caption(t("not_applicable_note", lang))

# --- Tasks beside the targets, as the provinces count them: "19/92 nhiệm vụ hoàn thành · 3
# quá hạn" (kpis.tasks), as of today or the end of an earlier as-of year.
if tasks is not None:
    words, link = st.columns([4, 1], vertical_alignment="center")
    date = tasks_date.strftime("%d/%m/%Y")
    task_summary = summarise(tasks)
    words.markdown(
        f"## {task_summary.text(lang)} ({t('tasks_as_of', lang, date=date)})",
        help=t("tasks_help", lang),
    )
    if task_summary.none_reported:  # its overdue count is by the deadlines alone
        words.caption(task_summary.unreported_note(lang))
    link.page_link(
        "app_pages/tasks.py",
        label=t("see_tasks", lang),
        icon=":material/task_alt:",
        query_params=view.link_params(),
    )

# --- The scorecard, grouped as the plan groups ------------------------------------------
# Every group folds, its statuses counted in its label ('Tổ chức KH&CN · 2 mục tiêu · ✔ 1 ⚠ 1'),
# so a phone shows the whole plan in a few screens. A folded group's cards are not built into
# the page, and an open group shows PAGE_CARDS at a time: a rerun costs what is in view, not
# what the plan holds.
OPENED = f"_overview_open_{info.id}"  # the groups this session opened, by position


def detail_link(column, card) -> None:
    column.page_link(
        "app_pages/indicator.py",
        label=t("details", lang),
        icon=":material/arrow_forward:",
        query_params=view.link_params(id=card.indicator),
    )
    # «Chi tiết» on every card: named by its indicator for a screen reader's list of links
    with column:
        widgets.aria_names("link", {"": card.link})


def emit(cards, group: int, first: int) -> None:
    """Cards as the cache built them, the status first: on a phone the columns stack, so
    the badge comes before the name, the target and the figures. `first`: the number of the
    first card in its group (keyed by it, so a reader's browser tells the cards apart)."""
    for n, row in enumerate(cards, first):
        with st.container(border=True, key=f"overview_card_{group}_{n}"):
            name_col, latest_col, trend_col = st.columns(
                [3.6, 2.6, 1.3], vertical_alignment="center"
            )
            if row.tracked:
                if scorecard.targets:  # without any target the notice above already says it once
                    name_col.caption(t("tracked_only", lang))
                name_col.markdown(f"**{md_text(row.name)}**")
            else:
                name_col.markdown(
                    widgets.status_badge_html(row.status, lang), unsafe_allow_html=True
                )
                name_col.markdown(f"**{md_text(row.name)}**  \n{md_text(row.target)}")
            detail_link(name_col, row)
            latest_col.markdown(row.latest)
            if row.bar:
                latest_col.markdown(widgets.card_bar_html(row), unsafe_allow_html=True)
            if trend := widgets.card_trend_html(row):
                trend_col.markdown(trend, unsafe_allow_html=True)


if not scorecard.targets:
    st.info(t("tracked_only_plan", lang))
# Which groups are open is kept by this session, not by the fold itself: a fold's label
# changes with the year and the language, and Streamlit would start a relabelled fold closed.
opened: set[int] = st.session_state.setdefault(OPENED, set())
# A plan of one group opens it when its cards fit on one page (there is nothing to fold it
# into); a larger one folds like any group, and opens a page at a time.
single = len(scorecard.groups) == 1 and scorecard.cards <= PAGE_CARDS
# each fold's label in words for a screen reader: its «✔ 1 ⚠ 1» are symbols only
widgets.aria_names(
    "fold",
    {f"overview_group_{info.id}_{i}": spoken for i, spoken in enumerate(scorecard.spoken)},
)
for i, ((_, cards), label) in enumerate(zip(scorecard.groups, scorecard.labels, strict=True)):
    box = st.expander(
        label,
        expanded=single or i in opened,
        key=f"overview_group_{info.id}_{i}",
        on_change="rerun",
    )
    (opened.add if box.open else opened.discard)(i)
    if not box.open:
        continue
    with box:
        pages = page_ranges(len(cards))
        first, last = pages[0]
        if len(pages) > 1:  # a group larger than a page: which cards to show
            first, last = st.radio(
                t("cards_page", lang, n=len(cards)),
                pages,
                format_func=lambda page: f"{page[0]}–{page[1]}",
                horizontal=True,
                key=f"overview_page_{info.id}_{i}",
            )
        emit(cards[first - 1 : last], i, first)

# --- Sources -----------------------------------------------------------------------------
if scorecard.footnotes:
    st.markdown(f"## {t('sources_title', lang)}")
    st.markdown(
        "  \n".join(
            f"[{n}] {md_text(source_text(source, lang))}"
            for n, source in enumerate(scorecard.footnotes, 1)
        )
    )
st.caption(t("chart_plan", lang, document=md_text(document_dated(info, lang))))
