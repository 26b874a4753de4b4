"""/data: browse the figures, download templates and exports; editors edit or upload, preview,
save, see the history and restore. Every write goes through `kpis.store` (shared with the CLI)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kpis import auth, edit_grid, store, templates
from kpis import tasks as task_progress
from kpis.agencies import plan_refusal, refusal, round_refusal
from kpis.catalogue import sibling_ids
from kpis.errors import (
    DataChanged,
    HistoryDamaged,
    HistoryNotKept,
    OutsideAgencies,
    StoreBusy,
)
from kpis.i18n import audit_number, figures_and_tasks, fill, format_number, local_time
from kpis.safe_cells import neutralise_cell
from kpis.safe_text import md_text
from kpis.ui_text import markdown_literal, note_change, note_text, source_text, t
from ui import cache, signin, state, widgets

# The page's own words (vi, en): used nowhere else.
TEXT = {
    "title": ("Cập nhật số liệu", "Update figures"),
    "intro": (
        "Xem số liệu đã lưu, tải mẫu nhập cho một năm, và (cán bộ được phân quyền) nhập, "
        "xem trước rồi lưu số liệu mới. Mọi lần lưu đều có bản sao và có thể khôi phục.",
        "Browse the saved figures, download a template for a year and (editors) enter, "
        "preview and save new figures. Every save is backed up and can be undone.",
    ),
    "browse": ("Số liệu đã lưu", "Saved figures"),
    "f_indicator": ("Chỉ tiêu", "Indicator"),
    "f_year": ("Năm", "Year"),
    "f_region": ("Địa bàn", "Region"),
    "all": ("Tất cả", "All"),
    "n_figures": ("{n} số liệu", "{n} figures"),
    "downloads": ("Tải về", "Downloads"),
    "template_year": ("Mẫu nhập cho năm", "Template for year"),
    "template_help": (
        "Mỗi dòng một chỉ tiêu cần nhập (chỉ tiêu tính từ công thức không có trong "
        "mẫu); cột «giá trị năm trước» để tham khảo; điền cột «giá trị», «nguồn», "
        "«ghi chú». Số đã lưu của năm có sẵn, số ước có x ở cột «ước tính» (xoá x khi "
        "có số chính thức). Có mẫu tiêu đề tiếng Anh bên cạnh.",
        "One row per indicator that takes figures (derived ones are computed); "
        "last_year_value is last year's figure as a hint; fill value, source, "
        "note. The year's saved figures are in it, estimates marked x in «estimate» "
        "(delete the x when the reported figure comes).",
    ),
    "template_csv": ("Mẫu {year} (.csv)", "Template {year} (.csv)"),
    "template_xlsx": ("Mẫu {year} (Excel .xlsx)", "Template {year} (Excel .xlsx)"),
    "template_other": (
        "Mẫu tiếng Anh {year} (.xlsx)",
        "Vietnamese template {year} (.xlsx)",
    ),
    "export_csv": ("Toàn bộ số liệu (.csv)", "All figures (.csv)"),
    "export_xlsx": ("Toàn bộ số liệu (Excel .xlsx)", "All figures (Excel .xlsx)"),
    "edit": ("Nhập và sửa số liệu", "Enter and correct figures"),
    "not_set_up": (
        "Chưa có tài khoản cán bộ nhập liệu nào: người quản trị thiết lập theo mục «Dành "
        "cho quản trị viên» của Hướng dẫn cập nhật số liệu hằng năm.",
        "No editor accounts are set up: whoever runs the dashboard sets them up as the "
        "yearly update guide says (its part for administrators).",
    ),
    "sign_in": ("Đăng nhập để nhập số liệu", "Sign in to enter figures"),
    "user": ("Tên đăng nhập", "User name"),
    "password": ("Mật khẩu", "Password"),
    "sign_in_button": ("Đăng nhập", "Sign in"),
    "sso_button": ("Đăng nhập bằng tài khoản cơ quan", "Sign in with your organisation account"),
    "sso_not_editor": (
        "Tài khoản {email} chưa được phân quyền nhập số liệu.",
        "The account {email} may not enter figures.",
    ),
    "wrong": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "wait": (
        "Đăng nhập sai nhiều lần: thử lại sau {s} giây.",
        "Too many failed sign-ins: try again in {s} seconds.",
    ),
    "signed_in": ("Đang đăng nhập: {user}", "Signed in as {user}"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "mode": ("Cách nhập", "How to enter"),
    "mode_table": ("Sửa trong bảng", "Edit in a table"),
    "mode_upload": ("Tải tệp lên (.xlsx, .csv)", "Upload a file (.xlsx, .csv)"),
    "edit_year": ("Năm cần nhập", "Year to enter"),
    "table_help": (
        "Ghi giá trị vào cột «Giá trị» (để trống nếu chưa có; xoá một ô không xoá số "
        "đã lưu: muốn xoá số đã lưu, ví dụ nhập nhầm năm, hãy đánh dấu cột «Xoá»). Dấu "
        "thập phân: 1,5 hoặc 1.5; không dùng dấu phân cách hàng nghìn. Ở dòng đã có, chỉ sửa "
        "được «Giá trị», «Xoá», «Ước tính», «Nguồn» và «Ghi chú»: chỉ tiêu và địa bàn giữ "
        "nguyên. Địa bàn khác hoặc chỉ tiêu chưa có trong bảng: thêm dòng ở cuối bảng (+).",
        "Write values in the «Value» column (empty if not reported; emptying a cell "
        "does not delete a saved figure: to delete one, say entered under the wrong "
        "year, tick «Delete»). Decimals: 1.5 or 1,5; no thousands separator. In a row "
        "already there, only «Value», «Delete», «Estimate», «Source» and «Note» can be "
        "changed: the indicator and the region stay. Another region or an indicator not "
        "listed: add a row at the bottom (+).",
    ),
    "table_name": ("bảng năm {year}", "table {year}"),
    "c_row": ("Dòng", "Row"),
    "region_help": (
        "Chỉ ghi ở dòng thêm mới; địa bàn của một dòng đã có không sửa được. Để trống là "
        "địa bàn của kế hoạch. Muốn nhập cho địa bàn khác, thêm một dòng ở cuối bảng (+).",
        "Only typed in an added row; an existing row's region cannot be changed. Empty means "
        "the plan's region. To enter a figure for another region, add a row at the bottom (+).",
    ),
    "indicator_help": (
        "Chỉ chọn ở dòng thêm mới; chỉ tiêu của một dòng đã có không đổi được.",
        "Only chosen in an added row; an existing row's indicator cannot be changed.",
    ),
    "unsaved": (
        "Bảng năm {year} có {n} dòng đã sửa chưa lưu: bấm «Xem trước thay đổi» rồi «Lưu số "
        "liệu» để lưu, hoặc bỏ các thay đổi.",
        "The {year} table has {n} edited rows not saved: press «Preview changes», then «Save "
        "figures», or discard the edits.",
    ),
    "year_held": (
        "Vẫn đang ở năm {year}: chuyển sang năm {new} sẽ mất các thay đổi chưa lưu.",
        "Still on {year}: going to {new} would lose the edits not saved.",
    ),
    "discard": ("Bỏ các thay đổi chưa lưu", "Discard the unsaved edits"),
    "discard_go": ("Bỏ thay đổi và chuyển sang năm {new}", "Discard and go to {new}"),
    "table_lines": (
        "Trong thông báo, «dòng N» là hàng thứ N của bảng.",
        "In the messages, «line N» is row N of the table.",
    ),
    "upload": ("Chọn tệp số liệu (tối đa {mb} MB)", "Choose a figures file (at most {mb} MB)"),
    "upload_help": (
        "Tệp mẫu đã điền, hoặc bất kỳ tệp .xlsx/.csv nào có các cột indicator, year, "
        "value. Định dạng được nhận biết theo nội dung tệp.",
        "A filled template, or any .xlsx/.csv with the columns indicator, year, "
        "value. The format is recognised from the content.",
    ),
    "preview": ("Xem trước thay đổi", "Preview changes"),
    "problems": (
        "Có {n} lỗi: sửa tất cả rồi xem trước lại. Chưa có gì được lưu.",
        "{n} errors: fix them all and preview again. Nothing has been saved.",
    ),
    "warnings": (
        "{n} cảnh báo: xem từng dòng dưới đây. Nếu số liệu đúng như vậy, đánh dấu «Tôi đã "
        "kiểm tra» rồi lưu; nếu không, sửa rồi xem trước lại.",
        "{n} warnings: read each one below. If the figures are right as they are, tick «I have "
        "checked» and save; if not, correct them and preview again.",
    ),
    "warnings_too": ("Và {n} cảnh báo:", "And {n} warnings:"),
    "accept": ("Tôi đã kiểm tra các cảnh báo trên", "I have checked the warnings above"),
    "c_fields": ("Thay đổi", "What changes"),
    "field_value": ("giá trị", "value"),
    "field_source": ("nguồn", "source"),
    "field_note": ("ghi chú", "note"),
    "field_estimate": ("ước tính", "estimate"),
    "summary": ("Sẽ {summary}.", "Will be: {summary}."),
    "added": ("Thêm mới", "Added"),
    "changed": ("Sửa (cũ → mới)", "Changed (old → new)"),
    "removed": ("Xoá", "Deleted"),
    "unchanged_n": ("{n} số liệu giữ nguyên.", "{n} figures unchanged."),
    "nothing": (
        "Không có gì thay đổi so với số liệu đã lưu.",
        "Nothing differs from the saved figures.",
    ),
    "save": ("Lưu số liệu", "Save figures"),
    "saved": (
        "Đã lưu: {summary}. Bảng điều khiển đã cập nhật.",
        "Saved: {summary}. The dashboard is up to date.",
    ),
    "conflict": (
        "Số liệu đã bị thay đổi từ lúc bạn mở chúng, nên chưa lưu gì để không ghi đè "
        "lên thay đổi của người khác. Bấm «Tải lại số liệu mới nhất» rồi nhập lại.",
        "The figures changed since you opened them, so nothing was saved, to avoid "
        "overwriting someone else's changes. Press «Reload the latest figures» and "
        "enter again.",
    ),
    "conflict_outside": (
        "Các tệp số liệu đã được sửa bên ngoài trang này.",
        "The figures files were changed outside this page.",
    ),
    "reload": ("Tải lại số liệu mới nhất", "Reload the latest figures"),
    "busy": (
        "Một lượt lưu khác đang chạy: thử lại sau ít phút.",
        "Another save is running: try again in a few minutes.",
    ),
    "history": ("Lịch sử thay đổi", "History of changes"),
    "no_history": ("Chưa có thay đổi nào được ghi lại.", "No change recorded yet."),
    "undo_help": (
        "Khôi phục đưa các tệp số liệu về đúng như trước lượt lưu gần nhất "
        "({time}, {user}). Việc khôi phục cũng được ghi vào lịch sử.",
        "Restoring puts the figures files back exactly as they were before the "
        "latest save ({time}, {user}). The restore is recorded in the history too.",
    ),
    "undo": (
        "Khôi phục trạng thái trước lượt lưu gần nhất",
        "Restore the state before the latest save",
    ),
    "undone": (
        "Đã khôi phục trạng thái trước lượt lưu lúc {time} của {user}.",
        "Restored the state before the save of {time} by {user}.",
    ),
    "undo_conflict": (
        "Đã có một lượt lưu mới hơn (dưới đây) từ lúc trang được mở: chưa khôi "
        "phục gì. Xem lại lịch sử rồi bấm khôi phục lần nữa nếu vẫn cần.",
        "A newer save (below) came in since the page was opened: nothing was "
        "restored. Check the history, then press restore again if still needed.",
    ),
    "nothing_undo": ("Không còn lượt lưu nào để khôi phục.", "There is no save left to undo."),
    "undo_confirm": (
        "Khôi phục sẽ đưa {changed} về như trước lượt lưu lúc {time} của {user} (bảng "
        "dưới đây). Bấm «Xác nhận khôi phục» để tiếp tục, hoặc «Huỷ».",
        "Restoring puts {changed} back as they were before the save of {time} by {user} "
        "(the table below). Press «Confirm restore» to go ahead, or «Cancel».",
    ),
    "undo_yes": ("Xác nhận khôi phục", "Confirm restore"),
    "undo_no": ("Huỷ", "Cancel"),
    "c_now": ("Hiện tại", "Now"),
    "c_restored": ("Sau khi khôi phục", "After restoring"),
    "redo_help": (
        "Lượt lưu lúc {time} của {user} đã được khôi phục về trước đó. Làm lại sẽ áp dụng lại "
        "lượt lưu ấy (chỉ khi chưa có lượt lưu nào sau lần khôi phục).",
        "The save of {time} by {user} was restored away. Redo applies that save again "
        "(only while no save has come after the restore).",
    ),
    "redo": ("Làm lại lượt lưu vừa khôi phục", "Redo the save just restored"),
    "redone": (
        "Đã làm lại lượt lưu lúc {time} của {user}.",
        "Redid the save of {time} by {user}.",
    ),
    "redo_conflict": (
        "Đã có thay đổi mới hơn (dưới đây) từ lúc khôi phục: chưa làm lại gì, để không ghi "
        "đè thay đổi của người khác.",
        "Newer changes (below) came in since the restore: nothing was redone, so as not to "
        "overwrite someone else's changes.",
    ),
    "nothing_redo": ("Không còn gì để làm lại.", "There is nothing left to redo."),
    "c_name": ("Tên chỉ tiêu", "Indicator name"),
    "c_unit": ("Đơn vị", "Unit"),
    "c_value": ("Giá trị", "Value"),
    "c_delete": ("Xoá", "Delete"),
    "c_estimate": ("Ước tính", "Estimate"),
    "estimate_help": (
        "Đánh dấu nếu là số ước thực hiện, chưa phải số báo cáo chính thức; số được hiển thị "
        "kèm «(ước)» ở mọi trang.",
        "Tick if the figure is an estimate, not yet the reported one; it is shown with "
        "«(estimate)» on every page.",
    ),
    "c_last_year": ("Năm {year}", "{year}"),
    "c_source": ("Nguồn", "Source"),
    "c_note": ("Ghi chú", "Note"),
    "c_old": ("Cũ", "Old"),
    "c_new": ("Mới", "New"),
    "c_time": ("Thời gian", "Time"),
    "c_user": ("Người sửa", "By"),
    "c_action": ("Thao tác", "Action"),
    "c_file": ("Tệp", "File"),
    "a_import": ("nhập tệp", "import"),
    "a_save": ("lưu từ trang", "save"),
    "a_delete": ("xoá (dòng lệnh)", "delete (command line)"),
    "a_undo": ("khôi phục", "undo"),
    "a_redo": ("làm lại", "redo"),
    "a_rollback": ("tự khôi phục sau sự cố", "rolled back after a crash"),
    "a_tasks": ("tiến độ nhiệm vụ", "task progress"),
}
SNAPSHOT_KEY = "data_snapshot"
PLAN_KEY = "data_import_plan"
GENERATION_KEY = "data_generation"
MESSAGE_KEY = "data_message"
PREVIEWS_KEY = "data_previews"  # how many previews this session has made
DRAFT_KEY = "data_draft"  # the grid's unsaved edits: year, generation, key, base, frame
HELD_KEY = "data_year_held"  # a year chosen while the grid had unsaved edits
FOCUS_KEY = "data_focus"  # set by an action: the box its rerun sends the focus to, once
# The edit grid's columns as shown (the hidden «name» left out; the row number always first).
GRID_ORDER = (
    "indicator",
    "value",
    "delete",
    "estimate",
    "unit",
    "last_year",
    "region",
    "source",
    "note",
)


def tr(key: str, lang: str, **values: object) -> str:
    return fill(*TEXT[key], lang, **values)  # "1 error", not "1 errors"


view = state.current_view()
lang, plan = view.lang, view.plan
figures_store = store.open_store(view.data)  # the folder or the database: the page never asks
table = view.table
names = {i.id: i.text("name", lang) for i in plan.indicators}
# What a read-only table calls a row's indicator or task: its name. An id the plan no longer
# knows (a figure saved under an older plan) is shown as stored, so it can still be found.
labels = {**{task.id: task.label(lang) for task in plan.tasks}, **names}
units = {i.id: i.text("unit", lang) for i in plan.indicators}

# Where an action (save, undo, its confirmation) sends the focus: this run only, whatever
# it draws, so that no later rerun moves the focus.
focus_to = st.session_state.pop(FOCUS_KEY, None)

st.title(tr("title", lang))
st.caption(tr("intro", lang))

# ----------------------------------------------------------------------------- browse
st.header(tr("browse", lang))
left, middle, right = st.columns(3)
state.hold_choices("data_filter_indicator", list(names))  # kept across a language switch
chosen_indicators = left.multiselect(
    tr("f_indicator", lang),
    list(names),
    format_func=names.__getitem__,
    key="data_filter_indicator",
    placeholder=tr("all", lang),
)
chosen_years = middle.multiselect(
    tr("f_year", lang),
    sorted(set(table["year"]), reverse=True),
    key="data_filter_year",
    placeholder=tr("all", lang),
)
chosen_regions = right.multiselect(
    tr("f_region", lang),
    sorted(set(table["region"])),
    key="data_filter_region",
    placeholder=tr("all", lang),
)


def marked(values: pd.Series, estimates: pd.Series) -> list[str]:
    """Values in the page's format, an estimate marked «(ước)» wherever it is shown."""
    return [
        f"{format_number(v, lang)} {t('estimate_mark', lang)}"
        if e and not pd.isna(v)
        else format_number(v, lang)
        for v, e in zip(values, estimates.fillna(False).astype(bool), strict=True)
    ]


