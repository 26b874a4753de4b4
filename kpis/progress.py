"""The method of METHOD.md: effective series, baseline, status, progress and projection.

Pure functions over the figures table. `assess_target` judges one target for one region in
plain Python and reads like METHOD.md; `assess` judges every region and target at once with
numpy (a national data set has tens of thousands of cells) and gives the same results, field
by field (tests/test_progress_cells.py holds them to it).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import asdict, dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from kpis import cores
from kpis.cores import two_at_a_time
from kpis.errors import Problem
from kpis.plan import Indicator, Plan, Target
from kpis.row_keys import figure_key

if TYPE_CHECKING:
    from kpis.figures import Factorized, Keys

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
    "region",
    "indicator",
    "target_year",
    "status",
    "latest_year",
    "latest_value",
    "progress",
    "projected_value",
]
SERIES_COLUMNS = ["indicator", "region", "year", "value", "estimate"]
# Figures and targets may be any finite number, up to ~1.8e308: a difference, a product or a
# least-squares sum of such numbers may pass the float range. numpy then gives ±inf or NaN
# (IEEE arithmetic, which the decisions read as they should: a level of +inf is out of
# reach), and a RuntimeWarning, which on the command line is noise; the numbers shown are
# made "not defined" where they are not finite (`_finite`).
_QUIET_OVERFLOW = np.errstate(over="ignore", invalid="ignore", divide="ignore")


# ---------------------------------------------------------------------------------------------
# The series


def effective_series(plan: Plan, figures: pd.DataFrame) -> pd.DataFrame:
    """Effective value per indicator, region and year (METHOD.md "The series").

    stock, flow and milestone as reported; cumulative summed from `cumulative_from`; derived
    indicators evaluated from their inputs' effective values of the same year. `estimate`
    (version 2): the value rests on a figure marked as an estimate (for a cumulative value,
    any figure summed into it; for a derived one, any input of that year).
    """
    coded = _coded_series(plan, figures)
    return pd.DataFrame(
        {
            "indicator": _names(coded.indicators, coded.ind, figures["indicator"]),
            "region": _names(coded.regions, coded.reg, figures["region"]),
            "year": coded.year,
            "value": coded.value,
            "estimate": coded.estimate,
        }
    )


class _Coded(NamedTuple):
    """A series with indicators and regions as positions in sorted name lists, sorted by
    (indicator, region, year): sorting and grouping a million figures touches no string."""

    indicators: list[str]
    regions: list[str]
    ind: np.ndarray
    reg: np.ndarray
    year: np.ndarray
    value: np.ndarray
    estimate: np.ndarray  # bool: the value rests on an estimate
    runs: _Runs | None = None  # its runs, when computed once for many judgements


Coded = _Coded  # what `code_series` returns, for callers' type hints


def _estimates(table: pd.DataFrame) -> np.ndarray:
    """The table's `estimate` column as bools (all False for a table without one)."""
    if "estimate" not in table:
        return np.zeros(len(table), dtype=bool)
    return table["estimate"].fillna(False).to_numpy(dtype=bool)


def _coded_series(plan: Plan, figures: pd.DataFrame, keys: Keys | None = None) -> _Coded:
    """`effective_series`, as codes; `keys`: as for `code_figures`."""
    derived = _derived_in_order(plan)
    # With the reader's keys the texts are not read at all: a caller may have let them go.
    found_indicators = keys.indicator if keys else pd.factorize(figures["indicator"])
    indicators, ind = _sorted_codes(found_indicators, extra=list(plan.by_id))
    regions, reg = _sorted_codes(keys.region if keys else pd.factorize(figures["region"]))
    year = figures["year"].to_numpy(dtype=np.int64)
    value = figures["value"].to_numpy(dtype=np.float64)
    estimate = _estimates(figures)
    start = np.array([_cumulative_from(plan, i) for i in indicators], dtype=np.int64)
    # A cumulative sum starts at cumulative_from; every other indicator's figures are kept.
    kept = year >= np.where(start < 0, np.iinfo(np.int64).min, start)[ind]
    sorting = _order(ind, reg, year, len(regions), None if kept.all() else kept)
    order = sorting.rows
    # One column at a time: each unsorted column goes as soon as its sorted copy exists (at
    # 3 million figures, four columns held twice at once were ~70 MB more at the peak).
    if sorting.keys is not None:
        # The keys decoded while the values are gathered, two cores at a time (numpy lets go
        # of Python's lock): ~30 and ~35 ms at 3,060,000 figures, one after the other before.
        del ind, reg, year
        (ind, reg, year), value = two_at_a_time(
            len(order) >= cores.PARALLEL_ROWS, sorting.columns, partial(value.take, order)
        )
    else:
        ind = ind[order]
        reg = reg[order]
        year = year[order]
        value = value[order]
    # (no figure an estimate, the usual table: nothing to put in order)
    estimate = estimate[order] if estimate.any() else np.zeros(len(order), dtype=bool)
    del order, sorting
    counted = start[ind] >= 0
    if counted.any():
        value = value.copy()
        groups = ind[counted] * max(len(regions), 1) + reg[counted]
        value[counted] = pd.Series(value[counted]).groupby(groups, sort=False).cumsum().to_numpy()
        if estimate[counted].any():  # a sum that holds an estimate is an estimate from then on
            estimate = estimate.copy()
            flags = pd.Series(estimate[counted].astype(np.int8))
            estimate[counted] = flags.groupby(groups, sort=False).cummax().to_numpy() > 0
        finite = np.isfinite(value)
        if not finite.all():
            # A sum beyond the float range (figures near 1.8e308) is not defined: no value
            # that year, as a derived indicator's where its formula divides by zero.
            ind, reg, year, value, estimate = (
                column[finite] for column in (ind, reg, year, value, estimate)
            )
    parts = [(ind, reg, year, value, estimate)]
    for indicator in derived:
        parts.append(_derive(indicator, indicators, parts))
    if len(parts) > 1:
        ind, reg, year, value, estimate = _merge(parts, len(regions))
    return _Coded(indicators, regions, ind, reg, year, value, estimate)


def _merge(parts: list[tuple], n_regions: int) -> tuple[np.ndarray, ...]:
    """The figures' part (sorted) and the derived parts (one indicator each, sorted by region
    and year) as one series sorted like `_order`: each derived part is inserted where its
    indicator belongs, one copy of each column instead of a sort of a million rows."""
    ind = parts[0][0]
    at = [int(np.searchsorted(ind, part[0][0])) for part in parts[1:] if len(part[0])]
    if len(at) != len(parts) - 1 or any(
        at_k != np.searchsorted(ind, part[0][0], side="right")
        for at_k, part in zip(at, parts[1:], strict=True)
    ):
        # An empty derived part, or figures given for a derived indicator: sort them all.
        columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
        order = _order(columns[0], columns[1], columns[2], n_regions).rows
        return tuple(column[order] for column in columns)
    pieces, start = [], 0
    for k in sorted(range(len(at)), key=lambda k: (parts[k + 1][0][0], k)):
        pieces += [tuple(column[start : at[k]] for column in parts[0]), parts[k + 1]]
        start = at[k]
    pieces.append(tuple(column[start:] for column in parts[0]))
    return tuple(np.concatenate(column) for column in zip(*pieces, strict=True))


