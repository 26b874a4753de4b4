"""How long a large import takes: plan + apply of N figures spread over many year files.

    python bench/import_large.py [REGIONS]

Prints the size of the file and the seconds for parsing, planning and writing (a temporary
copy of data/ is used; the repo's data/ is never touched).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kpis import store  # noqa: E402
from kpis.plan import load_plan  # noqa: E402
from tests.helpers import large_upload  # noqa: E402  (the generator the kill -9 test uses)


def main() -> None:
    regions = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    plan = load_plan(REPO / "targets.yaml")[0]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        for file in (REPO / "data").glob("[0-9][0-9][0-9][0-9].csv"):
            shutil.copyfile(file, data / file.name)
        for seed, label in ((0, "all added"), (1, "all changed")):
            raw = large_upload(plan, seed, regions, range(1990, 2101)).encode("utf-8")
            t0 = time.perf_counter()
            table, problems = store.parse_upload(raw, "large.csv", plan, limit=None)
            t1 = time.perf_counter()
            planned = store.plan_import(data, plan, table, problems)
            t2 = time.perf_counter()
            result = store.apply_import(data, plan, planned, "bench")
            t3 = time.perf_counter()
            print(
                f"{label}: {len(table)} figures, {len(raw) / 1e6:.1f} MB, "
                f"{len(result.files)} files written | parse {t1 - t0:.2f} s, "
                f"plan {t2 - t1:.2f} s, apply {t3 - t2:.2f} s, total {t3 - t0:.2f} s"
            )
        t0 = time.perf_counter()
        store.undo(data, "bench")
        print(f"undo: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
