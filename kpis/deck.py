"""The conference deck: `kpis.slides` drawn into an editable 16:9 PowerPoint file (python-pptx).

Native text and tables (the scorecard stays editable), one sharp chart picture per indicator
(rendered by `kpis.images`, one browser for all), and the plain-sentence explanation of each
status in the speaker notes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from kpis.chart_alt import described
from kpis.export import Report, prepare
from kpis.i18n import NOT_APPLICABLE, SHOWN_STYLES, language_tag
from kpis.plan import Plan
from kpis.scorecard import text_colour_on
from kpis.slides import (
    SCORECARD_TABLE,
    TASKS_TABLE,
    TRACKED_TABLE,
    IndicatorSlide,
    LoneFigure,
    Progress,
    ScorecardSlide,
    Slide,
    TableLayout,
    TasksSlide,
    TitleSlide,
    build_slides,
    scorecard_cells,
    slide_pictures,
    word,
)
from kpis.text_fit import text_height_pt

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
NAVY, INK, GREY, WHITE = "1F3A5F", "1A1A1A", "555555", "FFFFFF"
ILLUSTRATIVE_FILL, ILLUSTRATIVE_INK = "FFE8A3", "5C4200"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5  # of python-pptx's default template
PICTURE_LEFT, PICTURE_TOP, PICTURE_WIDTH = Inches(0.4), Inches(1.55), Inches(8.4)
PANEL_LEFT, PANEL_WIDTH = Inches(9.05), Inches(3.88)
# The side panel runs down to the slide's foot (the source lines sit under the picture only).
PANEL_BOTTOM = Inches(7.35)
# A text box's margins: left and right as `_text` sets them, top and bottom python-pptx's.
TEXT_MARGIN_X, TEXT_MARGIN_Y = Inches(0.04), Inches(0.05)
# The smallest type on a slide (source lines, labels): 14 pt reads from the back of a room and
# on a printed page; the chart pictures are drawn to the same rule (kpis.charts.SIZES["slide"]).
SMALL_PT = 14
# The chart picture is drawn at the size it is placed: 800 CSS px for 8.4 in (95 px an inch,
# so 1 px prints at 0.76 pt), scaled 2.4 times to 1920 px wide to stay sharp on a projector.
CHART_PX, CHART_SCALE = 800, 2.4
# Under the picture, the source line, then the document's clause.
SOURCE_TOP, CLAUSE_TOP = Inches(6.4), Inches(6.95)
# Every picture as tall as the room above the source line (a gap left): each chart's own
# layout height differs with its legend, and drawing them all at the first one's height ran
# the legend into the source line by 0.14 in.
CHART_HEIGHT_PX = int((SOURCE_TOP - Inches(0.05) - PICTURE_TOP) * CHART_PX / PICTURE_WIDTH)


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _text(
    slide,
    left,
    top,
    width,
    height,
    text: str,
    size: int,
    *,
    bold: bool = False,
    colour: str = INK,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right"):
        setattr(frame, side, TEXT_MARGIN_X)
    _fill_paragraph(frame.paragraphs[0], text, size, bold=bold, colour=colour, align=align)
    return box


def _fill_paragraph(
    paragraph, text: str, size: int, *, bold: bool = False, colour: str = INK, align=PP_ALIGN.LEFT
) -> None:
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = rgb(colour)


def _chip(slide, left, top, width, height, text: str, fill: str, ink: str, size: int = 16):
    """A filled rounded label: a status word on its colour, or the illustrative tag."""
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(fill)
    shape.line.fill.background()
    shape.shadow.inherit = False
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.06))
    _fill_paragraph(frame.paragraphs[0], text, size, bold=True, colour=ink, align=PP_ALIGN.CENTER)
    return shape


def _status_chip(slide, left, top, width, height, status: str, lang: str, size: int = 16):
    style = SHOWN_STYLES[status]  # not applicable: its word on white, no status colour
    return _chip(
        slide,
        left,
        top,
        width,
        height,
        f"{style.icon} {style.word(lang)}",
        style.colour,
        text_colour_on(style.colour),
        size,
    )


def _title(slide, text: str, size: int = 28) -> None:
    """Fill the layout's title placeholder (so outline view and screen readers see it)."""
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = (
        Inches(0.5),
        Inches(0.55),
        Inches(9.85),
        Inches(0.95),
    )
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    paragraph = frame.paragraphs[0]
    _fill_paragraph(paragraph, text, size, bold=True, colour=NAVY)


