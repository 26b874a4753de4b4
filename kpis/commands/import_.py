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
    say_step,
)
from kpis.i18n import fill, format_number

# From this size an import takes seconds (reading, checking, writing year files): each step
# is said on stderr as it starts, so a long wait is never silent.
LARGE_IMPORT_BYTES = 1024 * 1024
# An import prints at most this many problem lines, the rest counted: a file of one mistake
# copied down 560,000 rows printed 1.2 GB. `validate` prints all (the contract's output).
MOST_PROBLEM_LINES = 200


SUMMARY = (
    "Nhập một tệp số liệu (.csv/.xlsx): kiểm tra, sao lưu, ghi vào thư mục số liệu, ghi nhật ký"
    " / "
    "Import a figures file (.csv/.xlsx): check it, back up, write the figures folder, audit"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="tệp .csv hoặc .xlsx / a .csv or .xlsx file")
    add_paths(parser)
    add_user(parser)
    add_secrets(parser)
    add_accept_warnings(parser)
    add_no_size_limit(parser)


def add_no_size_limit(parser: argparse.ArgumentParser) -> None:
    """`--no-size-limit`: an administrator's way past the page's 5 MB (`import`, `tasks import`)."""
    parser.add_argument(
        "--no-size-limit",
        action="store_true",
        help="nhận tệp lớn hơn 5 MB (như trang web, mặc định từ chối; --limit file_mb=SỐ đặt "
        "giới hạn khác) / accept a file over the page's 5 MB limit (--limit file_mb=N sets "
        "another)",
    )


def add_accept_warnings(parser: argparse.ArgumentParser) -> None:
    """`--accept-warnings`: the command line's tick «Tôi đã kiểm tra»."""
    parser.add_argument(
        "--accept-warnings",
        action="store_true",
        help="lưu dù có cảnh báo, sau khi đã kiểm tra từng cảnh báo / save despite warnings, "
        "once each has been checked",
    )


def default_user(option: str | None) -> str:
    """The name the audit trail records: --user, else the login name."""
    if option and option.strip():
        return option.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return os.environ.get("USER") or "cli"


def run(args: argparse.Namespace) -> int:
    from kpis.bulk_memory import bulk_work

    # A year's import at national scale makes and frees columns of a million rows (saved
    # figures, files rewritten, the set as it will be): into 340 region files the collector
    # took 0.15 s in 330 collections, and ~25,000 page faults went to blocks freed and taken
    # again.
    with bulk_work():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from kpis.catalogue import sibling_ids
    from kpis.errors import InputNotFound
    from kpis.paths import targets_path
    from kpis.plan import load_plan
    from kpis.store import import_limit, open_store, parse_upload

    source = Path(args.file)
    if not source.is_file():
        raise InputNotFound(str(source), "tệp cần nhập", "file to import")
    figures_store = open_store(args.data)
    figures_store.require()
    targets = targets_path(args.targets)
    plan, plan_warnings = load_plan(targets)
    limit = None if args.no_size_limit else import_limit()
    bytes_in = source.stat().st_size
    large = bytes_in >= LARGE_IMPORT_BYTES and (limit is None or bytes_in <= limit)
    if limit is not None and bytes_in > limit:
        raw = b""  # not read: parse_upload refuses on the size alone
        size = bytes_in
    else:
        raw, size = source.read_bytes(), None
    if large:
        megabytes = bytes_in / 1024 / 1024
        say_step(
            args.lang,
            f"đang đọc {source.name} ({format_number(megabytes, 'vi', 1)} MB)…",
            f"reading {source.name} ({format_number(megabytes, 'en', 1)} MB)…",
        )
    incoming, problems = parse_upload(raw, str(source), plan, limit=limit, size=size)
    if large:
        say_step(
            args.lang,
            f"đã đọc {len(incoming):,} số liệu; đang kiểm tra và ghi…".replace(",", "."),
            f"read {len(incoming):,} figures; checking and writing…",
        )
    return write(args, plan, plan_warnings, figures_store, incoming, problems, sibling_ids(targets))


def write(
    args, plan, plan_warnings, figures_store, incoming, problems, also_known, **options
) -> int:
    """Import (or delete, with `options`) into `figures_store` (kpis.store.open_store), held
    to the user's agencies under `--secrets`."""
    from kpis.agencies import refusal
    from kpis.errors import DataChanged, StoreBusy

    user = default_user(args.user)
    allowed, not_editor = agency_limits(args, user)
    if not_editor:
        print(not_editor, file=sys.stderr)
        return EXIT_INVALID
    accept = args.accept_warnings
    try:
        if allowed is None:
            import_plan, result = figures_store.import_figures(
                plan,
                incoming,
                problems,
                user,
                also_known,
                accept_warnings=accept,
                **options,
            )
        else:
            action = options.pop("action", "import")
            import_plan = figures_store.plan_import(plan, incoming, problems, also_known, **options)
            import_plan.problems.extend(
                refusal(plan, allowed, user, figures=import_plan, file=getattr(args, "file", "-"))
            )
            held = import_plan.errors or (import_plan.warnings and not accept)
            result = (
                None
                if held
                else figures_store.apply_import(
                    plan, import_plan, user, action=action, accept_warnings=accept
                )
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
    return report(import_plan, result, plan_warnings, figures_store, args.lang)


def report(import_plan, result, plan_warnings: list, figures_store, lang: str) -> int:
    """What was written (or every problem, and that nothing was), and where the backup is."""
    if result is None:
        print_problems(import_plan.problems, lang, file=sys.stdout, most=MOST_PROBLEM_LINES)
        if not import_plan.errors:
            print(
                fill(
                    "{n} cảnh báo: kiểm tra từng cảnh báo, rồi chạy lại với --accept-warnings "
                    "để lưu",
                    "{n} warnings: check each one, then run again with --accept-warnings to save",
                    lang,
                    n=len(import_plan.warnings),
                ),
                file=sys.stdout,
            )
        print("nothing was changed" if lang == "en" else "không thay đổi gì", file=sys.stdout)
        return EXIT_INVALID
    print_problems(plan_warnings + import_plan.warnings, lang, file=sys.stderr)
    print(result.summary(lang))
    if result.entry:
        where = figures_store.backup_note(result.entry)
        print(
            f"backup: {where}; undo: python -m kpis undo"
            if lang == "en"
            else f"bản sao: {where}; hoàn tác: python -m kpis undo",
            file=sys.stderr,
        )
    return EXIT_OK
