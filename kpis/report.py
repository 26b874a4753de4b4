"""The written report (báo cáo): the plan's results as an editable Word file in the layout of
Decree 30/2020/NĐ-CP.

`build_written_report` decides every word and number (pure values, from the same `Report`,
scorecard rows and narrative sentences as the deck and `status`); `render_docx` lays them out:
A4, Times New Roman, the decree's margins, the header block as a borderless two-column table,
page numbers from page 2, and named styles (Normal, Heading 1-3, the table style) rather than
direct formatting, so that a department can restyle the whole document in Word.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from kpis.chart_alt import described
from kpis.export import Report, prepare
from kpis.i18n import SHOWN_STYLES, fill, format_date, language_tag, pick
from kpis.plan import Plan, PlanInfo, RegionMerged
from kpis.scorecard import ScorecardRow, scorecard_rows
from kpis.slides import IndicatorSlide, Progress, indicator_slide, slide_pictures, tasks_slides
from kpis.ui_text import (
    capitalised,
    cited_sources,
    document_citation,
    is_illustrative,
    t,
    verdict,
)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Decree 30/2020/NĐ-CP, Appendix I: A4; top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm;
# Times New Roman; body 13-14 pt. The narrowest margins allowed leave the widest text column.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
# A chart is drawn 620 CSS px wide and placed across the text column, so 1 px prints at
# 0.75 pt (kpis.charts.SIZES["report"]: its smallest text, 11 px, prints at 8.3 pt); each as
# tall as its own layout, so its legend keeps clear of the source lines under it.
CHART_PX = 620
FONT = "Times New Roman"
BODY_PT, SMALL_PT = 14, 13  # body text; header block, tables, captions (the decree's 13)
HEADER_COLUMNS_MM = (62, 103)  # issuer | national emblem line, as the decree's model places them
# STT, chỉ tiêu, mục tiêu, thực hiện, tiến độ, đánh giá. Each column at least as wide as the
# longest word any shipped plan puts in it needs at 13 pt, plus the cells' 1.9 mm margins each
# side (English's are the longest: «Commune-level» 29.5 mm, «organisations» 24.4, «baseline)»
# 17.3, «Assessment» in bold 22.4): LibreOffice broke narrower ones inside the word, as
# «Assessmen / t» at 25 mm and «organisatio / ns» under «Achieved by 2024» at 25 mm.
TABLE_COLUMNS_MM = (13, 40, 33, 29, 22, 28)

# The statuses whose charts the report shows: the targets that need the reader's attention,
# the most serious first (section IV's order). «Cần đẩy nhanh» too: the deck and the pages flag
# it ⚠, and a target projected short of 2030 is the one a leader can still act on.
ATTENTION = ("missed", "regressing", "off_track", "needs_acceleration")

# Named styles a department can restyle (the built-in ones keep their names, so Word's own
# "Heading 1" etc. stay in the navigation pane).
STYLE_TABLE = "Bảng chỉ tiêu"  # table style: grid lines
STYLE_CELL = "Chữ trong bảng"  # paragraph style of table cells
STYLE_CELL_NUMBER = "Số trong bảng"  # centred: STT and the share of the target
STYLE_CELL_HEAD = "Đầu cột bảng"  # paragraph style of the table's header row
STYLE_BLOCK = "Khối đầu văn bản"  # the header block's lines (issuer, number, emblem, date)
STYLE_BLOCK_STRONG = "Khối đầu văn bản đậm"  # its bold lines (issuer name, emblem, motto)
STYLE_PLACE = "Địa danh, ngày tháng"  # place and date (italic)
STYLE_KIND = "Tên loại văn bản"  # "BÁO CÁO"
STYLE_SUBJECT = "Trích yếu"  # what the report is about
STYLE_FIGURE = "Hình"  # the paragraph holding a chart picture
STYLE_SIGN = "Chức vụ người ký"  # signature block placeholders
STYLE_RECIPIENTS = "Nơi nhận"  # the recipients list
STYLE_RECIPIENTS_HEAD = "Nơi nhận (đầu)"  # its heading, bold italic
STYLE_MOTTO = "Tiêu ngữ"  # "Độc lập - Tự do - Hạnh phúc": bold, one size above the emblem line
STYLE_RULE = "Đường kẻ"  # the short lines under the issuer and the motto

# key -> (Vietnamese, English): the document's own words
WORDS: dict[str, tuple[str, str]] = {
    "nation": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"),
    "motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "number": ("Số: .../BC-...", "No.: .../BC-..."),
    # Who issues the report is not the plan's issuer: the plan records neither who reports on
    # it nor whether its issuer still exists (Bắc Kạn's committee, for one, merged into Thái
    # Nguyên's on 1/7/2025), so the clerk fills it in, as the number and the signatory.
    "issuer": ("TÊN CƠ QUAN, TỔ CHỨC", "NAME OF THE ISSUING BODY"),
    "kind": ("BÁO CÁO", "REPORT"),
    "subject": (
        "Kết quả thực hiện {title} đến năm {year}",
        "Results of implementing the {title} as of {year}",
    ),
    "subject_region": (
        "Kết quả thực hiện {title} đến năm {year} (địa bàn: {region})",
        "Results of implementing the {title} as of {year} (region: {region})",
    ),
    "opening": (
        "Căn cứ {citation}, kết quả thực hiện các chỉ tiêu của kế hoạch đến năm {year} được "
        "tổng hợp từ số liệu đã báo cáo như sau:",
        "Under {citation}, the results of the plan's targets as of {year}, compiled from the "
        "figures reported, are as follows:",
    ),
    "opening_illustrative": (
        "Căn cứ {citation}, kết quả thực hiện các chỉ tiêu của kế hoạch đến năm {year} được "
        "tổng hợp từ số liệu minh họa (không phải số liệu báo cáo thực tế) như sau:",
        "Under {citation}, the results of the plan's targets as of {year}, compiled from "
        "illustrative figures (not reported figures), are as follows:",
    ),
    "opening_some_illustrative": (
        "Căn cứ {citation}, kết quả thực hiện các chỉ tiêu của kế hoạch đến năm {year} được "
        "tổng hợp từ {n} số liệu, trong đó {k} số liệu minh họa (không phải số liệu báo cáo "
        "thực tế), như sau:",
        "Under {citation}, the results of the plan's targets as of {year}, compiled from {n} "
        "figures, {k} of them illustrative (not reported figures), are as follows:",
    ),
    # a report dated on or after the plan's region merged (plan `region_merged`): said before
    # anything else, so that the figures of the former province are read as such
    "merged": (
        "Từ ngày {date}, {region} đã sáp nhập vào {into}; số liệu trong báo cáo là số liệu "
        "của {region} trước khi sáp nhập.",
        "Since {date}, {region} has been part of {into}; the figures in this report are "
        "those of {region} before the merger.",
    ),
    "h_summary": ("TỔNG HỢP KẾT QUẢ", "SUMMARY"),
    "h_table": ("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "RESULTS BY TARGET"),
    "h_groups": ("ĐÁNH GIÁ THEO NHÓM CHỈ TIÊU", "ASSESSMENT BY GROUP"),
    "h_charts": ("CÁC CHỈ TIÊU CẦN TẬP TRUNG CHỈ ĐẠO", "TARGETS NEEDING ATTENTION"),
    "h_tasks": ("NHIỆM VỤ QUÁ HẠN", "OVERDUE TASKS"),
    "tasks_none_overdue": ("Không có nhiệm vụ nào quá hạn.", "No task is overdue."),
    "overdue_task": (
        "{name} ({agency}; thời hạn {deadline}): {state}.",
        "{name} ({agency}; due {deadline}): {state}.",
    ),
    "h_sources": ("NGUỒN SỐ LIỆU", "SOURCES"),
    "targets_total": (
        "Kế hoạch đặt {targets} mục tiêu cho {indicators} chỉ tiêu. Đánh giá đến năm {year}, "
        "địa bàn {region}:",
        "The plan sets {targets} targets for {indicators} indicators. As of {year}, in {region}:",
    ),
    "status_count": ("{word}: {n} mục tiêu", "{word}: {n} targets"),
    "no_targets": (
        "Kế hoạch chưa có chỉ tiêu nào có mục tiêu.",
        "The plan has no indicator with a target.",
    ),
    "table_caption": (
        "Bảng 1. Kết quả thực hiện các chỉ tiêu đến năm {year}",
        "Table 1. Results of the targets as of {year}",
    ),
    "col_number": ("STT", "No."),
    "col_indicator": ("Chỉ tiêu", "Indicator"),
    "col_target": ("Mục tiêu", "Target"),
    "col_done": ("Thực hiện đến năm {year}", "Achieved by {year}"),
    # the share of the way from the baseline (METHOD.md step 4), not the figure over the
    # target: «So với mục tiêu 300%» read 27 against 25 as triple the target
    "col_progress": ("Tiến độ (từ năm gốc)", "Progress (from the baseline)"),
    "col_status": ("Đánh giá", "Assessment"),
    # a plan that sets no target (Lạng Sơn's 147/KH-UBND) has no rows: a table of headers alone
    # reads as a table that failed to print
    "no_table": (
        "Kế hoạch chưa đặt mục tiêu định lượng nào nên không có bảng kết quả; {n} chỉ tiêu kế "
        "hoạch theo dõi được nêu theo nhóm ở mục dưới.",
        "The plan sets no quantified target, so there is no table of results; the {n} "
        "indicators it tracks are given by group below.",
    ),
    "estimate": ("ước", "estimate"),
    "no_group": ("Chỉ tiêu khác", "Other indicators"),
    "charts_intro": (
        "Các chỉ tiêu có mục tiêu không đạt, đi lùi, chậm tiến độ hoặc cần đẩy nhanh, theo "
        "mức độ từ nặng đến nhẹ:",
        "Indicators with a target missed, regressing, off track or needing acceleration, the "
        "most serious first:",
    ),
    "charts_none": (
        "Không có mục tiêu nào không đạt, đi lùi, chậm tiến độ hoặc cần đẩy nhanh.",
        "No target is missed, regressing, off track or in need of acceleration.",
    ),
    "charts_not_drawn": (
        "(Biểu đồ chưa được vẽ: máy lập báo cáo không có trình duyệt Chrome/Chromium.)",
        "(Charts not drawn: the machine that wrote this report has no Chrome/Chromium.)",
    ),
    "figure_caption": ("Hình {n}. {name}", "Figure {n}. {name}"),
    "source_targets": (
        "Mục tiêu: {citation}.",
        "Targets: {citation}.",
    ),
    "source_figures": ("Số liệu: {sources}.", "Figures: {sources}."),
    "source_none": ("Số liệu: chưa có.", "Figures: none yet."),
    # the parts of one document the figures come from, said once: «Mục A.I.1.1, A.I.2 (2023)»
    "source_parts": ("{document}, mục {parts}", "{document}, sections {parts}"),
    "illustrative": (
        "Số liệu minh họa, không phải số liệu báo cáo thực tế",
        "Illustrative figures, not reported figures",
    ),
    "recipients": ("Nơi nhận:", "Recipients:"),
    "recipients_list": ("- Như trên;\n- Lưu: VT, ...", "- As above;\n- Archived: ..."),
    "signer": ("QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", "AUTHORITY AND POSITION OF THE SIGNATORY"),
    "signature": (
        "(Chữ ký của người có thẩm quyền, dấu/chữ ký số của cơ quan, tổ chức)",
        "(Signature, seal or digital signature)",
    ),
    "signer_name": ("Họ và tên", "Full name"),
    "download": ("Tải báo cáo (Word)", "Download the report (Word)"),
}

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def word(key: str, lang: str, **values: object) -> str:
    return fill(*WORDS[key], lang, **values)


# ---------------------------------------------------------------------------------------------
# What the report says


@dataclass(frozen=True)
class TargetLine:
    """One row of the targets table; every field display text (scorecard row + estimate mark)."""

    number: int
    indicator: str  # id, for tests and links, never shown
    name: str
    target: str
    done: str  # "3 tổ chức (2020)"; "3 tổ chức (ước) (2024)" where the figure is an estimate
    progress: str
    status: str  # the status key as shown (kpis.shown.shown_status: not applicable too)
    status_word: str


@dataclass(frozen=True)
class GroupParagraph:
    heading: str
    text: str  # the speaker notes' sentences of every indicator in the group


@dataclass(frozen=True)
class ChartEntry:
    slide: IndicatorSlide  # the deck's slide of the indicator: its chart is the same
    caption: str


@dataclass(frozen=True)
class WrittenReport:
    lang: str
    issuer: str  # upper case, as the header block writes it
    number: str
    place_date: str
    kind: str
    subject: str
    opening: str
    summary: str
    status_lines: tuple[str, ...]
    task_lines: tuple[str, ...]  # the tasks summary; empty when the plan lists no tasks
    table_caption: str
    columns: tuple[str, ...]
    rows: tuple[TargetLine, ...]
    no_table: str  # said in the table's place when there are no rows, "" otherwise
    groups: tuple[GroupParagraph, ...]
    charts: tuple[ChartEntry, ...]
    overdue: tuple[str, ...] | None  # None: the plan lists no tasks (no section)
    sources: tuple[str, ...]
    illustrative: str  # the label for every page, "" for reported figures

    def sections(self) -> list[str]:
        """The section headings in order (Heading 1), each numbered I, II, ... when drawn."""
        keys = ["h_summary", "h_table", "h_groups", "h_charts"]
        if self.overdue is not None:
            keys.append("h_tasks")
        keys.append("h_sources")
        return [word(key, self.lang) for key in keys]


def place_and_date(place: str, day: dt.date, lang: str) -> str:
    """'Bắc Kạn, ngày 01 tháng 12 năm 2026'; 'Bắc Kạn, 1 December 2026' in English."""
    if lang == "en":
        return f"{place}, {day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    # Decree 30, Appendix I, 1.5: days below 10 and months below 3 are written with a leading 0.
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def merged_by(info: PlanInfo, day: dt.date) -> RegionMerged | None:
    """The plan's region's merger when it had happened by `day`, else None."""
    merged = info.region_merged
    return merged if merged is not None and day >= merged.date else None


def report_place(info: PlanInfo, day: dt.date, lang: str) -> str:
    """Where a report dated `day` is written (Decree 30's «địa danh»): the plan's region, or
    the province it merged into once the merger has happened (a report of December 2026 is
    not dated from Bắc Kạn, which stopped being a province on 1/7/2025)."""
    merged = merged_by(info, day)
    return pick(merged.into, merged.into_en, lang) if merged else info.region


def target_line(report: Report, number: int, row: ScorecardRow) -> TargetLine:
    """The scorecard row as the table shows it; a figure marked as an estimate ("ước thực
    hiện", the method's `latest_is_estimate`) already reads "3 tổ chức (ước)" there, as on the
    pages and slides. Under «Thực hiện đến năm 2024», a target whose year has passed reads
    "14 doanh nghiệp (năm hạn 2020); mới nhất năm 2024: 24 doanh nghiệp": the figure it was
    judged on is not passed off as 2024's."""
    done = row.figure_and_latest
    return TargetLine(
        number=number,
        indicator=row.indicator,
        name=row.name,
        target=row.target,
        done=done,
        progress=row.progress,
        status=row.status,
        status_word=verdict(row.status_word, row.on_estimate, report.lang),
    )


def group_paragraphs(report: Report, slides: Sequence[IndicatorSlide]) -> list[GroupParagraph]:
    """One paragraph per group: each indicator's name, then its speaker notes' sentences; an
    indicator the plan only tracks gives its latest figure, as its slide does."""
    lang = report.lang
    by_group: dict[str, list[str]] = {}
    for slide in slides:
        heading = slide.group or word("no_group", lang)
        if slide.targets:
            # (a note begun with a target's words, «trên 60% vào năm 2025: «…»», opens a
            # sentence of the paragraph)
            said = " ".join(_closed(capitalised(note)) for note in slide.notes)
        else:
            said = f"{slide.key_numbers[0].value}. {t('tracked_only', lang)}."
        by_group.setdefault(heading, []).append(f"{slide.heading}: {said}")
    return [GroupParagraph(heading, " ".join(parts)) for heading, parts in by_group.items()]


def _closed(sentence: str) -> str:
    """The sentence with a full stop: a note that ends in the plan's own words has none, and
    in a paragraph it would run into the next indicator's name."""
    text = sentence.rstrip()
    return text if text.rstrip("»”\"')").endswith((".", "!", "?", "…")) else text + "."


def charts_that_matter(report: Report, slides: Sequence[IndicatorSlide]) -> list[IndicatorSlide]:
    """The indicators with a target in ATTENTION, by their most serious target's rank there,
    the plan's grouping within a rank: a target that only needs acceleration (Bắc Kạn's first
    indicator) is not read before the missed ones."""
    ranked = [
        (min(ATTENTION.index(t.status) for t in slide.targets if t.status in ATTENTION), n, slide)
        for n, slide in enumerate(slides)
        if any(target.status in ATTENTION for target in slide.targets)
    ]
    return [slide for _, _, slide in sorted(ranked, key=lambda item: item[:2])]


def _figures_shown(report: Report) -> pd.DataFrame:
    """The figures the report rests on: its region's, up to the as-of year."""
    table = report.figures
    shown = table[table["region"] == report.region]
    if report.as_of is not None:
        shown = shown[shown["year"] <= report.as_of]
    return shown


def figure_sources(report: Report) -> str:
    """Every source of the figures shown (region, up to the as-of year), with its years.

    The parts of one document are named once after it: Lạng Sơn's fifteen figures cite six
    sections of the plan, and six copies of the plan's name read as six documents. A source
    in the plan's own document is cited as the targets line cites it, in the report's
    language (the English report said «Kế hoạch 147/KH-UBND ngày …» six times)."""
    shown = _figures_shown(report)
    rows = zip(shown["source"], shown["year"], strict=True)
    return cited_sources(rows, report.plan.plan, report.lang)


def opening(report: Report) -> str:
    """The sentence the report opens with: where its figures come from, saying so when all or
    some of them are illustrative (a source beginning with "Minh họa"), and how many."""
    lang, info = report.lang, report.plan.plan
    values = {"citation": document_citation(info, lang), "year": report.as_of or "–"}
    sources = _figures_shown(report)["source"]
    illustrative = sum(is_illustrative(source) for source in sources)
    if not illustrative:
        said = word("opening", lang, **values)
    elif illustrative == len(sources):
        said = word("opening_illustrative", lang, **values)
    else:
        said = word("opening_some_illustrative", lang, n=len(sources), k=illustrative, **values)
    merged = merged_by(info, report.made)
    if merged is None or report.region != info.region:
        return said
    into = pick(merged.into, merged.into_en, lang)
    context = word("merged", lang, date=format_date(merged.date), region=info.region, into=into)
    return f"{context} {said}"


def build_written_report(report: Report) -> WrittenReport:
    """Every word and number of the report, decided once (see the module docstring)."""
    lang, plan = report.lang, report.plan
    info = plan.plan
    year = report.as_of or "–"
    title = info.text("title", lang)
    if lang == "en":
        title = title[0].lower() + title[1:]  # "the action plan implementing ..."
    subject_key = "subject" if report.region == info.region else "subject_region"

    rows = scorecard_rows(report)
    lines = tuple(target_line(report, n, row) for n, row in enumerate(rows, start=1))
    counts = Counter(row.status for row in rows)
    status_lines = tuple(  # a target that does not apply counted apart from «no data», last
        word("status_count", lang, word=style.word(lang), n=counts[status])
        for status, style in SHOWN_STYLES.items()
        if counts[status]
    )
    summary = (
        word(
            "targets_total",
            lang,
            targets=len(rows),
            indicators=len({row.indicator for row in rows}),
            year=year,
            region=report.region,
        )
        if rows
        else word("no_targets", lang)
    )

    slides = [indicator_slide(report, indicator) for indicator in report.ordered_indicators()]
    charts = tuple(
        ChartEntry(slide, word("figure_caption", lang, n=n, name=slide.heading))
        for n, slide in enumerate(charts_that_matter(report, slides), start=1)
    )
    # The tasks (issue 16) as the deck's tasks slides count and list them: "19/92 nhiệm vụ
    # hoàn thành · 3 quá hạn (tính đến ngày …)", then every overdue task.
    task_parts = tasks_slides(report)
    task_lines: tuple[str, ...] = ()
    overdue: tuple[str, ...] | None = None
    if task_parts:
        first = task_parts[0]
        task_lines = tuple(line for line in (first.summary, first.counts, first.note) if line)
        overdue = tuple(
            word("overdue_task", lang, name=name, agency=agency, deadline=deadline, state=state)
            for part in task_parts
            for name, agency, deadline, state in part.rows
        ) or (word("tasks_none_overdue", lang),)
    sources_text = figure_sources(report)
    sources = (
        word("source_targets", lang, citation=document_citation(info, lang)),
        word("source_figures", lang, sources=sources_text)
        if sources_text
        else word("source_none", lang),
    )
    return WrittenReport(
        lang=lang,
        issuer=word("issuer", lang),
        number=word("number", lang),
        place_date=place_and_date(report_place(info, report.made, lang), report.made, lang),
        kind=word("kind", lang),
        subject=word(subject_key, lang, title=title, year=year, region=report.region),
        opening=opening(report),
        summary=summary,
        status_lines=status_lines,
        task_lines=task_lines,
        table_caption=word("table_caption", lang, year=year),
        columns=tuple(
            word(key, lang, year=year)
            for key in (
                "col_number",
                "col_indicator",
                "col_target",
                "col_done",
                "col_progress",
                "col_status",
            )
        ),
        rows=lines,
        no_table="" if lines else word("no_table", lang, n=len(slides)),
        groups=tuple(group_paragraphs(report, slides)),
        charts=charts,
        overdue=overdue,
        sources=sources,
        illustrative=word("illustrative", lang) if report.is_illustrative() else "",
    )


# ---------------------------------------------------------------------------------------------
# Word layout


def _set_fonts(element, size_pt: float | None = None) -> None:
    """Times New Roman for every script (Latin, East Asian, complex), no theme font overriding
    it, at `size_pt` (on an `w:rPr`'s parent: a style, or the document defaults)."""
    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        element.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), FONT)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), str(int(size_pt * 2)))