def _illustrative_tag(slide, label: str) -> None:
    if label:
        _chip(
            slide,
            Inches(10.45),
            Inches(0.3),
            Inches(2.5),
            Inches(0.45),
            label,
            ILLUSTRATIVE_FILL,
            ILLUSTRATIVE_INK,
            SMALL_PT,
        )


def _band(slide) -> None:
    """A thin navy band along the top: the deck's one ornament."""
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, SLIDE_WIDTH, Inches(0.14))
    band.fill.solid()
    band.fill.fore_color.rgb = rgb(NAVY)
    band.line.fill.background()


def _draw_title(deck, slide_data: TitleSlide) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE])
    background = slide.background.fill
    background.solid()
    background.fore_color.rgb = rgb(NAVY)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = (
        Inches(0.8),
        Inches(0.9),
        Inches(11.7),
        Inches(3.4),
    )
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    size = 30 if len(slide_data.title) < 200 else 26
    _fill_paragraph(frame.paragraphs[0], slide_data.title, size, bold=True, colour=WHITE)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
        Inches(0.8),
        Inches(4.55),
        Inches(11.7),
        Inches(1.9),
    )
    frame = subtitle.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    lines = [
        (slide_data.as_of_line, 24, True),
        (slide_data.document_line, 18, False),
        (slide_data.made_line, 16, False),
    ]
    for i, (text, size, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _fill_paragraph(paragraph, text, size, bold=bold, colour=WHITE)
        paragraph.space_after = Pt(6)
    if slide_data.illustrative:
        _chip(
            slide,
            Inches(0.8),
            Inches(6.55),
            Inches(6.2),
            Inches(0.5),
            slide_data.illustrative,
            ILLUSTRATIVE_FILL,
            ILLUSTRATIVE_INK,
            14,
        )


# A line of text under a table slide's title: (text, size in pt, bold, colour).
Line = tuple[str, int, bool, str]


def _table_slide(deck, heading: str, lines: Sequence[Line], footer: str):
    """The layout the scorecard and the tasks slides share: the band and title, `lines` under
    the title (0.45 in apart from 1.25 in), the footer at the foot. Returns the slide."""
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE_ONLY])
    _band(slide)
    _title(slide, heading)
    for n, (text, size, bold, colour) in enumerate(lines):
        top = Inches(1.25) + Inches(0.45) * n
        _text(
            slide, Inches(0.5), top, Inches(12.3), Inches(0.4), text, size, bold=bold, colour=colour
        )
    footer_top = Inches(SCORECARD_TABLE.footer_top)
    _text(slide, Inches(0.5), footer_top, Inches(12.3), Inches(0.5), footer, SMALL_PT, colour=GREY)
    return slide


def _table(slide, layout: TableLayout, headings: Sequence[str], rows: Sequence[Sequence[str]]):
    """A table of `rows` under a navy heading row, laid out by `layout` (the one that split
    the rows into parts): each row as tall as its wrapped text is estimated to be, so the
    file says what PowerPoint and LibreOffice will draw."""
    heights = [layout.row_inches(headings, [True] * len(headings))] + [
        layout.row_inches(row) for row in rows
    ]
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(layout.widths),
        Inches(0.5),
        Inches(layout.top),
        Inches(sum(layout.widths)),
        Inches(sum(heights)),
    )
    table = shape.table
    for i, width in enumerate(layout.widths):
        table.columns[i].width = Inches(width)
    for i, height in enumerate(heights):
        table.rows[i].height = Inches(height)
    for column, heading in enumerate(headings):
        _cell(table.cell(0, column), heading, layout.size, bold=True, colour=WHITE, fill=NAVY)
    return table


def _zebra(row: int) -> str:
    return "FFFFFF" if row % 2 else "F2F4F7"


