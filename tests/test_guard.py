"""Hostile and careless figures files (issue 10): each reproduced finding, read for real.

Files that would make the old reader allocate gigabytes are read in a child process with a
memory limit (tests/sandbox.py), so a regression fails here instead of stalling the machine.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile

import pytest
from openpyxl import Workbook

from kpis import guard
from kpis.figures import read_figures
from tests.helpers import libreoffice, make_plan
from tests.sandbox import ROOT, read_limited

PLAN = make_plan({"id": "orgs", "integer": True}, {"id": "spend"})


def folder_with(tmp_path, raw: bytes, name: str = "2020.csv"):
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(raw)
    return folder


def messages(figures) -> list[str]:
    return [p.format("en") for p in figures.problems]


# --- finding 4: line endings ----------------------------------------------------------------


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_any_line_ending_reads_every_figure_on_its_line(tmp_path, ending):
    text = ending.join(
        ["indicator,region,year,value,source", "orgs,,2020,3,BC 1", "spend,,2020,1.5,BC 2", ""]
    )
    figures = read_figures(folder_with(tmp_path, text.encode()), PLAN)
    assert messages(figures) == []
    assert list(figures.table["line"]) == [2, 3]
    assert list(figures.table["value"]) == [3.0, 1.5]


# --- findings 2 and 3: control characters in cells -------------------------------------------


def test_a_lone_cr_and_a_vertical_tab_in_free_text_become_spaces(tmp_path):
    raw = (
        'indicator,year,value,source,note\norgs,2020,3,"Báo cáo 12\rngày 20/11",'
        '"dòng 1\x0bdòng 2\tcột"\n'
    ).encode()
    figures = read_figures(folder_with(tmp_path, raw), PLAN)
    assert [p for p in figures.problems if p.is_error] == []
    assert figures.table["source"].iloc[0] == "Báo cáo 12 ngày 20/11"
    assert figures.table["note"].iloc[0] == "dòng 1 dòng 2\tcột"  # a tab stays in a note


@pytest.mark.parametrize(
    "region, char",
    [("Bắc\u200b Kạn", "U+200B"), ("\u202eBắc Kạn", "U+202E"), ("Bắc\x0bKạn", "U+000B")],
)
def test_an_invisible_or_control_character_in_a_region_is_refused_with_its_place(
    tmp_path, region, char
):
    raw = f"indicator,region,year,value\norgs,Bắc Kạn,2019,2\norgs,{region},2020,3\n".encode()
    figures = read_figures(folder_with(tmp_path, raw), PLAN)
    assert list(figures.table["region"]) == ["Bắc Kạn"]  # no second «Bắc Kạn»
    (problem,) = figures.errors
    assert problem.line == 3 and problem.column == "region" and char in problem.message_en
    # The Vietnamese message names the character in Vietnamese, with its code.
    assert f"({char} " in problem.message_vi
    assert not re.search(r"SPACE|OVERRIDE|CONTROL", problem.message_vi), problem.message_vi


@pytest.mark.parametrize("indicator, char", [("or\x07gs", "U+0007"), ("orgs\x1b", "U+001B")])
def test_a_control_character_in_an_ascii_id_is_refused_with_its_place(tmp_path, indicator, char):
    """An id column of ASCII text (read the fast way) is looked at for control characters as
    any other: one in the middle or at the end stays there (only spaces are trimmed)."""
    raw = f"indicator,region,year,value\norgs,Bắc Kạn,2019,2\n{indicator},Bắc Kạn,2020,3\n"
    figures = read_figures(folder_with(tmp_path, raw.encode()), PLAN)
    assert list(figures.table["indicator"]) == ["orgs"]
    (problem,) = figures.errors
    assert problem.line == 3 and problem.column == "indicator" and char in problem.message_en


def test_a_cell_longer_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_MAX_CELL_CHARS", "50")
    raw = f"indicator,year,value,source\norgs,2020,3,{'x' * 51}\nspend,2020,1,ok\n".encode()
    figures = read_figures(folder_with(tmp_path, raw), PLAN)
    assert list(figures.table["indicator"]) == ["spend"]
    assert "51 characters long, more than 50" in messages(figures)[0]


def test_a_long_cells_count_is_written_the_vietnamese_way_in_vietnamese(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_MAX_CELL_CHARS", "1000")
    raw = f"indicator,year,value,source\norgs,2020,3,{'x' * 1001}\n".encode()
    (problem,) = read_figures(folder_with(tmp_path, raw), PLAN).errors
    assert "ô dài 1.001 ký tự, quá giới hạn 1.000" in problem.message_vi
    assert "1,001 characters long, more than 1,000" in problem.message_en


# --- finding 9: non-finite numbers, mixed encodings ------------------------------------------


@pytest.mark.parametrize("value", ["1e999", "-1e999", "inf", "nan", "Infinity"])
def test_a_value_that_is_not_finite_is_an_error(tmp_path, value):
    raw = f"indicator,year,value\nspend,2020,{value}\n".encode()
    figures = read_figures(folder_with(tmp_path, raw), PLAN)
    assert len(figures.table) == 0
    assert [p.line for p in figures.errors] == [2]


def test_one_windows_1258_byte_in_a_utf8_file_is_reported_not_re_decoded(tmp_path):
    raw = (
        (
            "indicator,region,year,value,source\n"
            "orgs,Bắc Kạn,2019,2,Báo cáo\n"
            "orgs,Bắc Kạn,2020,3,Báo cáo\n"
            "orgs,Bắc Kạn,2021,4,"
        ).encode()
        + "Báo cáo".encode("cp1258")
        + b"\n"
    )
    figures = read_figures(folder_with(tmp_path, raw), PLAN)
    assert "Báº¯c Káº¡n" not in set(figures.table["region"])
    (problem,) = figures.errors
    assert problem.line == 4 and "mixes two encodings" in problem.message_en


# --- finding 6: memory exhausted by small files ---------------------------------------------


def test_one_row_of_millions_of_commas_is_refused_in_bounded_memory(tmp_path):
    raw = b"indicator,year,value\n" + b"," * 4_900_000 + b"\norgs,2020,3\n"
    folder = folder_with(tmp_path, raw)
    result = read_limited(folder, timeout=90)
    assert result["rows"] == 1
    assert any("more than the header's 3" in p or "cannot be read" in p for p in result["problems"])


def test_a_header_of_millions_of_columns_is_refused(tmp_path):
    folder = folder_with(tmp_path, b"indicator,year,value" + b",x" * 2_400_000 + b"\norgs,2020,3\n")
    result = read_limited(folder)
    assert result["rows"] == 0
    assert any("more than 100 columns" in p for p in result["problems"])


def test_a_file_with_more_rows_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_MAX_ROWS", "3")
    raw = b"indicator,year,value\n" + b"orgs,2020,3\n" * 4
    figures = read_figures(folder_with(tmp_path, raw), PLAN)
    assert len(figures.table) == 0 and "more than 3 rows" in messages(figures)[0]


def _xlsx(sheet_xml: bytes, strings: bytes | None = None) -> bytes:
    """A minimal workbook whose first sheet is `sheet_xml`, written by hand like an attacker."""
    workbook = Workbook()
    workbook.active.append(["indicator", "year", "value"])
    workbook.active.append(["orgs", 2020, 3])
    good = io.BytesIO()
    workbook.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            zf.writestr(item.filename, data)
        if strings is not None:
            zf.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="%s"/><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>year</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>orgs</t></is></c><c r="B2"><v>2020</v></c>'
    b'<c r="C2"><v>3</v></c></row>'
    b"</sheetData></worksheet>"
)


def test_an_xlsx_declaring_a_huge_dimension_is_refused_before_openpyxl(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(_xlsx(SHEET % b"A1:XFD60002"))
    result = read_limited(path)
    assert result["rows"] == 0
    assert any("declares 60,002 rows × 16,384 columns" in p for p in result["problems"])


def test_an_xlsx_within_its_dimension_reads(tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(_xlsx(SHEET % b"A1:C2"))
    figures = read_figures(path, PLAN)
    assert messages(figures) == [] and list(figures.table["value"]) == [3.0]


def test_an_xlsx_shared_string_that_unzips_to_megabytes_is_refused_streaming(tmp_path):
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    strings += b"A" * 40_000_000 + b"</t></si></sst>"
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_xlsx(SHEET % b"A1:C2", strings))
    assert path.stat().st_size < 5 * 1024 * 1024
    result = read_limited(path, memory=1536 * 1024**2)
    assert any("a cell is longer than 5,000 characters" in p for p in result["problems"])


def test_an_xlsx_unzipping_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_MAX_XLSX_MB", "2")
    path = tmp_path / "big.xlsx"
    path.write_bytes(_xlsx(SHEET % b"A1:C2", b"<sst>" + b" " * 3_000_000 + b"</sst>"))
    figures = read_figures(path, PLAN)
    assert "unzips to 3 MB, more than 2 MB" in messages(figures)[0]


# --- finding 10: malformed xlsx ----------------------------------------------------------


def test_a_truncated_xlsx_sheet_is_a_problem_with_its_place(tmp_path):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(_xlsx((SHEET % b"A1:C2")[:-60]))
    figures = read_figures(path, PLAN)
    (problem,) = figures.errors
    assert "damaged" in problem.message_en and "xl/worksheets/sheet1.xml" in problem.message_en


def test_an_xlsx_with_entities_is_refused(tmp_path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    path = tmp_path / "laughs.xlsx"
    path.write_bytes(_xlsx(laughs + (SHEET % b"A1:C2").split(b"?>", 1)[1]))
    figures = read_figures(path, PLAN)
    (problem,) = figures.errors
    assert "DTD" in problem.message_en


def test_cell_references_are_read_as_excel_writes_them():
    from kpis.guard import _column, _span

    assert _column("XFD60002") == 16384 and _column("A1") == 1 and _column("AA3") == 27
    assert _span("A1:XFD60002") == (60002, 16384) and _span("B2") == (1, 1)


# --- finding 11: links in data/ ---------------------------------------------------------------


def test_a_symlink_in_the_data_folder_is_refused_and_never_read(tmp_path):
    secret = tmp_path / ".env"
    secret.write_text("TOKEN=s3cr3t-value\n")
    folder = folder_with(tmp_path, b"indicator,year,value\norgs,2020,3\n")
    os.symlink(secret, folder / "leak.csv")
    figures = read_figures(folder, PLAN)
    assert list(figures.table["value"]) == [3.0]
    assert not any("s3cr3t" in text for text in messages(figures))
    (warning,) = figures.warnings
    assert warning.file == "leak.csv" and "symlink" in warning.message_en


# --- the same limits on the command line, overridable ---------------------------------------


def test_the_cli_applies_the_limits_and_an_option_raises_them(tmp_path):
    (tmp_path / "targets.yaml").write_bytes((ROOT / "targets.yaml").read_bytes())
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_bytes((ROOT / "data" / "2020.csv").read_bytes())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def validate(*options: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kpis", "validate", "--lang", "en", *options],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    limited = validate("--limit", "rows=2")
    assert limited.returncode == 1 and "more than 2 rows" in limited.stdout
    assert validate().returncode == 0
    wrong = validate("--limit", "lines=2")
    assert wrong.returncode == 2 and "rows" in wrong.stderr


# --- finding 3: a control character saved before these checks ----------------------------------


def test_a_saved_note_with_word_s_soft_line_break_still_exports(tmp_path, repo_root):
    import openpyxl

    from kpis.dataset import load_dataset
    from kpis.plan import load_plan
    from kpis.templates import export_xlsx

    data = tmp_path / "data"
    data.mkdir()
    (data / "2024.csv").write_bytes(
        "indicator,year,value,source,note\n"
        'public_st_orgs,2024,3,"BC\x0b12","dòng 1\x0bdòng 2\x01"\n'.encode()
    )
    plan = load_plan(repo_root / "targets.yaml")[0]
    dataset = load_dataset(repo_root / "targets.yaml", data)
    table = dataset.figures.table
    assert table["note"].tolist() == ["dòng 1 dòng 2"] and table["source"].tolist() == ["BC 12"]
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(plan, table))).active
    assert "dòng 1 dòng 2" in [cell.value for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize(
    "size",
    [
        10,  # counted by bytes.count
        guard._COUNTED_HOLDING_THE_LOCK // 8,  # (the largest counted so: 8 bytes a repeat)
        guard._BLOCK * 3 + 7 + guard._COUNTED_HOLDING_THE_LOCK // 8,  # numpy, across blocks
    ],
)
@pytest.mark.parametrize("shift", [b"", b"x"])  # (CR LF pairs starting at odd bytes, or even)
def test_line_breaks_counts_each_convention(size, shift):
    body = shift + (b"a\nb\r\nc\rd" * size)[: size * 8]
    expected = (body.count(b"\n"), body.count(b"\r"), body.count(b"\r\n"))
    assert guard.line_breaks(body) == expected
    # a carriage return ending a block, followed by a line feed in the next, or ending it all
    for end in (guard._BLOCK, len(body)):
        split = body[: end - 1] + b"\r\n" + body[end + 1 :]
        assert guard.line_breaks(split) == (
            split.count(b"\n"),
            split.count(b"\r"),
            split.count(b"\r\n"),
        )
    last = body + b"\r"
    assert guard.line_breaks(last) == (last.count(b"\n"), last.count(b"\r"), last.count(b"\r\n"))
    unix = body.replace(b"\r", b"")
    assert guard.line_breaks(unix) == (unix.count(b"\n"), 0, 0)
    assert guard.line_breaks(b"") == (0, 0, 0)


# --- security review, finding 3: an .xlsx of many tiny rows ---------------------------------


def _rows_xlsx(rows: int) -> bytes:
    """An .xlsx of `rows` data rows as openpyxl's streaming writer makes it: no `<dimension>`,
    so only the rows themselves tell how large the sheet is."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["indicator", "year", "value"])
    for _ in range(rows):
        sheet.append(["orgs", 2020, 3])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_of_more_rows_than_its_limit_is_refused_before_it_is_parsed():
    import time

    from kpis import store
    from kpis.limits import Limits

    limit = Limits().xlsx_rows
    raw = _rows_xlsx(limit + 1)
    assert len(raw) < store.MAX_UPLOAD_BYTES  # (within every other limit of an upload)
    started = time.monotonic()
    table, problems = store.parse_upload(raw, "nhieu-dong.xlsx", PLAN)
    took = time.monotonic() - started
    assert table.empty
    (problem,) = problems
    assert problem.format("en") == (
        "nhieu-dong.xlsx:1: file: the Excel sheet «Sheet» has more than 100,000 rows, "
        "the limit for an Excel file (an Excel file is much slower to read than a CSV): split it "
        "into smaller files (one per year, say), or save it as «CSV UTF-8» (up to 1,000,000 "
        "rows); an operator can raise the limit with KPI_MAX_XLSX_ROWS or --limit xlsx_rows=N "
        "(see docs/deployment.md)"
    )
    assert "KPI_MAX_XLSX_ROWS" in problem.message_vi
    assert "trang tính Excel «Sheet» có hơn 100.000 hàng" in problem.message_vi
    # Parsed, these rows took ~25 s (900,000: two minutes); counted, well under a second.
    assert took < 10, took


