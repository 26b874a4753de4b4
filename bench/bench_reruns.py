"""Page reruns at national scale, each beside the shipped data's measured in the same run.

    python bench/bench_reruns.py [--rounds 3] [--skip-1m] [--skip-browser] [--skip-memory]

Writes the synthetic national set (bench/make_national.py: 102,000 figures, and ×10 =
1,020,000) into a temporary folder, with a third plan: the national plan without its groups
(every target in one group), read on the 1,020,000 figures. Then measures:

1. Server side, Streamlit's AppTest running dashboard.py: the overview and /compare reruns
   once cached, the rerun right after a new as-of year is chosen and right after the language
   is switched (a year and a language not seen before: nothing of them cached). Each data set
   is measured in turn with the shipped data, round after round (the machine's load falls on
   both); the best of the rounds is kept. Bound: ≤ 2× the shipped data's.
2. In Chromium (Debian's /usr/bin/chromium, tests/browser/conftest.py's flags), against a
   real `streamlit run dashboard.py` per data set: from choosing another as-of year in the
   sidebar to the page drawn again (the run over, no stale element, the new year shown).
   Bound: ≤ 2× the shipped data's.
3. Server memory: the RSS of a `streamlit run` on the 1,020,000 figures after Chromium opened
   the overview and /compare once, and again after 8 as-of years × 2 languages on both pages.
   Bound: within 1.2× of the first.

Prints the machine first: the ratios are what matters, the seconds depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from common import generate, machine, report, summary
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PAGES = {"overview": None, "/compare": "app_pages/compare.py"}
YEARS = 5  # new as-of years timed per round


def environment(folder: Path, targets: Path | None = None) -> dict[str, str]:
    return {
        "KPI_TARGETS": str(targets or folder / "targets.yaml"),
        "KPI_DATA": str(folder / "data"),
        "KPI_PLANS": str(folder / "plans"),
    }


def without_groups(folder: Path, out: Path) -> Path:
    """The national plan with every target in one group (the plan names no group), written
    as `out`/ungrouped.yaml."""
    plan = yaml.safe_load((folder / "targets.yaml").read_text(encoding="utf-8"))
    for indicator in plan["indicators"]:
        indicator.pop("group", None)
        indicator.pop("group_en", None)
    path = out / "ungrouped.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------- 1


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def server_times(env: dict[str, str], page: str | None) -> dict[str, float]:
    """One round on one data set and page: the best cached rerun, and the best reruns after
    a new as-of year and after a language switch at a new year."""
    from streamlit.testing.v1 import AppTest

    os.environ.update(env)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=600)
    at.run()
    if page:
        at.switch_page(page)
    at.run()
    at.run()
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    cached = min(timed(at.run) for _ in range(10))
    years = [int(y) for y in at.selectbox(key="as_of").options]
    after_year, after_lang = [], []
    for year in years[1 : 1 + YEARS]:  # each a year not seen before in this process
        box = at.selectbox(key="as_of")
        after_year.append(timed(lambda box=box, year=year: box.set_value(year).run()))
        radio = at.radio(key="lang")
        other = "en" if radio.value == "vi" else "vi"
        after_lang.append(timed(lambda radio=radio, other=other: radio.set_value(other).run()))
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    return {"cached": cached, "as-of": min(after_year), "language": min(after_lang)}


def server_in_child(env: dict[str, str], page: str | None) -> dict[str, float]:
    """server_times in a fresh process: every data set starts with empty caches and its own
    memory, as a server that has just started."""
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(REPO / 'bench')!r})\n"
        "from bench_reruns import server_times\n"
        f"print('RESULT', json.dumps(server_times({env!r}, {page!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    import json

    return json.loads(line.split(" ", 1)[1])


def bench_server(sets: dict[str, dict[str, str]], rounds: int) -> None:
    shipped = environment(REPO)
    for name, page in PAGES.items():
        for label, env in sets.items():
            if label.startswith("no groups") and name != "overview":
                continue  # the same /compare as the grouped plan's
            best_ref: dict[str, float] = {}
            best: dict[str, float] = {}
            for _ in range(rounds):  # in turn: the machine's load falls on both
                for into, which in ((best_ref, shipped), (best, env)):
                    for kind, seconds in server_in_child(which, page).items():
                        into[kind] = min(into.get(kind, float("inf")), seconds)
            for kind in ("cached", "as-of", "language"):
                ratio = best[kind] / best_ref[kind]
                what = {
                    "cached": "rerun, cached",
                    "as-of": "rerun after a new as-of year",
                    "language": "rerun after a language switch",
                }[kind]
                report(
                    f"{name} {what}, {label} (AppTest)",
                    f"{best[kind]:.3f} s",
                    f"{best_ref[kind]:.3f} s on the shipped data",
                    f"ratio {ratio:.2f}",
                    "OK (≤ 2)" if ratio <= 2 else "OVER (> 2)",
                )


# ---------------------------------------------------------------------------------------- 2

# The page drawn again after a rerun: the run over, connected, no element left from the
# previous run, and the new year shown.
REDRAWN = """(year) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || main.querySelector('[data-stale="true"]')) return false;
  return main.innerText.includes(String(year));
}"""


def as_of_picker(page):
    return page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Tính đến năm")


def choose_year(page, year: int) -> float | None:
    """Seconds from choosing `year` in the sidebar's as-of picker to the page redrawn."""
    picker = as_of_picker(page)
    picker.click()
    picker.fill(str(year))  # typed, not clicked in a scrolling list: the year asked for
    page.get_by_role("option", name=str(year), exact=True).wait_for()
    start = time.perf_counter()
    page.keyboard.press("Enter")
    try:
        page.wait_for_function(REDRAWN, arg=year, polling="raf", timeout=120_000)
    except PlaywrightTimeout:  # told, not counted: the other years still are
        print(f"    {page.url}: {year} not redrawn in 120 s", flush=True)
        return None
    seconds = time.perf_counter() - start
    if picker.input_value() != str(year):
        print(f"    asked for {year}, the picker shows {picker.input_value()}", flush=True)
        return None
    return seconds