def audit_marked(values: pd.Series, marks: pd.Series) -> list[str]:
    """Values as the audit trail wrote them, in the page's format, an estimate marked «(ước)»
    as the preview marked it: an estimate replaced by the official figure reads «3 (ước)»
    then «3». A row of a trail older than the marks has none (`old_estimate`, `new_estimate`)."""
    mark = t("estimate_mark", lang)
    return [
        f"{audit_number(v, lang)} {mark}" if m and v else audit_number(v, lang)
        for v, m in zip(values, marks.fillna(""), strict=True)
    ]


def audit_values(rows: pd.DataFrame, side: str) -> list[str]:
    """One side ("old" or "new") of the trail's rows in the page's words: a figure's value
    (`audit_marked`), a task's state in the words /tasks uses with its progress date, so that
    a corrected date reads «đang triển khai (30/06/1925) → đang triển khai (30/06/2025)»."""
    figures = audit_marked(rows[side], rows[f"{side}_estimate"])
    return [
        task_progress.audit_state_text(state, date, lang) if task else figure
        for figure, task, state, date in zip(
            figures, rows["task"].fillna(""), rows[side], rows[f"{side}_date"], strict=True
        )
    ]


def label_of(code: object) -> str:
    return labels.get(code, neutralise_cell(code)) if isinstance(code, str) else ""


