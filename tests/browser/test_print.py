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


def printed(app, path, folder, before_printing=None):
    """(page texts, page words, [(status, name, target or figure)], group labels) of `path` with
    every group open; `before_printing(page)` is called last, just before the print."""
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
    if before_printing is not None:
        before_printing(page)
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


def not_whole_on_a_page(texts, words, cards) -> list[tuple[str, str]]:
    """(name, target) of every card seen on screen that no printed page holds whole: its
    target, with its name and status on the same page. Read as the page's words in order, a
    line of the next column may come between two lines of a card (pdftotext interleaves
    side-by-side cards by height, differently from run to run): the target's words in their
    order, within a few lines, not as one string."""
    streams = [[w[4] for w in page] for page in words]
    lost = []
    for status, name, target in cards:
        pages = [n for n, stream in enumerate(streams) if close_together(target.split(), stream)]
        if not any(name in texts[n] and status in texts[n] for n in pages):
            lost.append((name, target))
    return lost


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
    assert not_whole_on_a_page(texts, words, cards) == []
    # a group's label is never the last thing on a page
    assert labels
    for text in texts:
        assert not [label for label in labels if text.endswith(label)], text[-80:]
    assert not app.page_errors


# Streamlit opens a fold by animating its <details> for 500 ms (element.animate on the height,
# with an inline height and overflow hidden), and again from its folded height when the
# rerun's cards arrive. Printed in that half second, the fold kept the height of the moment
# and the cards below it were cut from the paper. On a busy server the rerun ends late and
# the print comes in that half second (the last group printed at 292 px of its 623 beside a
# deck being built): the likely cause of the last card lost after /present's deck tests in
# the same server (2 runs of 2). Here that moment is held still on the last group, 40 ms into
# the animation, from the folded height Streamlit starts it at.
HOLD_THE_LAST_FOLD_OPENING = """() => {
  const fold = [...document.querySelectorAll('[data-testid="stExpander"] details')].at(-1);
  const full = fold.getBoundingClientRect().height;
  fold.style.height = '73px';
  fold.style.overflow = 'hidden';
  const opening = fold.animate({height: ['73px', `${full}px`]}, {duration: 500});
  opening.pause();
  opening.currentTime = 40;
  return [full, fold.getBoundingClientRect().height];
}"""


def test_a_fold_printed_while_it_opens_keeps_its_cards(app, tmp_path):
    heights = []

    def hold_the_opening(page):
        heights.extend(page.evaluate(HOLD_THE_LAST_FOLD_OPENING))

    texts, words, cards, _ = printed(app, "/", tmp_path, before_printing=hold_the_opening)
    full, held = heights
    assert held < full / 2  # the screen shows the fold cut off, as the print did
    assert not_whole_on_a_page(texts, words, cards) == []
    assert not app.page_errors
