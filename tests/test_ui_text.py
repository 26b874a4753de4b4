"""kpis/ui_text.py: every word in both languages, targets in words, sources, illustrative figures."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from kpis.i18n import NO_ENGLISH_MARK
from kpis.plan import load_plan
from kpis.ui_text import (
    TEXT,
    document_kind,
    indicator_source_line,
    is_illustrative,
    is_rank,
    note_text,
    plan_caption,
    plan_issued_line,
    read_note,
    region_label,
    source_summary,
    t,
    target_words,
    value_text,
    with_unit,
    year_ranges,
)
from tests.helpers import make_figures, make_plan


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_word_has_both_languages_with_the_same_placeholders(key):
    vi, en = TEXT[key]
    assert vi.strip() and en.strip()
    assert fields(vi) == fields(en)


ORGS = {"id": "orgs", "unit": "tổ chức", "unit_en": "organisations", "integer": True}
SHARE = {"id": "share", "unit": "%", "kind": "flow"}
RANK = {
    "id": "pii_rank",
    "unit": "hạng",
    "unit_en": "rank",
    "integer": True,
    "direction": "decrease",
    "value_range": [1, None],
}


@pytest.mark.parametrize(
    ("indicator", "target", "vi", "en"),
    [
        (ORGS, {"year": 2020, "min": 3}, "≥ 3 tổ chức vào năm 2020", "≥ 3 organisations by 2020"),
        (
            ORGS,
            {"year": 2025, "max": 1500},
            "≤ 1.500 tổ chức vào năm 2025",
            "≤ 1,500 organisations by 2025",
        ),
        (
            ORGS,
            {"year": 2020, "min": 20, "approx": True},
            "≈ 20 tổ chức vào năm 2020",
            "≈ 20 organisations by 2020",
        ),
        (SHARE, {"year": 2020, "min": 1.5, "max": 2}, "1,5–2% vào năm 2020", "1.5–2% by 2020"),
        (
            SHARE,
            {"from": 2016, "to": 2030, "min": 1.5, "max": 2},
            "1,5–2% mỗi năm 2016–2030",
            "1.5–2% every year 2016–2030",
        ),
        (
            SHARE,
            {"from": 2016, "to": 2030, "min": 2},
            "≥ 2% mỗi năm 2016–2030",
            "≥ 2% every year 2016–2030",
        ),
        (
            {"id": "lab", "kind": "milestone"},
            {"year": 2030, "min": 1},
            "Hoàn thành vào năm 2030",
            "Done by 2030",
        ),
        # version 2: "trên"/"dưới" in words, a rank's "trong top N"
        (
            SHARE,
            {"year": 2025, "min": 80, "exclusive": True},
            "trên 80% vào năm 2025",
            "more than 80% by 2025",
        ),
        (
            ORGS,
            {"year": 2025, "max": 5, "exclusive": True},
            "dưới 5 tổ chức vào năm 2025",
            "less than 5 organisations by 2025",
        ),
        (RANK, {"year": 2030, "max": 10}, "trong top 10 vào năm 2030", "in the top 10 by 2030"),
        (
            RANK,
            {"year": 2030, "max": 11, "exclusive": True},
            "trong top 10 vào năm 2030",
            "in the top 10 by 2030",
        ),
    ],
)
def test_target_in_words(indicator, target, vi, en):
    plan = make_plan({**indicator, "targets": [target]})
    ind = plan.indicators[0]
    assert target_words(ind.targets[0], ind, "vi") == vi
    assert target_words(ind.targets[0], ind, "en") == en


def test_times_baseline_target_names_the_goal_when_the_baseline_is_known():
    plan = make_plan({**ORGS, "targets": [{"year": 2020, "min_times_baseline": 2}]})
    ind = plan.indicators[0]
    assert target_words(ind.targets[0], ind, "en") == "≥ 2 × baseline by 2020"
    assert target_words(ind.targets[0], ind, "vi", 3) == "≥ 2 × năm gốc (= 6 tổ chức) vào năm 2020"


def test_numbers_with_units():
    plan = make_plan(ORGS, SHARE, {"id": "lab", "kind": "milestone"})
    orgs, share, lab = plan.indicators
    assert with_unit(1234.5, orgs, "vi") == "1.234,5 tổ chức"
    assert with_unit(1234.5, orgs, "en") == "1,234.5 organisations"
    assert with_unit(1.11, share, "vi") == "1,11%"
    assert with_unit(1, lab, "en") == "Done" and with_unit(0, lab, "vi") == "Chưa"
    assert with_unit(None, orgs, "vi") == "–"


@pytest.mark.parametrize(
    ("source", "illustrative"),
    [
        ("Minh họa – không phải số liệu thực tế", True),
        ("minh họa", True),
        ("Minh hoạ (cách bỏ dấu cũ)", True),
        ("Minh ho\u0323a (NFD)", True),
        ("Báo cáo 12/BC-SKHCN, minh họa ở phụ lục", False),
        ("", False),
        (None, False),
    ],
)
def test_illustrative_figures_are_recognised_by_their_source(source, illustrative):
    assert is_illustrative(source) is illustrative


def test_sources_are_listed_with_their_years():
    assert year_ranges([2020, 2015, 2016, 2017, 2022]) == "2015–2017, 2020, 2022"
    rows = [("Báo cáo A", 2016), ("Báo cáo A", 2017), ("", 2015), (None, 2018)]
    assert source_summary(rows, "vi") == "không ghi nguồn (2015, 2018); Báo cáo A (2016–2017)"
    assert source_summary(rows, "en").startswith("source not given (2015, 2018)")


def test_a_derived_indicator_cites_the_sources_of_its_inputs():
    plan = make_plan({"id": "a"}, {"id": "b"}, {"id": "ratio", "formula": "a / b * 100"})
    table = make_figures(plan, [("a", 2016, 1), ("b", 2016, 4), ("a", 2017, 2), ("b", 2017, 5)])
    line = indicator_source_line(plan, plan.indicator("ratio"), table, "Bắc Kạn", 2016, "en")
    assert line == "source not given (2016)"


def test_placeholders_are_filled():
    assert t("targets_count", "vi", n=12) == "12 mục tiêu"
    assert t("targets_count", "en", n=12) == "12 targets"


MERGED = {
    "regions": [
        {"name": "Thái Nguyên"},
        {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"},
        {"name": "Cao Bằng", "until": 2024},
    ]
}


@pytest.mark.parametrize(
    ("name", "vi", "en"),
    [
        (
            "Bắc Kạn",
            "Bắc Kạn (đến 2025, nay thuộc Thái Nguyên)",
            "Bắc Kạn (until 2025, now part of Thái Nguyên)",
        ),
        ("Cao Bằng", "Cao Bằng (đến 2024)", "Cao Bằng (until 2024)"),
        ("Thái Nguyên", "Thái Nguyên", "Thái Nguyên"),
    ],
)
def test_a_region_that_ended_is_named_with_its_dates(name, vi, en):
    plan = make_plan(ORGS, region="Thái Nguyên", **MERGED)
    assert region_label(plan, name, "vi") == vi
    assert region_label(plan, name, "en") == en
    assert region_label(make_plan(ORGS), "Bắc Kạn", "vi") == "Bắc Kạn"  # no regions declared


def test_values_ranks_and_estimates_in_words():
    plan = make_plan(RANK, SHARE)
    rank, share = plan.indicators
    assert is_rank(rank) and not is_rank(share)
    assert with_unit(12, rank, "vi") == "hạng 12" and with_unit(12, rank, "en") == "rank 12"
    assert value_text(58.7, share, "vi", estimate=True) == "58,7% (ước)"
    assert value_text(58.7, share, "en", estimate=True) == "58.7% (estimate)"
    assert value_text(58.7, share, "en", estimate=False) == "58.7%"
    assert value_text(None, share, "vi", estimate=True) == "–"


@pytest.mark.parametrize(
    ("plan_file", "lang", "line"),
    [
        (
            "targets.yaml",
            "vi",
            "Ban hành kèm theo Quyết định số 684/QĐ-UBND ngày 16/05/2016 của UBND tỉnh Bắc Kạn",
        ),
        ("targets.yaml", "en", "Issued with Decision No. 684/QĐ-UBND of 16/05/2016 by "),
        # a plan (KH), not a decision: it was "Ban hành kèm theo Quyết định số 147/KH-UBND"
        (
            "plans/lang-son-147-2023.yaml",
            "vi",
            "Kế hoạch số 147/KH-UBND ngày 04/07/2023 của UBND tỉnh Lạng Sơn",
        ),
        ("plans/lang-son-147-2023.yaml", "en", "Plan No. 147/KH-UBND of 04/07/2023 by "),
        # known from a news report: its words, not "Quyết định số Kế hoạch …", and no second
        # date presented as a signature's
        (
            "plans/thai-nguyen-57-2025.yaml",
            "vi",
            "Kế hoạch thực hiện NQ 57-NQ/TW (theo bản tin 18/07/2025) của Tỉnh Thái Nguyên",
        ),
    ],
)
def test_the_line_under_a_plans_title_cites_its_document_as_what_it_is(plan_file, lang, line):
    from pathlib import Path

    plan, _ = load_plan(Path(__file__).resolve().parents[1] / plan_file)
    shown = plan_issued_line(plan.plan, lang)
    assert shown.startswith(line), shown


@pytest.mark.parametrize(
    ("document", "kind"),
    [
        ("684/QĐ-UBND", "Quyết định"),
        ("147/KH-UBND", "Kế hoạch"),
        ("57-NQ/TW", "Nghị quyết"),
        ("12/2025/NQ-HĐND", "Nghị quyết"),
        ("3/BC-SKHCN", "văn bản"),
        ("Kế hoạch thực hiện NQ 57", None),
    ],
)
def test_a_documents_kind_is_read_from_its_number(document, kind):
    found = document_kind(document)
    assert (found[0] if found else None) == kind


@pytest.mark.parametrize(
    ("plan_file", "shown"),
    [
        ("targets.yaml", "684/QĐ-UBND (16/05/2016)"),
        # its words give the report's date already: not «… 18/07/2025) (18/07/2025)»
        (
            "plans/thai-nguyen-57-2025.yaml",
            "Kế hoạch thực hiện NQ 57-NQ/TW (theo bản tin 18/07/2025)",
        ),
    ],
)
def test_a_source_line_gives_the_documents_date_once(plan_file, shown):
    from pathlib import Path

    from kpis.ui_text import document_dated

    plan, _ = load_plan(Path(__file__).resolve().parents[1] / plan_file)
    assert document_dated(plan.plan, "vi") == shown


@pytest.mark.parametrize(
    ("plan_file", "lang", "caption"),
    [
        ("targets.yaml", "vi", "Kế hoạch 684/QĐ-UBND · UBND tỉnh Bắc Kạn"),
        ("targets.yaml", "en", "Plan 684/QĐ-UBND · Bắc Kạn Provincial People's Committee"),
        ("plans/lang-son-147-2023.yaml", "vi", "Kế hoạch 147/KH-UBND · UBND tỉnh Lạng Sơn"),
        # named in words, which say «Kế hoạch» already: it was «Kế hoạch Kế hoạch thực hiện …»
        # and «Plan Plan implementing …»
        (
            "plans/thai-nguyen-57-2025.yaml",
            "vi",
            "Kế hoạch thực hiện NQ 57-NQ/TW (theo bản tin 18/07/2025) · Tỉnh Thái Nguyên",
        ),
        (
            "plans/thai-nguyen-57-2025.yaml",
            "en",
            "Plan implementing Resolution 57-NQ/TW (per the news report of 18/07/2025)"
            " · Thái Nguyên province",
        ),
    ],
)
def test_the_sidebar_names_the_plan_without_saying_plan_twice(plan_file, lang, caption):
    from pathlib import Path

    plan, _ = load_plan(Path(__file__).resolve().parents[1] / plan_file)
    assert plan_caption(plan.plan, lang) == caption


@pytest.mark.parametrize(
    ("note", "lang", "shown"),
    [
        # the mark in the page's language, the note's own words as written
        (
            "Minh họa: Trung tâm Ứng dụng tiến bộ KH&CN",
            "en",
            "Illustrative: Trung tâm Ứng dụng tiến bộ KH&CN",
        ),
        ("Minh hoạ – năm giả định", "en", "Illustrative: năm giả định"),
        ("Minh họa", "en", "Illustrative"),
        (
            "Minh họa – không phải số liệu thực tế (illustrative, not from a real report)",
            "en",
            "Illustrative",
        ),
        # Vietnamese page, or no mark: exactly as written
        (
            "Minh họa: Trung tâm Ứng dụng tiến bộ KH&CN",
            "vi",
            "Minh họa: Trung tâm Ứng dụng tiến bộ KH&CN",
        ),
        (
            "Số doanh nghiệp được hỗ trợ mới trong năm",
            "en",
            "Số doanh nghiệp được hỗ trợ mới trong năm",
        ),
        ("Theo Minh họa: x", "en", "Theo Minh họa: x"),
        (None, "en", ""),
        (float("nan"), "en", ""),
    ],
)
def test_a_notes_illustrative_mark_is_said_in_the_pages_language(note, lang, shown):
    assert note_text(note, lang) == shown


def test_a_standing_targets_progress_says_it_is_a_share_of_years():
    # 1,5% of the budget every year 2016-2030: its 44% is 4 years met of 9 judged, which a
    # reader took for progress towards 1,5% (1,11 / 1,5 = 74%)
    from kpis.dataset import load_dataset
    from kpis.progress import assess
    from kpis.ui_text import years_met_words

    repo = Path(__file__).resolve().parents[1]
    dataset = load_dataset(repo / "targets.yaml", repo / "data")
    plan = dataset.plan
    rows = [r for r in assess(plan, dataset.figures.table) if r.indicator == "st_investment_share"]
    assert rows, "the shipped plan's standing target"
    row = rows[0]
    target = plan.indicator(row.indicator).targets[row.target_index - 1]
    # the shipped figures meet it in 2017, 2018, 2019 and 2022 of the nine years 2016-2024
    assert row.years_met == (2017, 2018, 2019, 2022) and round(row.progress, 2) == 0.44
    assert years_met_words(row, target, "vi") == "đạt 4/9 năm"
    assert years_met_words(row, target, "en") == "met in 4 of 9 years"
    other = next(r for r in assess(plan, dataset.figures.table) if r.indicator == "public_st_orgs")
    other_target = plan.indicator(other.indicator).targets[other.target_index - 1]
    assert years_met_words(other, other_target, "vi") == ""


@pytest.mark.parametrize(
    ("note", "lang", "shown"),
    [
        # the department's Vietnamese words on an English page: as written, marked untranslated
        (
            "Minh họa: Trung tâm Ứng dụng tiến bộ KH&CN",
            "en",
            f"Illustrative: Trung tâm Ứng dụng tiến bộ KH&CN {NO_ENGLISH_MARK}",
        ),
        ("đã kiểm tra", "en", f"đã kiểm tra {NO_ENGLISH_MARK}"),
        # a note giving its English in brackets at its end is read as it is
        (
            "Kỳ báo cáo: năm 2022 và 6 tháng đầu năm 2023 (reporting period: 2022 and the "
            "first half of 2023)",
            "en",
            "Kỳ báo cáo: năm 2022 và 6 tháng đầu năm 2023 (reporting period: 2022 and the "
            "first half of 2023)",
        ),
        (
            "ước thực hiện cả năm (full-year estimate)",
            "en",
            "ước thực hiện cả năm (full-year estimate)",
        ),
        # ... not a Vietnamese aside in brackets
        ("năm giả định (ước tính)", "en", f"năm giả định (ước tính) {NO_ENGLISH_MARK}"),
        # nothing Vietnamese left, or a Vietnamese page: nothing to mark
        ("Minh họa – không phải số liệu thực tế", "en", "Illustrative"),
        ("checked 12/2024", "en", "checked 12/2024"),
        ("Minh họa: Trung tâm Ứng dụng", "vi", "Minh họa: Trung tâm Ứng dụng"),
        (None, "en", ""),
    ],
)
def test_a_read_note_in_vietnamese_is_marked_on_an_english_page(note, lang, shown):
    assert read_note(note, lang) == shown


def test_a_derived_indicators_source_years_are_those_where_every_input_has_a_figure():
    # the union of the inputs' years named a ratio's figures (2015–2017) where it has 2016–2017
    plan = make_plan({"id": "a"}, {"id": "b"}, {"id": "ratio", "formula": "a / b * 100"})
    rows = [("b", 2015, 3), ("a", 2016, 1), ("b", 2016, 4), ("a", 2017, 2), ("b", 2017, 5)]
    table = make_figures(plan, rows)
    line = indicator_source_line(plan, plan.indicator("ratio"), table, "Bắc Kạn", None, "vi")
    assert line == "không ghi nguồn (2016–2017)"
    # an input's own line keeps its years
    assert indicator_source_line(plan, plan.indicator("b"), table, "Bắc Kạn").endswith(
        "(2015–2017)"
    )
