"""Columns the reader does not take and rows that disagree with their neighbours: a region
column under a header it does not know, an empty region under another region's rows, an id in
capitals, a name column out of step with the ids. Real files (openpyxl, CSV as Excel and
LibreOffice write them); what the user sees is asserted: the message, the line, and that
nothing is saved until a warning is accepted, and never when there is an error.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from kpis import store
from kpis.catalogue import sibling_ids
from kpis.plan import load_plan
from tests.helpers import files_bytes

REPO = Path(__file__).resolve().parents[1]
TN = REPO / "plans" / "thai-nguyen-57-2025.yaml"


@pytest.fixture(scope="module")
def bac_kan():
    return load_plan(REPO / "targets.yaml")[0]


@pytest.fixture(scope="module")
def thai_nguyen():
    return load_plan(TN)[0]


@pytest.fixture
def tn_data(tmp_path) -> Path:
    """The shipped Thái Nguyên figures (st_enterprises_built 2024 is 10 there)."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(REPO / "data" / "thai-nguyen.csv", folder / "thai-nguyen.csv")
    return folder


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8-sig")  # as Excel saves "CSV UTF-8"


def problems_of(plan, raw: bytes, name: str):
    return store.parse_upload(raw, name, plan)[1]


def formatted(plan, raw: bytes, name: str, lang: str = "vi") -> list[str]:
    return [p.format(lang) for p in problems_of(plan, raw, name)]


def import_into(data: Path, plan, raw: bytes, name: str, accept: bool):
    table, problems = store.parse_upload(raw, name, plan)
    return store.import_figures(
        data, plan, table, problems, "an", sibling_ids(TN), accept_warnings=accept
    )


# ------------------------------------------------ 1. the region column under another header

REGION_ROWS = (
    ("st_enterprises_built", "Bắc Kạn", 2024, 7, "BC 15/BC-SKHCN"),
    ("provincial_science_tasks", "Bắc Kạn", 2024, 4, "BC 15/BC-SKHCN"),
)


@pytest.mark.parametrize(
    "header",
    ["Địa bàn (tỉnh)", "Tỉnh/thành phố", "Tỉnh/TP", "Huyện", "Đơn vị hành chính", "đơn vị"],
)
def test_a_region_column_under_an_unknown_header_is_an_error_saying_where_rows_would_go(
    thai_nguyen, header
):
    raw = workbook(("chỉ tiêu", header, "năm", "giá trị", "nguồn"), *REGION_ROWS)
    assert formatted(thai_nguyen, raw, "so-lieu.xlsx") == [
        f"so-lieu.xlsx:1: {header}: cột «{header}» có vẻ là cột địa bàn nhưng tên cột không "
        "được nhận ra: đổi tên thành «địa bàn» (hoặc region); nếu không, mọi dòng sẽ được "
        "ghi cho «Thái Nguyên»"
    ]
    assert formatted(thai_nguyen, raw, "so-lieu.xlsx", "en") == [
        f"so-lieu.xlsx:1: {header}: column «{header}» looks like the region column but its "
        "header is not recognised: rename it «địa bàn» (or region); otherwise every row will "
        "be filed under «Thái Nguyên»"
    ]


def test_a_blank_header_over_region_names_is_an_error_naming_the_column(thai_nguyen):
    raw = workbook(("chỉ tiêu", None, "năm", "giá trị", "nguồn"), *REGION_ROWS)
    assert formatted(thai_nguyen, raw, "so-lieu.xlsx") == [
        "so-lieu.xlsx:1: cột thứ 2 (B) có vẻ là cột địa bàn nhưng không có tên cột: đặt tên "
        "cột là «địa bàn» (hoặc region); nếu không, mọi dòng sẽ được ghi cho «Thái Nguyên»"
    ]


