"""Task progress: `tasks import FILE` checks, backs up, saves the plan's progress, audits."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kpis.cli import EXIT_INVALID, EXIT_OK, add_paths, add_secrets, add_user, print_problems
from kpis.commands.import_ import add_accept_warnings, add_no_size_limit

SUMMARY = (
    "Tiến độ nhiệm vụ: `tasks import FILE` kiểm tra, sao lưu, lưu tiến độ của kế hoạch, ghi "
    "nhật ký / "
    "Task progress: `tasks import FILE` checks, backs up, saves the plan's progress, audits"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("import",), help="import: nhập tiến độ / import")
    parser.add_argument("file", metavar="FILE", help="tệp .csv hoặc .xlsx / a .csv or .xlsx file")
    add_paths(parser)
    add_user(parser)
    add_secrets(parser)
    add_accept_warnings(parser)
    add_no_size_limit(parser)


def run(args: argparse.Namespace) -> int:
    from kpis import store, tasks
    from kpis.cli import agency_limits
    from kpis.commands.import_ import default_user
    from kpis.errors import InputNotFound, StoreBusy
    from kpis.i18n import fill
    from kpis.paths import targets_path
    from kpis.plan import load_plan

    source = Path(args.file)
    if not source.is_file():
        raise InputNotFound(str(source), "tệp cần nhập", "file to import")
    figures_store = store.open_store(args.data)  # the data folder or the database
    figures_store.require()
    plan, plan_warnings = load_plan(targets_path(args.targets))
    user = default_user(args.user)
    allowed, not_editor = agency_limits(args, user)
    if not_editor:
        print(not_editor, file=sys.stderr)
        return EXIT_INVALID
    if not plan.tasks:
        print(
            f"the plan {plan.plan.id} lists no tasks (`tasks:`): nothing to import"
            if args.lang == "en"
            else f"kế hoạch {plan.plan.id} không có nhiệm vụ (`tasks:`): không có gì để nhập",
            file=sys.stderr,
        )
        return EXIT_INVALID
    # `import`'s limit and options, so an administrator learns one way past the page's 5 MB.
    limit = None if args.no_size_limit else store.import_limit()
    size = source.stat().st_size
    if limit is not None and size > limit:
        refused = store.too_large(str(source), size, limit, command="tasks import")
        print_problems([refused], args.lang, file=sys.stdout)
        print("nothing was changed" if args.lang == "en" else "không thay đổi gì")
        return EXIT_INVALID
    incoming, problems = tasks.parse_progress(source.read_bytes(), str(source), plan)
    try:
        planned, result = tasks.import_tasks(
            figures_store, plan, incoming, problems, user, allowed, args.accept_warnings
        )
    except StoreBusy as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_INVALID
    if result is None:
        print_problems(planned.problems, args.lang, file=sys.stdout)
        if not planned.errors:
            print(
                fill(
                    "{n} ô cần kiểm tra (ngày, căn cứ hoặc ghi chú): kiểm tra từng ô, rồi chạy "
                    "lại với --accept-warnings để lưu",
                    "{n} cells to check (dates, evidence or notes): check each one, then run "
                    "again with --accept-warnings to save",
                    args.lang,
                    n=len(planned.to_accept),
                )
            )
        print("nothing was changed" if args.lang == "en" else "không thay đổi gì")
        return EXIT_INVALID
    print_problems(plan_warnings + planned.warnings, args.lang, file=sys.stderr)
    print(result.summary(args.lang))
    if result.entry:
        where = figures_store.backup_note(result.entry)
        print(
            f"backup: {where}; undo: python -m kpis undo"
            if args.lang == "en"
            else f"bản sao: {where}; hoàn tác: python -m kpis undo",
            file=sys.stderr,
        )
    return EXIT_OK
