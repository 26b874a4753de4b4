"""/method: the method in plain words, the statuses, and a worked example from the plan's figures."""

from __future__ import annotations

import streamlit as st

from kpis.i18n import format_number, format_percent
from kpis.progress import least_squares_at, series_by_key
from kpis.safe_text import md_text
from kpis.ui_text import (
    figures_behind,
    is_illustrative,
    pace_words,
    t,
    target_words,
    with_unit,
)
from kpis.worked_examples import worked_examples
from ui import state, widgets

view = state.current_view()
lang, plan = view.lang, view.plan

st.title(t("method_title", lang))
st.markdown(t("method_intro", lang))

st.header(t("method_terms", lang))
st.markdown(t("method_terms_body", lang))

# --- The statuses, in the order they are tried ---------------------------------------------
st.header(t("method_statuses", lang))
st.markdown(t("method_status_rule", lang))
ORDER = (
    "achieved",
    "missed",
    "pending",
    "insufficient_data",
    "on_track",
    "needs_acceleration",
    "off_track",
    "regressing",
    "no_data",
)
for status in ORDER:
    badge, meaning = st.columns([1.3, 4], vertical_alignment="center")
    badge.markdown(widgets.status_badge_html(status, lang), unsafe_allow_html=True)
    meaning.markdown(t(f"meaning_{status}", lang))
st.markdown(t("method_approx", lang))

st.header(t("method_standing", lang))
st.markdown(t("method_standing_body", lang))

# --- A worked example, computed from this plan's figures -----------------------------------
st.header(t("method_example", lang))
noticed = False  # the illustrative-figures notice shown
PACE = ("on_track", "needs_acceleration", "off_track", "regressing")
candidates = [
    row for row in view.assessments() if row.projected_value is not None and row.status in PACE
]
if not candidates:
    st.info(t("method_no_example", lang))
else:
    row = candidates[0]
    indicator = plan.indicator(row.indicator)
    target = indicator.targets[row.target_index - 1]
    series = view.region_series(indicator.id)
    fit = [(row.baseline_year, row.baseline_value)] + [
        (int(y), float(v))
        for y, v in zip(series["year"], series["value"], strict=True)
        if row.baseline_year < y <= row.latest_year
    ]
    # The same least-squares line kpis.progress used: recomputed here to show its points.
    projected = least_squares_at([y for y, _ in fit], [v for _, v in fit], target.end_year)

    def num(value: float) -> str:
        return format_number(value, lang)

    noticed = widgets.illustrative_notice(
        figures_behind(plan, indicator, view.table, view.region, view.as_of)["source"].tolist(),
        lang,
    )
    st.markdown(
        t(
            "method_example_intro",
            lang,
            name=md_text(indicator.text("name", lang)),
            words=md_text(target_words(target, indicator, lang, row.baseline_value)),
            as_of=view.as_of,
        )
    )
    st.markdown(
        t(
            "method_example_body",
            lang,
            b_year=row.baseline_year,
            b_value=md_text(with_unit(row.baseline_value, indicator, lang)),
            l_year=row.latest_year,
            l_value=md_text(with_unit(row.latest_value, indicator, lang)),
            goal=md_text(with_unit(row.goal, indicator, lang)),
            t_year=target.end_year,
            l_num=num(row.latest_value),
            b_num=num(row.baseline_value),
            g_num=num(row.goal),
            progress=format_percent(row.progress, lang),
            expected=format_percent(row.expected, lang),
            n=len(fit),
            points="; ".join(f"{y}: {num(v)}" for y, v in fit),
            projected=num(projected),
            p_num=num(projected),
            pp=format_percent(row.projected_progress, lang),
            status=widgets.status_text(row.status, lang),
        )
    )
    st.page_link(
        "app_pages/indicator.py",
        label=t("details", lang),
        icon=":material/arrow_forward:",
        query_params=view.link_params(id=indicator.id),
    )


def unit_text(value: float | None, ind, lang: str) -> str:
    """A value with the plan's unit, as Markdown shows it literally (the unit is plan text)."""
    return md_text(with_unit(value, ind, lang))


# --- Version 2: "trên", growth and period average, each worked through ------------------------
st.header(t("method_v2", lang))
st.markdown(t("method_v2_intro", lang))
examples = (
    worked_examples(
        plan,
        series_by_key(view.series()[lambda s: s["region"] == view.region]),
        view.region,
        view.as_of,
    )
    if view.as_of is not None
    else []
)
if not examples:
    st.info(t("method_v2_none", lang))


def sample_data(ind) -> bool:
    """Whether the figures an example works through are illustrative (sample data)."""
    sources = figures_behind(plan, ind, view.table, view.region, view.as_of)["source"]
    return any(is_illustrative(s) for s in sources)


illustrative = {example.indicator.id: sample_data(example.indicator) for example in examples}
if any(illustrative.values()) and not noticed:  # (once on the page)
    st.info(t("illustrative_notice", lang), icon=":material/info:")
for example in examples:
    ind, target, row = example.indicator, example.target, example.row
    words = md_text(target_words(target, ind, lang, row.baseline_value))
    name = md_text(ind.text("name", lang))
    # Each example says whether its figures are sample data, not «the plan's» figures.
    sample = illustrative[ind.id]
    if example.stated:
        prefix = t("method_v2_illustrative", lang) if sample else ""
    else:
        prefix = t("method_v2_assumed_illustrative" if sample else "method_v2_assumed", lang)
    if example.form == "exclusive":
        body = t(
            "method_v2_exclusive",
            lang,
            name=name,
            words=words,
            l_year=row.latest_year,
            l_value=unit_text(row.latest_value, ind, lang),
            bound=unit_text(target.min if target.min is not None else target.max, ind, lang),
            status=widgets.status_text(row.status, lang),
        )
    elif example.form == "growth":
        if row.baseline_value is None or row.goal is None or row.latest_value is None:
            continue
        body = t(
            "method_v2_growth",
            lang,
            name=name,
            words=words,
            y0=target.from_,
            v0=unit_text(row.baseline_value, ind, lang),
            v0_num=format_number(row.baseline_value, lang),
            rate=format_number(target.growth_rate, lang),
            to=target.to,
            n=target.to - target.from_,  # type: ignore[operator]
            goal=unit_text(row.goal, ind, lang),
            g_num=format_number(row.goal, lang),
            l_year=row.latest_year,
            l_value=unit_text(row.latest_value, ind, lang),
            l_num=format_number(row.latest_value, lang),
            pace=md_text(pace_words(row, target, ind, lang)),
            progress=format_percent(row.progress, lang),
            projected=unit_text(row.projected_value, ind, lang),
            status=widgets.status_text(row.status, lang),
        )
    else:
        if row.mean is None:
            continue
        bound = target.mean_min if target.mean_min is not None else target.mean_max
        body = t(
            "method_v2_period",
            lang,
            name=name,
            words=words,
            points="; ".join(
                f"{y}: {unit_text(v, ind, lang)}" for y, v in example.points if y >= target.from_
            ),
            mean=unit_text(row.mean, ind, lang),
            years=sum(1 for y, _ in example.points if target.from_ <= y <= target.to),
            bound=unit_text(bound, ind, lang),
            when=t(
                "method_v2_period_open" if target.to > view.as_of else "method_v2_period_closed",
                lang,
            ),
            status=widgets.status_text(row.status, lang),
            met=len(row.years_met),
        )
    st.markdown(prefix + body)