def test_the_xlsx_row_limit_is_raised_like_the_others(monkeypatch):
    from kpis.figures import cells_of

    raw = _rows_xlsx(30)
    monkeypatch.setenv("KPI_MAX_XLSX_ROWS", "29")
    assert "more than 29 rows" in cells_of(raw, "a.xlsx")[3][0].format("en")
    monkeypatch.setenv("KPI_MAX_XLSX_ROWS", "30")  # the header is not counted
    header, cells, _, problems = cells_of(raw, "a.xlsx")
    assert problems == [] and header == ["indicator", "year", "value"] and len(cells) == 30


def test_a_libreoffice_xlsx_within_the_row_limit_is_read_and_one_beyond_it_refused(
    tmp_path, monkeypatch
):
    # LibreOffice writes every row with attributes (`<row r="2" customFormat="false" …>`): each
    # is counted once, and a file as large as the limit is read whole.
    typed = tmp_path / "so-lieu.csv"
    typed.write_text(
        "indicator,year,value\n" + "".join(f"orgs,{2000 + n},{n}\n" for n in range(40)), "utf-8"
    )
    libreoffice([typed], "xlsx", tmp_path / "lo")
    raw = (tmp_path / "lo" / "so-lieu.xlsx").read_bytes()
    assert b"customFormat" in zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    from kpis import store

    def upload() -> tuple[int, list[str]]:
        table, problems = store.parse_upload(raw, "so-lieu.xlsx", PLAN)
        return len(table), [p.format("en") for p in problems]

    assert upload() == (40, [])
    monkeypatch.setenv("KPI_MAX_XLSX_ROWS", "40")
    assert upload() == (40, [])
    monkeypatch.setenv("KPI_MAX_XLSX_ROWS", "39")
    rows, problems = upload()
    assert rows == 0 and "more than 39 rows" in problems[0]