def browser_times(env: dict[str, str] | None, paths: list[str], years: int) -> dict[str, float]:
    """The median seconds of `years` as-of changes on each page, on one server."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import (
        CHROMIUM_ARGS,
        find_chromium,
        start_dashboard,
        stop_dashboard,
        wait_for_app,
    )

    url, server = start_dashboard(env)
    found: dict[str, float] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="vi-VN")
            for path in paths:
                page.goto(url + path, wait_until="domcontentloaded")
                wait_for_app(page, timeout=300_000)
                page.wait_for_function(REDRAWN, arg="", polling="raf", timeout=300_000)
                latest = int(as_of_picker(page).input_value())
                times = [choose_year(page, latest - k) for k in range(1, years + 1)]
                if counted := [t for t in times if t is not None]:
                    found[path] = statistics.median(counted)
            browser.close()
    finally:
        stop_dashboard(server)
    return found


def bench_browser(sets: dict[str, dict[str, str]], rounds: int) -> None:
    from tests.browser.conftest import find_chromium

    if find_chromium() is None:
        report("browser reruns", "not measured", "-", "-", "no Chromium")
        return
    paths = ["/", "/compare"]
    best_ref: dict[str, float] = {}
    best: dict[str, dict[str, float]] = {label: {} for label in sets}
    for _ in range(rounds):
        for path, seconds in browser_times(None, paths, YEARS).items():
            best_ref[path] = min(best_ref.get(path, float("inf")), seconds)
        for label, env in sets.items():
            wanted = ["/"] if label.startswith("no groups") else paths
            for path, seconds in browser_times(env, wanted, YEARS).items():
                best[label][path] = min(best[label].get(path, float("inf")), seconds)
    for label, times in best.items():
        for path, seconds in times.items():
            if path not in best_ref:
                continue
            ratio = seconds / best_ref[path]
            report(
                f"{'overview' if path == '/' else path} in Chromium, as-of change to drawn, {label}",
                f"{seconds:.2f} s",
                f"{best_ref[path]:.2f} s on the shipped data",
                f"ratio {ratio:.2f}",
                "OK (≤ 2)" if ratio <= 2 else "OVER (> 2)",
            )


# ---------------------------------------------------------------------------------------- 3


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def bench_memory(env: dict[str, str], label: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import (
        CHROMIUM_ARGS,
        find_chromium,
        start_dashboard,
        stop_dashboard,
        wait_for_app,
    )

    if find_chromium() is None:
        report("server memory", "not measured", "-", "-", "no Chromium")
        return
    url, server = start_dashboard(env)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})

            def show(path: str) -> None:
                page.goto(url + path, wait_until="domcontentloaded")
                wait_for_app(page, timeout=300_000)

            for path in ("/", "/compare"):
                show(path)
            first = rss_mib(server.pid)
            latest = 2025  # bench/make_national.py's last year
            for year in range(latest, latest - 8, -1):
                for lang in ("vi", "en"):
                    for path in ("/", "/compare"):
                        show(f"{path}?as_of={year}&lang={lang}")
            after = rss_mib(server.pid)
            browser.close()
    finally:
        stop_dashboard(server)
    ratio = after / first
    report(
        f"server memory (RSS) after 8 as-of years × 2 languages, {label}",
        f"{after:.0f} MiB",
        f"{first:.0f} MiB after the first load",
        f"ratio {ratio:.2f}",
        "OK (≤ 1.2)" if ratio <= 1.2 else "OVER (> 1.2)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per figure (best kept)")
    parser.add_argument("--skip-1m", action="store_true", help="only the 102,000 figures")
    parser.add_argument("--skip-server", action="store_true", help="no AppTest part")
    parser.add_argument("--skip-browser", action="store_true", help="no Chromium part")
    parser.add_argument("--skip-memory", action="store_true", help="no memory part")
    parser.add_argument(
        "--small", type=Path, help="a folder (targets.yaml, data/) instead of the 102,000"
    )
    parser.add_argument(
        "--large", type=Path, help="a folder (targets.yaml, data/) instead of the 1,020,000"
    )
    args = parser.parse_args(argv)
    print("machine:", machine(), flush=True)
    with tempfile.TemporaryDirectory(prefix="kpi-reruns-") as tmp:
        small = args.small or generate(Path(tmp) / "x1", 1)
        sets = {"102,000 figures": environment(small)}
        if not args.skip_1m:
            big = args.large or generate(Path(tmp) / "x10", 10)
            sets["1,020,000 figures"] = environment(big)
            sets["no groups, 1,020,000 figures"] = environment(big, without_groups(big, Path(tmp)))
        if not args.skip_server:
            print("1. reruns on the server (AppTest)", flush=True)
            bench_server(sets, args.rounds)
        if not args.skip_browser:
            print("2. reruns in Chromium after an as-of change", flush=True)
            bench_browser(sets, args.rounds)
        if not args.skip_memory:
            print("3. server memory across as-of years and languages", flush=True)
            label = "1,020,000 figures" if not args.skip_1m else "102,000 figures"
            bench_memory(sets[label], label)
    summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
