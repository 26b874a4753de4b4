"""One int64 per figure for its indicator, region and year: sorting, grouping and finding a
figure given twice by one number instead of three columns (two of them text)."""

from __future__ import annotations

import numpy as np


def figure_key(
    indicator: np.ndarray,
    region: np.ndarray,
    year: np.ndarray,
    n_regions: int,
    span: int,
    first_year: int,
) -> np.ndarray:
    """(indicator × n_regions + region) × span + (year − first_year), from the indicator and
    region codes and the years (`span` of them from `first_year`): ordered as the three
    columns sort, and distinct for distinct figures while the codes and years stay in range.
    Worked out in one new array: a new array at each step, of millions of int64, took as long
    again as the arithmetic."""
    key = indicator.astype(np.int64)  # a copy, even of int64
    key *= n_regions
    key += region
    key *= span
    key += year
    key -= first_year
    return key
