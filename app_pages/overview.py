"""/ (Tổng quan): the plan, counts by status and the scorecard of every target, by group."""

from __future__ import annotations

import streamlit as st

import views
from kpis.deck import PPTX_MIME, deck_bytes, deck_file_name
from kpis.i18n import format_date, format_percent, pick
from kpis.images import find_browser_or_none
from kpis.progress import STATUSES
from kpis.slides import word as slide_word
from kpis.ui_text import figures_behind, t, target_words, with_unit

view = views.current_view()
lang, plan = view.lang, view.plan
info = plan.plan

# --- The plan and the as-of year ---------------------------------------------------------
st.title(pick(info.title, info.title_en, lang))
st.caption(t("plan_meta", lang, document=info.document, date=format_date(info.issued, lang),
             issuer=info.issuer))
if view.as_of is None:
    st.info(t("no_figures", lang))
else:
    st.markdown(f"**{t('as_of_caption', lang, year=view.as_of, region=view.region)}**")

rows = view.assessments()
table = view.table
used = table[(table["region"] == view.region)
             & (table["year"] <= (view.as_of or 0))] if view.as_of else table.iloc[0:0]
views.illustrative_notice(used["source"].tolist(), lang)

# --- The conference deck: drawn on click, the same slides as /present (kpis.deck) ----------
if find_browser_or_none() is not None:
    st.download_button(
        slide_word("download_deck", lang), key="overview_deck", on_click="ignore",
        data=lambda: deck_bytes(plan, table, as_of=view.as_of, region=view.region, lang=lang),
        file_name=deck_file_name(plan, view.as_of, lang), mime=PPTX_MIME,
        icon=":material/slideshow:")

# --- Counts by status --------------------------------------------------------------------
counts = {status: sum(1 for row in rows if row.status == status) for status in STATUSES}
if rows:
    st.markdown(f"##### {t('targets_count', lang, n=len(rows))}")
    st.markdown(views.counts_html({s: n for s, n in counts.items() if n}, lang),
                unsafe_allow_html=True)

# --- The scorecard, grouped as the plan groups ------------------------------------------
footnotes: dict[str, int] = {}  # source text -> its number in the footnote list
by_indicator: dict[str, list] = {}
for row in rows:
    by_indicator.setdefault(row.indicator, []).append(row)
series = view.series()

def latest_cell(column, indicator, year: int | None, value: float | None) -> None:
    """The latest figure, its year and a footnote number for each of its sources."""
    if year is None:
        column.markdown(t("no_latest", lang))
        return
    behind = figures_behind(plan, indicator, table, view.region, year)
    sources = sorted({s for s in behind[behind["year"] == year]["source"] if isinstance(s, str)})
    marks = "".join(f"[{footnotes.setdefault(s, len(footnotes) + 1)}]" for s in sources)
    column.markdown(f"**{with_unit(value, indicator, lang)}**  \n"
                    f"{t('col_year', lang)} {year} {marks}")


def detail_link(column, indicator) -> None:
    column.page_link("app_pages/indicator.py", label=t("details", lang),
                     icon=":material/arrow_forward:",
                     query_params=view.link_params(id=indicator.id))


if not rows:
    st.info(t("tracked_only_plan", lang))
for group in plan.groups:
    indicators = [ind for ind in plan.indicators if (ind.group or "") == group]
    if not indicators:
        continue
    first = indicators[0]
    st.subheader(pick(first.group, first.group_en, lang) or t("no_group", lang), divider="gray")
    # targets first, then the indicators the plan only tracks (no target, no status)
    for indicator in sorted(indicators, key=lambda ind: not ind.targets):
        points = series[(series["indicator"] == indicator.id) & (series["region"] == view.region)]
        if view.as_of is not None:
            points = points[points["year"] <= view.as_of]
        name = pick(indicator.name, indicator.name_en, lang)
        if not indicator.targets:
            with st.container(border=True):
                name_col, latest_col, trend_col = st.columns([3.2, 5.2, 1.3],
                                                             vertical_alignment="center")
                name_col.markdown(f"**{name}**")
                if rows:  # without any target the notice above already says it once
                    name_col.caption(t("tracked_only", lang))
                detail_link(name_col, indicator)
                last = points.iloc[-1] if len(points) else None
                latest_cell(latest_col, indicator, None if last is None else int(last["year"]),
                            None if last is None else float(last["value"]))
                trend = views.sparkline_html(points["value"].tolist())
                if trend:
                    trend_col.markdown(trend, unsafe_allow_html=True)
            continue
        for row in by_indicator.get(indicator.id, []):
            target = indicator.targets[row.target_index - 1]
            with st.container(border=True):
                name_col, latest_col, bar_col, status_col, trend_col = st.columns(
                    [3.2, 1.8, 1.8, 1.6, 1.3], vertical_alignment="center")
                name_col.markdown(f"**{name}**")
                name_col.markdown(
                    f"{t('col_target', lang)}: "
                    f"{target_words(target, indicator, lang, row.baseline_value)}")
                detail_link(name_col, indicator)
                latest_cell(latest_col, indicator, row.latest_year, row.latest_value)
                if target.is_standing and row.latest_year is not None:
                    total = len(points[(points["year"] >= target.from_)])
                    label = t("standing_years", lang, met=len(row.years_met), total=total)
                else:
                    label = f"{t('col_progress', lang)}: {format_percent(row.progress, lang)}"
                if indicator.kind != "milestone":  # done or not: a bar would say nothing more
                    bar_col.markdown(views.progress_bar_html(row.progress, row.expected,
                                                             row.status, label),
                                     unsafe_allow_html=True)
                status_col.markdown(views.status_badge_html(row.status, lang),
                                    unsafe_allow_html=True)
                trend = views.sparkline_html(points["value"].tolist(), row.status)
                if trend:
                    trend_col.markdown(trend, unsafe_allow_html=True)

# --- Sources -----------------------------------------------------------------------------
if footnotes:
    st.markdown(f"##### {t('sources_title', lang)}")
    st.markdown("  \n".join(f"[{n}] {source}" for source, n in footnotes.items()))
st.caption(t("chart_plan", lang, document=info.document, date=format_date(info.issued, lang)))
