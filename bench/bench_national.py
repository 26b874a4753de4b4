"""National scale, measured: each figure beside its reference and bound, in one run.

    python bench/bench_national.py [--repeat 3] [--skip-1m] [--skip-server]

Writes the synthetic national set (bench/make_national.py: 34 provinces × 104 indicators ×
30 years = 102,000 figures, and ×10 = 1,020,000) into a temporary folder, then measures:

1. `python -m kpis status` as a whole process, against a process that only imports pandas
   and reads the same CSV files (pd.read_csv each), best of --repeat, run in turn;
   bound: ratio ≤ 2, at 102,000 and at 1,020,000 figures.
2. Reruns of the overview and /compare pages once cached (streamlit AppTest, best of
   5 reruns after a first run), on the synthetic set against the shipped data; bound ≤ 2×.
3. The peak memory (VmHWM of /proc/<pid>/status) of a real `streamlit run dashboard.py`
   on the 102,000 figures after Chromium opened the overview, /compare and /indicator;
   bound < 500 MB.
4. A figure changed under the data folder while that server runs: seen on the next rerun
   (a page reload), without a restart: the /compare total before and after.

Prints the machine (nproc, memory, CPU model, load average) first: the ratios are what
matters, the seconds depend on the machine and on what else it runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
REFERENCE = (
    "import sys, glob\nimport pandas as pd\n"
    "tables = [pd.read_csv(f) for f in sorted(glob.glob(sys.argv[1] + '/*.csv'))]\n"
)
ROWS: list[tuple[str, str, str, str, str]] = []  # figure, measured, reference, ratio, verdict


def report(figure: str, measured: str, reference: str, ratio: str, verdict: str) -> None:
    ROWS.append((figure, measured, reference, ratio, verdict))
    print(f"  {figure}: {measured} | reference {reference} | {ratio} | {verdict}", flush=True)


def machine() -> str:
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


def timed(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def generate(out: Path, scale: int) -> Path:
    subprocess.run(
        [PY, str(REPO / "bench" / "make_national.py"), str(out), "--scale", str(scale)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


# ---------------------------------------------------------------------------------------- 1


def bench_status(folder: Path, label: str, repeat: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "KPI_PLANS": str(folder / "plans")}
    status = [
        PY,
        "-m",
        "kpis",
        "status",
        "--targets",
        str(folder / "targets.yaml"),
        "--data",
        str(folder / "data"),
    ]
    reference = [PY, "-c", REFERENCE, str(folder / "data")]
    best_status = best_reference = float("inf")
    for _ in range(repeat):  # in turn, so both see the same machine load
        best_reference = min(best_reference, timed(reference))
        best_status = min(best_status, timed(status, env))
    ratio = best_status / best_reference
    report(
        f"status, {label}",
        f"{best_status:.2f} s",
        f"{best_reference:.2f} s (pandas reads the CSV files)",
        f"ratio {ratio:.2f}",
        "OK (≤ 2)" if ratio <= 2 else "OVER (> 2)",
    )


# ---------------------------------------------------------------------------------------- 2


def bench_pages(national: Path) -> None:
    from streamlit.testing.v1 import AppTest

    def rerun_time(env: dict[str, str], page: str | None) -> float:
        os.environ.update(env)
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300)
        at.run()
        if page:
            at.switch_page(page)
        at.run()  # fills the caches
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            at.run()
            best = min(best, time.perf_counter() - start)
        return best

    shipped = {
        "KPI_TARGETS": str(REPO / "targets.yaml"),
        "KPI_DATA": str(REPO / "data"),
        "KPI_PLANS": str(REPO / "plans"),
    }
    synthetic = {
        "KPI_TARGETS": str(national / "targets.yaml"),
        "KPI_DATA": str(national / "data"),
        "KPI_PLANS": str(national / "plans"),
    }
    for name, page in (("overview", None), ("/compare", "app_pages/compare.py")):
        reference = rerun_time(shipped, page)
        measured = rerun_time(synthetic, page)
        ratio = measured / reference
        report(
            f"{name} rerun, cached, 102,000 figures",
            f"{measured:.3f} s",
            f"{reference:.3f} s (shipped data)",
            f"ratio {ratio:.2f}",
            "OK (≤ 2)" if ratio <= 2 else "OVER (> 2)",
        )


# ---------------------------------------------------------------------------------------- 3, 4


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def bench_server(national: Path) -> None:
    sys.path.insert(0, str(REPO))
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import (
        CHROMIUM_ARGS,
        find_chromium,
        start_dashboard,
        stop_dashboard,
        wait_for_app,
    )

    chromium = find_chromium()
    if chromium is None:
        report("server peak memory", "not measured", "-", "-", "no Chromium")
        return
    env = {
        "KPI_TARGETS": str(national / "targets.yaml"),
        "KPI_DATA": str(national / "data"),
        "KPI_PLANS": str(national / "plans"),
    }
    url, server = start_dashboard(env)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 2000})
            for path in ("/", "/compare?id=ind_002", "/indicator?id=ind_002"):
                page.goto(url + path, wait_until="domcontentloaded")
                wait_for_app(page, timeout=300_000)
            peak = peak_memory_mb(server.pid)
            report(
                "server peak memory (VmHWM), 102,000 figures",
                f"{peak:.0f} MB",
                "500 MB (bound)",
                f"{peak / 500:.0%} of bound",
                "OK (< 500 MB)" if peak < 500 else "OVER",
            )

            def total_text() -> str:
                page.goto(url + "/compare?id=ind_002", wait_until="domcontentloaded")
                wait_for_app(page, timeout=300_000)
                metric = page.locator('[data-testid="stMetricValue"]').first
                metric.wait_for(timeout=60_000)
                return metric.inner_text()

            before = total_text()
            changed = national / "data" / "2025.csv"
            lines = changed.read_text(encoding="utf-8-sig").splitlines()
            at = next(i for i, line in enumerate(lines) if line.startswith("ind_002,"))
            cells = lines[at].split(",")
            cells[3] = str(round(float(cells[3]) + 1_000_000, 2))
            lines[at] = ",".join(cells)
            changed.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
            start = time.perf_counter()
            after = total_text()
            seconds = time.perf_counter() - start
            seen = after != before
            report(
                "changed figure seen without restart",
                f"total {before} -> {after}",
                f"same server (pid {server.pid})",
                f"next rerun, {seconds:.1f} s",
                "OK (seen)" if seen else "NOT SEEN",
            )
            browser.close()
    finally:
        stop_dashboard(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-1m", action="store_true", help="only the 102,000 figures")
    parser.add_argument("--skip-server", action="store_true", help="no Chromium/server part")
    args = parser.parse_args(argv)
    print("machine:", machine(), flush=True)
    with tempfile.TemporaryDirectory(prefix="kpi-national-") as tmp:
        national = generate(Path(tmp) / "x1", 1)
        print("1. python -m kpis status, whole process", flush=True)
        bench_status(national, "102,000 figures", args.repeat)
        if not args.skip_1m:
            big = generate(Path(tmp) / "x10", 10)
            bench_status(big, "1,020,000 figures", args.repeat)
        print("2. page reruns once cached (AppTest)", flush=True)
        bench_pages(national)
        if not args.skip_server:
            print("3-4. real server (streamlit run) and Chromium", flush=True)
            bench_server(national)
    print("\nsummary")
    for row in ROWS:
        print(" | ".join(row))
    print("machine:", machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
