"""AppTest of issue 16's pages: /agency, /tasks (view, upload, preview, save), the overview's
tasks line, /coverage by agency, and the per-agency refusal on /data and /tasks."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from kpis import auth, store, tasks
from kpis.plan import load_plan
from kpis.ui_text import t
from tests.test_cli_import import kpis

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-cua-an-2025"
PROGRESS = "_tasks-bac-kan-684-2016.csv"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return auth.hash_password(PASSWORD, n=2**4)


@pytest.fixture
def site(tmp_path, monkeypatch, password_hash):
    """A data copy; `an` may write for Sở Tài chính only, `chi` for anything."""
    data = tmp_path / "data"
    data.mkdir()
    for file in sorted((REPO / "data").glob("[0-9][0-9][0-9][0-9].csv")):
        shutil.copyfile(file, data / file.name)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[editors]\n"
        f'an = {{ hash = "{password_hash}", agencies = ["so-tc"] }}\n'
        f'chi = "{password_hash}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KPI_DATA", str(data))
    monkeypatch.setenv("KPI_TARGETS", str(REPO / "targets.yaml"))
    monkeypatch.setenv("KPI_SECRETS", str(secrets))
    monkeypatch.delenv("KPI_READ_ONLY", raising=False)
    monkeypatch.delenv("KPI_PLANS", raising=False)
    for user in ("an", "chi"):
        auth.THROTTLE.succeeded(user)
    return data


@pytest.fixture(params=["folder", "postgres"])
def site_store(request, site, monkeypatch):
    """`site`'s figures in each store: the data folder, or a real PostgreSQL database
    (`KPI_DATABASE_URL`, tests/postgres.py) loaded from it: the pages must not tell."""
    if request.param == "folder":
        return store.FolderStore(site)
    from kpis.pgstore import PostgresStore

    url = request.getfixturevalue("postgres").database()
    database = PostgresStore(url)
    database.load(site, "test")
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    return database


def open_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, user: str) -> AppTest:
    at.switch_page("app_pages/data.py").run()
    at.text_input(key="data_login_user").set_value(user)
    at.text_input(key="data_login_password").set_value(PASSWORD)
    at.button(key="data_login_button").click().run()
    assert not at.error, [e.value for e in at.error]
    return at


def table_with(at: AppTest, column: str):
    """The first table, static (st.table) or grid (st.dataframe), with this column."""
    return next(df.value for df in [*at.table, *at.dataframe] if column in df.value.columns)


def tables_with(at: AppTest, column: str) -> list:
    """Every static table with this column: what a phone shows as cards, a screen as rows."""
    return [table.value for table in at.table if column in table.value.columns]


def test_the_overview_counts_tasks_beside_the_targets(site):
    at = open_page("app_pages/overview.py", as_of="2024")
    lines = [m.value for m in at.markdown if "nhiệm vụ hoàn thành" in m.value]
    assert lines == ["## 0/64 nhiệm vụ hoàn thành · 20 quá hạn (tính đến ngày 31/12/2024)"]


NONE_REPORTED = {
    "vi": "Chưa có báo cáo tiến độ nhiệm vụ nào: nhiệm vụ quá hạn là quá thời hạn, chưa được "
    "đơn vị báo cáo.",
    "en": "No task progress reported yet: overdue here means past the deadline, not reported "
    "by the agencies.",
}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/tasks.py"])
def test_with_no_progress_reported_the_pages_say_the_overdue_are_by_deadline(site, page, lang):
    # The shipped project has no progress file: «20 quá hạn» read as a finding reported
    at = open_page(page, as_of="2024", lang=lang)
    shown = [e.value for e in (*at.caption, *at.info)]
    assert NONE_REPORTED[lang] in shown, shown


def test_the_tasks_page_counts_the_unreported_with_their_subject(site):
    for lang, words in (
        ("vi", "64 nhiệm vụ chưa được báo cáo tiến độ"),
        ("en", "64 tasks without a progress report"),
    ):
        at = open_page("app_pages/tasks.py", as_of="2024", lang=lang)
        assert words in [c.value for c in at.caption]
        assert "chưa báo cáo: 64" not in [c.value for c in at.caption]


def test_once_a_task_is_reported_the_note_goes_and_the_counts_stay(site):
    (site / PROGRESS).write_text(
        "task,state,date,evidence,note\niii-a2-2020,done,2020-11-20,,\n", encoding="utf-8"
    )
    for page in ("app_pages/overview.py", "app_pages/tasks.py"):
        at = open_page(page, as_of="2024")
        shown = [e.value for e in (*at.caption, *at.info)]
        assert NONE_REPORTED["vi"] not in shown
    counts = [c.value for c in at.caption if "nhiệm vụ hoàn thành" in c.value]
    assert counts == ["1 nhiệm vụ hoàn thành · 63 nhiệm vụ chưa được báo cáo tiến độ"]


def test_the_agency_page_in_english_lists_indicators_owed_figures_and_tasks(site):
    at = open_page("app_pages/agency.py", id="so-nnptnt", lang="en", as_of="2024")
    assert at.selectbox(key="agency_id").value == "so-nnptnt"
    assert at.header[0].value == "Department of Agriculture and Rural Development"
    indicators = table_with(at, "Target statuses")
    assert len(indicators) == 2 and indicators["Target statuses"].str.len().min() > 1
    tasks_shown = table_with(at, "Deadline")
    assert len(tasks_shown) == 4
    assert "31/12/2020 (inferred)" in set(tasks_shown["Deadline"])
    assert "overdue" in set(tasks_shown["Overdue"])
    # a static table, so that a phone shows each task as a card with every column
    assert list(tasks_shown.columns) == [
        "Task", "State", "Overdue", "Deadline", "Clause", "Progress date", "Evidence"
    ]  # fmt: skip
    assert tasks_shown.iloc[0].tolist()[:5] == [
        "Crop and livestock seed centre to become an S&T organisation",
        "not reported",
        "",
        "31/12/2030 (inferred)",
        "Sections III.A.2; V.3",
    ]
    assert not at.dataframe  # no grid on the page: each of its tables wraps on a phone
    assert any("tasks done" in m.value for m in at.markdown)


def test_the_tasks_filters_say_all_when_empty(site):
    for lang, word in (("vi", "Tất cả"), ("en", "All")):
        at = open_page("app_pages/tasks.py", lang=lang)
        for key in ("tasks_filter_agency", "tasks_filter_state"):
            assert at.multiselect(key=key).proto.placeholder == word  # not a bare «–»


def test_an_owed_figure_is_said_in_words_not_a_bare_mark(site):
    at = open_page("app_pages/agency.py", id="so-khcn", lang="en", as_of="2024")
    indicators = table_with(at, "Missing")
    owed = indicators.loc[indicators["Missing"] != "", "Indicator"]
    # a phone's card shows the cell alone: «✖ figure missing», not «Missing: ✖»
    assert list(owed) == ["Shan tuyết tea processing models"]
    assert set(indicators["Missing"]) == {"", "✖ figure missing"}


def test_the_agency_page_says_its_statuses_come_from_sample_figures(site):
    at = open_page("app_pages/agency.py", id="so-khcn", as_of="2024")
    assert [i.value for i in at.info] == [t("illustrative_notice", "vi")]


def test_an_unknown_agency_is_said_and_the_first_shown(site):
    at = open_page("app_pages/agency.py", id="**so-xyz**")
    assert "«\\*\\*so-xyz\\*\\*»" in at.warning[0].value  # shown as text, not bold
    assert at.selectbox(key="agency_id").value == "so-khcn"


def test_coverage_lists_missing_figures_by_agency(site):
    at = open_page("app_pages/coverage.py", as_of="2024")
    by_agency = table_with(at, "Cơ quan chủ trì")
    assert list(by_agency["Cơ quan chủ trì"])[:3] == [
        "Sở Khoa học và Công nghệ",
        "Sở Kế hoạch và Đầu tư",
        "Sở Tài chính",
    ]


def test_tasks_upload_preview_save_and_undo_on_data(site_store):
    at = sign_in(open_page("app_pages/tasks.py"), "chi")
    at.switch_page("app_pages/tasks.py").run()
    overdue, every = tables_with(at, "Trạng thái")
    assert len(every) == 64 and set(every["Trạng thái"]) == {"chưa báo cáo"}
    assert len(overdue) == 20 and set(overdue["Quá hạn"]) == {"quá hạn"}
    assert list(every.columns) == [
        "Nhiệm vụ", "Trạng thái", "Quá hạn", "Thời hạn", "Cơ quan chủ trì", "Mục",
        "Ngày cập nhật tiến độ", "Căn cứ",
    ]  # fmt: skip
    assert overdue.iloc[0].tolist()[:6] == [
        "Quy hoạch, đào tạo, phát triển nguồn nhân lực KH&CN",
        "chưa báo cáo",
        "quá hạn",
        "31/12/2020 (suy ra)",
        "Sở Khoa học và Công nghệ",
        "Mục III.A.1",
    ]
    upload = (
        "nhiệm vụ,trạng thái,ngày,căn cứ\n"
        "iii-a2-2020,hoàn thành,20/11/2020,Báo cáo 45/BC-SKHCN\n"
        "iv-3a-funding,đang triển khai,01/03/2021,\n"
    ).encode()
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("tasks_upload"))
    uploader.set_value(("tien-do.csv", upload, "text/csv")).run()
    at.button(key="tasks_preview").click().run()
    assert "Sẽ thêm 2, sửa 0, giữ nguyên 0." in [i.value for i in at.info]
    assert site_store.read_side(PROGRESS) is None  # a preview writes nothing
    at.button(key="tasks_save").click().run()
    assert [s.value for s in at.success] == ["Đã lưu: thêm 2, sửa 0, giữ nguyên 0."]
    plan = load_plan(REPO / "targets.yaml")[0]
    saved, _ = tasks.read_progress(site_store, plan)
    assert sorted(saved["state"]) == ["done", "in_progress"]
    assert any("1/64 nhiệm vụ hoàn thành" in m.value for m in at.markdown)
    every = tables_with(at, "Trạng thái")[-1]
    done = every.loc[every["Trạng thái"] == "hoàn thành"]
    assert done["Nhiệm vụ"].tolist() == [plan.task_by_id["iii-a2-2020"].label("vi")]
    assert site_store.audit()[-1]["user"] == "chi"

    at.switch_page("app_pages/data.py").run()
    at.button(key="data_undo").click().run()
    [asked] = [w.value for w in at.warning if "Khôi phục sẽ đưa" in w.value]
    assert asked.startswith("Khôi phục sẽ đưa 2 nhiệm vụ về như trước") and "số liệu" not in asked
    task = next(task for task in plan.tasks if task.id == "iii-a2-2020")
    assert task.label("vi") in set(table_with(at, "Sau khi khôi phục")["Nhiệm vụ"])
    at.button(key="data_undo_confirm").click().run()
    assert site_store.read_side(PROGRESS) is None
    at.switch_page("app_pages/tasks.py").run()
    assert any("0/64 nhiệm vụ hoàn thành" in m.value for m in at.markdown)


def test_the_tasks_preview_shows_each_date_and_holds_one_before_the_plan_until_ticked(site):
    at = sign_in(open_page("app_pages/tasks.py"), "chi")
    at.switch_page("app_pages/tasks.py").run()
    upload = (
        "nhiệm vụ,trạng thái,ngày,căn cứ\n"
        "iii-a2-2020,hoàn thành,20/11/1920,Báo cáo 45/BC-SKHCN\n"  # 1920 typed for 2020
        "iv-3a-funding,đang triển khai,2021-03-01,\n"
    ).encode()
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("tasks_upload"))
    uploader.set_value(("tien-do.csv", upload, "text/csv")).run()
    at.button(key="tasks_preview").click().run()
    preview = table_with(at, "Mới")
    assert preview["Ngày cập nhật tiến độ"].tolist() == ["20/11/1920", "01/03/2021"]
    assert [w.value for w in at.warning] == [t("tasks_check_dates", "vi", n=1)]
    [warning] = table_with(at, "Nội dung").to_dict("records")
    assert warning["Vị trí"] == "tien-do.csv:\u20602: date"  # the file, its line, the column
    assert warning["Nội dung"].startswith(
        "nhiệm vụ «Củng cố, phát triển 03 tổ chức KH&CN công lập» (iii-a2-2020): ngày "
        "20/11/1920 trước năm 2015, năm đầu của kế hoạch"
    )
    assert at.button(key="tasks_save").disabled
    assert t("accept_first", "vi") in [c.value for c in at.caption]
    assert not (site / PROGRESS).exists()

    next(c for c in at.checkbox if c.key.startswith("tasks_accept")).check().run()
    assert not at.button(key="tasks_save").disabled
    at.button(key="tasks_save").click().run()
    assert [s.value for s in at.success] == ["Đã lưu: thêm 2, sửa 0, giữ nguyên 0."]
    assert "iii-a2-2020,done,1920-11-20," in (site / PROGRESS).read_text(encoding="utf-8-sig")


def test_the_tasks_preview_shows_a_task_closed_without_evidence_above_the_save_button(site):
    at = sign_in(open_page("app_pages/tasks.py", lang="en"), "chi")
    at.switch_page("app_pages/tasks.py").run()
    upload = (
        b"task,state,date,evidence\n"
        b"iii-a2-2020,done,2020-11-20,\n"  # closed without evidence: advice, not an error
        b"iv-3a-funding,in_progress,2021-03-01,\n"
    )
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("tasks_upload"))
    uploader.set_value(("progress.csv", upload, "text/csv")).run()
    at.button(key="tasks_preview").click().run()
    preview = table_with(at, "New")
    assert preview["Progress date"].tolist() == ["20/11/2020", "01/03/2021"]
    # Said with its count, open (not folded in an expander), naming the task by its name.
    assert [w.value for w in at.warning] == [t("tasks_advice", "en", n=1)]
    assert at.warning[0].value.startswith("1 warning (they do not block saving)")
    assert not at.expander
    [advice] = table_with(at, "Message").to_dict("records")
    assert advice["Message"] == (
        "task «Strengthen 3 public S&T organisations» (iii-a2-2020): no evidence given "
        "(a document number or a link)"
    )
    assert not at.button(key="tasks_save").disabled  # advice does not hold the save


def test_the_tasks_page_shows_progress_saved_by_another_process_on_its_next_rerun(
    site_store, tmp_path
):
    at = open_page("app_pages/tasks.py", lang="en")
    assert any("0/64 tasks done" in m.value for m in at.markdown)
    upload = tmp_path / "progress.csv"
    upload.write_text("task,state,date,evidence\niii-a2-2020,done,2020-11-20,BC 45\n")
    # Another process: the command line, on the same folder or database (KPI_DATABASE_URL).
    done = kpis("tasks", "import", str(upload), "--user", "An", "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    at.run()
    assert any("1/64 tasks done" in m.value for m in at.markdown)
    overdue, every = tables_with(at, "State")
    assert every["State"].tolist().count("done") == 1
    assert "BC 45" in every.loc[every["State"] == "done"].iloc[0].tolist()


def test_an_agency_editor_is_refused_another_agencys_tasks_on_the_page(site):
    at = sign_in(open_page("app_pages/tasks.py", lang="en"), "an")
    at.switch_page("app_pages/tasks.py").run()
    assert "This account writes only for: Department of Finance" in [c.value for c in at.caption]
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("tasks_upload"))
    uploader.set_value(("p.csv", b"task,state\niii-a1-2020,done\n", "text/csv")).run()
    at.button(key="tasks_preview").click().run()
    assert at.error[0].value.startswith("1 error:")  # one: singular
    [refused] = table_with(at, "Message").to_dict("records")
    assert refused["Place"] == "p.csv:\u20602: task"  # the line to remove
    assert refused["Message"] == (
        "account «an» may only write for Department of Finance; «Plan, train and develop the "
        "S&T workforce» belongs to Department of Science and Technology. Remove this line, or "
        "ask that agency"
    )
    assert not [b for b in at.button if b.key == "tasks_save"]
    assert not (site / "_tasks-bac-kan-684-2016.csv").exists()


def test_an_agency_editor_is_refused_another_agencys_figures_on_data(site):
    original = {p.name: p.read_bytes() for p in site.glob("*.csv")}
    at = sign_in(open_page("app_pages/data.py", lang="en"), "an")
    at.selectbox(key="data_edit_year").set_value(2024).run()
    editor = at.data_editor[0]
    rows = editor.value
    row = int(np.flatnonzero(rows["indicator"] == "public_st_orgs")[0])
    at.session_state[editor.key] = {
        "edited_rows": {row: {"value": "4", "source": "BC"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    assert at.error[0].value.startswith("1 error:")  # one: singular
    refused = table_with(at, "Message").iloc[0]
    assert refused["Place"].endswith(f":\u2060{row + 1}: indicator")  # the grid's row
    assert refused["Message"] == (
        "account «an» may only write for Department of Finance; «Public science and technology "
        "organisations» 2024 belongs to Department of Science and Technology. Remove this line, "
        "or ask that agency"
    )
    assert not [b for b in at.button if b.key == "data_save"]
    assert {p.name: p.read_bytes() for p in site.glob("*.csv")} == original


# Undo and redo on /data are held to the editor's agencies, as imports are (audit finding),
# in either store; a refusal names what is outside them and changes nothing.
AGRI = b"indicator,year,value,source\nhightech_agri_zone,2024,1,Report 2024\n"  # so-nnptnt
AGRI_NAMED = "«High-tech agriculture zone in operation» 2024"  # as a refusal names it


def everything(site_store, plan) -> tuple:
    """What an undo or redo could change, in either store."""
    return (
        site_store.read_figures(plan).table.to_csv(),
        site_store.audit(),
        [(e.id, e.undone) for e in site_store.entries()],
        site_store.read_side(PROGRESS),
    )


def test_an_agency_editor_may_not_undo_or_redo_another_agencys_save_on_data(site_store):
    plan = load_plan(REPO / "targets.yaml")[0]
    table, problems = store.parse_upload(AGRI, "agri.csv", plan)
    site_store.import_figures(plan, table, problems, "chi", accept_warnings=True)
    before = everything(site_store, plan)
    at = sign_in(open_page("app_pages/data.py", lang="en"), "an")
    at.button(key="data_undo").click().run()
    # Refused at once (review staff2 §7): no confirmation asked of what could only be refused.
    assert "data_undo_confirm" not in [b.key for b in at.button]
    assert not at.success
    [error] = [e.value for e in at.error]
    assert error.startswith(
        "Nothing was undone: account «an» may only write for Department of Finance, and the "
        "save of "
    )
    assert error.endswith(
        " by chi changed 1 item of Department of Agriculture and Rural Development: "
        "«High-tech agriculture zone in operation» 2024. Ask an editor of that agency (or an "
        "account without agency limits) to undo it."
    )
    assert everything(site_store, plan) == before

    site_store.undo("chi")  # an editor without limits undoes it: the page offers a redo
    before = everything(site_store, plan)
    at.run()
    at.button(key="data_redo").click().run()
    [error] = [e.value for e in at.error]
    assert error.startswith("Nothing was redone: account «an» may only write for")
    assert f"Department of Agriculture and Rural Development: {AGRI_NAMED}" in error
    assert everything(site_store, plan) == before


def test_an_agency_editor_may_not_undo_another_agencys_tasks_and_may_undo_its_own(site_store):
    plan = load_plan(REPO / "targets.yaml")[0]
    rows, found = tasks.parse_progress(b"task,state\niii-a1-2020,done\n", "p.csv", plan)
    tasks.import_tasks(site_store, plan, rows, found, "chi")
    before = everything(site_store, plan)
    at = sign_in(open_page("app_pages/tasks.py"), "an")
    at.switch_page("app_pages/tasks.py").run()
    assert t("tasks_undo_where", "vi") in [c.value for c in at.caption]  # undo is on /data
    at.switch_page("app_pages/data.py").run()
    at.button(key="data_undo").click().run()
    assert "data_undo_confirm" not in [b.key for b in at.button]  # refused before asking
    [error] = [e.value for e in at.error]
    assert error.startswith("Không hoàn tác: tài khoản «an» chỉ được ghi cho Sở Tài chính")
    assert (
        "đã thay đổi 1 mục của Sở Khoa học và Công nghệ: «Quy hoạch, đào tạo, phát triển nguồn "
        "nhân lực KH&CN». Chưa có gì thay đổi" in error
    )
    assert everything(site_store, plan) == before

    # The agency's own save (figures of Sở Tài chính) is undone as before.
    table, problems = store.parse_upload(
        b"indicator,year,value,source\ntotal_budget_spending,2024,4100000,BC STC\n", "tc.csv", plan
    )
    site_store.import_figures(plan, table, problems, "an", accept_warnings=True)
    at.run()
    at.button(key="data_undo").click().run()
    at.button(key="data_undo_confirm").click().run()
    assert not at.error
    assert at.success[0].value.startswith("Đã khôi phục trạng thái trước lượt lưu lúc")
    assert everything(site_store, plan)[0] == before[0]


def test_the_tasks_page_signs_out_an_account_removed_while_it_is_open(site):
    at = sign_in(open_page("app_pages/tasks.py", lang="en"), "chi")
    at.switch_page("app_pages/tasks.py").run()
    assert [u for u in at.file_uploader if (u.key or "").startswith("tasks_upload")]
    secrets = site.parent / "secrets.toml"
    kept = [line for line in secrets.read_text().splitlines() if not line.startswith("chi ")]
    secrets.write_text("\n".join(kept) + "\n")  # chi is removed, an stays
    at.run()
    assert [w.value for w in at.warning] == [
        "Your account has changed or been removed: sign in again."
    ]
    assert not [u for u in at.file_uploader if (u.key or "").startswith("tasks_upload")]
    assert "Sign in on the «Update figures» page to update progress." in [i.value for i in at.info]


def test_the_tasks_preview_keeps_a_saved_note_for_an_empty_cell_and_shows_a_changed_one(site):
    """Review staff2 §1: a progress file with an empty «ghi chú» keeps the saved note (shown
    in the preview as it stays); a note rewritten reads «old» → «new» before saving."""
    at = sign_in(open_page("app_pages/tasks.py"), "chi")
    at.switch_page("app_pages/tasks.py").run()

    def upload(name: str, note: str):
        text = (
            "nhiệm vụ,trạng thái,ngày,căn cứ,ghi chú\n"
            f"iii-a1-2020,hoàn thành,20/11/2025,BC 45,{note}\n"
        )
        uploader = next(u for u in at.file_uploader if (u.key or "").startswith("tasks_upload"))
        uploader.set_value((name, text.encode(), "text/csv")).run()
        at.button(key="tasks_preview").click().run()

    upload("lan-1.csv", "Đã xong đúng hạn")
    at.button(key="tasks_save").click().run()
    upload("lan-2.csv", "")
    # The same state, date and evidence with the note cell empty: nothing to save.
    assert "Không có gì thay đổi so với tiến độ đã lưu." in [i.value for i in at.info]
    upload("lan-3.csv", "Đã nghiệm thu")
    preview = table_with(at, "Ghi chú")
    assert preview["Ghi chú"].tolist() == ["«Đã xong đúng hạn» → «Đã nghiệm thu»"]


def test_the_history_on_data_says_task_saves_in_words_with_a_corrected_date(site):
    """Review staff2 §4: a task's rows in /data's history read «tiến độ nhiệm vụ» and the
    states /tasks uses, and a corrected date is seen: the state alone read «in_progress →
    in_progress»."""
    at = sign_in(open_page("app_pages/tasks.py"), "chi")
    at.switch_page("app_pages/tasks.py").run()
    for name, day in (("lan-1.csv", "30/06/2024"), ("lan-2.csv", "30/06/2025")):
        text = f"nhiệm vụ,trạng thái,ngày,căn cứ\niii-a1-2030,đang triển khai,{day},KH 12\n"
        uploader = next(u for u in at.file_uploader if (u.key or "").startswith("tasks_upload"))
        uploader.set_value((name, text.encode(), "text/csv")).run()
        at.button(key="tasks_preview").click().run()
        at.button(key="tasks_save").click().run()
        assert at.success, [e.value for e in at.error]
    at.switch_page("app_pages/data.py").run()
    history = table_with(at, "Thao tác")
    rows = history[history["Thao tác"] == "tiến độ nhiệm vụ"]
    assert rows[["Cũ", "Mới"]].values.tolist() == [
        ["đang triển khai (30/06/2024)", "đang triển khai (30/06/2025)"],
        ["", "đang triển khai (30/06/2024)"],
    ]
    at.button(key="data_undo").click().run()
    restore = table_with(at, "Sau khi khôi phục")
    assert restore[["Hiện tại", "Sau khi khôi phục"]].values.tolist() == [
        ["đang triển khai (30/06/2025)", "đang triển khai (30/06/2024)"]
    ]


def test_the_history_on_data_names_a_task_under_task_not_indicator(site):
    """A task's save in /data's history and undo box is named under «Nhiệm vụ» / "Task", a
    figure's under «Chỉ tiêu» / "Indicator": one column for both headed tasks «Chỉ tiêu»."""
    plan = load_plan(REPO / "targets.yaml")[0]
    table, problems = store.parse_upload(
        b"indicator,year,value,source\npublic_st_orgs,2025,4,BC 12\n", "f.csv", plan
    )
    store.open_store(site).import_figures(plan, table, problems, "chi", accept_warnings=True)
    at = sign_in(open_page("app_pages/tasks.py"), "chi")
    at.switch_page("app_pages/tasks.py").run()
    text = "nhiệm vụ,trạng thái,ngày,căn cứ\niii-a1-2030,đang triển khai,30/06/2025,KH 12\n"
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("tasks_upload"))
    uploader.set_value(("tien-do.csv", text.encode(), "text/csv")).run()
    at.button(key="tasks_preview").click().run()
    at.button(key="tasks_save").click().run()
    assert at.success, [e.value for e in at.error]
    task = plan.task_by_id["iii-a1-2030"]
    indicator = next(i for i in plan.indicators if i.id == "public_st_orgs")
    for lang, (indicator_head, task_head, undo_head) in {
        "vi": ("Chỉ tiêu", "Nhiệm vụ", "Sau khi khôi phục"),
        "en": ("Indicator", "Task", "After restoring"),
    }.items():
        at = sign_in(open_page("app_pages/data.py", lang=lang), "chi")
        history = table_with(at, task_head)
        assert history[[indicator_head, task_head]].values.tolist() == [
            ["", task.label(lang)],
            [indicator.text("name", lang), ""],
        ]
        at.button(key="data_undo").click().run()
        restore = table_with(at, undo_head)
        assert restore[task_head].tolist() == [task.label(lang)]
        assert indicator_head not in restore.columns


