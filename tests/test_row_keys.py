"""One int64 per figure (kpis.row_keys): it sorts as indicator, region and year sort, and two
figures share one only when all three are the same."""

from __future__ import annotations

import numpy as np
import pytest

from kpis.row_keys import figure_key


def test_the_key_sorts_as_the_three_columns_and_tells_figures_apart():
    rng = np.random.default_rng(14)
    indicator = rng.integers(0, 7, 5000).astype(np.int32)
    region = rng.integers(0, 40, 5000).astype(np.int32)
    year = rng.integers(1996, 2031, 5000)
    key = figure_key(indicator, region, year, 40, 2030 - 1996 + 1, 1996)
    order = np.lexsort((year, region, indicator))
    assert np.array_equal(np.argsort(key, kind="stable"), order)
    triples = set(zip(indicator.tolist(), region.tolist(), year.tolist(), strict=True))
    assert len(set(key.tolist())) == len(triples)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_the_sort_key_sorts_by_indicator_region_and_year_and_leaves_the_codes_alone(dtype):
    ind, reg = np.array([2, 0, 1, 0], dtype=dtype), np.array([1, 2, 0, 0], dtype=dtype)
    year = np.array([2020, 2016, 2015, 2030])
    key = figure_key(ind, reg, year, n_regions=3, span=16, first_year=2015)
    rows = zip(ind.tolist(), reg.tolist(), year.tolist(), strict=True)
    assert key.tolist() == [(i * 3 + r) * 16 + y - 2015 for i, r, y in rows]
    assert np.argsort(key).tolist() == [3, 1, 2, 0]
    assert ind.tolist() == [2, 0, 1, 0] and key.dtype == np.int64