def _draw_scorecard(deck, slide_data: ScorecardSlide, lang: str) -> None:
    slide = _table_slide(
        deck, slide_data.heading, [(slide_data.summary, 14, False, GREY)], slide_data.footer
    )
    _illustrative_tag(slide, slide_data.illustrative)
    if slide_data.tracked:  # a plan without targets: its tracked figures in the table's place
        table = _table(slide, TRACKED_TABLE, slide_data.tracked_columns, slide_data.tracked)
        for r, row in enumerate(slide_data.tracked, start=1):
            for column, value in enumerate(row):
                _cell(table.cell(r, column), value, TRACKED_TABLE.size, fill=_zebra(r))
        return
    if not slide_data.rows:
        return  # no figures either: the summary line says so, no empty table
    cells = [scorecard_cells(row, lang) for row in slide_data.rows]
    table = _table(slide, SCORECARD_TABLE, slide_data.columns, cells)
    size = SCORECARD_TABLE.size
    for r, (row, texts) in enumerate(zip(slide_data.rows, cells, strict=True), start=1):
        fill = _zebra(r)
        for column, value in enumerate(texts[:4]):
            _cell(
                table.cell(r, column),
                value,
                size,
                fill=fill,
                align=PP_ALIGN.RIGHT if column == 3 else PP_ALIGN.LEFT,
            )
        # a target that does not apply has no status colour: the row's own
        colour = fill if row.status == NOT_APPLICABLE else SHOWN_STYLES[row.status].colour
        _cell(
            table.cell(r, 4),
            texts[4],
            size,
            bold=True,
            colour=text_colour_on(colour),
            fill=colour,
        )


def _draw_tasks(deck, slide_data: TasksSlide) -> None:
    """The tasks summary and the overdue tasks (issue 16), laid out like the scorecard."""
    second = slide_data.note or slide_data.counts  # no report at all: say so, not "64 … "
    lines = [(slide_data.summary, 16, True, INK), (second, SMALL_PT, False, GREY)]
    slide = _table_slide(deck, slide_data.heading, lines, slide_data.footer)
    if not slide_data.rows:
        return  # nothing overdue: the summary says so
    table = _table(slide, TASKS_TABLE, slide_data.columns, slide_data.rows)
    for r, row in enumerate(slide_data.rows, start=1):
        fill = _zebra(r)
        for column, value in enumerate(row):
            _cell(table.cell(r, column), value, TASKS_TABLE.size, fill=fill)


def _cell(
    cell,
    text: str,
    size: int,
    *,
    bold: bool = False,
    colour: str = INK,
    fill: str | None = None,
    align=PP_ALIGN.LEFT,
) -> None:
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = rgb(fill)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = Inches(SCORECARD_TABLE.margin_x)
    frame = cell.text_frame
    frame.word_wrap = True
    _fill_paragraph(frame.paragraphs[0], text, size, bold=bold, colour=colour, align=align)


