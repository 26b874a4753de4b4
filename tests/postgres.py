"""A real PostgreSQL server for the tests: initdb + pg_ctl in a temporary folder, a free port.

Debian's `postgresql` package (`.ci/run` installs it) puts the server in
/usr/lib/postgresql/<version>/bin. initdb refuses to run as root, so as root the server runs
as the unprivileged `postgres` user the package creates (runuser). Without a server the tests
that need one are skipped locally and FAIL under CI (the `CI` environment variable), like the
browser tests without Chromium.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER = "kpi_test"


def server_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: `KPI_PG_BIN`, else the newest Debian version."""
    if os.environ.get("KPI_PG_BIN"):
        folder = Path(os.environ["KPI_PG_BIN"])
        return folder if (folder / "initdb").exists() else None
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def missing(message: str) -> None:
    """Skip locally; fail under CI, where a skipped database test hides a gap."""
    if "CI" in os.environ:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running test server; `database()` makes a fresh database with the schema applied."""

    port: int
    root: Path
    _names: itertools.count = itertools.count(1)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def database(self, migrated: bool = True) -> str:
        import psycopg

        name = f"kpi_{next(self._names)}"
        template = "kpi_template" if migrated else "template0"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")  # our own names
        return self.url(name)


@contextlib.contextmanager
def running_server() -> Iterator[Server]:
    binaries = server_binaries()
    if binaries is None:
        missing("PostgreSQL server not found (Debian: apt-get install postgresql)")
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        missing("running as root without runuser: cannot start PostgreSQL as another user")
    root = Path(tempfile.mkdtemp(prefix="kpi-pg-"))
    root.chmod(0o755)
    prefix: list[str] = []
    if as_root:
        try:
            shutil.chown(root, "postgres", "postgres")
        except (LookupError, OSError):
            missing("no `postgres` user to run the test server as (apt-get install postgresql)")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "server.log"
    port = _free_port()

    def run(*command: str) -> None:
        done = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, cwd=root
        )
        if done.returncode != 0:
            detail = log.read_text() if log.exists() else ""
            pytest.fail(f"{command[0]} failed: {done.stderr}{done.stdout}{detail}", pytrace=False)

    try:
        run(
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        run(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
        server = Server(port, root)
        _make_template(server)
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(root, ignore_errors=True)


def _make_template(server: Server) -> None:
    """A database with the schema applied, copied for each test (CREATE DATABASE ... TEMPLATE)."""
    import psycopg

    from kpis import pgstore

    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE kpi_template")
    pgstore.upgrade(server.url("kpi_template"))
    pgstore.close_connections(server.url("kpi_template"))
