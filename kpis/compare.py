"""Regions side by side: one indicator ranked, a region × target matrix of statuses, totals.

Works on what kpis.progress computes (assessments and the effective series), so every region
is judged exactly as METHOD.md says. Regions are whatever the figures name: an old province
and the new one it was merged into (1 July 2025) are two regions, and nothing is invented to
bridge them; a total adds only the regions that reported the year it is for.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpis.plan import Indicator, Plan

RANK_COLUMNS = ["rank", "region", "status", "latest_year", "latest_value", "progress",
                "projected_value", "goal"]


def summable(indicator: Indicator) -> bool:
    """Whether adding the regions' values up means something: counts and money, yes; shares
    (a `%` unit, or a derived ratio) and milestones (0/1 per region), no."""
    if indicator.kind == "milestone" or indicator.is_percent:
        return False
    # A formula that divides is a ratio (per head, per enterprise): its sum means nothing.
    return not (indicator.is_derived and "/" in (indicator.formula or ""))


def ranking(plan: Plan, indicator_id: str, target_index: int | None,
            assessments: pd.DataFrame, series: pd.DataFrame, as_of: int | None,
            regions: list[str] | None = None) -> pd.DataFrame:
    """Every region for one indicator, best first (RANK_COLUMNS).

    With a target: ranked by progress towards it (METHOD.md's share, which already says which
    way is better), ties sharing a rank; regions without data come last, unranked. Without a
    target (`target_index` None, a tracked indicator): ranked by the latest value up to
    `as_of`, highest first (lowest for a `decrease` indicator), and no status.
    `regions` limits and orders the regions listed (default: every region in the input).
    """
    indicator = plan.indicator(indicator_id)
    if target_index is not None:
        rows = assessments[(assessments["indicator"] == indicator_id)
                           & (assessments["target_index"] == target_index)]
        table = rows[["region", "status", "latest_year", "latest_value", "progress",
                      "projected_value", "goal"]].copy()
        key = "progress"
        ascending = False
    else:
        table = _latest(series, indicator_id, as_of)
        for column in ("status", "progress", "projected_value", "goal"):
            table[column] = None
        key = "latest_value"
        ascending = indicator.direction == "decrease"
    if regions is not None:
        table = table.set_index("region").reindex(regions).rename_axis("region").reset_index()
        if target_index is not None:
            table["status"] = table["status"].fillna("no_data")
    values = pd.to_numeric(table[key], errors="coerce")
    table["rank"] = values.rank(method="min", ascending=ascending).astype("Int64")
    table = table.assign(_missing=values.isna(), _value=values if ascending else -values)
    table = table.sort_values(["_missing", "_value", "region"], kind="stable")
    return table[RANK_COLUMNS].reset_index(drop=True)


def _latest(series: pd.DataFrame, indicator_id: str, as_of: int | None) -> pd.DataFrame:
    """The latest effective value of each region up to `as_of`."""
    rows = series[series["indicator"] == indicator_id]
    if as_of is not None:
        rows = rows[rows["year"] <= as_of]
    latest = rows.sort_values("year").groupby("region", sort=False).tail(1)
    return pd.DataFrame({
        "region": latest["region"].to_numpy(dtype=object),
        "latest_year": latest["year"].to_numpy(),
        "latest_value": latest["value"].to_numpy(dtype=float),
    })


def status_matrix(plan: Plan, assessments: pd.DataFrame,
                  regions: list[str] | None = None) -> pd.DataFrame:
    """Statuses with one row per region and one column per (indicator, target position), in
    plan order; `regions` orders the rows (default: as the assessments list them)."""
    columns = pd.MultiIndex.from_tuples(
        [(indicator.id, position) for indicator, position, _ in plan.targeted()],
        names=["indicator", "target_index"])
    if regions is None:
        regions = list(dict.fromkeys(assessments["region"])) if len(assessments) else []
    if assessments.empty or len(columns) == 0:
        return pd.DataFrame(index=pd.Index(regions, name="region"), columns=columns, dtype=object)
    wide = assessments.pivot(index="region", columns=["indicator", "target_index"],
                             values="status")
    return wide.reindex(index=pd.Index(regions, name="region"), columns=columns)


@dataclass(frozen=True)
class Total:
    """The sum over the regions that reported `year`, and how many did."""

    year: int
    value: float
    regions_counted: int
    regions_total: int


def total(plan: Plan, indicator_id: str, series: pd.DataFrame, year: int | None,
          regions: list[str] | None = None) -> Total | None:
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
    return Total(year=int(year), value=float(rows["value"].sum()),
                 regions_counted=int(rows["region"].nunique()), regions_total=len(every))
