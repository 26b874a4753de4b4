"""User text is shown as text (issue 10, finding 1): a plan, figures and URL parameters full of
Markdown and HTML payloads, every page opened in Chromium; no link or image made from them
exists, and nothing is requested from outside the machine (the `page` fixture fails the test
on any non-local request).

The charts count too: Plotly draws its own HTML subset (an `<a href>` becomes an SVG
`<a xlink:href>`), so links are looked for in every namespace, and each chart's text must
show the payload's tags as typed."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.conftest import App
from tests.helpers import plan_text

LINK = "[Đăng nhập lại tại đây](http://evil.example/login)"
IMAGE = "![t](http://evil.example/t.png)"
HYPERLINK = '=HYPERLINK("http://evil.example/x")'
HTML = '<img src="http://evil.example/h.png"> www.evil.example a@evil.example ceo.@evil.example'
PLOTLY = '<a href="http://evil.example/p">Đăng nhập</a> <span style="font-size:60px">TO</span> %{x}'
PAYLOAD = f"{LINK} {IMAGE} {HYPERLINK} {HTML} {PLOTLY}"


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
            "references": [{"value": 2, "label": hostile("reference")}],
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


# Charted pages: the chart is drawn after the run ends, and is waited for.
CHARTS = ("/indicator?id=orgs", "/present?slide=3")
# Any link or image pointing off the machine, in any namespace: `a` matches HTML's and SVG's
# (Plotly's links carry xlink:href), `image` is SVG's.
OUTSIDE = """body => [...body.querySelectorAll('a, img, [srcset], image')]
    .map(e => e.getAttribute('href') || e.getAttributeNS('http://www.w3.org/1999/xlink', 'href')
              || e.getAttribute('src') || e.getAttribute('srcset') || '')
    .filter(u => !u.startsWith('#'))  // a heading's own anchor
    .map(u => { try { return new URL(u, location.href) } catch (e) { return null } })
    .filter(url => !url || !(['http:', 'data:', 'blob:'].includes(url.protocol)
                             && ['127.0.0.1', 'localhost', ''].includes(url.hostname)))
    .map(url => url ? url.href : 'unparsable')"""
# what Plotly would have made of a <span style>: a piece of the chart in 60 px type
STYLED = """body => [...body.querySelectorAll('.js-plotly-plot tspan[style]')]
    .map(e => e.getAttribute("style")).filter(style => /60px/.test(style))"""


def open_all(app: App, paths: list[str], charts: tuple[str, ...] = CHARTS) -> str:
    """Open each page, assert nothing links off the machine; the text all pages show.
    `charts`: the pages among them that draw a chart."""
    seen = []
    for path in paths:
        shown = app.open(path)
        main = shown.locator("body")
        if path in charts:
            expect(shown.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
        assert main.evaluate(OUTSIDE) == [], path
        assert main.evaluate(STYLED) == [], path
        if path in charts:  # the tags are text in the chart, the template unfilled
            chart = shown.locator(".js-plotly-plot").first.text_content() or ""
            assert "unit [Đăng nhập lại tại đây](http://evil.example/login)" in chart, chart
            assert '<a href="http://evil.example/p">Đăng nhập</a>' in chart, chart
            assert "%{x}" in chart, chart
        seen.append(main.inner_text())
    return "\n".join(seen)


def test_no_link_or_image_comes_from_user_text(dashboard_factory, page, hostile_site):
    text = open_all(App(page, dashboard_factory(hostile_site)), PAGES)
    # the payloads are there, as text: the reader sees what the file says
    assert "[Đăng nhập lại tại đây](http" in text
    assert '=HYPERLINK("http' in text
    assert '<a href="http://evil.example/p">' in text


@pytest.fixture(scope="module")
def hostile_tasks_site(hostile_site, tmp_path_factory) -> dict[str, str]:
    """The hostile plan with agencies and tasks (responsible: an agency's id), one overdue."""
    folder = tmp_path_factory.mktemp("hostile_tasks")
    with open(hostile_site["KPI_TARGETS"], encoding="utf-8") as file:
        plan = yaml.safe_load(file)
    for indicator in plan["indicators"]:
        indicator["responsible"] = "agency-1"
    plan["agencies"] = [
        {"id": "agency-1", "name": hostile("agency"), "clause": hostile("agency clause")}
    ]
    plan["tasks"] = [
        {
            "id": f"task-{n}",
            "name": hostile(f"task {n}"),
            "clause": hostile("task clause"),
            "quote": hostile("quote"),
            "responsible": "agency-1",
            "deadline": deadline,
            "notes": hostile("task notes"),
        }
        for n, deadline in ((1, "2020-12-31"), (2, "2030-12-31"))
    ]
    (folder / "targets.yaml").write_text(
        yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return {**hostile_site, "KPI_TARGETS": str(folder / "targets.yaml")}


def test_tasks_and_agencies_show_their_text_as_text(dashboard_factory, page, hostile_tasks_site):
    app = App(page, dashboard_factory(hostile_tasks_site))
    # title, scorecard, the tasks (whose footer names the plan's document), the indicators
    text = open_all(app, ["/", "/tasks", "/agency", "/agency?id=agency-1", "/coverage"], ())
    slides = [f"/present?slide={n}" for n in range(1, 6)]
    text += open_all(app, slides, ("/present?slide=4",))
    assert "task 1 [Đăng nhập lại tại đây](http" in text
    assert "document [Đăng nhập lại tại đây](http" in text  # the tasks slide's footer


# The smallest piece of the page whose text holds `address` and was given invisible word
# joiners (kpis.safe_text.md_text), selected as a reader selects it.
SELECT_JOINED = """address => {
  const shown = [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => e.textContent.includes('\\u2060')
      && e.textContent.replaceAll('\\u2060', '').includes(address))
    .sort((a, b) => a.textContent.length - b.textContent.length)[0];
  if (!shown) return null;
  const range = document.createRange();
  range.selectNodeContents(shown);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return shown.textContent;
}"""
# Every flavour the clipboard holds, as text.
CLIPBOARD = """async () => {
  const flavours = {};
  for (const item of await navigator.clipboard.read())
    for (const type of item.types) flavours[type] = await (await item.getType(type)).text();
  return flavours;
}"""


def test_user_text_copied_from_a_page_is_the_text_as_typed(dashboard_factory, page, hostile_site):
    # md_text keeps «http://…», «www.…» and «name@host» from becoming links with invisible
    # word joiners; copied and pasted into a browser or a report, an address must still be
    # the address, not one broken by a character nobody sees.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    app = App(page, dashboard_factory(hostile_site))
    app.open("/")
    address = "http://evil.example/login"
    shown = page.evaluate(SELECT_JOINED, address)
    assert shown is not None  # a source shown with its joiners, on the overview
    page.keyboard.press("Control+C")
    flavours = page.evaluate(CLIPBOARD)
    assert address in flavours["text/plain"] and "www.evil.example" in flavours["text/plain"]
    assert flavours["text/plain"] == shown.replace("\u2060", "")
    assert "\u2060" not in flavours["text/html"] and address in flavours["text/html"]
    assert not app.page_errors
