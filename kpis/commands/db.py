"""The PostgreSQL store: `db upgrade` (schema), `db load DIR` (a data folder in), `db dump DIR` (out)."""

from __future__ import annotations

import argparse
import sys

from kpis.cli import EXIT_OK, EXIT_USAGE, add_user

SUMMARY = (
    "Kho PostgreSQL: `db upgrade` (lược đồ), `db load DIR` (nạp một thư mục số liệu), `db dump "
    "DIR` (xuất ra) / "
    "The PostgreSQL store: `db upgrade` (schema), `db load DIR` (a data folder in), `db dump "
    "DIR` (out)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        choices=("upgrade", "load", "dump"),
        help="upgrade: áp dụng các phiên bản lược đồ / apply the schema versions; "
        "load DIR: nạp thư mục số liệu vào cơ sở dữ liệu trống / move a data folder into an "
        "empty database; dump DIR: ghi số liệu ra CSV chuẩn / write the figures as canonical CSV",
    )
    parser.add_argument("folder", metavar="DIR", nargs="?", help="thư mục / folder (load, dump)")
    parser.add_argument(
        "--url",
        metavar="URL",
        help="postgresql://… (mặc định / default: KPI_DATABASE_URL, [database] url in secrets)",
    )
    add_user(parser)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kpis import pgstore
    from kpis.commands.import_ import default_user
    from kpis.errors import InputNotFound, OutputFolderUnwritable
    from kpis.paths import database_target, database_url, is_database_url

    en = args.lang == "en"
    # --url as KPI_DATABASE_URL is read: libpq's keyword form too; a misspelt one refused.
    url = database_target(args.url, "--url") if args.url else database_url()
    if not url or not is_database_url(url):
        print(
            "no database: set KPI_DATABASE_URL=postgresql://… or give --url"
            if en
            else "chưa có cơ sở dữ liệu: đặt KPI_DATABASE_URL=postgresql://… hoặc dùng --url",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.action != "upgrade" and not args.folder:
        print(
            f"db {args.action} needs a folder: python -m kpis db {args.action} DIR"
            if en
            else f"db {args.action} cần một thư mục: python -m kpis db {args.action} DIR",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.action == "upgrade":
        applied = pgstore.upgrade(url)
        where = pgstore.shown_target(url)
        if en:
            print(f"{where}: applied {', '.join(applied)}" if applied else f"{where}: up to date")
        else:
            print(
                f"{where}: đã áp dụng {', '.join(applied)}" if applied else f"{where}: đã mới nhất"
            )
        return EXIT_OK
    store = pgstore.PostgresStore(url)
    store.require()
    folder = Path(args.folder)
    if args.action == "load":
        if not folder.is_dir():
            raise InputNotFound(str(folder), "thư mục số liệu", "data folder")
        count = store.load(folder, default_user(args.user))
        print(f"loaded {count} files" if en else f"đã nạp {count} tệp")
        return EXIT_OK
    try:
        names = store.dump(folder)
    except OSError as exc:  # the database is only read: what failed is the folder
        raise OutputFolderUnwritable(str(folder), exc) from None
    print(
        f"wrote {len(names)} files to {folder}" if en else f"đã ghi {len(names)} tệp vào {folder}"
    )
    return EXIT_OK
