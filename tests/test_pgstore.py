"""kpis.pgstore against a real PostgreSQL server started by the tests (tests/postgres.py).

The store's promises shared with the data folder are tested once per store in
tests/test_store.py; here what only a database has: schema versions, `db load`/`db dump`,
every command with `KPI_DATABASE_URL`, processes saving at once, kill -9 mid-save.
"""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from kpis import pgstore
from kpis.catalogue import sibling_ids
from kpis.errors import InvalidInput
from kpis.pgstore import PostgresStore
from kpis.plan import load_plan
from kpis.store import parse_upload
from tests.helpers import TASK_PROGRESS_UPLOAD, large_upload

REPO = Path(__file__).resolve().parents[1]
SIBLINGS = sibling_ids(REPO / "targets.yaml")


@pytest.fixture(scope="module")
def plan():
    return load_plan(REPO / "targets.yaml")[0]


def kpis(*args: str, url: str | None = None, cwd: Path = REPO, timeout: float = 300):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("KPI_DATABASE_URL", None)
    if url:
        env["KPI_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "kpis", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def csv_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def dumped(url: str, folder: Path) -> dict[str, bytes]:
    PostgresStore(url).dump(folder)
    return csv_files(folder)


def canonical(folder: Path) -> dict[str, bytes]:
    """Each figures file as the folder store writes it (a shipped file may quote more)."""
    from kpis.store import _file_rows, canonical_csv_bytes

    return {p.name: canonical_csv_bytes(_file_rows(p)) for p in sorted(folder.glob("*.csv"))}


def shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for file in sorted((REPO / "data").glob("*.csv")):
        shutil.copyfile(file, folder / file.name)
    return folder


def test_db_upgrade_applies_each_migration_once_and_records_it(postgres):
    url = postgres.database(migrated=False)
    first = kpis("db", "upgrade", "--url", url, "--lang", "en")
    assert first.returncode == 0, first.stderr
    names = [name for _, name, _ in pgstore.migrations()]
    assert names[:4] == [
        "0001_figures.sql",
        "0002_audit_task_agency.sql",
        "0003_estimate_column.sql",
        "0004_side_files.sql",
    ]
    assert f"applied {', '.join(names)}" in first.stdout
    again = kpis("db", "upgrade", "--url", url, "--lang", "en")
    assert again.returncode == 0 and "up to date" in again.stdout
    with psycopg.connect(url) as conn:
        versions = conn.execute("SELECT version, name FROM kpi_schema_version").fetchall()
    assert versions == [(int(name[:4]), name) for name in names]


def test_a_database_without_the_schema_says_to_run_db_upgrade(postgres):
    url = postgres.database(migrated=False)
    done = kpis("status", "--lang", "en", url=url)
    assert done.returncode == 2
    assert "python -m kpis db upgrade" in done.stderr
    assert "Traceback" not in done.stderr


def test_db_load_then_dump_gives_back_the_shipped_files_byte_for_byte(postgres, tmp_path):
    url = postgres.database()
    loaded = kpis("db", "load", str(REPO / "data"), "--url", url, "--lang", "en")
    assert loaded.returncode == 0, loaded.stderr
    assert f"loaded {len(csv_files(REPO / 'data'))} files" in loaded.stdout
    out = tmp_path / "out"
    dumped_run = kpis("db", "dump", str(out), "--url", url)
    assert dumped_run.returncode == 0, dumped_run.stderr
    assert csv_files(out) == canonical(REPO / "data")
    # A second load would mix two data sets: refused, nothing changed.
    again = kpis("db", "load", str(REPO / "data"), "--url", url, "--lang", "en")
    assert again.returncode == 1 and "already holds figures" in again.stdout
    # Dumping over figures files is refused too.
    assert kpis("db", "dump", str(out), "--url", url).returncode == 1


def test_every_command_reads_the_database_as_it_reads_the_folder(postgres, tmp_path):
    url = postgres.database()
    PostgresStore(url).load(REPO / "data", "test")
    for command in (["validate"], ["status", "--format", "csv"], ["status", "--as-of", "2020"]):
        from_folder = kpis(*command, "--lang", "en")
        from_database = kpis(*command, "--lang", "en", url=url)
        assert from_database.returncode == from_folder.returncode == 0, from_database.stderr
        assert from_database.stdout == from_folder.stdout


def test_import_delete_undo_and_redo_commands_work_on_the_database(postgres, tmp_path):
    url = postgres.database()
    PostgresStore(url).load(REPO / "data", "test")
    upload = tmp_path / "up.csv"
    upload.write_text(
        "indicator,year,value,source\ncollective_trademarks,2025,6,Báo cáo 1\n", encoding="utf-8"
    )
    done = kpis("import", str(upload), "--user", "An", "--lang", "en", url=url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "added 1, changed 0, unchanged 0" in done.stdout
    assert "kpi_entry" in done.stderr  # where the backup is: the history entry in the database
    deleted = kpis("delete", "collective_trademarks", "2024", "--user", "An", url=url)
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    files = dumped(url, tmp_path / "a")
    assert "collective_trademarks,Bắc Kạn,2025,6" in files["2025.csv"].decode("utf-8-sig")
    assert "collective_trademarks,Bắc Kạn,2024" not in files["2024.csv"].decode("utf-8-sig")
    for _ in range(2):
        undone = kpis("undo", "--user", "Bình", "--lang", "en", url=url)
        assert undone.returncode == 0, undone.stderr
    assert dumped(url, tmp_path / "b") == canonical(REPO / "data")
    assert kpis("undo", "--lang", "en", url=url).returncode == 1  # nothing left
    redone = kpis("redo", "--user", "Chi", "--lang", "en", url=url)
    assert redone.returncode == 0, redone.stderr
    assert "redone: the" in redone.stdout and "by An (1 figure;" in redone.stdout
    first = dumped(url, tmp_path / "c")  # the import came back, not yet the delete
    assert first["2025.csv"] == files["2025.csv"] and first["2024.csv"] != files["2024.csv"]
    assert kpis("redo", url=url).returncode == 0
    assert dumped(url, tmp_path / "d") == files
    assert "không có gì để làm lại" in kpis("redo", url=url).stderr


def test_undo_and_redo_commands_hold_an_agency_editor_to_its_agencies_on_the_database(
    postgres, tmp_path
):
    from kpis.auth import hash_password

    url = postgres.database()
    store = PostgresStore(url)
    store.load(REPO / "data", "test")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'[editors]\nan = {{ hash = "{hash_password("x", n=2**4)}", agencies = ["so-tc"] }}\n',
        encoding="utf-8",
    )
    upload = tmp_path / "up.csv"
    upload.write_text("indicator,year,value,source\nhightech_agri_zone,2024,1,BC\n")
    assert kpis("import", str(upload), "--user", "chi", url=url).returncode == 0
    before = (dumped(url, tmp_path / "a"), store.audit(), store.entries())
    as_an = ("--user", "an", "--secrets", str(secrets), "--lang", "en")
    refused = kpis("undo", *as_an, url=url)
    assert refused.returncode == 1
    assert "may only write for Department of Finance" in refused.stderr
    assert (
        "Department of Agriculture and Rural Development: «High-tech agriculture zone in "
        "operation» 2024" in refused.stderr
    )
    assert (dumped(url, tmp_path / "b"), store.audit(), store.entries()) == before
    assert kpis("undo", "--user", "chi", url=url).returncode == 0
    undone = (dumped(url, tmp_path / "c"), store.audit())
    assert "Nothing was redone" in kpis("redo", *as_an, url=url).stderr
    assert (dumped(url, tmp_path / "d"), store.audit()) == undone


def test_a_save_by_another_process_changes_the_key_pages_are_cached_on(postgres, tmp_path):
    url = postgres.database()
    store = PostgresStore(url)
    store.load(REPO / "data", "test")
    key = store.change_key()
    upload = tmp_path / "up.csv"
    upload.write_text("indicator,year,value,source\nbiotech_lab,2025,1,QĐ 5\n", encoding="utf-8")
    assert kpis("import", str(upload), url=url).returncode == 0
    assert store.change_key() != key


# Task progress (issue 16) in the database: the store's side files (migration 0004)

PROGRESS = "_tasks-bac-kan-684-2016.csv"


def test_tasks_import_status_tasks_undo_and_redo_commands_work_on_the_database(postgres, tmp_path):
    url = postgres.database()
    PostgresStore(url).load(REPO / "data", "test")
    folder = shipped(tmp_path)  # the same commands on the data folder, to compare
    upload = tmp_path / "tien-do.csv"
    upload.write_text(TASK_PROGRESS_UPLOAD, encoding="utf-8")
    # `--data postgresql://…` and KPI_DATABASE_URL alike.
    done = kpis("tasks", "import", str(upload), "--data", url, "--user", "An", "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "added 2, changed 0, unchanged 0\n"
    assert "kpi_entry" in done.stderr and "undo: python -m kpis undo" in done.stderr
    local = kpis("tasks", "import", str(upload), "--data", str(folder), "--user", "An")
    assert local.returncode == 0, local.stderr
    assert dumped(url, tmp_path / "out")[PROGRESS] == (folder / PROGRESS).read_bytes()
    command = ["status", "--tasks", "--as-of", "2024", "--format", "csv"]
    from_database = kpis(*command, url=url)
    from_folder = kpis(*command, "--data", str(folder))
    assert from_database.returncode == from_folder.returncode == 0, from_database.stderr
    assert from_database.stdout == from_folder.stdout
    assert ",done,2020-11-20," in from_database.stdout

    undone = kpis("undo", "--user", "Bình", "--lang", "en", url=url)
    assert undone.returncode == 0, undone.stderr
    # The import created the progress file: the undo removed it, and says so.
    assert f"removed {PROGRESS} (created by that save)" in undone.stdout
    assert PostgresStore(url).read_side(PROGRESS) is None  # as before the import: no progress
    redone = kpis("redo", "--user", "Bình", url=url)
    assert redone.returncode == 0, redone.stderr
    assert PostgresStore(url).read_side(PROGRESS) == (folder / PROGRESS).read_bytes()
    with psycopg.connect(url) as conn:
        trail = conn.execute(
            "SELECT action, task, \"user\" FROM kpi_audit WHERE task <> '' ORDER BY id"
        ).fetchall()
    assert trail == [
        ("tasks", "iii-a2-2020", "An"),
        ("tasks", "iv-3b-fund", "An"),
        ("undo", "iii-a2-2020", "Bình"),
        ("undo", "iv-3b-fund", "Bình"),
        ("redo", "iii-a2-2020", "Bình"),
        ("redo", "iv-3b-fund", "Bình"),
    ]


def test_the_deck_and_scorecard_read_task_progress_from_the_database(postgres, tmp_path):
    import openpyxl

    url = postgres.database()
    store = PostgresStore(url)
    store.load(REPO / "data", "test")
    upload = tmp_path / "tien-do.csv"
    upload.write_text("task,state,date,evidence\niii-a2-2020,done,2020-11-20,BC 45\n")
    assert kpis("tasks", "import", str(upload), url=url).returncode == 0
    out = tmp_path / "bang.xlsx"
    made = kpis("scorecard", "--out", str(out), "--as-of", "2024", url=url)
    assert made.returncode == 0, made.stderr
    overdue = openpyxl.load_workbook(out)["Nhiệm vụ quá hạn"]
    assert overdue["A1"].value.startswith("1/64 nhiệm vụ hoàn thành")


def test_db_load_and_dump_move_task_progress_byte_for_byte(postgres, tmp_path):
    """A progress file as the dashboard writes it and one edited by hand (semicolons, no
    BOM, Windows line ends) go into the database and come back unchanged."""
    folder = shipped(tmp_path)
    written = "\ufefftask,state,date,evidence,note\niii-a2-2020,done,2020-11-20,BC 45,\n"
    (folder / PROGRESS).write_bytes(written.encode("utf-8"))
    by_hand = "nhiệm vụ;trạng thái\r\niii-a1-2020;Hoàn thành\r\n".encode()
    (folder / "_tasks-lang-son-2025.csv").write_bytes(by_hand)
    (folder / "_my-notes.csv").write_bytes(b"not the dashboard's\n")  # the province's own
    url = postgres.database()
    loaded = kpis("db", "load", str(folder), "--url", url, "--lang", "en")
    assert loaded.returncode == 0, loaded.stderr
    assert f"loaded {len(csv_files(REPO / 'data')) + 2} files" in loaded.stdout
    out = tmp_path / "out"
    assert kpis("db", "dump", str(out), "--url", url).returncode == 0
    files = csv_files(out)
    assert files[PROGRESS] == (folder / PROGRESS).read_bytes()
    assert files["_tasks-lang-son-2025.csv"] == by_hand
    assert "_my-notes.csv" not in files
    # The round trip changes nothing: load what was dumped, dump it again.
    again = postgres.database()
    PostgresStore(again).load(out, "test")
    assert dumped(again, tmp_path / "out2") == files
    # What the dashboard reads from the database is what it reads from the folder.
    plan = load_plan(REPO / "targets.yaml")[0]
    from kpis.store import FolderStore
    from kpis.tasks import read_progress

    from_database, problems = read_progress(PostgresStore(url), plan)
    assert problems == []
    assert from_database.equals(read_progress(FolderStore(folder), plan)[0])
    # Dumping over a progress file is refused: it would be overwritten.
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / PROGRESS).write_bytes(b"task,state\n")
    with pytest.raises(InvalidInput):
        PostgresStore(url).dump(tmp_path / "busy")
    assert (tmp_path / "busy" / PROGRESS).read_bytes() == b"task,state\n"


def test_db_dump_into_a_folder_it_cannot_make_says_so_in_the_user_s_language(postgres, tmp_path):
    """A folder under a file, or a file where the folder should be: the path, why and what
    to do in Vietnamese (English with --lang en), exit code 2 as other usage errors; never
    the system's English words or a traceback."""
    url = postgres.database()
    PostgresStore(url).load(REPO / "data", "test")
    a_file = tmp_path / "bao-cao.txt"
    a_file.write_text("not a folder")
    for target, vi, en in (
        (a_file / "out", "là một tệp, không phải thư mục", "is a file, not a folder"),
        (a_file, "là một tệp, không phải thư mục", "is a file, not a folder"),
    ):
        for lang, words, advice in (
            ("vi", vi, "chọn một thư mục khác"),
            ("en", en, "choose another folder"),
        ):
            said = kpis("db", "dump", str(target), "--url", url, "--lang", lang)
            assert said.returncode == 2, said.stdout + said.stderr
            assert str(target) in said.stderr and words in said.stderr, said.stderr
            assert advice in said.stderr, said.stderr
            assert "Errno" not in said.stderr and "Not a directory" not in said.stderr
            assert "File exists" not in said.stderr and "Traceback" not in said.stderr
    assert a_file.read_text() == "not a folder"


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        (errno.EACCES, "không có quyền ghi", "no permission to write"),
        (errno.EROFS, "chỉ cho đọc", "read-only"),
        (errno.ENOSPC, "ổ đĩa đã đầy", "the disk is full"),
        (errno.ENOENT, "không tồn tại", "does not exist"),
        (errno.EIO, "lỗi hệ thống", "system error"),
    ],
)
def test_why_a_dump_folder_cannot_be_written_is_worded_for_each_system_error(code, vi, en):
    # Run as root (CI's container) a folder without write permission is still written: the
    # wording of each system error is checked on the error itself.
    from kpis.errors import OutputFolderUnwritable

    refused = OutputFolderUnwritable("/srv/xuat", OSError(code, os.strerror(code), "/srv/xuat"))
    assert refused.message("vi").startswith("không ghi được vào thư mục /srv/xuat: ")
    assert vi in refused.message("vi") and en in refused.message("en")
    assert "python -m kpis db dump" in refused.message("vi")


