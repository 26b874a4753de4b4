"""The figures, their history and the audit trail in PostgreSQL: `kpis.store.Store` as transactions.

Selected by `KPI_DATABASE_URL` (or `[database] url` in the secrets file, kpis.paths). It keeps
every promise of the data folder (kpis/store.py) with the same rules and messages:

- A data file is kept as its rows (`kpi_figure`, in canonical order, each cell as written), so
  the import preview, the rewrite of a file and the checks are the folder store's own
  functions (`plan_against`, `new_files`, the figures reader's checks via `read_cells`),
  and `db dump` writes the bytes the folder store writes.
- A save is one transaction. Writers take turns on the one row of `kpi_change`
  (`SELECT ... FOR UPDATE`, the folder's lock), compare its counter with the editor's snapshot
  (`DataChanged`, naming the audit rows written since), write the files' rows, the history
  entry (each file as it was before) and the audit rows, and bump the counter. A process
  killed mid-save leaves nothing: PostgreSQL rolls the transaction back.
- Pages key their caches on the counter (`change_key`): a save by another process is seen on
  the next rerun, with one single-row query.
- The side files beside the figures (task progress, `kpis.store.is_side_file`) are kept whole
  as their bytes (`kpi_side_file`, migration 0004), saved in the same kind of transaction with
  a history entry and audit rows, and counted apart (`kpi_change.side`): a task saved between
  an editor's preview and save of figures does not refuse the figures.
- Reading fetches only the columns the checks need, file by file with COPY, and leaves out the
  figures of the catalogue's other plans; source and note only when asked for.

Schema versions are plain SQL files in `kpis/migrations/`, applied in order by
`python -m kpis db upgrade` and recorded in `kpi_schema_version`.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg

from kpis.errors import (
    DataChanged,
    HistoryNotKept,
    InputNotFound,
    InvalidInput,
    KpiError,
    Problem,
    StoreBusy,
)
from kpis.figures import (
    COLUMNS,
    EXTRA_MARK,
    Figures,
    combine,
    estimate_flags,
    extra_header,
    figure_files,
    misspelt_regions,
    parse_figures_bytes,
    read_cells,
    text_rows,
)
from kpis.plan import Plan
from kpis.scope import Scope
from kpis.store import (
    AUDIT_COLUMNS,
    ESTIMATE_MARK,
    LOCK_TIMEOUT_S,
    SIDE_FILES_GLOB,
    Entry,
    ImportPlan,
    ImportResult,
    Snapshot,
    Store,
    UndoResult,
    _now_text,
    atomic_write,
    audit_rows,
    canonical_csv_bytes,
    check_reach,
    is_side_file,
    new_files,
    read_audit,
    redo_target,
    round_audit,
    since_undo,
)
from kpis.store import _file_rows as _folder_file_rows

MIGRATIONS = Path(__file__).parent / "migrations"
CONNECT_TIMEOUT_S = 10
# A client that stalls inside a save (suspended, cut off) would keep the writers' turn forever:
# the server ends a session idle inside a transaction this long, and rolls it back. Longer than
# any pause of a live save between two statements (a national import's checks take seconds).
IDLE_IN_TRANSACTION_S = 300
# A read gives up after this long on one statement, whether it waits behind a lock (a
# `db upgrade` altering a table, an administrator's LOCK or VACUUM FULL) or runs away: the page
# says the database is busy (StoreBusy) rather than spinning for ever. Per statement, not per
# read: the whole national read, 30 files of 34,000 rows fetched two at a time, took 41 s at
# a load average of 20 and 2.4 s on a quiet machine (docs/deployment.md §3, "How fast"), so
# about 3 s a file at worst; 30 s leaves ten times that for a larger file or a busier server,
# and is still shorter than someone waits before giving up on a page. Writes are not bounded:
# they wait for the writers' turn (LOCK_TIMEOUT_S) and a national import's statements are long.
READ_TIMEOUT_S = 30
# A vanished client's socket is noticed in about a minute, not the system's two hours.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
_IDLE_CONNECTIONS = 4  # kept open per database: a page's rerun asks several times
# The cells kept in columns of their own (kpi_figure), and version 2's estimate mark
# (`estimate`, true or false; migration 0003); every other column of a file is kept in
# `extra` under its header.
STORED = ("indicator", "region", "year", "value", "source", "note")


# What the owner role runs: the dashboard's role may not change the schema (docs/deployment.md).
_UPGRADE_HINT = (
    "người quản trị chạy python -m kpis db upgrade --url <URL của vai trò chủ sở hữu, kpi_owner>",
    "an administrator runs python -m kpis db upgrade --url <the owner role's URL, kpi_owner>",
)
# Why a database cannot be used, and what to do, in both languages (`DatabaseUnavailable.kind`).
_KINDS = {
    "auth": (
        "cơ sở dữ liệu từ chối đăng nhập (sai tên vai trò hoặc mật khẩu): kiểm tra người dùng và "
        "mật khẩu trong KPI_DATABASE_URL hoặc [database] url của tệp secrets",
        "the database refused the sign-in (wrong role or password): check the user and password "
        "in KPI_DATABASE_URL or the secrets file's [database] url",
    ),
    "no_database": (
        "máy chủ PostgreSQL không có cơ sở dữ liệu này: kiểm tra tên cơ sở dữ liệu trong "
        "KPI_DATABASE_URL hoặc [database] url (hoặc tạo nó, docs/deployment.md §3)",
        "the PostgreSQL server has no such database: check the database name in "
        "KPI_DATABASE_URL or [database] url (or create it, docs/deployment.md §3)",
    ),
    "unreachable": (
        "không kết nối được máy chủ cơ sở dữ liệu: kiểm tra PostgreSQL đang chạy, và máy, cổng "
        "trong KPI_DATABASE_URL hoặc [database] url",
        "cannot reach the database server: check that PostgreSQL is running, and the host and "
        "port in KPI_DATABASE_URL or [database] url",
    ),
    "schema": (
        "lược đồ cơ sở dữ liệu chưa có hoặc cũ hơn phiên bản này: " + _UPGRADE_HINT[0],
        "the database's schema is missing or older than this version: " + _UPGRADE_HINT[1],
    ),
    "rights": (
        "vai trò này không có quyền đổi lược đồ: chạy python -m kpis db upgrade --url <URL của "
        "vai trò chủ sở hữu, kpi_owner> (docs/deployment.md §3), không phải URL của bảng điều "
        "khiển",
        "this role may not change the schema: run python -m kpis db upgrade --url <the owner "
        "role's URL, kpi_owner> (docs/deployment.md §3), not the dashboard's URL",
    ),
    "lost": (
        "mất kết nối với cơ sở dữ liệu giữa chừng: xem python -m kpis status rồi chạy lại",
        "the connection to the database was lost: check python -m kpis status, then run it again",
    ),
    "other": ("không dùng được cơ sở dữ liệu số liệu", "cannot use the figures database"),
}
PUBLIC_LABEL = {"vi": "cơ sở dữ liệu", "en": "database"}


class DatabaseUnavailable(InputNotFound):
    """The database cannot be reached or used, and why (`kind`, a key of `_KINDS`); CLI exit
    code 2. `public_message` leaves out where it is, for visitors who are not signed in."""

    def __init__(self, location: str, kind: str, detail: str = ""):
        self.path = self.location = location
        self.kind = kind
        vi, en = _KINDS[kind]
        # The server's own words only where no kind says more: they are English and long.
        extra = f" ({detail})" if detail and kind == "other" else ""
        self.message_vi = f"{vi}{extra}: {location}"
        self.message_en = f"{en}{extra}: {location}"
        KpiError.__init__(self, self.message_en)

    def public_message(self, lang: str = "vi") -> str:
        vi, en = _KINDS[self.kind]
        return en if lang == "en" else vi


# Connection parameters whose values are secrets or name where one is kept (libpq's keywords).
_SECRET_WORDS = ("pass", "secret", "token", "key")


def _is_secret(keyword: str) -> bool:
    return any(word in keyword.lower() for word in _SECRET_WORDS)


def shown_target(url: str) -> str:
    """The connection target as people may see it, whatever its form (`postgresql://` URL,
    its query parameters, libpq's `host=… password=…`): user, host, port, database and the
    harmless options, rebuilt from what libpq itself reads, so no password, `passfile`,
    `sslpassword` or key file can show, however it is written or quoted."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(url)
    except psycopg.Error:
        return "postgresql://…"  # unreadable: its text may be all secret
    user = params.pop("user", "")
    host = params.pop("host", "")
    port = params.pop("port", "")
    dbname = params.pop("dbname", "")
    where = f"{user}@" if user else ""
    where += host + (f":{port}" if port else "")
    rest = "&".join(f"{k}={v}" for k, v in params.items() if not _is_secret(k))
    return f"postgresql://{where}/{dbname}" + (f"?{rest}" if rest else "")


# ---------------------------------------------------------------------------------------------
# Connections: a few kept open per database, one transaction at a time on each


_pools: dict[str, queue.LifoQueue] = {}
_pools_lock = threading.Lock()


@contextlib.contextmanager
def connection(url: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to `url` from a small pool (transactions are explicit)."""
    with _pools_lock:
        idle = _pools.setdefault(url, queue.LifoQueue())
    conn = None
    with contextlib.suppress(queue.Empty):
        while conn is None:
            candidate = idle.get_nowait()
            if candidate.closed or candidate.broken:
                continue
            conn = candidate
    if conn is None:
        try:
            conn = psycopg.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, **KEEPALIVES
            )
            conn.execute(
                "SELECT set_config('idle_in_transaction_session_timeout', %s, false)",
                (f"{IDLE_IN_TRANSACTION_S * 1000}ms",),
            )
        except psycopg.Error as exc:
            raise _unavailable(url, exc) from None
    try:
        yield conn
    except BaseException:
        conn.close()  # whatever state it is in, it is not handed out again
        raise
    if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE and (
        idle.qsize() < _IDLE_CONNECTIONS
    ):
        idle.put(conn)
    else:
        conn.close()


def _unavailable(url: str, exc: BaseException) -> DatabaseUnavailable:
    """Why `exc` keeps the database at `url` from being used, as people can act on it."""
    state = getattr(exc, "sqlstate", None) or ""
    text = str(exc)
    if (
        state in ("28P01", "28000")
        or any(
            words in text
            for words in ("password authentication failed", "no password supplied", "pg_hba.conf")
        )
        or re.search(r'role ".*" does not exist', text)
    ):
        kind = "auth"
    elif state == "3D000" or re.search(r'database ".*" does not exist', text):
        kind = "no_database"
    elif isinstance(exc, psycopg.errors.UndefinedTable | psycopg.errors.UndefinedColumn):
        kind = "schema"
    elif isinstance(exc, psycopg.errors.InsufficientPrivilege):
        kind = "rights"
    elif not isinstance(exc, psycopg.OperationalError):
        kind = "other"  # an unreadable URL: ProgrammingError, its text may quote the URL
    elif any(
        words in text
        for words in (
            "Connection refused",
            "could not translate host name",
            "failed to resolve host",
            "timeout expired",
            "No such file or directory",
            "Network is unreachable",
            "No route to host",
        )
    ):
        kind = "unreachable"
    else:
        kind = (
            "lost"
            if "server closed the connection" in text or "consuming input" in text
            else "other"
        )
    detail = _scrubbed(text, url) if isinstance(exc, psycopg.OperationalError) else ""
    return DatabaseUnavailable(shown_target(url), kind, detail)


def _scrubbed(text: str, url: str) -> str:
    """The first line of a server's or libpq's message, with every secret of `url` taken out."""
    from psycopg.conninfo import conninfo_to_dict

    lines = text.strip().splitlines()
    line = lines[0] if lines else ""
    try:
        secrets = [v for k, v in conninfo_to_dict(url).items() if _is_secret(k) and v]
    except psycopg.Error:
        secrets = [url]
    for secret in secrets:
        line = line.replace(secret, "***")
    return re.sub(r"(pass\w*\s*=\s*)\S+", r"\1***", line, flags=re.I)


# ---------------------------------------------------------------------------------------------
# Schema versions


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every migration in the repository, in order."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        number = path.name.split("_", 1)[0]
        if number.isdigit():
            found.append((int(number), path.name, path.read_text("utf-8")))
    return found


def upgrade(url: str) -> list[str]:
    """Apply the migrations the database has not had yet, all in one transaction (none or
    all); the names of those applied. Safe to run from several processes at once."""
    try:
        return _upgrade(url)
    except psycopg.Error as exc:  # most often the dashboard's role, which may not: say whose
        raise _unavailable(url, exc) from None


def _upgrade(url: str) -> list[str]:
    applied = []
    with connection(url) as conn, conn.transaction():
        # Two upgrades at once: the second waits, then finds the versions recorded.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('kpi_schema_version'))")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS kpi_schema_version ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM kpi_schema_version")}
        for version, name, text in migrations():
            if version in done:
                continue
            conn.execute(text)  # our own file: no parameters, several statements
            conn.execute(
                "INSERT INTO kpi_schema_version (version, name) VALUES (%s, %s)",
                (version, name),
            )
            applied.append(name)
    return applied


def schema_version(url: str) -> int | None:
    """The latest migration applied, None when `db upgrade` was never run."""
    with connection(url) as conn:
        exists = conn.execute("SELECT to_regclass('kpi_schema_version') IS NOT NULL").fetchone()
        if not exists[0]:
            return None
        return conn.execute("SELECT max(version) FROM kpi_schema_version").fetchone()[0]


# ---------------------------------------------------------------------------------------------
# The store


@dataclass(frozen=True)
class PostgresStore(Store):
    """The figures in PostgreSQL (`kpis.store.Store`)."""

    url: str

    @property
    def location(self) -> str:
        return shown_target(self.url)

    # -- reading ----------------------------------------------------------------------------

    def require(self) -> None:
        version = schema_version(self.url)
        latest = max((v for v, _, _ in migrations()), default=0)
        if version is None or version < latest:
            raise DatabaseUnavailable(self.location, "schema")

    def change_key(self) -> str:
        try:
            # Every rerun of every page asks: bounded like any read, or a lock hangs them all.
            with connection(self.url) as conn, conn.transaction():
                _bound_reads(conn)
                row = conn.execute("SELECT n, side FROM kpi_change WHERE id = 1").fetchone()
        except psycopg.errors.QueryCanceled:
            raise StoreBusy(self.location, database=True, read_s=READ_TIMEOUT_S) from None
        except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):
            raise DatabaseUnavailable(self.location, "schema") from None
        except psycopg.Error as exc:
            raise _unavailable(self.url, exc) from None
        return f"{self.location}#{row[0]}.{row[1]}"

    def read_figures(
        self, plan: Plan, also_known: Collection[str] = frozenset(), sources: bool = True
    ) -> Figures:
        with self._reading() as conn:
            return _read(conn, plan, frozenset(also_known), sources, alongside=self.url)

    def snapshot(self) -> Snapshot:
        with self._reading() as conn:
            return _snapshot(conn)

    def audit(self, since: int = 0) -> list[dict[str, str]]:
        with self._reading() as conn:
            return _audit(conn, since)

    def entries(self) -> list[Entry]:
        with self._reading() as conn:
            files: dict[str, dict[str, bool]] = {}
            for entry, name, existed in conn.execute(
                "SELECT entry, name, existed FROM kpi_entry_file ORDER BY entry, name"
            ):
                files.setdefault(entry, {})[name] = existed
            return [
                Entry(
                    id=row[0],
                    path=None,
                    time=row[1],
                    user=row[2],
                    action=row[3],
                    files=files.get(row[0], {}),
                    complete=True,  # a transaction: an entry exists whole or not at all
                    undone=row[4],
                )
                for row in _entries_brief(conn)
            ]

    def backup_note(self, entry: str) -> str:
        return f"{self.location} (kpi_entry {entry})"

    def side_label(self, name: str) -> str:
        return name  # as a figures file is named in a problem: the database is said once

    def _side_read(self, handle: psycopg.Connection, name: str) -> bytes | None:
        return _file_bytes(handle, name)

    def _side_write(
        self,
        handle: psycopg.Connection,
        contents: dict[str, bytes | None],
        user: str,
        action: str,
        audit: list[dict],
    ) -> str:
        now = _now_text()
        entry = _begin_entry(handle, user, action, now, sorted(contents))
        for name, data in contents.items():
            _write_file(handle, name, data)
        _append_audit(
            handle,
            [{**row, "time": now, "user": user, "action": action, "entry": entry} for row in audit],
        )
        _bump(handle, contents)
        return entry

    # -- writing ----------------------------------------------------------------------------

    def _turn(self, write: bool) -> contextlib.AbstractContextManager[psycopg.Connection]:
        return self._writing() if write else self._reading()

    def _state(self, handle: psycopg.Connection) -> Snapshot:
        return _snapshot(handle)

    def _audit_since(self, handle: psycopg.Connection, since: int) -> list[dict[str, str]]:
        return _audit(handle, since)

    def _saved(self, handle: psycopg.Connection, plan: Plan, also_known: frozenset[str]) -> Figures:
        return _read(handle, plan, also_known, True)

    def _save(
        self,
        handle: psycopg.Connection,
        plan: Plan,
        import_plan: ImportPlan,
        user: str,
        action: str,
    ) -> ImportResult:
        return _apply(handle, plan, import_plan, user, action)

    def undo(
        self, user: str, expected: str | None = None, allowed: Scope | None = None
    ) -> UndoResult | None:
        with self._writing() as conn:
            restorable = [e for e in _entries_brief(conn) if not e[4]]
            if not restorable:
                # Saves audited whose entries are not kept: the folder's, before `db load`.
                if conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM kpi_audit AS a WHERE NOT EXISTS "
                    "(SELECT 1 FROM kpi_entry AS e WHERE e.id = a.entry))"
                ).fetchone()[0]:
                    raise HistoryNotKept(redo=False)
                return None
            entry_id, time, entry_user, _, _ = restorable[-1]
            if expected is not None and entry_id != expected:
                # Saved after the one the editor saw, in the database's order (not the ids').
                ids = [e[0] for e in _entries_brief(conn)]
                after = ids[ids.index(expected) + 1 :] if expected in ids else ids
                newer = {e[0] for e in restorable if e[0] in after}
                raise DataChanged([r for r in _audit(conn, 0) if r["entry"] in newer])
            if allowed is not None:  # refused inside the transaction: nothing written
                check_reach(_audit(conn, 0), entry_id, entry_user, time, allowed)
            files = conn.execute(
                "SELECT name, existed, content FROM kpi_entry_file WHERE entry = %s ORDER BY name",
                (entry_id,),
            ).fetchall()
            for name, existed, content in files:
                # What the undo replaces is kept too: an undo loses nothing, and redo needs it.
                conn.execute(
                    "UPDATE kpi_entry_file SET after = %s WHERE entry = %s AND name = %s",
                    (_file_bytes(conn, name), entry_id, name),
                )
                _write_file(conn, name, bytes(content) if existed else None)
            now = _now_text()
            rows, figures, task_count = round_audit(_audit(conn, 0), entry_id, user, "undo", now)
            _append_audit(conn, rows)
            conn.execute(
                "UPDATE kpi_entry SET undone = true, undone_by = %s, undone_at = %s WHERE id = %s",
                (user, now, entry_id),
            )
            _bump(conn, [name for name, _, _ in files])
            return UndoResult(
                entry_id,
                entry_user,
                time,
                figures,
                [name for name, _, _ in files],
                removed=[name for name, existed, _ in files if not existed],
                tasks=task_count,
            )

    def redo(
        self, user: str, expected: str | None = None, allowed: Scope | None = None
    ) -> UndoResult | None:
        with self._writing() as conn:
            trail = _audit(conn, 0)
            target, since = redo_target(trail)
            if target is None:
                if since:
                    raise DataChanged(since)
                return None
            if expected is not None and target != expected:
                raise DataChanged(since_undo(trail, expected))
            found = [e for e in _entries_brief(conn) if e[0] == target]
            if not found:  # undone in the data folder before `db load`: its files stayed there
                raise HistoryNotKept(redo=True)
            _, time, entry_user, _, _ = found[0]
            if allowed is not None:
                check_reach(trail, target, entry_user, time, allowed, redo=True)
            files = conn.execute(
                "SELECT name, after FROM kpi_entry_file WHERE entry = %s ORDER BY name",
                (target,),
            ).fetchall()
            for name, after in files:
                _write_file(conn, name, None if after is None else bytes(after))
            now = _now_text()
            rows, figures, task_count = round_audit(trail, target, user, "redo", now)
            _append_audit(conn, rows)
            conn.execute(
                "UPDATE kpi_entry SET undone = false, undone_by = NULL, undone_at = NULL "
                "WHERE id = %s",
                (target,),
            )
            _bump(conn, [name for name, _ in files])
            return UndoResult(
                target,
                entry_user,
                time,
                figures,
                [name for name, _ in files],
                removed=[name for name, after in files if after is None],
                tasks=task_count,
            )

    def redoable(self) -> Entry | None:
        with self._reading() as conn:
            target, _ = redo_target(_audit(conn, 0))
        return next((e for e in self.entries() if e.id == target and e.undone), None)

    # -- moving a data folder in and out -----------------------------------------------------

    def load(self, folder: Path, user: str) -> int:
        """Move the figures files, the task progress files (`SIDE_FILES_GLOB`) and the audit
        trail of `folder` into an empty database; the number of files. Each figures file is
        stored as the folder store would rewrite it, each side file as its bytes."""
        files, _ = figure_files(Path(folder))
        sides = sorted(Path(folder).glob(SIDE_FILES_GLOB))
        with self._writing() as conn:
            if conn.execute(
                "SELECT EXISTS (SELECT 1 FROM kpi_file) OR EXISTS (SELECT 1 FROM kpi_side_file)"
            ).fetchone()[0]:
                raise InvalidInput(
                    [
                        Problem(
                            self.location,
                            "cơ sở dữ liệu đã có số liệu: chỉ nạp vào cơ sở dữ liệu trống",
                            "the database already holds figures: load into an empty one only",
                        )
                    ]
                )
            for path in files:
                _write_file(conn, path.name, canonical_csv_bytes(_folder_file_rows(path)))
            for path in sides:
                if path.is_file() and not path.is_symlink():  # never a file outside the folder
                    _write_file(conn, path.name, path.read_bytes())
            _append_audit(conn, read_audit(Path(folder)))
            _bump(conn, [path.name for path in files + sides] or None)
        return len(files) + len(sides)

    def dump(self, folder: Path) -> list[str]:
        """Write every figures file as canonical CSV, and every side file as its bytes, into
        `folder` (which must hold none of them)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        existing, _ = figure_files(folder)
        if existing or any(folder.glob(SIDE_FILES_GLOB)):
            raise InvalidInput(
                [
                    Problem(
                        str(folder),
                        "thư mục đã có tệp số liệu: chọn một thư mục trống",
                        "the folder already holds figures files: choose an empty one",
                    )
                ]
            )
        with self._reading() as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM kpi_file ORDER BY name")]
            names += [r[0] for r in conn.execute("SELECT name FROM kpi_side_file ORDER BY name")]
            contents = {name: _file_bytes(conn, name) for name in names}
        for name, data in contents.items():
            atomic_write(folder / name, data)
        return names

    # -- transactions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self) -> Iterator[psycopg.Connection]:
        """One consistent view of the database for the whole read."""
        with connection(self.url) as conn:
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    _bound_reads(conn)
                    yield conn
            except psycopg.errors.QueryCanceled:  # READ_TIMEOUT_S passed (an OperationalError)
                raise StoreBusy(self.location, database=True, read_s=READ_TIMEOUT_S) from None
            except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):
                raise DatabaseUnavailable(self.location, "schema") from None
            except psycopg.OperationalError as exc:
                raise _unavailable(self.url, exc) from None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[psycopg.Connection]:
        """A write transaction holding the writers' turn (the counter row, locked)."""
        with connection(self.url) as conn:
            try:
                with conn.transaction():
                    conn.execute(
                        "SELECT set_config('lock_timeout', %s, true)",
                        (f"{int(LOCK_TIMEOUT_S * 1000)}ms",),
                    )
                    conn.execute("SELECT n FROM kpi_change WHERE id = 1 FOR UPDATE")
                    yield conn
            except psycopg.errors.LockNotAvailable:
                raise StoreBusy(self.location, database=True) from None
            except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):
                raise DatabaseUnavailable(self.location, "schema") from None
            except psycopg.OperationalError as exc:  # the server went away mid-save
                raise _unavailable(self.url, exc) from None


