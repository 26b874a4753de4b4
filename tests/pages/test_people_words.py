"""Every picker on every page offers names, never ids, in either language (AppTest: the
options as the page formats them; the browser scan of the shown text is
tests/browser/test_words_and_access.py)."""

from __future__ import annotations

import re

import pytest

PAGES = [
    "app_pages/overview.py",
    "app_pages/indicator.py",
    "app_pages/coverage.py",
    "app_pages/method.py",
    "app_pages/data.py",
    "app_pages/present.py",
    "app_pages/compare.py",
    "app_pages/tasks.py",
    "app_pages/agency.py",
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_pickers_offer_names_not_ids(open_page, shipped, page, lang):
    at = open_page(page, lang=lang)
    plan = shipped.plan
    ids = [i.id for i in plan.indicators] + [a.id for a in plan.agencies]
    options = [
        str(option)
        for kind in ("selectbox", "radio", "multiselect")
        for widget in at.get(kind)
        for option in widget.options
    ]
    assert options, "every page offers at least the sidebar's choices"
    named = [o for o in options for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", o)]
    assert not named, named


def test_the_indicator_picker_reads_the_names_in_the_page_language(open_page, shipped):
    for lang in ("vi", "en"):
        at = open_page("app_pages/compare.py", lang=lang)
        picker = at.selectbox(key="compare_indicator")
        first = shipped.plan.indicators[0].text("name", lang)
        assert picker.options[0] == first
