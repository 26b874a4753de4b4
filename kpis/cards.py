"""The overview's scorecard as data: one card per target (or tracked indicator), by group.

Pure: the page (app_pages/overview.py) draws the cards; ui/cache.py keeps them per plan,
figures, year, region and language so a rerun only emits them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from kpis.i18n import NOT_APPLICABLE, SHOWN_STYLES
from kpis.plan import Indicator, Plan
from kpis.progress import STATUSES, Assessment
from kpis.safe_text import md_text
from kpis.shown import JudgedFigure, judged_figure, shown_status
from kpis.ui_text import (
    capitalised,
    input_ids,
    pace_words,
    progress_words,
    t,
    target_words,
    value_text,
    years_met_words,
)


@dataclass(frozen=True)
class Card:
    """One row of the overview's scorecard, every text already formatted in one language."""

    indicator: str  # its id, for the detail link
    name: str  # the indicator's name (plain text, the plan's words)
    tracked: bool = False  # no target: latest figure and trend only, no status
    target: str = ""  # 'Mục tiêu: ≥ 3 tổ chức vào năm 2020'
    # markdown: the figure judged (the latest, or a past deadline's with the latest under
    # it), its year and footnote marks
    latest: str = ""
    # the target's status as shown ('' for a tracked indicator): METHOD.md's, or
    # NOT_APPLICABLE for a merged region's target of its last year (kpis.shown.shown_status)
    status: str = ""
    bar: bool = False  # a progress bar is drawn (not for milestones nor tracked indicators)
    progress: float | None = None  # the bar's share (0..1, more is clipped when drawn)
    expected: float | None = None  # where a straight path would be, as a share
    bar_label: str = ""  # 'Tiến độ: 67%' or 'Đạt 3/4 năm'
    trend: tuple[float, ...] = ()  # the sparkline's values (fewer than two: none drawn)
    target_year: int | None = None  # the target's year (None for a tracked indicator)
    # the detail link's name for a screen reader: 'Chi tiết: <name>', with the target's year
    # where the indicator has more than one card (name_links)
    link: str = ""


@dataclass(frozen=True)
class Scorecard:
    """What the overview shows below its title, for one plan, year, region and language."""

    targets: int  # how many targets were judged
    # (status, count) in METHOD.md's order, counts > 0, NOT_APPLICABLE last (not «no data»)
    counts: tuple[tuple[str, int], ...]
    groups: tuple[tuple[str, tuple[Card, ...]], ...]  # (heading, cards) in the plan's order
    footnotes: tuple[str, ...]  # footnote n is footnotes[n - 1]
    sources: tuple[object, ...]  # distinct sources of the figures up to the as-of year
    labels: tuple[str, ...] = ()  # each group's folded label (group_label), as `groups`
    spoken: tuple[str, ...] = ()  # the same in words, for a screen reader (group_spoken)

    @property
    def cards(self) -> int:
        return sum(len(cards) for _, cards in self.groups)


SHOWN_ORDER = (*STATUSES, NOT_APPLICABLE)  # the counts' order: METHOD.md's, then not applicable


def status_counts(statuses: Sequence[str]) -> list[tuple[str, int]]:
    """(status, how many of `statuses` are it) in METHOD.md's order, only those present; a
    target that does not apply is counted last, apart from «Chưa có số liệu»."""
    return [(status, n) for status in SHOWN_ORDER if (n := statuses.count(status))]


PAGE_CARDS = 20  # an open group shows this many cards at a time, whatever its size


def group_label(heading: str, cards: Sequence[Card], lang: str) -> str:
    """A folded group's label, Markdown with the plan's heading escaped:
    '**Tổ chức KH&CN** · 2 mục tiêu · ✔ 1 ⚠ 1 · 1 chỉ tiêu chỉ theo dõi'. The icons are those
    of the count cards above the groups, which give each its word."""
    parts = [f"**{md_text(heading)}**"]
    counts = status_counts([card.status for card in cards])
    if counts:
        parts.append(t("targets_count", lang, n=sum(n for _, n in counts)))
        parts.append(" ".join(f"{SHOWN_STYLES[status].icon} {n}" for status, n in counts))
    if tracked := sum(1 for card in cards if card.tracked):
        parts.append(t("tracked_count", lang, n=tracked))
    return " · ".join(parts)


