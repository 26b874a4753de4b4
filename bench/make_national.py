"""Write a synthetic national data set in the contract's format, for the benchmarks.

    python bench/make_national.py OUT [--scale 10] [--seed 2025]

OUT/targets.yaml: a plan of 104 indicators (100 that take figures, of every kind, with every
target form; 4 derived). OUT/data/<year>.csv: canonical CSV (UTF-8 with BOM, comma, sorted by
indicator, region, year) for 34 provinces (the provinces after the 1 July 2025 merger) × 100
indicators × 30 years (1996-2025) = 102,000 figures. `--scale 10` splits each province into
ten areas (340 regions): 1,020,000 figures, `--scale 30` 3,060,000. Every figure is random and
says so in its source ("Minh họa"): the set measures speed, it describes no real province.

`--layout` lays the same figures out in other files, as provinces send them rather than as
the canonical files are written:

- `national` (the default): one canonical file per year (30 files; 34,000 rows each at ×10).
- `provinces`: one file per region, every year in it (340 files of 3,000 rows at ×10), with a
  short source ("CTK"), UTF-8 with BOM, sorted by indicator and year.
- `scattered`: one file per region and decade (1,020 files of 1,000 rows at ×10), as a
  spreadsheet saves them: no BOM, semicolons, decimal commas, CR LF line ends, a long source
  and a note of its own on every row (long texts, none repeated).

Never writes into the repository's data/: OUT must be given, and must not be it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

# The 34 provincial units after National Assembly Resolution 202/2025/QH15 (1 July 2025).
PROVINCES = [
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Thành phố Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
]
FIRST_YEAR, YEARS = 1996, 30
INDICATORS = 100  # that take figures; 4 derived ones come on top
SOURCE = "Minh họa – số liệu tổng hợp ngẫu nhiên để đo tốc độ (synthetic, for benchmarks)"
# Kinds in turn, so that every kind and target form is present in proportion.
PATTERN = [
    "count",
    "count",
    "money",
    "money",
    "percent",
    "cumulative",
    "milestone",
    "decrease",
    "count",
    "money",
]


def regions(scale: int) -> list[str]:
    if scale == 1:
        return list(PROVINCES)
    return [f"{p} – khu vực {k}" for p in PROVINCES for k in range(1, scale + 1)]


def indicator_specs() -> list[dict]:
    """The plan's indicators: (id, kind, unit, integer, targets) by PATTERN."""
    specs = []
    last = FIRST_YEAR + YEARS - 1
    for n in range(INDICATORS):
        role = PATTERN[n % len(PATTERN)]
        spec: dict = {
            "id": f"ind_{n:03d}",
            "name": f"Chỉ tiêu tổng hợp số {n + 1}",
            "name_en": f"Synthetic indicator {n + 1}",
            "group": f"Nhóm {n // 10 + 1}",
            "group_en": f"Group {n // 10 + 1}",
            "clause": f"Mục {n // 10 + 1}.{n % 10 + 1}",
        }
        if role == "count":
            spec.update(
                unit="đơn vị",
                kind="stock",
                integer=True,
                targets=[{"year": 2020, "min": 60}, {"year": 2030, "min": 120}],
            )
            if n % 3 == 0:
                spec["targets"][1] = {"year": 2030, "min_times_baseline": 3}
        elif role == "money":
            spec.update(
                unit="triệu đồng",
                kind="flow",
                targets=[{"year": 2030, "min": 90_000, "approx": True}],
            )
        elif role == "percent":
            spec.update(
                unit="%",
                kind="flow",
                targets=[
                    {"from": 2021, "to": 2030, "min": 1.5, "max": 3},
                    {"year": 2025, "min": 40, "max": 60},
                ],
            )
        elif role == "cumulative":
            spec.update(
                unit="doanh nghiệp",
                kind="cumulative",
                cumulative_from=2016,
                integer=True,
                targets=[{"year": 2025, "min": 150}, {"year": 2030, "min": 300}],
            )
        elif role == "milestone":
            spec.update(
                unit="hoàn thành",
                kind="milestone",
                targets=[{"year": 2024, "min": 1}, {"year": 2030, "min": 1}],
            )
        elif role == "decrease":
            spec.update(
                unit="ngày", kind="stock", direction="decrease", targets=[{"year": 2030, "max": 10}]
            )
        if n % 25 == 24:
            spec.pop("targets", None)  # tracked only: figures but no target
        specs.append(spec)
    assert last == 2025
    return specs


