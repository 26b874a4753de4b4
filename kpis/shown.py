"""One rule for each number people read in several places: a projection, a latest figure.

The pages, the charts, /present, the deck and the narrative all call these, so "4 tổ chức"
on a slide is never "4,13 tổ chức" on the page, and the latest figure of a target is the
same on the overview's card and on the indicator's slide.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kpis.plan import Indicator
from kpis.progress import Assessment
from kpis.ui_text import with_unit


def projection(indicator: Indicator, value: float) -> float:
    """A projection as a person would say it: whole for counts, one decimal otherwise."""
    return float(round(value)) if indicator.integer else round(value, 1)


def projections(values: np.ndarray, integer: np.ndarray) -> np.ndarray:
    """`projection` of many values at once (`integer`: whether each value's indicator counts
    whole things; NaN stays NaN), for the status command's hundred thousand rows.

    np.rint rounds half to even as round() does; round(value, 1) has no exact numpy twin, so
    it is called once per distinct value.
    """
    shown = np.rint(values)
    decimal = ~integer & ~np.isnan(values)
    if decimal.any():
        codes, uniques = pd.factorize(values[decimal])
        shown[decimal] = np.array([round(value, 1) for value in uniques.tolist()])[codes]
    return shown


def projection_text(value: float | None, indicator: Indicator, lang: str) -> str:
    """'4 tổ chức', '2,3%': the projection rounded by `projection`, with its unit ('' if none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return with_unit(projection(indicator, value), indicator, lang)


def latest_figure(
    row: Assessment | None, points: pd.DataFrame
) -> tuple[int, float] | tuple[None, None]:
    """(year, value) of the latest figure shown for a target: the one its status was judged
    on (`row`), else, for an indicator without a target, the last point of its series."""
    if row is not None:
        if row.latest_year is None or row.latest_value is None:
            return None, None
        return int(row.latest_year), float(row.latest_value)
    if not len(points):
        return None, None
    last = points.sort_values("year").iloc[-1]
    return int(last["year"]), float(last["value"])
