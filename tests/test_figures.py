"""The figures reader on real files: encodings, separators, decimal commas, .xlsx, every error."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from kpis.errors import InputNotFound
from kpis.figures import parse_figures_bytes, read_figures
from kpis.i18n import number_words
from tests.helpers import make_plan

PLAN = make_plan(
    {"id": "orgs", "integer": True},
    {"id": "share", "unit": "%"},
    {"id": "lab", "kind": "milestone"},
    {"id": "spend"},
    {"id": "budget"},
    {"id": "ratio", "formula": "spend / budget"},
)


def read_one(tmp_path, content: bytes | str, name: str = "2020.csv", encoding: str = "utf-8"):
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    raw = content.encode(encoding) if isinstance(content, str) else content
    (folder / name).write_bytes(raw)
    return read_figures(folder, PLAN)


def errors(figures) -> list[str]:
    return [p.format("en") for p in figures.errors]


GOOD = "indicator,region,year,value,source\norgs,Bắc Kạn,2020,3,BC 12/2020\nshare,,2020,1.5,\n"
# Excel's "CSV" on Vietnamese Windows spells tones as combining marks (ă + U+0301, a + U+0323)
BAC_KAN_1258 = "B\u0103\u0301c Ka\u0323n"


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("cp1258", b""),
        ("utf-16", b""),
    ],
)
def test_encodings_read_the_same_vietnamese_text(tmp_path, encoding, bom):
    text = GOOD.replace("Bắc Kạn", BAC_KAN_1258) if encoding == "cp1258" else GOOD
    figures = read_one(tmp_path, bom + text.encode(encoding))
    assert errors(figures) == []
    assert list(figures.table["region"]) == ["Bắc Kạn", "Bắc Kạn"]
    assert figures.table["source"].iloc[0] == "BC 12/2020"


def test_windows_1258_combining_tones_are_nfc_normalised(tmp_path):
    raw = f"indicator,region,year,value\norgs,{BAC_KAN_1258},2020,3\n".encode("cp1258")
    figures = read_one(tmp_path, raw)
    region = figures.table["region"].iloc[0]
    assert region == unicodedata.normalize("NFC", "Bắc Kạn")
    assert unicodedata.is_normalized("NFC", region)


@pytest.mark.parametrize("sep, decimal", [(",", "1.5"), (";", "1,5"), ("\t", "1,5")])
def test_separators_are_detected_from_the_header(tmp_path, sep, decimal):
    text = f"indicator{sep}year{sep}value\norgs{sep}2020{sep}3\nshare{sep}2020{sep}{decimal}\n"
    figures = read_one(tmp_path, text)
    assert errors(figures) == []
    assert list(figures.table["value"]) == [3.0, 1.5]


def test_decimal_comma_quoted_in_a_comma_file(tmp_path):
    figures = read_one(tmp_path, 'indicator,year,value\nshare,2020,"1,75"\n')
    assert list(figures.table["value"]) == [1.75]


def test_vietnamese_header_aliases_case_and_spaces(tmp_path):
    text = (
        "\ufeff Chỉ tiêu ;NĂM; Giá trị ;Địa bàn;Nguồn;Ghi chú;Tên chỉ tiêu\n"
        "orgs;2020;3;;BC;ghi;Tổ chức\n"
    )
    figures = read_one(tmp_path, text)
    assert errors(figures) == [] and figures.warnings == []
    row = figures.table.iloc[0]
    assert (row["indicator"], row["year"], row["value"], row["note"]) == ("orgs", 2020, 3, "ghi")


def test_empty_value_is_skipped_unchecked(tmp_path):
    figures = read_one(tmp_path, "indicator,year,value\nnot_an_id,abc,\norgs,2020,3\n")
    assert errors(figures) == []
    assert len(figures.table) == 1


def test_plan_region_written_out_is_the_same_region(tmp_path):
    text = "indicator,year,value,region\norgs,2020,3,Bắc Kạn\norgs,2020,4,\n"
    assert any("already given at" in e for e in errors(read_one(tmp_path, text)))


def test_xlsx_is_read_from_its_first_sheet(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Chỉ tiêu", "Năm", "Giá trị", "Nguồn"])
    sheet.append(["orgs", 2020, 3, "BC"])
    sheet.append(["share", 2020, 1.25, None])
    sheet.append(["orgs", 2021, "3.187", None])
    path = tmp_path / "upload.xlsx"
    workbook.save(path)
    figures = read_figures(path, PLAN)
    assert list(figures.table["value"]) == [3.0, 1.25]
    assert errors(figures) == [f"{path}:4: value: 3.187 is not a whole number: write 3187"]


ERROR_CASES = [
    (
        "missing required column",
        "indicator,year\norgs,2020\n",
        "2020.csv:1: value: missing required column «value»",
    ),
    (
        "unknown id names the closest",
        "indicator,year,value\norgz,2020,3\n",
        "2020.csv:2: indicator: unknown indicator «orgz»; did you mean: orgs",
    ),
    ("year not whole", "indicator,year,value\norgs,2020.5,3\n", "2020.csv:2: year: year «2020.5»"),
    ("year out of range", "indicator,year,value\norgs,1890,3\n", "2020.csv:2: year: year «1890»"),
    (
        "not a number",
        "indicator,year,value\norgs,2020,ba\n",
        "2020.csv:2: value: «ba» is not a number",
    ),
    (
        "not finite",
        "indicator,year,value\nshare,2020,inf\n",
        "2020.csv:2: value: «inf» is not a finite number",
    ),
    (
        "negative",
        "indicator,year,value\norgs,2020,-3\n",
        "2020.csv:2: value: the value -3 is negative",
    ),
    (
        "percent above 100",
        "indicator,year,value\nshare,2020,120\n",
        "2020.csv:2: value: 120% is above 100%",
    ),
    (
        "milestone not 0/1",
        "indicator,year,value\nlab,2020,2\n",
        "2020.csv:2: value: «2» is not valid for a milestone",
    ),
    (
        "integer with a thousands dot",
        "indicator,year,value\norgs,2020,3.187\n",
        "2020.csv:2: value: 3.187 is not a whole number: write 3187",
    ),
    (
        "integer with a whole thousands separator",
        'indicator,year,value\norgs,2020,"12,000"\n',
        "2020.csv:2: value: 12,000: no thousands separator: write 12000 (or 12 if you meant "
        "twelve)",
    ),
    (
        "both separators",
        'indicator,year,value\nspend,2020,"1.234,5"\n',
        "2020.csv:2: value: «1.234,5» has both «.» and «,»",
    ),
    (
        "derived figure names its inputs",
        "indicator,year,value\nratio,2020,3\n",
        "2020.csv:2: indicator: «ratio» is derived by a formula and takes no figures: give its "
        "inputs instead (spend, budget)",
    ),
    (
        "duplicate in one file",
        "indicator,year,value\norgs,2020,3\norgs,2020,4\n",
        "2020.csv:3: indicator: «orgs» 2020 (Bắc Kạn) is already given at",
    ),
    (
        "too many cells",
        "indicator,year,value,source\norgs,2020,3,BC 1, 2020\nshare,2020,1,x\n",
        "2020.csv:2: row: the row has 5 cells, more than the header's 4",
    ),
    (
        "header not on line 1",
        "Báo cáo năm 2020\nindicator,year,value\norgs,2020,3\n",
        "2020.csv:1: header: the header (indicator, year, value…) is on line 2, not line 1: delete "
        "line 1 above it",
    ),
    (
        "required column twice",
        "indicator,year,value,giá trị\norgs,2020,3,4\n",
        "2020.csv:1: value: column «value» is given twice",
    ),
    (
        "dash for not reported",
        "indicator,year,value\norgs,2020,-\n",
        "2020.csv:2: value: «-» is not a number: leave the cell empty if not reported",
    ),
    ("x for not reported", "indicator,year,value\norgs,2020,x\n", "leave the cell empty"),
    ("n/a for not reported", "indicator,year,value\norgs,2020,n/a\n", "leave the cell empty"),
    ("empty file", "", "2020.csv:1: file: the file is empty"),
]


@pytest.mark.parametrize("case, text, expected", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_each_error_names_file_line_and_column(tmp_path, case, text, expected):
    found = errors(read_one(tmp_path, text))
    assert any(expected in e for e in found), found


def test_a_fraction_after_a_lone_0_gets_no_thousands_hint(tmp_path):
    # «0.668» on an integer indicator was told «write 0668»: 0 then three digits is no
    # thousands separator (CONTRACT.md §2), only a number that is not whole
    found = errors(read_one(tmp_path, "indicator,year,value\norgs,2020,0.668\n"))
    assert [e.split("/")[-1] for e in found] == ["2020.csv:2: value: 0.668 is not a whole number"]


@pytest.mark.parametrize("blank", [1, 2, 3])
@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_blank_lines_above_the_header_name_the_headers_line(tmp_path, blank, end):
    # Two or more said the file could not be read, with advice on its encoding.
    text = end * blank + f"indicator,year,value{end}orgs,2020,3{end}"
    found = errors(read_one(tmp_path, text))
    assert [e.replace(f"{tmp_path / 'data'}/", "") for e in found] == [
        f"2020.csv:1: header: the header (indicator, year, value…) is on line {blank + 1}, not "
        f"line 1: delete {'line 1' if blank == 1 else f'lines 1-{blank}'} above it (a title, "
        "merged cells) so that the header is the first line"
    ]


def test_all_errors_are_reported_at_once_and_valid_rows_kept(tmp_path):
    text = "indicator,year,value\norgs,2020,3\norgz,2020,3\norgs,1800,3\nshare,2020,x\nlab,2020,1\n"
    figures = read_one(tmp_path, text)
    assert [int(e.split(":")[1]) for e in errors(figures)] == [3, 4, 5]
    assert list(figures.table["indicator"]) == ["orgs", "lab"]


def test_duplicates_across_files_name_both_places(tmp_path):
    read_one(tmp_path, "indicator,year,value\norgs,2020,3\n", name="a.csv")
    figures = read_one(tmp_path, "indicator,year,value\nshare,2020,1\norgs,2020,4\n", name="b.csv")
    [problem] = errors(figures)
    assert problem.startswith(str(tmp_path / "data" / "b.csv") + ":3: indicator:")
    assert f"{tmp_path / 'data' / 'a.csv'}:2" in problem


def test_a_column_one_file_lacks_is_empty_text_in_its_rows(tmp_path):
    # a.csv has no source and no region; b.csv has both: one table, each row as its file says
    read_one(tmp_path, "indicator,year,value\norgs,2020,3\nshare,2020,1.5\n", name="a.csv")
    figures = read_one(
        tmp_path, "indicator,region,year,value,source\norgs,Bắc Kạn,2021,4,BC 12\n", name="b.csv"
    )
    assert errors(figures) == []
    table = figures.table
    assert table["source"].tolist() == ["", "", "BC 12"]
    assert table["region"].tolist() == ["Bắc Kạn"] * 3  # empty: the plan's region
    assert str(table["source"].dtype) == "str"


def test_header_only_is_a_warning_and_unknown_columns_warn(tmp_path):
    figures = read_one(tmp_path, "indicator,year,value,remarks\n")
    assert errors(figures) == []
    messages = [w.format("en") for w in figures.warnings]
    assert any("only a header" in m for m in messages)
    assert any("column «remarks» is not used" in m for m in messages)


def test_which_files_are_read(tmp_path):
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.csv", "B.CSV", ".hidden.csv", "_draft.csv", "sub/c.csv"):
        (folder / name).write_text("indicator,year,value\norgs,2020,1\n", "utf-8")
    (folder / "upload.xlsx").write_bytes(b"PK\x03\x04")
    figures = read_figures(folder, PLAN)
    assert [f.rsplit("/", 1)[-1] for f in figures.files] == ["B.CSV", "a.csv"]
    assert any(
        "Excel file in the data folder is not read" in w.format("en") for w in figures.warnings
    )


def test_line_numbers_count_quoted_line_breaks(tmp_path):
    text = 'indicator,year,value,note\norgs,2020,3,"two\nlines"\norgs,2021,x,\n'
    [problem] = errors(read_one(tmp_path, text))
    assert ":4: value:" in problem


@pytest.mark.parametrize(
    "text, values",
    [
        ("indicator,year,value,source,note\norgs,2020,3\norgs,2021,4\n", [3.0, 4.0]),
        ("indicator,year,value,source\norgs,2020\n", []),
        ("indicator,year,value\n\norgs,2020,3\n", [3.0]),
    ],
)
def test_short_rows_and_blank_lines_read_without_a_crash(tmp_path, text, values):
    figures = read_one(tmp_path, text)
    assert errors(figures) == []
    assert list(figures.table["value"]) == values


def test_missing_folder(tmp_path):
    with pytest.raises(InputNotFound):
        read_figures(tmp_path / "nope", PLAN)


def test_many_files_keep_their_order_and_each_problem_its_place(tmp_path):
    # Files are parsed a few at a time in worker threads: the table and the problems must
    # still come in file order, whatever file finishes first (a long one among short ones).
    folder = tmp_path / "data"
    folder.mkdir()
    for year in range(2001, 2021):
        rows = 3000 if year == 2004 else 1  # one file much longer than the others
        body = "".join(f"orgs,Vùng {i},{year},{i}\n" for i in range(rows))
        if year in (2003, 2017):
            body += f"orgs,Bắc Kạn,{year},abc\n"
        (folder / f"{year}.csv").write_text("indicator,region,year,value\n" + body)
    figures = read_figures(folder, PLAN)
    assert [p.file.rsplit("/", 1)[-1] for p in figures.errors] == ["2003.csv", "2017.csv"]
    assert [p.line for p in figures.errors] == [3, 3]
    years = figures.table["year"].tolist()
    assert years == sorted(years) and len(years) == 19 + 3000
    assert figures.table["file"].iloc[-1].endswith("2020.csv")


# Files of one header line are checked together (issue 14); each must read as when alone.
TOGETHER = {
    "a-2019.csv": "orgs,Bắc Kạn,2019,3,BC 1\nshare,,2019,abc,\nTổng cộng,,2019,9,\n",
    "b-2020.csv": "orgs,Bắc Kạn,2020,3.5,\norgs,Bắc Kạn,2020,4,again\nlab,,2020,2,\n",
    # another header, and a quoted line break: parsed alone, the general way
    "c-2021.csv": 'orgs,Cao Bằng,2021,3,"BC\n12",\nspnd,,2021,1,,x\n',
    "d-2022.csv": "orgs,Bắc\u200bKạn,2022,3,\n,,2022,7,\n",
    "e-2023.csv": "ratio,,2023,1,\nshare,,2023,101,\n",  # no line break at the end
}


def test_files_read_together_give_each_problem_as_when_read_alone(tmp_path):
    from kpis.figures import _read_files, parse_figures_bytes

    folder = tmp_path / "data"
    folder.mkdir()
    header = "indicator,region,year,value,source\n"
    for name, body in TOGETHER.items():
        raw = ((header[:-1] + ",note\n" if name.startswith("c-") else header) + body).encode()
        (folder / name).write_bytes(raw[:-1] if name.startswith("e-") else raw)
    grids, _ = _read_files(sorted(folder.iterdir()), sources=True)
    assert [grid.members for grid in grids] == [[0, 1], [2], [3, 4]]
    figures = read_figures(folder, PLAN)
    alone_problems, alone_tables = [], []
    for name in TOGETHER:
        path = folder / name
        table, problems = parse_figures_bytes(path.read_bytes(), str(path), PLAN)
        alone_problems += problems
        alone_tables.append(table)
    # Every message, place and order as each file gives it alone (none spans two files here)
    assert [p.format("en") for p in figures.problems] == [p.format("en") for p in alone_problems]
    assert len(figures.errors) == 9
    together = figures.table.astype({"file": str})
    alone = pd.concat(alone_tables, ignore_index=True).astype({"file": str})
    pd.testing.assert_frame_equal(together, alone, check_dtype=False)


def test_the_first_of_a_figure_given_in_two_files_is_kept_as_before(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "2020.csv").write_text("indicator,year,value\norgs,2020,3\norgs,2021,4\n")
    (folder / "2021.csv").write_text("indicator,year,value\norgs,2021,5\norgs,2021,6\n")
    figures = read_figures(folder, PLAN)
    assert [(p.file.rsplit("/", 1)[-1], p.line, p.message("en")) for p in figures.errors] == [
        # within one file: told among that file's problems; across files: after them all
        ("2021.csv", 3, f"«orgs» 2021 (Bắc Kạn) is already given at {folder}/2021.csv:2: keep one"),
        ("2021.csv", 2, f"«orgs» 2021 (Bắc Kạn) is already given at {folder}/2020.csv:3: keep one"),
    ]
    assert figures.table["value"].tolist() == [3.0, 4.0]


def test_a_figure_given_twice_is_named_as_the_plan_names_it_with_both_places(tmp_path):
    # The cell at either place holds the id; a person reads the indicator by its name.
    plan = make_plan({"id": "orgs", "name": "Số tổ chức KH&CN", "name_en": "S&T organisations"})
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "2020.csv").write_text(
        "indicator,year,value\norgs,2020,3\norgs,2020,4\norgs,2021,5\n"
    )
    # another header and a quoted line break: this file is read the general way, alone
    (folder / "2021.csv").write_text(
        'indicator,region,year,value,note\norgs,,2021,6,"a\nb"\norgs,,2021,7,\n'
    )
    figures = read_figures(folder, plan)
    said = [
        (p.file.rsplit("/", 1)[-1], p.line, p.message("vi"), p.message("en"))
        for p in figures.errors
    ]
    assert said == [
        (
            "2020.csv",
            3,
            f"«Số tổ chức KH&CN» năm 2020 (Bắc Kạn) đã có ở {folder}/2020.csv:2: giữ một dòng",
            f"«S&T organisations» 2020 (Bắc Kạn) is already given at {folder}/2020.csv:2: keep one",
        ),
        (
            "2021.csv",
            4,
            f"«Số tổ chức KH&CN» năm 2021 (Bắc Kạn) đã có ở {folder}/2021.csv:2: giữ một dòng",
            f"«S&T organisations» 2021 (Bắc Kạn) is already given at {folder}/2021.csv:2: keep one",
        ),
        (
            "2021.csv",
            2,
            f"«Số tổ chức KH&CN» năm 2021 (Bắc Kạn) đã có ở {folder}/2020.csv:4: giữ một dòng",
            f"«S&T organisations» 2021 (Bắc Kạn) is already given at {folder}/2020.csv:4: keep one",
        ),
    ]
    # an upload, read alone, says the same words
    from kpis.figures import parse_figures_bytes

    path = folder / "2020.csv"
    _, alone = parse_figures_bytes(path.read_bytes(), str(path), plan)
    assert [p.format("en") for p in alone] == [figures.errors[0].format("en")]


def test_a_file_that_cannot_be_read_is_named_and_the_others_are_read(tmp_path):
    from pathlib import Path

    from kpis.figures import _read_files

    folder = tmp_path / "data"
    folder.mkdir()
    names = [f"{year}.csv" for year in range(2010, 2020)]
    for name in names:
        (folder / name).write_text(f"indicator,region,year,value\norgs,,{name[:4]},1\n")
    files = [folder / name for name in names]
    files.insert(4, Path(folder / "gone.csv"))  # listed, then deleted before it was read
    grids, unreadable = _read_files(files, sources=True)
    assert list(unreadable) == [4]
    assert unreadable[4].file.rsplit("/", 1)[-1] == "gone.csv"
    assert "cannot read the file" in unreadable[4].format("en")
    # Line 1, column `file`: the place of a whole file's error (docs/file-formats.md)
    assert (unreadable[4].line, unreadable[4].column) == (1, "file")
    # The others read (together: they share a header line), each row knowing its file.
    years = [year for grid in grids for year in grid.cells[2]]
    assert years == [name[:4] for name in names]
    codes = [int(code) for grid in grids for code in grid.files]
    assert [files[code].name for code in codes] == names


# ---------------------------------------------------------------------------------------------
# Version 2: the estimate column, value_range, declared regions, two spellings of one region

V2 = make_plan(
    {"id": "orgs", "integer": True},
    {"id": "share", "unit": "%"},
    {"id": "tfp", "unit": "%", "value_range": [None, None]},
    {"id": "rank", "direction": "decrease", "value_range": [1, 63], "integer": True},
    {"id": "quota", "unit": "%", "value_range": [0, 50]},  # a percentage with its own bound
    region="Thái Nguyên",
    regions=[
        {"name": "Thái Nguyên", "aliases": ["Thai Nguyen"]},
        {"name": "Bắc Kạn", "aliases": ["Bac Kan"], "until": 2025, "merged_into": "Thái Nguyên"},
        {"name": "Cao Bằng", "until": 2024},
    ],
)


def read_v2(tmp_path, text: str, plan=V2):
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / "2025.csv").write_text(text, encoding="utf-8")
    return read_figures(folder, plan)


def problems_at(figures) -> list[tuple[int, str, str, str]]:
    return [(p.line, p.column, p.message("vi"), p.message("en")) for p in figures.errors]


@pytest.mark.parametrize("header", ["estimate", "Ước tính", "uoc_tinh", "ước"])
def test_estimate_column_marks_estimates(tmp_path, header):
    figures = read_v2(
        tmp_path,
        f"indicator,year,value,{header}\norgs,2023,1,\norgs,2024,2,x\norgs,2025,3,ước\n"
        "share,2025,4,1\nshare,2024,5,0\n",
    )
    assert errors(figures) == []
    table = figures.table
    marked = {(i, y): e for i, y, e in table[["indicator", "year", "estimate"]].itertuples(False)}
    assert marked == {
        ("orgs", 2023): False,
        ("orgs", 2024): True,
        ("orgs", 2025): True,
        ("share", 2025): True,
        ("share", 2024): False,  # "0", as Excel writes FALSE, is not an estimate
    }


@pytest.mark.parametrize("seed", range(3))
def test_estimate_marks_follow_one_rule_whatever_the_column_holds(seed):
    # A column of canonical marks only ("x" or empty) is told in one comparison: it must
    # mark what the rule does (stripped, any case, not a "no" word) for any mix of cells,
    # missing ones included, in either kind of text column.
    import random

    from kpis.figures import NOT_ESTIMATE_MARKS, estimate_flags

    rng = random.Random(seed)
    pool = ["x", "", None, " x", "X", "ước", "0", "false", "x ", "Không"]
    for _ in range(300):
        cells = [rng.choice(pool[: rng.randint(1, len(pool))]) for _ in range(rng.randint(0, 6))]
        expected = [
            cell is not None
            and cell.strip() != ""
            and cell.strip().lower() not in NOT_ESTIMATE_MARKS
            for cell in cells
        ]
        for dtype in ("str", object):
            assert estimate_flags(pd.Series(cells, dtype=dtype)).tolist() == expected, cells


def test_no_estimate_column_means_reported_figures(tmp_path):
    figures = read_v2(tmp_path, "indicator,year,value\norgs,2025,3\n")
    assert figures.table["estimate"].tolist() == [False]


@pytest.mark.parametrize(
    "row, en, vi",
    [
        ("tfp,2024,-35", None, None),  # a contribution to growth may be negative...
        ("tfp,2024,104", None, None),  # ... and above 100
        ("rank,2024,12", None, None),
        (
            "rank,2024,0",
            "the value 0 is below 1, the lowest value of this indicator (`value_range` in the plan)",
            "giá trị 0 nhỏ hơn 1, giá trị thấp nhất của chỉ tiêu",
        ),
        (
            "rank,2024,64",
            "the value 64 is above 63, the highest value of this indicator",
            "giá trị 64 lớn hơn 63, giá trị cao nhất của chỉ tiêu",
        ),
        ("share,2024,101", "101% is above 100%: a percentage is 0 to 100", "101% lớn hơn 100%"),
        ("orgs,2024,-1", "the value -1 is negative", "giá trị -1 âm"),
        ("quota,2024,50", None, None),
        (
            "quota,2024,60",
            "the value 60 is above 50, the highest value of this indicator",
            "giá trị 60 lớn hơn 50, giá trị cao nhất của chỉ tiêu",
        ),
        ("quota,2024,-0.5", "the value -0.5 is negative", "giá trị -0.5 âm"),
    ],
)
def test_value_range_replaces_the_default_rules(tmp_path, row, en, vi):
    figures = read_v2(tmp_path, f"indicator,year,value\norgs,2020,1\n{row}\n")
    if en is None:
        assert errors(figures) == [] and len(figures.table) == 2
        return
    [(line, column, message_vi, message_en)] = problems_at(figures)
    assert (line, column) == (3, "value")
    assert en in message_en and vi in message_vi


def test_declared_regions_count_under_their_canonical_name(tmp_path):
    figures = read_v2(
        tmp_path,
        "indicator,region,year,value\norgs,Tỉnh Bắc Kạn,2020,1\norgs,BAC KAN,2021,2\n"
        "orgs,,2025,3\norgs,thành phố  Thái Nguyên,2024,4\norgs,Bắc Kạn,2025,5\n",
    )
    assert errors(figures) == []
    assert figures.table["region"].tolist() == [
        "Bắc Kạn",
        "Bắc Kạn",
        "Thái Nguyên",
        "Thái Nguyên",
        "Bắc Kạn",
    ]


def test_a_region_not_declared_names_the_closest(tmp_path):
    figures = read_v2(
        tmp_path, "indicator,region,year,value\norgs,Bắc Cạn,2020,1\norgs,Hà Nội,2020,2\n"
    )
    assert problems_at(figures) == [
        (
            2,
            "region",
            "địa bàn «Bắc Cạn» không có trong `regions` của kế hoạch; có phải: Bắc Kạn",
            "region «Bắc Cạn» is not among the plan's `regions`; did you mean: Bắc Kạn",
        ),
        (
            3,
            "region",
            "địa bàn «Hà Nội» không có trong `regions` của kế hoạch (có: Thái Nguyên, Bắc Kạn, "
            "Cao Bằng)",
            "region «Hà Nội» is not among the plan's `regions` (listed: Thái Nguyên, Bắc Kạn, "
            "Cao Bằng)",
        ),
    ]
    assert figures.table.empty


def test_a_figure_after_a_region_s_until_is_an_error(tmp_path):
    figures = read_v2(
        tmp_path,
        "indicator,region,year,value\norgs,Bắc Kạn,2025,1\norgs,Bac Kan,2026,2\n"
        "orgs,Cao Bằng,2025,3\n",
    )
    assert problems_at(figures) == [
        (
            3,
            "region",
            "Bắc Kạn sáp nhập vào Thái Nguyên năm 2025: không có số liệu của Bắc Kạn năm 2026",
            "Bắc Kạn merged into Thái Nguyên in 2025: there are no figures for Bắc Kạn in 2026",
        ),
        (
            4,
            "region",
            "Cao Bằng chỉ tồn tại đến năm 2024: không có số liệu của Cao Bằng năm 2025",
            "Cao Bằng exists until 2024: there are no figures for Cao Bằng in 2025",
        ),
    ]
    assert figures.table[["region", "year"]].values.tolist() == [["Bắc Kạn", 2025]]


def test_two_spellings_of_one_region_without_declared_regions(tmp_path):
    # PLAN's region is Bắc Kạn; Lạng Sơn is another region of the figures, in two files.
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.csv").write_text(
        "indicator,region,year,value\norgs,BẮC KẠN,2020,1\norgs,Lạng Sơn,2020,2\n"
        "orgs,Lạng Sơn,2021,2\norgs,tỉnh Bắc Kạn,2021,1\n",
        encoding="utf-8",
    )
    (folder / "b.csv").write_text(
        "indicator,region,year,value\norgs,Lang Son,2022,3\norgs,Cao Bằng,2022,3\n",
        encoding="utf-8",
    )
    figures = read_figures(folder, PLAN)
    found = sorted((p.file.rsplit("/", 1)[1], p.line, p.message("en")) for p in figures.errors)
    assert [(f, line) for f, line, _ in found] == [("a.csv", 2), ("a.csv", 5), ("b.csv", 2)]
    assert "region «BẮC KẠN» differs from «Bắc Kạn» (the plan's region)" in found[0][2]
    assert "region «tỉnh Bắc Kạn» differs from «Bắc Kạn»" in found[1][2]
    assert (
        "region «Lang Son» differs from «Lạng Sơn» (another region of the figures)" in found[2][2]
    )
    vi = [p.message("vi") for p in figures.errors if p.line == 2 and p.file.endswith("b.csv")]
    assert vi == [
        "địa bàn «Lang Son» chỉ khác «Lạng Sơn» (một địa bàn khác trong số liệu) ở chữ hoa, dấu "
        "hoặc chữ «tỉnh»: viết «Lạng Sơn», để một địa bàn không thành hai"
    ]
    assert sorted(set(figures.table["region"])) == ["Cao Bằng", "Lạng Sơn"]


# ------------------------------------------------------- the thousands-dot rule (CONTRACT v2)


@pytest.mark.parametrize(
    "text, reading, meant",
    [
        ("81.500", 81.5, 81500),
        ('"7,012"', 7.012, 7012),
        ("100.250", 100.25, 100250),
        ("00.500", 0.5, 500),  # two digits, not a lone 0
    ],
)
def test_a_thousands_dot_is_read_as_a_decimal_with_a_warning_naming_both(
    tmp_path, text, reading, meant
):
    figures = read_one(tmp_path, f"indicator,year,value\nspend,2020,{text}\n")
    assert figures.errors == []
    assert list(figures.table["value"]) == [reading]
    [warning] = figures.warnings
    shown = text.strip('"')
    assert warning.line == 2 and warning.column == "value"
    assert warning.message("en").startswith(f"{shown} is read as {reading}; if you meant ")
    assert warning.message("en").endswith(f"write {meant}")
    vi = warning.message("vi")
    assert f"{shown} được đọc là số thập phân {str(reading).replace('.', ',')}" in vi
    assert f"hãy viết {meant}" in vi


def test_the_contract_example_reads_as_the_contract_says(tmp_path):
    figures = read_one(tmp_path, "indicator,year,value\nspend,2020,81.500\n")
    assert [p.message("en") for p in figures.warnings] == [
        "81.500 is read as 81.5; if you meant eighty-one thousand five hundred, write 81500"
    ]
    assert "tám mươi mốt nghìn năm trăm" in figures.warnings[0].message("vi")


@pytest.mark.parametrize(
    "text",
    ["0.668", "0,668", "1.5", "81.5", "81.50", "1234.567", "81500", "12.3456", "1.500.000"],
)
def test_values_outside_the_rule_give_no_thousands_warning(tmp_path, text):
    figures = read_one(tmp_path, f'indicator,year,value\nspend,2020,"{text}"\n')
    assert not [p for p in figures.warnings if "thousand" in p.message("en")]


@pytest.mark.parametrize("text", ["1,5", "1,000", ",5", "5,", "1,000.5", "-2,5e3", "nan,"])
def test_the_fast_cast_refuses_a_decimal_comma_so_the_column_is_searched_for_one(text):
    # The values are only searched for a comma when pyarrow's cast refuses a cell
    # (kpis.figures._check_files): a pyarrow that read "1,5" some other way would skip it.
    from kpis.figures import _arrow_numbers

    assert _arrow_numbers(pd.Series(["2", text], dtype="str"), "float64") is None
    assert (
        _arrow_numbers(pd.Series(["2", text.replace(",", "")], dtype="str"), "float64") is not None
    )


def test_only_texts_that_may_be_a_thousands_dot_are_matched_against_the_rule():
    import pyarrow as pa

    from kpis.figures import THOUSANDS_DOT, _may_be_thousands

    texts = ["81.500", "-999,999", "+7,012", "0.668", "12.35", "1500", "1.5000", "1.50", "ạ.500"]
    texts += ["", "123456.789", "81.500 "]
    looked_at = [True, True, True, True, False, False, False, False, True, False, False, False]
    column = pa.array(["x", "y", *texts], type=pa.large_string()).slice(2)  # an offset
    assert _may_be_thousands(column).tolist() == looked_at
    # every text the rule matches is looked at
    matched = [re.fullmatch(THOUSANDS_DOT, text) is not None for text in texts]
    assert matched == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
    ]
    assert all(seen for seen, match in zip(looked_at, matched, strict=True) if match)
    assert not _may_be_thousands(pa.array(["", "1"], type=pa.large_string())).any()


@pytest.mark.parametrize("count", [20, 21, 25])
def test_a_files_first_thousands_dots_are_warned_each_and_the_rest_counted(tmp_path, count):
    # A set whose values have three decimals (12.345) gives each one the warning: a file's
    # first 20 are worded, the 21st's warning counts the rest (one more alone is worded).
    from kpis.figures import WARNINGS_WORDED_PER_FILE

    assert WARNINGS_WORDED_PER_FILE == 20
    (tmp_path / "data").mkdir()
    for name, indicator in (("2020.csv", "spend"), ("2021.csv", "budget")):  # counted apart
        rows = "".join(f"{indicator},{2000 + k},{k + 10}.500\n" for k in range(count))
        (tmp_path / "data" / name).write_text("indicator,year,value\n" + rows, "utf-8")
    figures = read_figures(tmp_path / "data", PLAN)
    assert figures.errors == [] and len(figures.table) == 2 * count  # every figure kept
    for name in ("2020.csv", "2021.csv"):
        told = [w for w in figures.warnings if w.file.endswith(name)]
        worded = min(count, 21)
        assert [w.line for w in told] == list(range(2, 2 + worded))
        assert all(w.column == "value" for w in told)
        last = told[-1].message("en")
        if count <= 21:  # each worded alone
            assert last == (
                f"{count + 9}.500 is read as {count + 9}.5; if you meant "
                f"{number_words((count + 9) * 1000 + 500, 'en')}, write {(count + 9) * 1000 + 500}"
            )
        else:
            assert last.startswith("30.500 is read as 30.5; ")
            assert last.endswith(
                f" — the same warning on {count - 21} more rows, up to line {count + 1}"
            )
            assert (
                told[-1]
                .message("vi")
                .endswith(f" — cùng cảnh báo ở {count - 21} dòng sau của tệp, đến dòng {count + 1}")
            )


def test_warned_rows_are_counted_per_file_in_any_order():
    from kpis.figures import _warned_rows

    files = np.array([1, 0, 1, 0, 1] + [0] * 30, dtype=np.int32)  # file 0's rows out of order
    told = list(_warned_rows(np.arange(len(files)), files))
    file0 = [i for i in range(len(files)) if files[i] == 0]
    assert told[:20] == [(i, 0, i) for i in file0[:20]]
    assert told[20] == (file0[20], len(file0) - 21, file0[-1])
    assert told[21:] == [(0, 0, 0), (2, 0, 2), (4, 0, 4)]
    assert list(_warned_rows(np.zeros(0, dtype=np.int64), files)) == []


@pytest.mark.parametrize("seed", range(4))
def test_the_thousands_dots_found_from_the_bytes_are_those_the_pattern_matches(seed):
    # Read from the column's buffers, as pyarrow's regular expressions match the pattern
    # (ASCII digits); texts of every length around 5 to 8 bytes, signs, a lone 0, letters
    # with diacritics, and a chunk that starts at an offset.
    import pyarrow as pa
    import pyarrow.compute as pc

    from kpis.figures import THOUSANDS_DOT, _thousands_dots

    rng = np.random.default_rng(seed)
    alphabet = list("0123456789") * 3 + list(".,+- ") + ["ạ", "٣", "1.", "0"]
    texts = ["81.500", "-999,999", "+7,012", "0.668", "00.500", "-0.500", "+0,500", "1.50a"]
    texts += ["".join(rng.choice(alphabet, int(rng.integers(0, 9)))) for _ in range(20000)]
    column = pa.array(["skipped", *texts], type=pa.large_string()).slice(1)
    expected = pc.match_substring_regex(column, f"^(?:{THOUSANDS_DOT})$").to_numpy(
        zero_copy_only=False
    )
    assert _thousands_dots(column).tolist() == expected.tolist()
    for text, matched in zip(texts, expected.tolist(), strict=True):
        if text.isascii():  # (Python's \d is any script's digit)
            assert bool(re.fullmatch(THOUSANDS_DOT, text)) == matched, text
    assert expected[:8].tolist() == [True, True, True, False, True, False, False, False]
    assert 100 < expected.sum() < len(texts) // 2  # (what the comparison covers: both answers)


def test_an_integer_indicator_keeps_its_error_not_a_warning(tmp_path):
    figures = read_one(tmp_path, "indicator,year,value\norgs,2020,3.187\n")
    assert errors(figures) == [
        "2020.csv:2: value: 3.187 is not a whole number: write 3187".replace(
            "2020.csv", str(tmp_path / "data" / "2020.csv")
        )
    ]
    assert figures.warnings == []


@pytest.mark.parametrize(
    "text, meant, read, vi_words, en_words",
    [
        ('"12,000"', 12000, 12, "mười hai", "twelve"),
        ("2.000", 2000, 2, "hai", "two"),
        ("1.000", 1000, 1, "một", "one"),
        ('"+21,000"', 21000, 21, "hai mươi mốt", "twenty-one"),
    ],
)
def test_an_integer_indicators_thousands_separator_is_an_error_saying_what_to_write(
    tmp_path, text, meant, read, vi_words, en_words
):
    # CONTRACT.md §2: the decimal reading with a warning is for an indicator that is not
    # `integer`; «12,000» organisations was read as 12 with a warning only (exit 0).
    figures = read_one(tmp_path, f"indicator,year,value\norgs,2020,{text}\norgs,2021,12\n")
    shown = text.strip('"')
    [error] = figures.errors
    assert (error.line, error.column) == (2, "value")
    assert error.message("en") == (
        f"{shown}: no thousands separator: write {meant} (or {read} if you meant {en_words})"
    )
    assert error.message("vi") == (
        f"{shown}: không dùng dấu phân cách hàng nghìn: viết {meant} (hoặc {read} nếu là "
        f"{vi_words})"
    )
    assert figures.warnings == []
    assert list(figures.table["value"]) == [12]  # the row is not saved


def test_an_integer_indicators_thousands_separator_is_found_in_an_arrow_column_too(tmp_path):
    # A national set's values are held by pyarrow and matched from its buffers
    # (`_thousands_dot_arrow`): the same error there, among other indicators' warnings.
    rows = "".join(f"spend,{2000 + k},{k + 10}.500\n" for k in range(30))
    figures = read_one(tmp_path, f"indicator,year,value\n{rows}orgs,2020,3.000\n")
    assert [e.format("en") for e in figures.errors] == [
        f"{tmp_path / 'data' / '2020.csv'}:32: value: 3.000: no thousands separator: write 3000 "
        "(or 3 if you meant three)"
    ]
    assert len(figures.warnings) == 21 and len(figures.table) == 30


def test_the_thousands_error_and_warning_read_the_same_in_one_file_given_as_bytes():
    # The upload and the /data grid read one file through `parse_figures_bytes`.
    raw = b"indicator,year,value\norgs,2020,7.000\nspend,2020,7.000\n"
    table, problems = parse_figures_bytes(raw, "f.csv", PLAN)
    assert [(p.line, p.severity) for p in problems] == [(2, "error"), (3, "warning")]
    assert problems[0].message("en").startswith("7.000: no thousands separator: write 7000")
    assert problems[1].message("en").startswith("7.000 is read as 7; if you meant seven thousand")
    assert table["indicator"].tolist() == ["spend"]


def test_left_out_sources_change_no_problem_and_no_figure(tmp_path):
    # `sources=False` (python -m kpis status) parses no source or note cell, and the key
    # cells without their own UTF-8 check: the whole file is checked instead, so a byte that
    # is not UTF-8, in a key or in a source, sends the file down the same path either way.
    folder = tmp_path / "data"
    folder.mkdir()
    header = b"indicator,region,year,value,source,note\n"
    files = {
        "2019.csv": b"orgs,B\xe1\xba\xafc K\xe1\xba\xa1n,2019,3,BC 1,\nspend,,2019,2.5,,n\n",
        "2020.csv": b"orgs,B\xe1c K\xe1n,2020,3,BC 1,\n",  # a key that is not UTF-8
        "2021.csv": b"orgs,,2021,4,B\xe1o c\xe1o,\n",  # a source that is not UTF-8
        "2022.csv": b"spend,,2022,1.500,,\nlab,,2022,2,,\n",
    }
    for name, body in files.items():
        (folder / name).write_bytes(header + body)
    with_sources = read_figures(folder, PLAN)
    without = read_figures(folder, PLAN, sources=False)
    assert [p.format("en") for p in without.problems] == [
        p.format("en") for p in with_sources.problems
    ]
    assert len(with_sources.problems) >= 2
    pd.testing.assert_frame_equal(
        without.table, with_sources.table.drop(columns=["source", "note"]), check_dtype=False
    )


def test_two_cores_check_as_one_does(tmp_path, monkeypatch):
    # The column conversions of a national table run two at a time (`kpis.cores.two_at_a_time`): on a
    # folder with a mistake of every kind they check, the figures and every problem are
    # what one after the other gives.
    from kpis import cores

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "2020.csv").write_text(GOOD, encoding="utf-8")
    (folder / "2021.csv").write_text(
        "indicator,region,year,value,source\n"
        "orgs,Bắc Kạn,2021,4,BC\n"
        "orgz,Bắc Kạn,2021,4,BC\n"  # unknown indicator
        "ratio,Bắc Kạn,2021,0.5,BC\n"  # derived: takes no figures
        "share,Bắc Kạn,20x1,1.5,BC\n"  # not a year
        'spend,Bắc Kạn,2021,"1.000,5",BC\n'  # both marks
        "budget,Bắc Kạn,2021,n/a,BC\n"  # a mark, not a number
        "orgs,Ba Bể,2021,2.5,BC\n"  # a count that is not whole
        'share,Ba Bể,2021,"12,5",BC\n',  # a decimal comma
        encoding="utf-8",
    )
    one = read_figures(folder, PLAN)
    assert {p.column for p in one.errors} >= {"indicator", "year", "value"}
    monkeypatch.setattr(cores, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    two = read_figures(folder, PLAN)
    assert [p.format("en") for p in two.problems] == [p.format("en") for p in one.problems]
    pd.testing.assert_frame_equal(two.table, one.table)


@pytest.mark.parametrize("seed", range(6))
def test_repeated_figures_are_those_pandas_finds_twice(seed):
    # The flags of every possible (indicator, year, region) answer "none twice"; with one
    # figure given twice (or none) the answer is pandas' own, kept first.
    from kpis.figures import _repeated

    rng = np.random.default_rng(seed)
    rows = 5000
    table = pd.DataFrame(
        {
            "indicator": rng.choice(["orgs", "lab", "share", "spnd"], rows),
            "region": rng.choice([f"Vùng {i}" for i in range(40)], rows),
            "year": rng.integers(2001, 2031, rows),
        }
    ).drop_duplicates(ignore_index=True)
    if seed % 2:  # one row given again, somewhere after it
        at = int(rng.integers(len(table)))
        table = pd.concat([table, table.iloc[[at]]], ignore_index=True)
        table = table.sample(frac=1, random_state=seed, ignore_index=True)
    expected = table.duplicated(["indicator", "year", "region"], keep="first")
    assert _repeated(table).tolist() == expected.tolist()
    assert expected.sum() == seed % 2


@pytest.mark.parametrize("made_by", ["openpyxl", "LibreOffice"])
@pytest.mark.parametrize("tick", ["✓", "✔", "☑"])
def test_a_tick_in_an_xlsx_estimate_cell_marks_an_estimate_and_other_errors_show(
    tmp_path, made_by, tick
):
    """A tick is how many staff fill «ước tính» in Excel. CONTRACT.md §2: any non-empty cell
    marks an estimate; the tick was once taken for text garbled by a wrong code page, the only
    problem listed, with advice to save an .xlsx as CSV UTF-8. Now the tick reads as an
    estimate and the file's real errors are all listed, each on its line."""
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "region", "year", "giá trị", "nguồn", "ước tính"])
    sheet.append(["orgs", "Thái Nguyên", 2024, 3, "BC 1", tick])
    sheet.append(["share", "Thái Nguyên", 2024, "45%", "BC 2", None])
    sheet.append(["orgs", "Thái Nguyên", 2025, "abc", "BC 3", None])
    folder = tmp_path / "data"
    folder.mkdir()
    if made_by == "openpyxl":
        book.save(folder / "2024.xlsx")
    else:
        from tests.helpers import libreoffice

        book.save(tmp_path / "2024.xlsx")
        libreoffice([tmp_path / "2024.xlsx"], "xlsx", folder)
    # As uploaded on /data or given to `kpis import` (the data folder reads no .xlsx).
    table, problems = parse_figures_bytes((folder / "2024.xlsx").read_bytes(), "2024.xlsx", V2)
    messages = [(p.line, p.message("vi")) for p in problems if p.severity == "error"]
    assert [line for line, _ in messages] == [3, 4], messages
    assert not any("bảng mã" in m or "CSV UTF-8" in m for _, m in messages)
    assert "45%" in messages[0][1] and "abc" in messages[1][1]
    assert table[table["indicator"] == "orgs"]["estimate"].tolist() == [True]


