"""kpis/charts.py: the indicator chart has what a reader of the report (or its PNG) would look for."""

from __future__ import annotations

import html
import re

import pytest

from kpis.charts import (
    SIZES,
    _legend_rows,
    indicator_figure,
    png_config,
    sparkline_figure,
    sparkline_svg,
    status_colour,
    status_label,
    year_tick_values,
)
from kpis.dataset import load_dataset
from kpis.i18n import STATUS_STYLES
from kpis.plan import Reference
from kpis.progress import assess, effective_series
from kpis.ui_text import indicator_source_line
from tests.helpers import make_figures, make_plan

PLAN_FILES = ["targets.yaml", "plans/lang-son-147-2023.yaml", "plans/thai-nguyen-57-2025.yaml"]


@pytest.fixture(scope="module")
def shipped(repo_root):
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    series = effective_series(dataset.plan, dataset.figures.table)
    return dataset, series, assess(dataset.plan, dataset.figures.table, series=series)


def figure_for(
    shipped, indicator_id: str, lang: str = "vi", as_of: int | None = None, size: str = "screen"
):
    dataset, series, rows = shipped
    plan = dataset.plan
    region = plan.plan.region
    if as_of is not None:
        rows = assess(plan, dataset.figures.table, as_of=as_of, series=series)
    points = series[(series["indicator"] == indicator_id) & (series["region"] == region)]
    source = indicator_source_line(
        plan, plan.indicator(indicator_id), dataset.figures.table, region, as_of, lang
    )
    mine = [r for r in rows if r.indicator == indicator_id and r.region == region]
    return indicator_figure(
        plan, plan.indicator(indicator_id), points, mine, lang, as_of, source, size=size
    )


def names(fig) -> list[str]:
    return [trace.name or "" for trace in fig.data]


def shown(text: str) -> str:
    """A figure's text with Plotly's entities read (&amp; is drawn as &); tags are kept."""
    return html.unescape(text)


def annotation_texts(fig) -> list[str]:
    return [shown(a.text) for a in fig.layout.annotations]


def test_stock_with_two_dated_targets_draws_markers_expected_path_and_projection(shipped):
    fig = figure_for(shipped, "public_st_orgs")
    series = fig.data[0]
    assert series.type == "scatter" and "lines" in series.mode  # a stock is a line
    assert list(series.x)[0] == 2015 and list(series.x)[-1] == 2024
    markers = [t for t in fig.data if t.name.startswith("Mục tiêu")]
    assert [(list(m.x), list(m.y)) for m in markers] == [([2020], [3.0]), ([2030], [5.0])]
    assert all(m.marker.symbol == "triangle-up" for m in markers)
    assert [m.showlegend for m in markers] == [True, False]  # one legend entry for targets
    assert markers[1].hovertemplate.startswith("≥ 5 tổ chức vào năm 2030")
    # 2020 has passed: its marker says the status; 2030 is ahead: a dashed projection
    assert "Đã đạt" in markers[0].text[0]
    projection = [t for t in fig.data if t.type == "scatter" and t.line.dash == "dash"]
    assert len(projection) == 1
    assert list(projection[0].x) == [2024, 2030]
    assert projection[0].y[-1] == pytest.approx(4.1273, abs=1e-3)  # the CLI prints 4,13
    assert projection[0].line.color == STATUS_STYLES["needs_acceleration"].colour
    assert "Cần đẩy nhanh" in projection[0].name
    expected = [t for t in fig.data if t.type == "scatter" and t.line.dash == "dot"]
    assert list(expected[-1].x) == [2015, 2030] and list(expected[-1].y) == [2.0, 5.0]


def test_title_unit_source_and_as_of_are_inside_the_figure(shipped):
    fig = figure_for(shipped, "public_st_orgs")
    assert "Số tổ chức KH&CN công lập" in shown(fig.layout.title.text)
    subtitle = fig.layout.title.subtitle.text
    assert "tổ chức" in subtitle and "2024" in subtitle and "Bắc Kạn" in subtitle
    assert fig.layout.yaxis.title.text == "tổ chức"
    footer = " ".join(annotation_texts(fig))
    assert "Nguồn: Minh họa" in footer and "(2015–2024)" in footer
    assert "684/QĐ-UBND" in footer and "16/05/2016" in footer


