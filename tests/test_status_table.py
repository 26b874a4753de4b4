"""`python -m kpis status`'s table for people (kpis.commands.status.write_table): coded by
column for national runs, it prints exactly what wording and padding each row alone prints."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from kpis.commands.status import write_table
from kpis.i18n import format_number, format_percent, status_word
from kpis.progress import CODED_FIELDS, NUMBER_ARRAY_FIELDS
from kpis.shown import projection, projections
from kpis.ui_text import region_label
from tests.helpers import make_plan, many_regions

PLAN = make_plan(
    {"id": "orgs", "name": "Tổ chức KH&CN", "name_en": "S&T organisations", "integer": True},
    {"id": "share", "name": "Tỷ lệ đổi mới", "unit": "%"},  # no English name: marked
    {"id": "spend", "name": "Chi cho KH&CN", "name_en": "S&T spending", "unit": "tỷ đồng"},
    region="Thái Nguyên",
    regions=[
        {"name": "Thái Nguyên"},
        {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"},
    ],
)
STATUSES = ["achieved", "on_track", "off_track", "missed", "no_data", "insufficient_data"]
# Values that format alike (0 and -0.0, a repeated value as float and as estimate), rounding
# edges, negatives, thousands, undefined (None, NaN).
NUMBERS = [0.0, -0.0, -0.004, 0.005, 0.125, 1.005, -2.25, 2.5, 3.5, 12.35, 1234.5, -98765.4321]
NUMBERS += [1e7 + 0.5, 0.15, None, math.nan]
# Shares whose percentage is a half (rounded to even) or near one, below zero, near a whole
# percentage, huge, infinite; and random ones.
SHARES = [*NUMBERS, 0.955, -0.005, 1.5, 0.285, 0.575, 0.0049999, 0.0050001, -0.025, 1e300]
SHARES += [k / 200 for k in range(-7, 8)] + [math.inf, -math.inf]
SHARES += np.random.default_rng(7).uniform(-1, 3, 200).tolist()


def _columns(rows: int, seed: int) -> dict[str, list]:
    pick = random.Random(seed).choice
    latest_years = [None, 2019, 2024, 2025]
    return {
        "region": [pick(["Thái Nguyên", "Bắc Kạn", "Hà Nội"]) for _ in range(rows)],
        "indicator": [pick(["orgs", "share", "spend"]) for _ in range(rows)],
        "target_year": [pick([2025, 2030]) for _ in range(rows)],
        "status": [pick(STATUSES) for _ in range(rows)],
        "latest_year": [pick(latest_years) for _ in range(rows)],
        "latest_value": [pick(NUMBERS) for _ in range(rows)],
        "latest_is_estimate": [pick([True, False]) for _ in range(rows)],
        "progress": [pick(SHARES) for _ in range(rows)],
        "projected_value": [pick(NUMBERS) for _ in range(rows)],
    }


def _row_by_row(columns: dict[str, list], lang: str) -> str:
    """The table as the command printed it before it coded columns: every cell worded alone,
    each column padded to its widest cell, trailing spaces dropped."""
    header = (
        ["Region", "Indicator", "Target year", "Status", "Latest", "Value", "Progress", "Projected"]
        if lang == "en"
        else ["Địa bàn", "Chỉ tiêu", "Năm MT", "Trạng thái", "Năm", "Giá trị", "Tiến độ", "Dự báo"]
    )
    mark = " (estimate)" if lang == "en" else " (ước)"
    rows = [header]
    for i in range(len(columns["region"])):
        indicator = PLAN.indicator(columns["indicator"][i])
        latest, projected = columns["latest_value"][i], columns["projected_value"][i]
        defined = projected is not None and not math.isnan(projected)
        rows.append(
            [
                region_label(PLAN, columns["region"][i], lang),
                indicator.text("name", lang),
                str(columns["target_year"][i]),
                status_word(columns["status"][i], lang),
                str(columns["latest_year"][i] or "–"),
                format_number(latest, lang) + (mark if columns["latest_is_estimate"][i] else ""),
                format_percent(columns["progress"][i], lang),
                format_number(projection(indicator, projected) if defined else None, lang),
            ]
        )
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "".join(line.rstrip() + "\n" for line in lines)


def _number_arrays(columns: dict[str, list]) -> dict:
    """The columns as `assess_coded(number_arrays=True)` gives them to the command."""
    arrays = {name: pd.Categorical(columns[name]) for name in CODED_FIELDS}
    arrays = {**columns, **arrays}
    for name in NUMBER_ARRAY_FIELDS:
        arrays[name] = np.array([math.nan if v is None else v for v in columns[name]], dtype=float)
    arrays["latest_is_estimate"] = np.array(columns["latest_is_estimate"], dtype=bool)
    return arrays


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("rows", "seed"), [(1, 1), (40, 2), (3000, 3)])
@pytest.mark.parametrize("numbers", ["lists", "arrays"])
def test_table_is_what_each_row_worded_alone_prints(capsys, lang, rows, seed, numbers):
    columns = _columns(rows, seed)
    write_table(columns if numbers == "lists" else _number_arrays(columns), lang, PLAN)
    printed = capsys.readouterr().out
    assert printed == _row_by_row(columns, lang)
    if rows > 1:  # what the comparison covers: a merged region, estimates, missing numbers
        merged = region_label(PLAN, "Bắc Kạn", lang)
        assert merged != "Bắc Kạn" and merged in printed
        assert ("(estimate)" if lang == "en" else "(ước)") in printed
        assert "–" in printed and "-2" in printed


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_empty_table(capsys, lang):
    columns = {name: [] for name in _columns(0, 0)}
    write_table(columns, lang, PLAN)
    assert capsys.readouterr().out == _row_by_row(columns, lang)


def test_projections_round_as_projection_does():
    values = np.array([v for v in NUMBERS if v is not None] + [0.05, 0.25, -0.35, 2.675, 1e15])
    for integer in (True, False):
        indicator = PLAN.indicator("orgs" if integer else "spend")
        flags = np.full(len(values), integer)
        # Python floats, as the assessments hold them: numpy's own round(x, 1) rounds 12.35
        # (12.3499...) up, Python's down
        expected = [
            math.nan if math.isnan(v) else projection(indicator, v) for v in values.tolist()
        ]
        np.testing.assert_array_equal(projections(values, flags), np.array(expected))


def test_a_region_without_rows_takes_no_width_in_the_coded_table(capsys):
    # Bắc Kạn ceased in 2025 (`until`): it has figures but no row for a 2030 target, and its
    # label, the widest, must not widen the region column of the coded table.
    from kpis.progress import assess_coded, code_figures
    from tests.helpers import make_figures

    plan = make_plan(
        {"id": "orgs", "integer": True, "targets": [{"year": 2030, "min": 5}]},
        region="Thái Nguyên",
        regions=[
            {"name": "Thái Nguyên"},
            {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"},
        ],
    )
    figures = make_figures(plan, [("orgs", 2024, 3, "Thái Nguyên"), ("orgs", 2024, 2, "Bắc Kạn")])
    coded = code_figures(plan, figures)
    printed = {}
    for arrays in (False, True):
        columns = assess_coded(plan, coded, 2024, number_arrays=arrays)
        write_table(columns, "vi", plan)
        printed[arrays] = capsys.readouterr().out
    assert printed[True] == printed[False]
    assert "Bắc Kạn" not in printed[True] and "Thái Nguyên" in printed[True]
    assert printed[True].splitlines()[2].startswith("Thái Nguyên  ")  # no wider than its name


@pytest.mark.parametrize(
    "options", [[], ["--lang", "en"], ["--format", "csv"], ["--format", "json"]]
)
def test_the_status_written_from_two_halves_of_the_regions_is_the_wholes(
    tmp_path, capsys, monkeypatch, options
):
    """At national scale the regions are judged in two halves, one a core
    (`kpis.progress.region_parts`): what `python -m kpis status` writes is unchanged."""
    from kpis import cores
    from kpis.cli import main

    targets = many_regions(tmp_path, seed=1)
    arguments = ["status", *options, "--targets", str(targets), "--data", str(tmp_path / "data")]
    assert main(arguments) == 0
    whole = capsys.readouterr().out
    monkeypatch.setattr(cores, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    assert main(arguments) == 0
    assert capsys.readouterr().out == whole and "Bình Định" in whole and "Yên Bái" in whole