ESTIMATE_COLUMN_TAKES = (
    "Cột ước tính nhận x, 1, ước hoặc ✓ cho số ước tính, ô trống cho số liệu chính thức",
    "The estimate column takes x, 1, ước or ✓ for an estimate, an empty cell for a reported figure",
)


def test_a_wingdings_tick_in_an_xlsx_estimate_cell_is_named_with_what_to_type(tmp_path):
    """A tick typed in Excel's Wingdings font shows ✓ but the file holds «ü»: the error names
    the tick and says to type x, at its line and column, where it advised saving as CSV UTF-8
    (an .xlsx!); the file's other errors are listed too."""
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "region", "year", "giá trị", "nguồn", "ước tính"])
    sheet.append(["orgs", "Thái Nguyên", 2024, 3, "BC 1", "ü"])
    sheet["F2"].font = Font(name="Wingdings")
    sheet.append(["orgs", "Thái Nguyên", 2025, "abc", "BC 3", None])
    book.save(tmp_path / "2024.xlsx")
    _, problems = parse_figures_bytes((tmp_path / "2024.xlsx").read_bytes(), "2024.xlsx", V2)
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.file, p.line, p.column) for p in errors] == [
        ("2024.xlsx", 2, "estimate"),
        ("2024.xlsx", 3, "value"),
    ]
    assert errors[0].message("vi") == (
        "«ü» là dấu tích ✓ của phông Wingdings trong Excel, tệp chỉ giữ chữ «ü»: gõ x thay cho "
        f"dấu này. {ESTIMATE_COLUMN_TAKES[0]}"
    )
    assert errors[0].message("en") == (
        "«ü» is Excel's Wingdings tick ✓, the file keeps only the letter «ü»: type x instead. "
        f"{ESTIMATE_COLUMN_TAKES[1]}"
    )
    assert not any("CSV UTF-8" in p.message(lang) for p in problems for lang in ("vi", "en"))


