"""Write one PNG chart per indicator (1920x1080, title, unit, source and as-of drawn in).

Same options as `deck`; `--out` is a folder (created). Files are named `NN_<indicator id>.png` in
the plan's grouping order. Exit codes as for `deck`.
"""

from __future__ import annotations

import argparse

from kpis.cli import EXIT_OK, chart_progress, say_step
from kpis.commands.deck import browser_missing, load_report
from kpis.commands.deck import configure as configure_export

SUMMARY = (
    "Xuất mỗi chỉ tiêu một biểu đồ PNG (1920x1080, có tiêu đề, đơn vị, nguồn và năm đánh giá) /"
    " "
    "Write one PNG chart per indicator (1920x1080, title, unit, source and as-of drawn in)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    configure_export(parser, out_help="DIR")


def run(args: argparse.Namespace) -> int:
    from kpis import images
    from kpis.errors import BrowserNotFound
    from kpis.images import find_browser, write_pngs
    from kpis.slides import IndicatorSlide, build_slides, slide_pictures

    try:
        find_browser()  # before any work: say at once what to install
    except BrowserNotFound as exc:
        return browser_missing(exc, args.lang)
    report = load_report(args)
    if isinstance(report, int):
        return report
    slides = [s for s in build_slides(report) if isinstance(s, IndicatorSlide)]
    say_step(args.lang, f"đang vẽ {len(slides)} biểu đồ…", f"drawing {len(slides)} charts…")
    try:
        pictures = slide_pictures(
            report, slides, size="image", height=images.HEIGHT, progress=chart_progress(args.lang)
        )
    except BrowserNotFound as exc:
        return browser_missing(exc, args.lang)
    pngs = [pictures[slide.indicator.id] for slide in slides]
    names = [f"{i:02d}_{slide.indicator.id}.png" for i, slide in enumerate(slides, start=1)]
    written = write_pngs(list(zip(names, pngs, strict=True)), args.out)
    print(
        f"wrote {len(written)} charts to {args.out}"
        if args.lang == "en"
        else f"đã ghi {len(written)} biểu đồ vào {args.out}"
    )
    return EXIT_OK
