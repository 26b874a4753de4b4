"""Writing figures: import planning, atomic canonical CSV files, backups, audit trail, locks, undo.

One implementation for the `/data` page and `python -m kpis import|delete|undo|redo`:

- `plan_import` compares an incoming table (parsed by `kpis.figures.parse_figures_bytes`, the one
  reader) with the saved figures: added, changed (old → new), unchanged, removed (figures the
  editor asked to delete), and every problem of the file alone and together with what is saved.
- `apply_import` writes it under the folder's lock (`data/.lock`): every file about to change is
  first copied to `data/.history/<id>/`, each file is replaced atomically (temporary file in the
  same folder, fsync, `os.replace`, fsync of the folder; a file left without figures is
  removed), and every added, changed or removed figure is appended to
  `data/.history/audit.csv`. It refuses when the files changed since the editor
  loaded them (`DataChanged`).
- `undo` puts back the files of the latest import byte for byte, and audits that too; `redo`
  applies again what the latest undo put back, unless a save came after it.

A history entry is also the journal of its import: it is complete only once its `complete`
marker exists. An import killed half-way (some files new, some old: each one whole) is rolled
back from the entry's copies by the next operation that takes the lock (`recover`).

Task progress (kpis/tasks.py) is a side file of the store (`is_side_file`, `_tasks-<plan
id>.csv`), kept whole beside the figures: read with `Store.read_side`, saved in one turn with
`Store.side_files` through the same journal (`write_journaled`), undone and redone like an
import.

The pages and commands do not call these functions directly: they ask `open_store` for a
`Store` (the interface at the end of this module) and call its methods. `FolderStore` is the
data folder described above; `kpis.pgstore.PostgresStore` keeps the same promises in
PostgreSQL (`KPI_DATABASE_URL`).
"""

from __future__ import annotations

import abc
import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import json
import math
import operator
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, NoReturn

import numpy as np
import pandas as pd
from filelock import FileLock, Timeout

from kpis import cores, plausibility
from kpis.agencies import outside
from kpis.arrow_text import may_hold
from kpis.cores import two_at_a_time
from kpis.errors import (
    DataChanged,
    HistoryDamaged,
    InputNotFound,
    InvalidInput,
    OutsideAgencies,
    Problem,
    SortsProblems,
    StoreBusy,
    WarningsNotAccepted,
    one_per_refused_cell,
)
from kpis.figures import (
    COLUMNS,
    Figures,
    FolderRead,
    WrittenFiles,
    empty_table,
    estimate_flags,
    extra_header,
    figure_files,
    parse_figures_bytes,
    read_figures,
    read_figures_as_if,
    read_folder_with_rows,
    text_rows,
    text_rows_of,
    to_number,
)
from kpis.paths import data_location, is_database_url
from kpis.plan import Plan
from kpis.safe_cells import stored_cell, typed_cell
from kpis.scope import Scope
from kpis.table_rows import rows_where

LOCK_NAME = ".lock"
HISTORY_DIR = ".history"
AUDIT_NAME = "audit.csv"
AUDIT_COLUMNS = [
    "time",
    "user",
    "indicator",
    "region",
    "year",
    "old",
    "new",
    "source",
    "file",
    "action",
    "entry",
    # Issue 16: a task's change names the task (indicator, region, year are empty); each row
    # names the agency that answers for the figure or task. Older trails lack both columns.
    "task",
    "agency",
    # A figure's note before and after the change: a note taken out (or rewritten) is in the
    # trail, not only in the backups. Older trails lack both columns; their rows read as empty.
    "old_note",
    "new_note",
    # A figure's estimate mark (CONTRACT.md §2 version 2) before and after the change, written
    # as canonical CSV writes it (`ESTIMATE_MARK`, empty when not an estimate): the history
    # shows «3 (ước)» as the preview did, and an estimate replaced by the official figure
    # reads «3 (ước) → 3». Older trails lack both columns; their rows read as not marked.
    "old_estimate",
    "new_estimate",
    # A task's progress date before and after the change (ISO, 2025-06-30; empty for a figure
    # or when none): a date corrected, 30/06/1925 → 30/06/2025, is a change the history shows,
    # where the state alone read «đang triển khai → đang triển khai». Older trails lack both.
    "old_date",
    "new_date",
]
# The trail's cells that hold text someone typed or sent (a source, a note, a region, a user
# name): written with `stored_cell`, so that the trail, opened in a spreadsheet, runs nothing,
# and read back with `typed_cell`, so that the history shows them as typed. The others are ours
# (times, ids, actions) or numbers, which a spreadsheet reads as numbers.
_AUDIT_TYPED = ("user", "region", "source", "file", "task", "agency", "old_note", "new_note")
# The trail's widths over time (before agencies, before notes, before estimates, before task
# dates, today): a row of an older trail is read with the columns it lacks empty.
_AUDIT_WIDTHS = tuple(len(AUDIT_COLUMNS) - n for n in (8, 6, 4, 2, 0))
_AUDIT_COLUMNS_BEFORE_TASKS = _AUDIT_WIDTHS[0]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
LOCK_TIMEOUT_S = 120.0
# Columns of our own template that are there for people (CONTRACT.md ignores unknown columns
# with a warning; for these the warning would only alarm the staff who filled the template).
TEMPLATE_HINT_COLUMNS = ("unit", "last_year_value", "đơn vị", "giá trị năm trước")
_PLAN_COLUMNS = [
    "indicator",
    "region",
    "year",
    "old",
    "new",
    "source",
    "note",
    "old_source",
    "old_note",
    "file",
    "line",
    "fields",
    "estimate",
    "old_estimate",
]
# The audit trail's actions that change figures: what a refusal names as "who changed what".
CHANGING_ACTIONS = ("import", "save", "delete", "undo", "redo")
# What a changed figure's `fields` may name, in this order.
CHANGED_FIELDS = ("value", "source", "note", "estimate")
# How canonical CSV marks an estimate (CONTRACT.md §2 version 2: any non-empty cell but a
# "no"; written as the contract's first example).
ESTIMATE_MARK = "x"
# A side file: a file of the store beside the figures, whole, whose name starts with «_» so
# that the figures reader skips it. Today the task progress of each plan (kpis.tasks,
# `_tasks-<plan id>.csv`): the folder keeps it as a file, PostgreSQL as its bytes.
SIDE_FILE = re.compile(r"_[^/\\\0]+\.csv")
SIDE_FILES_GLOB = "_tasks-*.csv"  # what `db load` moves into a database, `db dump` writes out


def is_side_file(name: str) -> bool:
    return bool(SIDE_FILE.fullmatch(name))


def _side_name(name: str) -> str:
    if not is_side_file(name):
        raise ValueError(f"not a side file of the store: {name!r}")
    return name


# ---------------------------------------------------------------------------------------------
# Files: atomic writes, canonical CSV, fingerprint, lock


def atomic_write(path: Path, data: bytes, sync_folder: bool = True) -> None:
    """Replace `path` with `data` so that a crash at any moment leaves the old or the new file.

    The temporary file is in the same folder (a rename across file systems is not atomic) and
    starts with "." so that the figures reader never takes a leftover for data.
    `sync_folder=False`: the caller makes the rename durable (`fsync_dir`) once for several
    files, before anything that relies on them (a history marker, the audit trail).
    """
    path = Path(path)
    _put_in_place(_write_aside(path, data), path)
    if sync_folder:
        fsync_dir(path.parent)


def _write_aside(path: Path, data: bytes) -> str:
    """`data` written and synced into a hidden temporary file beside `path`, with `path`'s
    mode (`atomic_write`'s first half); the temporary file's path."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".tmp-{path.name}-")
    try:
        # mkstemp makes the file private (0600): keep the old file's mode, else the usual one,
        # so that a dashboard running as another user can still read it.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        _give_up(tmp, path, exc)
    return tmp


def _put_in_place(tmp: str, path: Path) -> None:
    """The file `_write_aside` wrote, renamed over `path` (`atomic_write`'s second half)."""
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        _give_up(tmp, path, exc)


def _give_up(tmp: str, path: Path, exc: BaseException) -> NoReturn:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
    if isinstance(exc, OSError) and not exc.filename:
        # A full disk fails the write with no file named: say which file it was.
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    raise exc


def _read_umask() -> int:
    # Read once at import: os.umask can only be read by setting it, which is not thread-safe.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (a no-op where the OS cannot)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # Windows and some network file systems cannot fsync a directory
    finally:
        os.close(fd)


_IO_THREADS = 8


def in_parallel(function: Callable[[str], object], names: Collection[str]) -> list:
    """`function(name)` for each name, a few at a time, results in order. Writing a file
    waits on the disk (fsync) without holding Python's lock: a year's import into 340 region
    files takes the time of a few dozen. The first failure is raised once all have run
    (each file is written atomically; the history entry rolls a half-done import back)."""
    names = list(names)
    if len(names) <= 1:
        return [function(name) for name in names]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(_IO_THREADS, len(names))) as pool:
        futures = [pool.submit(function, name) for name in names]
    return [future.result() for future in futures]


