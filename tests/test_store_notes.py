"""kpis.store and a figure's note: an empty note cell in a file keeps the saved note, a note
changed or taken out is recorded in the audit trail (old and new), undo puts it back, and a
trail written before notes were recorded still reads.

Real files on a temporary copy of the shipped figures, read back as the dashboard reads them.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kpis import store
from kpis.catalogue import sibling_ids
from kpis.plan import load_plan

REPO = Path(__file__).resolve().parents[1]

# The exploratory review's row: a figure checked and noted as such.
SAVED_2025 = (
    "\ufeffindicator,region,year,value,source,note\n"
    "st_investment,Bắc Kạn,2025,81.5,Báo cáo 12/BC-SKHCN,đã kiểm tra\n"
)
# The year's template filled in: its «ghi chú» column comes empty, and is left so.
TEMPLATE_FILLED = "chỉ tiêu,địa bàn,năm,giá trị,nguồn,ghi chú\nst_investment,Bắc Kạn,2025,82,Báo cáo 12/BC-SKHCN,\n"


@pytest.fixture(scope="module")
def plan():
    return load_plan(REPO / "targets.yaml")[0]


@pytest.fixture
def noted(data_dir: Path) -> Path:
    (data_dir / "2025.csv").write_text(SAVED_2025, encoding="utf-8")
    return data_dir


def row_of(data_dir: Path, indicator: str, year: int) -> list[str]:
    text = (data_dir / f"{year}.csv").read_text(encoding="utf-8-sig")
    return next(r for r in csv.reader(io.StringIO(text)) if r[0] == indicator)


def upload(plan, text: str, name: str = "mau-so-lieu-2025.csv"):
    return store.parse_upload(text.encode("utf-8"), name, plan)


def test_a_template_sent_back_with_an_empty_note_cell_keeps_the_saved_note(noted, plan):
    table, problems = upload(plan, TEMPLATE_FILLED)
    planned, written = store.import_figures(
        noted, plan, table, problems, "an", accept_warnings=True
    )
    # The preview: a change of the value only, the note it keeps beside it.
    changed = planned.changed.iloc[0]
    assert (changed.fields, changed.old_note, changed.note) == (
        "value",
        "đã kiểm tra",
        "đã kiểm tra",
    )
    assert written is not None and written.summary("en") == "added 0, changed 1, unchanged 0"
    assert row_of(noted, "st_investment", 2025) == [
        "st_investment",
        "Bắc Kạn",
        "2025",
        "82",
        "Báo cáo 12/BC-SKHCN",
        "đã kiểm tra",
    ]
    last = store.read_audit(noted)[-1]
    assert (last["old"], last["new"], last["old_note"], last["new_note"]) == (
        "81.5",
        "82",
        "đã kiểm tra",
        "đã kiểm tra",
    )


def test_the_command_line_import_keeps_the_note_too(noted, tmp_path):
    sent = tmp_path / "note-wipe.csv"
    sent.write_text(TEMPLATE_FILLED, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kpis", "import", str(sent), "--data", str(noted)]
        + ["--targets", str(REPO / "targets.yaml"), "--user", "an", "--accept-warnings"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "thêm 0, sửa 1, giữ nguyên 0\n"
    assert row_of(noted, "st_investment", 2025)[3:] == ["82", "Báo cáo 12/BC-SKHCN", "đã kiểm tra"]


def test_a_note_written_in_the_file_replaces_the_saved_one_and_the_trail_has_both(noted, plan):
    table, problems = upload(plan, TEMPLATE_FILLED.replace("SKHCN,\n", "SKHCN,đối chiếu lại\n"))
    planned, _ = store.import_figures(noted, plan, table, problems, "an", accept_warnings=True)
    assert planned.changed.iloc[0].fields == "value,note"
    assert row_of(noted, "st_investment", 2025)[-1] == "đối chiếu lại"
    last = store.read_audit(noted)[-1]
    assert (last["old_note"], last["new_note"]) == ("đã kiểm tra", "đối chiếu lại")


def test_a_note_taken_out_in_the_grid_is_recorded_and_undo_puts_it_back(noted, plan):
    # /data's grid shows the saved note: a cell emptied there takes it out (`blanks_clear`).
    table, problems = store.parse_upload(
        "indicator,region,year,value,source,note\n"
        "st_investment,Bắc Kạn,2025,81.5,Báo cáo 12/BC-SKHCN,\n".encode(),
        "bảng năm 2025",
        plan,
        typed=True,
    )
    planned = store.plan_import(noted, plan, table, problems, blanks_clear=True)
    assert planned.changed.iloc[0].fields == "note"
    store.apply_import(noted, plan, planned, "an", action="save", accept_warnings=True)
    assert row_of(noted, "st_investment", 2025)[-1] == ""
    taken = store.read_audit(noted)[-1]
    assert (taken["old"], taken["new"], taken["old_note"], taken["new_note"]) == (
        "81.5",
        "81.5",
        "đã kiểm tra",
        "",
    )
    store.undo(noted, "binh")
    assert row_of(noted, "st_investment", 2025)[-1] == "đã kiểm tra"
    undone = store.read_audit(noted)[-1]
    assert (undone["action"], undone["old_note"], undone["new_note"]) == ("undo", "", "đã kiểm tra")


def test_a_new_figures_note_and_a_removed_figures_note_are_in_the_trail(noted, plan):
    table, problems = upload(
        plan, "indicator,year,value,source,note\nbiotech_lab,2025,1,BC 3,mới thành lập\n"
    )
    store.import_figures(noted, plan, table, problems, "an", accept_warnings=True)
    added = store.read_audit(noted)[-1]
    assert (added["indicator"], added["old_note"], added["new_note"]) == (
        "biotech_lab",
        "",
        "mới thành lập",
    )
    removals = pd.DataFrame({"indicator": ["st_investment"], "region": ["Bắc Kạn"], "year": [2025]})
    empty, _ = upload(plan, "indicator,year,value\n")
    planned = store.plan_import(noted, plan, empty, [], removals=removals)
    store.apply_import(noted, plan, planned, "an", action="delete", accept_warnings=True)
    removed = store.read_audit(noted)[-1]
    assert (removed["indicator"], removed["new"], removed["old_note"], removed["new_note"]) == (
        "st_investment",
        "",
        "đã kiểm tra",
        "",
    )


@pytest.mark.parametrize("width", [11, 13], ids=["before agencies", "before notes"])
def test_a_trail_written_before_notes_were_recorded_still_reads_and_undoes(noted, plan, width):
    table, problems = upload(plan, TEMPLATE_FILLED.replace("SKHCN,\n", "SKHCN,đối chiếu lại\n"))
    store.import_figures(noted, plan, table, problems, "an", accept_warnings=True)
    trail = store.history_dir(noted) / store.AUDIT_NAME
    rows = list(csv.reader(io.StringIO(trail.read_text(encoding="utf-8-sig"))))
    # As an older version wrote it: its header and rows narrower, every cell quoted.
    older = io.StringIO()
    csv.writer(older, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(r[:width] for r in rows)
    trail.write_text("\ufeff" + older.getvalue(), encoding="utf-8")
    read = store.read_audit(noted)
    assert len(read) == 1 and (read[0]["old"], read[0]["old_note"], read[0]["new_note"]) == (
        "81.5",
        "",
        "",
    )
    assert store.history(noted).iloc[0]["new"] == "82"
    # The trail goes on with rows of today's width after the old header; both kinds read.
    store.undo(noted, "binh")
    assert row_of(noted, "st_investment", 2025)[-1] == "đã kiểm tra"
    assert [r["action"] for r in store.read_audit(noted)] == ["import", "undo"]


def test_both_stores_keep_the_note_record_it_and_undo_puts_a_note_taken_out_back(
    figures_store, plan
):
    """The same round trip in the data folder and in PostgreSQL (migration 0005's columns)."""
    siblings = sibling_ids(REPO / "targets.yaml")

    def send(text: str, blanks_clear: bool = False, typed: bool = False):
        table, problems = store.parse_upload(text.encode(), "mau.csv", plan, typed=typed)
        planned = figures_store.plan_import(
            plan, table, problems, siblings, blanks_clear=blanks_clear
        )
        figures_store.apply_import(plan, planned, "an", accept_warnings=True)
        return planned

    def note_now() -> str:
        table = figures_store.read_figures(plan, siblings).table
        return table.set_index(["indicator", "year"]).loc[("st_investment", 2025), "note"]

    send(SAVED_2025.lstrip("\ufeff"))
    planned = send(TEMPLATE_FILLED)
    assert planned.changed.iloc[0].fields == "value" and note_now() == "đã kiểm tra"
    planned = send(
        "indicator,region,year,value,source,note\n"
        "st_investment,Bắc Kạn,2025,82,Báo cáo 12/BC-SKHCN,\n",
        blanks_clear=True,
        typed=True,
    )
    assert planned.changed.iloc[0].fields == "note" and note_now() == ""
    assert [(r["old_note"], r["new_note"]) for r in figures_store.audit()] == [
        ("", "đã kiểm tra"),
        ("đã kiểm tra", "đã kiểm tra"),
        ("đã kiểm tra", ""),
    ]
    figures_store.undo("binh")
    assert note_now() == "đã kiểm tra"
    assert figures_store.audit()[-1]["new_note"] == "đã kiểm tra"
