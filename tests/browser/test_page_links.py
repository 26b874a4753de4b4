"""A page's own choice as a reader moves between pages in Chromium: a link naming it
(«Chi tiết» on an overview card, an agency on /coverage) opens it; the sidebar's link to the
page, which names none, opens the one last chosen there (tests/pages/test_page_links.py
holds the same in AppTest)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def main(app):
    return app.page.locator('[data-testid="stMain"]')


def choose(app, box: str, option: str) -> None:
    """Open the page's box by its label and pick an option, as a reader does."""
    main(app).get_by_role("combobox", name=box).click()
    app.page.get_by_role("option", name=option, exact=True).click()
    app.wait(settle_ms=500)


def go_by_sidebar(app, title: str) -> None:
    app.page.locator('[data-testid="stSidebarNav"]').get_by_role(
        "link", name=title, exact=True
    ).click()
    app.wait(settle_ms=500)


def follow(app, href: str) -> None:
    """Click the page's link to `href`, opening the overview's folded groups to find it."""
    link = main(app).locator(f'a[href$="{href}"]')
    folded = main(app).locator('[data-testid="stExpander"] details:not([open]) summary')
    while not link.count() and folded.count():
        folded.first.click()
        app.wait(settle_ms=300)
    link.first.click()
    app.wait(settle_ms=500)


LAB = "Phòng Công nghệ sinh học"  # biotech_lab: not the plan's first indicator
ZONE = "Khu nông nghiệp ứng dụng công nghệ cao đi vào hoạt động"  # hightech_agri_zone


def test_a_cards_details_link_opens_the_indicator_last_shown(app):
    app.open("/indicator")
    choose(app, "Chỉ tiêu", LAB)
    go_by_sidebar(app, "Tổng quan")
    follow(app, "indicator?id=biotech_lab")  # was: the first indicator
    expect(main(app).get_by_role("combobox", name="Chỉ tiêu")).to_have_value(LAB)
    expect(app.page.get_by_role("heading", level=1).first).to_have_text(LAB)
    expect(app.page).to_have_url(app.url("indicator?id=biotech_lab"))


def test_the_sidebars_link_opens_the_indicator_last_chosen(app):
    app.open("/indicator")
    choose(app, "Chỉ tiêu", LAB)
    go_by_sidebar(app, "So sánh")
    go_by_sidebar(app, "Chỉ tiêu")
    expect(main(app).get_by_role("combobox", name="Chỉ tiêu")).to_have_value(LAB)
    expect(app.page).to_have_url(app.url("indicator?id=biotech_lab"))  # to share, as shown


def test_a_link_to_the_indicator_compare_showed_opens_it(app):
    app.open("/indicator")
    choose(app, "Chỉ tiêu", ZONE)
    go_by_sidebar(app, "So sánh")
    choose(app, "Chỉ tiêu", LAB)  # /compare?id=biotech_lab
    go_by_sidebar(app, "Tổng quan")
    follow(app, "indicator?id=biotech_lab")  # was: the first indicator
    expect(app.page.get_by_role("heading", level=1).first).to_have_text(LAB)


def test_an_agency_link_on_coverage_opens_the_agency_last_shown(app):
    app.open("/agency")
    choose(app, "Cơ quan", "Sở Kế hoạch và Đầu tư")
    go_by_sidebar(app, "Số liệu")
    follow(app, "agency?id=so-khdt")  # was: Sở Khoa học và Công nghệ, the first
    expect(main(app).get_by_role("combobox", name="Cơ quan")).to_have_value("Sở Kế hoạch và Đầu tư")
    assert not app.page_errors
