"""The history that undo and recovery trust (issue 10, findings 2, 8, 13): the audit trail
cannot be broken by a cell, a damaged entry is refused before any file is touched, recovery
runs on every load and cleans what a killed write left. Real files, read back."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kpis import store
from kpis.dataset import load_dataset
from kpis.errors import DataChanged, HistoryDamaged, InvalidInput
from kpis.plan import load_plan
from tests.helpers import files_bytes

REPO = Path(__file__).resolve().parents[1]
FIRST = "indicator,year,value,source\npublic_st_orgs,2025,4,BC 1\n"
SECOND = "indicator,year,value,source\npublic_st_orgs,2025,5,BC 2\n"


@pytest.fixture(scope="module")
def plan():
    return load_plan(REPO / "targets.yaml")[0]


def do_import(data_dir, plan, text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    table, problems = store.parse_upload(raw, "upload.csv", plan)
    imported, result = store.import_figures(
        data_dir, plan, table, problems, "an", accept_warnings=True
    )
    assert imported.errors == [] and result is not None
    return result


def test_a_lone_cr_in_a_source_neither_breaks_the_audit_trail_nor_later_imports(data_dir, plan):
    do_import(
        data_dir,
        plan,
        'indicator,year,value,source\npublic_st_orgs,2025,4,"Báo cáo 12\rngày 20/11"\n',
    )
    assert b"\r" not in (data_dir / "2025.csv").read_bytes()
    do_import(data_dir, plan, SECOND)  # every import used to fail from here on
    sources = [row["source"] for row in store.read_audit(data_dir)]
    assert sources == ["Báo cáo 12 ngày 20/11", "BC 2"]
    assert store.undo(data_dir, "an").figures == 1


def test_an_audit_trail_broken_by_an_older_version_is_still_read(data_dir, plan):
    do_import(data_dir, plan, FIRST)
    audit = store.history_dir(data_dir) / store.AUDIT_NAME
    with open(audit, "ab") as handle:  # what the old writer left: a lone CR, unquoted
        handle.write(b"2025-01-01T00:00:00+07:00,an,x,,2020,,1,BC 12\rngay,f.csv,import,e1\n")
    rows = store.read_audit(data_dir)
    assert [r["source"] for r in rows] == ["BC 1", "BC 12 ngay"]
    assert store.undo(data_dir, "an") is not None


def test_every_audit_cell_is_quoted(data_dir, plan):
    do_import(data_dir, plan, FIRST)
    last = (store.history_dir(data_dir) / store.AUDIT_NAME).read_text("utf-8").splitlines()[-1]
    assert last.startswith('"') and last.count('"') == 2 * len(store.AUDIT_COLUMNS)


def latest_entry(data_dir) -> Path:
    return store.entries(data_dir)[-1].path


def test_a_corrupt_latest_manifest_is_refused_not_skipped(data_dir, plan):
    do_import(data_dir, plan, FIRST)
    do_import(data_dir, plan, SECOND)
    (latest_entry(data_dir) / "manifest.json").write_text("{not json", encoding="utf-8")
    before = files_bytes(data_dir)
    with pytest.raises(HistoryDamaged) as refused:
        store.undo(data_dir, "an")
    assert "manifest.json" in refused.value.message("en")
    assert files_bytes(data_dir) == before  # the entry before was NOT undone instead


def test_a_missing_backup_is_refused_before_any_file_is_touched(data_dir, plan):
    do_import(
        data_dir, plan, "indicator,year,value\nst_investment,2024,80000\npublic_st_orgs,2025,4\n"
    )
    entry = latest_entry(data_dir)
    (entry / "2024.csv").unlink()
    before = files_bytes(data_dir)
    with pytest.raises(HistoryDamaged, match="copy of «2024.csv» is missing"):
        store.undo(data_dir, "an")
    assert files_bytes(data_dir) == before
    do_import(data_dir, plan, SECOND)  # later writes are not blocked


def test_a_changed_backup_is_refused(data_dir, plan):
    do_import(data_dir, plan, "indicator,year,value\nst_investment,2024,80000\n")
    (latest_entry(data_dir) / "2024.csv").write_bytes(b"indicator,year,value\n")
    with pytest.raises(HistoryDamaged, match="has changed"):
        store.undo(data_dir, "an")


@pytest.mark.parametrize("in_one_turn", [True, False])
def test_an_entry_holds_each_file_as_it_was_with_its_digest(data_dir, plan, in_one_turn):
    # Planned and saved in one turn, the copies are made by the kernel and their digests are
    # those the plan's read took (issue 14); planned, then saved in a turn of its own, they
    # are read and hashed: either way the manifest holds the digest of the file as it was.
    before = files_bytes(data_dir)["2024.csv"]
    text = "indicator,year,value,source\nst_investment,2024,80000,BC\n"
    if in_one_turn:
        do_import(data_dir, plan, text)
    else:
        table, problems = store.parse_upload(text.encode(), "upload.csv", plan)
        planned = store.plan_import(data_dir, plan, table, problems)
        store.FolderStore(data_dir).apply_import(plan, planned, "an", accept_warnings=True)
    entry = latest_entry(data_dir)
    manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sha256"] == {"2024.csv": hashlib.sha256(before).hexdigest()}
    assert (entry / "2024.csv").read_bytes() == before != (data_dir / "2024.csv").read_bytes()
    assert store.undo(data_dir, "an").figures == 1
    assert (data_dir / "2024.csv").read_bytes() == before


@pytest.mark.parametrize("name", ["../escaped.csv", "/tmp/escaped.csv", "sub/x.csv", ".lock"])
def test_a_manifest_naming_a_file_outside_data_is_refused_and_nothing_is_deleted(
    tmp_path, data_dir, plan, name
):
    outside = tmp_path / "escaped.csv"
    outside.write_text("keep me")
    do_import(data_dir, plan, FIRST)
    manifest_path = latest_entry(data_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"] = {name: False}
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(HistoryDamaged, match="outside the data folder"):
        store.undo(data_dir, "an")
    assert outside.read_text() == "keep me"


def test_a_half_applied_import_is_never_visible_to_a_read_only_load(data_dir, plan):
    original = {p.name: p.read_bytes() for p in data_dir.glob("*.csv")}
    table, problems = store.parse_upload(
        b"indicator,year,value\nst_investment,2024,80000\n", "u.csv", plan
    )
    planned = store.plan_import(data_dir, plan, table, problems)
    contents, _ = store._new_files(data_dir, plan, planned)
    store._begin_entry(data_dir, "an", "import", list(contents))  # killed after the backup
    store.atomic_write(data_dir / "2024.csv", contents["2024.csv"])
    (store.history_dir(data_dir) / ".building-x1").mkdir()  # and a killed entry
    dataset = load_dataset(REPO / "targets.yaml", data_dir)
    shown = dataset.figures.table
    assert 80000 not in shown.loc[shown["indicator"] == "st_investment", "value"].tolist()
    assert {p.name: p.read_bytes() for p in data_dir.glob("*.csv")} == original
    assert not list(store.history_dir(data_dir).glob(".building-*"))
    assert not store.needs_recovery(data_dir)


def test_a_full_disk_names_the_file(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    # /dev/full fails every write with ENOSPC, as a full disk does; a symlink to it stands
    # in for the temporary file (atomic_write's own, in the folder).
    code = (
        "import os, tempfile, kpis.store as s\n"
        "real = tempfile.mkstemp\n"
        "def full(dir, prefix):\n"
        "    fd, path = real(dir=dir, prefix=prefix); os.close(fd)\n"
        "    return os.open('/dev/full', os.O_WRONLY), path\n"
        "s.tempfile.mkstemp = full\n"
        f"s.atomic_write(__import__('pathlib').Path({str(tmp_path / '2024.csv')!r}), b'x' * 100000)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode != 0
    assert (
        "No space left on device" in result.stderr and "2024.csv" in result.stderr.splitlines()[-1]
    )


def test_the_undo_command_says_what_is_damaged(tmp_path, data_dir, plan):
    do_import(data_dir, plan, FIRST)
    shutil.rmtree(latest_entry(data_dir))
    do_import(data_dir, plan, SECOND)
    (latest_entry(data_dir) / "manifest.json").write_text("[]", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kpis", "undo", "--lang", "en", "--data", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert "is damaged (manifest.json cannot be read): nothing was undone" in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------------------------ redo
TWO_FILES = "indicator,year,value,source\nst_investment,2024,80000,BC\npublic_st_orgs,2025,4,BC\n"


def figures_files(data_dir) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data_dir.glob("*.csv"))}


def figures_files_of(every: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in every.items() if "/" not in name and name.endswith(".csv")}


def test_a_changed_copy_for_redo_is_refused_before_any_file_is_touched(data_dir, plan):
    do_import(data_dir, plan, TWO_FILES)
    store.undo(data_dir, "an")
    entry = latest_entry(data_dir)
    (entry / "after" / "2024.csv").write_bytes(b"indicator,year,value\n")
    before = files_bytes(data_dir)
    with pytest.raises(HistoryDamaged, match="after/2024.csv") as refused:
        store.redo(data_dir, "an")
    assert "nothing was redone" in refused.value.message("en")
    assert files_bytes(data_dir) == before
    (entry / "after.json").write_text("{}", encoding="utf-8")  # the record itself
    with pytest.raises(HistoryDamaged, match="after.json"):
        store.redo(data_dir, "an")
    assert figures_files(data_dir) == figures_files_of(before)


def test_a_redo_never_overwrites_a_file_changed_by_hand_since_the_undo(data_dir, plan):
    do_import(data_dir, plan, TWO_FILES)
    store.undo(data_dir, "an")
    edited = (data_dir / "2024.csv").read_bytes() + b"biotech_lab,,2024,1,tay,\n"
    (data_dir / "2024.csv").write_bytes(edited)
    with pytest.raises(DataChanged) as refused:
        store.redo(data_dir, "an")
    assert refused.value.changes == []  # changed outside the dashboard: nobody to name
    assert (data_dir / "2024.csv").read_bytes() == edited


def test_a_redo_killed_half_way_is_finished_by_the_next_operation(data_dir, plan):
    original = figures_files(data_dir)
    do_import(data_dir, plan, TWO_FILES)
    saved = figures_files(data_dir)
    store.undo(data_dir, "binh")
    assert figures_files(data_dir) == original
    entry = store.entries(data_dir)[-1]
    # What a kill -9 looks like once the redo has begun, put one file back and audited one
    # figure: each file whole, the set of files half old, half new.
    store._mark(entry.path, "redoing", {"user": "chi", "time": "t"})
    store.atomic_write(data_dir / "2024.csv", (entry.path / "after" / "2024.csv").read_bytes())
    [first, _] = store.round_audit(store.read_audit(data_dir), entry.id, "chi", "redo", "t")[0]
    store._append_audit(data_dir, [first])
    assert store.needs_recovery(data_dir)
    assert store.recover(data_dir) == [entry.id]
    assert figures_files(data_dir) == saved
    assert not store.needs_recovery(data_dir)
    assert store.entries(data_dir)[-1].restorable
    redos = [r for r in store.read_audit(data_dir) if r["action"] == "redo"]
    assert sorted((r["user"], r["indicator"]) for r in redos) == [
        ("chi", "public_st_orgs"),
        ("chi", "st_investment"),
    ]  # each figure once, by the user who pressed redo
    store.undo(data_dir, "an")  # and it can be undone again
    assert figures_files(data_dir) == original


def test_an_undo_killed_half_way_is_finished_and_can_then_be_redone(data_dir, plan):
    do_import(data_dir, plan, TWO_FILES)
    saved = figures_files(data_dir)
    entry = store.entries(data_dir)[-1]
    # Killed after the undo copied what it replaces and put one file back.
    store._capture_after(data_dir, entry)
    store._mark(entry.path, "undoing", {"user": "chi", "time": "t"})
    store.atomic_write(data_dir / "2024.csv", (entry.path / "2024.csv").read_bytes())
    assert store.recover(data_dir) == [entry.id]
    assert store.redoable(data_dir).id == entry.id
    assert store.redo(data_dir, "chi").figures == 2
    assert figures_files(data_dir) == saved


def test_an_import_refused_by_the_check_of_the_set_as_it_will_be_leaves_no_backup(
    tmp_path, monkeypatch
):
    # The files about to change are copied while the new ones are made and checked: when the
    # check refuses (here the year file would pass the row limit), neither a history entry
    # nor the copies are left behind, and the figures are as they were.
    plan = load_plan(REPO / "targets.yaml")[0]
    data = tmp_path / "data"
    data.mkdir()
    saved = (
        "indicator,region,year,value,source\n"
        "st_investment,Bắc Kạn,2024,1500,BC 1\n"
        "public_st_orgs,Bắc Kạn,2024,3,BC 2\n"
    )
    (data / "2024.csv").write_text(saved, encoding="utf-8")
    monkeypatch.setenv("KPI_MAX_ROWS", "2")
    table, problems = store.parse_upload(
        "indicator,region,year,value,source\nbiotech_lab,Bắc Kạn,2024,1,BC 3\n".encode(),
        "upload.csv",
        plan,
    )
    with pytest.raises(InvalidInput) as refused:
        store.import_figures(data, plan, table, problems, "tester")
    [problem] = refused.value.problems
    assert problem.file.endswith("2024.csv") and "more than 2 rows" in problem.message_en
    assert (data / "2024.csv").read_text(encoding="utf-8") == saved
    assert [p.name for p in store.history_dir(data).iterdir()] == []


def test_an_import_the_disk_cannot_take_is_refused_whole(tmp_path, data_dir, plan, monkeypatch):
    # New files are written aside while the set is checked: a full disk there (/dev/full
    # stands in for each one) refuses the save naming the file, before any history entry, and
    # leaves the figures, the folder and the history as they were.
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    before = files_bytes(data_dir)
    real = store.tempfile.mkstemp

    def full(dir, prefix):  # noqa: A002 - mkstemp's own keyword
        fd, path = real(dir=dir, prefix=prefix)
        if Path(dir) != data_dir:
            return fd, path
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), path

    monkeypatch.setattr(store.tempfile, "mkstemp", full)
    with pytest.raises(OSError) as refused:
        do_import(data_dir, plan, FIRST)
    assert "No space left on device" in str(refused.value) and ".csv" in str(refused.value)
    assert files_bytes(data_dir) == before
    assert [p.name for p in data_dir.iterdir() if p.name.startswith(".tmp-")] == []
    assert store.entries(data_dir) == []
    assert not list(store.history_dir(data_dir).glob(".building-*"))


# ---------------------------------------------------------------------------------------------
# Undo and redo held to the editor's agencies (audit finding: a limited editor could undo any
# agency's save on /data). Both stores, through the interface the page and the command use.

AGRI = "indicator,year,value,source\nhightech_agri_zone,2024,1,Sở NN báo cáo 2024\n"  # so-nnptnt


def limited(plan, *agencies: str):
    """An editor limited to `agencies` of `plan` (kpis.scope), its trail read against `plan`."""
    from kpis.scope import Limit

    indicator_plans = {i.id: [plan.plan.id] for i in plan.indicators}
    return Limit(agencies=frozenset(agencies)).scope(plan.plan.id, indicator_plans)


FINANCE = "indicator,year,value,source\ntotal_budget_spending,2024,5000000,Sở TC báo cáo\n"


def kept(figures_store, tmp_path) -> tuple:
    """Everything an undo or redo could touch: the figures files, the audit trail, the
    history's undone marks and the task progress."""
    from tests.test_store import saved_files

    return (
        saved_files(figures_store, tmp_path),
        figures_store.audit(),
        [(e.id, e.undone) for e in figures_store.entries()],
        figures_store.read_side("_tasks-bac-kan-684-2016.csv"),
    )