def _draw_indicator(deck, slide_data: IndicatorSlide, picture: bytes | None, lang: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE_ONLY])
    _band(slide)
    if slide_data.group:
        _text(
            slide,
            Inches(0.5),
            Inches(0.22),
            Inches(10.3),
            Inches(0.35),
            slide_data.group.upper(),
            SMALL_PT,
            bold=True,
            colour=GREY,
        )
    _title(slide, slide_data.heading, 26 if len(slide_data.heading) <= 42 else 22)
    _illustrative_tag(slide, slide_data.illustrative)
    if slide_data.lone is not None:
        _draw_lone_figure(slide, slide_data.lone)
        _text(slide, PANEL_LEFT, PICTURE_TOP, PANEL_WIDTH, Inches(0.9), word("no_target", lang),
              16, colour=GREY)  # fmt: skip
    elif picture is not None:
        drawn = slide.shapes.add_picture(
            io.BytesIO(picture), PICTURE_LEFT, PICTURE_TOP, width=PICTURE_WIDTH
        )
        # (python-pptx names the picture by its file, "image.png": a screen reader said that)
        described(drawn._element.nvPicPr.cNvPr, slide_data.heading, slide_data.alt)
    elif not slide_data.has_figures:  # no empty axes: say what is missing
        _text(
            slide,
            PICTURE_LEFT,
            Inches(3.2),
            PICTURE_WIDTH,
            Inches(1.0),
            word("no_chart", lang),
            20,
            colour=GREY,
            align=PP_ALIGN.CENTER,
        )

    top = PICTURE_TOP
    full = len(slide_data.targets) <= 2  # more targets: chip and target only, to fit
    for row in slide_data.targets:
        blocks = [(row.target, 15, True, INK, Inches(0.4))]
        if full:
            progress = f"{word('col_progress', lang)}: {row.progress}"
            blocks.append((progress, 14, False, GREY, Inches(0.45)))
        if top + Inches(0.55) + sum(_panel_height(*b) for b in blocks) > PANEL_BOTTOM:
            break  # the scorecard and the notes still carry it
        _status_chip(slide, PANEL_LEFT, top, PANEL_WIDTH, Inches(0.5), row.status, lang)
        top += Inches(0.55)
        for block in blocks:
            top = _panel_text(slide, top, *block)
        top += Inches(0.05)
    # a lone figure is the picture: the panel says why there is no status instead
    for number in () if slide_data.lone else slide_data.key_numbers:
        blocks = [
            (number.label, SMALL_PT, False, GREY, Inches(0.3)),
            (number.value, 18, True, INK, Inches(0.45)),
        ]
        if top + sum(_panel_height(*b) for b in blocks) > PANEL_BOTTOM:
            break  # the scorecard and the notes still carry it
        for block in blocks:
            top = _panel_text(slide, top, *block)

    # under the picture, so the panel can use the full height
    _text(
        slide,
        Inches(0.5),
        SOURCE_TOP,
        PICTURE_WIDTH,
        Inches(0.5),
        slide_data.source_line,
        SMALL_PT,
        colour=GREY,
    )
    _text(
        slide,
        Inches(0.5),
        CLAUSE_TOP,
        PICTURE_WIDTH,
        Inches(0.4),
        slide_data.clause_line,
        SMALL_PT,
        colour=GREY,
    )
    slide.notes_slide.notes_text_frame.text = "\n".join(slide_data.notes)


# A lone figure in the picture's place: the number three times a slide title's size, read from
# the back of the room; its unit and the time it covers under it.
LONE_NUMBER_PT, LONE_UNIT_PT, LONE_WHEN_PT = 88, 28, 22


def _draw_lone_figure(slide, lone: LoneFigure) -> None:
    """A tracked indicator's one figure on a pale card where its chart would be, the card's
    texts in its middle."""
    top, height = PICTURE_TOP + Inches(0.1), SOURCE_TOP - PICTURE_TOP - Inches(0.3)
    card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, PICTURE_LEFT, top,
                                  PICTURE_WIDTH, height)  # fmt: skip
    card.adjustments[0] = 0.05
    card.fill.solid()
    card.fill.fore_color.rgb = rgb("F2F4F7")
    card.line.fill.background()
    card.shadow.inherit = False
    lines = [(lone.number, LONE_NUMBER_PT, True, NAVY)]
    if lone.unit:
        lines.append((lone.unit, LONE_UNIT_PT, False, INK))
    lines.append((lone.when, LONE_WHEN_PT, False, GREY))
    inside = (PICTURE_WIDTH - 2 * TEXT_MARGIN_X) / Pt(1)
    heights = [
        int(Pt(text_height_pt(text, inside, size, bold=bold)) + 2 * TEXT_MARGIN_Y)
        for text, size, bold, _ in lines
    ]
    top += (height - sum(heights)) // 2
    for (text, size, bold, colour), line_height in zip(lines, heights, strict=True):
        _text(slide, PICTURE_LEFT, top, PICTURE_WIDTH, line_height, text, size, bold=bold,
              colour=colour, align=PP_ALIGN.CENTER)  # fmt: skip
        top += line_height


