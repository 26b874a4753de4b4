"""kpis.xlsx_sheet: merged ranges and formulas without a stored result, as each writer spells
its sheet XML (a namespace prefix, shared formulas, a text result that is empty)."""

from __future__ import annotations

import io
import zipfile

import pytest

from kpis import xlsx_sheet


def zipped_sheet(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    return out.getvalue()


def sheet(cells: str, merges: str = "", prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns{':' + prefix if prefix else ''}"
    return (
        f'<{p}worksheet {xmlns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<{p}sheetData>{cells}</{p}sheetData>{merges}</{p}worksheet>"
    ).encode()


@pytest.mark.parametrize("prefix", ["", "x"])
def test_merged_ranges_and_formulas_without_results_are_found(prefix):
    p = f"{prefix}:" if prefix else ""
    cells = (
        f'<{p}row r="2"><{p}c r="A2"><{p}f>1+1</{p}f><{p}v>2</{p}v></{p}c>'  # stored: read
        f'<{p}c r="B2"><{p}f>1+1</{p}f><{p}v></{p}v></{p}c>'  # openpyxl's: nothing stored
        f'<{p}c r="C2"><{p}f t="shared" si="0"/></{p}c>'  # no <v> at all
        f'<{p}c r="D2" t="str"><{p}f>""</{p}f><{p}v></{p}v></{p}c>'  # an empty text result
        f'<{p}c r="E2" s="1"/></{p}row>'
    )
    merges = f'<{p}mergeCells count="2"><{p}mergeCell ref="B2:B3"/><{p}mergeCell ref="A10:F10"/></{p}mergeCells>'
    found = xlsx_sheet.scan(zipped_sheet(sheet(cells, merges, prefix)), "xl/worksheets/sheet1.xml")
    assert [m.ref for m in found.merged] == ["B2:B3", "A10:F10"]
    assert found.merged[0] == xlsx_sheet.Merged("B2:B3", 2, 3, 2, 2)
    assert [c.ref for c in found.unstored] == ["B2", "C2"]


def test_a_cell_is_never_cut_between_two_reads(monkeypatch):
    monkeypatch.setattr(xlsx_sheet, "_CHUNK", 7)  # a few bytes a read: every cut is tried
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><f>1</f></c><c r="B{n}"><v>{n}</v></c></row>'
        for n in range(2, 9)
    )
    found = xlsx_sheet.scan(
        zipped_sheet(sheet(rows, '<mergeCells><mergeCell ref="C2:C4"/></mergeCells>')),
        "xl/worksheets/sheet1.xml",
    )
    assert [c.ref for c in found.unstored] == [f"A{n}" for n in range(2, 9)]
    assert [m.ref for m in found.merged] == ["C2:C4"]


def test_the_sheets_are_named_by_their_tabs_in_the_workbook_s_order():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Danh mục"
    workbook.create_sheet("Số liệu", 0)  # the first tab, written as the first part
    workbook.create_chartsheet("Biểu đồ", 1)  # not a worksheet: openpyxl does not list it
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(out) as archive:
        assert xlsx_sheet.sheets(archive) == [
            xlsx_sheet.Sheet("Số liệu", "xl/worksheets/sheet1.xml"),
            xlsx_sheet.Sheet("Danh mục", "xl/worksheets/sheet2.xml"),
        ]


def test_a_workbook_that_does_not_say_its_sheets_gives_none():
    # No [Content_Types].xml (the guard then counts every sheet, as if each were read).
    assert xlsx_sheet.sheets(zipfile.ZipFile(io.BytesIO(zipped_sheet(b"<worksheet/>")))) is None
