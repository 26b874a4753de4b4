"""/compare on the shipped Thái Nguyên plan (review of a provincial leader, §6): Bắc Kạn, merged
into Thái Nguyên on 1/7/2025 and without a figure for the 2025 targets, reads «Không áp dụng»
on each of them, and its count is not «Đã đạt 0/7» as if it had failed everything."""

from __future__ import annotations

import pytest

from tests.pages.conftest import texts
from tests.pages.test_compare_page import ranking_table, read_down_table

PAGE = "app_pages/compare.py"
WORDS = {
    "vi": ("Bắc Kạn (đến 2025, nay thuộc Thái Nguyên)", "Không áp dụng", "Đã đạt", "Trạng thái"),
    "en": ("Bắc Kạn (until 2025, now part of Thái Nguyên)", "Not applicable", "Achieved", "Status"),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_bac_kan_reads_not_applicable_in_the_matrix_and_the_ranking(open_page, lang):
    bac_kan, not_applicable, achieved, status = WORDS[lang]
    at = open_page(PAGE, plan="thai-nguyen-57-2025", id="coverage_5g", lang=lang)
    matrix = read_down_table(at)  # two regions: a target a row, a region a column
    column = list(matrix[bac_kan])
    assert column == [not_applicable] * 8  # the count row and the seven 2025 targets
    assert not any(cell.startswith("0/") for cell in column)
    count = matrix[matrix.iloc[:, 0] == achieved].iloc[0]
    assert count["Thái Nguyên"] == "4/7"  # Thái Nguyên's own count is unchanged
    ranking = ranking_table(at)
    row = ranking[ranking.iloc[:, 1] == bac_kan].iloc[0]
    assert row[status] == not_applicable
    # and the page says why, once, under the matrix
    why = "Không áp dụng: địa bàn đã sáp nhập" if lang == "vi" else "Not applicable: the region"
    assert texts(at).count(why) == 1