# --- the limits of rows and cells hold for the sheet that is read, named by its tab -----------


def _workbook(figures: int, reference: int, figures_first: bool = True) -> bytes:
    """A workbook as staff keep one: the figures sheet «Số liệu» first (`figures` rows), and
    beside it a reference sheet «Danh mục đơn vị» of `reference` rows × 6 columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu"
    sheet.append(["indicator", "year", "value"])
    for n in range(figures):
        sheet.append(["orgs", 2000 + n, n])
    listing = workbook.create_sheet("Danh mục đơn vị", index=None if figures_first else 0)
    listing.append(["mã", "tên", "cấp", "tỉnh", "ghi chú", "năm lập"])
    for n in range(reference):
        listing.append([f"dv-{n}", f"Đơn vị {n}", "xã", "Thái Nguyên", "", 2000 + n % 25])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _tabs_swapped(raw: bytes) -> bytes:
    """`raw` with its two tabs in the other order in xl/workbook.xml, its parts unchanged: the
    second part (sheet2.xml) is then the first tab, the one read."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                first, second = re.findall(rb"<sheet [^>]*/>", data)
                data = data.replace(first + second, second + first)
            target.writestr(item, data)
    return out.getvalue()


def _upload(raw: bytes, name: str = "so-lieu.xlsx") -> tuple[int, list[str], list[str]]:
    from kpis import store

    table, problems = store.parse_upload(raw, name, PLAN)
    return len(table), [p.format("en") for p in problems], [p.format("vi") for p in problems]


