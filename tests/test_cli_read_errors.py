"""What a user sees from `python -m kpis` for the inputs of the security audit (findings 1-3):
a quote never closed in an import, a plan with a recursive alias, an impossible date or a
huge number. Real processes, each with a timeout so that a hang fails instead of waiting."""

from __future__ import annotations

import logging
import re
import subprocess
import sys

import pytest
from openpyxl import Workbook

from tests.helpers import TASK_PROGRESS_UPLOAD, files_bytes
from tests.test_cli import kpis as kpis_in
from tests.test_cli_import import REPO, kpis

SWALLOWING = (
    "indicator,region,year,value,source,note\n"
    'public_st_orgs,Bắc Kạn,2024,3,"Báo cáo số 12/BC-SKHCN,\n'
    "biotech_lab,Bắc Kạn,2024,1,Báo cáo số 12/BC-SKHCN,\n"
    "collective_trademarks,Bắc Kạn,2024,5,Báo cáo số 12/BC-SKHCN,\n"
)


def test_an_import_with_a_quote_never_closed_saves_nothing_and_says_where(tmp_path, data_dir):
    # It said «thêm 0, sửa 1», exit 0: the two later figures were lost.
    before = files_bytes(data_dir)
    upload = tmp_path / "so-lieu-2024.csv"
    upload.write_text(SWALLOWING, "utf-8")
    done = kpis("import", str(upload), "--data", str(data_dir), "--user", "An")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        f"{upload}:2: source: dấu ngoặc kép mở ở dòng 2 (cột «source») không được đóng: phần "
        'còn lại của tệp (dòng 3–4) bị gộp vào ô này; thêm dấu " đóng ô hoặc bỏ dấu " mở'
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert files_bytes(data_dir) == before
    english = kpis("import", str(upload), "--data", str(data_dir), "--lang", "en")
    assert english.returncode == 1
    assert "the double quote opened on line 2 (column «source») is never closed" in english.stdout
    assert files_bytes(data_dir) == before


def test_a_task_import_with_a_quote_never_closed_saves_nothing(tmp_path, data_dir):
    before = files_bytes(data_dir)
    upload = tmp_path / "tien-do.csv"
    upload.write_text(TASK_PROGRESS_UPLOAD.replace("Báo cáo 45/BC-SKHCN", '"Báo cáo 45'), "utf-8")
    done = kpis("tasks", "import", str(upload), "--data", str(data_dir), "--lang", "en")
    assert done.returncode == 1
    assert (
        f"{upload}:2: căn cứ: the double quote opened on line 2 (column «căn cứ») is never "
        "closed: the rest of the file (line 3) is swallowed into this cell" in done.stdout
    )
    assert files_bytes(data_dir) == before


@pytest.mark.parametrize(
    "plan, expected",
    [
        (
            "plan: &p\n  id: x\n  notes: [*p]\n",
            "plan.yaml:3: the alias *p on line 3 refers to itself (it lies inside the value &p "
            "opened on line 1): write the value out instead of the alias",
        ),
        ("a: &a [*a]\n", "plan.yaml:1: the alias *a on line 1 refers to itself"),
    ],
)
def test_validate_refuses_a_recursive_alias_in_time(tmp_path, plan, expected):
    # It spun forever: the timeout of `kpis_in` (60 s) fails the test if it hangs again.
    (tmp_path / "plan.yaml").write_text(plan, "utf-8")
    (tmp_path / "data").mkdir()
    done = kpis_in(
        "validate", "--targets", "plan.yaml", "--data", "data", "--lang", "en", cwd=tmp_path
    )
    assert done.returncode == 1
    assert done.stderr.startswith(expected) or done.stdout.startswith(expected), done
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize(
    "old, new, expected_vi, expected_en",
    [
        (
            "  issued: 2016-05-16",
            "  issued: 2016-02-30",
            "plan.yaml:{line}: plan.issued: ngày «2016-02-30» không có thật: kiểm tra ngày/tháng "
            "(YYYY-MM-DD)",
            "plan.yaml:{line}: plan.issued: the date «2016-02-30» does not exist: check the day and "
            "month (YYYY-MM-DD)",
        ),
        (
            "    deadline: 2020-12-31",
            "    deadline: 2020-06-31",
            "plan.yaml:{line}: tasks.iii-a1-2020: deadline: ngày «2020-06-31» không có thật: kiểm "
            "tra ngày/tháng (YYYY-MM-DD)",
            "plan.yaml:{line}: tasks.iii-a1-2020: deadline: the date «2020-06-31» does not exist: "
            "check the day and month (YYYY-MM-DD)",
        ),
        (
            "  baseline_year: 2015",
            "  baseline_year: " + "1" * 5000,
            "plan.yaml:{line}: plan.baseline_year: số quá dài (5.000 chữ số): kiểm tra giá trị",
            "plan.yaml:{line}: plan.baseline_year: the number is too long (5,000 digits): check the "
            "value",
        ),
    ],
)
def test_validate_names_a_value_pyyaml_cannot_build(tmp_path, old, new, expected_vi, expected_en):
    # A ValueError from PyYAML's constructor: the command printed a traceback.
    shipped = (REPO / "targets.yaml").read_text("utf-8")
    assert shipped.count(old + "\n") >= 1
    line = shipped.split("\n").index(old) + 1  # (the first, which is the one replaced)
    (tmp_path / "plan.yaml").write_text(shipped.replace(old + "\n", new + "\n", 1), "utf-8")
    for lang, expected in (("vi", expected_vi), ("en", expected_en)):
        done = kpis_in(
            "validate", "--targets", str(tmp_path / "plan.yaml"), "--lang", lang, cwd=tmp_path
        )
        shown = done.stdout + done.stderr
        assert done.returncode == 1, shown
        assert "Traceback" not in shown
        lines = [line.replace(str(tmp_path) + "/", "") for line in shown.splitlines()]
        assert lines[0] == expected.format(line=line)
        assert len(lines) == 2  # the problem, then the count