# ---------------------------------------------------------------------------------------------
# Inside a transaction


def _bound_reads(conn: psycopg.Connection) -> None:
    """Each later statement of `conn`'s transaction gives up after READ_TIMEOUT_S
    (QueryCanceled). After SET TRANSACTION, which must come first."""
    conn.execute(
        "SELECT set_config('statement_timeout', %s, true)", (f"{int(READ_TIMEOUT_S * 1000)}ms",)
    )


def _snapshot(conn: psycopg.Connection) -> Snapshot:
    n = conn.execute("SELECT n FROM kpi_change WHERE id = 1").fetchone()[0]
    last = conn.execute("SELECT coalesce(max(id), 0) FROM kpi_audit").fetchone()[0]
    return Snapshot(str(n), int(last))


def _bump(conn: psycopg.Connection, names: Collection[str] | None = None) -> None:
    """Count a change: of the figures (`n`: what a figures save compares), of the side files
    (`side`), or of both, as the files written (`names`; None: the figures) say."""
    names = list(names) if names is not None else []
    sides = sum(map(is_side_file, names))
    figures = not names or sides < len(names)
    conn.execute(
        "UPDATE kpi_change SET n = n + %s, side = side + %s, at = now() WHERE id = 1",
        (int(figures), int(sides > 0)),
    )


