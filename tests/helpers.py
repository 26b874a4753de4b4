"""Tiny inline plans and figures for the core's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from kpis.figures import parse_figures_bytes
from kpis.plan import Plan, parse_plan

PLAN_HEAD = {
    "id": "test-plan",
    "title": "Kế hoạch thử",
    "document": "1/KH-UBND",
    "issued": "2016-05-16",
    "issuer": "UBND tỉnh Thử",
    "region": "Bắc Kạn",
    "baseline_year": 2015,
}


def plan_text(*indicators: dict, **head) -> str:
    """YAML of a plan with the given indicators (name and unit filled in when left out)."""
    filled = [{"name": ind["id"], "unit": "cái", **ind} for ind in indicators]
    return yaml.safe_dump(
        {"plan": {**PLAN_HEAD, **head}, "indicators": filled}, allow_unicode=True, sort_keys=False
    )


def make_plan(*indicators: dict, **head) -> Plan:
    plan, _ = parse_plan(plan_text(*indicators, **head))
    return plan


def figures_csv(rows: list[tuple]) -> bytes:
    """CSV bytes from (indicator, year, value[, region]) tuples."""
    lines = ["indicator,year,value,region"]
    for row in rows:
        indicator, year, value, *rest = row
        lines.append(f"{indicator},{year},{value},{rest[0] if rest else ''}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def make_figures(plan: Plan, rows: list[tuple]):
    table, problems = parse_figures_bytes(figures_csv(rows), "test.csv", plan)
    assert [p for p in problems if p.is_error] == []
    return table


REPO = Path(__file__).resolve().parents[1]

# Two tasks of the shipped plan reported as a department sends them (Vietnamese headers and
# states, a dd/mm/yyyy and an ISO date): `tasks import` adds 2.
TASK_PROGRESS_UPLOAD = (
    "nhiệm vụ,trạng thái,ngày,căn cứ\n"
    "iii-a2-2020,hoàn thành,20/11/2020,Báo cáo 45/BC-SKHCN\n"
    "iv-3b-fund,không thuộc phạm vi của tỉnh,2025-07-01,Nghị quyết 202/2025/QH15\n"
)


def shipped_figures_copy(folder: Path) -> Path:
    """`folder`/data holding a copy of the shipped year files: a dashboard of a test's own,
    whose saves never touch the repository's data/."""
    data = folder / "data"
    data.mkdir()
    for file in sorted((REPO / "data").glob("[0-9][0-9][0-9][0-9].csv")):
        shutil.copyfile(file, data / file.name)
    return data


def region_files(data: Path, regions: list[str]) -> None:
    """One file per region in `data`, as provinces keep them: `st_investment` for 2020-2024,
    region n's value in year y is 1000 + 10 n + (y - 2020), its source «BC y»."""
    for n, region in enumerate(regions):
        lines = [
            f"st_investment,{region},{year},{1000 + n * 10 + year - 2020},BC {year}"
            for year in range(2020, 2025)
        ]
        (data / f"region-{n}.csv").write_text(
            "indicator,region,year,value,source\n" + "\n".join(lines) + "\n", encoding="utf-8"
        )


def editor_secrets(folder: Path, password: str, user: str = "an") -> Path:
    """`folder`/secrets.toml with one editor account (KPI_SECRETS)."""
    from kpis.auth import hash_password

    secrets = folder / "secrets.toml"
    secrets.write_text(f'[editors]\n{user} = "{hash_password(password)}"\n', encoding="utf-8")
    return secrets


def files_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (also hidden ones and .history), by relative path; not the
    lock file, which a save may leave behind."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def large_upload(plan, seed: int, regions: int = 2, years=range(2000, 2040)) -> str:
    """Every indicator that takes figures × regions × years: by default 960 figures, 40 files."""
    lines = ["indicator,region,year,value,source"]
    for indicator in plan.indicators:
        if indicator.is_derived:
            continue
        for r in range(regions):
            for year in years:
                if indicator.kind == "milestone":
                    value = (year + r + seed) % 2
                elif indicator.integer:
                    value = (year + r * 7 + seed) % 50
                else:
                    value = f"{(year * r + seed) % 1000}.5"
                lines.append(f"{indicator.id},Huyện {r},{year},{value},BC {seed}")
    return "\n".join(lines) + "\n"


