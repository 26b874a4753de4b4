"""What /data's edit grid means: its rows, their numbers, what a row added or changed says.

The grid is a figures file typed in a table: one row a figure of the year being edited,
numbered from 1 as the problems name them (`line`). It goes through the one reader like any
uploaded file (`table_bytes`); a row ticked «Xoá» is a removal (`removals`), since a file
cannot say "delete". Rows may be added (another region, an indicator the table left out); a
row that was there keeps its indicator and region (`moved_rows`: changing them would leave
the old figure standing and add a new one, so it is refused with a hint to add a row).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re

import numpy as np
import pandas as pd

from kpis.errors import Problem
from kpis.i18n import plain_number
from kpis.plan import Plan
from kpis.store import ESTIMATE_MARK

GRID_COLUMNS = [
    "indicator",
    "name",
    "unit",
    "region",
    "last_year",
    "value",
    "delete",
    "estimate",
    "source",
    "note",
]
# What a person types; the other columns are shown for reading.
TYPED = ("value", "delete", "estimate", "source", "note")


def numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its rows numbered 1, 2, … (a range index: rows added in the grid continue
    it, so the number shown is the line a problem names)."""
    frame = frame.reset_index(drop=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def editor_rows(
    plan: Plan,
    table: pd.DataFrame,
    year: int,
    names: dict[str, str],
    units: dict[str, str],
    lang: str,
) -> pd.DataFrame:
    """The year's saved figures, and an empty row for each indicator without one."""
    saved = table[table["year"] == year]
    rows = [
        {
            "indicator": r.indicator,
            "region": r.region,
            "value": plain_number(r.value, lang),
            "source": r.source,
            "note": r.note,
            "estimate": bool(r.estimate),
        }
        for r in saved.itertuples(index=False)
    ]
    have = {(r["indicator"], r["region"]) for r in rows}
    for indicator in plan.indicators:
        if not indicator.is_derived and (indicator.id, plan.plan.region) not in have:
            rows.append(
                {
                    "indicator": indicator.id,
                    "region": plan.plan.region,
                    "value": "",
                    "source": "",
                    "note": "",
                    "estimate": False,
                }
            )
    order = {i.id: n for n, i in enumerate(plan.indicators)}
    frame = pd.DataFrame(
        rows, columns=["indicator", "region", "value", "source", "note", "estimate"]
    )
    frame = frame.sort_values(
        ["indicator", "region"],
        key=lambda s: s.map(order) if s.name == "indicator" else s,
        kind="stable",
    )
    # Last year's figure beside the box to fill: a slip of a digit stands out.
    last = table[table["year"] == year - 1].set_index(["indicator", "region"])["value"]
    frame["last_year"] = [
        # The same convention as the value column beside it (never `76.500` beside
        # `81234,5`): what is shown here can be typed there and reads back the same.
        plain_number(last.get((i, r)), lang) if (i, r) in last.index else ""
        for i, r in zip(frame["indicator"], frame["region"], strict=True)
    ]
    frame["delete"] = False
    frame["name"] = frame["indicator"].map(names)
    frame["unit"] = frame["indicator"].map(units)
    return numbered(frame[GRID_COLUMNS])


def restored(draft: pd.DataFrame, names: dict[str, str], units: dict[str, str]) -> pd.DataFrame:
    """An edited grid kept while the editor was elsewhere, as the base of a fresh grid: rows
    numbered again, names and units filled in for rows that were added."""
    frame = draft[GRID_COLUMNS].copy()
    frame["name"] = frame["indicator"].map(lambda i: names.get(i, "") if isinstance(i, str) else "")
    frame["unit"] = frame["indicator"].map(lambda i: units.get(i, "") if isinstance(i, str) else "")
    for column in ("delete", "estimate"):
        frame[column] = [_ticked(v) for v in frame[column]]
    for column in ("indicator", "region", "last_year", "value", "source", "note"):
        frame[column] = [_cell(v) for v in frame[column]]
    return numbered(frame)


def table_bytes(frame: pd.DataFrame, year: int) -> bytes:
    """The edited table as CSV, to go through the one reader like any uploaded file; a row
    ticked for deletion goes in with no value (CSV cannot say "delete"; see `removals`).
    Line N + 1 of the CSV is row N of the grid."""
    out = io.StringIO()
    # Every cell quoted: a carriage return pasted into a cell stays in its cell.
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["indicator", "region", "year", "value", "source", "note", "estimate"])
    for row in frame.itertuples(index=False):
        value = "" if _ticked(row.delete) else _cell(row.value)
        writer.writerow(
            [
                _cell(row.indicator),
                _cell(row.region),
                year,
                value,
                _cell(row.source),
                _cell(row.note),
                ESTIMATE_MARK if _ticked(row.estimate) else "",
            ]
        )
    return out.getvalue().encode("utf-8")