def test_a_region_column_under_an_unknown_header_saves_nothing_even_accepted(thai_nguyen, tn_data):
    before = files_bytes(tn_data)
    raw = workbook(("chỉ tiêu", "Địa bàn (tỉnh)", "năm", "giá trị", "nguồn"), *REGION_ROWS)
    planned, written = import_into(tn_data, thai_nguyen, raw, "so-lieu.xlsx", accept=True)
    assert written is None and len(planned.errors) == 1
    assert files_bytes(tn_data) == before


def test_the_plans_own_region_or_other_text_in_an_unknown_column_stays_a_warning(thai_nguyen):
    # Dropping a column of the plan's own region files every row where it said; a column of
    # something else (a unit, a code) is not the region column.
    raw = workbook(
        ("chỉ tiêu", "khu vực", "đơn vị", "năm", "giá trị", "nguồn"),
        ("st_enterprises_built", "Thái Nguyên", "doanh nghiệp", 2024, 7, "BC"),
    )
    assert formatted(thai_nguyen, raw, "so-lieu.xlsx") == [
        "so-lieu.xlsx:1: khu vực: cảnh báo: cột «khu vực» không dùng đến và bị bỏ qua"
    ]  # («đơn vị» is the template's unit: never warned about on import)


def test_districts_under_an_unknown_header_are_a_region_column_without_regions(bac_kan):
    # The Bắc Kạn plan declares no `regions`: the cells name administrative units.
    raw = csv(
        "indicator,Khu vực,year,value,source\n"
        "public_st_orgs,Huyện Ba Bể,2024,1,BC 12\n"
        "public_st_orgs,Huyện Chợ Đồn,2024,2,BC 12\n"
    )
    (problem,) = problems_of(bac_kan, raw, "huyen.csv")
    assert problem.is_error and problem.line == 1
    # Renaming it «địa bàn» is not the only way out: a column of reporting offices goes.
    assert problem.format() == (
        "huyen.csv:1: Khu vực: cột «Khu vực» ghi tên huyện, xã (như «Huyện Ba Bể»): nếu đó là "
        "đơn vị báo cáo, xoá cột này (muốn giữ thì chép sang cột «ghi chú»), mọi dòng sẽ được "
        "ghi cho «Bắc Kạn»; nếu mỗi dòng là số liệu riêng của huyện, xã đó, đổi tên cột thành "
        "«địa bàn»"
    )


def test_a_column_of_reporting_districts_says_to_delete_it_or_name_it_region(thai_nguyen):
    raw = workbook(
        ("chỉ tiêu", "năm", "giá trị", "Đơn vị báo cáo"),
        ("st_enterprises_built", 2024, 7, "Huyện Đại Từ"),
        ("provincial_science_tasks", 2024, 4, "Thị xã Phổ Yên"),
    )
    (problem,) = problems_of(thai_nguyen, raw, "so-lieu.xlsx")
    assert problem.is_error  # still stops the rows from landing on «Thái Nguyên» unasked
    assert problem.message("en") == (
        "column «Đơn vị báo cáo» names districts or communes (such as «Huyện Đại Từ»): if it "
        "says who reported, delete the column (to keep it, copy it into the note column, «ghi "
        "chú») and every row will be filed under «Thái Nguyên»; if each row is that district's "
        "own figure, rename the column «địa bàn» (region) (they must be among the plan's "
        "regions)"
    )
    # Districts beside a region the plan knows: the column is the region column, as before.
    raw = workbook(
        ("chỉ tiêu", "năm", "giá trị", "Đơn vị"),
        ("st_enterprises_built", 2024, 7, "Huyện Đại Từ"),
        ("provincial_science_tasks", 2024, 4, "Bắc Kạn"),
    )
    (problem,) = problems_of(thai_nguyen, raw, "so-lieu.xlsx")
    assert "đổi tên thành «địa bàn» (hoặc region)" in problem.message("vi")


