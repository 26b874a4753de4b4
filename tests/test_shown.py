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


# A province merged in its targets' year (Bắc Kạn, `until` 2025, into Thái Nguyên): METHOD.md
# gives it no_data rows for the 2025 targets; everything a person reads says «Không áp dụng»
# and counts them apart from «Chưa có số liệu».
MERGED = make_plan(
    {"id": "share", "unit": "%", "targets": [{"year": 2024, "min": 50}, {"year": 2025, "min": 80}]},
    {"id": "pii"},  # tracked: Bắc Kạn's only figure
    regions=[
        {"name": "Thái Nguyên"},
        {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"},
    ],
    region="Thái Nguyên",
    baseline_year=2023,
)
MERGED_ROWS = [
    ("share", 2023, 60, "Thái Nguyên"),
    ("share", 2025, 85, "Thái Nguyên"),
    ("pii", 2023, 40, "Bắc Kạn"),  # a region with figures, none for the target
]


@pytest.mark.parametrize(
    ("lang", "summary", "words", "note"),
    [
        (
            "vi",
            "1 Chưa có số liệu · 1 Không áp dụng",
            ["Chưa có số liệu", "Không áp dụng"],
            "Không áp dụng: Bắc Kạn (đến 2025, nay thuộc Thái Nguyên) không có số liệu",
        ),
        (
            "en",
            "1 No data · 1 Not applicable",
            ["No data", "Not applicable"],
            "Not applicable: Bắc Kạn (until 2025, now part of Thái Nguyên) has no figure",
        ),
    ],
)
def test_a_merged_regions_last_year_target_reads_not_applicable_everywhere(
    lang, summary, words, note
):
    from kpis.cards import build_scorecard
    from kpis.progress import effective_series
    from kpis.report import build_written_report
    from kpis.slides import build_slides

    table = make_figures(MERGED, MERGED_ROWS)
    report = prepare(MERGED, table, region="Bắc Kạn", as_of=2025, lang=lang)
    # METHOD's rows are untouched: both no_data, the CLI's as before
    assert [r.status for r in report.assessments] == ["no_data", "no_data"]
    slides = build_slides(report)
    scorecard = slides[1]
    assert scorecard.summary == summary  # the deck's and /present's count
    assert [row.status_word for row in scorecard.rows] == words
    assert any(note in said for said in slides[2].notes)  # the speaker notes say why
    written = build_written_report(report)
    assert [line.status_word for line in written.rows] == words
    assert written.status_lines[-1].startswith(words[1])  # counted apart, last
    cards = build_scorecard(
        MERGED, table, effective_series(MERGED, table), report.assessments, 2025, "Bắc Kạn", lang
    )
    assert cards.counts == (("no_data", 1), ("not_applicable", 1))
    [(_, (first, last, _))] = cards.groups  # the two targets, then the tracked indicator
    assert (first.status, first.bar) == ("no_data", True)
    assert (last.status, last.bar) == ("not_applicable", False)  # no progress bar to draw


def test_a_merged_region_judged_on_a_figure_keeps_its_status():
    from kpis.shown import shown_status

    rows = [*MERGED_ROWS, ("share", 2023, 40, "Bắc Kạn"), ("share", 2025, 81, "Bắc Kạn")]
    report = prepare(MERGED, make_figures(MERGED, rows), region="Bắc Kạn", as_of=2025)
    assert [shown_status(MERGED, r) for r in report.assessments] == ["missed", "achieved"]
    # and the region that lives on is never «not applicable», with or without a figure
    thai = prepare(MERGED, make_figures(MERGED, [("pii", 2023, 1, "Thái Nguyên")]))
    assert [shown_status(MERGED, r) for r in thai.assessments] == ["no_data", "no_data"]
