"""kpis.ui_text.progress_words: a target's progress in words, for every form, on tiny plans
judged by kpis.progress (so the words sit on METHOD's number, never a second reckoning)."""

from __future__ import annotations

import pytest

from kpis.progress import assess
from kpis.ui_text import progress_share_text, progress_words
from tests.helpers import make_figures, make_plan

# (target, direction, unit, figures from 2015 on, status, vi, en, vi short)
CASES = [
    pytest.param(
        {"year": 2025, "min": 80, "exclusive": True},
        "increase",
        "%",
        [55, 80],
        "missed",
        "100% quãng đường từ năm gốc 2015 đến mức 80%, nhưng chưa vượt mức này",
        "100% of the way from the 2015 baseline to 80%, but not yet above it",
        "100% từ năm gốc 2015; bằng 80%, chưa vượt",
        id="trên 80% at exactly 80%: 100% and what is missing",
    ),
    pytest.param(
        {"year": 2025, "min": 25, "exclusive": True},
        "increase",
        "nhiệm vụ",
        [24, 27],
        "achieved",
        "300% quãng đường từ năm gốc 2015 đến mục tiêu",
        "300% of the way from the 2015 baseline to the target",
        "300% từ năm gốc 2015",
        id="hơn 25 at 27 from 24: 300% of the way, said so",
    ),
    pytest.param(
        {"year": 2025, "max": 5, "exclusive": True},
        "decrease",
        "%",
        [9, 5],
        "missed",
        "100% quãng đường từ năm gốc 2015 đến mức 5%, nhưng chưa xuống dưới mức này",
        "100% of the way from the 2015 baseline to 5%, but not yet below it",
        "100% từ năm gốc 2015; bằng 5%, chưa xuống dưới",
        id="dưới 5% at exactly 5%",
    ),
    pytest.param(
        {"year": 2025, "min": 80},
        "increase",
        "%",
        [55, 80],
        "achieved",
        "100% quãng đường từ năm gốc 2015 đến mục tiêu",
        "100% of the way from the 2015 baseline to the target",
        "100% từ năm gốc 2015",
        id="at least 80% at 80%: complete",
    ),
    pytest.param(
        {"year": 2025, "min": 80},
        "increase",
        "%",
        [0, 79.7],
        "missed",
        "99% quãng đường từ năm gốc 2015 đến mục tiêu",
        "99% of the way from the 2015 baseline to the target",
        "99% từ năm gốc 2015",
        id="99.6% short of the goal never rounds up to 100%",
    ),
    pytest.param(
        {"year": 2025, "min": 40, "max": 50},
        "increase",
        "%",
        [10, 60],
        "missed",
        "125% quãng đường từ năm gốc 2015 đến mức 50%, đã ra ngoài khoảng mục tiêu",
        "125% of the way from the 2015 baseline to 50%, now past the target's band",
        "125% từ năm gốc 2015; đã ra ngoài khoảng mục tiêu",
        id="a band passed through",
    ),
]


def judged(target: dict, direction: str, unit: str, values: list[float]):
    plan = make_plan(
        {"id": "x", "unit": unit, "direction": direction, "targets": [target]},
        baseline_year=2015,
    )
    rows = [("x", 2015 + i * 10, v) for i, v in enumerate(values)]
    [row] = assess(plan, make_figures(plan, rows), as_of=2025)
    indicator = plan.indicator("x")
    return row, indicator.targets[0], indicator


@pytest.mark.parametrize("target, direction, unit, values, status, vi, en, vi_short", CASES)
def test_progress_words(target, direction, unit, values, status, vi, en, vi_short):
    row, target, indicator = judged(target, direction, unit, values)
    assert row.status == status  # METHOD's status, untouched
    assert progress_words(row, target, indicator, "vi") == vi
    assert progress_words(row, target, indicator, "en") == en
    assert progress_words(row, target, indicator, "vi", short=True) == vi_short


def test_the_number_stays_methods():
    row, _, _ = judged({"year": 2025, "min": 80, "exclusive": True}, "increase", "%", [55, 80])
    assert row.progress == 1.0  # «trên 80%» at 80%: the share is 1, the status missed
    assert progress_share_text(row, "vi") == "100%"


def test_a_milestone_and_no_figure_stay_bare():
    plan = make_plan(
        {"id": "m", "kind": "milestone", "targets": [{"year": 2025, "min": 1}]},
        {"id": "n", "targets": [{"year": 2025, "min": 3}]},
    )
    rows = assess(plan, make_figures(plan, [("m", 2016, 1)]), as_of=2025)
    shown = {
        r.indicator: progress_words(
            r, plan.indicator(r.indicator).targets[0], plan.indicator(r.indicator), "vi"
        )
        for r in rows
    }
    assert shown == {"m": "100%", "n": "–"}
