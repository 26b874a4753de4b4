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
