"""A chart's text alternative: what an indicator's chart shows, said in one passage of words.

Plotly's picture gives a screen reader only its tick labels ("2016 2018 … 0 0.5 1"); the page
names the chart's box by these words instead (ui.widgets.aria_names) and hides the picture.
The words are those the page already shows around the chart: the latest figure as a card
writes it, with the sources of its year, each target and its status as the scorecard words
them (kpis.scorecard.ScorecardRow).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kpis.plan import Indicator, ReportingPeriod
from kpis.scorecard import ScorecardRow
from kpis.shown import JudgedFigure, Point
from kpis.ui_text import is_illustrative, source_text, t


def chart_alt(
    indicator: Indicator,
    targets: Sequence[ScorecardRow],
    last: Point | None,
    behind: pd.DataFrame,
    lang: str,
    *,
    periods: tuple[ReportingPeriod, ...] = (),
    table: bool = False,
) -> str:
    """'Biểu đồ: <name>. Số liệu mới nhất: 1,11% (2024), nguồn: <sources>. Mục tiêu: ≥ 1,5%
    mỗi năm 2016–2030, trạng thái: Chậm tiến độ. Số liệu từng năm và nguồn: bảng «…» bên dưới.'

    `targets`: the indicator's targets as the page shows them (none for a tracked indicator);
    `last`: the chart's last point (`last_point`); `behind`: the reported figures the chart rests
    on (`figures_behind`), for the latest year's sources and whether any is illustrative;
    `table`: the page has the table of figures below the chart (the indicator page)."""
    parts = [t("chart_alt", lang, name=indicator.text("name", lang))]
    # said before the numbers, as the page's notice is: they are not a province's figures
    if any(is_illustrative(source) for source in behind["source"]):
        parts.append(t("chart_alt_illustrative", lang))
    if last is not None:
        year = last[0]
        figure = JudgedFigure(*last, periods=periods).text(indicator, lang)
        sources = dict.fromkeys(
            source_text(source, lang) or t("source_missing", lang)
            for source in behind.loc[behind["year"] == year, "source"]
        )
        parts.append(
            t(
                "chart_alt_latest",
                lang,
                figure=figure,
                sources="; ".join(sources) or t("source_missing", lang),
            )
        )
    for row in targets:
        parts.append(t("chart_alt_target", lang, target=row.target, status=row.status_word))
    if table:
        parts.append(t("chart_alt_table", lang, title=t("figures_title", lang)))
    return ". ".join(part.rstrip(".") for part in parts) + "."


def described(properties, name: str, alt: str) -> None:
    """A picture in a deck or a report (`properties`: its drawing's non-visual properties,
    `p:cNvPr` in PowerPoint, `wp:docPr` in Word, which share these attributes) named by its
    heading and described by `alt`, the chart's text alternative, for a screen reader."""
    properties.set("name", name)
    if alt:
        properties.set("descr", alt)