class _Order(NamedTuple):
    """`_order`'s answer: the rows in order, and, when each row was put in its key's slot of a
    table, the keys in that order (`figure_key` of indicator, region and year with `regions`,
    `span` and `first_year`): the sorted columns are read back from them (`columns`), not
    gathered row by row from rows in no order (~30 ms a column at 3 million figures)."""

    rows: np.ndarray
    keys: np.ndarray | None = None
    regions: int = 1
    span: int = 1
    first_year: int = 0

    def of_rows(self, kept: np.ndarray) -> _Order:
        """The order of the rows `kept` (a bool mask of the rows) alone."""
        taken = kept[self.rows]
        keys = None if self.keys is None else self.keys[taken]
        return self._replace(rows=self.rows[taken], keys=keys)

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The indicator codes, region codes and years in this order, from `keys`."""
        per_indicator = self.regions * self.span
        ind = self.keys // per_indicator
        rest = self.keys - ind * per_indicator
        reg = rest // self.span
        rest -= reg * self.span
        rest += self.first_year
        return ind, reg, rest


def _order(
    ind: np.ndarray,
    reg: np.ndarray,
    year: np.ndarray,
    n_regions: int,
    kept: np.ndarray | None = None,
) -> _Order:
    """`np.lexsort((year, reg, ind))`, from one int64 key per row: each row put in its key's
    slot of a table of every possible key, when no key is given twice and the table is not
    much larger than the rows (a data set's figures, once duplicates are dropped); else one
    stable sort of the keys. `kept`: the order of these rows alone (a bool mask of the rows),
    as `_Order.of_rows` gives it; in the table of slots only they are put (a national set's
    cumulative indicators before their first year: ~15 ms less at 3,060,000 figures than
    putting every row and leaving some out after)."""
    if not len(year):
        return _of_rows(_Order(np.lexsort((year, reg, ind))), kept)
    low, high = int(year.min()), int(year.max())
    span, regions = high - low + 1, max(n_regions, int(reg.max()) + 1, 1)
    possible = (int(ind.max()) + 1) * regions * span
    if possible >= 2**62 or int(ind.min()) < 0 or int(reg.min()) < 0:
        return _of_rows(_Order(np.lexsort((year, reg, ind))), kept)
    key = figure_key(ind, reg, year, regions, span, low)
    # Keys in long sorted runs (a national set's files, one a year): the stable sort merges
    # them, 19 ms for 3,060,000 keys in 30 runs where the slots below took 55.
    descents = np.count_nonzero(key[1:] < key[:-1])
    if not descents:
        return _Order(np.arange(len(key)) if kept is None else np.flatnonzero(kept))
    if (
        descents * _ROWS_PER_RUN >= len(key)
        and possible <= _SLOTS_PER_ROW * len(key) + _SLOTS_ANYWAY
    ):
        # Keys in no order (a set whose rows were never sorted): the stable sort took 138 ms
        # for 1,512,000 keys, the slots 20. With distinct keys the order is the sort's: the
        # one order of the keys.
        rows = np.arange(len(key)) if kept is None else np.flatnonzero(kept)
        slot = np.full(possible, -1, dtype=np.int64)
        slot[key if kept is None else key[rows]] = rows
        filled = slot >= 0
        order = slot[filled]
        if len(order) == len(rows):  # no key given twice: no row's slot was taken by another
            del slot, key
            return _Order(order, np.flatnonzero(filled), regions, span, low)
    return _of_rows(_Order(np.argsort(key, kind="stable")), kept)


def _of_rows(sorting: _Order, kept: np.ndarray | None) -> _Order:
    """`sorting` of the rows `kept` alone (all of them when None)."""
    return sorting if kept is None else sorting.of_rows(kept)


# The table of slots `_order` fills is used for keys in runs shorter than _ROWS_PER_RUN on
# average, when it holds at most _SLOTS_PER_ROW slots a row (8 bytes each) or _SLOTS_ANYWAY.
_ROWS_PER_RUN, _SLOTS_PER_ROW, _SLOTS_ANYWAY = 1000, 4, 1 << 16


def _codes(names: pd.Series, extra: list[str] = ()) -> tuple[list[str], np.ndarray]:
    """(sorted distinct names, with `extra`; each row's position in that list)."""
    return _sorted_codes(pd.factorize(names), extra)


def _sorted_codes(found: Factorized, extra: list[str] = ()) -> tuple[list[str], np.ndarray]:
    """`_codes` of a column from its `pd.factorize` (`found`)."""
    codes, uniques = found
    vocabulary = sorted(set(uniques).union(extra))
    positions = pd.Index(vocabulary, dtype=object).get_indexer(list(uniques))
    codes = positions[codes] if len(codes) else codes
    return vocabulary, codes.astype(np.int64, copy=False)


def _names(vocabulary: list[str], codes: np.ndarray, like: pd.Series):
    """The names of `codes`, in the text dtype of the column they came from."""
    if isinstance(like.dtype, pd.StringDtype):
        return pd.array(vocabulary, dtype=like.dtype).take(codes)
    return np.asarray(vocabulary, dtype=object)[codes]


def _cumulative_from(plan: Plan, indicator_id: str) -> int:
    indicator = plan.by_id.get(indicator_id)
    if indicator is None or indicator.kind != "cumulative":
        return -1
    return indicator.cumulative_from  # type: ignore[return-value]


def _derived_in_order(plan: Plan) -> list[Indicator]:
    """Derived indicators, each after the derived indicators it uses (the plan has no cycle)."""
    done: set[str] = set()
    ordered: list[Indicator] = []
    pending = [ind for ind in plan.indicators if ind.is_derived]
    while pending:
        ready = [
            ind
            for ind in pending
            if all(n in done or not plan.by_id[n].is_derived for n in ind.parsed_formula.names)
        ]
        ordered += ready
        done |= {ind.id for ind in ready}
        pending = [ind for ind in pending if ind.id not in done]
    return ordered


def _derive(indicator: Indicator, indicators: list[str], parts: list[tuple]) -> tuple:
    """The derived indicator's (codes, regions, years, values, estimates) where every input
    has a value; an estimate where any input is one.

    `parts`: (codes, regions, years, values, estimates) tuples, each sorted by code: an
    input's rows are a slice of each part, found by binary search, so no part is copied or
    scanned whole.
    """
    common, estimate, values = _formula_inputs(indicator, indicators, parts)
    ok = ~np.isnan(values)
    code = indicators.index(indicator.id)
    common = common[ok]
    return (
        np.full(len(common), code, dtype=np.int64),
        common // 10_000,
        common % 10_000,
        values[ok],
        estimate[ok],
    )


def _formula_inputs(
    indicator: Indicator, indicators: list[str], parts: list[tuple]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(region × 10000 + year keys where every input has a value, whether any of them is an
    estimate, the formula's value there: NaN where it divides by zero)."""
    common = None
    by_name = {}
    for name in indicator.parsed_formula.names:
        code = indicators.index(name)
        slices = [
            (np.searchsorted(ind, code), np.searchsorted(ind, code, side="right"), *rest)
            for ind, *rest in parts
        ]
        keys = np.concatenate([reg[a:b] * 10_000 + year[a:b] for a, b, reg, year, _, _ in slices])
        values = np.concatenate([value[a:b] for a, b, _, _, value, _ in slices])
        flags = np.concatenate([flag[a:b] for a, b, _, _, _, flag in slices])
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        by_name[name] = keys, values[order], flags[order]
        # `np.unique` and `np.intersect1d`, from keys already sorted: no sort again (a
        # national set's inputs are tens of thousands of keys each)
        common = _distinct_sorted(keys) if common is None else _common_sorted(common, keys)
    if common is None:
        common = np.empty(0, dtype=np.int64)
    estimate = np.zeros(len(common), dtype=bool)
    for keys, _, flags in by_name.values():
        estimate |= flags[np.searchsorted(keys, common)]
    values = indicator.parsed_formula.evaluate(
        {name: vals[np.searchsorted(keys, common)] for name, (keys, vals, _) in by_name.items()}
    )
    return common, estimate, np.broadcast_to(values, common.shape).astype(np.float64)


def _distinct_sorted(keys: np.ndarray) -> np.ndarray:
    """`np.unique` of sorted keys."""
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def _common_sorted(distinct: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """`np.intersect1d(distinct, keys)` of sorted distinct keys and sorted keys."""
    at = np.searchsorted(keys, distinct)
    found = at < len(keys)
    found[found] = keys[at[found]] == distinct[found]
    return distinct[found]


def derived_problems(plan: Plan, figures: pd.DataFrame, file: str) -> list[Problem]:
    """Warnings about derived indicators (CONTRACT.md §1, version 2): a computed value
    outside the indicator's range (counts entered the wrong way round give a share above
    100%), and a year with every input where the formula divides by zero (no value then).

    `file`: where the figures come from, to name in each warning.
    """
    derived = [ind for ind in plan.indicators if ind.is_derived]
    if not derived or not len(figures):
        return []
    coded = _coded_series(plan, figures)
    part = (coded.ind, coded.reg, coded.year, coded.value, coded.estimate)
    problems = []
    for indicator in derived:
        keys, _, values = _formula_inputs(indicator, coded.indicators, [part])
        low, high = indicator.bounds
        inputs = ", ".join(indicator.parsed_formula.names)
        with np.errstate(invalid="ignore"):
            odd = (
                np.isnan(values) | (values < _bound(low, -np.inf)) | (values > _bound(high, np.inf))
            )
        for key, value in zip(keys[odd].tolist(), values[odd].tolist(), strict=True):
            region, year = coded.regions[key // 10_000], key % 10_000
            where_vi, where_en = f"năm {year} ({region})", f"in {year} ({region})"
            if value != value:  # NaN: the formula divided by zero
                problems.append(
                    Problem(
                        file,
                        f"«{indicator.id}» {where_vi}: công thức {indicator.formula} chia cho 0 "
                        f"nên không có giá trị; kiểm tra số liệu đầu vào ({inputs})",
                        f"«{indicator.id}» {where_en}: the formula {indicator.formula} divides "
                        f"by zero, so there is no value; check its inputs ({inputs})",
                        column=indicator.id,
                        severity="warning",
                    )
                )
            elif (low is not None and value < low) or (high is not None and value > high):
                side_vi, side_en, bound = (
                    ("nhỏ hơn", "below", low)
                    if low is not None and value < low
                    else ("lớn hơn", "above", high)
                )
                problems.append(
                    Problem(
                        file,
                        f"«{indicator.id}» {where_vi}: giá trị tính được {value:g} {side_vi} "
                        f"{bound:g}, ngoài khoảng của chỉ tiêu; kiểm tra số liệu đầu vào "
                        f"({inputs}): có nhập nhầm chỗ không?",
                        f"«{indicator.id}» {where_en}: the computed value {value:g} is "
                        f"{side_en} {bound:g}, outside the indicator's range; check its inputs "
                        f"({inputs}): entered the wrong way round?",
                        column=indicator.id,
                        severity="warning",
                    )
                )
    return problems


class Points(NamedTuple):
    years: list[int]
    values: list[float]
    estimates: list[bool] | None = None  # None: none is an estimate


def series_by_key(series: pd.DataFrame) -> dict[tuple[str, str], Points]:
    """{(region, indicator): Points sorted by year}, from one pass over the sorted table
    (the input of `assess_target`)."""
    if series.empty:
        return {}
    ordered = series.sort_values(["region", "indicator", "year"], ignore_index=True)
    regions = ordered["region"].to_numpy()
    indicators = ordered["indicator"].to_numpy()
    starts = np.flatnonzero(
        np.r_[True, (regions[1:] != regions[:-1]) | (indicators[1:] != indicators[:-1])]
    )
    ends = np.r_[starts[1:], len(ordered)]
    years = ordered["year"].to_numpy().tolist()
    values = ordered["value"].to_numpy().tolist()
    estimates = _estimates(ordered).tolist()
    return {
        (regions[s], indicators[s]): Points(years[s:e], values[s:e], estimates[s:e])
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
    years_met: tuple[int, ...] = ()  # standing and period-average targets: years met
    latest_is_estimate: bool | None = None  # version 2: the latest value rests on an estimate
    mean: float | None = None  # period-average targets: the mean of the years counted
    average_growth: float | None = None  # growth targets: % a year from `from` to latest


def _r(x: float) -> float:
    return round(x, DECIMALS)


def baseline(
    plan: Plan, indicator: Indicator, region: str, points: Points | None
) -> tuple[int, float, bool] | None:
    """(B, vB, fixed) of a dated target: from the plan (for the plan's region), else
    (cumulative_from − 1, 0), else the first figure in or after the plan's `baseline_year`
    (version 2: figures before it are history).

    `fixed` says the baseline was not taken from the data.
    """
    if indicator.baseline is not None and region == plan.plan.region:
        year = indicator.baseline.year or plan.plan.baseline_year
        return year, indicator.baseline.value, True
    if indicator.kind == "cumulative":
        return indicator.cumulative_from - 1, 0.0, True  # type: ignore[operator]
    for year, value in zip(*(points[:2] if points else ((), ())), strict=True):
        if year >= plan.plan.baseline_year:
            return year, value, False
    return None


def bounds_of(target: Target) -> tuple[float | None, float | None]:
    """The target's lower and upper bound on a value (`min`/`max`, or `mean_min`/`mean_max`
    of a period-average target); None where not given. Not for growth or times targets."""
    if target.is_period_average:
        return target.mean_min, target.mean_max
    return target.min, target.max


def met(target: Target, value: float, goal: float | None = None) -> bool:
    """Whether `value` meets the target (METHOD.md step 3), compared at 9 decimals.

    `goal`: the level a `min_times_baseline` or growth target asks for (`goal_for`). For a
    period-average target, `value` is a year's value or the mean: both meet the same bounds.
    """
    v = _r(value)
    if target.min_times_baseline is not None or target.min_growth is not None:
        return v > _r(goal) if target.exclusive else v >= _r(goal)  # type: ignore[arg-type]
    if target.max_growth is not None:
        return v < _r(goal) if target.exclusive else v <= _r(goal)  # type: ignore[arg-type]
    low, high = bounds_of(target)
    if low is not None and high is not None:
        return _r(low) <= v <= _r(high)
    tolerance = APPROX_TOLERANCE if target.approx else 0.0
    if low is not None:
        bound = _r(low * (1 - tolerance))
        return v > bound if target.exclusive else v >= bound
    bound = _r(high * (1 + tolerance))  # type: ignore[operator]
    return v < bound if target.exclusive else v <= bound


def mean_of(values: list[float]) -> float:
    """The mean, summed exactly (`math.fsum`); never an OverflowError: where the sum is beyond
    the float range (values near 1.8e308), the mean of the values each divided by their
    count, which cannot pass the largest of them."""
    try:
        return math.fsum(values) / len(values)
    except OverflowError:
        return math.fsum(v / len(values) for v in values)


def finite_or_none(value: float | None) -> float | None:
    """`value`, or None (not defined, METHOD.md) where it is ±inf or NaN: a number beyond the
    float range is never written as inf, nor as JSON's invalid Infinity."""
    return value if value is not None and math.isfinite(value) else None


def growth_level(target: Target, base: float) -> float:
    """The level a growth target implies: vB × (1 + X/100)^(Y2 − Y0); ±inf where it is beyond
    the float range (never an OverflowError)."""
    try:
        factor = (1 + target.growth_rate / 100) ** (target.to - target.from_)  # type: ignore[operator]
    except OverflowError:
        # Python's float power raises where numpy's gives inf. The plan bounds the rate
        # (kpis.plan.MAX_GROWTH_RATE) so that the power stays finite; a judgement still never
        # raises whatever the rate. A level beyond the float range (the product, with a base
        # near the limit, gives inf without raising) is out of reach of any figure, which
        # inf says to `met` and `share`.
        factor = math.inf
    return base * factor


def average_growth(base_year: int, base: float, latest_year: int, latest: float) -> float | None:
    """The average growth so far, in % a year: ((vL / vB)^(1 / (yL − Y0)) − 1) × 100; None
    before a year has passed or where a value is not positive."""
    if latest_year <= base_year or base <= 0 or latest <= 0:
        return None
    growth = ((latest / base) ** (1 / (latest_year - base_year)) - 1) * 100
    return growth if math.isfinite(growth) else None  # (beyond the float range: not defined)


def goal_for(target: Target, latest: float, base: float) -> float:
    """The value progress is measured towards (METHOD.md step 2)."""
    if target.min_times_baseline is not None:
        return target.min_times_baseline * base
    if target.is_growth:
        return growth_level(target, base)
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


def clamp(indicator: Indicator, value: float) -> float:
    """`value` brought into the indicator's range (version 2: a projected share never passes
    100%, a count never falls below 0, a rank never passes first place)."""
    low, high = indicator.bounds
    if low is not None and value < low:
        return float(low)
    if high is not None and value > high:
        return float(high)
    return value


def has_row(plan: Plan, region: str, target: Target) -> bool:
    """Whether a region is judged on a target: not when the region ended (`until`) before
    the target's year (METHOD.md "Which rows", version 2)."""
    declared = plan.region(region)
    return declared is None or declared.until is None or target.end_year <= declared.until


def assess_target(
    plan: Plan,
    indicator: Indicator,
    target_index: int,
    region: str,
    points: Points | None,
    as_of: int,
) -> Assessment:
    """METHOD.md for one region, indicator and target, as of year `as_of`.

    The plain, one-cell reading of METHOD.md. `assess` judges every cell at once with numpy
    for national data sets; tests/test_progress_cells.py holds the two equal, field by field.
    (It judges the cell even where `has_row` says the region has no row for the target.)
    """
    target = indicator.targets[target_index - 1]
    head = {
        "region": region,
        "indicator": indicator.id,
        "target_index": target_index,
        "target_year": target.end_year,
    }
    triples = (
        []
        if points is None
        else list(
            zip(
                points.years,
                points.values,
                points.estimates or [False] * len(points.years),
                strict=True,
            )
        )
    )
    if target.is_standing or target.is_period_average:
        end = min(as_of, target.to)  # type: ignore[type-var]
        used = [t for t in triples if target.from_ <= t[0] <= end]  # type: ignore[operator]
        return _judge_standing(target, head, used, as_of)
    if target.is_growth:
        return _assess_growth(indicator, target, head, triples, as_of)
    base = baseline(plan, indicator, region, points)
    head["baseline_year"], head["baseline_value"] = (base[0], base[1]) if base else (None, None)
    end = min(as_of, target.year)  # type: ignore[type-var]
    if points is None or base is None:
        return Assessment(**head, status="no_data")
    b_year, b_value, _ = base
    used = [t for t in triples if b_year <= t[0] <= end]
    if not used:
        return Assessment(**head, status="no_data")
    fit = [(b_year, b_value)] + [(y, v) for y, v, _ in used if y > b_year]
    projected = None
    if len(fit) >= 2 and target.year > as_of and indicator.kind != "milestone":
        projected = clamp(
            indicator, least_squares_at([y for y, _ in fit], [v for _, v in fit], target.year)
        )
    return _judge_dated(indicator, target, head, used[-1], len(fit), projected, as_of)


def _assess_growth(
    indicator: Indicator, target: Target, head: dict, triples: list[tuple], as_of: int
) -> Assessment:
    """A growth target (METHOD.md, version 2): the dated method towards the level the growth
    implies, from the region's own value in `from`, whatever baseline the plan gives."""
    start, end = target.from_, min(as_of, target.to)  # type: ignore[type-var]
    used = [t for t in triples if start <= t[0] <= end]  # type: ignore[operator]
    head["baseline_year"] = start
    if not used:
        return Assessment(**head, status="no_data")
    base = used[0][1] if used[0][0] == start else None
    head["baseline_value"] = base
    latest_year, latest_value, estimate = used[-1]
    if base is None or _r(base) <= 0:  # growth is undefined from nothing
        return Assessment(
            **head,
            status="insufficient_data",
            latest_year=latest_year,
            latest_value=latest_value,
            latest_is_estimate=estimate,
        )
    fit = [(start, base)] + [(y, v) for y, v, _ in used if y > start]
    projected = None
    if len(fit) >= 2 and target.to > as_of:  # type: ignore[operator]
        projected = clamp(
            indicator, least_squares_at([y for y, _ in fit], [v for _, v in fit], target.to)
        )
    judged = _judge_dated(
        indicator, target, head, used[-1], len(fit), projected, as_of, growth_level(target, base)
    )
    return replace(judged, average_growth=average_growth(start, base, latest_year, latest_value))


def _judge_dated(
    indicator: Indicator,
    target: Target,
    head: dict,
    latest: tuple[int, float, bool],
    n_fit: int,
    projected: float | None,
    as_of: int,
    level: float | None = None,
) -> Assessment:
    """Steps 2-6 of a dated target, once the latest value and the projection are known (the
    one-cell case of `_judge_dated_cells`, so the rule is written once). `level`: the goal of
    a growth target."""
    b_year, b_value = head["baseline_year"], head["baseline_value"]
    latest_year, latest_value, estimate = latest
    statuses, progresses, goals, paces, expecteds = _judge_dated_cells(
        [target],
        np.array([indicator.kind == "milestone"]),
        np.zeros(1, int),
        np.array([latest_year]),
        np.array([latest_value], dtype=float),
        np.array([b_year]),
        np.array([b_value], dtype=float),
        np.array([n_fit]),
        np.array([np.nan if projected is None else projected]),
        as_of,
        np.array([np.nan if level is None else level]),
    )
    status, progress, goal = statuses[0], _objects(progresses)[0], _objects(goals)[0]
    projected_progress, expected = _objects(paces)[0], _objects(expecteds)[0]
    return Assessment(
        **head,
        status=status,
        latest_year=latest_year,
        latest_value=latest_value,
        progress=progress,
        projected_value=finite_or_none(projected),
        projected_progress=projected_progress,
        expected=expected,
        goal=goal,
        latest_is_estimate=estimate,
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


def _judge_standing(target: Target, head: dict, used: list[tuple], as_of: int) -> Assessment:
    """A standing or period-average target, given the (year, value, estimate) of its years up
    to min(as_of, to)."""
    if not used:
        return Assessment(**head, status="no_data")
    latest_year, latest_value, estimate = used[-1]
    years_met = tuple(y for y, v, _ in used if met(target, v))
    mean = None
    if target.is_period_average:
        # An average is not final before its period ends (METHOD.md, version 2).
        mean = mean_of([v for _, v, _ in used])
        ok, over = met(target, mean), target.to <= as_of  # type: ignore[operator]
        status = ("achieved" if ok else "missed") if over else ("on_track" if ok else "off_track")
    elif met(target, latest_value):
        status = "achieved"
    elif target.to <= as_of:  # type: ignore[operator]
        status = "missed"
    else:
        status = "off_track"
    return Assessment(
        **head,
        status=status,
        latest_year=latest_year,
        latest_value=latest_value,
        progress=len(years_met) / len(used),
        years_met=years_met,
        latest_is_estimate=estimate,
        mean=mean,
    )


# ---------------------------------------------------------------------------------------------
# The whole plan


def default_as_of(figures: pd.DataFrame) -> int | None:
    """The latest year of any figure (METHOD.md: the default as-of year)."""
    return int(figures["year"].max()) if len(figures) else None


def regions_of(plan: Plan, figures: pd.DataFrame) -> list[str]:
    """Every region present in the figures, the plan's own first; the plan's if none."""
    return _plan_region_first(plan, set(figures["region"].unique()) if len(figures) else set())


def _plan_region_first(plan: Plan, present: Collection[str]) -> list[str]:
    others = sorted(set(present) - {plan.plan.region})
    return [plan.plan.region, *others] if plan.plan.region in present or not present else others


def assess(
    plan: Plan,
    figures: pd.DataFrame,
    as_of: int | None = None,
    regions: list[str] | None = None,
    series: pd.DataFrame | None = None,
    *,
    coded: Coded | None = None,
    targets: Collection[tuple[str, int]] | None = None,
) -> list[Assessment]:
    """One Assessment per region, indicator and target, in plan order.

    `as_of` defaults to the latest year of any figure; `regions` to every region present.
    `series` may be passed when the caller already computed `effective_series`, `coded`
    when it also coded it (`code_series`). `targets`: only these (indicator id, position).
    """
    columns = assess_columns(plan, figures, as_of, regions, series, coded=coded, targets=targets)
    return [Assessment(*row) for row in zip(*columns.values(), strict=True)]


def code_series(series: pd.DataFrame) -> Coded:
    """An `effective_series` as codes, for `assess(..., coded=)`: a caller judging many years
    of one data set codes its million figures once, not once a year."""
    indicators, ind = _codes(series["indicator"])
    names, reg = _codes(series["region"])
    coded = _Coded(
        indicators,
        names,
        ind,
        reg,
        series["year"].to_numpy(dtype=np.int64),
        series["value"].to_numpy(dtype=np.float64),
        _estimates(series),
    )
    return coded._replace(runs=_Runs.of(coded))


ASSESSMENT_FIELDS = tuple(Assessment.__dataclass_fields__)


def code_figures(plan: Plan, figures: pd.DataFrame, keys: Keys | None = None) -> Coded:
    """The plan's effective series of `figures` (`effective_series`), coded as `assess_coded`
    judges it: a caller that holds a national table can let it go before judging. `keys`:
    the table's indicator and region codes as its reader found them (`Figures.keys`), not
    looked for again; with them, only the table's year, value and estimate are read (a
    caller may leave out the rest, a national set's texts, first)."""
    return _coded_series(plan, figures, keys)


def assess_coded(
    plan: Plan,
    coded: Coded,
    as_of: int,
    regions: list[str] | None = None,
    fields: Collection[str] | None = None,
    *,
    number_arrays: bool = False,
) -> dict[str, list | np.ndarray]:
    """`assess_columns` of the figures `code_figures` coded, as of `as_of` (`default_as_of`
    of the figures); `regions` None: every region of the figures, the plan's own first.
    `fields`: only these columns (every field when None), the rest not made.
    `number_arrays`: `NUMBER_ARRAY_FIELDS` as float arrays, NaN where the list has None,
    latest_is_estimate as a bool array (False where None) and `CODED_FIELDS` as
    `pd.Categorical`s of the values they hold, for a caller that computes on them (the status
    table): 160,000 rows' numbers are not made Python objects to be read back, nor their few
    dozen regions and words 160,000 items of a list to be coded again."""
    if regions is None:
        regions = _plan_region_first(plan, coded.regions)
    return _assess_all(plan, coded, as_of, regions, fields=fields, number_arrays=number_arrays)


class RegionPart(NamedTuple):
    """The figures of some regions, as `assess_parts` judges them: `regions` in the order
    their rows come (None: every region of the figures, the plan's own first), `table` their
    year, value and estimate, `keys` their indicator and region codes (None: coded from the
    table's own indicator and region columns)."""

    regions: list[str] | None
    table: pd.DataFrame
    keys: Keys | None


def region_parts(
    plan: Plan, table: pd.DataFrame, keys: Keys | None, regions: list[str] | None = None
) -> list[RegionPart]:
    """The figures in the parts `assess_parts` judges one a core: at national scale (with
    the reader's `keys`, every region asked for, two cores), the first and the second half of
    the regions in the order their rows come, each half's rows and codes taken in a thread of
    its own; else one part, the figures as they are."""
    if (
        keys is None
        or regions is not None
        or len(table) < cores.PARALLEL_ROWS
        or cores.usable_cores() < 2
    ):
        return [RegionPart(regions, table, keys)]
    codes, names = keys.region
    ordered = _plan_region_first(plan, names)
    if len(ordered) < 2:
        return [RegionPart(regions, table, keys)]
    position = {name: code for code, name in enumerate(names)}
    first_half, second_half = ordered[: len(ordered) // 2], ordered[len(ordered) // 2 :]
    is_second_half = np.zeros(len(names), dtype=bool)
    is_second_half[[position[name] for name in second_half]] = True
    in_second_half = is_second_half[codes]  # each row's
    columns = [column for column in ("year", "value", "estimate") if column in table]

    def part(wanted: list[str], rows: np.ndarray) -> RegionPart:
        # (the codes of the regions of other parts are never read: no row has them)
        recoded = np.full(len(names), -1, dtype=codes.dtype)
        recoded[[position[name] for name in wanted]] = np.arange(len(wanted))
        indicator_codes, indicators = keys.indicator
        return RegionPart(
            wanted,
            pd.DataFrame({column: table[column].to_numpy()[rows] for column in columns}),
            # (a kpis.figures.Keys, made without importing the reader into the method)
            type(keys)((indicator_codes[rows], indicators), (recoded[codes[rows]], wanted)),
        )

    return two_at_a_time(
        True,
        lambda: part(first_half, np.flatnonzero(~in_second_half)),
        lambda: part(second_half, np.flatnonzero(in_second_half)),
    )


def assess_parts(
    plan: Plan,
    parts: list[RegionPart],
    as_of: int,
    fields: Collection[str] | None = None,
    *,
    number_arrays: bool = False,
) -> dict[str, list | np.ndarray | pd.Categorical]:
    """`assess_coded` of `code_figures` of the figures of every part (`region_parts`), the
    parts' rows one after the other; `fields`, `number_arrays`: as for `assess_coded`.

    Each part is coded and judged in a thread of its own: the work is numpy's and pandas'
    over whole columns, mostly without Python's lock (3,060,000 figures in two halves:
    ~0.3 s where the whole took ~0.45). Every cell is judged from its own region's figures
    alone, so a part's rows are those the whole would give. `parts` is emptied: each part's
    figures go once coded, as the whole's did."""

    def judged(k: int) -> dict:
        regions, table, keys = parts[k]
        parts[k] = None  # (the caller's list holds no figures past this point)
        coded = code_figures(plan, table, keys)
        del table, keys
        # (regions None: `assess_coded` takes every region of the figures, the plan's first)
        return assess_coded(plan, coded, as_of, regions, fields, number_arrays=number_arrays)

    judgements = two_at_a_time(len(parts) > 1, *(partial(judged, k) for k in range(len(parts))))
    parts.clear()
    if len(judgements) == 1:
        return judgements[0]
    return {name: _joined([part[name] for part in judgements]) for name in judgements[0]}


def _joined(pieces: list) -> list | np.ndarray | pd.Categorical:
    """One column of `assess_coded`'s from the same column of several parts, in order."""
    if isinstance(pieces[0], pd.Categorical):
        return pd.api.types.union_categoricals(pieces)
    if isinstance(pieces[0], np.ndarray):
        return np.concatenate(pieces)
    return [value for piece in pieces for value in piece]


# The fields `assess_coded(number_arrays=True)` gives as float arrays, and as categoricals.
NUMBER_ARRAY_FIELDS = ("latest_year", "latest_value", "progress", "projected_value")
CODED_FIELDS = ("region", "indicator", "target_year", "status")


def assess_columns(
    plan: Plan,
    figures: pd.DataFrame,
    as_of: int | None = None,
    regions: list[str] | None = None,
    series: pd.DataFrame | None = None,
    *,
    coded: Coded | None = None,
    targets: Collection[tuple[str, int]] | None = None,
) -> dict[str, list]:
    """`assess` as columns: {Assessment field: one value per row}, the rows in the same order.

    For callers that write tens of thousands of rows (`python -m kpis status`): no object
    per row is built. `coded`, `targets`: as for `assess`.
    """
    if as_of is None:
        as_of = default_as_of(figures)
    if as_of is None:  # no figure at all: nothing to judge
        regions = regions_of(plan, figures) if regions is None else regions
        rows = [
            Assessment(
                region=region,
                indicator=indicator.id,
                target_index=position,
                target_year=target.end_year,
                status="no_data",
            )
            for region in regions
            for indicator, position, target in plan.targeted()
            if has_row(plan, region, target)
            and (targets is None or (indicator.id, position) in targets)
        ]
        return {name: [getattr(row, name) for row in rows] for name in ASSESSMENT_FIELDS}
    if coded is None and series is None:
        coded = _coded_series(plan, figures)
        if regions is None:  # the series' list of names is every region of the figures
            regions = _plan_region_first(plan, coded.regions)
    elif coded is None:
        coded = code_series(series)
    if regions is None:
        regions = regions_of(plan, figures)
    return _assess_all(plan, coded, as_of, regions, targets)


_NO_BASE, _DATA_BASE, _FIXED_BASE = 0, 1, 2


def _assess_all(
    plan: Plan,
    series: _Coded,
    as_of: int,
    regions: list[str],
    only: Collection[tuple[str, int]] | None = None,
    fields: Collection[str] | None = None,
    number_arrays: bool = False,
) -> dict[str, list | np.ndarray]:
    """`assess_target` for every region and target at once, with the same results; `fields`,
    `number_arrays`: as for `assess_coded`.

    Each (target, region) cell reads one run of the series: its indicator's figures for its
    region, in year order. The series is sorted by (indicator, region, year), so the figures
    a cell counts (from its baseline, a standing target's `from` or a growth target's base
    year, up to the as-of year) are a slice of that run, found by binary search on one int64
    key per figure: the work per cell is a few searches, and nothing is built per (target,
    figure) pair. The decision for each cell stays the rules of METHOD.md (met, goal_for,
    share, _pace) over arrays. Sums are accumulated point by point in year order, as
    `least_squares_at` does, so the projections are the same to the last bit; what is
    computed per growth or period-average cell (a power, an exact sum) is the same Python
    arithmetic as the one-cell code.
    """
    targets = list(plan.targeted())
    if only is not None:  # each cell is judged on its own: a subset judges the same
        targets = [(ind, k, target) for ind, k, target in targets if (ind.id, k) in only]
    distinct = list(dict.fromkeys(regions))
    wanted = ASSESSMENT_FIELDS if fields is None else [f for f in ASSESSMENT_FIELDS if f in fields]
    if not targets or not distinct:
        return {name: [] for name in wanted}
    n_regions, n_targets = len(distinct), len(targets)
    cells = n_targets * n_regions
    runs = series.runs if series.runs is not None else _Runs.of(series)
    target_list = [target for _, _, target in targets]

    # Every per-target array repeated per region: cell c = target c // n_regions, region
    # c % n_regions.
    def per_cell(values) -> np.ndarray:
        return np.repeat(np.asarray(values), n_regions)

    # Standing and period-average targets are judged year by year over `from`..`to`.
    standing = per_cell([t.is_standing or t.is_period_average for t in target_list])
    growth = per_cell([t.is_growth for t in target_list])
    milestones = np.array([indicator.kind == "milestone" for indicator, _, _ in targets])
    target_year = np.array([target.end_year for target in target_list])
    cell_year = per_cell(target_year)
    end = np.minimum(cell_year, as_of)
    run = runs.cells(
        _positions([indicator.id for indicator, _, _ in targets], series.indicators),
        _positions(distinct, series.regions),
    )
    run_end = run.first(runs.last_year + 1)

    # The baseline of each cell (METHOD.md): the plan's, for its region; else a cumulative
    # indicator's (cumulative_from − 1, 0); else the cell's first figure in or after the
    # plan's baseline year; a growth target's: its base year and the value of that year.
    # (Set in reverse order of precedence: the plan's baseline overwrites a cumulative one.)
    data_start = run.first(np.full(cells, plan.plan.baseline_year))
    has = data_start < run_end
    at_start = np.minimum(data_start, max(runs.size - 1, 0))
    b_year = np.where(has, runs.year[at_start], 0) if runs.size else np.zeros(cells, np.int64)
    b_value = np.where(has, runs.value[at_start], 0.0) if runs.size else np.zeros(cells)
    b_kind = np.where(has, _DATA_BASE, _NO_BASE)
    plan_region = distinct.index(plan.plan.region) if plan.plan.region in distinct else None
    for t, (indicator, _, target) in enumerate(targets):
        row = slice(t * n_regions, (t + 1) * n_regions)
        if target.is_growth:
            b_year[row], b_kind[row] = target.from_, _FIXED_BASE
            continue
        if indicator.kind == "cumulative":
            b_year[row], b_value[row], b_kind[row] = indicator.cumulative_from - 1, 0.0, _FIXED_BASE
        if indicator.baseline is not None and plan_region is not None:
            c = t * n_regions + plan_region
            b_year[c] = indicator.baseline.year or plan.plan.baseline_year
            b_value[c], b_kind[c] = indicator.baseline.value, _FIXED_BASE
    growth_at = run.first(b_year)
    growth_base = growth & (growth_at < run_end)
    if runs.size:
        growth_base &= runs.year[np.minimum(growth_at, runs.size - 1)] == b_year
        b_value = np.where(growth_base, runs.value[np.minimum(growth_at, runs.size - 1)], b_value)
    b_value = b_value.astype(np.float64)

    # The figures each cell judges, as a slice [used_from, used_to) of its run: up to
    # min(as_of, year), from the baseline on; for a standing target, its years. Those
    # after the baseline year are the fit's points, with the baseline itself.
    start = per_cell([target.from_ or 0 for target in target_list])
    fixed = b_kind == _FIXED_BASE
    used_from = np.where(standing, run.first(start), np.where(fixed, growth_at, data_start))
    used_to = np.maximum(run.first(end + 1), used_from)
    fit_from = np.where(standing, used_to, np.maximum(run.first(b_year + 1), used_from))
    n_fit = 1 + np.maximum(used_to - fit_from, 0)
    has_used = used_to > used_from
    latest = np.where(has_used, used_to - 1, 0)
    # Growth is undefined without a value in the base year, or from zero or below.
    no_growth = growth & has_used & ~(growth_base & (_round9(b_value) > 0))
    projects = ~standing & ~per_cell(milestones) & (cell_year > as_of) & (n_fit >= 2) & ~no_growth
    projected = _least_squares_cells(
        projects, fit_from, used_to, runs.year, runs.value, b_year, b_value, cell_year
    )
    low = per_cell([_bound(indicator.bounds[0], -np.inf) for indicator, _, _ in targets])
    high = per_cell([_bound(indicator.bounds[1], np.inf) for indicator, _, _ in targets])
    projected = np.minimum(np.maximum(projected, low), high)  # clamp: NaN stays NaN

    # Dated and growth cells with figures: judged together (steps 2-6).
    at = np.flatnonzero(~standing & (b_kind != _NO_BASE) & has_used & ~no_growth)
    latest_year_of = runs.year[latest[at]] if len(at) else np.zeros(0, dtype=np.int64)
    latest_value_of = runs.value[latest[at]] if len(at) else np.zeros(0)
    level = np.full(len(at), np.nan)
    growth_cells = np.flatnonzero(growth[at])
    for k in growth_cells.tolist():
        level[k] = growth_level(target_list[at[k] // n_regions], float(b_value[at[k]]))
    verdicts = _judge_dated_cells(
        target_list,
        milestones,
        at // n_regions,
        latest_year_of,
        latest_value_of,
        b_year[at],
        b_value[at],
        n_fit[at],
        projected[at],
        as_of,
        level,
    )
    statuses, progresses, goals, paces, expecteds = verdicts

    # Every cell's fields, then the rows (region by region, targets in plan order) taken from
    # them: the dated cells by array indexing, the standing cells likewise.
    def column(fill=None) -> np.ndarray:
        return np.full(cells, fill, dtype=object)

    def number_column() -> np.ndarray:
        return np.full(cells, np.nan) if number_arrays else column()

    status, projected_progress, expected, goal, mean, growth_so_far = (column() for _ in range(6))
    latest_year, latest_value, progress, projected_value = (number_column() for _ in range(4))
    latest_is_estimate = np.zeros(cells, dtype=bool) if number_arrays else column()
    status[:] = "no_data"
    if runs.size:
        judged_latest = np.flatnonzero(has_used)
        # (a number array put into an object array's cells: each becomes Python's number)
        latest_is_estimate[judged_latest] = runs.estimate[latest[judged_latest]]
    if len(at):
        status[at] = statuses
        latest_year[at] = latest_year_of
        latest_value[at] = latest_value_of
        # (NaN, not defined: None in a list, as in the one-cell Assessment)
        progress[at] = progresses if number_arrays else _objects(progresses)
        shown = _finite(projected[at])  # (the decisions read ±inf; it is never written)
        projected_value[at] = shown if number_arrays else _objects(shown)
        if "projected_progress" in wanted:
            projected_progress[at] = _objects(paces)
        if "expected" in wanted:
            expected[at] = _objects(expecteds)
        goal[at] = _objects(goals)
        for k in growth_cells.tolist():
            c = at[k]
            growth_so_far[c] = average_growth(
                int(b_year[c]), float(b_value[c]), int(latest_year_of[k]), float(latest_value_of[k])
            )
    unjudged = np.flatnonzero(no_growth)
    if len(unjudged):
        status[unjudged] = "insufficient_data"
        latest_year[unjudged] = runs.year[latest[unjudged]]
        latest_value[unjudged] = runs.value[latest[unjudged]]
    baseline_year = baseline_value = None
    if "baseline_year" in wanted or "baseline_value" in wanted:
        baseline_year = np.array(b_year.tolist(), dtype=object)
        baseline_value = np.array(b_value.tolist(), dtype=object)
        no_baseline = standing | (b_kind == _NO_BASE)
        baseline_year[no_baseline] = None
        baseline_value[no_baseline] = None
        baseline_value[growth & ~(growth_base & has_used)] = None
    years_met: dict[int, tuple[int, ...]] = {}
    judged = np.flatnonzero(standing & has_used)
    if len(judged):
        verdict = _judge_standing_cells(
            target_list, judged // n_regions, used_from[judged], used_to[judged], runs, as_of
        )
        status[judged] = np.array(verdict.status, dtype=object)
        # (into a float array, None becomes NaN)
        latest_year[judged] = np.array(verdict.latest_year, dtype=latest_year.dtype)
        latest_value[judged] = np.array(verdict.latest_value, dtype=latest_value.dtype)
        progress[judged] = np.array(verdict.progress, dtype=progress.dtype)
        mean[judged] = np.array(verdict.mean, dtype=object)
        years_met = {
            c: met for c, met in zip(judged.tolist(), verdict.years_met, strict=True) if met
        }

    # The rows: region by region, targets in plan order; none for a target after the end
    # of a region that ceased to exist (`until`, `has_row`).
    order = np.arange(n_targets)[None, :] * n_regions + _positions(regions, distinct)[:, None]
    until = np.array([_until(plan, region) for region in regions], dtype=np.float64)
    keep = target_year[None, :] <= until[:, None]
    if number_arrays:
        head = _coded_head(regions, targets, target_year, keep)
    elif keep.all():
        per_target = len(regions)
        head = {
            "region": [region for region in regions for _ in range(n_targets)],
            "indicator": [indicator.id for indicator, _, _ in targets] * per_target,
            "target_index": [position for _, position, _ in targets] * per_target,
            "target_year": target_year.tolist() * per_target,
        }
    else:
        chosen = np.broadcast_to(np.arange(n_targets), keep.shape)[keep]
        head = {
            "region": np.repeat(np.array(regions, dtype=object), keep.sum(axis=1)).tolist(),
            "indicator": np.array([i.id for i, _, _ in targets], dtype=object)[chosen].tolist(),
            "target_index": np.array([p for _, p, _ in targets])[chosen].tolist(),
            "target_year": target_year[chosen].tolist(),
        }
    order = order[keep]

    def years_met_in_order() -> list:
        if not years_met:
            return [()] * len(order)
        met = np.empty(cells, dtype=object)  # each cell's years, taken in row order
        met.fill(())
        for c, years in years_met.items():
            met[c] = years
        return met[order].tolist()

    by_cell = {
        "status": status,
        "latest_year": latest_year,
        "latest_value": latest_value,
        "progress": progress,
        "projected_value": projected_value,
        "projected_progress": projected_progress,
        "expected": expected,
        "baseline_year": baseline_year,
        "baseline_value": baseline_value,
        "goal": goal,
        "latest_is_estimate": latest_is_estimate,
        "mean": mean,
        "average_growth": growth_so_far,
    }
    columns = {}
    for name in wanted:
        if name in head:
            columns[name] = head[name]
        elif name == "years_met":
            columns[name] = years_met_in_order()
        elif name in CODED_FIELDS and number_arrays:
            columns[name] = _categorical(by_cell[name], order)
        elif by_cell[name].dtype != object:  # number_arrays
            columns[name] = by_cell[name][order]
        else:
            columns[name] = by_cell[name][order].tolist()
    return columns


def _coded_head(
    regions: list[str], targets: list, target_year: np.ndarray, keep: np.ndarray
) -> dict[str, pd.Categorical | np.ndarray]:
    """The rows' region, indicator and target year as categoricals (`assess_coded`'s
    `number_arrays`) and target index as an array: a row for each region (`keep`'s rows) and
    target (its columns) that `keep` marks, region by region."""
    region_at = np.broadcast_to(np.arange(keep.shape[0])[:, None], keep.shape)[keep]
    target_at = np.broadcast_to(np.arange(keep.shape[1])[None, :], keep.shape)[keep]
    return {
        "region": _categorical(regions, region_at),
        "indicator": _categorical([indicator.id for indicator, _, _ in targets], target_at),
        "target_index": np.array([k for _, k, _ in targets], dtype=np.int64)[target_at],
        "target_year": _categorical(target_year.tolist(), target_at),
    }


def _categorical(values: list | np.ndarray, at: np.ndarray) -> pd.Categorical:
    """`values[at]` as a `pd.Categorical` of Python values: its categories the values taken,
    in order of first appearance among `values`."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    taken = pd.Categorical.from_codes(codes[at], categories=pd.Index(uniques, dtype=object))
    if len(at) and np.bincount(taken.codes, minlength=len(uniques)).all():
        return taken
    return taken.remove_unused_categories()  # (a region that ceased before every target)


def _until(plan: Plan, region: str) -> float:
    declared = plan.region(region)
    return np.inf if declared is None or declared.until is None else float(declared.until)


def _bound(value: float | None, none: float) -> float:
    return none if value is None else float(value)


class _Runs(NamedTuple):
    """A series sorted by (indicator, region, year), with one int64 key per figure that sorts
    the same way: (indicator × regions + region) × span + (year − first_year)."""

    key: np.ndarray
    year: np.ndarray
    value: np.ndarray
    estimate: np.ndarray
    n_regions: int
    first_year: int
    span: int

    @property
    def size(self) -> int:
        return len(self.key)

    @property
    def last_year(self) -> int:
        return self.first_year + self.span - 1

    @classmethod
    def of(cls, series: _Coded) -> _Runs:
        year, value, estimate = series.year, series.value, series.estimate
        n_regions = max(len(series.regions), 1)
        # Years are whole years within kpis.figures.YEAR_RANGE: the key stays far below 2⁶³.
        first_year = int(year.min()) if len(year) else 0
        span = int(year.max()) - first_year + 1 if len(year) else 1
        key = figure_key(series.ind, series.reg, year, n_regions, span, first_year)
        if len(key) and not (key[1:] >= key[:-1]).all():  # a series the caller built
            order = np.argsort(key, kind="stable")
            key, year, value, estimate = key[order], year[order], value[order], estimate[order]
        return cls(key, year, value, estimate, n_regions, first_year, span)

    def cells(self, indicator: np.ndarray, region: np.ndarray) -> _CellRuns:
        """The runs of cells (indicator, region) = (each indicator) × (each region), as
        positions in the series' own lists; −1 (not in the series): an empty run."""
        base = (indicator[:, None] * self.n_regions + region[None, :]).ravel() * self.span
        present = ((indicator[:, None] >= 0) & (region[None, :] >= 0)).ravel()
        return _CellRuns(self, base, present)


class _CellRuns(NamedTuple):
    runs: _Runs
    base: np.ndarray
    present: np.ndarray

    def first(self, year) -> np.ndarray:
        """Each cell's position of its first figure of `year` or later (its run's end if
        none); `year=None`: its run's start."""
        offset = (
            0
            if year is None
            else np.clip(np.asarray(year) - self.runs.first_year, 0, self.runs.span)
        )
        found = np.searchsorted(self.runs.key, self.base + offset)
        return np.where(self.present, found, 0)


def _positions(names: list[str], wanted: list[str]) -> np.ndarray:
    """Each name's position in `wanted`, −1 if not there."""
    where = {name: i for i, name in enumerate(wanted)}
    return np.array([where.get(name, -1) for name in names], dtype=np.int64)


@_QUIET_OVERFLOW
def _least_squares_cells(
    cells: np.ndarray,
    fit_from: np.ndarray,
    fit_to: np.ndarray,
    years: np.ndarray,
    values: np.ndarray,
    b_year: np.ndarray,
    b_value: np.ndarray,
    at: np.ndarray,
) -> np.ndarray:
    """`least_squares_at` through (B, vB) and each cell's fit points, for the cells marked.

    A cell's fit points are `years[fit_from:fit_to]`, `values[...]`. They are taken column by
    column (each cell's k-th point, in year order, read at its position) and summed in place
    where a cell has one: the same additions in the same order as the scalar code. (A table
    of every cell's points, filled through masks, took 62-69 ms at 3,060,000 figures in 30
    files, where this takes 49-52.)
    """
    out = np.full(len(cells), np.nan)
    chosen = np.flatnonzero(cells)
    if not len(chosen):
        return out
    first = fit_from[chosen]
    count = fit_to[chosen] - first
    width = int(count.max()) + 1
    last = max(len(years) - 1, 0)

    def points(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Whether each cell has a k-th fit point (k ≥ 1), and its year and value."""
        at_k = np.minimum(first + (k - 1), last)  # (any position where it has none)
        return count >= k, years[at_k], values[at_k]

    x0, y0 = b_year[chosen].astype(np.float64), b_value[chosen].astype(np.float64)
    n = count + 1
    sum_x, sum_y = x0.copy(), y0.copy()
    columns = [points(k) for k in range(1, width)]
    for present, x, y in columns:
        np.add(sum_x, x, out=sum_x, where=present)
        np.add(sum_y, y, out=sum_y, where=present)
    mean_x, mean_y = sum_x / n, sum_y / n
    sxx = (x0 - mean_x) ** 2
    sxy = (x0 - mean_x) * (y0 - mean_y)
    for present, x, y in columns:
        dx = x - mean_x
        np.add(sxx, dx**2, out=sxx, where=present)
        np.add(sxy, dx * (y - mean_y), out=sxy, where=present)
    out[chosen] = mean_y + (sxy / sxx) * (at[chosen] - mean_x)
    return out


class _StandingVerdicts(NamedTuple):
    status: list[str]
    latest_year: list[int]
    latest_value: list[float]
    progress: list[float]
    years_met: list[tuple[int, ...]]
    mean: list[float | None]


def _judge_standing_cells(
    targets: list[Target],
    target_of: np.ndarray,
    used_from: np.ndarray,
    used_to: np.ndarray,
    runs: _Runs,
    as_of: int,
) -> _StandingVerdicts:
    """`_judge_standing` for many standing and period-average cells at once, each with at
    least one figure (`runs.year[used_from:used_to]`): every figure met or not, counted per
    cell; a period-average cell's mean summed exactly (`math.fsum`), as the one-cell code."""
    counts = used_to - used_from
    first = np.r_[0, np.cumsum(counts)[:-1]]
    points = np.arange(int(counts.sum())) + np.repeat(used_from - first, counts)
    point_target = np.repeat(target_of, counts)
    bounds = _Bounds.of(targets)
    met_points = _meets(bounds.take(point_target), _round9(runs.value[points]))
    n_met = np.add.reduceat(met_points.astype(np.int64), first)
    latest = used_to - 1
    ends = np.array([target.to for target in targets])[target_of]
    code = np.select([met_points[first + counts - 1], ends <= as_of], [0, 1], 2)
    period = np.array([target.is_period_average for target in targets])[target_of]
    mean = np.full(len(target_of), np.nan)
    for k in np.flatnonzero(period).tolist():
        mean[k] = mean_of(runs.value[used_from[k] : used_to[k]].tolist())
    if period.any():
        # An average is not final before its period ends (METHOD.md, version 2).
        ok = _meets(bounds.take(target_of), _round9(mean))
        code = np.where(
            period, np.select([ok & (ends <= as_of), ends <= as_of, ok], [0, 1, 3], 2), code
        )
    met_years = runs.year[points[met_points]].tolist()
    met_from = np.r_[0, np.cumsum(n_met)].tolist()
    return _StandingVerdicts(
        status=[("achieved", "missed", "off_track", "on_track")[c] for c in code.tolist()],
        latest_year=runs.year[latest].tolist(),
        latest_value=runs.value[latest].tolist(),
        progress=(n_met / counts).tolist(),
        years_met=[tuple(met_years[a:b]) for a, b in zip(met_from[:-1], met_from[1:], strict=True)],
        mean=_objects(mean).tolist(),
    )


class _Bounds(NamedTuple):
    """A target's numbers (NaN where not given) and their forms rounded as `met` compares
    them, one entry per target or, once taken, per cell. A period-average target's bounds
    are its `mean_min`/`mean_max`; a growth target's level is set per cell (`with_level`)."""

    low: np.ndarray
    high: np.ndarray
    times: np.ndarray
    strict: np.ndarray  # exclusive: "more than", "less than"
    slack: np.ndarray  # the tolerance of an approximate target ("khoảng"), else 0
    r_min: np.ndarray
    r_max: np.ndarray
    r_low: np.ndarray  # min, less the tolerance of an approximate target
    r_high: np.ndarray  # max, plus that tolerance

    @classmethod
    def of(cls, targets: list[Target]) -> _Bounds:
        pairs = [bounds_of(t) if not t.is_growth else (None, None) for t in targets]
        low = np.array([np.nan if lo is None else lo for lo, _ in pairs], dtype=np.float64)
        high = np.array([np.nan if hi is None else hi for _, hi in pairs], dtype=np.float64)
        slack = np.array([APPROX_TOLERANCE if t.approx else 0.0 for t in targets])
        times = np.array(
            [np.nan if t.min_times_baseline is None else t.min_times_baseline for t in targets],
            dtype=np.float64,
        )
        strict = np.array([t.exclusive for t in targets], dtype=bool)
        return cls._rounded(low, high, times, strict, slack)

    @classmethod
    def _rounded(cls, low, high, times, strict, slack) -> _Bounds:
        return cls(
            low,
            high,
            times,
            strict,
            slack,
            _round9(low),
            _round9(high),
            _round9(low * (1 - slack)),
            _round9(high * (1 + slack)),
        )

    def take(self, positions: np.ndarray) -> _Bounds:
        return _Bounds(*(column[positions] for column in self))

    def with_level(self, lower: np.ndarray, upper: np.ndarray, level: np.ndarray) -> _Bounds:
        """Growth cells' level as their `min` (`lower`) or `max` (`upper`), without tolerance;
        every other cell keeps its own: a "khoảng" target judged beside a growth target is
        still met at 95% of its `min` (105% of its `max`), as `met` says."""
        low = np.where(lower, level, self.low)
        high = np.where(upper, level, self.high)
        slack = np.where(lower | upper, 0.0, self.slack)
        return _Bounds._rounded(low, high, self.times, self.strict, slack)

    @property
    def is_times(self) -> np.ndarray:
        return ~np.isnan(self.times)

    @property
    def is_between(self) -> np.ndarray:
        return ~np.isnan(self.low) & ~np.isnan(self.high)

    @property
    def is_min(self) -> np.ndarray:
        return ~np.isnan(self.low) & np.isnan(self.high)

    @property
    def is_max(self) -> np.ndarray:
        return np.isnan(self.low) & ~np.isnan(self.high)


def _meets(bounds: _Bounds, r_value: np.ndarray, r_goal: np.ndarray | None = None) -> np.ndarray:
    """`met` over arrays: `r_value` and `r_goal` already rounded (`_round9`); `r_goal` only
    for `min_times_baseline` targets."""
    strict = bounds.strict
    met = (
        (bounds.is_between & (bounds.r_min <= r_value) & (r_value <= bounds.r_max))
        | (bounds.is_min & np.where(strict, r_value > bounds.r_low, r_value >= bounds.r_low))
        | (bounds.is_max & np.where(strict, r_value < bounds.r_high, r_value <= bounds.r_high))
    )
    if r_goal is not None:
        met |= bounds.is_times & np.where(strict, r_value > r_goal, r_value >= r_goal)
    return met


_CELL_STATUSES = (
    "achieved",
    "missed",
    "pending",
    "insufficient_data",
    "on_track",
    "needs_acceleration",
    "off_track",
    "regressing",
)
_CELL_STATUS_WORDS = np.array(_CELL_STATUSES, dtype=object)


def _round9(values: np.ndarray) -> np.ndarray:
    """`_r` of each value: Python's round, to the last bit (np.round alone may differ).

    Python's round is the double nearest to n / 10⁹, n the exact value × 10⁹ rounded half to
    even. When |x × 10⁹| < 2⁵² and that product, as computed, is farther from a half-integer
    than its rounding error, np.rint finds the same n and the division by 10⁹ (both exact) is
    the same nearest double. NaN and ±inf come out of np.rint as they go in, as from `round`;
    every other value (near a tie, or huge) goes through `round`.
    """
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = values * 10.0**DECIMALS
        half = np.abs(scaled - np.floor(scaled) - 0.5)
        safe = (np.abs(scaled) < 2.0**52) & (half > np.abs(scaled) * 2.0**-50) | ~np.isfinite(
            values
        )
        out = np.rint(scaled) / 10.0**DECIMALS
    for i in np.flatnonzero(~safe).tolist():
        out[i] = round(float(values[i]), DECIMALS)
    return out


@_QUIET_OVERFLOW
def _judge_dated_cells(
    targets: list[Target],
    milestone: np.ndarray,
    target_of: np.ndarray,
    latest_year: np.ndarray,
    latest_value: np.ndarray,
    b_year: np.ndarray,
    b_value: np.ndarray,
    n_fit: np.ndarray,
    projected: np.ndarray,
    as_of: int,
    level: np.ndarray | None = None,
) -> tuple[np.ndarray, ...]:
    """Steps 2-6 of METHOD.md for many dated-target cells at once: `goal_for`, `met`, `share`
    and `_pace` over arrays, compared after Python's rounding to 9 decimals like them.

    `target_of`: each cell's position in `targets`; `projected`: NaN where there is none;
    `level`: a growth cell's goal (`growth_level`), NaN for the other cells.
    Returns arrays (status, progress, goal, projected_progress, expected): the statuses' words,
    the rest numbers, NaN where undefined.
    """
    # The target's own numbers, and their rounded forms, once per target, then per cell.
    bounds = _Bounds.of(targets).take(target_of)
    if level is not None and len(level) and not np.isnan(level).all():
        lower = np.array([t.min_growth is not None for t in targets], dtype=bool)[target_of]
        upper = np.array([t.max_growth is not None for t in targets], dtype=bool)[target_of]
        bounds = bounds.with_level(lower, upper, level)
    t_min, t_max, is_between, is_min = bounds.low, bounds.high, bounds.is_between, bounds.is_min
    year = np.array([t.end_year for t in targets], dtype=np.float64)[target_of]
    r_latest = _round9(latest_value)
    goal = np.where(
        bounds.is_times,
        bounds.times * b_value,
        np.where(
            is_between,
            np.where(r_latest > bounds.r_max, t_max, t_min),
            np.where(is_min, t_min, t_max),
        ),
    )
    r_goal, r_base = _round9(goal), _round9(b_value)

    def met(r_value: np.ndarray) -> np.ndarray:
        return _meets(bounds, r_value, r_goal)

    def share(value: np.ndarray, met_value: np.ndarray) -> np.ndarray:
        distance = (value - b_value) / (goal - b_value)
        return np.where(
            is_between & met_value,
            1.0,
            np.where(r_goal == r_base, np.where(met_value, 1.0, 0.0), distance),
        )

    met_latest = met(r_latest)
    progress = share(latest_value, met_latest)
    has_projection = ~np.isnan(projected)
    r_projected = _round9(projected)
    projected_progress = np.where(has_projection, share(projected, met(r_projected)), np.nan)
    pp = _round9(projected_progress)
    pace = np.select([pp >= ON_TRACK, pp >= NEEDS_ACCELERATION, pp >= NOT_REGRESSING], [4, 5, 6], 7)
    # A cell that gets this far projects (two fit years, its year ahead); its projected
    # progress is NaN only where the arithmetic passed the float range (inf − inf): the
    # trend is not defined, which is not "regressing".
    code = np.select(
        [met_latest, year <= as_of, milestone[target_of], (n_fit < 2) | np.isnan(pp)],
        [0, 1, 2, 3],
        pace,
    )
    expected = np.where(year != b_year, (latest_year - b_year) / (year - b_year), np.nan)
    return (
        _CELL_STATUS_WORDS[code],
        *(_finite(numbers) for numbers in (progress, goal, projected_progress, expected)),
    )


def _finite(values: np.ndarray) -> np.ndarray:
    """NaN (not defined, METHOD.md) where a number is ±inf: never written as inf, nor as
    JSON's invalid Infinity."""
    return np.where(np.isfinite(values), values, np.nan)


def _objects(values: np.ndarray) -> np.ndarray:
    """Numbers as Python's (an object array), None for NaN."""
    objects = values.astype(object)
    objects[np.isnan(values)] = None
    return objects


def assessments_frame(rows: list[Assessment]) -> pd.DataFrame:
    """The assessments as a table (CSV_COLUMNS first), for pages and exports."""
    frame = pd.DataFrame([asdict(row) for row in rows])
    if frame.empty:
        frame = pd.DataFrame(columns=[*CSV_COLUMNS, "target_index"])
    order = [*CSV_COLUMNS, *[c for c in frame.columns if c not in CSV_COLUMNS]]
    return frame[order]
