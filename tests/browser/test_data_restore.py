"""/data in headless Chromium: restoring asks first (a second button, with the table of what
comes back), then restores; the redo button then applies the save again. The files on disk are
checked at each step. A temporary copy of the figures and secrets (KPI_DATA, KPI_SECRETS)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kpis import store
from kpis.plan import load_plan
from tests.browser.test_data_upload import PASSWORD, open_signed_in
from tests.helpers import editor_secrets, shipped_figures_copy

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


def figures(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_confirm_then_restore_then_redo(tmp_path, dashboard_factory, page):
    data = shipped_figures_copy(tmp_path)
    original = figures(data)
    plan = load_plan(REPO / "targets.yaml")[0]
    table, problems = store.parse_upload(
        b"indicator,year,value,source\nst_investment,2024,80000,BC 45/BC-STC\n", "u.csv", plan
    )
    store.import_figures(data, plan, table, problems, "binh", accept_warnings=True)
    saved = figures(data)
    secrets = editor_secrets(tmp_path, PASSWORD)
    url = dashboard_factory(
        {"KPI_DATA": str(data), "KPI_SECRETS": str(secrets), "KPI_READ_ONLY": None}
    )
    app, main = open_signed_in(page, url, width=1280)

    main.get_by_role("button", name="Khôi phục trạng thái trước lượt lưu gần nhất").click()
    # The second step says what will come back, and nothing is restored before it.
    expect(main.get_by_text("Khôi phục sẽ đưa 1 số liệu về như trước lượt lưu")).to_be_visible()
    box = page.locator(".st-key-data_undo_box")
    expect(
        box.get_by_role("columnheader", name="Sau khi khôi phục", include_hidden=True)
    ).to_have_count(1)
    expect(box.get_by_text("76.500", exact=True)).to_be_attached()
    assert figures(data) == saved
    app.screenshot("data_restore_confirm")

    main.get_by_role("button", name="Xác nhận khôi phục").click()
    expect(main.get_by_text("Đã khôi phục trạng thái trước lượt lưu lúc")).to_be_visible()
    assert figures(data) == original
    redo = main.get_by_role("button", name="Làm lại lượt lưu vừa khôi phục")
    expect(redo).to_be_visible()

    redo.click()
    expect(main.get_by_text("Đã làm lại lượt lưu lúc")).to_be_visible()
    assert figures(data) == saved
    expect(redo).to_have_count(0)
    assert [r["action"] for r in store.read_audit(data)] == ["import", "undo", "redo"]
    assert not app.page_errors
