"""/present through Streamlit's AppTest: the deck's slides, one at a time, ?slide=N, both languages."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from kpis.dataset import load_dataset
from kpis.export import prepare
from kpis.progress import default_as_of
from kpis.safe_text import md_text
from kpis.slides import IndicatorSlide, TasksSlide, build_slides
from kpis.store import FolderStore
from kpis.tasks import as_of_date, read_progress, task_table


@pytest.fixture
def env(repo_root, monkeypatch):
    monkeypatch.setenv("KPI_TARGETS", str(repo_root / "targets.yaml"))
    monkeypatch.setenv("KPI_DATA", str(repo_root / "data"))
    monkeypatch.chdir(repo_root)
    return repo_root


def expected_slides(repo_root, lang: str):
    """The deck's slides, with the plan's tasks as of the end of the latest year (2024)."""
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    progress, _ = read_progress(FolderStore(repo_root / "data"), dataset.plan)
    date = as_of_date(default_as_of(dataset.figures.table))
    tasks = task_table(dataset.plan, progress, date, lang)
    return build_slides(
        prepare(dataset.plan, dataset.figures.table, lang=lang, tasks=tasks, tasks_date=date)
    )


def present(repo_root, **params: str) -> AppTest:
    app = AppTest.from_file(str(repo_root / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    app.switch_page("app_pages/present.py")
    app.run()
    assert not app.exception, app.exception
    return app


def heading(app: AppTest) -> str:
    return app.title[0].value


def position(app: AppTest) -> str:
    return next(m.value for m in app.markdown if m.value.startswith("**") and " / " in m.value)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_walks_through_exactly_the_decks_slides(env, lang):
    slides = expected_slides(env, lang)
    app = present(env, lang=lang)
    assert position(app) == f"**1 / {len(slides)}**"
    assert heading(app) == slides[0].heading
    assert app.button(key="present_previous").disabled
    for number in range(2, len(slides) + 1):
        app.button(key="present_next").click().run()
        assert not app.exception
        assert app.query_params["slide"] == str(number)
        assert heading(app) == slides[number - 1].heading
        assert position(app) == f"**{number} / {len(slides)}**"
    assert app.button(key="present_next").disabled


def test_slide_in_the_url_and_previous(env):
    slides = expected_slides(env, "vi")
    app = present(env, slide="5")
    assert heading(app) == slides[4].heading
    app.button(key="present_previous").click().run()
    assert heading(app) == slides[3].heading
    assert app.query_params["slide"] == "4"


@pytest.mark.parametrize(("given", "shown"), [("0", 1), ("abc", 1), ("999", None)])
def test_a_slide_number_out_of_range_shows_the_nearest_slide(env, given, shown):
    slides = expected_slides(env, "vi")
    app = present(env, slide=given)
    shown = shown or len(slides)
    assert heading(app) == slides[shown - 1].heading
    assert app.query_params["slide"] == str(shown)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_indicator_slide_shows_its_status_numbers_source_and_notes(env, lang):
    slides = expected_slides(env, lang)
    number, slide = next(
        (i, s)
        for i, s in enumerate(slides, start=1)
        if isinstance(s, IndicatorSlide) and s.status == "needs_acceleration"
    )
    app = present(env, slide=str(number), lang=lang)
    text = "\n".join(m.value for m in app.markdown)
    assert ("Cần đẩy nhanh" if lang == "vi" else "Needs acceleration") in text
    assert {m.label for m in app.metric} >= {k.label for k in slide.key_numbers}
    assert {m.value for m in app.metric} >= {k.value for k in slide.key_numbers}
    captions = "\n".join(c.value for c in app.caption)
    assert slide.source_line in captions and slide.clause_line in captions
    assert slide.notes[0] not in text  # the audience's window: no speaker notes
    assert slide.illustrative in text
    # the projector's chart, and the phone's that a narrow window shows instead
    assert [c.key for c in app.get("plotly_chart")] == [
        "present_chart_figure",
        "present_chart_figure_phone",
    ]

    presenter = present(env, slide=str(number), lang=lang, presenter="1")
    text = "\n".join(m.value for m in presenter.markdown)
    assert all(sentence in text for sentence in slide.notes)  # the presenter's window
    assert slides[number].heading in text  # and the next slide


def test_the_scorecard_slide_lists_its_targets_with_status_words(env):
    slides = expected_slides(env, "en")
    app = present(env, slide="2", lang="en")
    text = "\n".join(m.value for m in app.markdown)
    for row in slides[1].rows:  # one table, the plan's words escaped as text
        assert html.escape(row.name) in text and row.status_word in text
    assert slides[1].footer in [c.value for c in app.caption]  # where targets and figures come from


def test_the_tasks_slide_shows_the_count_and_the_overdue_tasks(env):
    slides = expected_slides(env, "vi")
    number, slide = next((i, s) for i, s in enumerate(slides, start=1) if isinstance(s, TasksSlide))
    app = present(env, slide=str(number))
    # no progress reported for any task (the shipped project): by deadline, not a finding
    assert heading(app) == "Nhiệm vụ quá thời hạn, chưa báo cáo (1/3)"
    text = "\n".join(m.value for m in app.markdown)
    assert "0/64 nhiệm vụ hoàn thành · 20 quá hạn (tính đến ngày 31/12/2024)" in text
    assert md_text(slide.note) in [c.value for c in app.caption]
    assert slide.note.startswith("Chưa có báo cáo tiến độ nhiệm vụ nào:")
    # one projector table (24 px type, like the scorecard's), every cell escaped as text
    assert all(f"<td>{html.escape(row[0])}</td>" in text for row in slide.rows)


def test_the_tasks_slide_shows_the_plans_document_as_text(env, tmp_path, monkeypatch):
    """The footer names the plan's document: a Markdown link or bold in it stays text."""
    document = "684 [Đăng nhập lại](http://evil.example/login) **BOLD** ceo.@evil.example"
    plan = (env / "targets.yaml").read_text(encoding="utf-8")
    assert '  document: "684/QĐ-UBND"\n' in plan
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        plan.replace('  document: "684/QĐ-UBND"', f'  document: "{document}"'), encoding="utf-8"
    )
    monkeypatch.setenv("KPI_TARGETS", str(targets))
    monkeypatch.setenv("KPI_PLANS", str(tmp_path / "none"))
    number, slide = next(
        (i, s) for i, s in enumerate(expected_slides(env, "vi"), 1) if isinstance(s, TasksSlide)
    )
    app = present(env, slide=str(number))
    footer = md_text(slide.footer.replace("684/QĐ-UBND", document))
    assert footer in [c.value for c in app.caption]
    assert "\\[Đăng nhập lại\\](http:\u2060//" in footer and "\\*\\*BOLD\\*\\*" in footer
    assert heading(app) == md_text(slide.heading)


