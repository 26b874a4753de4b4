"""User text on screen: shown as text, never read as Markdown or HTML (issue 10).

The one rule for every text the dashboard did not write itself: plan texts (names, units,
notes, documents), the figures' cells (source, note, region, ids) and URL parameters. Where
such a text is shown alone, pages use `st.text` (no parsing at all); where it sits inside our
own Markdown (a caption, a warning, a title, a label), it goes through `md_text` first. Links
and images appear only where the code itself makes them.

Escaping Markdown's punctuation is not enough on its own: Streamlit's Markdown turns any
`http://…`, `www.…` or `name@host` in the *resulting* text into a link, so those patterns are
also broken by an invisible word joiner (U+2060), which a reader does not see.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
# Every ASCII punctuation mark: CommonMark lets any of them be escaped with a backslash, and
# Streamlit's own directives (:material/…:, :red[…], $LaTeX$, emoji shortcodes) start with them.
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_SCHEME = re.compile(r"(\\:)(\\/)")  # ://
_WWW = re.compile(r"(?i)(w)(\\\.)")  # www.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def md_text(value: object) -> str:
    """`value` as Markdown that shows exactly its text: no link, image, emphasis, HTML,
    heading, list, icon or formula can come out of it. Line breaks become spaces."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    text = _PUNCTUATION.sub(r"\\\1", text)
    text = _SCHEME.sub(lambda m: m.group(1) + WORD_JOINER + m.group(2), text)
    text = _WWW.sub(lambda m: m.group(1) + WORD_JOINER + m.group(2), text)
    return text.replace("\\@", WORD_JOINER + "\\@")
