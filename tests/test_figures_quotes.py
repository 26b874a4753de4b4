"""A double quote opened and never closed (security audit, finding 1): the rest of the file
became one cell and its figures were silently lost. Now an error naming the line the quote
opened on and its column, on every path a CSV file takes: an upload read alone, a folder
read by the fast reader (one file, or several parsed together), the general reader."""

from __future__ import annotations

import pytest

from kpis.figures import parse_figures_bytes, read_figures
from tests.helpers import make_plan

PLAN = make_plan({"id": "orgs"}, {"id": "labs"}, {"id": "funds"})
HEAD = "indicator,region,year,value,source\n"
SWALLOWING = (
    HEAD + 'orgs,Bắc Kạn,2024,3,"Báo cáo số 12/BC-SKHCN,\n'
    "labs,Bắc Kạn,2024,1,Báo cáo số 12/BC-SKHCN\n"
    "funds,Bắc Kạn,2024,5,Báo cáo số 12/BC-SKHCN\n"
)
SWALLOWED_EN = (
    "f.csv:2: source: the double quote opened on line 2 (column «source») is never closed: "
    'the rest of the file (lines 3–4) is swallowed into this cell; add the closing " or '
    'remove the opening "'
)


def errors(text: str | bytes, lang: str = "en") -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    _, problems = parse_figures_bytes(raw, "f.csv", PLAN)
    return [p.format(lang) for p in problems if p.is_error]


def test_a_quote_never_closed_is_an_error_at_the_line_it_opened_on_in_both_languages():
    assert errors(SWALLOWING) == [SWALLOWED_EN]
    assert errors(SWALLOWING, "vi") == [
        "f.csv:2: source: dấu ngoặc kép mở ở dòng 2 (cột «source») không được đóng: phần còn "
        'lại của tệp (dòng 3–4) bị gộp vào ô này; thêm dấu " đóng ô hoặc bỏ dấu " mở'
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # Windows line ends, and semicolons with a Vietnamese header
        (SWALLOWING.replace("\n", "\r\n"), SWALLOWED_EN),
        (
            SWALLOWING.replace(",", ";").replace("source", "nguồn"),
            SWALLOWED_EN.replace("«source»", "«nguồn»"),
        ),
        # Swallowing one line: said in the singular
        (
            HEAD + 'orgs,,2024,3,"x\nlabs,,2024,1,y\n',
            "f.csv:2: source: the double quote opened on line 2 (column «source») is never "
            "closed: the rest of the file (line 3) is swallowed into this cell; add the closing "
            '" or remove the opening "',
        ),
        # On the last line, with or without its line end: nothing swallowed, still an error
        (
            HEAD + 'orgs,,2023,3,a\norgs,,2024,3,"x\n',
            "f.csv:3: source: the double quote opened on line 3 (column «source») is never "
            'closed; add the closing " or remove the opening "',
        ),
        (
            HEAD + 'orgs,,2023,3,a\norgs,,2024,3,"x',
            "f.csv:3: source: the double quote opened on line 3 (column «source») is never "
            'closed; add the closing " or remove the opening "',
        ),
        # After a cell of the same row that spans two lines, closed: the line it opened on
        (
            'indicator,note,year,value,source\norgs,"a\nb",2024,3,"x\nlabs,,2024,1,y\n',
            "f.csv:3: source: the double quote opened on line 3 (column «source») is never "
            "closed: the rest of the file (line 4) is swallowed into this cell; add the closing "
            '" or remove the opening "',
        ),
    ],
)
def test_every_way_of_leaving_a_quote_open(text, expected):
    assert errors(text) == [expected]


def test_a_quote_left_open_keeps_its_rows_own_figure_and_no_other():
    table, _ = parse_figures_bytes(SWALLOWING.encode(), "f.csv", PLAN)
    assert table[["indicator", "year", "value", "source", "line"]].values.tolist() == [
        ["orgs", 2024, 3.0, "Báo cáo số 12/BC-SKHCN,", 2]
    ]


def test_quotes_closed_over_several_lines_are_no_error():
    text = HEAD + 'orgs,,2024,3,"Báo cáo\nsố 12"\nlabs,,2024,1,"a ""b"" c"\n'
    table, problems = parse_figures_bytes(text.encode(), "f.csv", PLAN)
    assert problems == []
    assert table["line"].tolist() == [2, 4]


