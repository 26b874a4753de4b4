"""kpis.safe_cells: exported text runs nothing in a spreadsheet and holds nothing an .xlsx
cannot store (a plan name with Word's soft line break once broke every export)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from kpis.safe_cells import neutralise_cell, neutralise_frame


def test_formulas_are_defused_and_control_characters_dropped():
    assert neutralise_cell('=HYPERLINK("http://e.x")') == '\'=HYPERLINK("http://e.x")'
    assert neutralise_cell("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert neutralise_cell("dòng 1\x0bdòng 2\x00") == "dòng 1dòng 2"
    assert neutralise_cell(-1.5) == -1.5  # numbers are values, not formulas


def test_a_neutralised_frame_saves_as_xlsx():
    frame = neutralise_frame(pd.DataFrame({"tên\x0c": ["a\x0bb", "=1+1"], "giá trị": [1, 2]}))
    out = io.BytesIO()
    frame.to_excel(out, index=False)
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[1]] == ["tên", "giá trị"]
    assert [sheet.cell(row, 1).value for row in (2, 3)] == ["ab", "'=1+1"]
