"""One row per region, indicator and target, as METHOD.md defines (CONTRACT.md §3)."""

from __future__ import annotations

import argparse
import codecs
import csv
import json
import math
import sys

import numpy as np
import pandas as pd

from kpis.cli import (
    EXIT_INVALID,
    EXIT_OK,
    add_paths,
    print_problems,
    region_option,
    year_argument,
)
from kpis.dataset import load_dataset
from kpis.i18n import format_numbers, format_percentages, status_word
from kpis.plan import Plan
from kpis.progress import (
    CSV_COLUMNS,
    assess_columns,
    assess_parts,
    default_as_of,
    region_parts,
)
from kpis.safe_cells import neutralise_cell
from kpis.shown import projections
from kpis.text_table import aligned_table
from kpis.ui_text import region_label

# The assessments as columns ({field: values}, kpis.progress.assess_columns): a national run
# writes tens of thousands of rows, and no object per row is built for them.
Columns = dict[str, list | np.ndarray | pd.Categorical]


SUMMARY = (
    "Mỗi địa bàn, chỉ tiêu và mục tiêu một dòng, tính theo phương pháp (docs/phuong-phap.md) / "
    "One row per region, indicator and target, as the method defines (docs/method.md)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    parser.add_argument(
        "--as-of",
        type=year_argument,
        metavar="YEAR",
        help="tính như tại năm này / judge as at this year (latest figure)",
    )
    parser.add_argument("--region", metavar="NAME", help="chỉ địa bàn này / this region only")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument(
        "--tasks",
        action="store_true",
        help="nhiệm vụ thay cho mục tiêu, xét tại 31/12 của năm --as-of (mặc định năm có số "
        "liệu mới nhất, như bảng điều khiển; năm nay hoặc khi chưa có số liệu: hôm nay) / the "
        "plan's tasks instead of its targets, judged at 31/12 of the --as-of year (by default the "
        "latest year with figures, as the dashboard; this year or no figures: today)",
    )


def run(args: argparse.Namespace) -> int:
    import pyarrow as pa  # loaded by pandas already

    from kpis.bulk_memory import bulk_work

    previous = pa.default_memory_pool()
    pa.set_memory_pool(_reading_pool(pa))
    try:
        # A national run allocates millions of objects and frees them at the end, with no
        # cycle among them: the cyclic collector would only walk them again and again (~3% of
        # the run).
        with bulk_work():
            return _run(args)
    finally:
        pa.set_memory_pool(previous)  # a caller in the same process keeps its own


def _reading_pool(pa):
    """The allocator pyarrow reads with here: jemalloc giving freed pages back after 100 ms
    (where pyarrow has it), else the C library's malloc.

    The cells are parsed in worker threads and let go once checked; with pyarrow's default
    (mimalloc) or malloc's per-thread arenas, the pages they held stayed with the process
    while the judgement allocated fresh ones. At 3,060,000 figures in 1,020 files the peak
    went from ~810 MB (malloc; more with mimalloc) to ~670 MB. Given back at once (a decay of
    0), each page was faulted in and zeroed by the kernel again at the next allocation; kept
    100 ms, it serves the next file (see `kpis.bulk_memory.keep_freed_memory` for the time it
    saves). Kept a whole second, the peak at 1,020,000 figures in 340 files came near 2× the
    pandas read's (393 MB of 202); at 100 ms it is ~360 MB.
    """
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(100)
    except (NotImplementedError, pa.ArrowException):  # a pyarrow built without jemalloc
        return pa.system_memory_pool()
    return pool


def _run(args: argparse.Namespace) -> int:
    if args.tasks:
        return _run_tasks(args)
    dataset = load_dataset(args.targets, args.data, sources=False)  # never shown here
    if dataset.errors:
        print_problems(dataset.problems, args.lang, file=sys.stderr)
        return EXIT_INVALID
    print_problems(dataset.problems, args.lang, file=sys.stderr)
    plan = dataset.plan
    # Only the columns the judgement reads: the text of sources, notes and file names (a
    # million repeated strings, ~150 MB at national scale) is freed before it allocates.
    table = dataset.figures.table[["indicator", "region", "year", "value", "estimate"]]
    keys = dataset.figures.keys  # its indicators and regions as codes, found while reading
    del dataset
    region, unknown = region_option(args.region, plan, table, args.lang)
    if unknown:
        print(("warning: " if args.lang == "en" else "cảnh báo: ") + unknown, file=sys.stderr)
    regions = [region] if region else None
    as_of = args.as_of if args.as_of is not None else default_as_of(table)
    if as_of is None:  # no figure at all: every target without data
        columns = assess_columns(plan, table, as_of=None, regions=regions)
    else:
        # Coded first, then judged without the table: at national scale its texts are a few
        # hundred MB that the judgement never reads. With the reader's keys, the texts go
        # before the coding too (1,020,000 figures in 340 files: the coding's peak ~10 MB
        # lower; the 3,060,000-figure sets peak in the checks). At national scale, two halves
        # of the regions are coded and judged one a core (`region_parts`), the whole table
        # let go once they are taken from it.
        if keys is not None:
            table = table[["year", "value", "estimate"]]
        parts = region_parts(plan, table, keys, regions)
        del table, keys
        columns = assess_parts(
            plan,
            parts,
            as_of,
            fields=_FIELDS_WRITTEN[args.format],
            number_arrays=args.format == "table",  # the table computes on its numbers
        )
    if args.format == "table":  # for people: names, not ids
        write_table(columns, args.lang, plan)
    else:  # for machines: ids, unchanged
        {"csv": write_csv, "json": write_json}[args.format](columns, args.lang)
    return EXIT_OK


