"""A 3-million-figure national set as Excel writes year files, measured as bench_national.py
measures: the case nearest the bound (over it until 3 December 2026).

    python bench/bench_excel_years.py [--repeat 3]

Written apart from make_national.py (first outside the repository, to measure on data its
shapes do not hide): one file per year, 1996-2025, each with every region and indicator;
Windows line ends; region names of many lengths (1,020 communes and wards), every one quoted;
rows shuffled within each file; values with three decimals (`393.787`: each a thousands-dot
warning, CONTRACT.md v2), whole numbers for `integer` indicators, one decimal for
percentages; a short, a long or no source and a note on some rows. About 2,940,000 figures.
The plan is make_national.py's (its indicators' ids, kinds and units).

Measured: `python -m kpis status` beside a pandas read of the same files (best of `--repeat`,
in turn, unpinned and pinned to one core, peak memory). Every figure is random and says so.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from pathlib import Path

import numpy as np
import yaml
from bench_national import bench_status, written_for_national_plan
from common import compile_package, machine, summary

YEARS = range(1996, 2026)
SYLLABLES = [
    "An",
    "Bình",
    "Phú",
    "Tân",
    "Long",
    "Hòa",
    "Thạnh",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Hưng",
    "Phước",
    "Lộc",
    "Thuận",
    "Mỹ",
    "Xuân",
    "Quang",
    "Sơn",
    "Hải",
    "Thủy",
    "Lâm",
    "Đức",
]
SOURCES = [
    "Cục Thống kê",
    "Báo cáo số 12/BC-SKHCN ngày 15/11 của Sở Khoa học và Công nghệ",
    "Niên giám thống kê tỉnh, bảng 3.2, trang 145; số liệu ước thực hiện theo báo cáo nhanh "
    "của các huyện, chưa được thẩm định (minh họa, số liệu sinh ngẫu nhiên)",
    "",
    "CTK",
]


def region_name(number: int) -> str:
    pick = random.Random(number)
    words = " ".join(pick.choice(SYLLABLES) for _ in range(pick.choice([1, 2, 2, 3, 4])))
    kind = pick.choice(["Xã", "Phường", "Thị trấn", "Đặc khu"])
    if pick.random() < 0.5:
        return f"{kind} {words} ({number})"
    return f"{kind} {words} – tỉnh số {number % 34 + 1}"


def write_set(out: Path, plan_file: Path, seed: int = 2026) -> int:
    """The set into `out` (targets.yaml, data/): returns its number of figures."""
    rng = np.random.default_rng(seed)
    (out / "data").mkdir(parents=True)
    shutil.copy(plan_file, out / "targets.yaml")
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    indicators = [i for i in plan["indicators"] if not i.get("formula")]
    regions = [region_name(k) for k in range(1020)]
    total = 0
    for year in YEARS:
        lines = []
        for indicator in indicators:
            values = _values(rng, indicator, len(regions))
            sources = rng.integers(0, len(SOURCES), len(regions))
            for region, value, source in zip(regions, values, sources, strict=True):
                text = SOURCES[source]
                text = f'"{text}"' if "," in text else text
                note = "số liệu điều chỉnh" if source == 2 else ""
                lines.append(f'{indicator["id"]},"{region}",{year},{value},{text},{note}\r\n')
        random.Random(year).shuffle(lines)
        total += len(lines)
        with (out / "data" / f"so-lieu-{year}.csv").open("w", encoding="utf-8", newline="") as f:
            f.write("indicator,region,year,value,source,note\r\n")
            f.writelines(lines)
    return total


def _values(rng: np.random.Generator, indicator: dict, count: int) -> np.ndarray:
    if indicator.get("kind") == "milestone":
        return rng.integers(0, 2, count).astype(str)
    if indicator.get("integer"):
        return rng.integers(0, 5000, count).astype(str)
    if indicator.get("unit") == "%":
        return np.char.mod("%.1f", rng.uniform(0, 100, count))
    return np.char.mod("%.3f", rng.uniform(0, 2000, count))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print("machine:", machine(), flush=True)
    print(compile_package(), flush=True)
    with tempfile.TemporaryDirectory(prefix="kpi-excel-years-") as tmp:
        written = written_for_national_plan(Path(tmp), "excel-years", write_set)
        if written is None:
            return 1
        folder, figures = written
        label = f"Excel's year files, {figures:,} figures, 30 files"
        bench_status(folder, label, "national", args.repeat)
    summary()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
