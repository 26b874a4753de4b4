"""views.py: the cached loader sees changed files, fails with a message, and downloads are safe."""

from __future__ import annotations

import io
import os
import shutil

import pandas as pd
import pytest

import views
from kpis.i18n import STATUS_STYLES


@pytest.fixture
def copy(tmp_path, repo_root):
    """A private copy of the shipped plan and figures."""
    shutil.copy(repo_root / "targets.yaml", tmp_path / "targets.yaml")
    shutil.copytree(repo_root / "data", tmp_path / "data")
    return tmp_path


def test_a_saved_figure_is_seen_without_restart(copy):
    targets, data = copy / "targets.yaml", copy / "data"
    first = views.load_dataset_cached(targets, data)
    assert isinstance(first, views.Dataset)
    again = views.load_dataset_cached(targets, data)
    assert len(again.figures.table) == len(first.figures.table)

    (data / "2025.csv").write_text(
        "indicator,year,value,source\npublic_st_orgs,2025,4,Báo cáo thử\n", encoding="utf-8"
    )
    after = views.load_dataset_cached(targets, data)
    assert len(after.figures.table) == len(first.figures.table) + 1
    assert 2025 in set(after.figures.table["year"])
    rows = views.assessments_cached(targets, data, 2025, ["Bắc Kạn"])
    assert [r.latest_value for r in rows if r.indicator == "public_st_orgs"] == [3.0, 4.0]


def test_an_edited_file_of_the_same_size_is_seen(copy):
    data = copy / "data" / "2024.csv"
    before = views.fingerprint(copy / "targets.yaml", copy / "data")
    key = views.cache_key(copy / "targets.yaml", copy / "data")
    stat = data.stat()
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert views.fingerprint(copy / "targets.yaml", copy / "data") != before
    assert views.cache_key(copy / "targets.yaml", copy / "data") != key  # what caches key on


def test_a_missing_or_broken_plan_is_a_message_not_a_traceback(copy):
    missing = views.load_dataset_cached(copy / "nope.yaml", copy / "data")
    assert isinstance(missing, views.LoadError)
    assert (
        "nope.yaml" in missing.message("vi") and "không tìm thấy" in missing.message("vi").lower()
    )
    assert "not found" in missing.message("en")

    no_data = views.load_dataset_cached(copy / "targets.yaml", copy / "absent")
    assert isinstance(no_data, views.LoadError) and "absent" in no_data.message("en")

    plan = copy / "targets.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("baseline_year: 2015", "baseline_yr: 2015"),
        encoding="utf-8",
    )
    broken = views.load_dataset_cached(plan, copy / "data")
    assert isinstance(broken, views.LoadError)
    assert broken.problems and "baseline_yr" in " ".join(p.format("en") for p in broken.problems)
    frame = views.problems_frame(list(broken.problems), "vi")
    assert list(frame.columns) == ["Vị trí", "Mức", "Nội dung"]


def test_csv_download_has_a_bom_and_no_runnable_formula():
    frame = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "value": [-1.5, 2.0],
            "source": ['=HYPERLINK("http://x")', "@SUM(A1)"],
            "note": ["+1", "Bắc Kạn"],
        }
    )
    raw = views.csv_bytes(frame)
    assert raw.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(back["source"]) == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    assert list(back["note"]) == ["'+1", "Bắc Kạn"]
    assert list(back["value"]) == [-1.5, 2.0]  # numbers stay numbers


def test_status_widgets_show_word_and_icon_in_the_status_colour():
    badge = views.status_badge_html("needs_acceleration", "en")
    style = STATUS_STYLES["needs_acceleration"]
    assert style.colour in badge and "Needs acceleration" in badge and style.icon in badge
    cards = views.counts_html({"achieved": 4, "missed": 2}, "vi")
    assert "<b>4</b>✔ Đã đạt" in cards and "<b>2</b>✖ Không đạt" in cards
    bar = views.progress_bar_html(0.33, 0.6, "needs_acceleration", "33%")
    assert "width:33.0%" in bar and "left:60.0%" in bar
    assert views.progress_bar_html(2.0, None, "achieved", "200%").count("width:100.0%") == 1


def test_the_loaded_data_is_shared_not_copied_on_each_run(copy):
    # st.cache_resource: every rerun gets the same objects (no unpickled copy of 100,000
    # figures), until a file changes
    targets, data = copy / "targets.yaml", copy / "data"
    first = views.load_dataset_cached(targets, data)
    assert views.load_dataset_cached(targets, data) is first
    assert views.series_cached(targets, data) is views.series_cached(targets, data)
    os.utime(data / "2024.csv", ns=(0, (data / "2024.csv").stat().st_mtime_ns + 1_000_000_000))
    assert views.load_dataset_cached(targets, data) is not first