# The assessments' fields each format writes (None: every one); the others are not made.
_FIELDS_WRITTEN = {
    "table": [*CSV_COLUMNS, "latest_is_estimate"],
    "csv": CSV_COLUMNS,
    "json": None,
}


TASK_COLUMNS = [
    "task",
    "agency",
    "deadline",
    "state",
    "date",
    "overdue",
    "indicator",
    "clause",
    "evidence",
]


def _run_tasks(args: argparse.Namespace) -> int:
    """`status --tasks`: one row per task of the plan, as of the as-of year's end (or today)."""
    from kpis import tasks
    from kpis.paths import targets_path
    from kpis.plan import load_plan
    from kpis.store import open_store

    figures_store = open_store(args.data)  # the data folder or the database
    figures_store.require()
    year = args.as_of
    if year is None:
        # The figures for their latest year alone: the dashboard's sidebar and the deck open
        # on it, and judge the tasks on its 31/12 (kpis.commands.deck.load_report); judged
        # on today's date here, a task due since then was overdue on the command line only.
        # Figures with errors are not this command's to report (`status` does): the valid
        # ones give the year, as they give the dashboard's.
        dataset = load_dataset(args.targets, args.data, sources=False)
        plan, warnings = dataset.plan, dataset.plan_warnings
        year = default_as_of(dataset.figures.table)
        del dataset
    else:
        plan, warnings = load_plan(targets_path(args.targets))
    progress, problems = tasks.read_progress(figures_store, plan)
    print_problems(warnings + problems, args.lang, file=sys.stderr)
    if [p for p in problems if p.is_error]:
        return EXIT_INVALID
    as_of = tasks.as_of_date(year)
    table = tasks.task_table(plan, progress, as_of, args.lang)
    rows = [
        [
            row.task,
            row.agency,
            row.deadline.isoformat() if row.deadline else "",
            row.state,
            row.date.isoformat() if row.date else "",
            "true" if row.overdue else "false",
            row.indicator,
            plan.task_by_id[row.task].clause,  # as the plan writes it, whatever --lang
            row.evidence,
        ]
        for row in table.itertuples(index=False)
    ]
    if args.format == "csv":
        # Opened in a spreadsheet, evidence such as `=HYPERLINK(…)` (kept as typed, with a
        # warning, by `tasks import`) would run: quoted, as every download of the pages is.
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(TASK_COLUMNS)
        writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    elif args.format == "json":
        records = [dict(zip(TASK_COLUMNS, row, strict=True)) for row in rows]
        for record in records:
            record["overdue"] = record["overdue"] == "true"
            for key in ("deadline", "date"):
                record[key] = record[key] or None
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        summary = tasks.summarise(table)
        print(f"{summary.text(args.lang)} ({as_of:%d/%m/%Y})")
        # for people: the task's and the agency's names (csv and json keep their ids)
        states = {s: tasks.state_word(s, args.lang) for s in set(table["state"])}
        width = max(map(len, states.values()), default=0)
        for row in table.itertuples(index=False):
            deadline = f"{row.deadline:%d/%m/%Y}" if row.deadline else "–"
            late = (" QUÁ HẠN" if args.lang != "en" else " OVERDUE") if row.overdue else ""
            print(
                f"{deadline:<10}  {states[row.state] + late:<{width + 9}}  "
                f"{row.agency_name}: {row.name}"
            )
    return EXIT_OK


