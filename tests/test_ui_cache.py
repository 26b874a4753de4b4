"""ui/cache.py: the cached loader sees changed files, fails with a message, shares what it loads."""

from __future__ import annotations

import os
import shutil

import pytest

from ui import cache, widgets


@pytest.fixture
def copy(tmp_path, repo_root):
    """A private copy of the shipped plan and figures."""
    shutil.copy(repo_root / "targets.yaml", tmp_path / "targets.yaml")
    shutil.copytree(repo_root / "data", tmp_path / "data")
    return tmp_path


def test_a_saved_figure_is_seen_without_restart(copy):
    targets, data = copy / "targets.yaml", copy / "data"
    first = cache.load_dataset_cached(targets, data)
    assert isinstance(first, cache.Dataset)
    again = cache.load_dataset_cached(targets, data)
    assert len(again.figures.table) == len(first.figures.table)

    (data / "2025.csv").write_text(
        "indicator,year,value,source\npublic_st_orgs,2025,4,Báo cáo thử\n", encoding="utf-8"
    )
    after = cache.load_dataset_cached(targets, data)
    assert len(after.figures.table) == len(first.figures.table) + 1
    assert 2025 in set(after.figures.table["year"])
    rows = cache.assessments_cached(targets, data, 2025, ["Bắc Kạn"])
    assert [r.latest_value for r in rows if r.indicator == "public_st_orgs"] == [3.0, 4.0]


def test_an_edited_file_of_the_same_size_is_seen(copy):
    data = copy / "data" / "2024.csv"
    before = cache.fingerprint(copy / "targets.yaml", copy / "data")
    key = cache.cache_key(copy / "targets.yaml", copy / "data")
    stat = data.stat()
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert cache.fingerprint(copy / "targets.yaml", copy / "data") != before
    assert cache.cache_key(copy / "targets.yaml", copy / "data") != key  # what caches key on


def test_a_missing_or_broken_plan_is_a_message_not_a_traceback(copy):
    missing = cache.load_dataset_cached(copy / "nope.yaml", copy / "data")
    assert isinstance(missing, cache.LoadError)
    assert (
        "nope.yaml" in missing.message("vi") and "không tìm thấy" in missing.message("vi").lower()
    )
    assert "not found" in missing.message("en")

    no_data = cache.load_dataset_cached(copy / "targets.yaml", copy / "absent")
    assert isinstance(no_data, cache.LoadError) and "absent" in no_data.message("en")

    plan = copy / "targets.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("baseline_year: 2015", "baseline_yr: 2015"),
        encoding="utf-8",
    )
    broken = cache.load_dataset_cached(plan, copy / "data")
    assert isinstance(broken, cache.LoadError)
    assert broken.problems and "baseline_yr" in " ".join(p.format("en") for p in broken.problems)
    frame = widgets.problems_frame(list(broken.problems), "vi")
    assert list(frame.columns) == ["Vị trí", "Mức", "Nội dung"]


def test_the_loaded_data_is_shared_not_copied_on_each_run(copy):
    # st.cache_resource: every rerun gets the same objects (no unpickled copy of 100,000
    # figures), until a file changes
    targets, data = copy / "targets.yaml", copy / "data"
    first = cache.load_dataset_cached(targets, data)
    assert cache.load_dataset_cached(targets, data) is first
    assert cache.series_cached(targets, data) is cache.series_cached(targets, data)
    os.utime(data / "2024.csv", ns=(0, (data / "2024.csv").stat().st_mtime_ns + 1_000_000_000))
    assert cache.load_dataset_cached(targets, data) is not first


