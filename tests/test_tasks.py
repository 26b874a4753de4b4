"""Task progress: states, overdue as of a date (injected), the counts, import, audit and undo."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from kpis import store, tasks
from kpis.commands.undo import round_done
from kpis.errors import DataChanged, WarningsNotAccepted
from kpis.plan import parse_plan
from kpis.scope import Scope
from tests.helpers import PLAN_HEAD

D = dt.date


def make_plan():
    text = yaml.safe_dump(
        {
            "plan": PLAN_HEAD,
            "indicators": [{"id": "orgs", "name": "Tổ chức", "unit": "cái"}],
            "agencies": [
                {"id": "so-khcn", "name": "Sở KH&CN", "name_en": "DOST"},
                {"id": "so-tc", "name": "Sở Tài chính", "name_en": "Finance"},
            ],
            "tasks": [
                {
                    "id": "a",
                    "name": "A",
                    "clause": "III.1",
                    "responsible": "so-khcn",
                    "deadline": "2025-06-30",
                },
                {
                    "id": "b",
                    "name": "B",
                    "clause": "III.2",
                    "responsible": "so-tc",
                    "deadline": "2025-12-31",
                },
                {"id": "c", "name": "C", "clause": "IV.1", "responsible": "so-khcn"},
            ],
        },
        allow_unicode=True,
    )
    return parse_plan(text)[0]


PLAN = make_plan()


@pytest.mark.parametrize(
    ("deadline", "state", "as_of", "overdue"),
    [
        (D(2025, 6, 30), "in_progress", D(2025, 6, 30), False),  # the deadline day is in time
        (D(2025, 6, 30), "in_progress", D(2025, 7, 1), True),
        (D(2025, 6, 30), "not_started", D(2025, 7, 1), True),
        (D(2025, 6, 30), "unreported", D(2025, 7, 1), True),
        (D(2025, 6, 30), "done", D(2026, 1, 1), False),
        (D(2025, 6, 30), "cancelled", D(2026, 1, 1), False),
        (D(2025, 6, 30), "not_ours", D(2026, 1, 1), False),
        (None, "not_started", D(2099, 1, 1), False),  # no deadline: never overdue
    ],
)
def test_overdue_is_past_the_deadline_and_not_closed(deadline, state, as_of, overdue):
    assert tasks.is_overdue(deadline, state, as_of) is overdue


def progress(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [(t, s, d, "", "", 2) for t, s, d in rows], columns=[*tasks.COLUMNS, "line"]
    )


@pytest.mark.parametrize(
    ("rows", "as_of", "states", "overdue", "text_en"),
    [
        ((), D(2025, 1, 1), ["unreported"] * 3, [], "0/3 tasks done · 0 overdue"),
        ((), D(2025, 7, 1), ["unreported"] * 3, ["a"], "0/3 tasks done · 1 overdue"),
        (
            (("a", "done", D(2025, 6, 1)), ("b", "in_progress", D(2025, 3, 1))),
            D(2026, 1, 1),
            ["done", "in_progress", "unreported"],
            ["b"],
            "1/3 tasks done · 1 overdue",
        ),
        # Done after the date shown: as of then it was not yet reported done, so overdue.
        ((("a", "done", D(2025, 9, 1)),), D(2025, 7, 15), ["unreported"] * 3, ["a"], None),
        (
            (("b", "not_ours", None),),
            D(2026, 1, 1),
            ["unreported", "not_ours", "unreported"],
            ["a"],
            "0/3 tasks done · 1 overdue",
        ),
    ],
)
def test_task_table_as_of_a_date(rows, as_of, states, overdue, text_en):
    table = tasks.task_table(PLAN, progress(*rows), as_of)
    assert table["state"].tolist() == states
    assert table.loc[table["overdue"], "task"].tolist() == overdue
    if text_en:
        assert tasks.summarise(table).text("en") == text_en


def test_the_count_reads_as_provinces_write_it():
    table = tasks.task_table(PLAN, progress(("a", "done", D(2025, 6, 1))), D(2026, 1, 1))
    assert tasks.summarise(table).text() == "1/3 nhiệm vụ hoàn thành · 1 quá hạn"


@pytest.mark.parametrize(
    ("as_of_year", "today", "expected"),
    [
        (None, D(2026, 3, 5), D(2026, 3, 5)),
        (2024, D(2026, 3, 5), D(2024, 12, 31)),
        (2026, D(2026, 3, 5), D(2026, 3, 5)),
    ],
)
def test_the_date_tasks_are_judged_at(as_of_year, today, expected):
    assert tasks.as_of_date(as_of_year, today) == expected


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("chưa bắt đầu", "not_started"),
        ("Đang triển khai", "in_progress"),
        ("HOÀN THÀNH", "done"),
        ("đã huỷ", "cancelled"),
        ("đã hủy", "cancelled"),  # both spellings of the tone mark
        ("không thuộc phạm vi của tỉnh", "not_ours"),
        ("not_ours", "not_ours"),
        ("in progress", "in_progress"),
        ("xong", None),
    ],
)
def test_state_words(word, state):
    assert tasks.parse_state(word) == state


def parse(text: str, today=D(2026, 1, 1)):
    return tasks.parse_progress(text.encode("utf-8"), "tien-do.csv", PLAN, today=today)


def test_a_progress_file_in_vietnamese_reads():
    rows, problems = parse(
        "nhiệm vụ;trạng thái;ngày;căn cứ;ghi chú\n"
        "a;Hoàn thành;15/06/2025;Báo cáo 12/BC-SKHCN;\n"
        "b;đang triển khai;;;chờ vốn\n"
    )
    assert [p for p in problems if p.is_error] == []
    assert rows[["task", "state", "date"]].values.tolist() == [
        ["a", "done", D(2025, 6, 15)],
        ["b", "in_progress", None],
    ]


def test_every_problem_of_a_progress_file_at_once_with_line_and_column():
    _, problems = parse(
        "task,state,date,evidence\n"
        "aa,done,2025-01-01,x\n"
        "b,finished,2025-01-01,x\n"
        "c,done,31/02/2025,x\n"
        "a,done,2027-01-01,x\n"
        "b,done,2025-01-01,x\n"
    )
    found = [p.format("en") for p in problems if p.is_error]
    assert found == [
        "tien-do.csv:2: task: «aa» is not a task of the plan (a?)",
        "tien-do.csv:3: state: state «finished» is not valid; write one of: «not_started», "
        "«in_progress», «done», «cancelled», «not_ours»",
        "tien-do.csv:4: date: «31/02/2025» is not a date: write 30/06/2025 or 2025-06-30",
        "tien-do.csv:5: date: 01/01/2027 is in the future: give the day the state changed",
        "tien-do.csv:6: task: task «B» (b) is given twice (lines 3 and 6): keep one",
    ]


def test_missing_columns_name_the_accepted_headers():
    _, problems = parse("task,ngày\na,2025-01-01\n")
    assert "missing required column «state»" in problems[0].format("en")
    assert "trạng thái" in problems[0].format("en")


# Saving progress: the same test on both stores (tests/conftest.py `figures_store`: the data
# folder, and a real PostgreSQL server), so both keep the same promises.


def test_import_writes_audits_with_the_agency_undo_restores_and_redo_reapplies(figures_store):
    name = tasks.progress_name(PLAN)
    key = figures_store.change_key()
    rows, problems = parse("task,state,date,evidence\na,done,2025-06-15,BC 12\n")
    planned, result = tasks.import_tasks(figures_store, PLAN, rows, problems, "an")
    assert result is not None and result.summary("en") == "added 1, changed 0, unchanged 0"
    assert figures_store.change_key() != key  # what the pages' caches are keyed on
    saved, _ = tasks.read_progress(figures_store, PLAN)
    assert saved[["task", "state"]].values.tolist() == [["a", "done"]]
    first = "\ufefftask,state,date,evidence,note\na,done,2025-06-15,BC 12,\n".encode()
    assert figures_store.read_side(name) == first  # canonical, byte for byte, in either store
    [audit] = figures_store.audit()
    assert (audit["task"], audit["agency"], audit["new"], audit["user"], audit["action"]) == (
        "a",
        "so-khcn",
        "done",
        "an",
        "tasks",
    )
    assert (audit["file"], audit["entry"]) == (name, result.entry)
    again, _ = parse("task,state,date,evidence\na,cancelled,2025-07-01,QĐ 5\n")
    planned, result = tasks.import_tasks(figures_store, PLAN, again, [], "bình")
    assert result.summary("en") == "added 0, changed 1, unchanged 0"
    assert figures_store.audit()[-1]["old"] == "done"
    second = figures_store.read_side(name)

    undone = figures_store.undo("chi")
    assert undone.user == "bình" and undone.files == [name]
    assert (undone.tasks, undone.figures) == (1, 0)  # a task, not a figure, was put back
    # What `python -m kpis undo` says of it speaks of tasks, in either store.
    said = round_done(undone, False, "vi")
    assert "(1 nhiệm vụ; tệp được khôi phục: " in said and "số liệu" not in said
    assert "(1 task; files restored: " in round_done(undone, False, "en")
    assert tasks.read_progress(figures_store, PLAN)[0]["state"].tolist() == ["done"]
    assert figures_store.read_side(name) == first
    assert figures_store.audit()[-1]["action"] == "undo"
    assert figures_store.audit()[-1]["task"] == "a"
    assert figures_store.redoable().id == result.entry

    redone = figures_store.redo("chi")
    assert redone.entry == result.entry and (redone.tasks, redone.figures) == (1, 0)
    assert "(1 task; files rewritten: " in round_done(redone, True, "en")
    assert figures_store.read_side(name) == second
    assert tasks.read_progress(figures_store, PLAN)[0]["state"].tolist() == ["cancelled"]
    assert [r["action"] for r in figures_store.audit()] == ["tasks", "tasks", "undo", "redo"]
    # Undoing both saves leaves no progress at all, as before the first.
    figures_store.undo("chi")
    figures_store.undo("chi")
    assert figures_store.read_side(name) is None
    assert len(tasks.read_progress(figures_store, PLAN)[0]) == 0


def test_a_change_made_since_the_preview_is_refused(figures_store):
    rows, _ = parse("task,state\na,done\n")
    planned = tasks.plan_task_import(figures_store, PLAN, rows)
    other, _ = parse("task,state\nb,done\n")
    tasks.import_tasks(figures_store, PLAN, other, [], "someone else")
    with pytest.raises(DataChanged) as refused:
        tasks.apply_task_import(figures_store, PLAN, planned, "an")
    assert refused.value.changes == []  # the page says so in its own words (tasks_conflict)
    saved, _ = tasks.read_progress(figures_store, PLAN)
    assert saved[["task", "state"]].values.tolist() == [["b", "done"]]
    # Previewed again, it goes through.
    planned = tasks.plan_task_import(figures_store, PLAN, rows)
    assert tasks.apply_task_import(figures_store, PLAN, planned, "an").added == 1


def test_a_task_saved_between_a_figures_preview_and_its_save_refuses_neither(figures_store):
    """Task progress and figures are apart: saving one never refuses an editor's other."""
    from kpis.catalogue import sibling_ids
    from kpis.plan import load_plan
    from kpis.store import parse_upload
    from tests.conftest import REPO_ROOT

    national = load_plan(REPO_ROOT / "targets.yaml")[0]
    table, problems = parse_upload(
        b"indicator,year,value,source\nbiotech_lab,2025,1,A\n", "up.csv", national
    )
    siblings = sibling_ids(REPO_ROOT / "targets.yaml")
    figures_plan = figures_store.plan_import(national, table, problems, siblings)
    rows, _ = parse("task,state\na,done\n")
    tasks.import_tasks(figures_store, PLAN, rows, [], "an")  # between preview and save
    saved = figures_store.apply_import(national, figures_plan, "bình", accept_warnings=True)
    assert saved.added == 1
    # ... and a figures save between a task preview and its save refuses nothing either.
    rows, _ = parse("task,state\nb,done\n")
    tasks_plan = tasks.plan_task_import(figures_store, PLAN, rows)
    table, problems = parse_upload(
        b"indicator,year,value,source\nbiotech_lab,2025,1,B\n", "up.csv", national
    )
    _, again = figures_store.import_figures(
        national, table, problems, "bình", siblings, accept_warnings=True
    )
    assert again.changed == 1  # its source
    assert tasks.apply_task_import(figures_store, PLAN, tasks_plan, "an").added == 1