def derived_specs() -> list[dict]:
    return [
        {
            "id": "der_share",
            "name": "Tỷ lệ tổng hợp",
            "unit": "%",
            "kind": "flow",
            "formula": "ind_002 / (ind_002 + ind_003) * 100",
            "targets": [{"year": 2030, "min": 50}],
        },
        {
            "id": "der_sum",
            "name": "Tổng tổng hợp",
            "unit": "triệu đồng",
            "kind": "flow",
            "formula": "ind_002 + ind_003",
            "targets": [{"year": 2030, "min": 150_000}],
        },
        {
            "id": "der_ratio",
            "name": "Bình quân tổng hợp",
            "unit": "triệu đồng/đơn vị",
            "kind": "stock",
            "formula": "ind_002 / ind_000",
        },
        {
            "id": "der_nested",
            "name": "Tỷ lệ lồng nhau",
            "unit": "%",
            "kind": "flow",
            "formula": "der_share / 2",
            "targets": [{"year": 2030, "min": 25}],
        },
    ]


def plan_document(scale: int) -> dict:
    return {
        "plan": {
            "id": f"national-synthetic-x{scale}",
            "title": "Kế hoạch tổng hợp toàn quốc (dữ liệu minh họa để đo tốc độ)",
            "title_en": "Synthetic national plan (illustrative data for benchmarks)",
            "document": "Minh họa",
            "issued": "2016-01-01",
            "issuer": "Bộ KH&CN (minh họa)",
            "region": "Cả nước",
            "baseline_year": 1995,
            "notes": "Số liệu ngẫu nhiên, không phản ánh tỉnh thật nào.",
            "notes_en": "Random figures; they describe no real province.",
        },
        "indicators": indicator_specs() + derived_specs(),
    }


def figures(specs: list[dict], region_names: list[str], seed: int) -> pd.DataFrame:
    """One row per indicator, region and year: a noisy linear trend per (indicator, region)."""
    rng = np.random.default_rng(seed)
    n_ind, n_reg = len(specs), len(region_names)
    years = np.arange(FIRST_YEAR, FIRST_YEAR + YEARS)
    shape = (n_ind, n_reg, YEARS)
    scale = np.array(
        [
            {
                "đơn vị": 50,
                "triệu đồng": 50_000,
                "%": 30,
                "doanh nghiệp": 10,
                "hoàn thành": 1,
                "ngày": 30,
            }[s["unit"]]
            for s in specs
        ],
        dtype=float,
    )
    start = rng.uniform(0.2, 1.0, (n_ind, n_reg)) * scale[:, None]
    slope = rng.normal(0.04, 0.04, (n_ind, n_reg)) * scale[:, None]
    t = (years - FIRST_YEAR)[None, None, :]
    value = start[..., None] + slope[..., None] * t
    value *= rng.normal(1.0, 0.05, shape)
    kinds = np.array([s["kind"] for s in specs])
    units = np.array([s["unit"] for s in specs])
    decrease = np.array([s.get("direction") == "decrease" for s in specs])
    value[decrease] = np.maximum(scale[decrease, None, None] - value[decrease] * 0.8, 1)
    value = np.maximum(value, 0)
    percent = units == "%"
    value[percent] = np.minimum(value[percent], 100)
    cumulative = kinds == "cumulative"  # yearly additions of a cumulative count
    value[cumulative] = rng.poisson(6, (cumulative.sum(), n_reg, YEARS))
    milestone = kinds == "milestone"
    done_in = rng.integers(2005, 2032, (milestone.sum(), n_reg))
    value[milestone] = (years[None, None, :] >= done_in[..., None]).astype(float)
    integer = np.array([bool(s.get("integer")) or s["kind"] == "milestone" for s in specs])
    value[integer] = np.round(value[integer])
    value[~integer] = np.round(value[~integer], 2)
    ind_idx, reg_idx, year_idx = (a.ravel() for a in np.indices(shape))
    flat = value.ravel()
    text = np.where(integer[ind_idx], flat.astype(np.int64).astype(str), flat.astype(str))
    return pd.DataFrame(
        {
            "indicator": np.array([s["id"] for s in specs], dtype=object)[ind_idx],
            "region": np.array(region_names, dtype=object)[reg_idx],
            "year": years[year_idx],
            "value": text,
            "source": SOURCE,
            "note": "",
        }
    )