def test_a_column_of_the_provinces_own_that_mentions_a_province_stays_a_warning(thai_nguyen):
    raw = workbook(
        ("chỉ tiêu", "năm", "giá trị", "Nguồn (Sở KH&CN tỉnh)"),
        ("st_enterprises_built", 2024, 7, "BC 15/BC-SKHCN"),
    )
    assert formatted(thai_nguyen, raw, "so-lieu.xlsx") == [
        "so-lieu.xlsx:1: Nguồn (Sở KH&CN tỉnh): cảnh báo: cột «Nguồn (Sở KH&CN tỉnh)» không "
        "dùng đến và bị bỏ qua"
    ]


def test_a_near_miss_region_header_over_figures_is_an_error_in_the_same_words(thai_nguyen):
    raw = csv("chỉ tiêu,Dia ban,năm,giá trị\nst_enterprises_built,Bắc Kạn,2024,7\n")
    (problem,) = problems_of(thai_nguyen, raw, "so-lieu.csv")
    assert problem.is_error
    assert problem.format() == (
        "so-lieu.csv:1: Dia ban: cột «Dia ban» không phải tên cột được chấp nhận: đổi tên "
        "thành «region» hoặc «địa bàn»"
    )


def test_a_region_column_beside_a_recognised_one_is_only_unused(thai_nguyen):
    raw = workbook(
        ("chỉ tiêu", "địa bàn", "Tỉnh/thành phố", "năm", "giá trị", "nguồn"),
        ("st_enterprises_built", "Bắc Kạn", "Bắc Kạn", 2024, 7, "BC"),
    )
    assert formatted(thai_nguyen, raw, "so-lieu.xlsx") == [
        "so-lieu.xlsx:1: Tỉnh/thành phố: cảnh báo: cột «Tỉnh/thành phố» không dùng đến và bị bỏ qua"
    ]


def test_a_blank_header_over_data_is_a_warning_naming_its_position(bac_kan, tmp_path, data_dir):
    raw = csv("indicator,year,value,,source\npublic_st_orgs,2024,4,xem phụ lục,BC 12\n")
    assert formatted(bac_kan, raw, "so-lieu.csv") == [
        "so-lieu.csv:1: cảnh báo: cột thứ 4 (D) không có tên cột nhưng có số liệu: cột này bị "
        "bỏ qua; nếu cần, đặt tên cột (xem các tên được chấp nhận)"
    ]
    assert formatted(bac_kan, raw, "so-lieu.csv", "en") == [
        "so-lieu.csv:1: warning: column 4 (D) has no header but holds data: it is ignored; if "
        "it is needed, give it a header (see the accepted names)"
    ]
    before = files_bytes(data_dir)
    table, problems = store.parse_upload(raw, "so-lieu.csv", bac_kan)
    _, written = store.import_figures(data_dir, bac_kan, table, problems, "an")
    assert written is None and files_bytes(data_dir) == before


def test_trailing_separators_over_empty_cells_say_nothing(bac_kan):
    raw = csv("indicator,year,value,source,,\npublic_st_orgs,2024,4,BC 12,,\n")
    assert formatted(bac_kan, raw, "so-lieu.csv") == []


# ----------------------------------------- 2. an empty region under another region's rows


def test_an_empty_region_after_another_regions_rows_is_warned_and_saved_only_accepted(
    thai_nguyen, tn_data
):
    # LibreOffice's CSV of a sheet whose «Bắc Kạn» was merged over two rows.
    raw = (
        '"chỉ tiêu","địa bàn","năm","giá trị","nguồn"\n'
        '"st_enterprises_built","Bắc Kạn",2024,7,"BC 15/BC-SKHCN"\n'
        '"provincial_science_tasks",,2024,4,"BC 15/BC-SKHCN"\n'
    ).encode()
    assert formatted(thai_nguyen, raw, "gop-o.csv") == [
        "gop-o.csv:3: region: cảnh báo: dòng 3 để trống địa bàn, ngay sau các dòng của «Bắc "
        "Kạn»: số liệu sẽ được ghi cho «Thái Nguyên» (địa bàn của kế hoạch); nếu đây là ô "
        "gộp, ghi đủ địa bàn"
    ]
    assert formatted(thai_nguyen, raw, "gop-o.csv", "en") == [
        "gop-o.csv:3: region: warning: line 3 leaves the region empty, right after rows of «Bắc "
        "Kạn»: its figure will be filed under «Thái Nguyên» (the plan's region); if this is a "
        "merged cell, write the region on every row"
    ]
    before = files_bytes(tn_data)
    planned, written = import_into(tn_data, thai_nguyen, raw, "gop-o.csv", accept=False)
    assert written is None and len(planned.warnings) == 1
    assert files_bytes(tn_data) == before
    _, written = import_into(tn_data, thai_nguyen, raw, "gop-o.csv", accept=True)
    assert written is not None and files_bytes(tn_data) != before