def test_an_editor_limited_to_one_agency_cannot_write_anothers_tasks(figures_store):
    rows, _ = parse("task,state\na,done\nb,done\n")
    mine = Scope({PLAN.plan.id: frozenset({"so-khcn"})})
    planned, result = tasks.import_tasks(figures_store, PLAN, rows, [], "an", allowed=mine)
    assert result is None
    [error] = planned.errors
    # The line to remove, the task by its name and whose it is.
    assert error.format("en") == (
        "tien-do.csv:3: task: account «an» may only write for DOST; «B» belongs to Finance. "
        "Remove this line, or ask that agency"
    )
    assert figures_store.read_side(tasks.progress_name(PLAN)) is None
    assert figures_store.audit() == [] or figures_store.audit()[-1]["action"] != "tasks"


def test_a_date_before_the_plans_first_year_must_be_accepted_before_saving(tmp_path):
    """1925 typed for 2025 is a date, and not in the future: read, but held until the person
    saving says they checked it; the plan (baseline 2015, issued 16/05/2016) starts in 2015."""
    folder = store.FolderStore(tmp_path)
    rows, problems = parse(
        "task,state,date,evidence\n"
        "a,done,15/06/1925,BC 12\n"
        "b,in_progress,2014-12-31,\n"
        "c,done,01/01/2015,\n"  # the plan's first year: in time; no evidence: advice only
    )
    assert problems == []
    planned = tasks.plan_task_import(folder, PLAN, rows, problems)
    assert not planned.errors
    assert [p.format("en") for p in planned.to_accept] == [
        "tien-do.csv:2: date: warning: task «A» (a): 15/06/1925 is before 2015, the plan's first "
        "year (issued 16/05/2016): if the year is mistyped, correct it; if the date is right, "
        "accept and save",
        "tien-do.csv:3: date: warning: task «B» (b): 31/12/2014 is before 2015, the plan's first "
        "year (issued 16/05/2016): if the year is mistyped, correct it; if the date is right, "
        "accept and save",
    ]
    assert planned.to_accept[0].format("vi") == (
        "tien-do.csv:2: date: cảnh báo: nhiệm vụ «A» (a): ngày 15/06/1925 trước năm 2015, năm đầu "
        "của kế hoạch (ban hành ngày 16/05/2016): nếu gõ nhầm năm, hãy sửa; nếu ngày đúng như "
        "vậy, đánh dấu đã kiểm tra rồi lưu"
    )
    # The closed task without evidence is a warning too, but one that does not hold the save.
    [advice] = [w for w in planned.warnings if w not in planned.to_accept]
    assert advice.format("en") == (
        "tien-do.csv:4: evidence: warning: task «C» (c): no evidence given (a document number "
        "or a link)"
    )
    assert advice.format("vi") == (
        "tien-do.csv:4: evidence: cảnh báo: nhiệm vụ «C» (c): chưa ghi căn cứ (số văn bản hoặc "
        "đường dẫn)"
    )

    with pytest.raises(WarningsNotAccepted) as held:
        tasks.apply_task_import(folder, PLAN, planned, "an")
    assert held.value.warnings == planned.to_accept
    assert folder.read_side(tasks.progress_name(PLAN)) is None
    result = tasks.apply_task_import(folder, PLAN, planned, "an", accept_warnings=True)
    assert result.added == 3
    saved, _ = tasks.read_progress(folder, PLAN)
    assert saved.set_index("task")["date"].to_dict() == {
        "a": D(1925, 6, 15),
        "b": D(2014, 12, 31),
        "c": D(2015, 1, 1),
    }


