"""kpis.table_rows: the rows where a mask holds are `table[mask]`'s, column for column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from kpis.table_rows import rows_where


def table(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 500
    texts = pd.Series([f"Báo cáo {i}, số {rng.integers(9)}" for i in range(n)], dtype="str")
    chunked = pa.chunked_array(
        [pa.array(texts[:120]), pa.array([], pa.large_string())] + [pa.array(texts[120:])]
    )
    return pd.DataFrame(
        {
            "indicator": pd.Series(pd.array(chunked, dtype="str")),
            "region": pd.Series(rng.choice(["Bắc Kạn", "", None], n), dtype="str"),
            "year": rng.integers(2011, 2026, n),
            "value": rng.random(n),
            "estimate": rng.random(n) < 0.3,
            "file": pd.Categorical(rng.choice(["a.csv", "b.csv"], n)),
            "line": np.arange(2, n + 2),
            "other": pd.Series(["x"] * n, dtype=object),
        },
        index=np.arange(n) * 3,  # (not positions)
    )


@pytest.mark.parametrize("seed", range(6))
def test_the_rows_are_those_pandas_selects(seed):
    frame = table(seed)
    for mask in (frame["year"] == 2025, frame["value"] < 0.5, np.zeros(len(frame), bool)):
        chosen = rows_where(frame, mask)
        pd.testing.assert_frame_equal(chosen, frame[np.asarray(mask)].reset_index(drop=True))
