"""The method of METHOD.md: effective series, baseline, status, progress and projection.

Pure functions over the figures table. The series are built with vectorised pandas; the
judgement of one target works on the handful of yearly points it needs, in plain Python floats,
which is faster than numpy for a dozen values and reads like METHOD.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from kpis.plan import Indicator, Plan, Target

STATUSES = (
    "achieved",
    "on_track",
    "needs_acceleration",
    "off_track",
    "regressing",
    "missed",
    "pending",
    "insufficient_data",
    "no_data",
)
ON_TRACK, NEEDS_ACCELERATION, NOT_REGRESSING = 0.95, 0.5, 0.0
APPROX_TOLERANCE = 0.05
DECIMALS = 9  # METHOD.md: comparisons after rounding both sides, so 19 is 95% of 20
CSV_COLUMNS = [
    "region", "indicator", "target_year", "status",
    "latest_year", "latest_value", "progress", "projected_value",
]
SERIES_COLUMNS = ["indicator", "region", "year", "value"]


# ---------------------------------------------------------------------------------------------
# The series


def effective_series(plan: Plan, figures: pd.DataFrame) -> pd.DataFrame:
    """Effective value per indicator, region and year (METHOD.md "The series").

    stock, flow and milestone as reported; cumulative summed from `cumulative_from`; derived
    indicators evaluated from their inputs' effective values of the same year.
    """
    reported = figures[SERIES_COLUMNS]
    kinds = {ind.id: ind.kind for ind in plan.indicators}
    cumulative_ids = [i for i, kind in kinds.items() if kind == "cumulative"]
    is_cumulative = reported["indicator"].isin(cumulative_ids)
    parts = [reported[~is_cumulative]]
    if is_cumulative.any():
        start = reported["indicator"].map(
            {ind.id: ind.cumulative_from for ind in plan.indicators if ind.kind == "cumulative"})
        counted = reported[is_cumulative & (reported["year"] >= start)].sort_values(
            ["indicator", "region", "year"])
        counted = counted.assign(
            value=counted.groupby(["indicator", "region"], sort=False)["value"].cumsum())
        parts.append(counted)
    series = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    for indicator in _derived_in_order(plan):
        series = pd.concat([series, _derive(indicator, series)], ignore_index=True)
    return series.sort_values(["indicator", "region", "year"], ignore_index=True)


def _derived_in_order(plan: Plan) -> list[Indicator]:
    """Derived indicators, each after the derived indicators it uses (the plan has no cycle)."""
    done: set[str] = set()
    ordered: list[Indicator] = []
    pending = [ind for ind in plan.indicators if ind.is_derived]
    while pending:
        ready = [ind for ind in pending if all(
            n in done or not plan.by_id[n].is_derived for n in ind.parsed_formula.names)]
        ordered += ready
        done |= {ind.id for ind in ready}
        pending = [ind for ind in pending if ind.id not in done]
    return ordered


def _derive(indicator: Indicator, series: pd.DataFrame) -> pd.DataFrame:
    formula = indicator.parsed_formula
    inputs = series[series["indicator"].isin(formula.names)]
    wide = inputs.pivot_table(index=["region", "year"], columns="indicator", values="value",
                              aggfunc="first")
    if wide.empty or any(name not in wide.columns for name in formula.names):
        return pd.DataFrame(columns=SERIES_COLUMNS).astype({"year": "int64", "value": "float64"})
    wide = wide.dropna(subset=list(formula.names))
    values = formula.evaluate({name: wide[name].to_numpy() for name in formula.names})
    derived = pd.DataFrame({
        "indicator": indicator.id,
        "region": wide.index.get_level_values("region"),
        "year": wide.index.get_level_values("year").astype("int64"),
        "value": values,
    })
    return derived[~np.isnan(values)]


class Points(NamedTuple):
    years: list[int]
    values: list[float]


def series_by_key(series: pd.DataFrame) -> dict[tuple[str, str], Points]:
    """{(region, indicator): Points sorted by year}, from one pass over the sorted table."""
    if series.empty:
        return {}
    ordered = series.sort_values(["region", "indicator", "year"], ignore_index=True)
    regions = ordered["region"].to_numpy()
    indicators = ordered["indicator"].to_numpy()
    starts = np.flatnonzero(
        np.r_[True, (regions[1:] != regions[:-1]) | (indicators[1:] != indicators[:-1])])
    ends = np.r_[starts[1:], len(ordered)]
    years = ordered["year"].to_numpy().tolist()
    values = ordered["value"].to_numpy().tolist()
    return {
        (regions[s], indicators[s]): Points(years[s:e], values[s:e])
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
    }


# ---------------------------------------------------------------------------------------------
# One target


@dataclass(frozen=True)
class Assessment:
    """The judgement of one target for one region (a row of `python -m kpis status`)."""

    region: str
    indicator: str
    target_index: int  # 1-based position in the indicator's targets
    target_year: int
    status: str
    latest_year: int | None = None
    latest_value: float | None = None
    progress: float | None = None
    projected_value: float | None = None
    projected_progress: float | None = None
    expected: float | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    goal: float | None = None
    years_met: tuple[int, ...] = ()  # standing targets: the years whose value met the target


def _r(x: float) -> float:
    return round(x, DECIMALS)


def baseline(plan: Plan, indicator: Indicator, region: str,
             points: Points | None) -> tuple[int, float, bool] | None:
    """(B, vB, fixed): from the plan, else (cumulative_from − 1, 0), else the first figure.

    `fixed` says the baseline was not taken from the data, so figures before it are ignored.
    """
    if indicator.baseline is not None and region == plan.plan.region:
        year = indicator.baseline.year or plan.plan.baseline_year
        return year, indicator.baseline.value, True
    if indicator.kind == "cumulative":
        return indicator.cumulative_from - 1, 0.0, True  # type: ignore[operator]
    if points and points.years:
        return points.years[0], points.values[0], False
    return None


def met(target: Target, value: float, goal: float | None = None) -> bool:
    """Whether `value` meets the target (METHOD.md step 3), compared at 9 decimals."""
    tolerance = APPROX_TOLERANCE if target.approx else 0.0
    v = _r(value)
    if target.min_times_baseline is not None:
        return v >= _r(goal)  # type: ignore[arg-type]
    if target.min is not None and target.max is not None:
        return _r(target.min) <= v <= _r(target.max)
    if target.min is not None:
        return v >= _r(target.min * (1 - tolerance))
    return v <= _r(target.max * (1 + tolerance))  # type: ignore[operator]


def goal_for(target: Target, latest: float, base: float) -> float:
    """The value progress is measured towards (METHOD.md step 2)."""
    if target.min_times_baseline is not None:
        return target.min_times_baseline * base
    if target.min is not None and target.max is not None:
        return target.max if _r(latest) > _r(target.max) else target.min
    return target.min if target.min is not None else target.max  # type: ignore[return-value]


def share(target: Target, value: float, goal: float, base: float) -> float:
    """The share of the way from the baseline to the goal (METHOD.md step 4)."""
    between = target.min is not None and target.max is not None
    if between and met(target, value, goal):
        return 1.0
    if _r(goal) == _r(base):
        return 1.0 if met(target, value, goal) else 0.0
    return (value - base) / (goal - base)


def least_squares_at(years: list[int], values: list[float], at: int) -> float:
    """The ordinary least-squares line through the points, evaluated at `at`."""
    n = len(years)
    mean_x = sum(years) / n
    mean_y = sum(values) / n
    sxx = sum((x - mean_x) ** 2 for x in years)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(years, values, strict=True))
    return mean_y + (sxy / sxx) * (at - mean_x)


def assess_target(plan: Plan, indicator: Indicator, target_index: int, region: str,
                  points: Points | None, as_of: int) -> Assessment:
    """METHOD.md for one region, indicator and target, as of year `as_of`."""
    target = indicator.targets[target_index - 1]
    head = {"region": region, "indicator": indicator.id, "target_index": target_index,
            "target_year": target.end_year}
    if target.is_standing:
        return _assess_standing(target, head, points, as_of)
    base = baseline(plan, indicator, region, points)
    head["baseline_year"], head["baseline_value"] = (base[0], base[1]) if base else (None, None)
    end = min(as_of, target.year)  # type: ignore[type-var]
    if points is None or base is None:
        return Assessment(**head, status="no_data")
    b_year, b_value, fixed = base
    used = [(y, v) for y, v in zip(points.years, points.values, strict=True)
            if y <= end and (not fixed or y >= b_year)]
    if not used:
        return Assessment(**head, status="no_data")
    latest_year, latest_value = used[-1]
    goal = goal_for(target, latest_value, b_value)
    progress = share(target, latest_value, goal, b_value)
    fit = [(b_year, b_value)] + [(y, v) for y, v in used if y > b_year]
    projected = projected_progress = None
    if len(fit) >= 2 and target.year > as_of and indicator.kind != "milestone":
        projected = least_squares_at([y for y, _ in fit], [v for _, v in fit], target.year)
        projected_progress = share(target, projected, goal, b_value)
    if met(target, latest_value, goal):
        status = "achieved"
    elif target.year <= as_of:
        status = "missed"
    elif indicator.kind == "milestone":
        status = "pending"
    elif len(fit) < 2:
        status = "insufficient_data"
    else:
        status = _pace(projected_progress)  # type: ignore[arg-type]
    expected = (latest_year - b_year) / (target.year - b_year) if target.year != b_year else None
    return Assessment(
        **head, status=status, latest_year=latest_year, latest_value=latest_value,
        progress=progress, projected_value=projected, projected_progress=projected_progress,
        expected=expected, goal=goal,
    )


def _pace(projected_progress: float) -> str:
    pp = _r(projected_progress)
    if pp >= ON_TRACK:
        return "on_track"
    if pp >= NEEDS_ACCELERATION:
        return "needs_acceleration"
    if pp >= NOT_REGRESSING:
        return "off_track"
    return "regressing"


def _assess_standing(target: Target, head: dict, points: Points | None,
                     as_of: int) -> Assessment:
    end = min(as_of, target.to)  # type: ignore[type-var]
    used = [] if points is None else [
        (y, v) for y, v in zip(points.years, points.values, strict=True)
        if target.from_ <= y <= end]  # type: ignore[operator]
    if not used:
        return Assessment(**head, status="no_data")
    latest_year, latest_value = used[-1]
    years_met = tuple(y for y, v in used if met(target, v))
    if met(target, latest_value):
        status = "achieved"
    elif target.to <= as_of:  # type: ignore[operator]
        status = "missed"
    else:
        status = "off_track"
    return Assessment(
        **head, status=status, latest_year=latest_year, latest_value=latest_value,
        progress=len(years_met) / len(used), years_met=years_met,
    )


# ---------------------------------------------------------------------------------------------
# The whole plan


def default_as_of(figures: pd.DataFrame) -> int | None:
    """The latest year of any figure (METHOD.md: the default as-of year)."""
    return int(figures["year"].max()) if len(figures) else None


def regions_of(plan: Plan, figures: pd.DataFrame) -> list[str]:
    """Every region present in the figures, the plan's own first; the plan's if none."""
    present = set(figures["region"].unique()) if len(figures) else set()
    others = sorted(present - {plan.plan.region})
    return [plan.plan.region, *others] if plan.plan.region in present or not present else others


def assess(plan: Plan, figures: pd.DataFrame, as_of: int | None = None,
           regions: list[str] | None = None,
           series: pd.DataFrame | None = None) -> list[Assessment]:
    """One Assessment per region, indicator and target, in plan order.

    `as_of` defaults to the latest year of any figure; `regions` to every region present.
    `series` may be passed when the caller already computed `effective_series`.
    """
    if as_of is None:
        as_of = default_as_of(figures)
    if regions is None:
        regions = regions_of(plan, figures)
    if series is None:
        series = effective_series(plan, figures)
    by_key = series_by_key(series)
    rows = []
    for region in regions:
        for indicator, position, _ in plan.targeted():
            points = by_key.get((region, indicator.id))
            if as_of is None:  # no figure at all: nothing to judge
                target = indicator.targets[position - 1]
                rows.append(Assessment(region=region, indicator=indicator.id,
                                       target_index=position, target_year=target.end_year,
                                       status="no_data"))
                continue
            rows.append(assess_target(plan, indicator, position, region, points, as_of))
    return rows


def assessments_frame(rows: list[Assessment]) -> pd.DataFrame:
    """The assessments as a table (CSV_COLUMNS first), for pages and exports."""
    frame = pd.DataFrame([asdict(row) for row in rows])
    if frame.empty:
        frame = pd.DataFrame(columns=[*CSV_COLUMNS, "target_index"])
    order = [*CSV_COLUMNS, *[c for c in frame.columns if c not in CSV_COLUMNS]]
    return frame[order]
