"""/agency?id=ID: one agency's indicators with their statuses, the figures it still owes for the
as-of year, and the tasks it leads with their deadlines."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kpis.agencies import agency_page
from kpis.safe_text import echoed
from kpis.tasks import display_frame, summarise
from kpis.ui_text import markdown_literal, t
from ui import cache, state, widgets

view = state.current_view()
lang, plan = view.lang, view.plan

st.title(t("page_agency", lang))
if not plan.agencies:
    st.info(t("no_agencies", lang))
    st.stop()

# --- Which agency (?id=) -----------------------------------------------------------------
ids = [agency.id for agency in plan.agencies]
asked = state.unknown_in_url("id", ids, str)
if asked is not None:
    st.warning(t("unknown_agency", lang, id=echoed(asked)))
state.sync_from_url("id", "agency_id", ids, str, ids[0])
chosen = st.selectbox(
    t("choose_agency", lang),
    ids,
    key="agency_id",
    placeholder=t("choose", lang),
    format_func=lambda i: plan.agency_name(i, lang),
)
state.write_to_url("id", chosen, None)
agency = plan.agency_by_id[chosen]

# --- Load --------------------------------------------------------------------------------
tasks, task_problems, as_of_date = cache.task_table_cached(view)
page = agency_page(plan, chosen, view.table, view.assessments(), tasks, view.as_of, view.region)

st.container(key="agency_name").header(markdown_literal(agency.label(lang)))  # its size: STYLE
if agency.clause:
    st.caption(markdown_literal(f"{plan.plan.document_text(lang)}, {agency.text('clause', lang)}"))

# --- Indicators with statuses ------------------------------------------------------------
st.subheader(t("agency_indicators", lang))
# The statuses come from the figures: sample figures say so here as on every other page.
behind = view.table[view.table["indicator"].isin(page.indicators)]
widgets.illustrative_notice(behind["source"].tolist(), lang)
if page.indicators:
    widgets.text_table(
        pd.DataFrame(
            {
                t("col_indicator", lang): [
                    plan.by_id[i].text("name", lang) for i in page.indicators
                ],
                t("col_status", lang): [
                    ", ".join(widgets.status_text(s, lang) for s in page.statuses[i]) or "–"
                    for i in page.indicators
                ],
                t("col_missing", lang): [
                    t("missing_figure", lang) if i in page.owed else "" for i in page.indicators
                ],
            }
        ),
        "agency_indicators",
        # a phone's card says «✖ còn thiếu số liệu», not «Còn thiếu: ✖»
        bare=[t("col_missing", lang)],
    )
else:
    st.caption(t("agency_no_indicators", lang))

# --- Figures still owed for the as-of year -----------------------------------------------
if view.as_of is not None and page.indicators:
    st.subheader(t("agency_owed", lang, year=view.as_of))
    if page.owed:
        widgets.text_table(
            pd.DataFrame(
                {t("col_indicator", lang): [plan.by_id[i].text("name", lang) for i in page.owed]}
            ),
            "agency_owed",
        )
    else:
        st.success(t("agency_owed_none", lang, year=view.as_of), icon=":material/check_circle:")

# --- Tasks with deadlines ----------------------------------------------------------------
st.subheader(t("agency_tasks", lang))
if len(page.tasks):
    date = as_of_date.strftime("%d/%m/%Y")
    st.markdown(f"**{summarise(page.tasks).text(lang)}** ({t('tasks_as_of', lang, date=date)})")
    widgets.text_table(
        display_frame(page.tasks, lang, agency=False),
        "agency_tasks",
        bare=[t("col_overdue", lang), t("col_clause", lang)],
    )
else:
    st.caption(t("agency_no_tasks", lang))