# A parser that fails on a file (a bug, or a file no check foresaw) is the file's problem; the
# command line printed the exception's traceback to stderr after it (a warning with exc_info).
FAILING_PARSER = """
import sys
import kpis.figures as figures
def fail(*args, **kwargs):
    raise RuntimeError("parser bug")
figures._csv_grid = fail
figures._parse_together = lambda *args, **kwargs: None
from kpis.cli import main
sys.argv = ["kpis", "validate", "--data", sys.argv[1]]
sys.exit(main())
"""


def test_a_failing_parser_is_the_files_problem_and_no_traceback(tmp_path, caplog):
    from kpis import figures

    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("indicator,year,value\npublic_st_orgs,2024,3\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", FAILING_PARSER, str(data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout.startswith(f"{data / 'a.csv'}:1: file: không đọc được tệp: mở bằng Excel")
    # Nothing on stderr: a log line there, in English, stood beside the Vietnamese problem.
    assert done.stderr == ""

    def fail(*args, **kwargs):
        raise RuntimeError("parser bug")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figures, "_csv_grid", fail)
        with caplog.at_level(logging.DEBUG, logger="kpis.figures"):
            problem = figures._guarded_grid(b"indicator,year,value\n", "a.csv")
    assert isinstance(problem, figures.Problem)
    # For whoever runs the server, at info: below what Python prints when nothing is set up.
    [logged] = caplog.records
    assert logged.levelno == logging.INFO
    assert logged.exc_info is not None and logged.exc_info[0] is RuntimeError


# How other provinces' scripts split an error line (CONTRACT.md §2): a line it does not match
# is not seen as an error at all, so the file could pass for valid.
CONTRACT_LINE = re.compile(r"^(.+?):(\d+): ([^:]+): (.*)$")


def test_every_error_of_a_data_file_has_its_line_and_column(tmp_path):
    # The whole-file errors had no line and no column, a row's or the header's no column.
    data = tmp_path / "data"
    data.mkdir()
    (data / "a_empty.csv").write_bytes(b"")
    (data / "b_wide.csv").write_text(
        "indicator,year,value\npublic_st_orgs,2024,3,Sở KH,CN\n", "utf-8"
    )
    (data / "c_title.csv").write_text("Bảng số liệu\nindicator,year,value\n", "utf-8")
    (data / "d_pdf.csv").write_bytes(b"%PDF-1.4\n")
    corrupt = tmp_path / "pk.xlsx"
    corrupt.write_bytes(b"PK\x03\x04garbage")
    blank = tmp_path / "blank.xlsx"
    Workbook().save(blank)
    shown = []
    for target in (data, corrupt, blank):
        done = kpis_in(
            "validate",
            "--targets",
            str(REPO / "targets.yaml"),
            "--data",
            str(target),
            "--lang",
            "en",
            cwd=tmp_path,
        )
        assert done.returncode == 1, done
        # (the last line: the count; a warning about a whole file keeps `FILE: warning: `)
        shown += [line for line in done.stdout.splitlines()[:-1] if ": warning: " not in line]
    places = [CONTRACT_LINE.match(line.replace(str(tmp_path) + "/", "")) for line in shown]
    assert all(places), shown
    assert [match.groups()[:3] for match in places] == [
        ("data/a_empty.csv", "1", "file"),
        ("data/b_wide.csv", "2", "row"),
        ("data/c_title.csv", "1", "header"),
        ("data/d_pdf.csv", "1", "file"),
        ("pk.xlsx", "1", "file"),
        ("blank.xlsx", "1", "file"),
    ]
    assert places[0].group(4) == "the file is empty: it needs a header line and figures"


def test_two_blank_lines_above_the_header_name_its_line_and_log_nothing(tmp_path):
    # It said the file could not be read (save it as «CSV UTF-8»), and printed an English log
    # line `cannot parse … (EmptyDataError)` on stderr.
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("\n\nindicator,year,value\npublic_st_orgs,2024,3\n", "utf-8")
    done = kpis_in(
        "validate", "--targets", str(REPO / "targets.yaml"), "--data", "data", cwd=tmp_path
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "data/a.csv:1: header: dòng tiêu đề (indicator, year, value…) nằm ở dòng 3, không phải "
        "dòng 1: xoá các dòng 1-2 phía trên (tên bảng, ô gộp) để tiêu đề là dòng đầu tiên"
    )
    assert done.stderr == ""
