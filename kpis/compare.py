"""Regions side by side: one indicator ranked, a region × target matrix of statuses, totals.

Works on what kpis.progress computes (assessments and the effective series), so every region
is judged exactly as METHOD.md says. Regions are whatever the figures name: an old province
and the new one it was merged into (1 July 2025) are two regions, and nothing is invented to
bridge them; a total adds only the regions that reported the year it is for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpis.i18n import STATUS_STYLES
from kpis.plan import Indicator, Plan
from kpis.progress import Assessment
from kpis.shown import not_applicable
from kpis.ui_text import is_rank, progress_words, t

MATRIX_ROWS = 20  # regions a page of /compare's matrix shows (judged a page at a time)
# At most this many regions, the matrix is read down the targets, a region a column: a
# province's own plan (one region, a dozen targets) was one row a dozen columns wide, most of
# them off a phone's 360 px; three status columns and the targets' names fit beside each other.
REGIONS_AS_COLUMNS = 3

RANK_COLUMNS = [
    "rank",
    "region",
    "status",
    "latest_year",
    "latest_value",
    "progress",
    "projected_value",
    "goal",
    "baseline_year",  # with years_met: what the progress is a share of (progress_cells)
    "years_met",
]


FRAME_COLUMNS = [
    "region",
    "indicator",
    "target_index",
    "status",
    "latest_year",
    "latest_value",
    "progress",
    "projected_value",
    "goal",
    "baseline_year",
    "years_met",
]


def assessment_table(rows: list[Assessment]) -> pd.DataFrame:
    """The assessments as a small table (FRAME_COLUMNS): the fields a comparison needs, read
    by attribute (a national set has tens of thousands of rows; `asdict` would be slow)."""
    return pd.DataFrame.from_records(
        [
            (
                r.region,
                r.indicator,
                r.target_index,
                r.status,
                r.latest_year,
                r.latest_value,
                r.progress,
                r.projected_value,
                r.goal,
                r.baseline_year,
                r.years_met,
            )
            for r in rows
        ],
        columns=FRAME_COLUMNS,
    )


def assessment_frame(columns: Mapping[str, list]) -> pd.DataFrame:
    """`assessment_table` of the columns `kpis.progress.assess_columns` returns (no object per
    row); `{}`: an empty table with the same columns."""
    return pd.DataFrame({name: columns.get(name, []) for name in FRAME_COLUMNS})


def summable(indicator: Indicator) -> bool:
    """Whether adding the regions' values up means something: counts and money, yes; shares
    (a `%` unit, or a derived ratio) and milestones (0/1 per region), no."""
    if indicator.kind == "milestone" or indicator.is_percent or is_rank(indicator):
        return False  # a sum of ranks, shares or 0/1 milestones means nothing
    # A formula that divides is a ratio (per head, per enterprise): its sum means nothing.
    return not (indicator.is_derived and "/" in (indicator.formula or ""))


def ranking(
    plan: Plan,
    indicator_id: str,
    target_index: int | None,
    assessments: pd.DataFrame,
    series: pd.DataFrame,
    as_of: int | None,
    regions: list[str] | None = None,
) -> pd.DataFrame:
    """Every region for one indicator, best first (RANK_COLUMNS).

    With a target: regions that achieved it first, then by progress towards it (METHOD.md's
    share, which already says which way is better), ties sharing a rank; regions without data
    come last, unranked. Without a
    target (`target_index` None, a tracked indicator): ranked by the latest value up to
    `as_of`, highest first (lowest for a `decrease` indicator), and no status.
    `regions` limits and orders the regions listed (default: every region in the input).
    """
    indicator = plan.indicator(indicator_id)
    if target_index is not None:
        rows = assessments[
            (assessments["indicator"] == indicator_id)
            & (assessments["target_index"] == target_index)
        ]
        table = rows[
            [
                "region",
                "status",
                "latest_year",
                "latest_value",
                "progress",
                "projected_value",
                "goal",
                "baseline_year",
                "years_met",
            ]
        ].copy()
        key = "progress"
        ascending = False
    else:
        table = _latest(series, indicator_id, as_of)
        for column in ("status", "progress", "projected_value", "goal", "baseline_year"):
            table[column] = None
        table["years_met"] = [()] * len(table)
        key = "latest_value"
        ascending = indicator.direction == "decrease"
    if regions is not None:
        table = table.set_index("region").reindex(regions).rename_axis("region").reset_index()
        if target_index is not None:
            table["status"] = table["status"].fillna("no_data")
    values = pd.to_numeric(table[key], errors="coerce")
    # An achieved target outranks any progress short of it: from a baseline already beyond
    # the goal, an achieved region can show less "progress" than one still behind.
    behind = (table["status"] != "achieved").to_numpy() if target_index is not None else 0
    table = table.assign(
        _missing=values.isna(), _behind=behind, _value=values if ascending else -values
    )
    table = table.sort_values(["_missing", "_behind", "_value", "region"], kind="stable")
    keys = list(zip(table["_behind"], table["_value"], strict=True))
    ranks: list[int | None] = []
    for i, (missing, key_now) in enumerate(zip(table["_missing"], keys, strict=True)):
        ranks.append(None if missing else ranks[-1] if i and keys[i - 1] == key_now else i + 1)
    table["rank"] = pd.array(ranks, dtype="Int64")
    return table[RANK_COLUMNS].reset_index(drop=True)


def progress_cells(
    plan: Plan, indicator_id: str, target_index: int, ranked: pd.DataFrame, lang: str
) -> list[str]:
    """The ranking's progress column in words, a cell per region (`ranking`'s rows): '300% từ
    năm gốc 2024', '100% từ năm gốc 2024; bằng 80%, chưa vượt', '44% · đạt 4/9 năm', '–'
    without one (kpis.ui_text.progress_words, short): a bare '300%' read as triple the target,
    and a bare '100%' beside «Không đạt» as done. The numbers are METHOD's, as ranked."""
    indicator = plan.indicator(indicator_id)
    target = indicator.targets[target_index - 1]

    def known(value: object) -> object:
        return None if value is None or pd.isna(value) else value

    cells = []
    for region, status, progress, goal, baseline, met in zip(
        ranked["region"],
        ranked["status"],
        ranked["progress"],
        ranked["goal"],
        ranked["baseline_year"],
        ranked["years_met"],
        strict=True,
    ):
        if known(progress) is None:
            cells.append("–")
            continue
        row = Assessment(
            region=region,
            indicator=indicator_id,
            target_index=target_index,
            target_year=target.end_year,
            status=status,
            progress=float(progress),
            goal=None if known(goal) is None else float(goal),
            baseline_year=None if known(baseline) is None else int(baseline),
            years_met=tuple(met) if isinstance(met, (tuple, list)) else (),
        )
        cells.append(progress_words(row, target, indicator, lang, short=True))
    return cells