@pytest.mark.parametrize(
    "rows",
    [
        # every region left empty: the documented "empty = the plan's region"
        "st_enterprises_built,,2024,7,BC\nprovincial_science_tasks,,2024,4,BC\n",
        # empty after the plan's own region
        "st_enterprises_built,Thái Nguyên,2024,7,BC\nprovincial_science_tasks,,2024,4,BC\n",
        # Excel's sort puts empty cells last: the plan's row under Bắc Kạn's, same figure key
        "st_enterprises_built,Bắc Kạn,2024,7,BC\nst_enterprises_built,,2024,8,BC\n",
    ],
)
def test_an_empty_region_that_is_the_plans_says_nothing(thai_nguyen, rows):
    raw = csv("chỉ tiêu,địa bàn,năm,giá trị,nguồn\n" + rows)
    assert formatted(thai_nguyen, raw, "so-lieu.csv") == []


def test_a_merged_region_over_several_rows_names_the_first_and_counts_none_lost(thai_nguyen):
    rows = "".join(f"provincial_science_tasks,,{year},4,BC\n" for year in range(2022, 2025))
    raw = csv("chỉ tiêu,địa bàn,năm,giá trị,nguồn\nst_enterprises_built,Bắc Kạn,2024,7,BC\n" + rows)
    warned = [p for p in problems_of(thai_nguyen, raw, "so-lieu.csv") if p.column == "region"]
    assert [p.line for p in warned] == [3, 4, 5]


# ---------------------------------------------------------- 3. an id typed in capitals


@pytest.mark.parametrize(
    "typed, vi, en",
    [
        (
            "PUBLIC_ST_ORGS",
            "có phải: public_st_orgs? (mã chỉ tiêu viết thường)",
            "did you mean: public_st_orgs? (indicator ids are written in lower case)",
        ),
        (
            "St_Enterprises",
            "có phải: st_enterprises? (mã chỉ tiêu viết thường)",
            "did you mean: st_enterprises? (indicator ids are written in lower case)",
        ),
        ("PUBLIC_ST_ORG", "có phải: public_st_orgs?", "did you mean: public_st_orgs?"),
    ],
)
def test_an_id_in_capitals_is_still_an_error_but_gets_its_suggestion(bac_kan, typed, vi, en):
    raw = workbook(("chỉ tiêu", "địa bàn", "năm", "giá trị"), (typed, "Bắc Kạn", 2024, 4))
    (problem,) = problems_of(bac_kan, raw, "ma-chu-hoa.xlsx")
    assert problem.is_error and (problem.line, problem.column) == (2, "indicator")
    assert problem.message("vi") == f"mã chỉ tiêu «{typed}» không có trong kế hoạch; {vi}"
    assert problem.message("en") == f"unknown indicator «{typed}»; {en}"


# ------------------------------------------------ 4. a name column out of step with the ids


