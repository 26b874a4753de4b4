"""/method: the statuses in plain words and a worked example computed from the plan's figures."""

from __future__ import annotations

from kpis.i18n import STATUS_STYLES
from tests.pages.conftest import texts

PAGE = "app_pages/method.py"


def test_every_status_is_explained_with_its_word(open_page):
    page = texts(open_page(PAGE))
    for style in STATUS_STYLES.values():
        assert style.vi in page
    assert "95%" in page and "50%" in page


def test_the_worked_example_uses_the_plans_figures(open_page):
    at = open_page(PAGE)
    # the examples' figures are sample data: said once on the page, and in each example below
    assert sum("Số liệu minh họa" in i.value for i in at.info) == 1
    page = texts(at)
    assert "Chỉ tiêu **Số tổ chức KH&CN công lập**, mục tiêu ≥ 5 tổ chức vào năm 2030" in page
    assert "Tiến độ = (3 − 2) ÷ (5 − 2) = **33%**" in page
    assert "(2024 − 2015) ÷ (2030 − 2015) = **60%**" in page
    assert "**4,13**" in page and "**71%**" in page and "⚠ Cần đẩy nhanh" in page


def test_english_and_an_earlier_review_year(open_page):
    page = texts(open_page(PAGE, lang="en", as_of=2018))
    assert "How progress is judged" in page
    assert "as at 2018" in page
    assert "Needs acceleration" in page or "On track" in page or "Off track" in page
    for style in STATUS_STYLES.values():
        assert style.en in page