def subject_columns(rows: pd.DataFrame) -> dict[str, list[str]]:
    """The trail's rows named under «Chỉ tiêu» (a figure's indicator) and «Nhiệm vụ» (a task):
    one column for both headed a task's save «Chỉ tiêu». Each column only when a row fills
    it, so a trail of figures alone reads as before and a task's undo box names tasks only."""
    indicators = [label_of(code) for code in rows["indicator"]]
    tasks = [
        "" if indicator else label_of(code)
        for indicator, code in zip(indicators, rows["task"], strict=True)
    ]
    columns = {tr("f_indicator", lang): indicators, t("col_task", lang): tasks}
    if not any(tasks):
        del columns[t("col_task", lang)]
    elif not any(indicators):
        del columns[tr("f_indicator", lang)]
    return columns


def shown_source(source: object) -> str:
    """A source as read: an illustrative mark in the page's language, the text as typed. A
    table on screen runs nothing and cannot be downloaded (`client.disableDataExport`): a «'»
    put before «- Báo cáo…» here would show a character nobody typed, while the formula
    warning had promised the dashboard shows it as typed. The page's downloads defuse it."""
    return source_text(source, lang)


def shown_note(old: object, new: object) -> str:
    """A figure's note as a change leaves it (`note_change`)."""
    return note_change(old, new, lang)


