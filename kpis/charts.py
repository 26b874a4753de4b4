"""Plotly figures for the pages and exports: an indicator against its targets, sparklines. Pure.

A figure is a value: built from the plan, the effective series of one region and the
assessments of `kpis.progress`, never from globals, so the dashboard, the PNG/deck export and
the comparison page draw exactly the same chart. Title, unit, source and as-of year are drawn
into the figure itself, so an exported PNG makes sense on its own.

Plotly reads its own HTML subset and `%{…}` templates in every text of a figure: the plan's and
the figures' texts (names, units, labels, regions, sources, the document) go in through
`plotly_text` (here, or in `_wrap`), and only the tags written here are read as tags.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from kpis import images
from kpis.i18n import STATUS_STYLES, format_number
from kpis.plan import Indicator, Plan, Target
from kpis.progress import Assessment, least_squares_at
from kpis.safe_text import plotly_text
from kpis.shown import projection
from kpis.ui_text import document_dated, is_rank, region_label, t, target_words, unit_of

SERIES_COLOUR = "#1F4E79"  # the theme's deep blue (.streamlit/config.toml primaryColor)
TARGET_COLOUR = "#1A1A1A"
EXPECTED_COLOUR = "#8C8C8C"
REFERENCE_COLOUR = "#5E3C99"  # purple: not a status colour, so never read as one
BAND_FILL = "rgba(27, 120, 55, 0.12)"  # the "achieved" green, faint
# CSS text-shadow drawn behind a label's letters (plotly's textfont.shadow): a line under
# the words is hidden where it meets them, not drawn across them.
LABEL_HALO = "0 0 3px #FFFFFF, 0 0 3px #FFFFFF, 0 0 2px #FFFFFF"
FONT = "Segoe UI, Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"
SEPARATORS = {"vi": ",.", "en": ".,"}  # plotly: decimal mark, then thousands separator


@dataclass(frozen=True)
class ChartSize:
    """How big one chart's type is for where it is read, in CSS pixels of the drawn figure.

    `framed`: the title and the source footer are drawn into the figure (a page, a PNG on
    its own); a slide carries them as its own text, so its chart leaves them out.
    """

    font: int  # axes, legend, target and reference labels
    title: int = 17
    footer: int = 10
    plot_height: int = 400  # the plot area and its axes, without title, legend and footer
    framed: bool = True
    title_wrap: int = 70  # characters a title line holds before it wraps
    footer_wrap: int = 120
    year_ticks: int = 14  # at most this many year ticks (every target year is ticked too)
    margin_left: int = 60
    # The narrowest plot area (px between the axes) this size is drawn at: a reference label
    # is wrapped to it, since plotly never wraps text and cuts what passes the figure's edge.
    plot_width: int = 380
    # Brief words where a phone's 360 px hold few: a target's marker labelled without its
    # status word (the badge beside or above the chart says it, and a long label would cover
    # the projection's); the legend's entries without how the expected path is drawn (its
    # hover says it) and the projection without its status word (its label on the plot says
    # it), so four entries take two rows, not three.
    brief: bool = False
    # The figure keeps its height whatever its key of reference lines takes, the plot giving
    # the key its room: a slide's chart is as high as its picture (the deck) or its window
    # (/present) leaves it, and a printed report keeps its pages.
    fixed_height: bool = False
    # The whole figure this high, whatever its title, legend and footer take: the plot keeps
    # what they leave. The legend and the footer are placed from the plot's foot in its own
    # height's units, so a figure drawn shorter than its layout (a 1920x1080 PNG made of a
    # screen chart) put the legend over the year labels and the footer under the legend.
    figure_height: int | None = None


# Wide glyphs (capitals, «», ≥, Vietnamese marks) average under 0.6 em in the sans fonts above
# (a bound that errs wide); a sentence's characters under 0.5 em (measured 0.48 in Arimo).
CHAR_EM = 0.6
TEXT_EM = 0.5


# screen: the dashboard from a 641 px window (the sidebar open at 800 px leaves the chart
# ~440 px); phone: the same page at 360 px (titles wrap, fewer year ticks); projector: /present
# from 1024x768, an older projector (its page sets the chart's height from the window; its
# plot is ~530 px across there, 690 at 1280x720: a key wrapped for 1280 ran 30-65 px out of
# the figure at 1024; wrapped for 510 it took six lines in English, the plot ~100 px), no text
# under 24 px;
# presenter: the same slide in the presenter's own window (/present?presenter=1), a column
# beside the notes ~440 px across at 1280 px, read from a laptop's distance, not the hall's;
# slide: the deck's picture, drawn at the size it is placed (800x457 CSS px = 8.4x4.8 in,
# kpis.deck.CHART_HEIGHT_PX), where 19 px are 14.4 pt; its plot is 280 px at the shortest,
# under a legend of four rows; phone_slide: /present opened on a phone, the phone's figure
# without the title and source the slide shows around it; report: the printed Word report's
# figure, 620 CSS px across its 165 mm text column (kpis.report.CHART_PX: 1 px prints at
# 0.75 pt), so its smallest text (11 px) prints at 8.3 pt, and its plot 520 px at the narrowest;
# image: `python -m kpis charts`' 1920x1080 PNGs for slides, the screen chart's type in a figure
# of kpis.images' 880x495 CSS px, whose plot is what the title, legend and footer leave.
_PHONE = ChartSize(
    font=12, title=15, footer=11, plot_height=300, title_wrap=27, footer_wrap=46,
    year_ticks=6, margin_left=44, plot_width=250, brief=True,
)  # fmt: skip
_SLIDE = {"framed": False, "fixed_height": True}
SIZES: dict[str, ChartSize] = {
    "screen": ChartSize(font=13, footer=11, title_wrap=44, plot_width=340),
    "phone": _PHONE,
    "phone_slide": replace(_PHONE, framed=False),  # a phone's page scrolls: no fixed height
    "projector": ChartSize(
        font=24, plot_height=260, year_ticks=9, margin_left=90, plot_width=530, **_SLIDE,
    ),
    "presenter": ChartSize(
        font=16, plot_height=260, year_ticks=5, margin_left=64, plot_width=420, **_SLIDE,
    ),
    "report": ChartSize(
        font=12, title=15, footer=11, plot_height=260, title_wrap=62, footer_wrap=100,
        year_ticks=10, plot_width=520, fixed_height=True,
    ),
    "image": ChartSize(
        font=13, footer=11, title_wrap=76, plot_width=760, figure_height=images.HEIGHT,
    ),
    "slide": ChartSize(
        font=19, plot_height=280, year_ticks=8, margin_left=76, plot_width=700, **_SLIDE,
    ),
}  # fmt: skip


def status_colour(status: str) -> str:
    """The colour of a status, the same on every page and chart (kpis.i18n.STATUS_STYLES)."""
    return STATUS_STYLES[status].colour


def status_label(status: str, lang: str = "vi") -> str:
    """'✔ Đã đạt': icon and word, so the status never depends on colour alone."""
    style = STATUS_STYLES[status]
    return f"{style.icon} {style.word(lang)}"


def base_layout(lang: str, font_size: int = 13) -> dict:
    """Layout shared by every chart: white, restrained, numbers in the language's format."""
    return {
        "template": "simple_white",
        "separators": SEPARATORS.get(lang, SEPARATORS["vi"]),
        "font": {"family": FONT, "size": font_size, "color": "#1A1A1A"},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
    }


