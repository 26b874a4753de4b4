"""Where the plan and the figures are: one place, overridable by environment variables.

`KPI_TARGETS` and `KPI_DATA` override the defaults (`targets.yaml`, `data/` in the working
directory); command-line options override both (CONTRACT.md §3). `KPI_PLANS` names the folder
of further plans (default `plans/`), see kpis/catalogue.py.
"""

from __future__ import annotations

import os
from pathlib import Path

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
    """`KPI_DATABASE_URL`, else `[database] url` in the secrets file (kpis.auth.secrets_path);
    None: the figures are in the data folder."""
    url = os.environ.get("KPI_DATABASE_URL", "").strip()
    if url:
        return url
    import tomllib

    from kpis.auth import secrets_path

    try:
        with open(secrets_path(), "rb") as handle:
            secrets = tomllib.load(handle)
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return None  # no secrets file, or one kpis.auth reports as unreadable
    database = secrets.get("database")
    url = database.get("url") if isinstance(database, dict) else None
    return url.strip() if isinstance(url, str) and url.strip() else None


def data_location(option: str | Path | None = None) -> str | Path:
    """Where the figures are: `--data` (a folder, a file or a database URL), else the database
    of `database_url()`, else `KPI_DATA`, else `data/`."""
    if option:
        return str(option) if is_database_url(str(option)) else Path(option)
    return database_url() or data_path()