shown = table
if chosen_indicators:
    shown = shown[shown["indicator"].isin(chosen_indicators)]
if chosen_years:
    shown = shown[shown["year"].isin(chosen_years)]
if chosen_regions:
    shown = shown[shown["region"].isin(chosen_regions)]
shown = shown.sort_values(["indicator", "region", "year"])
widgets.illustrative_notice(shown["source"].tolist(), lang)
st.caption(tr("n_figures", lang, n=len(shown)))
st.dataframe(
    pd.DataFrame(
        {
            tr("f_indicator", lang): shown["indicator"].map(label_of),
            tr("f_region", lang): shown["region"],
            tr("f_year", lang): shown["year"].astype(str),
            tr("c_value", lang): marked(shown["value"], shown["estimate"]),
            tr("c_unit", lang): shown["indicator"].map(units),
            tr("c_source", lang): shown["source"].map(shown_source),
            tr("c_note", lang): shown["note"].map(lambda n: note_text(n, lang)),
        }
    ),
    hide_index=True,
    width="stretch",
    key="data_browse_table",
)

# ------------------------------------------------------------------------------- who
editors = auth.load_editors()
user_info = st.user.to_dict()
sso = "is_logged_in" in user_info  # Streamlit adds it only when secrets have an [auth] section


# Asked before the downloads: an editor limited to agencies downloads a template of only the
# indicators they may write, which is not refused when filled in as given. A public
# deployment (KPI_READ_ONLY=1) signs nobody in: every indicator, as for anyone.
editor = None if auth.read_only() else signin.signed_in_user(editors, user_info)
scope = signin.scope_of(editors, editor)  # None: no limit (kpis.scope)
# The agencies of this plan the editor writes for (None: every one). A plan outside the
# account's reach gets the template anyone gets: the editing below says why nothing is saved.
writes_for = scope.agencies(plan.plan.id) if scope and scope.covers(plan.plan.id) else None

# -------------------------------------------------------------------------- downloads
st.header(tr("downloads", lang))
latest = int(table["year"].max()) if len(table) else plan.plan.baseline_year
year_options = list(range(latest + 1, plan.plan.baseline_year - 1, -1))
template_year = st.selectbox(
    tr("template_year", lang),
    year_options,
    key="data_template_year",
    placeholder=t("choose", lang),
    help=tr("template_help", lang),
)
# Two rows of buttons as wide as their labels, wrapping where the window is narrow: the year's
# templates, then every figure. Five equal columns cut the labels at 1280 px («Mẫu tiếng Anh 202…»).
templates_row = st.container(horizontal=True, key="data_template_buttons")
exports_row = st.container(horizontal=True, key="data_export_buttons")
templates_row.download_button(
    tr("template_csv", lang, year=template_year),
    templates.template_csv(plan, table, template_year, lang, writes_for),
    file_name=f"mau-so-lieu-{template_year}.csv",
    mime="text/csv",
    key="data_template_csv",
)
templates_row.download_button(
    tr("template_xlsx", lang, year=template_year),
    templates.template_xlsx(plan, table, template_year, lang, writes_for),
    file_name=f"mau-so-lieu-{template_year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="data_template_xlsx",
)
other_lang = "vi" if lang == "en" else "en"
templates_row.download_button(
    tr("template_other", lang, year=template_year),
    templates.template_xlsx(plan, table, template_year, other_lang, writes_for),
    file_name=f"{'template' if other_lang == 'en' else 'mau-so-lieu'}-{template_year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="data_template_other",
)
if writes_for is not None:  # the template differs by account: say so beside it
    mine = ", ".join(plan.agency_name(a, lang) for a in sorted(writes_for))
    st.caption(t("template_agencies", lang, names=markdown_literal(mine)))
exports_row.download_button(
    tr("export_csv", lang),
    templates.export_csv(plan, table, lang),
    file_name="so-lieu.csv",
    mime="text/csv",
    key="data_export_csv",
)
exports_row.download_button(
    tr("export_xlsx", lang),
    templates.export_xlsx(plan, table, lang),
    file_name="so-lieu.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="data_export_xlsx",
)

# ---------------------------------------------------------------------------- editing
# A public deployment (KPI_READ_ONLY=1) has no editing at all: not even a sign-in form.
if auth.read_only():
    st.stop()

