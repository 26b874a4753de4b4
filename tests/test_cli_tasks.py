"""`python -m kpis tasks import`, `status --tasks` and the agency limits of `--user --secrets`,
as real processes on a copy of the data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import shutil

from kpis.auth import hash_password
from kpis.figures import read_figures
from kpis.plan import load_plan
from kpis.store import read_audit
from tests.helpers import TASK_PROGRESS_UPLOAD, files_bytes
from tests.test_cli_import import REPO, kpis


def secrets(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text(
        "[editors]\n"
        f'an = {{ hash = "{hash_password("x", n=2**4)}", agencies = ["so-tc"] }}\n'
        f'chi = "{hash_password("x", n=2**4)}"\n',
        encoding="utf-8",
    )
    return path


def test_tasks_import_then_status_tasks_as_csv_and_json(tmp_path, data_dir):
    upload = tmp_path / "tien-do.csv"
    upload.write_text(TASK_PROGRESS_UPLOAD, encoding="utf-8")
    done = kpis("tasks", "import", str(upload), "--data", str(data_dir), "--user", "An")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "thêm 2, sửa 0, giữ nguyên 0\n"

    shown = kpis("status", "--tasks", "--data", str(data_dir), "--as-of", "2020", "--format", "csv")
    assert shown.returncode == 0, shown.stderr
    rows = list(csv.DictReader(io.StringIO(shown.stdout)))
    plan = load_plan(REPO / "targets.yaml")[0]
    assert [r["task"] for r in rows] == [t.id for t in plan.tasks]
    by_id = {r["task"]: r for r in rows}
    assert by_id["iii-a2-2020"]["state"] == "done"
    assert by_id["iii-a2-2020"]["overdue"] == "false"
    # As of 31/12/2020 nothing is past a 2020 deadline yet; as of 2021 the rest are.
    assert all(r["overdue"] == "false" for r in rows)
    later = kpis(
        "status", "--tasks", "--data", str(data_dir), "--as-of", "2024", "--format", "json"
    )
    records = json.loads(later.stdout)
    overdue = [r["task"] for r in records if r["overdue"]]
    assert "iii-a2-2020" not in overdue and "iii-a1-2020" in overdue
    assert all(r["deadline"] is None or r["deadline"].startswith("20") for r in records)
    # The fund "not the province's" from 2025: as of 2024 still not reported.
    assert next(r for r in records if r["task"] == "iv-3b-fund")["state"] == "unreported"


def test_status_tasks_without_as_of_judges_where_the_dashboard_and_the_deck_do(tmp_path, data_dir):
    """Without --as-of the tasks are judged on 31/12 of the year the dashboard opens on (the
    latest with figures: 2024 here), not on today's date: a task due in mid-2025 is not yet
    overdue, and a state reported in 2025 is not yet known, as on /tasks and in the deck."""
    plan_text = (REPO / "targets.yaml").read_text(encoding="utf-8")
    due = "iii-a1-2030"
    assert f"- id: {due}\n" in plan_text
    start = plan_text.index(f"- id: {due}\n")
    end = plan_text.index("deadline: 2030-12-31", start) + len("deadline: 2030-12-31")
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        plan_text[:start]
        + plan_text[start:end].replace("2030-12-31", "2025-06-30")
        + plan_text[end:],
        encoding="utf-8",
    )
    upload = tmp_path / "tien-do.csv"
    upload.write_text(TASK_PROGRESS_UPLOAD, encoding="utf-8")
    paths = ("--targets", str(targets), "--data", str(data_dir))
    assert kpis("tasks", "import", str(upload), *paths, "--user", "An").returncode == 0

    shown = kpis("status", "--tasks", *paths, "--format", "csv")
    assert shown.returncode == 0, shown.stderr
    by_id = {r["task"]: r for r in csv.DictReader(io.StringIO(shown.stdout))}
    assert (by_id[due]["deadline"], by_id[due]["overdue"]) == ("2025-06-30", "false")
    assert by_id["iv-3b-fund"]["state"] == "unreported"  # its row is dated 01/07/2025
    at_2024 = kpis("status", "--tasks", *paths, "--as-of", "2024", "--format", "csv")
    assert shown.stdout == at_2024.stdout
    table = kpis("status", "--tasks", *paths, "--lang", "en")
    assert table.stdout.splitlines()[0] == "1/64 tasks done · 19 overdue (31/12/2024)"

    # Figures of the current year: the dashboard opens on it, and judges the tasks today.
    today = dt.date.today()
    (data_dir / f"{today.year}.csv").write_text(
        f"indicator,region,year,value,source\npublic_st_orgs,Bắc Kạn,{today.year},4,BC\n",
        encoding="utf-8",
    )
    now = kpis("status", "--tasks", *paths, "--lang", "en")
    assert now.returncode == 0, now.stderr
    assert now.stdout.splitlines()[0] == f"1/64 tasks done · 20 overdue ({today:%d/%m/%Y})"
    now_rows = kpis("status", "--tasks", *paths, "--format", "csv").stdout
    by_id = {r["task"]: r for r in csv.DictReader(io.StringIO(now_rows))}
    assert by_id[due]["overdue"] == "true"
    assert by_id["iv-3b-fund"]["state"] == "not_ours"


def test_tasks_import_holds_a_date_before_the_plan_until_accepted(tmp_path, data_dir):
    before = files_bytes(data_dir)
    upload = tmp_path / "tien-do.csv"
    upload.write_text(TASK_PROGRESS_UPLOAD.replace("20/11/2020", "20/11/1920"), encoding="utf-8")
    args = ("tasks", "import", str(upload), "--data", str(data_dir), "--user", "An")
    held = kpis(*args, "--lang", "en")
    assert held.returncode == 1
    assert held.stdout.splitlines() == [
        f"{upload}:2: date: warning: task «Strengthen 3 public S&T organisations» (iii-a2-2020): "
        "20/11/1920 is before 2015, the plan's first year (issued 16/05/2016): if the year is "
        "mistyped, correct it; if the date is right, run the command again with "
        "--accept-warnings to save",  # no box to tick on the command line
        "1 cell to check (dates, evidence or notes): check each one, then run again "
        "with --accept-warnings to save",
        "nothing was changed",
    ]
    held_vi = kpis(*args)
    assert held_vi.stdout.splitlines()[0].endswith(
        "nếu ngày đúng như vậy, chạy lại lệnh với --accept-warnings để lưu"
    )
    assert "đánh dấu" not in held_vi.stdout + held_vi.stderr
    assert files_bytes(data_dir) == before
    done = kpis(*args, "--accept-warnings")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "thêm 2, sửa 0, giữ nguyên 0\n"
    assert "ngày 20/11/1920 trước năm 2015" in done.stderr  # still said, once saved


def test_an_agency_editor_cannot_import_another_agencys_figures_cli(tmp_path, data_dir):
    before = files_bytes(data_dir)
    upload = tmp_path / "so-lieu.csv"
    upload.write_text(
        "indicator,year,value,source\n"
        "total_budget_spending,2024,4100000,Báo cáo STC\n"
        "public_st_orgs,2024,4,Báo cáo SKHCN\n",
        encoding="utf-8",
    )
    args = ("import", str(upload), "--data", str(data_dir), "--secrets", str(secrets(tmp_path)))
    refused = kpis(*args, "--user", "an", "--lang", "en")
    assert refused.returncode == 1
    assert (
        f"{upload}:3: indicator: account «an» may only write for Department of Finance; «Public "
        "science and technology organisations» 2024 belongs to Department of Science and "
        "Technology. Remove this line, or ask that agency" in refused.stdout
    )
    assert "nothing was changed" in refused.stdout
    assert files_bytes(data_dir) == before

    unknown = kpis(*args, "--user", "mallory")
    assert unknown.returncode == 1 and "không phải tài khoản biên tập" in unknown.stderr

    upload.write_text(
        "indicator,year,value,source\ntotal_budget_spending,2024,4100000,Báo cáo STC\n",
        encoding="utf-8",
    )
    own = kpis(*args, "--user", "an")
    assert own.returncode == 0, own.stdout + own.stderr
    plan = load_plan(REPO / "targets.yaml")[0]
    table = read_figures(data_dir, plan).table.set_index(["indicator", "year"])["value"]
    assert table[("total_budget_spending", 2024)] == 4100000
    assert read_audit(data_dir)[-1]["agency"] == "so-tc"
    # An editor without limits writes anything.
    upload.write_text("indicator,year,value,source\npublic_st_orgs,2024,4,BC\n", encoding="utf-8")
    assert kpis(*args, "--user", "chi").returncode == 0


def test_agency_limits_hold_for_delete_and_task_imports(tmp_path, data_dir):
    secret = str(secrets(tmp_path))
    refused = kpis(
        "delete",
        "public_st_orgs",
        "2024",
        "--data",
        str(data_dir),
        "--user",
        "an",
        "--secrets",
        secret,
        "--lang",
        "en",
    )
    assert refused.returncode == 1 and "Department of Science and Technology" in refused.stdout
    upload = tmp_path / "tien-do.csv"
    upload.write_text("task,state\niii-a1-2020,done\n", encoding="utf-8")
    tasks_refused = kpis(
        "tasks", "import", str(upload), "--data", str(data_dir), "--user", "an", "--secrets", secret
    )
    assert tasks_refused.returncode == 1
    assert "chỉ được ghi cho Sở Tài chính" in tasks_refused.stdout
    assert "iii-a1-2020" in tasks_refused.stdout


def test_agency_limits_hold_for_undo_and_redo(tmp_path, data_dir):
    secret = str(secrets(tmp_path))
    upload = tmp_path / "so-lieu.csv"
    upload.write_text(
        "indicator,year,value,source\nhightech_agri_zone,2024,1,Sở NN báo cáo 2024\n",
        encoding="utf-8",
    )
    assert kpis("import", str(upload), "--data", str(data_dir), "--user", "chi").returncode == 0
    before = files_bytes(data_dir)  # the figures, the history and the audit trail
    as_an = ("--data", str(data_dir), "--user", "an", "--secrets", secret)
    refused = kpis("undo", *as_an, "--lang", "en")
    assert refused.returncode == 1
    assert refused.stderr.startswith(
        "Nothing was undone: account «an» may only write for Department of Finance, and the save "
    )
    assert (
        "by chi changed 1 item of Department of Agriculture and Rural Development: «High-tech "
        "agriculture zone in operation» 2024. Ask an editor of that agency" in refused.stderr
    )
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert files_bytes(data_dir) == before
    unknown = kpis("undo", "--data", str(data_dir), "--user", "mallory", "--secrets", secret)
    assert unknown.returncode == 1 and "không phải tài khoản biên tập" in unknown.stderr
    assert files_bytes(data_dir) == before

    # Without limits (chi), or without --secrets (the server's operator), undo works as before;
    # then the limited editor may not redo it either.
    assert (
        kpis("undo", "--data", str(data_dir), "--user", "chi", "--secrets", secret).returncode == 0
    )
    undone = files_bytes(data_dir)
    again = kpis("redo", *as_an)
    assert again.returncode == 1
    assert again.stderr.startswith("Không làm lại: tài khoản «an» chỉ được ghi cho Sở Tài chính")
    assert (
        "1 mục của Sở Nông nghiệp và Phát triển nông thôn: «Khu nông nghiệp ứng dụng công nghệ "
        "cao đi vào hoạt động» 2024" in again.stderr
    )
    assert files_bytes(data_dir) == undone
    assert kpis("redo", "--data", str(data_dir), "--user", "chi").returncode == 0

    # an's own agency's save: undone and redone under the limit.
    upload.write_text(
        "indicator,year,value,source\ntotal_budget_spending,2024,4100000,Báo cáo STC\n",
        encoding="utf-8",
    )
    assert kpis("import", str(upload), *as_an).returncode == 0
    own = kpis("undo", *as_an)
    assert own.returncode == 0, own.stderr
    assert "đã hoàn tác" in own.stdout
    assert kpis("redo", *as_an).returncode == 0


def test_an_empty_note_cell_keeps_a_tasks_saved_note_and_the_trail_records_a_changed_one(
    tmp_path, data_dir
):
    """Review staff2 §1: a task's note saved from an .xlsx, then the same task sent again with
    the «ghi chú» cell empty (a longer evidence), keeps its note; a note written anew replaces
    it, and the audit trail shows both sides."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nhiệm vụ", "tên nhiệm vụ", "trạng thái", "ngày", "căn cứ", "ghi chú"])
    sheet.append(
        ["iii-a1-2020", "Quy hoạch", "hoàn thành", dt.datetime(2025, 11, 20),
         "Báo cáo 45/BC-SKHCN", "Đã xong\nđúng hạn"]
    )  # fmt: skip
    first = tmp_path / "tien-do.xlsx"
    book.save(first)
    again = tmp_path / "tien-do-lan-2.csv"
    again.write_text(
        "nhiệm vụ,trạng thái,ngày,căn cứ,ghi chú\n"
        "iii-a1-2020,hoàn thành,20/11/2025,Báo cáo 45/BC-SKHCN ngày 20/11/2025,\n",
        encoding="utf-8-sig",
    )
    rewritten = tmp_path / "tien-do-lan-3.csv"
    rewritten.write_text(
        "nhiệm vụ,trạng thái,ngày,căn cứ,ghi chú\n"
        "iii-a1-2020,hoàn thành,20/11/2025,Báo cáo 45/BC-SKHCN ngày 20/11/2025,Đã nghiệm thu\n",
        encoding="utf-8-sig",
    )
    for upload in (first, again):
        done = kpis("tasks", "import", str(upload), "--data", str(data_dir), "--user", "An")
        assert done.returncode == 0, done.stdout + done.stderr
    saved = (data_dir / "_tasks-bac-kan-684-2016.csv").read_text(encoding="utf-8-sig")
    assert "Báo cáo 45/BC-SKHCN ngày 20/11/2025,Đã xong" in saved
    trail = [r for r in read_audit(data_dir) if r["task"] == "iii-a1-2020"]
    assert [(r["old_note"], r["new_note"]) for r in trail] == [
        ("", "Đã xong đúng hạn"),  # a line break in a cell is read as a space
        ("Đã xong đúng hạn", "Đã xong đúng hạn"),
    ]
    done = kpis("tasks", "import", str(rewritten), "--data", str(data_dir), "--user", "An")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "thêm 0, sửa 1, giữ nguyên 0\n"
    last = [r for r in read_audit(data_dir) if r["task"] == "iii-a1-2020"][-1]
    assert (last["old_note"], last["new_note"]) == ("Đã xong đúng hạn", "Đã nghiệm thu")