def test_the_command_lines_import_holds_an_early_date_unless_accepted(tmp_path):
    folder = store.FolderStore(tmp_path)
    rows, problems = parse("task,state,date,evidence\na,done,15/06/1925,BC 12\n")
    planned, result = tasks.import_tasks(folder, PLAN, rows, problems, "an")
    assert result is None and len(planned.to_accept) == 1
    assert folder.read_side(tasks.progress_name(PLAN)) is None
    _, result = tasks.import_tasks(folder, PLAN, rows, problems, "an", accept_warnings=True)
    assert result.added == 1
    # Saved once, looked at then: the same row again asks nothing, nor does a row whose note
    # alone changes; a row given another early date asks again.
    again, _ = parse("task,state,date,evidence\na,done,15/06/1925,BC 12\nb,done,2025-01-02,X\n")
    planned, result = tasks.import_tasks(folder, PLAN, again, [], "an")
    assert planned.to_accept == [] and result.added == 1
    noted, _ = parse("task,state,date,evidence,note\na,done,15/06/1925,BC 12,xem lại\n")
    planned, result = tasks.import_tasks(folder, PLAN, noted, [], "an")
    assert planned.to_accept == [] and result.changed == 1
    redated, _ = parse("task,state,date,evidence\na,done,15/06/1952,BC 12\n")
    planned, result = tasks.import_tasks(folder, PLAN, redated, [], "an")
    assert result is None and [p.line for p in planned.to_accept] == [2]
    assert "15/06/1952" in planned.to_accept[0].format("en")


