"""Reporting periods (plan v2 `reporting_periods`): a figure that covers «năm 2022 và 6 tháng
đầu năm 2023» is named so on the cards, the slides and the deck, never as «2023» alone."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation

from kpis.cards import build_scorecard
from kpis.dataset import load_dataset
from kpis.deck import render_deck
from kpis.errors import PlanInvalid
from kpis.export import prepare
from kpis.plan import ReportingPeriod, parse_plan
from kpis.progress import assess, effective_series
from kpis.slides import IndicatorSlide, ScorecardSlide, build_slides
from kpis.ui_text import period_words

LANG_SON_PERIOD = {
    "vi": "năm 2022 và 6 tháng đầu năm 2023",
    "en": "2022 and the first half of 2023",
}


@pytest.mark.parametrize(
    ("start", "end", "vi", "en"),
    [
        ("2022-01-01", "2023-06-30", "năm 2022 và 6 tháng đầu năm 2023", LANG_SON_PERIOD["en"]),
        ("2023-01-01", "2023-06-30", "6 tháng đầu năm 2023", "the first half of 2023"),
        (
            "2021-01-01",
            "2023-09-30",
            "năm 2021–2022 và 9 tháng đầu năm 2023",
            "2021–2022 and the first 9 months of 2023",
        ),
        ("2022-01-01", "2023-12-31", "năm 2022–2023", "2022–2023"),
        (
            "2022-03-01",
            "2023-06-30",
            "từ tháng 03/2022 đến tháng 06/2023",
            "from 03/2022 to 06/2023",
        ),
        (
            "2022-03-15",
            "2023-06-30",
            "từ ngày 15/03/2022 đến ngày 30/06/2023",
            "from 15/03/2022 to 30/06/2023",
        ),
    ],
)
def test_a_period_reads_as_a_report_says_it(start, end, vi, en):
    period = ReportingPeriod(
        year=int(end[:4]), start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end)
    )
    assert (period_words(period, "vi"), period_words(period, "en")) == (vi, en)


PLAN = """
plan:
  id: p
  title: "Kế hoạch"
  document: "1/KH-UBND"
  issued: 2023-07-04
  issuer: "UBND tỉnh Lạng Sơn"
  region: "Lạng Sơn"
  baseline_year: 2021
  reporting_periods:
{periods}
indicators:
  - id: a
    name: "A"
    unit: "cái"
