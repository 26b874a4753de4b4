"""Words and number formats (the status words against docs/method.md: tests/test_docs.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from kpis.i18n import STATUS_STYLES, format_date, format_number, format_percent


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
