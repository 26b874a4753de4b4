"""kpis.figures.read_folder_with_rows: one parse of a data folder serves the figures, the text
rows a save rewrites and the check of the set as it will be, exactly as reading each again."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from kpis.figures import (
    read_figures,
    read_figures_as_if,
    read_folder_with_rows,
    text_rows_of,
)
from kpis.plan import load_plan
from tests.helpers import region_files

REPO = Path(__file__).resolve().parents[1]


def problems(figures) -> list[tuple]:
    return [(p.file, p.message_en, p.line, p.column, p.severity) for p in figures.problems]


@pytest.fixture
def folder(tmp_path) -> Path:
    """The shipped figures, and files the fast reader takes apart: another separator, a
    header with an empty cell, a figure given twice across files, an unreadable file."""
    data = tmp_path / "data"
    data.mkdir()
    for file in sorted((REPO / "data").glob("[0-9][0-9][0-9][0-9].csv")):
        shutil.copyfile(file, data / file.name)
    (data / "2031.csv").write_text(
        "indicator;year;value;source\nst_investment;2031;12,5;BC 1\n", encoding="utf-8"
    )
    (data / "2032.csv").write_text(
        "indicator,year,value,source,\nbiotech_lab,2032,1,BC 2,\n", encoding="utf-8"
    )
    first = sorted(data.glob("20[0-9][0-9].csv"))[0].read_text(encoding="utf-8-sig")
    (data / "2033.csv").write_text("\n".join(first.splitlines()[:3]) + "\n", encoding="utf-8")
    (data / "2034.csv").write_bytes(b"\x00\x01 not a table")
    return data


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The name of each file the reader parses from now on, once per parse (files parsed
    together and files parsed alone alike)."""
    import kpis.figures as figures_module

    names_parsed: list[str] = []
    together, alone = figures_module._parse_together, figures_module._guarded_grid

    def count_together(batch, names, *args):
        names_parsed.extend(Path(names[item.code]).name for item in batch)
        return together(batch, names, *args)

    def count_alone(raw, file, *args):
        names_parsed.append(Path(file).name)
        return alone(raw, file, *args)

    monkeypatch.setattr(figures_module, "_parse_together", count_together)
    monkeypatch.setattr(figures_module, "_guarded_grid", count_alone)
    return names_parsed


def test_one_read_gives_what_reading_again_gives(folder):
    plan = load_plan(REPO / "targets.yaml")[0]
    read = read_folder_with_rows(folder, plan)
    again = read_figures(folder, plan)
    assert problems(read.figures) == problems(again)
    assert read.figures.table.equals(again.table)
    paths = sorted(folder.glob("*.csv"))
    for (mine, mine_problems), (theirs, their_problems) in zip(
        read.rows_of(paths), text_rows_of(paths), strict=True
    ):
        assert mine.reset_index(drop=True).equals(theirs)
        assert mine_problems == their_problems


@pytest.mark.parametrize(
    "change",
    ["one file rewritten", "one removed", "new files between others", "a figure twice"],
)
def test_the_set_as_it_will_be_reads_as_when_every_file_is_read_again(folder, change):
    plan = load_plan(REPO / "targets.yaml")[0]
    read = read_folder_with_rows(folder, plan)
    names = sorted(path.name for path in folder.glob("*.csv"))
    raw = (folder / names[1]).read_bytes()
    contents: dict[str, bytes | None] = {
        "one file rewritten": {names[1]: raw.replace(b"\r\n", b"\n")},
        "one removed": {names[2]: None},
        "new files between others": {
            names[1][:4] + "-b.csv": raw,  # the same figures again, beside their file
            "2032.csv": b"indicator,year,value\nbiotech_lab,2032,-4\n",
            "zz.csv": b"\x00",
        },
        "a figure twice": {"0000.csv": raw, names[-2]: None},
    }[change]
    expected = read_figures_as_if(folder, plan, frozenset(), contents)
    assert expected.errors  # the unreadable file at least: every problem is compared
    assert problems(read.as_if(contents)) == problems(expected)
    assert read.as_if(contents).table.equals(expected.table)
    # What an import's check asks for: the same problems, the table without its texts.
    bare = read.as_if(contents, sources=False)
    assert problems(bare) == problems(expected)
    assert bare.table.equals(expected.table.drop(columns=["source", "note"]))
    # And its errors only: the same errors, in the same words.
    errors_only = read.as_if(contents, sources=False, warnings=False)
    assert [problem.message_en for problem in errors_only.errors] == [
        problem.message_en for problem in expected.errors
    ]
    assert problems(errors_only) == problems(expected)  # (this fixture names no indicator)


