"""Time `python -m kpis status` on the national data set from PostgreSQL and from the CSV folder.

    python bench/bench_postgres.py [--scale 10] [--repeat 3] [--url postgresql://…]

Generates the synthetic national set (bench/make_national.py; `--scale 10`: 1,020,000
figures) in a temporary folder, loads it into a database (`python -m kpis db load`), then runs
`status` in turn on the folder (`--data`) and on the database (`KPI_DATABASE_URL`) and prints
the best time of each and their ratio; the aim is at most 1.5. Without `--url` it starts a
throwaway server of its own (tests/postgres.py: Debian's postgresql package). The outputs of
both runs must be identical, or the figures mean nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PY = sys.executable
BOUND = 1.5


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


@contextlib.contextmanager
def database(url: str | None):
    if url:
        yield url
        return
    from tests.postgres import running_server

    with running_server() as server:
        yield server.database()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", help="an empty, upgraded database (default: a server of our own)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kpi-bench-pg-") as tmp, database(args.url) as url:
        out = Path(tmp) / "national"
        subprocess.run(
            [PY, str(REPO / "bench" / "make_national.py"), str(out), "--scale", str(args.scale)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        base = {k: v for k, v in os.environ.items() if k != "KPI_DATABASE_URL"}
        env = {**base, "PYTHONPATH": str(REPO), "KPI_PLANS": str(out / "plans")}
        loaded, _ = run([PY, "-m", "kpis", "db", "load", str(out / "data"), "--url", url], env)
        figures = sum(
            sum(1 for _ in f.open(encoding="utf-8-sig")) - 1 for f in (out / "data").glob("*.csv")
        )
        print(f"{figures:,} figures; db load {loaded:.1f} s", flush=True)
        targets = ["--targets", str(out / "targets.yaml")]
        folder_cmd = [PY, "-m", "kpis", "status", *targets, "--data", str(out / "data")]
        database_cmd = [PY, "-m", "kpis", "status", *targets]
        database_env = {**env, "KPI_DATABASE_URL": url}
        best_folder = best_database = float("inf")
        for _ in range(args.repeat):  # in turn, so both see the same machine load
            took, folder_out = run(folder_cmd, env)
            best_folder = min(best_folder, took)
            took, database_out = run(database_cmd, database_env)
            best_database = min(best_database, took)
            if database_out != folder_out:
                print("FAIL: status from the database differs from status from the folder")
                return 1
        ratio = best_database / best_folder
        verdict = f"OK (≤ {BOUND})" if ratio <= BOUND else f"OVER (> {BOUND})"
        print(f"status from the CSV folder: {best_folder:.2f} s (best of {args.repeat})")
        print(f"status from PostgreSQL:     {best_database:.2f} s (best of {args.repeat})")
        print(f"ratio {ratio:.2f}: {verdict}")
        return 0 if ratio <= BOUND else 1


if __name__ == "__main__":
    sys.exit(main())
