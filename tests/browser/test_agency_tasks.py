"""Issue 16 in headless Chromium: the agency page in both languages, the overview's tasks line
leading to /tasks, and /coverage's links to each agency; on a 360 px phone, each table's first
row whole in the window (every column's text, no sideways scrolling), on a screen a table."""

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
    expect(page.locator(".st-key-cards_agency_tasks tbody tr").first).to_be_visible()
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
    expect(page.locator(".st-key-cards_tasks_table tbody tr").first).to_be_visible()
    app.screenshot("tasks_en")


def test_coverage_links_each_agency_to_its_page(app):
    app.page.set_viewport_size(TALL)
    page = app.open("/coverage")
    expect_words(page, ["Còn thiếu năm 2024, theo cơ quan"])
    page.get_by_role("link", name="Sở Tài chính").click()
    app.wait()
    expect(page.get_by_role("heading", name="Sở Tài chính")).to_be_visible()
    assert "id=so-tc" in page.url


PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

# The first row of a table's cells as the window shows them: each cell's text, the label the
# stylesheet writes before it on a phone, its box, and whether its text overflows the cell;
# then how far the window and the table's own box scroll sideways.
FIRST_ROW_JS = """
(row) => {
  const cells = [...row.querySelectorAll('td')].map((td) => {
    const box = td.getBoundingClientRect();
    const label = getComputedStyle(td, '::before').content;
    return {text: td.innerText.trim(), label: label === 'none' ? '' : JSON.parse(label),
            shown: td.checkVisibility(), left: box.left, right: box.right, top: box.top,
            overflows: td.scrollWidth > td.clientWidth + 1};
  });
  const scrollers = [document.scrollingElement, ...document.querySelectorAll(
    '[data-testid="stMain"], [data-testid="stTable"] > div')];
  const sideways = scrollers.some((el) => el.scrollWidth > el.clientWidth + 1);
  return {cells, sideways, width: window.innerWidth};
}
"""

TASK_ROWS = {
    ("/tasks", "vi"): (
        "tasks_overdue",
        [
            ("", "Quy hoạch, đào tạo, phát triển nguồn nhân lực KH&CN"),
            ("Trạng thái: ", "chưa báo cáo"),
            ("", "quá hạn"),
            ("Thời hạn: ", "31/12/2020 (suy ra)"),
            ("Cơ quan chủ trì: ", "Sở Khoa học và Công nghệ"),
            ("", "Mục III.A.1"),  # (its words say what it is: no «Mục: Mục»),
        ],
    ),
    ("/tasks", "en"): (
        "tasks_overdue",
        [
            ("", "Plan, train and develop the S&T workforce"),
            ("State: ", "not reported"),
            ("", "overdue"),
            ("Deadline: ", "31/12/2020 (inferred)"),
            ("Lead agency: ", "Department of Science and Technology"),
            ("", "Section III.A.1"),
        ],
    ),
    ("/agency?id=so-nnptnt", "vi"): (
        "agency_tasks",
        [
            ("", "Trung tâm Giống cây trồng vật nuôi thành tổ chức KH&CN"),
            ("Trạng thái: ", "chưa báo cáo"),
            ("Thời hạn: ", "31/12/2030 (suy ra)"),
            ("", "Mục III.A.2; V.3"),
        ],
    ),
    ("/agency?id=so-nnptnt", "en"): (
        "agency_tasks",
        [
            ("", "Crop and livestock seed centre to become an S&T organisation"),
            ("State: ", "not reported"),
            ("Deadline: ", "31/12/2030 (inferred)"),
            ("", "Sections III.A.2; V.3"),
        ],
    ),
}


def first_row(app, path: str, lang: str, key: str, viewport: dict):
    """Open the page at this size; the table's first row, once it is drawn."""
    app.page.set_viewport_size(viewport)
    joiner = "&" if "?" in path else "?"
    page = app.open(path + (f"{joiner}lang=en" if lang == "en" else ""))
    row = page.locator(f".st-key-cards_{key} tbody tr").first
    expect(row).to_be_visible()
    return row


@pytest.mark.parametrize(("path", "lang"), list(TASK_ROWS))
def test_a_phone_shows_every_column_of_a_tasks_first_row_without_scrolling_sideways(
    app, path, lang
):
    """A leader on a phone reads a task's state, deadline and agency: each non-empty cell of
    the first row is shown, labelled with its column, inside the 360 px window, and neither
    the page nor the table scrolls sideways (Streamlit's grid showed only the first column)."""
    key, expected = TASK_ROWS[(path, lang)]
    row = first_row(app, path, lang, key, PHONE)
    # The labels' stylesheet comes with the table: wait until the row is laid out as a card.
    app.page.wait_for_function(
        """(key) => { const td = document.querySelector(
             `.st-key-cards_${key} tbody tr td:nth-child(2)`);
           return td && getComputedStyle(td).display === 'block'
             && getComputedStyle(td, '::before').content !== 'none'; }""",
        arg=key,
    )
    measured = row.evaluate(FIRST_ROW_JS)
    shown = [cell for cell in measured["cells"] if cell["shown"]]
    assert [(cell["label"], cell["text"]) for cell in shown] == expected
    for cell in shown:
        assert cell["left"] >= 0 and cell["right"] <= PHONE["width"], cell
        assert not cell["overflows"], cell
    assert not measured["sideways"]
    app.screenshot(f"{path.strip('/').split('?')[0]}_phone_{lang}")


@pytest.mark.parametrize(("path", "lang"), list(TASK_ROWS))
def test_a_screen_shows_the_tasks_as_a_table_with_its_headers(app, path, lang):
    """At 1280 px the same table is a table: its headers shown, the first row on one line."""
    key, expected = TASK_ROWS[(path, lang)]
    measured = first_row(app, path, lang, key, DESKTOP).evaluate(FIRST_ROW_JS)
    headers = app.page.locator(f".st-key-cards_{key} thead th")
    expect(headers.first).to_be_visible()
    shown_headers = headers.all_inner_texts()
    assert all(label.removesuffix(": ") in shown_headers for label, _ in expected if label)
    assert [cell["text"] for cell in measured["cells"] if cell["text"]] == [
        text for _, text in expected
    ]
    assert len({round(cell["top"]) for cell in measured["cells"]}) == 1  # a row, not a card
    assert not any(cell["label"] for cell in measured["cells"])
    assert not measured["sideways"]
    app.screenshot(f"{path.strip('/').split('?')[0]}_screen_{lang}")
