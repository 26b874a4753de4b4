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
