"""Lạng Sơn's figures cover «năm 2022 và 6 tháng đầu năm 2023» (plan `reporting_periods`): the
overview, /indicator and /present say so where they used to say «Năm 2023»."""

from __future__ import annotations

import re

import pytest

from kpis.safe_text import WORD_JOINER
from tests.pages.conftest import texts

PLAN = "lang-son-147-2023"
PERIOD = {"vi": "năm 2022 và 6 tháng đầu năm 2023", "en": "2022 and the first half of 2023"}


def plain(text: str) -> str:
    """A Markdown text as read: md_text's escapes and word joiners taken out."""
    return re.sub(r"\\(.)", r"\1", text.replace(WORD_JOINER, ""))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_overview_cards_name_the_period(open_page, lang):
    at = open_page(plan=PLAN, lang=lang)
    at.session_state[f"overview_group_{PLAN}_0"] = True  # a click on «Nhiệm vụ KH&CN»
    at.run()
    cards = [plain(m.value) for m in at.markdown if m.value.startswith("**60 ")]
    assert cards, "the card of the 60 provincial tasks"
    period = PERIOD[lang]
    assert period[0].upper() + period[1:] in cards[0]
    assert "Năm 2023" not in cards[0] and "Year 2023" not in cards[0]


def test_the_indicator_headline_and_table_name_the_period(open_page):
    at = open_page("app_pages/indicator.py", plan=PLAN, id="provincial_st_tasks")
    assert {m.label: m.value for m in at.metric}["Số liệu mới nhất"] == "60 nhiệm vụ"
    captions = [plain(c.value) for c in at.caption]
    assert "Năm 2022 và 6 tháng đầu năm 2023" in captions
    [table] = [t.value for t in at.table if t.value.columns[0] == "Năm"]
    assert list(table.columns[:2]) == ["Năm", "Kỳ báo cáo"]
    assert plain(table.iloc[0]["Kỳ báo cáo"]) == PERIOD["vi"]


def test_present_names_the_period_and_lists_the_tracked_figures(open_page):
    at = open_page("app_pages/present.py", plan=PLAN, slide="1")
    page = plain(texts(at))
    assert "Tình hình thực hiện năm 2022 và 6 tháng đầu năm 2023 · Lạng Sơn" in page
    at = open_page("app_pages/present.py", plan=PLAN, slide="2")
    assert at.title[0].value == "Số liệu theo dõi (1/2)"
    tables = plain("".join(m.value for m in at.markdown if "kpi-present-table" in m.value))
    assert "<td>Số đề tài, dự án KH&amp;CN cấp quốc gia triển khai trên địa bàn</td>" in tables
    assert "4 nhiệm vụ (năm 2022 và 6 tháng đầu năm 2023)" in tables


def test_present_says_a_lone_figure_large_rather_than_a_chart_of_one_dot(open_page):
    at = open_page("app_pages/present.py", plan=PLAN, slide="4")
    assert at.title[0].value == "Số đề tài, dự án KH&CN cấp quốc gia triển khai trên địa bàn"
    assert not at.get("plotly_chart")  # no axes around a single dot
    lone = [m.value for m in at.markdown if m.value.strip()]
    assert (
        "4" in lone
        and "nhiệm vụ" in lone
        and "Năm 2022 và 6 tháng đầu năm 2023" in [plain(line) for line in lone]
    )
