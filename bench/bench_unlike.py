"""A national set unlike bench/make_national.py's, measured as bench_national.py measures.

    python bench/bench_unlike.py [--repeat 3] [--districts 16]

Written apart from make_national.py, to catch what its shapes hide: one file per province as
it was before July 2025 (63 files), Vietnamese headers in another order (`địa bàn, năm, chỉ
tiêu, giá trị, nguồn, ghi chú, ước tính`), rows in no order, 16 districts a province and 70 of
the plan's 100 indicators in each (others missing), 2011-2025 with gaps, values with 0-4
decimals (three decimals, 12.345, are each a thousands-dot warning, CONTRACT.md v2), a
different source on every row holding a comma (so every source is quoted when written back), a
note on a third of the rows, estimates in the last year, Windows line ends (as Excel writes
CSV). About a million figures. The plan is make_national.py's (its indicators' ids, kinds and
units).

Measured: `python -m kpis status` beside a pandas read of the same files (best of
`--repeat`, in turn, unpinned and pinned to one core, peak memory), and `python -m kpis
import` of the last year's values changed, 34,000 of them (the issue's bound: under 3 s) and
all of them, and the undo of each, as whole processes and as the store's calls the data page
makes (the package imported, the plan loaded), beside the same change made by a plain pandas
script in the same run (`bench_national.REWRITE`). Every figure is random and says so.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from bench_national import (
    bench_status,
    changed_values,
    timed_imports,
    written_for_national_plan,
)
from common import compile_package, machine, summary

# The 63 provinces and cities before National Assembly Resolution 202/2025/QH15.
PROVINCES = [
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "TP. Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
]
HEADER = ["địa bàn", "năm", "chỉ tiêu", "giá trị", "nguồn", "ghi chú", "ước tính"]
AGENCIES = ["Sở KH&CN", "Cục Thống kê", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "UBND huyện"]
NOTES = ["", "", "", "", "Số liệu sơ bộ, sẽ cập nhật", "Đã đối chiếu với niên giám"]
YEARS = range(2011, 2026)


def write_unlike(out: Path, districts: int, plan_file: Path, seed: int = 7) -> int:
    """The set into `out` (targets.yaml, data/): returns its number of figures."""
    rng = random.Random(seed)
    (out / "data").mkdir(parents=True)
    shutil.copy(plan_file, out / "targets.yaml")
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    kinds = {i["id"]: i for i in plan["indicators"] if not i.get("formula")}
    total = 0
    for number, province in enumerate(PROVINCES):
        rows = []
        for district in range(1, districts + 1):
            region = f"{province} – huyện số {district:02d}"
            for indicator in rng.sample(sorted(kinds), 70):
                rows += _series(rng, region, indicator, kinds[indicator])
        rng.shuffle(rows)
        total += len(rows)
        with (out / "data" / f"tinh-{number:02d}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
    return total


def _series(rng: random.Random, region: str, indicator: str, kind: dict) -> list[list[str]]:
    percent = kind.get("unit") == "%"
    level = rng.uniform(5, 60) if percent else rng.uniform(1, 5000)
    done_in = rng.randint(2013, 2030)
    rows = []
    for year in YEARS:
        if rng.random() < 0.04:
            continue  # a year not reported
        if percent:
            level = min(level * rng.uniform(0.97, 1.08), 100.0)
        else:
            level *= rng.uniform(0.97, 1.12)
        if kind.get("kind") == "milestone":
            value = "1" if year >= done_in else "0"
        elif kind.get("integer") or kind.get("kind") == "cumulative":
            value = str(int(level))
        else:
            value = f"{level:.{rng.choice([0, 1, 2] if percent else [0, 1, 2, 3, 4])}f}"
        source = (
            f"Báo cáo số {rng.randint(1, 999)}/BC-{rng.choice(['SKHCN', 'CTK', 'STC'])} ngày "
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year + 1} của "
            f"{rng.choice(AGENCIES)} (minh họa, số liệu sinh ngẫu nhiên)"
        )
        estimate = "x" if year == YEARS[-1] and rng.random() < 0.3 else ""
        rows.append([region, str(year), indicator, value, source, rng.choice(NOTES), estimate])
    return rows


def write_upload(folder: Path, out: Path, limit: int | None) -> int:
    """The last year's figures with every value changed (kept valid), the first `limit` of
    them in file order: returns how many."""
    import pandas as pd

    rows = pd.concat(
        [
            pd.read_csv(file, dtype=str, keep_default_na=False)
            for file in sorted((folder / "data").glob("*.csv"))
        ]
    )
    rows = rows[rows["năm"] == str(YEARS[-1])].head(limit).copy()
    rows["giá trị"] = changed_values(folder, rows["chỉ tiêu"], rows["giá trị"])
    rows["nguồn"] = f"Báo cáo bổ sung năm {YEARS[-1] + 1}"
    rows[["chỉ tiêu", "địa bàn", "năm", "giá trị", "nguồn"]].to_csv(out, index=False)
    return len(rows)


def bench_import(folder: Path, work: Path, repeat: int, limit: int | None) -> None:
    upload = work / "upload.csv"
    count = write_upload(folder, upload, limit)
    # (the bound is for a year's 34,000 figures; all of them are shown beside it)
    timed_imports(folder, work / "data", upload, count, ",", repeat, "unlike set", count <= 34_000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--districts", type=int, default=16, help="districts a province")
    args = parser.parse_args(argv)
    print("machine:", machine(), flush=True)
    print(compile_package(), flush=True)
    with tempfile.TemporaryDirectory(prefix="kpi-unlike-") as tmp:
        root = Path(tmp)
        written = written_for_national_plan(
            root, "unlike", lambda folder, plan: write_unlike(folder, args.districts, plan)
        )
        if written is None:
            return 1
        folder, figures = written
        label = f"unlike set, {figures:,} figures, 63 files"
        bench_status(folder, label, "national", args.repeat)
        for limit in (34_000, None):
            work = root / "work"
            work.mkdir()
            bench_import(folder, work, args.repeat, limit)
            shutil.rmtree(work)
    summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
