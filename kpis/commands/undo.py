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
    return run_round(args, redo=False)


def run_round(args: argparse.Namespace, redo: bool) -> int:
    """`undo`, or with `redo` the `redo` command: the same options, messages and exit codes."""
    from kpis.commands.import_ import default_user
    from kpis.errors import DataChanged, StoreBusy
    from kpis.store import open_store

    en = args.lang == "en"
    figures_store = open_store(args.data)
    figures_store.require()
    user = default_user(args.user)
    try:
        result = figures_store.redo(user) if redo else figures_store.undo(user)
    except StoreBusy as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except DataChanged as refused:
        print(refusal(refused.changes, args.lang), file=sys.stderr)
        return EXIT_INVALID
    if result is None:
        if redo:
            message = (
                "nothing to redo: no undo is waiting to be redone"
                if en
                else "không có gì để làm lại: chưa có lượt hoàn tác nào cần làm lại"
            )
        else:
            message = (
                "nothing to undo: no import or save is recorded"
                if en
                else "không có gì để hoàn tác: chưa có lượt nhập hay lưu nào"
            )
        print(message, file=sys.stderr)
        return EXIT_INVALID
    files = ", ".join(result.files)
    if en:
        print(
            f"{'redone' if redo else 'undone'}: the {result.time} import by {result.user} "
            f"({result.figures} figures; files {'rewritten' if redo else 'restored'}: {files})"
        )
    else:
        print(
            f"đã {'làm lại' if redo else 'hoàn tác'} lượt nhập lúc {result.time} của "
            f"{result.user} ({result.figures} số liệu; tệp được "
            f"{'ghi lại' if redo else 'khôi phục'}: {files})"
        )
    return EXIT_OK


def refusal(changes: list[dict[str, str]], lang: str) -> str:
    """Why a redo was refused: the changes saved since the undo, who made them, or that the
    files were changed outside the dashboard."""
    if not changes:
        return (
            "nothing was redone: the figures files were changed outside the dashboard since "
            "the undo"
            if lang == "en"
            else "không làm lại: các tệp số liệu đã bị sửa bên ngoài trang từ lúc hoàn tác"
        )
    head = (
        "nothing was redone: these changes were saved after the undo (redoing would overwrite "
        "them):"
        if lang == "en"
        else "không làm lại: các thay đổi sau đã được lưu sau lượt hoàn tác (làm lại sẽ ghi "
        "đè lên chúng):"
    )
    lines = [
        f"  {c['time']} {c['user']} ({c['action']}): "
        f"{c['indicator'] or c.get('task', '')} {c['region']} {c['year']}: "
        f"{c['old'] or '-'} → {c['new'] or '-'}"
        for c in changes
    ]
    return "\n".join([head, *lines])
