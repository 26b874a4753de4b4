"""kpis.templates and kpis.safe_cells: the yearly template and the exports, read back."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from kpis import store, templates
from kpis.figures import read_figures
from kpis.plan import load_plan
from kpis.safe_cells import neutralise_cell, neutralise_frame

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def plan():
    return load_plan(REPO / "targets.yaml")[0]


@pytest.fixture(scope="module")
def table(plan):
    return read_figures(REPO / "data" / "2024.csv", plan).table


def test_template_has_a_row_per_indicator_taking_figures_with_last_years_value(plan, table):
    frame = templates.template_frame(plan, table, 2025)
    takes_figures = [i.id for i in plan.indicators if not i.is_derived]
    assert list(frame["indicator"]) == takes_figures
    assert "st_investment_share" not in set(frame["indicator"])  # derived: computed
    row = frame.set_index("indicator").loc["st_investment"]
    assert (row["name"], row["unit"], row["last_year_value"]) == (
        "Tổng đầu tư cho KH&CN",
        "triệu đồng",
        76500,
    )
    assert (frame["value"] == "").all() and (frame["source"] == "").all()
    assert set(frame["year"]) == {2025} and set(frame["region"]) == {"Bắc Kạn"}
    english = templates.template_frame(plan, table, 2025, "en")
    indicator = plan.by_id["st_investment"]
    assert english.set_index("indicator").loc["st_investment", "name"] == indicator.name_en
    assert english.set_index("indicator").loc["st_investment", "unit"] == indicator.unit_en


def test_template_csv_opens_in_excel_with_vietnamese(plan, table):
    raw = templates.template_csv(plan, table, 2025)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "chỉ tiêu,tên chỉ tiêu,đơn vị,giá trị năm trước,địa bàn,năm,giá trị,nguồn,ghi chú,ước tính"
    )
    assert "Số tổ chức KH&CN công lập" in text
    english = templates.template_csv(plan, table, 2025, "en").decode("utf-8-sig")
    assert english.splitlines()[0] == (
        "indicator,name,unit,last_year_value,region,year,value,source,note,estimate"
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_both_templates_filled_come_back_without_a_warning(plan, table, lang):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(templates.template_xlsx(plan, table, 2025, lang)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    value_col = header.index("giá trị" if lang == "vi" else "value") + 1
    source_col = header.index("nguồn" if lang == "vi" else "source") + 1
    sheet.cell(2, value_col, 4)
    sheet.cell(2, source_col, "BC 1/2025")
    out = io.BytesIO()
    book.save(out)
    parsed, problems = store.parse_upload(out.getvalue(), "mau.xlsx", plan)
    assert problems == []
    assert list(zip(parsed["indicator"], parsed["value"], strict=True)) == [("public_st_orgs", 4)]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_filled_template_imports_through_the_one_reader_without_warnings(
    plan, table, kind, tmp_path
):
    frame = templates.template_frame(plan, table, 2025)
    frame.loc[frame["indicator"] == "public_st_orgs", ["value", "source"]] = ["4", "BC 1/2025"]
    frame.loc[frame["indicator"] == "st_investment", ["value", "source", "estimate"]] = [
        "81000,5",
        "BC 2",
        "x",
    ]
    raw = (
        templates.to_csv_bytes(frame)
        if kind == "csv"
        else templates.to_xlsx_bytes(frame, "2025", templates.template_notes(plan, 2025))
    )
    parsed, problems = store.parse_upload(raw, f"mau.{kind}", plan)
    assert problems == []  # hint columns are not warned about; empty values are skipped
    assert sorted(zip(parsed["indicator"], parsed["value"], parsed["estimate"], strict=True)) == [
        ("public_st_orgs", 4.0, False),
        ("st_investment", 81000.5, True),  # the template carries the estimate mark
    ]


def test_the_xlsx_template_has_the_figures_sheet_first_and_a_guide(plan, table):
    book = load_workbook(io.BytesIO(templates.template_xlsx(plan, table, 2025)))
    assert book.sheetnames == ["2025", "Hướng dẫn - Guide"]
    first = book.worksheets[0]
    assert [c.value for c in first[1]] == [
        templates.HEADERS_VI[c] for c in templates.TEMPLATE_COLUMNS
    ]
    assert first.max_row == 1 + len([i for i in plan.indicators if not i.is_derived])
    assert "Không dùng dấu phân cách hàng nghìn" in " ".join(
        str(c.value) for c in book.worksheets[1]["A"]
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "plan_file, data_file",
    [("targets.yaml", "2024.csv"), ("plans/thai-nguyen-57-2025.yaml", "thai-nguyen.csv")],
)
def test_all_figures_export_reads_back_to_the_same_figures(kind, plan_file, data_file):
    plan = load_plan(REPO / plan_file)[0]
    figures = read_figures(REPO / "data" / data_file, plan).table
    if plan_file != "targets.yaml":
        assert figures["estimate"].any(), "the Thái Nguyên figures have estimates to carry"
    raw = (
        templates.export_csv(plan, figures)
        if kind == "csv"
        else templates.export_xlsx(plan, figures)
    )
    parsed, problems = store.parse_upload(raw, f"all.{kind}", plan)
    assert [p for p in problems if p.is_error] == []
    key = ["indicator", "region", "year", "value", "source", "estimate"]
    pd.testing.assert_frame_equal(
        parsed[key].sort_values(key).reset_index(drop=True),
        figures[key].sort_values(key).reset_index(drop=True),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+84 912", "'+84 912"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Báo cáo 12", "Báo cáo 12"),
        ("", ""),
        (-5.0, -5.0),
        (None, None),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralise_cell(value) == expected


def test_neutralise_frame_touches_text_only():
    frame = pd.DataFrame({"=a": ["=1+1", "x"], "n": [-1.0, 2.0]})
    safe = neutralise_frame(frame)
    assert list(safe.columns) == ["'=a", "n"]
    assert list(safe["'=a"]) == ["'=1+1", "x"] and list(safe["n"]) == [-1.0, 2.0]


def test_exports_carry_no_formula_in_csv_or_xlsx(plan):
    figures = pd.DataFrame(
        {
            "indicator": ["public_st_orgs"],
            "region": ["Bắc Kạn"],
            "year": [2024],
            "value": [3.0],
            "source": ["=cmd|' /C calc'!A0"],
            "note": ["@SUM(1)"],
            "file": ["x"],
            "line": [2],
        }
    )
    text = templates.export_csv(plan, figures).decode("utf-8-sig")
    assert "'=cmd" in text and ",'@SUM(1)" in text
    book = load_workbook(io.BytesIO(templates.export_xlsx(plan, figures)))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'=cmd|' /C calc'!A0" in [c.value for c in cells]


@pytest.mark.parametrize(
    ("agencies", "expected"),
    [
        (None, None),  # an unlimited editor, or anyone not signed in: every indicator
        ({"so-nnptnt"}, ["hightech_agri_zone", "hightech_vegetable_models"]),
        (
            {"so-nnptnt", "so-tc"},
            ["hightech_agri_zone", "hightech_vegetable_models", "total_budget_spending"],
        ),
        ({"so-yt"}, []),  # answers for no indicator: a header to fill nothing in
    ],
)
def test_an_editor_limited_to_agencies_gets_a_template_of_only_their_indicators(
    plan, table, agencies, expected
):
    expected = (
        expected if expected is not None else [i.id for i in plan.indicators if not i.is_derived]
    )
    frame = templates.template_frame(plan, table, 2025, agencies=agencies)
    assert list(frame["indicator"]) == expected
    csv_rows = templates.template_csv(plan, table, 2025, "vi", agencies).decode("utf-8-sig")
    assert [line.split(",")[0] for line in csv_rows.splitlines()[1:]] == expected
    sheet = load_workbook(
        io.BytesIO(templates.template_xlsx(plan, table, 2025, "en", agencies))
    ).worksheets[0]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == expected