def test_the_folder_store_keeps_the_progress_file_where_it_always_was(tmp_path):
    """The data folder's files as before the Store interface: `data/_tasks-<plan id>.csv`,
    the audit trail and the history entry in `.history/`."""
    data = tmp_path / "data"
    data.mkdir()
    folder = store.FolderStore(data)
    rows, problems = parse("task,state,date,evidence\na,done,2025-06-15,BC 12\n")
    _, result = tasks.import_tasks(folder, PLAN, rows, problems, "an")
    path = data / tasks.progress_name(PLAN)
    assert path.read_bytes() == folder.read_side(tasks.progress_name(PLAN))
    assert (store.history_dir(data) / result.entry / "complete").exists()
    assert store.read_audit(data)[-1]["task"] == "a"
    assert tasks.read_progress(folder, PLAN)[1] == []
    path.write_bytes(b"task,state\nzz,done\n")  # edited by hand: named by its path
    [problem] = tasks.read_progress(folder, PLAN)[1]
    assert problem.file == str(path) and problem.line == 2


def test_a_quote_never_closed_in_a_progress_file_is_an_error_not_a_lost_row():
    # The audit's file: the second task's row was swallowed into the first one's evidence.
    rows, problems = parse(
        "nhiệm vụ,trạng thái,ngày,căn cứ\n"
        'a,hoàn thành,20/11/2025,"Báo cáo 45/BC-SKHCN\n'
        "b,không thuộc phạm vi của tỉnh,2025-07-01,Nghị quyết 202/2025/QH15\n"
    )
    assert [p.format("vi") for p in problems if p.is_error] == [
        "tien-do.csv:2: căn cứ: dấu ngoặc kép mở ở dòng 2 (cột «căn cứ») không được đóng: phần "
        'còn lại của tệp (dòng 3) bị gộp vào ô này; thêm dấu " đóng ô hoặc bỏ dấu " mở'
    ]
    assert rows["evidence"].tolist() == ["Báo cáo 45/BC-SKHCN"]