def test_a_quoted_cell_holding_what_looks_like_a_row_of_figures_is_a_warning():
    text = HEAD + 'orgs,,2024,3,"Báo cáo\nlabs,Bắc Kạn,2024,1,x\nfunds"\nfunds,,2024,5,y\n'
    table, problems = parse_figures_bytes(text.encode(), "f.csv", PLAN)
    assert [p.format("en") for p in problems] == [
        "f.csv:2: source: warning: this quoted cell spans 3 lines and holds a line that looks "
        'like a figure («labs,Bắc Kạn,2024,1,x»): if its closing " is misplaced, that figure '
        "is not read; check the cell's quotes"
    ]
    assert [p.format("vi") for p in problems][0].startswith(
        "f.csv:2: source: cảnh báo: ô này nằm trong ngoặc kép, kéo dài 3 dòng"
    )
    assert len(table) == 2  # (a warning changes nothing)


@pytest.mark.parametrize("ending", ["\n", ""])
def test_the_fast_folder_reader_finds_a_quote_left_open_on_the_last_line(tmp_path, ending):
    # One row a line and as many rows as lines: pyarrow's reader took it, ending the cell at
    # the end of the file, and its row counts held.
    (tmp_path / "2023.csv").write_text(HEAD + "orgs,,2023,3,a\n", "utf-8")
    (tmp_path / "2024.csv").write_text(HEAD + 'orgs,,2024,4,"b' + ending, "utf-8")
    (tmp_path / "2025.csv").write_text(HEAD + "orgs,,2025,5,c\n", "utf-8")
    read = read_figures(tmp_path, PLAN)
    assert [p.format("en") for p in read.problems] == [
        f"{tmp_path / '2024.csv'}:2: source: the double quote opened on line 2 (column "
        '«source») is never closed; add the closing " or remove the opening "'
    ]
    assert sorted(read.table["year"].tolist()) == [2023, 2024, 2025]


def test_a_folder_whose_file_swallows_its_neighbours_when_parsed_together(tmp_path):
    # Files of one header line are parsed as one body: the open quote swallowed the next.
    (tmp_path / "2023.csv").write_text(HEAD + 'orgs,,2023,3,"a\n', "utf-8")
    (tmp_path / "2024.csv").write_text(HEAD + "orgs,,2024,4,b\n", "utf-8")
    read = read_figures(tmp_path, PLAN, sources=False)
    assert [p.format("en") for p in read.problems] == [
        f"{tmp_path / '2023.csv'}:2: source: the double quote opened on line 2 (column "
        '«source») is never closed; add the closing " or remove the opening "'
    ]
    assert sorted(read.table["year"].tolist()) == [2023, 2024]


def test_a_single_file_read_as_the_data_path(tmp_path):
    path = tmp_path / "so-lieu.csv"
    path.write_text(SWALLOWING, "utf-8")
    read = read_figures(path, PLAN)
    assert [p.format("en") for p in read.problems] == [SWALLOWED_EN.replace("f.csv", str(path))]


def test_a_quote_never_closed_in_a_large_file_beyond_csvs_field_limit():
    # The rest of the file is more than csv's 128 kB a cell: its reader gave up on the cell
    # ("field larger than field limit") and read what followed as rows.
    rows = "".join(f"labs,R{i},2024,1,Báo cáo số 12/BC-SKHCN\n" for i in range(5000))
    text = HEAD + "orgs,,2023,3,a\n" + 'orgs,,2024,3,"Báo cáo\n' + rows
    table, problems = parse_figures_bytes(text.encode(), "f.csv", PLAN)
    assert [p.format("en") for p in problems] == [
        "f.csv:3: source: the double quote opened on line 3 (column «source») is never closed: "
        'the rest of the file (lines 4–5003) is swallowed into this cell; add the closing " or '
        'remove the opening "'
    ]
    assert table["line"].tolist() == [2]


def test_a_long_cell_whose_quote_is_closed_is_not_called_open():
    text = HEAD + 'orgs,,2024,3,"' + "x" * 200_000 + '"\nlabs,,2024,1,y\n'
    _, problems = parse_figures_bytes(text.encode(), "f.csv", PLAN)
    found = [p.format("en") for p in problems]
    assert found and not any("never closed" in m for m in found)
