"""Write the scorecard as an Excel sheet: one row per target with its status on its colour.

Same options as `deck`; no browser needed. Text cells are neutralised so none can run as a
formula. Exit codes as for `deck`.
"""

from __future__ import annotations

import argparse

from kpis.cli import EXIT_OK
from kpis.commands.deck import configure as configure_export
from kpis.commands.deck import load_report

SUMMARY = (
    "Xuất bảng tổng hợp ra tệp Excel: mỗi mục tiêu một dòng, ô trạng thái tô màu / "
    "Write the scorecard as an Excel sheet: one row per target with its status on its colour"
)


def configure(parser: argparse.ArgumentParser) -> None:
    configure_export(parser, out_help="FILE.xlsx")


def run(args: argparse.Namespace) -> int:
    from kpis.export import check_output, write_atomically
    from kpis.scorecard import scorecard_xlsx

    check_output(args.out)  # before the work (write_atomically checks again)
    report = load_report(args)
    if isinstance(report, int):
        return report
    write_atomically(args.out, scorecard_xlsx(report))
    print(
        f"wrote {args.out}: {len(report.assessments)} targets, {report.region}, "
        f"as of {report.as_of or '–'}"
        if args.lang == "en"
        else f"đã ghi {args.out}: {len(report.assessments)} mục tiêu, {report.region}, "
        f"đến năm {report.as_of or '–'}"
    )
    return EXIT_OK