def as_grid_rows(problems: list[Problem], name: str) -> list[Problem]:
    """The reader's problems of `table_bytes`' CSV (named `name`) as the grid's rows: line N
    of the CSV is row N - 1, both in each problem's place and in a place its message names
    (a row added twice: «đã có ở bảng năm 2024:13», the CSV's line 13, is the grid's row 12,
    the row it repeats; unchanged, the message named the added row 13 itself)."""
    place = re.compile(rf"{re.escape(name)}:(\d+)")

    def rows_in(text: str) -> str:
        return place.sub(lambda m: f"{name}:{max(1, int(m.group(1)) - 1)}", text)

    return [
        dataclasses.replace(
            p,
            line=p.line - 1 if p.line and p.line > 1 else p.line,
            message_vi=rows_in(p.message_vi),
            message_en=rows_in(p.message_en),
        )
        for p in problems
    ]


def removals(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows ticked for deletion, with their row number in the grid (the problems' line)."""
    ticked = np.array([_ticked(v) for v in frame["delete"]], dtype=bool)
    return pd.DataFrame(
        {
            "indicator": frame["indicator"].to_numpy()[ticked],
            "region": frame["region"].to_numpy()[ticked],
            "year": year,
            "line": (np.flatnonzero(ticked) + 1).astype("int64"),
        }
    )


def moved_rows(base: pd.DataFrame, edited: pd.DataFrame, where: str) -> list[Problem]:
    """An error for each row that was in the grid and had its indicator or region changed."""
    problems = []
    for line in range(1, min(len(base), len(edited)) + 1):
        was, now = base.iloc[line - 1], edited.iloc[line - 1]
        for column, vi, en in (
            ("indicator", "mã chỉ tiêu", "the indicator"),
            ("region", "địa bàn", "the region"),
        ):
            if _cell(now[column]) != _cell(was[column]):
                problems.append(
                    Problem(
                        where,
                        f"không sửa được {vi} của một dòng đã có (đang là «{_cell(was[column])}»):"
                        " muốn nhập cho chỉ tiêu hay địa bàn khác, hãy thêm một dòng mới ở cuối "
                        "bảng",
                        f"{en} of a row already in the table cannot be changed (it is "
                        f"«{_cell(was[column])}»): to enter a figure for another indicator or "
                        "region, add a row at the end of the table",
                        line=line,
                        column=column,
                    )
                )
    return problems


def pending(base: pd.DataFrame, edited: pd.DataFrame) -> list[int]:
    """The rows (numbers) the editor has changed or added with something typed in them."""
    changed = []
    for line in range(1, len(edited) + 1):
        now = edited.iloc[line - 1]
        if line > len(base):
            typed = [now.get(c) for c in ("indicator", "region", *TYPED)]
            if any(_ticked(v) if isinstance(v, bool | np.bool_) else _cell(v) for v in typed):
                changed.append(line)
            continue
        was = base.iloc[line - 1]
        for column in ("indicator", "region", *TYPED):
            if column in ("delete", "estimate"):
                differs = _ticked(now[column]) != _ticked(was[column])
            else:
                differs = _cell(now[column]).strip() != _cell(was[column]).strip()
            if differs:
                changed.append(line)
                break
    return changed


def _ticked(value: object) -> bool:
    """A checkbox cell: ticked, or empty/unticked (a row added in the grid starts empty)."""
    return value is not None and not pd.isna(value) and bool(value)


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
