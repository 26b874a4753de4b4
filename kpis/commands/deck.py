"""Write the conference deck: a 16:9 PowerPoint with title, scorecard and one slide per indicator.

The options (`--out`, `--as-of`, `--region`, paths) and the loading are shared with `charts` and
`scorecard`. Exit 0: written; 1: invalid figures (the problems are listed) or no browser to draw
the charts with (the message says what to install); 2: usage error, file or region not found, an
`--out` that is a folder, device, pipe or symbolic link (never replaced).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kpis.cli import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    add_paths,
    chart_progress,
    print_problems,
    region_option,
    say_step,
    year_argument,
)

if TYPE_CHECKING:
    from kpis.errors import BrowserNotFound
    from kpis.export import Report


SUMMARY = (
    "Xuất bộ trình chiếu hội nghị: tệp PowerPoint 16:9 có trang bìa, bảng tổng hợp và mỗi chỉ "
    "tiêu một trang / "
    "Write the conference deck: a 16:9 PowerPoint with title, scorecard and one slide per "
    "indicator"
)


def configure(parser: argparse.ArgumentParser, out_help: str = "FILE.pptx") -> None:
    parser.add_argument(
        "--out",
        required=True,
        metavar=out_help,
        help="tệp/thư mục ghi ra / file or folder to write",
    )
    add_paths(parser)
    parser.add_argument(
        "--as-of",
        type=year_argument,
        metavar="YEAR",
        help="tính như tại năm này / judge as at this year (latest figure)",
    )
    parser.add_argument(
        "--region",
        metavar="NAME",
        help="địa bàn / region (mặc định địa bàn của kế hoạch / the plan's)",
    )


def load_report(args: argparse.Namespace) -> Report | int:
    """The Report the command exports, or an exit code after printing why there is none."""
    from kpis.dataset import load_dataset
    from kpis.export import prepare
    from kpis.progress import default_as_of

    dataset = load_dataset(args.targets, args.data)
    print_problems(dataset.problems, args.lang, file=sys.stderr)
    if dataset.errors:
        return EXIT_INVALID
    table = dataset.figures.table
    region, unknown = region_option(args.region, dataset.plan, table, args.lang)
    if unknown:
        print(unknown, file=sys.stderr)
        return EXIT_USAGE
    # The as-of year the dashboard's sidebar opens on (the latest figure's): the overdue tasks
    # are then judged on its 31/12, as the dashboard judges them, not on today's date.
    as_of = args.as_of if args.as_of is not None else default_as_of(table)
    tasks, tasks_date = task_table_for(dataset.plan, args, as_of)
    if isinstance(tasks, int):
        return tasks
    return prepare(
        dataset.plan,
        table,
        as_of=as_of,
        region=region,
        lang=args.lang,
        tasks=tasks,
        tasks_date=tasks_date,
    )


def task_table_for(plan, args: argparse.Namespace, as_of: int | None):
    """The plan's tasks as of the end of the as-of year `as_of` (today, for the current year or
    none), from the progress the store holds, for the exports; (None, None) when the plan
    lists no tasks. The dashboard's rule: kpis.tasks.as_of_date, as ui.cache uses it."""
    from kpis.store import open_store
    from kpis.tasks import as_of_date, read_progress, task_table

    if not plan.tasks:
        return None, None
    progress, problems = read_progress(open_store(args.data), plan)
    print_problems(problems, args.lang, file=sys.stderr)
    if [p for p in problems if p.is_error]:
        return EXIT_INVALID, None
    date = as_of_date(as_of)
    return task_table(plan, progress, date, args.lang), date


def browser_missing(exc: BrowserNotFound, lang: str) -> int:
    """Print what to install (exit 1: the deck or charts cannot be drawn here)."""
    print(exc.message(lang), file=sys.stderr)
    return EXIT_INVALID


def run(args: argparse.Namespace) -> int:
    from kpis.deck import chart_pictures, render_deck
    from kpis.errors import BrowserNotFound
    from kpis.export import check_output, write_atomically
    from kpis.images import find_browser
    from kpis.slides import build_slides

    check_output(args.out)  # before minutes of drawing, not after (write_atomically checks again)
    try:
        find_browser()  # before any work: say at once what to install
        report = load_report(args)
        if isinstance(report, int):
            return report
        slides = build_slides(report)
        say_step(
            args.lang,
            f"{len(slides)} trang chiếu; đang vẽ biểu đồ…",
            f"{len(slides)} slides; drawing the charts…",
        )
        pictures = chart_pictures(report, slides, chart_progress(args.lang))
    except BrowserNotFound as exc:
        return browser_missing(exc, args.lang)
    say_step(args.lang, "đang ghép các trang chiếu…", "putting the slides together…")
    write_atomically(args.out, render_deck(slides, pictures, report.lang))
    print(
        f"wrote {args.out}: {len(slides)} slides, {report.region}, as of {report.as_of or '–'}"
        if args.lang == "en"
        else f"đã ghi {args.out}: {len(slides)} trang chiếu, {report.region}, đến năm {report.as_of or '–'}"
    )
    return EXIT_OK
