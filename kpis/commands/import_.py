"""Import a figures file (.csv/.xlsx): check it, back up, write data/<year>.csv, audit."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from kpis.cli import (
    EXIT_INVALID,
    EXIT_OK,
    add_paths,
    add_secrets,
    add_user,
    agency_limits,
    print_problems,
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="tệp .csv hoặc .xlsx / a .csv or .xlsx file")
    add_paths(parser)
    add_user(parser)
    add_secrets(parser)


def default_user(option: str | None) -> str:
    """The name the audit trail records: --user, else the login name."""
    if option and option.strip():
        return option.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return os.environ.get("USER") or "cli"


def run(args: argparse.Namespace) -> int:
    from kpis import store
    from kpis.catalogue import sibling_ids
    from kpis.errors import InputNotFound
    from kpis.paths import data_path, targets_path
    from kpis.plan import load_plan

    source = Path(args.file)
    if not source.is_file():
        raise InputNotFound(str(source), "tệp cần nhập", "file to import")
    data_dir = data_path(args.data)
    if not data_dir.is_dir():
        raise InputNotFound(str(data_dir), "thư mục số liệu", "data folder")
    targets = targets_path(args.targets)
    plan, plan_warnings = load_plan(targets)
    incoming, problems = store.parse_upload(source.read_bytes(), str(source), plan, limit=None)
    return write(args, plan, plan_warnings, data_dir, incoming, problems, sibling_ids(targets))


def write(args, plan, plan_warnings, data_dir, incoming, problems, also_known, **options) -> int:
    """Import (or delete, with `options`), held to the user's agencies under `--secrets`."""
    from kpis import store
    from kpis.agencies import refusal
    from kpis.errors import DataChanged, StoreBusy

    user = default_user(args.user)
    allowed, not_editor = agency_limits(args, user)
    if not_editor:
        print(not_editor, file=sys.stderr)
        return EXIT_INVALID
    try:
        if allowed is None:
            import_plan, result = store.import_figures(
                data_dir, plan, incoming, problems, user, also_known, **options
            )
        else:
            action = options.pop("action", "import")
            import_plan = store.plan_import(
                data_dir, plan, incoming, problems, also_known, **options
            )
            import_plan.problems.extend(
                refusal(plan, allowed, user, figures=import_plan, file=getattr(args, "file", "-"))
            )
            result = (
                None
                if import_plan.errors
                else store.apply_import(data_dir, plan, import_plan, user, action=action)
            )
    except StoreBusy as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return EXIT_INVALID
    except DataChanged:
        print(
            "the figures changed while importing: run the command again"
            if args.lang == "en"
            else "số liệu vừa thay đổi trong lúc nhập: chạy lại lệnh",
            file=sys.stderr,
        )
        return EXIT_INVALID
    return report(import_plan, result, plan_warnings, data_dir, args.lang)


def report(import_plan, result, plan_warnings: list, data_dir: Path, lang: str) -> int:
    """What was written (or every problem, and that nothing was), and where the backup is."""
    from kpis import store

    if result is None:
        print_problems(import_plan.problems, lang, file=sys.stdout)
        print("nothing was changed" if lang == "en" else "không thay đổi gì", file=sys.stdout)
        return EXIT_INVALID
    print_problems(plan_warnings + import_plan.warnings, lang, file=sys.stderr)
    print(result.summary(lang))
    if result.entry:
        where = store.history_dir(data_dir) / result.entry
        print(
            f"backup: {where}; undo: python -m kpis undo"
            if lang == "en"
            else f"bản sao: {where}; hoàn tác: python -m kpis undo",
            file=sys.stderr,
        )
    return EXIT_OK
