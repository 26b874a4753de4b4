"""Undo the latest import or save: put the figures files back as they were before it."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kpis.cli import EXIT_INVALID, EXIT_OK, add_paths, add_secrets, add_user, agency_limits

if TYPE_CHECKING:
    from kpis.plan import Plan
    from kpis.store import UndoResult


SUMMARY = (
    "Hoàn tác lần nhập hoặc lần lưu gần nhất: trả các tệp số liệu về như trước đó / "
    "Undo the latest import or save: put the figures files back as they were before it"
)


def configure(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)  # --targets: only to name the agencies when a limit refuses
    add_user(parser)
    add_secrets(parser)


def run(args: argparse.Namespace) -> int:
    return run_round(args, redo=False)


def run_round(args: argparse.Namespace, redo: bool) -> int:
    """`undo`, or with `redo` the `redo` command: the same options, messages and exit codes."""
    from kpis.agencies import round_refusal
    from kpis.commands.import_ import default_user
    from kpis.errors import DataChanged, OutsideAgencies, StoreBusy
    from kpis.store import open_store

    en = args.lang == "en"
    figures_store = open_store(args.data)
    figures_store.require()
    user = default_user(args.user)
    # Under --secrets, an account limited to agencies undoes (redoes) only their saves.
    allowed, not_editor = agency_limits(args, user)
    if not_editor:
        print(not_editor, file=sys.stderr)
        return EXIT_INVALID
    try:
        result = (figures_store.redo if redo else figures_store.undo)(user, allowed=allowed)
    except StoreBusy as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except OutsideAgencies as refused:
        print(round_refusal(named_by(args), user, refused, args.lang), file=sys.stderr)
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
    print(round_done(result, redo, args.lang))
    return EXIT_OK


def round_done(result: UndoResult, redo: bool, lang: str) -> str:
    """What an undo (redo) did: the save («lượt lưu», as the /data page calls an import, a
    page's save, a deletion or task progress alike) by its local time as the page shows it
    (not the audit trail's ISO text in UTC, so the administrator finds the same save on both),
    the figures or tasks, the files written back and, apart, the files it deleted."""
    from kpis.i18n import figures_and_tasks, local_time, pick

    # Names and files go in after the counts are worded (`fill` singularises "1 figure"): a
    # file or user called "1 items" stays as it is.
    removed = set(result.removed)
    written = ", ".join(name for name in result.files if name not in removed)
    parts = [figures_and_tasks(result.figures, result.tasks, lang)]
    if written:
        if redo:
            words = pick("tệp được ghi lại: {files}", "files rewritten: {files}", lang)
        else:
            words = pick("tệp được khôi phục: {files}", "files restored: {files}", lang)
        parts.append(words.format(files=written))
    if removed:
        if redo:  # a redo deletes a file only where the save itself had deleted it
            words = pick(
                "đã xoá {files} (như lượt lưu đó đã làm)",
                "removed {files} (as that save did)",
                lang,
            )
        else:  # the file did not exist before the import
            words = pick(
                "đã xoá {files} (do lượt lưu đó tạo ra)",
                "removed {files} (created by that save)",
                lang,
            )
        parts.append(words.format(files=", ".join(sorted(removed))))
    if redo:
        head = pick(
            "đã làm lại lượt lưu lúc {time} của {user}",
            "redone: the save of {time} by {user}",
            lang,
        )
    else:
        head = pick(
            "đã hoàn tác lượt lưu lúc {time} của {user}",
            "undone: the save of {time} by {user}",
            lang,
        )
    head = head.format(time=local_time(result.time, lang), user=result.user)
    return f"{head} ({'; '.join(parts)})"


def named_by(args: argparse.Namespace) -> Plan | None:
    """The plan that names the agencies in a refusal; None (their ids) when it cannot be read:
    a broken plan must not hide why nothing was undone."""
    from kpis.errors import KpiError
    from kpis.paths import targets_path
    from kpis.plan import load_plan

    try:
        return load_plan(targets_path(args.targets))[0]
    except (KpiError, OSError, ValueError):
        return None


def refusal(changes: list[dict[str, str]], lang: str) -> str:
    """Why a redo was refused: the changes saved since the undo, who made them, or that the
    files were changed outside the dashboard."""
    from kpis.i18n import local_time
    from kpis.ui_text import t

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

    def value(c: dict[str, str], side: str) -> str:
        # An estimate keeps its mark, as on /data: «3 (ước) → 3» is the official figure.
        if not c[side]:
            return "-"
        marked = c.get(f"{side}_estimate")
        return f"{c[side]} {t('estimate_mark', lang)}" if marked else c[side]

    lines = [
        f"  {local_time(c['time'], lang)} {c['user']} ({c['action']}): "
        f"{c['indicator'] or c.get('task', '')} {c['region']} {c['year']}: "
        f"{value(c, 'old')} → {value(c, 'new')}"
        for c in changes
    ]
    return "\n".join([head, *lines])
