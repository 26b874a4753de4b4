"""Task progress: states, overdue as of a date (injected), the counts, import, audit and undo."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from kpis import store, tasks
from kpis.errors import DataChanged
from kpis.plan import parse_plan
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
        "tien-do.csv:6: task: task «b» is given twice (lines 3 and 6): keep one",
    ]


def test_missing_columns_name_the_accepted_headers():
    _, problems = parse("task,ngày\na,2025-01-01\n")
    assert "missing required column «state»" in problems[0].format("en")
    assert "trạng thái" in problems[0].format("en")


def test_import_writes_audits_with_the_agency_and_undo_restores(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    rows, problems = parse("task,state,date,evidence\na,done,2025-06-15,BC 12\n")
    planned, result = tasks.import_tasks(data, PLAN, rows, problems, "an")
    assert result is not None and result.summary("en") == "added 1, changed 0, unchanged 0"
    saved, _ = tasks.read_progress(data, PLAN)
    assert saved[["task", "state"]].values.tolist() == [["a", "done"]]
    [audit] = store.read_audit(data)
    assert (audit["task"], audit["agency"], audit["new"], audit["user"], audit["action"]) == (
        "a",
        "so-khcn",
        "done",
        "an",
        "tasks",
    )
    again, _ = parse("task,state,date,evidence\na,cancelled,2025-07-01,QĐ 5\n")
    planned, result = tasks.import_tasks(data, PLAN, again, [], "bình")
    assert result.summary("en") == "added 0, changed 1, unchanged 0"
    assert store.read_audit(data)[-1]["old"] == "done"

    undone = store.undo(data, "chi")
    assert undone.user == "bình" and undone.figures == 1
    assert tasks.read_progress(data, PLAN)[0]["state"].tolist() == ["done"]
    assert store.read_audit(data)[-1]["action"] == "undo"
    assert store.read_audit(data)[-1]["task"] == "a"


def test_a_change_made_since_the_preview_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    rows, _ = parse("task,state\na,done\n")
    planned = tasks.plan_task_import(data, PLAN, rows)
    other, _ = parse("task,state\nb,done\n")
    tasks.import_tasks(data, PLAN, other, [], "someone else")
    with pytest.raises(DataChanged):
        tasks.apply_task_import(data, PLAN, planned, "an")


def test_an_editor_limited_to_one_agency_cannot_write_anothers_tasks(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    rows, _ = parse("task,state\na,done\nb,done\n")
    planned, result = tasks.import_tasks(data, PLAN, rows, [], "an", allowed={"so-khcn"})
    assert result is None
    [error] = planned.errors
    assert "account «an» may only write for DOST" in error.format("en")
    assert "1 items of Finance: b" in error.format("en")
    assert not (data / tasks.progress_name(PLAN)).exists()