def test_a_database_holding_only_task_progress_is_not_empty_for_db_load(postgres, tmp_path):
    store = PostgresStore(postgres.database())
    folder = tmp_path / "tasks-only"
    folder.mkdir()
    (folder / PROGRESS).write_bytes(b"task,state\niii-a1-2020,done\n")
    assert store.load(folder, "test") == 1
    with pytest.raises(InvalidInput, match="already holds figures"):
        store.load(shipped(tmp_path), "test")


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("postgresql://kpi:s3cret@db.example:5432/kpi", "postgresql://kpi@db.example:5432/kpi"),
        # an unencoded # or ? in the password: libpq reads it as part of the password
        ("postgresql://kpi:ab#cds3cret@db.example/kpi", "postgresql://kpi@db.example/kpi"),
        ("postgresql://kpi:a?bs3cret@db.example/kpi", "postgresql://kpi@db.example/kpi"),
        (
            "postgresql://db.example:5432/kpi?user=kpi&password=s3cret&sslmode=require",
            "postgresql://kpi@db.example:5432/kpi?sslmode=require",
        ),
        (
            "postgresql://kpi@db.example/kpi?sslpassword=s3cret&passfile=/srv/s3cret",
            "postgresql://kpi@db.example/kpi",
        ),
        # libpq's keyword form, as kpis.paths turns it into a URL, and as it is written
        (
            "postgresql://?host=db.example&port=5432&dbname=kpi&user=kpi&password=s3cret",
            "postgresql://kpi@db.example:5432/kpi",
        ),
        (
            "host=db.example port=5432 dbname=kpi user=kpi password='s3cret x'",
            "postgresql://kpi@db.example:5432/kpi",
        ),
        ("postgresql://kpi:s3cret@db.example:notaport%/kpi", "postgresql://…"),
    ],
)
def test_the_target_shown_never_carries_a_password_whatever_its_form(target, shown):
    assert pgstore.shown_target(target) == shown
    store = PostgresStore(target)
    assert "s3cret" not in store.location + store.backup_note("x")


