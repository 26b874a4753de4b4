"""A text column held by pyarrow, read from its own buffers: a question about every cell that
one character at a time can answer is asked once of all the column's characters, not once
per cell (a national file's column is a hundred thousand cells); a question about the first
and last character of each cell is read from its offsets.

`joined_texts` gives each chunk's cells one after the other as one text, sharing the chunk's
bytes. A pattern of single characters cannot match across two cells, and "every character
is ASCII" or "printable" holds of the whole text exactly when it holds of every cell.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def joined_texts(column) -> Iterator:
    """One pyarrow text (a large_string array of one element) per run of chunks of `column`
    (a pyarrow string or large_string array or chunked array) whose cells lie one after
    another in the same bytes, and that holds a character: its cells' characters one after
    the other. A chunk with a missing cell is given as it is: the bytes under a missing cell
    need not be text.

    Chunks are runs of one table's rows where files were cut apart and joined again (an
    import into 340 region files: 340 chunks over some fourteen tables' bytes); each text
    asked costs a call, so consecutive slices of the same bytes are asked as one."""
    import pyarrow as pa

    def text(data, start: int, end: int):
        span = np.array([start, end], np.int64)
        return pa.Array.from_buffers(pa.large_string(), 1, [None, pa.py_buffer(span), data])

    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    run = None  # (bytes, start, end) of the cells joined so far
    for chunk in chunks:
        if not len(chunk) or chunk.buffers()[2] is None:
            continue  # (no character at all)
        if chunk.null_count:
            if run:
                yield text(*run)
                run = None
            yield chunk
            continue
        wide = pa.types.is_large_string(chunk.type)
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if wide else np.int32)
        start = int(offsets[chunk.offset])
        end = int(offsets[chunk.offset + len(chunk)])
        if start == end:
            continue  # (empty cells only)
        data = chunk.buffers()[2]
        if run and run[0].address == data.address and run[2] == start:
            # The next cells of the same bytes (of the two views of them, the longer).
            run = (max(run[0], data, key=lambda view: view.size), run[1], end)
            continue
        if run:
            yield text(*run)
        run = (data, start, end)
    if run:
        yield text(*run)


def may_hold(column, pattern: str) -> bool:
    """Whether a cell of `column` may hold a character that `pattern` (a regular expression
    of one character, for pyarrow's RE2) matches, asked once of each chunk's characters
    (`joined_texts`). True when in doubt: a missing answer, bytes pyarrow cannot search."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return any(
            pc.any(pc.match_substring_regex(text, pattern)).as_py() is not False
            for text in joined_texts(column)
        )
    except pa.ArrowException:
        return True


def every_character(column, question) -> bool:
    """Whether `question`, a pyarrow predicate true of a text exactly when true of each of its
    characters (`pc.string_is_ascii`, `pc.ascii_is_printable`), holds of every cell of
    `column`, asked once of each chunk's characters (`joined_texts`): a national file's id
    column in ~0.2 ms, where asking each cell took ~0.5-0.9."""
    import pyarrow.compute as pc

    return all(pc.all(question(text)).as_py() is not False for text in joined_texts(column))


def may_start_or_end_with(column, character: str) -> bool:
    """Whether a cell of `column` (as for `joined_texts`) may start or end with `character`,
    one ASCII character: each cell's first and last byte, read through its offsets (no cell
    copied). True when in doubt: a chunk with a missing cell; and an empty cell is answered
    for by the bytes beside it."""
    import pyarrow as pa

    byte = ord(character)
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        if not len(chunk):
            continue
        if chunk.null_count:
            return True
        wide = pa.types.is_large_string(chunk.type)
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if wide else np.int32)
        offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
        data = chunk.buffers()[2]
        if data is None or offsets[0] == offsets[-1]:
            continue  # (empty cells only)
        characters = np.frombuffer(data, dtype=np.uint8)
        # (clipped: an empty cell's offsets may point one past the bytes, or before them)
        first = np.take(characters, offsets[:-1], mode="clip")
        last = np.take(characters, offsets[1:] - 1, mode="clip")
        if (first == byte).any() or (last == byte).any():
            return True
    return False


def line_feeds_by_cell(column) -> np.ndarray:
    """How many line feeds each cell of `column` (as for `joined_texts`) holds: the line feeds
    found in each chunk's bytes at once, and their cells by the offsets. Notes pasted with
    their line breaks span lines in a few cells of a column of a hundred thousand; counting
    cell by cell (`count_substring`) took ~4× as long on such a set."""
    import pyarrow as pa
    import pyarrow.compute as pc

    counts = np.zeros(len(column), dtype=np.int64)
    done = 0
    for chunk in column.chunks if isinstance(column, pa.ChunkedArray) else [column]:
        size = len(chunk)
        if chunk.null_count:  # (the bytes under a missing cell need not be text)
            counts[done : done + size] = pc.count_substring(chunk, "\n").fill_null(0)
        elif size and chunk.buffers()[2] is not None:
            wide = pa.types.is_large_string(chunk.type)
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if wide else np.int32)
            offsets = offsets[chunk.offset : chunk.offset + size + 1]
            characters = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
            feeds = np.flatnonzero(characters[offsets[0] : offsets[-1]] == ord("\n"))
            if len(feeds):
                cells = np.searchsorted(offsets, feeds + offsets[0], side="right") - 1
                counts[done : done + size] = np.bincount(cells, minlength=size)
        done += size
    return counts
