"""The shipped Lạng Sơn plan (147/KH-UBND, 2023) and the figures its review reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpis.catalogue import load_catalogue
from kpis.dataset import load_dataset
from kpis.progress import assess

REPO = Path(__file__).resolve().parents[1]
PLAN = REPO / "plans" / "lang-son-147-2023.yaml"

# What Part A.I of the document says, "in the period" 2022 + first half of 2023.
REPORTED = {
    "national_st_tasks": 4,
    "national_st_tasks_rural_mountain": 3,
    "national_st_tasks_urgent_local": 1,
    "provincial_st_tasks": 60,
    "provincial_st_tasks_agriculture": 28,
    "provincial_st_tasks_social_sciences": 25,
    "provincial_st_tasks_medicine": 4,
    "provincial_st_tasks_engineering": 3,
    "productivity_projects": 6,
    "productivity_enterprises_supported": 62,
    "ip_training_participants": 350,
    "ip_products_supported": 21,
    "ip_products_protected": 9,
    "st_result_certificates": 16,
    "investment_projects_tech_appraised": 34,
}


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(PLAN, REPO / "data")


def test_the_plan_validates_without_warnings(dataset):
    assert dataset.plan.plan.id == "lang-son-147-2023"
    assert dataset.plan.plan.region == "Lạng Sơn"
    assert dataset.plan.plan.document == "147/KH-UBND"
    assert dataset.problems == []


def test_every_indicator_names_its_clause_and_has_no_invented_target(dataset):
    """The copy of the document states no quantified 2024 target: every indicator is tracked."""
    for indicator in dataset.plan.indicators:
        assert indicator.clause and indicator.clause.startswith("Mục A.I."), indicator.id
        assert indicator.targets == [], indicator.id
        assert indicator.name_en and indicator.unit_en, indicator.id
    assert list(dataset.plan.targeted()) == []


def test_the_figures_are_the_documents_with_their_source(dataset):
    table = dataset.figures.table
    assert set(table["region"]) == {"Lạng Sơn"}
    assert set(table["year"]) == {2023}
    assert dict(zip(table["indicator"], table["value"], strict=True)) == REPORTED
    for row in table.itertuples():
        clause = dataset.plan.indicator(row.indicator).clause.removeprefix("Mục ")
        assert (
            row.source
            == f"Kế hoạch 147/KH-UBND ngày 04/7/2023 của UBND tỉnh Lạng Sơn, Mục {clause}"
        )
        assert "6 tháng đầu năm 2023" in row.note and "first half of 2023" in row.note
        assert not row.source.startswith("Minh họa")  # reported, not illustrative


def test_fields_add_up_to_the_totals_the_document_gives():
    fields = [v for k, v in REPORTED.items() if k.startswith("provincial_st_tasks_")]
    assert sum(fields) == REPORTED["provincial_st_tasks"]
    assert (
        REPORTED["national_st_tasks_rural_mountain"] + REPORTED["national_st_tasks_urgent_local"]
        == REPORTED["national_st_tasks"]
    )


def test_statuses_no_row_for_tracked_only_indicators(dataset):
    assert assess(dataset.plan, dataset.figures.table) == []


def test_the_plan_is_offered_beside_bac_kan_and_reads_the_shared_folder(monkeypatch):
    monkeypatch.chdir(REPO)
    for name in ("KPI_TARGETS", "KPI_DATA", "KPI_PLANS"):
        monkeypatch.delenv(name, raising=False)
    catalogue = load_catalogue()
    assert catalogue.ids[:1] == ["bac-kan-684-2016"]
    assert "lang-son-147-2023" in catalogue.ids
    assert catalogue.problems == []
    bac_kan = load_dataset()
    assert bac_kan.errors == []
    assert "Lạng Sơn" not in set(bac_kan.figures.table["region"])
