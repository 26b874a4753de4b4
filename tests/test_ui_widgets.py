"""ui/widgets.py: status widgets show word, icon and colour; downloads are safe."""

from __future__ import annotations

import io
import re

import pandas as pd

from kpis.cards import Card
from kpis.errors import HEADER_LINE, WHOLE_ROW, Problem
from kpis.i18n import STATUS_STYLES
from kpis.safe_text import md_text
from ui import widgets


def test_csv_download_has_a_bom_and_no_runnable_formula():
    frame = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "value": [-1.5, 2.0],
            "source": ['=HYPERLINK("http://x")', "@SUM(A1)"],
            "note": ["+1", "Bắc Kạn"],
        }
    )
    raw = widgets.csv_bytes(frame)
    assert raw.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(back["source"]) == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    assert list(back["note"]) == ["'+1", "Bắc Kạn"]
    assert list(back["value"]) == [-1.5, 2.0]  # numbers stay numbers


def test_status_widgets_show_word_and_icon_in_the_status_colour():
    badge = widgets.status_badge_html("needs_acceleration", "en")
    style = STATUS_STYLES["needs_acceleration"]
    assert style.colour in badge and "Needs acceleration" in badge and style.icon in badge
    cards = widgets.counts_html({"achieved": 4, "missed": 2}, "vi")
    assert "<b>4</b>✔ Đã đạt" in cards and "<b>2</b>✖ Không đạt" in cards
    bar = widgets.progress_bar_html(0.33, 0.6, "needs_acceleration", "33%")
    assert "width:33.0%" in bar and "left:60.0%" in bar
    assert widgets.progress_bar_html(2.0, None, "achieved", "200%").count("width:100.0%") == 1


def test_a_card_draws_its_bar_and_trend_only_where_they_say_something():
    target = Card("x", "X", status="needs_acceleration", bar=True, progress=0.5, bar_label="50%")
    assert "width:50.0%" in widgets.card_bar_html(target)
    assert widgets.card_bar_html(Card("m", "M", status="achieved")) == ""  # a milestone
    assert widgets.card_trend_html(Card("x", "X", trend=(1.0,))) == ""  # one point: no line
    drawn = widgets.card_trend_html(Card("x", "X", status="missed", trend=(1.0, 2.0)))
    assert STATUS_STYLES["missed"].colour in drawn


def _hostile_table() -> None:
    import pandas as pd

    from ui import widgets

    widgets.text_table(
        pd.DataFrame(
            {
                "Nhiệm vụ": ["**đậm** <img src=x>", "[link](http://x.vn)"],
                'Quá "hạn"': ["quá hạn", ""],
                "Năm": pd.Series([2024, None], dtype=object),  # as a page gives them
            }
        ),
        "hostile",
        bare=['Quá "hạn"'],
    )


def test_a_text_table_shows_every_cell_as_text_and_labels_a_phones_cards():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_hostile_table).run()
    assert not at.exception
    [table] = at.table
    shown = table.value
    # st.table reads Markdown: each cell is escaped so it shows as typed, a missing one empty
    assert shown.iloc[:, 0].tolist() == [
        md_text("**đậm** <img src=x>"),
        md_text("[link](http://x.vn)"),
    ]
    assert shown.iloc[0, 0] == r"\*\*đậm\*\* \<img src=x>"
    assert shown.iloc[:, 2].tolist() == ["2024", ""]
    [style] = [h.proto.body for h in at.get("html")]
    # a label before each cell but the first and the bare ones, escaped for a CSS string
    assert '.st-key-cards_hostile td:nth-child(3)::before{content:"Năm\\3a  "}' in style
    assert "nth-child(2)::before" not in style and "\\22" not in style
    # the empty cells leave their cards: no label with nothing after it
    assert style.endswith(
        ".st-key-cards_hostile tr:nth-child(2) td:nth-child(2),"
        ".st-key-cards_hostile tr:nth-child(2) td:nth-child(3){display:none}}</style>"
    )


