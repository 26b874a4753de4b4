"""The Thái Nguyên plan (Resolution 57, 2025) in headless Chromium: its targets in words, an
estimate marked, Bắc Kạn named as merged, and a rank drawn with rank 1 at the top."""

from __future__ import annotations

import urllib.parse

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import TALL, expect_words, open_every_group, wait_for_charts

pytestmark = pytest.mark.browser
PLAN = "plan=thai-nguyen-57-2025"


def test_overview_of_the_thai_nguyen_plan(app):
    app.page.set_viewport_size(TALL)
    page = app.open(f"/?{PLAN}")
    open_every_group(app)
    expect_words(page, ["Mục tiêu: trên 80% vào năm 2025", "58,7% (ước)", "Đã đạt", "Không đạt"])
    expect(page.locator(".kpi-badge")).to_have_count(7)  # the seven targets of the report
    assert not app.page_errors
    app.screenshot("thai_nguyen_overview_vi")


def test_bac_kan_is_named_as_merged_in_the_selector_and_the_heading(app):
    app.page.set_viewport_size(TALL)
    region = urllib.parse.quote("Bắc Kạn")
    page = app.open(f"/?{PLAN}&lang=en&region={region}")
    label = "Bắc Kạn (until 2025, now part of Thái Nguyên)"
    expect_words(page, [f"Region: {label}"])
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Region").click()
    expect(page.get_by_role("option", name=label)).to_be_visible()
    expect(page.get_by_role("option", name="Thái Nguyên", exact=True)).to_be_visible()
    assert not app.page_errors


def test_a_rank_is_drawn_with_rank_1_at_the_top(app):
    app.page.set_viewport_size(TALL)
    page = app.open(f"/indicator?{PLAN}&id=pii_rank")
    wait_for_charts(page)
    expect_words(page, ["Đơn vị: hạng · Thái Nguyên"])
    # what the browser drew: the y axis runs from the larger rank at the bottom to the smaller
    # at the top, one tick per whole rank
    low, high, step = page.evaluate(
        "() => { const y = document.querySelector('.js-plotly-plot')._fullLayout.yaxis;"
        " return [y.range[0], y.range[1], y.dtick]; }"
    )
    assert low > high and step == 1
    assert not app.page_errors
    app.screenshot("thai_nguyen_pii_rank_vi")