def other_window(app: AppTest):
    """The row's link to the other window (a link button: it opens a new window)."""
    (link,) = [e for e in app.get("link_button") if e.proto.id.endswith("present_other_window")]
    return link.proto


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_other_windows_link_opens_the_same_slide_and_view(env, lang):
    app = present(env, slide="6", lang=lang, as_of="2020")
    link = other_window(app)
    assert link.label == (
        "Mở cửa sổ người trình bày" if lang == "vi" else "Open the presenter window"
    )
    path, query = link.url.split("?")
    assert path == "present"  # relative: this server, under its base path
    view = {"as_of": ["2020"], "slide": ["6"]} | ({"lang": ["en"]} if lang == "en" else {})
    assert parse_qs(query) == view | {"presenter": ["1"]}

    presenter = present(env, slide="6", lang=lang, as_of="2020", presenter="1")
    query = parse_qs(other_window(presenter).url.split("?")[1])
    assert query == view  # the audience's


def sync_script(app: AppTest) -> str:
    return next(h.proto.body for h in app.get("html") if "kpis-present" in h.proto.body)


def test_the_windows_scripts_name_this_deck_and_slide_and_no_user_text(env):
    vi = sync_script(present(env, slide="3"))
    assert "number: 3, count: " in vi
    assert vi.isascii()  # neither the plan's words nor a region's name: a hash names the deck
    deck = re.search(r'deck: "([0-9a-f]{16})"', vi).group(1)
    # another language or year is another deck: its windows do not follow these
    assert deck not in sync_script(present(env, slide="3", lang="en"))
    assert deck not in sync_script(present(env, slide="3", as_of="2020"))
    assert deck not in sync_script(present(env, slide="3", plan="thai-nguyen-57-2025"))
    assert deck in sync_script(present(env, slide="5", presenter="1"))  # same deck
