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
