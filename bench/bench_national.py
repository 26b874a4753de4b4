"""National scale, measured: each figure beside its reference and bound, in one run.

    python bench/bench_national.py [--repeat 3] [--skip-3m] [--skip-pages] [--skip-server]
    python bench/bench_national.py --set DIR [--set DIR ...] [--repeat 3]

Writes the synthetic national set (bench/make_national.py: 34 provinces × 104 indicators ×
30 years = 102,000 figures, ×10 = 1,020,000 and ×30 = 3,060,000) into a temporary folder in
three layouts: `national` (one canonical file per year: 30 files of 34,000 rows at ×10),
`provinces` (one file per region, as provinces send them: 340 files of 3,000 rows, short
sources) and `scattered` (a layout unlike the generator's: 1,360 files of one region and
decade, semicolons, decimal commas, CR LF, long sources and notes). Then measures:

1. `python -m kpis status` as a whole process, against a process that only imports pandas
   and reads the same CSV files (pd.read_csv each, with the layout's separator), in turn,
   best of --repeat; also both pinned to one core (`taskset -c 0`). Peak memory of each
   process (its maximum resident set, from `os.wait4`). Bounds: time ≤ 2× and peak memory
   ≤ 2× the pandas read's, at 1,020,000 and 3,060,000 figures, on both layouts, pinned too.
2. `python -m kpis import` of one year for all 34,000 region-indicators at 1,020,000 figures
   (every one changed), then `python -m kpis undo` of it, as whole processes, on the three
   layouts; and the store's own time for each (the same calls in a process that has already
   imported the package), each the best of --repeat with its CPU time (user + system, every
   thread) beside it. Bound: under 3 s each. The import's reference in the same run: the
   same change made by a plain pandas script (every file read, the values put in, each
   changed file sorted and written back, synced; `REWRITE`), which neither checks nor keeps
   a history; and the floor beside it: pyarrow alone reading every file and writing back the
   files the import rewrote (`FLOOR`: nothing changed, checked or kept), the least any import
   could take on this machine.
3. Reruns of the overview and /compare pages once cached (streamlit AppTest), on the
   synthetic set against the shipped data; bound ≤ 2× (bench/bench_reruns.py measures the
   pages at 1,020,000 figures, in Chromium and the server's memory).
4. The peak memory (VmHWM) of a real `streamlit run dashboard.py` on the 102,000 figures after
   Chromium opened the overview, /compare and /indicator; bound < 500 MB. A figure changed
   under the data folder while that server runs: seen on the next rerun, without a restart.

`--set DIR` measures 1. and 2. on a data set made elsewhere instead (DIR/targets.yaml,
DIR/data/, and DIR/plans/ when its data folder also holds other plans' figures), generating
nothing: a set written independently of bench/ is measured as the generated ones are. The
pandas read takes each file's separator from its header (a semicolon: decimal commas);
the import is of the year with the most figures, every one of them changed (kept valid), and is
held to the 3 s bound when that year has at most 34,000 figures. The pandas script making the
same change is `REWRITE` where every file has one separator and the contract's column names,
`REWRITE_EACH` otherwise: each file read with its own separator, its headers taken by the
contract's names and aliases, regions matched as the reader matches them, written back in its
own layout.

Prints the machine (nproc, memory, CPU model, load average) first, and byte-compiles `kpis/`
once, as installing a package does (`common.compile_package`): the ratios are what matters,
the seconds depend on the machine and on what else it runs. Both sides of a ratio are
measured in the same run, one after the other.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import compile_package, generate, machine, report, summary

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
REFERENCE = (
    "import sys, glob\nimport pandas as pd\n"
    "sep, decimal = sys.argv[2], sys.argv[3]\n"
    "tables = [pd.read_csv(f, sep=sep, decimal=decimal)"
    " for f in sorted(glob.glob(sys.argv[1] + '/*.csv'))]\n"
)
# A set made elsewhere (`--set`) may mix separators: each file read with its header's.
REFERENCE_EACH = (
    "import sys, glob\nimport pandas as pd\n"
    "def read(name):\n"
    "    head = open(name, 'rb').readline().decode('utf-8-sig', 'replace')\n"
    "    sep = max([',', ';', '\\t'], key=head.count)\n"
    "    return pd.read_csv(name, sep=sep, decimal=',' if sep == ';' else '.')\n"
    "tables = [read(f) for f in sorted(glob.glob(sys.argv[1] + '/*.[cC][sS][vV]'))]\n"
)
# The separator and decimal mark each layout is written with (bench/make_national.py).
READ_AS = {"national": (",", "."), "provinces": (",", "."), "scattered": (";", ",")}


def timed(cmd: list[str], env: dict | None = None) -> float:
    return run(cmd, env)[0]


def timed_cpu(
    cmd: list[str], env: dict | None = None, exits: tuple[int, ...] = (0, 1)
) -> tuple[float, float]:
    """(seconds, CPU seconds) of one process: its user + system time, every thread counted,
    is what it costs the machine, which the seconds on a loaded machine overstate."""
    return run(cmd, env, cpu=True, exits=exits)


# Runs one command and reports its time and its peak memory: a small process of its own is
# the parent, so that the child's maximum resident set (getrusage of the children) is the
# child's alone, not the benchmark's own memory inherited at fork.
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
    " stderr=subprocess.DEVNULL).returncode\n"
    "seconds = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)\n"
)


def run(
    cmd: list[str], env: dict | None = None, cpu: bool = False, exits: tuple[int, ...] = (0, 1)
) -> tuple[float, float]:
    """(seconds, peak resident MB) of one process run to its end; its output is dropped.
    `cpu`: (seconds, CPU seconds) instead. Raises when it exits otherwise than `exits` (1:
    `status` found problems, still a full run)."""
    out = subprocess.run(
        [PY, "-c", MEASURE, *cmd], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    code, seconds, peak, used = out.stdout.split()
    if int(code) not in exits:
        shown = [part if len(part) <= 60 else part[:57] + "..." for part in cmd[:4]]
        raise RuntimeError(f"{shown} exited {code}")  # (a `-c` script cut short)
    return float(seconds), float(used) if cpu else int(peak) / 1024


def verdict(ratio: float, bound: float = 2.0) -> str:
    return f"OK (≤ {bound:g})" if ratio <= bound else f"OVER (> {bound:g})"


# ---------------------------------------------------------------------------------------- 1


def environment(folder: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "KPI_PLANS": str(folder / "plans")}


def validates(folder: Path) -> bool:
    """Whether `python -m kpis validate` accepts the set (targets.yaml, data/); the end of
    what it says when it does not: a set the reader refuses measures nothing."""
    check = subprocess.run(
        [PY, "-m", "kpis", "validate", "--targets", str(folder / "targets.yaml")]
        + ["--data", str(folder / "data")],
        env=environment(folder),
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        print(check.stdout[-2000:], check.stderr[-2000:])
    return check.returncode == 0


def written_for_national_plan(root: Path, name: str, write) -> tuple[Path, int] | None:
    """A set written apart from make_national.py's layouts but for its plan: `write(folder,
    plan_file)` writes `root / name` (targets.yaml, data/) and returns its number of figures.
    (folder, figures) once `validates` accepts it; None, what it says printed, when not."""
    plan = generate(root / "plan", 1) / "targets.yaml"
    folder = root / name
    figures = write(folder, plan)
    shutil.rmtree(root / "plan")
    return (folder, figures) if validates(folder) else None


def bench_status(
    folder: Path, label: str, layout: str, repeat: int, read_as: str | None = None
) -> None:
    """`read_as="each"`: the pandas read takes each file's separator from its header (a set
    made elsewhere), not the layout's."""
    env = environment(folder)
    status = [PY, "-m", "kpis", "status", "--targets", str(folder / "targets.yaml")]
    status += ["--data", str(folder / "data")]
    reference = (
        [PY, "-c", REFERENCE_EACH, str(folder / "data")]
        if read_as == "each"
        else [PY, "-c", REFERENCE, str(folder / "data"), *READ_AS[layout]]
    )
    pinned = ["taskset", "-c", "0"] if shutil.which("taskset") else None
    # The files this benchmark has written so far (the data sets, the imports' rewrites) go to
    # the disk first: written back while `status` runs, they took ~0.2 s of its 1.7 s at
    # 3,060,000 figures (both its cores busy) and nothing of the pandas read's (one core).
    os.sync()
    # Other work on the machine moves the seconds (the ratios much less): said per data set.
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"  {label}: load average {load} before", flush=True)
    for name, prefix in (("", []), (", pinned to one core", pinned)):
        if prefix is None:
            report(f"status, {label}{name}", "not measured", "-", "-", "no taskset")
            continue
        best = {"status": float("inf"), "reference": float("inf")}
        peak = {"status": 0.0, "reference": 0.0}
        for _ in range(repeat):  # in turn, so both see the same machine load
            for key, cmd, cmd_env in (("reference", reference, None), ("status", status, env)):
                # (the reference exits 0 or is no reference: a read cut short is quick)
                seconds, mb = run(prefix + cmd, cmd_env, exits=(0, 1) if key == "status" else (0,))
                best[key] = min(best[key], seconds)
                peak[key] = max(peak[key], mb)
        ratio = best["status"] / best["reference"]
        report(
            f"status, {label}{name}",
            f"{best['status']:.2f} s",
            f"reference {best['reference']:.2f} s (pandas reads the CSV files)",
            f"ratio {ratio:.2f}",
            verdict(ratio),
        )
        if not name:
            memory = peak["status"] / peak["reference"]
            report(
                f"status peak memory, {label}",
                f"{peak['status']:.0f} MB",
                f"reference {peak['reference']:.0f} MB (pandas reads the CSV files)",
                f"ratio {memory:.2f}",
                verdict(memory),
            )


# ---------------------------------------------------------------------------------------- 2

# A child that times the store's own calls, the package already imported, in a process set
# up as the dashboard's server is (ordinary pages: dashboard.py), as the data page imports.
STORE_TIMES = """
import json, sys, time
from pathlib import Path
from kpis.bulk_memory import no_huge_pages
no_huge_pages()
from kpis import store
from kpis.catalogue import sibling_ids
from kpis.plan import load_plan
plan, _ = load_plan(sys.argv[1])
also_known = sibling_ids(sys.argv[1])  # (a data folder shared with other plans)
data, upload = Path(sys.argv[2]), Path(sys.argv[3])
start, start_cpu = time.perf_counter(), time.process_time()
table, problems = store.parse_upload(upload.read_bytes(), upload.name, plan, limit=None)
import_plan, result = store.import_figures(
    data, plan, table, problems, "bench", also_known, accept_warnings=True
)
middle, middle_cpu = time.perf_counter(), time.process_time()
store.undo(data, "bench")
end, end_cpu = time.perf_counter(), time.process_time()
print(json.dumps({"import": middle - start, "undo": end - middle,
                  "import_cpu": middle_cpu - start_cpu, "undo_cpu": end_cpu - middle_cpu,
                  "changed": len(import_plan.changed), "errors": len(import_plan.errors)}))
"""


def year_upload(folder: Path, out: Path, year: int = 2025, layout: str = "national") -> int:
    """One year of every region-indicator, every value changed (kept valid: a milestone
    flipped, a percentage kept within 100, a whole number whole), from `folder`'s files as
    `layout` writes them. Made in a child process: the benchmark itself stays small (see
    `run`)."""
    code = (
        "import sys\nfrom pathlib import Path\nsys.path.insert(0, sys.argv[1])\n"
        "from bench_national import make_upload\n"
        "print(make_upload(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5]))\n"
    )
    out_text = subprocess.run(
        [PY, "-c", code, str(REPO / "bench"), str(folder), str(out), str(year), layout],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out_text.split()[-1])


def make_upload(folder: Path, out: Path, year: int, layout: str = "national") -> int:
    import pandas as pd

    sep, decimal = READ_AS[layout]
    frames = [
        pd.read_csv(file, dtype=str, keep_default_na=False, sep=sep)
        for file in sorted((folder / "data").glob("*.csv"))
    ]
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[rows["year"] == str(year)].copy()
    values = rows["value"].str.replace(decimal, ".", regex=False)  # (written with a point)
    rows["value"] = changed_values(folder, rows["indicator"], values)
    rows["source"] = f"Báo cáo bổ sung năm {year + 1}"
    rows[["indicator", "region", "year", "value", "source"]].to_csv(out, index=False)
    return len(rows)


def changed_values(folder: Path, indicators, values) -> list[str]:
    """Each value (text) of the plan's `indicators` changed and kept valid, as text: a
    milestone flipped, a percentage kept within 100, a whole number whole."""
    import yaml

    document = yaml.safe_load((folder / "targets.yaml").read_text(encoding="utf-8"))
    kinds = {ind["id"]: ind for ind in document["indicators"]}
    value = values.astype(float)
    milestone = indicators.map(lambda i: kinds[i].get("kind") == "milestone")
    percent = indicators.map(lambda i: kinds[i].get("unit") == "%")
    new = value.where(~milestone, 1 - value) + (~milestone) * (1 - 2 * (percent & (value > 98)))
    return [str(int(v)) if float(v).is_integer() else repr(float(v)) for v in new]


def bench_import(folder: Path, label: str, work: Path, layout: str, repeat: int = 1) -> None:
    """A year's import of every region-indicator (`year_upload`) and its undo, timed by
    `timed_imports`."""
    upload = work / "upload.csv"
    count = year_upload(folder, upload, layout=layout)
    timed_imports(folder, work / "data", upload, count, READ_AS[layout][0], repeat, label)


def timed_imports(
    folder: Path,
    data: Path,
    upload: Path,
    count: int,
    sep: str | None,
    repeat: int,
    label: str,
    bounded: bool = True,
) -> None:
    """Import `upload` (`count` changed figures) into a fresh copy of `folder`'s data at
    `data`, then undo it, each the best of `repeat`, as whole processes and as the store's
    calls, with the CPU time beside each (user + system, every thread: on a loaded machine the
    seconds overstate what the import costs) and the pandas script's same change
    (`rewrite_reference`, `sep` the files' separator; None: files each in their own layout)
    run in turn with the whole processes;
    reported against the bound (`report_against_bound`, `bounded`)."""
    env = environment(folder)
    common = ["--targets", str(folder / "targets.yaml"), "--data", str(data)]
    rewrite = float("inf")
    floor = float("inf")
    rewritten: list[str] | None = None
    for kind in ("process", "store"):
        best: dict[str, tuple[float, float]] = {}
        for _ in range(repeat):
            if kind == "process" and rewrite is not None:  # in turn with the import: both
                # see the same machine load
                try:
                    rewrite = min(rewrite, rewrite_reference(folder / "data", data, upload, sep))
                except RuntimeError:  # a set whose columns neither script can take
                    rewrite = None
            if data.exists():
                shutil.rmtree(data)
            shutil.copytree(folder / "data", data)
            # On the disk before the clock starts, as a data folder is: otherwise the import's
            # sync of the files it keeps as backups writes this fresh copy too.
            os.sync()
            if kind == "process":
                # (exit 0 only: an import refused for an error is quick and measures nothing)
                imported = timed_cpu(
                    [PY, "-m", "kpis", "import", str(upload), *common, "--user", "bench"]
                    + ["--accept-warnings", "--no-size-limit"],
                    env,
                    exits=(0,),
                )
                if rewritten is None:  # (which files the import rewrites: the floor's too)
                    rewritten = rewritten_files(folder / "data", data)
                floor = min(
                    floor, floor_reference(folder / "data", data.with_name("floor"), rewritten)
                )
                undo = [PY, "-m", "kpis", "undo", "--data", str(data), "--user", "bench"]
                undone = timed_cpu(undo, env, exits=(0,))
                where = "python -m kpis import / undo, whole process"
            else:
                imported, undone = store_times(folder, data, upload, env, count)
                where = "the store's calls, package imported"
            for what, measured in (("import", imported), ("undo", undone)):
                best[what] = min(best.get(what, measured), measured)
        report_against_bound(
            best, f"{count:,} changed figures, {label} ({where})", bounded, rewrite, floor
        )


def store_times(
    folder: Path, data: Path, upload: Path, env: dict, count: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(seconds, CPU seconds) of the import of `upload` into `data` and of its undo, as the
    data page makes them: the store's calls in a process with the package imported, the plan
    loaded and the server's setting (`STORE_TIMES`). Raises unless the import changed `count`
    figures."""
    out = subprocess.run(
        [PY, "-c", STORE_TIMES, str(folder / "targets.yaml"), str(data), str(upload)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    times = json.loads(out.stdout.strip().splitlines()[-1])
    if times["changed"] != count or times["errors"]:
        raise RuntimeError(f"import did not change {count} figures: {times}")
    return (times["import"], times["import_cpu"]), (times["undo"], times["undo_cpu"])


def report_against_bound(
    best: dict[str, tuple[float, float]],
    figures: str,
    bounded: bool = True,
    rewrite: float | None = None,
    floor: float | None = None,
) -> None:
    """Each best (seconds, CPU seconds) of `best` ("import", "undo") beside the issue's 3 s
    bound for a year's 34,000 changed figures; `bounded`: False for more figures than that
    (shown beside it, judged by none). `rewrite`: the seconds of the same change made with
    pandas in the same run (`rewrite_reference`), the import's ratio to it beside the bound:
    the bound is in seconds of this machine, the ratio much less so; None: not measured (its
    files' columns are not named as the contract names them). `floor`: the seconds of
    `FLOOR` in the same run (pyarrow reading every file and writing the same ones, nothing
    checked), the least any import could take here."""
    for what, (seconds, cpu) in best.items():
        reference = "3 s (bound)" if bounded else "3 s (bound at 34,000)"
        ratio = f"{seconds / 3:.0%} of bound (CPU {cpu / 3:.0%})"
        if what == "import" and rewrite is None:
            reference += "; pandas script not measured (the files' columns are named otherwise)"
        elif what == "import":
            reference += f"; pandas makes the same change in {rewrite:.2f} s"
            ratio += f"; ratio {seconds / rewrite:.2f} of pandas's"
        if what == "import" and floor is not None and floor != float("inf"):
            reference += f"; pyarrow alone reads and writes the files in {floor:.2f} s (floor)"
            ratio += f"; {seconds / floor:.1f}× the floor"
        report(
            f"{what} of {figures}",
            f"{seconds:.2f} s (CPU {cpu:.2f} s)",
            reference,
            ratio,
            ("OK (< 3 s)" if seconds < 3 else "OVER") if bounded else "(no bound)",
        )


# The same change made by a plain pandas script, the import's reference in the same run: every
# file read as text, the upload's values and sources put in by indicator, region and year, each
# file holding a change sorted by them and written back (UTF-8 with BOM, synced, as the store
# syncs its files). No check, no backup, no audit trail: less than an import does. The upload's
# first five columns name the files' indicator, region, year, value and source columns.
REWRITE = """
import glob, os, sys
import pandas as pd
data, upload, sep = sys.argv[1], sys.argv[2], sys.argv[3]
changes = pd.read_csv(upload, dtype=str, keep_default_na=False)
indicator, region, year, value, source = changes.columns[:5]
keys = [indicator, region, year]
files = sorted(glob.glob(os.path.join(data, "*.csv")))
tables = [pd.read_csv(f, dtype=str, keep_default_na=False, sep=sep) for f in files]
rows = pd.concat(tables, keys=range(len(files)), names=["_file", None]).reset_index(level=0)
rows = rows.merge(changes[[*keys, value, source]], on=keys, how="left", suffixes=("", "_new"))
new = rows[value + "_new"].notna()
rows.loc[new, value] = rows.loc[new, value + "_new"]
rows.loc[new, source] = rows.loc[new, source + "_new"]
rows = rows.drop(columns=[value + "_new", source + "_new"])
changed = set(rows.loc[new, "_file"])
rows = rows[rows["_file"].isin(changed)].sort_values(["_file", *keys])
for code, part in rows.groupby("_file", sort=False):
    with open(files[code], "w", encoding="utf-8-sig", newline="") as out:
        part.drop(columns="_file").dropna(axis=1, how="all").to_csv(out, index=False)
        out.flush()
        os.fsync(out.fileno())
if int(new.sum()) != len(changes):
    sys.exit(3)
"""


# The same change on a set whose files are each laid out their own way, as staff send them
# (`--set`; bench/make_independent.py's set B): each file read with its header's separator (a
# semicolon: decimal commas), its headers stripped, folded (case, diacritics, spaces) and
# taken by the contract's names and aliases (argv[3], JSON: alias -> column), indicator,
# region and year matched as the reader matches them (stripped; a region's case, spacing,
# diacritics and a leading "tỉnh " or "thành phố " set aside, over its distinct names only),
# each changed file written back in its own layout (its separator, its headers, its decimal
# mark), sorted by those keys, synced.
REWRITE_EACH = """
import glob, json, os, re, sys, unicodedata
import pandas as pd
data, upload = sys.argv[1], sys.argv[2]
def fold(text):
    plain = unicodedata.normalize("NFD", text.strip().replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return "_".join(plain.replace("_", " ").split())
aliases = {fold(alias): column for alias, column in json.loads(sys.argv[3]).items()}
def region_key(cells):
    codes, names = pd.factorize(cells.fillna(""))
    nfc = [unicodedata.normalize("NFC", name).strip().casefold() for name in names]
    keys = [fold(re.sub(r"^(tỉnh|thành phố)\\s+", "", name)) for name in nfc]
    return pd.Series(pd.Index(keys).take(codes), index=cells.index) if len(codes) else cells
changes = pd.read_csv(upload, dtype=str, keep_default_na=False)
changes["_region"] = region_key(changes["region"])
files = sorted(glob.glob(os.path.join(data, "*.[cC][sS][vV]")))
tables, layouts = [], []
for code, name in enumerate(files):
    with open(name, "rb") as lines:
        head = lines.readline().decode("utf-8-sig", "replace")
    sep = max([",", ";", "\t"], key=head.count)
    table = pd.read_csv(name, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    headers = list(table.columns)
    table.columns = [aliases.get(fold(column), column) for column in headers]
    layouts.append((sep, headers, list(table.columns)))
    table["_file"] = code
    tables.append(table)
rows = pd.concat(tables, ignore_index=True)
rows["indicator"] = rows["indicator"].str.strip()
rows["year"] = rows["year"].str.strip()
if "region" not in rows:
    rows["region"] = ""
rows["_region"] = region_key(rows["region"].fillna(""))
regions = changes["_region"].unique()
if len(regions) == 1:  # a plan of one region: its files may leave the cell empty
    rows.loc[rows["_region"] == "", "_region"] = regions[0]
keys = ["indicator", "_region", "year"]
rows = rows.merge(
    changes[[*keys, "value", "source"]], on=keys, how="left", suffixes=("", "_new")
)
new = rows["value_new"].notna()
rows.loc[new, "value"] = rows.loc[new, "value_new"]
rows.loc[new, "source"] = rows.loc[new, "source_new"]
changed = set(rows.loc[new, "_file"])
rows = rows[rows["_file"].isin(changed)].sort_values(["_file", *keys])
for code, part in rows.groupby("_file", sort=False):
    sep, headers, columns = layouts[code]
    part = part.loc[:, columns]
    if sep == ";":
        part["value"] = part["value"].str.replace(".", ",", regex=False)
    part.columns = headers
    with open(files[code], "w", encoding="utf-8-sig", newline="") as out:
        part.to_csv(out, index=False, sep=sep)
        out.flush()
        os.fsync(out.fileno())
if int(new.sum()) != len(changes):
    sys.exit(3)
"""


# The least any import of the same change could cost on this machine: pyarrow alone reads
# every file of the set (each with its header's separator, every cell as text, two threads)
# and writes back the files the import rewrote (argv[2], one name a line), each sorted by its
# first three columns and synced. Nothing is changed, checked, backed up or recorded: a floor
# beside the import, not the same work (the pandas script above is that).
FLOOR = """
import os, sys
from concurrent.futures import ThreadPoolExecutor
import pyarrow as pa
import pyarrow.csv as csv
data, rewritten = sys.argv[1], set(filter(None, sys.argv[2].split("\\n")))
names = sorted(n for n in os.listdir(data) if n.lower().endswith(".csv"))
def read(name):
    with open(os.path.join(data, name), "rb") as f:
        raw = f.read()
    head = raw.split(b"\\n", 1)[0].decode("utf-8-sig", "replace").strip()
    sep = max([",", ";", "\\t"], key=head.count)
    columns = [c.strip().strip('"') for c in head.split(sep)]
    return csv.read_csv(
        pa.py_buffer(raw),
        read_options=csv.ReadOptions(use_threads=False, skip_rows=1, column_names=columns),
        parse_options=csv.ParseOptions(delimiter=sep, newlines_in_values=True),
        convert_options=csv.ConvertOptions(
            column_types=dict.fromkeys(columns, pa.string()), strings_can_be_null=False
        ),
    )
def write(name, table):
    table = table.sort_by([(c, "ascending") for c in table.column_names[:3]])
    with open(os.path.join(data, name), "wb") as out:
        csv.write_csv(table, out)
        out.flush()
        os.fsync(out.fileno())
with ThreadPoolExecutor(2) as pool:
    tables = dict(zip(names, pool.map(read, names)))
    list(pool.map(lambda name: write(name, tables[name]), sorted(rewritten & set(names))))
"""


@functools.cache
def contract_aliases() -> str:
    """The contract's column names and aliases as `REWRITE_EACH` takes them (JSON: alias -> its
    column), from the package's own list in a child process (once a run)."""
    code = (
        "import json, sys\nsys.path.insert(0, sys.argv[1])\n"
        "from kpis.figures import HEADER_ALIASES\n"
        "print(json.dumps(HEADER_ALIASES, ensure_ascii=False))\n"
    )
    shown = subprocess.run(
        [PY, "-c", code, str(REPO)], capture_output=True, text=True, check=True
    ).stdout
    return shown


def rewrite_reference(original: Path, work: Path, upload: Path, sep: str | None) -> float:
    """The seconds of `REWRITE` on a fresh copy of `original` at `work` (removed after), as a
    whole process (pandas imported, as the import's process imports it); of `REWRITE_EACH`
    when `sep` is None (a set whose files each have their own layout and headers)."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(original, work)
    os.sync()  # (as before the import: see `timed_imports`)
    if sep is None:
        script = [PY, "-c", REWRITE_EACH, str(work), str(upload), contract_aliases()]
    else:
        script = [PY, "-c", REWRITE, str(work), str(upload), sep]
    # (only 0: a Python error exits 1, which `status` may)
    seconds = run(script, exits=(0,))[0]
    shutil.rmtree(work)
    return seconds


def floor_reference(original: Path, work: Path, rewritten: list[str]) -> float:
    """The seconds of `FLOOR` on a fresh copy of `original` at `work` (removed after), as a
    whole process, writing back the files `rewritten`."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(original, work)
    os.sync()  # (as before the import: see `timed_imports`)
    seconds = run([PY, "-c", FLOOR, str(work), "\n".join(rewritten)], exits=(0,))[0]
    shutil.rmtree(work)
    return seconds


def rewritten_files(original: Path, data: Path) -> list[str]:
    """The CSV files of `data` whose bytes differ from `original`'s (an import's rewrites)."""
    return sorted(
        path.name
        for path in data.iterdir()
        if path.suffix.lower() == ".csv"
        and (
            not (original / path.name).is_file()
            or path.read_bytes() != (original / path.name).read_bytes()
        )
    )


# ------------------------------------------------------------------------- a set made elsewhere


def bench_given_set(folder: Path, repeat: int) -> None:
    """1. and 2. on a set made elsewhere (`--set`): nothing generated, its files copied before
    the import, never written."""
    label = f"given set {folder.name}"
    if not (folder / "targets.yaml").is_file() or not (folder / "data").is_dir():
        report(label, "not measured", "-", "-", "needs DIR/targets.yaml and DIR/data/")
        return
    if not validates(folder):
        report(label, "not measured", "-", "-", "python -m kpis validate refuses it (above)")
        return
    separator = uniform_separator(folder / "data")  # (which pandas rewrite: `timed_imports`)
    with tempfile.TemporaryDirectory(prefix="kpi-given-") as tmp:
        work = Path(tmp)
        figures, year, count = given_set_upload(folder, work / "upload.csv")
        files = sum(f.suffix.lower() == ".csv" for f in (folder / "data").iterdir())
        label = f"{figures:,} figures, {files} files (given set {folder.name})"
        print(f"1. python -m kpis status, {label}", flush=True)
        bench_status(folder, label, "national", repeat, "each")
        print(f"2. import of {year}: {count:,} figures changed", flush=True)
        timed_imports(
            folder,
            work / "data",
            work / "upload.csv",
            count,
            separator,
            repeat,
            label,
            bounded=count <= 34_000,
        )


def uniform_separator(data: Path) -> str | None:
    """The separator every CSV file of `data` is written with when all of them have it and
    name their columns only as the contract does (`REWRITE` makes the same change as the
    import on such a set); None otherwise (`REWRITE_EACH`)."""
    contract = {"indicator", "region", "year", "value", "source", "note", "name", "estimate"}
    separators = set()
    for file in data.glob("*.[cC][sS][vV]"):
        with file.open("rb") as lines:
            header = lines.readline().decode("utf-8-sig", "replace").rstrip("\r\n")
        separator = max([",", ";", "\t"], key=header.count)
        if not set(header.split(separator)) <= contract:
            return None
        separators.add(separator)
    return separators.pop() if len(separators) == 1 else None


def given_set_upload(folder: Path, out: Path) -> tuple[int, int, int]:
    """Write `out`: the figures of the set's year with the most of them (the latest among
    equals), every value changed and kept valid (`changed_values`), with the contract's
    column names. Returns (figures in the set, that year, figures changed). Read by the
    package's own reader in a child process, whatever the files' layout and column names."""
    code = (
        "import sys\nfrom pathlib import Path\nsys.path.insert(0, sys.argv[1])\n"
        "from bench_national import write_given_upload\n"
        "print(*write_given_upload(Path(sys.argv[2]), Path(sys.argv[3])))\n"
    )
    shown = subprocess.run(
        [PY, "-c", code, str(REPO / "bench"), str(folder), str(out)],
        env=environment(folder),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures, year, count = (int(part) for part in shown.split()[-3:])
    return figures, year, count


def write_given_upload(folder: Path, out: Path) -> tuple[int, int, int]:
    sys.path.insert(0, str(REPO))
    from kpis.catalogue import sibling_ids
    from kpis.figures import read_figures
    from kpis.plan import load_plan

    plan, _ = load_plan(folder / "targets.yaml")
    table = read_figures(folder / "data", plan, sibling_ids(folder / "targets.yaml")).table
    per_year = table["year"].value_counts()
    year = int(max(per_year.index, key=lambda y: (per_year[y], y)))
    rows = table[table["year"] == year][["indicator", "region", "year", "value"]].copy()
    rows["value"] = changed_values(folder, rows["indicator"], rows["value"].map(repr))
    rows["source"] = f"Báo cáo bổ sung năm {year + 1}"
    rows.to_csv(out, index=False)
    return len(table), year, len(rows)


# ---------------------------------------------------------------------------------------- 3


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


# ---------------------------------------------------------------------------------------- 4


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
    parser.add_argument("--skip-3m", action="store_true", help="not the 3,060,000 figures")
    parser.add_argument("--skip-import", action="store_true", help="no import/undo part")
    parser.add_argument("--skip-pages", action="store_true", help="no AppTest page reruns")
    parser.add_argument("--skip-server", action="store_true", help="no Chromium/server part")
    parser.add_argument(
        "--set",
        action="append",
        type=Path,
        metavar="DIR",
        help="a set made elsewhere (DIR/targets.yaml, DIR/data/): 1. and 2. on it, nothing "
        "generated",
    )
    args = parser.parse_args(argv)
    print("machine:", machine(), flush=True)
    print(compile_package(), flush=True)
    if args.set:
        for folder in args.set:
            bench_given_set(folder.resolve(), args.repeat)
        summary()
        return 0
    with tempfile.TemporaryDirectory(prefix="kpi-national-") as tmp:
        root = Path(tmp)
        print("1. python -m kpis status, whole process, beside a pandas read", flush=True)
        national = generate(root / "national-x1", 1)
        bench_status(national, "102,000 figures, 30 files", "national", args.repeat)
        sets = [
            ("national", 10, "1,020,000 figures, 30 files of 34,000 rows"),
            ("provinces", 10, "1,020,000 figures, 340 files of 3,000 rows"),
            ("scattered", 10, "1,020,000 figures, 1,360 files, ';' and long texts"),
        ]
        if not args.skip_3m:
            sets += [
                ("national", 30, "3,060,000 figures, 30 files of 102,000 rows"),
                ("provinces", 30, "3,060,000 figures, 1,020 files of 3,000 rows"),
            ]
        for layout, scale, label in sets:
            folder = generate(root / f"{layout}-x{scale}", scale, layout)
            bench_status(folder, label, layout, args.repeat)
            if scale == 10 and not args.skip_import:
                work = root / f"work-{layout}"
                work.mkdir()
                bench_import(folder, label, work, layout, args.repeat)
                shutil.rmtree(work)
            if scale == 30:
                shutil.rmtree(folder)  # ~0.5 GB each: not kept longer than needed
        if not args.skip_pages:
            print("3. page reruns once cached (AppTest)", flush=True)
            bench_pages(national)
        if not args.skip_server:
            print("4. real server (streamlit run) and Chromium", flush=True)
            bench_server(national)
    summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
