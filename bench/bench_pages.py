"""Time from opening a dashboard page to its last chart drawn, against a minimal one-chart page.

    python bench/bench_pages.py [--repeat 7] [--indicator public_st_orgs]

Starts the dashboard (`streamlit run dashboard.py`, the repo's plan and data, or KPI_TARGETS /
KPI_DATA) and a minimal Streamlit page with one plotly chart (written to a temp file), then
opens `/`, `/indicator?id=...` and the minimal page in the same headless Chromium (Debian's
/usr/bin/chromium with the flags of tests/browser/conftest.py), each in a fresh browser
context, several times in turn. A page counts as drawn when the app is connected and idle
(script run finished, nothing running, no skeleton), its own content is on screen (the
overview: its groups, folded as it opens; /indicator and the minimal page: a plotly chart) and
every plotly chart on it has drawn its SVG. The time is `performance.now()` at that moment: from
the start of navigation. Prints every time, the medians and the ratios to the minimal page.
The first round is a warm-up (server caches, first compile) and is not counted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.conftest import (  # noqa: E402  (the harness is the one place for flags)
    CHROMIUM_ARGS,
    find_chromium,
    start_dashboard,
    stop_dashboard,
)

MINIMAL_PAGE = """\
import plotly.graph_objects as go
import streamlit as st

st.title("Minimal")
fig = go.Figure(go.Scatter(x=list(range(2015, 2025)), y=[2, 2, 2, 2, 3, 3, 3, 3, 3, 3]))
st.plotly_chart(fig, width="stretch")
"""

# Drawn = connected, idle, the page's own marker present, every plotly chart with its SVG.
DRAWN = """(marker) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return false;
  if (document.querySelector('[data-testid="stAppSkeleton"]')) return false;
  if (!document.querySelector(marker)) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  for (const chart of charts) {
    if (!chart.querySelector('.js-plotly-plot .main-svg .trace')) return false;
  }
  return performance.now();
}"""


def time_page(browser, url: str, marker: str) -> float:
    """Milliseconds from navigation start to the page drawn, in a fresh context (cold cache)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        handle = page.wait_for_function(DRAWN, arg=marker, polling="raf", timeout=60_000)
        return float(handle.json_value())
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument("--indicator", default="public_st_orgs", help="id for /indicator")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        print("Chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal_page.py"
        minimal.write_text(MINIMAL_PAGE, encoding="utf-8")
        dashboard_url, dashboard = start_dashboard()
        minimal_url, minimal_proc = start_dashboard(script=str(minimal))
        pages = {
            "/": (f"{dashboard_url}/", '[data-testid="stExpander"] summary'),
            f"/indicator?id={args.indicator}": (
                f"{dashboard_url}/indicator?id={args.indicator}",
                ".js-plotly-plot",
            ),
            "minimal one-chart page": (f"{minimal_url}/", ".js-plotly-plot"),
        }
        times: dict[str, list[float]] = {name: [] for name in pages}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=chromium, headless=True, args=CHROMIUM_ARGS
                )
                for round_ in range(args.repeat + 1):
                    for name, (url, marker) in pages.items():  # interleaved: fair to each page
                        ms = time_page(browser, url, marker)
                        if round_:
                            times[name].append(ms)
                browser.close()
        finally:
            stop_dashboard(dashboard)
            stop_dashboard(minimal_proc)

    base = statistics.median(times["minimal one-chart page"])
    print(
        f"Navigation to last chart drawn, headless Chromium, {args.repeat} rounds "
        f"(after 1 warm-up), fresh context each time:"
    )
    print(f"{'page':<36} {'median ms':>10} {'min':>8} {'max':>8} {'ratio':>7}")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:<36} {median:>10.0f} {min(values):>8.0f} {max(values):>8.0f} "
            f"{median / base:>7.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
