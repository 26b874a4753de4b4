"""/indicator?id=ID: headline numbers, the chart, figures with sources, switching indicator."""

from __future__ import annotations

import json
import re

import pytest

from kpis.safe_text import WORD_JOINER
from tests.pages.conftest import texts

PAGE = "app_pages/indicator.py"


def metrics(at) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for metric in at.metric:
        out.setdefault(metric.label, []).append(metric.value)
    return out


def figures_table(at):
    """The figures, their sources and notes: a static table (its cells wrap), each cell as
    read, md_text's escapes and word joiners taken out."""
    [table] = [t.value for t in at.table if t.value.columns[0] in ("Năm", "Year")]
    return table.map(lambda cell: re.sub(r"\\(.)", r"\1", cell.replace(WORD_JOINER, "")))


def test_a_stock_with_two_targets(open_page):
    at = open_page(PAGE, id="public_st_orgs")
    assert at.title[0].value == "Số tổ chức KH&CN công lập"
    shown = metrics(at)
    # the 2020 target was judged on 2020's figure, the 2030 target on the latest (2024)
    assert shown["Số liệu năm hạn 2020"] == ["3"] and shown["Số liệu mới nhất"] == ["3"]
    assert shown["Mục tiêu"] == ["3", "5"]
    assert shown["Tiến độ"] == ["100%", "33%"]
    assert {"Năm 2020", "Năm 2030"} <= {c.value for c in at.caption}  # each target's year
    assert shown["Tiến độ cần có"] == ["100%", "60%"]
    assert shown["Dự báo"] == ["–", "4"]  # rounded as on the slide (kpis.shown)
    page = texts(at)
    assert "Đã đạt" in page and "Cần đẩy nhanh" in page
    assert "Căn cứ: 684/QĐ-UBND, Mục II.2; III.A.2" in page
    assert "Đơn vị: tổ chức" in page
    assert (
        "Nguồn: Minh họa – không phải số liệu thực tế"
        " (2024) · Mục tiêu: 684/QĐ-UBND (16/05/2016), Mục II.2; III.A.2"
    ) in page
    assert any("Số liệu minh họa" in i.value for i in at.info)

    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert chart["layout"]["separators"] == ",."
    assert any("Dự báo" in (trace.get("name") or "") for trace in chart["data"])

    table = figures_table(at)
    assert list(table["Năm"])[:2] == ["2015", "2016"]
    assert table["Nguồn"].str.startswith("Minh họa").all()
    assert "Tệp" not in table.columns  # file and line belong on /coverage and in the CSV
    assert at.get("download_button")


def test_a_standing_derived_target_in_english(open_page):
    at = open_page(PAGE, id="st_investment_share", lang="en")
    shown = metrics(at)
    assert shown["Latest figure"] == ["1.11%"]
    assert shown["Target"] == ["1.5%"]  # a floor: above 2% is not a failure
    assert shown["Progress"] == ["44%"]
    page = texts(at)
    assert "met in 4 of 9 years" in page and "Off track" in page
    # every year of its span, not one year: it read «Year 2030» under the target
    captions = [c.value for c in at.caption]
    assert "every year 2016–2030" in captions and "Year 2030" not in captions
    assert (  # the formula in words, from its inputs' names
        "Computed by the formula: Total investment in science and technology ÷ "
        "Total provincial budget spending × 100"
    ) in page
    table = figures_table(at)
    assert {
        "Total investment in science and technology",
        "Total provincial budget spending",
    } <= set(table["Indicator"])


def test_switching_indicator_and_as_of(open_page):
    at = open_page(PAGE, id="public_st_orgs")
    at.selectbox(key="indicator_id").set_value("enterprises_tech_innovation").run()
    assert at.title[0].value == "Số doanh nghiệp được hỗ trợ đổi mới công nghệ"
    assert metrics(at)["Số liệu năm hạn 2020"] == ["14"]  # cumulative, judged as at 2020
    assert "Không đạt" in texts(at)
    at.selectbox(key="as_of").set_value(2018).run()
    assert metrics(at)["Số liệu mới nhất"] == ["9"]
    assert metrics(at)["Dự báo"][0] != "–"  # 2020 still ahead as at 2018: a projection


@pytest.mark.parametrize(
    ("lang", "label", "latest", "figures_source"),
    [
        (
            "vi",
            "Số liệu năm hạn 2020",
            "Mới nhất năm 2024: 24 doanh nghiệp",
            "Nguồn: Minh họa – không phải số liệu thực tế (2020, 2024)",
        ),
        (
            "en",
            "At the 2020 deadline",
            "Latest in 2024: 24 enterprises",
            "Source: Illustrative – not a reported figure (2020, 2024)",
        ),
    ],
)
def test_a_target_past_its_year_headlines_its_deadlines_figure_and_the_latest(
    open_page, lang, label, latest, figures_source
):
    """The review's example: the 2020 target was judged on 14 enterprises (2020); the chart
    beside it reaches 24 in 2024. The headline no longer calls 14 the latest figure."""
    at = open_page(PAGE, id="enterprises_tech_innovation", lang=lang)
    shown = metrics(at)
    assert shown[label] == ["14"]
    assert "Số liệu mới nhất" not in shown and "Latest figure" not in shown
    captions = [c.value for c in at.caption]
    assert latest in captions
    assert any(c.startswith(figures_source) for c in captions), captions
    # as of 2020 the deadline is this year: its figure is the latest
    at.selectbox(key="as_of").set_value(2020).run()
    assert metrics(at)[("Số liệu mới nhất" if lang == "vi" else "Latest figure")] == ["14"]


def test_an_unknown_id_says_so_and_shows_the_first_indicator(open_page):
    at = open_page(PAGE, id="no_such_thing")
    assert any("no_such_thing" in w.value for w in at.warning)
    assert at.title[0].value == "Số tổ chức KH&CN công lập"


def test_an_illustrative_note_is_marked_in_the_pages_language(open_page):
    table = figures_table(open_page(PAGE, id="public_st_orgs", lang="en"))
    notes = [n for n in table["Note"] if n]
    # the department's words as written, marked as not translated (not a page left half done)
    assert (
        "Illustrative: Trung tâm Ứng dụng tiến bộ KH&CN và Trung tâm Kỹ thuật TCĐLCL "
        "(no English text yet)" in notes
    )
    assert not [n for n in notes if n.startswith("Minh họa")], notes  # beside an English source
    table = figures_table(open_page(PAGE, id="public_st_orgs"))
    assert "Minh họa: Trung tâm Ứng dụng tiến bộ KH&CN và Trung tâm Kỹ thuật TCĐLCL" in set(
        table["Ghi chú"]
    )  # as written on the Vietnamese page
