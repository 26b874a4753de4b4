"""The presentation's content (shared by the deck and /present): order, region, as-of, labels."""

from __future__ import annotations

import datetime as dt

import pytest

from kpis.dataset import load_dataset
from kpis.export import prepare
from kpis.figures import parse_figures_bytes
from kpis.slides import (
    IndicatorSlide,
    KeyNumber,
    ScorecardSlide,
    TitleSlide,
    build_slides,
    scorecard_cells,
)
from tests.helpers import make_plan

PLAN = make_plan(
    {"id": "a1", "group": "A", "integer": True, "targets": [{"year": 2030, "min": 10}]},
    {"id": "b1", "group": "B", "integer": True},
    {"id": "a2", "group": "A", "integer": True, "targets": [{"year": 2020, "min": 2}]},
)


def table(source: str = "Báo cáo 12/BC-SKHCN", other_region: bool = False):
    lines = ["indicator,year,value,region,source"]
    for year, value in ((2016, 1), (2018, 3), (2020, 5)):
        lines += [
            f"a1,{year},{value},,{source}",
            f"b1,{year},{value},,{source}",
            f"a2,{year},{value // 2},,{source}",
        ]
    if other_region:
        lines += ["a1,2016,0,Lạng Sơn,Báo cáo LS", "a1,2020,9,Lạng Sơn,Báo cáo LS"]
    frame, problems = parse_figures_bytes(("\n".join(lines) + "\n").encode(), "t.csv", PLAN)
    assert not [p for p in problems if p.is_error]
    return frame


def test_title_then_scorecard_then_indicators_in_the_plans_grouping():
    slides = build_slides(prepare(PLAN, table(), made=dt.date(2025, 1, 31)))
    assert isinstance(slides[0], TitleSlide) and isinstance(slides[1], ScorecardSlide)
    assert [s.indicator.id for s in slides[2:]] == ["a1", "a2", "b1"]  # group A, then B
    assert slides[0].made_line == "Lập ngày 31/01/2025"
    assert slides[0].as_of_line == "Tình hình thực hiện đến năm 2020 · Bắc Kạn"
    assert [row.indicator for row in slides[1].rows] == ["a1", "a2"]


def test_reported_figures_carry_no_illustrative_label_and_name_their_source():
    slides = build_slides(prepare(PLAN, table(), lang="en"))
    assert all(not getattr(s, "illustrative", "") for s in slides)
    a1 = slides[2]
    assert a1.source_line == "Source of figures: Báo cáo 12/BC-SKHCN (2016, 2018, 2020)"
    # no clause in this plan: the document alone, under the same «Basis:» as every plan's
    assert a1.clause_line == "Basis: 1/KH-UBND"


def test_illustrative_figures_are_labelled_on_every_slide():
    slides = build_slides(prepare(PLAN, table("Minh họa – không phải số liệu thực tế"), lang="en"))
    assert slides[0].illustrative == "Illustrative figures, not reported figures"
    assert all(s.illustrative == "Illustrative figures" for s in slides[1:])


def test_an_indicator_without_targets_is_tracked_with_its_latest_figure():
    slides = build_slides(prepare(PLAN, table(), lang="en"))
    [b1] = [s for s in slides if isinstance(s, IndicatorSlide) and s.indicator.id == "b1"]
    assert b1.targets == () and b1.status is None
    assert b1.key_numbers[0].value == "5 cái (no English text yet) (2020)"  # no unit_en
    # the presenter's notes give the figure to say, not only that there is no target
    assert b1.notes == (
        "Latest figure: 5 cái (no English text yet) (2020).",
        "Tracked; the plan sets no target",
    )


def test_region_and_as_of_change_what_is_judged():
    frame = table(other_region=True)
    home = build_slides(prepare(PLAN, frame, lang="en"))
    other = build_slides(prepare(PLAN, frame, region="Lạng Sơn", lang="en"))
    assert home[0].as_of_line == "Progress as of 2020 · Bắc Kạn"
    assert other[0].as_of_line == "Progress as of 2020 · Lạng Sơn"
    assert other[2].key_numbers[0].value == "9 cái (no English text yet) (2020)"
    earlier = build_slides(prepare(PLAN, frame, as_of=2018, lang="en"))
    assert earlier[2].key_numbers[0].value == "3 cái (no English text yet) (2018)"
    assert earlier[2].notes[0].startswith("At the pace of 2016–2018")


