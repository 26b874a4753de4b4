"""Issue 16 in headless Chromium: the agency page in both languages, the overview's tasks line
leading to /tasks, and /coverage's links to each agency."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_pages import TALL, expect_words

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("lang", "heading", "words"),
    [
        (
            "vi",
            "Sở Nông nghiệp và Phát triển nông thôn",
            [
                "Chỉ tiêu do cơ quan báo cáo",
                "Số liệu còn nợ cho năm 2024",
                "Nhiệm vụ được giao",
                "0/4 nhiệm vụ hoàn thành · 3 quá hạn",
            ],
        ),
        (
            "en",
            "Department of Agriculture and Rural Development",
            [
                "Indicators it reports",
                "Figures still owed for 2024",
                "Tasks assigned",
                "0/4 tasks done · 3 overdue",
            ],
        ),
    ],
)
def test_agency_page(app, lang, heading, words):
    app.page.set_viewport_size(TALL)
    page = app.open("/agency?id=so-nnptnt" + ("&lang=en" if lang == "en" else ""))
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect_words(page, words)
    # The indicators and the tasks are tables, drawn after the run ends.
    expect(page.locator('[data-testid="stDataFrame"]').nth(1)).to_be_visible(timeout=30_000)
    app.screenshot(f"agency_{lang}")


def test_the_overview_counts_tasks_and_links_to_them(app):
    app.page.set_viewport_size(TALL)
    page = app.open("/?lang=en")
    expect_words(page, ["0/64 tasks done · 20 overdue"])
    page.get_by_role("link", name="See the tasks").click()
    app.wait()
    expect(page.get_by_role("heading", name="The plan's tasks")).to_be_visible()
    expect_words(page, ["Overdue tasks"])
    assert "/tasks" in page.url and "lang=en" in page.url
    expect(page.locator('[data-testid="stDataFrame"]').nth(1)).to_be_visible(timeout=30_000)
    app.screenshot("tasks_en")


def test_coverage_links_each_agency_to_its_page(app):
    app.page.set_viewport_size(TALL)
    page = app.open("/coverage")
    expect_words(page, ["Còn thiếu năm 2024, theo cơ quan"])
    page.get_by_role("link", name="Sở Tài chính").click()
    app.wait()
    expect(page.get_by_role("heading", name="Sở Tài chính")).to_be_visible()
    assert "id=so-tc" in page.url