def _hover_number(indicator: Indicator) -> str:
    # d3 format; the layout's separators turn it into 1.234,5 in Vietnamese.
    return "%{y:,.0f}" if indicator.integer or indicator.kind == "milestone" else "%{y:,.2~f}"


def year_tick_values(
    first: int, last: int, most: int, always: Sequence[int] = (), apart: float = 1.0
) -> list[int]:
    """Years to tick: a step of 1, 2, 5, 10… so at most `most` ticks and none closer than
    `apart` years (a label's width), every year in `always` (the target years) ticked too,
    and a regular tick dropped where it would crowd one of them."""
    span = last - first
    step = next(
        s for s in (1, 2, 5, 10, 20, 50, 100) if (span // s + 1 <= most and s >= apart) or s == 100
    )
    regular = list(range(-(-first // step) * step, last + 1, step))  # on multiples of the step
    keep = set(always)
    ticks = set(keep)
    for year in regular:
        if all(abs(year - kept) >= max(1, apart, step * 0.6) for kept in keep):
            ticks.add(year)
    return sorted(y for y in ticks if first <= y <= last)


# A year label's room on the axis: four digits at a wide glyph's width (Arial's and Roboto's
# digits are 0.56 em) and a quarter em between labels. A count of ticks alone labelled every
# year of a bar chart from 2016 on a projector's 530 px plot: «20162017201820192020…».
YEAR_LABEL_EM = 4 * CHAR_EM + 0.25


def year_width(first: int, last: int, size: ChartSize) -> float:
    """A year's width in px in the narrowest plot of `size` (the axis runs from `first` - 0.6
    to `last` + 0.6)."""
    return size.plot_width / (last - first + 1.2)


def year_label_apart(first: int, last: int, size: ChartSize) -> float:
    """The fewest years between two labelled ticks for their labels to stand apart in the
    narrowest plot of `size`."""
    return size.font * YEAR_LABEL_EM / year_width(first, last, size)


def _year_ticks(first: int, last: int, size: ChartSize, always: Sequence[int]) -> dict:
    apart = year_label_apart(first, last, size)
    return {
        "tickmode": "array",
        "tickvals": year_tick_values(first, last, size.year_ticks, always, apart),
        "tickformat": "d",
        "tickangle": 0,  # years stay upright: fewer ticks instead of turned, cut labels
        "range": [first - 0.6, last + 0.6],
        "showgrid": False,
        "ticks": "outside",
    }


def _target_bounds(target: Target) -> tuple[float | None, float | None]:
    """The bounds drawn for a target (a growth target's level depends on the data: none)."""
    if target.is_period_average:
        return target.mean_min, target.mean_max
    if target.is_growth:
        return None, None
    return target.min, target.max


def indicator_figure(
    plan: Plan,
    indicator: Indicator,
    points: pd.DataFrame,
    assessments: Sequence[Assessment],
    lang: str = "vi",
    as_of: int | None = None,
    source_line: str | None = None,
    region: str | None = None,
    size: str = "screen",
) -> go.Figure:
    """The chart of one indicator for one region, as of a year.

    plan, indicator: from `kpis.plan`.
    points: the indicator's effective series for the region (`kpis.progress.effective_series`
        filtered to it): columns `year`, `value`; years after `as_of` are not drawn.
    assessments: `kpis.progress.assess(...)` rows of this indicator and region (any order;
        empty for an indicator without targets).
    lang: "vi" or "en" (words and number format).
    as_of: the as-of year (default: the latest year in `points`).
    source_line: where the figures come from, drawn under the chart (see
        `kpis.ui_text.source_summary`); None leaves it out.
    region: shown in the subtitle (default: the assessments' region, else the plan's).
    size: where it is read, a key of SIZES ("screen", "phone", "projector", "slide").

    Draws: the series (bars for a flow, a line for stock, cumulative and milestone), each
    target (a marker at its year for min/max, a shaded band for a between or standing target),
    the straight expected path from the baseline to each dated target, the trend projection
    to the target year (dashed, in the status colour, labelled with the status word), the
    references as labelled horizontal lines.
    """
    columns = ["year", "value"] + (["estimate"] if "estimate" in points else [])
    series = points[columns].dropna(subset=["year", "value"]).sort_values("year")
    if as_of is not None:
        series = series[series["year"] <= as_of]
    years = [int(y) for y in series["year"]]
    values = [float(v) for v in series["value"]]
    if as_of is None:
        as_of = years[-1] if years else plan.plan.baseline_year
    if region is None:
        region = assessments[0].region if assessments else plan.plan.region
    unit = unit_of(indicator, lang)
    by_index = {a.target_index: a for a in assessments}
    shape = SIZES[size]

    # A figure marked as an estimate is drawn hollow (a dotted bar) and says «(ước)» on
    # hover, with a key entry: a full-year estimate drawn like a reported figure read as one.
    estimates = (
        [bool(flag) for flag in series["estimate"].fillna(False)]
        if "estimate" in series
        else [False] * len(years)
    )
    marks = [f" {t('estimate_mark', lang)}" if flag else "" for flag in estimates]
    fig = go.Figure()
    hover = f"%{{x}}: {_hover_number(indicator)} {plotly_text(unit)}%{{customdata}}<extra></extra>"
    name = t("chart_series", lang)
    # Years that met a standing target are drawn in the "achieved" colour, so "met in 4 of 9
    # years" can be seen at a glance, and hatched (bars) or as diamonds (points): the green
    # and the blue print as the same grey (levels 110 and 96), and a handout is printed grey.
    met_years = {y for a in assessments if a.years_met for y in a.years_met}
    colours = [status_colour("achieved") if y in met_years else SERIES_COLOUR for y in years]
    hatch = _met_hatch(shape)
    if indicator.kind == "flow":
        fig.add_trace(
            go.Bar(
                x=years,
                y=values,
                name=name,
                marker={
                    "color": colours,
                    "pattern": {**hatch, "shape": _bar_patterns(years, met_years, estimates)},
                },
                customdata=marks,
                hovertemplate=hover,
                opacity=0.85,
            )
        )
    else:
        fig.add_trace(
            go.Scatter(
                x=years,
                y=values,
                name=name,
                mode="lines+markers",
                line={
                    "color": SERIES_COLOUR,
                    "width": 3,
                    "shape": "hv" if indicator.kind == "milestone" else "linear",
                },
                marker={
                    "size": [12 if y in met_years else 8 for y in years],
                    "color": colours,
                    "symbol": [
                        (MET_SYMBOL if y in met_years else "circle") + ("-open" if flag else "")
                        for y, flag in zip(years, estimates, strict=True)
                    ],
                    "line": {"width": 2},
                },
                customdata=marks,
                hovertemplate=hover,
            )
        )
    if met_years:
        met = t("chart_met_year", lang)
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name=met,
                marker={"color": status_colour("achieved"), "pattern": hatch},
                opacity=0.85,
                hoverinfo="skip",
            )
            if indicator.kind == "flow"
            else go.Scatter(
                x=[None],
                y=[None],
                name=met,
                mode="markers",
                marker={"size": 12, "color": status_colour("achieved"), "symbol": MET_SYMBOL},
                hoverinfo="skip",
            )
        )

    if any(estimates):
        estimated = [str(year) for year, flag in zip(years, estimates, strict=True) if flag]
        key = f"{t('chart_estimate', lang)} ({', '.join(estimated)})"
        if indicator.kind == "flow":
            dotted = {**hatch, "shape": ESTIMATE_PATTERN}
            entry = go.Bar(x=[None], y=[None], marker={"color": SERIES_COLOUR, "pattern": dotted})
        else:
            marker = {
                "size": 8,
                "symbol": "circle-open",
                "color": SERIES_COLOUR,
                "line": {"width": 2},
            }
            entry = go.Scatter(x=[None], y=[None], mode="markers", marker=marker)
        entry.update(name=key, hoverinfo="skip")
        fig.add_trace(entry)

    x_years = list(years) + [as_of]
    for position, target in enumerate(indicator.targets, start=1):
        assessment = by_index.get(position)
        x_years += [target.end_year] + ([target.from_] if target.from_ is not None else [])
        _draw_target(fig, indicator, target, assessment, lang, shape, shape.brief)
        if assessment is not None and not (target.is_standing or target.is_period_average):
            if assessment.baseline_year is not None:
                x_years.append(assessment.baseline_year)
            if indicator.kind != "milestone":  # done or not: no straight path to it
                _draw_expected(fig, target, assessment, lang, position == 1, shape.brief)
            _draw_projection(fig, indicator, target, assessment, series, lang, shape)
    first, last = min(x_years), max(x_years)
    # A target's label near either end of the axis is written inwards, not cut at the edge.
    for trace in fig.data:
        if trace.legendgroup == "targets" and trace.x:
            year = trace.x[0]
            if year >= last - (last - first) * 0.3:
                trace.textposition = "top left"
            elif year <= first + (last - first) * 0.3:
                trace.textposition = "top right"

    if indicator.kind == "flow":
        _lift_labels_over_bars(fig, dict(zip(years, values, strict=True)), first, last, shape)

    references = _draw_references(fig, indicator, first, last, lang, shape)
    # Each entry of the legend under the plot in a group, its own where it has none: plotly
    # flows a `grouped` legend's groups (LEGEND_FLOW) only when some entry has a group.
    for position, trace in enumerate(fig.data):
        if trace.legend in (None, "legend") and not trace.legendgroup:
            trace.legendgroup = f"entry{position}"

    title_name = indicator.text("name", lang)
    subtitle = t(
        "chart_unit_asof", lang, unit=unit, region=region_label(plan, region, lang), year=as_of
    )
    # "Targets: <document>" when the chart draws the plan's targets, else just the plan
    footer = [
        t(
            "chart_plan" if indicator.targets else "chart_plan_tracked",
            lang,
            document=document_dated(plan.plan, lang),
        )
    ]
    if source_line:
        footer.insert(0, t("chart_source", lang, sources=source_line))
    footer_text = "<br>".join(_wrap(line, shape.footer_wrap) for line in footer)
    title_text = f"<b>{_wrap(title_name, shape.title_wrap)}</b>"
    title_lines = title_text.count("<br>") + 1
    # Room under the plot for the year ticks and the legend as it wraps in the narrowest plot
    # of this size (a fixed three rows ran into the footer at 800-900 px), then the footer,
    # each line at its font's height. A slide's legend, at the figure's foot, is given the
    # room of the rows it takes where it is drawn, by plotly (see `layout` below): two rows
    # kept for it in a 640 px plot left a blank row over its one at 1920x1080.
    legend_rows = _legend_rows(fig, shape) if shape.framed else 0
    # (the legend's box is its rows and a padding of ~0.8 em, which stood over the footer's
    # first line by 2 px where the rows alone were counted)
    bottom = int(shape.font * (2.4 + 1.5 * legend_rows + (0.8 if legend_rows else 0)))
    key = _reference_key_height(references, shape)
    if shape.framed:
        bottom += int(shape.footer * 1.45 * (footer_text.count("<br>") + 1)) + 12
    subtitle_text = _wrap(subtitle, shape.title_wrap + 8, between=" · ")
    subtitle_lines = subtitle_text.count("<br>") + 1
    heading = (
        int(shape.title * 1.35 * title_lines + shape.font * 1.4 * subtitle_lines + 28)
        if shape.framed
        # /present: room for a status label over a point near the top of a short plot
        else (int(shape.font * 1.7) if size == "projector" else 16)
    )
    if key and not shape.framed:  # the key over the plot leaves a status label its room
        heading = 8
    top = heading + key
    if shape.figure_height is not None:
        plot_height = max(shape.figure_height - top - bottom, 150)
    elif shape.fixed_height:
        plot_height = max(shape.plot_height - key, 150)
    else:
        plot_height = shape.plot_height
    height = top + plot_height + bottom
    layout = base_layout(lang, shape.font)
    if shape.framed:
        layout["title"] = {
            "text": title_text,
            "subtitle": {
                "text": subtitle_text,
                "font": {"size": max(shape.font, shape.footer)},
            },
            "x": 0.01,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 16},
            "font": {"size": shape.title},
        }
    layout.update(
        # (automargin: the ticks' own room, which plotly adds a slide's legend's room to: a
        # legend placed by the container's foot keeps the margin as high as the rows drawn)
        xaxis={
            **_year_ticks(first, last, shape, [t.end_year for t in indicator.targets]),
            "automargin": not shape.framed,
        },
        yaxis=_value_axis(indicator, plotly_text(unit), fig),
        # Framed: under the ticks, the footer anchored at the image's foot below it. A slide's
        # chart takes its height from the window (/present): the legend at the figure's foot.
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -shape.font * 2.2 / plot_height,
            "x": 0,
            "font": {"size": shape.font},
            **LEGEND_FLOW,
        }
        if shape.framed
        else {
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
            "font": {"size": shape.font},
            **LEGEND_FLOW,
        },
        margin={"l": shape.margin_left, "r": 20, "t": top, "b": bottom},
        # The reference lines' key over the plot, under the title (framed) or at the top (a
        # slide's chart, whose height is the window's: only the container's top is fixed)
        # (row-wise: plotly reserves a key placed by the container's edges at its top or bottom
        # if row-wise, at its left if column-wise, where it took the whole plot's width)
        legend2={
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - (heading - 10) / height if shape.framed else 1,
            "yanchor": "top",
            "font": {"size": shape.font, "color": REFERENCE_COLOUR},
            "tracegroupgap": 0,
            "itemwidth": KEY_SAMPLE_PX,
        },
        height=height,
        bargap=0.35,
        barmode="overlay",  # the legend-only "met" bar must not take a slot beside each bar
        hovermode="closest",
    )
    if indicator.kind == "milestone":
        layout["yaxis"].update(
            tickmode="array",
            tickvals=[0, 1],
            range=[-0.15, 1.3],
            ticktext=[t("milestone_not_done", lang), t("milestone_done", lang)],
            title={"text": ""},
            automargin=True,
        )
    if is_rank(indicator):
        # 1 is best and at the top, as people read a league table; no zero line to start from
        layout["yaxis"].pop("range", None)  # the headroom's range would undo the reversal
        layout["yaxis"].update(autorange="reversed", rangemode="normal", tickformat="d")
        if values and max(values) - min(values) <= 12:  # whole ranks only: no "11, 11, 10"
            layout["yaxis"].update(tick0=1, dtick=1)
    if not references:
        layout.pop("legend2")
    fig.update_layout(**layout)
    # The target markers and their labels drawn last, over the lines that end at them (a
    # label's halo hides only what is drawn before it); the legend keeps the drawn order.
    for rank, trace in enumerate(fig.data, start=1):
        trace.legendrank = rank
    fig.data = sorted(fig.data, key=lambda trace: trace.legendgroup == "targets")
    if shape.framed:
        # Anchored at the bottom edge of the whole image (paper y is relative to the plot area).
        fig.add_annotation(
            text=footer_text,
            xref="paper",
            yref="paper",
            x=0,
            y=-(bottom - 6) / plot_height,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            align="left",
            font={"size": shape.footer, "color": "#555555"},
        )
    return fig


