"""User text is shown as text (issue 10, finding 1): a plan, figures and URL parameters full of
Markdown and HTML payloads, every page opened in Chromium; no link or image made from them
exists, and nothing is requested from outside the machine (the `page` fixture fails the test
on any non-local request)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.conftest import App
from tests.helpers import plan_text

LINK = "[Đăng nhập lại tại đây](http://evil.example/login)"
IMAGE = "![t](http://evil.example/t.png)"
HYPERLINK = '=HYPERLINK("http://evil.example/x")'
HTML = '<img src="http://evil.example/h.png"> www.evil.example a@evil.example'
PAYLOAD = f"{LINK} {IMAGE} {HYPERLINK} {HTML}"


def hostile(field: str) -> str:
    return f"{field} {PAYLOAD}"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hostile")
    plan = plan_text(
        {
            "id": "orgs",
            "name": hostile("name"),
            "unit": hostile("unit"),
            "group": hostile("group"),
            "clause": hostile("clause"),
            "responsible": hostile("responsible"),
            "notes": hostile("notes"),
            "targets": [
                {"year": 2024, "min": 5, "note": hostile("note"), "clause": hostile("tclause")}
            ],
        },
        {"id": "spend", "name": hostile("spend"), "unit": "%", "group": hostile("group")},
        title=hostile("title"),
        document=hostile("document"),
        issuer=hostile("issuer"),
        region=hostile("region"),
        notes=hostile("plan notes"),
    )
    (folder / "targets.yaml").write_text(plan, encoding="utf-8")
    data = folder / "data"
    data.mkdir()
    rows = ["indicator,region,year,value,source,note"]
    for year, value in ((2020, 1), (2021, 2), (2022, 3)):
        for region in ("", "Vùng " + LINK):
            rows.append(
                f'orgs,"{region}",{year},{value},"{hostile("source").replace(chr(34), 2 * chr(34))}",'
                f'"{hostile("csv note").replace(chr(34), 2 * chr(34))}"'
            )
            rows.append(
                f'spend,"{region}",{year},{value},"{HYPERLINK.replace(chr(34), 2 * chr(34))}",'
            )
    (data / "figures.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return {
        "KPI_TARGETS": str(folder / "targets.yaml"),
        "KPI_DATA": str(data),
        "KPI_PLANS": str(folder / "none"),
    }


PAGES = [
    "/",
    "/indicator?id=orgs",
    f"/indicator?id={quote(LINK + ' ' + IMAGE)}",
    "/coverage",
    "/method",
    "/data",
    "/present",
    "/present?slide=3",
    "/compare?id=orgs",
    "/agency",
    "/tasks",
    f"/?region={quote('Vùng ' + LINK)}&as_of={quote(IMAGE)}&lang={quote(LINK)}",
    f"/compare?id={quote(IMAGE)}&target={quote(LINK)}&plan={quote(LINK)}",
]


def test_no_link_or_image_comes_from_user_text(dashboard_factory, page, hostile_site):
    app = App(page, dashboard_factory(hostile_site))
    seen = []
    for path in PAGES:
        shown = app.open(path)
        main = shown.locator("body")
        # what the payloads would have made: any link or image pointing off the machine
        outside = main.evaluate(
            """body => [...body.querySelectorAll('a[href], img[src], [srcset], image')]
                .map(e => e.getAttribute('href') || e.getAttribute('src')
                          || e.getAttribute('srcset') || e.getAttribute('xlink:href') || '')
                .filter(u => !u.startsWith('#'))  // a heading's own anchor
                .map(u => { try { return new URL(u, location.href) } catch (e) { return null } })
                .filter(url => !url || !(['http:', 'data:', 'blob:'].includes(url.protocol)
                                         && ['127.0.0.1', 'localhost', ''].includes(url.hostname)))
                .map(url => url ? url.href : 'unparsable')"""
        )
        assert outside == [], (path, outside)
        seen.append(main.inner_text())
    text = "\n".join(seen)
    # the payloads are there, as text: the reader sees what the file says
    assert "[Đăng nhập lại tại đây](http" in text
    assert '=HYPERLINK("http' in text
