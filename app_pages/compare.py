"""/compare (So sánh): every region side by side for one indicator and target, the region ×
target matrix of statuses, and a total where adding up means something."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kpis.cards import page_ranges
from kpis.compare import (
    MATRIX_ROWS,
    not_applicable,
    progress_cells,
    read_down,
    status_cells,
    summable,
)
from kpis.i18n import fill
from kpis.safe_text import md_text
from kpis.shown import projection_text
from kpis.ui_text import is_rank, region_label, source_text, t, target_words, with_unit
from ui import cache, state, widgets

# This page's words (Vietnamese, English); the status words are METHOD.md's (STATUS_STYLES).
WORDS = {
    "title": ("So sánh các địa bàn", "Compare regions"),
    "caption": (
        "{document} · {regions} địa bàn · tính đến năm {year}",
        "{document} · {regions} regions · as at {year}",
    ),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "target": ("Mục tiêu", "Target"),
    "tracked": (
        "Chỉ tiêu này không có mục tiêu định lượng: chỉ theo dõi số liệu. Các địa bàn "
        "được xếp theo giá trị mới nhất, không có trạng thái.",
        "This indicator has no quantified target: its figures are tracked only. Regions "
        "are ranked by their latest value, without a status.",
    ),
    "ranking": ("Xếp hạng", "Ranking"),
    # progress is METHOD's share of the way from the baseline: 300% for 27 against «hơn 25»
    # from 24, 100% at exactly «trên 80%» yet missed; «đã đạt: 100%» said neither
    "ranking_help": (
        "Địa bàn đã đạt mục tiêu xếp trước, rồi theo tiến độ: phần quãng đường từ năm gốc đến "
        "mục tiêu mà số liệu mới nhất đã đi được (có thể trên 100%; 100% chưa chắc đã đạt khi "
        "mục tiêu là «trên» một mức). Địa bàn chưa có số liệu xếp cuối.",
        "Regions that achieved the target come first, then by progress: the share of the way "
        "from the baseline to the target that the latest figure has covered (it can exceed "
        "100%, and 100% is not achieved where the target is «more than» a level). Regions "
        "without figures come last.",
    ),
    "rank": ("Hạng", "Rank"),
    "status": ("Trạng thái", "Status"),
    "year": ("Năm", "Year"),
    "value": ("Giá trị", "Value"),
    "progress": ("Tiến độ", "Progress"),
    "projected": ("Dự báo năm mục tiêu", "Projected at target year"),
    "source": ("Nguồn", "Source"),
    "total": ("Tổng các địa bàn năm {year}", "Total of the regions in {year}"),
    "total_counted": (
        "cộng {counted}/{all} địa bàn có số liệu năm {year}; địa bàn thiếu số liệu "
        "không được ước tính",
        "adds the {counted} of {all} regions that reported "
        "{year}; missing regions are not estimated",
    ),
    "total_sources": ("Nguồn: {sources}", "Source: {sources}"),
    "more_sources": ("{shown} và {n} nguồn khác", "{shown} and {n} other sources"),
    "no_total_year": (
        "Không địa bàn nào có số liệu năm {year}: chưa có tổng.",
        "No region reported {year}: no total.",
    ),
    "no_total": (
        "Không cộng tổng: {why} của các địa bàn cộng lại không có ý nghĩa.",
        "No total: adding up {why} of regions means nothing.",
    ),
    "why_share": ("tỷ lệ", "shares"),
    "why_milestone": ("mốc hoàn thành", "milestones"),
    "why_ratio": ("chỉ số bình quân", "ratios"),
    "why_rank": ("thứ hạng", "ranks"),
    "matrix": ("Trạng thái theo địa bàn và mục tiêu", "Status by region and target"),
    "matrix_none": (
        "Kế hoạch này chưa có mục tiêu định lượng nào: không có trạng thái để so sánh.",
        "This plan has no quantified target: there is no status to compare.",
    ),
    "achieved_count": ("Đã đạt", "Achieved"),
    "matrix_rows": ("Địa bàn (trong số {n})", "Regions (of {n})"),
    "matrix_fold": (
        "{regions} địa bàn: mở để xem trạng thái của từng địa bàn, {rows} địa bàn một trang",
        "{regions} regions: open to see each region's statuses, {rows} regions a page",
    ),
}


def w(key: str, lang: str, **values: object) -> str:
    return fill(*WORDS[key], lang, **values)


view = state.current_view()
lang, plan = view.lang, view.plan

st.title(w("title", lang))
st.caption(
    w(
        "caption",
        lang,
        document=md_text(plan.plan.document_text(lang)),
        regions=len(view.regions),
        year=view.as_of or "–",
    )
)
if view.as_of is None:
    st.info(t("no_figures", lang))
    st.stop()

# --- Which indicator (those with figures, found once per data set) and which of its targets;
# the rest comes ready from the cache ----------------------------------------------------
present = cache.series_indicators_cached(view)
options = [ind.id for ind in plan.indicators if ind.targets or ind.id in present]
state.sync_from_url("id", "compare_indicator", options, str, options[0])
indicator_id = st.selectbox(
    w("indicator", lang),
    options,
    key="compare_indicator",
    placeholder=t("choose", lang),
    format_func=lambda i: plan.indicator(i).text("name", lang),
)
state.write_to_url("id", indicator_id, options[0])
indicator = plan.indicator(indicator_id)
position = None
if indicator.targets:
    positions = list(range(1, len(indicator.targets) + 1))
    state.sync_from_url("target", "compare_target", positions, int, 1)
    position = st.radio(
        w("target", lang),
        positions,
        key="compare_target",
        horizontal=True,
        format_func=lambda k: md_text(target_words(indicator.targets[k - 1], indicator, lang)),
    )
    state.write_to_url("target", position, 1)
else:
    st.info(w("tracked", lang), icon=":material/visibility:")

# --- Ranking ------------------------------------------------------------------------------
# every region judged once, ranked, with its sources and the total (cache.comparison_cached)
comparison = cache.comparison_cached(view, indicator_id, position)
ranked = comparison.ranked
widgets.illustrative_notice([s for found in comparison.sources.values() for s in found], lang)


def shown(value: object, fmt) -> str:
    return "–" if value is None or pd.isna(value) else fmt(value)


# The ranking in words, built once per year, indicator, target and language: a national set
# ranks 340 regions, and a rerun only shows the table (arguments with a leading _ are not
# hashed; the others name what they are derived from).
@st.cache_resource(max_entries=32, ttl="1h", show_spinner=False)
def ranking_shown(
    _comparison: cache.Comparison,
    _plan,
    _indicator,
    data_key: str,
    as_of: int,
    indicator_id: str,
    position: int | None,
    lang: str,
) -> pd.DataFrame:
    ranked, sources, plan, indicator = _comparison.ranked, _comparison.sources, _plan, _indicator
    target_of = indicator.targets[position - 1] if position is not None else None
    shown_table = pd.DataFrame(
        {
            # The region first: a phone's card is headed by it in bold, its rank the line
            # under; the value, its year and the status next, read before the sources.
            t("region", lang): [region_label(plan, r, lang) for r in ranked["region"]],
            w("rank", lang): [shown(r, str) for r in ranked["rank"]],
            w("value", lang): [
                shown(v, lambda v: with_unit(float(v), indicator, lang))
                for v in ranked["latest_value"]
            ],
            w("year", lang): [shown(y, lambda y: str(int(y))) for y in ranked["latest_year"]],
            # a merged region without a figure for a target of its last year: not applicable,
            # not «no data» (kpis.compare.not_applicable)
            w("status", lang): [
                t("not_applicable", lang)
                if position is not None and not_applicable(plan, r, target_of, s)
                else shown(s, lambda s: widgets.status_text(s, lang))
                for r, s in zip(ranked["region"], ranked["status"], strict=True)
            ],
            # from which baseline, and what a strict bound only reached still lacks
            w("progress", lang): (
                progress_cells(plan, indicator.id, position, ranked, lang)
                if position is not None
                else ["–"] * len(ranked)
            ),
            w("projected", lang): [
                shown(p, lambda p: projection_text(float(p), indicator, lang))
                for p in ranked["projected_value"]
            ],
            w("source", lang): [
                "; ".join(source_text(s, lang) for s in sources.get(r, [])) or "–"
                for r in ranked["region"]
            ],
        }
    )
    if position is None:
        shown_table = shown_table.drop(
            columns=[w("status", lang), w("progress", lang), w("projected", lang)]
        )
    return shown_table


shown_table = ranking_shown(
    comparison,
    plan,
    indicator,
    cache.cache_key(view.targets, view.data),
    view.as_of,
    indicator_id,
    position,
    lang,
)
st.header(w("ranking", lang), divider="gray", help=w("ranking_help", lang))
status_of = pd.DataFrame(None, index=shown_table.index, columns=shown_table.columns, dtype=object)
if w("status", lang) in shown_table:
    target = indicator.targets[position - 1] if position is not None else None
    status_of[w("status", lang)] = [
        None if not isinstance(s, str) or not_applicable(plan, r, target, s) else s
        for r, s in zip(ranked["region"], ranked["status"], strict=True)
    ]
# A table whose every column is read on a phone (a card a region: value, year, status,
# progress, sources), where Streamlit's grid showed a 360 px screen the rank and the region
# only, the rest a swipe away that nothing hinted at. A national set's hundreds of regions
# are shown a page at a time, as the matrix below is.
rows = slice(None)
if len(shown_table) > widgets.WRAPPED_ROWS:
    first, last = st.radio(
        w("matrix_rows", lang, n=len(shown_table)),
        page_ranges(len(shown_table), widgets.WRAPPED_ROWS),
        format_func=lambda page: f"{page[0]}–{page[1]}",
        horizontal=True,
        key="compare_ranking_rows",
    )
    rows = slice(first - 1, last)
widgets.text_table(
    shown_table.iloc[rows].reset_index(drop=True),
    "compare_ranking",
    statuses=status_of.iloc[rows].reset_index(drop=True),
)

# --- Total, where adding up makes sense ---------------------------------------------------
SOURCES_NAMED = 3  # the total's sources named before «và N nguồn khác»
if summable(indicator):
    whole = comparison.total
    if whole is None:
        st.caption(w("no_total_year", lang, year=view.as_of))
    else:
        st.metric(
            w("total", lang, year=whole.year),
            md_text(with_unit(whole.value, indicator, lang)),
            border=True,
        )
        st.caption(
            w(
                "total_counted",
                lang,
                counted=whole.regions_counted,
                all=whole.regions_total,
                year=whole.year,
            )
        )
        # Where the total comes from, as every number on the page says: the sources of the
        # figures it adds up (the illustrative mark among them, in the page's language).
        named = list(dict.fromkeys(source_text(s, lang) for s in comparison.total_sources))
        if named:
            words = "; ".join(named[:SOURCES_NAMED])
            if len(named) > SOURCES_NAMED:
                words = w("more_sources", lang, shown=words, n=len(named) - SOURCES_NAMED)
            st.caption(w("total_sources", lang, sources=md_text(words)))
else:
    why = (
        "why_milestone"
        if indicator.kind == "milestone"
        else "why_rank"
        if is_rank(indicator)
        else "why_share"
        if indicator.is_percent
        else "why_ratio"
    )
    st.caption(w("no_total", lang, why=w(why, lang)))

# --- Region × target matrix --------------------------------------------------------------
st.header(w("matrix", lang), divider="gray")
# A national set's matrix folds, and opened shows a page of regions at a time: each page is
# judged on its own, so a new as-of year costs what is in view, not every region's statuses
# (MATRIX_ROWS). Whether it is open is kept by the session, as the overview keeps its groups
# (a fold relabelled in another language would start closed).
paged = len(view.regions) > MATRIX_ROWS
box, opened = st.container(), True
if paged:
    box = st.expander(
        w("matrix_fold", lang, regions=len(view.regions), rows=MATRIX_ROWS),
        expanded=st.session_state.get("_compare_matrix_open", False),
        key="compare_matrix_open",
        on_change="rerun",
    )
    opened = st.session_state["_compare_matrix_open"] = box.open
if opened:
    with box:
        in_view = None
        if paged:
            in_view = st.radio(
                w("matrix_rows", lang, n=len(view.regions)),
                page_ranges(len(view.regions), MATRIX_ROWS),
                format_func=lambda page: f"{page[0]}–{page[1]}",
                horizontal=True,
                key="compare_matrix_rows",
            )
        cells, statuses = status_cells(
            plan, cache.status_cells_cached(view, in_view), lang, w("achieved_count", lang)
        )
        if cells.shape[1] == 0:
            st.info(w("matrix_none", lang))
        else:
            # Each cell in its status colour with the word beside it, as on every other page.
            cells = cells.rename(index=lambda r: region_label(plan, r, lang))  # merged: dated
            statuses.index = cells.index
            apart = (cells == t("not_applicable", lang)).to_numpy().any()
            cells, statuses, turned = read_down(cells, statuses)
            if turned:  # a few regions: a table whose targets' names wrap
                widgets.status_table(cells.rename_axis(w("target", lang)), statuses)
            else:
                st.dataframe(
                    widgets.status_styled(cells.rename_axis(t("region", lang)), statuses),
                    width="stretch",
                    key="compare_matrix",
                )
            if apart:  # why a merged province's column reads «Không áp dụng»
                st.caption(t("not_applicable_note", lang))
