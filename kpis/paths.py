"""Where the plan and the figures are: one place, overridable by environment variables.

`KPI_TARGETS` and `KPI_DATA` override the defaults (`targets.yaml`, `data/` in the working
directory); command-line options override both (CONTRACT.md §3). `KPI_PLANS` names the folder
of further plans (default `plans/`), see kpis/catalogue.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kpis.errors import DatabaseSettingInvalid

DEFAULT_TARGETS = "targets.yaml"
DEFAULT_DATA = "data"
DEFAULT_PLANS = "plans"


def targets_path(option: str | Path | None = None) -> Path:
    return Path(option or os.environ.get("KPI_TARGETS") or DEFAULT_TARGETS)


def data_path(option: str | Path | None = None) -> Path:
    return Path(option or os.environ.get("KPI_DATA") or DEFAULT_DATA)


def plans_path(option: str | Path | None = None) -> Path:
    return Path(option or os.environ.get("KPI_PLANS") or DEFAULT_PLANS)


DATABASE_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(location: str | Path | None) -> bool:
    return isinstance(location, str) and location.startswith(DATABASE_SCHEMES)


def database_url() -> str | None:
    """`KPI_DATABASE_URL`, else `[database] url` in the secrets file (kpis.auth.secrets_path),
    as a `postgresql://` URL (libpq's `host=… dbname=…` form is turned into one); None: the
    figures are in the data folder. A value that is set but is not a database, or a secrets
    file with a `[database]` section it cannot parse, raises `DatabaseSettingInvalid`."""
    url = os.environ.get("KPI_DATABASE_URL", "").strip()
    if url:
        return database_target(url, "KPI_DATABASE_URL")
    import tomllib

    from kpis.auth import secrets_path

    path = Path(secrets_path())
    where = f"[database] url ({path.name})"  # the file's name: pages never show server paths
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeError):
        return None  # no secrets file, or one kpis.auth reports as unreadable
    try:
        secrets = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        if re.search(r"^\s*\[\s*database\s*\]", text, flags=re.M):
            raise DatabaseSettingInvalid(where) from None
        return None  # no database meant: kpis.auth reports the file as unreadable
    if "database" not in secrets:
        return None
    database = secrets["database"]
    url = database.get("url") if isinstance(database, dict) else None
    if not isinstance(url, str) or not url.strip():
        raise DatabaseSettingInvalid(where)
    return database_target(url.strip(), where)


def database_target(value: str, where: str) -> str:
    """`value` as a `postgresql://` URL, or `DatabaseSettingInvalid` naming `where`."""
    if is_database_url(value):
        return value
    if "=" in value and "://" not in value:  # libpq's keywords: host=… port=… dbname=…
        from urllib.parse import quote, urlencode

        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        try:
            params = conninfo_to_dict(value)
        except psycopg.Error:
            raise DatabaseSettingInvalid(where) from None
        # The same parameters as a URL's query: every place that asks "a database?" sees one.
        return "postgresql://?" + urlencode(params, quote_via=quote)
    raise DatabaseSettingInvalid(where)


def data_location(option: str | Path | None = None) -> str | Path:
    """Where the figures are: `--data` (a folder, a file or a database URL), else the database
    of `database_url()`, else `KPI_DATA`, else `data/`."""
    if option:
        if "://" in str(option) and not is_database_url(str(option)):
            raise DatabaseSettingInvalid("--data")  # a misspelt scheme, not a folder
        return str(option) if is_database_url(str(option)) else Path(option)
    return database_url() or data_path()
