"""A table of text for a terminal: each column padded to its widest cell, two spaces between
columns, no space at the end of a line, a line of dashes under the header.

A national status table is a hundred thousand rows of a few thousand distinct cells. Each
column is given coded (every row's code, the text of each code), so each distinct cell is
padded once; the rows are then laid out by pyarrow, which takes each row's pieces from one
array of all the distinct pieces: the bytes of that take are the table, with no Python call
per row or per cell.
"""

from __future__ import annotations

import numpy as np

# A column: every row's code, and the text of each code.
Column = tuple[np.ndarray, list[str]]


def aligned_table(header: list[str], columns: list[Column]) -> bytes:
    """The table as UTF-8, a line feed after each line: the header, dashes as wide as each
    column, then every row; each cell `ljust` to its column's width, the cells joined by two
    spaces, each line `rstrip`ped."""
    import pyarrow as pa

    widths = [
        max(len(name), *map(len, texts)) if texts else len(name)
        for name, (_, texts) in zip(header, columns, strict=True)
    ]
    head = _line([name.ljust(width) for name, width in zip(header, widths, strict=True)])
    dashes = _line(["-" * width for width in widths])
    rows = len(columns[0][0]) if columns else 0
    if not rows:
        return (head + dashes).encode("utf-8")
    # Each column's distinct cells twice: padded and followed by the two spaces (a cell
    # inside the line), and stripped (the line's last non-blank cell). A row whose cells are
    # blank from some column on ends at the last cell before them, stripped, as rstrip
    # would leave it.
    pieces = ["", "\n"]  # nothing, the line's end
    inside, ending = [], []
    last_filled = np.full(rows, -1, dtype=np.int64)
    for position, ((codes, texts), width) in enumerate(zip(columns, widths, strict=True)):
        stripped = [text.rstrip() for text in texts]
        inside.append(len(pieces) + np.asarray(codes, dtype=np.int64))
        pieces += [text.ljust(width + 2) for text in texts]  # (no text is wider than width)
        ending.append(len(pieces) + np.asarray(codes, dtype=np.int64))
        pieces += stripped
        filled = np.fromiter(map(bool, stripped), dtype=bool, count=len(stripped))
        last_filled[filled[codes]] = position
    taken = np.zeros((rows, len(columns) + 1), dtype=np.int64)  # 0: nothing
    for position in range(len(columns)):
        taken[:, position] = np.where(
            last_filled > position,
            inside[position],
            np.where(last_filled == position, ending[position], 0),
        )
    taken[:, -1] = 1
    laid_out = pa.array(pieces, type=pa.large_string()).take(pa.array(taken.ravel()))
    size = int(np.frombuffer(laid_out.buffers()[1], dtype=np.int64)[-1])
    return b"".join([(head + dashes).encode("utf-8"), memoryview(laid_out.buffers()[2])[:size]])


def _line(cells: list[str]) -> str:
    return "  ".join(cells).rstrip() + "\n"
