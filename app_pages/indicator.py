"""/indicator?id=ID: one indicator's chart against its targets, headline numbers, figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kpis.chart_alt import chart_alt
from kpis.charts import indicator_figure
from kpis.i18n import NOT_APPLICABLE, format_number, format_percent
from kpis.safe_text import echoed, md_text
from kpis.scorecard import scorecard_row
from kpis.shown import JudgedFigure, judged_figure, last_point, projection, shown_status
from kpis.ui_text import (
    capitalised,
    document_dated,
    figures_behind,
    formula_words,
    indicator_source_line,
    is_rank,
    pace_words,
    progress_share_text,
    progress_words,
    read_note,
    source_summary,
    source_text,
    t,
    target_words,
    unit_of,
    value_text,
    with_unit,
    year_words,
    years_met_words,
)
from ui import state, widgets

view = state.current_view()
lang, plan = view.lang, view.plan
ids = [indicator.id for indicator in plan.indicators]

# --- Which indicator (?id=) --------------------------------------------------------------
asked = state.unknown_in_url("id", ids, str)
if asked is not None:
    st.warning(t("unknown_indicator", lang, id=echoed(asked)))
state.sync_from_url("id", "indicator_id", ids, str, ids[0])
chosen = st.selectbox(
    t("choose_indicator", lang),
    ids,
    key="indicator_id",
    placeholder=t("choose", lang),
    format_func=lambda i: plan.by_id[i].text("name", lang),
)
state.write_to_url("id", chosen, None)
indicator = plan.indicator(chosen)
name = indicator.text("name", lang)

st.title(md_text(name))
facts = [indicator.text("group", lang)]
if indicator.clause:
    facts.append(
        f"{t('clause', lang)}: {plan.plan.document_text(lang)}, {indicator.text('clause', lang)}"
    )
if indicator.responsible:
    facts.append(f"{t('responsible', lang)}: {plan.responsible_text(indicator, lang)}")
st.caption(" · ".join(md_text(f) for f in facts if f))

# --- Load --------------------------------------------------------------------------------
points = view.region_series(indicator.id)
if view.as_of is not None:
    points = points[points["year"] <= view.as_of]
rows = [row for row in view.assessments() if row.indicator == indicator.id]
behind = figures_behind(plan, indicator, view.table, view.region, view.as_of)
widgets.illustrative_notice(behind["source"].tolist(), lang)
if indicator.is_derived:
    # in words, from the inputs' names (which are the plan's text: made literal)
    st.markdown(t("derived_from", lang, formula=md_text(formula_words(plan, indicator, lang))))
if indicator.kind == "cumulative":
    st.markdown(t("cumulative_from", lang, year=indicator.cumulative_from))

# --- The chart ---------------------------------------------------------------------------
source_line = indicator_source_line(plan, indicator, view.table, view.region, view.as_of, lang)
periods = plan.periods_of(view.region)  # a year's figures may cover another span (v2)
last = last_point(points)  # a target past its year: the latest figure beside its deadline's
if len(points):
    widgets.chart(
        lambda size: indicator_figure(
            plan, indicator, points, rows, lang, view.as_of, source_line, view.region, size
        ),
        f"{indicator.id}_{view.as_of or ''}_{lang}",
        key="indicator_chart",
        alt=chart_alt(
            indicator,
            [scorecard_row(plan, row, lang, last) for row in rows],
            last,
            behind,
            lang,
            periods=periods,
            table=True,
        ),
    )
else:  # no empty axes: say what is missing and what the target is
    st.info(t("no_series", lang), icon=":material/bar_chart_off:")

# --- Headline numbers, one row per target --------------------------------------------------
unit = unit_of(indicator, lang)
unit_in_label = not (indicator.is_percent or indicator.kind == "milestone" or is_rank(indicator))


def label(key: str) -> str:
    return t(key, lang)


def value(number: float | None) -> str:
    if unit_in_label:
        return format_number(number, lang)
    return md_text(with_unit(number, indicator, lang))  # a metric's value is Markdown too


if not rows:
    st.info(t("no_target", lang))
    if last is not None:  # tracked: its latest figure, with the time it covers
        tracked = JudgedFigure(*last, periods=periods)
        c1 = st.container(key="headline_tracked").columns([2, 3])[0]
        c1.metric(
            tracked.label(lang),
            md_text(value_text(tracked.value, indicator, lang, tracked.estimate)),
        )
        c1.caption(md_text(tracked.caption(lang)))
for row in rows:
    target = indicator.targets[row.target_index - 1]
    words = target_words(target, indicator, lang, row.baseline_value)
    with st.container(border=True):
        head, badge = st.columns([4, 1.4], vertical_alignment="center")
        head.markdown(f"**{t('target_n', lang, n=row.target_index, words=md_text(words))}**")
        pace = pace_words(row, target, indicator, lang)  # growth and period-average targets
        if pace:
            head.markdown(f"**{md_text(pace)}**")
        if unit_in_label:  # the numbers below stay short: a long unit would be cut off
            head.caption(t("unit_line", lang, unit=md_text(unit)))
        shown = shown_status(plan, row)  # a merged region's last-year target: not applicable
        badge.markdown(widgets.status_badge_html(shown, lang), unsafe_allow_html=True)
        if shown == NOT_APPLICABLE:
            head.caption(t("not_applicable_note", lang))
        # keyed so the stylesheet can keep two numbers a row on a phone (widgets.STYLE)
        c1, c2, c3, c4, c5 = st.container(key=f"headline_{row.target_index}").columns(5)
        judged = judged_figure(row, last, periods)
        if judged.year is None:
            c1.metric(judged.label(lang), "–")
        else:
            latest = value(judged.value)
            if judged.estimate:
                latest += f" {t('estimate_mark', lang)}"
            c1.metric(judged.label(lang), latest, help=md_text(judged.caption(lang)))
            c1.caption(md_text(judged.caption(lang)))
            if judged.later is not None:  # «Mới nhất năm 2024: 24 doanh nghiệp»
                c1.caption(md_text(capitalised(judged.later_text(indicator, lang))))
        if target.min is not None and target.max is not None:  # a range: show both bounds
            goal_text = f"{format_number(target.min, lang)}–{value(target.max)}"
        else:
            goal = (
                row.goal
                if row.goal is not None
                else (target.min if target.min is not None else target.max)
            )
            goal_text = value(goal)
            if target.is_period_average:  # the bound(s) of the mean
                low, high = target.mean_min, target.mean_max
                goal_text = (
                    f"{format_number(low, lang)}–{value(high)}"
                    if low is not None and high is not None
                    else f"≥ {value(low)}"
                    if low is not None
                    else f"≤ {value(high)}"
                )
            elif is_rank(indicator) and target.form == "max" and not target.approx:
                top = target.max - 1 if target.exclusive else target.max  # type: ignore[operator]
                goal_text = t("rank_top", lang, top=format_number(top, lang))
            elif target.exclusive:  # "trên 80%", "dưới 5%": the bound itself is not enough
                goal_text = (
                    f"{t('more_than' if target.min is not None else 'less_than', lang)} {goal_text}"
                )
        c2.metric(label("headline_target"), goal_text)
        if is_rank(indicator) and row.latest_value is not None:
            # goal_text is Markdown already (value() escapes the unit)
            c2.caption(f"{md_text(with_unit(row.latest_value, indicator, lang))} → {goal_text}")
        if target.is_standing or target.is_period_average:  # every year of a span, not one
            span = f"{target.from_}–{target.to}"
            c2.caption(t("each_year_span" if target.is_standing else "over_span", lang, span=span))
        else:
            c2.caption(f"{t('col_year', lang)} {target.end_year}")
        if target.is_standing or target.is_period_average:
            c3.metric(t("headline_progress", lang), format_percent(row.progress, lang))
            c3.caption(years_met_words(row, target, lang))
        elif indicator.kind != "milestone":  # a milestone is done or not: no pace to show
            c3.metric(
                t("headline_progress", lang),
                progress_share_text(row, lang),
                help=t("help_progress", lang),
            )
            if row.progress is not None:  # from which baseline; a strict bound only reached
                c3.caption(md_text(progress_words(row, target, indicator, lang)))
            c4.metric(
                t("headline_expected", lang),
                format_percent(row.expected, lang),
                help=t("help_expected", lang, year=row.latest_year or "–"),
            )
            projected = (
                "–"
                if row.projected_value is None
                else value(projection(indicator, row.projected_value))
            )
            c5.metric(label("headline_projected"), projected, help=t("help_projected", lang))
            if row.projected_value is not None:
                c5.caption(f"{target.end_year}: {format_percent(row.projected_progress, lang)}")
        if row.latest_year is not None:  # every number says where it comes from
            # the judged figure's and, past a deadline, the latest figure's
            years = {row.latest_year} | ({judged.later[0]} if judged.later else set())
            latest_rows = behind[behind["year"].isin(years)]
            sources = source_summary(
                zip(latest_rows["source"], latest_rows["year"], strict=True), lang
            )
            st.caption(
                f"{t('chart_source', lang, sources=md_text(sources))} · "
                f"{t('chart_plan', lang, document=md_text(document_dated(plan.plan, lang)))}"
                + (f", {md_text(target.text('clause', lang))}" if target.clause else "")
            )
        note = target.text("note", lang)
        if note:
            st.caption(md_text(note))

# --- The figures, their sources and notes -------------------------------------------------
st.header(t("figures_title", lang))
used = points[["year", "value"]].rename(columns={"value": "value_used"})
detail = behind[
    ["indicator", "region", "year", "value", "estimate", "source", "note", "file", "line"]
]
detail = detail.merge(used, on="year", how="outer").sort_values(["year", "indicator"])
detail["indicator"] = detail["indicator"].fillna(indicator.id)
detail["region"] = detail["region"].fillna(view.region)
shown = pd.DataFrame({t("col_year", lang): detail["year"].astype("Int64").astype(str)})
if periods:  # the time each year's figures cover, where the plan gives one (v2)
    shown[t("col_period", lang)] = [
        year_words(int(y), periods, lang) if pd.notna(y) else "" for y in detail["year"]
    ]
if indicator.is_derived:
    shown[t("col_indicator", lang)] = [
        plan.by_id[i].text("name", lang) for i in detail["indicator"]
    ]
shown[t("col_reported", lang)] = [
    format_number(v, lang) + (f" {t('estimate_mark', lang)}" if flag else "")
    for v, flag in zip(
        detail["value"], detail["estimate"].astype("boolean").fillna(False), strict=True
    )
]
if indicator.is_derived or indicator.kind == "cumulative":
    shown[t("col_effective", lang)] = [format_number(v, lang) for v in detail["value_used"]]
shown[t("col_source", lang)] = [source_text(s, lang) for s in detail["source"]]
# the department's words as written; on an English page marked where nobody translated them
shown[t("col_note", lang)] = [read_note(n, lang) for n in detail["note"]]
# no file and line here: they are for whoever keeps the files (/coverage, the CSV)
# A table whose sources and notes wrap (cards on a phone), where the grid cut them at its
# column's edge: where each number comes from is read whole.
widgets.short_or_grid(shown, "figures_table")
st.download_button(
    t("download_csv", lang),
    widgets.csv_bytes(
        detail[
            [
                *["indicator", "region", "year", "value", "estimate", "value_used"],
                *["source", "note", "file", "line"],
            ]
        ]
    ),
    file_name=f"{indicator.id}_{view.region}_{view.as_of or ''}.csv",
    mime="text/csv",
    key="download_indicator_csv",
    icon=":material/download:",
)

# --- What the plan says --------------------------------------------------------------------
notes = indicator.text("notes", lang)
if notes:
    st.header(t("notes", lang))
    st.text(notes)  # the plan's words as written: never read as Markdown