def _latest(series: pd.DataFrame, indicator_id: str, as_of: int | None) -> pd.DataFrame:
    """The latest effective value of each region up to `as_of`."""
    rows = series[series["indicator"] == indicator_id]
    if as_of is not None:
        rows = rows[rows["year"] <= as_of]
    latest = rows.sort_values("year").groupby("region", sort=False).tail(1)
    return pd.DataFrame(
        {
            "region": latest["region"].to_numpy(dtype=object),
            "latest_year": latest["year"].to_numpy(),
            "latest_value": latest["value"].to_numpy(dtype=float),
        }
    )


def status_matrix(
    plan: Plan,
    assessments: pd.DataFrame | Mapping[str, Sequence],
    regions: list[str] | None = None,
) -> pd.DataFrame:
    """Statuses with one row per region and one column per (indicator, target position), in
    plan order; `regions` orders the rows (default: as the assessments list them). A cell
    without an assessment is NaN. `assessments`: a table (FRAME_COLUMNS) or the columns of
    `kpis.progress.assess_columns`."""
    targeted = [(indicator.id, position) for indicator, position, _ in plan.targeted()]
    columns = pd.MultiIndex.from_tuples(targeted, names=["indicator", "target_index"])
    if regions is None:
        regions = list(dict.fromkeys(assessments["region"]))
    cells = np.full((len(regions), len(targeted)), np.nan, dtype=object)
    # Each assessment put in its place directly: a pivot of a national set's tens of
    # thousands of rows cost more than judging them.
    row = {region: i for i, region in enumerate(regions)}
    column = {key: j for j, key in enumerate(targeted)}
    for region, indicator, position, status in zip(
        *(list(assessments[name]) for name in ("region", "indicator", "target_index", "status")),
        strict=True,
    ):
        i, j = row.get(region), column.get((indicator, position))
        if i is not None and j is not None:
            cells[i, j] = status
    return pd.DataFrame(cells, index=pd.Index(regions, name="region"), columns=columns)


