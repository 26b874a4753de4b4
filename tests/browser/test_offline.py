"""Offline for real: the dashboard, started with the shipped settings, tries to reach no host
but this machine, from the server or from the browser, on any page in either language.

The server's sockets are audited (tests/browser/offline/sitecustomize.py: every connect,
sendto and name lookup towards another host is written down); the browser's requests are
recorded by the `page` fixture, which fails on any host other than 127.0.0.1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import App, start_dashboard, stop_dashboard

pytestmark = pytest.mark.browser

AUDIT = Path(__file__).resolve().parent / "offline"
PAGES = ["/", "/indicator", "/coverage", "/method", "/data", "/present", "/compare"]


def test_no_page_contacts_another_host(page, tmp_path):
    log = tmp_path / "sockets.log"
    python_path = os.pathsep.join(p for p in (str(AUDIT), os.environ.get("PYTHONPATH")) if p)
    url, server = start_dashboard(
        {"KPI_SOCKET_AUDIT": str(log), "PYTHONPATH": python_path}, as_shipped=True
    )
    try:
        app = App(page, url)
        for lang in ("vi", "en"):
            for path in PAGES:
                app.open(f"{path}?lang={lang}")
                assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
        app.open("/?plan=lang-son-147-2023")
    finally:
        stop_dashboard(server)
    startup = Path(server.log_path).read_text(encoding="utf-8", errors="replace")
    assert "You can now view" in startup  # the audited server is the one that answered
    assert "External URL" not in startup and "auto detect external IP" not in startup
    attempts = log.read_text(encoding="utf-8") if log.exists() else ""
    assert attempts == "", f"the server tried to reach other hosts:\n{attempts}"


def test_the_audit_sees_an_attempt(tmp_path):
    """The audit itself works: a Python started like the server reports a lookup of a host
    name and a connection to an outside address. Nothing leaves the machine: the lookup is
    the audit event alone (no resolver is asked) and a UDP connect sends no packet."""
    import subprocess
    import sys

    log = tmp_path / "sockets.log"
    code = (
        "import socket, sys\n"
        "sys.audit('socket.getaddrinfo', 'example.invalid', 80, 0, 0, 0)\n"
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        "s.connect(('192.0.2.1', 9))\n"
    )
    env = dict(os.environ, KPI_SOCKET_AUDIT=str(log), PYTHONPATH=str(AUDIT))
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    written = log.read_text(encoding="utf-8")
    assert "example.invalid" in written and "192.0.2.1" in written