if editors.unreadable is not None:
    # Every account is off until the file parses: say where it fails, not "no accounts".
    st.error(md_text(editors.unreadable.format(lang)), icon=":material/key_off:")
    st.stop()

if not editors.any and not sso:
    signin.session_editor(editors)  # the last account removed: this tab's sign-in ends too
    if signin.ended():
        st.warning(t("account_ended", lang))
    st.caption(tr("not_set_up", lang))
    st.stop()

st.divider()
st.header(tr("edit", lang))


# What this session was editing is an editor's own: gone with the sign-in.
EDITING_KEYS = (SNAPSHOT_KEY, PLAN_KEY, DRAFT_KEY, HELD_KEY)
signin.cookie_script()  # the browser keeps (or, signed out, drops) this session's token
if editor is None:
    widgets.warn_before_leaving(False)
    if signin.ended():
        for key in EDITING_KEYS:
            st.session_state.pop(key, None)
        st.warning(t("account_ended", lang))
    if sso and user_info.get("is_logged_in"):
        st.warning(tr("sso_not_editor", lang, email=md_text(user_info.get("email", "?"))))
    elif sso:
        st.button(tr("sso_button", lang), key="data_sso_login", on_click=st.login)
    if editors.passwords:
        # clear_on_submit: the password does not stay in the session after the attempt.
        with st.form("data_login", clear_on_submit=True):
            st.markdown(f"**{tr('sign_in', lang)}**")
            login_user = st.text_input(
                tr("user", lang), key="data_login_user", autocomplete="username"
            )
            login_password = st.text_input(
                tr("password", lang),
                type="password",
                key="data_login_password",
                autocomplete="current-password",
            )
            submitted = st.form_submit_button(tr("sign_in_button", lang), key="data_login_button")
        if submitted:
            address = st.context.ip_address  # the throttle counts per client too
            outcome = auth.sign_in(
                editors,
                login_user,
                login_password,
                client=address if isinstance(address, str) else "",
            )
            if outcome.ok:
                signin.start(login_user.strip(), editors)
                signin.remember(login_user.strip(), editors)  # a reload keeps the sign-in
                st.rerun()
            elif outcome.wait > 0:
                st.error(tr("wait", lang, s=int(outcome.wait + 0.999)))
            else:
                st.error(tr("wrong", lang))
    st.stop()

signed, out = st.columns([4, 1])
signed.caption(tr("signed_in", lang, user=md_text(editor)))
if writes_for is not None:
    mine = ", ".join(plan.agency_name(a, lang) for a in sorted(writes_for))
    signed.caption(t("editor_agencies", lang, names=markdown_literal(mine)))
if st.session_state.get(signin.EDITOR_KEY):  # a password sign-in, not SSO
    if out.button(tr("sign_out", lang), key="data_logout"):
        signin.end(editors)  # revoked on the server: the cookie signs nobody in again
        for key in EDITING_KEYS:
            st.session_state.pop(key, None)
        st.rerun()
elif out.button(tr("sign_out", lang), key="data_logout"):
    st.logout()
if scope is not None and not scope.covers(plan.plan.id):
    # Another province's plan (security review 1): nothing of it can be saved, so neither the
    # grid nor the upload is offered; the message says which plans the account has and whom
    # to ask. Its history and undo are on the page of a plan it may write.
    st.error(md_text(plan_refusal(plan, scope, editor).message(lang)), icon=":material/block:")
    st.stop()

also_known = sibling_ids(view.targets)
generation = st.session_state.setdefault(GENERATION_KEY, 0)


def newer_changes(changes: list[dict]) -> pd.DataFrame:
    """The saves that came in meanwhile (`DataChanged.changes`), in the history's words."""
    rows = pd.DataFrame(changes, columns=store.AUDIT_COLUMNS)
    return pd.DataFrame(
        {
            tr("c_time", lang): [local_time(t, lang) for t in rows["time"]],
            tr("c_user", lang): rows["user"],
            **subject_columns(rows),
            tr("f_region", lang): rows["region"],
            tr("f_year", lang): [  # a task's save has no year
                "" if pd.isna(year) else str(int(year)) for year in rows["year"]
            ],
            tr("c_old", lang): audit_values(rows, "old"),
            tr("c_new", lang): audit_values(rows, "new"),
        }
    )


# What the editor is looking at: a save is refused if the files changed since (DataChanged).
if SNAPSHOT_KEY not in st.session_state:
    st.session_state[SNAPSHOT_KEY] = figures_store.snapshot()


def start_over() -> None:
    """Forget the preview and the editor's edits; look at the figures as they are now."""
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1
    st.session_state.pop(PLAN_KEY, None)
    st.session_state.pop(DRAFT_KEY, None)
    st.session_state.pop(HELD_KEY, None)
    st.session_state[SNAPSHOT_KEY] = figures_store.snapshot()


message = st.session_state.pop(MESSAGE_KEY, None)
if message:
    with st.container(key="data_result"):
        st.success(message)
        if focus_to == "data_result":
            widgets.focus_after("data_result")

state.hold_choice("data_edit_mode", ("table", "upload"), "table")
mode = st.radio(
    tr("mode", lang),
    ("table", "upload"),
    key="data_edit_mode",
    horizontal=True,
    format_func=lambda m: tr(f"mode_{m}", lang),
)


def discard(to_year: int | None = None) -> None:
    """Drop the grid's unsaved edits (the explicit button); then go to the year asked for."""
    st.session_state.pop(DRAFT_KEY, None)
    st.session_state.pop(HELD_KEY, None)
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1
    st.session_state.pop(PLAN_KEY, None)
    if to_year is not None:
        st.session_state["data_edit_year"] = to_year


def hold_year() -> None:
    """Another year chosen while the grid has unsaved edits: stay, and say so (`HELD_KEY`)."""
    draft = st.session_state.get(DRAFT_KEY)
    chosen = st.session_state.get("data_edit_year")
    current = st.session_state.get(GENERATION_KEY, 0)
    if draft is not None and draft["generation"] == current and draft["year"] != chosen:
        st.session_state[HELD_KEY] = chosen
        st.session_state["data_edit_year"] = draft["year"]


