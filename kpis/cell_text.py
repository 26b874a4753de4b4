"""Text cells cleaned on the way in: no control, invisible or direction-changing character.

A figure's keys (indicator, region, year, value) are compared and grouped: a zero-width space
makes a second «Bắc Kạn» that looks like the first, so such a cell is refused with its place.
Free text (source, note, a column of the province's own) is only shown and exported: a line
break, a vertical tab (Word's soft line break) or a lone carriage return there would break the
CSV files, the audit trail and the Excel export written from it, and a bidi override would
reverse what a reader sees, so they are neutralised (a line break becomes a space, the
invisible ones go). A tab is kept in a note, where people use it to align text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection

import numpy as np
import pandas as pd

from kpis.arrow_text import joined_texts, may_hold
from kpis.errors import Problem
from kpis.i18n import format_number

KEY_COLUMNS = ("indicator", "region", "year", "value")
# Understood by Python's re and by pyarrow's RE2 alike: \xHH escapes and literal characters
# (RE2 knows no \uHHHH), so a million cells are searched in C++, not one by one in Python.
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
_BREAKS = r"\x0a-\x0d\x85" + "\u2028\u2029"
_CONTROLS = r"\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
KEY_BAD = f"[\\x09{_BREAKS}{_CONTROLS}{_INVISIBLE}]"
TEXT_BAD = f"[\\x09{_BREAKS}{_CONTROLS}{_INVISIBLE}]"
NOTE_BAD = f"[{_BREAKS}{_CONTROLS}{_INVISIBLE}]"


# The Vietnamese names of the characters people meet (pasted from Word, a web page, a PDF);
# the others by their kind. English uses Unicode's own names.
_VI_NAMES = {
    "\t": "dấu tab",
    "\n": "ký tự xuống dòng",
    "\x0b": "ký tự ngắt dòng của Word (tab dọc)",
    "\x0c": "ký tự ngắt trang",
    "\r": "ký tự về đầu dòng",
    "\x85": "ký tự xuống dòng",
    "\u2028": "ký tự ngắt dòng",
    "\u2029": "ký tự ngắt đoạn",
    "\u00a0": "dấu cách không ngắt dòng",
    "\u00ad": "dấu gạch nối ẩn",
    "\u200b": "dấu cách độ rộng 0",
    "\u200c": "ký tự ngăn nối chữ độ rộng 0",
    "\u200d": "ký tự nối chữ độ rộng 0",
    "\u200e": "dấu chiều viết trái sang phải",
    "\u200f": "dấu chiều viết phải sang trái",
    "\u061c": "dấu chiều viết chữ Ả Rập",
    "\u2060": "ký tự nối từ",
    "\ufeff": "dấu BOM (đánh dấu thứ tự byte)",
    **dict.fromkeys("\u202a\u202b\u202c\u202d\u202e", "ký tự đổi chiều viết"),
    **dict.fromkeys("\u2066\u2067\u2068\u2069", "ký tự đổi chiều viết"),
}


def describe(char: str, lang: str = "en") -> str:
    """`U+200B ZERO WIDTH SPACE` (Vietnamese: `U+200B dấu cách độ rộng 0`): how a message
    names a character nobody can see."""
    code = f"U+{ord(char):04X}"
    if lang != "en":
        kind = "ký tự điều khiển" if unicodedata.category(char) == "Cc" else "ký tự ẩn"
        return f"{code} {_VI_NAMES.get(char, kind)}"
    return f"{code} {unicodedata.name(char, 'CONTROL')}"


def neutralise_text(text: str, tab: bool = False) -> str:
    """Free text as it is kept: line breaks (any convention) and vertical tabs as one space,
    other control and invisible characters removed; tabs kept only when `tab`."""
    if not isinstance(text, str):
        return text
    return _neutralise(pd.Series([text], dtype=object), tab).iloc[0]


def _neutralise(column: pd.Series, tab: bool) -> pd.Series:
    spaced = column.str.replace(f"\\r\\n|[{_BREAKS}]" + ("" if tab else "|\\t"), " ", regex=True)
    return spaced.str.replace(f"[{_CONTROLS}{_INVISIBLE}]", "", regex=True)


def clean_cells(
    kinds: dict[int, str | None],
    cells: pd.DataFrame,
    lines: np.ndarray,
    file: str | Callable[[int], str],
    cell_chars: int,
    marks: str | None = None,
    printable: Collection[int] = (),
) -> tuple[pd.DataFrame, np.ndarray | None, list[Problem]]:
    """The cells with free text neutralised and the rows whose keys hold a character that has
    no place there (or a cell longer than `cell_chars`) left out, each reported with its place.

    `kinds`: the canonical column name of each position present in `cells` (None for a column
    of the province's own). `file`: the file's name, or the name of row i's file when the
    cells are several files read together. `marks`: a suffix the reader itself puts on a key
    cell (the .xlsx reader's percent mark), not the file's text. Returns the cells left, which
    rows of `cells` they are (None: all of them) and the problems. `printable`: positions of
    columns whose every character the caller found printable already.
    """
    file_of = file if callable(file) else lambda _i: file
    problems: list[Problem] = []
    refused = np.zeros(len(cells), dtype=bool)
    copied = False
    for position, kind in kinds.items():
        column = cells[position]
        label = kind or str(position + 1)
        long = _longer_than(column, cell_chars)
        for i in np.flatnonzero(long & ~refused):
            problems.append(
                Problem(
                    file_of(i),
                    f"ô dài {format_number(len(column.iloc[i]))} ký tự, quá giới hạn "
                    f"{format_number(cell_chars)}: rút gọn",
                    f"the cell is {len(column.iloc[i]):,} characters long, more than "
                    f"{cell_chars:,}: shorten it",
                    line=int(lines[i]),
                    column=label,
                )
            )
        refused |= long
        if position in printable or _printable(column):
            continue  # the usual column: nothing to refuse or neutralise, found in C++
        if kind in KEY_COLUMNS:
            typed = column.str.removesuffix(marks) if marks else column
            bad = _contains(typed, KEY_BAD) & ~refused
            for i in np.flatnonzero(bad):
                char = next(c for c in typed.iloc[i] if _is_bad_key_char(c))
                problems.append(
                    Problem(
                        file_of(i),
                        f"ô «{label}» có ký tự ẩn hoặc ký tự điều khiển "
                        f"({describe(char, 'vi')}): gõ lại ô này",
                        f"the «{label}» cell holds an invisible or control character "
                        f"({describe(char)}): type the cell again",
                        line=int(lines[i]),
                        column=label,
                    )
                )
            refused |= bad
        else:
            tab = kind == "note"
            dirty = _contains(column, NOTE_BAD if tab else TEXT_BAD)
            if dirty.any():
                if not copied:
                    cells, copied = cells.copy(), True
                cleaned = column.copy()
                cleaned[dirty] = _neutralise(column[dirty], tab).str.strip()
                cells[position] = cleaned
    if refused.any():
        keep = ~refused
        return cells[keep].reset_index(drop=True), keep, problems
    return cells, None, problems


def _longer_than(column: pd.Series, chars: int) -> np.ndarray:
    """Which cells are longer than `chars` characters. A cell of no more bytes than that has
    no more characters either: the usual column is answered from its byte lengths alone."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        cells = pa.array(column.array, type=pa.large_string())
        if (pc.max(pc.binary_length(cells)).as_py() or 0) <= chars:
            return np.zeros(len(column), dtype=bool)
    except (pa.ArrowException, TypeError, ValueError):
        pass
    return (column.str.len() > chars).to_numpy(dtype=bool)


# Cells looked at to tell a column whose texts repeat from one whose texts do not
_DISTINCT_HEAD = 8192
# Characters pyarrow calls printable, every one (tests/test_cell_text.py asks it of each):
# printable ASCII; Latin-1's letters and signs but its no-break space and soft hyphen (a
# space, a format character); Latin Extended A and B, IPA, spacing modifiers and combining
# diacritics; Latin Extended Additional (Vietnamese's letters); general punctuation but its
# line and paragraph separators, spaces and format characters; the currency signs (₫).
_SURELY_PRINTABLE = (
    "\\x{20}-\\x{7E}\\x{A1}-\\x{AC}\\x{AE}-\\x{36F}\\x{1E00}-\\x{1EFF}"
    "\\x{2010}-\\x{2027}\\x{2030}-\\x{205E}\\x{20A0}-\\x{20C0}"
)
_NOT_SURELY_PRINTABLE = f"[^{_SURELY_PRINTABLE}]"


def _printable(column: pd.Series) -> bool:
    """Whether no cell holds a control, invisible or line-separating character, cheaply: pure
    ASCII columns (ids, years, values) byte by byte; others by their distinct texts when
    their texts repeat (a region down a national file), else character by character, all at
    once (sources and notes that differ from row to row: finding the distinct texts of a
    million of them took ~1 s, to find as many). A tab counts as not printable."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        cells = pa.array(column.array, type=pa.large_string())  # the same buffers
        texts = list(joined_texts(cells))
        if all(pc.all(pc.string_is_ascii(text)).as_py() is not False for text in texts):
            return all(pc.all(pc.ascii_is_printable(text)).as_py() is not False for text in texts)
        # Vietnamese text, its punctuation and its currency: one search of a few ranges, which
        # RE2 does at ~600 MB/s, pyarrow's question of each character at ~200 MB/s.
        if not may_hold(cells, _NOT_SURELY_PRINTABLE):
            return True
        head = cells.slice(0, _DISTINCT_HEAD)
        if len(pc.unique(head)) > len(head) // 4:  # (texts that seldom repeat)
            return all(pc.all(pc.utf8_is_printable(text)).as_py() is not False for text in texts)
        return pc.all(pc.utf8_is_printable(pc.unique(cells))).as_py() is not False
    except (pa.ArrowException, TypeError, ValueError):
        return False


def _contains(column: pd.Series, pattern: str) -> np.ndarray:
    """Which cells match `pattern`: pyarrow's RE2 over the whole column when it can, else
    Python's re cell by cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.match_substring_regex(pa.array(column.array, type=pa.string()), pattern)
        return found.to_numpy(zero_copy_only=False).astype(bool)
    except (pa.ArrowException, TypeError, ValueError):
        return column.str.contains(pattern, regex=True).to_numpy(dtype=bool)


def _is_bad_key_char(char: str) -> bool:
    return re.fullmatch(KEY_BAD, char) is not None