def test_a_connection_failure_never_quotes_the_password():
    # Port 1: nothing listens. The password, with an unencoded #, in every place it can be.
    for url in (
        "postgresql://kpi:ab#cds3cret@127.0.0.1:1/kpi",
        "postgresql://127.0.0.1:1/kpi?user=kpi&password=s3cret",
        "postgresql://?host=127.0.0.1&port=1&dbname=kpi&user=kpi&password=s3cret",
    ):
        with pytest.raises(pgstore.DatabaseUnavailable) as failed:
            PostgresStore(url).require()
        said = failed.value.message("vi") + failed.value.message("en")
        assert "s3cret" not in said and "cannot reach the database server" in said


def test_import_and_its_messages_never_print_a_password_in_the_query_or_keywords(
    postgres, tmp_path
):
    """The test server trusts local connections: a password in the URL is accepted and
    unused, as a real one would be used: every line the commands print is checked for it."""
    base = postgres.database()
    PostgresStore(base).load(REPO / "data", "test")
    pgstore.close_connections(base)
    host_port, database = base.split("@", 1)[1].split("/", 1)
    host, port = host_port.split(":")
    upload = tmp_path / "a.csv"
    upload.write_text("indicator,year,value,source\nbiotech_lab,2024,1,A\n", encoding="utf-8")
    for url in (
        f"postgresql://{host_port}/{database}?user={pgstore_user(base)}&password=s3cret",
        f"host={host} port={port} dbname={database} user={pgstore_user(base)} password=s3cret",
    ):
        for lang in ("vi", "en"):
            done = kpis("import", str(upload), "--user", "ed", "--lang", lang, url=url)
            assert done.returncode == 0, done.stderr
            assert database in done.stdout + done.stderr  # where the copy is kept, named
            assert "s3cret" not in done.stdout + done.stderr
            undone = kpis("undo", "--user", "ed", "--lang", lang, url=url)
            assert "s3cret" not in undone.stdout + undone.stderr
    refused = kpis("status", url=f"postgresql://{pgstore_user(base)}:s3cret@{host}:1/{database}")
    assert refused.returncode == 2 and "s3cret" not in refused.stdout + refused.stderr


