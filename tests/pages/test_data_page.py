"""AppTest of /data: viewers see no editing control; sign-in; edit -> preview -> save -> history
-> restore; an upload with errors; a save refused over someone else's newer changes.

The dashboard runs on a temporary copy of the figures (KPI_DATA) with a temporary secrets file
(KPI_SECRETS): the repo's data/ is never written.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from kpis import auth, store, templates
from kpis.figures import read_figures
from kpis.plan import load_plan
from kpis.safe_text import WORD_JOINER, md_text

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-cua-an-2025"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return auth.hash_password(PASSWORD)


@pytest.fixture
def site(tmp_path, monkeypatch, password_hash):
    """A data copy and a secrets file with one editor, `an`; returns the data folder."""
    data = tmp_path / "data"
    data.mkdir()
    for file in sorted((REPO / "data").glob("[0-9][0-9][0-9][0-9].csv")):
        shutil.copyfile(file, data / file.name)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[editors]\nan = "{password_hash}"\n', encoding="utf-8")
    monkeypatch.setenv("KPI_DATA", str(data))
    monkeypatch.setenv("KPI_TARGETS", str(REPO / "targets.yaml"))
    monkeypatch.setenv("KPI_SECRETS", str(secrets))
    monkeypatch.delenv("KPI_READ_ONLY", raising=False)
    auth.THROTTLE.succeeded("an")
    return data


def open_page(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("app_pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def editing_controls(at: AppTest) -> list[str]:
    keys = [w.key or "" for w in [*at.button, *at.text_input, *at.file_uploader]]
    keys += [e.key or "data_editor" for e in at.data_editor]
    return [
        k
        for k in keys
        if k.startswith(
            (
                "data_editor",
                "data_upload",
                "data_login",
                "data_preview",
                "data_save",
                "data_undo",
                "data_redo",
            )
        )
    ]


def sign_in(at: AppTest, user: str = "an", password: str = PASSWORD) -> AppTest:
    at.text_input(key="data_login_user").set_value(user)
    at.text_input(key="data_login_password").set_value(password)
    return at.button(key="data_login_button").click().run()


def table_with(at: AppTest, column: str):
    """The first table with this column, as its cells read: a static table's (a short list,
    whose cells wrap) with the Markdown escapes that keep them text taken out again."""
    for table in at.table:
        if column in table.value.columns:
            return table.value.map(as_read).rename(columns=as_read)
    return next(df.value for df in at.dataframe if column in df.value.columns)


def as_read(cell: object) -> object:
    """A static table's cell as a reader sees it (md_text's escapes and word joiners out)."""
    if not isinstance(cell, str):
        return cell
    return re.sub(r"\\(.)", r"\1", cell.replace(WORD_JOINER, ""))


def newer_saves(at: AppTest):
    """The table of saves that came in meanwhile (the history's columns but its action)."""
    return next(
        df.value
        for df in [*at.table, *at.dataframe]
        if "Người sửa" in df.value.columns and "Thao tác" not in df.value.columns
    )


def buttons(at: AppTest) -> list[str]:
    return [b.key for b in at.button]


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_the_browsed_notes_illustrative_mark_is_in_the_pages_language(site):
    notes = set(table_with(open_page("en"), "Source")["Note"])
    assert "Illustrative: Trung tâm Ứng dụng tiến bộ KH&CN và Trung tâm Kỹ thuật TCĐLCL" in notes
    assert not [n for n in notes if str(n).startswith("Minh họa")]


def test_a_viewer_browses_and_downloads_but_sees_no_editing_control(site, monkeypatch):
    monkeypatch.setenv("KPI_SECRETS", str(site.parent / "none.toml"))
    at = open_page()
    assert at.title[0].value == "Cập nhật số liệu"
    assert editing_controls(at) == []
    assert {b.key for b in at.download_button} == {
        "data_template_csv",
        "data_template_xlsx",
        "data_template_other",
        "data_export_csv",
        "data_export_xlsx",
    }
    assert len(table_with(at, "Nguồn")) == 108  # every saved figure, with its source
    at.multiselect(key="data_filter_indicator").set_value(["st_investment"]).run()
    at.multiselect(key="data_filter_year").set_value([2024]).run()
    shown = table_with(at, "Nguồn")
    assert list(shown["Giá trị"]) == ["76.500"]  # Vietnamese number format


@pytest.mark.parametrize(
    ("lang", "source", "indicator"),
    [
        ("vi", "Minh họa – không phải số liệu thực tế", "Phòng Công nghệ sinh học"),
        ("en", "Illustrative – not a reported figure", "Biotechnology laboratory"),
    ],
)
def test_the_browse_table_names_each_figure_and_its_sample_source_in_the_pages_language(
    site, lang, source, indicator
):
    """The shipped sample's source is written in both languages ("Minh họa – … (illustrative,
    …)"); a reader sees it in one, and an indicator by its name, not its id."""
    at = open_page(lang)
    table = table_with(at, "Nguồn" if lang == "vi" else "Source")
    first = table.iloc[0]
    assert (first.iloc[0], first.iloc[-2]) == (indicator, source)
    assert not table.iloc[:, 0].isin({"biotech_lab", "st_investment"}).any()


def test_read_only_removes_even_the_sign_in_form(site, monkeypatch):
    monkeypatch.setenv("KPI_READ_ONLY", "1")
    at = open_page()
    assert editing_controls(at) == []
    assert at.download_button  # viewing and downloads stay


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_editor(site):
    at = open_page()
    assert editing_controls(at) == ["data_login_button", "data_login_user", "data_login_password"]
    sign_in(at, password="doan-mo")
    assert [e.value for e in at.error] == ["Sai tên đăng nhập hoặc mật khẩu."]
    assert not at.data_editor
    sign_in(at)
    assert not at.error
    assert "Đang đăng nhập: an" in [c.value for c in at.caption]
    assert at.data_editor and at.button(key="data_preview")
    assert not [w for w in at.text_input if w.key == "data_login_password"]
    at.button(key="data_logout").click().run()
    assert not at.data_editor


def test_edit_preview_save_history_and_restore(site):
    original = files(site)
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    editor = at.data_editor[0]
    rows = editor.value
    changed_row = int(np.flatnonzero(rows["indicator"] == "st_investment")[0])
    at.session_state[editor.key] = {
        "edited_rows": {changed_row: {"value": "80000", "source": "Báo cáo 45/BC-STC"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    assert "Sẽ thêm 0, sửa 1, giữ nguyên 10." in [i.value for i in at.info]
    preview = table_with(at, "Cũ")
    assert (preview.iloc[0]["Chỉ tiêu"], preview.iloc[0]["Cũ"], preview.iloc[0]["Mới"]) == (
        "Tổng đầu tư cho KH&CN",  # its name: ids are for files
        "76.500",
        "80.000",
    )
    assert files(site) == original  # a preview writes nothing

    at.button(key="data_save").click().run()
    assert [s.value for s in at.success] == [
        "Đã lưu: thêm 0, sửa 1, giữ nguyên 10. Bảng điều khiển đã cập nhật."
    ]
    assert (
        b"st_investment,B\xe1\xba\xafc K\xe1\xba\xa1n,2024,80000,B\xc3\xa1o c\xc3\xa1o 45/BC-STC"
        in (site / "2024.csv").read_bytes()
    )
    history = table_with(at, "Người sửa")
    assert (
        history.iloc[0]["Người sửa"],
        history.iloc[0]["Chỉ tiêu"],
        history.iloc[0]["Cũ"],
        history.iloc[0]["Mới"],
    ) == ("an", "Tổng đầu tư cho KH&CN", "76.500", "80.000")
    # Vietnam's local time, in the page's date format (not "+00:00").
    assert re.fullmatch(r"\d\d/\d\d/20\d\d \d\d:\d\d", history.iloc[0]["Thời gian"])
    # The browse table (and every page) shows the new figure at once.
    assert "80.000" in list(table_with(at, "Nguồn")["Giá trị"])

    at.button(key="data_undo").click().run()
    assert files(site) != original  # restoring asks first
    at.button(key="data_undo_confirm").click().run()
    assert at.success[0].value.startswith("Đã khôi phục trạng thái trước lượt lưu")
    assert files(site) == original
    assert list(table_with(at, "Người sửa")["Thao tác"])[:1] == ["khôi phục"]


def focus_marks(at: AppTest) -> list[tuple[str, str]]:
    """The boxes this run sends the focus to (ui.widgets.focus_after): (box, kind)."""
    return re.findall(
        r'class="kpi-focus" data-kind="(\w+)" data-box="([\w-]+)"',
        "".join(h.proto.body for h in at.get("html")),
    )


def test_save_undo_and_its_confirmation_each_send_the_focus_once(site):
    # Accessibility review finding 2: each action's rerun sends the focus to what it shows,
    # that rerun only (the browser test checks where the focus lands).
    at = sign_in(open_page())
    assert focus_marks(at) == []
    at.selectbox(key="data_edit_year").set_value(2024).run()
    editor = at.data_editor[0]
    changed_row = int(np.flatnonzero(editor.value["indicator"] == "st_investment")[0])
    at.session_state[editor.key] = {
        "edited_rows": {changed_row: {"value": "80000", "source": "Báo cáo 45/BC-STC"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    assert focus_marks(at) == []  # the preview keeps the focus on its button
    at.button(key="data_save").click().run()
    assert focus_marks(at) == [("box", "data_result")]
    at.run()
    assert focus_marks(at) == []  # once
    at.button(key="data_undo").click().run()
    assert focus_marks(at) == [("button", "data_undo_confirm")]
    at.button(key="data_undo_cancel").click().run()
    assert focus_marks(at) == [("button", "data_undo")]
    at.button(key="data_undo").click().run()
    at.button(key="data_undo_confirm").click().run()
    assert at.success[0].value.startswith("Đã khôi phục")
    assert focus_marks(at) == [("box", "data_result")]
    at.run()
    assert focus_marks(at) == []


def test_a_figure_ticked_for_deletion_is_previewed_then_deleted(site):
    original = files(site)
    at = sign_in(open_page("en"))
    at.selectbox(key="data_edit_year").set_value(2024).run()
    editor = at.data_editor[0]
    rows = editor.value
    row = int(np.flatnonzero(rows["indicator"] == "st_investment")[0])
    at.session_state[editor.key] = {
        "edited_rows": {row: {"delete": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    assert "Will be: added 0, changed 0, deleted 1, unchanged 10." in [i.value for i in at.info]
    removed = table_with(at, "Old")
    assert (removed.iloc[0]["Indicator"], removed.iloc[0]["Old"]) == (
        "Total investment in science and technology",
        "76,500",
    )
    assert files(site) == original  # a preview writes nothing

    at.button(key="data_save").click().run()
    assert at.success[0].value.startswith("Saved: added 0, changed 0, deleted 1")
    assert b"st_investment" not in (site / "2024.csv").read_bytes()
    history = table_with(at, "By")
    assert (history.iloc[0]["Indicator"], history.iloc[0]["Old"], history.iloc[0]["New"]) == (
        "Total investment in science and technology",
        "76,500",
        "",
    )


def test_an_upload_with_errors_lists_them_all_and_saves_nothing(site):
    original = files(site)
    at = sign_in(open_page("en"))
    at.radio(key="data_edit_mode").set_value("upload").run()
    book = Workbook()
    book.active.append(["indicator", "year", "value"])
    book.active.append(["st_investmnt", 2025, 1])
    book.active.append(["public_st_orgs", 2025, 3.5])
    out = io.BytesIO()
    book.save(out)
    # The name is shown, never used as a path; the content decides the format.
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("data_upload"))
    uploader.set_value(("../../etc/passwd.csv", out.getvalue(), "text/csv")).run()
    at.button(key="data_preview").click().run()
    assert at.error[0].value.startswith("2 errors: fix them all")
    problems = table_with(at, "Place")
    assert list(problems["Place"]) == [
        "../../etc/passwd.csv:2: indicator",
        "../../etc/passwd.csv:3: value",
    ]
    assert "did you mean: st_investment" in problems.iloc[0]["Message"]
    assert not [b for b in at.button if b.key == "data_save"]
    assert files(site) == original


def test_a_save_over_newer_changes_is_refused_and_says_who_changed_what(site):
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    editor = at.data_editor[0]
    rows = editor.value
    row = int(np.flatnonzero(rows["indicator"] == "st_enterprises")[0])
    at.session_state[editor.key] = {
        "edited_rows": {row: {"value": "9", "source": "BC"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    # Meanwhile someone else imports a change from the command line.
    plan = load_plan(REPO / "targets.yaml")[0]
    other, problems = store.parse_upload(
        b"indicator,year,value,source\nst_investment,2024,90000,BC khac\n", "x.csv", plan
    )
    store.import_figures(site, plan, other, problems, "binh")
    theirs = files(site)
    at.button(key="data_save").click().run()
    assert at.error[0].value.startswith("Số liệu đã bị thay đổi từ lúc bạn mở chúng")
    # in the page's language, as the history: the indicator by its name, not its id
    conflict = newer_saves(at)
    assert list(conflict.columns) == [
        "Thời gian",
        "Người sửa",
        "Chỉ tiêu",
        "Địa bàn",
        "Năm",
        "Cũ",
        "Mới",
    ]
    assert list(conflict["Người sửa"]) == ["binh"] and list(conflict["Mới"]) == ["90.000"]
    assert "st_investment" not in conflict["Chỉ tiêu"].iloc[0]
    assert files(site) == theirs  # nothing of theirs overwritten
    at.button(key="data_reload").click().run()
    assert not at.error


def test_table_errors_name_the_row_of_the_table_and_save_nothing(site):
    original = files(site)
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2025).run()
    editor = at.data_editor[0]
    rows = editor.value
    assert "st_investment_share" not in set(rows["indicator"])  # derived: not entered
    orgs = int(np.flatnonzero(rows["indicator"] == "public_st_orgs")[0])
    lab = int(np.flatnonzero(rows["indicator"] == "biotech_lab")[0])
    at.session_state[editor.key] = {
        "edited_rows": {orgs: {"value": "3.187"}, lab: {"value": "x"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    assert at.error[0].value.startswith("Có 2 lỗi")
    places = list(table_with(at, "Vị trí")["Vị trí"])
    # The row numbers the grid shows are the lines the problems name.
    shown = at.data_editor[0].value.index
    assert places == [
        f"bảng năm 2025:{shown[orgs]}: giá trị",
        f"bảng năm 2025:{shown[lab]}: giá trị",
    ]
    assert (shown[orgs], shown[lab]) == (orgs + 1, lab + 1)
    assert "viết 3187" in " ".join(table_with(at, "Vị trí").iloc[:, -1])
    assert not [b for b in at.button if b.key == "data_save"]
    assert files(site) == original


def test_another_plan_of_the_catalogue_saves_without_touching_this_plans_files(site, monkeypatch):
    """Two plans share one data folder: a Lạng Sơn figure saved from /data?plan=… lands in
    2024.csv beside Bắc Kạn's rows, which stay byte for byte the same after an undo."""
    shutil.copyfile(REPO / "data" / "lang-son.csv", site / "lang-son.csv")
    monkeypatch.setenv("KPI_PLANS", str(REPO / "plans"))
    original = files(site)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.query_params["plan"] = "lang-son-147-2023"
    at.run()
    at.switch_page("app_pages/data.py")
    at.query_params["plan"] = "lang-son-147-2023"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    sign_in(at)
    at.selectbox(key="data_edit_year").set_value(2024).run()
    editor = at.data_editor[0]
    rows = editor.value
    assert set(rows["region"]) == {"Lạng Sơn"} and "public_st_orgs" not in set(rows["indicator"])
    row = int(np.flatnonzero(rows["indicator"] == "national_st_tasks")[0])
    at.session_state[editor.key] = {
        "edited_rows": {row: {"value": "5", "source": "BC LS"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    assert not at.error, [e.value for e in at.error]
    at.button(key="data_save").click().run()
    text = (site / "2024.csv").read_bytes().decode("utf-8-sig")
    assert "national_st_tasks,Lạng Sơn,2024,5,BC LS," in text
    assert original["2024.csv"].decode("utf-8-sig").splitlines()[1] in text  # Bắc Kạn kept
    at.button(key="data_undo").click().run()
    at.button(key="data_undo_confirm").click().run()
    assert files(site) == original


def test_repeated_wrong_passwords_make_the_user_wait(site, monkeypatch):
    monkeypatch.setattr(auth.THROTTLE, "base", 30.0)  # long enough for a slow machine
    at = open_page()
    for _ in range(auth.THROTTLE.free):
        sign_in(at, password="doan-sai")
        assert [e.value for e in at.error] == ["Sai tên đăng nhập hoặc mật khẩu."]
    sign_in(at, password="doan-sai")
    assert at.error[0].value.startswith("Đăng nhập sai nhiều lần: thử lại sau 30 giây")
    sign_in(at)  # even the right password waits its turn
    assert at.error[0].value.startswith("Đăng nhập sai nhiều lần") and not at.data_editor


def test_restore_does_not_undo_a_save_made_after_the_page_was_shown(site):
    plan = load_plan(REPO / "targets.yaml")[0]
    mine, problems = store.parse_upload(
        b"indicator,year,value,source\nbiotech_lab,2025,1,BC\n", "a.csv", plan
    )
    store.import_figures(site, plan, mine, problems, "an")
    at = sign_in(open_page())
    assert at.button(key="data_undo")
    theirs, problems = store.parse_upload(
        b"indicator,year,value,source\nst_enterprises,2025,3,BC\n", "b.csv", plan
    )
    at.button(key="data_undo").click().run()  # the confirmation shows the save the page saw
    store.import_figures(site, plan, theirs, problems, "binh")
    before = files(site)
    at.button(key="data_undo_confirm").click().run()
    assert at.error[0].value.startswith("Đã có một lượt lưu mới hơn")
    assert list(newer_saves(at)["Người sửa"]) == ["binh"]  # who, in the page's words
    assert files(site) == before


@pytest.mark.parametrize(
    ("user", "editing", "shown"),
    [
        ({"is_logged_in": False}, False, "data_sso_login"),
        ({"is_logged_in": True, "email": "Chi@SoKHCN.example.gov.vn"}, True, None),
        ({"is_logged_in": True, "email": "khach@example.com"}, False, None),
    ],
)
def test_identity_provider_sign_in_edits_only_for_listed_emails(
    site, monkeypatch, user, editing, shown
):
    """With [auth] configured Streamlit reports st.user.is_logged_in; only the e-mails under
    [editor_emails] may edit (the login itself is the provider's, not testable offline)."""
    secrets = Path(str(site.parent / "secrets.toml"))
    secrets.write_text(
        secrets.read_text(encoding="utf-8")
        + '\n[editor_emails]\nemails = ["chi@sokhcn.example.gov.vn"]\n',
        encoding="utf-8",
    )
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.user = user
    at.run()
    at.switch_page("app_pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert bool(at.data_editor) is editing
    if shown:
        assert [b.key for b in at.button if b.key == shown] == [shown]
    if editing:
        # (an address shown as typed, not made a mailto: link)
        assert f"Đang đăng nhập: {user['email']}" in [as_read(c.value) for c in at.caption]
    if user.get("is_logged_in") and not editing:
        assert "chưa được phân quyền" in at.warning[0].value


def edit_rows(at: AppTest, edits: dict[str, dict]) -> AppTest:
    """Type into the grid: {indicator: {column: text}}; then preview."""
    editor = at.data_editor[0]
    rows = editor.value
    at.session_state[editor.key] = {
        "edited_rows": {
            int(np.flatnonzero(rows["indicator"] == indicator)[0]): cells
            for indicator, cells in edits.items()
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    return at.button(key="data_preview").click().run()


def test_warnings_stand_above_the_save_button_which_needs_the_tick(site):
    original = files(site)
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    edit_rows(at, {"st_investment": {"value": "81.500", "source": "Báo cáo 45/BC-STC"}})
    warnings = [w.value for w in at.warning]
    # Below the grid, its unsaved edits; then the preview's warnings, above the save button.
    assert warnings[0].startswith("Bảng năm 2024 có 1 dòng đã sửa chưa lưu")
    assert warnings[1].startswith("2 cảnh báo: xem từng dòng dưới đây.")
    messages = list(table_with(at, "Nội dung")["Nội dung"])
    assert messages[0].startswith("81.500 được đọc là số thập phân 81,5")
    assert "hãy viết 81500" in messages[0]
    assert "chỉ bằng khoảng 1/1000 số năm 2023 là 84100" in messages[1]
    assert at.button(key="data_save").disabled
    assert files(site) == original
    tick = next(c for c in at.checkbox if (c.key or "").startswith("data_accept"))
    assert tick.label == "Tôi đã kiểm tra các cảnh báo trên"
    tick.check().run()
    assert not at.button(key="data_save").disabled
    at.button(key="data_save").click().run()
    assert at.success[0].value.startswith("Đã lưu: thêm 0, sửa 1")
    assert (
        b"st_investment,B\xe1\xba\xafc K\xe1\xba\xa1n,2024,81.5,"
        in (site / "2024.csv").read_bytes()
    )


def test_an_uploads_not_an_estimate_word_is_a_warning_the_tick_accepts(site):
    """«không» in «ước tính» is read as not an estimate, no longer silently: the preview lists
    the warning, the save waits for the tick, and the figure is saved unmarked."""
    original = files(site)
    at = sign_in(open_page())
    at.radio(key="data_edit_mode").set_value("upload").run()
    upload = "chỉ tiêu,năm,giá trị,nguồn,ước tính\npublic_st_orgs,2024,4,BC 12,không\n"
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("data_upload"))
    uploader.set_value(("uoc-tinh.csv", upload.encode(), "text/csv")).run()
    at.button(key="data_preview").click().run()
    assert list(table_with(at, "Nội dung")["Nội dung"]) == [
        "«không» trong cột ước tính được hiểu là không phải ước tính: để trống ô nếu không "
        "phải ước tính, ghi x nếu là ước tính"
    ]
    assert at.button(key="data_save").disabled
    assert files(site) == original
    next(c for c in at.checkbox if (c.key or "").startswith("data_accept")).check().run()
    at.button(key="data_save").click().run()
    assert at.success[0].value.startswith("Đã lưu: thêm 0, sửa 1")
    assert (
        "public_st_orgs,Bắc Kạn,2024,4,BC 12,"
        in (site / "2024.csv").read_text("utf-8-sig").splitlines()
    )


def test_a_note_emptied_in_the_grid_is_taken_out_when_saved(site):
    def note_of_st_enterprises() -> str:
        text = (site / "2024.csv").read_text("utf-8-sig")
        return next(line for line in text.splitlines() if line.startswith("st_enterprises,"))

    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    edit_rows(at, {"st_enterprises": {"note": "xem lại với phòng Kế hoạch"}})
    at.button(key="data_save").click().run()
    assert note_of_st_enterprises().endswith(",xem lại với phòng Kế hoạch")
    # The grid shows the saved note: emptying its cell takes it out, previewed as a change of
    # the note (a file's empty note cell keeps the saved one: a template has none).
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    edit_rows(at, {"st_enterprises": {"note": ""}})
    assert "Sẽ thêm 0, sửa 1, giữ nguyên 10." in [i.value for i in at.info]
    assert list(table_with(at, "Thay đổi")["Thay đổi"]) == ["ghi chú"]
    at.button(key="data_save").click().run()
    assert "xem lại" not in note_of_st_enterprises()


def test_the_grid_shows_one_number_format_and_the_preview_says_what_changed(site):
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    rows = at.data_editor[0].value
    row = rows[rows["indicator"] == "st_investment"].iloc[0]
    # Last year's 84100 and this year's 76500 in the same convention: plain digits.
    assert (row["last_year"], row["value"]) == ("84100", "76500")
    assert not rows["last_year"].str.contains(r"\d\.\d{3}").any()
    edit_rows(at, {"public_st_orgs": {"note": "đã đối chiếu"}})
    changed = table_with(at, "Thay đổi")
    assert list(changed["Thay đổi"]) == ["ghi chú"]


def test_restoring_asks_first_showing_what_comes_back_then_redo_applies_the_save_again(site):
    plan = load_plan(REPO / "targets.yaml")[0]
    mine, problems = store.parse_upload(
        b"indicator,year,value,source\nst_investment,2024,80000,BC 45\nbiotech_lab,2025,1,BC\n",
        "a.csv",
        plan,
    )
    store.import_figures(site, plan, mine, problems, "binh", accept_warnings=True)
    saved = files(site)
    at = sign_in(open_page("en"))
    assert "data_redo" not in buttons(at)  # nothing restored yet

    at.button(key="data_undo").click().run()
    assert files(site) == saved  # the first click only asks
    asked = [w.value for w in at.warning if w.value.startswith("Restoring puts")]
    assert asked and "2 figures" in asked[0] and "binh" in asked[0]
    shown = table_with(at, "After restoring")
    assert list(zip(shown["Indicator"], shown["Now"], shown["After restoring"], strict=True)) == [
        ("Biotechnology laboratory", "1", ""),
        ("Total investment in science and technology", "80,000", "76,500"),
    ]
    at.button(key="data_undo_cancel").click().run()  # cancel: nothing restored, no box
    assert files(site) == saved and "data_undo_confirm" not in buttons(at)

    at.button(key="data_undo").click().run()
    at.button(key="data_undo_confirm").click().run()
    assert at.success[0].value.startswith("Restored the state before the save of")
    assert files(site) != saved
    assert at.button(key="data_redo").label == "Redo the save just restored"

    at.button(key="data_redo").click().run()
    assert at.success[0].value.startswith("Redid the save of") and "binh" in at.success[0].value
    assert files(site) == saved
    assert "data_redo" not in buttons(at)
    assert list(table_with(at, "By")["Action"])[:2] == ["redo", "redo"]
    assert {r["user"] for r in store.read_audit(site) if r["action"] == "redo"} == {"an"}


def test_redo_is_refused_naming_who_saved_after_the_restore(site):
    plan = load_plan(REPO / "targets.yaml")[0]
    mine, problems = store.parse_upload(
        b"indicator,year,value,source\nbiotech_lab,2025,1,BC\n", "a.csv", plan
    )
    store.import_figures(site, plan, mine, problems, "an")
    at = sign_in(open_page())
    at.button(key="data_undo").click().run()
    at.button(key="data_undo_confirm").click().run()
    assert "data_redo" in buttons(at)
    theirs, problems = store.parse_upload(
        b"indicator,year,value,source\nst_enterprises,2025,3,BC\n", "b.csv", plan
    )
    store.import_figures(site, plan, theirs, problems, "binh")
    before = files(site)
    at.button(key="data_redo").click().run()  # the button drawn before binh saved
    assert at.error[0].value.startswith("Đã có thay đổi mới hơn")
    assert list(newer_saves(at)["Người sửa"]) == ["binh"]
    assert files(site) == before
    assert "data_redo" not in buttons(at)  # and it is offered no more


def test_an_estimate_ticked_in_the_grid_is_saved_and_marked_on_the_pages(site):
    # Version 2's estimate column: ticked in the grid, listed as the one field changed, kept
    # in the saved file, and shown «(ước)» on the indicator page and the browse table.
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    rows = at.data_editor[0].value
    assert "estimate" in rows.columns and not rows["estimate"].any()
    edit_rows(at, {"public_st_orgs": {"estimate": True}})
    changed = table_with(at, "Thay đổi")
    assert list(changed["Thay đổi"]) == ["ước tính"]
    assert (changed.iloc[0]["Cũ"], changed.iloc[0]["Mới"]) == ("3", "3 (ước)")
    at.button(key="data_save").click().run()
    assert at.success[0].value.startswith("Đã lưu: thêm 0, sửa 1")
    lines = (site / "2024.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "indicator,region,year,value,source,note,estimate"
    assert [line for line in lines if line.startswith("public_st_orgs,")][0].endswith(",x")
    at.multiselect(key="data_filter_indicator").set_value(["public_st_orgs"]).run()
    at.multiselect(key="data_filter_year").set_value([2024]).run()
    assert list(table_with(at, "Nguồn")["Giá trị"]) == ["3 (ước)"]
    assert at.data_editor[0].value.set_index("indicator").loc["public_st_orgs", "estimate"]

    page = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    page.query_params["id"] = "public_st_orgs"
    page.run()
    page.switch_page("app_pages/indicator.py")
    page.query_params["id"] = "public_st_orgs"
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    shown = [(m.label, m.value) for m in page.metric if m.label.startswith("Số liệu")]
    # The 2020 target was judged on 2020's figure; the 2030 target's is the 2024 estimate.
    assert shown == [("Số liệu năm hạn 2020", "3"), ("Số liệu mới nhất", "3 (ước)")]


@pytest.mark.parametrize(
    ("lang", "old", "new", "now", "restored", "mark"),
    [
        ("vi", "Cũ", "Mới", "Hiện tại", "Sau khi khôi phục", "3 (ước)"),
        ("en", "Old", "New", "Now", "After restoring", "3 (estimate)"),
    ],
)
def test_the_history_and_the_undo_confirmation_mark_an_estimate_as_the_preview_did(
    site, lang, old, new, now, restored, mark
):
    """An estimate saved in the grid reads «3 (ước)» in the history, as in the preview (the
    review saw «Mới 3»); the official figure replacing it reads «3 (ước)» → «3»; restoring
    shows the estimate coming back."""
    at = sign_in(open_page(lang))
    at.selectbox(key="data_edit_year").set_value(2024).run()
    edit_rows(at, {"public_st_orgs": {"estimate": True}})
    at.button(key="data_save").click().run()
    history = table_with(at, "Người sửa" if lang == "vi" else "By")
    assert (history.iloc[0][old], history.iloc[0][new]) == ("3", mark)

    edit_rows(at, {"public_st_orgs": {"estimate": False}})  # the official figure: same number
    at.button(key="data_save").click().run()
    history = table_with(at, "Người sửa" if lang == "vi" else "By")
    assert list(zip(history[old], history[new], strict=True))[:2] == [(mark, "3"), ("3", mark)]

    at.button(key="data_undo").click().run()
    shown = table_with(at, restored)
    assert (shown.iloc[0][now], shown.iloc[0][restored]) == ("3", mark)
    at.button(key="data_undo_confirm").click().run()
    lines = (site / "2024.csv").read_text("utf-8-sig").splitlines()
    assert [line for line in lines if line.startswith("public_st_orgs,")][0].endswith(",x")
    history = table_with(at, "Người sửa" if lang == "vi" else "By")
    assert (history.iloc[0][old], history.iloc[0][new]) == ("3", mark)


def html_scripts(at: AppTest) -> list[str]:
    """The page's own scripts (sign-in cookie, leave guard): not the router's, which sets the
    document's language on every page (ui.widgets.document_language)."""
    return [e.proto.body for e in at.get("html") if "documentElement.lang" not in e.proto.body]


def test_a_row_added_in_the_grid_enters_another_region_and_is_numbered(site):
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    editor = at.data_editor[0]
    rows = editor.value
    assert list(rows.index[:2]) == [1, 2]  # the row numbers the problems name
    at.session_state[editor.key] = {
        "edited_rows": {},
        "added_rows": [
            {"indicator": "st_enterprises", "region": "Chợ Đồn", "value": "2", "source": "BC"},
            {"indicator": "st_enterprises", "region": "Ba Bể", "value": "-1", "source": "BC"},
        ],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    # The second added row is refused at its own number: one past the first added row.
    places = list(table_with(at, "Vị trí")["Vị trí"])
    assert places == [f"bảng năm 2024:{len(rows) + 2}: giá trị"]
    at.session_state[editor.key] = {
        "edited_rows": {},
        "added_rows": [
            {"indicator": "st_enterprises", "region": "Chợ Đồn", "value": "2", "source": "BC"}
        ],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    assert "Sẽ thêm 1, sửa 0, giữ nguyên 11." in [i.value for i in at.info]
    added = table_with(at, "Mới")
    assert list(zip(added["Chỉ tiêu"], added["Địa bàn"], added["Mới"], strict=True)) == [
        ("Số doanh nghiệp KH&CN", "Chợ Đồn", "2")
    ]
    # A region no figure had yet is looked at once before it becomes one on every page.
    [warning] = list(table_with(at, "Nội dung")["Nội dung"])
    assert warning.startswith("địa bàn mới «Chợ Đồn»: chưa có số liệu nào của địa bàn này")
    assert at.button(key="data_save").disabled
    next(box for box in at.checkbox if box.key.startswith("data_accept_")).check().run()
    at.button(key="data_save").click().run()
    assert "st_enterprises,Chợ Đồn,2024,2,BC," in (site / "2024.csv").read_text("utf-8-sig")


def test_an_existing_rows_indicator_cannot_be_changed_in_the_grid(site):
    original = files(site)
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    edit_rows(at, {"st_investment": {"indicator": "st_enterprises"}})
    rows = at.data_editor[0].value
    line = int(np.flatnonzero(rows["indicator"] == "st_investment")[0]) + 1
    problems = table_with(at, "Vị trí")
    assert f"bảng năm 2024:{line}: chỉ tiêu" in list(problems["Vị trí"])
    assert not [b for b in at.button if b.key == "data_save"]
    assert files(site) == original


def test_unsaved_edits_hold_the_year_until_discarded_and_survive_another_page(site):
    at = sign_in(open_page("en"))
    at.selectbox(key="data_edit_year").set_value(2024).run()
    assert not at.warning and not html_scripts(at)[1:]  # nothing unsaved, no leave guard
    editor = at.data_editor[0]
    rows = editor.value
    row = int(np.flatnonzero(rows["indicator"] == "st_investment")[0])
    at.session_state[editor.key] = {
        "edited_rows": {row: {"value": "81000"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert at.warning[0].value.startswith("The 2024 table has 1 edited rows not saved")
    assert any("window.kpiUnsaved = true" in s for s in html_scripts(at))  # reload asks

    # Another page and back: the edit is still there, still unsaved.
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/data.py").run()
    assert at.selectbox(key="data_edit_year").value == 2024
    back = at.data_editor[0].value
    assert back.iloc[row]["value"] == "81000"
    assert at.warning[0].value.startswith("The 2024 table has 1 edited rows not saved")

    # Another year is held while the edits stand.
    at.selectbox(key="data_edit_year").set_value(2023).run()
    assert at.selectbox(key="data_edit_year").value == 2024
    assert [w.value for w in at.warning][:1] == [
        "Still on 2024: going to 2023 would lose the edits not saved."
    ]
    assert at.data_editor[0].value.iloc[row]["value"] == "81000"
    at.button(key="data_discard_go").click().run()
    assert at.selectbox(key="data_edit_year").value == 2023
    assert not at.warning
    assert any("window.kpiUnsaved = false" in s for s in html_scripts(at))
    at.selectbox(key="data_edit_year").set_value(2024).run()
    assert at.data_editor[0].value.iloc[row]["value"] == "76500"  # discarded


def test_signing_in_sets_a_signed_cookie_and_signing_out_revokes_it(site):
    from kpis import sessions

    at = sign_in(open_page())
    [script] = html_scripts(at)
    token = re.search(r'"kpi_editor" \+ \'=\' \+ "([^"]+)"', script).group(1)
    assert "SameSite=Strict" in script and "Max-Age=28800" in script
    assert PASSWORD not in script
    editors = auth.load_editors()
    assert sessions.verify(token, editors) == "an"
    at.button(key="data_logout").click().run()
    assert sessions.verify(token, editors) is None  # revoked on the server
    [script] = html_scripts(at)
    assert "'=' + \"\" + '; Max-Age=0" in script  # and the cookie cleared


def test_a_user_name_written_as_markdown_is_shown_as_typed(site, password_hash):
    # Security review finding 4: the sign-in form takes any user name, and the caption drew
    # one such as `**x**` bold (a link, a colour, a formula likewise).
    name = "**x** [lnk](http://evil.example/u) :red[r] $y$"
    secrets = site.parent / "secrets.toml"
    secrets.write_text(f'[editors]\n{auth.toml_key(name)} = "{password_hash}"\n', "utf-8")
    auth.THROTTLE.succeeded(name)
    at = sign_in(open_page(), user=name)
    assert at.data_editor  # signed in
    [signed] = [c.value for c in at.caption if c.value.startswith("Đang đăng nhập")]
    assert signed == f"Đang đăng nhập: {md_text(name)}"
    assert as_read(signed) == f"Đang đăng nhập: {name}"  # every character, each escaped
    assert "\\*\\*x\\*\\* \\[lnk\\]" in signed  # no bold, no link


def test_the_grid_pins_its_row_numbers_and_the_indicator_and_can_add_rows(site):
    at = sign_in(open_page())
    proto = at.data_editor[0].proto
    columns = json.loads(proto.columns)
    pinned = [name for name, config in columns.items() if config.get("pinned")]
    assert pinned == ["_index", "indicator"]  # in view when scrolling sideways
    # The indicator is chosen and shown by its name; the id stays what the file keeps.
    indicator = columns["indicator"]
    assert indicator["label"] == "Chỉ tiêu" and columns["name"]["hidden"] is True
    options = {o["value"]: o["label"] for o in indicator["type_config"]["options"]}
    assert options["st_investment"] == "Tổng đầu tư cho KH&CN"
    assert "st_investment_share" not in options  # derived: computed, never typed
    assert columns["_index"]["label"] == "Dòng" and columns["_index"]["hidden"] is False
    assert proto.editing_mode == proto.EditingMode.ADD_ONLY  # rows added, never deleted


def test_the_grid_shows_the_value_right_after_the_indicator(site):
    # Accessibility review finding 10: a keyboard user crossed «Đơn vị», «Địa bàn» and last
    # year's figure before the value they came to change.
    at = sign_in(open_page())
    proto = at.data_editor[0].proto
    assert list(proto.column_order)[:2] == ["indicator", "value"]
    assert list(proto.column_order)[2] == "delete"  # beside the value it deletes
    shown = {name for name, config in json.loads(proto.columns).items() if not config.get("hidden")}
    assert shown - {"_index"} == set(proto.column_order)  # every column still shown


@pytest.mark.parametrize(
    ("lang", "region", "indicator", "caption"),
    [
        (
            None,
            "địa bàn của một dòng đã có không sửa được",
            "chỉ tiêu của một dòng",
            "Ở dòng đã có",
        ),
        (
            "en",
            "an existing row's region cannot be changed",
            "existing row's indicator",
            "In a row",
        ),
    ],
)
def test_the_grid_says_an_existing_rows_region_and_indicator_stay(
    site, lang, region, indicator, caption
):
    # Accessibility review finding 10: the region cell looked editable, then the preview
    # refused the edit. It stays editable (an added row is where another region is typed, and
    # a disabled column is locked in added rows too), so its help and the grid's caption say it.
    at = sign_in(open_page(lang))
    columns = json.loads(at.data_editor[0].proto.columns)
    assert not columns["region"].get("disabled")  # added rows still take a region
    assert region in columns["region"]["help"]
    assert indicator in columns["indicator"]["help"]
    assert any(
        c.value.startswith(("Ghi giá trị", "Write values")) and caption in c.value
        for c in at.caption
    )
    assert at.data_editor[0].proto.editing_mode == at.data_editor[0].proto.EditingMode.ADD_ONLY


# An account removed from secrets.toml, or given another password, while its tab is open
# (audit finding): the next run signs the tab out and says why; nothing more is written.
ENDED_VI = "Tài khoản của bạn đã thay đổi hoặc bị xoá: đăng nhập lại."
ENDED_EN = "Your account has changed or been removed: sign in again."


@pytest.mark.parametrize("change", ["removed", "new password"])
def test_an_account_removed_or_given_another_password_signs_its_open_tab_out(site, change):
    secrets = site.parent / "secrets.toml"
    at = sign_in(open_page())
    assert "Đang đăng nhập: an" in [c.value for c in at.caption]
    if change == "removed":
        secrets.write_text(f'[editors]\nbinh = "{auth.hash_password("khac-1234")}"\n')
    else:
        secrets.write_text(f'[editors]\nan = "{auth.hash_password("mat-khau-moi-2026")}"\n')
    at.run()
    assert [w.value for w in at.warning] == [ENDED_VI]
    assert "Đang đăng nhập: an" not in [c.value for c in at.caption]
    assert editing_controls(at) == ["data_login_button", "data_login_user", "data_login_password"]
    assert any("Max-Age=0" in s for s in html_scripts(at))  # the browser's cookie is cleared
    at.run()
    assert not at.warning  # said once
    assert editing_controls(at)[0] == "data_login_button"  # and still signed out
    if change == "new password":
        auth.THROTTLE.succeeded("an")
        assert sign_in(at).error[0].value == "Sai tên đăng nhập hoặc mật khẩu."  # the old one
        sign_in(at, password="mat-khau-moi-2026")
        assert "Đang đăng nhập: an" in [c.value for c in at.caption]


def test_a_restore_confirmed_after_the_account_was_removed_restores_nothing(site):
    plan = load_plan(REPO / "targets.yaml")[0]
    theirs, problems = store.parse_upload(
        b"indicator,year,value,source\nbiotech_lab,2025,1,BC\n", "a.csv", plan
    )
    store.import_figures(site, plan, theirs, problems, "binh")
    at = sign_in(open_page("en"))
    at.button(key="data_undo").click().run()  # the confirmation is on the screen
    before = files(site)
    audit = (site / ".history" / "audit.csv").read_bytes()
    (site.parent / "secrets.toml").write_text("[editors]\n")  # an is removed meanwhile
    at.button(key="data_undo_confirm").click().run()  # a click runs before the page does
    assert files(site) == before
    assert (site / ".history" / "audit.csv").read_bytes() == audit
    assert not at.success and not at.error
    assert [w.value for w in at.warning] == [ENDED_EN]
    assert "data_undo_confirm" not in buttons(at) and not at.data_editor


def test_an_existing_rows_region_changed_to_a_new_one_is_told_once_as_an_error(site):
    # The row's refusal says what to do with that cell (add a row); a warning beside it that
    # the region is new, to be ticked as looked at, asked for what cannot be saved anyway.
    original = files(site)
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    edit_rows(at, {"st_investment": {"region": "Chợ Đồn"}})
    rows = at.data_editor[0].value
    line = int(np.flatnonzero(rows["indicator"] == "st_investment")[0]) + 1
    shown = []  # (place, message) of every problem listed, errors and warnings
    for frame in [*at.table, *at.dataframe]:
        cells = frame.value.map(as_read)
        if "Vị trí" in cells.columns:
            shown += zip(cells["Vị trí"], cells["Nội dung"], strict=True)
    [(place, message)] = [(p, m) for p, m in shown if p == f"bảng năm 2024:{line}: địa bàn"]
    assert message.startswith("không sửa được địa bàn của một dòng đã có (đang là «Bắc Kạn»)")
    assert at.error[0].value.startswith("Có 1 lỗi")
    assert not [b for b in at.button if b.key == "data_save"]
    assert files(site) == original


def serves(at: AppTest, key: str, data: bytes, mimetype: str, file_name: str) -> bool:
    """Whether the download button `key` serves exactly `data`. AppTest keeps no file after the
    run; the button's address is Streamlit's hash of the bytes, the type and the name."""
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id

    url = next(b for b in at.download_button if b.key == key).proto.url
    return url.rsplit("/", 1)[-1].split(".")[0] == _calculate_file_id(data, mimetype, file_name)


def test_an_editor_limited_to_one_agency_downloads_a_template_of_only_its_indicators(
    site, monkeypatch, password_hash
):
    secrets = site.parent / "secrets-binh.toml"
    secrets.write_text(
        "[editors]\n"
        f'an = "{password_hash}"\n'
        f'binh = {{ hash = "{password_hash}", agencies = ["so-nnptnt"] }}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KPI_SECRETS", str(secrets))
    auth.THROTTLE.succeeded("binh")
    plan = load_plan(REPO / "targets.yaml")[0]
    table = read_figures(site, plan).table

    def offered(at: AppTest, agencies) -> bool:
        # The CSV: an .xlsx holds the second it was made, so its bytes cannot be made again.
        year = at.selectbox(key="data_template_year").value
        return serves(
            at,
            "data_template_csv",
            templates.template_csv(plan, table, year, "vi", agencies),
            "text/csv",
            f"mau-so-lieu-{year}.csv",
        )

    at = open_page()
    assert offered(at, None)  # not signed in: every indicator
    sign_in(at, "binh")
    assert "Đang đăng nhập: binh" in [c.value for c in at.caption]
    assert offered(at, {"so-nnptnt"}) and not offered(at, None)
    assert (
        "Mẫu nhập chỉ gồm các chỉ tiêu tài khoản này được ghi: Sở Nông nghiệp và Phát triển "
        "nông thôn" in [c.value for c in at.caption]
    )
    year = at.selectbox(key="data_template_year").value
    rows = templates.template_frame(plan, table, year, agencies={"so-nnptnt"})
    assert list(rows["indicator"]) == ["hightech_agri_zone", "hightech_vegetable_models"]
    at.button(key="data_logout").click().run()
    sign_in(at, "an")  # no limit: every indicator
    assert offered(at, None)
    assert not [c for c in at.caption if c.value.startswith("Mẫu nhập chỉ gồm")]


@pytest.mark.parametrize(
    ("lang", "note", "fields", "taken_out"),
    [
        ("vi", "Ghi chú", "Thay đổi", "«đã kiểm tra» → (trống)"),
        ("en", "Note", "What changes", "«đã kiểm tra» → (empty)"),
    ],
)
def test_a_template_sent_back_keeps_the_saved_note_and_a_note_taken_out_is_shown_first(
    site, lang, note, fields, taken_out
):
    """The year's template has an empty note column: sent back filled in, the figure's value
    changes and its saved note stays, shown in the preview. A note taken out in the grid is
    previewed old → (empty) before it is saved, and the history keeps both."""
    (site / "2025.csv").write_text(
        "\ufeffindicator,region,year,value,source,note\n"
        "st_investment,Bắc Kạn,2025,81500,Báo cáo 12/BC-SKHCN,đã kiểm tra\n",
        encoding="utf-8",
    )
    at = sign_in(open_page(lang))
    at.radio(key="data_edit_mode").set_value("upload").run()
    template = (
        "chỉ tiêu,địa bàn,năm,giá trị,nguồn,ghi chú\n"
        "st_investment,Bắc Kạn,2025,82000,Báo cáo 12/BC-SKHCN,\n"
    )
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("data_upload"))
    uploader.set_value(("mau-so-lieu-2025.csv", template.encode(), "text/csv")).run()
    at.button(key="data_preview").click().run()
    changed = table_with(at, fields)
    assert (changed[note].tolist(), changed[fields].tolist()) == (
        ["đã kiểm tra"],
        ["giá trị" if lang == "vi" else "value"],
    )
    at.button(key="data_save").click().run()
    assert (site / "2025.csv").read_text("utf-8-sig").splitlines()[1] == (
        "st_investment,Bắc Kạn,2025,82000,Báo cáo 12/BC-SKHCN,đã kiểm tra"
    )

    at.radio(key="data_edit_mode").set_value("table").run()
    at.selectbox(key="data_edit_year").set_value(2025).run()
    edit_rows(at, {"st_investment": {"note": ""}})
    assert table_with(at, fields)[note].tolist() == [taken_out]
    assert (site / "2025.csv").read_text("utf-8-sig").endswith(",đã kiểm tra\n")  # not yet
    at.button(key="data_save").click().run()
    assert (site / "2025.csv").read_text("utf-8-sig").endswith(",Báo cáo 12/BC-SKHCN,\n")
    history = table_with(at, "Thao tác" if lang == "vi" else "Action")
    assert history[note].tolist()[:2] == [taken_out, "đã kiểm tra"]


def test_the_years_template_sent_back_keeps_its_estimates_and_a_mark_emptied_is_shown_first(
    site,
):
    """The template of a year with estimates saved carries them, marked x: sent back as
    downloaded nothing changes; with one mark emptied, the preview lists «ước tính» changed,
    «3 (ước)» → «3», before anything is saved."""
    (site / "2025.csv").write_text(
        "\ufeffindicator,region,year,value,source,note,estimate\n"
        "public_st_orgs,Bắc Kạn,2025,3,Báo cáo 6 tháng,,x\n"
        "st_investment,Bắc Kạn,2025,81000.5,Báo cáo 6 tháng,,x\n",
        encoding="utf-8",
    )
    plan = load_plan(REPO / "targets.yaml")[0]
    template = templates.template_csv(plan, read_figures(site, plan).table, 2025)
    at = sign_in(open_page())
    at.selectbox(key="data_template_year").set_value(2025).run()
    assert serves(at, "data_template_csv", template, "text/csv", "mau-so-lieu-2025.csv")
    before = files(site)

    at.radio(key="data_edit_mode").set_value("upload").run()
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("data_upload"))
    uploader.set_value(("mau-so-lieu-2025.csv", template, "text/csv")).run()
    at.button(key="data_preview").click().run()
    assert "Không có gì thay đổi so với số liệu đã lưu." in [i.value for i in at.info]

    cleared = "\r\n".join(
        line.removesuffix(",x") if line.startswith("public_st_orgs,") else line
        for line in template.decode("utf-8-sig").split("\r\n")
    ).encode("utf-8-sig")
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("data_upload"))
    uploader.set_value(("mau-so-lieu-2025.csv", cleared, "text/csv")).run()
    at.button(key="data_preview").click().run()
    changed = table_with(at, "Thay đổi")
    assert list(zip(changed["Cũ"], changed["Mới"], changed["Thay đổi"], strict=True)) == [
        ("3 (ước)", "3", "ước tính")
    ]
    assert files(site) == before  # shown, not yet saved
    at.button(key="data_save").click().run()
    lines = (site / "2025.csv").read_text("utf-8-sig").splitlines()
    assert "public_st_orgs,Bắc Kạn,2025,3,Báo cáo 6 tháng,," in lines
    assert "st_investment,Bắc Kạn,2025,81000.5,Báo cáo 6 tháng,,x" in lines


def test_a_secrets_file_that_does_not_parse_is_named_at_the_sign_in(site, monkeypatch):
    secrets = site.parent / "secrets.toml"
    with secrets.open("a", encoding="utf-8") as out:
        out.write('"tran"b" = "scrypt$16384$8$1$x$y"\n')  # the old hash-password output
    at = open_page()
    shown = [e.value for e in at.error]
    assert any(
        "secrets.toml:3: cột 7: tệp secrets không đọc được" in as_read(text) for text in shown
    ), shown
    assert "data_login_user" not in [w.key for w in at.text_input]
    assert not any("Chưa có tài khoản" in c.value for c in at.caption)


def test_a_source_starting_with_a_dash_is_shown_as_typed_in_history_and_tables(site):
    """A source typed «- Báo cáo 12» is held with the formula warning, which promises the
    dashboard shows it as typed: the preview, the browse table and «Lịch sử thay đổi» show it
    without the «'» that only the audit trail on disk carries (so a spreadsheet runs nothing)."""
    typed = "- Báo cáo 12"
    at = sign_in(open_page())
    at.selectbox(key="data_edit_year").set_value(2024).run()
    edit_rows(at, {"st_investment": {"value": "80000", "source": typed}})
    assert any(typed in m for m in table_with(at, "Nội dung")["Nội dung"])  # the warning
    assert typed in list(table_with(at, "Cũ")["Nguồn"])  # the preview
    next(c for c in at.checkbox if (c.key or "").startswith("data_accept")).check().run()
    at.button(key="data_save").click().run()
    assert at.success[0].value.startswith("Đã lưu: thêm 0, sửa 1")
    # On disk the trail keeps its quote, for whoever opens it in a spreadsheet.
    assert f'"\'{typed}"' in (site / ".history" / "audit.csv").read_text("utf-8-sig")
    history = table_with(at, "Người sửa")
    assert history.iloc[0]["Nguồn"] == typed
    assert typed in list(table_with(at, "Giá trị")["Nguồn"])  # the browse table