def format_value(value: float) -> str:
    """A value as canonical CSV writes it: decimal point, no exponent for whole numbers."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def format_values(values) -> list[str]:
    """`format_value` of each value (numbers), the whole ones converted together (a year's
    import writes 34,000)."""
    numbers = np.asarray(values, dtype=np.float64)
    texts = np.empty(len(numbers), dtype=object)
    whole = np.isfinite(numbers) & (np.abs(numbers) < 1e15)
    whole[whole] = numbers[whole] == np.round(numbers[whole])
    texts[whole] = numbers[whole].astype(np.int64).astype(str).tolist()
    rest = np.flatnonzero(~whole)
    texts[rest] = [format_value(v) for v in numbers[rest].tolist()]
    return texts.tolist()


def _with_texts(column: pd.Series, at: np.ndarray, texts) -> pd.Series:
    """`column` with the cells at positions `at` (distinct) replaced by `texts`: for a column
    of pyarrow text, one pass in C++ (a year's import sets 34,000 cells of a million)."""
    if not isinstance(column.array, pd.arrays.ArrowStringArray) or not len(at):
        column = column.copy()
        column.iloc[at] = texts
        return column
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pa.array(column.array)
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    order = np.argsort(at, kind="stable")  # replacements are taken in the order of the cells
    mask = np.zeros(len(column), dtype=bool)
    mask[at] = True
    given = pa.array(pd.array(np.asarray(texts, dtype=object)[order], dtype="str"))
    replaced = pc.replace_with_mask(cells, pa.array(mask), given.cast(cells.type))
    return pd.Series(replaced.to_pandas().array, index=column.index, name=column.name)


def canonical_csv_bytes(rows: pd.DataFrame) -> bytes:
    """CONTRACT.md's canonical CSV: UTF-8 with BOM, comma, decimal point, sorted.

    `rows` has the columns of `COLUMNS` as text (region as it is to be written, possibly
    empty; values already written with a decimal point), possibly `estimate`, then any other
    columns of the file (`kpis.figures.text_rows`), written after them under their own headers.
    The `estimate` column (version 2) follows `note`, each mark written `x`, when a row is
    an estimate; a file without one has no such column.
    """
    extras = tuple(c for c in rows.columns if c not in COLUMNS and c != "estimate")
    return canonical_csv_files(rows.assign(_file=0), ["file"], [extras])["file"]


def canonical_csv_files(
    rows: pd.DataFrame, names: list[str], extras_of: list[tuple[str, ...]]
) -> dict[str, bytes]:
    """`canonical_csv_bytes` of several files at once: `rows` are all their rows, `_file` the
    position in `names` of each row's file, `extras_of` each file's own other columns (in its
    order; the joined table has them all, empty where a file has not). Sorted once and written
    column by column in C++ (no Python loop over the cells), then cut into files: a year's
    import into 340 files costs what one file does."""
    return _canonical_files(rows, names, extras_of)[0]


def _canonical_files(
    rows: pd.DataFrame, names: list[str], extras_of: list[tuple[str, ...]]
) -> tuple[dict[str, bytes], list[WrittenFiles]]:
    """`canonical_csv_files`, with the texts each file is written from (`WrittenFiles`): the
    check of the set as it will be takes its cells from them rather than parsing the bytes."""
    keys = (
        rows[["_file", "indicator", "region", "year"]]
        .assign(_year=to_number(rows["year"], "float64"))
        .reset_index(drop=True)
    )
    # The order as a permutation of positions: each column written is taken once, in that
    # order, never the whole table twice (a year's import into 340 files: a million rows).
    order = _sorting_order(keys, ["_file", "indicator", "region", "_year", "year"])
    codes = rows["_file"].to_numpy(dtype=np.int64)[order]
    starts = np.searchsorted(codes, np.arange(len(names) + 1))
    # The estimate column only in a file with a row that is an estimate (`_estimate_column`).
    flags = (
        estimate_flags(rows["estimate"])[order]
        if "estimate" in rows.columns
        else np.zeros(len(rows), dtype=bool)
    )
    shapes: dict[tuple[bool, tuple[str, ...]], list[int]] = {}
    for code in range(len(names)):
        estimate = bool(flags[starts[code] : starts[code + 1]].any())
        shapes.setdefault((estimate, tuple(extras_of[code])), []).append(code)
    counts = np.diff(starts)

    def texts_and_rows(members: list[int], estimate: bool, extras: tuple[str, ...]):
        take = np.concatenate([np.arange(starts[code], starts[code + 1]) for code in members])
        picked = order[take]
        # The usual rewrite: the files' rows were canonical already, in this order, each
        # column is written as it is (a slice), not copied in the same order first.
        first = int(picked[0]) if len(picked) else 0
        in_order = bool((picked == np.arange(first, first + len(picked))).all())
        cells = [
            rows[c].iloc[first : first + len(picked)] if in_order else rows[c].take(picked)
            for c in [*COLUMNS, *extras]
        ]
        if estimate:
            marks_of = pd.Series(np.where(flags[take], ESTIMATE_MARK, ""), dtype=object)
            cells.insert(len(COLUMNS), marks_of)
        texts = _texts(cells)
        return texts, *_csv_rows_of(texts)

    contents: dict[str, bytes] = {}
    written: list[WrittenFiles] = []
    for (estimate, extras), members in shapes.items():
        marks = ["estimate"] if estimate else []
        header_cells = [*COLUMNS, *marks, *map(extra_header, extras)]
        header = io.StringIO()
        csv.writer(header, lineterminator="\n").writerow(header_cells)
        head = ("\ufeff" + header.getvalue()).encode("utf-8")
        # A national rewrite is made in two halves at once: the takes and joins run in C++,
        # without Python's lock, one half on each core.
        halved = counts[members].sum() >= cores.PARALLEL_ROWS
        parts = _halves(members, counts) if halved else [members]
        made = two_at_a_time(
            len(parts) > 1,
            *[functools.partial(texts_and_rows, part, estimate, extras) for part in parts],
        )
        for part, (texts, data, ends) in zip(parts, made, strict=True):
            at = 0
            for code in part:
                contents[names[code]] = head + data[ends[at] : ends[at + counts[code]]]
                at += counts[code]
            rows_in = [int(counts[code]) for code in part]
            written.append(WrittenFiles(header_cells, texts, [names[c] for c in part], rows_in))
    return contents, written


def _halves(members: list[int], counts: np.ndarray) -> list[list[int]]:
    """Files (positions, in order) cut into two runs of about as many rows each, every file
    whole in one of them; one run when there is a single file."""
    if len(members) < 2:
        return [members]
    running = np.cumsum(counts[members])
    cut = int(np.searchsorted(running, running[-1] / 2))
    cut = min(max(cut, 1), len(members) - 1)
    return [members[:cut], members[cut:]]


def _sorting_order(keys: pd.DataFrame, by: list[str]) -> np.ndarray:
    """The positions of `keys`' rows as a stable `sort_values(by)` orders them (texts by their
    UTF-8 bytes, the order of Python's characters; a missing cell last): each row's keys
    ranked into one integer and those sorted (`_ranked_together`), or, where the ranks would
    not fit, pyarrow's stable sort by the columns themselves. A column pyarrow cannot take
    (texts mixed with other objects) is sorted by pandas, as ever."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        columns = {
            name: pa.array(
                keys[name].array if keys[name].dtype == "str" else keys[name].to_numpy(),
                from_pandas=True,  # (NaN a missing cell, as pandas sorts it: last)
            )
            for name in by
        }
    except (pa.ArrowException, TypeError, ValueError):
        keys = keys.reset_index(drop=True)  # (the index as positions)
        return keys.sort_values(by, kind="stable").index.to_numpy(dtype=np.int64)
    ranked = _ranked_together([columns[name] for name in by])
    if ranked is not None:
        return np.argsort(ranked, kind="stable").astype(np.int64, copy=False)
    order = pc.sort_indices(pa.table(columns), sort_keys=[(name, "ascending") for name in by])
    return order.to_numpy().astype(np.int64, copy=False)


def _ranked_together(columns: list) -> np.ndarray | None:
    """One integer a row whose order is the rows' order by `columns` (pyarrow arrays), the
    first column first: each column's cells ranked among its distinct values (`_ranks`), the
    ranks put side by side as the digits of one number. Sorting a million of them is a sort of
    integers, where pyarrow's sort by five columns compared texts row by row (~0.4 s for a
    year's import into files whose rows are in no order). None when the number would not fit
    in 63 bits."""
    number = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    span = 1
    for column in reversed(columns):
        ranks, places = _ranks(column)
        if span * places >= 2**62:
            return None
        number += ranks * span
        span *= places
    return number


def _ranks(column) -> tuple[np.ndarray, int]:
    """Each cell's place among the column's distinct values in pyarrow's ascending order (texts
    by their UTF-8 bytes), a missing cell after them all; and how many places there are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    coded = pc.dictionary_encode(column)
    distinct = len(coded.dictionary)
    place = np.empty(distinct + 1, dtype=np.int64)
    place[pc.sort_indices(coded.dictionary).to_numpy()] = np.arange(distinct)
    place[distinct] = distinct  # a missing cell
    codes = pc.fill_null(coded.indices, distinct).to_numpy().astype(np.int64, copy=False)
    return place[codes], distinct + 1


def _texts(columns: list[pd.Series]) -> list:
    """The cells as pyarrow text arrays, a missing cell empty: what `_csv_rows_of` writes."""
    import pyarrow as pa

    texts = []
    for column in columns:
        if column.dtype == object or column.hasnans:
            column = column.fillna("").astype(str)
        texts.append(pa.array(column.array if column.dtype == "str" else column.to_numpy()))
    return texts


def _csv_rows_of(texts: list) -> tuple[memoryview, np.ndarray]:
    """Rows of text cells (pyarrow text arrays, `_texts`) as Python's `csv.writer` writes
    them (comma, minimal quoting, "\n"), built column by column with pyarrow: the bytes of
    all rows, and where each row starts (one more: the end of the last).

    csv.writer quotes a cell holding the separator, a quote or a line feed (and only those:
    a lone carriage return is written as it is), doubling its quotes. Whether a column holds
    such a cell at all is asked once of all its characters (`may_hold`); a column that
    does gets a quote mark before and after each such cell, as pieces of the one join that
    makes the rows: quoting the cells as new columns first copied a column of a million
    sources three times over (~1.5 s of a year's import when every source holds a comma)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(texts[0]) if texts else 0
    if not n:
        return memoryview(b""), np.zeros(1, dtype=np.int64)
    quoting = [may_hold(text, _STRUCTURAL) for text in texts]
    if len(texts) > 1 and not any(quoting):
        plain = _plain_rows(texts)
        if plain is not None:
            return plain
    large = pa.large_string()
    nothing, mark = pa.scalar("", large), pa.scalar('"', large)
    pieces: list = []
    for position, (text, quoted) in enumerate(zip(texts, quoting, strict=True)):
        text = text.cast(large)
        quote = pc.match_substring_regex(text, _STRUCTURAL) if quoted else None
        if len(texts) == 1:  # csv.writer writes a row of one empty cell as ""
            empty = pc.equal(text, "")
            quote = empty if quote is None else pc.or_(quote, empty)
        if quote is None:
            pieces.append(text)
        else:
            if quoted and may_hold(text, '"'):
                text = pc.replace_substring(text, '"', '""')
            edge = pc.if_else(quote, mark, nothing)
            pieces += [edge, text, edge]
        pieces.append(pa.scalar("," if position < len(texts) - 1 else "\n", large))
    # (a view of pyarrow's buffer: each file is copied out of it once, with its header)
    return _joined_rows(pieces)


def _joined_rows(pieces: list) -> tuple[memoryview, np.ndarray]:
    """Each row's pieces (large_string arrays and scalars, each row's last piece its line
    end) joined into rows, one after the other in pyarrow's buffer: a view of all the rows'
    bytes, and where each row starts (one more: the end of the last)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lines = pc.binary_join_element_wise(*pieces, pa.scalar("", pa.large_string()))
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    at = lines.offset
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[at : at + len(lines) + 1]
    data = memoryview(lines.buffers()[2])
    return data[int(offsets[0]) : int(offsets[-1])], offsets - offsets[0]


_STRUCTURAL = '[,"\n]'  # what makes csv.writer quote a cell (comma separator, "\n" line end)


def _plain_rows(texts: list) -> tuple[memoryview, np.ndarray] | None:
    """`_csv_rows_of` of text columns none of whose cells needs quoting (the usual figures),
    written by pyarrow's CSV writer, which refuses any cell holding a separator, a quote or a
    line break (structural characters): None then, and `_csv_rows_of` quotes cell by cell.
    Without quotes, a row is its cells joined by commas, as csv.writer writes it: each row's
    length is known before writing, so the writer fills one buffer of the exact size (a
    growing buffer copies a national set's 50 MB several times over) and the rows' ends are
    the running sum of their lengths."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    table = pa.Table.from_arrays(texts, names=[str(i) for i in range(len(texts))])
    lengths = np.full(len(table), len(texts), dtype=np.int64)  # the commas and the line end
    for text in texts:
        lengths += pc.binary_length(text).to_numpy(zero_copy_only=False)
    ends = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    data = pa.allocate_buffer(int(ends[-1]))
    sink = pa.FixedSizeBufferWriter(data)
    try:
        pa_csv.write_csv(
            table, sink, pa_csv.WriteOptions(include_header=False, quoting_style="none")
        )
    except (pa.ArrowInvalid, OSError):  # a structural character; a row longer than counted
        return None
    if sink.tell() != ends[-1]:  # never seen: rows written otherwise than counted
        return None
    return memoryview(data), ends


def _estimate_column(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` with the estimate marks as canonical CSV writes them, right after `note`, or
    without the column when no row is an estimate."""
    if "estimate" not in rows.columns:
        return rows
    flags = estimate_flags(rows["estimate"])
    others = [column for column in rows.columns if column != "estimate"]
    if not flags.any():
        return rows[others]
    rows = rows[others].copy()
    rows.insert(len(COLUMNS), "estimate", np.where(flags, ESTIMATE_MARK, "").astype(object))
    return rows