# A met year's point on a line: a diamond, told from the circles by its shape in grey print.
MET_SYMBOL = "diamond"


# An estimated year's bar is dotted where a met year's is hatched: both marks survive grey
# print, and a met estimate carries both (crossed).
ESTIMATE_PATTERN = "."


def _bar_patterns(years: list[int], met_years: set[int], estimates: list[bool]) -> list[str]:
    """Each bar's pattern: hatched for a year that met a standing target, dotted for an
    estimate, crossed for both, none otherwise."""
    shapes = {(True, False): "/", (False, True): ESTIMATE_PATTERN, (True, True): "x"}
    return [
        shapes.get((year in met_years, flag), "")
        for year, flag in zip(years, estimates, strict=True)
    ]


def _met_hatch(shape: ChartSize) -> dict:
    """The white diagonal hatch over a met year's bar and its legend swatch: lines about a
    tenth of the bar's colour, far enough apart to read as stripes where the chart is read."""
    return {
        "shape": "/",
        "fgcolor": "#FFFFFF",
        "size": max(8, round(shape.font * 0.6)),
        "solidity": 0.35,
    }


def _value_axis(indicator: Indicator, unit: str, fig: go.Figure) -> dict:
    """The value axis from zero; whole-number steps for an indicator counted in whole units."""
    axis = {
        "title": {"text": unit},
        "rangemode": "tozero",
        "showgrid": True,
        "gridcolor": "#E6E9EE",
        "zeroline": False,
        "tickformat": ",~f",
        "automargin": True,
    }
    drawn = [
        float(y)
        for trace in fig.data
        for y in (trace.y or ())
        if y is not None and math.isfinite(float(y))
    ]
    highest, lowest = max(drawn, default=1.0), min(drawn, default=0.0)
    if highest > 0 and lowest >= 0:
        # headroom over the highest point for the target's label above its marker, which
        # would otherwise stand in the title's margin
        axis["range"] = [0, highest * 1.22]
    if indicator.integer:
        # a small count would get ticks at 0.5; at least a step of 1 and whole labels
        axis.update(tick0=0, dtick=round_step(highest / 6), tickformat=",d")
    return axis


