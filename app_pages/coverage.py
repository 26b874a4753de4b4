"""/coverage: which figures exist, what is missing for the as-of year, illustrative figures, problems."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kpis.agencies import owed_by_agency
from kpis.safe_text import md_text
from kpis.ui_text import is_illustrative, markdown_literal, t
from ui import state, widgets

view = state.current_view()
lang, plan, table = view.lang, view.plan, view.table
figures = view.dataset.figures

st.title(t("coverage_title", lang))
# the files behind the dashboard are named here, for whoever keeps them, and nowhere else
plan_file, data_place = state.environment_note(lang)
st.caption(t("read_from", lang, plan=md_text(plan_file), data=md_text(data_place)))
if figures.files:
    names = ", ".join(widgets.short_path(f, view.data) for f in figures.files)
    st.caption(t("files_read", lang, n=len(figures.files), files=md_text(names)))

# --- Problems first: this is where the banner on every page points --------------------------
st.header(t("problems_title", lang))
problems = view.dataset.problems
if problems:
    widgets.problems_table(problems, lang, "problems", view.data)
else:
    st.success(t("problems_none", lang), icon=":material/check_circle:")

# --- Indicator x year matrix -------------------------------------------------------------------
rows = table[table["region"] == view.region]
if view.as_of is not None:
    rows = rows[rows["year"] <= view.as_of]
series = view.series()
derived = series[
    (series["region"] == view.region)
    & series["indicator"].isin([i.id for i in plan.indicators if i.is_derived])
]
st.header(t("coverage_matrix", lang))
if view.as_of is None:
    st.info(t("no_figures", lang))
else:
    years = list(range(int(table["year"].min()), view.as_of + 1))
    marks: dict[tuple[str, int], str] = {}
    for indicator_id, year, source in zip(
        rows["indicator"], rows["year"], rows["source"], strict=True
    ):
        # (◇, not a half-filled circle: Debian's fonts draw ◐ as a small half dot, hard to
        # tell from ●)
        marks[(indicator_id, int(year))] = "◇" if is_illustrative(source) else "●"
    for indicator_id, year in zip(derived["indicator"], derived["year"], strict=True):
        if year <= view.as_of:
            marks[(indicator_id, int(year))] = "∑"
    matrix = pd.DataFrame(
        [[marks.get((ind.id, year), "") for year in years] for ind in plan.indicators],
        columns=[str(year) for year in years],
    )
    matrix.insert(0, t("col_indicator", lang), [ind.text("name", lang) for ind in plan.indicators])
    # A static table: each name wraps whole, where the grid cut it mid-word and a phone saw no
    # year; on a phone each indicator is a card with its years side by side.
    widgets.text_table(matrix, "coverage_matrix", inline=[str(year) for year in years])
    st.caption(t("coverage_legend", lang))

    # --- Missing for the as-of year ------------------------------------------------------------
    st.header(t("missing_title", lang, year=view.as_of))
    reported = set(rows[rows["year"] == view.as_of]["indicator"])
    missing = [ind for ind in plan.indicators if not ind.is_derived and ind.id not in reported]
    if missing:
        st.markdown("\n".join(f"- {md_text(ind.text('name', lang))}" for ind in missing))
    else:
        st.success(t("missing_none", lang, year=view.as_of), icon=":material/check_circle:")

    # --- Missing for the as-of year, by agency (issue 16): who still owes what -----------------
    if plan.agencies:
        st.header(t("missing_by_agency", lang, year=view.as_of))
        owed = owed_by_agency(plan, table, view.as_of, view.region)
        widgets.text_table(
            pd.DataFrame(
                {
                    t("col_agency", lang): [
                        plan.agency_name(a, lang) if a else t("no_agency", lang) for a, _ in owed
                    ],
                    t("col_missing", lang): [len(ids) for _, ids in owed],
                    t("col_indicator", lang): [
                        ", ".join(plan.by_id[i].text("name", lang) for i in ids) for _, ids in owed
                    ],
                }
            ),
            "coverage_by_agency",
        )
        for agency in plan.agencies:
            st.page_link(
                "app_pages/agency.py",
                label=markdown_literal(plan.agency_name(agency.id, lang)),
                icon=":material/apartment:",
                query_params=view.link_params(id=agency.id),
            )

    # --- Illustrative figures ------------------------------------------------------------------
    st.header(t("illustrative_title", lang))
    sample = rows[rows["source"].map(is_illustrative)]
    if len(sample):
        st.warning(
            t("illustrative_count", lang, n=len(sample), total=len(rows)), icon=":material/info:"
        )
    else:
        st.success(t("illustrative_none", lang), icon=":material/check_circle:")
