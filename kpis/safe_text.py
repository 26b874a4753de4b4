"""User text on screen: shown as text, never read as Markdown or HTML (issue 10).

The one rule for every text the dashboard did not write itself: plan texts (names, units,
notes, documents), the figures' cells (source, note, region, ids) and URL parameters. Where
such a text is shown alone, pages use `st.text` (no parsing at all); where it sits inside our
own Markdown (a caption, a warning, a title, a label), it goes through `md_text` first. Links
and images appear only where the code itself makes them.

Escaping Markdown's punctuation is not enough on its own: Streamlit's Markdown turns any
`http://…`, `www.…` or `name@host` in the *resulting* text into a link, so those patterns are
also broken by an invisible word joiner (U+2060), which a reader does not see and which the
pages take out of what is copied (`ui.widgets.LANGUAGE_JS`).

Plotly draws its own HTML subset (`<a href>`, `<span style>`, `<b>`, `<br>`…) in every text of
a figure, and fills `%{…}` in titles, names, annotations and hover templates: user text goes
into a figure through `plotly_text`, and the figure's own tags are added around it.
"""

from __future__ import annotations

import html
import re
import unicodedata

WORD_JOINER = "\u2060"
# What Markdown (and Streamlit's additions to it) would read in a line of text: emphasis, code,
# links and images, raw HTML and autolinks in <…>, strikethrough, LaTeX, escapes. Punctuation
# that only means something at the start of a line is escaped there (_LINE_START); the rest
# (/ - . , ( ) % = …) is left as typed, so a document number reads «684/QĐ-UBND» everywhere.
_ALWAYS = re.compile(r"([\\`*\[\]<~$|{}]|(?<!\w)_|_(?!\w))")  # an_id's _ emphasises nothing
_LINE_START = re.compile(r"^(\s*)(>|(?:[#+*-]|\d+[.)])(?=\s|$))")  # heading, quote, list
# :material/icon:, :smile:, :+1:, and a colour directive even without its […]: color:red shows
# «color». A backslash does not stop the emoji and directive plugins: a word joiner after the
# colon does (their names start right after it).
_DIRECTIVE = re.compile(r"(?<=:)(?=[\w+-])")
_ENTITY = re.compile(r"&(?=#?\w+;)")  # &amp; would show as &
# ://, www., and every @ before a name: x.@b, x-@b and x+@b are e-mail addresses too
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?=@\w)")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def _escape_line_start(match: re.Match) -> str:
    mark = match.group(2)  # `# `, `- `, `> ` or `12.`: the backslash goes before its sign
    return f"{match.group(1)}{mark[:-1]}\\{mark[-1]}"


def md_text(value: object) -> str:
    """`value` as Markdown that shows exactly its text: no link, image, emphasis, HTML,
    heading, list, icon or formula can come out of it. Line breaks become spaces."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    text = _ALWAYS.sub(r"\\\1", text)
    text = _LINE_START.sub(_escape_line_start, text, count=1)
    text = _DIRECTIVE.sub(WORD_JOINER, text)
    text = _ENTITY.sub("\\&", text)
    # Streamlit's Markdown links any http://…, www.… or name@host in the resulting text: an
    # invisible word joiner between the parts keeps them text.
    return _AUTOLINK.sub(WORD_JOINER, text)


ECHO_LIMIT = 60  # characters of a URL value a notice repeats: enough to see the typo


def echoed(value: object, limit: int = ECHO_LIMIT) -> str:
    """A value read from the URL, as a notice repeats it («Không có … «…»»): `md_text`,
    shortened to its first `limit` characters and «…», so a 5,000-character `?id=` cannot
    fill the screen. Characters are counted once composed (NFC): a Vietnamese letter and its
    marks are not cut apart."""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub(" ", "" if value is None else str(value)))
    if len(text) > limit:
        text = text[:limit].rstrip() + "…"
    return md_text(text)


def plotly_text(value: object) -> str:
    """`value` as Plotly text that shows exactly its text: no tag (link, style, line break),
    no `%{…}` template and no `$…$` formula can come out of it. Plotly turns the entities
    back into the characters, on screen and in the exported images."""
    text = html.escape("" if value is None else str(value), quote=False)  # & < >
    # numeric entities, which Plotly decodes after it has filled its templates (a lone % as
    # in a unit «%» stays as typed); $…$ would be a formula where MathJax is loaded
    return text.replace("%{", "&#37;{").replace("$", "&#36;")
