"""/data in headless Chromium: an editor signs in, uploads a real .xlsx made with openpyxl,
sees the preview (added; changed old -> new) and saves; the files on disk change and the
dashboard shows the new figure. Runs on a temporary copy of the figures and a temporary
secrets file (KPI_DATA, KPI_SECRETS): the repo's data/ is never written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from kpis import store
from tests.browser.conftest import App
from tests.helpers import editor_secrets, shipped_figures_copy

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-trinh-duyet-2025"


@pytest.fixture(scope="module")
def site(tmp_path_factory, dashboard_factory):
    """A dashboard on a copy of the figures, with one editor account `an`."""
    root = tmp_path_factory.mktemp("site")
    data, secrets = shipped_figures_copy(root), editor_secrets(root, PASSWORD)
    url = dashboard_factory(
        {"KPI_DATA": str(data), "KPI_SECRETS": str(secrets), "KPI_READ_ONLY": None}
    )
    return url, data, root


def filled_template(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "2025"
    sheet.append(
        [
            "indicator",
            "name",
            "unit",
            "last_year_value",
            "region",
            "year",
            "value",
            "source",
            "note",
        ]
    )
    sheet.append(
        [
            "public_st_orgs",
            "Số tổ chức KH&CN công lập",
            "tổ chức",
            3,
            "Bắc Kạn",
            2025,
            4,
            "Báo cáo 12/BC-SKHCN ngày 20/11/2025",
            None,
        ]
    )
    sheet.append(
        [
            "st_investment",
            "Tổng đầu tư cho KH&CN",
            "triệu đồng",
            76500,
            "Bắc Kạn",
            2024,
            80000,
            "Báo cáo 45/BC-STC ngày 25/11/2025",
            "điều chỉnh",
        ]
    )
    sheet.append(
        [
            "biotech_lab",
            "Phòng Công nghệ sinh học",
            "hoàn thành",
            0,
            "Bắc Kạn",
            2025,
            None,
            None,
            None,
        ]
    )  # left empty: not reported, skipped
    book.save(path)
    return path


def open_signed_in(page, url: str, width: int):
    """/data, signed in as the editor `an` through the page's own form: (App, main area)."""
    app = App(page, url)
    page.set_viewport_size({"width": width, "height": 2400})
    app.open("/data")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Cập nhật số liệu").first).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("an")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    app.wait(settle_ms=300)
    expect(main.get_by_text("Đang đăng nhập: an")).to_be_visible()
    return app, main


def test_an_editor_uploads_an_xlsx_sees_the_preview_and_saves(site, page):
    url, data, root = site
    app, main = open_signed_in(page, url, width=1280)

    main.get_by_text("Tải tệp lên (.xlsx, .csv)").click()
    app.wait(settle_ms=300)
    upload = filled_template(root / "mau-so-lieu-2025.xlsx")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    expect(page.get_by_role("button", name="Xoá tệp mau-so-lieu-2025.xlsx")).to_be_visible(
        timeout=30_000
    )
    app.wait(settle_ms=300)
    page.get_by_role("button", name="Xem trước thay đổi").click()
    app.wait(settle_ms=300)

    expect(main.get_by_text("Sẽ thêm 1, sửa 1, giữ nguyên 0.")).to_be_visible()
    expect(main.get_by_text("Sửa (cũ → mới)")).to_be_visible()
    before = (data / "2024.csv").read_bytes()
    assert not (data / "2025.csv").exists()  # the preview wrote nothing
    app.screenshot("data_upload_preview")

    page.get_by_role("button", name="Lưu số liệu").click()
    app.wait(settle_ms=300)
    expect(main.get_by_text("Đã lưu: thêm 1, sửa 1, giữ nguyên 0.")).to_be_visible()
    assert (data / "2025.csv").read_bytes().decode("utf-8-sig").splitlines()[1] == (
        "public_st_orgs,Bắc Kạn,2025,4,Báo cáo 12/BC-SKHCN ngày 20/11/2025,"
    )
    assert (data / "2024.csv").read_bytes() != before
    assert list((data / ".history").glob("*/2024.csv"))  # backed up first
    # .first: while the page reruns after the save, the old heading may still stand beside the new
    expect(main.get_by_text("Lịch sử thay đổi").first).to_be_visible()
    app.screenshot("data_upload_saved")
    assert not app.page_errors

    # The dashboard's other pages read the new figure at once (no restart).
    app.open("/indicator?id=st_investment")
    # The figures table holds the new value; the chart's axis also reads "80.000", so the table
    # is named.
    figures_table = page.locator('[data-testid="stMain"] .st-key-cards_figures_table')
    expect(figures_table.get_by_text("80.000", exact=True)).to_be_attached()
    expect(figures_table.get_by_text("76.500", exact=True)).to_have_count(0)