def round_step(least: float) -> int:
    """The smallest whole tick step of 1, 2 or 5 times a power of ten that is at least
    `least`: ticks at 0, 100, 200 … are read at a glance, 0, 59, 118 … are not."""
    power = 1
    while True:
        for factor in (1, 2, 5):
            if factor * power >= least:
                return factor * power
        power *= 10


def _legend_rows(fig: go.Figure, shape: ChartSize) -> int:
    """The rows the legend under the plot takes in the narrowest figure of this size. Its
    entries run as words do (the legend is `grouped`, see `LEGEND_FLOW`): each as wide as its
    own words, a row full when the next would pass the plot's width. Widths are measured at a
    wide glyph's, so the estimate errs high, never low."""
    shown = [tr for tr in fig.data if tr.showlegend is not False and tr.name]
    if len(shown) < 2:  # plotly draws no legend for a single trace (in all its legends)
        return 0
    names = [str(tr.name) for tr in shown if tr.legend in (None, "legend")]
    if not names:
        return 0
    rows, used = 1, 0.0
    for name in names:
        width = 46 + len(name) * shape.font * CHAR_EM
        if used and used + width > shape.plot_width:
            rows, used = rows + 1, 0.0
        used += width
    return rows


# The legend under the plot laid out as a line of words, each entry as wide as its own: plotly
# lays a row-wise legend that does not fit one row in columns as wide as its widest entry, so
# «Mục tiêu: ≥ 1,5% mỗi năm 2016–2030» put «Số liệu» and «Năm đạt mục tiêu» on a row each
# and left /present's plot 130 px at 1280x720. A `grouped` legend flows instead, each entry
# in a group (`indicator_figure`); no gap between its rows, as between lines.
LEGEND_FLOW = {"traceorder": "grouped", "tracegroupgap": 0}