def _hostile_status_table():
    import pandas as pd

    from ui import widgets

    # A few regions read down the targets; one region is named as the first column's header.
    cells = pd.DataFrame(
        {"Mục tiêu": ["1/2", "✔ Đã đạt", "–"], "[x](http://x.vn)": ["0/2", "–", "–"]},
        index=pd.Index(["Đã đạt", "**orgs** · 2020", "lab · 2030"], name="Mục tiêu"),
    )
    statuses = pd.DataFrame(
        {"Mục tiêu": [None, "achieved", None], "[x](http://x.vn)": [None, None, "no_data"]},
        index=cells.index,
    )
    widgets.status_table(cells, statuses)


def test_a_status_table_shows_names_as_text_and_cells_in_their_colours():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_hostile_status_table).run()
    assert not at.exception  # a region named «Mục tiêu» too: no second column of that name
    [table] = at.table
    shown = table.value
    assert list(shown.columns[1:]) == ["Mục tiêu", md_text("[x](http://x.vn)")]
    assert shown.columns[0].replace("\u2060", "") == "Mục tiêu"  # (a word joiner after it)
    assert shown.columns.is_unique
    assert shown.iloc[:, 0].tolist() == ["Đã đạt", md_text("**orgs** · 2020"), "lab · 2030"]
    assert shown.iloc[1, 1] == "✔ Đã đạt"
    # the achieved cell in its status colour, the names and counts without one
    css = table.proto.arrow_data.styler.styles
    achieved = STATUS_STYLES["achieved"].colour
    assert css.count(achieved) == 1
    assert css.count(STATUS_STYLES["no_data"].colour) == 1


def _ranking_with_statuses():
    import pandas as pd

    from ui import widgets

    widgets.text_table(
        pd.DataFrame({"Địa bàn": ["A", "B"], "Trạng thái": ["✔ Đã đạt", "Không áp dụng"]}),
        "ranked",
        statuses=pd.DataFrame({"Địa bàn": [None, None], "Trạng thái": ["achieved", None]}),
    )


def test_a_text_tables_status_cells_keep_their_word_in_their_colour_a_badge_on_a_card():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_ranking_with_statuses).run()
    assert not at.exception
    [table] = at.table
    assert table.value["Trạng thái"].tolist() == ["✔ Đã đạt", "Không áp dụng"]
    css = table.proto.arrow_data.styler.styles
    assert css.count(STATUS_STYLES["achieved"].colour) == 1  # the one status known
    [style] = [h.proto.body for h in at.get("html")]
    # on a phone the coloured cell is a badge, its label in the cell's ink; the other not
    assert ".st-key-cards_ranked tr:nth-child(1) td:nth-child(2){width:fit-content" in style
    assert ".st-key-cards_ranked tr:nth-child(1) td:nth-child(2)::before{color:inherit}" in style
    assert "tr:nth-child(2) td:nth-child(2){width" not in style


def test_css_text_leaves_no_quote_backslash_line_break_or_tag_in_a_css_string():
    hostile = 'a"b\\c\nd</style><script>'
    escaped = widgets.css_text(hostile)
    assert escaped == "a\\22 b\\5c c\\a d\\3c \\2f style\\3e \\3c script\\3e "


def test_the_document_language_script_names_vi_or_en_and_nothing_else():
    from streamlit.testing.v1 import AppTest

    def page(lang: str) -> None:
        from ui import widgets

        widgets.document_language(lang)

    for lang, code in [("vi", "vi"), ("en", "en"), ('"><script>x', "vi")]:
        at = AppTest.from_function(page, args=(lang,)).run()
        [script] = [e.proto.body for e in at.get("html")]
        assert f'document.documentElement.lang = "{code}";' in script
        assert "<script>x" not in script  # whatever it is given, only a code it knows


