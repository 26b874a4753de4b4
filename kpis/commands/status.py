"""One row per region, indicator and target, as METHOD.md defines (CONTRACT.md §3)."""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import unicodedata

from kpis.cli import EXIT_INVALID, EXIT_OK, add_paths, print_problems, year_argument
from kpis.dataset import load_dataset
from kpis.i18n import format_number, format_percent, status_word
from kpis.progress import CSV_COLUMNS, Assessment, assess, regions_of


def configure(parser: argparse.ArgumentParser) -> None:
    add_paths(parser)
    parser.add_argument("--as-of", type=year_argument, metavar="YEAR",
                        help="tính như tại năm này / judge as at this year (latest figure)")
    parser.add_argument("--region", metavar="NAME", help="chỉ địa bàn này / this region only")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.targets, args.data)
    if dataset.errors:
        print_problems(dataset.problems, args.lang, file=sys.stderr)
        return EXIT_INVALID
    print_problems(dataset.problems, args.lang, file=sys.stderr)
    table = dataset.figures.table
    regions = None
    if args.region:
        region = unicodedata.normalize("NFC", args.region.strip())
        known = regions_of(dataset.plan, table)
        if region not in known:
            print(f"warning: no figures for region «{region}» (regions: {', '.join(known)})"
                  if args.lang == "en" else
                  f"cảnh báo: không có số liệu cho địa bàn «{region}» (có: {', '.join(known)})",
                  file=sys.stderr)
        regions = [region]
    rows = assess(dataset.plan, table, as_of=args.as_of, regions=regions)
    {"csv": write_csv, "json": write_json, "table": write_table}[args.format](rows, args.lang)
    return EXIT_OK


def csv_number(value: float | int | None) -> str:
    """Unrounded, shortest round-trip form; whole numbers without '.0'; empty when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def write_csv(rows: list[Assessment], lang: str) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([
            row.region, row.indicator, row.target_year, row.status,
            csv_number(row.latest_year), csv_number(row.latest_value),
            csv_number(row.progress), csv_number(row.projected_value),
        ])


def write_json(rows: list[Assessment], lang: str) -> None:
    def clean(value):
        return None if isinstance(value, float) and math.isnan(value) else value

    records = [
        {**{column: clean(getattr(row, column)) for column in CSV_COLUMNS},
         "target_index": row.target_index, "expected": row.expected,
         "projected_progress": row.projected_progress}
        for row in rows
    ]
    json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def write_table(rows: list[Assessment], lang: str) -> None:
    header = (["Region", "Indicator", "Target year", "Status", "Latest", "Value", "Progress",
               "Projected"] if lang == "en" else
              ["Địa bàn", "Chỉ tiêu", "Năm MT", "Trạng thái", "Năm", "Giá trị", "Tiến độ",
               "Dự báo"])
    body = [
        [row.region, row.indicator, str(row.target_year), status_word(row.status, lang),
         str(row.latest_year or "–"), format_number(row.latest_value, lang),
         format_percent(row.progress, lang), format_number(row.projected_value, lang)]
        for row in rows
    ]
    columns = list(zip(header, *body, strict=True))
    widths = [max(map(len, column)) for column in columns]
    # One padded column at a time and one write: a national run prints tens of thousands of rows.
    padded = [[cell.ljust(width) for cell in column]
              for column, width in zip(columns, widths, strict=True)]
    dashes = ["-" * width for width in widths]
    lines = ["  ".join(cells).rstrip() for cells in zip(*padded, strict=True)]
    sys.stdout.write("\n".join([lines[0], "  ".join(dashes).rstrip(), *lines[1:]]) + "\n")
