"""The overview's report in a real browser: «Tạo báo cáo (Word)» makes it while a bar counts
the charts drawn, then «Tải báo cáo (Word)» serves the report of this view (plan, as-of year,
language), read back with python-docx."""

from __future__ import annotations

import re

import pytest
from docx import Document
from playwright.sync_api import expect

from kpis.dataset import load_dataset
from kpis.export import prepare
from kpis.report import STYLE_TABLE, build_written_report

pytestmark = pytest.mark.browser


# Every text a progress bar shows, kept as it appears (a bar of a quick report may come and go
# between two polls of a busy machine's browser).
WATCH_PROGRESS_JS = """() => {
  window.kpiProgressSeen = [];
  new MutationObserver(() => {
    for (const bar of document.querySelectorAll('[data-testid="stProgress"]')) {
      window.kpiProgressSeen.push(bar.textContent);
    }
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def download_report(app, path: str, label: str, progress: bool = True):
    page = app.open(path)
    make = "Tạo báo cáo (Word)" if "lang=en" not in path else "Make the report (Word)"
    page.evaluate(WATCH_PROGRESS_JS)
    page.get_by_role("button", name=make).click()
    button = page.get_by_role("button", name=label)
    expect(button).to_be_visible(timeout=120_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert not page.get_by_test_id("stDownloadButtonError").count()
    if progress:  # while the charts were drawn a bar said how far, not a bare spinner
        drawing = re.compile(r"Đang vẽ biểu đồ \d+/\d+…|Drawing chart \d+ of \d+…")
        seen = page.evaluate("window.kpiProgressSeen")
        assert any(drawing.search(text) for text in seen), seen
    return download.value


def test_the_overview_writes_the_report_of_this_view(app, repo_root):
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    expected = build_written_report(prepare(dataset.plan, dataset.figures.table))
    download = download_report(app, "/", "Tải báo cáo (Word)")
    assert download.suggested_filename == "bao-cao_bac-kan-684-2016_2024_vi.docx"
    doc = Document(download.path())
    block = doc.tables[0]
    assert block.cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table = next(t for t in doc.tables if t.style.name == STYLE_TABLE)
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        [str(line.number), line.name, line.target, line.done, line.progress, line.status_word]
        for line in expected.rows
    ]
    assert table.rows[0].cells[3].text == "Thực hiện đến năm 2024"
    # the charts of the targets that need attention, drawn by the server's browser
    assert len(doc.inline_shapes) == len(expected.charts) > 0
    assert not app.page_errors


def test_in_english_as_of_2020(app):
    download = download_report(
        app, "/?lang=en&as_of=2020", "Download the report (Word)", progress=False
    )
    assert download.suggested_filename == "bao-cao_bac-kan-684-2016_2020_en.docx"
    doc = Document(download.path())
    table = next(t for t in doc.tables if t.style.name == STYLE_TABLE)
    assert table.rows[0].cells[3].text == "Achieved by 2020"
    assert doc.paragraphs[0].text == "REPORT"
    assert not app.page_errors
