"""PNG images of the indicator charts through kaleido, with one browser kept open for all of them.

Kaleido 1.x drives an installed Chrome or Chromium. We find the installed one (Debian's
`chromium`) and never let kaleido download a browser: without one, `BrowserNotFound` says what
to install. MathJax is switched off because kaleido would otherwise load it from a CDN, and the
exports must work offline; plotly.js comes from the installed plotly package.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import shutil
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kpis.errors import BrowserNotFound

# Drawn at 880x495 CSS pixels and scaled 2.182 times: a 1920x1080 PNG whose text is a tenth
# larger than on a 960-pixel screen chart, so it stays readable when projected on a slide,
# while a two-row legend still clears the source lines under it.
WIDTH, HEIGHT, SCALE = 880, 495, 2.182
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TYPICAL_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
)
RENDER_TIMEOUT_S = 60

# choreographer, kaleido's browser driver, logs an error with its traceback when it cannot
# decode a message from the browser, and goes on without it (seen once, in a test run on a
# busy machine, every chart drawn). Where nothing has set up logging, Python writes such a
# record on stderr, among `python -m kpis charts`' lines of progress. A render that fails
# raises, and is said in our words; a server that sets up logging still gets the records.
for _driver in ("choreographer", "kaleido", "logistro"):
    logging.getLogger(_driver).addHandler(logging.NullHandler())


def find_browser() -> str:
    """The installed Chrome or Chromium: `BROWSER_PATH` if set, else PATH, else usual places."""
    named = os.environ.get("BROWSER_PATH")
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return named
        raise BrowserNotFound(named)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for candidate in TYPICAL_PATHS:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise BrowserNotFound(None)


def find_browser_or_none() -> str | None:
    """The browser `find_browser` finds, or None: for pages that offer a deck only when they can."""
    try:
        return find_browser()
    except BrowserNotFound:
        return None


def render_pngs(
    figures: Sequence[Any],
    *,
    width: int = WIDTH,
    height: int | None = HEIGHT,
    scale: float = SCALE,
    tabs: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> list[bytes]:
    """PNG bytes of every figure, in order, rendered by one browser with `tabs` tabs; each
    `height` CSS px tall, or with `height=None` as tall as its own layout says.

    The browser starts once (about 2-3 s) and each figure then takes a fraction of a second;
    starting one per image would cost the start-up every time. `progress(done, total)` is
    called on the caller's thread as each figure is drawn (a page's progress bar, a line on
    the command line's stderr).
    """
    if not figures:
        return []
    browser = find_browser()
    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    drawn: queue.SimpleQueue[int] = queue.SimpleQueue()

    async def render_all() -> list[bytes]:
        async with _kaleido_class()(
            path=browser, mathjax=False, n=max(1, min(tabs, len(figures))), timeout=RENDER_TIMEOUT_S
        ) as browser_session:

            async def one(figure: Any) -> bytes:
                # height None: the figure's own, the height its legend and footer are placed for
                own = {"height": height or figure.layout.height or HEIGHT}
                png = await browser_session.calc_fig(figure, opts=opts | own)
                drawn.put(1)
                return png

            return list(await asyncio.gather(*(one(figure) for figure in figures)))

    total, done = len(figures), 0

    def each_drawn() -> None:
        nonlocal done
        while True:
            try:
                drawn.get_nowait()
            except queue.Empty:
                return
            done += 1
            if progress is not None:
                progress(done, total)

    return _run_in_own_thread(render_all, each_drawn)


def _kaleido_class():
    """Kaleido, minus the page reload it does after every image.

    Kaleido 1.5 reloads its page (and so re-parses the 3.5 MB plotly.js) after each figure,
    against state leaking between figures; ours are plain plotly figures (no MathJax, no
    maps) and come out byte-identical without it (checked for the shipped plan's 13 charts),
    three times faster to draw. If a later kaleido renames the hook, this override is simply
    not called and every image still renders, only slower.
    """
    import kaleido

    class KeptPageKaleido(kaleido.Kaleido):
        async def _return_kaleido_tab(self, tab) -> None:
            await self.tabs_ready.put(tab)

    return KeptPageKaleido


def _run_in_own_thread(coroutine_function, meanwhile: Callable[[], None] | None = None) -> Any:
    """Run an async function to completion on a fresh event loop in its own thread.

    Callers may already be inside an event loop (Streamlit, Jupyter), where asyncio.run fails.
    `meanwhile()` runs on the caller's thread every tenth of a second until then, and once at
    the end (Streamlit draws only from the script's own thread).
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine_function())
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="kpis-images", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(timeout=0.1)
        if meanwhile is not None:
            meanwhile()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def write_pngs(images: Sequence[tuple[str, bytes]], folder: str | Path) -> list[Path]:
    """Write (file name, PNG bytes) pairs into `folder` (created), each file whole or not at all."""
    from kpis.export import write_atomically

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in images:
        path = folder / name
        write_atomically(path, data)
        written.append(path)
    return written