# Each reference line its own dash, so its entry in the key is tied to it by the line drawn
# beside the words, not by the order alone (two purple lines 1% apart).
REFERENCE_DASHES = ("dashdot", "longdash", "dot", "longdashdot")
# The key's line samples are twice plotly's 30 px, long enough to show a dash's pattern whole
# (a long dash and its gap are 30 px); the words start this far from the key's left edge.
KEY_SAMPLE_PX = 60
KEY_TEXT_PX = KEY_SAMPLE_PX + 16


def _draw_references(
    fig: go.Figure,
    indicator: Indicator,
    first: int,
    last: int,
    lang: str,
    shape: ChartSize,
) -> list[str]:
    """The references as horizontal lines, named in a key of their own (`legend2`) above the
    plot, the top line's first: labelled inside the plot, two lines 1% apart left no room
    for a label between them (its words over a line on a projector and a phone). Returns
    the key's entries as drawn (wrapped with <br>)."""
    # the top line first, as the reader meets them going down the plot
    order = sorted(indicator.references, key=lambda r: r.value, reverse=not is_rank(indicator))
    room = shape.plot_width + shape.margin_left + 20 - KEY_TEXT_PX  # the narrowest figure
    width = max(12, int(room / (shape.font * TEXT_EM)))
    entries = []
    for position, reference in enumerate(order):
        label = reference.text("label", lang)
        entry = _wrap(label, width)  # plotly never wraps a legend entry: cut at the edge
        fig.add_trace(
            go.Scatter(
                x=[first - 0.6, last + 0.6],
                y=[reference.value] * 2,
                mode="lines",
                name=entry,
                legend="legend2",
                line={
                    "color": REFERENCE_COLOUR,
                    "width": 2,
                    "dash": REFERENCE_DASHES[position % len(REFERENCE_DASHES)],
                },
                hovertemplate=f"{plotly_text(label)}<extra></extra>",
            )
        )
        entries.append(entry)
    return entries