def test_an_editor_ticks_delete_on_a_figure_in_the_table_and_saves(site, page):
    """The «Xoá» box of the real grid, reached with the keyboard: preview, then save."""
    url, data, _ = site
    app, main = open_signed_in(page, url, width=1600)
    page.get_by_label("Năm cần nhập").click()
    page.get_by_role("option", name="2024", exact=True).click()
    app.wait(settle_ms=500)

    # Grids are drawn on a canvas; their column names are in a hidden table for screen readers.
    def column_names(grid) -> list[str]:
        headers = grid.get_by_role("columnheader", include_hidden=True)
        return [headers.nth(i).text_content().strip() for i in range(headers.count())]

    # The editor of 2024 (its hint column is the year before), once drawn after the rerun.
    grid = page.locator('[data-testid="stDataFrame"]').filter(
        has=page.get_by_role("columnheader", name="Năm 2023", include_hidden=True)
    )
    expect(grid).to_have_count(1, timeout=30_000)
    expect(grid.get_by_role("columnheader", name="Xoá", include_hidden=True)).to_have_count(1)
    names = column_names(grid)
    assert names.index("Xoá") == names.index("Giá trị") + 1  # beside the value it deletes

    # The hidden table names each cell glide-cell-<column>-<row>: each step is checked there.
    def cell(column: int, row: int = 0):
        return grid.get_by_test_id(f"glide-cell-{column}-{row}")

    # Row numbers first (the lines the problems name), pinned with the indicator; then its value.
    assert names[:3] == ["Dòng", "Chỉ tiêu", "Giá trị"]
    expect(cell(0)).to_have_text("1")
    expect(cell(1)).to_have_text("public_st_orgs")  # the plan's first indicator, saved for 2024
    box = grid.locator("canvas").first.bounding_box()
    # First row, first cell; right to «Xoá»; Space, as a keyboard user would.
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)
    expect(cell(0)).to_have_attribute("aria-selected", "true")
    for _ in range(names.index("Xoá")):
        page.keyboard.press("ArrowRight")
    expect(cell(names.index("Xoá"))).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Space")  # ticks the box (the hidden table is not redrawn for it)
    app.wait(settle_ms=500)
    page.get_by_role("button", name="Xem trước thay đổi").click()
    app.wait(settle_ms=300)
    expect(main.get_by_text("Sẽ thêm 0, sửa 0, xoá 1, giữ nguyên 10.")).to_be_visible()
    before = (data / "2024.csv").read_bytes()
    assert b"public_st_orgs,B" in before  # the preview wrote nothing
    app.screenshot("data_delete_preview")

    page.get_by_role("button", name="Lưu số liệu").click()
    app.wait(settle_ms=300)
    expect(main.get_by_text("Đã lưu: thêm 0, sửa 0, xoá 1, giữ nguyên 10.")).to_be_visible()
    assert b"public_st_orgs,B" not in (data / "2024.csv").read_bytes()
    assert any(f.read_bytes() == before for f in (data / ".history").glob("*/2024.csv"))
    assert not app.page_errors


# The uploader's button and hint as a user sees and hears them: the text drawn on screen (with
# what CSS puts after it) and the button's accessible name as Chromium computes it.
UPLOADER_SEEN_JS = """
(zone) => {
  const drawn = (el) => [...el.querySelectorAll('*'), el]
    .filter((e) => getComputedStyle(e).display !== 'none' && e.offsetParent !== null
                   || e === el)
    .map((e) => getComputedStyle(e, '::after').content).filter((c) => c && c !== 'none')
    .join(' ');
  const visibleText = (el) => [...el.querySelectorAll('*')]
    .filter((e) => e.children.length === 0 && e.getClientRects().length)
    .map((e) => e.textContent.trim()).filter(Boolean).join(' ');
  const hint = zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"]');
  const button = zone.querySelector('button');
  return {text: visibleText(zone), after: drawn(zone), hint: drawn(hint), button: drawn(button)};
}
"""


