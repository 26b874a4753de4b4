"""Quoted cells spanning lines (notes pasted with their line breaks), read by the fast reader:
each row's line counted from the breaks above it, and every figure, message and place the
same as the general reader gives. An independently written national set, with such a note in
one row of eight, took 12× a pandas read while every file went the general way."""

from __future__ import annotations

import pytest

from kpis import figures
from kpis.figures import read_figures
from tests.helpers import make_plan

PLAN = make_plan({"id": "orgs", "integer": True}, {"id": "labs"}, {"id": "share", "unit": "%"})
NOTE = '"Sau sáp nhập, số liệu theo địa giới mới\nĐã được Sở Tài chính xác nhận"'

VARIANTS = {
    "a note over two lines": (
        "indicator,region,year,value,source,note\n"
        f"orgs,Bắc Kạn,2020,3,BC 12,{NOTE}\n"
        "labs,Bắc Kạn,2020,x,BC 12,\n"  # an error on the file's line 4
        "share,Bắc Kạn,2020,1.5,BC 12,\n"
    ),
    "CR LF, a BOM, semicolons and a break in the source": (
        "\ufeffchỉ tiêu;năm;giá trị;địa bàn;nguồn;ghi chú\r\n"
        'orgs;2020;3;Bắc Kạn;"Báo cáo\r\nsố 12";\r\n'
        f"labs;2021;1,5;Bắc Kạn;BC;{NOTE}\r\n"
        "share;2021;abc;Bắc Kạn;BC;\r\n"
    ),
    "three breaks in a row, decomposed letters": (
        "indicator,region,year,value,source,note\n"
        'orgs,Ba\u0306\u0301c Ka\u0323n,2020,3,"a\n\nb","c\nd"\n'
        "orgs,Bắc Kạn,2020,4,BC,\n"  # the same figure twice: an error naming both lines
    ),
    "a row of figures swallowed by a quote": (
        "indicator,region,year,value,source,note\n"
        'orgs,Bắc Kạn,2020,3,BC,"ghi chú\nlabs,Bắc Kạn,2020,1,BC"\n'
        "share,Bắc Kạn,2020,2,BC,\n"
    ),
    "a line break in a key cell": (
        'indicator,region,year,value\norgs,"Bắc\nKạn",2020,3\nlabs,Bắc Kạn,2020,1\n'
    ),
}


def read_both(tmp_path, text: str, sources: bool, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / "2020.csv").write_bytes(text.encode("utf-8"))
    fast = read_figures(folder, PLAN, sources=sources)
    with monkeypatch.context() as patch:  # every such file the general way, as before
        patch.setattr(figures, "_spanning_lines", lambda table, rows: None)
        general = read_figures(folder, PLAN, sources=sources)
    return fast, general


@pytest.mark.parametrize("sources", [True, False])
@pytest.mark.parametrize("name", VARIANTS)
def test_the_fast_reader_gives_what_the_general_reader_gives(tmp_path, monkeypatch, name, sources):
    # (read by pyarrow: a comparison of the general reader with itself would prove nothing)
    assert figures._csv_grid_arrow(VARIANTS[name].encode("utf-8"), "2020.csv") is not None
    fast, general = read_both(tmp_path, VARIANTS[name], sources, monkeypatch)
    assert fast.table.astype(str).to_dict("records") == general.table.astype(str).to_dict("records")
    assert [p.format("vi") for p in fast.problems] == [p.format("vi") for p in general.problems]
    assert [p.format("en") for p in fast.problems] == [p.format("en") for p in general.problems]


def test_a_problem_after_a_note_over_two_lines_names_the_files_own_line(tmp_path, monkeypatch):
    fast, _ = read_both(tmp_path, VARIANTS["a note over two lines"], True, monkeypatch)
    assert [p.line for p in fast.errors] == [4]
    assert fast.table["note"].tolist()[0] == (
        "Sau sáp nhập, số liệu theo địa giới mới Đã được Sở Tài chính xác nhận"
    )


def test_a_row_swallowed_by_a_quote_is_still_a_warning_when_sources_are_left_out(
    tmp_path, monkeypatch
):
    # `status` reads without sources and notes: the note is read all the same to count its
    # lines and to see the row it holds
    fast, _ = read_both(
        tmp_path, VARIANTS["a row of figures swallowed by a quote"], False, monkeypatch
    )
    assert [(p.line, p.severity) for p in fast.warnings] == [(2, "warning")]
    assert fast.table["value"].tolist() == [3.0, 2.0]


def test_such_a_file_is_read_by_pyarrow_not_row_by_row(monkeypatch):
    raw = VARIANTS["CR LF, a BOM, semicolons and a break in the source"].encode("utf-8")
    grid = figures._csv_grid_arrow(raw, "2020.csv")
    assert grid is not None
    assert grid.lines.tolist() == [2, 4, 6]


@pytest.mark.parametrize(
    ("body", "spans"),
    [
        (b'a,"b\nc",d\n', True),
        (b'a,"b ""x"" c",d\ne,f,g\n', False),  # doubled quotes, closed on their line
        (b"a,b,c\nd,e,f\n", False),
        (b'a,"b\r\nc"\r\n', True),
    ],
)
def test_a_quoted_line_break_is_seen_before_parsing(body, spans):
    import pyarrow as pa

    assert figures._quoted_line_break(pa.py_buffer(body)) is spans
