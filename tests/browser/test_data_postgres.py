"""Two dashboard processes sharing one PostgreSQL database (KPI_DATABASE_URL), in headless
Chromium: an editor saves a figure on /data of the first; the second shows it on its next
page load, with no restart and no shared disk (tests/postgres.py starts the server). Task
progress saved by another process shows on /tasks the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kpis.auth import hash_password
from kpis.pgstore import PostgresStore
from tests.browser.conftest import App
from tests.browser.test_data_upload import PASSWORD, open_signed_in

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory, dashboard_factory, postgres):
    """Two dashboards on one database holding the shipped figures; one editor account `an`."""
    root = tmp_path_factory.mktemp("pgsite")
    url = postgres.database()
    PostgresStore(url).load(REPO / "data", "test")
    secrets = root / "secrets.toml"
    secrets.write_text(f'[editors]\nan = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
    # KPI_DATA points nowhere: were the figures read from a folder, the pages would fail.
    env = {
        "KPI_DATABASE_URL": url,
        "KPI_DATA": str(root / "no-such-folder"),
        "KPI_SECRETS": str(secrets),
        "KPI_READ_ONLY": None,
    }
    return dashboard_factory(env), dashboard_factory(env), root, url


def investment_table(page):
    # The figures table; the chart's axis may read the same number, so the table is named.
    return page.locator('[data-testid="stMain"] .st-key-cards_figures_table')


def test_a_save_in_one_dashboard_process_shows_in_the_other(two_sites, page, browser):
    first, second, root, _ = two_sites
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    other = context.new_page()
    other_errors: list[str] = []
    other.on("pageerror", lambda error: other_errors.append(str(error)))
    try:
        viewer = App(other, second)
        viewer.open("/indicator?id=st_investment")
        expect(investment_table(other).get_by_text("76.500", exact=True)).to_be_attached()

        app, main = open_signed_in(page, first, width=1280)
        main.get_by_text("Tải tệp lên (.xlsx, .csv)").click()
        app.wait(settle_ms=300)
        upload = root / "so-lieu-2024.csv"
        upload.write_text(
            "indicator,year,value,source\nst_investment,2024,80000,Báo cáo 45/BC-STC\n",
            encoding="utf-8",
        )
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        expect(page.get_by_role("button", name="Xoá tệp so-lieu-2024.csv")).to_be_visible(
            timeout=30_000
        )
        app.wait(settle_ms=300)
        page.get_by_role("button", name="Xem trước thay đổi").click()
        app.wait(settle_ms=300)
        expect(main.get_by_text("Sẽ thêm 0, sửa 1, giữ nguyên 0.")).to_be_visible()
        page.get_by_role("button", name="Lưu số liệu").click()
        app.wait(settle_ms=300)
        expect(main.get_by_text("Đã lưu: thêm 0, sửa 1, giữ nguyên 0.")).to_be_visible()
        assert not app.page_errors, app.page_errors

        # The other process, on its next run of the page: the new figure, not the old one.
        viewer.open("/indicator?id=st_investment")
        expect(investment_table(other).get_by_text("80.000", exact=True)).to_be_attached()
        expect(investment_table(other).get_by_text("76.500", exact=True)).to_have_count(0)
        assert not other_errors, other_errors
    finally:
        context.close()


def test_task_progress_saved_by_another_process_shows_on_tasks(two_sites, page):
    """/tasks reads the plan's task progress from the database (KPI_DATA points nowhere): a
    `tasks import` by another process shows on the page's next load."""
    import os
    import subprocess
    import sys

    _, second, root, url = two_sites
    app = App(page, second)
    app.open("/tasks")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("0/64 nhiệm vụ hoàn thành", exact=False)).to_be_visible()
    upload = root / "tien-do.csv"
    upload.write_text(
        "nhiệm vụ,trạng thái,ngày,căn cứ\niii-a2-2020,hoàn thành,20/11/2020,Báo cáo 45/BC\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "KPI_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "kpis", "tasks", "import", str(upload), "--user", "An"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    app.open("/tasks")
    expect(main.get_by_text("1/64 nhiệm vụ hoàn thành", exact=False)).to_be_visible()
    assert not app.page_errors, app.page_errors
