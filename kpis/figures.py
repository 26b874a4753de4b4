"""The figures: `data/*.csv` (and imported `.xlsx`) -> one tidy table (CONTRACT.md §2).

Reads what staff actually send (UTF-8 with or without BOM, Windows-1258, UTF-16 from Excel's
"Unicode text"; comma, semicolon or tab; decimal comma; Vietnamese header names), checks every
row with vectorised pandas operations, and reports every problem at once as
`FILE:LINE: column: message`. Valid rows are kept even when others are wrong, so the dashboard
can chart what is right and list the rest.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import hashlib
import io
import logging
import os
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from kpis import cores, guard, mojibake, xlsx_sheet
from kpis.arrow_text import every_character, line_feeds_by_cell, may_hold, may_start_or_end_with
from kpis.cell_text import KEY_COLUMNS, clean_cells
from kpis.cores import two_at_a_time, usable_cores
from kpis.errors import HEADER_LINE, WHOLE_FILE, WHOLE_ROW, InputNotFound, Problem, SortsProblems
from kpis.i18n import number_words, plain_number
from kpis.limits import active as active_limits
from kpis.plan import Indicator, Plan
from kpis.plausibility import indicator_names
from kpis.regions import closest, fold_diacritics
from kpis.regions import fold as region_fold
from kpis.row_keys import figure_key

LOG = logging.getLogger(__name__)

COLUMNS = ["indicator", "region", "year", "value", "source", "note"]
REQUIRED = ("indicator", "year", "value")
_ALIASES = {
    "indicator": ("indicator", "chỉ tiêu", "chi_tieu", "ma_chi_tieu"),
    "year": ("year", "năm", "nam"),
    "value": ("value", "giá trị", "gia_tri"),
    "region": ("region", "địa bàn", "dia_ban", "tỉnh"),
    "source": ("source", "nguồn", "nguon"),
    "note": ("note", "ghi chú", "ghi_chu"),
    "name": ("name", "tên chỉ tiêu", "ten_chi_tieu"),
    "estimate": ("estimate", "ước tính", "uoc_tinh", "ước"),
}
# An `estimate` cell that says "not an estimate" in so many words (Excel writes FALSE as 0):
# CONTRACT.md §2 counts any non-empty cell, and these are the ones a person would not mean so.
NOT_ESTIMATE_MARKS = {"0", "false", "no", "không", "khong"}


def estimate_flags(cells: pd.Series) -> np.ndarray:
    """Which `estimate` cells mark their figure as an estimate (the one rule: the reader's and
    the store's)."""
    if isinstance(cells.array, pd.arrays.ArrowStringArray) and len(cells):
        # A column of canonical marks only (empty, or the `x` canonical CSV writes), as the
        # store writes them and most files hold: told in one comparison, not stripped and
        # lowered a million times over (~15-50 ms a million rows, three times an import).
        import pyarrow as pa
        import pyarrow.compute as pc

        marks = pa.array(cells.array)
        marked = pc.equal(marks, "x")
        if not marks.null_count and pc.all(pc.or_(marked, pc.equal(marks, ""))).as_py():
            return marked.to_numpy(zero_copy_only=False)
    text = cells.fillna("").astype(str).str.strip()
    return ((text != "") & ~text.str.lower().isin(NOT_ESTIMATE_MARKS)).to_numpy(dtype=bool)


# Marks an «ước tính» cell may hold that Excel's symbol font Wingdings shows as ticks and
# crosses: the file keeps the font's letter, so a tick typed in Wingdings arrives as «ü». The
# error names what the sender saw in Excel, or they could not tell what the dashboard read.
# Each: the mark shown (vi, en), and whether it says "yes" (a tick: type x instead).
WINGDINGS_MARKS = {
    "ü": ("dấu tích ✓", "tick ✓", True),
    "þ": ("ô có dấu tích ☑", "ticked box ☑", True),
    "û": ("dấu chéo ✗", "cross ✗", False),
    "ý": ("ô có dấu chéo ☒", "crossed box ☒", False),
}
# What the estimate errors say the column takes (CONTRACT.md §2: any non-empty cell marks an
# estimate; kpis.mojibake lets the ticks through). `NOT_ESTIMATE_MARKS` are read as not one
# but warned, so they are not offered here.
ESTIMATE_MARKS_TOLD = (
    "Cột ước tính nhận x, 1, ước hoặc ✓ cho số ước tính, ô trống cho số liệu chính thức",
    "The estimate column takes x, 1, ước or ✓ for an estimate, an empty cell for a reported figure",
)
# Cells an estimate error quotes by line: the rest are counted.
MOST_MARK_LINES = 8


HEADER_ALIASES = {
    unicodedata.normalize("NFC", alias): canonical
    for canonical, aliases in _ALIASES.items()
    for alias in aliases
}
NOT_REPORTED_MARKS = {"-", "–", "—", "x", "n/a", "na", "k/c", "..."}
NON_FINITE = {"nan", "inf", "+inf", "-inf", "infinity", "-infinity"}
YEAR_RANGE = (1990, 2100)
XLSX_MAGIC = b"PK\x03\x04"
_NOT_SPACE = re.compile(rb"\S")  # bytes.strip()'s whitespace, found without copying
TABLE_COLUMNS = [*COLUMNS, "estimate", "file", "line"]
_PARSE_THREADS = 4  # beyond a few, the checks on the main thread are what the reading waits for


# A text column as `pd.factorize` gives it: each row's code, and the distinct texts in order
# of first appearance (the names of the codes).
Factorized = tuple[np.ndarray, list[str]]


class _FoundKeys(NamedTuple):
    """The codes `_check_files` found of its table's columns: its indicators, and its regions
    unless a region cell was changed (then None: coded from the table)."""

    indicator: Factorized
    region: Factorized | None


class Keys(NamedTuple):
    """A figures table's indicator and region columns as codes (`Factorized`), found once
    while the figures are read (the indicators by the checks): the look for figures given
    twice, for misspelt regions and the judgement (`kpis.progress.code_figures`) group by
    them without hashing a million texts again, each."""

    indicator: Factorized
    region: Factorized


@dataclass
class Figures(SortsProblems):
    """The valid figures of one or more files, and every problem found in them.

    `table` has one row a figure: indicator, region (the canonical name: empty cells are the
    plan's region; with the plan's `regions`, an alias is its declared name), year (int),
    value (float), source and note (text; absent when read with `sources=False`), estimate
    (bool, CONTRACT.md §2 version 2: "ước thực hiện", not yet the reported figure), file and
    line (where the figure stands, for messages). `keys`: the table's indicator and region
    codes, when its reader found them.
    """

    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    keys: Keys | None = field(default=None, compare=False, repr=False)


def empty_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": pd.Series(dtype=object),
            "region": pd.Series(dtype=object),
            "year": pd.Series(dtype="int64"),
            "value": pd.Series(dtype="float64"),
            "source": pd.Series(dtype=object),
            "note": pd.Series(dtype=object),
            "estimate": pd.Series(dtype=bool),
            "file": pd.Series(dtype=object),
            "line": pd.Series(dtype="int64"),
        }
    )


