"""/tasks: the plan's tasks as the provinces count them, the overdue ones first; editors upload
a progress file, preview and save it (kpis.tasks, in the store's turn: undo is on /data)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kpis import auth, store
from kpis import tasks as task_progress
from kpis.agencies import plan_refusal, refusal
from kpis.errors import DataChanged, StoreBusy
from kpis.safe_text import md_text
from kpis.ui_text import markdown_literal, note_change, t
from ui import cache, signin, state, widgets

PLAN_KEY = "tasks_import_plan"
MESSAGE_KEY = "tasks_message"
GENERATION_KEY = "tasks_generation"
PREVIEWS_KEY = "tasks_previews"

view = state.current_view()
lang, plan, data_dir = view.lang, view.plan, view.data
figures_store = store.open_store(data_dir)  # the folder or the database: the page never asks

st.title(t("tasks_title", lang))
if not plan.tasks:
    st.info(t("tasks_none", lang))
    st.stop()

table, problems, as_of = cache.task_table_cached(view)
if problems:
    widgets.problems_table(problems, lang, "tasks_file_problems", data_dir)
summary = task_progress.summarise(table)
st.markdown(f"## {summary.text(lang)} ({t('tasks_as_of', lang, date=as_of.strftime('%d/%m/%Y'))})")
st.caption(summary.counts_text(lang))
if summary.none_reported:  # the overdue tasks below are so by their deadlines alone
    st.info(summary.unreported_note(lang), icon=":material/info:")

# --- Overdue first: what leadership asks about -------------------------------------------
st.header(t("tasks_overdue_title", lang))
overdue = table[table["overdue"]]
if len(overdue):
    widgets.text_table(
        task_progress.display_frame(overdue, lang),
        "tasks_overdue",
        bare=[t("col_overdue", lang), t("col_clause", lang)],
    )
else:
    st.success(t("tasks_overdue_none", lang), icon=":material/check_circle:")

# --- Every task, filtered ----------------------------------------------------------------
st.header(t("page_tasks", lang))
left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
agencies = sorted(set(table["agency"]), key=[a.id for a in plan.agencies].index)
states = [*task_progress.STATES, task_progress.UNREPORTED]
state.hold_choices("tasks_filter_agency", agencies)  # kept across a language switch
state.hold_choices("tasks_filter_state", states)
chosen_agencies = left.multiselect(
    t("tasks_filter_agency", lang),
    agencies,
    format_func=lambda a: plan.agency_name(a, lang),
    key="tasks_filter_agency",
    placeholder=t("tasks_filter_all", lang),  # an empty filter: every task
)
chosen_states = middle.multiselect(
    t("tasks_filter_state", lang),
    states,
    format_func=lambda s: task_progress.state_word(s, lang),
    key="tasks_filter_state",
    placeholder=t("tasks_filter_all", lang),  # an empty filter: every task
)
only_overdue = right.toggle(t("tasks_only_overdue", lang), key="tasks_only_overdue")
shown = table
if chosen_agencies:
    shown = shown[shown["agency"].isin(chosen_agencies)]
if chosen_states:
    shown = shown[shown["state"].isin(chosen_states)]
if only_overdue:
    shown = shown[shown["overdue"]]
widgets.text_table(
    task_progress.display_frame(shown, lang),
    "tasks_table",
    bare=[t("col_overdue", lang), t("col_clause", lang)],
)
# Asked before the download, as /data does: an editor limited to agencies gets only the
# tasks they lead, none of which is refused once filled in. A public deployment signs nobody
# in: every task, as for anyone.
editors = auth.load_editors()
user_info = st.user.to_dict()
editor = None if auth.read_only() else signin.signed_in_user(editors, user_info)
scope = signin.scope_of(editors, editor)  # None: no limit (kpis.scope)
# This plan's agencies the editor writes for (None: every one); a plan outside the account's
# reach: the file anyone gets, and the upload below says why nothing is saved.
limits = scope.agencies(plan.plan.id) if scope and scope.covers(plan.plan.id) else None
st.download_button(
    t("tasks_template", lang),
    task_progress.progress_template(plan, table, lang, limits),
    file_name=f"tien-do-nhiem-vu-{plan.plan.id}.csv",
    mime="text/csv",
    key="tasks_download",
)
if limits is not None:  # the file differs by account: say so beside it
    names = markdown_literal(", ".join(plan.agency_name(a, lang) for a in sorted(limits)))
    n = int(table["agency"].isin(list(limits)).sum())
    st.caption(
        t("tasks_template_agencies", lang, names=names, n=n)
        if n
        else t("tasks_template_none", lang, names=names)
    )

# --- Editors: upload, preview, save ------------------------------------------------------
if auth.read_only():
    st.stop()
sso = "is_logged_in" in user_info
if not editors.any and not sso:
    st.stop()
st.divider()
st.header(t("tasks_update", lang))
# `editor`: /data's sign-in, asked above of the accounts as they are now (this browser's
# remembered sign-in too: the page opened by its address, a bookmark, a reload).
if editor is None:
    if signin.ended():
        st.session_state.pop(PLAN_KEY, None)
        st.warning(t("account_ended", lang))
    st.info(t("tasks_sign_in", lang))
    st.page_link("app_pages/data.py", label=t("sign_in_link", lang), icon=":material/login:")
    st.stop()
if scope is not None and not scope.covers(plan.plan.id):
    # Another province's plan (security review 1): no upload is offered, and why is said.
    st.error(md_text(plan_refusal(plan, scope, editor).message(lang)), icon=":material/block:")
    st.stop()
if limits is not None:
    names = ", ".join(plan.agency_name(a, lang) for a in sorted(limits))
    st.caption(t("editor_agencies", lang, names=markdown_literal(names)))

message = st.session_state.pop(MESSAGE_KEY, None)
if message:
    st.success(message)
generation = st.session_state.setdefault(GENERATION_KEY, 0)
limit_mb = store.MAX_UPLOAD_BYTES // (1024 * 1024)
uploaded = widgets.file_uploader(
    t("tasks_upload", lang),
    lang,
    key=f"tasks_upload_{generation}",
    box="tasks_upload_box",
    help=t("tasks_upload_help", lang),
    max_mb=limit_mb,
)
context = (plan.plan.id, uploaded.file_id if uploaded else None)  # a preview is one plan's
if uploaded is not None and st.button(
    t("tasks_preview", lang), key="tasks_preview", type="primary"
):
    # The uploaded name is only shown, never used as a path.
    rows, found = task_progress.parse_progress(uploaded.getvalue(), uploaded.name, plan)
    try:
        planned = task_progress.plan_task_import(figures_store, plan, rows, found)
    except StoreBusy:
        st.error(t("tasks_busy", lang))
    else:
        planned.problems.extend(refusal(plan, scope, editor, tasks=planned, file=uploaded.name))
        st.session_state[PLAN_KEY] = (planned, context)
        st.session_state[PREVIEWS_KEY] = st.session_state.get(PREVIEWS_KEY, 0) + 1

held = st.session_state.get(PLAN_KEY)
if held is not None and held[1] == context:
    planned = held[0]
    if planned.errors:
        st.error(t("tasks_problems", lang, n=len(planned.errors)))
        widgets.problems_table(planned.errors, lang, "tasks_problems")
    elif not planned.has_changes:
        st.info(t("tasks_nothing", lang))
    else:
        st.info(t("tasks_will", lang, summary=planned.summary(lang)))
        changes = pd.concat([planned.added, planned.changed], ignore_index=True)
        widgets.short_or_grid(
            pd.DataFrame(
                {
                    t("col_task", lang): [plan.task_by_id[i].label(lang) for i in changes["task"]],
                    t("col_agency", lang): [plan.agency_name(a, lang) for a in changes["agency"]],
                    t("col_old", lang): [
                        task_progress.state_word(s, lang) if s else "–"
                        for s in changes["old_state"]
                    ],
                    t("col_new", lang): [
                        task_progress.state_word(s, lang) for s in changes["state"]
                    ],
                    # The date the file gives, as read: a year mistyped shows here.
                    t("col_progress_date", lang): [
                        task_progress.day_text(d) for d in changes["date"]
                    ],
                    t("col_evidence", lang): changes["evidence"],
                    # An empty note cell keeps the saved note; a note rewritten reads
                    # «old» → «new», so a change of note is seen before it is saved.
                    t("col_note", lang): [
                        note_change(old, new, lang)
                        for old, new in zip(changes["old_note"], changes["note"], strict=True)
                    ],
                }
            ),
            "tasks_preview_changes",
        )
        advice = [w for w in planned.warnings if w not in planned.to_accept]
        if advice:
            # Open above the save button, with their count: a task closed without evidence is
            # seen before the one click that saves it.
            st.warning(t("tasks_advice", lang, n=len(advice)))
            widgets.problems_table(advice, lang, "tasks_warnings")
        accepted = True
        if planned.to_accept:
            accepted = widgets.accept_warnings(
                planned.to_accept,
                lang,
                heading=t("tasks_check_dates", lang, n=len(planned.to_accept)),
                accept=t("tasks_accept", lang),
                table_key="tasks_date_warnings",
                tick_key=f"tasks_accept_{st.session_state[PREVIEWS_KEY]}",
            )
        if (
            st.button(
                t("tasks_save", lang), key="tasks_save", type="primary", disabled=not accepted
            )
            and accepted
        ):
            try:
                result = task_progress.apply_task_import(
                    figures_store, plan, planned, editor, accept_warnings=accepted
                )
            except DataChanged:
                st.error(t("tasks_conflict", lang))
            except StoreBusy:
                st.error(t("tasks_busy", lang))
            else:
                cache.forget_loaded_data()
                st.session_state.pop(PLAN_KEY, None)
                st.session_state[GENERATION_KEY] = generation + 1
                st.session_state[MESSAGE_KEY] = t("tasks_saved", lang, summary=result.summary(lang))
                st.rerun()
st.caption(t("tasks_undo_where", lang))