def test_a_cross_in_estimate_cells_is_one_error_naming_its_lines_and_the_accepted_marks():
    """«✗» could mean "an estimate" or "not one": neither is guessed; one error at the first
    line counts the cells and names their lines, instead of the encoding advice."""
    raw = (
        "indicator,region,year,value,source,ước tính\n"
        "orgs,Thái Nguyên,2023,2,BC 1,✗\n"
        "orgs,Thái Nguyên,2024,3,BC 1,\n"
        "share,Thái Nguyên,2024,45,BC 2, ✗\n"
    ).encode()
    _, problems = parse_figures_bytes(raw, "2024.csv", V2)
    assert [p.format("vi") for p in problems] == [
        "2024.csv:2: estimate: «✗» không phải dấu cột ước tính nhận (2 ô như vậy, dòng 2, 4): "
        "gõ x nếu số liệu là ước tính, để trống ô nếu là số liệu chính thức. "
        + ESTIMATE_COLUMN_TAKES[0]
    ]
    assert problems[0].message("en") == (
        "«✗» is not a mark the estimate column takes (2 cells like it, lines 2, 4): type x if "
        "the figure is an estimate, leave the cell empty if it is the reported figure. "
        + ESTIMATE_COLUMN_TAKES[1]
    )


def test_a_word_saying_not_an_estimate_is_read_so_with_a_warning_naming_its_cells():
    """«không», «0», «no» in «ước tính» are read as not an estimate (CONTRACT.md §2 counts any
    non-empty cell), silently until now: one warning a word, at its first line, counting the
    cells and saying what to write; a row without a value is skipped, its mark not counted."""
    raw = (
        "indicator,region,year,value,source,ước tính\n"
        "orgs,Thái Nguyên,2023,2,BC 1,không\n"
        "orgs,Thái Nguyên,2024,3,BC 1, 0\n"
        "share,Thái Nguyên,2024,45,BC 2,0\n"
        "tfp,Thái Nguyên,2024,,BC 2,0\n"
        "tfp,Thái Nguyên,2023,7,BC 2,No\n"
        "quota,Thái Nguyên,2023,9,BC 2,x\n"
    ).encode()
    table, problems = parse_figures_bytes(raw, "2024.csv", V2)
    assert [p.severity for p in problems] == ["warning"] * 3
    assert [p.format("vi") for p in problems] == [
        "2024.csv:2: estimate: cảnh báo: «không» trong cột ước tính được hiểu là không phải "
        "ước tính: để trống ô nếu không phải ước tính, ghi x nếu là ước tính",
        "2024.csv:3: estimate: cảnh báo: «0» trong cột ước tính được hiểu là không phải ước "
        "tính (2 ô như vậy, dòng 3, 4): để trống ô nếu không phải ước tính, ghi x nếu là ước "
        "tính",
        "2024.csv:6: estimate: cảnh báo: «No» trong cột ước tính được hiểu là không phải ước "
        "tính: để trống ô nếu không phải ước tính, ghi x nếu là ước tính",
    ]
    assert problems[0].message("en") == (
        "«không» in the estimate column is read as not an estimate: leave the cell empty if it "
        "is not an estimate, write x if it is"
    )
    assert table["estimate"].tolist() == [False, False, False, False, True]