@pytest.fixture
def small_limits(monkeypatch):
    """Limits of 30 rows and 150 cells a sheet: the reference sheets below are beyond both."""
    monkeypatch.setenv("KPI_MAX_XLSX_ROWS", "30")
    monkeypatch.setenv("KPI_MAX_XLSX_CELLS", "150")


def test_a_large_reference_sheet_beside_a_small_figures_sheet_is_imported(small_limits):
    assert _upload(_workbook(figures=3, reference=200)) == (3, [], [])


def test_a_figures_sheet_beyond_the_row_limit_is_refused_by_its_tab_name(small_limits):
    rows, en, vi = _upload(_workbook(figures=31, reference=3))
    assert rows == 0
    assert en[0].startswith(
        "so-lieu.xlsx:1: file: the Excel sheet «Số liệu» has more than 30 rows, "
    )
    assert vi[0].startswith("so-lieu.xlsx:1: file: trang tính Excel «Số liệu» có hơn 30 hàng, ")
    assert "xl/worksheets" not in en[0] + vi[0]


def test_the_figures_sheet_is_found_by_its_tab_not_by_its_part(small_limits):
    # The reference sheet is the first part (sheet1.xml), «Số liệu» the first tab (sheet2.xml).
    raw = _tabs_swapped(_workbook(figures=3, reference=200, figures_first=False))
    assert zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml").count(b"<row ") == 201
    assert _upload(raw) == (3, [], [])
    rows, en, vi = _upload(_tabs_swapped(_workbook(figures=31, reference=3, figures_first=False)))
    assert rows == 0
    assert en[0].startswith(
        "so-lieu.xlsx:1: file: the Excel sheet «Số liệu» has more than 30 rows, "
    )
    # As written, the reference sheet is the first tab: it is the one read, and refused.
    rows, en, vi = _upload(_workbook(figures=3, reference=200, figures_first=False))
    assert rows == 0 and "the Excel sheet «Danh mục đơn vị» has more than 30 rows" in en[0]


