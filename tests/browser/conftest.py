"""Browser tests: a real ``streamlit run`` server driven by headless Chromium.

Every test in ``tests/browser/`` is marked ``browser`` automatically (run only
the fast suite with ``pytest -m "not browser"``). The browser is Debian's
``chromium`` (``apt-get install chromium``); ``playwright install`` is never
used. Without Chromium or the ``playwright`` package these tests are skipped
locally and FAIL when the ``CI`` environment variable is set.

Writing a test for a page
-------------------------
::

    import pytest

    pytestmark = pytest.mark.browser   # optional: added automatically here


    def test_indicator_page(app):
        page = app.open("/indicator?id=X")   # goto + wait_for_app (no stException)
        assert page.get_by_role("heading", level=1).first.inner_text()
        page.get_by_role("button", name="Xuất báo cáo").click()
        app.wait()                           # wait for the rerun to finish
        app.screenshot("indicator_X")        # tests/browser/screenshots/indicator_X.png

Fixtures
--------
``app`` (function)
    An :class:`App` bound to the shared dashboard server and a fresh page:
    ``app.open(path_and_query)`` -> ``Page`` (navigates, waits for the script
    run to finish, asserts no exception is shown); ``app.wait()``;
    ``app.screenshot(name)`` -> ``Path``; ``app.url(path)``; ``app.page``;
    ``app.base_url``; ``app.page_errors`` (uncaught JS errors, for asserting).
``page`` (function)
    A Playwright ``Page`` in a new context (1280x800, locale ``vi-VN``). At
    teardown the test FAILS if the page requested anything other than
    127.0.0.1 / localhost (``data:``, ``blob:``, ``about:`` are allowed): the
    dashboard must never contact the internet.
``dashboard_server`` (session)
    Base URL (``http://127.0.0.1:<port>``) of ``streamlit run dashboard.py``
    started from the repo root with the test process's environment.
``dashboard_factory`` (session)
    ``dashboard_factory({"KPI_DATA": str(tmp), "KPI_TARGETS": None}) -> url``
    starts another server with environment overrides (``None`` removes a
    variable); all are stopped at the end of the session. Use it with
    ``App(page, url)``::

        def test_empty_data(dashboard_factory, page, tmp_path):
            url = dashboard_factory({"KPI_DATA": str(tmp_path)})
            App(page, url).open("/")

``browser`` (session)
    The Playwright ``Browser`` (headless Debian Chromium, offline flags).

Importable helpers: ``start_dashboard(env_overrides) -> (url, process)``,
``stop_dashboard(process)``, ``wait_for_app(page)``,
``screenshot(page, name) -> Path``, ``find_chromium()``, ``App``. Import them
with ``from tests.browser.conftest import App, wait_for_app`` (the repo root is
on ``sys.path``, see ``tests/conftest.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:  # playwright is imported lazily so the fast suite never needs it
    from playwright.sync_api import Browser, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = Path(__file__).resolve().parent / "screenshots"
HEALTH_TIMEOUT_S = 60.0
APP_TIMEOUT_MS = 30_000

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    # Belt and braces: no host name other than localhost resolves, so a stray
    # external request fails at once instead of leaving the machine. It is still
    # recorded by the ``page`` fixture and fails the test.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}

_INSTALL_HINT = (
    "Browser tests need Debian's Chromium and the playwright package: "
    "`apt-get install chromium` and `pip install -r requirements-dev.txt` "
    "(never `playwright install`)."
)


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark every test collected under tests/browser/ as ``browser``."""
    item.add_marker(pytest.mark.browser)