@pytest.mark.parametrize(
    ("sent", "saved"),
    [
        ("task,state,date,evidence,note\na,done,2025-01-02,BC 12,\n", ("BC 12", "đã kiểm tra")),
        ("task,state,date,evidence,note\na,done,2025-01-02,BC 12,   \n", ("BC 12", "đã kiểm tra")),
        ("task,state,date,evidence\na,done,2025-01-02,BC 12\n", ("BC 12", "đã kiểm tra")),
        ("task,state,date,evidence,note\na,done,2025-01-02,,\n", ("", "đã kiểm tra")),
        ("task,state,date,evidence,note\na,done,2025-01-02,BC 12,xong\n", ("BC 12", "xong")),
    ],
)
def test_an_upload_keeps_a_saved_note_unless_it_writes_one_as_the_tasks_docs_say(
    tmp_path, sent, saved
):
    """docs/tasks.md «Notes are kept»: an empty or absent note keeps the saved one (no upload
    takes a note out), a written note replaces it; the evidence is saved as the file gives it,
    so an empty evidence cell takes it out."""
    folder = store.FolderStore(tmp_path)
    first, _ = parse("task,state,date,evidence,note\na,done,2025-01-02,BC 12,đã kiểm tra\n")
    tasks.import_tasks(folder, PLAN, first, [], "an")
    rows, problems = parse(sent)
    tasks.import_tasks(folder, PLAN, rows, problems, "an", accept_warnings=True)
    progress, _ = tasks.read_progress(folder, PLAN)
    assert progress[["evidence", "note"]].values.tolist() == [list(saved)]