def test_an_agency_editor_downloads_only_the_tasks_their_agency_leads(site):
    """Review staff2 §7: `an` writes for Sở Tài chính, which leads no task of the shipped
    plan: the progress file holds no task row and the page says why; `chi` gets all 64."""
    at = sign_in(open_page("app_pages/tasks.py"), "an")
    at.switch_page("app_pages/tasks.py").run()
    # The file the button offers, made as the page makes it (AppTest cannot open a download).
    plan = load_plan(REPO / "targets.yaml")[0]
    progress, _ = tasks.read_progress(store.open_store(site), plan)
    table = tasks.task_table(plan, progress, datetime.date(2025, 12, 31))
    mine = tasks.progress_template(plan, table, "vi", {"so-tc"}).decode("utf-8-sig").splitlines()
    assert mine == ["nhiệm vụ,tên nhiệm vụ,trạng thái,ngày,căn cứ,ghi chú"]
    theirs = tasks.progress_template(plan, table, "vi", {"so-yt"}).decode("utf-8-sig")
    assert len(theirs.splitlines()) == 1 + 2
    assert (
        "Sở Tài chính không chủ trì nhiệm vụ nào của kế hoạch này: tài khoản này không có tiến độ "
        "nhiệm vụ để cập nhật." in [c.value for c in at.caption]
    )
    at = sign_in(open_page("app_pages/tasks.py"), "chi")
    at.switch_page("app_pages/tasks.py").run()
    assert not any("không chủ trì" in c.value for c in at.caption)