def group_spoken(heading: str, cards: Sequence[Card], lang: str) -> str:
    """`group_label` in words, plain text, for a screen reader, which read its icons as "check
    mark 1 warning 1" or not at all: 'Tổ chức KH&CN, 2 mục tiêu: 1 đã đạt, 1 cần đẩy nhanh;
    1 chỉ tiêu chỉ theo dõi'. The words are the count cards'."""
    # not through `t`: its English «1 needs» -> «1 need» is for nouns, and the heading is the
    # plan's text
    spoken = heading
    counts = status_counts([card.status for card in cards])
    if counts:
        targets = t("targets_count", lang, n=sum(n for _, n in counts))
        words = ", ".join(f"{n} {SHOWN_STYLES[status].word(lang).lower()}" for status, n in counts)
        spoken += f", {targets}: {words}"
    if tracked := sum(1 for card in cards if card.tracked):
        spoken += f"; {t('tracked_count', lang, n=tracked)}"
    return spoken


def name_links(
    groups: Sequence[tuple[str, Sequence[Card]]], lang: str
) -> list[tuple[str, tuple[Card, ...]]]:
    """Each card with its detail link's name: a screen reader's list of links read «Chi tiết»
    fourteen times. 'Chi tiết: <name>', and the target's year where two cards share the name
    (an indicator with two targets): 'Chi tiết: Số tổ chức KH&CN công lập (2030)'."""
    names = Counter(card.name for _, cards in groups for card in cards)

    def link(card: Card) -> str:
        if names[card.name] > 1 and card.target_year is not None:
            return t("details_of_year", lang, name=card.name, year=card.target_year)
        return t("details_of", lang, name=card.name)

    return [
        (heading, tuple(replace(card, link=link(card)) for card in cards))
        for heading, cards in groups
    ]


def page_ranges(count: int, size: int = PAGE_CARDS) -> list[tuple[int, int]]:
    """(first, last) numbers, from 1, of each page of `count` things (an open group's cards,
    /compare's regions): [(1, 20), (21, 25)]."""
    return [(start + 1, min(start + size, count)) for start in range(0, count, size)]


