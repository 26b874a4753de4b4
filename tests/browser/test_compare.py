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


def matrix_of(page):
    """The status matrix read down: the table whose first header is «Mục tiêu» (the
    ranking's «Dự báo năm mục tiêu» says it too)."""
    target = page.get_by_role("columnheader", name="Mục tiêu", exact=True)
    return page.locator('[data-testid="stTable"]').filter(has=target)


def test_compare_shipped_plan(app):
    app.page.set_viewport_size(TALL)
    page = app.open("/compare")
    expect(page.locator("h1").first).to_have_text("So sánh các địa bàn")
    main = main_area(page)
    expect(main).to_contain_text("684/QĐ-UBND · 1 địa bàn · tính đến năm 2024")
    expect(main).to_contain_text("Tổng các địa bàn năm 2024")
    # the ranking and one region's matrix read down: static tables, no grid
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    ranking = page.locator(".st-key-cards_compare_ranking table")
    expect(ranking.locator("thead")).to_contain_text("Tiến độ")  # every column in view
    expect(ranking.locator("tbody tr")).to_contain_text("Minh họa – không phải số liệu thực tế")
    expect(matrix_of(page)).to_have_count(1)
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
    matrix = matrix_of(page)
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
    # The ranking: a card a region, every line of it inside the screen without a swipe
    # (the grid showed the rank and the region, the rest off screen with no hint): the
    # region in bold, then its figure with the unit, its year, its status in its colour.
    ranking = page.locator(".st-key-cards_compare_ranking table")
    card = ranking.locator("tbody tr").first
    lines = card.locator("td").evaluate_all(
        "cells => cells.filter(c => c.getClientRects().length).map(c => {"
        " const b = c.getBoundingClientRect(), s = getComputedStyle(c),"
        " label = getComputedStyle(c, '::before').content;"
        " return {text: c.textContent.trim(), label, left: b.left, right: b.right,"
        " bold: Number(s.fontWeight) >= 600, background: s.backgroundColor,"
        " labelInk: getComputedStyle(c, '::before').color, ink: s.color}; })"
    )
    assert all(line["left"] >= 0 and line["right"] <= 360 for line in lines), lines
    assert lines[0]["text"] == "Bắc Kạn" and lines[0]["bold"], lines
    said = {line["label"].strip('"').removesuffix(": "): line for line in lines[1:]}
    unit = with_unit(3.0, shipped.plan.indicators[0], "vi").removeprefix("3")
    assert unit.strip() and said["Giá trị"]["text"].endswith(unit), said
    assert said["Hạng"]["text"] == "1" and said["Năm"]["text"] == "2020", said
    status = said["Trạng thái"]
    assert status["text"] == "✔ Đã đạt" and status["background"] != "rgba(0, 0, 0, 0)", status
    assert status["labelInk"] == status["ink"], status  # its label read on the colour too
    assert status["right"] - status["left"] < 200, status  # a badge, not a band
    assert said["Nguồn"]["text"] == "Minh họa – không phải số liệu thực tế", said
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
    # the ranking drawn, its 34 regions a table; the matrix of 34 regions folded until
    # opened, then a page of them
    expect(page.locator(".st-key-cards_compare_ranking tbody tr")).to_have_count(34)
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    fold = page.locator('[data-testid="stExpander"]').last
    expect(fold).to_contain_text("34 địa bàn: mở để xem trạng thái của từng địa bàn")
    fold.locator("summary").click()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(1, timeout=60_000)
    expect(fold.get_by_role("radiogroup")).to_contain_text("21–34")
    app.wait()
    assert not app.page_errors
    app.screenshot("compare_national")