def test_both_stores_refuse_an_undo_or_redo_outside_the_editors_agencies_changing_nothing(
    figures_store, plan, tmp_path
):
    from kpis.agencies import round_refusal
    from kpis.errors import OutsideAgencies
    from tests.test_store import save

    agri = save(figures_store, plan, AGRI, "chi")
    before = kept(figures_store, tmp_path)
    with pytest.raises(OutsideAgencies) as refused:
        figures_store.undo("an", expected=agri.entry, allowed=limited(plan, "so-tc"))
    assert kept(figures_store, tmp_path) == before
    assert (refused.value.entry, refused.value.user, refused.value.redo) == (
        agri.entry,
        "chi",
        False,
    )
    assert [(r["indicator"], r["year"], r["agency"]) for r in refused.value.rows] == [
        ("hightech_agri_zone", "2024", "so-nnptnt")
    ]
    assert round_refusal(plan, "an", refused.value, "en", "04/12/2026 09:00") == (
        "Nothing was undone: account «an» may only write for Department of Finance, and the "
        "save of 04/12/2026 09:00 by chi changed 1 item of Department of Agriculture and Rural "
        "Development: «High-tech agriculture zone in operation» 2024. Ask an editor of that "
        "agency (or an account without agency limits) to undo it."
    )
    # Its own agency's editor, or an editor without limits, undoes it; the limited one may
    # not redo it either.
    assert (
        figures_store.undo("binh", allowed=limited(plan, "so-nnptnt", "so-tc")).entry == agri.entry
    )
    before = kept(figures_store, tmp_path)
    with pytest.raises(OutsideAgencies) as refused:
        figures_store.redo("an", expected=agri.entry, allowed=limited(plan, "so-tc"))
    assert refused.value.redo and kept(figures_store, tmp_path) == before
    assert round_refusal(plan, "an", refused.value, "vi").startswith(
        "Không làm lại: tài khoản «an» chỉ được ghi cho Sở Tài chính, mà lượt lưu lúc "
    )
    assert figures_store.redo("chi").entry == agri.entry  # no limit: as before