def libreoffice(sources: list[Path], to: str, outdir: Path, infilter: str | None = None) -> None:
    """Convert files with Debian's LibreOffice (`soffice --headless --convert-to`), the way a
    member of staff's LibreOffice Calc would save them. A private profile for each run: other
    processes may be running LibreOffice at the same time."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed: apt-get install libreoffice-calc"
    profile = Path(tempfile.mkdtemp(prefix="lo-h12-"))
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                *([f"--infilter={infilter}"] if infilter else []),
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


# A plan of many regions and every form of target: the plan's own region (with a baseline),
# one that ceased (`until`), a cumulative and a derived indicator, a milestone, standing,
# growth and period-average targets.
MANY_REGIONS = [
    "Thái Nguyên",
    "Bắc Kạn",
    "Lạng Sơn",
    "Cao Bằng",
    "An Giang",
    "Hà Giang",
    "Đắk Lắk",
    "Yên Bái",
    "Bình Định",
]
MANY_REGIONS_INDICATORS = [
    {
        "id": "orgs",
        "integer": True,
        "baseline": {"value": 2},
        "targets": [{"year": 2020, "min": 3}, {"year": 2030, "min": 9}],
    },
    {
        "id": "spend",
        "kind": "cumulative",
        "cumulative_from": 2017,
        "targets": [{"year": 2025, "min": 40}],
    },
    {"id": "budget", "targets": [{"year": 2025, "min_times_baseline": 2}]},
    {"id": "ratio", "formula": "spend / budget", "targets": [{"year": 2030, "max": 5}]},
    {"id": "lab", "kind": "milestone", "targets": [{"year": 2028, "min": 1}]},
    {"id": "share", "unit": "%", "targets": [{"from": 2016, "to": 2030, "min": 1.5, "max": 2}]},
    {"id": "rev", "targets": [{"from": 2020, "to": 2025, "min_growth": 10}]},
    {
        "id": "grdp",
        "unit": "%",
        "value_range": [None, None],
        "targets": [{"from": 2021, "to": 2025, "mean_min": 8, "mean_max": 10}],
    },
]


def many_regions(folder: Path, seed: int) -> Path:
    """`folder`/targets.yaml (MANY_REGIONS_INDICATORS for MANY_REGIONS) and `folder`/data: a
    year file a year, 2014-2026, of random figures (rows shuffled, some left out, some
    estimates; none of Bắc Kạn after it merged, no milestone of Yên Bái). Returns the plan's
    path."""
    import numpy as np

    regions = [{"name": name} for name in MANY_REGIONS]
    regions[1] = {"name": "Bắc Kạn", "until": 2025, "merged_into": "Thái Nguyên"}
    targets = folder / "targets.yaml"
    targets.write_text(
        plan_text(*MANY_REGIONS_INDICATORS, region="Thái Nguyên", regions=regions), "utf-8"
    )
    rng = np.random.default_rng(seed)
    data = folder / "data"
    data.mkdir()
    for year in range(2014, 2027):
        rows = []
        for region in MANY_REGIONS:
            for indicator in ["orgs", "spend", "budget", "lab", "share", "rev", "grdp"]:
                if (
                    rng.random() < 0.15
                    or (region == "Bắc Kạn" and year > 2025)  # merged into Thái Nguyên
                    or (region == "Yên Bái" and indicator == "lab")  # never reported
                ):
                    continue
                value = {"orgs": rng.integers(0, 12), "lab": rng.integers(0, 2)}.get(
                    indicator, round(float(rng.uniform(0.5, 30)), 2)
                )
                estimate = "x" if year >= 2025 and rng.random() < 0.3 else ""
                rows.append(f"{indicator},{region},{year},{value},{estimate}")
        rng.shuffle(rows)
        lines = ["indicator,region,year,value,estimate", *rows]
        (data / f"{year}.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return targets