def status_cells(
    plan: Plan, matrix: pd.DataFrame, lang: str, achieved: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The status matrix for people, and the status behind each of its cells (for colour).

    Each cell reads '✔ Đã đạt' (the word always beside the colour), each column
    '<indicator name> · <target year>', the column `achieved` first ('3/12'); the second frame
    has the same shape, with the status id of each cell (None for the count and no status).
    A target that does not apply to a region (`not_applicable`) reads 'Không áp dụng', has no
    colour and is not counted: a merged province reads '0/0' nowhere, 'Không áp dụng' instead.
    """
    if matrix.shape[1] == 0:
        return pd.DataFrame(index=matrix.index), pd.DataFrame(index=matrix.index)
    labels = [
        f"{plan.indicator(ind).text('name', lang)} · {plan.indicator(ind).targets[k - 1].end_year}"
        for ind, k in matrix.columns
    ]
    # Two targets of one indicator due the same year (a growth and a level target for 2030)
    # are told apart by their position: a table cannot have two columns of one name.
    labels = [
        label if labels.count(label) == 1 else f"{label} ({k})"
        for label, (_, k) in zip(labels, matrix.columns, strict=True)
    ]
    statuses = pd.DataFrame(
        matrix.to_numpy(dtype=object), index=matrix.index, columns=labels
    ).where(matrix.notna().to_numpy(), None)
    words = {s: f"{style.icon} {style.word(lang)}" for s, style in STATUS_STYLES.items()}
    cells = statuses.map(lambda s: words.get(s, "–") if isinstance(s, str) else "–")
    targets = [plan.indicator(ind).targets[k - 1] for ind, k in matrix.columns]
    apart = np.array(
        [
            [
                not_applicable(plan, region, target, status)
                for target, status in zip(targets, row, strict=True)
            ]
            for region, row in zip(matrix.index, matrix.to_numpy(dtype=object), strict=True)
        ],
        dtype=bool,
    ).reshape(matrix.shape)
    cells = cells.mask(apart, t("not_applicable", lang))
    statuses = statuses.mask(apart, None)
    count = (matrix == "achieved").sum(axis=1)
    judged = matrix.shape[1] - apart.sum(axis=1)
    cells.insert(
        0,
        achieved,
        [
            f"{n}/{of}" if of else t("not_applicable", lang)
            for n, of in zip(count, judged, strict=True)
        ],
    )
    statuses.insert(0, achieved, None)
    return cells, statuses


def read_down(
    cells: pd.DataFrame, statuses: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """`status_cells`' matrix turned a target a row and a region a column (the achieved count
    its first row) when it has at most `REGIONS_AS_COLUMNS` regions and more targets than
    regions; as it is otherwise. The last item says whether it was turned."""
    regions, targets = len(cells.index), cells.shape[1] - 1
    if regions > REGIONS_AS_COLUMNS or targets <= regions:
        return cells, statuses, False
    return cells.T, statuses.T, True


@dataclass(frozen=True)
class Total:
    """The sum over the regions that reported `year`, and how many did."""

    year: int
    value: float
    regions_counted: int
    regions_total: int


def total(
    plan: Plan,
    indicator_id: str,
    series: pd.DataFrame,
    year: int | None,
    regions: list[str] | None = None,
) -> Total | None:
    """The whole set's total for one year, or None where a sum means nothing (`summable`) or
    no region reported that year. Nothing is filled in for a region that did not report."""
    if year is None or not summable(plan.indicator(indicator_id)):
        return None
    rows = series[(series["indicator"] == indicator_id) & (series["year"] == year)]
    if regions is not None:
        rows = rows[rows["region"].isin(regions)]
    if rows.empty:
        return None
    every = regions if regions is not None else series["region"].unique()
    return Total(
        year=int(year),
        value=float(rows["value"].sum()),
        regions_counted=int(rows["region"].nunique()),
        regions_total=len(every),
    )


def sources_by_region(
    table: pd.DataFrame, indicator_ids: list[str], years: dict[str, int]
) -> dict[str, list[str]]:
    """The sources of the reported figures behind each region's value of `years[region]`
    (the indicator's own figures, or its inputs' for a derived one), distinct, sorted."""
    index = sources_index(table, indicator_ids)
    return {region: index.get((region, year), []) for region, year in years.items()}


def sources_index(table: pd.DataFrame, indicator_ids: list[str]) -> dict[tuple[str, int], list]:
    """{(region, year): the distinct sources of those indicators' figures, sorted}: built once
    per indicator, it answers `sources_by_region` for any year without reading the figures."""
    rows = table[table["indicator"].isin(indicator_ids)]
    found: dict[tuple[str, int], set[str]] = {}
    for region, year, source in zip(
        rows["region"].tolist(), rows["year"].tolist(), rows["source"].tolist(), strict=True
    ):
        if isinstance(source, str) and source:
            found.setdefault((region, int(year)), set()).add(source)
    return {place: sorted(sources) for place, sources in found.items()}
