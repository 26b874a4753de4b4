"""The catalogue of plans, and one set of figures shared by its plans (kpis/catalogue.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kpis.catalogue import load_catalogue, plan_files, sibling_ids
from kpis.dataset import load_dataset
from kpis.figures import read_figures
from tests.helpers import make_plan, plan_text

REPO = Path(__file__).resolve().parents[1]


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_plans(tmp_path: Path, monkeypatch) -> Path:
    """A catalogue: targets.yaml (orgs, Bắc Kạn) + plans/ls.yaml (tasks, Lạng Sơn), one data/."""
    for name in ("KPI_TARGETS", "KPI_DATA", "KPI_PLANS"):
        monkeypatch.delenv(name, raising=False)
    write(
        tmp_path / "targets.yaml",
        plan_text({"id": "orgs", "targets": [{"year": 2020, "min": 3}]}, id="bk"),
    )
    write(
        tmp_path / "plans" / "ls.yaml",
        plan_text({"id": "tasks", "integer": True}, id="ls", region="Lạng Sơn", baseline_year=2022),
    )
    # In a shared folder every row names its region: an empty one means the chosen plan's.
    write(
        tmp_path / "data" / "bk.csv",
        "indicator,region,year,value\norgs,Bắc Kạn,2016,1\norgs,Bắc Kạn,2020,3\n",
    )
    write(tmp_path / "data" / "ls.csv", "indicator,region,year,value\ntasks,Lạng Sơn,2023,60\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_catalogue_lists_the_main_plan_first_then_plans_by_name(two_plans):
    write(two_plans / "plans" / "a.yml", plan_text({"id": "x"}, id="aa"))
    write(two_plans / "plans" / "_draft.yaml", "not: a plan")
    write(two_plans / "plans" / "notes.txt", "ignored")
    catalogue = load_catalogue()
    assert catalogue.ids == ["bk", "aa", "ls"]
    assert catalogue.default.id == "bk"
    assert catalogue.get("ls").plan.plan.region == "Lạng Sơn"
    assert catalogue.get("nope") is None
    assert catalogue.problems == []


def test_kpi_plans_names_another_folder(two_plans, monkeypatch):
    write(two_plans / "elsewhere" / "y.yaml", plan_text({"id": "y"}, id="yy"))
    monkeypatch.setenv("KPI_PLANS", str(two_plans / "elsewhere"))
    assert load_catalogue().ids == ["bk", "yy"]


def test_repeated_plan_id_and_broken_plan_are_problems_not_crashes(two_plans):
    write(two_plans / "plans" / "copy.yaml", plan_text({"id": "z"}, id="ls"))
    write(two_plans / "plans" / "broken.yaml", "plan: [\n")
    catalogue = load_catalogue()
    assert catalogue.ids == ["bk", "ls"]  # the first file keeps the id (copy < ls by name)
    messages = [p.format("en") for p in catalogue.problems]
    assert any("broken.yaml" in m and "invalid YAML" in m for m in messages)
    assert any(
        "ls.yaml" in m and "plan id «ls» is already used by" in m and "copy.yaml" in m
        for m in messages
    )


def test_the_main_plan_named_again_in_plans_is_listed_once(two_plans, monkeypatch):
    monkeypatch.setenv("KPI_TARGETS", str(two_plans / "plans" / "ls.yaml"))
    assert [p.name for p in plan_files()] == ["ls.yaml"]


def test_each_plan_reads_only_its_own_figures_from_the_shared_folder(two_plans):
    bk = load_dataset()
    assert bk.errors == [] and bk.problems == []
    assert set(bk.figures.table["indicator"]) == {"orgs"}
    assert set(bk.figures.table["region"]) == {"Bắc Kạn"}
    ls = load_dataset("plans/ls.yaml")
    assert ls.errors == [] and ls.problems == []
    assert ls.figures.table[["indicator", "region", "year", "value"]].values.tolist() == [
        ["tasks", "Lạng Sơn", 2023, 60.0]
    ]


def test_sibling_ids_of_each_plan(two_plans):
    assert sibling_ids("targets.yaml") == {"tasks"}
    assert sibling_ids("plans/ls.yaml") == {"orgs"}


def test_an_id_of_no_plan_is_still_an_error_naming_the_place(two_plans):
    write(two_plans / "data" / "bad.csv", "indicator,year,value\ntaks,2023,1\n")
    dataset = load_dataset()
    assert [p.format("en") for p in dataset.errors] == [
        "data/bad.csv:2: indicator: unknown indicator «taks»; see the plan's ids"
    ]


def test_a_figure_of_both_plans_id_is_this_plans(two_plans):
    """An id in both plans means the same thing: its figures count for each plan."""
    write(
        two_plans / "plans" / "ls.yaml",
        plan_text({"id": "tasks"}, {"id": "orgs"}, id="ls", region="Lạng Sơn", baseline_year=2022),
    )
    ls = load_dataset("plans/ls.yaml")
    assert set(ls.figures.table["indicator"]) == {"tasks", "orgs"}
    assert set(ls.figures.table["region"]) == {"Lạng Sơn", "Bắc Kạn"}


def test_a_plan_alone_behaves_exactly_as_the_contract_says(tmp_path):
    """No plans/ beside it, not in the default catalogue: unknown ids are errors."""
    plan = make_plan({"id": "orgs"})
    write(tmp_path / "data" / "x.csv", "indicator,year,value\norgs,2016,1\ntasks,2023,60\n")
    figures = read_figures(tmp_path / "data", plan)
    assert [p.format("en") for p in figures.errors] == [
        f"{tmp_path / 'data' / 'x.csv'}:3: indicator: unknown indicator «tasks»; see the plan's ids"
    ]
    assert figures.table["indicator"].tolist() == ["orgs"]
    figures = read_figures(tmp_path / "data", plan, also_known={"tasks"})
    assert figures.problems == [] and figures.table["indicator"].tolist() == ["orgs"]


def test_a_file_of_only_another_plans_figures_gives_no_warning(tmp_path):
    plan = make_plan({"id": "orgs"})
    write(tmp_path / "ls.csv", "indicator,year,value\ntasks,2023,60\n")
    figures = read_figures(tmp_path / "ls.csv", plan, also_known={"tasks"})
    assert figures.problems == [] and figures.table.empty


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kpis", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin"},
    )


def test_validate_with_the_defaults_passes_on_the_shipped_data():
    result = cli("validate", "--lang", "en", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("valid: plan bac-kan-684-2016")


def test_validate_a_foreign_plan_and_folder_reports_every_unknown_id(tmp_path):
    """`--targets X --data Y` with a plan that has no siblings: CONTRACT.md §2 as written."""
    write(tmp_path / "foreign" / "targets.yaml", (REPO / "targets.yaml").read_bytes())
    result = cli(
        "validate",
        "--lang",
        "en",
        "--targets",
        str(tmp_path / "foreign" / "targets.yaml"),
        "--data",
        str(REPO / "data"),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert (
        "lang-son.csv:2: indicator: unknown indicator «investment_projects_tech_appraised»"
        in result.stdout
    )
    # every row of the other plans: Lạng Sơn's 15 and Thái Nguyên's 22
    assert result.stdout.rstrip().endswith("37 errors, 0 warnings")


@pytest.mark.parametrize(
    "text, ids",
    [
        ("plan: &p\n  id: x\n  notes: [*p]\n", {"tasks"}),  # a recursive alias
        # a date that does not exist: kept as its text, the ids read
        ("plan:\n  issued: 2016-02-30\nindicators: [{id: z}]\n", {"tasks", "z"}),
        ("a: " + "[" * 50_000 + "]" * 50_000, {"tasks"}),  # nested beyond the limits
    ],
)
def test_a_broken_sibling_plan_gives_no_crash(two_plans, text, ids):
    # Sibling plans were read with yaml.safe_load: a ValueError escaped, nesting was unlimited.
    write(two_plans / "plans" / "zz-bad.yaml", text)
    assert sibling_ids(two_plans / "targets.yaml") == ids
