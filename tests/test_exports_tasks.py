"""Exports with tasks (issue 16): the Excel scorecard's task sheets written by the real command
and read back with openpyxl; the deck's tasks slides rendered and read back with python-pptx."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from pptx import Presentation

from kpis.dataset import load_dataset
from kpis.deck import render_deck
from kpis.export import prepare
from kpis.slides import TasksSlide, build_slides
from kpis.store import FolderStore
from kpis.tasks import read_progress, task_table
from tests.test_cli_import import kpis

PROGRESS = (
    "nhiệm vụ,trạng thái,ngày,căn cứ\n"
    "iii-a2-2020,hoàn thành,20/11/2020,Báo cáo 45/BC-SKHCN\n"
    'iii-a1-2020,đã huỷ,01/06/2019,=HYPERLINK("http://x")\n'
    "iii-b21-b-vegetables,đang triển khai,15/03/2021,\n"
)


def with_progress(tmp_path, data_dir):
    upload = tmp_path / "tien-do.csv"
    upload.write_text(PROGRESS, encoding="utf-8")
    # The =HYPERLINK evidence is a warning to accept (a formula-like cell): accepted here, it is
    # saved as typed, and the exports below must defuse it.
    done = kpis(
        "tasks", "import", str(upload), "--data", str(data_dir), "--user", "an", "--accept-warnings"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return data_dir


def test_scorecard_command_adds_the_tasks_summary_and_overdue_list(tmp_path, data_dir):
    with_progress(tmp_path, data_dir)
    out = tmp_path / "bang.xlsx"
    made = kpis("scorecard", "--data", str(data_dir), "--out", str(out), "--as-of", "2024")
    assert made.returncode == 0, made.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Tổng hợp", "Nhiệm vụ quá hạn", "Nhiệm vụ"]
    overdue = book["Nhiệm vụ quá hạn"]
    # 20 tasks are due by 31/12/2020; one done, one cancelled: 18 overdue as of 31/12/2024.
    assert overdue["A1"].value == "1/64 nhiệm vụ hoàn thành · 18 quá hạn (tính đến ngày 31/12/2024)"
    rows = [r for r in overdue.iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(rows) == 18
    ids = {r[0] for r in rows}
    assert "iii-b21-b-vegetables" in ids and not {"iii-a2-2020", "iii-a1-2020"} & ids
    vegetables = next(r for r in rows if r[0] == "iii-b21-b-vegetables")
    assert vegetables[3] == "Sở Nông nghiệp và Phát triển nông thôn"
    assert vegetables[4] == dt.datetime(2020, 12, 31) and vegetables[5] == "có"
    assert (vegetables[6], vegetables[9]) == ("đang triển khai", "quá hạn")
    every = [r for r in book["Nhiệm vụ"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(every) == 64
    cancelled = next(r for r in every if r[0] == "iii-a1-2020")
    assert cancelled[6] == "đã huỷ" and not str(cancelled[8]).startswith("=")  # no formula


def test_deck_has_the_tasks_summary_and_the_overdue_tasks(tmp_path, data_dir, repo_root):
    with_progress(tmp_path, data_dir)
    dataset = load_dataset(repo_root / "targets.yaml", data_dir)
    progress, _ = read_progress(FolderStore(data_dir), dataset.plan)
    date = dt.date(2024, 12, 31)
    for lang in ("vi", "en"):
        tasks = task_table(dataset.plan, progress, date, lang)
        report = prepare(
            dataset.plan, dataset.figures.table, as_of=2024, lang=lang, tasks=tasks, tasks_date=date
        )
        slides = build_slides(report)
        task_slides = [s for s in slides if isinstance(s, TasksSlide)]
        assert len(task_slides) == 3  # 18 overdue, at most 8 to a slide
        deck = Presentation(io.BytesIO(render_deck(slides, {}, lang)))
        first = deck.slides[slides.index(task_slides[0])]
        shown = [s.text_frame.text for s in first.shapes if s.has_text_frame]
        tables = [s.table for s in first.shapes if s.has_table]
        if lang == "en":
            assert shown[0] == "Overdue tasks (1/3)"
            assert "1/64 tasks done · 18 overdue (as of 31/12/2024)" in shown
            assert [c.text for c in tables[0].rows[0].cells] == [
                "Task",
                "Lead agency",
                "Deadline",
                "State",
            ]
            assert tables[0].rows[1].cells[2].text == "31/12/2020 (inferred)"
        else:
            assert "1/64 nhiệm vụ hoàn thành · 18 quá hạn (tính đến ngày 31/12/2024)" in shown
        # the parts hold as many rows as fit above the footnote once task names wrap
        assert len(tables[0].rows) == 1 + len(task_slides[0].rows)
        assert sum(len(s.rows) for s in task_slides) == 18