def test_a_merged_region_an_estimate_and_a_derived_target_on_the_slides():
    plan = make_plan(
        {
            "id": "orgs",
            "unit": "tổ chức",
            "integer": True,
            "targets": [
                {
                    "year": 2025,  # Bắc Kạn's last year: a later target gets no row for it
                    "min": 5,
                    "note": "Con số 5 là suy ra, văn bản không ghi thẳng: 03 + «thêm 02»",
                }
            ],
        },
        region="Thái Nguyên",
        baseline_year=2020,
        regions=[
            {"name": "Thái Nguyên"},
            {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"},
        ],
    )
    text = (
        "indicator,year,value,region,source,estimate\n"
        "orgs,2020,3,Bắc Kạn,Minh họa,\norgs,2024,4,Bắc Kạn,Minh họa,x\n"
    )
    frame, problems = parse_figures_bytes(text.encode(), "t.csv", plan)
    assert not [p for p in problems if p.is_error]
    slides = build_slides(prepare(plan, frame, region="Bắc Kạn"))
    assert slides[0].as_of_line.endswith("Bắc Kạn (đến 2025, nay thuộc Thái Nguyên)")
    [orgs] = [s for s in slides if isinstance(s, IndicatorSlide)]
    assert orgs.key_numbers[0].value == "4 tổ chức (ước) (2024)"
    # the speaker notes say in plain words that 5 is derived, after the status sentence
    assert orgs.notes[-1] == (
        "≥ 5 tổ chức vào năm 2025: Con số 5 là suy ra, văn bản không ghi thẳng: 03 + «thêm 02»"
    )


@pytest.mark.parametrize(
    ("lang", "column", "cell", "deadline", "latest"),
    [
        (
            "vi",
            "Số liệu xét (năm)",
            "14 doanh nghiệp (năm hạn 2020)",
            KeyNumber("Số liệu năm hạn 2020", "14 doanh nghiệp (2020)"),
            KeyNumber("Số liệu mới nhất", "24 doanh nghiệp (2024)"),
        ),
        (
            "en",
            "Figure judged (year)",
            "14 enterprises (2020 deadline)",
            KeyNumber("At the 2020 deadline", "14 enterprises (2020)"),
            KeyNumber("Latest figure", "24 enterprises (2024)"),
        ),
    ],
)
def test_a_target_past_its_year_shows_its_deadlines_figure_and_the_latest(
    repo_root, lang, column, cell, deadline, latest
):
    """The review's example: the 2020 target was judged on 2020's 14 enterprises, while 2024
    has 24. No slide calls 14 the latest figure."""
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    slides = build_slides(prepare(dataset.plan, dataset.figures.table, as_of=2024, lang=lang))
    scorecards = [s for s in slides if isinstance(s, ScorecardSlide)]
    assert {s.columns[2] for s in scorecards} == {column}
    rows = {
        (row.indicator, row.target_year): scorecard_cells(row, lang)[2]
        for s in scorecards
        for row in s.rows
    }
    assert rows[("enterprises_tech_innovation", 2020)] == cell
    # a target whose year is still ahead reads as before: the latest figure and its year
    assert rows[("public_st_orgs", 2030)] == (
        "3 tổ chức (2024)" if lang == "vi" else "3 organisations (2024)"
    )
    by_id = {s.indicator.id: s for s in slides if isinstance(s, IndicatorSlide)}
    assert by_id["enterprises_tech_innovation"].key_numbers[:2] == (deadline, latest)
    orgs = by_id["public_st_orgs"].key_numbers[0]  # its headline target is 2030's
    assert orgs.label == ("Số liệu mới nhất" if lang == "vi" else "Latest figure")