def test_a_check_for_errors_only_leaves_out_the_warning_of_another_indicators_name(folder):
    plan = load_plan(REPO / "targets.yaml")[0]
    read = read_folder_with_rows(folder, plan)
    other = plan.indicators[1].name
    rows = f"indicator,name,year,value\n{plan.indicators[0].id},{other},2030,1\n"
    contents: dict[str, bytes | None] = {"2035.csv": rows.encode()}
    warned = [p for p in read.as_if(contents).problems if p.column == "name"]
    assert warned and not warned[0].is_error  # a warning, which an import's check may skip
    assert not [p for p in read.as_if(contents, warnings=False).problems if p.column == "name"]


def test_an_import_in_one_turn_parses_each_saved_file_once(tmp_path, parsed):
    # A year for four region files: the plan, the rows rewritten and the check of the set as
    # it will be all come from one parse of the saved files; only the new bytes are parsed
    # again. (A parse counted per file: a slower import with the same result is what a
    # regression here looks like, so only counting can tell.)
    from kpis import store

    data = tmp_path / "data"
    data.mkdir()
    regions = ["Bắc Kạn", "Thái Nguyên", "Cao Bằng", "Lạng Sơn"]
    region_files(data, regions)
    plan = load_plan(REPO / "targets.yaml")[0]
    upload = "indicator,region,year,value,source\n" + "".join(
        f"st_investment,{region},2024,{500 + n},BC mới\n" for n, region in enumerate(regions)
    )
    table, upload_problems = store.parse_upload(upload.encode(), "upload.csv", plan)
    parsed.clear()  # the upload's own parse: not a saved file
    import_plan, result = store.import_figures(data, plan, table, upload_problems, "tester")
    assert result is not None and len(import_plan.changed) == len(regions)
    names = [f"region-{n}.csv" for n in range(len(regions))]
    # once as saved; the set as it will be takes the new files' cells from the texts they are
    # written from (test_the_set_as_it_will_be_from_the_texts_written_reads_as_their_bytes)
    assert sorted(parsed) == sorted(names)