def test_both_stores_let_a_limited_editor_undo_and_redo_its_own_agencys_save(
    figures_store, plan, tmp_path
):
    from tests.test_store import save, saved_files

    before = saved_files(figures_store, tmp_path)
    finance = save(figures_store, plan, FINANCE, "an")
    after = saved_files(figures_store, tmp_path)
    mine = limited(plan, "so-tc")
    assert figures_store.undo("an", expected=finance.entry, allowed=mine).entry == finance.entry
    assert saved_files(figures_store, tmp_path) == before
    assert figures_store.redo("an", expected=finance.entry, allowed=mine).entry == finance.entry
    assert saved_files(figures_store, tmp_path) == after


def test_both_stores_refuse_a_limited_editor_the_undo_of_another_agencys_tasks(
    figures_store, plan, tmp_path
):
    from kpis import tasks
    from kpis.agencies import round_refusal
    from kpis.errors import OutsideAgencies

    rows, problems = tasks.parse_progress(
        b"task,state\niii-a1-2020,done\niii-a2-2030-seed-centre,in_progress\n",
        "p.csv",
        plan,
    )
    _, saved = tasks.import_tasks(figures_store, plan, rows, problems, "chi")
    before = kept(figures_store, tmp_path)
    # A limit that covers one of the two agencies is not enough: the undo would touch both.
    with pytest.raises(OutsideAgencies) as refused:
        figures_store.undo("an", allowed=limited(plan, "so-nnptnt"))
    assert kept(figures_store, tmp_path) == before
    message = round_refusal(plan, "an", refused.value, "en")
    assert (
        "changed 1 item of Department of Science and Technology: «Plan, train and develop the "
        "S&T workforce»." in message
    )
    assert "seed" not in message  # an's own agency's task is not named
    assert figures_store.undo("an", allowed=limited(plan, "so-nnptnt", "so-khcn")).entry == (
        saved.entry
    )


