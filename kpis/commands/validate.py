"""Check the plan and the figures; exit 0 when valid, 1 when not (CONTRACT.md §3)."""

from __future__ import annotations

import argparse
import sys

from kpis.cli import EXIT_INVALID, EXIT_OK, add_paths, print_problems
from kpis.dataset import load_dataset
from kpis.progress import derived_problems
from kpis.store import open_store

SUMMARY = (
    "Kiểm tra kế hoạch và số liệu; mã thoát 0 khi hợp lệ, 1 khi có lỗi / "
    "Check the plan and the figures; exit 0 when valid, 1 when not"
)


def configure(parser: argparse.ArgumentParser) -> None:
    add_paths(parser, data_help="DIR_OR_FILE")


def run(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.targets, args.data)
    if dataset.errors:
        print_problems(dataset.problems, args.lang, file=sys.stdout)
        return EXIT_INVALID
    table = dataset.figures.table
    plan = dataset.plan
    derived = derived_problems(plan, table, open_store(args.data).location)
    print_problems(dataset.problems + derived, args.lang, file=sys.stderr)
    years = f"{table['year'].min()}–{table['year'].max()}" if len(table) else "–"
    if args.lang == "en":
        print(
            f"valid: plan {plan.plan.id} ({plan.plan.document}), {len(plan.indicators)} "
            f"indicators, {len(table)} figures, years {years}"
        )
    else:
        print(
            f"hợp lệ: kế hoạch {plan.plan.id} ({plan.plan.document}), {len(plan.indicators)} "
            f"chỉ tiêu, {len(table)} số liệu, năm {years}"
        )
    return EXIT_OK
