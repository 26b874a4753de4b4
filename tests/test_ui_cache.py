"""ui/cache.py: the cached loader sees changed files, fails with a message, shares what it loads."""

from __future__ import annotations

import os
import shutil

import pytest

from ui import cache, widgets


@pytest.fixture
def copy(tmp_path, repo_root):
    """A private copy of the shipped plan and figures."""
    shutil.copy(repo_root / "targets.yaml", tmp_path / "targets.yaml")
    shutil.copytree(repo_root / "data", tmp_path / "data")
    return tmp_path


def test_a_saved_figure_is_seen_without_restart(copy):
    targets, data = copy / "targets.yaml", copy / "data"
    first = cache.load_dataset_cached(targets, data)
    assert isinstance(first, cache.Dataset)
    again = cache.load_dataset_cached(targets, data)
    assert len(again.figures.table) == len(first.figures.table)

    (data / "2025.csv").write_text(
        "indicator,year,value,source\npublic_st_orgs,2025,4,Báo cáo thử\n", encoding="utf-8"
    )
    after = cache.load_dataset_cached(targets, data)
    assert len(after.figures.table) == len(first.figures.table) + 1
    assert 2025 in set(after.figures.table["year"])
    rows = cache.assessments_cached(targets, data, 2025, ["Bắc Kạn"])
    assert [r.latest_value for r in rows if r.indicator == "public_st_orgs"] == [3.0, 4.0]


def test_an_edited_file_of_the_same_size_is_seen(copy):
    data = copy / "data" / "2024.csv"
    before = cache.fingerprint(copy / "targets.yaml", copy / "data")
    key = cache.cache_key(copy / "targets.yaml", copy / "data")
    stat = data.stat()
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert cache.fingerprint(copy / "targets.yaml", copy / "data") != before
    assert cache.cache_key(copy / "targets.yaml", copy / "data") != key  # what caches key on


def test_a_missing_or_broken_plan_is_a_message_not_a_traceback(copy):
    missing = cache.load_dataset_cached(copy / "nope.yaml", copy / "data")
    assert isinstance(missing, cache.LoadError)
    assert (
        "nope.yaml" in missing.message("vi") and "không tìm thấy" in missing.message("vi").lower()
    )
    assert "not found" in missing.message("en")

    no_data = cache.load_dataset_cached(copy / "targets.yaml", copy / "absent")
    assert isinstance(no_data, cache.LoadError) and "absent" in no_data.message("en")

    plan = copy / "targets.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("baseline_year: 2015", "baseline_yr: 2015"),
        encoding="utf-8",
    )
    broken = cache.load_dataset_cached(plan, copy / "data")
    assert isinstance(broken, cache.LoadError)
    assert broken.problems and "baseline_yr" in " ".join(p.format("en") for p in broken.problems)
    frame = widgets.problems_frame(list(broken.problems), "vi")
    assert list(frame.columns) == ["Vị trí", "Mức", "Nội dung"]


def test_the_loaded_data_is_shared_not_copied_on_each_run(copy):
    # st.cache_resource: every rerun gets the same objects (no unpickled copy of 100,000
    # figures), until a file changes
    targets, data = copy / "targets.yaml", copy / "data"
    first = cache.load_dataset_cached(targets, data)
    assert cache.load_dataset_cached(targets, data) is first
    assert cache.series_cached(targets, data) is cache.series_cached(targets, data)
    os.utime(data / "2024.csv", ns=(0, (data / "2024.csv").stat().st_mtime_ns + 1_000_000_000))
    assert cache.load_dataset_cached(targets, data) is not first