@pytest.mark.parametrize("width", [1280, 360])
def test_the_uploader_says_upload_and_its_limit_in_vietnamese(site, page, width):
    from axe_playwright_python.sync_playwright import Axe

    url, _, _ = site
    app, main = open_signed_in(page, url, width=width)
    main.get_by_text("Tải tệp lên (.xlsx, .csv)").click()
    app.wait(settle_ms=300)
    zone = main.locator('[data-testid="stFileUploaderDropzone"]')
    expect(zone).to_be_visible()
    # what a screen reader says: the button by its Vietnamese word alone, no "upload Upload"
    # (the hidden file input is named so too: it was "file upload")
    expect(zone.get_by_role("button", name="Tải lên", exact=True)).to_have_count(2)
    expect(zone.locator("button")).to_have_accessible_name("Tải lên")
    expect(zone.get_by_role("button", name="Upload")).to_have_count(0)
    seen = zone.evaluate(UPLOADER_SEEN_JS)
    assert seen["button"] == '"Tải lên"'
    assert seen["hint"] == '"Tối đa 5 MB mỗi tệp • XLSX, CSV"'
    # none of Streamlit's English is left on screen
    assert "Upload" not in seen["text"] and "per file" not in seen["text"], seen
    # drawn inside the box, whole: neither word is cut or hidden behind another
    button = zone.locator("button").bounding_box()
    assert button["width"] >= 40 and button["height"] >= 24
    results = Axe().run(page, context='[data-testid="stMain"]').response
    bad = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, bad
    app.screenshot(f"data_uploader_vi_{width}")


@pytest.mark.parametrize("width", [1280, 360])
def test_a_chosen_files_remove_button_is_named_in_vietnamese_and_keeps_its_cross(site, page, width):
    # Streamlit names it "Remove <file name>" in English; the page's rule for its upload
    # button had also named it «Tải lên» and hidden its ✕, so a chosen file looked fixed.
    url, _, root = site
    app, main = open_signed_in(page, url, width=width)
    main.get_by_text("Tải tệp lên (.xlsx, .csv)").click()
    app.wait(settle_ms=300)
    # a name a page must show as text: an HTML tag in it stays words
    upload = filled_template(root / "so-lieu <b>2025 & Bắc Kạn.xlsx")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    chip = main.locator('[data-testid="stFileChip"]')
    expect(chip).to_be_visible(timeout=30_000)
    remove = chip.get_by_role("button")
    expect(remove).to_have_accessible_name("Xoá tệp so-lieu <b>2025 & Bắc Kạn.xlsx")
    expect(main.get_by_role("button", name="Remove", exact=False)).to_have_count(0)
    expect(main.locator("b", has_text="2025")).to_have_count(0)
    # its ✕ drawn, and no upload word beside it
    cross = remove.locator("svg")
    expect(cross).to_be_visible()
    box = cross.bounding_box()
    assert box and box["width"] >= 12 and box["height"] >= 12, box
    assert remove.evaluate("b => getComputedStyle(b, '::after').content") in ("none", "normal")
    # the upload button beside the chip keeps its word
    expect(
        main.locator('[data-testid="stFileUploaderDropzone"]').get_by_role(
            "button", name="Tải lên", exact=True
        )
    ).to_have_count(2)  # (and the hidden file input)
    app.screenshot(f"data_uploader_remove_vi_{width}")
    # removing it by that button empties the box
    remove.click()
    expect(chip).to_have_count(0)
    assert not app.page_errors


# The upload endpoint, as any visitor's page can call it (security review, finding 2): the
# session's id is in the websocket's first frames, the XSRF token in the page's own cookie.
PUT_UPLOAD_JS = """async ([sid, bytes]) => {
    const cookie = document.cookie.split('; ').find(c => c.startsWith('_streamlit_xsrf='));
    const token = cookie ? decodeURIComponent(cookie.split('=').slice(1).join('=')) : '';
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), 'so-lieu.csv');
    const answer = await fetch('/_stcore/upload_file/' + sid + '/kpi-limit-test', {
        method: 'PUT', body: form, headers: {'X-Xsrftoken': token}, credentials: 'same-origin'});
    return answer.status;
}"""
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_the_server_refuses_an_upload_over_5_mb_from_an_anonymous_visitor(dashboard_server, page):
    # Without server.maxUploadSize the endpoint took 200 MB a file: the 5 MB shown on /data was
    # checked by the browser only. The overview has no uploader and the visitor is not signed in.
    seen: list[bytes] = []

    def frames(socket) -> None:
        socket.on(
            "framereceived",
            lambda frame: seen.extend(
                UUID.findall(frame if isinstance(frame, bytes) else frame.encode())
            ),
        )

    page.on("websocket", frames)
    App(page, dashboard_server).open("/")
    mb = 1024 * 1024
    sessions = [
        sid.decode()
        for sid in dict.fromkeys(seen)
        if page.evaluate(PUT_UPLOAD_JS, [sid.decode(), 1024]) == 204
    ]
    assert sessions, "no session id in the websocket's frames"
    sid = sessions[0]
    assert page.evaluate(PUT_UPLOAD_JS, [sid, store.MAX_UPLOAD_BYTES - mb // 2]) == 204
    assert page.evaluate(PUT_UPLOAD_JS, [sid, store.MAX_UPLOAD_BYTES + mb]) == 413
