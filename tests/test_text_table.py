"""kpis.text_table: a coded table laid out exactly as padding and joining each row in Python
lays it out, blank cells and trailing spaces included."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest

from kpis.commands.status import write_utf8
from kpis.text_table import aligned_table


def _row_by_row(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header))]
    lines = [header, ["-" * width for width in widths], *rows]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        + "\n"
        for line in lines
    )


def _coded(rows: list[list[str]], columns: int) -> list[tuple[np.ndarray, list[str]]]:
    coded = []
    for k in range(columns):
        texts = list(dict.fromkeys(row[k] for row in rows))
        code = {text: i for i, text in enumerate(texts)}
        coded.append((np.array([code[row[k]] for row in rows], dtype=np.intp), texts))
    return coded


# Blank and whitespace-only cells (a line ends before them), a cell ending in spaces, wide
# and combining Vietnamese letters, a dash.
CELLS = ["", " ", "  ", "Bắc Kạn", "Thái Nguyên ", "Đạt", "x", "12,5", "–", "Tiến độ 100%"]


@pytest.mark.parametrize("seed", range(6))
def test_laid_out_as_each_row_padded_alone(seed):
    pick = random.Random(seed)
    columns = pick.randint(1, 5)
    header = [pick.choice(["Địa bàn", "Năm", "", "Value "]) for _ in range(columns)]
    rows = [[pick.choice(CELLS) for _ in range(columns)] for _ in range(pick.randint(1, 300))]
    table = aligned_table(header, _coded(rows, columns))
    assert table.decode("utf-8") == _row_by_row(header, rows)


def test_lines_end_at_their_last_filled_cell():
    rows = [["a", "", ""], ["bb", "c", " "], ["", "", ""]]
    table = aligned_table(["X", "Y", "Z"], _coded(rows, 3)).decode("utf-8")
    assert table.splitlines() == ["X   Y  Z", "--  -  -", "a", "bb  c", ""]


def test_no_rows_is_the_header_and_its_dashes():
    columns = [(np.zeros(0, dtype=np.intp), []), (np.zeros(0, dtype=np.intp), [])]
    assert aligned_table(["Địa bàn", "Năm"], columns).decode() == "Địa bàn  Năm\n-------  ---\n"


def test_written_after_what_was_printed_before_as_text(capsysbinary):
    print("cảnh báo")
    write_utf8("Địa bàn\n".encode())
    assert capsysbinary.readouterr().out == "cảnh báo\nĐịa bàn\n".encode()


def test_written_as_text_to_a_stream_of_another_encoding(monkeypatch):
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-16")
    monkeypatch.setattr("sys.stdout", stream)
    write_utf8("Thái Nguyên\n".encode())
    stream.flush()
    assert stream.buffer.getvalue().decode("utf-16") == "Thái Nguyên\n"
    text_only = io.StringIO()
    monkeypatch.setattr("sys.stdout", text_only)
    write_utf8("Bắc Kạn\n".encode())
    assert text_only.getvalue() == "Bắc Kạn\n"