# Limits tied to plans (security review 1): Lạng Sơn's plan calls its department «so-khcn»,
# as Bắc Kạn's does; an account for Bắc Kạn's «so-khcn» (a bare id: the default plan only)
# must not save Lạng Sơn's figures, nor a Lạng Sơn account Bắc Kạn's tasks.
LANG_SON = "lang-son-147-2023"
LANG_SON_FIGURE = (
    "indicator,region,year,value,source,note\n"
    "investment_projects_tech_appraised,Lạng Sơn,2023,999,Tampered by Bac Kan account,\n"
).encode()


@pytest.fixture
def provinces(site, monkeypatch, password_hash):
    """`site` with the catalogue's three plans and Lạng Sơn's figures; `khcn_backan` limited
    to «so-khcn» as an existing secrets file writes it, `khcn_langson` to Lạng Sơn's."""
    shutil.copyfile(REPO / "data" / "lang-son.csv", site / "lang-son.csv")
    monkeypatch.setenv("KPI_PLANS", str(REPO / "plans"))
    (site.parent / "secrets.toml").write_text(
        "[editors]\n"
        f'khcn_backan = {{ hash = "{password_hash}", agencies = ["so-khcn"] }}\n'
        f'khcn_langson = {{ hash = "{password_hash}", agencies = ["{LANG_SON}:so-khcn"] }}\n',
        encoding="utf-8",
    )
    for user in ("khcn_backan", "khcn_langson"):
        auth.THROTTLE.succeeded(user)
    return site


