"""Every select box speaks the page's language, its placeholder too (accessibility review:
Streamlit's own is the English «Choose an option», read out on a Vietnamese page)."""

from __future__ import annotations

import pytest

from kpis.ui_text import t
from tests.pages.test_data_page import open_page as open_data_page
from tests.pages.test_data_page import password_hash, sign_in, site  # noqa: F401 (fixtures)

PAGES = {
    # page -> the select boxes it draws (the sidebar's on every page of a catalogue plan)
    None: {"plan", "as_of", "region"},
    "app_pages/indicator.py": {"indicator_id"},
    "app_pages/compare.py": {"compare_indicator"},
    "app_pages/agency.py": {"agency_id"},
    "app_pages/data.py": {"data_template_year"},
    "app_pages/tasks.py": set(),  # its filters are multiselects
}
# A multiselect is a filter: empty means every row, and its placeholder says so.
ALL = {"vi": "Tất cả", "en": "All"}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_select_box_has_the_placeholder_of_the_pages_language(open_page, page, lang):
    own = ("app_pages/agency.py", "app_pages/tasks.py")  # the plan with agencies and tasks
    plan = {} if page in own else {"plan": "thai-nguyen-57-2025"}
    at = open_page(page, lang=lang, **plan)
    boxes = {box.key: box.placeholder for box in at.selectbox}
    assert PAGES[page] <= set(boxes)  # the boxes this test means to read are there
    assert set(boxes.values()) == {t("choose", lang)}
    assert t("choose", "vi") == "Chọn…"
    if page in ("app_pages/data.py", "app_pages/tasks.py"):
        assert at.multiselect  # the filters this test means to read
    for box in at.multiselect:
        assert box.placeholder.startswith(ALL[lang]), (box.key, box.placeholder)


def test_the_data_pages_year_to_enter_has_the_vietnamese_placeholder(site):  # noqa: F811
    at = sign_in(open_data_page())
    assert at.selectbox(key="data_edit_year").placeholder == "Chọn…"
    assert {box.placeholder for box in at.selectbox} == {"Chọn…"}
