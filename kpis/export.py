"""What every export presents: one plan, one region, one as-of year, judged once.

`prepare` computes the series and assessments the deck, the PNG charts, the Excel scorecard
and `/present` all show, so they cannot disagree; `write_atomically` is how the commands write
their files (a failed run leaves no half-written file behind).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kpis.errors import OutputNotAFile
from kpis.plan import Indicator, Plan
from kpis.progress import Assessment, assess, default_as_of, effective_series, regions_of
from kpis.ui_text import figures_behind, indicator_source_line, is_illustrative


@dataclass
class Report:
    """The facts of one export: plan, region, as-of year, series and assessments."""

    plan: Plan
    figures: pd.DataFrame  # kpis.figures table, every region
    series: pd.DataFrame  # effective series of `region` only
    assessments: list[Assessment]  # of `region`, plan order
    region: str
    as_of: int | None
    lang: str
    made: dt.date
    # Issue 16: the plan's tasks as of `tasks_date` (kpis.tasks.task_table); None when the
    # export was asked without task progress (the plan lists none, or it was not read).
    tasks: pd.DataFrame | None = None
    tasks_date: dt.date | None = None
    _by_indicator: dict[str, list[Assessment]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for row in self.assessments:
            self._by_indicator.setdefault(row.indicator, []).append(row)

    def rows_of(self, indicator_id: str) -> list[Assessment]:
        return self._by_indicator.get(indicator_id, [])

    def points(self, indicator_id: str) -> pd.DataFrame:
        """The indicator's effective series for the region up to the as-of year: year, value
        (and whether it rests on an estimate)."""
        rows = self.series[self.series["indicator"] == indicator_id]
        if self.as_of is not None:
            rows = rows[rows["year"] <= self.as_of]
        columns = ["year", "value"] + (["estimate"] if "estimate" in rows else [])
        return rows[columns].reset_index(drop=True)

    def source_rows(self, indicator: Indicator) -> pd.DataFrame:
        """The reported figures behind an indicator (its inputs' for a derived one)."""
        return figures_behind(self.plan, indicator, self.figures, self.region, self.as_of)

    def source_line(self, indicator: Indicator) -> str:
        """Each source with its years, e.g. 'Báo cáo 12/BC-SKHCN (2020)'; '' without figures."""
        return indicator_source_line(
            self.plan, indicator, self.figures, self.region, self.as_of, self.lang
        )

    def is_illustrative(self, indicator: Indicator | None = None) -> bool:
        """Whether any figure shown (of `indicator`, or of the whole report) is sample data."""
        if indicator is not None:
            sources = self.source_rows(indicator)["source"]
        else:
            table = self.figures
            rows = table[table["region"] == self.region]
            sources = rows[rows["year"] <= self.as_of]["source"] if self.as_of else rows["source"]
        return any(is_illustrative(source) for source in sources.unique())

    def ordered_indicators(self) -> list[Indicator]:
        """The plan's indicators in its grouping: groups as first used, plan order within."""
        return [
            ind
            for group in self.plan.groups
            for ind in self.plan.indicators
            if (ind.group or "") == group
        ]


def prepare(
    plan: Plan,
    figures: pd.DataFrame,
    *,
    as_of: int | None = None,
    region: str | None = None,
    lang: str = "vi",
    made: dt.date | None = None,
    tasks: pd.DataFrame | None = None,
    tasks_date: dt.date | None = None,
) -> Report:
    """Judge the plan once for one region (default: the plan's own, else the first present)."""
    if region is None:
        region = regions_of(plan, figures)[0]
    region = unicodedata.normalize("NFC", region.strip())
    if as_of is None:
        as_of = default_as_of(figures)
    series = effective_series(plan, figures)
    series = series[series["region"] == region].reset_index(drop=True)
    rows = assess(plan, figures, as_of=as_of, regions=[region], series=series)
    return Report(
        plan=plan,
        figures=figures,
        series=series,
        assessments=rows,
        region=region,
        as_of=as_of,
        lang=lang,
        made=made or dt.date.today(),
        tasks=tasks if tasks is not None and len(tasks) else None,
        tasks_date=tasks_date,
    )


def check_output(path: str | Path) -> None:
    """Raise OutputNotAFile unless `path` is free or a regular file (not followed if a link).

    The rename in `write_atomically` replaces whatever the name holds: run as root,
    `--out /dev/full` replaced the device with a file (security review, finding 6)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        kind = ("một thư mục", "a folder")
    elif stat.S_ISLNK(mode):
        kind = ("một liên kết tượng trưng (symlink)", "a symbolic link")
    elif stat.S_ISFIFO(mode):
        kind = ("một đường ống (pipe)", "a pipe")
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = ("một thiết bị", "a device")
    else:
        kind = ("một socket", "a socket")
    raise OutputNotAFile(str(path), *kind)


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write beside `path`, then rename over it: readers never see half a file. Only a new
    name or a regular file is written (`check_output`)."""
    path = Path(path)
    check_output(path)
    # A fresh, unguessable name opened with O_EXCL: a fixed `.NAME.partial` in a shared folder
    # such as /tmp could be planted beforehand as a symbolic link to another user's file.
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # mkstemp makes the file 0600; an export is shared as any new file is (the umask).
        os.chmod(partial, 0o666 & ~_umask())
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)


def _umask() -> int:
    # Read only by setting it: the commands call this from their one thread.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
