"""Socket audit for the offline test: Python loads this at start when its folder is on
PYTHONPATH; every attempt to reach a host other than this machine is appended to the file
named by KPI_SOCKET_AUDIT (the test fails when that file is not empty)."""

from __future__ import annotations

import os
import sys

_LOG = os.environ.get("KPI_SOCKET_AUDIT")
_LOCAL = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::", "", None}


def _is_local(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return host in _LOCAL or (isinstance(host, str) and host.startswith("127."))


def _hook(event: str, args: tuple) -> None:
    host = None
    if event in ("socket.connect", "socket.sendto") and isinstance(args[1], tuple):
        host = args[1][0]
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        host = args[0]
    else:
        return
    if not _is_local(host):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{event} {host!r} pid={os.getpid()} argv={sys.argv[:2]}\n")


if _LOG:
    sys.addaudithook(_hook)