def test_a_problems_column_is_named_in_the_pages_language():
    problems = [
        Problem("data/2025.csv", "«x» không phải một số", "«x» is not a number", 3, "value"),
        Problem("data/2025.csv", "mã lạ", "unknown id", 4, "indicator"),
        Problem("data/2025.csv", "tệp trống", "empty file"),
        Problem("data/2025.csv", "tệp trống", "empty file").of_whole_file(),
        Problem("data/2025.csv", "6 ô", "6 cells", 5, WHOLE_ROW),
        Problem("data/2025.csv", "ở dòng 2", "on line 2", 1, HEADER_LINE),
    ]
    vi = widgets.problems_frame(problems, "vi")
    assert list(vi["Vị trí"]) == [
        "data/2025.csv:3: giá trị",
        "data/2025.csv:4: chỉ tiêu",
        "data/2025.csv",
        "data/2025.csv:1: tệp",
        "data/2025.csv:5: dòng",
        "data/2025.csv:1: dòng tiêu đề",
    ]
    # the English page says the contract's own names, as the command line does
    en = widgets.problems_frame(problems, "en")
    assert list(en.iloc[:, 0]) == [
        "data/2025.csv:3: value",
        "data/2025.csv:4: indicator",
        "data/2025.csv",
        "data/2025.csv:1: file",
        "data/2025.csv:5: row",
        "data/2025.csv:1: header",
    ]


def _accept_page(tick_key: str) -> None:
    import streamlit as st

    from kpis.errors import Problem
    from ui import widgets

    warning = Problem(
        "f.csv", "năm 1925 trước năm 2015", "1925 is before 2015", 3, "date", "warning"
    )
    accepted = widgets.accept_warnings(
        [warning],
        "vi",
        heading="1 ngày cần kiểm tra",
        accept="Tôi đã kiểm tra các ô trên",
        table_key="t_warnings",
        tick_key=tick_key,
    )
    st.button("Lưu", key="save", disabled=not accepted)


def test_warnings_to_accept_keep_saving_shut_until_ticked_and_a_new_preview_asks_again():
    from streamlit.testing.v1 import AppTest

    from kpis.ui_text import t

    at = AppTest.from_function(_accept_page, args=("tick_1",)).run()
    assert [w.value for w in at.warning] == ["1 ngày cần kiểm tra"]
    [shown] = at.table
    assert "năm 1925 trước năm 2015" in shown.value.iloc[0].tolist()
    assert at.button(key="save").disabled
    assert t("accept_first", "vi") in [c.value for c in at.caption]
    at.checkbox(key="tick_1").check().run()
    assert not at.button(key="save").disabled
    assert t("accept_first", "vi") not in [c.value for c in at.caption]
    # the next preview draws a new box: the tick given to the last one does not carry over
    at.args = ("tick_2",)
    at.run()
    assert at.button(key="save").disabled


def test_the_document_language_script_carries_nothing_read_as_a_tag():
    # A «<name>» in one of its comments and Streamlit drew the script's box empty: no page
    # was in Vietnamese, no help icon or uploader button named.
    body = widgets.LANGUAGE_JS.removeprefix("<script>").removesuffix("</script>")
    assert not re.search(r"<[A-Za-z/!?]", body)


def _hostile_name():
    from ui import widgets

    widgets.aria_names("link", {"": 'Chi tiết: "><img src=x onerror=alert(1)> & <b>'})


def test_a_name_for_a_screen_reader_is_an_escaped_attribute_of_an_empty_tag():
    """A name holds the plan's words: it is an attribute value, escaped, never markup."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_hostile_name).run()
    assert not at.exception
    [tag] = at.get("html")
    body = tag.proto.body
    assert 'data-name="Chi tiết: &quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;"' in (
        body
    )
    assert "<img" not in body and "<b>" not in body
    assert re.search(r'<span class="kpi-name"[^<>]*></span>', body)
