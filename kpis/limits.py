"""Hard limits on what the readers accept (figures files, plans, formulas): one place, overridable.

Every input reaches the server from people who may be careless or hostile, so each reader checks
its input against these numbers before anything large is allocated (kpis.guard for figures
files, kpis.yaml_lines for plans, kpis.formula for formulas). The defaults leave room for a
national data set (a million figures over a few dozen files); an operator raises one with an
environment variable (`KPI_MAX_ROWS=3000000`), the command line with `--limit rows=3000000`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

ENV_PREFIX = "KPI_MAX_"


@dataclass(frozen=True)
class Limits:
    """The largest input each reader accepts (see docs/deployment.md)."""

    file_mb: float = 100.0  # one figures file (CSV or .xlsx) as stored or sent
    rows: int = 1_000_000  # data rows of one figures file
    columns: int = 100  # columns of one figures file
    cell_chars: int = 5_000  # characters of one cell (a long source or note fits easily)
    xlsx_mb: float = 200.0  # an .xlsx file's parts once unzipped (a zip bomb is refused)
    # An .xlsx costs far more to read than a CSV of the same rows (openpyxl builds an object per
    # cell, ~25 µs each), and its zip lets a 0.5 MB upload carry 900,000 rows (security review,
    # finding 3: two minutes and 700 MB): its own, lower bounds. A CSV keeps `rows`.
    # Both hold for the sheet that is read (the first; a reference sheet beside it is not read).
    xlsx_rows: int = 100_000  # rows of the .xlsx sheet read (a 100-indicator plan: ~10,000)
    xlsx_cells: int = 1_000_000  # rows × columns that sheet spans (~25 s to read at most)
    plan_kb: int = 2_048  # one plan file (a national plan of a hundred indicators is ~100 kB)
    yaml_depth: int = 40  # nesting of a plan (the contract needs 5)
    yaml_nodes: int = 200_000  # values of a plan, each alias counted as what it stands for
    formula_chars: int = 2_000  # one formula
    formula_depth: int = 100  # nesting of one formula (a sum of n terms is n deep)

    @property
    def file_bytes(self) -> int:
        return int(self.file_mb * 1024 * 1024)

    @property
    def xlsx_bytes(self) -> int:
        return int(self.xlsx_mb * 1024 * 1024)


NAMES = tuple(f.name for f in fields(Limits))


def active() -> Limits:
    """The defaults, with every `KPI_MAX_<NAME>` set in the environment applied (read on each
    call, so the command line's `--limit` and a test's monkeypatch are seen)."""
    limits = Limits()
    for name in NAMES:
        text = os.environ.get(ENV_PREFIX + name.upper())
        if text:
            limits = replace(limits, **{name: _number(name, text)})
    return limits


def _number(name: str, text: str) -> int | float:
    kind = type(getattr(Limits(), name))
    try:
        value = kind(text.strip())
    except ValueError:
        raise ValueError(
            f"{ENV_PREFIX}{name.upper()}={text!r} không phải một số / is not a number"
        ) from None
    if not value > 0:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={text!r} phải lớn hơn 0 / must be above 0")
    return value


def parse_override(text: str) -> tuple[str, str]:
    """`--limit rows=3000000` -> ("KPI_MAX_ROWS", "3000000"); ValueError naming the choices."""
    name, sep, value = text.partition("=")
    name = name.strip().lower().replace("-", "_")
    if not sep or name not in NAMES:
        raise ValueError(
            "cần TÊN=SỐ, TÊN là một trong / expected NAME=NUMBER with NAME one of: "
            + ", ".join(NAMES)
        )
    _number(name, value)
    return ENV_PREFIX + name.upper(), value.strip()
