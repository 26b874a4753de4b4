"""Write the written report (báo cáo) as a Word file in the layout of Decree 30/2020/NĐ-CP.

Same options as `deck` (`--out FILE.docx`, `--as-of`, `--region`, paths, `--lang`). The charts
of the targets missed, off track or regressing are drawn with Chrome/Chromium; without one the
report is still written, without them, and a warning says what to install. Exit 0: written;
1: invalid figures (the problems are listed); 2: usage error, file or region not found.
"""

from __future__ import annotations

import argparse
import sys

from kpis.cli import EXIT_OK, chart_progress, say_step
from kpis.commands.deck import configure as configure_export
from kpis.commands.deck import load_report

SUMMARY = (
    "Xuất báo cáo bằng văn bản: tệp Word theo thể thức Nghị định 30/2020/NĐ-CP / "
    "Write the written report as a Word file in the layout of Decree 30/2020/NĐ-CP"
)


def configure(parser: argparse.ArgumentParser) -> None:
    configure_export(parser, out_help="FILE.docx")


def run(args: argparse.Namespace) -> int:
    from kpis.errors import BrowserNotFound
    from kpis.export import check_output, write_atomically
    from kpis.images import find_browser
    from kpis.report import build_written_report, chart_pictures, render_docx

    check_output(args.out)  # before the work (write_atomically checks again)
    report = load_report(args)
    if isinstance(report, int):
        return report
    lang = args.lang
    content = build_written_report(report)
    try:
        if content.charts:  # a browser start and a chart at a time: a few seconds, say so
            find_browser()  # first: a missing browser is said before any "drawing"
            say_step(
                lang,
                f"đang vẽ {len(content.charts)} biểu đồ…",
                f"drawing {len(content.charts)} charts…",
            )
        pictures = chart_pictures(content, report, progress=chart_progress(lang))
    except BrowserNotFound as exc:
        pictures = {}
        print(
            ("warning: charts left out: " if lang == "en" else "cảnh báo: không có biểu đồ: ")
            + exc.message(lang),
            file=sys.stderr,
        )
    say_step(lang, "đang ghi báo cáo…", "writing the report…")
    write_atomically(args.out, render_docx(content, pictures))
    print(
        f"wrote {args.out}: {len(content.rows)} targets, {len(pictures)} charts, "
        f"{report.region}, as of {report.as_of or '–'}"
        if lang == "en"
        else f"đã ghi {args.out}: {len(content.rows)} mục tiêu, {len(pictures)} biểu đồ, "
        f"{report.region}, đến năm {report.as_of or '–'}"
    )
    return EXIT_OK
