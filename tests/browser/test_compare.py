"""/compare and the plan choice in headless Chromium: what a reader sees and clicks."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from kpis.dataset import load_dataset
from kpis.progress import assess
from kpis.ui_text import with_unit
from tests.browser.conftest import App

pytestmark = pytest.mark.browser

TALL = {"width": 1280, "height": 2200}


def main_area(page):
    return page.locator('[data-testid="stMain"]')


def test_compare_shipped_plan(app):
    app.page.set_viewport_size(TALL)
    page = app.open("/compare")
    expect(page.locator("h1").first).to_have_text("So sánh các địa bàn")
    main = main_area(page)
    expect(main).to_contain_text("684/QĐ-UBND · 1 địa bàn · tính đến năm 2024")
    expect(main).to_contain_text("Tổng các địa bàn năm 2024")
    # the ranking's grid; one region's matrix read down, a static table
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    expect(page.locator('[data-testid="stTable"]').filter(has_text="Mục tiêu")).to_have_count(1)
    assert not app.page_errors
    app.screenshot("compare_vi")


@pytest.fixture(scope="module")
def shipped(repo_root):
    return load_dataset(repo_root / "targets.yaml", repo_root / "data")


def test_a_phone_reads_the_one_region_matrix_down_every_target(app, shipped):
    # One region and eleven targets: a table a target a row, the region's statuses beside
    # the names (wrapped), nothing past the 360 px screen's edge.
    app.page.set_viewport_size({"width": 360, "height": 2400})
    page = app.open("/compare")
    matrix = page.locator('[data-testid="stTable"]').filter(has_text="Mục tiêu")
    expect(matrix).to_contain_text("Bắc Kạn")
    rows = matrix.locator("tbody tr")
    targets = assess(shipped.plan, shipped.figures.table)
    expect(rows).to_have_count(1 + len(targets))  # the achieved count, then each target
    expect(rows.filter(has_text="Số tổ chức KH&CN công lập · 2020")).to_contain_text("Đã đạt")
    box = matrix.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert matrix.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # every status cell in its colour (the word stays beside it)
    cell = rows.filter(has_text="Số tổ chức KH&CN công lập · 2020").locator("td").last
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    # The ranking is wider than the phone: scrolled to its sources, its rank and region stay.
    ranking = page.locator('[data-testid="stDataFrame"]').first
    cells = "e => [...e.querySelectorAll('[role=gridcell]')].map(c => c.textContent)"
    expect(ranking.locator('[role="gridcell"]').first).to_be_attached()
    first = ranking.evaluate(cells)
    assert "Minh họa – không phải số liệu thực tế" not in first  # off screen
    # ... and the region's figure, its year and its status are read without a swipe
    unit = with_unit(3.0, shipped.plan.indicators[0], "vi").removeprefix("3")
    assert unit.strip()
    assert first[:2] == ["1", "Bắc Kạn"] and first[2].endswith(unit), first
    assert first[3].isdigit() and len(first[3]) == 4 and first[4] == "✔ Đã đạt", first
    ranking.evaluate("e => { const s = e.querySelector('.dvn-scroller'); s.scrollLeft = 1e6 }")
    expect(ranking.locator('[role="gridcell"]').filter(has_text="Minh họa")).to_have_count(1)
    seen = ranking.evaluate(cells)
    assert seen[:2] == ["1", "Bắc Kạn"], seen
    assert not app.page_errors
    app.screenshot("compare_phone_read_down")


def test_choosing_the_lang_son_plan_in_the_sidebar(app):
    app.page.set_viewport_size(TALL)
    page = app.open("/compare?lang=en")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Plan").click()
    page.get_by_role("option", name="147/KH-UBND · Lạng Sơn").click()
    app.wait()
    main = main_area(page)
    expect(main).to_contain_text("147/KH-UBND · 1 region · as at 2023")
    expect(main).to_contain_text("no quantified target")
    assert "plan=lang-son-147-2023" in page.url
    # the overview of the chosen plan, by its shared link
    page = app.open("/?plan=lang-son-147-2023")
    expect(page.locator("h1").first).to_contain_text("Kế hoạch khoa học công nghệ")
    assert not app.page_errors
    app.screenshot("compare_lang_son_en")


@pytest.fixture(scope="module")
def national(repo_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    subprocess.run(
        [sys.executable, str(repo_root / "bench" / "make_national.py"), str(out)],
        check=True,
        capture_output=True,
    )
    return out


def test_compare_ranks_the_synthetic_provinces(dashboard_factory, page, national):
    url = dashboard_factory(
        {
            "KPI_TARGETS": str(national / "targets.yaml"),
            "KPI_DATA": str(national / "data"),
            "KPI_PLANS": str(national / "plans"),
        }
    )
    app = App(page, url)
    page.set_viewport_size(TALL)
    app.open("/compare?id=ind_000", timeout=120_000)
    main = main_area(page)
    expect(main).to_contain_text("34 địa bàn · tính đến năm 2025")
    expect(main).to_contain_text("cộng 34/34 địa bàn có số liệu năm 2025")
    # the ranking drawn; the matrix of 34 regions folded until opened, then a page of them
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    fold = page.locator('[data-testid="stExpander"]').last
    expect(fold).to_contain_text("34 địa bàn: mở để xem trạng thái của từng địa bàn")
    fold.locator("summary").click()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(2, timeout=60_000)
    expect(fold.get_by_role("radiogroup")).to_contain_text("21–34")
    app.wait()
    assert not app.page_errors
    app.screenshot("compare_national")
