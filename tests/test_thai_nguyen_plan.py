"""The shipped Thái Nguyên plan under Resolution 57-NQ/TW (2025): the targets the news report
gives, "trên"/"hơn" as exclusive, Bắc Kạn as a merged region, and its illustrative figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpis.catalogue import load_catalogue
from kpis.dataset import load_dataset
from kpis.progress import assess

REPO = Path(__file__).resolve().parents[1]
PLAN = REPO / "plans" / "thai-nguyen-57-2025.yaml"
SOURCE_WORDS = {  # the report's wording, as each target's note quotes it
    "coverage_5g": (60, True, "tỷ lệ phủ sóng 5G trên toàn tỉnh đạt trên 60%"),
    "gigabit_broadband_users": (60, True, "có trên 60% người sử dụng"),
    "stid_spending_grdp": (2, False, "phấn đấu dành tối thiểu 2% GRDP"),
    "commune_officials_digital_skills": (80, True, "Trên 80% cán bộ, công chức cấp xã"),
    "st_enterprises_built": (12, False, "xây dựng ít nhất 12 doanh nghiệp"),
    "provincial_science_tasks": (25, True, "triển khai hơn 25 nhiệm vụ khoa học cấp tỉnh"),
    "location_free_procedures": (70, True, "đảm bảo trên 70% thủ tục hành chính"),
}


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(PLAN, REPO / "data")


def test_the_plan_and_its_figures_validate(dataset):
    assert dataset.plan.plan.id == "thai-nguyen-57-2025"
    assert dataset.plan.plan.region == "Thái Nguyên"
    assert dataset.problems == []


def test_each_target_is_the_reports_with_its_words_and_strictness(dataset):
    plan = dataset.plan
    targeted = {ind.id: target for ind, _, target in plan.targeted()}
    assert set(targeted) == set(SOURCE_WORDS)  # the cut-off "100% các thủ tục..." is not here
    for indicator_id, (bound, exclusive, words) in SOURCE_WORDS.items():
        target = targeted[indicator_id]
        assert (target.year, target.min, target.exclusive) == (2025, bound, exclusive)
        # "trên"/"hơn" are strict; "tối thiểu"/"ít nhất" are not
        assert bool(re.search(r"\b(trên|hơn|Trên)\b \d", target.note)) == exclusive
        assert words in target.note and target.note_en, indicator_id
    assert "100%" not in PLAN.read_text("utf-8").split("indicators:")[1]


def test_everything_has_its_english_and_what_is_inferred_is_said(dataset):
    info = dataset.plan.plan
    assert info.title_en and info.notes_en
    assert "suy ra" in info.notes and "Inferred" in info.notes_en  # year 2025, date, baseline
    for indicator in dataset.plan.indicators:
        assert indicator.name_en and indicator.unit_en, indicator.id
        assert bool(indicator.notes) == bool(indicator.notes_en), indicator.id


def test_the_pii_top_10_of_2023_is_a_fact_not_a_target(dataset):
    rank = dataset.plan.indicator("pii_rank")
    assert rank.targets == [] and rank.direction == "decrease"
    assert list(rank.value_range) == [1, None]
    assert "top 10" in rank.notes and "không phải mục tiêu" in rank.notes


def test_bac_kan_is_declared_merged_and_keeps_its_own_figures(dataset):
    bac_kan = dataset.plan.region("Bắc Kạn")
    assert (bac_kan.until, bac_kan.merged_into) == (2025, "Thái Nguyên")
    table = dataset.figures.table
    own = table[table["region"] == "Bắc Kạn"]
    assert set(own["indicator"]) == {"pii_rank"} and own["year"].max() <= 2024
    # nothing summed or carried over: Thái Nguyên's series is only its own rows
    tn = table[(table["region"] == "Thái Nguyên") & (table["indicator"] == "pii_rank")]
    assert dict(zip(tn["year"], tn["value"], strict=True)) == {2022: 12, 2023: 9, 2024: 11}
    assert table["source"].str.startswith("Minh họa").all()


def test_the_illustrative_figures_make_a_mix_of_statuses(dataset):
    rows = assess(dataset.plan, dataset.figures.table)
    tn = {r.indicator: r for r in rows if r.region == "Thái Nguyên"}
    assert {k: r.status for k, r in tn.items()} == {
        "coverage_5g": "achieved",
        "gigabit_broadband_users": "missed",  # an estimate of 58.7%
        "stid_spending_grdp": "achieved",  # 2.1% estimated, "tối thiểu 2%"
        "commune_officials_digital_skills": "missed",  # exactly 80%: not "trên 80%"
        "st_enterprises_built": "achieved",  # exactly 12: "ít nhất 12"
        "provincial_science_tasks": "achieved",
        "location_free_procedures": "no_data",
    }
    assert tn["gigabit_broadband_users"].latest_is_estimate
    assert not tn["coverage_5g"].latest_is_estimate
    # Bắc Kạn existed until 2025: its rows for the 2025 targets have no figure to judge
    assert {r.status for r in rows if r.region == "Bắc Kạn"} == {"no_data"}


def test_the_catalogue_offers_it_and_the_default_plan_stays_decision_684(monkeypatch):
    monkeypatch.chdir(REPO)
    for name in ("KPI_TARGETS", "KPI_DATA", "KPI_PLANS"):
        monkeypatch.delenv(name, raising=False)
    catalogue = load_catalogue()
    assert catalogue.ids[0] == "bac-kan-684-2016"
    assert "thai-nguyen-57-2025" in catalogue.ids and catalogue.problems == []
    bac_kan = load_dataset()
    assert bac_kan.errors == [] and set(bac_kan.figures.table["region"]) == {"Bắc Kạn"}
    assert bac_kan.figures.table["year"].max() == 2024  # Thái Nguyên's 2025 does not leak in