def test_a_name_that_is_another_indicators_is_warned_and_saved_only_accepted(bac_kan, data_dir):
    raw = workbook(
        ("chỉ tiêu", "tên chỉ tiêu", "năm", "giá trị", "nguồn"),
        ("public_st_orgs", "Số tổ chức KH&CN công lập", 2024, 4, "BC 12"),
        ("public_st_orgs", "  sản phẩm được đăng ký  NHÃN HIỆU tập thể", 2023, 6, "BC 12"),
        ("collective_trademarks", "Số tổ chức KH&CN công lập", 2024, 4, "BC 12"),
        ("collective_trademarks", "tên do tỉnh tự đặt", 2023, 5, "BC 12"),
    )
    assert formatted(bac_kan, raw, "ten-lech.xlsx") == [
        "ten-lech.xlsx:3: name: cảnh báo: dòng 3: mã «public_st_orgs» nhưng tên là của chỉ "
        "tiêu «collective_trademarks»: kiểm tra lại có bị lệch dòng khi sắp xếp không",
        "ten-lech.xlsx:4: name: cảnh báo: dòng 4: mã «collective_trademarks» nhưng tên là của "
        "chỉ tiêu «public_st_orgs»: kiểm tra lại có bị lệch dòng khi sắp xếp không",
    ]
    assert formatted(bac_kan, raw, "ten-lech.xlsx", "en")[0] == (
        "ten-lech.xlsx:3: name: warning: line 3: the id is «public_st_orgs» but the name is "
        "indicator «collective_trademarks»'s: check that the rows did not get out of step in a "
        "sort"
    )
    before = files_bytes(data_dir)
    table, problems = store.parse_upload(raw, "ten-lech.xlsx", bac_kan)
    _, written = store.import_figures(data_dir, bac_kan, table, problems, "an")
    assert written is None and files_bytes(data_dir) == before


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_export_read_back_says_nothing_about_its_names(bac_kan, lang):
    from kpis.figures import read_figures
    from kpis.templates import export_xlsx

    raw = export_xlsx(bac_kan, read_figures(REPO / "data", bac_kan).table, lang)
    assert [p.format() for p in problems_of(bac_kan, raw, "xuat.xlsx") if p.column == "name"] == []


# ------------------------------------------------------------------- as a real process


def test_the_command_line_refuses_the_unnamed_region_column_and_holds_the_merged_cell(tmp_path):
    import os
    import subprocess
    import sys

    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(REPO / "data" / "thai-nguyen.csv", data / "thai-nguyen.csv")
    unnamed = tmp_path / "dia-ban-tinh.xlsx"
    unnamed.write_bytes(
        workbook(("chỉ tiêu", "Địa bàn (tỉnh)", "năm", "giá trị", "nguồn"), *REGION_ROWS)
    )
    merged = tmp_path / "gop-o.csv"
    merged.write_bytes(
        csv(
            "chỉ tiêu,địa bàn,năm,giá trị,nguồn\n"
            "st_enterprises_built,Bắc Kạn,2024,7,BC 15\n"
            "provincial_science_tasks,,2024,4,BC 15\n"
        )
    )

    def kpis(path: Path, *more: str):
        return subprocess.run(
            [sys.executable, "-m", "kpis", "import", str(path), "--data", str(data)]
            + ["--targets", str(TN), "--user", "an", *more],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )

    before = files_bytes(data)
    refused = kpis(unnamed, "--accept-warnings")
    assert refused.returncode == 1, refused.stdout
    assert refused.stdout.splitlines()[0] == (
        f"{unnamed}:1: Địa bàn (tỉnh): cột «Địa bàn (tỉnh)» có vẻ là cột địa bàn nhưng tên cột "
        "không được nhận ra: đổi tên thành «địa bàn» (hoặc region); nếu không, mọi dòng sẽ "
        "được ghi cho «Thái Nguyên»"
    )
    assert refused.stdout.splitlines()[-1] == "không thay đổi gì"
    warned = kpis(merged)
    assert warned.returncode == 1, warned.stdout
    assert warned.stdout.splitlines()[0].startswith(
        f"{merged}:3: region: cảnh báo: dòng 3 để trống địa bàn, ngay sau các dòng của «Bắc Kạn»"
    )
    assert files_bytes(data) == before
    assert kpis(merged, "--accept-warnings").returncode == 0