def test_the_set_as_it_will_be_reads_only_the_files_rewritten(folder, parsed):
    # The year files are parsed together: rewriting one in the middle of them keeps the
    # others' cells (read once), and the set reads as when every file is read again.
    plan = load_plan(REPO / "targets.yaml")[0]
    read = read_folder_with_rows(folder, plan)
    names = sorted(path.name for path in folder.glob("20[12][0-9].csv"))
    middle = names[len(names) // 2]
    contents = {middle: (folder / middle).read_bytes().replace(b"\r\n", b"\n") + b"\n"}
    expected = read_figures_as_if(folder, plan, frozenset(), contents)
    parsed.clear()  # the reads above (the saved folder, the expected set): not counted
    now = read.as_if(contents)
    assert parsed == [middle]
    assert problems(now) == problems(expected)
    assert now.table.equals(expected.table)


@pytest.mark.parametrize(
    "limit, parsed_again",
    [
        (None, []),
        # the long sources become problems in the new files, found in the texts alike
        ("KPI_MAX_CELL_CHARS=20", []),
        # files past the row limit are parsed from their bytes, which words it
        ("KPI_MAX_ROWS=1", ["2024.csv", "2030.csv"]),
    ],
)
def test_the_set_as_it_will_be_from_the_texts_written_reads_as_their_bytes(
    tmp_path, parsed, monkeypatch, limit, parsed_again
):
    # A save checks the set as it will be from the texts it writes the new files from, not
    # by parsing their bytes: it must read exactly as the bytes do. Here the new files hold
    # cells canonical CSV quotes (a comma, quotes), text in another Unicode form (NFD), a
    # note that had a line break, the province's own columns and estimates.
    from kpis import store

    folder = tmp_path / "data"
    folder.mkdir()
    for file in sorted((REPO / "data").glob("20[12][0-9].csv")):
        shutil.copyfile(file, folder / file.name)
    (folder / "2030.csv").write_text(
        "indicator,region,year,value,source,note,estimate,Người nhập,name\n"
        "st_investment,Bắc Kạn,2030,1.2,BC 1,,x,An,Đầu tư\n"
        'public_st_orgs,Bắc Kạn,2030,4,BC 2,"dòng một\ndòng hai",,Bình,\n',
        encoding="utf-8",
    )
    source = unicodedata.normalize("NFD", 'Báo cáo ""số 7"", năm 2025')
    upload = (
        "indicator,region,year,value,source,note,estimate\n"
        f'st_investment,Bắc Kạn,2024,1700,"{source}",  ghi chú  ,x\n'
        "public_st_orgs,Bắc Kạn,2030,5,BC 3,,\n"
        f'st_investment,Bắc Kạn,2030,1.5,"{source}",,\n'
        "public_st_orgs,Bắc Kạn,2035,6,BC 4,,\n"
    )
    plan = load_plan(REPO / "targets.yaml")[0]
    table, upload_problems = store.parse_upload(upload.encode(), "upload.csv", plan)
    import_plan = store.plan_import(folder, plan, table, upload_problems)
    assert not import_plan.errors and import_plan.has_changes
    read = read_folder_with_rows(folder, plan)
    contents, written = store._new_files(folder, plan, import_plan, read)
    assert sorted(contents) == ["2024.csv", "2030.csv", "2035.csv"]
    assert b'"B' in contents["2024.csv"] and b"Ng" in contents["2030.csv"]  # quoted; own column
    if limit:  # (set once the saved files are read: only the new files are held to it)
        monkeypatch.setenv(*limit.split("="))
    expected = read.as_if(contents)  # the new files parsed from their bytes
    if limit:
        assert {Path(p.file).name for p in expected.errors} == {"2024.csv", "2030.csv"}
    else:
        assert problems(expected) == problems(read_figures_as_if(folder, plan, (), contents))
    parsed.clear()
    now = read.as_if(contents, written)
    assert sorted(parsed) == parsed_again
    assert problems(now) == problems(expected)
    assert now.table.equals(expected.table)


def saved_2024(tmp_path: Path):
    """A data folder holding the shipped 2024.csv alone, read once for an import."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(REPO / "data" / "2024.csv", folder / "2024.csv")
    return read_folder_with_rows(folder, load_plan(REPO / "targets.yaml")[0])


def assert_read_from_texts_as_from_bytes(read, contents, written, expected, parsed) -> None:
    """The set as it will be, its new files' cells taken from the texts `written`, parses no
    file and reads as `expected` (the new files parsed from their bytes)."""
    parsed.clear()
    now = read.as_if(contents, written)
    assert parsed == []
    assert problems(now) == problems(expected)
    assert now.table.equals(expected.table)


def test_texts_written_that_are_not_clean_read_as_their_bytes(tmp_path, parsed):
    # Whatever writes the texts (every reader gives them NFC and stripped, but a caller may
    # not), the set as it will be reads them as their bytes parse: NFC, stripped, free text
    # neutralised, a control character in a key refused with its line.
    import pandas as pd

    from kpis import store

    read = saved_2024(tmp_path)
    rows = pd.DataFrame(
        {
            "indicator": ["st_investment", "public_st_orgs", "biotech_lab\x07"],
            "region": [unicodedata.normalize("NFD", "Bắc Kạn"), " Bắc Kạn ", "Bắc Kạn"],
            "year": ["2036", "2036 ", "2036"],
            "value": ["1.5", "4", "1"],
            "source": [unicodedata.normalize("NFD", "  Báo cáo số 7 "), "BC\x0bmới", "BC"],
            "note": ["", "", ""],
            "_file": [0, 0, 0],
        }
    )
    contents, written = store._canonical_files(rows, ["2036.csv"], [()])
    expected = read.as_if(contents)
    assert expected.errors and expected.table["source"].str.startswith("Báo cáo").any()
    assert_read_from_texts_as_from_bytes(read, contents, written, expected, parsed)


def test_texts_written_in_halves_read_as_their_bytes(tmp_path, parsed, monkeypatch):
    # A national rewrite is written in two halves, whose texts are cleaned two at a time
    # (issue 14): the set as it will be reads as the bytes of its files, problems and lines
    # included, with a mistake in a file of either half.
    import pandas as pd

    from kpis import cores, store

    read = saved_2024(tmp_path)
    rows = pd.DataFrame(
        {
            "indicator": ["st_investment", "public_st_orgs\x07", "biotech_lab", "st_investment"],
            "region": [unicodedata.normalize("NFD", "Bắc Kạn"), " Bắc Kạn ", "Bắc Kạn", "Ba Bể"],
            "year": ["2036", "2037", "2038", "2038"],
            "value": ["1.5", "4", "x", "2"],
            "source": [unicodedata.normalize("NFD", "  Báo cáo số 7 "), "BC", "BC, mới", "BC"],
            "note": ["", "", "", ""],
            "_file": [0, 1, 2, 2],
        }
    )
    names = ["2036.csv", "2037.csv", "2038.csv"]
    monkeypatch.setattr(cores, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)
    contents, written = store._canonical_files(rows, names, [(), (), ()])
    assert [group.names for group in written] == [["2036.csv"], ["2037.csv", "2038.csv"]]
    expected = read.as_if(contents)  # the new files parsed from their bytes
    assert {Path(p.file).name for p in expected.errors} == {"2037.csv", "2038.csv"}
    assert_read_from_texts_as_from_bytes(read, contents, written, expected, parsed)


@pytest.mark.parametrize("note, parsed_again", [("", []), ("dòng một\ndòng hai", ["1-2020.csv"])])
def test_files_rewritten_between_files_kept_read_as_every_file_read_again(
    tmp_path, parsed, note, parsed_again
):
    # Region-decade files are parsed together; a year's import rewrites one decade of each
    # region, so the files kept and the files written from their texts alternate (issue 14:
    # each run of them is cut from the read or the texts, not looked for row by row). With
    # a file removed between two kept ones, a mistake in a kept file and in a written one,
    # the set reads as when every file is read again, problems and lines included. A note
    # with a line break has its file parsed from its bytes, between two written from texts.
    import pandas as pd

    from kpis import store

    folder = tmp_path / "data"
    folder.mkdir()
    regions = ["Bắc Kạn", "Ba Bể", "Chợ Đồn", "Ngân Sơn"]
    names = [f"{n}-{decade}.csv" for n in range(len(regions)) for decade in (2010, 2020)]
    for name in names:
        n, decade = int(name[0]), int(name[2:6])
        rows = [
            f"st_investment,{regions[n]},{year},{100 * n + year - decade},BC {year}"
            for year in range(decade, decade + 10)
        ]
        if name == "2-2010.csv":
            rows[3] = f"st_investment,{regions[2]},2013,ba,BC 2013"  # a word for a number
        (folder / name).write_text(
            "indicator,region,year,value,source\n" + "\n".join(rows) + "\n", encoding="utf-8"
        )
    plan = load_plan(REPO / "targets.yaml")[0]
    read = read_folder_with_rows(folder, plan)
    rewritten = ["0-2020.csv", "1-2020.csv", "3-2020.csv"]
    rows = pd.DataFrame(
        {
            "indicator": ["st_investment"] * 3,
            "region": [regions[0], regions[1], regions[3]],
            "year": ["2025", "2025", "2025"],
            "value": ["7", "x", "9"],  # a mistake in the second file written
            "source": ["BC mới, 2026", "BC", unicodedata.normalize("NFD", " Báo cáo ")],
            "note": ["", note, ""],
            "_file": [0, 1, 2],
        }
    )
    contents, written = store._canonical_files(rows, rewritten, [(), (), ()])
    contents["2-2020.csv"] = None  # removed: the files either side of it are kept
    expected = read_figures_as_if(folder, plan, frozenset(), contents)
    assert {Path(p.file).name for p in expected.errors} == {"2-2010.csv", "1-2020.csv"}
    parsed.clear()
    now = read.as_if(contents, written)
    assert sorted(set(parsed)) == parsed_again  # (a line break: tried in a batch, then alone)
    assert problems(now) == problems(expected)
    assert now.table.equals(expected.table)


def test_rows_of_files_joined_are_their_rows_one_after_the_other(folder):
    # A year's import takes the rows of the files it rewrites from the read as one table
    # (issue 14), each row with its file: the rows `rows_of` gives each file, in order,
    # whether the files are next to each other in a batch read together or not, and across
    # batches under other headers.
    import pandas as pd

    plan = load_plan(REPO / "targets.yaml")[0]
    read = read_folder_with_rows(folder, plan)
    years = sorted(folder.glob("20[12][0-9].csv"))
    other = [folder / "2031.csv", folder / "2033.csv"]  # another header, then the years' again
    for paths in (years, years[::2], years[1:3] + years[-1:], years[:2] + other):
        joined = read.joined_rows_of(paths)
        each = read.rows_of(paths)
        expected = pd.concat([table for table, _ in each], ignore_index=True)
        assert joined.table.equals(expected)
        assert joined.files.tolist() == [i for i, (t, _) in enumerate(each) for _ in range(len(t))]
        assert joined.columns == [tuple(table.columns) for table, _ in each]


def test_rows_of_files_joined_are_none_where_a_file_is_read_on_its_own(folder):
    # A file with a problem, one whose header has an empty cell, one the read did not parse:
    # its rows are read as `rows_of` reads them (and its problem said), not joined.
    first = sorted(folder.glob("20[12][0-9].csv"))[0]
    lines = first.read_text(encoding="utf-8-sig").splitlines()
    (folder / "2035.csv").write_text(f"{lines[0]}\nbiotech_lab\x07{lines[1][11:]}\n")
    plan = load_plan(REPO / "targets.yaml")[0]
    read = read_folder_with_rows(folder, plan)
    assert read.rows_of([folder / "2035.csv"])[0][1]  # (its problem: a control character)
    for odd in ("2032.csv", "2035.csv", "missing.csv"):
        assert read.joined_rows_of([first, folder / odd]) is None
    assert read.joined_rows_of([first]) is not None
