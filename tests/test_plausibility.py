"""Jumps against the previous year, stale "Minh họa" sources, years not yet come and regions
close to known ones, judged on real saved files."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from kpis import plausibility, store
from kpis.errors import WarningsNotAccepted
from kpis.plan import load_plan
from tests.helpers import files_bytes

ILLUSTRATIVE = "Minh họa – không phải số liệu thực tế (illustrative, not from a real report)"


@pytest.fixture(scope="module")
def plan(repo_root):
    return load_plan(repo_root / "targets.yaml")[0]


def preview(data_dir, plan, text: str):
    table, problems = store.parse_upload(text.encode("utf-8"), "upload.csv", plan)
    return store.plan_import(data_dir, plan, table, problems)


def warnings_en(planned) -> list[str]:
    return [p.format("en") for p in planned.warnings]


@pytest.mark.parametrize(
    "value, words",
    [
        ("76500000", "is about 910 times the 2023 figure (84100)"),
        ("84", "is about 1/1000 of the 2023 figure (84100)"),
        ("841", "is about 1/100 of the 2023 figure (84100)"),
        ("8410000", "is about 100 times the 2023 figure (84100)"),
        # a ratio that is no power of ten is not rounded to one
        ("1500", "is about 1/56 of the 2023 figure (84100)"),
    ],
)
def test_a_jump_against_the_previous_year_is_a_warning_naming_both(data_dir, plan, value, words):
    planned = preview(
        data_dir, plan, f"indicator,year,value,source\nst_investment,2024,{value},BC\n"
    )
    assert planned.errors == []
    [jump] = [w for w in warnings_en(planned) if "times" in w or "1/" in w]
    assert jump.startswith(
        "upload.csv:2: value: warning: «Total investment in science and technology» (Bắc Kạn) "
        "2024: "
    )
    assert words in jump and value in jump


def test_an_ordinary_change_gives_no_jump_warning(data_dir, plan):
    planned = preview(data_dir, plan, "indicator,year,value,source\nst_investment,2024,90000,BC\n")
    assert planned.warnings == []


def test_a_file_with_several_years_is_judged_against_itself(data_dir, plan):
    text = "indicator,year,value,source\nst_investment,2025,95,BC\nst_investment,2026,95000,BC\n"
    jumps = warnings_en(preview(data_dir, plan, text))
    # 2025 against the saved 2024 (76500); 2026 against the 2025 of the same file (95).
    assert [w.split(": ")[0] for w in jumps] == ["upload.csv:2", "upload.csv:3"]
    assert "the 2024 figure (76500)" in jumps[0] and "the 2025 figure (95)" in jumps[1]


def test_a_count_that_changes_sign_is_a_warning():
    plan_ = load_plan_text()
    saved = pd.DataFrame(
        {"indicator": ["net"], "region": ["Bắc Kạn"], "year": [2023], "value": [4.0]}
    )
    changes = pd.DataFrame(
        {"indicator": ["net"], "region": ["Bắc Kạn"], "year": [2024], "new": [-4.0], "line": [2]}
    )
    incoming = changes.rename(columns={"new": "value"})
    [warning] = plausibility.jumps(plan_, saved, incoming, changes, "f.csv")
    assert warning.message("en") == (
        "«net» (Bắc Kạn) 2024: -4 changes sign from the 2023 figure (4): check the minus sign"
    )
    assert "đổi dấu" in warning.message("vi")


def test_saved_figures_coded_by_their_reader_give_the_same_jumps(tmp_path, plan):
    # The saved million is not coded again: its reader's codes are used, the upload's texts
    # mapped onto them (a region not saved gets a code of its own). Every warning is the one
    # coding everything afresh gives, also where the codes do not fit the table.
    from kpis.figures import read_figures
    from tests.helpers import region_files

    data = tmp_path / "data"
    data.mkdir()
    regions = ["Bắc Kạn", "Thái Nguyên", "Cao Bằng", "Lạng Sơn"]
    region_files(data, regions)
    saved = read_figures(data, plan)
    assert saved.keys is not None and not saved.errors
    changes = pd.DataFrame(
        {
            "indicator": ["st_investment"] * 5,
            "region": ["Cao Bằng", "Bắc Kạn", "Hà Giang", "Lạng Sơn", "Thái Nguyên"],
            "year": [2025, 2025, 2025, 2027, 2024],
            "new": [1024.0 * 1000, 1.0, 5.0, 1034.0 / 100, 1021.0],
            "line": [2, 3, 4, 5, 6],
        }
    )
    incoming = changes.rename(columns={"new": "value"})
    table = saved.table
    fresh = plausibility.jumps(plan, table, incoming, changes, "upload.csv")
    coded = plausibility.jumps(plan, table, incoming, changes, "upload.csv", saved.keys)
    assert [p.format("en") for p in coded] == [p.format("en") for p in fresh]
    assert {p.line for p in fresh} == {2, 3, 5}  # Hà Giang is new; 2024 is not a jump
    unfitting = (saved.keys.indicator, (saved.keys.region[0][:-1], saved.keys.region[1]))
    assert plausibility.jumps(plan, table, incoming, changes, "upload.csv", unfitting) == fresh


def load_plan_text():
    from tests.helpers import make_plan

    return make_plan({"id": "net", "integer": True})


def test_a_changed_value_under_a_minh_hoa_source_is_a_warning(data_dir, plan):
    planned = preview(
        data_dir,
        plan,
        f'indicator,year,value,source\ncollective_trademarks,2024,5,"{ILLUSTRATIVE}"\n',
    )
    [warning] = planned.warnings
    assert warning.column == "source" and warning.line == 2
    assert "giá trị đổi từ 4 thành 5 nhưng nguồn vẫn ghi «Minh họa»" in warning.message("vi")
    assert list(planned.changed["fields"]) == ["value"]


def test_changed_lists_only_what_changed_and_says_which_field(data_dir, plan):
    text = (
        "indicator,year,value,source,note\n"
        f'collective_trademarks,2024,4,"{ILLUSTRATIVE}",\n'  # same: unchanged
        f'biotech_lab,2024,0,"{ILLUSTRATIVE}",kiểm tra lại\n'  # the note only
        "enterprises_tech_innovation,2024,2,Báo cáo 7/BC-SKHCN,\n"  # the source only
    )
    planned = preview(data_dir, plan, text)
    assert len(planned.unchanged) == 1
    fields = dict(zip(planned.changed["indicator"], planned.changed["fields"], strict=True))
    assert fields == {"biotech_lab": "note", "enterprises_tech_innovation": "source"}


def test_a_thousands_warning_on_a_figure_sent_again_unchanged_is_not_shown(data_dir, plan):
    text = "indicator,year,value,source\ntotal_budget_spending,2025,7.012,BC 9\n"
    first = preview(data_dir, plan, text)
    assert any("7.012 is read as 7.012" in w for w in warnings_en(first))
    store.apply_import(data_dir, plan, first, "an", accept_warnings=True)
    again = preview(data_dir, plan, text)  # nothing about to be written: nothing to check
    assert len(again.unchanged) == 1 and again.warnings == []


def test_warnings_must_be_accepted_before_anything_is_written(data_dir, plan):
    before = files_bytes(data_dir)
    planned = preview(
        data_dir, plan, "indicator,year,value,source\nst_investment,2024,81.500,BC 45\n"
    )
    assert len(planned.warnings) == 2  # the thousands dot, and 1/1000 of 2023's 84100
    with pytest.raises(WarningsNotAccepted):
        store.apply_import(data_dir, plan, planned, "an")
    assert files_bytes(data_dir) == before
    table, problems = store.parse_upload(
        b"indicator,year,value,source\nst_investment,2024,81.500,BC 45\n", "u.csv", plan
    )
    _, written = store.import_figures(data_dir, plan, table, problems, "an")
    assert written is None and files_bytes(data_dir) == before
    done = store.apply_import(data_dir, plan, planned, "an", accept_warnings=True)
    assert done.changed == 1


def test_another_spelling_of_a_saved_region_is_an_error_in_the_preview(data_dir, plan):
    # A second region saved first: "Thái Nguyên".
    store.import_figures(
        data_dir,
        plan,
        *store.parse_upload(
            "indicator,region,year,value,source\nst_enterprises,Thái Nguyên,2024,7,BC\n".encode(),
            "a.csv",
            plan,
        ),
        "an",
        accept_warnings=True,
    )
    for spelling in ("THÁI NGUYÊN", "Thai Nguyen", "tỉnh Thái Nguyên"):
        planned = preview(
            data_dir,
            plan,
            f"indicator,region,year,value,source\nst_enterprises,{spelling},2025,8,BC\n",
        )
        [error] = planned.errors
        assert (error.line, error.column) == (2, "region")
        assert error.message("vi").startswith(f"địa bàn «{spelling}» chỉ khác «Thái Nguyên»")


def test_a_new_region_close_to_a_known_one_is_a_warning_to_accept(data_dir, plan):
    planned = preview(
        data_dir, plan, "indicator,region,year,value,source\nst_enterprises,Bắc Cạn,2024,8,BC\n"
    )
    assert planned.errors == []
    [warning] = planned.warnings
    assert warning.message("vi") == (
        "địa bàn mới «Bắc Cạn» gần giống «Bắc Kạn» đã có: nếu là một, ghi «Bắc Kạn»; nếu đúng "
        "là địa bàn mới, đánh dấu đã kiểm tra rồi lưu"
    )
    with pytest.raises(WarningsNotAccepted):
        store.apply_import(data_dir, plan, planned, "an")


def test_the_plans_region_misspelt_is_one_error_not_two(data_dir, plan):
    planned = preview(
        data_dir, plan, "indicator,region,year,value,source\nst_enterprises,BẮC KẠN,2024,8,BC\n"
    )
    assert [(p.line, p.column) for p in planned.problems] == [(2, "region")]


def test_a_region_far_from_every_known_one_is_a_warning_naming_the_known_ones(data_dir, plan):
    planned = preview(
        data_dir, plan, "indicator,region,year,value,source\nst_enterprises,Cao Bằng,2024,8,BC\n"
    )
    assert planned.errors == []
    [warning] = planned.warnings
    assert (warning.line, warning.column) == (2, "region")
    assert warning.message("vi") == (
        "địa bàn mới «Cao Bằng»: chưa có số liệu nào của địa bàn này (đã có: Bắc Kạn); nếu ghi "
        "nhầm, hãy sửa; nếu đúng là địa bàn mới, đánh dấu đã kiểm tra rồi lưu"
    )
    with pytest.raises(WarningsNotAccepted):
        store.apply_import(data_dir, plan, planned, "an")
    again = preview(
        data_dir, plan, "indicator,region,year,value,source\nst_enterprises,Cao Bằng,2024,8,BC\n"
    )
    store.apply_import(data_dir, plan, again, "an", accept_warnings=True)
    # once saved, it is a known region: its next figures are not news
    later = preview(
        data_dir, plan, "indicator,region,year,value,source\nst_enterprises,Cao Bằng,2023,7,BC\n"
    )
    assert later.problems == []


def test_a_year_not_yet_come_is_one_warning_naming_its_first_line_and_rows(data_dir, plan):
    this_year = dt.date.today().year
    typed = this_year + 26  # 2052 typed for 2026
    before = files_bytes(data_dir)
    planned = preview(
        data_dir,
        plan,
        "indicator,year,value,source\n"
        f"st_enterprises,{this_year},8,BC\n"
        f"st_investment,{typed},90000,BC\n"
        f"public_st_orgs,{typed},4,BC\n",
    )
    assert planned.errors == []
    [warning] = planned.warnings
    assert (warning.line, warning.column) == (3, "year")
    assert warning.message("vi").startswith(
        f"năm {typed} chưa đến (nay là năm {this_year}): 2 dòng ghi năm này; nếu gõ nhầm năm"
    )
    with pytest.raises(WarningsNotAccepted):
        store.apply_import(data_dir, plan, planned, "an")
    assert files_bytes(data_dir) == before  # no «{typed}.csv» until someone has looked


def test_figures_of_this_year_and_earlier_give_no_year_warning():
    news = pd.DataFrame({"year": [1990, dt.date.today().year], "line": [2, 3]})
    assert plausibility.future_years(news, "u.csv", dt.date.today().year) == []


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("pairs_count", [6, 40])
def test_the_previous_figure_is_the_latest_earlier_one_of_its_pair(seed, pairs_count):
    # Against a plain reading of the rule: gaps, first years, blank values, a figure the file
    # gives again (the file's wins) and keys given twice (the later wins), on random series;
    # with many pairs, keys given twice are rare, and the year before is mostly found by the
    # hashing of the years just before those asked about.
    rng = random.Random(seed)
    step = plausibility._YEAR_STEP

    def figures(count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pairs = [rng.randrange(pairs_count) for _ in range(count)]
        years = [rng.choice(range(2015, 2026)) for _ in range(count)]
        values = [rng.choice([np.nan, 0.0, 1.0, 250.0, -3.0]) for _ in range(count)]
        keys = np.asarray(
            [p * step + y - plausibility._YEAR_BASE for p, y in zip(pairs, years, strict=True)]
        )
        return keys, np.asarray(values), np.asarray(years, dtype=np.int64)

    given, kept = figures(rng.randrange(0, 12)), figures(rng.randrange(0, 60))
    asked = figures(25)[0]
    # A saved key given twice (the later with another value) in a year just before none of
    # those asked about: the year before the others is still found by hashing.
    far = np.flatnonzero(~np.isin(kept[0] % step, (asked - 1) % step))[:1]
    if seed % 3 == 0 and len(far):
        again = (kept[0][far], np.array([999.0]), kept[2][far])
        kept = tuple(np.concatenate([part, more]) for part, more in zip(kept, again, strict=True))
    prev, prev_year, found = plausibility._previous_figures(asked, given, kept)
    latest: dict[int, tuple[float, int]] = {}
    for keys, values, years in (kept, given):
        for key, value, year in zip(keys.tolist(), values.tolist(), years.tolist(), strict=True):
            if keys is kept[0] and key in given[0]:
                continue
            latest[key] = (value, year)
    for i, key in enumerate(asked.tolist()):
        earlier = [k for k in latest if k < key and k // step == key // step]
        assert found[i] == bool(earlier)
        if earlier:
            value, year = latest[max(earlier)]
            assert prev_year[i] == year
            assert (np.isnan(prev[i]) and np.isnan(value)) or prev[i] == value
