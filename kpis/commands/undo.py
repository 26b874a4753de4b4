"""Undo the latest import or save: put the figures files back as they were before it."""

from __future__ import annotations

import argparse
import sys

from kpis.cli import EXIT_INVALID, EXIT_OK, add_user


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", metavar="DIR", help="thư mục số liệu / figures folder (KPI_DATA, data/)"
    )
    add_user(parser)


def run(args: argparse.Namespace) -> int:
    from kpis.commands.import_ import default_user
    from kpis.errors import StoreBusy
    from kpis.store import open_store

    figures_store = open_store(args.data)
    figures_store.require()
    try:
        result = figures_store.undo(default_user(args.user))
    except StoreBusy as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_INVALID
    if result is None:
        print(
            "nothing to undo: no import or save is recorded"
            if args.lang == "en"
            else "không có gì để hoàn tác: chưa có lượt nhập hay lưu nào",
            file=sys.stderr,
        )
        return EXIT_INVALID
    files = ", ".join(result.files)
    if args.lang == "en":
        print(
            f"undone: the {result.time} import by {result.user} ({result.figures} figures; "
            f"files restored: {files})"
        )
    else:
        print(
            f"đã hoàn tác lượt nhập lúc {result.time} của {result.user} ({result.figures} số "
            f"liệu; tệp được khôi phục: {files})"
        )
    return EXIT_OK