def _reference_key_height(entries: Sequence[str], shape: ChartSize) -> int:
    """The height of the reference lines' key: each line of its words at plotly's 1.3 line
    height, a few px between entries and around the key."""
    if not entries:
        return 0
    lines = sum(entry.count("<br>") + 1 for entry in entries)
    return int(lines * shape.font * 1.3 + 6 * len(entries) + 10)


def _wrap(text: str, width: int, between: str | None = None) -> str:
    """Break a long title or source line at spaces with <br>, so it stays inside a PNG;
    with `between` (" · "), first between the phrases it separates, so a phrase such as
    «Số liệu tính đến năm 2024» is not broken before its year where it fits on a line.

    `text` is plain text (user text in it too): each line is escaped for Plotly
    (`plotly_text`), so the <br> between them are the only tags."""
    return "<br>".join(plotly_text(line) for line in _lines(text, width, between))


def _lines(text: str, width: int, between: str | None = None) -> list[str]:
    joint = " " if between is None else between
    pieces = text.split() if between is None else text.split(between)
    lines, line = [], ""
    for piece in pieces:
        if line and len(line) + len(joint) + len(piece) > width:
            lines.append(line)
            line = piece
        else:
            line = f"{line}{joint}{piece}" if line else piece.strip()
    if line:
        lines.append(line)
    if between is None:
        return lines
    # a phrase longer than a line: broken at its spaces
    return [part for line in lines for part in _lines(line, width)]


