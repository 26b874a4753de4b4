"""The scorecard: one row per target with its status, shared by the deck, `/present` and Excel.

`scorecard_rows` turns assessments into display rows (words in one language); `scorecard_xlsx`
writes them as an Excel sheet with status colours and formula-neutralised text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from kpis.export import Report
from kpis.i18n import SHOWN_STYLES, contrast_ratio, format_date, pick
from kpis.narrative import sentence
from kpis.plan import Plan
from kpis.progress import Assessment
from kpis.safe_cells import neutralise_cell
from kpis.shown import Point, judged_figure, last_point, projection_text, shown_status
from kpis.tasks import state_word, summarise
from kpis.ui_text import (
    document_line,
    pace_words,
    progress_words,
    region_label,
    target_words,
    value_text,
)


@dataclass(frozen=True)
class ScorecardRow:
    """One target of one region, ready to show: every field is display text except numbers."""

    indicator: str
    name: str
    group: str
    target: str  # short form: "≥ 3 tổ chức (2020)"
    target_year: int
    latest: str  # "3 tổ chức" or "–"
    # the figure judged, saying which it is (kpis.shown.JudgedFigure): "3 tổ chức (2024)",
    # "14 doanh nghiệp (năm hạn 2020)" or "–" on a slide; where there is room, past a
    # deadline, the latest beside it: "…; mới nhất năm 2024: 24 doanh nghiệp"
    figure: str
    figure_and_latest: str
    latest_year: int | None
    latest_value: float | None
    progress: str  # "100%" or "–"
    progress_share: float | None
    projected: str  # "4 tổ chức" or ""
    status: str  # as shown: METHOD.md's, or NOT_APPLICABLE (kpis.shown.shown_status)
    status_word: str
    clause: str
    sentence: str
    on_estimate: bool = False  # the figure judged is an estimate: so is the status


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (#RRGGBB), by WCAG."""
    return max(("#000000", "#FFFFFF"), key=lambda ink: contrast_ratio(background, ink))


def scorecard_row(
    plan: Plan, row: Assessment, lang: str = "vi", last: Point | None = None
) -> ScorecardRow:
    """`last`: the last point of the indicator's series up to the as-of year (`last_point`),
    so that a figure judged at a past deadline is called so, with the latest beside it."""
    indicator = plan.indicator(row.indicator)
    target = indicator.targets[row.target_index - 1]
    projected = projection_text(row.projected_value, indicator, lang)
    judged = judged_figure(row, last, plan.periods_of(row.region))
    status = shown_status(plan, row)  # a merged region's last-year target: not applicable
    return ScorecardRow(
        indicator=indicator.id,
        name=indicator.text("name", lang),
        group=indicator.text("group", lang),
        target=target_words(target, indicator, lang, row.baseline_value),
        target_year=row.target_year,
        latest=value_text(row.latest_value, indicator, lang, row.latest_is_estimate),
        figure=judged.text(indicator, lang),
        figure_and_latest=judged.text_and_latest(indicator, lang),
        latest_year=row.latest_year,
        latest_value=row.latest_value,
        progress=" · ".join(
            filter(
                None,
                [
                    # from which baseline (27 against "hơn 25" from 24 is 300%), a standing
                    # target's years met (44%: 4/9 years), a strict bound only reached
                    progress_words(row, target, indicator, lang, short=True),
                    pace_words(row, target, indicator, lang),
                ],
            )
        ),
        progress_share=row.progress,
        projected=projected,
        status=status,
        status_word=SHOWN_STYLES[status].word(lang),
        clause=target.text("clause", lang) or indicator.text("clause", lang),
        sentence=sentence(plan, row, lang),
        on_estimate=bool(row.latest_is_estimate),
    )


def scorecard_rows(report: Report) -> list[ScorecardRow]:
    """Display rows in the plan's grouping, each indicator's targets in plan order."""
    return [
        scorecard_row(report.plan, row, report.lang, last)
        for indicator in report.ordered_indicators()
        if (rows := report.rows_of(indicator.id))
        for last in [last_point(report.points(indicator.id))]
        for row in rows
    ]


# ---------------------------------------------------------------------------------------------
# Excel

HEADERS = {
    "vi": [
        "Nhóm",
        "Mã",
        "Chỉ tiêu",
        "Mục tiêu",
        "Năm mục tiêu",
        "Số liệu xét",
        "Năm",
        "Giá trị",
        "Tiến độ",
        "Dự báo năm mục tiêu",
        "Trạng thái",
        "Căn cứ (mục)",
        "Giải thích",
    ],
    "en": [
        "Group",
        "Id",
        "Indicator",
        "Target",
        "Target year",
        "Figure judged",
        "Year",
        "Value",
        "Progress",
        "Projected at target year",
        "Status",
        "Clause",
        "Explanation",
    ],
}
WIDTHS = [24, 22, 42, 26, 10, 30, 8, 10, 10, 18, 20, 18, 70]
HEADER_ROW = 7  # rows above: title, document, as-of and region, made, data note, blank