def csv_number(value: float | int | None) -> str:
    """Unrounded, shortest round-trip form; whole numbers without '.0'; empty when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def write_csv(columns: Columns, lang: str) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    numbers = ("latest_year", "latest_value", "progress", "projected_value")
    # The region is the figures' text (the rest ids, words and numbers): quoted where a
    # spreadsheet would run it, as in `--tasks`'s csv. A number such as "-3.5" stays a number.
    writer.writerows(
        zip(
            map(neutralise_cell, columns["region"]),
            columns["indicator"],
            columns["target_year"],
            columns["status"],
            *(map(csv_number, columns[name]) for name in numbers),
            strict=True,
        )
    )


def write_json(columns: Columns, lang: str) -> None:
    def clean(value):
        return None if isinstance(value, float) and math.isnan(value) else value

    # Beyond the csv columns (CONTRACT.md §3, METHOD.md version 2): whether the latest value
    # is an estimate, a period-average target's mean, a growth target's growth so far (% a
    # year); null where not defined.
    extra = ("target_index", "expected", "projected_progress", "latest_is_estimate", "mean")
    names = [*CSV_COLUMNS, *extra, "average_growth"]
    cleaned = [
        columns[name] if name in extra else list(map(clean, columns[name])) for name in names
    ]
    records = [dict(zip(names, row, strict=True)) for row in zip(*cleaned, strict=True)]
    json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def write_table(columns: Columns, lang: str, plan: Plan) -> None:
    """The assessments for people: regions and indicators by name, numbers in the language's
    format (the csv and json formats keep ids for machines)."""
    header = (
        ["Region", "Indicator", "Target year", "Status", "Latest", "Value", "Progress", "Projected"]
        if lang == "en"
        else ["Địa bàn", "Chỉ tiêu", "Năm MT", "Trạng thái", "Năm", "Giá trị", "Tiến độ", "Dự báo"]
    )
    estimate_mark = " (estimate)" if lang == "en" else " (ước)"
    indicator_codes, ids = _codes(columns["indicator"])
    indicators = [plan.indicator(i) for i in ids]
    # Numbers as floats: None (not defined) becomes NaN, which is shown as "–" as None is.
    projected = projections(  # rounded as every page and the deck round it (kpis.shown)
        _floats(columns["projected_value"]),
        np.array([indicator.integer for indicator in indicators], dtype=bool)[indicator_codes],
    )
    value_codes, values = _codes(_floats(columns["latest_value"]))
    # Each column: every row's code and the words of each code (its region, a number in the
    # language's format...), worded once per distinct cell.
    body = [
        _worded(columns["region"], lambda name: region_label(plan, name, lang)),
        (indicator_codes, [indicator.text("name", lang) for indicator in indicators]),
        _worded(columns["target_year"], str),
        _worded(columns["status"], lambda status: status_word(status, lang)),
        _worded(_floats(columns["latest_year"]), _year_text),
        # The value and whether it is an estimate, as one code: the value's code × 2, + 1 for
        # an estimate.
        _worded_all(
            value_codes * 2 + np.asarray(columns["latest_is_estimate"], dtype=bool),
            lambda codes: [
                text + (estimate_mark if code % 2 else "")
                for text, code in zip(
                    format_numbers([values[code // 2] for code in codes], lang), codes, strict=True
                )
            ],
        ),
        _worded_all(
            _whole_percentages(columns["progress"]),
            lambda hundreds: format_percentages(hundreds, lang),
        ),
        _worded_all(projected, lambda numbers: format_numbers(numbers, lang)),
    ]
    write_utf8(aligned_table(header, body))


def write_utf8(data: bytes) -> None:
    """UTF-8 to standard output: the bytes as they are where it writes UTF-8 (a national
    table is 20 MB, not decoded to be encoded again), else as text."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None)
    if hasattr(stream, "buffer") and encoding and codecs.lookup(encoding).name == "utf-8":
        stream.flush()  # (what was written as text before goes first)
        stream.buffer.write(data)
    else:
        stream.write(data.decode("utf-8"))


def _floats(values: list | np.ndarray) -> np.ndarray:
    """Numbers as a float array, None as NaN (an array of floats as it is)."""
    return np.asarray(values, dtype=np.float64)


def _year_text(year: float) -> str:
    return str(int(year)) if year == year and year else "–"  # NaN: none


def _whole_percentages(shares: list) -> np.ndarray:
    """Each share × 100 rounded to a whole number as its shown percentage rounds it (to even,
    from the number's exact value), NaN where undefined: coded so, each percentage shown is
    worded once (the unlike benchmark's ~85,000 distinct shares are ~13,000 percentages)."""
    return np.rint(_floats(shares) * 100)


def _codes(keys: list | np.ndarray | pd.Categorical) -> tuple[np.ndarray, list]:
    """(each key's code, the distinct keys): one code for all NaNs of an array of numbers; the
    keys of a list as Python's == tells them apart (None is None), in order of appearance; a
    categorical's own codes and categories."""
    if isinstance(keys, pd.Categorical):
        return keys.codes, keys.categories.tolist()
    if isinstance(keys, np.ndarray):
        codes, uniques = pd.factorize(keys, use_na_sentinel=False)
        return codes, uniques.tolist()
    positions = {key: code for code, key in enumerate(dict.fromkeys(keys))}
    return np.fromiter(map(positions.__getitem__, keys), np.intp, len(keys)), list(positions)


def _worded(keys: list | np.ndarray, words_of) -> tuple[np.ndarray, list[str]]:
    """(each key's code, the words of each code): `words_of` is called once per distinct key."""
    codes, uniques = _codes(keys)
    return codes, [words_of(key) for key in uniques]


def _worded_all(keys: list | np.ndarray, words_of_all) -> tuple[np.ndarray, list[str]]:
    """`_worded` with one call of `words_of_all` on the list of distinct keys: the numbers of a
    national run are tens of thousands of distinct values (`kpis.i18n.format_numbers`)."""
    codes, uniques = _codes(keys)
    return codes, words_of_all(uniques)