def test_standing_target_is_a_band_with_reference_lines(shipped):
    fig = figure_for(shipped, "st_investment_share", lang="en")
    assert fig.data[0].type == "bar"  # a flow (here a derived share of two flows) is bars
    colours = dict(zip(fig.data[0].x, fig.data[0].marker.color, strict=True))
    achieved = STATUS_STYLES["achieved"].colour
    assert sorted(y for y, c in colours.items() if c == achieved) == [2017, 2018, 2019, 2022]
    assert "Year target met" in names(fig)  # the colour is explained in the legend
    band = [t for t in fig.data if t.type == "scatter" and t.fill == "toself"]
    assert len(band) == 1
    assert min(band[0].x) == pytest.approx(2015.5) and max(band[0].x) == pytest.approx(2030.5)
    # Decision 684's "1.5-2%" is read as a floor (the plan says so, as inferred): the band
    # starts at 1.5 and 2%, the range's top, is a reference line, not the band's top.
    assert min(band[0].y) == 1.5 and max(band[0].y) != 2.0
    assert band[0].name == "Target: ≥ 1.5% every year 2016–2030"
    # the reference line, named in its own key (legend2) above the plot; only the line the
    # decision gives (no figure from outside the sources)
    references = [t for t in fig.data if t.legend == "legend2"]
    assert [r.y[0] for r in references] == [2.0]
    keys = [shown(r.name).replace("<br>", " ") for r in references]  # their words wrap
    assert keys[0] == "2%: the top of the range «1.5-2%» (Decision 684, Section IV.3.a)"
    texts = annotation_texts(fig)
    assert not any("the top of the range" in text for text in texts)  # not on the plot
    # the source of a derived indicator is the source of its inputs
    assert "Source: Illustrative – not a reported figure" in " ".join(texts)


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_reference_lines_key_is_over_the_plot_each_entry_drawn_as_its_line(shipped, lang, size):
    # Labelled inside the plot, the 2% and 3% lines' words ran over the lines on a projector
    # and a phone: 65 px between them on a 260 px plot, 62 px for a label of two lines.
    dataset, series, rows = shipped
    plan, region = dataset.plan, dataset.plan.plan.region
    indicator = plan.indicator("st_investment_share")
    # A second line, invented here (the shipped plan has one): two lines' words in one key
    # are what crowds it.
    invented = Reference(
        value=3,
        label="Mức giả định 3% để thử hai đường tham chiếu cùng lúc",
        label_en="An assumed 3% line, to try two reference lines at once",
    )
    indicator = indicator.model_copy(update={"references": [*indicator.references, invented]})
    points = series[(series["indicator"] == indicator.id) & (series["region"] == region)]
    mine = [r for r in rows if r.indicator == indicator.id]
    fig = indicator_figure(plan, indicator, points, mine, lang, size=size)
    shape = SIZES[size]
    references = [t for t in fig.data if t.legend == "legend2"]
    assert len(references) == 2 and all(r.showlegend is not False for r in references)
    # each entry's sample is its own line: a dash no other reference line has
    assert len({r.line.dash for r in references}) == 2
    assert all(r.line.color == references[0].line.color for r in references)
    key = fig.layout.legend2
    assert key.yref == "container" and key.yanchor == "top"
    assert key.font.size == shape.font  # as large as the axes' words: read from the hall too
    # every line of the key fits the narrowest figure of its size, words and line sample
    room = shape.plot_width + shape.margin_left + 20
    for reference in references:
        for line in shown(reference.name).split("<br>"):
            assert key.itemwidth + 16 + len(line) * shape.font * 0.5 <= room, line
    # the key stands in the top margin, above the plot: its lines at plotly's 1.3 line height
    lines = sum(shown(r.name).count("<br>") + 1 for r in references)
    heading = fig.layout.margin.t - lines * shape.font * 1.3
    if shape.framed:  # under the title and subtitle
        title_bottom = (1 - key.y) * fig.layout.height
        assert title_bottom + lines * shape.font * 1.3 <= fig.layout.margin.t
        assert heading >= title_bottom
    else:
        assert key.y == 1 and heading >= 8


def test_years_are_whole_years_and_numbers_follow_the_language(shipped):
    vi, en = (
        figure_for(shipped, "st_investment_share"),
        figure_for(shipped, "st_investment_share", "en"),
    )
    ticks = list(vi.layout.xaxis.tickvals)
    assert vi.layout.xaxis.tickformat == "d" and vi.layout.xaxis.tickangle == 0
    assert {b - a for a, b in zip(ticks, ticks[1:], strict=False)} <= {1, 2}
    assert vi.layout.separators == ",." and en.layout.separators == ".,"
    assert "Đơn vị: %" in vi.layout.title.subtitle.text
    assert "Unit: %" in en.layout.title.subtitle.text


def test_as_of_hides_later_figures_and_recomputes(shipped):
    fig = figure_for(shipped, "public_st_orgs", as_of=2018)
    assert max(fig.data[0].x) == 2018
    assert "2018" in fig.layout.title.subtitle.text
    # as at 2018 the 2020 target is still ahead: projected, not yet judged
    assert sum(1 for t in fig.data if t.type == "scatter" and t.line.dash == "dash") == 2