def signed_in_on(page: str, user: str, plan: str, lang: str = "vi") -> AppTest:
    """`user` signed in on /data of `plan`, then on `page` of `plan`."""
    at = open_page("app_pages/data.py", plan=plan, lang=lang)
    at.text_input(key="data_login_user").set_value(user)
    at.text_input(key="data_login_password").set_value(PASSWORD)
    at.button(key="data_login_button").click().run()
    if page != "app_pages/data.py":
        at.switch_page(page)
        at.query_params["plan"] = plan
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(value: str) -> str:
    """An error's text as read (md_text's escapes out)."""
    return re.sub(r"\\(.)", r"\1", value.replace("\u2060", ""))


def editing_widgets(at: AppTest, prefix: str) -> list[str]:
    keys = [w.key or "" for w in [*at.button, *at.file_uploader, *at.radio]]
    keys += [e.key or f"{prefix}_editor" for e in at.data_editor]
    return [k for k in keys if k.startswith(prefix) and "login" not in k and "logout" not in k]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_bac_kan_editor_is_refused_lang_son_on_data_saying_which_plan_and_whom_to_ask(
    provinces, lang
):
    original = {p.name: p.read_bytes() for p in provinces.glob("*.csv")}
    at = signed_in_on("app_pages/data.py", "khcn_backan", LANG_SON, lang)
    [error] = [shown(e.value) for e in at.error]
    if lang == "vi":
        assert error.startswith(
            "tài khoản «khcn_backan» không được ghi số liệu hay tiến độ của kế hoạch «147/KH-UBND "
            "· Lạng Sơn»: tài khoản chỉ được ghi cho kế hoạch «684/QĐ-UBND · Bắc Kạn»."
        )
        assert 'nhờ quản trị viên thêm vào tài khoản trong tệp secrets plans = ["lang-son' in error
    else:
        assert error.startswith(
            "account «khcn_backan» may not write figures or progress of plan «147/KH-UBND · "
            "Lạng Sơn»: it may write only for plan «684/QĐ-UBND · Bắc Kạn»."
        )
        assert "ask the administrator" in error
    # Neither the grid nor the upload: nothing of the plan can be saved from here.
    assert editing_widgets(at, "data_") == []
    assert {p.name: p.read_bytes() for p in provinces.glob("*.csv")} == original


