"""kpis.store and a figure's estimate mark (CONTRACT.md §2 version 2) in the audit trail: an
estimate saved is recorded as one (`new_estimate`), the official figure replacing it records
the mark taken off (`old_estimate`), undo puts the mark back in the file and in the trail,
a removed estimate is recorded as one, and a trail written before the marks still reads.

Real files on a temporary copy of the shipped figures, read back as the dashboard reads them;
the same round trip in PostgreSQL (migration 0006's columns).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from kpis import store
from kpis.catalogue import sibling_ids
from kpis.plan import load_plan

REPO = Path(__file__).resolve().parents[1]

# The exploratory review's figure: 3 public S&T organisations, first sent as an estimate
# («ước thực hiện», the half-year report), then as the official figure of the year's report.
ESTIMATE = "chỉ tiêu,năm,giá trị,nguồn,ước tính\npublic_st_orgs,2025,3,Báo cáo 6 tháng,x\n"
OFFICIAL = "chỉ tiêu,năm,giá trị,nguồn\npublic_st_orgs,2025,3,Báo cáo 12/BC-SKHCN\n"


@pytest.fixture(scope="module")
def plan():
    return load_plan(REPO / "targets.yaml")[0]


def send(data_dir: Path, plan, text: str) -> store.ImportPlan:
    table, problems = store.parse_upload(text.encode("utf-8"), "mau-so-lieu-2025.csv", plan)
    planned, written = store.import_figures(
        data_dir, plan, table, problems, "an", accept_warnings=True
    )
    assert written is not None, [p.message_vi for p in planned.problems]
    return planned


def saved_line(data_dir: Path) -> str:
    text = (data_dir / "2025.csv").read_text(encoding="utf-8-sig")
    return next(line for line in text.splitlines() if line.startswith("public_st_orgs,"))


def marks(row: dict[str, str]) -> tuple[str, str, str, str]:
    return (row["old"], row["old_estimate"], row["new"], row["new_estimate"])


def test_an_estimate_saved_then_replaced_by_the_official_figure_is_in_the_trail_and_undone(
    data_dir, plan
):
    send(data_dir, plan, ESTIMATE)
    assert saved_line(data_dir).endswith(",x")
    assert marks(store.read_audit(data_dir)[-1]) == ("", "", "3", "x")
    # The history (newest first) holds the mark the /data page shows as «3 (ước)».
    assert tuple(store.history(data_dir).iloc[0][["new", "new_estimate"]]) == ("3", "x")

    planned = send(data_dir, plan, OFFICIAL)
    assert planned.changed.iloc[0].fields == "source,estimate"
    assert not saved_line(data_dir).endswith(",x")
    # The same number, the mark taken off: «3 (ước)» → «3».
    assert marks(store.read_audit(data_dir)[-1]) == ("3", "x", "3", "")

    store.undo(data_dir, "binh")
    assert saved_line(data_dir).endswith(",x")  # the estimate is back in the file
    undone = store.read_audit(data_dir)[-1]
    assert (undone["action"], *marks(undone)) == ("undo", "3", "", "3", "x")


def test_a_removed_estimate_is_recorded_as_one(data_dir, plan):
    send(data_dir, plan, ESTIMATE)
    removals = pd.DataFrame(
        {"indicator": ["public_st_orgs"], "region": ["Bắc Kạn"], "year": [2025]}
    )
    empty, _ = store.parse_upload(b"indicator,year,value\n", "x.csv", plan)
    planned = store.plan_import(data_dir, plan, empty, [], removals=removals)
    store.apply_import(data_dir, plan, planned, "an", action="delete", accept_warnings=True)
    assert marks(store.read_audit(data_dir)[-1]) == ("3", "x", "", "")


@pytest.mark.parametrize(
    "width", [11, 13, 15], ids=["before agencies", "before notes", "before estimates"]
)
def test_a_trail_written_before_the_marks_still_reads_and_undoes(data_dir, plan, width):
    send(data_dir, plan, ESTIMATE)
    trail = store.history_dir(data_dir) / store.AUDIT_NAME
    rows = list(csv.reader(io.StringIO(trail.read_text(encoding="utf-8-sig"))))
    # As an older version wrote it: its header and rows narrower, every cell quoted.
    older = io.StringIO()
    csv.writer(older, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(r[:width] for r in rows)
    trail.write_text("\ufeff" + older.getvalue(), encoding="utf-8")
    [read] = store.read_audit(data_dir)
    assert marks(read) == ("", "", "3", "")  # not known then: shown without a mark
    # The trail goes on with rows of today's width after the old header; both kinds read.
    store.undo(data_dir, "binh")
    assert not (data_dir / "2025.csv").exists()  # the import created it; undo removes it
    assert [r["action"] for r in store.read_audit(data_dir)] == ["import", "undo"]
    assert marks(store.read_audit(data_dir)[-1]) == ("3", "", "", "")


def test_both_stores_record_the_estimate_and_undo_puts_it_back(figures_store, plan):
    """The same round trip in the data folder and in PostgreSQL (migration 0006's columns)."""
    siblings = sibling_ids(REPO / "targets.yaml")

    def send_to_store(text: str) -> None:
        table, problems = store.parse_upload(text.encode(), "mau.csv", plan)
        planned = figures_store.plan_import(plan, table, problems, siblings)
        figures_store.apply_import(plan, planned, "an", accept_warnings=True)

    def estimate_now() -> bool:
        table = figures_store.read_figures(plan, siblings).table
        return bool(
            table.set_index(["indicator", "year"]).loc[("public_st_orgs", 2025), "estimate"]
        )

    send_to_store(ESTIMATE)
    assert estimate_now()
    send_to_store(OFFICIAL)
    assert not estimate_now()
    assert [marks(r) for r in figures_store.audit()] == [("", "", "3", "x"), ("3", "x", "3", "")]
    assert tuple(figures_store.history().iloc[0][["old", "old_estimate"]]) == ("3", "x")
    figures_store.undo("binh")
    assert estimate_now()
    assert marks(figures_store.audit()[-1]) == ("3", "", "3", "x")


def test_a_refused_redo_names_the_newer_estimate_as_one(data_dir, plan):
    """`python -m kpis redo` refused over a newer save lists its values as /data does."""
    from kpis.commands.undo import refusal
    from kpis.errors import DataChanged

    send(data_dir, plan, OFFICIAL)
    store.undo(data_dir, "binh")
    send(data_dir, plan, ESTIMATE)  # someone saves the estimate meanwhile
    with pytest.raises(DataChanged) as newer:
        store.redo(data_dir, "an")
    assert "public_st_orgs Bắc Kạn 2025: - → 3 (ước)" in refusal(newer.value.changes, "vi")
    assert "2025: - → 3 (estimate)" in refusal(newer.value.changes, "en")
