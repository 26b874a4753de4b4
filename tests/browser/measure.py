"""What a reader sees, measured in the browser: every text's size, the words broken across
two lines, and the boxes of a chart's SVG texts (inside the chart, apart from each other)."""

from __future__ import annotations

# Every visible text node under `root`: its words, computed font size (px) and box.
TEXTS_JS = """
(root) => {
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || el.closest('style, script')) continue;
    if (el.checkVisibility && !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    out.push({text: text.slice(0, 80), size: parseFloat(getComputedStyle(el).fontSize),
              left: box.left, top: box.top, right: box.right, bottom: box.bottom});
  }
  return out;
}
"""

# The texts of one plotly chart: each <text> element's box, and the chart's own box.
CHART_TEXTS_JS = """
(plot) => {
  const svg = plot.querySelector('.main-svg').getBoundingClientRect();
  const texts = [];
  for (const el of plot.querySelectorAll('svg text')) {
    if (!el.textContent.trim()) continue;
    if (el.closest('.modebar')) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    texts.push({text: el.textContent.trim().slice(0, 80),
                size: parseFloat(getComputedStyle(el).fontSize),
                left: box.left, top: box.top, right: box.right, bottom: box.bottom});
  }
  return {chart: {left: svg.left, top: svg.top, right: svg.right, bottom: svg.bottom}, texts};
}
"""


# Each word of the element's text that the browser broke across two lines (a word's range
# has one box per line it is drawn on); a line may end at a hyphen («socio-|economic»).
BROKEN_WORDS_JS = """
(root) => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    for (const match of node.textContent.matchAll(/[^\\s\\-–]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}
"""


def broken_words(element) -> list[str]:
    return element.evaluate(BROKEN_WORDS_JS)


def texts(page, selector: str = '[data-testid="stMain"]') -> list[dict]:
    return page.locator(selector).first.evaluate(TEXTS_JS)


def chart_texts(plot) -> dict:
    return plot.evaluate(CHART_TEXTS_JS)


def overlaps(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (
        a["left"] + slack < b["right"]
        and b["left"] + slack < a["right"]
        and a["top"] + slack < b["bottom"]
        and b["top"] + slack < a["bottom"]
    )


def problems_in_chart(measured: dict) -> list[str]:
    """Texts that stick out of the chart, and pairs of texts that cover each other."""
    chart, found = measured["chart"], []
    boxes = measured["texts"]
    for box in boxes:
        if (
            box["left"] < chart["left"] - 1
            or box["right"] > chart["right"] + 1
            or box["top"] < chart["top"] - 1
            or box["bottom"] > chart["bottom"] + 1
        ):
            found.append(f"clipped: {box['text']!r}")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if overlaps(a, b):
                found.append(f"overlap: {a['text']!r} / {b['text']!r}")
    return found