def _panel_height(text: str, size: int, bold: bool, colour: str, least) -> int:
    """The room a side panel's text takes: its box once the text wraps (a target such as
    «≈ 20 doanh nghiệp vào năm 2020» takes two lines of the 3.9 in panel), at least `least`."""
    inside = (PANEL_WIDTH - 2 * TEXT_MARGIN_X) / Pt(1)
    wrapped = Pt(text_height_pt(text, inside, size, bold=bold)) + 2 * TEXT_MARGIN_Y
    return max(int(least), int(wrapped))


def _panel_text(slide, top, text: str, size: int, bold: bool, colour: str, least):
    """One text of the side panel at `top`, as tall as its wrapped text; returns the top of
    the next one, so a text that wraps pushes the ones under it down."""
    height = _panel_height(text, size, bold, colour, least)
    _text(slide, PANEL_LEFT, top, PANEL_WIDTH, height, text, size, bold=bold, colour=colour)
    return top + height


def render_deck(slides: Sequence[Slide], pictures: dict[str, bytes], lang: str) -> bytes:
    """The .pptx bytes of `slides`; `pictures` maps indicator ids to chart PNGs."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(SLIDE_WIDTH), Emu(SLIDE_HEIGHT)
    for slide in slides:
        if isinstance(slide, TitleSlide):
            _draw_title(deck, slide)
        elif isinstance(slide, ScorecardSlide):
            _draw_scorecard(deck, slide, lang)
        elif isinstance(slide, TasksSlide):
            _draw_tasks(deck, slide)
        else:
            _draw_indicator(deck, slide, pictures.get(slide.indicator.id), lang)
    _tag_language(deck, lang)
    _describe(deck, slides, lang)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _tag_language(deck, lang: str) -> None:
    """Every run of text marked with the deck's language: untagged, PowerPoint takes the
    editing machine's (a Vietnamese deck on an English Windows was spell-checked as English,
    red underlines while presenting, and read aloud as English)."""
    tag = language_tag(lang)
    for slide in deck.slides:
        for run in slide._element.iter(qn("a:r")):
            run.get_or_add_rPr().set("lang", tag)
        for paragraph_end in slide._element.iter(qn("a:endParaRPr")):
            paragraph_end.set("lang", tag)


def _describe(deck, slides: Sequence[Slide], lang: str) -> None:
    """The file's own properties (File › Properties; the name a screen reader announces):
    python-pptx's template otherwise says an empty title, its author's name and 2013."""
    properties = deck.core_properties
    title = next((slide.title for slide in slides if isinstance(slide, TitleSlide)), "")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    properties.title = title
    properties.subject = title
    properties.author = properties.last_modified_by = ""
    properties.keywords = properties.comments = ""
    properties.created = properties.modified = now
    properties.revision = 1
    properties.language = language_tag(lang)


def chart_pictures(
    report: Report, slides: Sequence[Slide], progress: Progress | None = None
) -> dict[str, bytes]:
    """One PNG per indicator slide with figures, drawn at the size it is placed."""
    charted = [
        s for s in slides if isinstance(s, IndicatorSlide) and s.has_figures and s.lone is None
    ]
    return slide_pictures(
        report,
        charted,
        size="slide",
        width=CHART_PX,
        height=CHART_HEIGHT_PX,
        scale=CHART_SCALE,
        progress=progress,
    )


def deck_for(report: Report, progress: Progress | None = None) -> bytes:
    slides = build_slides(report)
    return render_deck(slides, chart_pictures(report, slides, progress), report.lang)


def deck_bytes(
    plan: Plan, figures: pd.DataFrame, *, progress: Progress | None = None, **options: Any
) -> bytes:
    """The whole deck for one region and as-of year: what the download buttons serve;
    `options` are `kpis.export.prepare`'s (as_of, region, lang, made, tasks, tasks_date);
    `progress(done, total)` as each chart is drawn."""
    return deck_for(prepare(plan, figures, **options), progress)


def deck_file_name(plan: Plan, as_of: int | None, lang: str) -> str:
    """'bac-kan-684-2016_2024_vi.pptx': plan id, as-of year and language, ASCII only."""
    return f"{plan.plan.id}_{as_of or 'latest'}_{lang}.pptx"