def _draw_target(
    fig: go.Figure,
    indicator: Indicator,
    target: Target,
    assessment: Assessment | None,
    lang: str,
    shape: ChartSize,
    brief: bool = False,
) -> None:
    """`brief`: the marker's label without the status word (a phone: the badge beside the
    chart says it, and a long label would cover the projection's)."""
    words = target_words(target, indicator, lang, assessment.baseline_value if assessment else None)
    words = plotly_text(words)  # the unit is the plan's
    name = f"{t('chart_target', lang)}: {words}"
    low, high = _target_bounds(target)
    over_years = target.is_standing or target.is_period_average
    if over_years or (low is not None and high is not None):
        x0, x1 = (
            (target.from_ - 0.5, target.to + 0.5)
            if over_years
            else (target.year - 0.45, target.year + 0.45)
        )
        y0 = low if low is not None else 0.0
        y1 = high if high is not None else (low or 0) * 1.5
        fig.add_trace(
            go.Scatter(
                x=[x0, x1, x1, x0, x0],
                y=[y0, y0, y1, y1, y0],
                fill="toself",
                mode="lines",
                fillcolor=BAND_FILL,
                line={"color": "rgba(27, 120, 55, 0.5)", "width": 1},
                name=name,
                hovertemplate=f"{words}<extra></extra>",
            )
        )
        return
    if target.min_times_baseline is not None or target.is_growth:
        if assessment is None or assessment.goal is None:
            return  # the goal needs a baseline value: nothing to place yet
        value = assessment.goal
        symbol = "triangle-down" if target.max_growth is not None else "triangle-up"
    elif low is not None:
        value, symbol = low, "triangle-up"
    else:
        value, symbol = high, "triangle-down"
    fig.add_trace(
        go.Scatter(
            # One legend entry for every dated target: each marker is labelled on the chart, and
            # a short legend stays on one or two rows, even on a phone.
            x=[target.end_year],
            y=[value],
            mode="markers+text",
            name=t("chart_target", lang),
            legendgroup="targets",
            showlegend=not _has_legend(fig, "targets"),
            marker={
                # on a rank's reversed axis "top 10" lies upwards: the triangle points that way
                "symbol": _flipped(symbol) if is_rank(indicator) else symbol,
                "size": 16,
                "color": "#FFFFFF",
                "line": {"color": TARGET_COLOUR, "width": 2.5},
            },
            text=[
                _marker_text(indicator, target, value, symbol, None if brief else assessment, lang)
            ],
            textposition="top center",
            # A white halo, the marker drawn over the lines (`indicator_figure`): the lines
            # that end at the target's year (projection, expected path) come to the marker
            # from the left, through «2030: ≥ 3» above it or below it, and on a projector the
            # dashed projection ran across the words.
            textfont={"size": shape.font, "shadow": LABEL_HALO},
            cliponaxis=False,
            hovertemplate=f"{words}<extra></extra>",
        )
    )


BAR_HALF = (1 - 0.35) / 2  # a bar's half width in years (the layout's bargap 0.35)


def _lift_labels_over_bars(
    fig: go.Figure, bars: dict[int, float], first: int, last: int, shape: ChartSize
) -> None:
    """A target's label stands over the bars it spans, not over its marker alone: a target
    under a taller bar (Thái Nguyên's «2025: trên 25 · ✔ Đã đạt» over the 27 tasks of 2025)
    had its words drawn across the bar's top, dark on navy. The label moves into a text-only
    trace at the top of the highest bar under it; the marker stays at the target's value."""
    per_year = year_width(first, last, shape)
    for trace in list(fig.data):
        if trace.legendgroup != "targets" or not trace.text or trace.mode != "markers+text":
            continue
        year, value = trace.x[0], trace.y[0]
        text = trace.text[0]
        # plotly never wraps a label: its width errs wide (a wide glyph's em), so does its span
        span = len(text) * shape.font * CHAR_EM / per_year
        left, right = {
            "top left": (year - span, year),
            "top right": (year, year + span),
        }.get(trace.textposition, (year - span / 2, year + span / 2))
        under = [h for x, h in bars.items() if x + BAR_HALF > left and x - BAR_HALF < right]
        top = max(under, default=value)
        if top <= value:
            continue
        trace.mode, trace.text = "markers", None
        fig.add_trace(
            go.Scatter(
                x=[year],
                y=[top],
                mode="text",
                text=[text],
                textposition=trace.textposition,
                textfont=trace.textfont,
                cliponaxis=False,
                legendgroup="targets",
                showlegend=False,
                hoverinfo="skip",
            )
        )


def _flipped(symbol: str) -> str:
    return "triangle-up" if symbol == "triangle-down" else "triangle-down"


def _marker_text(
    indicator: Indicator,
    target: Target,
    value: float,
    symbol: str,
    assessment: Assessment | None,
    lang: str,
) -> str:
    """'2020: ≥ 3 · ✔ Đã đạt' over a target marker (the status once the year has come)."""
    more, less = (t("more_than", lang), t("less_than", lang)) if target.exclusive else ("≥", "≤")
    sign = "≈" if target.approx else (more if symbol == "triangle-up" else less)
    if indicator.kind == "milestone":
        text = str(target.end_year)
    elif is_rank(indicator) and symbol == "triangle-down" and not target.approx:
        top = value - 1 if target.exclusive else value
        text = f"{target.end_year}: {t('rank_top', lang, top=format_number(top, lang))}"
    else:
        text = f"{target.end_year}: {sign} {format_number(value, lang)}"
    if assessment is not None and assessment.projected_value is None:
        text += f" · {status_label(assessment.status, lang)}"
    return text


def _has_legend(fig: go.Figure, group: str) -> bool:
    return any(trace.legendgroup == group and trace.showlegend is not False for trace in fig.data)