def _audit(conn: psycopg.Connection, since: int) -> list[dict[str, str]]:
    columns = ", ".join(f'"{c}"' for c in AUDIT_COLUMNS)
    rows = conn.execute(
        f"SELECT {columns} FROM kpi_audit WHERE id > %s ORDER BY id",  # noqa: S608 (our names)
        (since,),
    )
    return [dict(zip(AUDIT_COLUMNS, row, strict=True)) for row in rows]


def _append_audit(conn: psycopg.Connection, rows: list[dict]) -> None:
    if not rows:
        return
    columns = ", ".join(f'"{c}"' for c in AUDIT_COLUMNS)
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO kpi_audit ({columns}) VALUES ({', '.join(['%s'] * len(AUDIT_COLUMNS))})",
            [tuple(str(row.get(c, "")) for c in AUDIT_COLUMNS) for row in rows],
        )


def _entries_brief(conn: psycopg.Connection) -> list[tuple]:
    """(id, time, user, action, undone) of every entry, oldest first by the database's order."""
    return conn.execute(
        'SELECT id, time, "user", action, undone FROM kpi_entry ORDER BY seq'
    ).fetchall()


def _labels(headers: list[str]) -> list[str]:
    """Column labels for extra headers as `kpis.figures.text_rows` makes them."""
    labels: list[str] = []
    for header in headers:
        label, n = header, 1
        while (
            label in labels
            or label == "estimate"  # the estimate column's own label (text_rows gives it first)
            or (label in COLUMNS and (label in STORED or header != label))
        ):
            label, n = f"{header}{EXTRA_MARK}{n}", n + 1
        labels.append(label)
    return labels