def test_a_file_garbled_elsewhere_still_gets_the_encoding_advice_alone():
    """A lone mark in «ước tính» is told apart from mojibake, not the file's own: a source in
    UTF-8 read as Windows-1252 still gives the one encoding error."""
    raw = (
        "indicator,region,year,value,source,ước tính\norgs,Thái Nguyên,2024,3,BÃ¡o cÃ¡o 1,ü\n"
    ).encode()
    _, problems = parse_figures_bytes(raw, "2024.csv", V2)
    assert len(problems) == 1 and "CSV UTF-8" in problems[0].message("vi")
    assert problems[0].column == "source"


@pytest.mark.parametrize("made_by", ["openpyxl", "LibreOffice"])
def test_a_date_in_an_xlsx_value_cell_is_quoted_as_the_cell_showed_it(tmp_path, made_by):
    """Excel turns «5/3» typed into a value cell into a date; the cell shows 05/03/2025, and
    the message quotes that, not the «2025-03-05T00:00:00» the file stores."""
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "region", "year", "giá trị"])
    sheet.append(["orgs", "Thái Nguyên", 2024, dt.datetime(2025, 3, 5)])
    sheet["D2"].number_format = "dd/mm/yyyy"
    if made_by == "openpyxl":
        book.save(tmp_path / "f.xlsx")
        raw = (tmp_path / "f.xlsx").read_bytes()
    else:
        from tests.helpers import libreoffice

        book.save(tmp_path / "in.xlsx")
        (tmp_path / "in.xlsx").rename(tmp_path / "f.xlsx")
        libreoffice([tmp_path / "f.xlsx"], "xlsx", tmp_path / "out")
        raw = (tmp_path / "out" / "f.xlsx").read_bytes()
    _, problems = parse_figures_bytes(raw, "f.xlsx", V2)
    (problem,) = [p for p in problems if p.severity == "error"]
    assert (problem.line, problem.column) == (2, "value")
    assert problem.message("vi").startswith("«05/03/2025» là ngày tháng: Excel đã tự đổi số")
    assert problem.message("en").startswith("«2025-03-05» is a date")
    assert "T00:00:00" not in problem.message("vi") + problem.message("en")


def test_a_date_typed_in_a_csv_value_cell_is_quoted_as_typed(tmp_path):
    """What a CSV holds is what was typed: quoted unchanged, not turned into dd/mm/yyyy."""
    figures = read_v2(tmp_path, "indicator,year,value\norgs,2025,2025-03-05\n")
    messages = [p.message("vi") for p in figures.errors]
    assert any(m.startswith("«2025-03-05» là ngày tháng") for m in messages), messages
