"""Words and number formats (the status words against docs/method.md: tests/test_docs.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from kpis.i18n import (
    STATUS_STYLES,
    contrast_ratio,
    count_unit,
    figures_and_tasks,
    fill,
    format_date,
    format_number,
    format_numbers,
    format_percent,
    format_percents,
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


# Values where a number's words turn: halves that round to even, -0 in each form it takes,
# whole and trailing-zero decimals, thousands, huge and tiny, not-a-number and the infinities.
EDGES = [
    0.0, -0.0, -0.001, -0.004, -0.005, -0.04, -0.049, 0.005, 0.015, 0.125, 0.5, 1.0, 1.1, 1.10,
    1.005, 2.675, 9.995, 10.0, 99.999, 100.0, 999.995, 1000.0, 1234.5, -1234.5, 1e15, 1.5e300,
    1e-300, None, float("nan"), float("inf"), float("-inf"), 7, -3, 0.1 + 0.2,
]  # fmt: skip


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("decimals", [None, 0, 1, 2, 3])
def test_many_numbers_are_worded_as_each_is_alone(lang, decimals):
    rng = np.random.default_rng(14)
    values = [
        *EDGES,
        *rng.normal(0, 1e4, 3000).tolist(),  # negatives and thousands
        *(rng.integers(-500, 500, 3000) / rng.choice([1, 2, 4, 8, 10, 100, 1000], 3000)).tolist(),
        *rng.integers(0, 10**9, 500).tolist(),
    ]
    assert format_numbers(values, lang, decimals) == [
        format_number(value, lang, decimals) for value in values
    ]
    shares = [None if v is None else v / 100 for v in values]
    assert format_percents(shares, lang, decimals or 0) == [
        format_percent(share, lang, decimals or 0) for share in shares
    ]
    assert format_numbers([], lang, decimals) == []


def test_percent_and_dates():
    assert format_percent(0.955, "vi", 1) == "95,5%"
    assert format_percent(0.5, "en") == "50%"
    assert format_date(dt.date(2016, 5, 16)) == "16/05/2016"  # in both languages


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


@pytest.mark.parametrize(
    ("figures", "tasks", "vi", "en"),
    [
        (2, 0, "2 số liệu", "2 figures"),
        (1, 0, "1 số liệu", "1 figure"),
        (0, 1, "1 nhiệm vụ", "1 task"),  # a save of task progress: never «số liệu»
        (0, 3, "3 nhiệm vụ", "3 tasks"),
        (3, 1, "3 số liệu, 1 nhiệm vụ", "3 figures, 1 task"),
        (0, 0, "0 số liệu", "0 figures"),
    ],
)
def test_what_a_save_changed_counts_figures_and_tasks_each_in_its_word(figures, tasks, vi, en):
    assert figures_and_tasks(figures, tasks, "vi") == vi
    assert figures_and_tasks(figures, tasks, "en") == en