def test_milestone_reads_done_or_not_and_cumulative_counts_up(shipped):
    fig = figure_for(shipped, "hightech_agri_zone")
    assert list(fig.layout.yaxis.ticktext) == ["Chưa", "Đã xong"]
    assert fig.data[0].line.shape == "hv"
    assert not [t for t in fig.data if t.type == "scatter" and t.line.dash == "dot"]
    cumulative = figure_for(shipped, "enterprises_tech_innovation")
    values = list(cumulative.data[0].y)
    assert values == sorted(values) and values[-1] == 24  # 2016-2024 added up
    approx_marker = [t for t in cumulative.data if t.name.startswith("Mục tiêu")][0]
    assert "≈ 20 doanh nghiệp vào năm 2020" in approx_marker.hovertemplate
    assert "Không đạt" in approx_marker.text[0]


def test_indicator_without_targets_or_figures_still_draws():
    plan = make_plan(
        {"id": "a", "kind": "flow"}, {"id": "b", "targets": [{"year": 2030, "min": 4}]}
    )
    empty = make_figures(plan, [("a", 2016, 1.5)])
    series = effective_series(plan, empty)
    fig = indicator_figure(plan, plan.indicator("a"), series[series.indicator == "a"], [], "en")
    assert [t.type for t in fig.data] == ["bar"]
    assert "Plan: 1/KH-UBND (16/05/2016)" in " ".join(annotation_texts(fig))  # no "Targets:"
    rows = [r for r in assess(plan, empty) if r.indicator == "b"]
    fig = indicator_figure(plan, plan.indicator("b"), series[series.indicator == "b"], rows, "en")
    marker = fig.data[1]  # drawn even with no data
    assert marker.name == "Target" and marker.hovertemplate.startswith(
        "≥ 4 cái (no English text yet) by 2030"  # the plan has no `unit_en`: seen, not hidden
    )


def test_small_helpers():
    assert status_colour("missed") == STATUS_STYLES["missed"].colour
    assert status_label("achieved", "en") == "✔ Achieved"
    svg = sparkline_svg([1, 2, 3], "#123456")
    assert svg.startswith("<svg") and "#123456" in svg and "polyline" in svg
    assert sparkline_svg([5]) == ""
    fig = sparkline_figure([2015, 2016], [1, 2])
    assert fig.layout.height == 60 and fig.layout.xaxis.visible is False
    config = png_config("orgs_2024", height=560)
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "filename": "orgs_2024",
        "scale": 2,
        "width": 1100,
        "height": 560,
    }


def test_every_target_year_has_a_tick_at_every_size(shipped):
    dataset = shipped[0]
    for indicator in dataset.plan.indicators:
        for size in SIZES:
            dataset, series, rows = shipped
            plan, region = dataset.plan, dataset.plan.plan.region
            points = series[(series["indicator"] == indicator.id) & (series["region"] == region)]
            mine = [r for r in rows if r.indicator == indicator.id and r.region == region]
            fig = indicator_figure(plan, indicator, points, mine, "vi", size=size)
            ticks = set(fig.layout.xaxis.tickvals)
            assert {t.end_year for t in indicator.targets} <= ticks, (indicator.id, size)
            assert len(ticks) <= SIZES[size].year_ticks + len(indicator.targets)


@pytest.mark.parametrize(
    ("first", "last", "most", "always", "apart", "expected"),
    [
        (2015, 2024, 14, [2020], 1, list(range(2015, 2025))),
        (2015, 2030, 6, [2025, 2030], 1, [2015, 2020, 2025, 2030]),
        (2016, 2030, 6, [2030], 1, [2020, 2025, 2030]),  # on multiples of the step
        (2015, 2030, 6, [2027], 1, [2015, 2020, 2027, 2030]),  # 2025 crowds 2027: dropped
        (2016, 2029, 14, [2029], 1, list(range(2016, 2030))),
        (2016, 2024, 9, [], 1.1, [2016, 2018, 2020, 2022, 2024]),  # a label 1.1 years wide
        (2015, 2030, 14, [2025], 2.5, [2015, 2020, 2025, 2030]),
        (2015, 2030, 14, [2027], 2.5, [2015, 2020, 2027, 2030]),  # 2025 within 2.5 of 2027
    ],
)
def test_year_ticks_are_regular_and_include_the_target_years(
    first, last, most, always, apart, expected
):
    assert year_tick_values(first, last, most, always, apart) == expected


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("plan_file", PLAN_FILES)
def test_year_labels_stand_apart_in_the_narrowest_plot_of_every_size(repo_root, plan_file, size):
    # /present at 1024x768 labelled every year of «Tổng đầu tư cho KH&CN» (bars, 2016-2024):
    # «2016201720182019…». Widths measured in the font the browser draws for Arial.
    from PIL import ImageFont

    shape = SIZES[size]
    font = ImageFont.truetype("LiberationSans-Regular.ttf", shape.font)
    for indicator, fig in _plan_figures(repo_root, plan_file, "vi", size):
        low, high = fig.layout.xaxis.range
        per_year = shape.plot_width / (high - low)
        ticks = list(fig.layout.xaxis.tickvals)
        for left, right in zip(ticks, ticks[1:], strict=False):
            room = (right - left) * per_year
            half_widths = (font.getlength(str(left)) + font.getlength(str(right))) / 2
            assert room - half_widths >= 0.2 * shape.font, (indicator.id, left, right, room)


