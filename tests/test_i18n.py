"""Words and number formats (the status words against docs/method.md: tests/test_docs.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from kpis.i18n import (
    STATUS_STYLES,
    contrast_ratio,
    count_unit,
    fill,
    format_date,
    format_number,
    format_percent,
    plan_text,
)
from kpis.scorecard import text_colour_on


def test_every_status_has_its_own_colour_and_icon():
    assert len({s.colour for s in STATUS_STYLES.values()}) == len(STATUS_STYLES)
    assert len({s.icon for s in STATUS_STYLES.values()}) == len(STATUS_STYLES)


@pytest.mark.parametrize(
    "value, lang, decimals, expected",
    [
        (1234.5, "vi", None, "1.234,5"),
        (1234.5, "en", None, "1,234.5"),
        (3.0, "vi", None, "3"),
        (1234567, "vi", 0, "1.234.567"),
        (0.125, "en", 2, "0.12"),
        (None, "vi", None, "–"),
        (float("nan"), "en", None, "–"),
        (-0.001, "vi", None, "0"),
    ],
)
def test_format_number(value, lang, decimals, expected):
    assert format_number(value, lang, decimals) == expected


def test_percent_and_dates():
    assert format_percent(0.955, "vi", 1) == "95,5%"
    assert format_percent(0.5, "en") == "50%"
    assert format_date(dt.date(2016, 5, 16), "vi") == "16/05/2016"
    assert format_date(dt.date(2016, 5, 16), "en") == "2016-05-16"


def test_audit_times_are_shown_in_vietnams_local_time():
    from kpis.i18n import local_time

    assert local_time("2026-12-01T15:27:23+00:00") == "01/12/2026 22:27"
    assert local_time("2026-12-01T15:27:23+00:00", "en") == "2026-12-01 22:27"
    assert local_time("2026-12-01T22:27:23+07:00") == "01/12/2026 22:27"
    assert local_time("not a time") == "not a time"


def test_numbers_of_the_audit_trail_in_the_pages_format():
    from kpis.i18n import audit_number, plain_number

    assert [audit_number(v) for v in ("76500", "81.5", "")] == ["76.500", "81,5", ""]
    assert audit_number("76500", "en") == "76,500"
    assert (plain_number(81234.5), plain_number(81234.5, "en")) == ("81234,5", "81234.5")


@pytest.mark.parametrize("status", list(STATUS_STYLES))
def test_every_status_word_reads_on_its_colour_at_aa_contrast(status):
    """The badge, the /compare cells and the deck write the status word on its colour: at
    least 4.5:1 (WCAG AA for normal text), measured, not assumed."""
    style = STATUS_STYLES[status]
    assert contrast_ratio(style.colour, style.ink) >= 4.5
    assert contrast_ratio(style.colour, text_colour_on(style.colour)) >= 4.5


def test_contrast_ratio_matches_wcag_reference_pairs():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#1B7837", "#1B7837") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("vi", "en", "lang", "shown"),
    [
        ("Số tổ chức", "Organisations", "en", "Organisations"),
        ("Số tổ chức", None, "en", "Số tổ chức (no English text yet)"),
        ("Số tổ chức", None, "vi", "Số tổ chức"),
        ("%", None, "en", "%"),  # no Vietnamese letter: the same in both languages
        (None, None, "en", ""),
    ],
)
def test_a_missing_english_text_is_marked_not_hidden(vi, en, lang, shown):
    assert plan_text(vi, en, lang) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1, "models", "model"),
        (2, "models", "models"),
        (1, "facilities", "facility"),
        (1, "processes", "process"),
        (1, "million VND", "million VND"),
        (1.0, "regions", "region"),
        (0.5, "regions", "regions"),
    ],
)
def test_english_units_take_the_singular_for_exactly_one(value, unit, shown):
    assert count_unit(value, unit, "en") == shown
    assert count_unit(value, unit, "vi") == unit


def test_filled_sentences_say_one_region_not_one_regions():
    assert fill("{n} địa bàn", "{n} regions", "en", n=1) == "1 region"
    assert fill("{n} địa bàn", "{n} regions", "en", n=2) == "2 regions"
    assert fill("{n} địa bàn", "{n} regions", "vi", n=1) == "1 địa bàn"
    assert fill("", "{a} of {b} figures in 2021 units", "en", a=1, b=5) == (
        "1 of 5 figures in 2021 units"
    )