def pgstore_user(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0]


def test_two_processes_importing_at_once_both_land(postgres, tmp_path):
    url = postgres.database()
    PostgresStore(url).load(REPO / "data", "test")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("indicator,year,value,source\nbiotech_lab,2026,1,A\n", encoding="utf-8")
    second.write_text("indicator,year,value,source\nst_enterprises,2026,7,B\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "KPI_DATABASE_URL": url}
    # One process holds the writers' turn while both commands start: they queue behind it.
    with psycopg.connect(url) as holder:
        holder.execute("SELECT n FROM kpi_change WHERE id = 1 FOR UPDATE")
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "kpis", "import", str(f), "--user", user],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for f, user in ((first, "An"), (second, "Bình"))
        ]
        with psycopg.connect(url, autocommit=True) as watcher:
            deadline = time.monotonic() + 120
            waiting = 0
            while waiting < 2 and time.monotonic() < deadline:
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ).fetchone()[0]
        assert waiting == 2, [p.poll() for p in procs]  # both queue behind the holder
        holder.rollback()
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    values = {
        (r.indicator, int(r.year)): r.value
        for r in PostgresStore(url)
        .read_figures(load_plan(REPO / "targets.yaml")[0], SIBLINGS)
        .table.itertuples()
    }
    assert values[("biotech_lab", 2026)] == 1 and values[("st_enterprises", 2026)] == 7
    assert sorted(r["user"] for r in PostgresStore(url).audit()) == ["An", "Bình"]


