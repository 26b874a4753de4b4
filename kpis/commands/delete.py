"""Delete a saved figure entered by mistake: back up, rewrite its file, audit (undo restores)."""

from __future__ import annotations

import argparse

from kpis.cli import add_paths, add_secrets, add_user, year_argument
from kpis.commands.import_ import add_accept_warnings, write

SUMMARY = (
    "Xóa một số liệu đã lưu nhầm: sao lưu, ghi lại tệp của nó, ghi nhật ký (hoàn tác sẽ khôi "
    "phục) / "
    "Delete a saved figure entered by mistake: back up, rewrite its file, audit (undo restores)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("indicator", metavar="INDICATOR", help="mã chỉ tiêu / indicator id")
    parser.add_argument("year", metavar="YEAR", type=year_argument, help="năm / year")
    parser.add_argument(
        "--region", metavar="NAME", help="địa bàn (mặc định: của kế hoạch) / region (the plan's)"
    )
    add_paths(parser)
    add_user(parser)
    add_secrets(parser)
    add_accept_warnings(parser)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from kpis.catalogue import sibling_ids
    from kpis.figures import empty_table
    from kpis.paths import targets_path
    from kpis.plan import load_plan
    from kpis.store import open_store

    figures_store = open_store(args.data)
    figures_store.require()
    targets = targets_path(args.targets)
    plan, plan_warnings = load_plan(targets)
    region = (args.region or "").strip() or plan.plan.region
    removal = pd.DataFrame({"indicator": [args.indicator], "region": [region], "year": [args.year]})
    return write(
        args,
        plan,
        plan_warnings,
        figures_store,
        empty_table(),
        [],
        sibling_ids(targets),
        action="delete",
        removals=removal,
        removals_from="python -m kpis delete",
    )