def _draw_expected(
    fig: go.Figure, target: Target, assessment: Assessment, lang: str, first: bool, brief: bool
) -> None:
    """The straight path from the baseline to the goal: where the figure 'should' be."""
    if assessment.baseline_year is None or assessment.goal is None:
        return
    if assessment.baseline_year >= target.end_year:
        return
    fig.add_trace(
        go.Scatter(
            x=[assessment.baseline_year, target.end_year],
            y=[assessment.baseline_value, assessment.goal],
            mode="lines",
            name=t("chart_expected_brief" if brief else "chart_expected", lang),
            legendgroup="expected",
            showlegend=first,
            line={"color": EXPECTED_COLOUR, "width": 1.5, "dash": "dot"},
            # its whole name, where the legend's is brief
            hovertemplate=f"{t('chart_expected', lang)}<br>%{{x}}: %{{y:,.2~f}}<extra></extra>",
        )
    )


def _draw_projection(
    fig: go.Figure,
    indicator: Indicator,
    target: Target,
    assessment: Assessment,
    series: pd.DataFrame,
    lang: str,
    shape: ChartSize,
) -> None:
    """The least-squares trend of METHOD.md step 5, from the latest figure to the target year."""
    if assessment.projected_value is None or assessment.latest_year is None:
        return
    b_year, b_value = assessment.baseline_year, assessment.baseline_value
    fit = [(b_year, b_value)] + [
        (int(y), float(v))
        for y, v in zip(series["year"], series["value"], strict=True)
        if b_year < y <= assessment.latest_year
    ]  # type: ignore[operator]
    if len(fit) < 2:
        return
    fit_years = [y for y, _ in fit]
    fit_values = [v for _, v in fit]
    start = least_squares_at(fit_years, fit_values, assessment.latest_year)  # type: ignore[arg-type]
    end = assessment.projected_value
    if not (math.isfinite(start) and math.isfinite(end)):
        return
    colour = status_colour(assessment.status)
    word = STATUS_STYLES[assessment.status].word(lang)
    label = t(
        "chart_projection_label",
        lang,
        year=target.end_year,
        value=format_number(projection(indicator, end), lang),
        status=word,
    )
    fig.add_trace(
        go.Scatter(
            x=[assessment.latest_year, target.end_year],
            y=[start, end],
            mode="lines+markers",
            name=t("chart_projection_brief", lang, year=target.end_year)
            if shape.brief
            else f"{t('chart_projection', lang)} {target.end_year}: {word}",
            line={"color": colour, "width": 2.5, "dash": "dash"},
            marker={"size": [0, 10], "color": colour, "symbol": "circle-open"},
            hovertemplate=f"{label}<extra></extra>",
        )
    )
    # Anchored to the left of the target year, so the label stays inside a narrow chart.
    # Above the projected point when it is at or over the target (whose label sits above its
    # marker, below the point), else below it: the two labels never share a place.
    goal = assessment.goal
    above = goal is not None and end >= goal
    fig.add_annotation(
        x=target.end_year,
        y=end,
        text=f"{STATUS_STYLES[assessment.status].icon} {word}",
        showarrow=True,
        arrowhead=0,
        ax=0,
        ay=-(shape.font * 2.2) if above else shape.font * 2.2,
        xanchor="right",
        font={"size": shape.font, "color": "#1A1A1A"},
        bgcolor="rgba(255,255,255,0.85)",
        bordercolor=colour,
        borderwidth=1.5,
    )


def sparkline_figure(
    years: Sequence[int],
    values: Sequence[float],
    colour: str = SERIES_COLOUR,
    height: int = 60,
    lang: str = "vi",
) -> go.Figure:
    """A small trend line without axes, for scorecards and comparison tables."""
    fig = go.Figure(
        go.Scatter(
            x=list(years),
            y=list(values),
            mode="lines+markers",
            line={"color": colour, "width": 2},
            marker={"size": [0] * (len(values) - 1) + [6]} if values else {},
            hovertemplate="%{x}: %{y:,.2~f}<extra></extra>",
        )
    )
    fig.update_layout(**base_layout(lang))
    fig.update_layout(
        height=height,
        margin={"l": 2, "r": 2, "t": 2, "b": 2},
        showlegend=False,
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return fig


def sparkline_svg(
    values: Sequence[float], colour: str = SERIES_COLOUR, width: int = 120, height: int = 32
) -> str:
    """The same trend line as a tiny inline SVG (numbers only, no text): cheap for long lists.

    Returns '' for fewer than two values.
    """
    clean = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if len(clean) < 2:
        return ""
    low, high = min(clean), max(clean)
    span = high - low or 1.0
    pad = 4
    step = (width - 2 * pad) / (len(clean) - 1)
    coords = [
        (pad + i * step, height - pad - (v - low) / span * (height - 2 * pad))
        for i, v in enumerate(clean)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    last_x, last_y = coords[-1]
    # aria-hidden: a picture of the numbers the card states in words beside it
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true">'
        f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3" fill="{colour}"/></svg>'
    )


def png_config(filename: str, height: int | None = None, width: int = 1100, scale: int = 2) -> dict:
    """Plotly's modebar settings for the chart's own PNG download (st.plotly_chart config).

    Pass the figure's `layout.height` so the image keeps the footer (source, as-of) drawn
    under the plot; the width is fixed so a download from a phone is still report-sized.
    """
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "scale": scale,
            "width": width,
            "height": height,
        },
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    }
