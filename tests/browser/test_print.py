"""The overview printed (browser print, A4), as staff print it for meetings: Chromium's PDF,
which lays the page out for print media, read back with pdftotext page by page."""

from __future__ import annotations

import subprocess

import pytest

from tests.browser.conftest import wait_for_app
from tests.test_report import pdf_words

pytestmark = pytest.mark.browser

# what the sidebar, the buttons and the links say: nothing to press on paper
NOT_ON_PAPER = (
    "Ngôn ngữ / Language",
    "Tính đến năm",
    "Tổng quan Chỉ tiêu Số liệu",  # the page menu
    "Tạo bài trình chiếu",
    "Tạo báo cáo (Word)",
    "Xem các nhiệm vụ",
    "Chi tiết",
)


def printed(app, path, folder):
    """(page texts, page words, [(status, name, target or figure)], group labels) of `path` with
    every group open."""
    page = app.open(path)
    folds = page.locator('[data-testid="stExpander"] summary')
    for n in range(folds.count()):
        folds.nth(n).click()
        wait_for_app(page, settle_ms=300)
    labels = [" ".join(label.split()) for label in folds.all_inner_texts()]
    cards = []
    for card in page.locator('[class*="st-key-overview_card_"]').all():
        lines = [line.strip() for line in card.inner_text().splitlines() if line.strip()]
        lines = [line for line in lines if line not in ("arrow_forward", "Chi tiết")]  # the link
        # «✔ Đã đạt», «Số tổ chức KH&CN công lập», «Mục tiêu: ≥ 3 tổ chức vào năm 2020»: two
        # cards may share a name (one target for 2020, one for 2030), never all three
        cards.append(tuple(" ".join(line.split()) for line in lines[:3]))
    pdf = folder / "overview.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    texts = [" ".join(p.split()) for p in out.stdout.split("\f") if p.strip()]
    return texts, pdf_words(pdf), cards, labels


def close_together(wanted: list[str], stream: list[str], slack: int = 40) -> bool:
    """Whether `wanted` occurs in `stream` in order, each word after the last, all within
    `slack` words more than they are (another column's line may lie between two of theirs)."""
    for start, word in enumerate(stream):
        if word != wanted[0]:
            continue
        at, found = start, 1
        while found < len(wanted) and at < start + len(wanted) + slack:
            at += 1
            if at < len(stream) and stream[at] == wanted[found]:
                found += 1
        if found == len(wanted):
            return True
    return False


@pytest.mark.parametrize("path", ["/", "/?plan=thai-nguyen-57-2025"])
def test_the_printed_overview_is_the_page_alone_and_keeps_each_card_whole(app, tmp_path, path):
    texts, words, cards, labels = printed(app, path, tmp_path)
    everything = " ".join(texts)
    assert [said for said in NOT_ON_PAPER if said in everything] == []
    # the main column across the sheet: the title starts at the page's margin (12 mm), not
    # right of a sidebar's quarter of the page
    point = 72 / 25.4
    assert min(w[0] for w in words[0]) < 20 * point
    assert max(w[2] for page in words for w in page) > (210 - 40) * point
    assert len(cards) >= 7
    streams = [[w[4] for w in page] for page in words]
    for status, name, target in cards:
        # the card's target on one page (not split), with its name and status. Read as the
        # page's words in order, a line of the next column may come between two lines of a
        # card (pdftotext interleaves side-by-side cards by height, differently from run to
        # run): the target's words in their order, within a few lines, not as one string
        pages = [n for n, stream in enumerate(streams) if close_together(target.split(), stream)]
        assert len(pages) >= 1, (name, target)
        assert any(name in texts[n] and status in texts[n] for n in pages), (name, status)
    # a group's label is never the last thing on a page
    assert labels
    for text in texts:
        assert not [label for label in labels if text.endswith(label)], text[-80:]
    assert not app.page_errors