incoming = None  # (table, problems, action, removals, shown name) once "preview" is pressed
if mode == "table":
    kept = st.session_state.get(DRAFT_KEY)
    if kept is not None and "data_edit_year" not in st.session_state:
        st.session_state["data_edit_year"] = kept["year"]  # back from another page: its year
    edit_year = st.selectbox(
        tr("edit_year", lang),
        year_options,
        key="data_edit_year",
        on_change=hold_year,
        placeholder=t("choose", lang),
    )
    st.caption(tr("table_help", lang))
    rows = edit_grid.editor_rows(plan, table, edit_year, names, units, lang)
    # The grid's edits live in the widget, which Streamlit forgets on another page or mode:
    # the edited grid is kept as a draft and comes back as the base of a fresh grid.
    draft = st.session_state.get(DRAFT_KEY)
    if draft is not None and (draft["year"], draft["generation"]) == (edit_year, generation):
        grid_key, base = draft["key"], draft["base"]
        if grid_key not in st.session_state:
            grid_key = f"data_editor_{edit_year}_{generation}_r{draft['restored'] + 1}"
            base = edit_grid.restored(draft["frame"], names, units)
            draft = {**draft, "key": grid_key, "base": base, "restored": draft["restored"] + 1}
    else:
        grid_key, base, draft = f"data_editor_{edit_year}_{generation}", rows, None
    grid_lines = 36 * (len(base) + 2) + 3  # every row in view and the row to add one
    edited = st.data_editor(
        base,
        hide_index=False,  # the row numbers the problems name
        width="stretch",
        num_rows="add",  # another region, an indicator the table left out
        height=grid_lines,
        disabled=["name", "unit", "last_year"],
        # The value first after the indicator, what the editor came to change: a keyboard
        # user reaches it with one → (accessibility review 10), «Xoá» and «Ước tính» beside it.
        column_order=GRID_ORDER,
        column_config={
            "_index": st.column_config.NumberColumn(tr("c_row", lang), width=44, pinned=True),
            "delete": st.column_config.CheckboxColumn(tr("c_delete", lang), width="small"),
            "estimate": st.column_config.CheckboxColumn(
                tr("c_estimate", lang), width="small", help=tr("estimate_help", lang)
            ),
            # Chosen and shown by name; the id is what the file keeps.
            "indicator": st.column_config.SelectboxColumn(
                tr("f_indicator", lang),
                width="medium",
                help=tr("indicator_help", lang),
                pinned=True,
                options=[i.id for i in plan.indicators if not i.is_derived],
                format_func=label_of,
            ),
            "name": None,  # the indicator column says it
            "unit": st.column_config.TextColumn(tr("c_unit", lang), width="small"),
            # Not `disabled`: that locks the column in added rows too, where another region
            # is typed. An existing row's region is refused at preview; the help says so.
            "region": st.column_config.TextColumn(
                tr("f_region", lang), width="small", help=tr("region_help", lang)
            ),
            "last_year": st.column_config.TextColumn(
                tr("c_last_year", lang, year=edit_year - 1), width="small"
            ),
            "value": st.column_config.TextColumn(tr("c_value", lang), width="small"),
            "source": st.column_config.TextColumn(tr("c_source", lang), width="large"),
            "note": st.column_config.TextColumn(tr("c_note", lang), width="medium"),
        },
        key=grid_key,
    )
    unsaved = edit_grid.pending(rows, edited)
    if unsaved:
        st.session_state[DRAFT_KEY] = {
            "year": edit_year,
            "generation": generation,
            "key": grid_key,
            "base": base,
            "frame": edited,
            "restored": draft["restored"] if draft else 0,
        }
    else:
        st.session_state.pop(DRAFT_KEY, None)
        st.session_state.pop(HELD_KEY, None)
    if st.button(tr("preview", lang), key="data_preview", type="primary"):
        name = tr("table_name", lang, year=edit_year)
        parsed, problems = store.parse_upload(
            edit_grid.table_bytes(edited, edit_year), name, plan, typed=True
        )
        problems = edit_grid.as_grid_rows(problems, name)
        problems.extend(edit_grid.moved_rows(rows, edited, name))
        incoming = (
            parsed.assign(line=parsed["line"] - 1),
            problems,
            "save",
            edit_grid.removals(edited, edit_year),
            name,
        )
    context = ("table", plan.plan.id, edit_year, generation)
else:
    limit_mb = store.MAX_UPLOAD_BYTES // (1024 * 1024)
    uploaded = widgets.file_uploader(
        tr("upload", lang, mb=limit_mb),
        lang,
        key=f"data_upload_{generation}",
        box="data_upload_box",
        help=tr("upload_help", lang),
        max_mb=limit_mb,
    )
    if uploaded is not None and st.button(tr("preview", lang), key="data_preview", type="primary"):
        # The uploaded name is only shown, never used as a path; the reader judges by content.
        raw = uploaded.getvalue()
        parsed, problems = store.parse_upload(raw, uploaded.name, plan)
        incoming = (parsed, problems, "import", None, uploaded.name)
    context = ("upload", plan.plan.id, uploaded.file_id if uploaded else None, generation)

draft = st.session_state.get(DRAFT_KEY)
if draft is not None and draft["generation"] == generation:
    # Unsaved edits are never lost without a word: here, on a year change (held), on a reload
    # or on closing the tab (the browser asks, `widgets.warn_before_leaving`).
    held = st.session_state.get(HELD_KEY)
    n_rows = len(edit_grid.pending(draft["base"], draft["frame"]) or [0])
    if held is not None:
        st.warning(tr("year_held", lang, year=draft["year"], new=held))
    st.warning(tr("unsaved", lang, year=draft["year"], n=n_rows))
    left_button, right_button = st.columns(2)
    left_button.button(tr("discard", lang), key="data_discard", on_click=discard)
    if held is not None:
        right_button.button(
            tr("discard_go", lang, new=held),
            key="data_discard_go",
            on_click=discard,
            args=(held,),
        )
widgets.warn_before_leaving(draft is not None and draft["generation"] == generation)