def _language(style, lang: str) -> None:
    """The proofing language, so Word checks Vietnamese spelling as Vietnamese."""
    rpr = style.element.get_or_add_rPr()
    node = rpr.find(qn("w:lang"))
    if node is None:
        node = OxmlElement("w:lang")
        rpr.append(node)
    node.set(qn("w:val"), language_tag(lang))


def _paragraph_style(
    document,
    name: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    base: str = "Normal",
):
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else None
    if style is None:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
    font = style.font
    font.size, font.bold, font.italic = Pt(size), bold, italic
    font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element, size)
    layout = style.paragraph_format
    layout.alignment = align
    layout.first_line_indent = Mm(0)
    layout.space_before, layout.space_after = Pt(before), Pt(after)
    layout.line_spacing = 1.0
    return style


def _styles(document, lang: str) -> None:
    """Every style the report uses, defined once: restyling one restyles the whole document."""
    styles = document.styles
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            _set_fonts(rpr_default, BODY_PT)

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element, BODY_PT)
    _language(normal, lang)
    body = normal.paragraph_format
    # Decree 30, Appendix I: first line indented 1-1.27 cm, at least 6 pt between paragraphs,
    # single to 1.5 line spacing; justified.
    body.first_line_indent = Mm(12.7)
    body.space_before, body.space_after = Pt(0), Pt(6)
    body.line_spacing = 1.15
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for level, size, before in ((1, BODY_PT, 12), (2, BODY_PT, 6), (3, BODY_PT, 6)):
        heading = styles[f"Heading {level}"]
        heading.font.size, heading.font.bold = Pt(size), True
        heading.font.italic = level == 3
        heading.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(heading.element, size)
        layout = heading.paragraph_format
        layout.space_before, layout.space_after = Pt(before), Pt(6)
        layout.first_line_indent = Mm(12.7)
        layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        layout.keep_with_next = True
        layout.line_spacing = 1.15

    for name in ("Header", "Footer", "Caption", "List Bullet"):
        style = styles[name]
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element, SMALL_PT if name != "List Bullet" else BODY_PT)
    caption = styles["Caption"]
    caption.font.bold, caption.font.italic = False, True
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Mm(0)
    caption.paragraph_format.space_after = Pt(6)
    for name in ("Header", "Footer"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styles[name].paragraph_format.first_line_indent = Mm(0)
    bullet = styles["List Bullet"].paragraph_format
    bullet.first_line_indent = None
    bullet.space_after = Pt(3)

    _paragraph_style(document, STYLE_BLOCK, size=SMALL_PT)
    _paragraph_style(document, STYLE_BLOCK_STRONG, size=SMALL_PT, bold=True)
    _paragraph_style(document, STYLE_PLACE, size=BODY_PT, italic=True, before=6)
    _paragraph_style(document, STYLE_KIND, size=BODY_PT, bold=True, before=18)
    _paragraph_style(document, STYLE_SUBJECT, size=BODY_PT, bold=True, after=18)
    _paragraph_style(document, STYLE_CELL, size=SMALL_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(document, STYLE_CELL_NUMBER, size=SMALL_PT)
    _paragraph_style(document, STYLE_CELL_HEAD, size=SMALL_PT, bold=True)
    _paragraph_style(document, STYLE_FIGURE, size=BODY_PT, before=6)
    _paragraph_style(document, STYLE_SIGN, size=BODY_PT, bold=True)
    # Decree 30, Appendix I: "Nơi nhận" 12 pt bold italic, the list under it 11-12 pt.
    _paragraph_style(document, STYLE_RECIPIENTS, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(
        document,
        STYLE_RECIPIENTS_HEAD,
        size=12,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    _paragraph_style(document, STYLE_MOTTO, size=BODY_PT, bold=True)
    rule = _paragraph_style(document, STYLE_RULE, size=2)  # the empty line takes no height
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    rule.element.get_or_add_pPr().append(border)

    if STYLE_TABLE not in [s.name for s in styles]:
        table = styles.add_style(STYLE_TABLE, WD_STYLE_TYPE.TABLE)
        table.base_style = styles["Table Grid"]
        table.quick_style = True
        table.font.size = Pt(SMALL_PT)


def _page(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # Decree 30: the page number in the header's centre, from page 2 (not on the first page).
    section.different_first_page_header_footer = True


def _page_number(paragraph) -> None:
    """A PAGE field: Word and LibreOffice fill in each page's number."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _headers(section, content: WrittenReport) -> None:
    header = section.header.paragraphs[0]
    header.style = "Header"
    _page_number(header)
    for footer in (section.first_page_footer, section.footer):
        paragraph = footer.paragraphs[0]
        paragraph.style = "Footer"
        paragraph.text = content.illustrative  # every page, where the figures are illustrative
    section.first_page_header.paragraphs[0].style = "Header"


def _rule(cell, width_mm: float, column_mm: float) -> None:
    """The short line the decree draws under the issuer and under the motto: an empty paragraph
    of the rule style (a bottom border), indented so the line is `width_mm` long and centred."""
    paragraph = cell.add_paragraph(style=STYLE_RULE)
    side = Mm((column_mm - width_mm) / 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side


def _fixed_table(table, widths_mm: Sequence[float]) -> None:
    """Column widths that Word and LibreOffice both keep: fixed layout, grid and every cell."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _header_block(document, content: WrittenReport) -> None:
    """Issuer and number on the left, national emblem line and place/date on the right: a
    borderless two-column table (Decree 30, Appendix I, models 1-5)."""
    left_mm, right_mm = HEADER_COLUMNS_MM
    table = document.add_table(rows=2, cols=2)
    table.style = document.styles["Normal Table"]  # no borders
    _fixed_table(table, HEADER_COLUMNS_MM)
    issuer, nation = table.cell(0, 0), table.cell(0, 1)
    issuer.paragraphs[0].style = STYLE_BLOCK_STRONG
    issuer.paragraphs[0].text = content.issuer
    _rule(issuer, 20, left_mm)
    nation.paragraphs[0].style = STYLE_BLOCK_STRONG
    nation.paragraphs[0].text = word("nation", content.lang)
    nation.add_paragraph(word("motto", content.lang), style=STYLE_MOTTO)
    _rule(nation, 58 if content.lang == "vi" else 64, right_mm)
    number, place = table.cell(1, 0), table.cell(1, 1)
    number.paragraphs[0].style = STYLE_BLOCK
    number.paragraphs[0].text = content.number
    place.paragraphs[0].style = STYLE_PLACE
    place.paragraphs[0].text = content.place_date


def _roman(n: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _targets_table(document, content: WrittenReport) -> None:
    if not content.rows:
        document.add_paragraph(content.no_table)
        return
    caption = document.add_paragraph(content.table_caption, style="Caption")
    caption.paragraph_format.keep_with_next = True  # «Bảng 1» was left alone under page 1
    table = document.add_table(rows=1 + len(content.rows), cols=len(content.columns))
    table.style = document.styles[STYLE_TABLE]
    _fixed_table(table, TABLE_COLUMNS_MM)
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, content.columns, strict=True):
        cell.paragraphs[0].style = STYLE_CELL_HEAD
        cell.paragraphs[0].text = text
    for row, line in zip(table.rows[1:], content.rows, strict=True):
        _keep_row_whole(row)
        values = (
            str(line.number),
            line.name,
            line.target,
            line.done,
            line.progress,
            line.status_word,
        )
        for column, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            # STT and the share centred, as the decree's model tables write numbers
            paragraph.style = STYLE_CELL_NUMBER if column in (0, 4) else STYLE_CELL
            paragraph.text = text


def _repeat_header(row) -> None:
    """The header row repeats at the top of every page the table runs over."""
    properties = row._tr.get_or_add_trPr()
    node = OxmlElement("w:tblHeader")
    properties.append(node)
    _keep_row_whole(row)


def _keep_row_whole(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _signature(document, content: WrittenReport) -> None:
    """'Nơi nhận' on the left, the signatory's placeholders on the right (for the clerk)."""
    lang = content.lang
    document.add_paragraph(style=STYLE_BLOCK)  # a blank line between the text and the signature
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Normal Table"]
    _fixed_table(table, (75, 90))
    # one block: «Recipients: - As above;» on one page and «- Archived» on the next read as two
    _keep_row_whole(table.rows[0])
    recipients, signer = table.rows[0].cells
    head = recipients.paragraphs[0]
    head.style = STYLE_RECIPIENTS_HEAD
    head.text = word("recipients", lang)
    for line in word("recipients_list", lang).split("\n"):
        recipients.add_paragraph(line, style=STYLE_RECIPIENTS)
    signer.paragraphs[0].style = STYLE_SIGN
    signer.paragraphs[0].text = word("signer", lang)
    signer.add_paragraph(word("signature", lang), style=STYLE_PLACE)
    for _ in range(3):  # room for the signature and seal
        signer.add_paragraph(style=STYLE_BLOCK)
    signer.add_paragraph(word("signer_name", lang), style=STYLE_SIGN)


def render_docx(content: WrittenReport, pictures: dict[str, bytes] | None = None) -> bytes:
    """The .docx bytes of `content`; `pictures` maps indicator ids to chart PNGs (those missing
    are left out, with a line saying why)."""
    pictures = pictures or {}
    document = Document()
    _styles(document, content.lang)
    section = document.sections[0]
    _page(section)
    _headers(section, content)
    properties = document.core_properties
    properties.title = content.subject
    properties.language = language_tag(content.lang)

    _header_block(document, content)
    document.add_paragraph(content.kind, style=STYLE_KIND)
    document.add_paragraph(content.subject, style=STYLE_SUBJECT)
    document.add_paragraph(content.opening)

    headings = iter(content.sections())
    number = iter(range(1, 20))

    def heading() -> None:
        document.add_heading(f"{_roman(next(number))}. {next(headings)}", level=1)

    heading()  # summary
    document.add_paragraph(content.summary)
    for line in content.status_lines:
        document.add_paragraph(line, style="List Bullet")
    for line in content.task_lines:
        document.add_paragraph(line, style="List Bullet")

    heading()  # the table
    _targets_table(document, content)

    heading()  # by group
    for n, group in enumerate(content.groups, start=1):
        document.add_heading(f"{n}. {group.heading}", level=2)
        document.add_paragraph(group.text)

    heading()  # the charts that matter
    # A chart's heading and its bullets keep with the chart (the heading style keeps with the
    # next paragraph, and so does each paragraph up to the picture): a reader found «2. Tỷ lệ
    # cán bộ … • trên 80% vào năm 2025: Không đạt.» at the foot of one page, its chart on the
    # next. Only where a picture follows: without one, a chain of bullets and headings kept
    # together would run the whole section as one block.
    drawn = [entry.slide.indicator.id in pictures for entry in content.charts]
    if content.charts:
        intro = document.add_paragraph(word("charts_intro", content.lang))
        intro.paragraph_format.keep_with_next = all(drawn)
        if not all(drawn):
            document.add_paragraph(word("charts_not_drawn", content.lang))
    else:
        document.add_paragraph(word("charts_none", content.lang))
    for n, (entry, has_picture) in enumerate(zip(content.charts, drawn, strict=True), start=1):
        document.add_heading(f"{n}. {entry.slide.heading}", level=2)
        for target in entry.slide.targets:
            bullet = document.add_paragraph(
                f"{target.target}: {verdict(target.status_word, target.on_estimate, content.lang)}.",
                style="List Bullet",
            )
            bullet.paragraph_format.keep_with_next = has_picture
        picture = pictures.get(entry.slide.indicator.id)
        if picture is not None:
            holder = document.add_paragraph(style=STYLE_FIGURE)
            holder.paragraph_format.keep_with_next = True
            drawn = holder.add_run().add_picture(io.BytesIO(picture), width=TEXT_WIDTH)
            # (python-docx leaves the picture undescribed: a screen reader said "Picture 1")
            described(drawn._inline.docPr, entry.slide.heading, entry.slide.alt)
            document.add_paragraph(entry.caption, style="Caption")  # the source is drawn in

    if content.overdue is not None:
        heading()
        for line in content.overdue:
            document.add_paragraph(line, style="List Bullet")

    heading()  # sources
    for line in content.sources:
        document.add_paragraph(line, style="List Bullet")

    _signature(document, content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chart_pictures(
    content: WrittenReport, report: Report, progress: Progress | None = None
) -> dict[str, bytes]:
    """The PNG of every chart the report shows, drawn by one browser (`kpis.images`);
    `progress(done, total)` as each is drawn."""
    return slide_pictures(
        report,
        [entry.slide for entry in content.charts],
        size="report",
        width=CHART_PX,
        scale=3,  # 1860 px across 165 mm: about 290 dpi on paper
        progress=progress,
    )


def report_docx(report: Report, *, charts: bool = True, progress: Progress | None = None) -> bytes:
    """The whole report of one `Report`, with its charts when a browser can draw them."""
    from kpis.errors import BrowserNotFound

    content = build_written_report(report)
    pictures: dict[str, bytes] = {}
    if charts:
        try:
            pictures = chart_pictures(content, report, progress)
        except BrowserNotFound:
            pictures = {}
    return render_docx(content, pictures)


def report_bytes(
    plan: Plan, figures: pd.DataFrame, *, progress: Progress | None = None, **options: Any
) -> bytes:
    """The report for one region and as-of year: what the download button serves;
    `options` are `kpis.export.prepare`'s (as_of, region, lang, made, tasks, tasks_date);
    `progress(done, total)` as each chart is drawn."""
    return report_docx(prepare(plan, figures, **options), progress=progress)


def report_file_name(plan: Plan, as_of: int | None, lang: str) -> str:
    """'bao-cao_bac-kan-684-2016_2024_vi.docx': plan id, as-of year and language, ASCII only."""
    return f"bao-cao_{plan.plan.id}_{as_of or 'latest'}_{lang}.docx"