def _file_rows(conn: psycopg.Connection, name: str) -> pd.DataFrame | None:
    """Every row of a stored file as text (the shape of `kpis.store._file_rows`); None if none."""
    found = conn.execute("SELECT extra FROM kpi_file WHERE name = %s", (name,)).fetchone()
    if found is None:
        return None
    labels = _labels(list(found[0]))
    rows = conn.execute(
        "SELECT indicator, region, year, value, source, note, extra, estimate FROM kpi_figure "
        "WHERE file = %s ORDER BY line",
        (name,),
    ).fetchall()
    data = {column: [row[i] for row in rows] for i, column in enumerate(STORED)}
    width = len(STORED)
    for k, label in enumerate(labels):
        data[label] = [(row[width][k] if k < len(row[width]) else "") for row in rows]
    for column in COLUMNS:  # a contract column no row of this file has
        data.setdefault(column, [""] * len(rows))
    marks = [ESTIMATE_MARK if row[width + 1] else "" for row in rows]
    estimate = ["estimate"] if any(marks) else []  # as text_rows reads the file: right after
    data["estimate"] = marks
    order = [*COLUMNS, *estimate, *(label for label in labels if label not in COLUMNS)]
    return pd.DataFrame(data, columns=order, dtype=object)


def _file_bytes(conn: psycopg.Connection, name: str) -> bytes | None:
    if is_side_file(name):
        found = conn.execute(
            "SELECT content FROM kpi_side_file WHERE name = %s", (name,)
        ).fetchone()
        return None if found is None else bytes(found[0])
    rows = _file_rows(conn, name)
    return None if rows is None else canonical_csv_bytes(rows)


