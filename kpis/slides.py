"""What the conference presentation says, slide by slide: the one content for the deck and `/present`.

A title slide, the scorecard over as many slides as it needs, then one slide per indicator in
the plan's grouping. Pure values: `kpis.deck` draws them into PowerPoint, `app_pages/present.py`
on screen, so both show exactly the same words and numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kpis.chart_alt import chart_alt
from kpis.export import Report
from kpis.i18n import SHOWN_STYLES, count_unit, fill, format_date, format_number
from kpis.narrative import headline, indicator_sentences
from kpis.plan import Indicator
from kpis.progress import Assessment
from kpis.scorecard import ScorecardRow, scorecard_row, scorecard_rows
from kpis.shown import JudgedFigure, judged_figure, last_point
from kpis.tasks import state_word, summarise
from kpis.text_fit import text_height_pt, wrapped_lines
from kpis.ui_text import (
    cited_sources,
    document_dated,
    document_line,
    is_rank,
    region_label,
    t,
    target_words,
    unit_of,
    value_text,
    with_unit,
    year_words,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go

# A table slide's footer as kpis.deck draws it: 12.3 in across less its margins, 14 pt type,
# two lines over the slide's foot.
FOOTER_WIDTH_PT, FOOTER_PT = (12.3 - 2 * 0.04) * 72, 14
ROWS_PER_SLIDE = 7  # scorecard rows that stay readable at the back of a conference room


@dataclass(frozen=True)
class TableLayout:
    """A table slide's table as `kpis.deck` draws it, in inches and points. The deck's slide is
    the fixed page, so it decides which rows go on which part; /present shows the same parts.
    PowerPoint and LibreOffice grow a row to fit its wrapped text: a part holds the rows whose
    estimated heights fit between the table's top and the footer."""

    widths: tuple[float, ...]  # the columns, left to right
    top: float  # the table's top
    row_height: float  # every row's height before its text wraps
    most_rows: int  # never more body rows than this on a slide, however short
    size: int = 14  # type size of every cell
    footer_top: float = 6.85  # the footnote's box: the table ends a gap above it
    margin_x: float = 0.08  # a cell's left and right margins (the deck sets them)
    margin_y: float = 0.05  # its top and bottom margins (PowerPoint's default)
    gap: float = 0.05

    def row_inches(self, cells: Sequence[str], bold: Sequence[bool] = ()) -> float:
        """The height of a row of `cells` once they wrap: its tallest cell, at least
        `row_height`; `bold[i]` for cells drawn bold (wider)."""
        tallest = max(
            text_height_pt(
                text,
                (width - 2 * self.margin_x) * 72,
                self.size,
                bold=bool(bold[i]) if i < len(bold) else False,
            )
            for i, (text, width) in enumerate(zip(cells, self.widths, strict=True))
        )
        return max(self.row_height, tallest / 72 + 2 * self.margin_y)

    def parts(self, heading: float, heights: Sequence[float]) -> list[range]:
        """The body rows of each part, in order: as many as fit under a heading row
        `heading` inches tall (one part at least, a row too tall for any part alone)."""
        room = self.footer_top - self.gap - self.top - heading

        def fill(most: int) -> list[range]:
            parts: list[range] = []
            start, used = 0, 0.0
            for i, height in enumerate(heights):
                if i > start and (used + height > room or i - start >= most):
                    parts.append(range(start, i))
                    start, used = i, 0.0
                used += height
            parts.append(range(start, len(heights)))
            return parts

        parts = fill(self.most_rows)
        # Even parts where they fit as few: 4 and 3 rows read better than 6 and a lone row.
        even = fill(-(-len(heights) // len(parts)))
        return even if len(even) == len(parts) else parts


SCORECARD_TABLE = TableLayout(
    widths=(3.85, 2.85, 2.1, 1.3, 2.23),  # indicator, target, latest, progress, status
    top=1.75,
    row_height=0.6,
    most_rows=ROWS_PER_SLIDE,
)

# key -> (Vietnamese, English): the words of the presentation itself
WORDS: dict[str, tuple[str, str]] = {
    "as_of": ("Tình hình thực hiện đến năm {year} · {region}", "Progress as of {year} · {region}"),
    # the as-of year's figures cover a reporting period (v2): name it, not the year alone
    "as_of_period": ("Tình hình thực hiện {period} · {region}", "Progress in {period} · {region}"),
    "made": ("Lập ngày {date}", "Made on {date}"),
    "scorecard": ("Tổng hợp tiến độ", "Scorecard"),
    "part": ("({part}/{parts})", "({part}/{parts})"),
    "col_indicator": ("Chỉ tiêu", "Indicator"),
    "col_target": ("Mục tiêu", "Target"),
    # true of every row: a target past its year is judged on its deadline's figure, and the
    # cell says so (kpis.shown.JudgedFigure.text); the indicator's slide gives the latest
    "col_latest": ("Số liệu xét (năm)", "Figure judged (year)"),
    "col_progress": ("Tiến độ", "Progress"),
    "col_status": ("Trạng thái", "Status"),
    "latest": ("Số liệu mới nhất", "Latest figure"),
    "baseline": ("Năm gốc", "Baseline"),
    "projected": ("Dự báo {year}", "Projected {year}"),
    "no_target": ("Theo dõi, không có mục tiêu trong kế hoạch", "Tracked; the plan sets no target"),
    "source": ("Nguồn số liệu: {sources}", "Source of figures: {sources}"),
    "no_figures": ("chưa có số liệu", "no figures yet"),
    "no_chart": (
        "Chưa có số liệu cho chỉ tiêu này: chưa vẽ được biểu đồ.",
        "No figures for this indicator yet: nothing to chart.",
    ),
    "clause": ("Căn cứ: {document}, {clause}", "Basis: {document}, {clause}"),
    "clause_document": ("Căn cứ: {document}", "Basis: {document}"),  # no clause given
    "illustrative": ("Số liệu minh họa", "Illustrative figures"),
    "illustrative_long": (
        "Số liệu minh họa, không phải số liệu báo cáo thực tế",
        "Illustrative figures, not reported figures",
    ),
    "scorecard_footer": (
        # what the progress column's share is of: 300% read alone looks like triple the target
        "Tiến độ: phần quãng đường từ năm gốc đến mục tiêu. Mục tiêu: {document}. "
        "Nguồn số liệu: {sources}",  # document_dated
        "Progress: the share of the way from the baseline to the target. Targets: {document}. "
        "Source of figures: {sources}",
    ),
    # a plan that sets no target: no progress to explain, only where the figures come from
    "tracked_footer": (
        "Chỉ tiêu: {document}. Nguồn số liệu: {sources}",
        "Indicators: {document}. Source of figures: {sources}",
    ),
    "sources_per_slide": ("ghi ở trang của từng chỉ tiêu", "on each indicator's slide"),
    "download_deck": ("Tải bài trình chiếu (PowerPoint)", "Download the slides (PowerPoint)"),
    "tasks": ("Nhiệm vụ", "Tasks"),
    "tasks_overdue": ("Nhiệm vụ quá hạn", "Overdue tasks"),
    # no progress reported for any task: past the deadline by the plan, not a reported finding
    "tasks_overdue_unreported": (
        "Nhiệm vụ quá thời hạn, chưa báo cáo",
        "Tasks past deadline, not reported",
    ),
    "tasks_summary": ("{summary} (tính đến ngày {date})", "{summary} (as of {date})"),
    "tasks_footer": (
        "Nhiệm vụ: {document}; thời hạn «(suy ra)» khi văn bản chỉ ghi năm",
        "Tasks: {document}; a deadline «(inferred)» where the document gives only a year",
    ),
    "col_task": ("Nhiệm vụ", "Task"),
    "col_agency": ("Cơ quan chủ trì", "Lead agency"),
    "col_deadline": ("Thời hạn", "Deadline"),
    "col_state": ("Trạng thái", "State"),
    "inferred": (" (suy ra)", " (inferred)"),
    "no_targets_in_plan": (
        "Kế hoạch chưa có chỉ tiêu nào có mục tiêu.",
        "The plan has no indicator with a target.",
    ),
    # a plan that only tracks: its summary lists the figures instead of an empty page
    "tracked_summary": (
        "Kế hoạch chưa đặt mục tiêu định lượng: các chỉ tiêu chỉ được theo dõi, "
        "không có trạng thái.",
        "The plan sets no quantified target: the indicators are tracked, with no status.",
    ),
    "tracked_heading": ("Số liệu theo dõi", "Tracked figures"),
    "col_tracked_latest": ("Số liệu mới nhất (kỳ)", "Latest figure (period)"),
}


def word(key: str, lang: str, **values: object) -> str:
    return fill(*WORDS[key], lang, **values)


@dataclass(frozen=True)
class TitleSlide:
    title: str
    document_line: str  # "684/QĐ-UBND · UBND tỉnh Bắc Kạn · 16/05/2016"
    as_of_line: str
    made_line: str
    illustrative: str  # the label, or "" for reported figures

    @property
    def heading(self) -> str:
        return self.title


@dataclass(frozen=True)
class ScorecardSlide:
    heading: str  # "Tổng hợp tiến độ (1/2)"
    columns: tuple[str, ...]
    rows: tuple[ScorecardRow, ...]
    summary: str  # "3 Đã đạt · 2 Không đạt · …" over the whole plan
    illustrative: str
    footer: str  # where the targets and the figures come from
    # a plan with no target at all: (name, latest figure with its year or period) of each
    # tracked indicator, under `tracked_columns`, in the table's place
    tracked: tuple[tuple[str, str], ...] = ()
    tracked_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyNumber:
    label: str
    value: str


@dataclass(frozen=True)
class LoneFigure:
    """A tracked indicator's only figure, said large in the chart's place: one dot on an empty
    axis told the room nothing the number does not, and its axis gave a year («2023») where
    the figure covers a period («năm 2022 và 6 tháng đầu năm 2023»)."""

    number: str  # "62", "63,4%", "hạng 11"; "(ước)" after it for an estimate
    unit: str  # "doanh nghiệp và hợp tác xã"; "" where the number says it (a share, a rank)
    when: str  # "Năm 2024", "Năm 2022 và 6 tháng đầu năm 2023"


@dataclass(frozen=True)
class IndicatorSlide:
    indicator: Indicator
    heading: str  # the indicator's name
    group: str
    targets: tuple[ScorecardRow, ...]  # one per target; empty when the plan sets none
    key_numbers: tuple[KeyNumber, ...]
    source_line: str
    clause_line: str
    notes: tuple[str, ...]  # plain sentences explaining each status, the headline first
    illustrative: str
    has_figures: bool = True  # False: no chart, the slide says there are no figures yet
    lone: LoneFigure | None = None  # a tracked indicator's one figure, drawn instead of a chart
    # the chart's text alternative (kpis.chart_alt): a deck's or a report's picture carries it
    # for a screen reader, as the page's chart does
    alt: str = ""

    @property
    def status(self) -> str | None:
        """The headline target's status (the first still open), None without targets."""
        return self.targets[0].status if self.targets else None


@dataclass(frozen=True)
class TasksSlide:
    """Issue 16: the tasks as provinces count them, and the overdue ones."""

    heading: str  # "Nhiệm vụ quá hạn (1/2)"
    summary: str  # "19/92 nhiệm vụ hoàn thành · 3 quá hạn (tính đến 31/12/2024)"
    counts: str  # "19 nhiệm vụ hoàn thành · 38 nhiệm vụ đang triển khai · …"
    # "Chưa có báo cáo tiến độ nhiệm vụ nào: …" when no task's progress is reported (the
    # deck draws it in the counts' place: they would only say the same), else ""
    note: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the overdue tasks: name, agency, deadline, state
    footer: str


Slide = TitleSlide | ScorecardSlide | TasksSlide | IndicatorSlide


def title_slide(report: Report) -> TitleSlide:
    info, lang = report.plan.plan, report.lang
    region = region_label(report.plan, report.region, lang)
    period = (
        year_words(report.as_of, report.plan.periods_of(report.region), lang)
        if report.as_of is not None
        else ""
    )
    return TitleSlide(
        title=info.text("title", lang),
        document_line=document_line(info, lang),
        as_of_line=(
            word("as_of_period", lang, period=period, region=region)
            if period
            else word("as_of", lang, year=report.as_of or "–", region=region)
        ),
        made_line=word("made", lang, date=format_date(report.made)),
        illustrative=word("illustrative_long", lang) if report.is_illustrative() else "",
    )


def scorecard_slides(report: Report) -> list[ScorecardSlide]:
    lang = report.lang
    rows = scorecard_rows(report)
    counts = Counter(row.status for row in rows)
    summary = " · ".join(  # a target that does not apply counted apart, last
        f"{counts[status]} {style.word(lang)}"
        for status, style in SHOWN_STYLES.items()
        if counts[status]
    )
    columns = tuple(
        word(key, lang)
        for key in ("col_indicator", "col_target", "col_latest", "col_progress", "col_status")
    )
    layout = SCORECARD_TABLE
    heading_height = layout.row_inches(columns, [True] * len(columns))
    heights = [
        layout.row_inches(scorecard_cells(row, lang), (False, False, False, False, True))
        for row in rows
    ]
    chunks = [rows[part.start : part.stop] for part in layout.parts(heading_height, heights)]
    label = word("illustrative", lang) if report.is_illustrative() else ""
    shown = report.figures[
        (report.figures["region"] == report.region)
        & (report.figures["year"] <= (report.as_of or 0))
    ]
    info = report.plan.plan
    key = "scorecard_footer" if rows else "tracked_footer"
    document = document_dated(info, lang)
    # every source, each document once with its parts, where there are one or two or they
    # fit the footer's two lines (Lạng Sơn's six sections of its plan do); else each
    # indicator's slide names its own
    footer = word(
        key,
        lang,
        document=document,
        sources=cited_sources(zip(shown["source"], shown["year"], strict=True), info, lang),
    )
    few = len(shown["source"].fillna("").unique()) <= 2
    if shown.empty or not (few or wrapped_lines(footer, FOOTER_WIDTH_PT, FOOTER_PT) <= 2):
        footer = word(key, lang, document=document, sources=word("sources_per_slide", lang))
    if not rows:
        return _tracked_slides(report, label, footer)
    slides = []
    for part, chunk in enumerate(chunks, start=1):
        heading = word("scorecard", lang)
        if len(chunks) > 1:
            heading += " " + word("part", lang, part=part, parts=len(chunks))
        slides.append(
            ScorecardSlide(
                heading=heading,
                columns=columns,
                rows=tuple(chunk),
                summary=summary,
                illustrative=label,
                footer=footer,
            )
        )
    return slides


TRACKED_TABLE = TableLayout(
    widths=(6.2, 6.13),  # indicator, latest figure (period): the period fits on one line
    top=1.75,
    row_height=0.5,
    most_rows=9,
)


def tracked_rows(report: Report) -> list[tuple[str, str]]:
    """(name, latest figure with its year or reporting period) of each indicator the plan
    only tracks, in the plan's grouping: '60 nhiệm vụ (năm 2022 và 6 tháng đầu năm 2023)'."""
    lang, periods = report.lang, report.plan.periods_of(report.region)
    rows = []
    for indicator in report.ordered_indicators():
        if indicator.targets:
            continue
        last = last_point(report.points(indicator.id))
        figure = JudgedFigure(*(last or (None, None)), periods=periods)
        shown = figure.text(indicator, lang) if last else word("no_figures", lang)
        rows.append((indicator.text("name", lang), shown))
    return rows


def _tracked_slides(report: Report, label: str, footer: str) -> list[ScorecardSlide]:
    """The summary of a plan with no target: its tracked figures, as many slides as they
    need (a projected page saying only "no target" told the room nothing)."""
    lang = report.lang
    rows = tracked_rows(report)
    columns = (word("col_indicator", lang), word("col_tracked_latest", lang))
    layout = TRACKED_TABLE
    heading_height = layout.row_inches(columns, [True] * len(columns))
    parts = layout.parts(heading_height, [layout.row_inches(row) for row in rows])
    chunks = [rows[part.start : part.stop] for part in parts] if rows else [[]]
    slides = []
    for part, chunk in enumerate(chunks, start=1):
        heading = word("tracked_heading" if rows else "scorecard", lang)
        if len(chunks) > 1:
            heading += " " + word("part", lang, part=part, parts=len(chunks))
        slides.append(
            ScorecardSlide(
                heading=heading,
                columns=(),
                rows=(),
                summary=word("tracked_summary" if rows else "no_targets_in_plan", lang),
                illustrative=label,
                footer=footer,
                tracked=tuple(chunk),
                tracked_columns=columns,
            )
        )
    return slides


def scorecard_cells(row: ScorecardRow, lang: str) -> tuple[str, ...]:
    """The texts of a scorecard row's cells, as the deck writes them (the status bold)."""
    style = SHOWN_STYLES[row.status]
    return (
        row.name,
        row.target,
        row.figure,
        row.progress,
        f"{style.icon} {style.word(lang)}",
    )


def indicator_slide(report: Report, indicator: Indicator) -> IndicatorSlide:
    lang, plan = report.lang, report.plan
    rows = report.rows_of(indicator.id)
    first = headline(rows, report.as_of)
    ordered = [first, *[row for row in rows if row is not first]] if first else []
    points = report.points(indicator.id)
    last = last_point(points)
    targets = tuple(scorecard_row(plan, row, lang, last) for row in ordered)

    numbers = []
    # the figure the headline target was judged on, as the overview's card shows it; without
    # a target, the series' last
    periods = plan.periods_of(report.region)  # a year's figures may cover a period (v2)
    shown = (
        judged_figure(first, last, periods)
        if first
        else JudgedFigure(*(last or (None, None)), periods=periods)
    )
    if shown.year is not None:
        numbers.append(
            KeyNumber(
                shown.label(lang),
                f"{value_text(shown.value, indicator, lang, shown.estimate)} "
                f"({shown.when(shown.year, lang)})",
            )
        )
    else:
        numbers.append(KeyNumber(word("latest", lang), word("no_figures", lang)))
    if shown.later is not None:  # past its deadline: the latest figure beside it
        year, value, estimate = shown.later
        numbers.append(
            KeyNumber(
                word("latest", lang),
                f"{value_text(value, indicator, lang, estimate)} ({shown.when(year, lang)})",
            )
        )
    if first is not None and first.baseline_year is not None and first.baseline_value is not None:
        numbers.append(
            KeyNumber(
                word("baseline", lang),
                f"{with_unit(first.baseline_value, indicator, lang)} ({first.baseline_year})",
            )
        )
    for row, shown in zip(ordered, targets, strict=True):
        if shown.projected:
            numbers.append(
                KeyNumber(word("projected", lang, year=row.target_year), shown.projected)
            )

    # a tracked indicator's notes: what to say of it (its figure and the time it covers),
    # then that the plan sets no target
    tracked_note = (word("no_target", lang),)
    if first is None and shown.year is not None:
        tracked_note = (f"{shown.label(lang)}: {shown.text(indicator, lang)}.", *tracked_note)
    sources = report.source_line(indicator)
    clause = indicator.text("clause", lang) or ", ".join(
        dict.fromkeys(t.text("clause", lang) for t in indicator.targets if t.clause)
    )
    clause_line = (
        word("clause", lang, document=plan.plan.document_text(lang), clause=clause)
        if clause
        else word("clause_document", lang, document=plan.plan.document_text(lang))
    )
    lone = None
    if first is None and len(points) == 1 and shown.year is not None:
        lone = _lone_figure(indicator, shown, lang)
    return IndicatorSlide(
        indicator=indicator,
        heading=indicator.text("name", lang),
        group=indicator.text("group", lang),
        targets=targets,
        source_line=word("source", lang, sources=sources or word("no_figures", lang)),
        clause_line=clause_line,
        notes=(tuple(indicator_sentences(plan, rows, report.as_of, lang)) or tracked_note)
        + _target_notes(indicator, ordered, lang),
        illustrative=word("illustrative", lang) if report.is_illustrative(indicator) else "",
        has_figures=bool(len(points)),
        lone=lone,
        key_numbers=tuple(numbers),
        alt=chart_alt(
            indicator, targets, last, report.source_rows(indicator), lang, periods=periods
        ),
    )


def _lone_figure(indicator: Indicator, shown: JudgedFigure, lang: str) -> LoneFigure:
    """The number large and its unit under it; a share or a rank whole («63,4%», «hạng 11»),
    as its unit is part of how it reads."""
    value = shown.value
    mark = f" {t('estimate_mark', lang)}" if shown.estimate else ""
    if indicator.is_percent or indicator.kind == "milestone" or is_rank(indicator):
        number, unit = with_unit(value, indicator, lang), ""
    else:
        number, unit = format_number(value, lang), count_unit(value, unit_of(indicator, lang), lang)
    return LoneFigure(number=number + mark, unit=unit.strip(), when=shown.caption(lang))


def _target_notes(indicator: Indicator, rows: list[Assessment], lang: str) -> tuple[str, ...]:
    """What the plan says of each target ('≥ 5 tổ chức vào năm 2030: Con số 5 là suy ra, ...'):
    the document's words, and in plain words where a target is derived rather than stated."""
    notes = []
    for row in rows:
        target = indicator.targets[row.target_index - 1]
        note = target.text("note", lang)
        if note:
            notes.append(f"{target_words(target, indicator, lang, row.baseline_value)}: {note}")
    return tuple(notes)


TASK_ROWS_PER_SLIDE = 8
TASKS_TABLE = TableLayout(
    widths=(5.6, 3.0, 1.9, 1.8),  # task, lead agency, deadline, state
    top=2.2,
    row_height=0.5,
    most_rows=TASK_ROWS_PER_SLIDE,
)


def tasks_slides(report: Report) -> list[TasksSlide]:
    """The tasks summary and the overdue list, as many slides as the list needs; none when the
    report carries no tasks."""
    table = report.tasks
    if table is None:
        return []
    lang = report.lang
    summary = summarise(table)
    date = format_date(report.tasks_date) if report.tasks_date else ""
    overdue = table[table["overdue"]]
    rows = [
        (
            row.name,
            row.agency_name,
            format_date(row.deadline) + (word("inferred", lang) if row.deadline_inferred else ""),
            state_word(row.state, lang),
        )
        for row in overdue.itertuples(index=False)
    ]
    columns = tuple(
        word(key, lang) for key in ("col_task", "col_agency", "col_deadline", "col_state")
    )
    layout = TASKS_TABLE
    heading_height = layout.row_inches(columns, [True] * len(columns))
    parts = layout.parts(heading_height, [layout.row_inches(row) for row in rows])
    chunks = [rows[part.start : part.stop] for part in parts]
    info = report.plan.plan
    slides = []
    for part, chunk in enumerate(chunks, start=1):
        heading = word(
            ("tasks_overdue_unreported" if summary.none_reported else "tasks_overdue")
            if rows
            else "tasks",
            lang,
        )
        if len(chunks) > 1:
            heading += " " + word("part", lang, part=part, parts=len(chunks))
        slides.append(
            TasksSlide(
                heading=heading,
                summary=word("tasks_summary", lang, summary=summary.text(lang), date=date),
                counts=summary.counts_text(lang),
                note=summary.unreported_note(lang),
                columns=columns,
                rows=tuple(chunk),
                footer=word("tasks_footer", lang, document=info.document_text(lang)),
            )
        )
    return slides


def build_slides(report: Report) -> list[Slide]:
    """Title, scorecard (as many slides as it needs), the tasks (when the report has them),
    then one slide per indicator by group."""
    return [
        title_slide(report),
        *scorecard_slides(report),
        *tasks_slides(report),
        *[indicator_slide(report, indicator) for indicator in report.ordered_indicators()],
    ]


Progress = Callable[[int, int], None]  # (charts drawn, charts in all), on the caller's thread


def slide_pictures(
    report: Report,
    slides: Sequence[IndicatorSlide],
    *,
    size: str = "screen",
    width: int | None = None,
    height: int | None = None,
    scale: float | None = None,
    progress: Progress | None = None,
) -> dict[str, bytes]:
    """The PNG of each slide's chart by indicator id, all drawn by one browser (kpis.images):
    the one picture code of the deck, the report and `python -m kpis charts`. `size` lays the
    chart out (kpis.charts.SIZES); `width` and `scale` default to kpis.images'; `height` (every
    picture the same, as the place it goes to), else each chart as tall as its own layout."""
    from kpis import images

    figures = [chart_for(report, slide, size=size) for slide in slides]
    if not figures:
        return {}
    pngs = images.render_pngs(
        figures,
        width=width or images.WIDTH,
        height=height,
        scale=scale or images.SCALE,
        progress=progress,
    )
    return {slide.indicator.id: png for slide, png in zip(slides, pngs, strict=True)}


def chart_for(report: Report, slide: IndicatorSlide, size: str = "screen") -> go.Figure:
    """The indicator's chart (kpis.charts), the same on screen and in the deck's picture;
    `size` says where it is read (kpis.charts.SIZES)."""
    from kpis.charts import indicator_figure

    indicator = slide.indicator
    return indicator_figure(
        report.plan,
        indicator,
        report.points(indicator.id),
        report.rows_of(indicator.id),
        lang=report.lang,
        as_of=report.as_of,
        source_line=report.source_line(indicator) or None,
        region=report.region,
        size=size,
    )