def fingerprint(data_dir: Path, digests: dict[str, bytes] | None = None) -> str:
    """A digest of every figures file (names and bytes): any change to the data changes it.

    `digests`: each file's SHA-256 digest by name, where it is known already (the files as
    a read under the same lock found them, `FolderRead.digests`); any other file is read."""
    digest = hashlib.sha256()
    files, _ = figure_files(Path(data_dir))
    known = digests or {}
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0")
        own = known.get(file.name)
        digest.update(own if own is not None else hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


@contextlib.contextmanager
def locked(data_dir: Path, timeout: float = LOCK_TIMEOUT_S, recover: bool = True) -> Iterator[None]:
    """Hold `data/.lock` (one writer at a time, across processes); finish any broken import."""
    lock_path = Path(data_dir) / LOCK_NAME
    lock = FileLock(lock_path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise StoreBusy(str(lock_path)) from None
    try:
        if recover:
            _recover_unlocked(Path(data_dir))
        yield
    finally:
        lock.release()


@dataclass(frozen=True)
class Snapshot:
    """What the data looked like when an editor loaded it: to detect later changes."""

    fingerprint: str
    audit_size: int  # bytes of the audit trail then: what was appended since says who did what


def snapshot(data_dir: Path) -> Snapshot:
    data_dir = Path(data_dir)
    return Snapshot(fingerprint(data_dir), _audit_size(data_dir))


def _audit_size(data_dir: Path) -> int:
    try:
        return (history_dir(data_dir) / AUDIT_NAME).stat().st_size
    except FileNotFoundError:
        return 0


# ---------------------------------------------------------------------------------------------
# Planning an import


def _no_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=_PLAN_COLUMNS)


@dataclass
class ImportPlan(SortsProblems):
    """What an import would do. `added`, `changed`, `unchanged`, `removed` have the columns
    indicator, region, year, old, new, source, note, old_source, old_note, file, line, fields
    (`file`: the data file that holds or gets the figure; `line`: the line in the incoming file,
    or the row of the removal asked for; `new` is empty for a removed figure; `fields`: what a
    changed figure changes, from `CHANGED_FIELDS`, comma separated).

    Warnings must be accepted before the plan is applied (`apply_import(accept_warnings=True)`):
    the page's tick «Tôi đã kiểm tra», `--accept-warnings` on the command line."""

    added: pd.DataFrame
    changed: pd.DataFrame
    unchanged: pd.DataFrame
    problems: list[Problem]
    snapshot: Snapshot
    also_known: frozenset[str] = frozenset()
    removed: pd.DataFrame = field(default_factory=_no_rows)

    @property
    def has_changes(self) -> bool:
        return bool(len(self.added) or len(self.changed) or len(self.removed))

    def summary(self, lang: str = "vi") -> str:
        return summary_text(
            len(self.added), len(self.changed), len(self.unchanged), lang, len(self.removed)
        )


def summary_text(
    added: int, changed: int, unchanged: int, lang: str = "vi", removed: int = 0
) -> str:
    deleted = (f", deleted {removed}" if lang == "en" else f", xoá {removed}") if removed else ""
    if lang == "en":
        return f"added {added}, changed {changed}{deleted}, unchanged {unchanged}"
    return f"thêm {added}, sửa {changed}{deleted}, giữ nguyên {unchanged}"


def parse_upload(
    raw: bytes,
    display_name: str,
    plan: Plan,
    limit: int | None = MAX_UPLOAD_BYTES,
    size: int | None = None,
    typed: bool = False,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse an uploaded or imported file with the one reader; `display_name` is only shown.

    The format is judged by content (CSV or XLSX), never by the name, and the name is never
    used as a path. `size`: the file's size when `raw` was not read because of it. `typed`:
    made from cells typed on the page (`kpis.figures.parse_figures_bytes`).
    """
    size = len(raw) if size is None else size
    if limit is not None and size > limit:
        return empty_table(), [too_large(display_name, size, limit)]
    table, problems = parse_figures_bytes(raw, display_name, plan, typed=typed)
    problems = [p for p in problems if not _is_template_hint_warning(p)]
    return table, problems


def import_limit() -> int:
    """The largest file `import` and `tasks import` take without `--no-size-limit`: the page's
    5 MB, or `file_mb` where an administrator set it (`KPI_MAX_FILE_MB`, `--limit file_mb=`),
    which then raises both this and the reader's own size limit at once."""
    from kpis.limits import ENV_PREFIX, active

    if os.environ.get(ENV_PREFIX + "FILE_MB", "").strip():
        return active().file_bytes
    return MAX_UPLOAD_BYTES


def too_large(
    display_name: str, size: int, limit: int = MAX_UPLOAD_BYTES, command: str = "import"
) -> Problem:
    """The refusal of a file over the upload limit (the page, `import` and `tasks import`
    alike), naming how an administrator takes it all the same with `command`."""
    from kpis.i18n import format_number
    from kpis.limits import active

    mb, got = limit / 1024 / 1024, size / 1024 / 1024
    # `--no-size-limit` lifts this limit only; a file beyond the reader's `file_mb` too needs
    # that raised, which (set explicitly) lifts both.
    if size <= active().file_bytes:
        lift = (
            f"python -m kpis {command} TỆP --no-size-limit",
            f"python -m kpis {command} FILE --no-size-limit",
        )
    else:
        needed = math.ceil(got)
        lift = (
            f"python -m kpis {command} TỆP --limit file_mb={needed}",
            f"python -m kpis {command} FILE --limit file_mb={needed}",
        )
    return Problem(
        display_name,
        f"tệp nặng {format_number(got, 'vi', 1)} MB, lớn hơn giới hạn {format_number(mb, 'vi')}"
        " MB: chia thành nhiều tệp nhỏ hơn (ví dụ mỗi năm một tệp), hoặc xoá các trang tính, ảnh "
        f"không cần thiết; quản trị viên nhập được tệp lớn hơn bằng lệnh {lift[0]}",
        f"the file is {format_number(got, 'en', 1)} MB, over the {format_number(mb, 'en')} MB "
        "limit: split it into smaller files (one per year, say), or remove sheets and pictures "
        f"it does not need; an administrator can import a larger file with {lift[1]}",
    ).of_whole_file()


def _is_template_hint_warning(problem: Problem) -> bool:
    return (
        problem.severity == "warning"
        and problem.line == 1
        and (problem.column or "").strip().lower() in TEMPLATE_HINT_COLUMNS
    )


def plan_import(data_dir: Path, *args, **kwargs) -> ImportPlan:
    """`Store.plan_import` on the data folder `data_dir`."""
    return FolderStore(Path(data_dir)).plan_import(*args, **kwargs)


def plan_against(
    saved: Figures,
    snap: Snapshot,
    where: str,
    plan: Plan,
    incoming: pd.DataFrame,
    problems: list[Problem],
    also_known: frozenset[str],
    removals: pd.DataFrame | None = None,
    removals_from: str = "-",
    blanks_clear: bool = False,
) -> ImportPlan:
    """`plan_import` against figures already read (`saved`, as of `snap`), whichever store
    holds them; `where` names the store in a problem about the saved figures."""
    problems = list(problems)
    if saved.errors:
        problems.append(
            Problem(
                where,
                # Said to whoever imports, on the page as at the command line: the files
                # are the data manager's to mend, so the command is named for them.
                "số liệu đã lưu đang có lỗi (liệt kê dưới đây): báo người quản trị dữ liệu "
                "sửa các tệp đó (lệnh kiểm tra: python -m kpis validate), rồi nhập lại",
                "the saved figures have errors (listed below): ask whoever manages the data "
                "to mend those files (the check: python -m kpis validate), then import again",
            )
        )
        problems.extend(saved.errors)
    keys = ["indicator", "year", "region"]
    # Only the saved figures of the years asked about can match (a year's import against
    # thirty): the merges below then handle 34,000 rows, not a million.
    years = (
        incoming["year"] if removals is None else pd.concat([incoming["year"], removals["year"]])
    )
    wanted = saved.table["year"].isin(pd.unique(years.astype("int64")))
    columns = [*keys, "value", "source", "note", "estimate", "file"]
    old = _with_estimate(rows_where(saved.table, wanted))[columns]
    old = old.rename(
        columns={
            "value": "old",
            "source": "old_source",
            "note": "old_note",
            "estimate": "old_estimate",
            "file": "held_in",
        }
    )
    merged = (
        _with_estimate(incoming)[[*keys, "value", "source", "note", "estimate", "line"]]
        .rename(columns={"value": "new"})
        .merge(old, on=keys, how="left", validate="one_to_one")
    )
    merged["source"] = merged["source"].fillna("").astype(object)
    merged["note"] = merged["note"].fillna("").astype(object)
    # An estimate is what the file says (an absent column or an empty cell: not an estimate,
    # CONTRACT.md §2): the official figure replacing an estimate clears the mark.
    merged["estimate"] = merged["estimate"].fillna(False).astype(bool)
    merged["old_estimate"] = merged["old_estimate"].astype("boolean").fillna(False).astype(bool)
    is_new = merged["old"].isna()
    same_value = ~is_new & (merged["new"] == merged["old"])
    # An empty note cell in a file keeps the saved note, whatever the value: the template
    # comes with an empty note column, so a year's figures sent in again on it would otherwise
    # lose every note («đã kiểm tra») without a word. The preview shows the note kept.
    # An empty source keeps the saved one only for the same value: a source names the
    # document a number comes from, and a new number's document is asked for (a warning
    # below), never the old one's carried over to it. Not in /data's grid (`blanks_clear`),
    # which shows the saved ones: a cell emptied there is a source or note taken out.
    if not blanks_clear:
        keep_source = same_value & (merged["source"] == "")
        merged.loc[keep_source, "source"] = merged.loc[keep_source, "old_source"]
        keep_note = ~is_new & (merged["note"] == "")
        merged.loc[keep_note, "note"] = merged.loc[keep_note, "old_note"].fillna("")
    differs = {
        "value": ~same_value,
        "source": merged["source"] != merged["old_source"].fillna(""),
        "note": merged["note"] != merged["old_note"].fillna(""),
        "estimate": merged["estimate"] != merged["old_estimate"],
    }
    unchanged = ~is_new & same_value & ~differs["source"] & ~differs["note"]
    unchanged &= ~differs["estimate"]
    merged["fields"] = _fields_text(differs, is_new).tolist()
    merged["file"] = _file_names(merged["held_in"]).tolist()
    if is_new.any():
        merged.loc[is_new, "file"] = merged.loc[is_new, "year"].astype("int64").astype(str) + ".csv"
    merged = merged.sort_values(["indicator", "region", "year"], kind="stable")

    def part(mask: pd.Series) -> pd.DataFrame:
        return merged.loc[mask, _PLAN_COLUMNS].reset_index(drop=True)

    added, changed = part(is_new), part(~is_new & ~unchanged)
    incoming_file = str(incoming["file"].iloc[0]) if len(incoming) else "-"
    # A reader's warning about a value (the thousands-dot rule) matters only where that value
    # is about to be written: a figure sent again unchanged is not news.
    quiet = set(merged.loc[unchanged, "line"].astype(int))
    problems = [
        p
        for p in problems
        if not (
            not p.is_error and p.column == "value" and p.file == incoming_file and p.line in quiet
        )
    ]
    news = pd.concat([added, changed], ignore_index=True)
    problems.extend(
        plausibility.jumps(plan, saved.table, incoming, news, incoming_file, saved.keys)
    )
    problems.extend(plausibility.stale_sources(plan, changed, incoming_file))
    problems.extend(plausibility.new_regions(plan, saved.table, added, incoming_file))
    problems.extend(plausibility.future_years(news, incoming_file, dt.date.today().year))
    problems.extend(plausibility.formula_cells(news, incoming_file))
    news_rows = pd.concat([added, changed])
    for row in news_rows[~news_rows["source"].astype(bool)].itertuples(index=False):
        if not row.source:
            name_vi, name_en = plausibility.indicator_names(plan, row.indicator)
            problems.append(
                Problem(
                    str(incoming["file"].iloc[0]) if len(incoming) else "-",
                    f"«{name_vi}» năm {row.year}: chưa ghi nguồn (văn bản, số, ngày)",
                    f"«{name_en}» {row.year}: no source given (document, number, date)",
                    line=int(row.line),
                    column="source",
                    severity="warning",
                )
            )
    removed = _removed(removals, old, incoming, problems, removals_from)
    return ImportPlan(
        added=added,
        changed=changed,
        unchanged=part(unchanged),
        # One message a cell: a warning about a cell an error refuses is left out (/data's
        # grid refuses a row's region changed to a new one, which the checks above would
        # also warn of as a new region, to be accepted though it cannot be saved).
        problems=one_per_refused_cell(problems),
        snapshot=snap,
        also_known=also_known,
        removed=removed,
    )


def _fields_text(differs: dict[str, pd.Series], is_new: pd.Series) -> np.ndarray:
    """Each figure's `fields` (what it changes, `CHANGED_FIELDS` comma separated; empty for a
    new figure), from one bit per field: each of the 16 texts is built once."""
    bits = np.zeros(len(is_new), dtype=np.int64)
    for i, name in enumerate(CHANGED_FIELDS):
        bits |= differs[name].to_numpy(dtype=bool).astype(np.int64) << i
    texts = np.array(
        [
            ",".join(name for i, name in enumerate(CHANGED_FIELDS) if code >> i & 1)
            for code in range(1 << len(CHANGED_FIELDS))
        ],
        dtype=object,
    )
    return np.where(is_new.to_numpy(dtype=bool), "", texts[bits]).astype(object)


def _file_names(held_in: pd.Series) -> np.ndarray:
    """The data file's name of each figure's path (empty where none): each path once."""
    codes, paths = pd.factorize(held_in.astype(object))
    names = np.array(
        [Path(f).name if isinstance(f, str) else "" for f in paths] + [""], dtype=object
    )
    return names[codes]


def _with_estimate(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with its `estimate` column (a table made without one has no estimates)."""
    return table if "estimate" in table.columns else table.assign(estimate=False)


def _removed(
    removals: pd.DataFrame | None,
    old: pd.DataFrame,
    incoming: pd.DataFrame,
    problems: list[Problem],
    where: str,
) -> pd.DataFrame:
    """The saved figures `removals` asks to delete; a problem for each that cannot be."""
    if removals is None or not len(removals):
        return _no_rows()
    keys = ["indicator", "year", "region"]
    asked = removals.assign(year=removals["year"].astype("int64"))
    if "line" not in asked:
        asked = asked.assign(line=0)
    asked = asked.drop_duplicates(keys)
    found = asked[[*keys, "line"]].merge(old, on=keys, how="left", validate="one_to_one")
    also_sent = (
        pd.MultiIndex.from_frame(found[keys]).isin(pd.MultiIndex.from_frame(incoming[keys]))
        if len(incoming) and len(found)
        else [False] * len(found)
    )
    for row, sent in zip(found.itertuples(index=False), also_sent, strict=True):
        figure = f"«{row.indicator}» năm {row.year} ({row.region})"
        figure_en = f"«{row.indicator}» {row.year} ({row.region})"
        if pd.isna(row.old):
            problems.append(
                Problem(
                    where,
                    f"{figure}: chưa có số đã lưu để xoá",
                    f"{figure_en}: there is no saved figure to delete",
                    line=int(row.line) or None,
                    column="value",
                )
            )
        elif sent:
            problems.append(
                Problem(
                    where,
                    f"{figure}: vừa được sửa vừa được đánh dấu xoá: chọn một",
                    f"{figure_en}: both changed and marked for deletion: choose one",
                    line=int(row.line) or None,
                    column="value",
                )
            )
    found = found[found["old"].notna()]
    return pd.DataFrame(
        {
            "indicator": found["indicator"],
            "region": found["region"],
            "year": found["year"],
            "old": found["old"],
            "new": float("nan"),
            "source": found["old_source"],
            "note": found["old_note"],
            "old_source": found["old_source"],
            "old_note": found["old_note"],
            "file": found["held_in"].map(lambda f: Path(f).name),
            "line": found["line"],
            "fields": "",
            "estimate": found["old_estimate"],
            "old_estimate": found["old_estimate"],
        },
        columns=_PLAN_COLUMNS,
    ).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Applying an import


@dataclass
class ImportResult:
    """What was written: counts, the history entry (None when nothing changed), files."""

    added: int
    changed: int
    unchanged: int
    entry: str | None
    files: list[str] = field(default_factory=list)
    removed: int = 0

    def summary(self, lang: str = "vi") -> str:
        return summary_text(self.added, self.changed, self.unchanged, lang, self.removed)


def apply_import(data_dir: Path, *args, **kwargs) -> ImportResult:
    """`Store.apply_import` on the data folder `data_dir`."""
    return FolderStore(Path(data_dir)).apply_import(*args, **kwargs)


def import_figures(data_dir: Path, *args, **kwargs) -> tuple[ImportPlan, ImportResult | None]:
    """`Store.import_figures` on the data folder `data_dir`."""
    return FolderStore(Path(data_dir)).import_figures(*args, **kwargs)


def _file_rows(path: Path) -> pd.DataFrame:
    """Every row of a saved file as text, whatever plan its indicator belongs to.

    The data folder serves every plan of a catalogue, so a file may hold figures that the
    plan being imported does not know: rewriting it must keep them. This reads the file at the
    cell level with the figures reader's own decoding (encodings, separators, header names);
    columns outside CONTRACT.md (`name`, the province's own) are carried over too.
    """
    rows, problems = text_rows(path.read_bytes(), str(path))
    if problems:
        raise InvalidInput(problems)
    return _saved_rows(rows)


def _saved_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """A saved file's text rows as the store rewrites them: no blank line, decimal points."""
    texts = [column for column in rows.columns if column != "_file"]
    blank = np.ones(len(rows), dtype=bool)
    for column in texts:
        # (in several files' rows joined, a column another file has is missing here: blank)
        cells = rows[column]
        blank &= (cells.isna() | (cells == "")).to_numpy(dtype=bool)
        if not blank.any():
            break  # (no row left that may be blank: the other columns need not be looked at)
    if blank.any():
        rows = rows[~blank]  # blank lines
    # Decimal point, as canonical CSV writes it ("1,5" is 1.5; the reader accepts both).
    comma = rows["value"].str.contains(",", regex=False)  # (a million cells: no regex first)
    if comma.any():
        comma &= rows["value"].str.fullmatch(r"-?\d*,\d+")
    if comma.any():
        rows = rows.copy()
        rows.loc[comma, "value"] = rows.loc[comma, "value"].str.replace(",", ".", regex=False)
    return rows.reset_index(drop=True)


def _files_rows(
    data_dir: Path,
    names: list[str],
    rows_of: Callable[[list[Path]], list] | None = None,
) -> dict[str, pd.DataFrame | None]:
    """`_file_rows` of several files, read together (`kpis.figures.text_rows_of`, or
    `rows_of`: the same from a read already made); None for a file that does not exist. The
    first file with a problem raises, as reading one by one."""
    paths = [data_dir / name for name in names]
    existing = [path for path in paths if path.exists()]
    read = (rows_of or text_rows_of)(existing)
    rows: dict[str, pd.DataFrame | None] = dict.fromkeys(names)
    for path, (table, problems) in zip(existing, read, strict=True):
        if problems:
            raise InvalidInput(problems)
        rows[path.name] = table  # blank lines and decimal commas: once for all (new_files)
    return rows


def _new_files(
    data_dir: Path,
    plan: Plan,
    import_plan: ImportPlan,
    read: FolderRead | None = None,
    changes: pd.DataFrame | None = None,
) -> tuple[dict[str, bytes | None], list[WrittenFiles]]:
    """`new_files` of the files in `data_dir` (`read`: the folder as read in this turn, whose
    cells are taken; else the files are read here)."""
    changes = _changes(import_plan) if changes is None else changes
    names = sorted(set(changes["file"]))
    if read is not None:
        exists = [(data_dir / name).exists() for name in names]
        present = [i for i, there in enumerate(exists) if there]
        joined = read.joined_rows_of([data_dir / names[i] for i in present])
        if joined is not None or not present:
            rows = None
            if joined is not None:
                rows = joined.table.assign(_file=np.asarray(present, dtype=np.int64)[joined.files])
            columns = dict(zip(present, joined.columns if joined else [], strict=True))
            extras_of = [_extras(columns.get(i, ())) for i in range(len(names))]
            return _rewritten(plan, changes.copy(), names, rows, extras_of, exists)
    rows_of = read.rows_of if read is not None else None
    return new_files(plan, import_plan, _files_rows(data_dir, names, rows_of).get, changes)


def _changes(import_plan: ImportPlan) -> pd.DataFrame:
    changes = pd.concat(
        [import_plan.added, import_plan.changed, import_plan.removed.assign(removed=True)],
        ignore_index=True,
    )
    changes["removed"] = changes["removed"].fillna(False).astype(bool)
    return changes


def new_files(
    plan: Plan,
    import_plan: ImportPlan,
    rows_of: Callable[[str], pd.DataFrame | None],
    changes: pd.DataFrame | None = None,
) -> tuple[dict[str, bytes | None], list[WrittenFiles]]:
    """Each file's new canonical CSV, from its rows now (`rows_of(name)`: the cells as text,
    as `_file_rows` gives them; None for a file that does not exist); None for a file left
    without a figure (it is removed). Whichever store holds the rows. With them, the texts
    the files are written from (`WrittenFiles`), for the check of the set as it will be.

    Every file's rows are joined into one table with each row's file: one merge finds the
    figures to change, one assignment changes them, one writer writes them all. `changes`:
    `_changes(import_plan)` when the caller has it already."""
    changes = (_changes(import_plan) if changes is None else changes).copy()
    names = sorted(set(changes["file"]))
    frames = [rows_of(name) for name in names]
    exists = [frame is not None for frame in frames]
    extras_of = [_extras(frame.columns if frame is not None else ()) for frame in frames]
    present = [i for i, frame in enumerate(frames) if frame is not None]
    rows = None
    if present:
        rows = pd.concat([frames[i] for i in present], ignore_index=True)
        rows["_file"] = np.repeat(
            np.asarray(present, dtype=np.int64), [len(frames[i]) for i in present]
        )
    return _rewritten(plan, changes, names, rows, extras_of, exists)


def _extras(columns) -> tuple[str, ...]:
    """A file's columns (`kpis.figures.text_rows`) other than the contract's and `estimate`."""
    return tuple(c for c in columns if c not in COLUMNS and c != "estimate")


def _rewritten(
    plan: Plan,
    changes: pd.DataFrame,
    names: list[str],
    rows: pd.DataFrame | None,
    extras_of: list[tuple[str, ...]],
    exists: list[bool],
) -> tuple[dict[str, bytes | None], list[WrittenFiles]]:
    """`new_files` from the rows of the files `names` joined (`_file`: a row's position in
    `names`; None when none of them exists), each file's own other columns and whether it
    exists; `changes` (`_changes`, a copy) gets the same positions."""
    code = {name: i for i, name in enumerate(names)}
    changes["_file"] = changes["file"].map(code).astype(np.int64)
    if rows is not None:
        rows = _saved_rows(rows)
    else:
        rows = pd.DataFrame(columns=[*COLUMNS, "_file"], dtype=object)
    saved = changes[changes["old"].notna()]
    if len(saved):
        # Only rows of the years asked about can match (usually one year of thirty).
        years = to_number(rows["year"], "float64").to_numpy(dtype=np.float64, na_value=np.nan)
        wanted = np.flatnonzero(
            (rows["value"] != "").to_numpy(dtype=bool)
            & np.isin(years, saved["year"].astype(float).unique())
        )
        # The region the figure counts under (a declared alias: its name), each text once.
        codes, uniques = pd.factorize(rows["region"].iloc[wanted])
        regions = pd.Series(
            np.asarray([plan.canonical_region(r) or r for r in uniques], dtype=object)[codes]
            if len(codes)
            else np.zeros(0, dtype=object)
        )
        keyed = pd.DataFrame(
            {
                "_file": rows["_file"].to_numpy(dtype=np.int64)[wanted],
                "indicator": rows["indicator"].iloc[wanted].to_numpy(),
                "u_year": years[wanted],
                "u_region": regions,
                "at": wanted,
            }
        )
        found = keyed.merge(
            saved.drop(columns=["file"]).rename(columns={"year": "u_year", "region": "u_region"}),
            on=["_file", "indicator", "u_year", "u_region"],
            how="inner",
        )
        per_file = found.groupby("_file").size()
        asked = saved.groupby("_file").size()
        if not per_file.reindex(asked.index).fillna(0).eq(asked).all() or (
            found["at"].duplicated().any()
        ):
            raise DataChanged([])  # a file is not what was planned against: never guess
        updated = found[~found["removed"]]
        # The region stays written as it was (empty or written out).
        at = updated["at"].to_numpy()
        values = format_values(updated["new"].to_numpy())
        for column, texts in (
            ("value", values),
            ("source", updated["source"].to_numpy()),
            ("note", updated["note"].to_numpy()),
        ):
            rows[column] = _with_texts(rows[column], at, texts)
        marks = _marks(updated["estimate"])
        # (no estimate in the files nor among the changes: no column of a million blanks)
        if "estimate" in rows.columns or (marks != "").any():
            if "estimate" not in rows.columns:
                rows.insert(len(COLUMNS), "estimate", "")
            rows["estimate"] = rows["estimate"].astype(object)
            rows.loc[at, "estimate"] = marks
        gone = found.loc[found["removed"], "at"].to_numpy()
        if len(gone):
            rows = rows.drop(index=gone)
    new = changes[changes["old"].isna()]
    if len(new):
        rows = pd.concat(
            [
                rows,
                pd.DataFrame(
                    {
                        "indicator": new["indicator"],
                        "region": new["region"],
                        "year": new["year"].astype(int).astype(str),
                        "value": format_values(new["new"].to_numpy()),
                        "source": new["source"],
                        "note": new["note"],
                        "estimate": _marks(new["estimate"]),
                        "_file": new["_file"],
                    }
                ),
            ],
            ignore_index=True,
        )
    files = rows["_file"].to_numpy(dtype=np.int64)
    left = np.bincount(files[(rows["value"] != "").to_numpy()], minlength=len(names)) > 0
    contents, written = _canonical_files(rows, names, extras_of)
    kept = {
        name: contents[name] if left[i] or not exists[i] else None for i, name in enumerate(names)
    }
    return kept, written


def _marks(estimate: pd.Series) -> np.ndarray:
    """Estimate flags as canonical CSV's cells."""
    flags = estimate.astype("boolean").fillna(False).astype(bool).to_numpy()
    return np.where(flags, ESTIMATE_MARK, "").astype(object)


def _check_whole(
    data_dir: Path,
    plan: Plan,
    contents: dict[str, bytes | None],
    also_known: frozenset[str],
    as_if: Callable[[dict[str, bytes | None]], Figures] | None = None,
) -> None:
    """The data set as it would be after writing must read without a single error (read as
    `read_figures` reads the folder: every file together, each check once; `as_if`: the same
    from a read made in this turn, parsing only the new files)."""
    figures = as_if(contents) if as_if else read_figures_as_if(data_dir, plan, also_known, contents)
    if figures.errors:
        raise InvalidInput(figures.errors)


def audit_rows(
    plan: Plan, import_plan: ImportPlan, user: str, action: str, entry: str, now: str
) -> list[dict]:
    """The audit trail's rows for a saved import: one per added, changed or removed figure."""
    columns = audit_columns(plan, import_plan, user, action, entry, now)
    return [
        dict(zip(AUDIT_COLUMNS, row, strict=True))
        for row in zip(*(columns[c] for c in AUDIT_COLUMNS), strict=True)
    ]


def audit_columns(
    plan: Plan, import_plan: ImportPlan, user: str, action: str, entry: str, now: str
) -> dict[str, list]:
    """`audit_rows` column by column (`AUDIT_COLUMNS`, each a list): a year's import is
    34,000 rows, written to the trail without a dictionary each (`_append_audit_columns`)."""
    # Only the columns the trail writes: a plan's tables have fourteen, of Python objects.
    wanted = [
        *["indicator", "region", "year", "old", "new", "source", "old_note", "note", "file"],
        *["old_estimate", "estimate"],
    ]
    # A removed figure's note and mark go with it: both new ones are empty, as its new value is.
    removed = import_plan.removed[wanted].assign(note="", estimate=False)
    changes = pd.concat(
        [import_plan.added[wanted], import_plan.changed[wanted], removed], ignore_index=True
    )
    n = len(changes)
    # each indicator's agencies once
    agencies = {i: agency_of(plan, i) for i in pd.unique(changes["indicator"])}
    indicators = changes["indicator"].tolist()
    return {
        "time": [now] * n,
        "user": [user] * n,
        "indicator": indicators,
        "region": changes["region"].tolist(),
        "year": [int(year) for year in changes["year"].tolist()],
        "old": _value_texts(changes["old"]),
        "new": _value_texts(changes["new"]),
        "source": changes["source"].tolist(),
        "file": changes["file"].tolist(),
        "action": [action] * n,
        "entry": [entry] * n,
        "task": [""] * n,
        "agency": [agencies[indicator] for indicator in indicators],
        "old_note": _note_texts(changes["old_note"]),
        "new_note": _note_texts(changes["note"]),
        # (a new figure's old mark is missing: not an estimate, an empty cell)
        "old_estimate": _marks(changes["old_estimate"]).tolist(),
        "new_estimate": _marks(changes["estimate"]).tolist(),
        "old_date": [""] * n,  # a task's progress date: a figure has none
        "new_date": [""] * n,
    }


def _note_texts(notes: pd.Series) -> list[str]:
    """Notes as the trail writes them: empty where there is none (a new figure's old note)."""
    return ["" if not isinstance(note, str) else note for note in notes.tolist()]


def _value_texts(values: pd.Series) -> list[str]:
    """Each value as canonical CSV writes it (`format_value`), empty where there is none:
    whole numbers converted together, the others one by one."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    texts = np.asarray(format_values(numbers), dtype=object)
    texts[np.isnan(numbers)] = ""
    return texts.tolist()


def _apply_unlocked(
    data_dir: Path,
    plan: Plan,
    import_plan: ImportPlan,
    user: str,
    action: str,
    read: FolderRead | None = None,
) -> ImportResult:
    """Save `import_plan` under the lock; `read`: the folder as read for it in the same turn
    (its files parsed again otherwise)."""
    counts = (len(import_plan.added), len(import_plan.changed), len(import_plan.unchanged))
    removed = len(import_plan.removed)
    if not import_plan.has_changes:
        return ImportResult(*counts, entry=None)
    changes = _changes(import_plan)
    # The files about to change are copied, and their new contents written aside, while the
    # set as it will be is checked; only then is the copy made the history entry and the new
    # files put in place.
    digests = read.digests if read else None
    with _backing_up(data_dir, sorted(set(changes["file"])), digests) as publish:
        contents, written = _new_files(data_dir, plan, import_plan, read, changes)
        with _writing_aside(data_dir, contents) as aside:
            # (the new files' cells taken from the texts they are written from, not parsed;
            # only the problems are wanted: the table's sources and notes are not joined)
            as_if = read and functools.partial(
                read.as_if, written=written, sources=False, warnings=False
            )
            _check_whole(data_dir, plan, contents, import_plan.also_known, as_if)
            aside.ready()  # (a full disk refuses the save here, before there is an entry)
            entry = publish(user, action)
            aside.put_in_place()
    now = _now_text()
    _append_audit_columns(data_dir, audit_columns(plan, import_plan, user, action, entry.name, now))
    _mark(entry, "complete", {"time": now})
    return ImportResult(*counts, entry=entry.name, files=sorted(contents), removed=removed)


class _Aside(NamedTuple):
    """New files written aside (`_writing_aside`): `ready()` waits for every one of them,
    raising the first failure; `put_in_place()` puts them in place."""

    ready: Callable[[], None]
    put_in_place: Callable[[], None]


@contextlib.contextmanager
def _writing_aside(data_dir: Path, contents: dict[str, bytes | None]) -> Iterator[_Aside]:
    """Each new file written and synced beside the one it replaces (`_write_aside`), in worker
    threads from the start of the block, waiting on the disk while the caller goes on (an
    import checks the set as it will be meanwhile); `put_in_place()` then renames them over
    the files and removes the files whose content is None, with one fsync of the folder after
    all of them (each file's bytes are synced before its rename). A block left without it
    removes the files written aside; one a crash leaves is removed by `recover`."""
    from concurrent.futures import ThreadPoolExecutor

    names = [name for name, data in contents.items() if data is not None]
    pool = ThreadPoolExecutor(max(1, min(_IO_THREADS, len(names))))
    aside = {name: pool.submit(_write_aside, data_dir / name, contents[name]) for name in names}
    placed: list[str] = []

    def ready() -> None:
        for future in aside.values():
            future.result()

    def put_in_place() -> None:
        ready()
        try:
            for name, data in contents.items():
                if data is None:
                    (data_dir / name).unlink()
                else:
                    _put_in_place(aside[name].result(), data_dir / name)
                placed.append(name)
        finally:
            # The renames and removals made durable before the audit trail and the `complete`
            # marker that rely on them are written.
            fsync_dir(data_dir)

    try:
        yield _Aside(ready, put_in_place)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for name, future in aside.items():
            if name not in placed and not future.cancelled() and future.exception() is None:
                with contextlib.suppress(OSError):
                    os.unlink(future.result())


def agency_of(plan: Plan, indicator_id: str) -> str:
    """The agencies answering for a figure, as the audit trail records them (ids, space-separated;
    empty for a plan that declares no agencies)."""
    indicator = plan.by_id.get(indicator_id)
    if not plan.agencies or indicator is None:
        return ""
    return " ".join(indicator.responsible_ids)


def write_journaled(
    data_dir: Path, contents: dict[str, bytes | None], user: str, action: str, audit: list[dict]
) -> str:
    """Write files of the data folder as an import does (backup entry first, each file atomic,
    audit rows, then the `complete` marker), for tables other than figures (task progress).
    The caller holds the lock (`locked`) and has checked for concurrent changes. Returns the
    history entry's id: `undo` and `recover` treat it like any import."""
    data_dir = Path(data_dir)
    entry = _begin_entry(data_dir, user, action, list(contents))
    for name, data in contents.items():
        if data is None:
            (data_dir / name).unlink(missing_ok=True)
            fsync_dir(data_dir)
        else:
            atomic_write(data_dir / name, data)
    now = _now_text()
    _append_audit(
        data_dir,
        [
            {**row, "time": now, "user": user, "action": action, "entry": entry.name}
            for row in audit
        ],
    )
    _mark(entry, "complete", {"time": now})
    return entry.name


# ---------------------------------------------------------------------------------------------
# History entries (backups + journal) and the audit trail


def history_dir(data_dir: Path) -> Path:
    return Path(data_dir) / HISTORY_DIR


def _now_text() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _begin_entry(data_dir: Path, user: str, action: str, names: list[str]) -> Path:
    """Copy every file about to change into a new `.history/<id>/`, made visible atomically."""
    with _backing_up(data_dir, names) as publish:
        return publish(user, action)


@contextlib.contextmanager
def _backing_up(
    data_dir: Path, names: list[str], digests: dict[str, bytes] | None = None
) -> Iterator[Callable[[str, str], Path]]:
    """Copies of the files about to change, made in worker threads from the start of the
    block (reading, writing and syncing wait on the disk, not on Python's lock: a year's import
    into 340 files copies 51 MB while it makes and checks the new files). They are kept in a
    hidden folder of `.history/` until `publish(user, action)` makes them the history entry,
    atomically; a block left without publishing removes them (and `recover` removes one a
    crash left).

    `digests`: the SHA-256 digest of files as a read under the same lock found them
    (`FolderRead.digests`), given by an import, which replaces each of them by a new file
    (written aside, renamed over it) or removes it: such a file is kept as it is, a second
    name for its bytes (`_linked_or_copied`), not read and hashed again."""
    root = history_dir(data_dir)
    root.mkdir(exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=root, prefix=".building-"))
    known = digests or {}

    def back_up(name: str) -> str | None:
        source = data_dir / name
        if not source.exists():
            return None
        if name in known:
            _linked_or_copied(source, building / name)
            return known[name].hex()
        data = source.read_bytes()
        with open(building / name, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return hashlib.sha256(data).hexdigest()

    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max(1, min(_IO_THREADS, len(names))))
    copies = [pool.submit(back_up, name) for name in names]
    published: list[Path] = []

    def publish(user: str, action: str) -> Path:
        digests = [copy.result() for copy in copies]  # the first failure raised
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        entry = root / stamp
        while entry.exists():  # two saves in one microsecond: keep both
            stamp += "-1"
            entry = root / stamp
        manifest = {
            "id": stamp,
            "time": _now_text(),
            "user": user,
            "action": action,
            "files": {
                name: digest is not None for name, digest in zip(names, digests, strict=True)
            },
            # what undo checks each backup against before touching anything
            "sha256": {name: digest for name, digest in zip(names, digests, strict=True) if digest},
        }
        (building / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        _fsync_file(building / "manifest.json")
        fsync_dir(building)
        os.rename(building, entry)
        fsync_dir(root)
        published.append(entry)
        return entry

    try:
        yield publish
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if not published:
            shutil.rmtree(building, ignore_errors=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _linked_or_copied(source: Path, backup: Path) -> None:
    """`backup` made a second name (a hard link) for the bytes of `source`, synced, or a copy
    where the file system has no hard links.

    For a file about to be replaced by rename only: the new file is a new one, the old bytes
    are then the backup's alone, and undo writes a copy of them back, never the backup
    itself (an editor writing a data file in place afterwards cannot touch the backup).
    Copying set B's 253 MB and syncing the copy took ~0.6 s of a year's import."""
    try:
        os.link(source, backup)
        descriptor = os.open(backup, os.O_RDONLY)  # (a read-only file is synced too)
        try:
            os.fsync(descriptor)  # (bytes written shortly before the import: on the disk)
        finally:
            os.close(descriptor)
        return
    except OSError:
        with contextlib.suppress(FileNotFoundError):
            backup.unlink()
    shutil.copyfile(source, backup)
    _fsync_file(backup)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _mark(entry: Path, name: str, content: dict) -> None:
    atomic_write(entry / name, json.dumps(content, ensure_ascii=False).encode("utf-8"))


@dataclass(frozen=True)
class Entry:
    """One import or save kept in `.history/`."""

    id: str
    path: Path | None  # the folder store's `.history/<id>/`; None in a database
    time: str
    user: str
    action: str
    files: dict[str, bool]  # name -> whether it existed before
    complete: bool
    undone: bool
    damaged: tuple[str, str] | None = None  # why it cannot be trusted (vi, en)
    sha256: dict[str, str] = field(default_factory=dict)  # name -> digest of its backup

    @property
    def restorable(self) -> bool:
        return self.complete and not self.undone and self.damaged is None


def entries(data_dir: Path) -> list[Entry]:
    """Every history entry, oldest first."""
    root = history_dir(data_dir)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or not path.is_dir() or path.is_symlink():
            continue
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        damaged = _manifest_problem(manifest, Path(data_dir))
        ok = damaged is None
        found.append(
            Entry(
                id=path.name,
                path=path,
                time=str(manifest.get("time", "")) if ok else "",
                user=str(manifest.get("user", "")) if ok else "",
                action=str(manifest.get("action", "")) if ok else "",
                files=manifest["files"] if ok else {},
                complete=(path / "complete").exists(),
                undone=(path / "undone").exists() or (path / "rolled_back").exists(),
                damaged=damaged,
                sha256=manifest.get("sha256", {}) if ok else {},
            )
        )
    return found


_FILE_NAME = re.compile(r"[^/\\\0]+")


def _manifest_problem(manifest: object, data_dir: Path) -> tuple[str, str] | None:
    """Why a manifest cannot be trusted (vi, en), or None: every file it names must be a plain
    name of a file directly in the data folder (never `../x`, an absolute path or a link)."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return ("không đọc được manifest.json", "manifest.json cannot be read")
    sums = manifest.get("sha256", {})
    if not isinstance(sums, dict):
        return ("mã kiểm tra hỏng", "the checksums are damaged")
    inside = data_dir.resolve()
    for name, existed in manifest["files"].items():
        if (
            not isinstance(name, str)
            or not isinstance(existed, bool)
            or not _FILE_NAME.fullmatch(name)
            or name.startswith(".")
            or (data_dir / name).resolve().parent != inside
        ):
            return (
                f"tệp «{name}» nằm ngoài thư mục số liệu",
                f"file «{name}» is outside the data folder",
            )
    return None


def _check_backups(entry: Entry) -> None:
    """Every backup the entry needs is there, a regular file, with the checksum the manifest
    recorded (entries written before checksums were kept are checked for presence only)."""
    if entry.damaged:
        raise HistoryDamaged(entry.id, *entry.damaged)
    for name, existed in entry.files.items():
        if not existed:
            continue
        backup = entry.path / name
        if backup.is_symlink() or not backup.is_file():
            raise HistoryDamaged(
                entry.id, f"thiếu bản sao «{name}»", f"the copy of «{name}» is missing"
            )
        expected = entry.sha256.get(name)
        if expected is not None and _sha256(backup) != expected:
            raise HistoryDamaged(
                entry.id, f"bản sao «{name}» đã bị thay đổi", f"the copy of «{name}» has changed"
            )


def _append_audit(data_dir: Path, rows: list[dict], stored: bool = False) -> None:
    """Append `rows` (dictionaries by `AUDIT_COLUMNS`) to the audit trail, durably; `stored`:
    their typed cells already as the trail writes them (`_stored_column`)."""
    if not rows:
        return
    if not stored:
        rows = [_stored_row(row) for row in rows]

    def lines(out: io.StringIO) -> None:
        # Every cell quoted: a carriage return or a line break in any cell stays inside its cell.
        writer = csv.DictWriter(
            out, fieldnames=AUDIT_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_ALL
        )
        if set().union(*rows) <= set(AUDIT_COLUMNS):
            # What DictWriter writes, its rows handed to the C writer at once.
            if all(len(row) == len(AUDIT_COLUMNS) for row in rows):
                writer.writer.writerows(map(operator.itemgetter(*AUDIT_COLUMNS), rows))
            else:
                writer.writer.writerows([[row.get(c, "") for c in AUDIT_COLUMNS] for row in rows])
        else:
            for row in rows:
                writer.writerow(row)  # raises, naming the columns the trail does not have

    _append_audit_lines(data_dir, lines)


def _append_audit_columns(data_dir: Path, columns: dict[str, list]) -> None:
    """`_append_audit` of rows given column by column (`audit_columns`): the same bytes,
    written by pyarrow when every cell is text or a whole number (a year's import)."""
    cells = [_stored_column(columns[c]) if c in _AUDIT_TYPED else columns[c] for c in AUDIT_COLUMNS]
    if not cells[0]:
        return
    quoted = _quoted_rows(cells)
    if quoted is None:
        rows = [dict(zip(AUDIT_COLUMNS, row, strict=True)) for row in zip(*cells, strict=True)]
        _append_audit(data_dir, rows, stored=True)
        return
    _append_audit_lines(data_dir, lambda out: out.write(quoted))


def _stored_column(cells: list) -> list:
    """A column of the trail as it is written (`stored_cell`): most cells are passed by on
    their first character, with no call (a year's import writes 34,000 rows)."""
    return [
        stored_cell(cell) if isinstance(cell, str) and cell[:1] in _FORMULA_FIRST else cell
        for cell in cells
    ]


def _stored_row(row: dict) -> dict:
    """A row of the trail as it is written (`stored_cell` on its typed cells)."""
    return {
        key: stored_cell(cell) if key in _AUDIT_TYPED and isinstance(cell, str) else cell
        for key, cell in row.items()
    }


_FORMULA_FIRST = frozenset("=+-@\t\r'")


def _quoted_rows(columns: list[list]) -> str | None:
    """Rows of cells as `csv.writer` with `QUOTE_ALL` writes them ("\n" line ends), column by
    column in C++, into one text; None when a column holds anything but text, whole numbers
    and None (the csv module writes those its own way)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    large = pa.large_string()
    mark = pa.scalar('"', large)
    quoted: list = []
    for position, column in enumerate(columns):
        try:
            cells = pa.array(column)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):  # mixed; an enormous int
            return None
        kinds = (pa.types.is_integer, pa.types.is_null, pa.types.is_string)
        if not any(is_kind(cells.type) for is_kind in kinds):
            return None  # (a float, a date, a boolean: written as the csv module writes it)
        cells = cells.cast(large)
        cells = pc.fill_null(cells, "")  # None: an empty cell, as csv writes it
        if may_hold(cells, '"'):
            cells = pc.replace_substring(cells, '"', '""')
        quoted += [
            mark,
            cells,
            mark,
            pa.scalar("," if position < len(columns) - 1 else "\n", large),
        ]
    # The rows are one after the other in pyarrow's buffer: taken whole, not row by row.
    return str(_joined_rows(quoted)[0], "utf-8")


def _append_audit_lines(data_dir: Path, lines: Callable[[io.StringIO], object]) -> None:
    """Append the trail's lines (`lines` writes them), with its header when it is new, durably;
    a line a crash left half written is ended first."""
    root = history_dir(data_dir)
    root.mkdir(exist_ok=True)
    path = root / AUDIT_NAME
    out = io.StringIO()
    new = not path.exists() or path.stat().st_size == 0
    if new:
        out.write("\ufeff")
        csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(AUDIT_COLUMNS)
    lines(out)
    data = out.getvalue().encode("utf-8")
    with open(path, "ab+") as handle:
        if not new:
            # A crash mid-append may have left half a line: start ours on a line of its own.
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                data = b"\n" + data
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    if new:
        fsync_dir(root)


def read_audit(data_dir: Path, since: int = 0) -> list[dict[str, str]]:
    """The audit trail, oldest first (from byte `since` on); a line broken by a crash is skipped."""
    path = history_dir(data_dir) / AUDIT_NAME
    if not path.exists():
        return []
    with open(path, "rb") as handle:
        handle.seek(since)
        raw = handle.read()
    # Tolerant: a lone carriage return written unquoted by an older version broke the csv
    # module's reading of the whole trail; as a space it is harmless. A record that still
    # cannot be read is skipped, not the trail.
    text = re.sub(r"\r(?!\n)", " ", raw.decode("utf-8-sig", errors="replace"))
    reader = csv.reader(io.StringIO(text))
    rows = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            continue
        if len(cells) in _AUDIT_WIDTHS:  # written before issue 16, notes or estimates
            cells = [*cells, *[""] * (len(AUDIT_COLUMNS) - len(cells))]
        old = _AUDIT_COLUMNS_BEFORE_TASKS
        if len(cells) == len(AUDIT_COLUMNS) and cells[:old] != AUDIT_COLUMNS[:old]:
            row = dict(zip(AUDIT_COLUMNS, cells, strict=True))
            if any(cell[:1] == "'" for cell in cells):  # a cell written defused: as typed
                row.update({c: typed_cell(row[c]) for c in _AUDIT_TYPED})
            rows.append(row)
    return rows


def history(data_dir: Path) -> pd.DataFrame:
    """The audit trail as a table, newest first."""
    rows = read_audit(data_dir)
    frame = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    return frame.iloc[::-1].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Undo, redo and recovery
#
# An entry's state is told by marker files in its folder, each written atomically:
# `undoing` (an undo began), `undone` (it finished), `redoing` (a redo began, which outranks
# the other two until it has removed them all). Before an undo touches anything, it copies
# the files as they are into `after/` and records their SHA-256 in `after.json`: what a redo
# puts back, checked like the backups.


@dataclass
class UndoResult:
    entry: str
    user: str  # who made the import that was undone (or redone)
    time: str
    figures: int  # figures put back; a task's progress is counted apart (`tasks`)
    files: list[str]
    # Of `files`, those the round deleted: an undo removes a file its import created, and
    # "restored" would tell the administrator the opposite of what happened.
    removed: list[str] = field(default_factory=list)
    tasks: int = 0


AFTER_NAME = "after.json"


def undo(
    data_dir: Path,
    user: str,
    expected: str | None = None,
    allowed: Scope | None = None,
) -> UndoResult | None:
    """Put the files back as they were before the latest import or save; None if there is none.

    `expected`: the entry the user saw as the latest (the page); if another save has come
    since, `DataChanged` (with its audit rows) is raised instead of undoing someone else's work.
    `allowed`: the plans and agencies the user may write for (`kpis.scope.Scope`; None: no
    limit); an entry that changed another plan's or agency's figures or tasks is refused with
    `OutsideAgencies`, nothing touched.
    """
    data_dir = Path(data_dir)
    with locked(data_dir):
        standing = [e for e in entries(data_dir) if not e.undone]
        if standing and standing[-1].damaged:
            # Never skip to the entry before: that would drop the latest import's changes.
            raise HistoryDamaged(standing[-1].id, *standing[-1].damaged)
        restorable = [e for e in standing if e.restorable]
        if not restorable:
            return None
        entry = restorable[-1]
        _check_backups(entry)
        if expected is not None and entry.id != expected:
            newer = {e.id for e in restorable if e.id > expected}
            raise DataChanged([r for r in read_audit(data_dir) if r["entry"] in newer])
        if allowed is not None:
            check_reach(read_audit(data_dir), entry.id, entry.user, entry.time, allowed)
        _capture_after(data_dir, entry)
        _mark(entry.path, "undoing", {"user": user, "time": _now_text()})
        figures, task_count = _restore(data_dir, entry, user, "undo")
        _mark(entry.path, "undone", {"user": user, "time": _now_text()})
        return UndoResult(
            entry=entry.id,
            user=entry.user,
            time=entry.time,
            figures=figures,
            tasks=task_count,
            files=sorted(entry.files),
            removed=sorted(name for name, existed in entry.files.items() if not existed),
        )


def redo_target(
    trail: list[dict[str, str]], dropped: Collection[str] = ()
) -> tuple[str | None, list[dict[str, str]]]:
    """Which undone entry a redo would apply again, read from the audit trail (oldest first):
    the latest undo not redone yet, unless a save came after it. Then (None, the audit rows of
    the saves since: who changed what). (None, []) when there is nothing to redo.

    Undos stack up (undo, undo, redo, redo gives back both, latest undone first); any other
    save empties the stack. `dropped`: entries rolled back after a crash (never saved).
    """
    stack: list[str] = []
    since: list[dict[str, str]] | None = None  # saves after an undo not redone yet
    for row in trail:
        action, entry = row["action"], row["entry"]
        if action == "rollback" or entry in dropped:
            continue
        if action == "undo":
            if not stack or stack[-1] != entry:  # one undo writes a row per figure
                stack.append(entry)
            since = None
        elif action == "redo":
            if stack and stack[-1] == entry:
                stack.pop()
        elif stack or since is not None:
            since = [*(since or []), row]
            stack.clear()
    if stack:
        return stack[-1], []
    return None, since or []


def redo(
    data_dir: Path,
    user: str,
    expected: str | None = None,
    allowed: Scope | None = None,
) -> UndoResult | None:
    """Apply again what the latest undo put back; None if nothing was undone.

    Refused with `DataChanged` (the audit rows of who changed what) when a save came after the
    undo, or, with `expected` (the entry the page showed), when the entry to redo is another
    one; refused with empty changes when the files were changed outside the store since;
    refused with `OutsideAgencies` when `allowed` (the user's `Scope`) leaves out a plan or agency
    whose figures or tasks the entry changes.
    """
    data_dir = Path(data_dir)
    with locked(data_dir):
        found = entries(data_dir)
        trail = read_audit(data_dir)
        dropped = {e.id for e in found if e.path and (e.path / "rolled_back").exists()}
        target, since = redo_target(trail, dropped)
        if target is None:
            if since:
                raise DataChanged(since)
            return None
        if expected is not None and target != expected:
            raise DataChanged(since_undo(trail, expected))
        entry = next((e for e in found if e.id == target), None)
        if entry is None or entry.damaged:
            reason = entry.damaged if entry else ("không còn bản lưu", "the entry is gone")
            raise HistoryDamaged(target, *reason, redo=True)
        if allowed is not None:
            check_reach(trail, entry.id, entry.user, entry.time, allowed, redo=True)
        after = _check_after(entry)
        for name, existed in entry.files.items():
            # The files must be as the undo left them: else a hand edit would be overwritten.
            current = data_dir / name
            if current.exists() != existed or (
                existed and current.read_bytes() != (entry.path / name).read_bytes()
            ):
                raise DataChanged([])
        _mark(entry.path, "redoing", {"user": user, "time": _now_text()})
        figures, task_count = _finish_redo(data_dir, entry, after, user)
        return UndoResult(
            entry=entry.id,
            user=entry.user,
            time=entry.time,
            figures=figures,
            tasks=task_count,
            files=sorted(entry.files),
            removed=sorted(name for name, present in after.items() if not present),
        )


def check_reach(
    trail: list[dict[str, str]],
    entry: str,
    entry_user: str,
    entry_time: str,
    allowed: Scope,
    redo: bool = False,
) -> None:
    """Raise `OutsideAgencies` when history entry `entry` (its rows in the audit `trail`)
    changed a figure or task outside `allowed` (a `Scope`): an undo or redo of it would
    change them too. Both stores call it before touching anything."""
    rows = [r for r in trail if r["entry"] == entry and r["action"] not in ROUND_ACTIONS]
    foreign = outside(rows, allowed)
    if foreign:
        raise OutsideAgencies(entry, entry_user, entry_time, foreign, allowed, redo)


def redoable(data_dir: Path) -> Entry | None:
    """The entry `redo` would apply again (None: nothing to redo, or a save came since)."""
    found = entries(data_dir)
    dropped = {e.id for e in found if e.path and (e.path / "rolled_back").exists()}
    target, _ = redo_target(read_audit(data_dir), dropped)
    return next((e for e in found if e.id == target and e.undone), None)


def since_undo(trail: list[dict[str, str]], entry: str) -> list[dict[str, str]]:
    """The audit rows written after the latest undo of `entry`: what came since."""
    last = max(
        (i for i, r in enumerate(trail) if r["entry"] == entry and r["action"] == "undo"),
        default=-1,
    )
    return [r for r in trail[last + 1 :] if r["action"] in CHANGING_ACTIONS]


def _finish_redo(
    data_dir: Path, entry: Entry, after: dict[str, bool], user: str
) -> tuple[int, int]:
    counts = _restore(data_dir, entry, user, "redo", after)
    # `redoing` goes last: until then, recovery finishes this redo.
    for marker in ("undone", "undoing", "redoing"):
        with contextlib.suppress(FileNotFoundError):
            (entry.path / marker).unlink()
    fsync_dir(entry.path)
    return counts


def _capture_after(data_dir: Path, entry: Entry) -> None:
    """Copy the entry's files as they are now into `after/` and record them in `after.json`
    (each file atomic, the record last): what a redo will put back."""
    after = entry.path / "after"
    after.mkdir(exist_ok=True)

    def keep(name: str) -> str | None:
        current = data_dir / name
        if not current.exists():
            return None
        data = current.read_bytes()
        atomic_write(after / name, data, sync_folder=False)
        return hashlib.sha256(data).hexdigest()

    names = list(entry.files)
    digests = in_parallel(keep, names)
    fsync_dir(after)  # every copy's name durable before the record that lists them
    existed = {name: digest is not None for name, digest in zip(names, digests, strict=True)}
    sums = {name: digest for name, digest in zip(names, digests, strict=True) if digest}
    _mark(entry.path, AFTER_NAME, {"files": existed, "sha256": sums})


def _check_after(entry: Entry) -> dict[str, bool]:
    """The files as the undo found them, checked like the backups: name -> whether it existed."""
    try:
        record = json.loads((entry.path / AFTER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("files"), dict)
        or not isinstance(record.get("sha256"), dict)
        or set(record["files"]) != set(entry.files)
    ):
        raise HistoryDamaged(
            entry.id,
            f"không đọc được {AFTER_NAME} (bản sao để làm lại)",
            f"{AFTER_NAME} (the copies to redo from) cannot be read",
            redo=True,
        )
    for name, existed in record["files"].items():
        if not existed:
            continue
        copy = entry.path / "after" / name
        if copy.is_symlink() or not copy.is_file() or _sha256(copy) != record["sha256"].get(name):
            raise HistoryDamaged(
                entry.id,
                f"bản sao «after/{name}» bị thiếu hoặc đã bị thay đổi",
                f"the copy «after/{name}» is missing or has changed",
                redo=True,
            )
    return {name: bool(existed) for name, existed in record["files"].items()}


def _restore(
    data_dir: Path, entry: Entry, user: str, action: str, after: dict[str, bool] | None = None
) -> tuple[int, int]:
    """Put the entry's files back as before it (undo, rollback) or, with `after`, as its undo
    found them (redo); audit the figures and tasks this changes, and count each. Idempotent:
    recovery runs it again."""
    if action == "rollback" and not (entry.path / AFTER_NAME).exists():
        _capture_after(data_dir, entry)  # keep what is being replaced: nothing is lost

    def put_back(name: str) -> None:
        current = data_dir / name
        if after is not None:
            source, present = entry.path / "after" / name, after[name]
        else:
            source, present = entry.path / name, entry.files[name]
        if present:
            atomic_write(current, source.read_bytes(), sync_folder=False)
        elif current.exists():
            current.unlink()

    try:
        in_parallel(put_back, list(entry.files))
    finally:
        fsync_dir(data_dir)  # the renames durable before the audit rows and the marker
    rows, figures, task_count = round_audit(
        read_audit(data_dir), entry.id, user, action, _now_text()
    )
    _append_audit(data_dir, rows)
    return figures, task_count


ROUND_ACTIONS = ("undo", "redo", "rollback")


def round_audit(
    trail: list[dict[str, str]], entry: str, user: str, action: str, now: str
) -> tuple[list[dict[str, str]], int, int]:
    """The audit rows an undo, redo or rollback of `entry` writes: the entry's own rows, old
    and new swapped but for a redo, less those an interrupted run of this round already wrote
    (after the entry's latest row of the other kind); and how many figures and how many tasks
    the round changes (a row of task progress names its task). Both stores write these."""
    rows = [r for r in trail if r["entry"] == entry]
    other = {"undo": "redo", "redo": "undo"}.get(action)
    start = max((i + 1 for i, r in enumerate(rows) if r["action"] == other), default=0)

    def key(row: dict[str, str]) -> tuple[str, ...]:
        return (row["indicator"], row["region"], row["year"], row["task"])

    done = {key(r) for r in rows[start:] if r["action"] == action}
    swap = action != "redo"
    new = [
        {
            **r,
            "time": now,
            "user": user,
            "old": r["new"] if swap else r["old"],
            "new": r["old"] if swap else r["new"],
            "old_note": r.get("new_note", "") if swap else r.get("old_note", ""),
            "new_note": r.get("old_note", "") if swap else r.get("new_note", ""),
            "old_estimate": r.get("new_estimate", "") if swap else r.get("old_estimate", ""),
            "new_estimate": r.get("old_estimate", "") if swap else r.get("new_estimate", ""),
            "old_date": r.get("new_date", "") if swap else r.get("old_date", ""),
            "new_date": r.get("old_date", "") if swap else r.get("new_date", ""),
            "action": action,
        }
        for r in rows
        if r["action"] not in ROUND_ACTIONS and key(r) not in done
    ]
    changed = [key(r) for r in new] + list(done)
    task_count = sum(1 for k in changed if k[3])
    return new, len(changed) - task_count, task_count


def recover(data_dir: Path, timeout: float = LOCK_TIMEOUT_S) -> list[str]:
    """Finish what a crash interrupted (see the module docstring); the entries it fixed."""
    with locked(data_dir, timeout=timeout, recover=False):
        return _recover_unlocked(Path(data_dir))


def needs_recovery(data_dir: Path) -> bool:
    """Whether an import, undo or redo was interrupted (or left temporary files): cheap, a
    listing and a few stat calls, so every read can ask it."""
    root = history_dir(data_dir)
    if not root.is_dir():
        return False
    for path in root.iterdir():
        if path.name.startswith(".building-"):
            return True
        if path.name.startswith(".") or not path.is_dir():
            continue
        if not (path / "complete").exists() and not (path / "rolled_back").exists():
            return True
        if (path / "redoing").exists():
            return True
        if (path / "undoing").exists() and not (path / "undone").exists():
            return True
    return False


def _marker_user(path: Path) -> str:
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = {}
    return str(marker.get("user", "system")) if isinstance(marker, dict) else "system"


def _recover_unlocked(data_dir: Path) -> list[str]:
    fixed = []
    for entry in entries(data_dir):
        if not entry.complete and not (entry.path / "rolled_back").exists():
            # An import killed half-way: put every file back as it was before it.
            _check_backups(entry)
            _restore(data_dir, entry, "system", "rollback")
            _mark(entry.path, "rolled_back", {"time": _now_text()})
            fixed.append(entry.id)
        elif (entry.path / "redoing").exists():
            # A redo killed half-way: finish it (its copies were checked before it began).
            _finish_redo(data_dir, entry, _check_after(entry), _marker_user(entry.path / "redoing"))
            fixed.append(entry.id)
        elif (entry.path / "undoing").exists() and not (entry.path / "undone").exists():
            _check_backups(entry)
            user = _marker_user(entry.path / "undoing")
            _restore(data_dir, entry, user, "undo")
            _mark(entry.path, "undone", {"user": user, "time": _now_text()})
            fixed.append(entry.id)
    # Leftover temporary files of killed writes: nobody else writes while we hold the lock.
    for leftover in data_dir.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
    root = history_dir(data_dir)
    for building in root.glob(".building-*") if root.is_dir() else ():
        # An entry killed before it was complete enough to be renamed: nothing refers to it.
        shutil.rmtree(building, ignore_errors=True)
    return fixed


# ---------------------------------------------------------------------------------------------
# The store: one interface, served by the data folder or by PostgreSQL


class Store(abc.ABC):
    """Where the figures, their history and the audit trail live: everything the pages and
    the commands ask of it. `open_store` picks the implementation; callers never know which.

    Previewing and saving an import are written once, here; each store gives its turn taking
    (`_turn`: the folder's lock, a database transaction) and what is saved in it.
    """

    location: str  # shown to people (a folder, or a database URL without its password)

    @abc.abstractmethod
    def require(self) -> None:
        """Raise `InputNotFound` when there is no such store (a folder that does not exist)."""

    @abc.abstractmethod
    def change_key(self) -> str:
        """A short text that changes whenever the figures change: what caches are keyed on."""

    @abc.abstractmethod
    def read_figures(
        self, plan: Plan, also_known: Collection[str] = frozenset(), sources: bool = True
    ) -> Figures:
        """The saved figures, checked against `plan` (`kpis.figures.read_figures`)."""

    @abc.abstractmethod
    def snapshot(self) -> Snapshot:
        """What the figures look like now: a later save refuses if they changed since."""

    @abc.abstractmethod
    def audit(self, since: int = 0) -> list[dict[str, str]]:
        """The audit trail, oldest first, from position `since` (a `Snapshot.audit_size`)."""

    @abc.abstractmethod
    def entries(self) -> list[Entry]:
        """Every import or save kept for undoing, oldest first."""

    @abc.abstractmethod
    def undo(
        self, user: str, expected: str | None = None, allowed: Scope | None = None
    ) -> UndoResult | None:
        """Put the figures back as before the latest import or save (module function `undo`);
        `allowed`: the user's plans and agencies, beyond which nothing is undone
        (`OutsideAgencies`)."""

    @abc.abstractmethod
    def redo(
        self, user: str, expected: str | None = None, allowed: Scope | None = None
    ) -> UndoResult | None:
        """Apply again what the latest undo put back, unless a save came since (module
        function `redo`); held to `allowed` as `undo` is."""

    @abc.abstractmethod
    def redoable(self) -> Entry | None:
        """The import or save a redo would apply again; None when there is none."""

    @abc.abstractmethod
    def backup_note(self, entry: str) -> str:
        """Where the copy made before history entry `entry` is kept, for a message."""

    # -- what each store gives the import, inside its turn (`handle`: what `_turn` yields)

    @abc.abstractmethod
    def _turn(self, write: bool) -> contextlib.AbstractContextManager:
        """Hold the store for one consistent read, or (`write`) as its only writer."""

    @abc.abstractmethod
    def _state(self, handle) -> Snapshot:
        """`snapshot` inside the turn."""

    @abc.abstractmethod
    def _audit_since(self, handle, since: int) -> list[dict[str, str]]:
        """`audit` inside the turn."""

    @abc.abstractmethod
    def _saved(self, handle, plan: Plan, also_known: frozenset[str]) -> Figures:
        """`read_figures` inside the turn."""

    def _state_and_saved(
        self, handle, plan: Plan, also_known: frozenset[str]
    ) -> tuple[Snapshot, Figures]:
        """The state an import is planned against, and the saved figures, inside the turn.
        The state is taken first: a change made between the two (where the turn does not
        hold the store still) is then seen as a change when the plan is applied."""
        snap = self._state(handle)
        return snap, self._saved(handle, plan, also_known)

    @abc.abstractmethod
    def _save(
        self, handle, plan: Plan, import_plan: ImportPlan, user: str, action: str
    ) -> ImportResult:
        """Write a checked, accepted import inside a writing turn."""

    # -- side files (`is_side_file`: task progress), whole, beside the figures

    @abc.abstractmethod
    def side_label(self, name: str) -> str:
        """How a problem names side file `name` (its path in a folder, its name in a database)."""

    def read_side(self, name: str) -> bytes | None:
        """The bytes of side file `name` as last saved; None when it was never saved."""
        with self._turn(write=False) as handle:
            return self._side_read(handle, _side_name(name))

    @contextlib.contextmanager
    def side_files(self, write: bool = False) -> Iterator[SideTurn]:
        """Hold the store (`write`: as its only writer) to read side files and, when writing,
        save them in the same turn: what was read cannot change before the save."""
        with self._turn(write=write) as handle:
            yield SideTurn(self, handle, write)

    @abc.abstractmethod
    def _side_read(self, handle, name: str) -> bytes | None:
        """`read_side` inside the turn."""

    @abc.abstractmethod
    def _side_write(
        self, handle, contents: dict[str, bytes | None], user: str, action: str, audit: list[dict]
    ) -> str:
        """Save side files (None: remove one) as an import saves figures files: a history
        entry with each file as it was (undo, redo), the `audit` rows (completed with time,
        user, action and entry), the change counter; inside a writing turn. The entry's id."""

    # -- the import, written once

    def history(self) -> pd.DataFrame:
        """The audit trail as a table, newest first."""
        frame = pd.DataFrame(self.audit(), columns=AUDIT_COLUMNS)
        return frame.iloc[::-1].reset_index(drop=True)

    def plan_import(
        self,
        plan: Plan,
        incoming: pd.DataFrame,
        incoming_problems: list[Problem] | tuple = (),
        also_known: Collection[str] = frozenset(),
        removals: pd.DataFrame | None = None,
        removals_from: str = "-",
        blanks_clear: bool = False,
    ) -> ImportPlan:
        """Compare `incoming` (a table from `parse_upload`) with the saved figures.

        `also_known`: the indicator ids of the catalogue's other plans
        (`kpis.catalogue.sibling_ids`), whose figures share the store: they are kept, not
        reported. `removals`: saved figures to delete (indicator, region, year, and the `line`
        to name in a problem), asked for in `removals_from` (shown only). `blanks_clear`: an
        empty source or note takes the saved one out (/data's grid, which shows them), where
        a file's empty cell keeps it.
        """
        with self._turn(write=False) as handle:
            return self._plan(
                handle,
                plan,
                incoming,
                incoming_problems,
                also_known,
                removals,
                removals_from,
                blanks_clear,
            )

    def _plan(
        self,
        handle,
        plan: Plan,
        incoming: pd.DataFrame,
        incoming_problems: list[Problem] | tuple,
        also_known: Collection[str],
        removals: pd.DataFrame | None,
        removals_from: str,
        blanks_clear: bool = False,
    ) -> ImportPlan:
        also_known = frozenset(also_known)
        snap, saved = self._state_and_saved(handle, plan, also_known)
        return plan_against(
            saved,
            snap,
            self.location,
            plan,
            incoming,
            list(incoming_problems),
            also_known,
            removals,
            removals_from,
            blanks_clear,
        )

    def apply_import(
        self,
        plan: Plan,
        import_plan: ImportPlan,
        user: str,
        since: Snapshot | None = None,
        action: str = "import",
        accept_warnings: bool = False,
    ) -> ImportResult:
        """Write `import_plan`, refusing if the figures changed since `since` (default: since
        planned).

        Raises `InvalidInput` if the plan has errors, `WarningsNotAccepted` if it has warnings
        and `accept_warnings` is not given, `DataChanged` (naming the audit rows written
        since) if the figures changed since they were loaded, `StoreBusy` if the store is
        held too long by another writer.
        """
        if import_plan.errors:
            raise InvalidInput(import_plan.errors)
        if import_plan.warnings and not accept_warnings:
            raise WarningsNotAccepted(import_plan.warnings)
        since = since or import_plan.snapshot
        with self._turn(write=True) as handle:
            if self._state(handle).fingerprint != since.fingerprint:
                rows = self._audit_since(handle, since.audit_size)
                raise DataChanged([r for r in rows if r.get("action") in CHANGING_ACTIONS])
            return self._save(handle, plan, import_plan, user, action)

    def import_figures(
        self,
        plan: Plan,
        incoming: pd.DataFrame,
        incoming_problems: list[Problem] | tuple,
        user: str,
        also_known: Collection[str] = frozenset(),
        action: str = "import",
        removals: pd.DataFrame | None = None,
        removals_from: str = "-",
        accept_warnings: bool = False,
    ) -> tuple[ImportPlan, ImportResult | None]:
        """Plan and, when there is no error and no warning left unaccepted, save in one turn
        (the command line); the result is None when nothing was written."""
        with self._turn(write=True) as handle:
            import_plan = self._plan(
                handle, plan, incoming, incoming_problems, also_known, removals, removals_from
            )
            if import_plan.errors or (import_plan.warnings and not accept_warnings):
                return import_plan, None
            return import_plan, self._save(handle, plan, import_plan, user, action)


@dataclass
class _FolderTurn:
    """One turn on the data folder, under its lock: the folder, and once the saved figures
    are read, that read (an import planned and saved in one turn parses each saved file once:
    for the plan, the rows it rewrites and the check of the set as it will be; the files
    cannot change while the lock is held)."""

    folder: Path
    read: FolderRead | None = None


@dataclass(frozen=True)
class SideTurn:
    """A store held by `Store.side_files`: read its side files, and in a writing turn save
    them with a history entry and audit rows (`Store._side_write`)."""

    store: Store
    handle: object
    writing: bool

    def read(self, name: str) -> bytes | None:
        return self.store._side_read(self.handle, _side_name(name))

    def label(self, name: str) -> str:
        return self.store.side_label(name)

    def write(
        self, contents: dict[str, bytes | None], user: str, action: str, audit: list[dict]
    ) -> str:
        if not self.writing:
            raise RuntimeError("a reading turn cannot save")
        for name in contents:
            _side_name(name)
        return self.store._side_write(self.handle, contents, user, action, audit)


@dataclass(frozen=True)
class FolderStore(Store):
    """The figures as CSV files in a folder (`data/`), history and audit trail in `.history/`."""

    folder: Path

    @property
    def location(self) -> str:
        return str(self.folder)

    def require(self) -> None:
        if not self.folder.is_dir():
            raise InputNotFound(str(self.folder), "thư mục số liệu", "data folder")

    def change_key(self) -> str:
        # Names, times and sizes of the folder's entries: a few stat calls, no file read.
        digest = hashlib.sha1()
        try:
            for child in sorted(self.folder.iterdir()):
                if child.name.startswith("."):
                    continue  # the lock and the history: not the figures
                stat = child.stat()
                digest.update(f"{child.name}\0{stat.st_mtime_ns}\0{stat.st_size}\0".encode())
        except OSError:
            digest.update(b"missing")
        return digest.hexdigest()

    def read_figures(
        self, plan: Plan, also_known: Collection[str] = frozenset(), sources: bool = True
    ) -> Figures:
        return read_figures(self.folder, plan, also_known, sources)

    def snapshot(self) -> Snapshot:
        return snapshot(self.folder)

    def audit(self, since: int = 0) -> list[dict[str, str]]:
        return read_audit(self.folder, since)

    @contextlib.contextmanager
    def _turn(self, write: bool) -> Iterator[_FolderTurn]:
        with locked(self.folder):  # readers too: an interrupted save is put right first
            yield _FolderTurn(self.folder)

    def _state(self, handle: _FolderTurn) -> Snapshot:
        return snapshot(handle.folder)

    def _audit_since(self, handle: _FolderTurn, since: int) -> list[dict[str, str]]:
        return read_audit(handle.folder, since)

    def _saved(self, handle: _FolderTurn, plan: Plan, also_known: frozenset[str]) -> Figures:
        handle.read = read_folder_with_rows(handle.folder, plan, also_known)
        return handle.read.figures

    def _state_and_saved(
        self, handle: _FolderTurn, plan: Plan, also_known: frozenset[str]
    ) -> tuple[Snapshot, Figures]:
        # The folder's lock holds it still: its state is taken from the files as the read
        # found them, each hashed in the thread that read it, not read a second time (a
        # national set's 177 MB: 0.12 s).
        saved = self._saved(handle, plan, also_known)
        state = Snapshot(
            fingerprint(handle.folder, handle.read.digests), _audit_size(handle.folder)
        )
        return state, saved

    def _save(
        self, handle: _FolderTurn, plan: Plan, import_plan: ImportPlan, user: str, action: str
    ) -> ImportResult:
        return _apply_unlocked(handle.folder, plan, import_plan, user, action, handle.read)

    def entries(self) -> list[Entry]:
        return entries(self.folder)

    def undo(
        self, user: str, expected: str | None = None, allowed: Scope | None = None
    ) -> UndoResult | None:
        return undo(self.folder, user, expected, allowed)

    def redo(
        self, user: str, expected: str | None = None, allowed: Scope | None = None
    ) -> UndoResult | None:
        return redo(self.folder, user, expected, allowed)

    def redoable(self) -> Entry | None:
        return redoable(self.folder)

    def backup_note(self, entry: str) -> str:
        return str(history_dir(self.folder) / entry)

    def side_label(self, name: str) -> str:
        return str(self.folder / name)

    def read_side(self, name: str) -> bytes | None:
        # Without the lock, as the figures are read: each file is replaced whole (and a
        # viewer's read-only mount cannot take the lock).
        return self._side_read(_FolderTurn(self.folder), _side_name(name))

    def _side_read(self, handle: _FolderTurn, name: str) -> bytes | None:
        path = handle.folder / name
        return path.read_bytes() if path.is_file() else None

    def _side_write(
        self,
        handle: _FolderTurn,
        contents: dict[str, bytes | None],
        user: str,
        action: str,
        audit: list[dict],
    ) -> str:
        return write_journaled(handle.folder, contents, user, action, audit)


def open_store(data: str | Path | None = None) -> Store:
    """The store that holds the figures (`kpis.paths.data_location`): `data` (`--data`, a
    folder or a database URL), else the database of `KPI_DATABASE_URL` or the secrets'
    `[database] url`, else the folder `KPI_DATA`, else `data/`."""
    location = data_location(data)
    if is_database_url(location):
        from kpis.pgstore import PostgresStore  # psycopg only where a database is used

        return PostgresStore(str(location))
    return FolderStore(Path(location))