def _write_file(conn: psycopg.Connection, name: str, data: bytes | None) -> None:
    """Replace the stored file `name` by canonical CSV `data` (None: remove it); a side file
    by its bytes."""
    if is_side_file(name):
        if data is None:
            conn.execute("DELETE FROM kpi_side_file WHERE name = %s", (name,))
        else:
            conn.execute(
                "INSERT INTO kpi_side_file (name, content) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET content = EXCLUDED.content",
                (name, data),
            )
        return
    conn.execute("DELETE FROM kpi_figure WHERE file = %s", (name,))
    if data is None:
        conn.execute("DELETE FROM kpi_file WHERE name = %s", (name,))
        return
    rows, problems = text_rows(data, name)
    if problems:
        raise InvalidInput(problems)
    rows = rows[(rows != "").any(axis=1)].reset_index(drop=True)
    extras = [c for c in rows.columns if c not in STORED and c != "estimate"]
    estimate = (
        estimate_flags(rows["estimate"])
        if "estimate" in rows.columns
        else np.zeros(len(rows), dtype=bool)
    )
    conn.execute(
        "INSERT INTO kpi_file (name, extra) VALUES (%s, %s) "
        "ON CONFLICT (name) DO UPDATE SET extra = EXCLUDED.extra",
        (name, [extra_header(label) for label in extras]),
    )
    with (
        conn.cursor() as cursor,
        cursor.copy(
            "COPY kpi_figure (file, line, indicator, region, year, value, source, note, extra, "
            "estimate) FROM STDIN"
        ) as copy,
    ):
        copy.set_types(
            ["text", "int4", "text", "text", "text", "text", "text", "text", "text[]", "bool"]
        )
        if not extras:
            # The usual file: the rows as COPY text, built column-wise (a national file is
            # 34,000 rows; one Python call per row took seconds).
            copy.write(_copy_text(name, rows, estimate))
            return
        cells = rows[[*STORED, *extras]].to_numpy(dtype=object)
        width = len(STORED)
        for line, (row, mark) in enumerate(zip(cells, estimate, strict=True), start=2):
            copy.write_row((name, line, *row[:width], list(row[width:]), bool(mark)))


