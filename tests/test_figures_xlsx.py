"""Reading an uploaded .xlsx beyond its cell values: merged cells, formulas without a stored
result, the other sheets, a year Excel made a date, and workbooks that are not workbooks
(password-protected, a web page, cut short). Each is what the user sees: the message in both
languages, its place, and nothing saved."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from kpis import store
from kpis.catalogue import sibling_ids
from kpis.figures import empty_table
from kpis.plan import load_plan
from kpis.templates import template_xlsx
from tests.helpers import files_bytes, libreoffice

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
HEADER = ("chỉ tiêu", "địa bàn", "năm", "giá trị", "nguồn")
# A Python class name in a message («(BadZipFile)», «IndexError»): never for a civil servant.
CLASS_NAME = re.compile(r"\b[A-Z]\w*(Error|Exception|File)\b")


@pytest.fixture(scope="module")
def plan():
    return load_plan(REPO / "targets.yaml")[0]


def book(
    *rows,
    merges: tuple[str, ...] = (),
    formats: dict[str, str] | None = None,
    sheets: dict[str, list[tuple]] | None = None,
    hidden: tuple[str, ...] = (),
    title: str = "Số liệu",
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    for name, other_rows in (sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in other_rows:
            other.append(list(row))
        if name in hidden:
            other.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def problems_of(plan, raw: bytes, name: str = "so-lieu.xlsx"):
    _, problems = store.parse_upload(raw, name, plan)
    return problems


def shown(problems, lang: str = "vi") -> list[str]:
    return [p.format(lang) for p in problems]


def imported(plan, raw: bytes, data_dir: Path, name: str = "so-lieu.xlsx"):
    """The import as the page and the command line run it: the plan's problems, and whether
    the data folder is byte for byte as before."""
    before = files_bytes(data_dir)
    incoming, problems = store.parse_upload(raw, name, plan)
    import_plan, _ = store.open_store(data_dir).import_figures(
        plan, incoming, problems, "Lan", sibling_ids(REPO / "targets.yaml")
    )
    return import_plan, files_bytes(data_dir) == before


# ---------------------------------------------------------------------------- merged cells

MERGED_REGION = (
    HEADER,
    ("public_st_orgs", "Bắc Kạn", 2024, 4, "BC 12"),
    ("st_enterprises", None, 2024, 9, "BC 12"),
)


def test_a_region_merged_over_two_rows_is_an_error_and_nothing_is_saved(plan, data_dir):
    raw = book(*MERGED_REGION, merges=("B2:B3",))
    import_plan, untouched = imported(plan, raw, data_dir)
    errors = [p for p in import_plan.problems if p.is_error]
    assert shown(errors) == [
        "so-lieu.xlsx:2: region: ô B2:B3 là ô gộp (dòng 2–3): ghi đủ địa bàn trên từng dòng, "
        "không gộp ô"
    ]
    assert shown(errors, "en") == [
        "so-lieu.xlsx:2: region: cells B2:B3 are merged (rows 2–3): write the region on every "
        "row, do not merge cells"
    ]
    assert untouched


def test_a_merged_indicator_is_not_called_a_total_row_nor_a_merged_year_an_empty_year(plan):
    raw = book(
        HEADER,
        ("st_enterprises", "Bắc Kạn", 2023, 2, "BC"),
        ("collective_trademarks", "Bắc Kạn", None, 5, "BC"),
        ("public_st_orgs", "Bắc Kạn", 2023, 3, "BC"),
        (None, "Bắc Kạn", 2024, 4, "BC"),
        merges=("C2:C3", "A4:A5"),
    )
    assert shown(problems_of(plan, raw)) == [
        "so-lieu.xlsx:2: year: ô C2:C3 là ô gộp (dòng 2–3): ghi đủ năm trên từng dòng, không gộp ô",
        "so-lieu.xlsx:4: indicator: ô A4:A5 là ô gộp (dòng 4–5): ghi đủ mã chỉ tiêu trên từng "
        "dòng, không gộp ô",
    ]


def test_blank_cells_merged_below_the_table_say_nothing(plan):
    raw = book(("indicator", "year", "value"), ("public_st_orgs", 2024, 4), merges=("A6:C7",))
    assert problems_of(plan, raw) == []


def test_a_header_merged_down_over_a_second_header_line_says_the_header_is_one_line(plan):
    raw = book(
        ("Chỉ tiêu", None, "Năm", "Giá trị"),
        ("mã", "địa bàn", None, None),
        ("public_st_orgs", "Bắc Kạn", 2024, 3),
        merges=("C1:C2", "D1:D2"),
    )
    # (column B, data under a blank header, has its own warning from the header checks)
    problems = [p for p in problems_of(plan, raw) if p.message("vi").startswith("ô ")]
    assert [(p.line, p.column, p.is_error) for p in problems] == [
        (1, "year", True),
        (1, "value", True),
    ]
    assert problems[0].message("vi") == (
        "ô C1:C2 là ô gộp (dòng 1–2), kéo tiêu đề xuống dòng dưới: tiêu đề chỉ là dòng 1; bỏ "
        "gộp ô, ghi tên mỗi cột ở dòng 1 và xoá dòng tiêu đề phụ"
    )


def test_a_title_merged_above_the_header_keeps_its_one_message(plan):
    raw = book(
        ("BÁO CÁO SỐ LIỆU NĂM 2024",),
        ("(đơn vị: Sở KH&CN)",),
        ("indicator", "year", "value"),
        ("public_st_orgs", 2024, 3),
        merges=("A1:C2",),
    )
    assert shown(problems_of(plan, raw)) == [
        "so-lieu.xlsx:1: header: dòng tiêu đề (indicator, year, value…) nằm ở dòng 3, không phải dòng "
        "1: xoá các dòng 1-2 phía trên (tên bảng, ô gộp) để tiêu đề là dòng đầu tiên"
    ]


def test_merged_cells_saved_by_libreoffice_are_found_too(plan, tmp_path):
    typed = tmp_path / "gop-o.xlsx"
    typed.write_bytes(book(*MERGED_REGION, merges=("B2:B3",)))
    libreoffice([typed], "xlsx", tmp_path / "lo")
    raw = (tmp_path / "lo" / "gop-o.xlsx").read_bytes()
    assert b"mergeCell " in raw or b"mergeCell" in zipfile.ZipFile(io.BytesIO(raw)).read(
        "xl/worksheets/sheet1.xml"
    )
    errors = [p for p in problems_of(plan, raw, "gop-o.xlsx") if p.is_error]
    assert shown(errors) == [
        "gop-o.xlsx:2: region: ô B2:B3 là ô gộp (dòng 2–3): ghi đủ địa bàn trên từng dòng, "
        "không gộp ô"
    ]


def test_the_command_line_refuses_a_merged_region_and_writes_nothing(tmp_path, data_dir):
    upload = tmp_path / "gop-o.xlsx"
    upload.write_bytes(book(*MERGED_REGION, merges=("B2:B3",)))
    before = files_bytes(data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "kpis", "import", str(upload), "--data", str(data_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        f"{upload}:2: region: ô B2:B3 là ô gộp (dòng 2–3): ghi đủ địa bàn trên từng dòng, "
        "không gộp ô"
    )
    assert done.stdout.splitlines()[-1] == "không thay đổi gì"
    assert "Traceback" not in done.stderr
    assert files_bytes(data_dir) == before


# ------------------------------------------------------------------------------- formulas


def test_a_formula_without_a_stored_result_is_named_and_nothing_is_saved(plan, data_dir):
    raw = book(
        ("indicator", "year", "value", "source"),
        ("st_enterprises", 2024, 9, "BC"),
        ("public_st_orgs", 2024, "=3+4", "BC"),
    )
    import_plan, untouched = imported(plan, raw, data_dir)
    errors = [p for p in import_plan.problems if p.is_error]
    assert shown(errors) == [
        "so-lieu.xlsx:3: value: ô C3 là công thức chưa có kết quả đã lưu: mở tệp bằng Excel "
        "hoặc LibreOffice rồi lưu lại (để lưu kết quả), sau đó tải lên tệp mới"
    ]
    assert errors[0].message("en") == (
        "cell C3 is a formula without a stored result: open the file in Excel or LibreOffice "
        "and save it again (which stores the results), then upload it"
    )
    assert untouched


def test_formulas_with_stored_results_are_read_as_before(plan, tmp_path):
    # LibreOffice computes each formula and stores its result, as Excel does on saving.
    typed = tmp_path / "cong-thuc.xlsx"
    typed.write_bytes(
        book(("indicator", "year", "value", "source"), ("public_st_orgs", 2024, "=3+4", "BC"))
    )
    libreoffice([typed], "xlsx", tmp_path / "lo")
    table, problems = store.parse_upload(
        (tmp_path / "lo" / "cong-thuc.xlsx").read_bytes(), "cong-thuc.xlsx", plan
    )
    assert [p for p in problems if p.is_error] == []
    assert table["value"].tolist() == [7.0]


def test_thousands_of_formulas_without_results_are_counted_after_the_first_twenty(plan):
    rows = [("indicator", "year", "value")]
    rows += [("st_enterprises", year, f"={year}-2000") for year in range(2000, 2030)]
    problems = [p for p in problems_of(plan, book(*rows)) if p.is_error]
    assert len(problems) == 21
    assert problems[-1].format() == (
        "so-lieu.xlsx:22: value: và 10 ô công thức khác chưa có kết quả đã lưu, đến ô C31: mở "
        "tệp bằng Excel hoặc LibreOffice rồi lưu lại"
    )


# ------------------------------------------------------------------------------ the sheets


def test_a_note_typed_right_of_the_table_names_its_cell_and_what_to_do(plan, data_dir):
    raw = book(
        HEADER,
        ("st_enterprises", "Bắc Kạn", 2024, 7, "BC 7"),
        ("st_investment", "Bắc Kạn", 2024, 84100, "BC 45", None, "xem lại với phòng Kế hoạch"),
    )
    planned, unchanged = imported(plan, raw, data_dir)
    assert unchanged
    assert shown(planned.errors) == [
        "so-lieu.xlsx:3: row: ô G3 («xem lại với phòng Kế hoạch») nằm ngoài 5 cột của tiêu đề: "
        "xoá ô đó, hoặc ghi tên cột vào ô G1 (cột có tên lạ được bỏ qua, kèm cảnh báo)"
    ]
    [english] = [p.message("en") for p in planned.errors]
    assert english.startswith("cell G3 («xem lại với phòng Kế hoạch») is beyond the header's 5")


def test_figures_on_another_sheet_are_named_in_a_warning(plan):
    raw = book(
        ("indicator", "year", "value"),
        ("public_st_orgs", 2024, 4),
        title="2024",
        sheets={
            "2023": [("indicator", "year", "value"), ("public_st_orgs", 2023, 3)],
            "Danh mục": [("indicator", "year", "value"), ("st_enterprises", 2023, 1)],
            "Ghi chú": [("Số liệu do phòng Kế hoạch tổng hợp",)],
        },
        hidden=("Danh mục",),
    )
    problems = problems_of(plan, raw)
    assert shown(problems) == [
        "so-lieu.xlsx: cảnh báo: chỉ đọc trang tính đầu tiên «2024»; trang «2023» bị bỏ qua: "
        "nếu cần nhập cả số liệu ở đó, chép vào trang đầu tiên hoặc tải lên thành tệp riêng"
    ]
    assert problems[0].message("en") == (
        "only the first sheet «2024» is read; the sheet «2023» is ignored: to import its "
        "figures too, copy them into the first sheet or upload it as a file of its own"
    )


def test_a_hidden_first_sheet_is_still_the_one_read_with_a_warning(plan):
    workbook = Workbook()
    workbook.active.title = "Cũ"
    workbook.active.append(["indicator", "year", "value"])
    workbook.active.append(["public_st_orgs", 2024, 4])
    workbook.active.sheet_state = "hidden"
    workbook.create_sheet("Mới").append(["Xem trang ẩn"])
    workbook.active = 1
    out = io.BytesIO()
    workbook.save(out)
    table, problems = store.parse_upload(out.getvalue(), "so-lieu.xlsx", plan)
    assert table["value"].tolist() == [4.0]
    assert shown(problems) == [
        "so-lieu.xlsx: cảnh báo: trang tính đầu tiên «Cũ» đang bị ẩn nhưng vẫn là trang được "
        "đọc: kiểm tra đó đúng là trang số liệu (chuột phải vào tên trang › Bỏ ẩn)"
    ]


def test_a_guide_first_and_the_figures_second_says_to_move_the_sheet(plan, data_dir):
    raw = book(
        ("Hướng dẫn: điền giá trị vào trang «Số liệu»",),
        title="Hướng dẫn",
        sheets={"Số liệu": [("indicator", "year", "value"), ("public_st_orgs", 2024, 4)]},
    )
    import_plan, untouched = imported(plan, raw, data_dir)
    first = [p for p in import_plan.problems if p.is_error][0]
    assert first.format() == (
        "so-lieu.xlsx:1: file: trang tính đầu tiên «Hướng dẫn» không có bảng số liệu (các cột "
        "indicator, year, value), trang «Số liệu» thì có: chỉ trang tính đầu tiên được đọc, hãy "
        "kéo trang số liệu lên đầu (kéo tên trang sang trái cùng) hoặc lưu trang đó thành một "
        "tệp riêng rồi tải lên"
    )
    assert "drag that sheet's tab to the far left" in first.message("en")
    assert untouched


def test_the_templates_guide_sheet_gives_no_warning(plan):
    raw = template_xlsx(plan, empty_table(), 2024)
    assert [p for p in problems_of(plan, raw, "mau.xlsx") if "trang" in p.message("vi")] == []


# ------------------------------------------------------------------------ years as dates


def test_a_year_typed_into_a_date_column_says_which_year_was_meant(plan, data_dir):
    raw = book(
        ("indicator", "year", "value"),
        ("public_st_orgs", 2024, 4),
        ("st_enterprises", dt.datetime(2024, 1, 1), 9),
        formats={"B2": "dd/mm/yyyy", "B3": "yyyy"},
    )
    import_plan, untouched = imported(plan, raw, data_dir)
    errors = [p for p in import_plan.problems if p.is_error]
    assert shown(errors) == [
        "so-lieu.xlsx:2: year: năm «16/07/1905» là ngày tháng: Excel đã tự đổi số 2024 vừa gõ "
        "thành ngày. Định dạng cột năm là Number (hoặc Text) rồi gõ lại năm 2024",
        "so-lieu.xlsx:3: year: năm «01/01/2024» là ngày tháng (ô định dạng ngày có thể chỉ hiện "
        "năm 2024): định dạng cột năm là Number (hoặc Text) rồi gõ năm, ví dụ 2024",
    ]
    assert errors[0].message("en") == (
        "year «1905-07-16» is a date: Excel turned the number 2024 typed into a date. Format "
        "the year column as Number (or Text) and type the year 2024 again"
    )
    assert untouched


# --------------------------------------------------------- files that are not workbooks


def test_a_password_protected_workbook_says_to_remove_the_password(plan, data_dir):
    # Made by msoffcrypto-tool (Excel's agile encryption) from an openpyxl workbook.
    raw = (HERE / "files" / "co-mat-khau.xlsx").read_bytes()
    import_plan, untouched = imported(plan, raw, data_dir, "co-mat-khau.xlsx")
    assert shown(import_plan.problems) == [
        "co-mat-khau.xlsx:1: file: tệp có mật khẩu, không đọc được: mở tệp bằng Excel, gỡ mật khẩu (Tệp "
        "› Thông tin › Bảo vệ sổ làm việc › Mã hoá bằng mật khẩu, xoá mật khẩu) rồi lưu lại và "
        "tải lên tệp mới"
    ]
    assert "password-protected" in import_plan.problems[0].message("en")
    assert untouched


def test_a_web_page_named_xlsx_says_it_is_one(plan):
    raw = (
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8">'
        "</head><body><table><tr><td>chỉ tiêu</td><td>năm</td><td>giá trị</td></tr></table>"
        "</body></html>"
    ).encode()
    assert shown(problems_of(plan, raw)) == [
        "so-lieu.xlsx:1: file: tệp này là trang web (HTML) chứ không phải Excel: mở bằng Excel rồi chọn "
        "Lưu thành › «Excel Workbook (.xlsx)» và tải lên tệp mới"
    ]


def _without_sheet(raw: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
    return out.getvalue()


@pytest.mark.parametrize(
    "damage, says_vi, says_en",
    [
        (lambda raw: raw[: len(raw) // 2], "tải về hoặc chép lại tệp gốc", "download or copy"),
        (_without_sheet, "không đọc hết được trang tính đầu tiên", "cannot be read to the end"),
    ],
)
def test_a_damaged_workbook_is_described_in_plain_words(plan, damage, says_vi, says_en):
    raw = damage(book(("indicator", "year", "value"), ("public_st_orgs", 2024, 4)))
    (problem,) = problems_of(plan, raw)
    assert says_vi in problem.message("vi") and says_en in problem.message("en")
    for lang in ("vi", "en"):
        assert CLASS_NAME.search(problem.message(lang)) is None, problem.message(lang)


def test_the_encrypted_fixture_is_what_it_claims():
    # An OLE compound file holding an EncryptedPackage stream, as Excel writes one.
    raw = (HERE / "files" / "co-mat-khau.xlsx").read_bytes()
    assert raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert "EncryptedPackage".encode("utf-16-le") in raw
    assert "EncryptionInfo".encode("utf-16-le") in raw
