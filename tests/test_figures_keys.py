"""kpis.figures.Keys: the indicator and region codes found while the figures are checked are
the table's own `pd.factorize`, rows left out or not, and the series the judgement codes from
them is the one it codes afresh (kpis.progress.code_figures)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from kpis import cores
from kpis.figures import _factorized, _factorized_rows, read_figures
from kpis.progress import code_figures
from tests.helpers import make_plan

PLAN = make_plan(
    {"id": "orgs", "integer": True},
    {"id": "spend", "kind": "cumulative", "cumulative_from": 2019},
    {"id": "budget"},
    {"id": "ratio", "formula": "spend / budget"},
)


def write(folder, files: dict[str, str]) -> None:
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_text("indicator,region,year,value\n" + body, encoding="utf-8")


def factorize(column: pd.Series) -> tuple[list[int], list[str]]:
    codes, uniques = pd.factorize(column)
    return codes.tolist(), list(uniques)


@pytest.mark.parametrize(
    "files",
    [
        # every row kept: the codes as the checks found them
        {
            "2020.csv": "orgs,Cao Bằng,2020,3\nspend,,2020,4\n",
            "2021.csv": "budget,Hà Giang,2021,2\n",
        },
        # the first row of a region and of an indicator refused: both appear later, in
        # another order than in the cells read
        {
            "2020.csv": "budget,Hà Giang,2020,abc\norgs,Cao Bằng,2020,3\n",
            "2021.csv": "budget,Hà Giang,2021,1.5\nspend,,2021,2\n",
        },
        # a region and an indicator only on refused rows: no code of their own
        {"2020.csv": "orgs,Lạng Sơn,2020,-1\nspend,Cao Bằng,2020,4\nbudget,,2020,x\n"},
        # the same without a blank region, which the checks would rename (the regions are then
        # coded as the cells were read, the refused rows' left out)
        {
            "2020.csv": "budget,Hà Giang,2020,abc\norgs,Cao Bằng,2020,3\n",
            "2021.csv": "budget,Hà Giang,2021,1.5\nspend,Lạng Sơn,2021,2\n",
        },
        {"2020.csv": "orgs,Lạng Sơn,2020,-1\nspend,Cao Bằng,2020,4\nbudget,Hà Giang,2020,1\n"},
    ],
)
@pytest.mark.parametrize("in_two_threads", [False, True])
def test_the_keys_are_the_tables_own_codes(tmp_path, monkeypatch, files, in_two_threads):
    # (the checks code the columns in two threads at national scale)
    monkeypatch.setattr(cores, "PARALLEL_ROWS", 0 if in_two_threads else 10**9)
    write(tmp_path / "data", files)
    figures = read_figures(tmp_path / "data", PLAN)
    assert figures.keys is not None
    for name in ("indicator", "region"):
        codes, names = getattr(figures.keys, name)
        assert (codes.tolist(), names) == factorize(figures.table[name])


def test_with_the_plans_regions_the_keys_are_the_declared_names_codes(tmp_path):
    # An alias is its region's declared name in the table: the codes are of the names.
    plan = make_plan(
        {"id": "orgs"},
        regions=[{"name": "Thái Nguyên", "aliases": ["Thai Nguyen"]}, {"name": "Bắc Kạn"}],
    )
    write(
        tmp_path / "data",
        {"2020.csv": "orgs,Thai Nguyen,2020,3\norgs,Bắc Kạn,2020,4\norgs,Thái Nguyên,2021,5\n"},
    )
    figures = read_figures(tmp_path / "data", plan)
    assert figures.table["region"].tolist() == ["Thái Nguyên", "Bắc Kạn", "Thái Nguyên"]
    codes, names = figures.keys.region
    assert (codes.tolist(), names) == ([0, 1, 0], ["Thái Nguyên", "Bắc Kạn"])


def test_rows_left_out_after_the_checks_leave_no_keys_to_trust(tmp_path):
    # A figure given twice across files and a misspelt region: rows go after the checks.
    write(
        tmp_path / "data",
        {
            "2020.csv": "orgs,Cao Bằng,2020,3\norgs,CAO BẰNG,2020,4\norgs,Cao Bằng,2021,3\n",
            "2021.csv": "orgs,Cao Bằng,2021,5\n",
        },
    )
    figures = read_figures(tmp_path / "data", PLAN)
    assert len(figures.errors) == 2 and len(figures.table) == 2
    assert figures.keys is None


def test_the_judgements_series_is_the_same_from_the_keys(tmp_path):
    # a cumulative indicator, a derived one and a blank region among them
    write(
        tmp_path / "data",
        {
            "2020.csv": "spend,Cao Bằng,2020,3\nbudget,Cao Bằng,2020,2\norgs,,2020,abc\n",
            "2021.csv": "spend,Cao Bằng,2021,4\nbudget,Cao Bằng,2021,8\nspend,,2021,1\n",
        },
    )
    figures = read_figures(tmp_path / "data", PLAN)
    fresh = code_figures(PLAN, figures.table)
    from_keys = code_figures(PLAN, figures.table, figures.keys)
    # with the keys, the table's texts are not needed (`status` lets them go first)
    numbers_only = code_figures(PLAN, figures.table[["year", "value", "estimate"]], figures.keys)
    for coded in (from_keys, numbers_only):
        assert fresh.indicators == coded.indicators and fresh.regions == coded.regions
        for name in ("ind", "reg", "year", "value", "estimate"):
            assert np.array_equal(getattr(fresh, name), getattr(coded, name)), name


@pytest.mark.parametrize(
    ("codes", "names", "rows", "expected"),
    [
        ([0, 1, 0, 2], ["a", "b", "c"], [1, 1, 1, 1], ([0, 1, 0, 2], ["a", "b", "c"])),
        ([0, 1, 0, 2], ["a", "b", "c"], [1, 0, 1, 1], ([0, 0, 1], ["a", "c"])),
        ([0, 1, 0, 2], ["a", "b", "c"], [0, 1, 1, 1], ([0, 1, 2], ["b", "a", "c"])),
        ([0, 1, 1], ["a", "b"], [0, 0, 0], ([], [])),
    ],
)
def test_some_rows_of_a_column_are_coded_as_pandas_codes_them(codes, names, rows, expected):
    kept = _factorized_rows((np.array(codes, dtype=np.int32), names), np.array(rows, dtype=bool))
    assert (kept[0].tolist(), kept[1]) == expected
    texts = pd.Series(np.array(names, dtype=object)[codes][np.array(rows, dtype=bool)])
    assert factorize(texts) == expected


@pytest.mark.parametrize("seed", range(12))
def test_rows_are_counted_per_file_as_bincount_counts_them(seed):
    """Rows in file order (as read) counted by binary search, others by `np.bincount`: the
    same counts, files without rows included."""
    from kpis.figures import _rows_per_file

    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 9))
    files = rng.integers(0, count, size=int(rng.integers(0, 60))).astype(np.int32)
    for rows in (np.sort(files), files):
        expected = np.bincount(rows, minlength=count)
        assert _rows_per_file(rows, count).tolist() == expected.tolist()


@pytest.mark.parametrize(
    "column",
    [
        # as the reader gives text: held by pyarrow, in chunks (a grid each) that share texts
        pd.Series(
            pd.arrays.ArrowStringArray(
                pa.chunked_array(
                    [["Cao Bằng", "Hà Giang"], ["Hà Giang", "Bắc Kạn", "Cao Bằng"]],
                    type=pa.large_string(),
                )
            )
        ),
        pd.Series(["b", "a", "b", "c"], dtype="str"),
        pd.Series(["b", "a", "b", "c"], dtype=object),
        pd.Series([], dtype="str"),
        pd.Series(["x", None, "x"], dtype="str"),  # (never from the reader)
    ],
)
def test_a_column_is_coded_as_pandas_codes_it(column):
    codes, names = _factorized(column)
    assert codes.dtype == np.int32
    assert (codes.tolist(), names) == factorize(column)
