"""kpis.safe_text.md_text: user text inside our Markdown shows as typed, makes nothing.

The browser test (tests/browser/test_hostile_text.py) checks what Chromium draws; this one the
Markdown each payload becomes."""

from __future__ import annotations

import pytest

from kpis.safe_text import WORD_JOINER, echoed, md_text, plotly_text

J = WORD_JOINER


@pytest.mark.parametrize(
    "text, shown",
    [
        ("684/QĐ-UBND", "684/QĐ-UBND"),  # ordinary text is left as typed
        ("Báo cáo 12/BC-SKHCN (ước) 1,5%", "Báo cáo 12/BC-SKHCN (ước) 1,5%"),
        ("[Đăng nhập](http://e.x)", f"\\[Đăng nhập\\](http:{WORD_JOINER}//e.x)"),
        ("![t](http://e.x/t.png)", f"!\\[t\\](http:{WORD_JOINER}//e.x/t.png)"),
        ('=HYPERLINK("http://e.x")', f'=HYPERLINK("http:{WORD_JOINER}//e.x")'),
        ("www.e.x a@e.x", f"www{WORD_JOINER}.e.x a{WORD_JOINER}@e.x"),
        ("<img src=x> <http://e.x>", f"\\<img src=x> \\<http:{WORD_JOINER}//e.x>"),
        ("**b** _i_ `c` ~~s~~ $x$", "\\*\\*b\\*\\* \\_i\\_ \\`c\\` \\~\\~s\\~\\~ \\$x\\$"),
        (":material/warning: :smile: :+1:", f":{J}material/warning: :{J}smile: :{J}+1:"),
        ("color:red :red[x] Mục 1: a", f"color:{J}red :{J}red\\[x\\] Mục 1: a"),
        ("# h", "\\# h"),
        ("- a", "\\- a"),
        ("1. a", "1\\. a"),
        ("1.11%", "1.11%"),
        ("no_such_thing _x_", "no_such_thing \\_x\\_"),
        ("> q", "\\> q"),
        ("a\r\nb\nc", "a b c"),
        ("&amp;", "\\&amp;"),
        # an e-mail address whatever comes before its @, and every form of a web address
        (
            "ceo.@e.x ceo-@e.x ceo+@e.x ceo_@e.x",
            f"ceo.{J}@e.x ceo-{J}@e.x ceo+{J}@e.x ceo\\_{J}@e.x",
        ),
        ("(@e.x) @e.x mailto:a@e.x", f"({J}@e.x) {J}@e.x mailto:{J}a{J}@e.x"),
        ("a @ b, @, a@", "a @ b, @, a@"),  # no address: nothing to break
        ("WWW.e.x Www.e.x", f"WWW{J}.e.x Www{J}.e.x"),
        ("HTTPS://e.x ftp://e.x (http://e.x)", f"HTTPS:{J}//e.x ftp:{J}//e.x (http:{J}//e.x)"),
        (None, ""),
    ],
)
def test_payloads_become_plain_text(text, shown):
    assert md_text(text) == shown


@pytest.mark.parametrize(
    "text, drawn",
    [
        ("Số tổ chức KH&CN (ước) 1,5%", "Số tổ chức KH&amp;CN (ước) 1,5%"),  # & drawn as &
        ('<a href="http://e.x">x</a>', '&lt;a href="http://e.x"&gt;x&lt;/a&gt;'),
        (
            '<span style="color:red">x</span><br><b>',
            '&lt;span style="color:red"&gt;x&lt;/span&gt;&lt;br&gt;&lt;b&gt;',
        ),
        ("%{x} %{meta[0]} 5% %d", "&#37;{x} &#37;{meta[0]} 5% %d"),  # no template to fill
        ("$x^2$", "&#36;x^2&#36;"),  # no formula where MathJax is loaded
        ("&amp; &#37;", "&amp;amp; &amp;#37;"),  # an entity typed is shown as typed
        (None, ""),
    ],
)
def test_plotly_text_draws_exactly_the_text(text, drawn):
    assert plotly_text(text) == drawn


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("x" * 5000, "x" * 60 + "…"),
        ("x" * 60, "x" * 60),  # short enough: whole, no «…»
        ("lang-son", "lang-son"),
        # cut after the 60th letter, a Vietnamese letter whole (NFC), then escaped as text
        ("Đ" * 59 + "ệ" + "*" * 10, "Đ" * 59 + "ệ…"),
        ("*" * 70, "\\*" * 60 + "…"),
        ("a\nb", "a b"),
    ],
)
def test_a_url_value_is_echoed_short_and_as_text(value, shown):
    assert echoed(value) == shown
