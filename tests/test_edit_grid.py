"""kpis.edit_grid: what /data's edit grid means, on the shipped plan and figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpis import edit_grid, store
from kpis.figures import read_figures
from kpis.plan import load_plan

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def plan():
    return load_plan(REPO / "targets.yaml")[0]


@pytest.fixture(scope="module")
def rows(plan):
    table = read_figures(REPO / "data", plan).table
    names = {i.id: i.name for i in plan.indicators}
    units = {i.id: i.unit for i in plan.indicators}
    return edit_grid.editor_rows(plan, table, 2024, names, units, "vi")


def add_row(frame: pd.DataFrame, **cells) -> pd.DataFrame:
    """A row added at the bottom as the grid does it (the range index continues)."""
    row = {c: None for c in edit_grid.GRID_COLUMNS} | cells
    return pd.concat([frame, pd.DataFrame([row], index=[frame.index.stop])])


def test_rows_are_numbered_from_one_as_the_problems_count_them(rows, plan):
    assert list(rows.index[:3]) == [1, 2, 3] and isinstance(rows.index, pd.RangeIndex)
    assert list(rows.columns) == edit_grid.GRID_COLUMNS
    name = "bảng năm 2024"
    edited = rows.copy()
    edited.loc[3, "value"] = "x"
    parsed, problems = store.parse_upload(edit_grid.table_bytes(edited, 2024), name, plan)
    # Line N + 1 of the CSV is row N of the grid: the page takes 1 off, and names row 3.
    assert [(p.line - 1, p.column) for p in problems if p.is_error] == [(3, "value")]


def test_a_row_added_twice_names_the_row_it_repeats_as_the_grid_numbers_it(rows, plan):
    name = "bảng năm 2024"
    kept = int(rows.index[rows["indicator"] == "st_enterprises"][0])
    edited = add_row(rows, indicator="st_enterprises", region="Bắc Kạn", value="5", source="BC")
    _, problems = store.parse_upload(edit_grid.table_bytes(edited, 2024), name, plan)
    [again] = [p for p in edit_grid.as_grid_rows(problems, name) if p.is_error]
    # on the added row, naming the row already there (not itself, as the CSV's line did)
    assert again.line == len(rows) + 1
    # named by the indicator column's name, as the grid shows it; the place by row number
    assert again.message("vi") == (
        f"«Số doanh nghiệp KH&CN» năm 2024 (Bắc Kạn) đã có ở {name}:{kept}: giữ một dòng"
    )
    assert again.message("en") == (
        f"«Science and technology enterprises» 2024 (Bắc Kạn) is already given at {name}:{kept}: "
        "keep one"
    )


def test_a_row_added_without_an_indicator_asks_for_one_and_is_no_total_row(rows, plan):
    name = "bảng năm 2024"
    edited = add_row(rows, region="Chợ Đồn", value="2", source="BC 3")
    _, problems = store.parse_upload(edit_grid.table_bytes(edited, 2024), name, plan)
    [missing] = [p for p in edit_grid.as_grid_rows(problems, name) if p.is_error]
    assert (missing.line, missing.column) == (len(rows) + 1, "indicator")
    # what was typed is kept: the row is given its indicator, not deleted as a total
    assert missing.message("vi") == "thiếu mã chỉ tiêu: ghi mã chỉ tiêu của số liệu này"


def test_a_typed_character_no_file_would_hold_is_one_problem_among_the_others(rows, plan):
    # A full-width «２» and a «①» in a source were judged as a file decoded with the wrong
    # code page: one error about Excel's «CSV UTF-8», every other problem hidden behind it.
    edited = rows.copy()
    edited.loc[1, "value"] = "２"
    edited.loc[2, "value"] = "khoảng 20"
    edited.loc[3, "source"] = "Báo cáo ① số 12"
    raw = edit_grid.table_bytes(edited, 2024)
    _, problems = store.parse_upload(raw, "bảng năm 2024", plan, typed=True)
    shown = edit_grid.as_grid_rows(problems, "bảng năm 2024")
    assert [(p.line, p.column) for p in shown if p.is_error] == [(1, "value"), (2, "value")]
    assert not [p for p in shown if "UTF-8" in p.message("vi")]
    # an uploaded file is still judged by its text, as before
    _, from_file = store.parse_upload(raw, "so-lieu.csv", plan)
    assert [p.message("en")[:14] for p in from_file] == ["garbled text: "]


def test_an_added_row_enters_another_region_or_a_left_out_indicator(rows, plan):
    edited = add_row(
        rows, indicator="st_enterprises", region="Thái Nguyên", value="5", source="BC 1"
    )
    added_line = len(rows) + 1
    assert edit_grid.pending(rows, edited) == [added_line]
    assert edit_grid.moved_rows(rows, edited, "bảng") == []
    parsed, problems = store.parse_upload(edit_grid.table_bytes(edited, 2024), "bảng", plan)
    new = parsed[parsed["region"] == "Thái Nguyên"]
    assert list(zip(new["indicator"], new["value"], new["line"] - 1, strict=True)) == [
        ("st_enterprises", 5.0, added_line)
    ]
    # A row added and left empty is nothing at all.
    assert edit_grid.pending(rows, add_row(rows)) == []


def test_a_row_already_there_keeps_its_indicator_and_region(rows):
    edited = rows.copy()
    edited.loc[2, "indicator"] = "biotech_lab"
    edited.loc[4, "region"] = "Thái Nguyên"
    problems = edit_grid.moved_rows(rows, edited, "bảng năm 2024")
    assert [(p.line, p.column) for p in problems] == [(2, "indicator"), (4, "region")]
    assert all(p.is_error for p in problems)
    assert "hãy thêm một dòng mới" in problems[0].message_vi
    assert "add a row" in problems[1].message_en
    assert edit_grid.pending(rows, edited) == [2, 4]


def test_a_rows_region_moved_to_a_new_one_is_one_error_an_added_rows_a_warning(
    rows, plan, data_dir
):
    name = "bảng năm 2024"
    edited = add_row(rows, indicator="st_enterprises", region="Chợ Đồn", value="2", source="BC")
    edited.loc[4, "region"] = "Cao Bằng"
    parsed, problems = store.parse_upload(edit_grid.table_bytes(edited, 2024), name, plan)
    problems = edit_grid.as_grid_rows(problems, name) + edit_grid.moved_rows(rows, edited, name)
    planned = store.plan_import(data_dir, plan, parsed.assign(line=parsed["line"] - 1), problems)
    # The moved row: refused, and only that (no «new region» to tick for it as well) ...
    assert [(p.line, p.severity) for p in planned.problems if p.column == "region"] == [
        (4, "error"),
        (len(rows) + 1, "warning"),
    ]
    # ... the added row's new region is still looked at before it becomes one
    assert planned.warnings[-1].message("vi").startswith("địa bàn mới «Chợ Đồn»")


def test_pending_sees_each_typed_column_and_nothing_else(rows):
    assert edit_grid.pending(rows, rows.copy()) == []
    for column, value in [("value", "1"), ("source", "BC"), ("note", "n"), ("delete", True)]:
        edited = rows.copy()
        edited.loc[5, column] = value
        assert edit_grid.pending(rows, edited) == [5], column
    edited = rows.copy()
    edited.loc[1, "estimate"] = not bool(rows.loc[1, "estimate"])
    assert edit_grid.pending(rows, edited) == [1]


def test_removals_name_the_row_ticked(rows):
    edited = rows.copy()
    edited.loc[3, "delete"] = True
    asked = edit_grid.removals(edited, 2024)
    assert list(zip(asked["indicator"], asked["line"], strict=True)) == [
        (rows.loc[3, "indicator"], 3)
    ]


def test_a_kept_draft_comes_back_numbered_with_names(rows, plan):
    names = {i.id: i.name for i in plan.indicators}
    units = {i.id: i.unit for i in plan.indicators}
    draft = add_row(rows, indicator="st_enterprises", region="Thái Nguyên", value="5")
    draft.loc[2, "value"] = "7"
    back = edit_grid.restored(draft, names, units)
    assert isinstance(back.index, pd.RangeIndex) and back.index[-1] == len(draft)
    assert back.iloc[-1]["name"] == names["st_enterprises"] and back.loc[2, "value"] == "7"
    assert edit_grid.pending(rows, back) == [2, len(draft)]