def test_whole_number_indicators_have_whole_number_ticks(shipped):
    fig = figure_for(shipped, "public_st_orgs")
    assert fig.layout.yaxis.tickformat == ",d" and fig.layout.yaxis.dtick >= 1
    assert figure_for(shipped, "st_investment_share").layout.yaxis.dtick is None


def test_a_slide_chart_has_no_text_under_14_pt_where_it_is_placed(shipped):
    # the deck places the picture 8.4 in wide; drawn 800 CSS px wide, 1 px is 0.756 pt
    dataset, series, rows = shipped
    plan, region = dataset.plan, dataset.plan.plan.region
    indicator = plan.indicator("public_st_orgs")
    points = series[(series["indicator"] == indicator.id) & (series["region"] == region)]
    mine = [r for r in rows if r.indicator == indicator.id]
    fig = indicator_figure(plan, indicator, points, mine, "vi", size="slide")
    sizes = [fig.layout.font.size, fig.layout.legend.font.size]
    sizes += [a.font.size for a in fig.layout.annotations]
    sizes += [t.textfont.size for t in fig.data if t.textfont and t.textfont.size]
    assert min(sizes) * 0.75 >= 14
    assert not fig.layout.title.text  # the slide's own title and source lines carry them


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_slide_chart_is_laid_out_within_the_picture_the_deck_draws(shipped, lang):
    # The deck draws every picture at one height: a chart laid out taller would have its
    # plot squeezed below the height its reference labels are placed for.
    from kpis.deck import CHART_HEIGHT_PX

    dataset, series, rows = shipped
    plan, region = dataset.plan, dataset.plan.plan.region
    for indicator in plan.indicators:
        points = series[(series["indicator"] == indicator.id) & (series["region"] == region)]
        mine = [r for r in rows if r.indicator == indicator.id]
        fig = indicator_figure(plan, indicator, points, mine, lang, size="slide")
        assert fig.layout.height <= CHART_HEIGHT_PX, indicator.id


RANK = {
    "id": "rank",
    "unit": "hạng",
    "unit_en": "rank",
    "integer": True,
    "direction": "decrease",
    "value_range": [1, None],
    "targets": [{"year": 2030, "max": 10}],
}


def v2_figure(indicator: dict, rows: list[tuple], lang: str = "vi", **head):
    plan = make_plan(indicator, **head)
    figures = make_figures(plan, rows)
    series = effective_series(plan, figures)
    points = series[series.indicator == indicator["id"]]
    return indicator_figure(plan, plan.indicators[0], points, assess(plan, figures), lang)


def test_a_rank_is_drawn_with_rank_1_at_the_top():
    fig = v2_figure(RANK, [("rank", 2024, 20), ("rank", 2026, 14)], baseline_year=2024)
    assert fig.layout.yaxis.autorange == "reversed"  # 1 at the top, as a league table reads
    assert fig.layout.yaxis.tickformat == "d" and fig.layout.yaxis.dtick == 1  # whole ranks
    marker = next(t for t in fig.data if t.name == "Mục tiêu")
    assert marker.text[0] == "2030: trong top 10"
    assert marker.marker.symbol == "triangle-up"  # on the reversed axis "top 10" lies upwards
    # an ordinary "decrease" indicator keeps its axis the usual way round
    plain = v2_figure({**RANK, "value_range": [0, None]}, [("rank", 2024, 20), ("rank", 2026, 14)])
    assert plain.layout.yaxis.autorange is None


def test_an_exclusive_target_is_labelled_in_words():
    share = {
        "id": "share",
        "unit": "%",
        "targets": [{"year": 2025, "min": 80, "exclusive": True}],
    }
    rows = [("share", 2024, 55), ("share", 2025, 80)]
    for lang, words in (("vi", "trên 80"), ("en", "more than 80")):
        fig = v2_figure(share, rows, lang, baseline_year=2024)
        marker = next(t for t in fig.data if t.legendgroup == "targets")
        assert marker.text[0].startswith(f"2025: {words} · ")  # 80% itself: not met
        assert ("Không đạt" if lang == "vi" else "Missed") in marker.text[0]


