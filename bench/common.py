"""What the benchmarks share: the synthetic national set, the machine they ran on, and one
line per figure measured (its value beside its reference, ratio and verdict).

The scripts import it as `common` (their own folder is the first on `sys.path` when run as
`python bench/<script>.py`; a child process puts `bench/` there itself).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROWS: list[tuple[str, str, str, str, str]] = []  # figure, measured, reference, ratio, verdict


def report(figure: str, measured: str, reference: str, ratio: str, verdict: str) -> None:
    """Print one figure as it is measured and keep it for the summary."""
    ROWS.append((figure, measured, reference, ratio, verdict))
    print(f"  {figure}: {measured} | {reference} | {ratio} | {verdict}", flush=True)


def summary() -> None:
    """Every figure reported, one line each, then the machine again (its load has moved)."""
    print("\nsummary")
    for row in ROWS:
        print(" | ".join(row))
    print("machine:", machine())


def machine() -> str:
    """nproc, memory, CPU model and load average: the seconds depend on them, the ratios much
    less."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return f"nproc {os.cpu_count()}, memory {total}, CPU {cpu}, load average {load}"


def compile_package() -> str:
    """Byte-compile `kpis/` once, as installing a package does (pip compiles what it
    installs, and Python caches what it imports), so that each command measured loads the
    package as a user's would: with `PYTHONDONTWRITEBYTECODE` set (this machine sets it) every
    process would otherwise compile the package's sources again, ~0.2 s of each command,
    while pandas, the reference, is compiled. Returns a line for the benchmark's output."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "kpis")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
    return "kpis/ byte-compiled once (python -m compileall), as an installed package is" + (
        f" (PYTHONDONTWRITEBYTECODE={flag} here)" if flag else ""
    )


def generate(out: Path, scale: int, layout: str = "national") -> Path:
    """The synthetic national set (bench/make_national.py) at `scale` × 102,000 figures, in
    `layout`, written into `out` (targets.yaml, data/)."""
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "make_national.py"), str(out)]
        + ["--scale", str(scale), "--layout", layout],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out
