"""How tall a text is once wrapped into a box: an estimate made before any renderer draws it.

The deck is laid out by python-pptx, which never measures text; PowerPoint and LibreOffice
wrap it when they open the file and grow a table's rows to fit, so a layout that assumed one
line a row ran its table over the footnote. These estimates err tall (a glyph counted at a
wide glyph's width), so a layout planned with them leaves room rather than overlapping.
"""

from __future__ import annotations

import math

# The average glyph of a sentence, in em, with margin: 0.52-0.58 em measured in DejaVu Sans
# (what LibreOffice draws for the deck's Calibri when Carlito is missing, the widest of the
# fonts a viewer may substitute), Vietnamese and English alike; bold is about 10% wider.
REGULAR_EM = 0.6
BOLD_EM = 0.66
LINE_HEIGHT = 1.2  # a line's height in em (ascent, descent and leading)


def wrapped_lines(text: str, width_pt: float, size_pt: float, *, bold: bool = False) -> int:
    """The lines `text` takes in a box `width_pt` wide at `size_pt`, broken at spaces (a word
    longer than a line breaks inside itself, as the renderers do); at least one."""
    per_line = max(1, int(width_pt / (size_pt * (BOLD_EM if bold else REGULAR_EM))))
    lines = 0
    for paragraph in text.split("\n"):
        used = None  # characters on the current line, None before its first word
        count = 1
        for word in paragraph.split():
            if used is None:
                used = len(word)
            elif used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            else:
                count += 1
                used = len(word)
            if used > per_line:  # a long word alone: it fills lines of its own
                count += math.ceil(used / per_line) - 1
                used = used % per_line or per_line
        lines += count
    return max(1, lines)


def text_height_pt(text: str, width_pt: float, size_pt: float, *, bold: bool = False) -> float:
    """The height of `text` wrapped into `width_pt`, in points, without the box's margins."""
    return wrapped_lines(text, width_pt, size_pt, bold=bold) * size_pt * LINE_HEIGHT