def test_a_merged_region_is_named_with_its_dates_in_the_subtitle():
    plan = make_plan(
        {"id": "a"},
        region="Thái Nguyên",
        regions=[
            {"name": "Thái Nguyên"},
            {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"},
        ],
    )
    figures = make_figures(plan, [("a", 2024, 3, "Bắc Kạn")])
    series = effective_series(plan, figures)
    fig = indicator_figure(plan, plan.indicators[0], series, [], "vi", region="Bắc Kạn")
    subtitle = fig.layout.title.subtitle.text.replace("<br>", " ")  # wrapped for 800 px
    assert "Bắc Kạn (đến 2025, nay thuộc Thái Nguyên)" in subtitle


# Plotly's own HTML subset and templates, in every text a plan or a figures file gives a chart
LINK = '<a href="http://evil.example/login">Đăng nhập lại</a>'
STYLED = '<span style="font-size:60px">HUGE</span> <b>B</b><br>'
TEMPLATE = "%{x} %{meta[0]} $x^2$ A&B &amp; 5%"
HOSTILE = f"{LINK} {STYLED} {TEMPLATE}"
TAG = re.compile(r"<[^<>]*>")  # how Plotly splits a text into tags and text (svg_text_utils)
OUR_TAGS = {"<br>", "<b>", "</b>", "<extra>", "</extra>"}
OUR_TEMPLATES = re.compile(r"%\{(x|customdata|y(:[^}]*)?)\}")  # customdata: «(ước)» or ""


def figure_texts(value: object) -> list[str]:
    """Every string in a figure's JSON (titles, names, hover templates, ticks, annotations)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in figure_texts(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in figure_texts(item)]
    return []


def hostile_figure(lang: str = "vi", size: str = "screen"):
    plan = make_plan(
        {
            "id": "orgs",
            "name": f"name {HOSTILE}",
            "unit": f"unit {HOSTILE}",
            "unit_en": f"unit {HOSTILE}",
            "references": [{"value": 2, "label": f"ref {HOSTILE}"}],
            "targets": [{"year": 2024, "min": 5}, {"from": 2016, "to": 2024, "min": 1}],
        },
        document=f"doc {HOSTILE}",
    )
    figures = make_figures(plan, [("orgs", 2020, 1), ("orgs", 2021, 2), ("orgs", 2022, 3)])
    series = effective_series(plan, figures)
    return indicator_figure(
        plan,
        plan.indicators[0],
        series,
        assess(plan, figures, series=series),
        lang,
        source_line=f"src {HOSTILE}",
        region=f"region {HOSTILE}",
        size=size,
    )


@pytest.mark.parametrize("lang, size", [("vi", "screen"), ("en", "phone"), ("vi", "slide")])
def test_plan_and_figure_text_is_drawn_as_text_never_as_plotly_markup(lang, size):
    texts = figure_texts(hostile_figure(lang, size).to_plotly_json())
    tags = {tag for text in texts for tag in TAG.findall(text)}
    assert tags <= OUR_TAGS  # no <a>, no <span style>: the user's tags are escaped
    for text in texts:  # only our own %{x}, %{y:…}, %{customdata} are templates
        assert "%{" not in OUR_TEMPLATES.sub("", text), text
        assert "$" not in text  # a formula where MathJax is loaded
    # and each text still reads as typed, with Plotly's entities decoded
    drawn = " ".join(shown(TAG.sub(" ", text)) for text in texts)
    drawn = " ".join(drawn.split())
    typed = " ".join(TAG.sub(" ", HOSTILE).split())  # the words between the user's tags
    for field in ("name", "unit", "ref", "doc", "src", "region") if size != "slide" else ("ref",):
        assert f"{field} " in drawn
    assert "%{x} %{meta[0]} $x^2$ A&B &amp; 5%" in drawn
    assert 'href="http://evil.example/login"' in drawn  # the tag's own text, shown
    assert typed.split()[-1] in drawn


def test_a_title_wraps_with_our_line_breaks_around_the_escaped_text():
    fig = hostile_figure("vi", "phone")
    title = fig.layout.title.text
    assert title.startswith("<b>name &lt;a<br>href=") and title.endswith("</b>")
    assert title.count("<br>") >= 2  # wrapped at 27 characters: our tag, read as a tag
    assert "&lt;br&gt;" in title  # the user's <br> is text
    unit = fig.layout.yaxis.title.text
    assert unit.startswith("unit &lt;a href=") and "&#37;{x}" in unit and "A&amp;B" in unit


def _plan_figures(repo_root, plan_file: str, lang: str, size: str):
    dataset = load_dataset(repo_root / plan_file, repo_root / "data")
    plan, table = dataset.plan, dataset.figures.table
    series = effective_series(plan, table)
    rows = assess(plan, table, as_of=2024, series=series)
    region = plan.plan.region
    for indicator in plan.indicators:
        points = series[(series["indicator"] == indicator.id) & (series["region"] == region)]
        mine = [r for r in rows if r.indicator == indicator.id and r.region == region]
        source = indicator_source_line(plan, indicator, table, region, 2024, lang)
        yield (
            indicator,
            indicator_figure(plan, indicator, points, mine, lang, 2024, source, size=size),
        )


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("plan_file", PLAN_FILES)
def test_a_report_chart_prints_no_text_under_8_pt_and_its_subtitle_breaks_between_phrases(
    repo_root, plan_file, lang
):
    # The printed report's charts were screen charts shrunk into 165 mm: 5-6 pt text, and the
    # subtitle broke «Số liệu tính đến năm / 2024».
    from kpis.report import CHART_PX, TEXT_WIDTH

    points_per_px = TEXT_WIDTH / 12700 / CHART_PX  # EMU: 12700 a point
    as_of = "Số liệu tính đến năm 2024" if lang == "vi" else "Figures as at 2024"
    for indicator, fig in _plan_figures(repo_root, plan_file, lang, "report"):
        sizes = [fig.layout.font.size, fig.layout.legend.font.size, fig.layout.title.font.size]
        sizes += [fig.layout.title.subtitle.font.size]
        sizes += [a.font.size for a in fig.layout.annotations if a.font.size]
        assert min(sizes) * points_per_px >= 8, (indicator.id, min(sizes))
        lines = fig.layout.title.subtitle.text.split("<br>")
        assert any(as_of in line for line in lines), (indicator.id, lines)


def test_the_dashboard_sizes_are_not_the_reports():
    assert SIZES["screen"].font == 13 and SIZES["screen"].title_wrap == 44
    assert SIZES["report"].framed and SIZES["report"].footer >= 11


@pytest.mark.parametrize(
    ("least", "step"),
    [(0, 1), (0.4, 1), (1, 1), (1.2, 2), (2.5, 5), (5, 5), (5.1, 10), (58.5, 100), (17, 20)],
)
def test_round_step(least, step):
    from kpis.charts import round_step

    assert round_step(least) == step


@pytest.mark.parametrize("plan_file", PLAN_FILES)
def test_whole_number_axes_tick_at_round_steps(repo_root, plan_file):
    # Lạng Sơn's deck: value axes ticked at 59, 118, 177 …
    round_steps = {f * 10**n for f in (1, 2, 5) for n in range(9)}
    for size in ("screen", "slide", "report"):
        for indicator, fig in _plan_figures(repo_root, plan_file, "vi", size):
            dtick = fig.layout.yaxis.dtick
            if indicator.integer and dtick is not None:
                assert dtick in round_steps, (indicator.id, size, dtick)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_budget_shares_legend_flows_in_two_rows_on_a_projector(shipped, lang):
    # «Mục tiêu: ≥ 1,5% mỗi năm 2016–2030» made plotly lay the legend in columns as wide as
    # that entry, one entry a row: three rows under /present's plot at 1280x720. Flowing as
    # words do, «Số liệu» and «Năm đạt mục tiêu» share a row and the target has the next.
    fig = figure_for(shipped, "st_investment_share", lang=lang, size="projector")
    legend = fig.layout.legend
    assert legend.traceorder == "grouped" and legend.tracegroupgap == 0
    under = [t for t in fig.data if t.legend in (None, "legend") and t.showlegend is not False]
    groups = [t.legendgroup for t in under]
    assert all(groups) and len(set(groups)) == len(groups)  # plotly flows groups only
    assert _legend_rows(fig, SIZES["projector"]) == 2
    # the room kept under the plot is the ticks': plotly adds the rows the legend takes where
    # it is drawn (at the container's foot, the ticks' room pushed by automargin)
    assert fig.layout.margin.b == int(SIZES["projector"].font * 2.4)
    assert fig.layout.xaxis.automargin and fig.layout.legend.yref == "container"


def test_a_legend_of_short_entries_stays_on_one_row_and_a_long_one_flows():
    from types import SimpleNamespace

    shape = SIZES["projector"]  # 24 px words, a plot 640 px across at the narrowest

    def rows(*names: str) -> int:
        traces = [SimpleNamespace(name=n, showlegend=True, legend=None) for n in names]
        return _legend_rows(SimpleNamespace(data=traces), shape)

    assert rows("Số liệu") == 0  # plotly draws no legend for one entry
    assert rows("Số liệu", "Mục tiêu") == 1
    # each row as full as it gets: the long entry alone, the two short ones together
    assert rows("Số liệu", "Năm đạt mục tiêu", "Mục tiêu: ≥ 1,5% mỗi năm 2016–2030") == 2
    assert rows("Mục tiêu: ≥ 1,5% mỗi năm 2016–2030", "Số liệu", "Năm đạt mục tiêu") == 2


@pytest.mark.parametrize(
    ("lang", "expected", "projection", "status"),
    [
        ("vi", "Tiến độ cần có", "Dự báo 2030", "Cần đẩy nhanh"),
        ("en", "Expected path", "Projection 2030", "Needs acceleration"),
    ],
)
def test_a_phones_legend_is_brief_and_the_plot_keeps_what_it_leaves_out(
    shipped, lang, expected, projection, status
):
    # Four entries at their whole length took three rows of a 360 px phone's legend.
    phone = figure_for(shipped, "public_st_orgs", lang=lang, size="phone")
    screen = figure_for(shipped, "public_st_orgs", lang=lang, size="screen")
    assert expected in names(phone) and projection in names(phone)
    whole = next(n for n in names(screen) if n.startswith(f"{expected} ("))
    path = next(t for t in phone.data if t.legendgroup == "expected")
    assert path.hovertemplate.startswith(whole)  # how the path is drawn, on a tap
    assert any(n.endswith(f"2030: {status}") for n in names(screen))
    # the status word the phone's entry leaves out is labelled at the projected point
    assert any(a.text.endswith(status) for a in phone.layout.annotations)


@pytest.mark.parametrize("size", ["slide", "projector", "screen"])
def test_a_targets_label_is_drawn_over_the_lines_that_end_at_it(shipped, size):
    # «2030: ≥ 3» sat on the dashed projection rising to 3.3, which was drawn over its words.
    fig = figure_for(shipped, "st_enterprises", lang="en", size=size)
    marker = next(t for t in fig.data if t.legendgroup == "targets")
    projection = next(t for t in fig.data if (t.name or "").startswith("Trend projection 2030"))
    assert marker.x[0] == projection.x[-1] == 2030  # the line ends at the labelled marker
    assert marker.y[0] < projection.y[-1]  # and passes through the label over it
    order = list(fig.data)
    assert order.index(marker) > order.index(projection)  # drawn after: its halo covers it
    assert marker.textfont.shadow and "#FFFFFF" in marker.textfont.shadow
    # the legend keeps its order: figures, target, expected path, projection
    shown = sorted(
        (t for t in fig.data if t.showlegend is not False and t.legend in (None, "legend")),
        key=lambda t: t.legendrank,
    )
    assert [t.name.split(" ")[0] for t in shown] == ["Figures", "Target", "Expected", "Trend"]


@pytest.mark.parametrize(
    ("lang", "key", "mark"), [("vi", "Số ước", "(ước)"), ("en", "Estimate", "(estimate)")]
)
def test_a_figure_marked_as_an_estimate_is_drawn_apart_and_keyed(repo_root, lang, key, mark):
    # Thái Nguyên's 2025 figures are full-year estimates; the charts drew them as reported
    dataset = load_dataset(
        repo_root / "plans" / "thai-nguyen-57-2025.yaml", repo_root / "data", also_known=set()
    )
    plan, table = dataset.plan, dataset.figures.table
    series = effective_series(plan, table)
    rows = assess(plan, table, series=series)
    region = plan.plan.region
    for indicator_id in ("gigabit_broadband_users", "stid_spending_grdp"):  # a line, bars
        indicator = plan.indicator(indicator_id)
        points = series[(series["indicator"] == indicator_id) & (series["region"] == region)]
        mine = [r for r in rows if r.indicator == indicator_id and r.region == region]
        fig = indicator_figure(plan, indicator, points, mine, lang, 2025)
        data = fig.data[0]
        years = list(data.x)
        at = years.index(2025)
        assert list(data.customdata)[at] == f" {mark}"
        assert all(text == "" for n, text in enumerate(data.customdata) if n != at)
        assert "%{customdata}" in data.hovertemplate
        if data.type == "bar":
            assert data.marker.pattern.shape[at] == "."  # dotted (a met year is hatched)
        else:
            assert data.marker.symbol[at] == "circle-open"
            assert data.marker.symbol[0] == "circle"
        assert f"{key} (2025)" in names(fig)
    # a chart without an estimate has no such key
    bk = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    bk_series = effective_series(bk.plan, bk.figures.table)
    points = bk_series[bk_series["indicator"] == "public_st_orgs"]
    fig = indicator_figure(bk.plan, bk.plan.indicator("public_st_orgs"), points, [], lang)
    assert not any(name.startswith(key) for name in names(fig))


def _drawn_svgs(figures, width: int, height: int) -> list[str]:
    """Each figure as the browser lays it out (kpis.images' kaleido, as SVG): where plotly
    put the legend, the annotations and the tick labels, not where the layout asked."""
    from kpis import images

    async def draw() -> list[str]:
        browser = images.find_browser()
        async with images._kaleido_class()(path=browser, mathjax=False, n=1) as session:
            opts = {"format": "svg", "width": width, "height": height, "scale": 1}
            return [(await session.calc_fig(fig, opts=opts)).decode() for fig in figures]

    return images._run_in_own_thread(draw)


_TRANSLATE = re.compile(r"translate\(([-\d.]+),\s*([-\d.]+)\)")


def _drawn_boxes(svg: str) -> dict:
    """Vertical extents (top, bottom) in CSS px of the legend under the plot, the footer
    annotation (source and plan) and the x tick labels of one drawn figure."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    boxes: dict = {"ticks": []}
    for group in root.iter(f"{ns}g"):
        kind = group.get("class", "")
        if kind == "legend":
            top = float(_TRANSLATE.search(group.get("transform")).group(2))
            rect = group.find(f"{ns}rect")
            boxes.setdefault("legends", []).append((top, top + float(rect.get("height"))))
        elif kind == "annotation":
            text = "".join(group.itertext())
            inner = next(g for g in group.iter(f"{ns}g") if g.get("class") == "cursor-pointer")
            top = float(_TRANSLATE.search(inner.get("transform")).group(2))
            rect = inner.find(f"{ns}rect")
            boxes.setdefault("annotations", []).append(
                (text, (top, top + float(rect.get("height"))))
            )
        elif kind == "xtick":
            label = group.find(f"{ns}text")
            size = float(re.search(r"font-size: ([\d.]+)px", label.get("style")).group(1))
            baseline = float(label.get("y"))
            # digits stand on the baseline and rise about 0.75 em
            boxes["ticks"].append((baseline - 0.75 * size, baseline))
    return boxes


@pytest.mark.parametrize("plan_file", ["targets.yaml", "plans/thai-nguyen-57-2025.yaml"])
def test_the_cli_pngs_keep_legend_years_and_source_apart(repo_root, plan_file):
    # `python -m kpis charts` drew screen charts squeezed into 880x495: the legend over the
    # source line «Nguồn: Minh họa …» and over the lower half of the year labels.
    from kpis import images
    from kpis.export import prepare
    from kpis.slides import IndicatorSlide, build_slides, chart_for

    dataset = load_dataset(repo_root / plan_file, repo_root / "data")
    report = prepare(dataset.plan, dataset.figures.table)
    slides = [s for s in build_slides(report) if isinstance(s, IndicatorSlide)]
    figures = [chart_for(report, slide, size="image") for slide in slides]
    assert all(fig.layout.height == images.HEIGHT for fig in figures)
    for slide, svg in zip(slides, _drawn_svgs(figures, images.WIDTH, images.HEIGHT), strict=True):
        boxes = _drawn_boxes(svg)
        name = slide.indicator.id
        footer_text, footer = next(
            (text, box) for text, box in boxes["annotations"] if text.startswith(("Nguồn", "Mục"))
        )
        assert footer[1] <= images.HEIGHT, name
        years_foot = max(bottom for _, bottom in boxes["ticks"])
        assert years_foot <= footer[0], name
        for top, bottom in boxes.get("legends", []):  # (one legend entry: none drawn)
            if top < footer[0] and bottom > years_foot - 20:  # the legend under the plot
                assert top >= years_foot, (name, top, years_foot)
                assert bottom <= footer[0], (name, bottom, footer_text)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_years_that_met_the_target_are_told_apart_in_grey_print(shipped, size):
    # «Năm đạt mục tiêu» green #3C8C54 and the other bars blue #40688D print as the same grey
    # (levels 110 and 96): a handout could not show which 4 of the 9 years met the target.
    fig = figure_for(shipped, "st_investment_share", size=size)
    bars, met_key = fig.data[0], next(tr for tr in fig.data if tr.name == "Năm đạt mục tiêu")
    dataset, _, rows = shipped
    mine = [r for r in rows if r.indicator == "st_investment_share"]
    met = {int(y) for r in mine if r.region == dataset.plan.plan.region for y in r.years_met or ()}
    shapes = dict(zip(bars.x, bars.marker.pattern.shape, strict=True))
    assert {y for y, shape in shapes.items() if shape} == met and len(met) == 4
    hatch = bars.marker.pattern
    assert met_key.marker.pattern.shape == "/" == next(s for s in hatch.shape if s)
    assert met_key.marker.pattern.fgcolor == hatch.fgcolor == "#FFFFFF"  # white on the green
    assert met_key.marker.color == status_colour("achieved")


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("plan_file", PLAN_FILES)
def test_a_targets_label_stands_over_the_bars_under_it(repo_root, plan_file, size):
    # Thái Nguyên's «2025: trên 25 · ✔ Đã đạt» stood on its marker at 25, across the top of
    # the 27 tasks' navy bar: dark words on dark blue (the deck's and /present's slide 9).
    from kpis.charts import CHAR_EM
    from kpis.export import prepare
    from kpis.slides import IndicatorSlide, build_slides, chart_for

    dataset = load_dataset(repo_root / plan_file, repo_root / "data")
    report = prepare(dataset.plan, dataset.figures.table)
    shape = SIZES[size]
    lifted = 0
    for slide in build_slides(report):
        if not isinstance(slide, IndicatorSlide) or slide.indicator.kind != "flow":
            continue
        fig = chart_for(report, slide, size=size)
        bars = fig.data[0]
        low, high = fig.layout.xaxis.range
        per_year = shape.plot_width / (high - low)
        for trace in fig.data:
            if trace.legendgroup != "targets" or not trace.text:
                continue
            year, y = trace.x[0], trace.y[0]
            span = len(trace.text[0]) * shape.font * CHAR_EM / per_year
            left, right = {"top left": (year - span, year), "top right": (year, year + span)}.get(
                trace.textposition, (year - span / 2, year + span / 2)
            )
            under = [
                h
                for x, h in zip(bars.x, bars.y, strict=True)
                if left < x + 0.33 and x - 0.33 < right
            ]
            assert y >= max(under, default=y), (slide.indicator.id, trace.text[0], y, under)
            lifted += trace.mode == "text"
    if plan_file.startswith("plans/thai-nguyen"):
        assert lifted  # the 2025 tasks' label