def _missing(reason: str) -> None:
    """Skip locally; fail under CI, where a skipped browser test hides a gap."""
    message = f"{reason}. {_INSTALL_HINT}"
    if "CI" in os.environ:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def find_chromium() -> str | None:
    """Path of a system Chromium (Debian: /usr/bin/chromium), or None."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(path: str, lines: int = 40) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def start_dashboard(
    env_overrides: Mapping[str, str | None] | None = None,
    *,
    script: str = "dashboard.py",
    timeout: float = HEALTH_TIMEOUT_S,
    as_shipped: bool = False,
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start ``streamlit run <script>`` from the repo root; return (base_url, process).

    ``env_overrides`` is merged into the current environment (``None`` removes
    a variable), e.g. ``{"KPI_DATA": "/tmp/x"}``. Blocks until
    ``GET /_stcore/health`` answers ``ok``; raises RuntimeError (with the
    server's log tail) otherwise. The server's output goes to the file in
    ``process.log_path``. Stop it with :func:`stop_dashboard`. ``as_shipped``: only the
    port is given on the command line, every other setting is .streamlit/config.toml's (the
    offline test checks what an operator's `streamlit run dashboard.py` does).
    """
    env = dict(os.environ)
    for key, value in (env_overrides or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    env["PYTHONUNBUFFERED"] = "1"

    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port),
        # Tests never edit sources mid-run; no file watcher keeps 2 cores free.
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    if not as_shipped:
        cmd += [
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
    log_fd, log_path = tempfile.mkstemp(prefix="streamlit-", suffix=".log")
    with os.fdopen(log_fd, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    proc.log_path = log_path  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{port}"

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {proc.returncode} before becoming healthy:\n"
                + _log_tail(log_path)
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200 and resp.read().decode().strip() == "ok":
                    return url, proc
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    stop_dashboard(proc)
    raise RuntimeError(
        f"streamlit did not answer {url}/_stcore/health within {timeout:.0f}s:\n"
        + _log_tail(log_path)
    )


def stop_dashboard(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server from :func:`start_dashboard` (kill after 10 s)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def dashboard_factory() -> Iterator[Callable[..., str]]:
    """``dashboard_factory(env_overrides=None, script="dashboard.py") -> base_url``."""
    procs: list[subprocess.Popen[bytes]] = []

    def factory(
        env_overrides: Mapping[str, str | None] | None = None, script: str = "dashboard.py"
    ) -> str:
        url, proc = start_dashboard(env_overrides, script=script)
        procs.append(proc)
        return url

    yield factory
    for proc in procs:
        stop_dashboard(proc)


@pytest.fixture(scope="session")
def dashboard_server(dashboard_factory: Callable[..., str]) -> str:
    """Base URL of the real dashboard (repo data, current environment)."""
    return dashboard_factory()


# -------------------------------------------------------------------------- browser


EXPECT_TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("The playwright Python package is not installed")
    executable = find_chromium()
    if executable is None:
        _missing("Chromium not found (/usr/bin/chromium, chromium, chromium-browser)")
    from playwright.sync_api import expect

    # An assertion waits for what it asserts; on a busy 2-core CI machine a rerun can take
    # longer than playwright's 5 s default, and a passing assertion returns as soon as it holds.
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.hostname in LOCAL_HOSTS


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page; fails the test if anything but localhost was requested."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requested.append(ws.url))
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.page_errors = page_errors  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
    external = sorted({url for url in requested if not _is_local(url)})
    if external:
        pytest.fail(
            "The page contacted hosts other than localhost:\n  " + "\n  ".join(external),
            pytrace=False,
        )


def wait_for_app(page: Page, timeout: float = APP_TIMEOUT_MS, settle_ms: int = 100) -> None:
    """Wait until Streamlit has finished the current script run; assert no exception.

    Streamlit 1.67 marks the app root as
    ``[data-testid="stApp"][data-test-script-state="notRunning"]`` (states:
    initial, running, notRunning, rerunRequested, stopRequested,
    compilationError) and ``data-test-connection-state="CONNECTED"``. After a
    widget interaction the rerun starts asynchronously, hence ``settle_ms``.
    """
    from playwright.sync_api import expect

    if settle_ms:
        page.wait_for_timeout(settle_ms)
    app_root = page.locator('[data-testid="stApp"]')
    expect(app_root).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    expect(app_root).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(page.locator('[data-testid="stStatusWidgetRunningIcon"]')).to_have_count(
        0, timeout=timeout
    )
    expect(page.locator('[data-testid="stAppSkeleton"]')).to_have_count(0, timeout=timeout)
    # A chart or a table loads its code after the run: until then a skeleton stands in its
    # place and holds back the rest of its block (seen for about 1 s after "notRunning").
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=timeout)
    exceptions = page.locator('[data-testid="stException"], .st-key-internal_error')
    if exceptions.count():
        texts = "\n---\n".join(exceptions.all_inner_texts())
        pytest.fail(f"Streamlit shows an exception on {page.url}:\n{texts}", pytrace=False)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG to tests/browser/screenshots/<name>.png; return its path."""
    if not re.fullmatch(r"[\w.-]+", name):
        raise ValueError(f"screenshot name must be a plain file name, got {name!r}")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class App:
    """A page pointed at one dashboard server."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")

    @property
    def page_errors(self) -> list[str]:
        """Uncaught JavaScript errors seen on the page so far."""
        return getattr(self.page, "page_errors", [])

    def url(self, path_and_query: str = "/") -> str:
        return self.base_url + "/" + path_and_query.lstrip("/")

    def open(self, path_and_query: str = "/", **wait_kwargs: Any) -> Page:
        """Navigate to e.g. ``/indicator?id=X`` and wait for the script run."""
        self.page.goto(self.url(path_and_query), wait_until="domcontentloaded")
        wait_for_app(self.page, **wait_kwargs)
        return self.page

    def wait(self, **wait_kwargs: Any) -> None:
        wait_for_app(self.page, **wait_kwargs)

    def screenshot(self, name: str) -> Path:
        return screenshot(self.page, name)


@pytest.fixture
def app(page: Page, dashboard_server: str) -> App:
    return App(page, dashboard_server)
