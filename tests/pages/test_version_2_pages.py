"""Every page opens on a plan written in version 2 of the contract (growth, period average,
"more than", ranks, a derived share, estimates, a region merged into another), in both
languages, without an exception; the estimate and the merged region's rows are there.

How the pages *show* the new forms is tested with them; this holds that none of them breaks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import plan_text

PLAN = plan_text(
    {
        "id": "rev",
        "targets": [
            {"from": 2024, "to": 2030, "min_growth": 10},
            {"year": 2030, "min": 150},
        ],
    },
    {
        "id": "grdp",
        "unit": "%",
        "value_range": [None, None],
        "targets": [{"from": 2026, "to": 2030, "mean_min": 8, "mean_max": 10}],
    },
    {"id": "st", "integer": True},
    {"id": "all", "integer": True},
    {
        "id": "share",
        "unit": "%",
        "formula": "st / all * 100",
        "targets": [{"year": 2025, "min": 80, "exclusive": True}],
    },
    {
        "id": "rank",
        "direction": "decrease",
        "integer": True,
        "value_range": [1, 63],
        "targets": [{"year": 2030, "max": 10}],
    },
    id="v2-pages",
    region="Thái Nguyên",
    baseline_year=2024,
    regions=[
        {"name": "Thái Nguyên"},
        {"name": "Bắc Kạn", "aliases": ["Bac Kan"], "until": 2025, "merged_into": "Thái Nguyên"},
    ],
)
FIGURES = (
    "indicator,year,value,region,ước tính,source\n"
    "rev,2024,100,,,Minh họa\nrev,2025,108,,,Minh họa\nrev,2026,125,,x,Minh họa\n"
    "grdp,2025,6,,,Minh họa\ngrdp,2026,9,,,Minh họa\ngrdp,2027,7.5,,ước,Minh họa\n"
    "st,2025,80,,,Minh họa\nall,2025,100,,,Minh họa\n"
    "rank,2024,20,,,Minh họa\nrank,2026,14,,,Minh họa\n"
    "st,2025,9,Bac Kan,,Minh họa\nall,2025,10,Bắc Kạn,,Minh họa\n"
    "rev,2024,50,Bắc Kạn,,Minh họa\nrev,2025,40,Bắc Kạn,,Minh họa\n"
)


@pytest.fixture
def version_2(tmp_path, monkeypatch) -> Path:
    (tmp_path / "targets.yaml").write_text(PLAN, "utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "2026.csv").write_text(FIGURES, "utf-8")
    (tmp_path / "plans").mkdir()
    return tmp_path


PAGES = [
    ("app_pages/overview.py", {}),
    ("app_pages/overview.py", {"region": "Bắc Kạn"}),
    ("app_pages/indicator.py", {"id": "rev"}),
    ("app_pages/indicator.py", {"id": "grdp"}),
    ("app_pages/indicator.py", {"id": "share", "region": "Bắc Kạn"}),
    ("app_pages/indicator.py", {"id": "rank"}),
    ("app_pages/compare.py", {}),
    ("app_pages/coverage.py", {}),
    ("app_pages/method.py", {}),
    ("app_pages/present.py", {}),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page, query", PAGES, ids=[f"{p}{q}" for p, q in PAGES])
def test_every_page_opens_on_a_version_2_plan(open_page, version_2, monkeypatch, page, query, lang):
    monkeypatch.setenv("KPI_TARGETS", str(version_2 / "targets.yaml"))
    monkeypatch.setenv("KPI_DATA", str(version_2 / "data"))
    monkeypatch.setenv("KPI_PLANS", str(version_2 / "plans"))
    at = open_page(page, lang=lang, **query)  # asserts that no exception was raised
    assert not at.error, [e.value for e in at.error]