def _copy_text(name: str, rows: pd.DataFrame, estimate: np.ndarray) -> bytes:
    """`rows` (the STORED columns, text) as COPY's text format, with file, line, no extra and
    the `estimate` flags."""

    def escaped(column: pd.Series) -> pd.Series:
        text = column.astype(str)
        if text.str.contains(r"[\\\t\n\r]", regex=True).any():
            text = (
                text.str.replace("\\", "\\\\", regex=False)
                .str.replace("\t", "\\t", regex=False)
                .str.replace("\n", "\\n", regex=False)
                .str.replace("\r", "\\r", regex=False)
            )
        return text

    if not len(rows):
        return b""
    lines = pd.Series(range(2, len(rows) + 2), index=rows.index).astype(str)
    out = escaped(pd.Series(name, index=rows.index)) + "\t" + lines
    for column in STORED:
        out = out + "\t" + escaped(rows[column])
    out = out + "\t{}\t" + pd.Series(np.where(estimate, "t", "f"), index=rows.index)
    return ("\n".join(out) + "\n").encode("utf-8")


def _read(
    conn: psycopg.Connection,
    plan: Plan,
    also_known: frozenset[str],
    sources: bool,
    alongside: str | None = None,
) -> Figures:
    """The figures of `plan`, checked as the folder reader checks them, file by file.
    `alongside`: the database's URL, when `conn` holds a read-only snapshot that other
    connections may share to fetch the files at the same time (`_fetch_alongside`)."""
    import pyarrow as pa
    import pyarrow.compute  # noqa: F401 (pa.compute)
    import pyarrow.csv as pa_csv

    others = sorted(also_known.difference(plan.by_id))
    wanted = ["line", "indicator", "region", "year", "value"] + (
        ["source", "note"] if sources else []
    )
    files = []
    # The lines marked as estimates, file by file: few, through a partial index.
    estimates = dict(
        conn.execute(
            "SELECT file, array_agg(line) FROM kpi_figure WHERE estimate GROUP BY file"
        ).fetchall()
    )
    listed = conn.execute("SELECT name, extra FROM kpi_file ORDER BY name").fetchall()
    # Columns outside the contract that the reader knows by name (a later version's): fetched
    # too, so the checks see them; others only give their header's warning.
    known = {
        name: [k for k, label in enumerate(extra) if _is_known_header(label)]
        for name, extra in listed
    }
    selects = {name: wanted + [f"extra[{k + 1}]" for k in known[name]] for name, _ in listed}
    prefetched = (
        _fetch_alongside(conn, alongside, selects, others)
        if alongside is not None and len(listed) > 1
        else {}
    )
    for name, extra in listed:
        # A file holding an estimate has the column, right after the contract's (canonical CSV).
        marked = estimates.get(name)
        header = [*STORED, *(["estimate"] if marked else []), *extra]
        positions = [1, 2, 3, 4] + ([5, 6] if sources else [])  # indicator..note: grid columns
        grid_columns = [0, 1, 2, 3] + ([4, 5] if sources else [])
        offset = len(header) - len(extra)
        extra_known = [(k, offset + k) for k in known[name]]
        select = selects[name]
        if name in prefetched:
            fetched = prefetched[name]
        else:
            fetched = _fetch_columns(conn, select, name, others)
        if fetched is not None and fetched[0] == 0 and others:
            # Only another plan's figures in this file: read it whole, as the folder reader does.
            fetched = _fetch_columns(conn, select, name, [])
        raw = b""
        if fetched is None:  # a cell holds the separator: the general way
            raw = _copy_out(conn, select, name, others) or _copy_out(conn, select, name, [])
        names = [str(i) for i in range(len(select))]
        # Which fetched column fills which column of the file.
        places = list(
            zip(
                grid_columns + [g for _, g in extra_known],
                positions + list(range(len(wanted), len(select))),
                strict=True,
            )
        )
        if fetched is not None and fetched[0]:
            arrays = fetched[1]
            lines = pa.compute.cast(arrays[0], pa.int64()).to_numpy()
            columns = {grid: arrays[at].to_pandas() for grid, at in places}
        elif raw:
            table = pa_csv.read_csv(
                pa.BufferReader(raw),
                read_options=pa_csv.ReadOptions(column_names=names, use_threads=True),
                parse_options=pa_csv.ParseOptions(newlines_in_values=True),
                convert_options=pa_csv.ConvertOptions(
                    column_types={n: (pa.int64() if n == "0" else pa.string()) for n in names},
                    null_values=[],
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            lines = table.column("0").to_numpy()
            columns = {grid: table.column(str(at)).to_pandas() for grid, at in places}
        else:
            lines = np.zeros(0, dtype=np.int64)
            columns = {grid: pd.Series([], dtype=object) for grid, _ in places}
        if marked:
            columns[len(STORED)] = pd.Series(
                np.where(np.isin(lines, marked), ESTIMATE_MARK, ""), dtype=object
            )
        files.append((name, header, pd.DataFrame(columns), lines))
    return read_cells(files, plan, also_known, sources)


def _is_known_header(label: str) -> bool:
    from kpis.figures import _canonical

    canonical = _canonical(label)
    return canonical is not None and canonical not in STORED


SEPARATOR = "\x1f"  # the unit separator: no cell typed into a spreadsheet holds it


READERS = 2  # connections fetching files at once: the server sorts and joins on each core


def _fetch_alongside(
    conn: psycopg.Connection, url: str, selects: dict[str, list[str]], others: list[str]
) -> dict[str, tuple[int, list] | None]:
    """`_fetch_columns` of every file, READERS files at a time, each reader on a connection of
    its own inside `conn`'s snapshot (`pg_export_snapshot`): what one consistent read of
    `conn` would see, in about half the time on a server with two cores or more."""
    from concurrent.futures import ThreadPoolExecutor

    from psycopg import sql

    snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
    names = list(selects)

    def fetch(part: list[str]) -> dict[str, tuple[int, list] | None]:
        with connection(url) as reader, reader.transaction():
            reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            reader.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
            _bound_reads(reader)  # its QueryCanceled reaches the reading transaction's handler
            return {name: _fetch_columns(reader, selects[name], name, others) for name in part}

    fetched: dict[str, tuple[int, list] | None] = {}
    with ThreadPoolExecutor(READERS) as pool:
        for part in pool.map(fetch, [names[k::READERS] for k in range(READERS)]):
            fetched.update(part)
    return fetched


def _fetch_columns(
    conn: psycopg.Connection, select: list[str], name: str, others: list[str]
) -> tuple[int, list] | None:
    """The reported rows of file `name`, not the other plans', as one text per column joined
    by SEPARATOR and split by pyarrow: a columnar fetch, no Python object per cell. None when
    a cell holds the separator (the count would not match): then `_copy_out` reads them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    joined = ", ".join(f"coalesce(string_agg(c{k}::text, %s), '')" for k in range(len(select)))
    picked = ", ".join(f"{column} AS c{k}" for k, column in enumerate(select))
    # The rows come in line order from the primary key; one aggregate pass feeds every column
    # the same row at a time, so the columns stay aligned (`line` is one of them). An ORDER BY
    # inside each string_agg sorted the file once per column (PostgreSQL 15): 7 sorts a file.
    row = conn.execute(
        f"SELECT count(*), {joined} FROM (SELECT {picked} FROM kpi_figure "  # our own names
        "WHERE file = %s AND value <> '' AND NOT (indicator = ANY(%s)) ORDER BY line) AS f",
        [SEPARATOR] * len(select) + [name, others],
    ).fetchone()
    count = row[0]
    if count == 0:
        return 0, []
    arrays = []
    for text in row[1:]:
        cells = pc.split_pattern(pa.array([text], pa.large_string()), SEPARATOR).flatten()
        if len(cells) != count:
            return None
        arrays.append(cells.cast(pa.string()))
    return count, arrays


def _copy_out(conn: psycopg.Connection, select: list[str], name: str, others: list[str]) -> bytes:
    """The reported rows of file `name` (value given), not the other plans', as CSV."""
    query = (
        f"COPY (SELECT {', '.join(select)} FROM kpi_figure "  # our own column names only
        "WHERE file = %s AND value <> '' AND NOT (indicator = ANY(%s)) ORDER BY line) "
        "TO STDOUT (FORMAT csv)"
    )
    chunks = []
    with conn.cursor() as cursor, cursor.copy(query, (name, others)) as copy:
        for chunk in copy:
            chunks.append(bytes(chunk))
    return b"".join(chunks)


def _check_whole(
    conn: psycopg.Connection,
    plan: Plan,
    contents: dict[str, bytes | None],
    also_known: frozenset[str],
) -> None:
    """The data set as it would be after writing must read without a single error."""
    kept = _read(conn, plan, also_known, False)
    tables = [kept.table[~kept.table["file"].isin(list(contents))]]
    problems = [p for p in kept.errors if p.file not in contents]
    for name, raw in sorted(contents.items()):
        if raw is None:
            continue
        table, file_problems = parse_figures_bytes(raw, name, plan, also_known)
        tables.append(table.drop(columns=["source", "note"], errors="ignore"))
        problems.extend(p for p in file_problems if p.is_error)
    whole, duplicates = combine(tables, plan)
    problems.extend(duplicates)
    problems.extend(misspelt_regions(whole, plan)[1])
    if problems:
        raise InvalidInput(problems)


def _apply(
    conn: psycopg.Connection, plan: Plan, import_plan: ImportPlan, user: str, action: str
) -> ImportResult:
    counts = (len(import_plan.added), len(import_plan.changed), len(import_plan.unchanged))
    removed = len(import_plan.removed)
    if not import_plan.has_changes:
        return ImportResult(*counts, entry=None)
    contents, _ = new_files(plan, import_plan, lambda name: _file_rows(conn, name))
    _check_whole(conn, plan, contents, import_plan.also_known)
    now = _now_text()
    entry = _begin_entry(conn, user, action, now, sorted(contents))
    for name, data in contents.items():
        _write_file(conn, name, data)
    _append_audit(conn, audit_rows(plan, import_plan, user, action, entry, now))
    _bump(conn)
    return ImportResult(*counts, entry=entry, files=sorted(contents), removed=removed)


def _begin_entry(
    conn: psycopg.Connection, user: str, action: str, now: str, names: list[str]
) -> str:
    """A new history entry keeping each file `names` as it is before the save; its id.
    Its place among the entries is `seq`, numbered by the database under the writers' turn;
    the id is the server's clock too (never this machine's, which may be set otherwise)."""
    entry = conn.execute(
        "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS.US\"Z\"')"
    ).fetchone()[0]
    while conn.execute(
        "SELECT EXISTS (SELECT 1 FROM kpi_entry WHERE id = %s)", (entry,)
    ).fetchone()[0]:
        entry += "-1"  # two saves in one microsecond: keep both
    conn.execute(
        'INSERT INTO kpi_entry (id, time, "user", action) VALUES (%s, %s, %s, %s)',
        (entry, now, user, action),
    )
    for name in names:
        before = _file_bytes(conn, name)
        conn.execute(
            "INSERT INTO kpi_entry_file (entry, name, existed, content) VALUES (%s, %s, %s, %s)",
            (entry, name, before is not None, before),
        )
    return entry


def close_connections(url: str) -> None:
    """Close the idle connections kept for `url` (before the database is dropped or copied)."""
    with _pools_lock:
        idle = _pools.pop(url, None)
    while idle is not None and not idle.empty():
        idle.get_nowait().close()