def test_both_stores_hold_an_agency_limit_to_its_plan_on_undo_and_redo(
    figures_store, plan, tmp_path
):
    """Security review 1: Lạng Sơn's plan calls its department «so-khcn», as Bắc Kạn's does. A
    save of Lạng Sơn's figures is undone by Lạng Sơn's editors, not by Bắc Kạn's «so-khcn»
    (a bare id in the secrets file: the default plan, Bắc Kạn, only)."""
    from kpis.agencies import round_refusal
    from kpis.catalogue import load_catalogue, sibling_ids
    from kpis.errors import OutsideAgencies
    from kpis.scope import Limit, scope_in

    catalogue = load_catalogue(REPO / "targets.yaml", REPO / "plans")
    lang_son_entry = catalogue.get("lang-son-147-2023")
    lang_son = lang_son_entry.plan
    text = "indicator,region,year,value,source\ninvestment_projects_tech_appraised,Lạng Sơn,2023,35,B\n"
    table, problems = store.parse_upload(text.encode(), "up.csv", lang_son)
    planned = figures_store.plan_import(lang_son, table, problems, sibling_ids(lang_son_entry.path))
    saved = figures_store.apply_import(lang_son, planned, "chi", accept_warnings=True)

    def scope(agencies=(), plans=None):  # as the secrets file writes them
        limit, _ = Limit.parse(agencies, plans)
        return scope_in(limit, catalogue, REPO / "targets.yaml")

    bac_kan = scope(["so-khcn"])
    before = kept(figures_store, tmp_path)
    with pytest.raises(OutsideAgencies) as refused:
        figures_store.undo("khcn_backan", expected=saved.entry, allowed=bac_kan)
    assert kept(figures_store, tmp_path) == before
    assert "1 item of so-khcn (plan «147/KH-UBND · Lạng Sơn»)" in round_refusal(
        plan, "khcn_backan", refused.value, "en"
    )
    lang_son_editor = scope(["lang-son-147-2023:so-khcn"])
    assert figures_store.undo("ls", allowed=lang_son_editor).entry == saved.entry
    with pytest.raises(OutsideAgencies):
        figures_store.redo("khcn_backan", allowed=bac_kan)
    whole = scope(plans=["lang-son-147-2023"])
    assert figures_store.redo("ls", allowed=whole).entry == saved.entry


