"""`python -m kpis validate` and `status` as real processes: output, columns, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import plan_text

REPO = Path(__file__).resolve().parents[1]


def kpis(*args: str, cwd: Path | None = None, env: dict | None = None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KPI_")}
    environment.update(env or {})
    environment["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "kpis", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


@pytest.fixture
def project(tmp_path) -> Path:
    """A plan with two targets and a data folder, as a province would have them."""
    (tmp_path / "targets.yaml").write_text(
        plan_text(
            {
                "id": "orgs",
                "integer": True,
                "targets": [{"year": 2020, "min": 3}, {"year": 2030, "min": 10}],
            },
            {"id": "lab", "kind": "milestone", "targets": [{"year": 2030, "min": 1}]},
        ),
        "utf-8",
    )
    data = tmp_path / "data"
    data.mkdir()
    (data / "2016.csv").write_text(
        "indicator,year,value,region\norgs,2015,1,\norgs,2018,4,\nlab,2018,0,\n"
        "orgs,2018,2,Lạng Sơn\n",
        "utf-8",
    )
    return tmp_path


def test_validate_ok_prints_one_summary_line(project):
    result = kpis("validate", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines() == [
        "hợp lệ: kế hoạch test-plan (1/KH-UBND), 2 chỉ tiêu, 4 số liệu, năm 2015–2018"
    ]


def test_validate_invalid_lists_every_problem_then_a_count(project):
    (project / "data" / "bad.csv").write_text(
        "indicator,year,value\norgz,2020,1\norgs,2020,x\n", "utf-8"
    )
    result = kpis("validate", "--lang", "en", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("data/bad.csv:2: indicator: unknown indicator «orgz»")
    assert lines[1].startswith("data/bad.csv:3: value: «x» is not a number")
    assert lines[-1] == "2 errors, 0 warnings"
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_a_single_file_and_env_paths(project, tmp_path):
    result = kpis("validate", "--data", str(project / "data" / "2016.csv"), cwd=project)
    assert result.returncode == 0
    moved = kpis(
        "validate",
        env={"KPI_TARGETS": str(project / "targets.yaml"), "KPI_DATA": str(project / "data")},
    )
    assert moved.returncode == 0 and "test-plan" in moved.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--targets", "missing.yaml"),
        ("status", "--data", "no-such-folder"),
        ("status", "--as-of", "20x0"),
        ("status", "--format", "xml"),
        ("frobnicate",),
    ],
)
def test_usage_errors_and_missing_files_exit_2_without_traceback(project, args):
    result = kpis(*args, cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_invalid_plan_exits_1_naming_indicator_and_field(project):
    text = (project / "targets.yaml").read_text("utf-8").replace("min: 10", "min: 10\n    mix: 3")
    (project / "targets.yaml").write_text(text, "utf-8")
    result = kpis("status", "--lang", "en", cwd=project)
    assert result.returncode == 1
    assert "orgs: targets[2].mix: unknown key «mix»" in result.stdout


def test_status_csv_has_exactly_the_contract_columns_and_a_row_per_region_and_target(project):
    result = kpis("status", "--format", "csv", cwd=project)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "region",
        "indicator",
        "target_year",
        "status",
        "latest_year",
        "latest_value",
        "progress",
        "projected_value",
    ]
    assert rows[1:] == [
        ["Bắc Kạn", "orgs", "2020", "achieved", "2018", "4", "1.5", "6"],
        ["Bắc Kạn", "orgs", "2030", "on_track", "2018", "4", "0.3333333333333333", "16"],
        ["Bắc Kạn", "lab", "2030", "pending", "2018", "0", "0", ""],
        ["Lạng Sơn", "orgs", "2020", "insufficient_data", "2018", "2", "0", ""],
        ["Lạng Sơn", "orgs", "2030", "insufficient_data", "2018", "2", "0", ""],
        ["Lạng Sơn", "lab", "2030", "no_data", "", "", "", ""],
    ]


def test_status_region_as_of_and_json(project):
    result = kpis(
        "status", "--format", "json", "--region", "Bắc Kạn", "--as-of", "2016", cwd=project
    )
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [(r["region"], r["indicator"], r["status"]) for r in records] == [
        ("Bắc Kạn", "orgs", "insufficient_data"),
        ("Bắc Kạn", "orgs", "insufficient_data"),
        ("Bắc Kạn", "lab", "no_data"),
    ]
    assert records[0]["latest_year"] == 2015 and records[0]["projected_value"] is None


def test_status_table_is_for_people_in_either_language(project):
    vi = kpis("status", cwd=project)
    en = kpis("status", "--format", "table", "--lang", "en", cwd=project)
    assert "Đã đạt" in vi.stdout and "Chưa hoàn thành" in vi.stdout
    assert "Achieved" in en.stdout and "Pending" in en.stdout


def test_status_on_invalid_figures_exits_1_with_problems_on_stderr(project):
    (project / "data" / "bad.csv").write_text("indicator,year,value\norgs,2020,-1\n", "utf-8")
    result = kpis("status", "--format", "csv", cwd=project)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "data/bad.csv:2: value:" in result.stderr


def test_shipped_plan_and_data_validate_and_give_a_row_per_target():
    result = kpis("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    status = kpis("status", "--format", "csv", "--region", "Bắc Kạn")
    rows = list(csv.DictReader(io.StringIO(status.stdout)))
    assert len(rows) == 11
    assert {r["status"] for r in rows} >= {
        "achieved",
        "missed",
        "on_track",
        "no_data",
        "needs_acceleration",
        "pending",
        "off_track",
    }