def test_a_database_that_cannot_be_reached_is_a_message_not_a_traceback(copy):
    # Port 1 on this machine: nothing listens, the connection is refused at once.
    loaded = cache.load_dataset_cached(
        copy / "targets.yaml", "postgresql://kpi:secret@127.0.0.1:1/kpi"
    )
    assert isinstance(loaded, cache.LoadError)
    assert "cannot reach the database server" in loaded.message("en")
    assert "không kết nối được máy chủ cơ sở dữ liệu" in loaded.message("vi")
    # Visitors are not told the role, host or port: they are in the server's log.
    for shown in (loaded.message("en"), loaded.message("vi")):
        assert "secret" not in shown and "127.0.0.1" not in shown and "kpi@" not in shown


def test_a_database_without_its_tables_says_to_run_db_upgrade(copy, postgres):
    loaded = cache.load_dataset_cached(copy / "targets.yaml", postgres.database(migrated=False))
    assert isinstance(loaded, cache.LoadError)
    assert "python -m kpis db upgrade" in loaded.message("en")


def test_a_save_by_another_process_is_seen_on_the_next_load_from_the_database(
    copy, postgres, repo_root
):
    from kpis.catalogue import sibling_ids
    from kpis.pgstore import PostgresStore
    from kpis.plan import load_plan
    from kpis.store import parse_upload

    url = postgres.database()
    PostgresStore(url).load(copy / "data", "test")
    targets = copy / "targets.yaml"
    first = cache.load_dataset_cached(targets, url)
    plan = load_plan(targets)[0]
    table, problems = parse_upload(
        b"indicator,year,value,source\npublic_st_orgs,2025,4,B\n", "b.csv", plan
    )
    # Another process's store object: nothing shared with this one but the database.
    planned, saved = PostgresStore(url + "?application_name=other").import_figures(
        plan, table, problems, "Bình", sibling_ids(repo_root / "targets.yaml"), accept_warnings=True
    )
    assert saved is not None, [p.format("en") for p in planned.problems]
    after = cache.load_dataset_cached(targets, url)
    assert len(after.figures.table) == len(first.figures.table) + 1


def test_a_read_held_up_by_a_lock_is_a_busy_message_without_the_database_s_address(
    copy, postgres, monkeypatch
):
    import psycopg

    from kpis import pgstore
    from kpis.pgstore import PostgresStore

    url = postgres.database()
    PostgresStore(url).load(copy / "data", "test")
    monkeypatch.setattr(pgstore, "READ_TIMEOUT_S", 1)
    with psycopg.connect(url) as holder:
        holder.execute("SET idle_in_transaction_session_timeout = '8s'")  # never a hang
        holder.execute("LOCK TABLE kpi_figure IN ACCESS EXCLUSIVE MODE")
        loaded = cache.load_dataset_cached(copy / "targets.yaml", url)
        holder.rollback()
    assert isinstance(loaded, cache.LoadError)
    assert "cơ sở dữ liệu đang bận" in loaded.message("vi") and "thử lại" in loaded.message("vi")
    assert "the database is busy" in loaded.message("en")
    for shown in (loaded.message("en"), loaded.message("vi")):  # the role and host: the log's
        assert "127.0.0.1" not in shown and "kpi_test" not in shown
    pgstore.close_connections(url)


def test_every_cache_is_bounded(repo_root):
    """A server's memory stays flat across years, languages and plans: every st.cache_data
    and st.cache_resource of the dashboard keeps a bounded number of entries, and those keyed
    on an as-of year or a language also expire unread."""
    import ast

    sources = [repo_root / "dashboard.py", *sorted((repo_root / "ui").glob("*.py"))]
    sources += sorted((repo_root / "app_pages").glob("*.py"))
    found = []
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                if ast.unparse(call.func if call else decorator).startswith("st.cache"):
                    keywords = {k.arg for k in (call.keywords if call else [])}
                    args = {a.arg for a in node.args.args}
                    found.append((source.name, node.name, keywords, args))
    assert len(found) >= 10
    for file, function, keywords, args in found:
        assert "max_entries" in keywords, f"{file}: {function} keeps every entry"
        if args & {"as_of", "lang"}:
            assert "ttl" in keywords, f"{file}: {function} keeps each year or language for ever"