if incoming is not None:
    parsed, problems, action, to_delete, where = incoming
    st.session_state[PREVIEWS_KEY] = st.session_state.get(PREVIEWS_KEY, 0) + 1
    try:
        import_plan = figures_store.plan_import(
            plan,
            parsed,
            problems,
            also_known,
            to_delete,
            removals_from=where,
            blanks_clear=action == "save",  # the grid: a cell emptied there is taken out
        )
        # An editor limited to agencies may not touch another agency's figures (issue 16).
        import_plan.problems.extend(refusal(plan, scope, editor, figures=import_plan, file=where))
        st.session_state[PLAN_KEY] = (import_plan, action, context)
    except StoreBusy:
        st.error(tr("busy", lang))

planned = st.session_state.get(PLAN_KEY)
if planned is not None and planned[2] != context:
    planned = None  # another year, file or mode than the one previewed: preview again
if planned is not None:
    import_plan, action, _ = planned
    if import_plan.errors:
        st.error(tr("problems", lang, n=len(import_plan.errors)))
        if mode == "table":
            st.caption(tr("table_lines", lang))
        widgets.problems_table(import_plan.errors, lang, "data_problems")
        if import_plan.warnings:
            st.warning(tr("warnings_too", lang, n=len(import_plan.warnings)))
            widgets.problems_table(import_plan.warnings, lang, "data_warnings")
    if not import_plan.errors:
        if not import_plan.has_changes:
            st.info(tr("nothing", lang))
        else:
            st.info(tr("summary", lang, summary=import_plan.summary(lang)))

        def changes_frame(frame: pd.DataFrame, with_old: bool) -> pd.DataFrame:
            columns = {
                tr("f_indicator", lang): frame["indicator"].map(label_of),
                tr("f_region", lang): frame["region"],
                tr("f_year", lang): frame["year"].astype(str),
            }
            if with_old:
                columns[tr("c_old", lang)] = marked(frame["old"], frame["old_estimate"])
            columns[tr("c_new", lang)] = marked(frame["new"], frame["estimate"])
            columns[tr("c_source", lang)] = frame["source"].map(shown_source)
            # A note kept, changed or taken out is shown: a template sent back with its note
            # column empty keeps the saved notes, and the editor sees them here.
            columns[tr("c_note", lang)] = [
                shown_note(old, new)
                for old, new in zip(
                    frame["old_note"] if with_old else frame["note"], frame["note"], strict=True
                )
            ]
            if with_old:
                columns[tr("c_fields", lang)] = [
                    ", ".join(tr(f"field_{f}", lang) for f in str(fields).split(",") if f)
                    for fields in frame["fields"].fillna("")
                ]
            return pd.DataFrame(columns)

        def removed_frame(frame: pd.DataFrame) -> pd.DataFrame:
            return changes_frame(frame, True).drop(
                columns=[tr("c_new", lang), tr("c_fields", lang)]
            )

        if len(import_plan.added):
            st.markdown(f"**{tr('added', lang)}** ({len(import_plan.added)})")
            widgets.short_or_grid(changes_frame(import_plan.added, False), "data_preview_added")
        if len(import_plan.changed):
            st.markdown(f"**{tr('changed', lang)}** ({len(import_plan.changed)})")
            widgets.short_or_grid(changes_frame(import_plan.changed, True), "data_preview_changed")
        if len(import_plan.removed):
            st.markdown(f"**{tr('removed', lang)}** ({len(import_plan.removed)})")
            widgets.short_or_grid(removed_frame(import_plan.removed), "data_preview_removed")
        if len(import_plan.unchanged):
            st.caption(tr("unchanged_n", lang, n=len(import_plan.unchanged)))
        accepted = True
        if import_plan.warnings and import_plan.has_changes:
            accepted = widgets.accept_warnings(
                import_plan.warnings,
                lang,
                heading=tr("warnings", lang, n=len(import_plan.warnings)),
                accept=tr("accept", lang),
                table_key="data_warnings",
                tick_key=f"data_accept_{st.session_state.get(PREVIEWS_KEY, 0)}",
                note=tr("table_lines", lang) if mode == "table" else None,
            )
        if (
            import_plan.has_changes
            and st.button(tr("save", lang), key="data_save", type="primary", disabled=not accepted)
            and accepted
        ):
            # Table edits were made on what the editor loaded: compare with that snapshot.
            since = st.session_state[SNAPSHOT_KEY] if action == "save" else None
            try:
                result = figures_store.apply_import(
                    plan,
                    import_plan,
                    editor,
                    since=since,
                    action=action,
                    accept_warnings=accepted,
                )
            except DataChanged as conflict:
                st.error(tr("conflict", lang))
                if conflict.changes:
                    widgets.text_table(newer_changes(conflict.changes), "data_conflict")
                else:
                    st.caption(tr("conflict_outside", lang))
                st.button(tr("reload", lang), key="data_reload", on_click=start_over)
            except StoreBusy:
                st.error(tr("busy", lang))
            else:
                cache.forget_loaded_data()  # every page shows the new figures at once
                start_over()
                st.session_state[MESSAGE_KEY] = tr("saved", lang, summary=result.summary(lang))
                st.session_state[FOCUS_KEY] = "data_result"
                st.rerun()

# ---------------------------------------------------------------------------- history
st.divider()
st.header(tr("history", lang))
audit = figures_store.history()
if audit.empty:
    st.caption(tr("no_history", lang))
