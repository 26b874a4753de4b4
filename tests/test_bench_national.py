"""bench/bench_national.py --set: a data set made elsewhere, measured as the generated ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_a_set_made_elsewhere_is_measured_without_generating_one(tmp_path):
    # The shipped plans and figures: a set bench/ did not write, its data folder shared by
    # three plans, its files with their own columns and regions.
    given = tmp_path / "shipped"
    given.mkdir()
    shutil.copy(REPO / "targets.yaml", given)
    shutil.copytree(REPO / "data", given / "data")
    shutil.copytree(REPO / "plans", given / "plans")
    before = {f.name: f.read_bytes() for f in (given / "data").iterdir()}
    result = subprocess.run(
        [sys.executable, "bench/bench_national.py", "--set", str(given), "--repeat", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = result.stdout.split("\nsummary\n", 1)[1]
    # Bắc Kạn's busiest year in the shipped figures is 2024, its 11 figures all changed
    measured = [
        "status, 108 figures, 12 files (given set shipped) |",
        "status peak memory, 108 figures, 12 files (given set shipped) |",
        "status, 108 figures, 12 files (given set shipped), pinned to one core |",
        "import of 11 changed figures, 108 figures, 12 files (given set shipped) (python -m kpis",
        "undo of 11 changed figures, 108 figures, 12 files (given set shipped) (the store's",
    ]
    for line in measured:
        assert line in summary, summary
    # every import beside the pandas script's same change, measured in the same run
    assert "pandas makes the same change in" in summary
    # and beside the floor: pyarrow reading every file and writing the same ones
    assert "pyarrow alone reads and writes the files in" in summary
    # the set itself is never written
    assert {f.name: f.read_bytes() for f in (given / "data").iterdir()} == before


def test_the_pandas_reference_makes_the_imports_change_in_files_each_laid_out_its_own_way(
    tmp_path, monkeypatch
):
    # The import's reference on a set like bench/make_independent.py's B: each file with its
    # own separator, Vietnamese headers, a BOM, a note over two lines, «tỉnh» before a region
    # in capitals, a file without a region column. A wrong reference would mislead a ratio.
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    import bench_national

    data = tmp_path / "data"
    data.mkdir()
    semicolons = (
        "\ufeffChỉ tiêu;Địa bàn;NĂM;Giá trị;nguồn;Ghi chú\n"
        'orgs;TỈNH BẮC KẠN;2023;3,5;Sở KH&CN;"dòng một\ndòng hai"\n'
        "orgs;tỉnh Bắc Kạn;2024;4,5;Sở KH&CN;\n"
    )
    (data / "a.csv").write_text(semicolons, encoding="utf-8")
    (data / "b.CSV").write_text("ma_chi_tieu\tnam\tgia_tri\tnguon\nfund\t2024\t7\tcũ\n")
    upload = tmp_path / "upload.csv"
    upload.write_text(
        "indicator,region,year,value,source\n"
        "orgs,Bắc Kạn,2024,5.25,Báo cáo mới\nfund,Bắc Kạn,2024,8,Báo cáo mới\n"
    )
    assert bench_national.uniform_separator(data) is None  # (REWRITE cannot take it)
    assert bench_national.uniform_separator(REPO / "data") == ","

    subprocess.run(
        [sys.executable, "-c", bench_national.REWRITE_EACH, str(data), str(upload)]
        + [bench_national.contract_aliases()],
        check=True,
    )
    # Each file in its own layout still, the 2024 figures changed, the rest as they were.
    assert (data / "a.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "Chỉ tiêu;Địa bàn;NĂM;Giá trị;nguồn;Ghi chú",
        'orgs;TỈNH BẮC KẠN;2023;3,5;Sở KH&CN;"dòng một',
        'dòng hai"',
        "orgs;tỉnh Bắc Kạn;2024;5,25;Báo cáo mới;",
    ]
    assert (data / "b.CSV").read_text(encoding="utf-8-sig").splitlines() == [
        "ma_chi_tieu\tnam\tgia_tri\tnguon",
        "fund\t2024\t8\tBáo cáo mới",
    ]


def test_the_floor_reads_every_file_and_writes_back_only_those_rewritten(tmp_path, monkeypatch):
    # The least an import could cost: every file read (its own separator, a BOM, a note over
    # two lines), the rewritten ones written back sorted with every row and cell, the others
    # left as they were. A floor that read less would flatter the import's ratio to it.
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    import bench_national

    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text(
        "\ufeffChỉ tiêu;Địa bàn;NĂM;Giá trị;Ghi chú\n"
        'orgs;Bắc Kạn;2024;4,5;"dòng một\ndòng hai"\n'
        "orgs;Bắc Kạn;2023;3,5;\n",
        encoding="utf-8",
    )
    untouched = "indicator,year,value\nfund,2024,7\nfund,2023,6\n"
    (data / "b.CSV").write_text(untouched, encoding="utf-8")
    (data / "notes.txt").write_text("not a figures file")
    subprocess.run(
        [sys.executable, "-c", bench_national.FLOOR, str(data), "a.csv\nnone.csv"], check=True
    )
    assert (data / "b.CSV").read_text(encoding="utf-8") == untouched
    rows = (data / "a.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == '"Chỉ tiêu","Địa bàn","NĂM","Giá trị","Ghi chú"'
    assert rows[1] == '"orgs","Bắc Kạn","2023","3,5",""'  # sorted by the first three columns
    assert rows[2:] == ['"orgs","Bắc Kạn","2024","4,5","dòng một', 'dòng hai"']
    # an import's rewrites, as the benchmark finds them to give the floor the same files
    original = tmp_path / "original"
    shutil.copytree(data, original)
    (data / "b.CSV").write_text(untouched.replace("7", "8"), encoding="utf-8")
    assert bench_national.rewritten_files(original, data) == ["b.CSV"]
