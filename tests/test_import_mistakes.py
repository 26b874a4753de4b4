"""The mistakes real people make, in real files written by openpyxl and by LibreOffice: each is
stopped (an error) or warned before anything is written, with one Vietnamese message naming the
file, the line and what to do; `data/` stays byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from kpis import store
from kpis.plan import load_plan
from tests.helpers import files_bytes, libreoffice

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def plan():
    return load_plan(REPO / "targets.yaml")[0]


def workbook(*rows, merge: str | None = None, formats: dict[str, str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ("indicator", "year", "value", "source")


def problems_of(plan, raw: bytes, name: str = "so-lieu.xlsx"):
    _, problems = store.parse_upload(raw, name, plan)
    return problems


def only_error(plan, raw: bytes, name: str = "so-lieu.xlsx"):
    problems = problems_of(plan, raw, name)
    errors = [p for p in problems if p.is_error]
    assert len(errors) == 1, [p.format() for p in problems]
    return errors[0]


def test_a_date_cell_says_excel_turned_the_number_into_a_date(plan):
    raw = workbook(HEADER, ("st_investment", 2024, dt.datetime(2024, 3, 5), "BC 45"))
    error = only_error(plan, raw)
    assert (error.line, error.column) == (2, "value")
    assert "là ngày tháng: Excel đã tự đổi số vừa gõ thành ngày" in error.message("vi")


def test_a_percentage_cell_says_what_excel_shows_and_stores(plan):
    raw = workbook(HEADER, ("st_enterprises", 2024, 0.05, "BC 7"), formats={"C2": "0%"})
    error = only_error(plan, raw)
    assert (error.line, error.column) == (2, "value")
    assert error.message("vi") == (
        "ô được định dạng phần trăm: Excel hiện 5% nhưng lưu 0,05. Đổi định dạng ô thành "
        "Number (hoặc General) và ghi 5"
    )


def test_a_percentage_typed_as_text_asks_for_the_number_alone():
    from tests.helpers import make_plan

    plan = make_plan({"id": "share", "unit": "%"})
    error = only_error(plan, workbook(HEADER, ("share", 2024, "4%", "BC 7")))
    assert error.message("vi").startswith("«4%»: ghi số không kèm dấu %, ví dụ 4")


def test_a_percentage_for_an_indicator_counted_otherwise_says_its_unit(plan):
    # «45%» of «Số doanh nghiệp KH&CN»: "write 45 (the % is in the plan)" saved 45 enterprises
    error = only_error(plan, workbook(HEADER, ("st_enterprises", 2024, "45%", "BC 7")))
    assert (error.line, error.column) == (2, "value")
    assert error.message("vi") == (
        "«45%»: «Số doanh nghiệp KH&CN» tính bằng «doanh nghiệp», không phải %: ghi số "
        "doanh nghiệp, không kèm dấu %"
    )
    assert "(the unit is in the plan)" not in error.message("en")
    assert "is counted in «enterprises», not %" in error.message("en")


@pytest.mark.parametrize(
    "typed, number",
    [
        ("7.100.000", "7100000"),
        ("1,234,567", "1234567"),
        ("80 000", "80000"),
        ("80\u00a0000", "80000"),
        ("-1 234 567", "-1234567"),
    ],
)
def test_thousands_separators_say_which_number_to_write(plan, typed, number):
    error = only_error(plan, workbook(HEADER, ("total_budget_spending", 2024, typed, "BC 7")))
    assert (error.line, error.column) == (2, "value")
    assert error.message("vi") == (
        f"«{typed}» không phải một số: viết {number} (không dùng dấu phân cách hàng nghìn)"
    )
    assert (
        error.message("en") == f"«{typed}» is not a number: write {number} (no thousands separator)"
    )


@pytest.mark.parametrize("done", ["đã hoàn thành", "Hoàn thành", "done"])
def test_a_milestone_written_in_words_asks_for_1_or_0(plan, done):
    # hightech_agri_zone is a milestone: «write a number such as 12» told nothing to do.
    for raw, name in (
        (workbook(HEADER, ("hightech_agri_zone", 2024, done, "BC 7")), "so-lieu.xlsx"),
        (f"indicator,year,value\nhightech_agri_zone,2024,{done}\n".encode(), "so-lieu.csv"),
    ):
        error = only_error(plan, raw, name)
        assert (error.line, error.column) == (2, "value")
        assert error.message("vi") == (
            f"«{done}» không phải số: chỉ tiêu mốc ghi 1 nếu đã hoàn thành, 0 nếu chưa hoàn thành"
        )
        assert error.message("en").endswith("a milestone takes 1 if done, 0 if not yet done")
    # Any other indicator's words keep the advice for a number.
    error = only_error(plan, b"indicator,year,value\npublic_st_orgs,2024,ba\n", "so-lieu.csv")
    assert error.message("vi") == "«ba» không phải một số: ghi số như 12 hoặc 1,5"


def test_a_total_row_at_the_bottom_is_named_as_one(plan):
    raw = workbook(
        HEADER,
        ("st_enterprises", 2024, 12, "BC 7"),
        ("enterprises_tech_innovation", 2024, 3, "BC 7"),
        ("Tổng cộng", 2024, 15, None),
    )
    error = only_error(plan, raw)
    assert (error.line, error.column) == (4, "indicator")
    assert error.message("vi").startswith("dòng tổng cộng: xoá dòng này")


def test_a_total_row_without_a_label_is_named_as_one(plan):
    raw = workbook(HEADER, ("st_enterprises", 2024, 12, "BC 7"), (None, None, 12, None))
    # one error, to delete it: not also «năm «» không hợp lệ» for a row to be deleted
    errors = [p for p in problems_of(plan, raw) if p.is_error]
    assert [(p.line, p.message("vi")[:15]) for p in errors] == [(3, "dòng tổng cộng:")]


def test_a_title_merged_over_the_header_is_one_error_not_one_per_row(plan):
    rows = [("BÁO CÁO SỐ LIỆU KH&CN NĂM 2024",), (), HEADER]
    rows += [("st_enterprises", 2024, n, "BC 7") for n in range(14)]
    error_list = problems_of(plan, workbook(*rows, merge="A1:D1"))
    assert [p.format() for p in error_list] == [
        "so-lieu.xlsx:1: header: dòng tiêu đề (indicator, year, value…) nằm ở dòng 3, không phải dòng "
        "1: xoá các dòng 1-2 phía trên (tên bảng, ô gộp) để tiêu đề là dòng đầu tiên"
    ]


@pytest.mark.parametrize(
    "first",
    [b"sep=;", b"sep=,", b"sep=\t", b"\xef\xbb\xbfSEP=;\r"],
    ids=["semicolon", "comma-over-semicolons", "tab", "bom-crlf"],
)
def test_excels_separator_line_is_named_and_nothing_else_is_said(plan, first):
    # CONTRACT.md §2: the header is line 1 and a header below it is an error, so Excel's
    # separator hint is not skipped; it was called «a title, merged cells», and a hint not
    # matching the separator gave a «sep=» column and three missing columns.
    body = b"indicator;year;value\npublic_st_orgs;2024;3\npublic_st_orgs;2025;x\n"
    if first.startswith(b"sep=\t"):
        body = body.replace(b";", b"\t")
    problems = problems_of(plan, first + b"\n" + body, "so-lieu.csv")
    assert [p.format() for p in problems] == [
        "so-lieu.csv:1: header: dòng 1 là «sep=…», dòng Excel dùng để ghi dấu phân cách (Excel không "
        "hiện dòng này), không phải dòng tiêu đề: mở tệp bằng Notepad và xoá dòng 1 để dòng "
        "tiêu đề là dòng đầu tiên"
    ]
    assert problems[0].message("en").startswith("line 1 is «sep=…», the line Excel reads as")


def test_a_task_progress_file_names_excels_separator_line(plan):
    from kpis import tasks

    _, problems = tasks.parse_progress(b"sep=,\ntask,state\niii-a1-2020,done\n", "p.csv", plan)
    assert [p.format("en") for p in problems] == [
        "p.csv:1: header: line 1 is «sep=…», the line Excel reads as the separator (Excel does not show "
        "it), not the header: open the file in Notepad and delete line 1 so that the header is "
        "the first line"
    ]


def test_an_indicators_name_instead_of_its_id_suggests_the_id(plan):
    raw = workbook(HEADER, ("Số tổ chức KH&CN công lập", 2024, 3, "BC 7"))
    error = only_error(plan, raw)
    assert error.message("vi") == (
        "«Số tổ chức KH&CN công lập» là tên chỉ tiêu: cột chỉ tiêu cần mã, ghi «public_st_orgs»"
    )


def test_the_header_ma_chi_tieu_is_one_message_saying_what_to_call_it(plan):
    raw = workbook(("Mã chỉ tiêu", "Năm", "Giá trị"), ("public_st_orgs", 2024, 3))
    error = only_error(plan, raw)
    assert (error.line, error.column) == (1, "Mã chỉ tiêu")
    assert error.message("vi") == (
        "cột «Mã chỉ tiêu» không phải tên cột được chấp nhận: đổi tên thành «indicator» hoặc "
        "«chỉ tiêu»"
    )


def zipped(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "raw, says",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "tệp Excel 97-2003 (.xls)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "tệp PDF, không phải bảng tính"),
        (zipped({"Index/Document.iwa": b"x", "Metadata/x": b"y"}), "tệp Apple Numbers"),
        (zipped({"mimetype": b"application/vnd.oasis", "content.xml": b"<x/>"}), ".ods"),
    ],
)
def test_a_file_of_another_kind_renamed_xlsx_says_what_it_is_and_how_to_save_it(plan, raw, says):
    error = only_error(plan, raw, "so-lieu.xlsx")
    assert says in error.message("vi")
    assert "Lưu thành" in error.message("vi") or "Xuất sang" in error.message("vi")


# ------------------------------------------------------------------- as real processes


def kpis(*args: str):
    return subprocess.run(
        [sys.executable, "-m", "kpis", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.slow
def test_every_mistake_through_the_command_line_writes_nothing(tmp_path, data_dir):
    """openpyxl and LibreOffice files, imported as staff would: exit 1, a Vietnamese message
    with the file and line, and the data folder byte for byte as before."""
    files = {
        "ngay.xlsx": workbook(HEADER, ("st_investment", 2024, dt.datetime(2024, 3, 5), "BC")),
        "phan-tram.xlsx": workbook(
            HEADER, ("st_enterprises", 2024, 0.05, "BC"), formats={"C2": "0%"}
        ),
        "tieu-de.xlsx": workbook(
            ("BÁO CÁO",), HEADER, ("st_enterprises", 2024, 1, "BC"), merge="A1:D1"
        ),
        "ten.xlsx": workbook(HEADER, ("Số tổ chức KH&CN công lập", 2024, 3, "BC")),
        "cu.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "tcvn3.csv": "chØ tiªu,n¨m,gi¸ trÞ,nguån\npublic_st_orgs,2024,3,B¸o c¸o\n".encode("cp1252"),
    }
    for name, raw in files.items():
        (tmp_path / name).write_bytes(raw)
    # LibreOffice opening a UTF-8 CSV as Western Europe and saving .xlsx: «BÃ¡o cÃ¡o».
    typed = tmp_path / "go-tay.csv"
    typed.write_text("indicator,year,value,source\nst_enterprises,2024,9,Báo cáo số 7\n", "utf-8")
    libreoffice([typed], "xlsx", tmp_path / "lo")
    # LibreOffice saving Vietnamese into a code page without it (Western Europe): «B?c K?n».
    # (Saving the «BÃ¡o» workbook so would give back the UTF-8 bytes: a file read right.)
    viet = tmp_path / "viet.xlsx"
    viet.write_bytes(
        workbook(("chỉ tiêu", "năm", "giá trị", "địa bàn"), ("public_st_orgs", 2024, 3, "Bắc Kạn"))
    )
    libreoffice([viet], "csv:Text - txt - csv (StarCalc):44,34,1", tmp_path / "lo1252")
    made = [tmp_path / n for n in files] + [
        tmp_path / "lo" / "go-tay.xlsx",
        tmp_path / "lo1252" / "viet.csv",
    ]
    before = files_bytes(data_dir)
    for path in made:
        done = kpis("import", str(path), "--data", str(data_dir))
        assert done.returncode == 1, (path.name, done.stdout, done.stderr)
        first = done.stdout.splitlines()[0]
        assert first.startswith(f"{path}:"), (path.name, first)
        assert done.stdout.splitlines()[-1] == "không thay đổi gì"
        assert "Traceback" not in done.stderr
        assert files_bytes(data_dir) == before, path.name