else:
    st.dataframe(
        pd.DataFrame(
            {
                tr("c_time", lang): [local_time(t, lang) for t in audit["time"]],
                tr("c_user", lang): audit["user"],
                tr("c_action", lang): audit["action"].map(
                    lambda a: tr(f"a_{a}", lang) if f"a_{a}" in TEXT else a
                ),
                **subject_columns(audit),
                tr("f_region", lang): audit["region"],
                tr("f_year", lang): audit["year"],
                tr("c_old", lang): audit_values(audit, "old"),
                tr("c_new", lang): audit_values(audit, "new"),
                tr("c_source", lang): audit["source"].map(shown_source),
                tr("c_note", lang): [
                    shown_note(r.old_note, r.new_note) for r in audit.itertuples()
                ],
                tr("c_file", lang): audit["file"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="data_history",
    )
UNDO_PROBLEM_KEY = "data_undo_problem"  # (undo or redo, what refused it)
ASKED_KEY = "data_undo_asked"  # the entry whose restore waits for the editor's confirmation


def ask_undo(entry: str, user: str, time: str) -> None:
    """Ask for the confirmation, unless the save changed what the editor may not write: the
    refusal is said at once, not after a confirmation that could only be refused (the undo
    itself checks again, `store.check_reach`)."""
    allowed = signin.scope_of(auth.load_editors(), editor)
    if allowed is not None:
        rows = audit.fillna("").astype(str).to_dict("records") if len(audit) else []
        try:
            store.check_reach(rows, entry, user, time, allowed)
        except OutsideAgencies as refused:
            message = round_refusal(plan, editor, refused, lang, local_time(time, lang))
            st.session_state[UNDO_PROBLEM_KEY] = ("undo", md_text(message))
            st.session_state[FOCUS_KEY] = "data_undo_result"
            return
    st.session_state[ASKED_KEY] = entry
    st.session_state[FOCUS_KEY] = "data_undo_confirm"


def cancel_undo() -> None:
    st.session_state.pop(ASKED_KEY, None)
    st.session_state[FOCUS_KEY] = "data_undo"


def undo_or_redo(seen: str, redo: bool) -> None:
    """Restore (or redo) the save the user saw (bound when the button was drawn), within the
    agencies the editor may write for."""
    st.session_state.pop(ASKED_KEY, None)
    kind = "redo" if redo else "undo"
    # A click runs before the page does: the account is asked again, as it is now.
    now = auth.load_editors()
    if signin.signed_in_user(now, user_info) != editor:
        return  # signed out meanwhile: the page says why
    st.session_state[FOCUS_KEY] = "data_undo_result"  # what refused it, unless done
    try:
        done = (figures_store.redo if redo else figures_store.undo)(
            editor, expected=seen, allowed=signin.scope_of(now, editor)
        )
    except OutsideAgencies as refused:
        when = local_time(refused.time, lang)
        message = round_refusal(plan, editor, refused, lang, when)
        st.session_state[UNDO_PROBLEM_KEY] = (kind, md_text(message))
        return
    except DataChanged as newer:
        st.session_state[UNDO_PROBLEM_KEY] = (kind, newer.changes)
        return
    except StoreBusy:
        st.session_state[UNDO_PROBLEM_KEY] = (kind, "busy")
        return
    except (HistoryDamaged, HistoryNotKept) as damaged:
        st.session_state[UNDO_PROBLEM_KEY] = (kind, damaged.message(lang))
        return
    cache.forget_loaded_data()
    start_over()
    st.session_state[FOCUS_KEY] = "data_result"
    st.session_state[MESSAGE_KEY] = (
        tr(
            "redone" if redo else "undone",
            lang,
            time=local_time(done.time, lang),
            user=md_text(done.user),
        )
        if done
        else tr(f"nothing_{kind}", lang)
    )


def changes_of(entry: str) -> pd.DataFrame:
    """What the save `entry` changed, as the confirmation shows it: now -> after restoring."""
    rows = audit[(audit["entry"] == entry) & ~audit["action"].isin(store.ROUND_ACTIONS)]
    rows = rows.iloc[::-1]  # oldest first, as saved
    return pd.DataFrame(
        {
            **subject_columns(rows),
            tr("f_region", lang): rows["region"],
            tr("f_year", lang): rows["year"],
            tr("c_now", lang): audit_values(rows, "new"),
            tr("c_restored", lang): audit_values(rows, "old"),
            tr("c_note", lang): [  # now -> after restoring, as the values
                shown_note(r.new_note, r.old_note) for r in rows.itertuples()
            ],
            tr("c_file", lang): rows["file"],
        }
    )


restorable = [e for e in figures_store.entries() if e.restorable]
if restorable:
    last = restorable[-1]
    st.caption(tr("undo_help", lang, time=local_time(last.time, lang), user=md_text(last.user)))
    if st.session_state.get(ASKED_KEY) == last.id:
        # A second, explicit step that shows what will be put back.
        with st.container(border=True, key="data_undo_box"):
            changes = changes_of(last.id)
            # Counted as the table below names them: a row under «Nhiệm vụ» is a task.
            task_cells = changes.get(t("col_task", lang), pd.Series(dtype=str))
            tasks_back = int((task_cells != "").sum())
            st.warning(
                tr(
                    "undo_confirm",
                    lang,
                    changed=figures_and_tasks(len(changes) - tasks_back, tasks_back, lang),
                    time=local_time(last.time, lang),
                    user=md_text(last.user),
                )
            )
            st.dataframe(changes, hide_index=True, width="stretch", key="data_undo_preview")
            yes, no = st.columns(2)
            # The entry id is bound now: a click restores what this page showed, never a newer save.
            yes.button(
                tr("undo_yes", lang),
                key="data_undo_confirm",
                type="primary",
                on_click=undo_or_redo,
                args=(last.id, False),
            )
            no.button(tr("undo_no", lang), key="data_undo_cancel", on_click=cancel_undo)
            if focus_to == "data_undo_confirm":
                widgets.focus_after("data_undo_confirm", "button")
    else:
        st.button(
            tr("undo", lang),
            key="data_undo",
            on_click=ask_undo,
            args=(last.id, last.user, last.time),
        )
        if focus_to == "data_undo":
            widgets.focus_after("data_undo", "button")
redoable = figures_store.redoable()
if redoable is not None:
    st.caption(
        tr("redo_help", lang, time=local_time(redoable.time, lang), user=md_text(redoable.user))
    )
    st.button(tr("redo", lang), key="data_redo", on_click=undo_or_redo, args=(redoable.id, True))
kind, problem = st.session_state.pop(UNDO_PROBLEM_KEY, (None, None))
if problem is not None:
    with st.container(key="data_undo_result"):
        if problem == "busy":
            st.error(tr("busy", lang))
        elif isinstance(problem, str):  # a damaged entry, another agency's: nothing undone
            st.error(problem)
        else:
            st.error(tr(f"{kind}_conflict", lang))
            if problem:
                widgets.text_table(newer_changes(problem), "data_undo_conflict")
            else:
                st.caption(tr("conflict_outside", lang))
        if focus_to == "data_undo_result":
            widgets.focus_after("data_undo_result")