def test_a_figures_sheet_beyond_the_cell_limit_is_refused_by_its_tab_name(monkeypatch):
    monkeypatch.setenv("KPI_MAX_XLSX_CELLS", "30")  # 3 columns × 11 rows is 33 cells
    rows, en, vi = _upload(_workbook(figures=10, reference=200))
    assert rows == 0
    assert "(sheet «Số liệu»)" in en[0] and "(trang tính «Số liệu»)" in vi[0]
    assert _upload(_workbook(figures=9, reference=200))[0] == 9


def test_libreoffice_workbooks_are_limited_by_the_sheet_read_and_name_it(
    tmp_path, small_limits, monkeypatch
):
    # LibreOffice keeps text in shared strings, which openpyxl loads whole whichever sheet is
    # read: their count stays a limit of the workbook (~400 here), its cells (1,206) are not.
    monkeypatch.setenv("KPI_MAX_XLSX_CELLS", "500")
    (tmp_path / "small.xlsx").write_bytes(_workbook(figures=3, reference=200))
    (tmp_path / "big.xlsx").write_bytes(_workbook(figures=31, reference=3))
    libreoffice([tmp_path / "small.xlsx", tmp_path / "big.xlsx"], "xlsx", tmp_path / "lo")
    small = (tmp_path / "lo" / "small.xlsx").read_bytes()
    big = (tmp_path / "lo" / "big.xlsx").read_bytes()
    # (LibreOffice's own parts: its relationship ids and its rows' attributes)
    assert b"customFormat" in zipfile.ZipFile(io.BytesIO(small)).read("xl/worksheets/sheet2.xml")
    assert _upload(small) == (3, [], [])
    rows, en, vi = _upload(big)
    assert rows == 0
    assert en[0].startswith(
        "so-lieu.xlsx:1: file: the Excel sheet «Số liệu» has more than 30 rows, "
    )
    assert vi[0].startswith("so-lieu.xlsx:1: file: trang tính Excel «Số liệu» có hơn 30 hàng, ")
