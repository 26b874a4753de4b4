"""/coverage: the figures matrix, what is missing, illustrative figures, problems with places."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from kpis.safe_text import WORD_JOINER
from tests.pages.conftest import texts

PAGE = "app_pages/coverage.py"


def unescaped(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell.replace(WORD_JOINER, ""))


def test_matrix_missing_and_illustrative_on_the_shipped_data(open_page, shipped):
    at = open_page(PAGE)
    # a static table (each name whole, wrapped), its cells escaped for Markdown
    matrix = next(t.value for t in at.table if "Chỉ tiêu" in t.value.columns).map(unescaped)
    row = matrix[matrix["Chỉ tiêu"] == "Số tổ chức KH&CN công lập"].iloc[0]
    assert row["2015"] == "◇" and row["2024"] == "◇"
    share = matrix[matrix["Chỉ tiêu"] == "Tỷ lệ đầu tư cho KH&CN trên tổng chi ngân sách tỉnh"]
    assert share.iloc[0]["2016"] == "∑"
    page = texts(at)
    assert "Còn thiếu cho năm 2024" in page
    assert "- Mô hình chế biến chè Shan tuyết" in page  # by its name, without its id
    assert "shan_tea_processing_models" not in page
    table = shipped.figures.table
    own = table[table["region"] == shipped.plan.plan.region]
    assert f"{len(own)} trên {len(own)} số liệu là số liệu minh họa" in page
    assert "Không có lỗi nào" in page
    # the files behind the dashboard are named here (and not in every sidebar): their names
    # as in the working folder, never the server's absolute path
    assert f"Kế hoạch: targets.yaml · số liệu: data{os.sep}" in page
    assert str(Path(__file__).resolve().parents[2]) not in page


def test_bad_figures_are_listed_with_their_place_and_flagged_on_every_page(
    open_page, repo_root, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    shutil.copytree(repo_root / "data", data)
    (data / "2025.csv").write_text(
        "indicator,year,value,source\n"
        "public_st_orgs,2025,abc,Báo cáo\n"
        "public_st_orgz,2025,4,Báo cáo\n"
        "collective_trademarks,2025,5,Báo cáo thật\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KPI_DATA", str(data))
    at = open_page(PAGE, lang="en")
    problems = at.table[0].value
    places = [place.replace(WORD_JOINER, "") for place in problems["Place"]]  # (invisible)
    assert "data/2025.csv:2: value" in places  # named as in the folder, not a long path
    assert "data/2025.csv:3: indicator" in places
    assert "data/2015.csv" in texts(at)
    assert not at.warning or all("problems in the figures" not in w.value for w in at.warning)

    overview = open_page(None)  # the banner, and the valid 2025 figure is still counted
    assert any("2 lỗi trong số liệu" in w.value for w in overview.warning)
    assert "Tình hình tính đến năm 2025" in texts(overview)


def test_a_problem_quoting_the_file_shows_its_words_as_text(
    open_page, repo_root, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    shutil.copytree(repo_root / "data", data)
    (data / "2025.csv").write_text(
        "indicator,year,value,source\n![t](http://evil.example/t.png),2025,4,BC\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KPI_DATA", str(data))
    at = open_page(PAGE, lang="en")
    [message] = list(at.table[0].value["Message"])
    # the table's cells are Markdown: the file's image written out, escaped, not drawn
    assert message.startswith("unknown indicator «!\\[t\\](http:")


def test_a_missing_plan_is_explained_not_a_traceback(open_page, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_TARGETS", str(tmp_path / "targets.yaml"))
    # no sibling plans either (with two or more in plans/, the sidebar offers those instead)
    monkeypatch.setenv("KPI_PLANS", str(tmp_path / "plans"))
    at = open_page(None, lang="en")
    assert any("Plan file not found" in e.value for e in at.error)


def test_a_database_is_named_by_a_word_never_its_password_role_or_port(
    open_page, postgres, monkeypatch
):
    from kpis import pgstore

    url = postgres.database()
    pgstore.PostgresStore(url).load(Path(__file__).resolve().parents[2] / "data", "test")
    pgstore.close_connections(url)
    where, database = url.split("@", 1)[1].split("/", 1)
    # The password in the query string: valid, and the test server (trust) ignores it.
    monkeypatch.setenv("KPI_DATABASE_URL", f"{url}?password=s3cret")
    for lang, said in (("vi", "số liệu: cơ sở dữ liệu"), ("en", "figures: database")):
        page = texts(open_page(PAGE, lang=lang))
        assert said in page
        for secret in ("s3cret", where.split(":")[1], database, "kpi_test"):
            assert secret not in page


def test_a_misspelt_database_url_is_refused_on_the_page_not_read_as_a_folder(
    open_page, monkeypatch
):
    monkeypatch.setenv("KPI_DATABASE_URL", "postgresq://kpi:s3cret@db.example/kpi")
    at = open_page()
    shown = [e.value for e in at.error]
    assert any("KPI_DATABASE_URL" in e for e in shown), shown
    page = texts(at)
    assert "s3cret" not in page and "db.example" not in page
    assert "Tình hình" not in page  # no figures from the local folder