def build_scorecard(
    plan: Plan,
    table: pd.DataFrame,
    series: pd.DataFrame,
    rows: Sequence[Assessment],
    as_of: int | None,
    region: str,
    lang: str,
) -> Scorecard:
    """The overview's counts, cards and footnotes for one region as of a year.

    `table`: the figures; `series`: `effective_series` of them; `rows`: the region's
    assessments as of the year (as_of None: no figures at all).
    """
    # One pass over this region's figures and series instead of a filter per card.
    here = table[table["region"] == region]
    if as_of is not None:
        here = here[here["year"] <= as_of]
    sources_at: dict[tuple[str, int], set[str]] = {}
    # .tolist() first: iterating text columns value by value is many times slower
    for ind, year, source in zip(
        here["indicator"].tolist(), here["year"].tolist(), here["source"].tolist(), strict=True
    ):
        if isinstance(source, str):
            sources_at.setdefault((ind, int(year)), set()).add(source)
    points = series[series["region"] == region]
    if as_of is not None:
        points = points[points["year"] <= as_of]
    years_of: dict[str, list[int]] = {}
    values_of: dict[str, list[float]] = {}
    estimate_of: dict[str, bool] = {}  # the indicator's latest value rests on an estimate
    flags = points["estimate"].tolist() if "estimate" in points else [False] * len(points)
    for ind, year, value, flag in zip(
        points["indicator"].tolist(),
        points["year"].tolist(),
        points["value"].tolist(),
        flags,
        strict=True,
    ):
        years_of.setdefault(ind, []).append(int(year))
        values_of.setdefault(ind, []).append(float(value))
        estimate_of[ind] = bool(flag)

    footnotes: dict[str, int] = {}  # source text -> its number in the footnote list
    periods = plan.periods_of(region)  # a year whose figures cover another span (v2)

    def marks(indicator: Indicator, year: int) -> str:
        """The footnote numbers of the sources of `indicator`'s figures of `year`."""
        found: set[str] = set()
        for ind in input_ids(plan, indicator):
            found |= sources_at.get((ind, year), set())
        return "".join(f"[{footnotes.setdefault(s, len(footnotes) + 1)}]" for s in sorted(found))

    def latest(indicator: Indicator, shown: JudgedFigure) -> str:
        if shown.year is None:
            return t("no_latest", lang)
        value = value_text(shown.value, indicator, lang, shown.estimate)
        text = (
            f"**{md_text(value)}**  \n{md_text(shown.caption(lang))} {marks(indicator, shown.year)}"
        )
        if shown.later is not None:  # past its deadline: the latest figure under it
            later = capitalised(shown.later_text(indicator, lang))
            text += f"  \n{md_text(later)} {marks(indicator, shown.later[0])}"
        return text

    by_indicator: dict[str, list[Assessment]] = {}
    for row in rows:
        by_indicator.setdefault(row.indicator, []).append(row)
    groups = []
    for group in plan.groups:
        indicators = [ind for ind in plan.indicators if (ind.group or "") == group]
        if not indicators:
            continue
        first = indicators[0]
        cards: list[Card] = []
        # targets first, then the indicators the plan only tracks (no target, no status)
        for indicator in sorted(indicators, key=lambda ind: not ind.targets):
            years, values = years_of.get(indicator.id, []), values_of.get(indicator.id, [])
            name = indicator.text("name", lang)
            if not indicator.targets:
                cards.append(
                    Card(
                        indicator.id,
                        name,
                        tracked=True,
                        latest=latest(
                            indicator,
                            JudgedFigure(
                                years[-1] if years else None,
                                values[-1] if values else None,
                                bool(estimate_of.get(indicator.id)),
                                periods=periods,
                            ),
                        ),
                        trend=tuple(values),
                    )
                )
                continue
            last = (years[-1], values[-1], bool(estimate_of.get(indicator.id))) if years else None
            for row in by_indicator.get(indicator.id, []):
                target = indicator.targets[row.target_index - 1]
                status = shown_status(plan, row)
                if status == NOT_APPLICABLE:  # nothing to judge: no figure, no bar, why instead
                    cards.append(
                        Card(
                            indicator.id,
                            name,
                            target=f"{t('col_target', lang)}: "
                            f"{target_words(target, indicator, lang, row.baseline_value)}",
                            latest=md_text(t("not_applicable_card", lang)),
                            status=status,
                            trend=tuple(values),
                            target_year=row.target_year,
                        )
                    )
                    continue
                if (target.is_standing or target.is_period_average) and row.latest_year is not None:
                    label = years_met_words(row, target, lang)  # (the years the method judged)
                else:  # from which baseline, and what a strict bound still lacks at 100%
                    label = (
                        f"{t('col_progress', lang)}: {progress_words(row, target, indicator, lang)}"
                    )
                pace = pace_words(row, target, indicator, lang)  # growth, period average
                if pace:
                    label = f"{label} · {pace}"
                cards.append(
                    Card(
                        indicator.id,
                        name,
                        target=f"{t('col_target', lang)}: "
                        f"{target_words(target, indicator, lang, row.baseline_value)}",
                        latest=latest(indicator, judged_figure(row, last, periods)),
                        status=row.status,
                        # done or not: for a milestone a bar would say nothing more
                        bar=indicator.kind != "milestone",
                        progress=row.progress,
                        expected=row.expected,
                        bar_label=label,
                        trend=tuple(values),
                        target_year=row.target_year,
                    )
                )
        groups.append((first.text("group", lang) or t("no_group", lang), tuple(cards)))
    groups = name_links(groups, lang)
    counts = tuple(status_counts([shown_status(plan, row) for row in rows]))
    used = here["source"].unique().tolist() if as_of is not None else []
    labels = tuple(group_label(heading, cards, lang) for heading, cards in groups)
    spoken = tuple(group_spoken(heading, cards, lang) for heading, cards in groups)
    return Scorecard(
        len(rows), counts, tuple(groups), tuple(footnotes), tuple(used), labels, spoken
    )