def scorecard_xlsx(report: Report) -> bytes:
    """The scorecard as an .xlsx file: a heading block, then one row per target.

    Text cells go through `neutralise`, so a name starting with `=` cannot become a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    plan, lang, made, as_of, region = (
        report.plan,
        report.lang,
        report.made,
        report.as_of,
        region_label(report.plan, report.region, report.lang),
    )
    rows = scorecard_rows(report)
    book = Workbook()
    sheet = book.active
    sheet.title = pick("Tổng hợp", "Scorecard", lang)
    heading = [
        plan.plan.text("title", lang),
        document_line(plan.plan, lang),
        pick(
            f"Tình hình thực hiện đến năm {as_of or '–'} · Địa bàn: {region}",
            f"Progress as of {as_of or '–'} · Region: {region}",
            lang,
        ),
        pick(f"Lập ngày {format_date(made)}", f"Made on {format_date(made)}", lang),
        pick(
            "Số liệu minh họa, không phải số liệu báo cáo thực tế",
            "Illustrative figures, not reported figures",
            lang,
        )
        if report.is_illustrative()
        else "",
    ]
    for i, text in enumerate(heading, start=1):
        cell = sheet.cell(row=i, column=1, value=neutralise_cell(text) or None)
        cell.font = Font(bold=i == 1, size=14 if i == 1 else 11, color="B35900" if i == 5 else None)
    for column, (title, width) in enumerate(zip(HEADERS[lang], WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F3A5F")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, row in enumerate(rows, start=1):
        values = [
            neutralise_cell(row.group),
            neutralise_cell(row.indicator),
            neutralise_cell(row.name),
            neutralise_cell(row.target),
            row.target_year,
            neutralise_cell(row.figure_and_latest),  # a past deadline's says so
            row.latest_year,
            row.latest_value,
            row.progress_share,
            neutralise_cell(row.projected),
            row.status_word,
            neutralise_cell(row.clause),
            neutralise_cell(row.sentence),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=column, value=value)
            cell.alignment = Alignment(wrap_text=column in (1, 3, 4, 6, 13), vertical="top")
        sheet.cell(row=HEADER_ROW + offset, column=9).number_format = "0%"
        colour = SHOWN_STYLES[row.status].colour
        status = sheet.cell(row=HEADER_ROW + offset, column=11)
        status.fill = PatternFill("solid", fgColor=colour.lstrip("#"))
        status.font = Font(bold=True, color=text_colour_on(colour).lstrip("#"))
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=4)
    sheet.auto_filter.ref = (
        f"A{HEADER_ROW}:{get_column_letter(len(WIDTHS))}{HEADER_ROW + len(rows)}"
    )
    if report.tasks is not None:
        _task_sheets(book, report)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Tasks (issue 16): the summary, the overdue list, every task

TASK_HEADERS = {
    "vi": [
        "Mã",
        "Nhiệm vụ",
        "Mục",
        "Cơ quan chủ trì",
        "Thời hạn",
        "Thời hạn suy ra",
        "Trạng thái",
        "Ngày cập nhật tiến độ",
        "Căn cứ",
        "Quá hạn",
    ],
    "en": [
        "Id",
        "Task",
        "Clause",
        "Lead agency",
        "Deadline",
        "Deadline inferred",
        "State",
        "Progress date",
        "Evidence",
        "Overdue",
    ],
}
TASK_WIDTHS = [24, 52, 18, 30, 12, 10, 22, 12, 30, 10]
OVERDUE_FILL = "F4C7C3"


def _task_sheets(book, report: Report) -> None:
    """Two sheets: the overdue tasks, then every task; each under the counts line."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    lang, table = report.lang, report.tasks
    date = report.tasks_date
    counted = summarise(table)
    summary = counted.text(lang)
    line = pick(
        f"{summary} (tính đến ngày {format_date(date)})" if date else summary,
        f"{summary} (as of {format_date(date)})" if date else summary,
        lang,
    )
    counts = " ".join(
        line for line in (counted.counts_text(lang), counted.unreported_note(lang)) if line
    )
    for title, rows in (
        (pick("Nhiệm vụ quá hạn", "Overdue tasks", lang), table[table["overdue"]]),
        (pick("Nhiệm vụ", "Tasks", lang), table),
    ):
        sheet = book.create_sheet(title)
        sheet.cell(row=1, column=1, value=neutralise_cell(line)).font = Font(bold=True, size=14)
        sheet.cell(row=2, column=1, value=neutralise_cell(counts))
        header_row = 4
        for column, (name, width) in enumerate(
            zip(TASK_HEADERS[lang], TASK_WIDTHS, strict=True), start=1
        ):
            cell = sheet.cell(row=header_row, column=column, value=name)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F3A5F")
            sheet.column_dimensions[get_column_letter(column)].width = width
        for offset, row in enumerate(rows.itertuples(index=False), start=1):
            values = [
                neutralise_cell(row.task),
                neutralise_cell(row.name),
                neutralise_cell(row.clause),
                neutralise_cell(row.agency_name),
                row.deadline,
                pick("có", "yes", lang) if row.deadline_inferred else "",
                state_word(row.state, lang),
                row.date,
                neutralise_cell(row.evidence),
                pick("quá hạn", "overdue", lang) if row.overdue else "",
            ]
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=header_row + offset, column=column, value=value)
                if column in (5, 8) and value is not None:
                    cell.number_format = "DD/MM/YYYY"
            if row.overdue:
                sheet.cell(row=header_row + offset, column=10).fill = PatternFill(
                    "solid", fgColor=OVERDUE_FILL
                )
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
        sheet.auto_filter.ref = (
            f"A{header_row}:{get_column_letter(len(TASK_WIDTHS))}{header_row + len(rows)}"
        )