def test_an_audit_trail_without_agencies_refuses_a_limited_editor_and_no_one_else(data_dir, plan):
    # A trail written before issue 16 has no agency column: who answered for its figures is
    # not known, so a limited editor is refused (as an import of an indicator no agency
    # answers for is) and an editor without limits undoes as before.
    from kpis.errors import OutsideAgencies

    do_import(data_dir, plan, FIRST)
    audit = store.history_dir(data_dir) / store.AUDIT_NAME
    lines = audit.read_text(encoding="utf-8").splitlines()
    old = [",".join(line.split(",")[: store._AUDIT_COLUMNS_BEFORE_TASKS]) for line in lines]
    audit.write_text("\n".join(old) + "\n", encoding="utf-8")
    assert store.read_audit(data_dir)[0]["agency"] == ""
    with pytest.raises(OutsideAgencies):
        store.undo(data_dir, "an", allowed=limited(plan, "so-khcn"))
    assert store.undo(data_dir, "chi").figures == 1


def test_a_file_edited_in_place_after_an_import_is_still_undone_to_what_it_was(data_dir, plan):
    # The import's backup is a second name for the replaced file's bytes, not a copy: the
    # new file must be a new one, or an editor saving over it would change the backup too.
    do_import(data_dir, plan, FIRST)
    before = (data_dir / "2025.csv").read_bytes()
    do_import(data_dir, plan, SECOND)
    with open(data_dir / "2025.csv", "r+b") as handle:  # as a text editor saves, in place
        handle.seek(0, os.SEEK_END)
        handle.write(b"public_st_orgs,2024,3,BC 0\n")
    backup = latest_entry(data_dir) / "2025.csv"
    assert backup.read_bytes() == before
    assert store.undo(data_dir, "an") is not None
    assert (data_dir / "2025.csv").read_bytes() == before