LAYOUTS = ("national", "provinces", "scattered")
SHORT_SOURCE = "CTK"


def _long_texts(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A long source per (indicator, region) and a note of its own per row, for `scattered`."""
    source = (
        "Báo cáo tổng hợp của Sở Khoa học và Công nghệ "
        + table["region"]
        + " gửi Bộ, số liệu chỉ tiêu "
        + table["indicator"]
        + " (minh họa, synthetic for benchmarks; không phải số liệu thật)"
    )
    note = (
        "Ghi chú dòng: số liệu năm "
        + table["year"].astype(str)
        + " của "
        + table["region"]
        + ", chỉ tiêu "
        + table["indicator"]
        + ", giá trị "
        + table["value"]
        + " đã được rà soát, đối chiếu với báo cáo quý"
    )
    return source.to_numpy(dtype=object), note.to_numpy(dtype=object)


def _file_name(region: str) -> str:
    """A region's file name: ASCII, no spaces (a province's folder is shared as-is)."""
    import unicodedata

    plain = unicodedata.normalize("NFD", region.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "-".join("".join(c if c.isalnum() else " " for c in plain).lower().split())


def write_layout(data: Path, table: pd.DataFrame, layout: str) -> int:
    """`table` written into `data` as `layout` lays it out; the number of files."""
    if layout == "national":
        for year, rows in table.groupby("year", sort=True):
            rows = rows.sort_values(["indicator", "region"], kind="stable")
            rows.to_csv(
                data / f"{year}.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
            )
        return table["year"].nunique()
    if layout == "provinces":
        table = table.assign(source=SHORT_SOURCE)
        count = 0
        for region, rows in table.groupby("region", sort=True):
            rows = rows.sort_values(["indicator", "year"], kind="stable")
            rows.to_csv(
                data / f"{_file_name(region)}.csv",
                index=False,
                encoding="utf-8-sig",
                lineterminator="\n",
            )
            count += 1
        return count
    source, note = _long_texts(table)
    table = table.assign(
        value=table["value"].str.replace(".", ",", regex=False), source=source, note=note
    )
    count = 0
    for (region, decade), rows in table.groupby(["region", table["year"] // 10 * 10], sort=True):
        rows = rows.sort_values(["year", "indicator"], kind="stable")
        rows.to_csv(
            data / f"{_file_name(region)}-{decade}s.csv",
            index=False,
            sep=";",
            encoding="utf-8",
            lineterminator="\r\n",
        )
        count += 1
    return count


def write(out: Path, scale: int, seed: int, layout: str = "national") -> tuple[int, int]:
    repo_data = (Path(__file__).resolve().parents[1] / "data").resolve()
    data = out / "data"
    if data.resolve() == repo_data or out.resolve() == repo_data:
        raise SystemExit("refusing to write into the repository's data/: give another folder")
    data.mkdir(parents=True, exist_ok=True)
    document = plan_document(scale)
    (out / "targets.yaml").write_text(
        "# Synthetic national plan for bench/ (bench/make_national.py); not a real plan.\n"
        + yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    table = figures(indicator_specs(), regions(scale), seed)
    write_layout(data, table, layout)
    return len(table), len(document["indicators"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write targets.yaml and data/ into")
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="regions × this (1: 34 provinces, ~100k figures; 10: ~1M)",
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--layout", choices=LAYOUTS, default="national", help="how the figures are split into files"
    )
    args = parser.parse_args(argv)
    count, indicators = write(args.out, args.scale, args.seed, args.layout)
    print(
        f"{args.out}: {indicators} indicators, {len(regions(args.scale))} regions, "
        f"{YEARS} years, {count} figures"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
