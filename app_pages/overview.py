"""/ (Tổng quan): the plan, counts by status and the scorecard of every target, by group."""

from __future__ import annotations

import streamlit as st

from kpis.cards import status_counts
from kpis.deck import PPTX_MIME, deck_bytes, deck_file_name
from kpis.i18n import STATUS_STYLES, format_date
from kpis.images import find_browser_or_none
from kpis.report import DOCX_MIME, report_bytes, report_file_name
from kpis.report import word as report_word
from kpis.safe_text import md_text
from kpis.slides import word as slide_word
from kpis.tasks import summarise
from kpis.ui_text import region_label, source_text, t
from ui import cache, state, widgets

view = state.current_view()
lang, plan = view.lang, view.plan
info = plan.plan

# --- The plan and the as-of year ---------------------------------------------------------
st.title(md_text(info.text("title", lang)))
st.caption(
    t(
        "plan_meta",
        lang,
        document=md_text(info.document_text(lang)),
        date=format_date(info.issued, lang),
        issuer=md_text(info.text("issuer", lang)),
    )
)
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

# --- The conference deck and the written report (Word, Decree 30/2020 layout): each made on
# click while a bar counts the charts drawn (seconds), then downloaded (widgets.made_download)
made_for = (cache.cache_key(view.targets, view.data), view.as_of, view.region, lang)
if find_browser_or_none() is not None:
    widgets.made_download(
        key="overview_deck",
        make_label=t("make_deck", lang),
        label=slide_word("download_deck", lang),
        build=lambda progress: deck_bytes(
            plan,
            table,
            as_of=view.as_of,
            region=view.region,
            lang=lang,
            tasks=tasks,
            tasks_date=tasks_date,
            progress=progress,
        ),
        file_name=deck_file_name(plan, view.as_of, lang),
        mime=PPTX_MIME,
        icon=":material/slideshow:",
        lang=lang,
        made_for=made_for,
    )
widgets.made_download(
    key="overview_report",
    make_label=t("make_report", lang),
    label=report_word("download", lang),
    build=lambda progress: report_bytes(
        plan,
        table,
        as_of=view.as_of,
        region=view.region,
        lang=lang,
        tasks=tasks,
        tasks_date=tasks_date,
        progress=progress,
    ),
    file_name=report_file_name(plan, view.as_of, lang),
    mime=DOCX_MIME,
    icon=":material/description:",
    lang=lang,
    made_for=made_for,
)

# --- Counts by status --------------------------------------------------------------------
if scorecard.targets:
    st.markdown(f"##### {t('targets_count', lang, n=scorecard.targets)}")
    st.markdown(widgets.counts_html(dict(scorecard.counts), lang), unsafe_allow_html=True)

# --- Tasks beside the targets, as the provinces count them: "19/92 nhiệm vụ hoàn thành · 3
# quá hạn" (kpis.tasks), as of today or the end of an earlier as-of year.
if tasks is not None:
    words, link = st.columns([4, 1], vertical_alignment="center")
    date = tasks_date.strftime("%d/%m/%Y")
    words.markdown(
        f"##### {summarise(tasks).text(lang)} ({t('tasks_as_of', lang, date=date)})",
        help=t("tasks_help", lang),
    )
    link.page_link(
        "app_pages/tasks.py",
        label=t("see_tasks", lang),
        icon=":material/task_alt:",
        query_params=view.link_params(),
    )

# --- The scorecard, grouped as the plan groups ------------------------------------------
MANY_CARDS = 40  # more cards than this (a national plan): groups fold, see below
OPEN_CARDS = 20  # of those, the first groups up to this many cards start open


def detail_link(column, indicator_id: str) -> None:
    column.page_link(
        "app_pages/indicator.py",
        label=t("details", lang),
        icon=":material/arrow_forward:",
        query_params=view.link_params(id=indicator_id),
    )


def emit(cards) -> None:
    """The cards of one group, as the cache built them."""
    for row in cards:
        with st.container(border=True):
            if row.tracked:
                name_col, latest_col, trend_col = st.columns(
                    [3.2, 5.2, 1.3], vertical_alignment="center"
                )
                name_col.markdown(f"**{md_text(row.name)}**")
                if scorecard.targets:  # without any target the notice above already says it once
                    name_col.caption(t("tracked_only", lang))
            else:
                name_col, latest_col, bar_col, status_col, trend_col = st.columns(
                    [3.2, 1.8, 1.8, 1.6, 1.3], vertical_alignment="center"
                )
                name_col.markdown(f"**{md_text(row.name)}**")
                name_col.markdown(md_text(row.target))
            detail_link(name_col, row.indicator)
            latest_col.markdown(row.latest)
            if not row.tracked:
                if row.bar:
                    bar_col.markdown(widgets.card_bar_html(row), unsafe_allow_html=True)
                status_col.markdown(
                    widgets.status_badge_html(row.status, lang), unsafe_allow_html=True
                )
            if trend := widgets.card_trend_html(row):
                trend_col.markdown(trend, unsafe_allow_html=True)


if not scorecard.targets:
    st.info(t("tracked_only_plan", lang))
if scorecard.cards <= MANY_CARDS:  # a provincial plan: every group open, one after another
    for heading, cards in scorecard.groups:
        st.subheader(md_text(heading), divider="gray")
        emit(cards)
else:
    # A national plan (150 targets): each group folds, with its statuses counted in the
    # label; the first groups open. A closed group's cards are not even built into the page
    # (the expander reruns when opened), so a rerun costs what the open cards cost.
    shown = 0
    for i, (heading, cards) in enumerate(scorecard.groups):
        counts = status_counts(cards)
        label = [f"**{md_text(heading)}**"]
        if counts:  # '16 mục tiêu · ✔ 7 ⚠ 3 ↘ 3 ✖ 3': the icons are the count cards' above
            label.append(t("targets_count", lang, n=sum(n for _, n in counts)))
            label.append(" ".join(f"{STATUS_STYLES[status].icon} {n}" for status, n in counts))
        box = st.expander(
            " · ".join(label),
            expanded=i == 0 or shown + len(cards) <= OPEN_CARDS,
            key=f"overview_group_{info.id}_{i}",
            on_change="rerun",
        )
        shown += len(cards)
        if box.open:
            with box:
                emit(cards)

# --- Sources -----------------------------------------------------------------------------
if scorecard.footnotes:
    st.markdown(f"##### {t('sources_title', lang)}")
    st.markdown(
        "  \n".join(
            f"[{n}] {md_text(source_text(source, lang))}"
            for n, source in enumerate(scorecard.footnotes, 1)
        )
    )
st.caption(
    t(
        "chart_plan",
        lang,
        document=md_text(info.document_text(lang)),
        date=format_date(info.issued, lang),
    )
)
