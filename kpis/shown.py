"""One rule for each number people read in several places: a projection, a latest figure.

The pages, the charts, /present, the deck and the narrative all call these, so "4 tổ chức"
on a slide is never "4,13 tổ chức" on the page, and the latest figure of a target is the
same on the overview's card and on the indicator's slide.

A target whose year has passed is judged on the latest figure up to that year (METHOD.md,
E = min(A, T)); where later figures exist, `JudgedFigure` calls it the deadline's figure and
carries the latest beside it, so no page, slide or report calls an older figure the latest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpis.i18n import NOT_APPLICABLE
from kpis.plan import Indicator, Plan, ReportingPeriod, Target
from kpis.progress import Assessment
from kpis.ui_text import capitalised, t, value_text, with_unit, year_words


def not_applicable(plan: Plan, region: str, target: Target, status: object) -> bool:
    """Whether a region's status on a target reads «không áp dụng» rather than «chưa có số
    liệu»: the region ends (`until`) in the target's year or before, merged as Bắc Kạn was on
    1/7/2025 for Thái Nguyên's 2025 targets, and has no figure to judge it by. METHOD.md still
    gives it that `no_data` row (its `until` is not before the year), and the CLI and CSV keep
    it; people are told the target does not apply, not that the figures are missing. A region
    judged on a figure keeps its status."""
    if status != "no_data" or not plan.plan.regions:
        return False
    declared = plan.region(region)
    return declared is not None and declared.until is not None and target.end_year >= declared.until


def shown_status(plan: Plan, row: Assessment) -> str:
    """The status a person is shown for `row`: METHOD.md's, or `NOT_APPLICABLE` where the
    target does not apply to the region (`not_applicable`). The overview, /present, the deck
    and the report count and colour by it; the CLI and CSV keep METHOD's."""
    target = plan.indicator(row.indicator).targets[row.target_index - 1]
    return NOT_APPLICABLE if not_applicable(plan, row.region, target, row.status) else row.status


def projection(indicator: Indicator, value: float) -> float:
    """A projection as a person would say it: whole for counts, one decimal otherwise."""
    return float(round(value)) if indicator.integer else round(value, 1)


def projections(values: np.ndarray, integer: np.ndarray) -> np.ndarray:
    """`projection` of many values at once (`integer`: whether each value's indicator counts
    whole things; NaN stays NaN), for the status command's hundred thousand rows.

    np.rint rounds half to even as round() does; round(value, 1) has no exact numpy twin, so
    it is called once per distinct value.
    """
    shown = np.rint(values)
    decimal = ~integer & ~np.isnan(values)
    if decimal.any():
        codes, uniques = pd.factorize(values[decimal])
        shown[decimal] = np.array([round(value, 1) for value in uniques.tolist()])[codes]
    return shown


def projection_text(value: float | None, indicator: Indicator, lang: str) -> str:
    """'4 tổ chức', '2,3%': the projection rounded by `projection`, with its unit ('' if none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return with_unit(projection(indicator, value), indicator, lang)


Point = tuple[int, float, bool]  # (year, value, rests on an estimate)


def last_point(points: pd.DataFrame) -> Point | None:
    """The last (year, value, estimate) of a series (year, value and maybe estimate), None
    when it is empty."""
    if not len(points):
        return None
    last = points.sort_values("year").iloc[-1]
    flag = last["estimate"] if "estimate" in points.columns else False
    return int(last["year"]), float(last["value"]), bool(not pd.isna(flag) and flag)


@dataclass(frozen=True)
class JudgedFigure:
    """The figure a target was judged on and what to call it.

    `deadline` is the target's year when that year has passed and the series has a figure
    after it (up to the as-of year): the judged figure is then the deadline's, not the latest,
    and `later` is the latest figure. Otherwise `deadline` and `later` are None and the judged
    figure is the latest one."""

    year: int | None
    value: float | None
    estimate: bool = False
    deadline: int | None = None
    later: Point | None = None
    # version 2: the region's reporting periods (Plan.periods_of); a year that has one is
    # named by its period ('năm 2022 và 6 tháng đầu năm 2023'), not as a calendar year
    periods: tuple[ReportingPeriod, ...] = ()

    def when(self, year: int, lang: str) -> str:
        """'2024', or the period the figures of `year` cover."""
        return year_words(year, self.periods, lang) or str(year)

    def label(self, lang: str) -> str:
        """'Số liệu mới nhất', 'Số liệu năm hạn 2020' (the figure is the deadline year's) or
        'Số liệu đến hạn 2020' (the last before it)."""
        if self.deadline is None:
            return t("figure_latest", lang)
        key = "figure_at_deadline" if self.year == self.deadline else "figure_by_deadline"
        return t(key, lang, deadline=self.deadline)

    def caption(self, lang: str) -> str:
        """Under the value, where it comes from: 'Năm 2024', 'Số liệu năm hạn 2020' or
        'Số liệu đến hạn 2020 · Năm 2019'."""
        period = year_words(self.year, self.periods, lang) if self.year is not None else ""
        year = capitalised(period) if period else f"{t('col_year', lang)} {self.year}"
        if self.deadline is None:
            return year
        return self.label(lang) if self.year == self.deadline else f"{self.label(lang)} · {year}"

    def text(self, indicator: Indicator, lang: str) -> str:
        """A tight table's cell (the scorecard slide): '3 tổ chức (2024)'; past its deadline
        '14 doanh nghiệp (năm hạn 2020)'; '–' without a figure."""
        if self.year is None:
            return "–"
        value = value_text(self.value, indicator, lang, self.estimate)
        when = self.when(self.year, lang)
        if self.deadline is None:
            return t("figure_in", lang, value=value, year=when)
        key = "figure_at_deadline_in" if self.year == self.deadline else "figure_by_deadline_in"
        return t(key, lang, value=value, year=when, deadline=self.deadline)

    def text_and_latest(self, indicator: Indicator, lang: str) -> str:
        """`text`, then the latest figure where the deadline's is shown: '14 doanh nghiệp
        (năm hạn 2020); mới nhất năm 2024: 24 doanh nghiệp' (the report, the spreadsheet)."""
        later = self.later_text(indicator, lang)
        return f"{self.text(indicator, lang)}; {later}" if later else self.text(indicator, lang)

    def later_text(self, indicator: Indicator, lang: str) -> str:
        """'mới nhất năm 2024: 24 doanh nghiệp'; '' when the judged figure is the latest."""
        if self.later is None:
            return ""
        year, value, estimate = self.later
        value_words = value_text(value, indicator, lang, estimate)
        if period := year_words(year, self.periods, lang):
            return t("figure_later_period", lang, period=period, value=value_words)
        return t("figure_later", lang, year=year, value=value_words)


def judged_figure(
    row: Assessment, last: Point | None, periods: tuple[ReportingPeriod, ...] = ()
) -> JudgedFigure:
    """The figure `row` was judged on; `last`: the last point of its indicator's series up to
    the as-of year (`last_point`). Past the target's year with a later figure: the deadline's.
    `periods`: the region's reporting periods (Plan.periods_of), to name the figure's time."""
    if row.latest_year is None or row.latest_value is None:
        return JudgedFigure(None, None, periods=periods)
    year, value = int(row.latest_year), float(row.latest_value)
    estimate = bool(row.latest_is_estimate)
    if last is not None and last[0] > year and last[0] > row.target_year:
        return JudgedFigure(
            year, value, estimate, deadline=row.target_year, later=last, periods=periods
        )
    return JudgedFigure(year, value, estimate, periods=periods)
