"""kpis/shown.py: what the figure a target was judged on is called, on the shipped plan and data.

A target whose year has passed is judged on the latest figure up to that year (METHOD.md,
E = min(A, T)); the words must not call it the latest when a later figure exists.
"""

from __future__ import annotations

import pytest

from kpis.dataset import load_dataset
from kpis.export import prepare
from kpis.shown import judged_figure, last_point
from tests.helpers import make_figures, make_plan


@pytest.fixture(scope="module")
def shipped(repo_root):
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    return dataset.plan, dataset.figures.table


def judged(report, indicator_id: str, target_year: int):
    [row] = [r for r in report.rows_of(indicator_id) if r.target_year == target_year]
    return judged_figure(row, last_point(report.points(indicator_id)))


@pytest.mark.parametrize(
    ("indicator", "year", "lang", "label", "caption", "cell"),
    [
        (  # the review's example: 14 in 2020 is the deadline's figure, 24 is 2024's
            "enterprises_tech_innovation",
            2020,
            "vi",
            "Số liệu năm hạn 2020",
            "Số liệu năm hạn 2020",
            "14 doanh nghiệp (năm hạn 2020); mới nhất năm 2024: 24 doanh nghiệp",
        ),
        (
            "enterprises_tech_innovation",
            2020,
            "en",
            "At the 2020 deadline",
            "At the 2020 deadline",
            "14 enterprises (2020 deadline); latest in 2024: 24 enterprises",
        ),
        (
            "hightech_vegetable_models",
            2020,
            "vi",
            "Số liệu năm hạn 2020",
            "Số liệu năm hạn 2020",
            "2 mô hình (năm hạn 2020); mới nhất năm 2024: 3 mô hình",
        ),
        (  # a 2030 target, 2030 not yet reached: its figure is the latest
            "public_st_orgs",
            2030,
            "vi",
            "Số liệu mới nhất",
            "Năm 2024",
            "3 tổ chức (2024)",
        ),
        ("public_st_orgs", 2030, "en", "Latest figure", "Year 2024", "3 organisations (2024)"),
    ],
)
def test_a_figure_judged_at_a_past_deadline_is_called_so_with_the_latest_beside_it(
    shipped, indicator, year, lang, label, caption, cell
):
    plan, table = shipped
    report = prepare(plan, table, as_of=2024, lang=lang)
    shown = judged(report, indicator, year)
    assert shown.label(lang) == label
    assert shown.caption(lang) == caption
    assert shown.text_and_latest(plan.indicator(indicator), lang) == cell
    # a slide's tight cell: the deadline's figure, called so (its slide gives the latest)
    assert shown.text(plan.indicator(indicator), lang) == cell.split("; ")[0]


def test_as_of_the_deadline_itself_the_figure_is_still_the_latest(shipped):
    plan, table = shipped
    report = prepare(plan, table, as_of=2020, lang="vi")
    shown = judged(report, "enterprises_tech_innovation", 2020)
    assert shown.label("vi") == "Số liệu mới nhất"
    assert shown.text_and_latest(plan.indicator("enterprises_tech_innovation"), "vi") == (
        "14 doanh nghiệp (2020)"
    )


def test_a_deadline_without_its_own_years_figure_names_the_year_it_has():
    plan = make_plan(
        {
            "id": "orgs",
            "unit": "tổ chức",
            "unit_en": "organisations",
            "integer": True,
            "targets": [{"year": 2020, "min": 5}],
        }  # fmt: skip
    )
    figures = make_figures(plan, [("orgs", 2016, 1), ("orgs", 2019, 3), ("orgs", 2023, 6)])
    for lang, label, caption, cell in (
        (
            "vi",
            "Số liệu đến hạn 2020",
            "Số liệu đến hạn 2020 · Năm 2019",
            "3 tổ chức (2019, hạn 2020); mới nhất năm 2023: 6 tổ chức",
        ),
        (
            "en",
            "Up to the 2020 deadline",
            "Up to the 2020 deadline · Year 2019",
            "3 organisations (2019; deadline 2020); latest in 2023: 6 organisations",
        ),
    ):
        report = prepare(plan, figures, lang=lang)
        shown = judged(report, "orgs", 2020)
        assert (shown.label(lang), shown.caption(lang)) == (label, caption)
        assert shown.text_and_latest(plan.indicator("orgs"), lang) == cell
