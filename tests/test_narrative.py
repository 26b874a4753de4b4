"""The plain sentence that explains each status, in both languages, from real assessments."""

from __future__ import annotations

import pytest

from kpis.narrative import headline, indicator_sentences, sentence
from kpis.progress import assess
from tests.helpers import make_figures, make_plan

COUNT = {"id": "projects", "unit": "dự án", "unit_en": "projects", "integer": True}

# (case, indicator, figures (year, value), as_of, Vietnamese sentence, English sentence)
CASES = [
    (
        "pace short of the goal: the example of the issue",
        {**COUNT, "targets": [{"year": 2025, "min": 30}]},
        [(2021, 10), (2022, 15), (2023, 19), (2024, 24)],
        None,
        "Theo nhịp độ 2021–2024, đến năm 2025 đạt khoảng 28/30 dự án: cần đẩy nhanh.",
        "At the pace of 2021–2024, about 28 of 30 projects by 2025: needs acceleration.",
    ),
    (
        "achieved",
        {**COUNT, "targets": [{"year": 2020, "min": 3}]},
        [(2015, 1), (2019, 4)],
        None,
        "Đã đạt: 4 dự án năm 2019, mục tiêu ≥ 3 dự án vào năm 2020.",
        "Achieved: 4 projects in 2019, against a target of ≥ 3 projects by 2020.",
    ),
    (
        "missed",
        {**COUNT, "targets": [{"year": 2020, "min": 5}]},
        [(2015, 1), (2020, 3)],
        2024,
        "Không đạt: 3 dự án năm 2020, mục tiêu ≥ 5 dự án vào năm 2020.",
        "Missed: 3 projects in 2020, against a target of ≥ 5 projects by 2020.",
    ),
    (
        "no figures up to the target",
        {**COUNT, "targets": [{"year": 2020, "min": 5}]},
        [(2022, 3)],
        None,
        "Chưa có số liệu để đánh giá mục tiêu ≥ 5 dự án vào năm 2020.",
        "No figures yet to judge the target of ≥ 5 projects by 2020.",
    ),
    (
        "one figure only",
        {**COUNT, "targets": [{"year": 2030, "min": 5}]},
        [(2024, 3)],
        None,
        "Mới có số liệu năm 2024 (3 dự án): chưa đủ số năm để dự báo đến năm 2030.",
        "Only the figure of 2024 (3 projects): too few years to project to 2030.",
    ),
    (
        "a decreasing indicator with a max target: the target is spelt out",
        {
            "id": "waste",
            "unit": "%",
            "direction": "decrease",
            "targets": [{"year": 2030, "max": 10}],
        },
        [(2016, 40), (2020, 36)],
        2020,
        "Theo nhịp độ 2016–2020, đến năm 2030 đạt khoảng 26%, so với mục tiêu ≤ 10% vào năm "
        "2030: chậm tiến độ.",
        "At the pace of 2016–2020, about 26% by 2030, against a target of ≤ 10% by 2030: "
        "off track.",
    ),
    (
        "a milestone not yet due",
        {
            "id": "lab",
            "unit": "hoàn thành",
            "kind": "milestone",
            "targets": [{"year": 2030, "min": 1}],
        },
        [(2015, 0), (2024, 0)],
        None,
        "Chưa hoàn thành (số liệu năm 2024), hạn năm 2030.",
        "Not done yet (figure of 2024), due by 2030.",
    ),
    (
        "a milestone past its year",
        {
            "id": "lab",
            "unit": "hoàn thành",
            "kind": "milestone",
            "targets": [{"year": 2020, "min": 1}],
        },
        [(2015, 0), (2020, 0)],
        2024,
        "Chưa hoàn thành khi hết hạn năm 2020: không đạt.",
        "Not done by 2020: missed.",
    ),
    (
        "a standing band: the share of years met",
        {"id": "share", "unit": "%", "targets": [{"from": 2016, "to": 2030, "min": 2}]},
        [(2016, 2.5), (2017, 1.5), (2018, 2.1), (2019, 1.8)],
        None,
        "Mục tiêu ≥ 2% mỗi năm 2016–2030 đạt ở 50% số năm có số liệu 2016–2019; năm 2019: "
        "1,8%: chậm tiến độ.",
        "The target of ≥ 2% every year 2016–2030 was met in 50% of the years with figures "
        "2016–2019; 1.8% in 2019: off track.",
    ),
]


@pytest.mark.parametrize(
    ("case", "indicator", "rows", "as_of", "vi", "en"), CASES, ids=[c[0] for c in CASES]
)
def test_sentence(case, indicator, rows, as_of, vi, en):
    plan = make_plan(indicator)
    table = make_figures(plan, [(indicator["id"], *row) for row in rows])
    [row] = assess(plan, table, as_of=as_of)
    assert sentence(plan, row, "vi") == vi
    assert sentence(plan, row, "en") == en


def test_the_open_target_is_spoken_to_first():
    plan = make_plan({**COUNT, "targets": [{"year": 2020, "min": 3}, {"year": 2030, "min": 10}]})
    table = make_figures(
        plan, [("projects", 2015, 1), ("projects", 2020, 3), ("projects", 2024, 5)]
    )
    rows = assess(plan, table)
    assert headline(rows, 2024).target_year == 2030
    assert headline(rows, 2035).target_year == 2030  # all past: the last
    first, second = indicator_sentences(plan, rows, 2024, "en")
    assert first.startswith("At the pace of 2015–2024")
    assert second.startswith("Achieved: 3 projects in 2020")


def test_every_shipped_target_gets_a_sentence_ending_in_its_status_or_explained(repo_root):
    from kpis.dataset import load_dataset
    from kpis.i18n import status_word

    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    for row in assess(dataset.plan, dataset.figures.table):
        for lang in ("vi", "en"):
            text = sentence(dataset.plan, row, lang)
            assert text.endswith(".") and "None" not in text and "nan" not in text
            if row.status in ("on_track", "needs_acceleration", "off_track", "missed"):
                assert status_word(row.status, lang).lower() in text.lower()


def test_a_figure_marked_as_an_estimate_and_the_verdict_on_it_say_so():
    # Thái Nguyên's 2025 figure is a full-year estimate: «Không đạt: 58,7% năm 2025» read as
    # the year's reported result
    from kpis.figures import parse_figures_bytes

    plan = make_plan({"id": "share", "unit": "%", "targets": [{"year": 2025, "min": 60}]})
    csv = b"indicator,year,value,region,estimate\nshare,2020,40,,\nshare,2025,58.7,,x\n"
    table, problems = parse_figures_bytes(csv, "test.csv", plan)
    assert [p for p in problems if p.is_error] == []
    [row] = assess(plan, table, as_of=2025)
    assert sentence(plan, row, "vi") == (
        "Không đạt (theo số ước): 58,7% (ước) năm 2025, mục tiêu ≥ 60% vào năm 2025."
    )
    assert sentence(plan, row, "en") == (
        "Missed (on the estimate): 58.7% (estimate) in 2025, against a target of ≥ 60% by 2025."
    )
