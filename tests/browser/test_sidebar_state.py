"""The sidebar's plan, language and year as a reader clicks them in Chromium (review-phone
findings 1 and 2).

Only a browser shows the lost plan: it sends a box's choice back as the label it was shown,
and after a language switch that label was the other language's. AppTest sends labels from
the run that drew them (tests/pages/test_url_state.py holds the rest).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser
THAI_NGUYEN = "thai-nguyen-57-2025"
TN_VI = "KH thực hiện NQ 57 · Thái Nguyên"
TN_EN = "Plan implementing Resolution 57 · Thái Nguyên"
# /present hides the sidebar (a slide fills the screen): no one switches language there.
PAGES = ["", "indicator", "compare", "coverage", "tasks", "agency", "method", "data"]


def sidebar(app):
    return app.page.locator('[data-testid="stSidebar"]')


def tap_language(app, name: str) -> None:
    sidebar(app).get_by_text(name, exact=True).click()
    app.wait(settle_ms=500)


def choose(app, box: str, option: str) -> None:
    """Open a sidebar box by its label and pick an option, as a reader does."""
    sidebar(app).get_by_role("combobox", name=box).click()
    app.page.get_by_role("option", name=option, exact=True).click()
    app.wait(settle_ms=500)


def plan_param(app) -> re.Pattern:
    return re.compile(rf"[?&]plan={THAI_NGUYEN}(&|$)")


@pytest.mark.parametrize("path", PAGES)
def test_english_and_back_keeps_the_plan(app, path):
    app.open(f"/{path}?plan={THAI_NGUYEN}")
    tap_language(app, "English")
    expect(sidebar(app).get_by_role("combobox", name="Plan")).to_have_value(TN_EN)
    tap_language(app, "Tiếng Việt")
    expect(sidebar(app).get_by_role("combobox", name="Kế hoạch")).to_have_value(TN_VI)
    expect(app.page).to_have_url(plan_param(app))  # the link to share still names it
    assert not app.page_errors


def test_a_year_chosen_in_english_keeps_the_plan(app):
    app.open(f"/?plan={THAI_NGUYEN}")
    tap_language(app, "English")
    choose(app, "As at year", "2023")
    expect(sidebar(app).get_by_role("combobox", name="Plan")).to_have_value(TN_EN)
    expect(app.page).to_have_url(plan_param(app))
    expect(app.page).to_have_url(re.compile(r"[?&]as_of=2023(&|$)"))
    expect(app.page.get_by_text("Position as at 2023").first).to_be_visible()


def test_a_plan_chosen_in_the_sidebar_opens_at_its_own_latest_year(app):
    app.open("/")  # Bắc Kạn, whose figures run to 2024
    expect(sidebar(app).get_by_role("combobox", name="Tính đến năm")).to_have_value("2024")
    choose(app, "Kế hoạch", TN_VI)
    expect(sidebar(app).get_by_role("combobox", name="Tính đến năm")).to_have_value("2025")
    main = app.page.locator('[data-testid="stMain"]')
    fresh = app.page.context.new_page()  # the same plan opened from a link
    try:
        fresh.goto(app.url(f"/?plan={THAI_NGUYEN}"), wait_until="domcontentloaded")
        wait_for_app(fresh)
        counts = fresh.locator(".kpi-counts").text_content()
    finally:
        fresh.close()
    expect(main.locator(".kpi-counts")).to_have_text(counts)
    expect(main.locator(".kpi-counts")).to_contain_text("Đã đạt")  # not «Chưa đủ số liệu»
    assert not app.page_errors
