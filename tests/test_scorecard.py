"""The Excel scorecard: written by the real command, read back with openpyxl."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest

from kpis.cli import main
from kpis.dataset import load_dataset
from kpis.export import prepare
from kpis.i18n import STATUS_STYLES
from kpis.progress import assess
from kpis.scorecard import HEADER_ROW, scorecard_rows, scorecard_xlsx, text_colour_on
from tests.helpers import make_figures, make_plan


def run_cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpis", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def cli(repo_root, monkeypatch, capsys):
    """`python -m kpis ...` in this process (the same `main`, without an interpreter start)."""
    monkeypatch.chdir(repo_root)
    monkeypatch.delenv("KPI_TARGETS", raising=False)
    monkeypatch.delenv("KPI_DATA", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def sheet_rows(path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path).active
    return [row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value is not None]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_command_writes_a_row_per_target_with_its_status_on_its_colour(
    repo_root, tmp_path, lang, cli
):
    out = tmp_path / "scorecard.xlsx"
    if lang == "vi":  # once as a real process, as staff run it
        result = run_cli("scorecard", "--out", str(out), "--lang", lang, cwd=repo_root)
        assert result.returncode == 0, result.stderr
    else:
        code, _, err = cli("scorecard", "--out", str(out), "--lang", lang)
        assert code == 0, err
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    expected = assess(dataset.plan, dataset.figures.table, regions=[dataset.plan.plan.region])
    rows = sheet_rows(out)
    assert len(rows) == len(expected) == 11  # the shipped plan's targets
    by_key = {(r.indicator, r.target_year): r for r in expected}
    for row in rows:
        assessment = by_key[(row[1].value, row[4].value)]
        style = STATUS_STYLES[assessment.status]
        status_cell = row[10]
        assert status_cell.value == style.word(lang)
        assert status_cell.fill.fgColor.rgb.endswith(style.colour.lstrip("#").upper())
    sheet = openpyxl.load_workbook(out).active
    assert sheet.cell(1, 1).value.startswith(
        "Kế hoạch hành động" if lang == "vi" else "Action plan"
    )
    illustrative = sheet.cell(5, 1).value
    assert illustrative.startswith("Số liệu minh họa" if lang == "vi" else "Illustrative")


def test_numbers_stay_numbers_and_progress_is_a_percentage(repo_root, tmp_path):
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    report = prepare(dataset.plan, dataset.figures.table, lang="en")
    path = tmp_path / "scorecard.xlsx"
    path.write_bytes(scorecard_xlsx(report))
    first = sheet_rows(path)[0]
    assert first[1].value == "public_st_orgs"
    assert first[7].value == 3  # the value, a number a staff member can sum
    assert first[8].value == 1.0 and first[8].number_format == "0%"


def test_text_that_a_spreadsheet_would_run_is_neutralised(tmp_path):
    plan = make_plan(
        {
            "id": "evil",
            "name": '=HYPERLINK("http://x","click")',
            "unit": "+1 cái",
            "group": "@group",
            "targets": [{"year": 2020, "min": 3}],
        }
    )
    table = make_figures(plan, [("evil", 2015, 1), ("evil", 2020, 4)])
    path = tmp_path / "s.xlsx"
    path.write_bytes(scorecard_xlsx(prepare(plan, table)))
    [row] = sheet_rows(path)
    assert row[2].value.startswith("'=HYPERLINK")
    assert row[0].value == "'@group"
    for cell in row:
        assert not (isinstance(cell.value, str) and cell.value[:1] in "=+-@"), cell.value
        assert cell.data_type != "f"


def test_rows_follow_the_plans_grouping(repo_root):
    dataset = load_dataset(repo_root / "targets.yaml", repo_root / "data")
    rows = scorecard_rows(prepare(dataset.plan, dataset.figures.table))
    groups = [row.group for row in rows]
    # each group in one run, in the order the plan first uses it
    assert groups == sorted(groups, key=[ind.group for ind in dataset.plan.indicators].index)


@pytest.mark.parametrize(
    ("colour", "ink"),
    [
        (STATUS_STYLES["achieved"].colour, "#FFFFFF"),
        (STATUS_STYLES["missed"].colour, "#FFFFFF"),
        (STATUS_STYLES["needs_acceleration"].colour, "#000000"),
        (STATUS_STYLES["no_data"].colour, "#000000"),
        ("#FFFFFF", "#000000"),
    ],
)
def test_status_words_are_written_in_the_colour_that_reads_best(colour, ink):
    assert text_colour_on(colour) == ink


def test_invalid_figures_exit_1_with_the_problems(cli, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "2024.csv").write_text(
        "indicator,year,value\npublic_st_orgs,2024,abc\n", encoding="utf-8"
    )
    out = tmp_path / "s.xlsx"
    code, _, err = cli("scorecard", "--out", str(out), "--data", str(data), "--lang", "en")
    assert code == 1
    assert "2024.csv:2" in err and "Traceback" not in err
    assert not out.exists()


def test_unknown_region_is_a_usage_error_naming_the_regions(cli, tmp_path):
    code, _, err = cli(
        "scorecard", "--out", str(tmp_path / "s.xlsx"), "--region", "Atlantis", "--lang", "en"
    )
    assert code == 2
    assert "Atlantis" in err and "Bắc Kạn" in err