def figure_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The files that form the data set: `*.csv` directly in `folder`, not hidden or `_`."""
    files, problems = [], []
    # One listing, each entry's kind as the directory gives it (no stat or path resolution
    # per file: a national folder holds hundreds). A name in the listing is directly in the
    # folder: only a link can lead outside it.
    with os.scandir(folder) as listing:
        found = sorted(listing, key=lambda item: item.name)
    for item in found:
        entry = folder / item.name
        if item.name.startswith((".", "_")):
            continue
        if item.is_symlink():
            # A link could show anyone the first line of any file the server can read.
            problems.append(
                Problem(
                    entry.name,
                    "tệp là liên kết (symlink) hoặc nằm ngoài thư mục số liệu nên không được "
                    "đọc: chép chính tệp vào thư mục",
                    "the file is a link (symlink) or lies outside the data folder, so it is not "
                    "read: copy the file itself into the folder",
                    severity="warning",
                )
            )
            continue
        if not item.is_file(follow_symlinks=False):
            continue
        suffix = entry.suffix.lower()
        if suffix == ".csv":
            files.append(entry)
        elif suffix in (".xlsx", ".xls"):
            problems.append(
                Problem(
                    str(entry),
                    "tệp Excel trong thư mục số liệu không được đọc: hãy nhập "
                    "bằng `python -m kpis import` hoặc trang Cập nhật số liệu",
                    "an Excel file in the data folder is not read: import it with "
                    "`python -m kpis import` or the data page",
                    severity="warning",
                )
            )
    return files, problems


def read_figures(
    path: str | Path, plan: Plan, also_known: Collection[str] = frozenset(), sources: bool = True
) -> Figures:
    """Read a data folder (every `*.csv` in it) or one `.csv`/`.xlsx` file.

    `also_known`: indicator ids of the other plans of the same catalogue (kpis.catalogue).
    Their rows are not this plan's figures: they are left out, not reported as unknown ids.
    `sources=False` leaves the source and note columns out of the table, for callers that
    never show them (`python -m kpis status`): nationally they are a million repeated texts
    to normalise and hold. The problems found are the same.

    Every file's cells go into one table (with each row's file and line) and each check runs
    once over it: a folder of 340 small files costs what one large file does. The problems
    read exactly as when each file is read alone.
    """
    path = Path(path)
    if path.is_dir():
        files, problems = figure_files(path)
    elif path.is_file():
        files, problems = [path], []
    else:
        raise InputNotFound(str(path), "thư mục hoặc tệp số liệu", "data folder or file")
    names = [str(file) for file in files]
    grids, unreadable = _read_files(files, sources)
    return _figures(grids, names, unreadable, problems, plan, also_known, sources)


def read_cells(
    files: Iterable[tuple[str, list[str], pd.DataFrame, np.ndarray]],
    plan: Plan,
    also_known: Collection[str] = frozenset(),
    sources: bool = True,
) -> Figures:
    """`read_figures` for files whose cells arrive already split (kpis.pgstore's rows).

    Each file is (name, header, cells, lines): `cells` has one text column per header
    position it needs, already stripped and NFC (source and note may be left out when
    `sources=False`), `lines` the line of each row in the file. The same checks as for a
    file on disk, the same problems, the same table.
    """
    grids, names = [], []
    for code, (name, header, cells, lines) in enumerate(files):
        grid = _Grid(header, cells, lines, [], lambda h=header: [h], frozenset(cells.columns))
        grid.files = np.full(len(cells), code, dtype=np.int32)
        grid.members = [code]
        grids.append(grid)
        names.append(name)
    return _figures(grids, names, {}, [], plan, also_known, sources)


def _figures(
    grids: list[_Grid],
    names: list[str],
    unreadable: dict[int, Problem],
    problems: list[Problem],
    plan: Plan,
    also_known: Collection[str],
    sources: bool,
    warnings: bool = True,
) -> Figures:
    """The checked figures of several files' grids: every file's problems in file order (each
    file's sorted by line, as when it is read alone), then figures given twice across files,
    then misspelt regions. `warnings=False`: for a caller that wants only the errors (the
    import's check of the set as it will be), the costliest warning is not looked for."""
    table, codes, per_file, found = _check_files(grids, names, plan, also_known, sources, warnings)
    # The cells are let go once checked (the caller's list is emptied; each caller makes it for
    # this call alone): the table keeps only what it shares with them, and the look for
    # figures given twice below does not hold a national set's texts twice.
    grids.clear()
    for code, problem in unreadable.items():
        per_file[code] = [problem]
    duplicate_problems: list[Problem] = []
    keys = None
    if found is not None:
        # The regions coded here when the checks could not: the cells let go already, not at
        # the reading's peak of memory.
        regions = found.region if found.region is not None else _factorized(table["region"])
        keys = Keys(found.indicator, regions)
    if not len(table):
        table = empty_table()
    elif _repeated(table, keys).any():
        # Looked at file by file only now: a figure given twice within one file is told in
        # that file's problems, as when it is read alone; only the rest across files.
        parts = []
        for start, end in _runs(codes):
            part, again = drop_duplicates(table.iloc[start:end].reset_index(drop=True), plan)
            code = int(codes[start])
            per_file[code] = _sorted(per_file[code] + again)
            parts.append(part)
        table, duplicate_problems = combine(parts, plan)
        keys = None  # rows were left out
    checked = table
    table, spelling_problems = misspelt_regions(table, plan, keys.region if keys else None)
    found = [problem for chunk in per_file for problem in chunk]
    return Figures(
        table=table,
        problems=problems + found + duplicate_problems + spelling_problems,
        files=names,
        keys=keys if table is checked else None,  # the codes of the rows checked
    )


def _runs(codes: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of equal file codes, in order."""
    if not len(codes):
        return []
    edges = np.flatnonzero(np.diff(codes)) + 1
    starts = [0, *edges.tolist()]
    ends = [*edges.tolist(), len(codes)]
    return list(zip(starts, ends, strict=True))


_BATCH_BYTES = 4 << 20  # files parsed together up to this size: few calls, bounded memory


@dataclass
class _Layout:
    """A UTF-8 CSV file's header line, where its body starts and how many rows it holds: all
    it takes to parse it together with other files of the same header line."""

    header_line: str
    body: int
    rows: int


@dataclass
class _Loaded:
    """One file as read: its bytes (or why there are none) and its layout, when it can be
    parsed together with its neighbours."""

    code: int
    raw: bytes | None
    problem: Problem | None = None
    layout: _Layout | None = None


def _layout(raw: bytes, file: str, limits) -> _Layout | None:
    """The layout of a file the fast reader can take together with others: UTF-8 (a BOM or
    not), LF or CR LF line ends, a body, the required columns named, within the limits. None:
    the file is read alone, where whatever is wrong with it is worded."""
    if raw.startswith((XLSX_MAGIC, b"\xd0\xcf\x11\xe0")):
        return None
    breaks = guard.line_breaks(raw)
    if guard.check_csv(raw, file, limits, breaks) is not None:
        return None
    layout = _utf8_layout(raw, breaks)
    if layout is None:
        return None
    found = {_canonical(name) for name in _header_cells(layout.header_line)[0]}
    if not all(column in found for column in REQUIRED):
        return None
    return layout


def _utf8_layout(raw: bytes, breaks: guard.LineBreaks | None = None) -> _Layout | None:
    """The layout of a CSV file pyarrow can parse as it is: not UTF-16, LF or CR LF line ends
    (`breaks`: its line breaks, counted here when not given), a header line in UTF-8, a body
    that is not blank. None: the general reader's file."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if breaks is None:
        breaks = guard.line_breaks(raw)
    if breaks.carriage_returns != breaks.crlf:  # (a carriage return alone ends a line too)
        return None
    # Offsets into `raw`, not slices: a slice would copy megabytes.
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    end = raw.find(b"\n", start)
    if end < 0 or _NOT_SPACE.search(raw, end + 1) is None:
        return None
    try:
        header_line = unicodedata.normalize("NFC", raw[start:end].decode("utf-8")).rstrip("\r")
    except UnicodeDecodeError:
        return None
    # (the header's line feed: one of the line feeds)
    return _Layout(header_line, end + 1, breaks.line_feeds - 1 + (not raw.endswith(b"\n")))


def _header_cells(header_line: str) -> tuple[list[str], str]:
    """The header's cells and the file's separator, from its first line (no line end)."""
    sep = _detect_separator(header_line)
    return next(csv.reader([header_line], delimiter=sep), []), sep


def read_figures_as_if(
    folder: Path,
    plan: Plan,
    also_known: Collection[str],
    contents: dict[str, bytes | None],
) -> Figures:
    """The folder's figures as they would read once `contents` are written (file name ->
    its new bytes; None: the file removed): what an import checks before it writes."""
    files, _ = figure_files(folder)
    names = sorted({file.name for file in files} | set(contents))
    paths = [folder / name for name in names if contents.get(name, b"") is not None]
    given = {str(folder / name): raw for name, raw in contents.items() if raw is not None}
    grids, unreadable = _read_files(paths, True, given)
    return _figures(grids, [str(p) for p in paths], unreadable, [], plan, also_known, True)


def _read_files(
    files: list[Path],
    sources: bool,
    contents: dict[str, bytes] | None = None,
    digests: dict[str, bytes] | None = None,
) -> tuple[list[_Grid], dict[int, Problem]]:
    """The cells of every file, in file order (each grid knows its rows' files), and the
    problem of each file that gave none; `digests`, when given, gets the SHA-256 digest of
    each file read from the disk, by name, hashed in the thread that read it.

    Files are read a few ahead in worker threads. Consecutive files with one header line (a
    national set's year files, a province's region files) are parsed together, up to
    _BATCH_BYTES at a time, by pyarrow's C++ parser, which runs without Python's lock: the
    threads use every core and 340 small files cost what one large file does. Any other file
    is parsed alone, as an upload is.
    """
    limits = active_limits()
    workers = max(1, min(_PARSE_THREADS, usable_cores(), len(files)))
    names = [str(file) for file in files]

    def load(code: int) -> _Loaded:
        file = files[code]
        if contents and str(file) in contents:  # bytes about to be written, not yet on disk
            raw = contents[str(file)]
            return _Loaded(code, raw, layout=_layout(raw, str(file), limits))
        try:
            # Opened without following a link (one swapped in since the folder was listed).
            fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                too_big = guard.check_size(os.fstat(handle.fileno()).st_size, str(file), limits)
                if too_big:
                    return _Loaded(code, None, too_big)
                raw = handle.read()
            if digests is not None:
                digests[file.name] = hashlib.sha256(raw).digest()  # (without Python's lock)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            return _Loaded(
                code,
                None,
                Problem(
                    str(file), f"không đọc được tệp: {reason}", f"cannot read the file: {reason}"
                ).of_whole_file(),
            )
        return _Loaded(code, raw, layout=_layout(raw, str(file), limits))

    # Whether a file read so far had quoted cells spanning lines: the files of one folder
    # come from one hand, and with sources left out the next are then parsed whole at once,
    # not first without their sources and notes (`_arrow_cells`). (Set from worker threads:
    # a late answer costs one parse, never a figure.)
    spans_seen = [False]

    def parse(batch: list[_Loaded]) -> list[tuple[int, _Grid | Problem]]:
        if batch[0].layout is not None:
            grid = _parse_together(batch, names, sources, limits, spans_seen[0])
            if grid is not None:
                spans_seen[0] = spans_seen[0] or grid.spans_lines
                return [(batch[0].code, grid)]
        return [(item.code, _grid(item.raw, names[item.code], sources)) for item in batch]

    pool = ThreadPoolExecutor(workers) if workers > 1 else None

    def submit(function, argument) -> Future:
        if pool is not None:
            return pool.submit(function, argument)
        done: Future = Future()
        done.set_result(function(argument))
        return done

    unreadable: dict[int, Problem] = {}
    parsed: list[Future] = []
    try:
        loading: deque[Future] = deque()
        upcoming = iter(range(len(files)))
        batch: list[_Loaded] = []
        size = 0

        def flush() -> None:
            nonlocal batch, size
            if batch:
                # Not too many batches in flight: the bytes of each are held until parsed.
                while sum(not future.done() for future in parsed[-2 * workers :]) > workers:
                    next(future for future in parsed if not future.done()).result()
                parsed.append(submit(parse, batch))
                batch, size = [], 0

        def fill() -> None:
            while len(loading) <= 2 * workers:  # a few files ahead, not the whole folder
                code = next(upcoming, None)
                if code is None:
                    return
                loading.append(submit(load, code))

        fill()
        while loading:
            loaded = loading.popleft().result()
            fill()
            if loaded.problem is not None:
                unreadable[loaded.code] = loaded.problem
                continue
            layout = loaded.layout
            if batch and (
                layout is None
                or layout.header_line != batch[0].layout.header_line
                or size >= _BATCH_BYTES
            ):
                flush()
            batch.append(loaded)
            size += len(loaded.raw)
            if layout is None:
                flush()
        flush()
        results = [item for future in parsed for item in future.result()]
    finally:
        if pool is not None:
            pool.shutdown()
    grids = []
    for code, grid in results:
        if isinstance(grid, Problem):
            unreadable[code] = grid
            continue
        if grid.files is None:
            grid.files = np.full(len(grid.lines), code, dtype=np.int32)
            grid.members = [code]
        grids.append(grid)
    return grids, unreadable


def _parse_together(
    batch: list[_Loaded], names: list[str], sources: bool, limits, spans_likely: bool = False
) -> _Grid | None:
    """One grid of files with the same header line, their bodies parsed as one CSV; None when
    they cannot be (a ragged row, bytes that are not UTF-8, a quote left open at the end of a
    file): each is then read alone, so that its problems are worded as ever.

    Quoted cells spanning lines (notes pasted with their line breaks) are read together too,
    each row's line counted from the breaks above it; every file must then start a row.
    `spans_likely`: see `_arrow_cells`."""
    import pyarrow as pa

    header, sep = _header_cells(batch[0].layout.header_line)
    if len(batch) == 1:
        item = batch[0]
        body = pa.py_buffer(item.raw)[item.layout.body :]  # no copy of a large file
    else:
        pieces: list = []
        for item in batch:
            pieces.append(memoryview(item.raw)[item.layout.body :])
            if not item.raw.endswith(b"\n"):
                pieces.append(b"\n")
        body = pa.py_buffer(b"".join(pieces))
    line_feeds = [item.layout.rows for item in batch]  # (a row a line, unless cells span)
    parsed = _arrow_cells(body, header, sep, sum(line_feeds), sources, spans_likely)
    if parsed is None:
        return None
    cells, stripped, plain, (joined_lines, spanned) = parsed
    codes = [item.code for item in batch]
    if joined_lines is None:
        lines, files = _one_row_a_line(codes, line_feeds)
        return _grid_of_files(
            header, cells, stripped, codes, lines, files, names, limits.cell_chars, plain
        )
    # Each row's first line in the joined bodies, 0 the first file's line 2: a file whose
    # first line does not start a row took a quote left open at the end of the one before.
    starts = np.cumsum([0, *line_feeds[:-1]])
    at = joined_lines - 2
    if not np.isin(starts, at).all():
        return None
    which = np.searchsorted(starts, at, side="right") - 1
    lines = at - starts[which] + 2
    files = np.array(codes, dtype=np.int32)[which]
    found = []
    for k, code in enumerate(codes):  # (worded file by file, as when each is read alone)
        own = {
            position: cells_of[which[cells_of.index] == k] for position, cells_of in spanned.items()
        }
        found += _rows_in_cells(own, lines, sep, header, names[code])
    grid = _grid_of_files(
        header, cells, stripped, codes, lines, files, names, limits.cell_chars, plain, found
    )
    grid.spans_lines = True
    return grid


def _one_row_a_line(codes: list[int], rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(each row's line, each row's file) of consecutive files, `rows[k]` rows in file
    `codes[k]`, one a line after the header."""
    lines = np.concatenate([np.arange(2, n + 2, dtype=np.int64) for n in rows])
    return lines, np.repeat(np.array(codes, dtype=np.int32), rows)


def _grid_of_files(
    header: list[str],
    cells: pd.DataFrame,
    stripped: frozenset[int],
    codes: list[int],
    lines: np.ndarray,
    files: np.ndarray,
    names: list[str],
    cell_chars: int,
    printable: frozenset[int] = frozenset(),
    found: list[Problem] | None = None,
) -> _Grid:
    """One grid of consecutive files' cells (NFC, `stripped` columns stripped): `codes`, their
    positions in `names`, each row's `lines` and `files` (its file's position). Free text is
    neutralised and a row with a bad key cell, or a cell longer than `cell_chars`, left out
    (`clean_cells`; `printable`: columns known to hold neither), its problems after those
    `found` in parsing."""
    kinds = {i: _canonical(header[i]) if i < len(header) else None for i in cells.columns}
    cells, kept, problems = clean_cells(
        kinds, cells, lines, lambda i: names[files[i]], cell_chars, printable=printable
    )
    if kept is not None:
        lines, files = lines[kept], files[kept]
    grid = _Grid(header, cells, lines, (found or []) + problems, lambda: [header], stripped)
    grid.files, grid.members = files, list(codes)
    return grid


def combine(tables: list[pd.DataFrame], plan: Plan) -> tuple[pd.DataFrame, list[Problem]]:
    """One table from several files; the same indicator, year and region twice is an error."""
    tables = [t for t in tables if len(t)]
    if not tables:
        return empty_table(), []
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    return drop_duplicates(table, plan)


def drop_duplicates(table: pd.DataFrame, plan: Plan) -> tuple[pd.DataFrame, list[Problem]]:
    """Keep the first of each (indicator, year, region); report the others with both places,
    naming the indicator as the plan does (its id is in the cell at either place)."""
    keys = ["indicator", "year", "region"]
    again = _repeated(table)
    if not again.any():
        return table, []
    # The first place of each repeated row found by one merge, not a lookup per row: a file of
    # one row copied down 560,000 times took 220 s in `.loc` alone.
    first = table.loc[~again, [*keys, "file", "line"]]
    repeats = table.loc[again, [*keys, "file", "line"]].merge(
        first, on=keys, how="left", suffixes=("", "_first"), sort=False
    )
    names = {i: indicator_names(plan, i) for i in pd.unique(repeats["indicator"])}
    problems = []
    for row in repeats.itertuples(index=False):
        name_vi, name_en = names[row.indicator]
        where = f"{row.file_first}:{row.line_first}"
        problems.append(
            Problem(
                row.file,
                f"«{name_vi}» năm {row.year} ({row.region}) đã có ở {where}: giữ một dòng",
                f"«{name_en}» {row.year} ({row.region}) is already given at {where}: keep one",
                line=int(row.line),
                column="indicator",
            )
        )
    return table[~again].reset_index(drop=True), problems


def misspelt_regions(
    table: pd.DataFrame, plan: Plan, regions: Factorized | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Without the plan's `regions`: a region that equals another region of the figures, or
    the plan's region, once case, a leading "tỉnh "/"thành phố " and diacritics are set aside
    ("Bac Kan", "BẮC KẠN") is an error naming the one it resembles; its rows are left out.
    Two spellings never become two regions silently (CONTRACT.md §1, version 2).

    The one kept is the plan's region when it is among them, else the spelling most rows
    use. Each distinct name is folded once.
    """
    if plan.region_keys is not None or not len(table):
        return table, []
    codes, uniques = regions if regions is not None else pd.factorize(table["region"])
    names = [str(name) for name in uniques]
    if names == [plan.plan.region]:
        return table, []
    keys = [fold_diacritics(name) for name in names]
    home = fold_diacritics(plan.plan.region)
    if len(set(keys)) == len(keys) and (home not in keys or plan.plan.region in names):
        return table, []
    counts = np.bincount(codes, minlength=len(names))
    chosen: dict[str, str] = {}
    for index in np.argsort(-counts, kind="stable").tolist():
        chosen.setdefault(keys[index], names[index])
    chosen[home] = plan.plan.region
    wrong = np.array([chosen[key] != name for key, name in zip(keys, names, strict=True)])
    if not wrong.any():
        return table, []
    bad = wrong[codes]
    problems = []
    for row in table.loc[bad, ["region", "file", "line"]].itertuples(index=False):
        right = chosen[fold_diacritics(row.region)]
        home_region = right == plan.plan.region
        whose_vi = "địa bàn của kế hoạch" if home_region else "một địa bàn khác trong số liệu"
        whose_en = "the plan's region" if home_region else "another region of the figures"
        problems.append(
            Problem(
                row.file,
                f"địa bàn «{row.region}» chỉ khác «{right}» ({whose_vi}) ở chữ hoa, dấu hoặc "
                f"chữ «tỉnh»: viết «{right}», để một địa bàn không thành hai",
                f"region «{row.region}» differs from «{right}» ({whose_en}) "
                f"only in case, diacritics or «tỉnh»: write «{right}», so that one region "
                "does not become two",
                line=int(row.line),
                column="region",
            )
        )
    return table[~bad].reset_index(drop=True), problems


def _repeated(table: pd.DataFrame, keys: Keys | None = None) -> pd.Series:
    """`table.duplicated(["indicator", "year", "region"], keep="first")`, from one int per row.

    The indicator and region columns as codes (`keys`, else factorised here) and the year are
    folded into one int64, whose hash look-up is several times cheaper than pandas' own for a
    million rows of text. Years are whole years within YEAR_RANGE: each is its own code,
    nothing to hash.
    """

    def codes(name: str) -> tuple[np.ndarray, int]:
        if keys is not None:  # found while the table was checked
            code, uniques = getattr(keys, name)
        else:
            code, uniques = pd.factorize(table[name], use_na_sentinel=False)
        return code, max(len(uniques), 1)

    indicator, n_indicators = codes("indicator")
    region, n_regions = codes("region")
    year = table["year"].to_numpy(dtype=np.int64)
    first = int(year.min()) if len(year) else 0
    n_years = int(year.max()) - first + 1 if len(year) else 1
    if n_indicators * n_years * n_regions >= 2**62:  # cannot happen for real files; stay exact
        return table.duplicated(["indicator", "year", "region"], keep="first")
    key = figure_key(indicator, region, year, n_regions, n_years, first)
    span = n_indicators * n_years * n_regions
    if span <= max(4 * len(key), 1 << 20):
        # The usual answer, "no figure given twice", from one flag per possible key (as many
        # flags set as rows): no hash table of a million entries to build. (Flags, not counts:
        # 3 MB written where 24 MB were, 13 ms at 3,060,000 figures in no order where
        # counting took 23, 3 where it took 33 in order.)
        given = np.zeros(span, dtype=bool)
        given[key] = True
        if int(np.count_nonzero(given)) == len(key):
            return pd.Series(False, index=table.index)
    return pd.Series(key, index=table.index).duplicated(keep="first")


# ---------------------------------------------------------------------------------------------
# One file


def parse_figures_bytes(
    raw: bytes,
    file: str,
    plan: Plan,
    also_known: Collection[str] = frozenset(),
    typed: bool = False,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one file given as bytes (CSV or XLSX, judged by content, not by name).

    Rows whose indicator is in `also_known` and not in `plan` belong to another plan of the
    catalogue: they are skipped unchecked, like rows without a value. `typed`: the bytes were
    written from cells typed on a page (/data's grid), UTF-8 by construction: no file was
    decoded, so text is never judged as decoded with the wrong code page.
    """
    return _parse(raw, file, plan, also_known, typed=typed)


def _parse(
    raw: bytes,
    file: str,
    plan: Plan,
    also_known: Collection[str] = frozenset(),
    duplicates: bool = True,
    sources: bool = True,
    typed: bool = False,
) -> tuple[pd.DataFrame, list[Problem]]:
    """`parse_figures_bytes`; `duplicates=False` keeps a figure given twice (the caller looks
    for them over several files at once); `sources=False`: no source and note columns."""
    grid = _grid(raw, file, sources)
    if isinstance(grid, Problem):
        return empty_table(), [grid]
    garbled = None if typed else _garbled(grid, file)
    if garbled is not None:  # every other message would be about text nobody typed
        return empty_table(), [garbled]
    grid.files, grid.members = np.zeros(len(grid.lines), dtype=np.int32), [0]
    table, _, (problems,), _ = _check_files([grid], [file], plan, also_known, sources)
    problems = odd_estimate_marks(grid, file) + problems
    if not duplicates:
        return table, problems
    table, again = drop_duplicates(table, plan)
    table, misspelt = misspelt_regions(table, plan)
    return table, _sorted(_sorted(problems + again) + misspelt)


def _estimate_position(grid: _Grid) -> int | None:
    """The column read as `estimate` (the first so named, as `_text_table` takes it)."""
    return next((i for i, name in enumerate(grid.header) if _canonical(name) == "estimate"), None)


def _lone_mark(text: object) -> bool:
    """An «ước tính» cell of one character no Vietnamese text holds (`mojibake.suspicious`):
    a mark (a cross, a symbol font's tick), not a word decoded with the wrong code page."""
    if not isinstance(text, str):
        return False
    text = text.strip()
    return len(text) == 1 and mojibake.suspicious(text)


def odd_estimate_marks(grid: _Grid, file: str) -> list[Problem]:
    """One error for each mark an «ước tính» cell holds that the dashboard does not read, such as
    «✗» (an estimate, or not one?) or «ü» (Excel's Wingdings tick): at its first line, saying
    what the column takes and what to type. Taken for garbled text, they were told to save the
    file as CSV UTF-8, which changed nothing. And one warning for each word that says "not an
    estimate" (`NOT_ESTIMATE_MARKS`, «0», «không»), read so but told: CONTRACT.md §2 counts any
    non-empty cell as an estimate, and a sender who typed «không» in every row may have meant
    something else by the column."""
    from kpis.i18n import format_number

    position = _estimate_position(grid)
    if position is None:
        return []
    column = grid.cells[position]
    cells = column.to_numpy()
    values = next((i for i, name in enumerate(grid.header) if _canonical(name) == "value"), None)
    # A row without a value is skipped unchecked (CONTRACT.md §2): its mark is nobody's figure.
    reported = (
        grid.cells[values].fillna("").astype(str).str.strip().ne("").to_numpy()
        if values is not None and values in grid.cells
        else np.ones(len(cells), dtype=bool)
    )

    def where(lines: list[int]) -> tuple[str, str]:
        if len(lines) < 2:
            return "", ""
        shown = ", ".join(str(line) for line in lines[:MOST_MARK_LINES])
        shown += "…" if len(lines) > MOST_MARK_LINES else ""
        return (
            f" ({format_number(len(lines), 'vi')} ô như vậy, dòng {shown})",
            f" ({format_number(len(lines), 'en')} cells like it, lines {shown})",
        )

    problems = []
    for text in pd.unique(column):
        if not isinstance(text, str):
            continue
        mark = text.strip()
        if mark.lower() in NOT_ESTIMATE_MARKS:
            lines = [int(line) for line in grid.lines[np.flatnonzero((cells == text) & reported)]]
            if not lines:
                continue
            at = where(lines)
            problems.append(
                Problem(
                    file,
                    f"«{mark}» trong cột ước tính được hiểu là không phải ước tính{at[0]}: để "
                    "trống ô nếu không phải ước tính, ghi x nếu là ước tính",
                    f"«{mark}» in the estimate column is read as not an estimate{at[1]}: leave "
                    "the cell empty if it is not an estimate, write x if it is",
                    line=lines[0],
                    column="estimate",
                    severity="warning",
                )
            )
            continue
        if not _lone_mark(text):
            continue
        lines = [int(line) for line in grid.lines[np.flatnonzero(cells == text)]]
        at = where(lines)
        font = WINGDINGS_MARKS.get(mark)
        if font is None:
            what = (
                f"«{mark}» không phải dấu cột ước tính nhận",
                f"«{mark}» is not a mark the estimate column takes",
            )
        else:
            what = (
                f"«{mark}» là {font[0]} của phông Wingdings trong Excel, tệp chỉ giữ chữ «{mark}»",
                f"«{mark}» is Excel's Wingdings {font[1]}, the file keeps only the letter «{mark}»",
            )
        if font is not None and font[2]:
            do = ("gõ x thay cho dấu này", "type x instead")
        else:
            do = (
                "gõ x nếu số liệu là ước tính, để trống ô nếu là số liệu chính thức",
                "type x if the figure is an estimate, leave the cell empty if it is the reported "
                "figure",
            )
        problems.append(
            Problem(
                file,
                f"{what[0]}{at[0]}: {do[0]}. {ESTIMATE_MARKS_TOLD[0]}",
                f"{what[1]}{at[1]}: {do[1]}. {ESTIMATE_MARKS_TOLD[1]}",
                line=lines[0],
                column="estimate",
            )
        )
    return problems


def _garbled(grid: _Grid, file: str) -> Problem | None:
    """One error for a file whose text looks decoded with the wrong code page (mojibake):
    where it is first seen, what encoding it looks like, and how to save the file instead."""
    hits: list[tuple[int, int, str | None, str]] = []
    count = 0
    for position, name in enumerate(grid.header):
        if mojibake.suspicious(name):
            hits.append((1, position, None, name.strip()))
            count += 1
    marks = _estimate_position(grid)
    for position in grid.cells.columns:
        column = grid.cells[position]
        # Each distinct text once: regions and sources repeat down a file.
        bad = [t for t in pd.unique(column) if isinstance(t, str) and mojibake.suspicious(t)]
        if position == marks:  # a lone mark is said by `odd_estimate_marks`, not as mojibake
            bad = [t for t in bad if not _lone_mark(t)]
        if not bad:
            continue
        rows = np.flatnonzero(column.isin(bad).to_numpy(dtype=bool))
        name = grid.header[position].strip() if position < len(grid.header) else None
        hits.append(
            (
                int(grid.lines[rows[0]]),
                int(position),
                _canonical(name or "") or name,
                column.iloc[rows[0]],
            )
        )
        count += len(rows)
    if not hits:
        return None
    line, position, column, first = min(hits, key=lambda hit: hit[:2])
    texts = [first] + [hit[3] for hit in hits if hit[3] != first]
    diagnosis = mojibake.diagnose(texts, grid.legacy, line, position)
    looks_vi, looks_en = mojibake.ENCODINGS[diagnosis.kind]
    meant_vi = f" (lẽ ra là «{diagnosis.repaired}»)" if diagnosis.repaired else ""
    meant_en = f" (meant as «{diagnosis.repaired}»)" if diagnosis.repaired else ""
    legacy = diagnosis.kind in ("tcvn3", "vni")
    convert_vi = (
        "chuyển sang Unicode (ví dụ Unikey › Công cụ chuyển mã, từ "
        f"{'TCVN3' if diagnosis.kind == 'tcvn3' else 'VNI Windows'} sang Unicode), rồi "
        if legacy
        else "mở lại tệp gốc với đúng bảng mã, rồi "
    )
    convert_en = (
        f"convert it to Unicode (Unikey's converter, say, from "
        f"{'TCVN3' if diagnosis.kind == 'tcvn3' else 'VNI Windows'} to Unicode), then "
        if legacy
        else "open the original file with its right encoding, then "
    )
    return Problem(
        file,
        f"chữ bị lỗi bảng mã: «{first[:60]}»{meant_vi}, {count} ô như vậy; tệp có vẻ là "
        f"{looks_vi}. Cách sửa: {convert_vi}trong Excel chọn Lưu thành › «CSV UTF-8 (Comma "
        "delimited)» (LibreOffice: Lưu thành «Text CSV», bộ ký tự «Unicode (UTF-8)»), hoặc "
        "lưu dạng .xlsx, rồi tải lên lại",
        f"garbled text: «{first[:60]}»{meant_en}, {count} cells like it; the file looks like "
        f"{looks_en}. To fix: {convert_en}in Excel Save As › «CSV UTF-8 (Comma delimited)» "
        "(LibreOffice: Save As «Text CSV», character set «Unicode (UTF-8)»), or save as .xlsx, "
        "and upload it again",
        line=line,
        column=column,
    )


def _grid(raw: bytes, file: str, sources: bool = True) -> _Grid | Problem:
    """The cells of one file as text (CSV or XLSX, judged by content), or why there are none."""
    if _NOT_SPACE.search(raw) is None:
        return Problem(
            file,
            "tệp rỗng: cần dòng tiêu đề và số liệu",
            "the file is empty: it needs a header line and figures",
        ).of_whole_file()
    other = _other_format(raw, file)
    if other is not None:
        return other.of_whole_file()
    return _guarded_grid(raw, file, sources)


def _guarded_grid(raw: bytes, file: str, sources: bool = True) -> _Grid | Problem:
    """The cells of one file, within the limits (kpis.guard, checked before parsing), their
    text cleaned (kpis.cell_text); any failure of the parsers is a problem of the file."""
    limits = active_limits()
    xlsx = raw.startswith(XLSX_MAGIC)
    refused = (guard.check_xlsx if xlsx else guard.check_csv)(raw, file, limits)
    if refused:
        return refused.of_whole_file()
    try:
        grid = _xlsx_grid(raw, file) if xlsx else _csv_grid(raw, file, sources, limits)
    except Exception as exc:  # noqa: BLE001 - a malformed file must never be a traceback
        # Info, not warning: with no handler set up (the command line) Python prints a warning
        # to stderr, in English, beside the problem that says it in the user's language.
        LOG.info("cannot parse %s (%s)", file, type(exc).__name__, exc_info=True)
        return Problem(
            file,
            "không đọc được tệp: mở bằng Excel hoặc LibreOffice, lưu lại dạng «CSV UTF-8» "
            "rồi thử lại",
            "cannot read the file: open it in Excel or LibreOffice, save it as «CSV UTF-8» and "
            "try again",
        ).of_whole_file()
    if isinstance(grid, Problem):
        return grid.of_whole_file()
    kinds = {
        i: _canonical(grid.header[i]) if i < len(grid.header) else None for i in grid.cells.columns
    }
    cells, kept, problems = clean_cells(
        kinds,
        grid.cells,
        grid.lines,
        file,
        limits.cell_chars,
        PERCENT_MARK if xlsx else None,
        printable=grid.printable,
    )
    if cells is grid.cells and not problems:
        return grid
    lines = grid.lines if kept is None else grid.lines[kept]
    grid.cells, grid.lines, grid.problems = cells, lines, grid.problems + problems
    return grid


_SAVE_AS = (
    "mở tệp trong Excel hoặc LibreOffice và chọn Lưu thành › «Excel Workbook (.xlsx)» hoặc "
    "«CSV UTF-8 (Comma delimited)», rồi tải lên tệp mới",
    "open it in Excel or LibreOffice and Save As › «Excel Workbook (.xlsx)» or «CSV UTF-8 "
    "(Comma delimited)», then upload the new file",
)


def _other_format(raw: bytes, file: str) -> Problem | None:
    """A file of a kind the reader does not take (judged by content, whatever its name)."""
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # Excel keeps a password-protected .xlsx in the same container as an .xls, the
        # workbook in one stream named so (its name is stored in UTF-16 in the directory).
        if "EncryptedPackage".encode("utf-16-le") in raw:
            return Problem(
                file,
                "tệp có mật khẩu, không đọc được: mở tệp bằng Excel, gỡ mật khẩu (Tệp › Thông "
                "tin › Bảo vệ sổ làm việc › Mã hoá bằng mật khẩu, xoá mật khẩu) rồi lưu lại và "
                "tải lên tệp mới",
                "the file is password-protected and cannot be read: open it in Excel, remove "
                "the password (File › Info › Protect Workbook › Encrypt with Password, clear "
                "it), save it and upload the new file",
            )
        what = ("tệp Excel 97-2003 (.xls)", "an Excel 97-2003 workbook (.xls)")
    elif raw.lstrip()[:5] == b"%PDF-":
        what = ("tệp PDF, không phải bảng tính", "a PDF document, not a spreadsheet")
    elif _HTML.match(raw[:1024]):
        # What many web systems' «Xuất Excel» send: a web page named .xls or .xlsx, which
        # Excel opens (after a warning) and can save as a real workbook.
        return Problem(
            file,
            "tệp này là trang web (HTML) chứ không phải Excel: mở bằng Excel rồi chọn Lưu "
            "thành › «Excel Workbook (.xlsx)» và tải lên tệp mới",
            "this file is a web page (HTML), not an Excel workbook: open it in Excel, Save As "
            "› «Excel Workbook (.xlsx)» and upload the new file",
        )
    elif raw.startswith(XLSX_MAGIC):
        names = _zip_names(raw)
        if names is None or "xl/workbook.xml" in names:
            return None  # an .xlsx (or too damaged to tell: the .xlsx reader says so)
        if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
            what = ("tệp Apple Numbers (đổi tên thành .xlsx)", "an Apple Numbers file")
            return Problem(
                file,
                f"đây là {what[0]}, không đọc được: trong Numbers chọn Tệp › Xuất sang › Excel "
                "(.xlsx) hoặc CSV (UTF-8), rồi tải lên tệp mới",
                f"this is {what[1]}, which cannot be read: in Numbers choose File › Export To "
                "› Excel (.xlsx) or CSV (UTF-8), then upload the new file",
            )
        elif "content.xml" in names:
            what = ("bảng tính OpenDocument (.ods)", "an OpenDocument spreadsheet (.ods)")
        elif any(n.startswith("word/") for n in names):
            what = ("văn bản Word (.docx), không phải bảng tính", "a Word document (.docx)")
        else:
            what = ("tệp nén (.zip), không phải bảng tính", "a zip archive, not a spreadsheet")
    else:
        return None
    return Problem(
        file,
        f"đây là {what[0]}, không đọc được: {_SAVE_AS[0]}",
        f"this is {what[1]}, which cannot be read: {_SAVE_AS[1]}",
    )


# A web page, perhaps after a byte-order mark, spaces or an XML declaration (Excel's own
# «Web Page» format starts `<html xmlns:o="urn:schemas-microsoft-com:office:office"`).
_HTML = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<table|<head|<meta)",
    re.IGNORECASE | re.DOTALL,
)


def _zip_names(raw: bytes) -> set[str] | None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return set(archive.namelist()[:10_000])
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def text_rows(raw: bytes, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Every row of one file as text, whatever its indicator: the contract's columns under
    their canonical names (version 2's `estimate` too, when the file has it), then every
    other column of the file (`name`, columns of the province's own) under its header as
    written.

    For rewriting a saved file (kpis.store): rows that another plan of the catalogue owns must
    be kept, so nothing is checked against a plan; nor is any column the staff keep beside the
    figures lost. A header given twice is told apart by `EXTRA_MARK` and a number
    (`extra_header` gives the header back). Only a column with no header and no text goes.
    """
    grid = _guarded_grid(raw, file)
    if isinstance(grid, Problem):
        return pd.DataFrame(columns=COLUMNS, dtype=object), [grid]
    return _text_table(grid), grid.problems


def text_rows_of(paths: list[Path]) -> list[tuple[pd.DataFrame, list[Problem]]]:
    """`text_rows` of several files, in order: consecutive files with one header line are
    parsed together (as `read_figures` does) and their rows cut apart again; any other file
    is read alone. For the store rewriting a year's figures in 340 region files."""
    limits = active_limits()
    names = [str(path) for path in paths]
    loaded = []
    for code, path in enumerate(paths):
        raw = path.read_bytes()
        loaded.append(_Loaded(code, raw, layout=_layout(raw, names[code], limits)))
    out: list[tuple[pd.DataFrame, list[Problem]]] = []
    start = 0
    while start < len(loaded):
        end, size = start + 1, len(loaded[start].raw)
        layout = loaded[start].layout
        while (
            layout is not None
            and end < len(loaded)
            and loaded[end].layout is not None
            and loaded[end].layout.header_line == layout.header_line
            and size < _BATCH_BYTES
        ):
            size += len(loaded[end].raw)
            end += 1
        batch = loaded[start:end]
        grid = None
        if layout is not None and all(h.strip() for h in _header_cells(layout.header_line)[0]):
            # (a column without a header is kept or dropped file by file: read those alone)
            grid = _parse_together(batch, names, True, limits)
        if grid is None:
            out += [text_rows(item.raw, names[item.code]) for item in batch]
        else:
            table = _text_table(grid)
            own = _by_member(grid.problems, grid.members, names)
            bounds = np.searchsorted(grid.files, [item.code for item in batch] + [end])
            for i, item in enumerate(batch):
                part = table.iloc[bounds[i] : bounds[i + 1]].reset_index(drop=True)
                out.append((part, own.get(item.code, [])))
        start = end
    return out


@dataclass
class WrittenFiles:
    """Files about to be written (kpis.store), as the texts they are written from: their
    header's cells, then one text column per header cell (pyarrow arrays) holding each file's
    rows in turn, `names[k]` having `rows[k]` of them, each written on a line of its own."""

    header: list[str]
    columns: list
    names: list[str]
    rows: list[int]


@dataclass
class FolderRead:
    """A data folder read once (`read_folder_with_rows`): its figures, and what an import
    under the same lock asks of the same parse."""

    figures: Figures
    # `text_rows_of` of some of its files
    rows_of: Callable[[list[Path]], list[tuple[pd.DataFrame, list[Problem]]]]
    # `read_figures_as_if` of the folder once some files are replaced (name -> bytes; None:
    # removed): only those are parsed, the others' cells are taken from this read; the
    # texts a new file is written from (`WrittenFiles`), when given, instead of its bytes;
    # `sources=False`: the table without source and note, the problems the same;
    # `warnings=False`: the errors the same, not every warning looked for
    as_if: Callable[..., Figures]
    # the SHA-256 digest of each file as read, by name (a file too large to read has none)
    digests: dict[str, bytes]
    # `rows_of` of some of its files as one table (`JoinedRows`), or None when a file is not
    # served as cells of this read without a problem (`rows_of` says why)
    joined_rows_of: Callable[[list[Path]], JoinedRows | None]


@dataclass
class JoinedRows:
    """The text rows of several files (`text_rows_of`) in one table, in their order: each
    row's file (its position in the files asked for), and each file's columns."""

    table: pd.DataFrame
    files: np.ndarray
    columns: list[tuple[str, ...]]


def read_folder_with_rows(
    folder: Path, plan: Plan, also_known: Collection[str] = frozenset()
) -> FolderRead:
    """`read_figures` of a data folder, with `text_rows_of` and `read_figures_as_if` served
    from the same parse: an import that rewrites a year in 340 region files parses each saved
    file once (kpis.store, under its lock, so the files cannot change in between). A file the
    read could not take as cells, or parsed together with others under a header with an
    empty cell (`text_rows_of` reads those alone), is read again as `text_rows` reads it."""
    files, problems = figure_files(Path(folder))
    names = [str(file) for file in files]
    digests: dict[str, bytes] = {}
    grids, unreadable = _read_files(files, True, digests=digests)
    # A copy to `_figures`, which empties the list it is given: the import keeps the cells.
    figures = _figures(list(grids), names, unreadable, problems, plan, also_known, True)
    grid_of = {code: grid for grid in grids for code in grid.members}
    code_of = {name: code for code, name in enumerate(names)}
    tables: dict[int, tuple[pd.DataFrame, dict[int, list[Problem]]]] = {}

    def served(code: int | None) -> _Grid | None:
        # The grid holding a file's cells; None where this read does not serve its rows (not
        # read as cells, or under a header with an empty cell: `text_rows` reads those alone).
        grid = grid_of.get(code) if code is not None else None
        return grid if grid is not None and all(h.strip() for h in grid.header) else None

    def rows_of(paths: list[Path]) -> list[tuple[pd.DataFrame, list[Problem]]]:
        out = []
        for path in paths:
            code = code_of.get(str(path))
            grid = served(code)
            if grid is None:
                out.append(text_rows(Path(path).read_bytes(), str(path)))
                continue
            table, own = table_of(grid)
            # (the codes as the grid's own type: a list of ints would copy its files as int64)
            keys = np.array([code, code + 1], dtype=grid.files.dtype)
            start, end = np.searchsorted(grid.files, keys)
            out.append((table.iloc[start:end], own.get(code, [])))
        return out

    def table_of(grid: _Grid) -> tuple[pd.DataFrame, dict[int, list[Problem]]]:
        if id(grid) not in tables:
            tables[id(grid)] = (_text_table(grid), own_problems(grid))
        return tables[id(grid)]

    owns: dict[int, dict[int, list[Problem]]] = {}

    def own_problems(grid: _Grid) -> dict[int, list[Problem]]:
        if id(grid) not in owns:
            owns[id(grid)] = _by_member(grid.problems, grid.members, names)
        return owns[id(grid)]

    def joined_rows_of(paths: list[Path]) -> JoinedRows | None:
        # Each run of files next to each other in a batch is a slice of its cells (a view);
        # the slices of consecutive batches under one header are joined, then made text rows
        # once. A year's import into 1,360 region-decade files wants every fourth file of
        # each batch: their rows were made text rows whole batch by batch (every file's),
        # taken out and joined again.
        segments: list[tuple[list[str], list[_Grid], list[pd.DataFrame]]] = []
        files: list[np.ndarray] = []
        segment_of: list[int] = []  # each file's segment
        codes = [code_of.get(str(path)) for path in paths]
        at = 0
        while at < len(paths):
            grid = served(codes[at])
            if grid is None:
                return None
            own = own_problems(grid)
            end = at
            while end < len(paths) and codes[end] is not None and grid_of.get(codes[end]) is grid:
                if own.get(codes[end]):
                    return None
                end += 1
            keys = np.asarray(codes[at:end], dtype=grid.files.dtype)
            starts = np.searchsorted(grid.files, keys, side="left")
            ends = np.searchsorted(grid.files, keys, side="right")
            if not segments or segments[-1][0] != grid.header:
                segments.append((grid.header, [], []))
            segments[-1][1].append(grid)
            cuts = np.flatnonzero(starts[1:] != ends[:-1]) + 1
            for first, last in zip([0, *cuts], [*cuts, len(keys)], strict=True):
                segments[-1][2].append(grid.cells.iloc[int(starts[first]) : int(ends[last - 1])])
            files.append(np.repeat(np.arange(at, end), ends - starts))
            segment_of += [len(segments) - 1] * (end - at)
            at = end
        if not segments:
            return None
        text_tables = []
        for _, grids_of_header, slices in segments:
            cells = pd.concat(slices, ignore_index=True) if len(slices) > 1 else slices[0]
            # (a column stripped in every batch is stripped in the join)
            stripped = frozenset.intersection(*(grid.stripped for grid in grids_of_header))
            joined_grid = replace(
                grids_of_header[0], cells=cells.reset_index(drop=True), stripped=stripped
            )
            text_tables.append(_text_table(joined_grid))
        joined = (
            pd.concat(text_tables, ignore_index=True) if len(text_tables) > 1 else text_tables[0]
        )
        columns = [tuple(text_tables[segment].columns) for segment in segment_of]
        return JoinedRows(joined.reset_index(drop=True), np.concatenate(files), columns)

    def as_if(
        contents: dict[str, bytes | None],
        written: Collection[WrittenFiles] = (),
        sources: bool = True,
        warnings: bool = True,
    ) -> Figures:
        # The folder as `read_figures_as_if` lists it (the same listing: nothing changed it).
        listed = sorted({file.name for file in files} | set(contents))
        paths = [Path(folder) / name for name in listed if contents.get(name, b"") is not None]
        listing = [str(path) for path in paths]
        position = {name: i for i, name in enumerate(listing)}
        kept: list[_Grid] = []
        for grid in grids:
            # The files of a grid that are not rewritten keep their cells, in runs of files
            # that stay next to each other in the listing (each run a grid of its own, so
            # the rows stay in file order): only the rewritten files and the files between
            # them are read again (a year's import into 340 of 1,360 region-decade files
            # rewrites one file of every batch read together).
            runs: list[list[int]] = []
            for code in grid.members:
                if Path(names[code]).name in contents:
                    continue
                if runs and position[names[code]] == position[names[runs[-1][-1]]] + 1:
                    runs[-1].append(code)
                else:
                    runs.append([code])
            kept.extend(_parts(grid, runs, position, names))
        covered = {code for grid in kept for code in grid.members}
        given = {str(Path(folder) / n): raw for n, raw in contents.items() if raw is not None}
        unreadable_now: dict[int, Problem] = {}
        rest = [i for i in range(len(paths)) if i not in covered]
        limits = active_limits()
        texts = _written_texts(written, given, limits)
        from_texts: dict[int, tuple[WrittenFiles, list[list[int]]]] = {}
        # Each run of consecutive files apart: the rows stay in file order, as when all are read.
        for start, end in _runs(np.cumsum(np.diff([-1, *rest]) != 1)):
            for run, group in _pieces(rest[start:end], listing, texts):
                if group is not None:
                    from_texts.setdefault(id(group), (group, []))[1].append(run)
                    continue
                read, unread = _read_files([paths[i] for i in run], True, given)
                for grid in read:
                    grid.files = np.asarray(run, dtype=np.int32)[grid.files]
                    grid.members = [run[code] for code in grid.members]
                kept.extend(read)
                unreadable_now.update({run[code]: problem for code, problem in unread.items()})
        # (a national rewrite is written in two halves: their texts are cleaned at once)
        from_rows = sum(place.rows for place in texts.values())
        made = two_at_a_time(
            from_rows >= cores.PARALLEL_ROWS,
            *[
                functools.partial(
                    _written_grids, group, runs, listing, position, texts, limits.cell_chars
                )
                for group, runs in from_texts.values()
            ],
        )
        kept.extend(grid for grids_of_group in made for grid in grids_of_group)
        kept.sort(key=lambda grid: grid.members[0])
        return _figures(kept, listing, unreadable_now, [], plan, also_known, sources, warnings)

    return FolderRead(figures, rows_of, as_if, digests, joined_rows_of)


class _Written(NamedTuple):
    """Where a new file's texts are in its `WrittenFiles`: its rows from `start`, `rows` of
    them."""

    group: WrittenFiles
    start: int
    rows: int


def _written_texts(
    written: Collection[WrittenFiles], given: dict[str, bytes], limits
) -> dict[str, _Written]:
    """The new files (path -> bytes in `given`) whose bytes the fast reader takes as one row a
    line (`_layout`), each line of the texts it is written from: their cells are those texts,
    NFC and stripped (`_clean_texts`), as parsing the bytes back gives them, for canonical CSV
    writes exactly its cells (tests/test_store.py holds it to Python's `csv` module). Any
    other file (a cell with a line break in it, bytes past a limit) is parsed, and its
    problems worded, as ever."""
    by_name = {path.rsplit(os.sep, 1)[-1]: path for path in given}
    placed: list[tuple[str, _Written]] = []
    for group in written:
        start = 0
        for name, rows in zip(group.names, group.rows, strict=True):
            path = by_name.get(name)
            if path is not None:
                placed.append((path, _Written(group, start, rows)))
            start += rows
    # The files' lines counted in worker threads (numpy, without Python's lock): a national
    # rewrite is a few hundred MB.
    workers = min(usable_cores(), len(placed))
    size = sum(len(given[path]) for path, _ in placed)

    def layout_of(item: tuple[str, _Written]) -> _Layout | None:
        return _layout(given[item[0]], item[0], limits)

    if workers > 1 and size >= _BATCH_BYTES:
        with ThreadPoolExecutor(workers) as pool:
            layouts = list(pool.map(layout_of, placed))
    else:
        layouts = [layout_of(item) for item in placed]
    return {
        path: at
        for (path, at), layout in zip(placed, layouts, strict=True)
        if layout is not None
        and layout.rows == at.rows
        and _header_cells(layout.header_line)[0] == at.group.header
    }


def _pieces(
    run: list[int], names: list[str], texts: dict[str, _Written]
) -> list[tuple[list[int], WrittenFiles | None]]:
    """A run of consecutive files cut where the way they are read changes: files written from
    texts at hand, next to each other in one `WrittenFiles` (with the group), and files read
    from their bytes (None)."""
    pieces: list[tuple[list[int], WrittenFiles | None]] = []
    before: _Written | None = None
    for code in run:
        at = texts.get(names[code])
        if pieces and (
            (at is None and before is None)
            or (
                at is not None
                and before is not None
                and at.group is before.group
                and at.start == before.start + before.rows  # (no file between them)
            )
        ):
            pieces[-1][0].append(code)
        else:
            pieces.append(([code], at.group if at is not None else None))
        before = at
    return pieces


def _written_grids(
    group: WrittenFiles,
    runs: list[list[int]],
    names: list[str],
    position: dict[str, int],
    texts: dict[str, _Written],
    cell_chars: int,
) -> list[_Grid]:
    """A grid for each run of consecutive files of one `WrittenFiles` (`runs`: their positions
    in `names`, the listing's paths, in order; `position`: each path's), from the texts they
    are written from, as `_parse_together` gives it from their bytes (whose header
    `_written_texts` found to be the group's). The texts of all the runs are cleaned at once,
    then cut into runs: a year's import into 340 of 1,360 region-decade files writes 340 runs
    of one file each, which took ~6 ms apiece cleaned one by one."""
    import pyarrow as pa

    spans = [
        (texts[names[run[0]]].start, sum(texts[names[code]].rows for code in run)) for run in runs
    ]
    # (runs of the group one after the other: a slice of its columns, no copy)
    following = all(
        start == before + rows
        for (before, rows), (start, _) in zip(spans[:-1], spans[1:], strict=True)
    )

    def cut(column):
        if following:
            return column.slice(spans[0][0], sum(rows for _, rows in spans))
        pieces = [column.slice(start, rows) for start, rows in spans]
        return pa.concat_arrays(
            [p.combine_chunks() if isinstance(p, pa.ChunkedArray) else p for p in pieces]
        )

    columns = {i: cut(column) for i, column in enumerate(group.columns)}
    cells, plain = _clean_texts(columns)
    stripped = frozenset(cells.columns)
    codes = [code for run in runs for code in run]
    lines, files = _one_row_a_line(codes, [texts[names[code]].rows for code in codes])
    grid = _grid_of_files(
        group.header, cells, stripped, codes, lines, files, names, cell_chars, plain
    )
    return _parts(grid, runs, position, names)


def _parts(
    grid: _Grid, runs: list[list[int]], position: dict[str, int], names: list[str]
) -> list[_Grid]:
    """`_part` of each run of a grid's files (`runs`, codes in `names`, in the grid's order),
    as a slice of the grid's rows where they are in file order and no other file of the grid
    lies between a run's files: ~400 runs kept of a national read's batches took ~3 ms each
    when every run was looked for among all its grid's rows."""
    if not runs:
        return []
    files = grid.files
    members = np.asarray(grid.members, dtype=np.int64)
    in_order = (len(files) < 2 or bool((files[1:] >= files[:-1]).all())) and (
        len(members) < 2 or bool((members[1:] > members[:-1]).all())
    )
    if not in_order:
        return [_part(grid, run, position, names) for run in runs]
    starts = np.searchsorted(files, members, side="left")
    ends = np.searchsorted(files, members, side="right")
    index = {code: i for i, code in enumerate(grid.members)}
    recode = np.zeros(len(names), dtype=np.int32)
    # (a file removed is in no run: it has no place in the new listing)
    recode[members] = [position.get(names[code], -1) for code in grid.members]
    parts = []
    for run in runs:
        first, last = index[run[0]], index[run[-1]]
        if last - first + 1 != len(run):  # (a file of the grid between two of the run's)
            parts.append(_part(grid, run, position, names))
            continue
        start, end = int(starts[first]), int(ends[last])
        own = {names[code] for code in run}
        parts.append(
            replace(
                grid,
                cells=grid.cells.iloc[start:end].reset_index(drop=True),
                lines=grid.lines[start:end],
                problems=[problem for problem in grid.problems if problem.file in own],
                files=recode[files[start:end]],
                members=recode[run].tolist(),
            )
        )
    return parts


def _part(grid: _Grid, members: list[int], position: dict[str, int], names: list[str]) -> _Grid:
    """The rows of some of a grid's files (`members`, codes in `names`), as a grid of its own
    whose files are coded by their `position` in another listing."""
    recode = np.zeros(len(names), dtype=np.int32)
    recode[members] = [position[names[code]] for code in members]
    if members == grid.members:
        return replace(grid, files=recode[grid.files], members=recode[members].tolist())
    rows = np.isin(grid.files, members)
    own = {names[code] for code in members}
    return replace(
        grid,
        cells=grid.cells[rows].reset_index(drop=True),
        lines=grid.lines[rows],
        problems=[problem for problem in grid.problems if problem.file in own],
        files=recode[grid.files[rows]],
        members=recode[members].tolist(),
    )


def _text_table(grid: _Grid) -> pd.DataFrame:
    """The cells of a grid as `text_rows` gives them."""
    positions: dict[str, int] = {}
    extras: dict[str, int] = {}
    for index, name in enumerate(grid.header):
        canonical = _canonical(name)
        if canonical in COLUMNS and canonical not in positions:
            positions[canonical] = index
            continue
        if canonical == "estimate" and "estimate" not in extras:
            # Version 2's column, under its canonical name whatever the header (`ước tính`):
            # the store updates it and canonical CSV writes it as `estimate`.
            extras["estimate"] = index
            continue
        header = name.replace("\ufeff", "").strip()
        if not header and not (grid.cells[index].astype(str).str.strip() != "").any():
            continue  # a trailing separator on every line: an empty column, nothing to keep
        label, n = header, 1
        while label in extras or label in COLUMNS:
            label, n = f"{header}{EXTRA_MARK}{n}", n + 1
        extras[label] = index

    def stripped(index: int) -> pd.Series:
        # (a column the fast reader stripped already is not stripped again: a million cells)
        cells = grid.cells[index].astype(str)
        return cells if index in grid.stripped else cells.str.strip()

    text = {
        column: (
            stripped(positions[column])
            if column in positions
            else pd.Series("", index=grid.cells.index, dtype=object)
        )
        for column in COLUMNS
    }
    text.update({label: stripped(index) for label, index in extras.items()})
    return pd.DataFrame(text).reset_index(drop=True)


EXTRA_MARK = "\0"  # never in a header read from a file: NUL cannot be typed into a cell


def extra_header(label: str) -> str:
    """The header a column of `text_rows` was read under."""
    return label.split(EXTRA_MARK, 1)[0]


@dataclass
class _Grid:
    """Cells as text, one row a figure, with the line each row stands on."""

    header: list[str]
    cells: pd.DataFrame  # positional columns 0..n-1, all str
    lines: np.ndarray
    problems: list[Problem]
    # The first rows as cells, to find a misplaced header: computed only when needed.
    first_lines: Callable[[], list[list[str]]]
    # Positions of columns whose cells are already stripped of surrounding spaces.
    stripped: frozenset[int] = frozenset()
    # Positions of columns found to hold only printable characters as they were read.
    printable: frozenset[int] = frozenset()
    # The file's bytes when they were decoded as Windows-1258 (not UTF-8): to tell a legacy
    # Vietnamese encoding from them (kpis.mojibake).
    legacy: bytes | None = None
    # Each row's file (its position in the read's list of files) and the files the grid
    # holds: several when files with one header line were parsed together.
    files: np.ndarray | None = None
    members: list[int] | None = None
    # Whether a quoted cell spans lines: its rows' lines are not one a line.
    spans_lines: bool = False


def _decode(raw: bytes, file: str) -> str | Problem:
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="strict") if _is_utf8(raw[3:]) else None
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    elif _is_utf8(raw):
        text = raw.decode("utf-8")
    else:
        mixed = _mixed_utf8(raw)
        if mixed is not None:
            return Problem(
                file,
                "tệp trộn hai bảng mã: phần lớn là UTF-8 nhưng dòng này có ký tự không phải "
                "UTF-8 (có lẽ dán từ tệp Windows-1258); gõ lại các chữ có dấu ở dòng này hoặc "
                "trong Excel chọn Lưu thành «CSV UTF-8»",
                "the file mixes two encodings: mostly UTF-8, but this line holds characters "
                "that are not (pasted from a Windows-1258 file?); retype the accented letters "
                "on this line or in Excel save as «CSV UTF-8»",
                line=mixed,
                column=WHOLE_ROW,
            )
        try:
            text = raw.decode("cp1258")
        except UnicodeDecodeError:
            text = None
    if text is None:
        return Problem(
            file,
            "không đọc được bảng mã của tệp: trong Excel chọn Lưu thành «CSV UTF-8»",
            "cannot tell the file's encoding: in Excel save as «CSV UTF-8»",
            line=1,
            column=WHOLE_FILE,
        )
    # Windows-1258 spells tones as combining marks; NFC makes «Bắc Kạn» one string however typed.
    return unicodedata.normalize("NFC", text)


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _mixed_utf8(raw: bytes) -> int | None:
    """The line of the first byte that is not UTF-8, when the file is otherwise UTF-8 (its
    accented letters written as UTF-8 at least as often as not): decoding the whole file as
    Windows-1258 would silently turn every «ắ» into «áº¯»."""
    multibyte = len(_UTF8_MULTIBYTE.findall(raw))
    if not multibyte:
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        first = exc.start
    else:
        return None
    invalid = len(raw.decode("utf-8", errors="replace").encode("utf-8")) - len(raw)
    # Each invalid byte becomes U+FFFD (3 bytes): a rough count of the bytes that are not UTF-8.
    if multibyte < max(invalid // 2, 1):
        return None
    return raw.count(b"\n", 0, first) + 1


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_grid(raw: bytes, file: str, sources: bool = True, limits=None) -> _Grid | Problem:
    limits = limits or active_limits()
    fast = _csv_grid_arrow(raw, file, sources)
    if fast is not None:
        return fast
    text = _decode(raw, file)
    if isinstance(text, Problem):
        return text
    # Any line-ending convention: Windows (CR LF), Unix (LF), old Mac (CR: Excel for Mac's
    # «CSV (Macintosh)»). A lone CR inside a quoted cell becomes a line break there, which the
    # cell cleaning turns into a space.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    header_line = text.split("\n", 1)[0]
    sep = _detect_separator(header_line)
    header = next(csv.reader([header_line], delimiter=sep), [])
    width = max(len(header), 1)
    body = text.split("\n", 1)[1] if "\n" in text else ""

    def first_lines() -> list[list[str]]:
        return list(csv.reader(text.splitlines()[:20], delimiter=sep))

    problems: list[Problem] = []
    try:
        if guard.widest_row(body.split("\n"), sep) > limits.columns:
            # pandas would make a column for every cell of the widest row: row by row instead.
            raise pd.errors.ParserError("a row is wider than the limit")
        # No `names=`: with them pandas silently turns extra leading cells into an index.
        cells = (
            pd.read_csv(
                io.StringIO(body),
                sep=sep,
                header=None,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                engine="c",
                quotechar='"',
            )
            if body.strip()
            else pd.DataFrame(columns=range(width), dtype=str)
        )
        if cells.shape[1] > width and cells.iloc[:, width:].notna().to_numpy().any():
            raise pd.errors.ParserError("a row has more cells than the header")
        cells = cells.reindex(columns=range(width), fill_value="")  # rows all short: text
        multiline = any(cells[c].str.contains("\n", regex=False).any() for c in cells.columns)
        if multiline:
            raise pd.errors.ParserError("quoted line breaks: count lines exactly")
        lines = np.arange(2, len(cells) + 2)
    # (ParserError: also pandas' "EOF inside string", a quote left open. EmptyDataError: the
    # body's first line blank, after a blank line 1: the header is further down, which
    # `_map_header` names as it does for one line above it, and pandas takes for no columns.)
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        cells, lines, problems = _csv_grid_slow(body, sep, width, file, header)
        problems += _rows_in_cells(cells, lines, sep, header, file)
    legacy = None if raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) else raw
    if legacy is not None and _is_utf8(raw):
        legacy = None
    return _Grid(header, cells.fillna(""), lines, problems, first_lines, legacy=legacy)


def _csv_grid_arrow(raw: bytes, file: str, sources: bool = True) -> _Grid | None:
    """The common case, fast: UTF-8, one row a line, no row wider or narrower than the header.

    pyarrow parses it in C++ without making a Python string per cell (the national data set
    has a million rows). Anything else returns None and `_csv_grid` reads it the general way;
    both give the same cells, as NFC text.
    """
    import pyarrow as pa  # pandas' string columns are pyarrow arrays already

    layout = _utf8_layout(raw)
    if layout is None:
        return None
    header, sep = _header_cells(layout.header_line)
    body = pa.py_buffer(raw)[layout.body :]
    parsed = _arrow_cells(body, header, sep, layout.rows, sources)
    if parsed is None:
        return None
    cells, stripped, plain, (lines, spanned) = parsed

    def first_lines() -> list[list[str]]:
        text = _decode(raw, file)
        return list(csv.reader(text.splitlines()[:20], delimiter=sep))

    # Stripped here, in the worker thread that parsed the file (`_read_files`), not by the checks.
    if lines is None:  # one row a line
        grid = _Grid(header, cells, np.arange(2, len(cells) + 2), [], first_lines, stripped)
    else:  # quoted cells spanning lines: each row's line counted, and a row inside one named
        problems = _rows_in_cells(spanned, lines, sep, header, file)
        grid = _Grid(header, cells, lines, problems, first_lines, stripped, spans_lines=True)
    grid.printable = plain
    return grid


def _arrow_cells(
    body,
    header: list[str],
    sep: str,
    rows: int,
    sources: bool,
    spans_likely: bool = False,
) -> tuple[pd.DataFrame, frozenset[int], frozenset[int], tuple] | None:
    """The cells of a CSV body (no header line; a pyarrow buffer) with `rows` line feeds, as
    stripped NFC text, parsed by pyarrow, with the columns stripped, those of plain text, and
    (each row's first line, the cells spanning lines as `_spanning_lines` gives them), both
    None when each row is a line; None when it cannot parse it so (not UTF-8, a ragged row,
    bad quoting).

    A body whose quoted cells span lines (notes pasted with their line breaks) has each row's
    first line counted from the line breaks in the cells before it. With sources left out,
    the cells left out may hold such breaks too: the body is then parsed again whole, unless
    `spans_likely` (a file read before it spanned lines) had it parsed whole at once. (A look
    for quoted line breaks in the bytes first cost every file that quotes its cells, as Excel
    writes them, a pass over them.)"""
    import pyarrow as pa  # pandas' string columns are pyarrow arrays already
    import pyarrow.csv as pa_csv

    width = max(len(header), 1)
    names = [str(i) for i in range(width)]
    # Left out (sources=False): the source and note cells, never made into text at all (a
    # national set's sources are a million texts). Only when the header names the required
    # columns: otherwise the grid is read for its problems only.
    found = [_canonical(name) for name in header]
    unread = (
        {i for i, name in enumerate(found) if name in ("source", "note")}
        if not sources and all(c in found for c in REQUIRED)
        else set()
    )

    def parse(left_out: Collection[int]):
        return pa_csv.read_csv(
            pa.BufferReader(body),
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pa_csv.ParseOptions(
                delimiter=sep,
                quote_char='"',
                double_quote=True,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                include_columns=[name for i, name in enumerate(names) if i not in left_out],
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,  # the whole body is checked already
            ),
        )

    left_out = set() if spans_likely else unread
    try:
        # The whole body checked as UTF-8 at once, not each cell by the parser: the cells left
        # out are checked too, so that a file is taken down the same path either way, and
        # the parser's check of every cell took twice as long (set B's notes).
        _utf8(body)
        table = parse(left_out)
        # A quote left open on the last line (pyarrow ends its cell at the end of the file) is
        # worded by the general reader.
        if _opens_quote(_last_line(body), sep):
            return None
        lines = spanned = None
        if table.num_rows != rows:
            if left_out:  # the cells left out may hold line breaks: read to count them too
                table = parse(())
            # (the columns read for their line breaks only, then left out: left as they are)
            free_text = [
                i for i, kind in enumerate(found) if kind not in KEY_COLUMNS and i not in unread
            ]
            found = _spanning_lines(table, rows, sep, free_text)
            if found is None:
                return None
            lines, table, spanned = found
    except (pa.ArrowException, ValueError):  # not UTF-8, ragged rows, bad quoting
        return None
    cells, plain = _clean_texts(
        {i: table.column(name) for i, name in enumerate(names) if i not in unread}
    )
    return cells, frozenset(cells.columns), plain, (lines, spanned)


def _spanning_lines(table, rows: int, sep: str, free_text: Collection[int] = ()):
    """(each row's first line, the table with CR LF in its cells made LF, the cells that span
    lines and may hold a row of figures, as NFC text by column position and row) for a table
    whose quoted cells hold the line breaks that make its `rows` line feeds more than its
    rows, as the general reader gives them (it reads the text NFC, with every line end made
    LF); None when the breaks in the cells do not account for the line feeds.

    In the columns of free text (`free_text`, positions: sources, notes, the province's own)
    each line break is then made the space `kpis.cell_text` would make it, in the cells found
    to hold one: the column is then, as a rule, plain text, trimmed and taken as it is, where
    a column of notes pasted with their breaks was searched, normalised and neutralised whole
    (set B's 1,150,000 notes, an eighth of them on two lines: ~0.6 s of CPU).

    Only the cells that `_ROW_IN_CELL` may match are made Python text (`_rows_in_cells` words
    them): an independently made national set spans lines in one note of eight, 127,500
    notes, and made them all Python text to find none."""
    import pyarrow.compute as pc

    breaks = np.zeros(table.num_rows, dtype=np.int64)
    columns, spanned = [], {}
    row_in_cell = _row_in_cell_re2(sep)
    for name, column in zip(table.column_names, table.columns, strict=True):
        counted = line_feeds_by_cell(column)
        at = np.flatnonzero(counted)
        if len(at):
            breaks += counted
            cells = column.take(at)
            if may_hold(cells, "\r"):  # (a CR LF inside a cell is one of its line feeds)
                column = pc.replace_substring(column, "\r\n", "\n")
                cells = column.take(at)
            cells = _nfc(cells)
            looks = pc.match_substring_regex(cells, row_in_cell).to_numpy(zero_copy_only=False)
            spanned[int(name)] = pd.Series(
                cells.filter(looks).to_pylist(), index=at[looks], dtype=object
            )
            if int(name) in free_text:
                column = _breaks_as_spaces(column, counted > 0)
        columns.append(column)
    if table.num_rows + int(breaks.sum()) != rows:
        return None
    before = np.cumsum(breaks) - breaks  # the line breaks in the rows above each row
    lines = np.arange(2, table.num_rows + 2, dtype=np.int64) + before
    return lines, table.from_arrays(columns, names=table.column_names), spanned


def _breaks_as_spaces(column, holding: np.ndarray):
    """`column` (pyarrow text, CR LF made LF) with each line feed of the cells `holding` one
    made a space, as `kpis.cell_text.neutralise_text` makes it (it trims the cell after, as
    `_clean_texts` does)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    spaced = pc.replace_substring(column.filter(pa.array(holding)), "\n", " ")
    return pc.replace_with_mask(column, pa.array(holding), spaced)


def _clean_texts(columns: dict) -> tuple[pd.DataFrame, frozenset[int]]:
    """Text columns as the fast reader gives its cells (pyarrow arrays by position): NFC,
    stripped of surrounding spaces; with the positions of the columns found to hold only
    `_PLAIN_TEXT`'s characters (printable: `clean_cells` need not ask again), printable ASCII
    among them (ids, years, values).

    A column of Vietnamese text is searched once for any other character: none, and it is
    NFC already and printable. (The two questions asked apart passed over every byte twice,
    and over a million sources that never repeat, the look at the first rows' distinct texts
    cost as much again.)"""
    import pyarrow.compute as pc

    cleaned = {}
    plain = set()
    for i, column in columns.items():
        if every_character(column, pc.ascii_is_printable):
            # Printable ASCII (ids, years, values) is plain text, and its one character that
            # trimming takes is the space: trimmed only where a cell starts or ends with one
            # (3,060,000 values: ~13 ms where trimming every cell and asking again took ~90).
            plain.add(i)
            if may_start_or_end_with(column, " "):
                column = pc.ascii_trim(column, characters=_ASCII_WHITESPACE)
        elif every_character(column, pc.string_is_ascii):
            # (the same characters, trimmed faster where every text is ASCII)
            column = pc.ascii_trim(column, characters=_ASCII_WHITESPACE)
            if pc.all(pc.ascii_is_printable(column)).as_py() is not False:
                plain.add(i)  # (printable ASCII is plain text)
        else:
            distinct = pc.unique(column) if _repeats(column) else None
            if _only_plain_text(column if distinct is None else distinct):
                plain.add(i)
                # Distinct texts that trimming leaves as they are: so are the column's (a
                # national file's regions, millions of texts, copied for nothing before).
                if distinct is None or _need_trimming(distinct):
                    column = pc.utf8_trim_whitespace(column)
            else:
                # what `.str.strip()` calls, done here
                column = pc.utf8_trim_whitespace(_nfc(column))
        cleaned[i] = column.to_pandas()
    return pd.DataFrame(cleaned, copy=False), frozenset(plain)


# A whole number in groups of three, as Excel shows one: two or more dots («7.100.000») or
# commas («1,234,567»), or spaces, no-break or thin («80 000»). (One dot or comma is read as a
# decimal mark, with a warning.)
_THOUSANDS_GROUPED = (
    r"-?[0-9]{1,3}(?:(?:\.[0-9]{3}){2,}|(?:,[0-9]{3}){2,}|(?:[ \u00a0\u202f][0-9]{3})+)"
)


def _ungrouped(text: str) -> str:
    """«7.100.000» -> «7100000»."""
    return re.sub(r"[., \u00a0\u202f]", "", text)


# The ASCII characters pyarrow's utf8_trim_whitespace trims (and str.strip): tab to carriage
# return, the four information separators, the space. tests/test_figures_nfc.py holds it to
# utf8_trim_whitespace.
_ASCII_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "


# Characters NFC leaves as they are (`_MAY_CHANGE_IN_NFC`) that pyarrow also calls printable
# (`kpis.cell_text`): printable ASCII, Latin-1's letters and signs but the no-break space and
# the soft hyphen, Latin Extended A and B, IPA and spacing modifiers, Vietnamese's letters,
# general punctuation but its separators, spaces and format characters, currency signs.
# tests/test_figures_nfc.py holds it to both.
_PLAIN_TEXT = (
    "\\x{20}-\\x{7E}\\x{A1}-\\x{AC}\\x{AE}-\\x{2FF}\\x{1E00}-\\x{1EFF}"
    "\\x{2010}-\\x{2027}\\x{2030}-\\x{205E}\\x{20A0}-\\x{20C0}"
)


def _only_plain_text(column) -> bool:
    """Whether every character of a pyarrow text column is one of `_PLAIN_TEXT`'s, in one
    search of each chunk's characters. Asked of a column's distinct texts when they repeat
    (a national file's regions: a thousand names in a hundred thousand rows, found in 1 ms
    and searched in 0.1, where searching every row took 5). False when in doubt."""
    return not may_hold(column, f"[^{_PLAIN_TEXT}]")


def _need_trimming(texts) -> bool:
    """Whether trimming would change some of these texts (pyarrow's)."""
    import pyarrow.compute as pc

    return not pc.all(pc.equal(pc.utf8_trim_whitespace(texts), texts)).as_py()


# A text holding a character outside these is one NFC may change: Latin with Vietnamese's
# letters (U+0000-U+02FF, U+1E00-U+1EFF), general punctuation and currency signs, less the
# few NFC replaces (U+2000, U+2001) and the unassigned U+2065. Each character kept is one NFC
# leaves as it is whatever surrounds it: no combining class, its own NFC, never the second
# half of a composition (tests/test_figures_nfc.py derives this from Unicode's data). Written
# for pyarrow's RE2.
_MAY_CHANGE_IN_NFC = (
    "[^\\x{0}-\\x{2FF}\\x{1E00}-\\x{1EFF}\\x{2002}-\\x{2064}\\x{2066}-\\x{206F}\\x{20A0}-\\x{20C0}]"
)


# Rows looked at to tell a column whose texts repeat: a national file's first 8,192 rows name
# its thousand regions (each once per indicator), its notes are as many texts as rows.
_HEAD_ROWS = 8192


def _repeats(column) -> bool:
    """Whether a pyarrow text column's texts repeat (its first rows hold at most a quarter as
    many distinct texts as rows): then its distinct texts are fewer to search than its rows."""
    import pyarrow.compute as pc

    head = column.slice(0, _HEAD_ROWS)
    return len(pc.unique(head)) <= len(head) // 4


def _nfc(column):
    """A pyarrow text array (or chunked array) in NFC. Only the texts that may change are
    normalised, each distinct one once (a region or a source repeats): a column of a million
    unique notes in Vietnamese, NFC already, is only searched (it took seconds to normalise
    whole).

    A column whose texts repeat has its distinct texts searched first: a national file's
    region column names a thousand regions in a hundred thousand rows, and searching all its
    texts costs ~3.5× finding the distinct ones (6.2 against 1.7 ms a file). One whose texts
    do not (notes) is searched in one pass of its characters (`_may_change_in_nfc`): a million
    distinct notes in 60 ms, not 260. Where a repeating column's texts change (regions
    written decomposed), each row is taken from its distinct text normalised: searching every
    row for the ones that may change took twice as long (B's region and name columns, set
    `bench/make_independent.py` writes).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    repeats = _repeats(column)
    if not repeats and not _may_change_in_nfc(column):
        return column
    distinct = pc.unique(column)
    found = distinct.filter(pc.match_substring_regex(distinct, _MAY_CHANGE_IN_NFC))
    if pc.utf8_normalize(found, form="NFC").equals(found):  # NFC already
        return column
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if repeats:  # each row taken from its distinct text normalised (no search of every row)
        coded = column.dictionary_encode()
        return pc.utf8_normalize(coded.dictionary, form="NFC").take(coded.indices)
    may_change = pc.match_substring_regex(column, _MAY_CHANGE_IN_NFC)
    coded = column.filter(may_change).dictionary_encode()
    texts = pc.utf8_normalize(coded.dictionary, form="NFC")
    return pc.replace_with_mask(column, may_change, texts.take(coded.indices))


def _may_change_in_nfc(column) -> bool:
    """Whether a text of the column may change in NFC (`_MAY_CHANGE_IN_NFC`), looked for in
    each chunk's characters all at once (`may_hold`): one search costs half what a search
    per cell does (a million regions). True when in doubt."""
    return may_hold(column, _MAY_CHANGE_IN_NFC)


def _utf8(body) -> None:
    """Raise pyarrow's error unless the bytes are UTF-8 (checked in C++, nothing copied)."""
    import pyarrow as pa

    ends = pa.py_buffer(np.array([0, body.size], dtype=np.int64))
    pa.Array.from_buffers(pa.large_binary(), 1, [None, ends, body]).cast(pa.large_string())


# A line after a body's last (a private-use character): a quote left open to the end of the
# file swallows it into its cell, where every quote was closed it is a row of its own. The
# reader alone ends an open cell at the end of the file as if it had been closed.
_END = "\ue000"


def _csv_grid_slow(body: str, sep: str, width: int, file: str, header: list[str] | None = None):
    """Row by row, for files pandas' fast reader refuses: finds every over-long row, and a
    quote left open to the end of the file (its cell is cut at its own line's end: it holds
    the rest of the file)."""
    rows, lines, problems = [], [], []
    ended = body if not body or body.endswith("\n") else body + "\n"
    reader = csv.reader(io.StringIO(ended + _END), delimiter=sep)
    start = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a cell beyond csv's field limit (128 kB), a stray quote
            opened = _open_to_the_end(body, start, sep)
            if opened is not None:  # (the rest of a large file, beyond the field limit)
                problems.append(_open_quote(file, header or [], start, *opened))
                break
            problems.append(
                Problem(
                    file,
                    f"dòng không đọc được ({exc}): kiểm tra dấu ngoặc kép và độ dài ô",
                    f"the line cannot be read ({exc}): check its quotes and the cells' length",
                    line=start,
                    column=WHOLE_ROW,
                )
            )
            start = reader.line_num + 2
            continue
        line, start = start, reader.line_num + 2
        if row == [_END]:
            break
        if row and row[-1].endswith(_END):
            at = line + sum(cell.count("\n") for cell in row[:-1])  # (earlier cells' breaks)
            swallowed = row[-1].count("\n") - 1  # (its last break ends the file's last line)
            problems.append(_open_quote(file, header or [], at, len(row) - 1, swallowed))
            # Its own line's text, not the rest of the file (and the reader is at its end).
            row[-1] = row[-1].split("\n", 1)[0]
        if len(row) > width:
            problems.append(
                Problem(
                    file,
                    f"dòng có {len(row)} ô, nhiều hơn {width} cột của tiêu đề: nếu nguồn hay "
                    'ghi chú có dấu phẩy, đặt cả ô trong ngoặc kép "..."',
                    f"the row has {len(row)} cells, more than the header's {width}: if a source "
                    'or note contains a comma, put the whole cell in double quotes "..."',
                    line=line,
                    # The row, not the first cell past the header: the extra cell is most often
                    # an unquoted comma earlier in it (a source), which shifted the rest.
                    column=WHOLE_ROW,
                )
            )
            continue
        rows.append(row + [""] * (width - len(row)))
        lines.append(line)
    cells = (
        pd.DataFrame(rows, columns=range(width), dtype=str)
        if rows
        else pd.DataFrame(columns=range(width), dtype=str)
    )
    return cells, np.asarray(lines, dtype=np.int64), problems


def _open_to_the_end(body: str, line: int, sep: str) -> tuple[int, int] | None:
    """When the row starting on `line` opens a double quote on that line that nothing after
    it closes (the rest of the body holds no `"` but doubled ones): the position of its cell
    and how many lines follow. Asked where csv's reader gave up on a cell beyond its limit."""
    pieces = body.split("\n", line - 1)
    if len(pieces) < line - 1:
        return None
    rest = pieces[line - 1] if len(pieces) >= line else ""
    if '"' in rest.replace('""', ""):
        return None
    try:
        row = next(csv.reader(io.StringIO(pieces[line - 2] + "\n" + _END), delimiter=sep), [])
    except csv.Error:
        return None
    if not row or not row[-1].endswith(_END):
        return None
    rest = rest.rstrip("\n")
    return len(row) - 1, rest.count("\n") + 1 if rest else 0


def _open_quote(file: str, header: list[str], at: int, position: int, swallowed: int) -> Problem:
    """The error of a cell opened by a double quote on line `at` and never closed: its
    column (by `position`), and the `swallowed` lines after it."""
    name = header[position].strip() if position < len(header) else ""
    where_vi = f"dấu ngoặc kép mở ở dòng {at}" + (f" (cột «{name}»)" if name else "")
    where_en = f"the double quote opened on line {at}" + (f" (column «{name}»)" if name else "")
    if swallowed > 0:
        lines_vi = f"dòng {at + 1}" if swallowed == 1 else f"dòng {at + 1}–{at + swallowed}"
        lines_en = f"line {at + 1}" if swallowed == 1 else f"lines {at + 1}–{at + swallowed}"
        vi = (
            f"{where_vi} không được đóng: phần còn lại của tệp ({lines_vi}) bị gộp vào ô này; "
            'thêm dấu " đóng ô hoặc bỏ dấu " mở'
        )
        en = (
            f"{where_en} is never closed: the rest of the file ({lines_en}) is swallowed into "
            'this cell; add the closing " or remove the opening "'
        )
    else:
        vi = f'{where_vi} không được đóng; thêm dấu " đóng ô hoặc bỏ dấu " mở'
        en = f'{where_en} is never closed; add the closing " or remove the opening "'
    return Problem(file, vi, en, line=at, column=_canonical(name) or name or WHOLE_ROW)


def _last_line(body) -> str:
    """The last line of a CSV body (bytes or a pyarrow buffer), without its line end, read
    from the end: a national file's last line, not its megabytes."""
    data = memoryview(body)
    end = len(data)
    while end and data[end - 1] in (10, 13):  # (a line end, and CR LF)
        end -= 1
    window = 4096
    while True:
        start = max(0, end - window)
        tail = bytes(data[start:end])
        at = tail.rfind(b"\n")
        if at >= 0 or start == 0:
            return tail[at + 1 :].decode("utf-8", errors="replace")
        window *= 16


def _opens_quote(line: str, sep: str) -> bool:
    """Whether a line read alone leaves a double quote open at its end (as `_csv_grid_slow`
    finds it)."""
    if '"' not in line:
        return False
    row = next(csv.reader(io.StringIO(line + "\n" + _END), delimiter=sep), [])
    return bool(row) and row[-1].endswith(_END)


# A line inside a quoted cell that looks like a row of its own: an indicator id and, among
# the cells after it, a year. A closing quote put in the wrong place has swallowed figures.
_ROW_IN_CELL = (
    r"\n\s*[a-z][a-z0-9_]*\s*{sep}(?:[^\n]*?{sep})?\s*(?:199\d|20\d\d|2100)\s*(?:{sep}|\n|$)"
)


# Python's `\s` (every space Unicode names) and `\d` (every decimal digit) for pyarrow's
# RE2, whose own are ASCII's: `_ROW_IN_CELL` so written finds each cell Python's does, and a
# few more at most, which `_rows_in_cells` then asks in Python's words.
# tests/test_figures_spanning.py holds the space to Python's `\s`.
_SPACE_RE2 = (
    "[\\t-\\r\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}"
    "\\x{2029}\\x{202f}\\x{205f}\\x{3000}]"
)


def _row_in_cell_re2(sep: str) -> str:
    """`_ROW_IN_CELL` for pyarrow's RE2 (`_SPACE_RE2`), `sep` the file's separator."""
    pattern = _ROW_IN_CELL.format(sep=f"\\x{{{ord(sep):x}}}")
    return pattern.replace(r"\s", _SPACE_RE2).replace(r"\d", r"\p{Nd}")


def _rows_in_cells(
    cells: pd.DataFrame | dict[int, pd.Series],
    lines: np.ndarray,
    sep: str,
    header: list[str],
    file: str,
) -> list[Problem]:
    """A warning for each quoted cell spanning lines that holds what looks like a row of
    figures (asked of each column at once, only where some cell has a line break). `cells`:
    columns by position, each indexed by row (the fast reader gives only the cells that span
    lines and that RE2 found may hold a row: `_spanning_lines`)."""
    pattern = _ROW_IN_CELL.format(sep=re.escape(sep))
    found: list[Problem] = []
    for position in cells:
        column = cells[position]
        broken = column.str.contains("\n", regex=False).to_numpy(dtype=bool)
        if not broken.any():
            continue
        candidates = column[broken]
        looks = candidates.str.contains(pattern, regex=True).to_numpy(dtype=bool)
        name = header[position].strip() if position < len(header) else ""
        for row, text in candidates[looks].items():
            inner = text.split("\n")[1].strip()[:60]
            spans = text.count("\n") + 1
            found.append(
                Problem(
                    file,
                    f"ô này nằm trong ngoặc kép, kéo dài {spans} dòng và chứa dòng trông như số "
                    f'liệu («{inner}»): nếu dấu " đóng ô đặt sai chỗ, số liệu đó không được '
                    'đọc; kiểm tra các dấu " của ô',
                    f"this quoted cell spans {spans} lines and holds a line that looks like a "
                    f'figure («{inner}»): if its closing " is misplaced, that figure is not '
                    "read; check the cell's quotes",
                    line=int(lines[row]),
                    column=_canonical(name) or name or None,
                    severity="warning",
                )
            )
    return found


def _xlsx_grid(raw: bytes, file: str) -> _Grid | Problem:
    from openpyxl import load_workbook  # only imports pay for it
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        # (info: the command line has no log handler, and Python's own would print a traceback)
        LOG.info("cannot open %s", file, exc_info=True)
        return Problem(
            file,
            "tệp Excel bị hỏng, không mở được: nếu tệp được tải về hay chép sang, tải về hoặc "
            "chép lại tệp gốc; nếu Excel hoặc LibreOffice vẫn mở được tệp, lưu lại dạng .xlsx "
            "rồi tải lên tệp mới",
            "the Excel file is damaged and cannot be opened: if it was downloaded or copied, "
            "download or copy the original again; if Excel or LibreOffice still opens it, save "
            "it again as .xlsx and upload the new file",
        )
    try:
        sheet = workbook.worksheets[0]
        rows = [[_xlsx_cell_text(cell) for cell in row] for row in sheet.iter_rows()]
        # (read-only sheets keep their zip path only in a private name; openpyxl is pinned)
        found = xlsx_sheet.scan(raw, sheet._worksheet_path)
        others = [
            other.title
            for other in workbook.worksheets[1:]
            if other.sheet_state == "visible" and _holds_figures(other)
        ]
        first = (sheet.title, sheet.sheet_state != "visible")
        epoch = workbook.epoch
    except Exception:  # noqa: BLE001 - the sheet's XML is read only now, row by row
        LOG.info("cannot read the first sheet of %s", file, exc_info=True)
        return Problem(
            file,
            "tệp Excel bị hỏng, không đọc hết được trang tính đầu tiên: mở bằng Excel hoặc "
            "LibreOffice (nếu được hỏi có sửa tệp không, chọn Có), lưu lại dạng .xlsx rồi tải "
            "lên tệp mới; nếu không mở được, lấy lại tệp gốc",
            "the Excel file is damaged, its first sheet cannot be read to the end: open it in "
            "Excel or LibreOffice (if asked whether to repair it, say yes), save it again as "
            ".xlsx and upload the new file; if it does not open, get the original file again",
        )
    finally:
        workbook.close()
    if not rows:
        return Problem(file, "trang tính đầu tiên trống", "the first sheet is empty")
    header = rows[0]
    while header and header[-1] == "":
        header = header[:-1]
    width = max(len(header), 1)
    kinds = [_canonical(name) for name in header]
    problems = _sheets_problems(file, first, others, rows)
    problems += _merged_problems(file, found.merged, kinds, rows)
    unstored, dropped = _unstored_problems(file, found.unstored, kinds)
    problems += unstored + _dated_years(file, rows, kinds, epoch)
    body, lines = [], []
    for number, row in enumerate(rows[1:], start=2):
        if number in dropped:  # what the row says is not known: its problem says why
            continue
        extra = [at for at, c in enumerate(row[width:], start=width) if c != ""]
        if extra:
            # The cell by its name in Excel (K3), and what it holds: a note typed in the margin
            # is found at once.
            letter = get_column_letter(extra[0] + 1)
            cell, heading = f"{letter}{number}", f"{letter}1"
            text = str(row[extra[0]])
            held = f"«{text[:40]}…»" if len(text) > 40 else f"«{text}»"
            problems.append(
                Problem(
                    file,
                    f"ô {cell} ({held}) nằm ngoài {width} cột của tiêu đề: xoá ô đó, hoặc "
                    f"ghi tên cột vào ô {heading} (cột có tên lạ được bỏ qua, kèm cảnh báo)",
                    f"cell {cell} ({held}) is beyond the header's {width} columns: clear it, or "
                    f"give its column a name in {heading} (a column of another name is left "
                    "out, with a warning)",
                    line=number,
                    column=WHOLE_ROW,  # as a CSV row with more cells than the header
                )
            )
            continue
        body.append((row + [""] * width)[:width])
        lines.append(number)
    cells = pd.DataFrame(body, columns=range(width), dtype=str)
    return _Grid(header, cells, np.asarray(lines, dtype=np.int64), problems, lambda: rows[:20])


_FIRST_ROWS = 20  # where a header is looked for, on the first sheet as on the others


def _header_row(rows: list[list[str]], first: int = 1) -> int | None:
    """The number of the first of `rows` (numbered from `first`) naming every required
    column, among the first ones."""
    for number, cells in enumerate(rows[:_FIRST_ROWS], start=first):
        found = {_canonical(c) for c in cells}
        if all(column in found for column in REQUIRED):
            return number
    return None


def _holds_figures(sheet) -> bool:
    """A sheet with the required columns and something under them: a table of figures, not a
    guide (the template's second sheet) or a list for drop-downs."""
    rows = [
        [_cell_text(value) for value in row]
        for row in sheet.iter_rows(max_row=_FIRST_ROWS + 1, values_only=True)
    ]
    number = _header_row(rows)
    return number is not None and any(c != "" for row in rows[number:] for c in row)


def _sheets_problems(
    file: str, first: tuple[str, bool], others: list[str], rows: list[list[str]]
) -> list[Problem]:
    """What the other sheets mean for a reader of the first only (CONTRACT.md §2): figures
    there are not read, and a first sheet without a table while another has one is the
    likely mistake. Hidden sheets other than the first are left unnamed: workbooks keep
    their drop-down lists there, and nobody looks for figures in them."""
    problems = []
    title, hidden = first
    named = ", ".join(f"«{name}»" for name in others)
    several = len(others) > 1
    if others and _header_row(rows) is None:
        problems.append(
            Problem(
                file,
                f"trang tính đầu tiên «{title}» không có bảng số liệu (các cột indicator, year, "
                f"value), trang {named} thì có: chỉ trang tính đầu tiên được đọc, hãy kéo "
                "trang số liệu lên đầu (kéo tên trang sang trái cùng) hoặc lưu trang đó thành "
                "một tệp riêng rồi tải lên",
                f"the first sheet «{title}» holds no table of figures (columns indicator, year, "
                f"value) but {named} does: only the first sheet is read, so drag that sheet's "
                "tab to the far left, or save it as a file of its own, and upload again",
                line=1,
                column=WHOLE_FILE,
            )
        )
    elif others:
        problems.append(
            Problem(
                file,
                f"chỉ đọc trang tính đầu tiên «{title}»; {'các ' if several else ''}trang "
                f"{named} bị bỏ qua: nếu cần nhập cả số liệu ở đó, chép vào trang đầu tiên hoặc "
                "tải lên thành tệp riêng",
                f"only the first sheet «{title}» is read; the sheet{'s' if several else ''} "
                f"{named} {'are' if several else 'is'} ignored: to import "
                f"{'their' if several else 'its'} figures too, copy them into the first sheet "
                f"or upload {'them as files' if several else 'it as a file'} of "
                f"{'their' if several else 'its'} own",
                severity="warning",
            )
        )
    if hidden:
        problems.append(
            Problem(
                file,
                f"trang tính đầu tiên «{title}» đang bị ẩn nhưng vẫn là trang được đọc: kiểm tra "
                "đó đúng là trang số liệu (chuột phải vào tên trang › Bỏ ẩn)",
                f"the first sheet «{title}» is hidden but it is the one read: check that it is "
                "the sheet of figures (right-click a sheet tab › Unhide)",
                severity="warning",
            )
        )
    return problems


# What to write instead of a merged cell, by the column it stands in.
_WRITE_EVERY_ROW = {
    "indicator": ("ghi đủ mã chỉ tiêu", "write the indicator id"),
    "region": ("ghi đủ địa bàn", "write the region"),
    "year": ("ghi đủ năm", "write the year"),
    "value": ("ghi giá trị riêng", "write its own value"),
    "source": ("ghi đủ nguồn", "write the source"),
    "note": ("ghi đủ ghi chú", "write the note"),
    "estimate": ("ghi đủ dấu ước tính", "write the estimate mark"),
}


def _merged_problems(
    file: str, merged: list[xlsx_sheet.Merged], kinds: list[str | None], rows: list[list[str]]
) -> list[Problem]:
    """An error for each merged range reaching below the header (line 1): read-only cells
    show the range's text in its first row only, so a region merged over two rows put the
    second row's figure under the plan's region. A range within the header row (a title over
    the columns) is left to the header checks, as before. The covered cells of a range's
    first column take its text, so that the other checks speak of what the person meant."""
    problems = []
    for merge in sorted(merged, key=lambda m: (m.first_row, m.first_column)):
        spanned = rows[merge.first_row - 1 : merge.last_row]
        if merge.last_row <= 1 or not any(c != "" for row in spanned for c in row):
            continue  # (blank cells merged below the table, a leftover of formatting, say nothing)
        position = merge.first_column - 1
        kind = kinds[position] if position < len(kinds) else None
        rows_vi = (
            f"dòng {merge.first_row}"
            if merge.first_row == merge.last_row
            else f"dòng {merge.first_row}–{merge.last_row}"
        )
        rows_en = rows_vi.replace("dòng", "rows" if merge.first_row != merge.last_row else "row")
        if merge.first_row == 1:
            vi = (
                f"ô {merge.ref} là ô gộp ({rows_vi}), kéo tiêu đề xuống dòng dưới: tiêu đề chỉ "
                "là dòng 1; bỏ gộp ô, ghi tên mỗi cột ở dòng 1 và xoá dòng tiêu đề phụ"
            )
            en = (
                f"cells {merge.ref} are merged ({rows_en}), taking the header below line 1: "
                "the header is line 1 only; unmerge, name each column on line 1 and delete the "
                "second header line"
            )
        else:
            single = merge.first_column == merge.last_column
            what_vi, what_en = (
                _WRITE_EVERY_ROW.get(kind or "", ("ghi đủ nội dung", "write the content"))
                if single
                else ("ghi mỗi giá trị vào ô riêng", "write each value in its own cell")
            )
            vi = f"ô {merge.ref} là ô gộp ({rows_vi}): {what_vi} trên từng dòng, không gộp ô"
            en = f"cells {merge.ref} are merged ({rows_en}): {what_en} on every row, do not merge cells"
            top = rows[merge.first_row - 1] if merge.first_row <= len(rows) else []
            text = top[position] if position < len(top) else ""
            for covered in rows[merge.first_row : merge.last_row]:
                if position < len(covered) and covered[position] == "":
                    covered[position] = text
        problems.append(
            Problem(file, vi, en, line=merge.first_row, column=kind)
        )  # (a column the reader does not take has no name here: the cell reference names it)
    return problems


# After this many, one more error counts the rest: an exported sheet may hold thousands of
# formulas, and every one is fixed by the same saving.
_UNSTORED_WORDED = 20


def _unstored_problems(
    file: str, unstored: list[xlsx_sheet.Unstored], kinds: list[str | None]
) -> tuple[list[Problem], set[int]]:
    """An error for each formula without a stored result in a column that is read (openpyxl
    reads it as empty: its row went unseen, or its region became the plan's), and the rows to
    leave out. Formulas in the header, or in columns nobody reads, are named likewise only
    when they hide a header."""
    wanted = []
    for cell in unstored:
        kind = kinds[cell.column - 1] if cell.column - 1 < len(kinds) else None
        if cell.row == 1 or (kind is not None and kind != "name"):
            wanted.append((cell, kind))
    wanted.sort(key=lambda pair: (pair[0].row, pair[0].column))
    problems = []
    for cell, kind in wanted[:_UNSTORED_WORDED]:
        problems.append(
            Problem(
                file,
                f"ô {cell.ref} là công thức chưa có kết quả đã lưu: mở tệp bằng Excel hoặc "
                "LibreOffice rồi lưu lại (để lưu kết quả), sau đó tải lên tệp mới",
                f"cell {cell.ref} is a formula without a stored result: open the file in Excel "
                "or LibreOffice and save it again (which stores the results), then upload it",
                line=cell.row,
                column=kind,
            )
        )
    if len(wanted) > _UNSTORED_WORDED:
        last = wanted[-1][0]
        more = len(wanted) - _UNSTORED_WORDED
        problems.append(
            Problem(
                file,
                f"và {more} ô công thức khác chưa có kết quả đã lưu, đến ô {last.ref}: mở tệp "
                "bằng Excel hoặc LibreOffice rồi lưu lại",
                f"and {more} more formula cells without a stored result, up to cell "
                f"{last.ref}: open the file in Excel or LibreOffice and save it again",
                line=wanted[_UNSTORED_WORDED][0].row,
                column=wanted[_UNSTORED_WORDED][1],
            )
        )
    return problems, {cell.row for cell, _ in wanted if cell.row > 1}


_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?")


def _dated_years(file: str, rows: list[list[str]], kinds: list[str | None], epoch) -> list[Problem]:
    """An error for each year cell holding a date (a year typed into a date-formatted column,
    or a date formatted `yyyy`), saying which year was meant. The cell then reads as that
    year, so that the other checks speak of the figure (the year check would call
    «1905-07-16T00:00:00» an invalid year); the error keeps anything from being saved."""
    if "year" not in kinds:
        return []
    from openpyxl.utils.datetime import to_excel

    position = kinds.index("year")
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        text = row[position] if position < len(row) else ""
        # (a year is 4 characters, a date read from a cell 19 or more: most rows end here)
        if len(text) < 19 or _ISO_DATETIME.fullmatch(text) is None:
            continue
        moment = dt.datetime.fromisoformat(text)
        serial = to_excel(moment, epoch)
        shown_vi, shown_en = moment.strftime("%d/%m/%Y"), moment.date().isoformat()
        meant = moment.year
        if float(serial).is_integer() and YEAR_RANGE[0] <= serial <= YEAR_RANGE[1]:
            typed = meant = int(serial)
            vi = (
                f"năm «{shown_vi}» là ngày tháng: Excel đã tự đổi số {typed} vừa gõ thành ngày. "
                f"Định dạng cột năm là Number (hoặc Text) rồi gõ lại năm {typed}"
            )
            en = (
                f"year «{shown_en}» is a date: Excel turned the number {typed} typed into a "
                f"date. Format the year column as Number (or Text) and type the year {typed} "
                "again"
            )
        else:
            vi = (
                f"năm «{shown_vi}» là ngày tháng (ô định dạng ngày có thể chỉ hiện năm "
                f"{moment.year}): định dạng cột năm là Number (hoặc Text) rồi gõ năm, ví dụ "
                f"{moment.year}"
            )
            en = (
                f"year «{shown_en}» is a date (a date format may show only its year, "
                f"{moment.year}): format the year column as Number (or Text) and type the "
                f"year, e.g. {moment.year}"
            )
        problems.append(Problem(file, vi, en, line=number, column="year"))
        row[position] = str(meant)
    return problems


# A number shown as a percentage (0.05 shown as 5%) keeps this mark after its text, so that
# the value check can say what happened; nothing typed into a cell carries a NUL.
PERCENT_MARK = "\0%"


def _xlsx_cell_text(cell) -> str:
    value = getattr(cell, "value", None)
    text = _cell_text(value)
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and "%" in (getattr(cell, "number_format", "") or "")
    ):
        return text + PERCENT_MARK
    return text


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return unicodedata.normalize("NFC", str(value))


def separator_hint(header: list[str], file: str) -> Problem | None:
    """The error for a first line that is Excel's separator hint («sep=;», read as cells);
    None for any other first line."""
    cells = [c.replace("\ufeff", "").strip() for c in header]
    if not cells or re.fullmatch(r"(?i)sep=\S?", cells[0]) is None or any(cells[1:]):
        return None
    # CONTRACT.md §2: the header is line 1 and line numbers count the file's lines, so the
    # hint is not skipped; it is named, as Excel opens the file without showing it.
    return Problem(
        file,
        "dòng 1 là «sep=…», dòng Excel dùng để ghi dấu phân cách (Excel không hiện dòng này), "
        "không phải dòng tiêu đề: mở tệp bằng Notepad và xoá dòng 1 để dòng tiêu đề là dòng "
        "đầu tiên",
        "line 1 is «sep=…», the line Excel reads as the separator (Excel does not show it), not "
        "the header: open the file in Notepad and delete line 1 so that the header is the "
        "first line",
        line=1,
        column=HEADER_LINE,
    )


def _canonical(name: str) -> str | None:
    key = unicodedata.normalize("NFC", name.replace("\ufeff", "").strip().lower())
    return HEADER_ALIASES.get(key)


def _map_header(grid: _Grid, file: str, plan: Plan) -> tuple[dict[str, int], list[Problem]]:
    hint = separator_hint(grid.header, file)
    if hint is not None:
        return {}, [hint]
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    misnamed: set[str] = set()
    # Without a region column every row is filed under the plan's region, over that region's
    # saved figures: a dropped column that holds regions is an error, not a note.
    region_named = any(_canonical(name) == "region" for name in grid.header)
    for index, name in enumerate(grid.header):
        canonical = _canonical(name)
        if canonical is None:
            near = _FOLDED_ALIASES.get(_fold(name).removeprefix("ma ").replace(" ", "_"))
            near = near or _FOLDED_ALIASES.get(_fold(name).replace(" ", "_"))
            if near and near not in misnamed:
                misnamed.add(near)
                aliases = " hoặc ".join(f"«{a}»" for a in _ALIASES[near][:2])
                losing_regions = near == "region" and not region_named and _holds_data(grid, index)
                problems.append(
                    Problem(
                        file,
                        f"cột «{name.strip()}» không phải tên cột được chấp nhận: đổi tên "
                        f"thành {aliases}",
                        f"column «{name.strip()}» is not an accepted header: rename it "
                        f"{' or '.join(f'«{a}»' for a in _ALIASES[near][:2])}",
                        line=1,
                        column=name.strip(),
                        severity="error" if near in REQUIRED or losing_regions else "warning",
                    )
                )
                continue
            if not region_named and _holds_regions(grid, index, name, plan):
                unit = _district_cell(grid, index, plan)
                problems.append(_unnamed_regions(file, name, index, plan, unit))
            elif name.strip():
                problems.append(unused_column(file, name))
            elif _holds_data(grid, index):
                problems.append(_blank_header(file, index))
            continue
        if canonical in positions:
            severity = "error" if canonical in REQUIRED else "warning"
            problems.append(
                Problem(
                    file,
                    f"cột «{canonical}» có hai lần (cột {positions[canonical] + 1} và "
                    f"{index + 1}): giữ một",
                    f"column «{canonical}» is given twice (columns "
                    f"{positions[canonical] + 1} and {index + 1}): keep one",
                    line=1,
                    column=canonical,
                    severity=severity,
                )
            )  # type: ignore[arg-type]
            continue
        positions[canonical] = index
    missing = [c for c in REQUIRED if c not in positions and c not in misnamed]
    if missing:
        header_line = _header_row(grid.first_lines()[1:], first=2)  # below line 1
        if header_line:
            # One message: the cells of every row read against a title line as a header would
            # each be wrong (a title merged over the columns gives a one-column "header").
            above = "dòng 1" if header_line == 2 else f"các dòng 1-{header_line - 1}"
            above_en = "line 1" if header_line == 2 else f"lines 1-{header_line - 1}"
            return {}, [
                Problem(
                    file,
                    f"dòng tiêu đề (indicator, year, value…) nằm ở dòng {header_line}, không "
                    f"phải dòng 1: xoá {above} phía trên (tên bảng, ô gộp) để tiêu đề là dòng "
                    "đầu tiên",
                    f"the header (indicator, year, value…) is on line {header_line}, not line "
                    f"1: delete {above_en} above it (a title, merged cells) so that the header "
                    "is the first line",
                    line=1,
                    column=HEADER_LINE,
                )
            ]
        else:
            for column in missing:
                aliases = ", ".join(_ALIASES[column])
                problems.append(
                    Problem(
                        file,
                        f"thiếu cột bắt buộc «{column}» (tên được chấp nhận: {aliases})",
                        f"missing required column «{column}» (accepted names: {aliases})",
                        line=1,
                        column=column,
                    )
                )
    return positions, problems


def _column_place(index: int) -> tuple[str, str]:
    """How a column without a header is named: its position, and its letter in Excel."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index + 1)
    return f"thứ {index + 1} ({letter})", f"{index + 1} ({letter})"


def _holds_data(grid: _Grid, index: int) -> bool:
    cells = grid.cells[index]
    filled = cells[cells != ""]  # (most blank columns are wholly empty: nothing to strip)
    return bool(len(filled)) and bool((filled.str.strip() != "").any())


def _blank_header(file: str, index: int) -> Problem:
    vi, en = _column_place(index)
    return Problem(
        file,
        f"cột {vi} không có tên cột nhưng có số liệu: cột này bị bỏ qua; nếu cần, đặt tên "
        "cột (xem các tên được chấp nhận)",
        f"column {en} has no header but holds data: it is ignored; if it is needed, give it a "
        "header (see the accepted names)",
        line=1,
        severity="warning",
    )


# Headers a person gives the region column ("Địa bàn (tỉnh)", "Tỉnh/thành phố", "Huyện"):
# matched with their diacritics, so that "tính" (computed) is not taken for one, and made of
# such words only, so that a column of the province's own ("Nguồn (Sở KH&CN tỉnh)") is not.
_REGION_WORD = re.compile(
    r"\b(?:địa bàn|tỉnh|thành phố|huyện|quận|thị xã|đơn vị hành chính|địa phương|region|"
    r"province|district)\b"
)
_REGION_HEADER_FILLER = re.compile(r"\b(?:tên|cấp|tp|và|hoặc|name)\b|[\W_]")
# A cell naming an administrative unit, whatever the plan declares ("Huyện Ba Bể").
_REGION_CELL = re.compile(r"^(?:tỉnh|thành phố|tp\.?|huyện|quận|thị xã)\s")
_REGION_SAMPLE = 2000  # cells looked at: a region column shows itself in its first rows


def _holds_regions(grid: _Grid, index: int, header: str, plan: Plan) -> bool:
    """Whether an ignored column is the region column under a header the reader does not know:
    its header reads as one, or most of its (first) cells are regions the plan knows or
    administrative units, some other than the plan's region (cells that all name the plan's
    region change nothing when dropped). An empty column is never one."""
    if not _holds_data(grid, index):
        return False
    folded_header = unicodedata.normalize("NFC", header).casefold()
    if _REGION_WORD.search(folded_header):
        rest = _REGION_HEADER_FILLER.sub("", _REGION_WORD.sub("", folded_header))
        if not rest:
            return True
    cells = grid.cells[index].iloc[:_REGION_SAMPLE].str.strip()
    cells = cells[cells != ""]
    if not len(cells):
        return False
    own = region_fold(plan.plan.region)
    keys = plan.region_keys or {own: plan.plan.region}
    counts = cells.value_counts()
    like = other = 0
    for text, count in counts.items():
        key = region_fold(str(text))
        known = key in keys
        if known or _REGION_CELL.match(key) or _REGION_CELL.match(str(text).casefold()):
            like += count
            other += count if not known or keys[key] != plan.plan.region else 0
    return like * 2 > len(cells) and other > 0


# A cell naming a unit below a province ("Huyện Ba Bể"): a reporting office or a district.
_DISTRICT_CELL = re.compile(r"^(?:huyện|quận|thị xã|thị trấn|xã|phường)\s")


def _district_cell(grid: _Grid, index: int, plan: Plan) -> str | None:
    """The first cell naming a district, ward or commune the plan does not know, when no
    (first) cell of the column is a region the plan knows; else None."""
    keys = plan.region_keys or {}
    found = None
    for text in grid.cells[index].iloc[:_REGION_SAMPLE].str.strip().unique():
        if not text:
            continue
        if region_fold(str(text)) in keys:
            return None
        if found is None and _DISTRICT_CELL.match(str(text).casefold()):
            found = str(text)
    return found


def _unnamed_regions(
    file: str, header: str, index: int, plan: Plan, unit: str | None = None
) -> Problem:
    region = plan.plan.region
    if unit is not None:  # districts or offices: a region column only if the rows are theirs
        name_vi, name_en = (f"«{header.strip()}»",) * 2 if header.strip() else _column_place(index)
        known_vi = " (cần có trong danh sách địa bàn của kế hoạch)" if plan.region_keys else ""
        known_en = " (they must be among the plan's regions)" if plan.region_keys else ""
        return Problem(
            file,
            f"cột {name_vi} ghi tên huyện, xã (như «{unit}»): nếu đó là đơn vị báo cáo, xoá "
            f"cột này (muốn giữ thì chép sang cột «ghi chú»), mọi dòng sẽ được ghi cho "
            f"«{region}»; nếu mỗi dòng là số liệu riêng của huyện, xã đó, đổi tên cột thành "
            f"«địa bàn»{known_vi}",
            f"column {name_en} names districts or communes (such as «{unit}»): if it says who "
            f"reported, delete the column (to keep it, copy it into the note column, «ghi "
            f"chú») and every row will be filed under «{region}»; if each row is that "
            f"district's own figure, rename the column «địa bàn» (region){known_en}",
            line=1,
            column=header.strip() or None,
        )
    if header.strip():
        name_vi = name_en = f"«{header.strip()}»"
        what_vi, what_en = "tên cột không được nhận ra", "its header is not recognised"
        fix_vi, fix_en = "đổi tên thành", "rename it"
    else:
        name_vi, name_en = _column_place(index)
        what_vi, what_en = "không có tên cột", "it has no header"
        fix_vi, fix_en = "đặt tên cột là", "name it"
    return Problem(
        file,
        f"cột {name_vi} có vẻ là cột địa bàn nhưng {what_vi}: {fix_vi} «địa bàn» (hoặc "
        f"region); nếu không, mọi dòng sẽ được ghi cho «{region}»",
        f"column {name_en} looks like the region column but {what_en}: {fix_en} «địa bàn» "
        f"(or region); otherwise every row will be filed under «{region}»",
        line=1,
        column=header.strip() or None,
    )


def _check_files(
    grids: list[_Grid],
    names: list[str],
    plan: Plan,
    also_known: Collection[str] = frozenset(),
    sources: bool = True,
    warnings: bool = True,
) -> tuple[pd.DataFrame, np.ndarray, list[list[Problem]], _FoundKeys | None]:
    """Every check, once, over the cells of every file: the valid rows as a figures table (in
    file order, a figure given twice still in it), each row's file (its position in `names`),
    each file's problems sorted by line, worded as when the file is read alone, and the
    table's indicator and region columns as codes (`_FoundKeys`; None for an empty table).

    Each grid holds one file or several read together (`_Grid.files`); the header is mapped
    once per grid and each check runs once over one table of all of them, whatever the number
    of files. Only a problem's words look back at its file. `warnings=False`: the name column
    (read only to warn of another indicator's name: ~0.5 s of a national import's check) is
    left unread.
    """
    per_file: list[list[Problem]] = [[] for _ in names]
    included: list[int] = []
    parts: list[tuple[dict[str, pd.Series | None], np.ndarray, np.ndarray]] = []
    for grid in grids:
        members = grid.members
        positions, header_problems = _map_header(grid, names[members[0]], plan)
        misplaced = (
            not positions
            and len(header_problems) == 1
            and header_problems[0].message_en.startswith(("the header ", "line 1 is «sep="))
        )
        own = _by_member(grid.problems, members, names)
        refused = set()
        for code in members:
            told = [
                problem if code == members[0] else replace(problem, file=names[code])
                for problem in header_problems
            ]
            if misplaced:  # the misplaced header alone (see _map_header)
                per_file[code] = told
                refused.add(code)
                continue
            per_file[code] = own.get(code, []) + told
            if any(p.is_error and p.line == 1 for p in per_file[code]):
                refused.add(code)
        included.extend(code for code in members if code not in refused)
        if len(refused) == len(members):
            continue
        rows = None
        if refused:  # some of the files read together: their rows go
            rows = ~np.isin(grid.files, list(refused))
        wanted = _CHECKED + (("source", "note") if sources else ())
        parts.append(
            (
                {
                    **{name: _column(grid, positions, name, rows) for name in wanted},
                    "name": _column(grid, positions, "name", rows, strip=False)
                    if warnings
                    else None,
                },
                grid.files if rows is None else grid.files[rows],
                grid.lines if rows is None else grid.lines[rows],
            )
        )
    if not parts:
        return empty_table(), np.zeros(0, dtype=np.int32), [_sorted(p) for p in per_file], None
    cols, files, lines = _joined(parts)

    value_text = cols["value"]
    reported = (value_text != "").to_numpy(dtype=bool)
    others = set(also_known).difference(plan.by_id)
    elsewhere_files = np.zeros(len(names), dtype=bool)
    if others:
        elsewhere = cols["indicator"].isin(others).to_numpy(dtype=bool)
        if elsewhere.any():
            elsewhere_files[files[elsewhere]] = True
            reported = reported & ~elsewhere
    given = _rows_per_file(files if reported.all() else files[reported], len(names))
    for code in included:
        # only another plan's figures: nothing here for this plan, and nothing to say
        if not given[code] and not elsewhere_files[code]:
            per_file[code].append(
                Problem(
                    names[code],
                    "tệp chỉ có dòng tiêu đề, chưa có số liệu",
                    "the file has only a header, no figures",
                    severity="warning",
                )
            )
    if not reported.any():
        return empty_table(), np.zeros(0, dtype=np.int32), [_sorted(p) for p in per_file], None
    if not reported.all():  # the usual files: no row without a value, nothing to leave out
        keep_rows = pd.array(reported)
        cols = {
            name: None if text is None else text[keep_rows].reset_index(drop=True)
            for name, text in cols.items()
        }
        files, lines = files[reported], lines[reported]
    value_text = cols["value"]
    indicator, year_text = cols["indicator"], cols["year"]
    region = cols["region"] if cols["region"] is not None else _blank(len(value_text))
    bad = np.zeros(len(value_text), dtype=bool)
    file_names = np.asarray(names, dtype=object)

    def report(mask: np.ndarray, name: str, vi, en) -> None:
        """Add one problem per row in `mask`; vi/en are strings or functions of the row index."""
        at = np.flatnonzero(mask)
        for i in at:
            code = files[i]
            per_file[code].append(
                Problem(
                    file_names[code],
                    vi(i) if callable(vi) else vi,
                    en(i) if callable(en) else en,
                    line=int(lines[i]),
                    column=name,
                )
            )
        bad[at] = True  # (the usual mask has no row: nothing to mark)

    def warn(mask: np.ndarray, name: str, vi, en) -> None:
        """Like `report`, as warnings: the row is kept. A file's first
        `WARNINGS_WORDED_PER_FILE` rows are warned one by one, the rest in one more warning
        that counts them (`_warned_rows`)."""
        for i, others, last in _warned_rows(np.flatnonzero(mask), files):
            code = files[i]
            message_vi, message_en = vi(i), en(i)
            if others:
                up_to = int(lines[last])
                # (numbers plain, as lines are: "20,358" reads as a decimal in Vietnamese)
                message_vi += f" — cùng cảnh báo ở {others} dòng sau của tệp, đến dòng {up_to}"
                message_en += f" — the same warning on {others} more rows, up to line {up_to}"
            per_file[code].append(
                Problem(
                    file_names[code],
                    message_vi,
                    message_en,
                    line=int(lines[i]),
                    column=name,
                    severity="warning",
                )
            )

    # The column-wide conversions, in C++ that lets go of Python's lock: at national scale
    # two cores share them (~0.15 s of work at 3,060,000 figures, ~0.08 s on the clock). The
    # regions are coded here too, where the usual column is the table's as it is (see
    # `_declared_regions`): alone after the checks, the same coding took ~0.05 s on one core.
    # The values that may hold a thousands dot are found here too (numpy on the column's
    # bytes: ~60 ms of 3,060,000 values with three decimals, alone on one core before).
    # (In this order, ~90, 63, 38, 61 and 49 ms: the two cores end nearest together.)
    code_regions = cols["region"] is not None and plan.region_keys is None
    region_codes, thousands_dots, having, value, year = two_at_a_time(
        len(value_text) >= cores.PARALLEL_ROWS,
        lambda: _factorized(region) if code_regions else None,
        lambda: _thousands_dot_arrow(value_text) if _held_by_arrow(value_text) else None,
        lambda: _Membership(indicator),
        lambda: _arrow_numbers(value_text, "float64"),
        lambda: to_number(year_text, pa_type="int64"),
    )

    # indicator
    known = having(plan.by_id)
    unknown = ~known
    suggestions, by_name, last_indicator = {}, {}, None
    if unknown.any():
        suggestions = {name: _close_ids(name, plan) for name in indicator[unknown].unique()}
        by_name = _indicator_names(plan)
        last_indicator = _last_named(indicator, files, len(names))

    sources_given = cols.get("source")

    def total_row(i: int, name: str) -> bool:
        # A row under the last indicator with a value and no indicator is a total row, unless
        # it gives a source: then it is a figure whose indicator was left out (a row added in
        # /data's grid without picking one), and deleting it would lose what was typed.
        if _is_total(name):
            return True
        under = not name and i > last_indicator[files[i]] >= 0
        return under and (sources_given is None or sources_given[i] == "")

    def unknown_vi(i):
        name = indicator[i]
        if total_row(i, name):
            return (
                "dòng tổng cộng: xoá dòng này (bảng điều khiển tự tính tổng và tỷ lệ từ các "
                "chỉ tiêu)"
            )
        if _fold(name) in by_name:
            return f"«{name}» là tên chỉ tiêu: cột chỉ tiêu cần mã, ghi «{by_name[_fold(name)]}»"
        close = suggestions[name]
        hint = f"; có phải: {', '.join(close)}?" if close else "; xem danh sách mã trong kế hoạch"
        if close and close[0] == name.casefold():
            hint += " (mã chỉ tiêu viết thường)"
        return (
            f"mã chỉ tiêu «{name}» không có trong kế hoạch{hint}"
            if name
            else "thiếu mã chỉ tiêu: ghi mã chỉ tiêu của số liệu này"
        )

    def unknown_en(i):
        name = indicator[i]
        if total_row(i, name):
            return "a total row: delete it (the dashboard computes totals and shares itself)"
        if _fold(name) in by_name:
            return (
                f"«{name}» is an indicator's name: the indicator column takes its id, write "
                f"«{by_name[_fold(name)]}»"
            )
        close = suggestions[name]
        hint = f"; did you mean: {', '.join(close)}?" if close else "; see the plan's ids"
        if close and close[0] == name.casefold():
            hint += " (indicator ids are written in lower case)"
        return (
            f"unknown indicator «{name}»{hint}"
            if name
            else "the indicator is missing: give this figure's indicator id"
        )

    report(unknown, "indicator", unknown_vi, unknown_en)
    # A total row is told once, to be deleted: not also asked for a year it has no use for.
    total = np.zeros(len(unknown), dtype=bool)
    for i in np.flatnonzero(unknown):  # (the few rows of unknown indicators)
        total[i] = total_row(i, indicator[i])

    derived = having({ind.id for ind in plan.indicators if ind.is_derived})

    def inputs(i):
        return ", ".join(plan.by_id[indicator[i]].parsed_formula.names)

    report(
        derived,
        "indicator",
        lambda i: (
            f"«{indicator[i]}» được tính từ công thức, không nhập số liệu: hãy nhập "
            f"các chỉ tiêu đầu vào ({inputs(i)})"
        ),
        lambda i: (
            f"«{indicator[i]}» is derived by a formula and takes no figures: give its "
            f"inputs instead ({inputs(i)})"
        ),
    )

    if cols["name"] is not None:
        _names_of_other_indicators(warn, plan, cols["name"], having, known & ~bad, lines)

    # year
    if year.dtype == np.int64:  # every cell a whole number (pyarrow's cast): only the range
        years = year.to_numpy()
        year_ok = (years >= YEAR_RANGE[0]) & (years <= YEAR_RANGE[1])
    else:
        year_ok = (year.notna() & (year % 1 == 0) & year.between(*YEAR_RANGE)).to_numpy()
    report(
        ~year_ok & ~total,
        "year",
        lambda i: (
            f"năm «{year_text[i]}» không hợp lệ: ghi năm đủ 4 chữ số, từ "
            f"{YEAR_RANGE[0]} đến {YEAR_RANGE[1]}"
        ),
        lambda i: (
            f"year «{year_text[i]}» is not valid: write a whole year from "
            f"{YEAR_RANGE[0]} to {YEAR_RANGE[1]}"
        ),
    )

    # value
    # pyarrow's cast refuses a decimal comma: when it takes every cell, there is no comma to
    # read as a decimal mark (the usual file), and the column is not searched for one.
    if value is None:
        decimal_commas = value_text.str.contains(",", regex=False).any()
        value = to_number(
            value_text.str.replace(",", ".", regex=False) if decimal_commas else value_text,
            pa_type="float64",
        )
    # Why a value is not a finite number (a mark, "1.000,5", inf/nan) is looked for only when
    # one is not: the usual file has none.
    if not np.isfinite(value.to_numpy(dtype=float)).all():
        lowered = value_text.str.lower()
        marker = lowered.isin(NOT_REPORTED_MARKS).to_numpy()
        report(
            marker,
            "value",
            lambda i: f"«{value_text[i]}» không phải số: nếu chưa có số liệu hãy để trống ô",
            lambda i: f"«{value_text[i]}» is not a number: leave the cell empty if not reported",
        )
        both = (
            value_text.str.contains(".", regex=False) & value_text.str.contains(",", regex=False)
        ).to_numpy() & ~bad
        report(
            both,
            "value",
            lambda i: (
                f"«{value_text[i]}» có cả dấu chấm và dấu phẩy: không dùng dấu phân cách "
                "hàng nghìn; dùng một dấu thập phân"
            ),
            lambda i: (
                f"«{value_text[i]}» has both «.» and «,»: write no thousands separator, "
                "one decimal mark only"
            ),
        )
        non_finite = (lowered.isin(NON_FINITE).to_numpy() | np.isinf(value.to_numpy(float))) & ~bad
        report(
            non_finite,
            "value",
            lambda i: f"«{value_text[i]}» không phải một số hữu hạn",
            lambda i: f"«{value_text[i]}» is not a finite number",
        )
        _excel_artefacts(
            report,
            value_text,
            value.isna().to_numpy() & ~bad,
            having({ind.id for ind in plan.indicators if not ind.is_percent}),
            lambda i: plan.by_id[indicator[i]],
        )
        not_number = value.isna().to_numpy() & ~bad
        # A milestone's cell says «đã hoàn thành», «done»: the advice is its 1 or 0, not «12».
        report(
            not_number & having({ind.id for ind in plan.indicators if ind.kind == "milestone"}),
            "value",
            lambda i: (
                f"«{value_text[i]}» không phải số: chỉ tiêu mốc ghi 1 nếu đã hoàn thành, "
                "0 nếu chưa hoàn thành"
            ),
            lambda i: (
                f"«{value_text[i]}» is not a number: a milestone takes 1 if done, 0 if not yet done"
            ),
        )
        # Excel's thousands separators, «7.100.000» or «80 000»: the number they write, to
        # copy (a single dot, «1.234», is a decimal the reader takes, with a warning).
        grouped = value_text.str.fullmatch(_THOUSANDS_GROUPED).fillna(False).to_numpy(bool)
        report(
            grouped & not_number & ~bad,
            "value",
            lambda i: (
                f"«{value_text[i]}» không phải một số: viết {_ungrouped(value_text[i])} "
                "(không dùng dấu phân cách hàng nghìn)"
            ),
            lambda i: (
                f"«{value_text[i]}» is not a number: write {_ungrouped(value_text[i])} "
                "(no thousands separator)"
            ),
        )
        not_number &= ~bad
        report(
            not_number,
            "value",
            lambda i: f"«{value_text[i]}» không phải một số: ghi số như 12 hoặc 1,5",
            lambda i: f"«{value_text[i]}» is not a number: write a number such as 12 or 1.5",
        )
    checkable = known & ~derived & ~bad
    _check_values(report, warn, plan, having, value, value_text, checkable, thousands_dots)
    if cols["region"] is not None:
        _empty_after_other_region(
            warn, plan, region, region_codes, files, lines, ~bad, having.codes, year
        )
    declared = _declared_regions(report, plan, region, year, bad)
    if declared is not region:  # (empty cells named the plan's region: coded anew later)
        region, region_codes = declared, None
    estimate_text = cols["estimate"]
    estimate = (
        np.zeros(len(value_text), dtype=bool)
        if estimate_text is None
        else estimate_flags(estimate_text)
    )
    table = _table(
        names, files, lines, indicator, year, value, region, estimate, cols, bad, sources
    )
    keep = ~bad
    found = None
    if keep.any():
        found = _FoundKeys(
            _factorized_rows((having.codes, having.names), keep),
            _factorized_rows(region_codes, keep) if region_codes is not None else None,
        )
    return table, files[keep], [_sorted(p) for p in per_file], found


# A file's rows given a warning each, per rule; its other rows with that warning are counted
# in one more. A national set whose values have three decimals (12.345: a thousands dot?) gave
# a warning per figure, a million lines nobody reads, worded in ~30 s.
WARNINGS_WORDED_PER_FILE = 20


def _warned_rows(at: np.ndarray, files: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """(row, how many more of its file's rows its warning stands for, the last of them: the
    row itself when none) for the rows `at` (positions, in line order within each file) that
    one rule warns about: each file's first `WARNINGS_WORDED_PER_FILE`, then its next
    standing for the rest."""
    if not len(at):
        return
    codes = files[at]
    if (codes[1:] < codes[:-1]).any():  # (the readers give each file's rows together)
        by_file = np.argsort(codes, kind="stable")
        at, codes = at[by_file], codes[by_file]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]).tolist()
    for start, end in zip(starts, [*starts[1:], len(at)], strict=True):
        told = min(end, start + WARNINGS_WORDED_PER_FILE)
        if end - told == 1:  # (one more row: worded as itself)
            told = end
        for i in at[start:told].tolist():
            yield i, 0, i
        if told < end:
            yield int(at[told]), end - told - 1, int(at[end - 1])


def _rows_per_file(files: np.ndarray, count: int) -> np.ndarray:
    """`np.bincount(files, minlength=count)`: found by binary search where the rows come in
    file order, as every reading gives them (a count per file, not a pass over a million
    rows' codes)."""
    if len(files) and (files[1:] >= files[:-1]).all():
        return np.diff(np.searchsorted(files, np.arange(count + 1)))
    return np.bincount(files, minlength=count)


def _factorized(texts: pd.Series) -> Factorized:
    """`pd.factorize` of a text column, codes as int32 (a national table holds them).

    Text held by pyarrow is coded by pyarrow itself, whose int32 codes pandas would make
    int64 for us to make int32 again: at 3,060,000 figures a column's codes were 24 MB more
    at the checks' peak, and ~10 ms longer."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(texts) and _held_by_arrow(texts):
        cells = pa.chunked_array(pa.array(texts.array))  # the same buffers
        if not cells.null_count:  # (what the reader gives: pandas would code a null -1)
            coded = pc.dictionary_encode(cells).combine_chunks()
            codes = coded.indices.to_numpy(zero_copy_only=False)
            return codes.astype(np.int32, copy=False), coded.dictionary.to_pylist()
    codes, uniques = pd.factorize(texts)
    return codes.astype(np.int32), list(uniques)


def _factorized_rows(column: Factorized, rows: np.ndarray) -> Factorized:
    """`pd.factorize` of some rows of a text column (`rows`, a bool mask), from the whole
    column's: the codes of those rows, renumbered in order of first appearance among them, a
    text no row keeps left out. No text is hashed again."""
    codes, names = column
    if rows.all():
        return column
    codes = codes[rows]
    seen = pd.unique(codes)  # the codes left, in order of first appearance
    if np.array_equal(seen, np.arange(len(names))):  # the same codes, the same order
        return codes, names
    renumbered = np.zeros(len(names), dtype=codes.dtype)
    renumbered[seen] = np.arange(len(seen))
    return renumbered[codes], [names[code] for code in seen.tolist()]


_CHECKED = ("indicator", "region", "year", "value", "estimate")


def _column(
    grid: _Grid,
    positions: dict[str, int],
    name: str,
    rows: np.ndarray | None,
    strip: bool = True,
) -> pd.Series | None:
    """A canonical column of a grid as stripped text (None when the header has none); only
    `rows`, when given."""
    if name not in positions:
        return None
    cell = grid.cells[positions[name]]
    cell = cell if positions[name] in grid.stripped or not strip else cell.str.strip()
    return cell if rows is None else cell[rows].reset_index(drop=True)


def _by_member(
    problems: list[Problem], members: list[int], names: list[str]
) -> dict[int, list[Problem]]:
    """A grid's own problems (parsing, cell cleaning) by the file they are about."""
    if len(members) == 1:
        return {members[0]: list(problems)}
    code_of = {names[code]: code for code in reversed(members)}
    own: dict[int, list[Problem]] = {}
    for problem in problems:
        own.setdefault(code_of[problem.file], []).append(problem)
    return own


def _blank(n: int) -> pd.Series:
    """`n` empty texts, held as the reader's text columns are (pyarrow's): n + 1 offsets of
    0 and no character. (A column some files lack is blank in the others' rows: a list of a
    million "" made into text took 0.09-0.24 s, this ~1 ms.)"""
    import pyarrow as pa

    offsets = pa.py_buffer(np.zeros(n + 1, dtype=np.int64))
    empty = pa.Array.from_buffers(pa.large_string(), n, [None, offsets, pa.py_buffer(b"")])
    return empty.to_pandas()


def _joined(
    parts: list[tuple[dict[str, pd.Series | None], np.ndarray, np.ndarray]],
) -> tuple[dict[str, pd.Series | None], np.ndarray, np.ndarray]:
    """The canonical columns of several grids as one table; a column no file has stays None,
    one that only some files have is empty text in the others."""
    if len(parts) == 1:
        return parts[0]
    cols: dict[str, pd.Series | None] = {}
    for name in parts[0][0]:
        texts = [part[0][name] for part in parts]
        if all(text is None for text in texts):
            cols[name] = None
            continue
        cols[name] = pd.concat(
            [
                text if text is not None else _blank(len(files))
                for text, (_, files, _) in zip(texts, parts, strict=True)
            ],
            ignore_index=True,
        )
    files = np.concatenate([part[1] for part in parts])
    lines = np.concatenate([part[2] for part in parts])
    return cols, files, lines


_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(T[\d:.]+)?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[-/ ][A-Za-z]{3}([-/ ]\d{2,4})?"
    r"|[A-Za-z]{3}[-/ ]\d{1,4}"
)
_PERCENT_TEXT = re.compile(r"[+-]?\d+([.,]\d+)?\s*%")


def _excel_artefacts(
    report,
    value_text: pd.Series,
    rows: np.ndarray,
    not_percent: np.ndarray,
    indicator_of: Callable[[int], Indicator],
) -> None:
    """What Excel does to a number, each with what to do: a percentage cell (0.05 shown as
    5%), "4%" typed as text, a number Excel turned into a date. `not_percent`: the rows of an
    indicator of the plan not counted in % (`indicator_of(i)` is row i's): «45%» there is not
    the plan's unit with its sign, and "write 45" would save 45 organisations."""
    if not rows.any():
        return
    text = value_text.to_numpy(dtype=object)

    def where(pattern: Callable[[str], bool]) -> np.ndarray:
        return rows & np.array([bool(pattern(t)) for t in text], dtype=bool)

    percent_cell = where(lambda t: t.endswith(PERCENT_MARK))

    def shown(i: int) -> str:
        number = float(text[i][: -len(PERCENT_MARK)])
        return (
            plain_number(number * 100, "vi"),
            plain_number(number, "vi"),
            plain_number(number * 100, "en"),
            plain_number(number, "en"),
        )

    report(
        percent_cell,
        "value",
        lambda i: (
            f"ô được định dạng phần trăm: Excel hiện {shown(i)[0]}% nhưng lưu {shown(i)[1]}. "
            f"Đổi định dạng ô thành Number (hoặc General) và ghi {shown(i)[0]}"
        ),
        lambda i: (
            f"the cell is formatted as a percentage: Excel shows {shown(i)[2]}% but stores "
            f"{shown(i)[3]}. Format the cell as Number (or General) and write {shown(i)[2]}"
        ),
    )
    rows = rows & ~percent_cell
    typed = where(lambda t: _PERCENT_TEXT.fullmatch(t) is not None)
    report(
        typed & ~not_percent,
        "value",
        lambda i: (
            f"«{text[i]}»: ghi số không kèm dấu %, ví dụ {text[i].rstrip('% ')} (đơn vị % đã có trong kế hoạch)"
        ),
        lambda i: (
            f"«{text[i]}»: write the number without «%», e.g. {text[i].rstrip('% ')} (the unit is in the plan)"
        ),
    )
    report(
        typed & not_percent,
        "value",
        lambda i: (
            f"«{text[i]}»: «{indicator_of(i).name}» tính bằng «{indicator_of(i).unit}», không "
            f"phải %: ghi số {indicator_of(i).unit}, không kèm dấu %"
        ),
        lambda i: (
            f"«{text[i]}»: «{indicator_of(i).text('name', 'en')}» is counted in "
            f"«{indicator_of(i).text('unit', 'en')}», not %: write the number of "
            f"{indicator_of(i).text('unit', 'en')}, without «%»"
        ),
    )
    rows = rows & ~typed
    date = where(lambda t: _DATE.fullmatch(t) is not None)
    report(
        date,
        "value",
        lambda i: (
            f"«{_shown_date(text[i], 'vi')}» là ngày tháng: Excel đã tự đổi số vừa gõ thành "
            "ngày. Định dạng cột giá trị là Number (hoặc Text) rồi gõ lại số, viết dấu thập "
            "phân bằng dấu phẩy hoặc dấu chấm như 1,5"
        ),
        lambda i: (
            f"«{_shown_date(text[i], 'en')}» is a date: Excel turned the number typed into a "
            "date. Format the value column as Number (or Text) and type the number again"
        ),
    )


def _shown_date(text: str, lang: str) -> str:
    """A date cell's text as its user saw it. An .xlsx date cell reads as ISO text with a time
    («2025-03-05T00:00:00»), which no one typed: the cell showed 05/03/2025, so the message
    says that (the English one the date alone, as `_dated_years` does). Text typed in a CSV
    is quoted as typed."""
    if len(text) < 19 or _ISO_DATETIME.fullmatch(text) is None:
        return text
    moment = dt.datetime.fromisoformat(text)
    return moment.strftime("%d/%m/%Y") if lang == "vi" else moment.date().isoformat()


def _fold(text: str) -> str:
    """Case, diacritics, "đ" and spacing set aside: how a person may retype a name or header."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s_]+", " ", plain).strip()


# Each accepted header folded (diacritics, case, spaces as "_"): "Mã chỉ tiêu" is "ma_chi_tieu".
_FOLDED_ALIASES = {
    _fold(alias).replace(" ", "_"): canonical
    for canonical, aliases in _ALIASES.items()
    for alias in aliases
}


def _close_ids(name: str, plan: Plan) -> list[str]:
    """Up to three of the plan's ids that look like `name`, capitals aside (ids are lower
    case: «PUBLIC_ST_ORGS» is public_st_orgs typed with Caps Lock on); the id itself first
    when only the case differs."""
    if name.casefold() in plan.by_id:
        return [name.casefold()]
    return difflib.get_close_matches(name.casefold(), list(plan.by_id), n=3, cutoff=0.5)


def _name_key(text: str) -> str:
    """A name as two spellings of it share: NFC, case folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _names_of_other_indicators(
    warn, plan: Plan, name: pd.Series, having: _Membership, checked: np.ndarray, lines
) -> None:
    """Warn where a row's `name` cell is another indicator's name, not its id's: after a sort
    of the selection only, the names say one indicator and the ids another. The column is
    otherwise ignored (CONTRACT.md §2): a name that is no indicator's says nothing."""
    ids_of: dict[str, set[str]] = {}
    for ind in plan.indicators:
        for text in (ind.name, ind.name_en):
            if text:
                ids_of.setdefault(_name_key(text), set()).add(ind.id)
    name_codes, name_texts = _factorized(name)
    if not len(name_texts):
        return
    position = {id_: code for code, id_ in enumerate(having.names)}
    outside = len(having.names)  # a code no row's indicator has
    # Each distinct name's indicator as a code of the rows' indicators (-1: not one
    # indicator's name, or the name of several: nothing to compare).
    target = np.full(len(name_texts), -1, dtype=np.int64)
    named_ids: list[str] = []
    for code, text in enumerate(name_texts):
        ids = ids_of.get(_name_key(str(text)), set())
        named_ids.append(next(iter(ids)) if len(ids) == 1 else "")
        if len(ids) == 1:
            target[code] = position.get(named_ids[-1], outside)
    if (target < 0).all():
        return
    row_target = target[name_codes]
    at = (row_target >= 0) & (row_target != having.codes) & checked
    if not at.any():
        return
    ids = having.names

    def vi(i: int) -> str:
        other = named_ids[name_codes[i]]
        return (
            f"dòng {int(lines[i])}: mã «{ids[having.codes[i]]}» nhưng tên là của chỉ tiêu "
            f"«{other}»: kiểm tra lại có bị lệch dòng khi sắp xếp không"
        )

    def en(i: int) -> str:
        other = named_ids[name_codes[i]]
        return (
            f"line {int(lines[i])}: the id is «{ids[having.codes[i]]}» but the name is "
            f"indicator «{other}»'s: check that the rows did not get out of step in a sort"
        )

    warn(at, "name", vi, en)


def _empty_after_other_region(
    warn,
    plan: Plan,
    region: pd.Series,
    region_codes: Factorized | None,
    files: np.ndarray,
    lines: np.ndarray,
    checked: np.ndarray,
    indicator_codes: np.ndarray,
    year: pd.Series,
) -> None:
    """Warn where a row leaves the region empty right after rows of a region other than the
    plan's: a region merged over several rows, saved as CSV, keeps its name on the first row
    only, and the rows below would be filed under the plan's region. A file whose regions are
    all empty, or whose empty rows follow the plan's region, is the documented "empty = the
    plan's region" (CONTRACT.md §2) and says nothing; so is a row with the indicator and year
    of the named row above it, which cannot be that region's (Excel sorts empty cells last:
    "Bắc Kạn" then the plan's region under each indicator)."""
    if region_codes is not None:  # coded already: told from the distinct texts, not each row
        codes, texts = region_codes
        if "" not in texts:
            return
        empty = codes == texts.index("")
    else:
        empty = (region == "").to_numpy(dtype=bool)
    if not empty.any() or empty.all():  # (the usual files: every region written, or none)
        return
    if region_codes is None:
        codes, texts = _factorized(region)
    own = plan.plan.region
    other = np.array(
        [text != "" and plan.canonical_region(text) != own for text in texts], dtype=bool
    )
    rows = np.arange(len(empty))
    # Each row's last row above it (itself included) that names a region.
    last_named = np.maximum.accumulate(np.where(empty, -1, rows))
    before = np.maximum(last_named, 0)
    at = empty & (last_named >= 0) & (files[before] == files) & other[codes[before]] & checked
    if at.any():
        years = year.to_numpy(dtype=np.float64, na_value=np.nan)
        at &= (indicator_codes[before] != indicator_codes) | (years[before] != years)
    if not at.any():
        return

    def vi(i: int) -> str:
        return (
            f"dòng {int(lines[i])} để trống địa bàn, ngay sau các dòng của "
            f"«{texts[codes[before[i]]]}»: số liệu sẽ được ghi cho «{own}» (địa bàn của kế "
            "hoạch); nếu đây là ô gộp, ghi đủ địa bàn"
        )

    def en(i: int) -> str:
        return (
            f"line {int(lines[i])} leaves the region empty, right after rows of "
            f"«{texts[codes[before[i]]]}»: its figure will be filed under «{own}» (the plan's "
            "region); if this is a merged cell, write the region on every row"
        )

    warn(at, "region", vi, en)


def _indicator_names(plan: Plan) -> dict[str, str]:
    """Each indicator's name (Vietnamese and English), folded, -> its id."""
    names: dict[str, str] = {}
    for ind in plan.indicators:
        for name in (ind.name, ind.name_en):
            if name:
                names.setdefault(_fold(name), ind.id)
    return names


def _last_named(indicator: pd.Series, files: np.ndarray, n_files: int) -> np.ndarray:
    """Each file's position of its last row that names an indicator (rows below it with a
    value and no indicator are a total row); -1 for a file with none."""
    named = indicator != ""
    totals = [name for name in indicator[named].unique() if _is_total(name)]
    rows = np.flatnonzero((named & ~indicator.isin(totals)).to_numpy(dtype=bool))
    last = np.full(n_files, -1, dtype=np.int64)
    np.maximum.at(last, files[rows], rows)
    return last


_TOTAL_WORDS = ("tong", "tong cong", "cong", "tong so", "total", "sum", "grand total")


def _is_total(name: str) -> bool:
    """A total row's label ("Tổng cộng", "Cộng", "Total")."""
    folded = _fold(name).rstrip(":")
    return folded in _TOTAL_WORDS or folded.startswith(("tong cong", "total "))


def _table(
    names: list[str],
    files: np.ndarray,
    lines: np.ndarray,
    indicator: pd.Series,
    year: pd.Series,
    value: pd.Series,
    region: pd.Series,
    estimate: np.ndarray,
    cols: dict[str, pd.Series | None],
    bad: np.ndarray,
    sources: bool = True,
) -> pd.DataFrame:
    """The valid rows as a figures table (`files`: each row's position in `names`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keep = ~bad
    every = bool(keep.all())

    def kept(text: pd.Series | None):
        # Arrow-backed text stays as it is (no Python string per cell); an empty result keeps
        # the object dtype it always had. Nothing left out: no copy of the column.
        if text is None:
            text = _blank(len(keep))
        if every:
            return text.array
        return text.array[keep] if keep.any() else text.to_numpy(dtype=object)[keep]

    def rows(column):  # nothing left out: the column as it is, not a copy of 3 million rows
        return column if every else column[keep]

    if not keep.any():
        file = pd.array([], dtype="str")
    elif len(set(names)) == len(names):
        # Each row's file as a code into the file names (a million paths would be a million
        # texts, the largest column of the table; the values read the same).
        file = pd.Categorical.from_codes(rows(files), categories=pd.Index(names, dtype="str"))
    else:
        file = pc.take(pa.array(names, type=pa.large_string()), pa.array(files[keep]))
        file = file.to_pandas().array
    return pd.DataFrame(
        {
            "indicator": kept(indicator),
            "region": kept(region),
            "year": rows(year).to_numpy().astype("int64", copy=False),
            "value": rows(value).to_numpy(dtype="float64"),
            **({"source": kept(cols["source"]), "note": kept(cols["note"])} if sources else {}),
            "estimate": rows(estimate),
            "file": file,
            "line": rows(lines).astype("int64", copy=False),
        },
        copy=False,  # each column is the checks' own: no second copy, no stacking into blocks
    )


def _declared_regions(
    report, plan: Plan, region: pd.Series, year: pd.Series, bad: np.ndarray
) -> pd.Series:
    """Each row's region as the figures count it: empty is the plan's region; with the plan's
    `regions` (CONTRACT.md §1, version 2) a listed name or alias is its canonical name, any
    other name is an error, and so is a year after the region's `until`.

    Each distinct text is looked at once (a million figures name a few dozen regions).
    """
    import pyarrow as pa

    if plan.region_keys is None:  # cells are stripped NFC text already: only empty changes
        # The usual national file names the region on every row: the column is kept as it is
        # (a replace would copy a million texts for nothing).
        empty = (region == "").to_numpy(dtype=bool)
        return region.replace("", plan.plan.region) if empty.any() else region
    codes, uniques = pd.factorize(region)
    names = [str(name) for name in uniques]
    canonical = [plan.canonical_region(name) for name in names]
    listed = [r.name for r in plan.plan.regions or ()]
    spellings = {
        spelling: r.name for r in plan.plan.regions or () for spelling in (r.name, *r.aliases)
    }
    unknown = np.array([c is None for c in canonical], dtype=bool)
    if len(codes) and unknown.any():

        def hint(i: int, lang: str) -> str:
            close = list(dict.fromkeys(spellings[s] for s in closest(names[codes[i]], spellings)))
            if close:
                return ("; có phải: " if lang == "vi" else "; did you mean: ") + ", ".join(close)
            return (" (có: " if lang == "vi" else " (listed: ") + ", ".join(listed) + ")"

        report(
            unknown[codes] & ~bad,
            "region",
            lambda i: (
                f"địa bàn «{names[codes[i]]}» không có trong `regions` của kế hoạch" + hint(i, "vi")
            ),
            lambda i: (
                f"region «{names[codes[i]]}» is not among the plan's `regions`" + hint(i, "en")
            ),
        )
    region_of = [plan.region(c) if c is not None else None for c in canonical]
    until = np.array(
        [r.until if r is not None and r.until is not None else 10_000 for r in region_of],
        dtype=np.float64,
    )
    if len(codes) and (until < 10_000).any():
        years = year.to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            late = (years > until[codes]) & ~bad

        def gone(i: int, lang: str) -> str:
            r = region_of[codes[i]]
            if lang == "vi":
                head = (
                    f"{r.name} sáp nhập vào {r.merged_into} năm {r.until}"
                    if r.merged_into
                    else f"{r.name} chỉ tồn tại đến năm {r.until}"
                )
                return f"{head}: không có số liệu của {r.name} năm {int(years[i])}"
            head = (
                f"{r.name} merged into {r.merged_into} in {r.until}"
                if r.merged_into
                else f"{r.name} exists until {r.until}"
            )
            return f"{head}: there are no figures for {r.name} in {int(years[i])}"

        report(late, "region", lambda i: gone(i, "vi"), lambda i: gone(i, "en"))
    # Each row's name taken by pyarrow from the few canonical ones: a million Python texts
    # made into pandas' text column took 0.18 s of a national set's `status`.
    texts = pa.array([c if c is not None else "" for c in canonical], pa.large_string())
    return pd.Series(texts.take(pa.array(codes)).to_pandas().array, index=region.index)


def to_number(text: pd.Series, pa_type: str) -> pd.Series:
    """`pd.to_numeric(text, errors="coerce")`, fast when every cell is a plain number.

    pyarrow's cast accepts a subset of what pandas accepts and gives the same numbers for it
    (both parse exactly); whatever it refuses goes through pandas as before.
    """
    numbers = _arrow_numbers(text, pa_type)
    return numbers if numbers is not None else pd.to_numeric(text, errors="coerce")


def _arrow_numbers(text: pd.Series, pa_type: str) -> pd.Series | None:
    """Every cell as a number by pyarrow's cast; None when it refuses one."""
    import pyarrow as pa

    try:
        numbers = pa.array(text.array).cast(pa_type).to_numpy(zero_copy_only=False)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    return pd.Series(numbers, index=text.index)


class _Membership:
    """Questions about each row's indicator, asked once per distinct id.

    The column is factorised once (a file has few distinct ids and many rows), so each
    question costs one look-up per distinct id, not one per row.
    """

    def __init__(self, indicator: pd.Series):
        self.codes, self.names = _factorized(indicator)

    def __call__(self, ids: Collection[str]) -> np.ndarray:
        """Which rows' indicator is in `ids`, as a bool array."""
        flags = self.flags(ids)
        if not flags.any():  # (the usual answers, with no look-up per row)
            return np.zeros(len(self.codes), dtype=bool)
        if flags.all():
            return np.ones(len(self.codes), dtype=bool)
        return flags[self.codes]

    def flags(self, ids: Collection[str]) -> np.ndarray:
        """Whether each distinct indicator is in `ids`, in the order of `codes`."""
        return self.distinct(dict.fromkeys(ids, True), False).astype(bool)

    def distinct(self, by_id: dict[str, float], default: float) -> np.ndarray:
        """`by_id[indicator]` of each distinct indicator, in the order of `codes`."""
        return np.array(
            [by_id.get(name, default) for name in self.names], dtype=np.asarray(default).dtype
        )


def _check_values(
    report,
    warn,
    plan: Plan,
    having: _Membership,
    value: pd.Series,
    value_text: pd.Series,
    rows: np.ndarray,
    thousands_dots: np.ndarray | None,
) -> None:
    """The rules that depend on the indicator: its range (`value_range`; by default not
    negative, and not above 100 for %), milestone 0/1, whole numbers, thousands separators;
    `thousands_dots`: `_thousands_dot_rows`'s `matches`."""
    v = value.to_numpy(dtype=float)
    lows = {ind.id: ind.bounds[0] for ind in plan.indicators}
    highs = {ind.id: ind.bounds[1] for ind in plan.indicators}
    # Each distinct indicator's bounds, looked up per row only for the comparison and for a
    # message (two float columns of a national set's rows would be held to the end).
    low = having.distinct({i: -np.inf if b is None else b for i, b in lows.items()}, -np.inf)
    high = having.distinct({i: np.inf if b is None else b for i, b in highs.items()}, np.inf)
    codes = having.codes
    # Each row's indicator's kind, looked up once for the rules below: bit 1 a milestone, bit
    # 2 an integer indicator, bit 4 one with a highest value.
    milestones = having.flags({ind.id for ind in plan.indicators if ind.kind == "milestone"})
    integers = having.flags({ind.id for ind in plan.indicators if ind.integer})
    kinds = milestones.astype(np.uint8) | (integers.astype(np.uint8) << 1)
    kind = (kinds | ((high < np.inf).astype(np.uint8) << 2))[codes]
    with np.errstate(invalid="ignore"):  # rows already rejected hold NaN
        # Against each row's own bound only where a value passes the loosest bound of all
        # (a national set has no value below 0, and few above 100 among its percentages),
        # and only an indicator with a highest value can be above it.
        below = rows & (v < low.max()) if len(low) else rows.copy()
        above = rows & ((kind & 4) != 0) & (v > high.min()) if len(high) else rows.copy()
        at = np.flatnonzero(below)
        below[at] = v[at] < low[codes[at]]
        at = np.flatnonzero(above)
        above[at] = v[at] > high[codes[at]]
    negative = _where_flagged(below, low == 0, codes)
    report(
        negative,
        "value",
        lambda i: f"giá trị {value_text[i]} âm: số liệu không được âm",
        lambda i: f"the value {value_text[i]} is negative: figures cannot be negative",
    )
    report(
        below & ~negative,
        "value",
        lambda i: (
            f"giá trị {value_text[i]} nhỏ hơn {low[codes[i]]:g}, giá trị thấp nhất của chỉ tiêu "
            "(`value_range` trong kế hoạch)"
        ),
        lambda i: (
            f"the value {value_text[i]} is below {low[codes[i]]:g}, the lowest value of this "
            "indicator (`value_range` in the plan)"
        ),
    )
    percent = having.flags({ind.id for ind in plan.indicators if ind.is_percent})
    over = _where_flagged(above, percent & (high == 100), codes)
    report(
        over,
        "value",
        lambda i: f"{value_text[i]}% lớn hơn 100%: tỷ lệ phải từ 0 đến 100",
        lambda i: f"{value_text[i]}% is above 100%: a percentage is 0 to 100",
    )
    report(
        above & ~over,
        "value",
        lambda i: (
            f"giá trị {value_text[i]} lớn hơn {high[codes[i]]:g}, giá trị cao nhất của chỉ tiêu "
            "(`value_range` trong kế hoạch)"
        ),
        lambda i: (
            f"the value {value_text[i]} is above {high[codes[i]]:g}, the highest value of this "
            "indicator (`value_range` in the plan)"
        ),
    )
    rows = rows & ~below & ~above
    milestone = (kind & 1).astype(bool)
    not_binary = rows & milestone & ~np.isin(v, (0.0, 1.0))
    report(
        not_binary,
        "value",
        lambda i: (
            f"«{value_text[i]}» không hợp lệ cho mốc hoàn thành: ghi 1 (đã xong) hoặc 0 (chưa)"
        ),
        lambda i: f"«{value_text[i]}» is not valid for a milestone: write 1 (done) or 0 (not done)",
    )
    # `v % 1 != 0` (~9× slower); the two differ only for ±inf, which is never among `rows`
    # (told as not a finite number before).
    fraction = rows & ((kind & 3) == 2) & (np.trunc(v) != v)  # an integer one, no milestone
    # Only read when a value is not whole (the hint for "3.187"): most files have none.
    # (CONTRACT.md's thousands shape: not after a lone 0, where «0.668» is only a fraction)
    thousands = value_text.str.fullmatch(THOUSANDS_DOT).to_numpy() if fraction.any() else None

    def fraction_vi(i):
        hint = (
            f": viết {value_text[i].replace('.', '').replace(',', '')} (không dùng dấu "
            "phân cách hàng nghìn)"
            if thousands[i]
            else ""
        )
        return f"{value_text[i]} không phải số nguyên{hint}"

    def fraction_en(i):
        hint = f": write {value_text[i].replace('.', '').replace(',', '')}" if thousands[i] else ""
        return f"{value_text[i]} is not a whole number{hint}"

    report(fraction, "value", fraction_vi, fraction_en)
    not_integer = rows & ((kind & 2) == 0)
    whole_integer = rows & ((kind & 3) == 2) & ~fraction
    ambiguous = _thousands_dot_rows(value_text, not_integer | whole_integer, thousands_dots)
    if ambiguous is None:  # the usual file: whole numbers or other decimals
        return

    # CONTRACT.md §2 reads «81.500» as a decimal only where a decimal can be meant: on an
    # integer indicator «12,000» passes the whole-number check, yet it can only be a thousands
    # separator, which is not allowed (a warning let an import save 12 where 12000 was meant).
    def separated(i: int, lang: str) -> str:
        text = value_text[i]
        digits = int(re.sub(r"[^0-9]", "", text))
        sign, minus = ("-", "âm " if lang == "vi" else "minus ") if text[0] == "-" else ("", "")
        meant, read = f"{sign}{digits}", f"{sign}{digits // 1000}"
        words = minus + number_words(digits // 1000, lang)
        if lang == "vi":
            return (
                f"{text}: không dùng dấu phân cách hàng nghìn: viết {meant} (hoặc {read} nếu "
                f"là {words})"
            )
        return f"{text}: no thousands separator: write {meant} (or {read} if you meant {words})"

    report(
        ambiguous & whole_integer,
        "value",
        lambda i: separated(i, "vi"),
        lambda i: separated(i, "en"),
    )
    _thousands_dot(warn, value, value_text, ambiguous & not_integer)


def _where_flagged(rows: np.ndarray, flags: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """`rows & flags[codes]`, a flag looked up only where `rows` is set (few rows)."""
    flagged = np.zeros(len(rows), dtype=bool)
    at = np.flatnonzero(rows)
    flagged[at] = flags[codes[at]]
    return flagged


# CONTRACT.md §2, version 2: the only separator followed by exactly three digits and preceded
# by one to three digits other than a lone 0 ("81.500", "7,012"; not "0.668").
THOUSANDS_DOT = r"[+-]?(?:[1-9]\d{0,2}|0\d{1,2})[.,]\d{3}"


def _held_by_arrow(texts: pd.Series) -> bool:
    """Whether a text column's cells are held by pyarrow (read from its buffers)."""
    return isinstance(texts.dtype, pd.StringDtype) and texts.dtype.storage == "pyarrow"


def _thousands_dot_arrow(value_text: pd.Series) -> np.ndarray:
    """Which texts match THOUSANDS_DOT, for text held by pyarrow: read from the column's own
    buffers (`_thousands_dots`), nothing per row made."""
    import pyarrow as pa

    cells = pa.array(value_text.array, type=pa.large_string())  # the same buffers
    chunks = cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells]
    if not chunks:
        return np.zeros(0, dtype=bool)
    return np.concatenate([_thousands_dots(chunk) for chunk in chunks])


def _thousands_dots(cells) -> np.ndarray:
    """Which texts of a pyarrow large_string array match THOUSANDS_DOT as pyarrow's regular
    expressions match it (their digits are ASCII's), from its offsets and bytes: among the
    texts `_may_be_thousands` finds, those whose last three bytes are digits and whose bytes
    before the separator are a sign or none, then one to three digits, not a lone 0.
    (Matching the pattern took 56 ms for the million texts of a national set whose decimals
    have three digits, taking them out of the column 31.)"""
    found = _may_be_thousands(cells)
    at = np.flatnonzero(found)
    if not len(at):
        return found
    _, offsets, data = cells.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64, count=len(cells) + 1, offset=8 * cells.offset)
    byte = np.frombuffer(data, dtype=np.uint8)
    end = ends[at + 1]
    size = end - ends[at]

    def digit(back: int) -> np.ndarray:  # whether the byte `back` from each text's end is one
        at_back = byte[np.maximum(end - back, 0)]
        return (at_back >= ord("0")) & (at_back <= ord("9"))

    first = byte[end - size]
    head = size - 4 - ((first == ord("+")) | (first == ord("-")))  # digits before the separator
    match = digit(1) & digit(2) & digit(3) & (head >= 1) & (head <= 3)
    for back in (1, 2, 3):  # the head's digits, from the separator back (none past its first)
        match &= (head < back) | digit(4 + back)
    match &= ~((head == 1) & (byte[end - 5] == ord("0")))  # not a lone 0
    found[at] = match
    return found


def _may_be_thousands(cells) -> np.ndarray:
    """Which texts of a pyarrow large_string array have 5 to 8 bytes, the fourth from the end
    a "." or a ",", read from its offsets and bytes."""
    _, offsets, data = cells.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64, count=len(cells) + 1, offset=8 * cells.offset)
    size = np.diff(ends)
    short = (size >= 5) & (size <= 8)
    if not short.any():
        return short
    fourth = np.frombuffer(data, dtype=np.uint8)[np.where(short, ends[1:] - 4, 0)]
    return short & ((fourth == ord(".")) | (fourth == ord(",")))


def _thousands_dot_rows(
    value_text: pd.Series, rows: np.ndarray, matches: np.ndarray | None
) -> np.ndarray | None:
    """Which of `rows` match THOUSANDS_DOT, None when none does. `matches`: which texts of the
    column match it, found from pyarrow's buffers (`_thousands_dot_arrow`); None for texts
    held otherwise, matched here."""
    if not rows.any():
        return None
    # Only a text of 5 to 8 characters with a separator can be one ("1.500" to "-999,999"):
    # the pattern is matched on those alone (a national set's decimals are a million texts).
    if matches is not None:
        ambiguous = rows & matches
    else:
        length = value_text.str.len().to_numpy()
        at = np.flatnonzero(rows & (length >= 5) & (length <= 8))
        ambiguous = np.zeros(len(rows), dtype=bool)
        ambiguous[at] = value_text.iloc[at].str.fullmatch(THOUSANDS_DOT).to_numpy(dtype=bool)
    return ambiguous if ambiguous.any() else None


def _thousands_dot(warn, value: pd.Series, value_text: pd.Series, ambiguous: np.ndarray) -> None:
    """The thousands-dot rule for an indicator that is not `integer`: such a value is read as
    a decimal, with a warning naming both readings (on an `integer` indicator it is an error,
    see `_check_values`)."""
    if not ambiguous.any():
        return

    @functools.cache
    def text(i: int) -> str:  # (a cell of a pandas column costs ~10 µs, asked ten times)
        return value_text[i]

    def thousands(i: int) -> int:
        return int(re.sub(r"[^0-9]", "", text(i)))

    def sign(i: int) -> str:
        return "-" if text(i).startswith("-") else ""

    def separator(i: int) -> str:
        return "," if "," in text(i) else "."

    warn(
        ambiguous,
        "value",
        lambda i: (
            f"{text(i)} được đọc là số thập phân {plain_number(value[i], 'vi')} (dấu "
            f"«{separator(i)}» là dấu thập phân); nếu ý bạn là "
            f"{sign(i)}{number_words(thousands(i), 'vi')}, hãy viết {sign(i)}{thousands(i)} "
            "(không dùng dấu phân cách hàng nghìn)"
        ),
        lambda i: (
            f"{text(i)} is read as {plain_number(value[i], 'en')}; if you meant "
            f"{'minus ' if sign(i) else ''}{number_words(thousands(i), 'en')}, write "
            f"{sign(i)}{thousands(i)}"
        ),
    )


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


def unused_column(file: str, header: str) -> Problem:
    """The warning for a column no reader uses (figures and task progress alike)."""
    return Problem(
        file,
        f"cột «{header.strip()}» không dùng đến và bị bỏ qua",
        f"column «{header.strip()}» is not used and is ignored",
        line=1,
        column=header.strip(),
        severity="warning",
    )


def cells_of(raw: bytes, file: str) -> tuple[list[str], pd.DataFrame, np.ndarray, list[Problem]]:
    """The header, cells (as text) and line numbers of one CSV or XLSX file, read as figures
    files are (encodings, separators, Excel), for the other tables staff send (task progress).
    A file that cannot be read gives an empty grid and its problem."""
    grid = _grid(raw, file)
    if isinstance(grid, Problem):
        return [], pd.DataFrame(), np.zeros(0, dtype=np.int64), [grid]
    return grid.header, grid.cells, grid.lines, grid.problems
