"""Time the conference deck: the shipped plan and a generated plan of 40 indicators.

Run from the repository root: `python bench/bench_deck.py`. Prints, for each plan, the seconds
spent judging and laying out the slides, drawing the charts (one browser for all, its start-up
included) and writing the .pptx, then seconds per slide. The aim is under 0.5 s per slide.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kpis.dataset import load_dataset  # noqa: E402
from kpis.deck import chart_pictures, render_deck  # noqa: E402
from kpis.export import prepare  # noqa: E402
from kpis.slides import build_slides  # noqa: E402

KINDS = ["stock", "flow", "cumulative", "milestone"]


def generated_plan(folder: Path, indicators: int = 40) -> tuple[Path, Path]:
    """A plan of `indicators` indicators in 5 groups with 2015-2024 figures, written to folder."""
    entries, lines = [], ["indicator,region,year,value,source"]
    for n in range(indicators):
        kind = KINDS[n % len(KINDS)]
        entry = {
            "id": f"ind_{n:02d}",
            "name": f"Chỉ tiêu thử số {n}",
            "unit": "đơn vị",
            "kind": kind,
            "group": f"Nhóm {n % 5}",
            "clause": f"Mục {n % 5}.{n}",
            "integer": kind != "flow",
        }
        if kind == "cumulative":
            entry["cumulative_from"] = 2016
        if kind == "milestone":
            entry["targets"] = [{"year": 2030, "min": 1}]
        else:
            entry["targets"] = [{"year": 2020, "min": 10 + n}, {"year": 2030, "min": 30 + n}]
        entries.append(entry)
        for year in range(2015, 2025):
            if kind == "cumulative" and year < 2016:
                continue
            value = (
                (1 if year >= 2022 else 0)
                if kind == "milestone"
                else ((n % 3) + 1 if kind == "cumulative" else (n % 7) + (year - 2015) * 2)
            )
            lines.append(f"ind_{n:02d},Bắc Kạn,{year},{value},Báo cáo thử {year}")
    plan = {
        "plan": {
            "id": "bench-40",
            "title": "Kế hoạch thử 40 chỉ tiêu",
            "document": "1/KH-UBND",
            "issued": "2016-05-16",
            "issuer": "UBND tỉnh",
            "region": "Bắc Kạn",
            "baseline_year": 2015,
        },
        "indicators": entries,
    }
    targets = folder / "targets.yaml"
    targets.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    data = folder / "data"
    data.mkdir()
    (data / "figures.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return targets, data


def time_deck(label: str, targets: Path, data: Path) -> None:
    dataset = load_dataset(targets, data)
    assert not dataset.errors, [p.format("en") for p in dataset.errors]
    start = time.perf_counter()
    report = prepare(dataset.plan, dataset.figures.table, lang="vi")
    slides = build_slides(report)
    laid_out = time.perf_counter()
    pictures = chart_pictures(report, slides)
    drawn = time.perf_counter()
    deck = render_deck(slides, pictures, "vi")
    written = time.perf_counter()
    total = written - start
    print(f"{label}: {len(slides)} slides ({len(pictures)} charts), {len(deck) / 1e6:.1f} MB")
    print(f"  judge + lay out slides  {laid_out - start:6.2f} s")
    print(f"  charts (one browser)    {drawn - laid_out:6.2f} s")
    print(f"  write .pptx             {written - drawn:6.2f} s")
    print(f"  total                   {total:6.2f} s = {total / len(slides):.2f} s per slide")


def main() -> None:
    time_deck("shipped plan (targets.yaml, data/)", ROOT / "targets.yaml", ROOT / "data")
    with tempfile.TemporaryDirectory() as folder:
        targets, data = generated_plan(Path(folder))
        time_deck("generated plan of 40 indicators", targets, data)


if __name__ == "__main__":
    main()