def test_evidence_that_begins_as_a_formula_is_held_until_accepted(tmp_path, data_dir):
    """Review staff2 §3: «- Kế hoạch 12/KH-UBND» as a task's evidence, in an .xlsx, is a
    warning naming the line and the text, held before saving as a figure's source is."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["nhiệm vụ", "trạng thái", "ngày", "căn cứ"])
    sheet.append(
        ["iii-a1-2030", "đang triển khai", dt.datetime(2025, 6, 30), "- Kế hoạch 12/KH-UBND"]
    )
    upload = tmp_path / "tien-do.xlsx"
    book.save(upload)
    held = kpis("tasks", "import", str(upload), "--data", str(data_dir), "--user", "An")
    assert held.returncode != 0
    assert (
        "tien-do.xlsx:2: evidence: cảnh báo: căn cứ «- Kế hoạch 12/KH-UBND» bắt đầu bằng «-»"
        in held.stdout
    )
    assert "1 ô cần kiểm tra" in held.stdout
    assert not (data_dir / "_tasks-bac-kan-684-2016.csv").exists()
    done = kpis(
        "tasks", "import", str(upload), "--data", str(data_dir), "--user", "An", "--accept-warnings"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    saved = (data_dir / "_tasks-bac-kan-684-2016.csv").read_text(encoding="utf-8-sig")
    assert "- Kế hoạch 12/KH-UBND" in saved


def test_a_progress_file_over_the_limit_names_the_way_round_as_import_does(tmp_path, data_dir):
    """`tasks import` takes the page's 5 MB as `import` does: refused naming the file, its size
    and `tasks import … --no-size-limit`; that option, `--limit file_mb=` or KPI_MAX_FILE_MB
    takes it (the filler rows have no state: not reported, skipped)."""
    upload = tmp_path / "tien-do-lon.csv"
    filler = f",,,{'căn cứ dài ' * 150}\n" * 3_000  # few long rows: read in a moment
    upload.write_text(TASK_PROGRESS_UPLOAD + filler, encoding="utf-8")
    size = upload.stat().st_size / 1024 / 1024
    assert 5 < size < 10
    saved = data_dir / "_tasks-bac-kan-684-2016.csv"
    refused = kpis("tasks", "import", str(upload), "--data", str(data_dir), "--user", "An")
    assert refused.returncode == 1
    assert refused.stdout.splitlines()[0] == (
        f"{upload}:1: file: tệp nặng {size:.1f} MB, lớn hơn giới hạn 5 MB: chia thành nhiều tệp nhỏ hơn "
        "(ví dụ mỗi năm một tệp), hoặc xoá các trang tính, ảnh không cần thiết; quản trị viên "
        "nhập được tệp lớn hơn bằng lệnh python -m kpis tasks import TỆP --no-size-limit"
    ).replace(f"{size:.1f}", f"{size:.1f}".replace(".", ","))
    assert refused.stdout.splitlines()[-1] == "không thay đổi gì"
    english = kpis("tasks", "import", str(upload), "--data", str(data_dir), "--lang", "en")
    assert f"the file is {size:.1f} MB, over the 5 MB limit" in english.stdout
    assert "python -m kpis tasks import FILE --no-size-limit" in english.stdout
    smaller = kpis("tasks", "import", str(upload), "--data", str(data_dir), "--limit", "file_mb=4")
    assert "lớn hơn giới hạn 4 MB" in smaller.stdout
    assert not saved.exists()
    for how, env in (
        (["--no-size-limit"], {}),
        (["--limit", "file_mb=10"], {}),
        ([], {"KPI_MAX_FILE_MB": "10"}),
    ):
        saved.unlink(missing_ok=True)
        done = kpis(
            "tasks", "import", str(upload), "--data", str(data_dir), "--user", "An", *how, env=env
        )
        assert done.returncode == 0, (how, done.stdout + done.stderr)
        assert "giới hạn" not in done.stdout, how
        assert "iii-a2-2020" in saved.read_text(encoding="utf-8-sig"), how


def test_a_progress_file_beyond_the_readers_limit_is_told_the_option_that_lifts_both(
    tmp_path, data_dir
):
    upload = tmp_path / "tien-do-lon.csv"
    upload.write_text(TASK_PROGRESS_UPLOAD + f",,,{'căn cứ dài ' * 150}\n" * 3_500)
    needed = math.ceil(upload.stat().st_size / 1024 / 1024)
    refused = kpis("tasks", "import", str(upload), "--data", str(data_dir), "--limit", "file_mb=6")
    assert refused.returncode == 1
    assert refused.stdout.splitlines()[0].endswith(
        f"python -m kpis tasks import TỆP --limit file_mb={needed}"
    )


# Limits tied to plans (security review 1): the command line holds them as the pages do.
LANG_SON_PLAN = str(REPO / "plans" / "lang-son-147-2023.yaml")


def province_secrets(tmp_path):
    path = tmp_path / "provinces.toml"
    stored = hash_password("x", n=2**4)
    path.write_text(
        "[editors]\n"
        f'khcn_backan = {{ hash = "{stored}", agencies = ["so-khcn"] }}\n'
        f'khcn_langson = {{ hash = "{stored}", agencies = ["lang-son-147-2023:so-khcn"] }}\n',
        encoding="utf-8",
    )
    return str(path)


def test_an_agency_limit_holds_in_its_plan_only_on_the_command_line(tmp_path, data_dir):
    shutil.copyfile(REPO / "data" / "lang-son.csv", data_dir / "lang-son.csv")
    secret = province_secrets(tmp_path)
    upload = tmp_path / "ls.csv"
    upload.write_text(
        "indicator,region,year,value,source,note\n"
        "investment_projects_tech_appraised,Lạng Sơn,2023,999,Tampered by Bac Kan account,\n",
        encoding="utf-8",
    )
    before = files_bytes(data_dir)
    common = ("--targets", LANG_SON_PLAN, "--data", str(data_dir), "--secrets", secret)
    refused = kpis(
        "import", str(upload), *common, "--user", "khcn_backan", "--accept-warnings", "--lang", "en"
    )
    assert refused.returncode == 1
    assert (
        "account «khcn_backan» may not write figures or progress of plan «147/KH-UBND · Lạng "
        "Sơn»: it may write only for plan «684/QĐ-UBND · Bắc Kạn»."
        in " ".join(refused.stdout.split())
    )
    assert "nothing was changed" in refused.stdout
    assert files_bytes(data_dir) == before
    # The account named for Lạng Sơn's department imports it.
    done = kpis("import", str(upload), *common, "--user", "khcn_langson", "--accept-warnings")
    assert done.returncode == 0, done.stdout + done.stderr
    # Bắc Kạn's «so-khcn» may not undo it, nor the Lạng Sơn account Bắc Kạn's tasks.
    saved = files_bytes(data_dir)
    as_backan = ("--data", str(data_dir), "--user", "khcn_backan", "--secrets", secret)
    no_undo = kpis("undo", *as_backan, "--lang", "en")
    assert no_undo.returncode == 1
    assert "so-khcn (plan «147/KH-UBND · Lạng Sơn»)" in " ".join(no_undo.stderr.split())
    assert files_bytes(data_dir) == saved
    progress = tmp_path / "tien-do.csv"
    progress.write_text("task,state\niii-a1-2020,done\n", encoding="utf-8")
    no_tasks = kpis(
        "tasks", "import", str(progress), "--data", str(data_dir),
        "--user", "khcn_langson", "--secrets", secret,
    )  # fmt: skip
    assert no_tasks.returncode == 1
    assert "không được ghi số liệu hay tiến độ của kế hoạch «684/QĐ-UBND · Bắc Kạn»" in (
        " ".join(no_tasks.stdout.split())
    )
    assert files_bytes(data_dir) == saved
    as_langson = ("--data", str(data_dir), "--user", "khcn_langson", "--secrets", secret)
    assert kpis("undo", *as_langson).returncode == 0
    assert files_bytes(data_dir) != saved


def test_status_tasks_csv_quotes_a_cell_a_spreadsheet_would_run_and_json_keeps_it(
    tmp_path, data_dir
):
    # Security review finding 5: evidence imported as typed (with a warning) reached the csv
    # raw, and Excel or LibreOffice opening it ran the formula.
    formula = '=HYPERLINK("http://evil.example","x")'
    upload = tmp_path / "tien-do.csv"
    upload.write_text(
        TASK_PROGRESS_UPLOAD.replace(
            "Báo cáo 45/BC-SKHCN", f'"{formula.replace(chr(34), 2 * chr(34))}"'
        ).replace("Nghị quyết 202/2025/QH15", "-1 báo cáo"),
        encoding="utf-8",
    )
    done = kpis(
        "tasks", "import", str(upload), "--data", str(data_dir), "--user", "An",
        "--accept-warnings",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    paths = ("--data", str(data_dir), "--as-of", "2025")
    shown = kpis("status", "--tasks", *paths, "--format", "csv")
    assert shown.returncode == 0, shown.stderr
    by_id = {r["task"]: r for r in csv.DictReader(io.StringIO(shown.stdout))}
    assert by_id["iii-a2-2020"]["evidence"] == "'" + formula
    assert by_id["iv-3b-fund"]["evidence"] == "'-1 báo cáo"
    # Dates, ids and words are untouched; json is for programs and keeps the text as typed.
    assert by_id["iii-a2-2020"]["date"] == "2020-11-20" and by_id["iii-a2-2020"]["state"] == "done"
    records = json.loads(kpis("status", "--tasks", *paths, "--format", "json").stdout)
    assert next(r for r in records if r["task"] == "iii-a2-2020")["evidence"] == formula