def test_a_page_save_after_another_process_saved_is_refused_naming_who(postgres, plan):
    from kpis.errors import DataChanged
    from kpis.store import parse_upload

    url = postgres.database()
    PostgresStore(url).load(REPO / "data", "test")
    mine_table, mine_problems = parse_upload(
        b"indicator,year,value,source\nbiotech_lab,2024,1,A\n", "mine.csv", plan
    )
    mine = PostgresStore(url).plan_import(plan, mine_table, mine_problems, SIBLINGS)
    done = subprocess.run(
        [sys.executable, "-c", _OTHER_PROCESS_SAVE, url],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with pytest.raises(DataChanged) as refused:
        PostgresStore(url).apply_import(plan, mine, "An", accept_warnings=True)
    assert [(c["user"], c["indicator"]) for c in refused.value.changes] == [
        ("Bình", "st_enterprises")
    ]


_OTHER_PROCESS_SAVE = """
import sys
from kpis.catalogue import sibling_ids
from kpis.pgstore import PostgresStore
from kpis.plan import load_plan
from kpis.store import parse_upload
plan = load_plan("targets.yaml")[0]
table, problems = parse_upload(b"indicator,year,value,source\\nst_enterprises,2024,9,B\\n", "b.csv", plan)
store = PostgresStore(sys.argv[1])
store.import_figures(plan, table, problems, "Bình", sibling_ids("targets.yaml"), accept_warnings=True)
"""


@pytest.mark.slow
def test_kill_9_in_the_middle_of_a_large_save_leaves_the_previous_state(postgres, tmp_path, plan):
    """Imports of 960 figures over 40 files, killed with SIGKILL at moments spread over the
    time a save takes here: the database always holds the figures before or after, whole,
    and the next save goes through (nothing is left locked)."""
    url = postgres.database()
    PostgresStore(url).load(REPO / "data", "test")
    env = {**os.environ, "PYTHONPATH": str(REPO), "KPI_DATABASE_URL": url}

    def start(seed: int) -> tuple[subprocess.Popen, float]:
        upload = tmp_path / f"large-{seed}.csv"
        upload.write_text(large_upload(plan, seed), encoding="utf-8")
        proc = subprocess.Popen(
            [sys.executable, "-m", "kpis", "import", str(upload), "--accept-warnings"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return proc, time.monotonic()

    proc, began = start(0)
    assert proc.wait(timeout=300) == 0
    took = time.monotonic() - began
    rng = random.Random(1)
    killed = 0
    for round_ in range(1, 7):
        before = dumped(url, tmp_path / f"before-{round_}")
        saves = len(PostgresStore(url).entries())
        proc, _ = start(round_)
        time.sleep(rng.uniform(0.3 * took, took))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=300)
        after = dumped(url, tmp_path / f"after-{round_}")
        figures = PostgresStore(url).read_figures(plan, SIBLINGS)
        assert figures.errors == []
        if proc.returncode != 0 and len(PostgresStore(url).entries()) == saves:
            assert after == before  # killed mid-save: the save left nothing behind
        else:  # done, or killed once committed (while exiting): the whole save is there
            sent = parse_upload((tmp_path / f"large-{round_}.csv").read_bytes(), "large.csv", plan)[
                0
            ].set_index(["indicator", "region", "year"])["value"]
            saved = figures.table.set_index(["indicator", "region", "year"])["value"]
            assert saved.loc[sent.index].tolist() == sent.tolist()
    assert killed >= 2, "no save was killed mid-way: the test proved nothing"
    proc, _ = start(99)
    assert proc.wait(timeout=300) == 0  # the next save goes through
    pgstore.close_connections(url)


def test_the_roles_in_docs_deployment_let_the_dashboard_save_but_not_change_the_schema(
    postgres, plan, tmp_path
):
    """The SQL of docs/deployment.md, run as written: the owner applies the schema, the
    dashboard role loads and saves figures and can neither create nor drop a table."""
    text = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    create, grants = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        for statement in filter(str.strip, create.split(";")):
            conn.execute(statement)  # CREATE DATABASE cannot share a transaction
    with psycopg.connect(postgres.url("kpi"), autocommit=True) as conn:
        conn.execute(grants)
    base = postgres.url("kpi")  # the test server trusts local connections: no password
    owner = base.replace(f"{postgres_user(base)}@", "kpi_owner@")
    dashboard = base.replace(f"{postgres_user(base)}@", "kpi_dashboard@")
    # The hint's command run with the dashboard's URL: it says whose URL to use instead.
    for lang, words in (("vi", "vai trò chủ sở hữu, kpi_owner"), ("en", "owner role's URL")):
        refused = kpis("db", "upgrade", "--lang", lang, "--url", dashboard)
        assert refused.returncode == 2 and words in refused.stderr
        assert "Traceback" not in refused.stderr
    assert pgstore.upgrade(owner) == [name for _, name, _ in pgstore.migrations()]
    store = PostgresStore(dashboard)
    store.require()
    store.load(REPO / "data", "test")
    from kpis.store import parse_upload

    table, problems = parse_upload(
        b"indicator,year,value,source\nbiotech_lab,2025,1,A\n", "up.csv", plan
    )
    _, result = store.import_figures(plan, table, problems, "An", SIBLINGS, accept_warnings=True)
    assert result is not None and result.added == 1
    from kpis import tasks  # task progress too (migration 0004's table, created by the owner)

    rows, found = tasks.parse_progress(b"task,state\niii-a1-2020,done\n", "p.csv", plan)
    assert tasks.import_tasks(store, plan, rows, found, "An")[1].added == 1
    assert store.undo("An").files == [tasks.progress_name(plan)]
    with psycopg.connect(dashboard, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE kpi_mine (a integer)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DROP TABLE kpi_audit")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("ALTER TABLE kpi_figure ADD COLUMN x text")
    pgstore.close_connections(dashboard)
    pgstore.close_connections(owner)


def postgres_user(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0]


def test_columns_beside_the_figures_and_awkward_text_survive_load_and_dump(postgres, tmp_path):
    """A file with columns of the province's own (one header twice) and sources holding a
    backslash, a tab, a quote and a line break: the dump is what the folder store writes."""
    from kpis.store import _file_rows, canonical_csv_bytes

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "2024.csv").write_text(
        "indicator,region,year,value,Tên chỉ tiêu,source,note,Người nhập,Người nhập\n"
        'biotech_lab,,2024,1,Phòng thí nghiệm,"QĐ 5\\2024\tđính kèm ""A""",,An,Bình\n'
        'rd_orgs,Bắc Kạn,2024,3,Tổ chức,"dòng 1\ndòng 2",ghi chú,,Chi\n',
        encoding="utf-8",
    )
    (folder / "2023.csv").write_text(
        "indicator;year;value;source\nbiotech_lab;2023;0,5;báo cáo\n", encoding="utf-8"
    )
    url = postgres.database()
    PostgresStore(url).load(folder, "test")
    out = tmp_path / "out"
    files = dumped(url, out)
    assert files == {
        name: canonical_csv_bytes(_file_rows(folder / name)) for name in ("2023.csv", "2024.csv")
    }
    assert "Người nhập,Người nhập" in files["2024.csv"].decode("utf-8-sig").splitlines()[0]
    again = tmp_path / "again"
    other = postgres.database()
    PostgresStore(other).load(out, "test")
    assert dumped(other, again) == files  # a canonical folder round-trips byte for byte


ESTIMATED = (
    "indicator,region,year,value,source,note,ước tính,Người nhập\n"
    "st_investment,Bắc Kạn,2024,80000,BC 45,,có,An\n"
    "public_st_orgs,Bắc Kạn,2024,3,BC 12,,,Bình\n"
    "biotech_lab,Bắc Kạn,2024,1,BC 7,,không,Chi\n"
)


def test_estimates_are_a_column_of_their_own_and_dump_as_the_folder_writes(postgres, tmp_path):
    from kpis.store import _file_rows, canonical_csv_bytes

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "2024.csv").write_text(ESTIMATED, encoding="utf-8")
    url = postgres.database()
    PostgresStore(url).load(folder, "test")
    with psycopg.connect(url) as conn:
        marked = conn.execute(
            "SELECT indicator, estimate, extra FROM kpi_figure ORDER BY line"
        ).fetchall()
        extra = conn.execute("SELECT extra FROM kpi_file").fetchone()[0]
    assert marked == [
        ("biotech_lab", False, ["Chi"]),
        ("public_st_orgs", False, ["Bình"]),
        ("st_investment", True, ["An"]),
    ]
    assert extra == ["Người nhập"]  # the estimate is no longer one of the extra columns
    expected = canonical_csv_bytes(_file_rows(folder / "2024.csv"))
    assert dumped(url, tmp_path / "out") == {"2024.csv": expected}
    assert expected.decode("utf-8-sig").splitlines()[0] == (
        "indicator,region,year,value,source,note,estimate,Người nhập"
    )
    figures = PostgresStore(url).read_figures(load_plan(REPO / "targets.yaml")[0], SIBLINGS)
    table = figures.table.set_index("indicator")
    assert table.loc["st_investment", "estimate"] and not table.loc["biotech_lab", "estimate"]


def database_at_schema(postgres, version: int) -> str:
    """A new database as a deployment of an earlier release left it: the first `version`
    migrations applied and recorded, the later ones not (yet)."""
    url = postgres.database(migrated=False)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE kpi_schema_version (version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for number, name, text in pgstore.migrations()[:version]:
            conn.execute(text)
            conn.execute("INSERT INTO kpi_schema_version VALUES (%s, %s)", (number, name))
    return url


def test_migration_0003_moves_estimates_out_of_the_extra_cells(postgres, tmp_path):
    """A database loaded before 0003 kept the estimate under its header as written: the
    upgrade moves each mark into the column and the dump is then what the folder writes."""
    from kpis.store import _file_rows, canonical_csv_bytes

    url = database_at_schema(postgres, 2)
    with psycopg.connect(url, autocommit=True) as conn:
        # As the store of version 2 wrote the file: the estimate cells under «ước tính».
        conn.execute(
            "INSERT INTO kpi_file (name, extra) VALUES ('2024.csv', %s)",
            (["ước tính", "Người nhập"],),
        )
        for line, (indicator, value, mark, who) in enumerate(
            [
                ("biotech_lab", "1", "không", "Chi"),
                ("public_st_orgs", "3", "", "Bình"),
                ("st_investment", "80000", "có", "An"),
            ],
            start=2,
        ):
            conn.execute(
                "INSERT INTO kpi_figure VALUES ('2024.csv', %s, %s, 'Bắc Kạn', '2024', %s,"
                " 'BC', '', %s)",
                (line, indicator, value, [mark, who]),
            )
    upgraded = kpis("db", "upgrade", "--url", url, "--lang", "en")
    assert upgraded.returncode == 0 and "0003_estimate_column.sql" in upgraded.stdout
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT extra FROM kpi_file").fetchone()[0] == ["Người nhập"]
        assert conn.execute(
            "SELECT indicator, estimate, extra FROM kpi_figure ORDER BY line"
        ).fetchall() == [
            ("biotech_lab", False, ["Chi"]),
            ("public_st_orgs", False, ["Bình"]),
            ("st_investment", True, ["An"]),
        ]
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "2024.csv").write_text(
        ESTIMATED.replace(",BC 45,", ",BC,").replace(",BC 12,", ",BC,").replace(",BC 7,", ",BC,"),
        encoding="utf-8",
    )
    assert dumped(url, tmp_path / "out") == {
        "2024.csv": canonical_csv_bytes(_file_rows(folder / "2024.csv"))
    }


def test_a_database_of_schema_0003_asks_for_db_upgrade_then_keeps_task_progress(
    postgres, tmp_path, plan
):
    """A deployment updated to this version: until `db upgrade` applies 0004 the dashboard
    and the commands say to run it (no traceback); then task progress saves, and a figures
    save still bumps the figures' counter alone."""
    from kpis import tasks
    from kpis.errors import InputNotFound

    url = database_at_schema(postgres, 3)
    store = PostgresStore(url)
    for call in (store.require, store.change_key, lambda: store.read_side(PROGRESS)):
        with pytest.raises(InputNotFound) as refused:
            call()
        assert "python -m kpis db upgrade" in refused.value.message("en")
    status = kpis("status", "--tasks", "--lang", "en", url=url)
    assert status.returncode == 2 and "python -m kpis db upgrade" in status.stderr
    assert "Traceback" not in status.stderr
    assert pgstore.upgrade(url)[0] == "0004_side_files.sql"  # (and any migration after it)
    store.load(REPO / "data", "test")
    figures, side = store.change_key().rsplit("#", 1)[1].split(".")
    rows, found = tasks.parse_progress(b"task,state\niii-a1-2020,done\n", "p.csv", plan)
    assert tasks.import_tasks(store, plan, rows, found, "An")[1].added == 1
    # kpi_change: the side files' counter moved (pages see it), the figures' did not.
    assert store.change_key().rsplit("#", 1)[1] == f"{figures}.{int(side) + 1}"
    assert store.snapshot().fingerprint == figures
    pgstore.close_connections(url)


def test_a_read_fetched_by_several_connections_is_one_consistent_view(postgres, plan):
    """The files are fetched by several connections at once (`pgstore._fetch_alongside`) in
    the reading transaction's snapshot: a save that another editor commits during the read is
    not half seen; the next read sees all of it."""
    url = postgres.database()
    store = PostgresStore(url)
    store.load(REPO / "data", "test")
    before = store.read_figures(plan, SIBLINGS).table
    table, problems = parse_upload(
        b"indicator,year,value,source\nst_investment,2024,80000,BC 45/BC-STC\n"
        b"public_st_orgs,2019,4,BC 45/BC-STC\n",
        "u.csv",
        plan,
    )
    with store._reading() as conn:
        conn.execute("SELECT count(*) FROM kpi_file")  # the transaction's snapshot is taken
        planned, saved = store.import_figures(
            plan, table, problems, "binh", SIBLINGS, accept_warnings=True
        )
        assert saved is not None, [p.message("en") for p in planned.problems]
        assert saved.changed == 2
        during = pgstore._read(conn, plan, SIBLINGS, True, alongside=url)
    after = store.read_figures(plan, SIBLINGS).table
    key = ["indicator", "region", "year"]
    assert (
        during.table.sort_values(key)
        .reset_index(drop=True)
        .equals(before.sort_values(key).reset_index(drop=True))
    )
    changed = after.set_index(key).loc[
        [("st_investment", "Bắc Kạn", 2024), ("public_st_orgs", "Bắc Kạn", 2019)], "value"
    ]
    assert changed.tolist() == [80000.0, 4.0]


def test_each_connection_failure_says_what_is_wrong_and_what_to_do(postgres):
    host = postgres.url().split("@", 1)[1].split("/", 1)[0]
    cases = [
        (f"postgresql://nobody@{host}/postgres", "sai tên vai trò hoặc mật khẩu", "wrong role"),
        (f"postgresql://kpi_test@{host}/kpi_none", "không có cơ sở dữ liệu này", "no such data"),
        ("postgresql://kpi_test@127.0.0.1:1/kpi", "kiểm tra PostgreSQL đang chạy", "is running"),
        (postgres.database(migrated=False), "lược đồ cơ sở dữ liệu chưa có", "schema is missing"),
    ]
    for url, vi, en in cases:
        said = kpis("status", url=url)
        assert said.returncode == 2 and vi in said.stderr, said.stderr
        assert "Traceback" not in said.stderr
        assert en in kpis("status", "--lang", "en", url=url).stderr


SKEWED = """
import datetime, sys, types
import kpis.cli, kpis.pgstore, kpis.store

class Past(datetime.datetime):  # this machine's clock, ten minutes behind the other's
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.now(tz) - datetime.timedelta(minutes=10)

behind = types.SimpleNamespace(**{**vars(datetime), "datetime": Past})
for module in (kpis.pgstore, kpis.store):
    if getattr(module, "dt", None) is datetime:
        module.dt = behind
sys.exit(kpis.cli.main(sys.argv[1:]))
"""


def test_undo_reverts_the_latest_save_by_the_database_even_when_clocks_differ(postgres, tmp_path):
    """Two dashboard machines, the second's clock ten minutes behind: the second saves
    last, so undo takes back the second's save and leaves the first's standing."""
    url = postgres.database()
    PostgresStore(url).load(REPO / "data", "test")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(
        "indicator,year,value,source\ncollective_trademarks,2024,11,A\n", encoding="utf-8"
    )
    second.write_text("indicator,year,value,source\nbiotech_lab,2024,1,B\n", encoding="utf-8")
    assert kpis("import", str(first), "--user", "may1", url=url).returncode == 0
    env = {**os.environ, "PYTHONPATH": str(REPO), "KPI_DATABASE_URL": url}
    behind = subprocess.run(
        [sys.executable, "-c", SKEWED, "import", str(second), "--user", "may2"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert behind.returncode == 0, behind.stderr
    undone = kpis("undo", "--user", "admin", url=url)
    assert undone.returncode == 0 and "may2" in undone.stdout, undone.stdout + undone.stderr
    store = PostgresStore(url)
    assert [(e.user, e.undone) for e in store.entries()] == [("may1", False), ("may2", True)]
    text = (dumped(url, tmp_path / "out")["2024.csv"]).decode("utf-8")
    assert re.search(r"^collective_trademarks,[^,\n]*,2024,11,", text, flags=re.M)
    assert re.search(r"^biotech_lab,[^,\n]*,2024,0,", text, flags=re.M)
    pgstore.close_connections(url)


def test_migration_0008_orders_the_entries_saved_before_as_they_were_committed(postgres):
    url = database_at_schema(postgres, 7)
    with psycopg.connect(url, autocommit=True) as conn:
        # Saved by a machine whose clock was ahead, then by one behind: the audit rows, which
        # the server numbered as each save committed, keep the true order.
        for entry, user in (("20261205T152000Z", "ahead"), ("20261205T151000Z", "behind")):
            conn.execute(
                'INSERT INTO kpi_entry (id, time, "user", action) VALUES (%s, %s, %s, %s)',
                (entry, "05/12/2026 15:20", user, "import"),
            )
            conn.execute(
                'INSERT INTO kpi_audit (time, "user", indicator, region, year, old, new, source,'
                " file, action, entry) VALUES ('t', %s, 'x', '', '2024', '0', '1', '', "
                "'2024.csv', 'import', %s)",
                (user, entry),
            )
    pgstore.upgrade(url)
    store = PostgresStore(url)
    assert [e.user for e in store.entries()] == ["ahead", "behind"]
    with psycopg.connect(url, autocommit=True) as conn:  # a new entry comes after both
        conn.execute(
            "INSERT INTO kpi_entry (id, time, \"user\", action) VALUES ('0', 't', 'new', 'x')"
        )
    assert [e.user for e in store.entries()] == ["ahead", "behind", "new"]
    pgstore.close_connections(url)


def test_undo_and_redo_after_db_load_of_a_folder_with_history_say_why_not(postgres, tmp_path):
    """The folder's audit trail comes along, its undo history does not: each command says so
    (no traceback, never "nothing was ever saved")."""
    folder = shipped(tmp_path)
    upload = tmp_path / "a.csv"
    upload.write_text("indicator,year,value,source\nbiotech_lab,2024,1,A\n", encoding="utf-8")
    assert kpis("import", str(upload), "--user", "bob", "--data", str(folder)).returncode == 0
    assert kpis("undo", "--user", "bob", "--data", str(folder)).returncode == 0
    url = postgres.database()
    PostgresStore(url).load(folder, "test")
    for command in ("redo", "undo"):
        for lang, words in (("vi", "lịch sử hoàn tác không được nạp theo"), ("en", "undo history")):
            said = kpis(command, "--user", "z", "--lang", lang, url=url)
            assert said.returncode == 1 and words in said.stderr, said.stderr
            assert "Traceback" not in said.stderr and "db load" in said.stderr
    assert PostgresStore(url).redoable() is None  # the page offers no redo button
    pgstore.close_connections(url)


def test_a_stalled_save_loses_the_writers_turn_and_others_are_told_it_is_the_database(
    postgres, plan, monkeypatch
):
    """A client that stops in the middle of a save (here: a transaction holding the turn,
    left idle) is ended by the server after the store's idle limit; until then another save
    waits, then is told the database, not a data folder, is busy."""
    from kpis.errors import StoreBusy

    url = postgres.database()
    store = PostgresStore(url)
    store.load(REPO / "data", "test")
    table, problems = parse_upload(
        b"indicator,year,value,source\nbiotech_lab,2025,1,A\n", "up.csv", plan
    )
    monkeypatch.setattr(pgstore, "IDLE_IN_TRANSACTION_S", 2)
    pgstore.close_connections(url)  # the limit is set as a connection opens
    with pgstore.connection(url) as stalled:
        stalled.execute("BEGIN")
        stalled.execute("SELECT n FROM kpi_change WHERE id = 1 FOR UPDATE")
        monkeypatch.setattr(pgstore, "LOCK_TIMEOUT_S", 0.5)
        with pytest.raises(StoreBusy) as busy:
            store.import_figures(plan, table, problems, "An", SIBLINGS, accept_warnings=True)
        assert "cơ sở dữ liệu" in busy.value.message("vi")
        assert "thư mục" not in busy.value.message("vi")
        assert "database" in busy.value.message("en")
        time.sleep(4)  # the stalled client never comes back: the server ends its session
        monkeypatch.setattr(pgstore, "LOCK_TIMEOUT_S", 30)
        _, result = store.import_figures(
            plan, table, problems, "An", SIBLINGS, accept_warnings=True
        )
        assert result is not None and result.added == 1
        stalled.close()
    pgstore.close_connections(url)


def test_a_read_blocked_behind_a_lock_gives_up_within_the_bound_and_says_the_database_is_busy(
    postgres, plan, monkeypatch
):
    """A read waiting on a lock (here an administrator's LOCK TABLE, as a `db upgrade` altering
    a table takes) is given up after `READ_TIMEOUT_S` with the busy message, not left to hang
    the page; once the lock goes, the same reads work."""
    from kpis.errors import StoreBusy

    url = postgres.database()
    store = PostgresStore(url)
    store.load(REPO / "data", "test")
    monkeypatch.setattr(pgstore, "READ_TIMEOUT_S", 1)
    reads = {
        "kpi_figure": lambda: store.read_figures(plan, SIBLINGS),
        "kpi_change": store.change_key,
        "kpi_entry_file": store.entries,
    }
    for table, read in reads.items():
        with psycopg.connect(url) as holder:
            # Were the read to wait, the server would end the holder's session after 8 s: the
            # test fails, it does not hang.
            holder.execute("SET idle_in_transaction_session_timeout = '8s'")
            holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")  # our own names
            started = time.monotonic()
            with pytest.raises(StoreBusy) as busy:
                read()
            assert time.monotonic() - started < 5, table
            holder.rollback()
        assert "cơ sở dữ liệu đang bận" in busy.value.message("vi")
        assert "1 giây" in busy.value.message("vi") and "thử lại" in busy.value.message("vi")
        assert "the database is busy" in busy.value.message("en")
        assert "try again" in busy.value.message("en")
        assert pgstore.shown_target(url) in busy.value.message("en")  # for the operator
        assert pgstore.shown_target(url) not in busy.value.public_message("en")  # visitors
        read()  # the lock gone, the read works
    pgstore.close_connections(url)


def test_db_upgrade_takes_a_keyword_url_and_refuses_a_misspelt_one_without_echoing_it(postgres):
    url = postgres.database()
    host, port = url.split("@", 1)[1].split("/", 1)[0].split(":")
    database = url.rsplit("/", 1)[1]
    keywords = f"host={host} port={port} dbname={database} user=kpi_test password=s3cret"
    done = kpis("db", "upgrade", "--url", keywords)
    assert done.returncode == 0 and "s3cret" not in done.stdout + done.stderr, done.stderr
    refused = kpis("db", "upgrade", "--url", url.replace("postgresql", "postgresq") + "s3cret")
    assert refused.returncode == 2 and "--url" in refused.stderr
    assert "s3cret" not in refused.stdout + refused.stderr
