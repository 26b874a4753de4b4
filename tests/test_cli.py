"""`python -m kpis validate` and `status` as real processes: output, columns, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
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


def test_validate_fails_on_an_integer_indicators_thousands_separator(project):
    # «2.000» organisations passed with a warning (exit 0), read as 2.
    (project / "data" / "2019.csv").write_text("indicator,year,value\norgs,2019,2.000\n", "utf-8")
    result = kpis("validate", "--lang", "en", cwd=project)
    assert result.returncode == 1
    assert result.stdout.strip().splitlines() == [
        "data/2019.csv:2: value: 2.000: no thousands separator: write 2000 (or 2 if you meant two)",
        "1 error, 0 warnings",
    ]


def test_a_single_problem_is_counted_in_the_singular(project):
    (project / "data" / "bad.csv").write_text("indicator,year,value\norgs,2020,x\n", "utf-8")
    result = kpis("validate", "--lang", "en", cwd=project)
    assert result.stdout.strip().splitlines()[-1] == "1 error, 0 warnings"


def test_an_import_over_saved_errors_sends_the_importer_to_whoever_manages_the_data(project):
    (project / "data" / "bad.csv").write_text("indicator,year,value\norgs,2021,x\n", "utf-8")
    upload = project / "upload.csv"
    upload.write_text("indicator,year,value,source\norgs,2022,5,BC\n", "utf-8")
    result = kpis("import", str(upload), "--lang", "en", cwd=project)
    assert result.returncode == 1
    assert "ask whoever manages the data to mend those files" in result.stdout
    assert "data/bad.csv:2: value: «x» is not a number" in result.stdout


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


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("deck",), "lỗi / error: thiếu đối số bắt buộc: --out / the following arguments"),
        (("status", "--as-of", "20x0"), "đối số / argument --as-of: không phải một năm / not a"),
        (("status", "--format", "xml"), "đối số --format: không có lựa chọn 'xml' (chọn một"),
        (("status", "--limit", "rows=x"), "KPI_MAX_ROWS='x' không phải một số / is not a number"),
    ],
)
def test_usage_errors_say_what_is_wrong_in_vietnamese_then_english(project, args, said):
    result = kpis(*args, cwd=project)
    assert result.returncode == 2
    assert said in result.stderr


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


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_status_table_names_indicators_and_tasks_while_csv_keeps_ids(lang):
    """The table is for people: names, never ids; csv and json stay for machines."""
    from kpis.plan import load_plan

    plan, _ = load_plan(REPO / "targets.yaml")
    table = kpis("status", "--region", "Bắc Kạn", "--lang", lang).stdout
    tasks = kpis("status", "--tasks", "--as-of", "2020", "--lang", lang).stdout
    shown = plan.indicators[0].text("name", lang)
    assert shown in table and plan.tasks[0].label(lang) in tasks
    for indicator in plan.indicators:
        assert indicator.id not in table
    for task in plan.tasks:
        assert task.id not in tasks.split()
    machine = kpis("status", "--format", "csv", "--region", "Bắc Kạn", "--lang", lang).stdout
    assert plan.indicators[0].id in machine and shown not in machine
    # projections rounded as the pages round them: "4", never "4,13", for a count
    row = next(line for line in table.splitlines() if shown in line and "2030" in line)
    assert row.split()[-1] == "4"


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


# ---------------------------------------------------------------------------------------------
# Version 2 through the command line


@pytest.fixture
def merged(tmp_path) -> Path:
    """A 2025 plan of a merged province: growth, period average, "more than", a share
    derived from two counts, estimates, and the figures of the province that merged in."""
    (tmp_path / "targets.yaml").write_text(
        plan_text(
            {"id": "rev", "targets": [{"from": 2024, "to": 2030, "min_growth": 10}]},
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
            id="thai-nguyen-test",
            region="Thái Nguyên",
            baseline_year=2024,
            regions=[
                {"name": "Thái Nguyên", "aliases": ["Thai Nguyen"]},
                {
                    "name": "Bắc Kạn",
                    "aliases": ["Bac Kan"],
                    "until": 2025,
                    "merged_into": "Thái Nguyên",
                },
            ],
        ),
        "utf-8",
    )
    data = tmp_path / "data"
    data.mkdir()
    (data / "2026.csv").write_text(
        "indicator,year,value,region,ước tính\n"
        "rev,2024,100,,\nrev,2026,125,tỉnh Thái Nguyên,x\n"
        "grdp,2026,9,,\ngrdp,2027,7.5,,ước\n"
        "st,2025,80,,\nall,2025,100,,\n"
        "st,2025,9,Bac Kan,\nall,2025,10,BẮC KẠN,\n"
        "rev,2024,50,Bắc Kạn,\nrev,2025,40,Bắc Kạn,\n",
        "utf-8",
    )
    return tmp_path


def test_status_json_of_version_2(merged):
    result = kpis("status", "--format", "json", cwd=merged)
    assert result.returncode == 0, result.stderr
    rows = {(r["region"], r["indicator"]): r for r in json.loads(result.stdout)}
    # Bắc Kạn ended in 2025: no row for the 2030 targets, one for the 2025 share.
    assert sorted(rows) == [
        ("Bắc Kạn", "share"),
        ("Thái Nguyên", "grdp"),
        ("Thái Nguyên", "rev"),
        ("Thái Nguyên", "share"),
    ]
    rev = rows["Thái Nguyên", "rev"]
    assert (rev["status"], rev["latest_year"], rev["latest_value"]) == ("on_track", 2026, 125)
    assert rev["latest_is_estimate"] is True
    assert rev["progress"] == pytest.approx(25 / (100 * 1.1**6 - 100))
    assert rev["average_growth"] == pytest.approx((1.25**0.5 - 1) * 100)
    grdp = rows["Thái Nguyên", "grdp"]
    assert (grdp["status"], grdp["mean"], grdp["progress"]) == ("on_track", 8.25, 0.5)
    assert grdp["latest_is_estimate"] is True and grdp["projected_value"] is None
    # "more than 80%": exactly 80 is not; 90 is.
    assert rows["Thái Nguyên", "share"]["status"] == "missed"
    assert rows["Bắc Kạn", "share"]["status"] == "achieved"
    assert rows["Bắc Kạn", "share"]["latest_is_estimate"] is False
    assert rows["Thái Nguyên", "share"]["mean"] is None


def test_status_csv_columns_are_unchanged_by_version_2(merged):
    result = kpis("status", "--format", "csv", "--region", "thai nguyen", cwd=merged)
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
    assert [row[:4] for row in rows[1:]] == [
        ["Thái Nguyên", "rev", "2030", "on_track"],
        ["Thái Nguyên", "grdp", "2030", "on_track"],
        ["Thái Nguyên", "share", "2025", "missed"],
    ]


def status_csv(folder: Path, plan: str, figures: str, *args: str) -> list[list[str]]:
    """`status --format csv` rows (no header) of a plan and one figures file."""
    (folder / "targets.yaml").write_text(plan, "utf-8")
    (folder / "data").mkdir(exist_ok=True)
    (folder / "data" / "f.csv").write_text(figures, "utf-8")
    result = kpis("status", "--format", "csv", *args, cwd=folder)
    assert result.returncode == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout)))[1:]


@pytest.mark.parametrize("with_growth", [False, True])
def test_about_targets_keep_their_tolerance_beside_a_growth_target(tmp_path, with_growth):
    # "khoảng 20" is met at 19 (min) and at 21 (max), METHOD.md step 3, whether or not another
    # indicator of the plan has a growth target with figures; it once lost its 5% when one had.
    plan = plan_text(
        {
            "id": "firms",
            "targets": [
                {"year": 2025, "min": 20, "approx": True},
                {"year": 2025, "max": 20, "approx": True},
            ],
        },
        {"id": "revenue", "targets": [{"from": 2020, "to": 2025, "min_growth": 7}]},
        baseline_year=2020,
    )
    figures = "indicator,year,value\nfirms,2020,10\nfirms,2024,21\nfirms,2025,19\n"
    if with_growth:
        figures += "revenue,2020,100\nrevenue,2024,140\nrevenue,2025,150\n"
    assert status_csv(tmp_path, plan, figures)[:2] == [
        ["Bắc Kạn", "firms", "2025", "achieved", "2025", "19", "0.9", ""],
        ["Bắc Kạn", "firms", "2025", "achieved", "2025", "19", "0.9", ""],
    ]
    assert status_csv(tmp_path, plan, figures, "--as-of", "2024")[1] == (
        ["Bắc Kạn", "firms", "2025", "achieved", "2024", "21", "1.1", "23.75"]
    )


def test_a_growth_rate_no_plan_sets_is_a_plan_error_not_a_traceback(tmp_path):
    # The reviewer's plan: `validate` accepted it and `status` died of an OverflowError.
    growth = {"from": 2020, "to": 2030, "min_growth": 1e40}
    (tmp_path / "targets.yaml").write_text(
        plan_text({"id": "a", "targets": [growth]}, baseline_year=2020), "utf-8"
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("indicator,year,value\na,2020,100\na,2021,120\n")
    for command in ("validate", "status"):
        result = kpis(command, "--lang", "en", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        said = result.stdout + result.stderr  # (validate lists on stdout, status on stderr)
        assert "Traceback" not in said
        assert "a: targets[1].min_growth: 1e+40% a year is too large" in said
    # Within the bound, a level beyond any float (1e200 × 11^105) is judged, not a crash.
    plan = plan_text(
        {
            "id": "a",
            "value_range": [None, None],
            "targets": [{"from": 1995, "to": 2100, "min_growth": 1000}],
        },
        baseline_year=1995,
    )
    rows = status_csv(tmp_path, plan, "indicator,year,value\na,1995,1e200\na,1996,2e200\n")
    assert [row[:4] for row in rows] == [["Bắc Kạn", "a", "2100", "off_track"]]


def test_status_numbers_are_finite_or_empty_for_figures_a_float_barely_holds(tmp_path):
    # The reviewer's figures: `status` wrote inf in csv, Infinity in json (which strict
    # parsers refuse) and numpy's "overflow encountered" warnings on stderr.
    (tmp_path / "targets.yaml").write_text(
        plan_text(
            {"id": "a", "targets": [{"year": 2100, "min": 1}]},
            {"id": "b", "value_range": [None, None], "targets": [{"year": 2100, "min": 1}]},
            baseline_year=1995,
        ),
        "utf-8",
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "f.csv").write_text(
        "indicator,year,value\na,1995,1e300\na,1996,1.7e308\nb,1995,-1.7e308\nb,1996,1.7e308\n"
    )
    outputs = {}
    for form in ("csv", "json", "table"):
        result = kpis("status", "--format", form, "--lang", "en", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stderr == "", result.stderr
        outputs[form] = result.stdout
    rows = list(csv.reader(io.StringIO(outputs["csv"])))[1:]
    # progress: a's is a number (from 1e300 below its target of 1), b's passes the range
    assert [(row[3], row[6], row[7]) for row in rows] == [
        ("achieved", "-169999998.99999997", ""),
        ("achieved", "", ""),
    ]
    assert "inf" not in outputs["csv"].lower() and "inf" not in outputs["table"].lower()

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    records = json.loads(outputs["json"], parse_constant=refuse)
    assert [(r["progress"], r["projected_value"]) for r in records] == [
        (-169999998.99999997, None),
        (None, None),
    ]


def test_a_cumulative_indicators_baseline_in_the_plan_comes_first(tmp_path):
    # METHOD.md: the plan's baseline (for the plan's region), else (cumulative_from − 1, 0);
    # the CLI once took (2015, 0) for Bắc Kạn too. Lạng Sơn has no baseline in the plan.
    plan = plan_text(
        {
            "id": "c",
            "kind": "cumulative",
            "cumulative_from": 2016,
            "baseline": {"year": 2016, "value": 4},
            "targets": [{"year": 2025, "min": 60}],
        },
    )
    figures = (
        "indicator,region,year,value\n"
        "c,Bắc Kạn,2016,5\nc,Bắc Kạn,2018,6\nc,Lạng Sơn,2016,5\nc,Lạng Sơn,2018,6\n"
    )
    # As of 2016 only the baseline is a fit point: too few to project.
    assert status_csv(tmp_path, plan, figures, "--as-of", "2016") == [
        ["Bắc Kạn", "c", "2025", "insufficient_data", "2016", "5", str(1 / 56), ""],
        ["Lạng Sơn", "c", "2025", "needs_acceleration", "2016", "5", str(5 / 60), "50"],
    ]
    rows = status_csv(tmp_path, plan, figures, "--as-of", "2018")
    assert rows[0] == ["Bắc Kạn", "c", "2025", "needs_acceleration", "2018", "11", "0.125", "35.5"]
    assert rows[1][:7] == [
        "Lạng Sơn",
        "c",
        "2025",
        "needs_acceleration",
        "2018",
        "11",
        str(11 / 60),
    ]


def test_status_table_marks_estimates(merged):
    vi = kpis("status", cwd=merged)
    en = kpis("status", "--lang", "en", cwd=merged)
    assert vi.returncode == en.returncode == 0
    assert "125 (ước)" in vi.stdout and "125 (estimate)" in en.stdout
    assert "80 (ước)" not in vi.stdout


def test_validate_of_version_2_errors_at_their_lines(merged):
    data = merged / "data"
    (data / "2027.csv").write_text(
        "indicator,year,value,region\nrev,2026,1,Bắc Kạn\nrev,2026,1,Hà Nội\n", "utf-8"
    )
    vi = kpis("validate", cwd=merged)
    en = kpis("validate", "--lang", "en", cwd=merged)
    assert vi.returncode == en.returncode == 1
    assert "data/2027.csv:2: region: Bắc Kạn merged into Thái Nguyên in 2025" in en.stdout
    assert "data/2027.csv:2: region: Bắc Kạn sáp nhập vào Thái Nguyên năm 2025" in vi.stdout
    assert "data/2027.csv:3: region: region «Hà Nội» is not among" in en.stdout


def test_validate_decimal_comma_in_a_flow_target(merged):
    plan = merged / "targets.yaml"
    text = plan.read_text("utf-8").replace(
        "  - from: 2024\n    to: 2030\n    min_growth: 10\n",
        "  - {from: 2024, to: 2030, min_growth: 0,7}\n",
    )
    plan.write_text(text, "utf-8")
    line = text.splitlines().index("  - {from: 2024, to: 2030, min_growth: 0,7}") + 1
    vi = kpis("validate", cwd=merged)
    en = kpis("validate", "--lang", "en", cwd=merged)
    assert vi.returncode == en.returncode == 1
    assert (
        f"targets.yaml:{line}: rev: targets[1].min_growth: «0,7» viết bằng dấu phẩy thập phân, "
        "YAML không đọc được: viết 0.7"
    ) in vi.stdout
    assert (
        f"targets.yaml:{line}: rev: targets[1].min_growth: «0,7» has a decimal comma, "
        "which YAML does not read: write 0.7"
    ) in en.stdout
    assert "Keys should be strings" not in en.stdout + en.stderr


def test_validate_warns_about_derived_values(merged):
    data = merged / "data"
    (data / "2027.csv").write_text(
        "indicator,year,value\nst,2026,120\nall,2026,100\nst,2027,3\nall,2027,0\n", "utf-8"
    )
    en = kpis("validate", "--lang", "en", cwd=merged)
    vi = kpis("validate", cwd=merged)
    assert en.returncode == vi.returncode == 0, en.stdout  # warnings never change the exit code
    assert (
        "share: warning: «share» in 2026 (Thái Nguyên): the computed value 120 is above 100"
        in en.stderr
    )
    assert (
        "share: warning: «share» in 2027 (Thái Nguyên): the formula st / all * 100 divides by zero"
        in en.stderr
    )
    assert "«share» năm 2027 (Thái Nguyên): công thức st / all * 100 chia cho 0" in vi.stderr
    assert "2025" not in en.stderr  # 2025's share (80%) is within its range


def test_a_command_runs_with_the_collector_on_and_the_modules_frozen_out_of_it():
    """`python -m kpis` imports the commands' modules with the cyclic collector paused: the
    command itself then runs with it on, and the modules' objects out of its walks."""
    probe = (
        "import gc, runpy, kpis.cli\n"
        "kpis.cli.main = lambda: print(gc.isenabled(), gc.get_freeze_count() > 10_000) or 0\n"
        "runpy.run_module('kpis', run_name='__main__')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "True True\n", "")


def _vietnamese_then_english(text: str) -> bool:
    vietnamese, _, english = " ".join(text.split()).partition(" / ")
    return bool(english) and any(ord(c) > 0x7F for c in vietnamese) and english.isascii()


def test_help_says_every_command_in_vietnamese_then_english():
    listing = kpis("--help")
    assert listing.returncode == 0
    assert listing.stdout.startswith("cách dùng / usage: python -m kpis")
    assert "tùy chọn / options:" in listing.stdout
    assert "lệnh / commands:" in listing.stdout
    for name in ("validate", "import", "db"):
        shown = kpis(name, "--help")
        assert shown.returncode == 0, shown.stderr
        description = shown.stdout.split("\n\n")[1]
        assert _vietnamese_then_english(description), description
        assert "in hướng dẫn này rồi thoát / show this help and exit" in shown.stdout
        # the command list says the same words as the command's own help
        assert " ".join(description.split())[:30] in " ".join(listing.stdout.split())


def test_a_limit_in_the_environment_that_is_not_a_number_is_named_without_traceback(project):
    result = kpis("validate", cwd=project, env={"KPI_MAX_ROWS": "abc"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "biến môi trường / environment variable KPI_MAX_ROWS='abc' không phải một số" in (
        result.stderr
    )


def test_lang_may_come_before_the_command_and_the_commands_own_wins(project):
    before = kpis("--lang", "en", "validate", cwd=project)
    assert before.returncode == 0 and before.stdout.startswith("valid: plan")
    both = kpis("--lang", "en", "validate", "--lang", "vi", cwd=project)
    assert both.returncode == 0 and both.stdout.startswith("hợp lệ: kế hoạch")


def test_status_csv_quotes_a_region_a_spreadsheet_would_run(project):
    # As `status --tasks --format csv` and the pages' downloads: the region is the figures'
    # text (kept as typed in data/, with a warning); ids, words and numbers are untouched.
    (project / "data" / "2016.csv").write_text(
        "indicator,year,value,region\norgs,2015,1,\norgs,2018,4,\"=cmd|' /C calc'!A0\"\n",
        "utf-8",
    )
    result = kpis("status", "--format", "csv", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    quoted = [r for r in rows if r["region"] == "'=cmd|' /C calc'!A0"]
    assert quoted and not any(r["region"].startswith("=") for r in rows)
    assert quoted[0]["indicator"] == "orgs" and quoted[0]["latest_value"] == "4"


@pytest.mark.parametrize("command", ["deck", "report", "scorecard"])
@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_export_refuses_an_out_that_is_not_a_file_and_leaves_it(project, command, kind):
    # Security review finding 6: `scorecard --out /dev/full` replaced the device with a file.
    # Refused as a usage error (2) before any work (the deck needs no browser to say so).
    target = project / "out"
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    result = kpis(command, "--out", str(target), "--lang", "en", cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"not writing to {target}: it is a {kind}, not a file" in result.stderr
    assert result.stdout == ""
    assert target.is_dir() if kind == "folder" else stat.S_ISFIFO(os.lstat(target).st_mode)