"""


def _problems(periods: str) -> list[str]:
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(PLAN.format(periods=periods))
    return [f"{p.column}: {p.message_en}" for p in caught.value.problems]


def test_a_period_must_end_in_its_year_start_first_and_be_given_once():
    assert _problems("    - {year: 2022, start: 2022-01-01, end: 2023-06-30}") == [
        "plan.reporting_periods[1].end: the period ends in 2023 but `year` is 2022: figures "
        "are recorded at the year their period ends"
    ]
    assert _problems("    - {year: 2023, start: 2023-07-01, end: 2023-06-30}") == [
        "plan.reporting_periods[1].start: `start` must come before `end`"
    ]
    twice = (
        "    - {year: 2023, start: 2022-01-01, end: 2023-06-30}\n"
        "    - {year: 2023, start: 2023-01-01, end: 2023-06-30, region: 'tỉnh Lạng Sơn'}"
    )
    [problem] = _problems(twice)
    assert problem.startswith("plan.reporting_periods[2]: the year 2023 already has")


def test_a_plan_without_periods_reads_as_before():
    plan, problems = parse_plan(PLAN.replace("  reporting_periods:\n{periods}\n", ""))
    assert problems == [] and plan.periods_of("Lạng Sơn") == ()


@pytest.fixture(scope="module")
def lang_son(repo_root):
    dataset = load_dataset(repo_root / "plans" / "lang-son-147-2023.yaml", repo_root / "data")
    return dataset.plan, dataset.figures.table


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_lang_son_card_names_the_period_not_the_year(lang_son, lang):
    plan, table = lang_son
    rows = assess(plan, table, as_of=2023, regions=["Lạng Sơn"])
    card = build_scorecard(plan, table, effective_series(plan, table), rows, 2023, "Lạng Sơn", lang)
    cards = {c.indicator: c for _, group in card.groups for c in group}
    period = LANG_SON_PERIOD[lang]
    tasks = cards["provincial_st_tasks"].latest
    assert tasks.startswith(f"**60 {'nhiệm vụ' if lang == 'vi' else 'tasks'}**  \n")
    assert period[0].upper() + period[1:] in tasks
    assert "Năm 2023" not in tasks and "Year 2023" not in tasks
    assert all(period in c.latest or period.capitalize() in c.latest for c in cards.values())


def _deck(plan, table, lang: str, tmp_path) -> Presentation:
    """The deck written to a file and opened again, as a presenter would (no chart pictures:
    the words are what is checked)."""
    out = tmp_path / f"lang-son_{lang}.pptx"
    out.write_bytes(render_deck(build_slides(prepare(plan, table, lang=lang)), {}, lang))
    return Presentation(str(out))


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def _table_rows(slide) -> list[list[str]]:
    [table] = [shape.table for shape in slide.shapes if shape.has_table]
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_deck_names_the_period_and_lists_the_tracked_figures(lang_son, lang, tmp_path):
    plan, table = lang_son
    deck = _deck(plan, table, lang, tmp_path)
    slides = list(deck.slides)
    period = LANG_SON_PERIOD[lang]
    title = "\n".join(_texts(slides[0]))
    assert (
        f"Tình hình thực hiện {period} · Lạng Sơn"
        if lang == "vi"
        else f"Progress in {period} · Lạng Sơn"
    ) in title
    # the summary is not an empty page: every tracked indicator with its figure and period,
    # over as many slides as the rows need
    summaries = [s for s in slides[1:] if any(shape.has_table for shape in s.shapes)]
    assert len(summaries) == 2
    rows = [row for s in summaries for row in _table_rows(s)[1:]]
    assert len(rows) == len(plan.indicators) == 15
    figure = dict(rows)[plan.indicator("provincial_st_tasks").text("name", lang)]
    assert figure == (f"60 nhiệm vụ ({period})" if lang == "vi" else f"60 tasks ({period})")
    heading = "Số liệu theo dõi (1/2)" if lang == "vi" else "Tracked figures (1/2)"
    assert heading in _texts(summaries[0])
    # an indicator's slide: its one figure said large with its unit and period (no chart of
    # one dot), and the speaker notes name the period too
    [tasks] = [
        s for s in slides if plan.indicator("provincial_st_tasks").text("name", lang) in _texts(s)
    ]
    shown = _texts(tasks)
    unit = "nhiệm vụ" if lang == "vi" else "tasks"
    at = shown.index("60")
    assert shown[at + 1 : at + 3] == [unit, period[:1].upper() + period[1:]]
    notes = tasks.notes_slide.notes_text_frame.text
    assert period in notes.splitlines()[0]
    # no figure on any slide is called «(2023)» (the source line lists its source's years)
    sources = ("Nguồn", "Source", "Chỉ tiêu: 147", "Indicators: 147")  # (a table's footer)
    figures = [t for s in slides for t in _texts(s) if not t.startswith(sources)]
    assert [text for text in figures if "(2023)" in text] == []


def test_a_plan_with_targets_keeps_its_scorecard_and_years(repo_root):
    """Bắc Kạn's plan has no periods: its slides read exactly as before («(2024)»)."""
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    slides = build_slides(prepare(dataset.plan, dataset.figures.table, as_of=2024, lang="vi"))
    scorecards = [s for s in slides if isinstance(s, ScorecardSlide)]
    assert scorecards and all(s.rows and not s.tracked for s in scorecards)
    assert slides[0].as_of_line.startswith("Tình hình thực hiện đến năm 2024")
    values = [n.value for s in slides if isinstance(s, IndicatorSlide) for n in s.key_numbers]
    assert any(v.endswith("(2024)") for v in values)


def test_a_tracked_plan_without_figures_says_so_in_each_row(lang_son):
    plan, table = lang_son
    slides = build_slides(prepare(plan, table.iloc[0:0], region="Lạng Sơn", lang="en"))
    summaries = [s for s in slides if isinstance(s, ScorecardSlide)]
    rows = [row for s in summaries for row in s.tracked]
    assert len(rows) == 15 and {figure for _, figure in rows} == {"no figures yet"}
    deck = Presentation(io.BytesIO(render_deck(summaries, {}, "en")))
    assert all(any(shape.has_table for shape in s.shapes) for s in deck.slides)
