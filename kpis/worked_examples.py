"""Worked examples of the version 2 target forms ("trên", growth, period average) on the
figures the dashboard holds, for the /method page. Pure: the page only writes them out.

Where the plan states such a target, its own target is the example; where it does not (no
shipped source states a growth or period-average target), the example puts a target marked
as assumed on the plan's real figures, so the arithmetic is always the dashboard's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpis.plan import Indicator, Plan, Target
from kpis.progress import Assessment, Points, assess_target

GROWTH_RATE = 7  # "tăng bình quân 7%/năm": a rate 2025 plans often ask for


@dataclass(frozen=True)
class Example:
    """One form worked through: the indicator, the target, the judgement and the figures."""

    form: str  # "exclusive", "growth" or "period_average"
    indicator: Indicator
    target: Target
    row: Assessment
    points: tuple[tuple[int, float], ...]  # (year, value) the judgement counted
    stated: bool  # True: the plan's own target; False: an assumed target on its figures


def _judge(
    plan: Plan, indicator: Indicator, target: Target, region: str, points: Points, as_of: int
) -> Assessment:
    alone = indicator.model_copy(update={"targets": [target]})
    return assess_target(plan, alone, 1, region, points, as_of)


def _usable(indicator: Indicator) -> bool:
    low = indicator.value_range[0] if indicator.value_range else None
    ranked = indicator.direction == "decrease" and low == 1
    return indicator.kind in ("stock", "flow") and not ranked


def exclusive_example(
    plan: Plan, series: dict[tuple[str, str], Points], region: str, as_of: int
) -> Example | None:
    """The plan's own "trên"/"dưới" target with a figure; else a dated `min` target read as
    "trên" (the same figures, judged strictly), preferring one whose latest value is the bound."""
    own, assumed = [], []
    for indicator, _, target in plan.targeted():
        points = series.get((region, indicator.id))
        if points is None or target.year is None or indicator.kind == "milestone":
            continue
        if target.exclusive:
            own.append((indicator, target, points))
        elif target.form == "min" and not target.approx:
            strict = target.model_copy(update={"exclusive": True})
            assumed.append((indicator, strict, points))
    for stated, found in ((True, own), (False, assumed)):
        judged = []
        for indicator, target, points in found:
            row = _judge(plan, indicator, target, region, points, as_of)
            if row.latest_value is not None:
                judged.append((row.latest_value != target.min, indicator, target, points, row))
        if judged:
            _, indicator, target, points, row = min(judged, key=lambda item: item[0])
            return Example("exclusive", indicator, target, row, _until(points, as_of), stated)
    return None


def growth_example(
    plan: Plan, series: dict[tuple[str, str], Points], region: str, as_of: int
) -> Example | None:
    """The plan's own growth target; else "tăng bình quân 7%/năm" assumed on the first count
    or amount (amounts first) with two positive yearly values, from its first year to two years on."""
    for indicator, _, target in plan.targeted():
        points = series.get((region, indicator.id))
        if target.is_growth and points is not None:
            row = _judge(plan, indicator, target, region, points, as_of)
            return Example("growth", indicator, target, row, _until(points, as_of), True)
    # amounts before counts: "7% a year" reads naturally of money, less so of 3 organisations
    for indicator in sorted(plan.indicators, key=lambda ind: ind.integer):
        points = series.get((region, indicator.id))
        if points is None or not _usable(indicator) or indicator.is_percent:
            continue
        kept = [(y, v) for y, v in _until(points, as_of) if y >= plan.plan.baseline_year]
        if len(kept) < 2 or any(v <= 0 for _, v in kept):
            continue
        target = Target.model_validate(
            {"from": kept[0][0], "to": kept[-1][0] + 2, "min_growth": GROWTH_RATE}
        )
        row = _judge(plan, indicator, target, region, points, as_of)
        return Example("growth", indicator, target, row, tuple(kept), False)
    return None


def period_average_example(
    plan: Plan, series: dict[tuple[str, str], Points], region: str, as_of: int
) -> Example | None:
    """The plan's own period-average target; else "bình quân giai đoạn" assumed on the first
    percentage with two yearly values, over its first five years, at the plan's own bound
    for it where there is one (the latest value otherwise)."""
    for indicator, _, target in plan.targeted():
        points = series.get((region, indicator.id))
        if target.is_period_average and points is not None:
            row = _judge(plan, indicator, target, region, points, as_of)
            return Example("period_average", indicator, target, row, _until(points, as_of), True)
    for indicator in plan.indicators:
        points = series.get((region, indicator.id))
        if points is None or not _usable(indicator) or not indicator.is_percent:
            continue
        kept = [(y, v) for y, v in _until(points, as_of) if y >= plan.plan.baseline_year]
        if len(kept) < 2:
            continue
        bounds = [t.min for t in indicator.targets if t.min is not None]
        bound = bounds[0] if bounds else round(kept[-1][1], 1)
        start = kept[0][0]
        target = Target.model_validate({"from": start, "to": start + 4, "mean_min": bound})
        row = _judge(plan, indicator, target, region, points, as_of)
        counted = tuple((y, v) for y, v in kept if y <= start + 4)
        return Example("period_average", indicator, target, row, counted, False)
    return None


def _until(points: Points, as_of: int) -> tuple[tuple[int, float], ...]:
    return tuple(
        (int(y), float(v)) for y, v in zip(points.years, points.values, strict=True) if y <= as_of
    )


def worked_examples(
    plan: Plan, series: dict[tuple[str, str], Points], region: str, as_of: int
) -> list[Example]:
    """One example of each version 2 form that the plan's figures allow, in that order."""
    found = (
        exclusive_example(plan, series, region, as_of),
        growth_example(plan, series, region, as_of),
        period_average_example(plan, series, region, as_of),
    )
    return [example for example in found if example is not None]
