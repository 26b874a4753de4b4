"""The progress of a target as the pages show it, on the shipped Thái Nguyên plan (review of a
provincial leader, §2): a share of the way from the 2024 baseline says so ("300%" for 27
against "hơn 25" read bare as triple the target), and «trên 80%» at exactly 80% shows its 100%
with what is still missing, never beside «Không đạt» as if complete."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kpis.dataset import load_dataset
from kpis.export import prepare
from kpis.slides import IndicatorSlide, build_slides
from tests.pages.conftest import open_every_group, texts
from tests.pages.test_indicator import metrics

PLAN = "thai-nguyen-57-2025"
AT_BOUND = {
    "vi": "100% quãng đường từ năm gốc 2024 đến mức 80%, nhưng chưa vượt mức này",
    "en": "100% of the way from the 2024 baseline to 80%, but not yet above it",
}
TASKS = {
    "vi": "300% quãng đường từ năm gốc 2024 đến mục tiêu",
    "en": "300% of the way from the 2024 baseline to the target",
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_cards_say_from_which_baseline_and_what_a_strict_bound_lacks(open_page, lang):
    page = texts(open_every_group(open_page(plan=PLAN, lang=lang)))
    progress = "Tiến độ" if lang == "vi" else "Progress"
    assert f"{progress}: {AT_BOUND[lang]}" in page
    assert f"{progress}: {TASKS[lang]}" in page
    # no card reads a bare percentage any more
    assert f"{progress}: 100%<" not in page and f"{progress}: 300%<" not in page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_indicator_page_gives_the_number_and_its_words(open_page, lang):
    at = open_page(
        "app_pages/indicator.py", plan=PLAN, id="commune_officials_digital_skills", lang=lang
    )
    progress = "Tiến độ" if lang == "vi" else "Progress"
    assert metrics(at)[progress] == ["100%"]  # METHOD's number, unchanged
    assert AT_BOUND[lang] in [c.value for c in at.caption]
    assert ("Không đạt" if lang == "vi" else "Missed") in texts(at)


def present_slide(repo_root, monkeypatch, indicator_id: str, lang: str) -> AppTest:
    """/present on the slide of `indicator_id` of the Thái Nguyên deck."""
    monkeypatch.setenv("KPI_TARGETS", str(repo_root / "targets.yaml"))
    monkeypatch.setenv("KPI_DATA", str(repo_root / "data"))
    monkeypatch.delenv("KPI_PLANS", raising=False)
    monkeypatch.chdir(repo_root)
    dataset = load_dataset(repo_root / "plans" / f"{PLAN}.yaml", repo_root / "data")
    slides = build_slides(prepare(dataset.plan, dataset.figures.table, lang=lang))
    number = next(
        i
        for i, s in enumerate(slides, start=1)
        if isinstance(s, IndicatorSlide) and s.indicator.id == indicator_id
    )
    app = AppTest.from_file(str(repo_root / "dashboard.py"), default_timeout=60)
    for key, value in {"plan": PLAN, "lang": lang, "slide": str(number)}.items():
        app.query_params[key] = value
    app.switch_page("app_pages/present.py")
    app.run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize(
    "lang, words",
    [
        ("vi", "Tiến độ: 100% từ năm gốc 2024; bằng 80%, chưa vượt"),
        ("en", "Progress: 100% from the 2024 baseline; at 80%, not yet above"),
    ],
)
def test_the_projector_slide_does_not_put_a_bare_100_under_missed(
    repo_root, monkeypatch, lang, words
):
    app = present_slide(repo_root, monkeypatch, "commune_officials_digital_skills", lang)
    assert words in texts(app)
