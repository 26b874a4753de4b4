"""Quoted cells spanning lines (notes pasted with their line breaks), read by the fast reader:
each row's line counted from the breaks above it, and every figure, message and place the
same as the general reader gives. An independently written national set, with such a note in
one row of eight, took 12× a pandas read while every file went the general way."""

from __future__ import annotations

import pytest

from kpis import figures
from kpis.figures import read_figures
from tests.helpers import make_plan

# A name apart from its id: the message of a figure given twice names it, on either reader.
PLAN = make_plan(
    {"id": "orgs", "name": "Số tổ chức", "name_en": "Organisations", "integer": True},
    {"id": "labs"},
    {"id": "share", "unit": "%"},
)
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
    "breaks at a note's ends, beside spaces and tabs, in a column of one's own": (
        "indicator,region,year,value,source,note,ghi chú thêm\n"
        'orgs,Bắc Kạn,2020,3,"\nBC 12 \n","  \nmột\t \nhai\r\n","x\ny"\n'
        'labs,Bắc Kạn,2020,1,BC,"ba\tbốn\nnăm ",\n'
        'share,Bắc Kạn,2020,2,BC,"Ba\u0306\u0301c\nKa\u0323n",\n'
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
        patch.setattr(figures, "_spanning_lines", lambda *args: None)
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


def test_python_spaces_are_spelt_out_for_pyarrow():
    # (the look for rows in cells runs in pyarrow, then in Python: it must miss none)
    import re

    import pyarrow as pa
    import pyarrow.compute as pc

    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    spaces = pc.match_substring_regex(pa.array(characters), f"^{figures._SPACE_RE2}$")
    assert [c for c, space in zip(characters, spaces.to_pylist(), strict=True) if space] == [
        c for c in characters if re.match(r"\s", c)
    ]


FILES = {
    "a.csv": "indicator,region,year,value,source,note\n"
    f"orgs,Bắc Kạn,2020,3,BC 12,{NOTE}\nlabs,Bắc Kạn,2020,x,BC 12,\n",
    "b.csv": "indicator,region,year,value,source,note\n"
    'labs,Bắc Kạn,2021,1,BC,"ghi chú\nshare,Bắc Kạn,2021,1,BC"\nshare,Bắc Kạn,2021,y,BC,\n',
    "c.csv": "indicator,region,year,value,source,note\nshare,Bắc Kạn,2022,2,BC,\n",
    "d.csv": "indicator,region,year,value,source,note\n"
    f"orgs,Bắc Kạn,2023,4,BC,{NOTE}\norgs,Bắc Kạn,2023,5,BC,\n",
}


@pytest.mark.parametrize("sources", [True, False])
@pytest.mark.parametrize(
    "ends",
    ["as written", "a quote left open at the end of b.csv", "no line end at the end of a.csv"],
)
def test_files_parsed_together_give_what_each_read_alone_gives(
    tmp_path, monkeypatch, ends, sources
):
    files = dict(FILES)
    if ends == "a quote left open at the end of b.csv":
        files["b.csv"] += 'orgs,Bắc Kạn,2021,2,BC,"mở\n'
    elif ends == "no line end at the end of a.csv":
        files["a.csv"] = files["a.csv"].rstrip("\n")
    folder = tmp_path / "data"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    together = []
    real = figures._parse_together

    def counted(batch, *args):
        grid = real(batch, *args)
        together.append((len(batch), grid is not None))
        return grid

    monkeypatch.setattr(figures, "_parse_together", counted)
    read = read_figures(folder, PLAN, sources=sources)
    monkeypatch.setattr(figures, "_parse_together", lambda *args: None)
    alone = read_figures(folder, PLAN, sources=sources)
    # (all four files in one batch: parsed together unless a quote runs from one into the next)
    assert together[0] == (4, ends != "a quote left open at the end of b.csv")
    assert read.table.astype(str).to_dict("records") == alone.table.astype(str).to_dict("records")
    assert [p.format("vi") for p in read.problems] == [p.format("vi") for p in alone.problems]
    assert [p.format("en") for p in read.problems] == [p.format("en") for p in alone.problems]
    assert [(p.file, p.line) for p in read.problems][:3] == [
        (str(folder / "a.csv"), 4),
        (str(folder / "b.csv"), 2),
        (str(folder / "b.csv"), 4),
    ]


def test_a_note_pasted_over_two_lines_is_read_as_one_line(tmp_path, monkeypatch):
    fast, general = read_both(tmp_path, VARIANTS["a note over two lines"], True, monkeypatch)
    note = "Sau sáp nhập, số liệu theo địa giới mới Đã được Sở Tài chính xác nhận"
    assert fast.table["note"].tolist()[0] == general.table["note"].tolist()[0] == note