def test_a_lang_son_editor_saves_lang_son_and_a_bac_kan_one_still_saves_bac_kan(provinces):
    """Within its plan a limit works as before: the review's upload goes through for the
    account named for Lạng Sơn's «so-khcn», and Bắc Kạn's «so-khcn» account saves its own."""
    at = signed_in_on("app_pages/data.py", "khcn_langson", LANG_SON)
    assert not at.error, [e.value for e in at.error]
    at.radio(key="data_edit_mode").set_value("upload").run()
    uploader = next(u for u in at.file_uploader if (u.key or "").startswith("data_upload"))
    uploader.set_value(("ls.csv", LANG_SON_FIGURE, "text/csv")).run()
    at.button(key="data_preview").click().run()
    assert not at.error, [e.value for e in at.error]
    for box in at.checkbox:
        if (box.key or "").startswith("data_accept"):
            box.check().run()
    at.button(key="data_save").click().run()
    assert "investment_projects_tech_appraised,Lạng Sơn,2023,999," in (
        provinces / "lang-son.csv"
    ).read_text(encoding="utf-8-sig")

    at = signed_in_on("app_pages/data.py", "khcn_backan", "bac-kan-684-2016")
    assert not at.error, [e.value for e in at.error]
    at.selectbox(key="data_edit_year").set_value(2024).run()
    editor = at.data_editor[0]
    row = int(np.flatnonzero(editor.value["indicator"] == "public_st_orgs")[0])
    at.session_state[editor.key] = {
        "edited_rows": {row: {"value": "4", "source": "BC"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="data_preview").click().run()
    assert not at.error, [e.value for e in at.error]
    at.button(key="data_save").click().run()
    assert "public_st_orgs,Bắc Kạn,2024,4,BC," in (provinces / "2024.csv").read_text(
        encoding="utf-8-sig"
    )


def test_a_lang_son_editor_is_refused_bac_kans_tasks_saying_which_plan(provinces):
    at = signed_in_on("app_pages/tasks.py", "khcn_langson", "bac-kan-684-2016", "en")
    [error] = [shown(e.value) for e in at.error]
    assert error.startswith(
        "account «khcn_langson» may not write figures or progress of plan «684/QĐ-UBND · Bắc "
        "Kạn»: it may write only for plan «147/KH-UBND · Lạng Sơn». If the account should write "
        'for this plan, ask the administrator to add plans = ["bac-kan-684-2016"]'
    )
    assert editing_widgets(at, "tasks_") == []
    assert not (provinces / PROGRESS).exists()
    # The Bắc Kạn account is offered the upload there, as before.
    at = signed_in_on("app_pages/tasks.py", "khcn_backan", "bac-kan-684-2016", "en")
    assert not at.error, [e.value for e in at.error]
    assert any((u.key or "").startswith("tasks_upload") for u in at.file_uploader)


def test_a_bac_kan_editor_may_not_undo_a_lang_son_save_on_data(provinces):
    from kpis.catalogue import sibling_ids

    path = REPO / "plans" / f"{LANG_SON}.yaml"
    lang_son = load_plan(path)[0]
    folder = store.FolderStore(provinces)
    table, problems = store.parse_upload(LANG_SON_FIGURE, "ls.csv", lang_son)
    _, saved = folder.import_figures(
        lang_son, table, problems, "admin", sibling_ids(path), accept_warnings=True
    )
    assert saved is not None
    before = {p.name: p.read_bytes() for p in provinces.glob("*.csv")}
    at = signed_in_on("app_pages/data.py", "khcn_backan", "bac-kan-684-2016", "en")
    at.button(key="data_undo").click().run()
    assert "data_undo_confirm" not in [b.key for b in at.button]
    [error] = [shown(e.value) for e in at.error]
    assert "1 item of so-khcn (plan «147/KH-UBND · Lạng Sơn»)" in error, error
    assert {p.name: p.read_bytes() for p in provinces.glob("*.csv")} == before
