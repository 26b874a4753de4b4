"""ui/state.py: a page's own choice (the indicator, the agency, the compared indicator) as a
reader moves between pages. A link naming one (`/indicator?id=…`, a card's «Chi tiết») opens
it; the sidebar's link to the page, which names none, opens the one last chosen there.

Streamlit drops a widget's state while its page is not shown, and drops the query string
when the sidebar switches page; the choice must outlive both.
"""

from __future__ import annotations

import pytest

from tests.pages.conftest import texts

OVERVIEW = "app_pages/overview.py"
# (page, the box's key, a choice that is not the page's first)
CHOICES = [
    ("app_pages/indicator.py", "indicator_id", "biotech_lab"),
    ("app_pages/agency.py", "agency_id", "so-khdt"),
    ("app_pages/compare.py", "compare_indicator", "biotech_lab"),
]


def url_value(at, param: str) -> str | None:
    value = at.query_params.get(param)
    return value[0] if isinstance(value, list) else value


def follow_link(at, page: str, **query: str) -> None:
    """Open `page` as st.page_link does: the page with its own query string."""
    at.switch_page(page)
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def go_by_sidebar(at, page: str) -> None:
    """Open `page` as the sidebar's navigation does: its query string dropped."""
    follow_link(at, page)


@pytest.mark.parametrize(("page", "key", "choice"), CHOICES)
def test_a_link_to_the_choice_last_shown_opens_it(open_page, page, key, choice):
    at = open_page(page)
    at.selectbox(key=key).set_value(choice).run()
    assert url_value(at, "id") == choice
    go_by_sidebar(at, OVERVIEW)
    follow_link(at, page, id=choice)  # the card's «Chi tiết», or a link in a message
    assert at.selectbox(key=key).value == choice
    assert url_value(at, "id") == choice


@pytest.mark.parametrize(("page", "key", "choice"), CHOICES)
def test_the_sidebars_link_opens_the_choice_last_made_there(open_page, page, key, choice):
    at = open_page(page)
    at.selectbox(key=key).set_value(choice).run()
    go_by_sidebar(at, OVERVIEW)
    go_by_sidebar(at, page)
    assert at.selectbox(key=key).value == choice
    assert url_value(at, "id") == choice  # the link to share says it again


def test_a_link_names_the_indicator_another_page_showed_last(open_page):
    # /compare wrote ?id=biotech_lab too: the link to /indicator with it is not ours to drop
    at = open_page("app_pages/indicator.py")
    at.selectbox(key="indicator_id").set_value("hightech_agri_zone").run()
    go_by_sidebar(at, "app_pages/compare.py")
    at.selectbox(key="compare_indicator").set_value("biotech_lab").run()
    go_by_sidebar(at, OVERVIEW)
    follow_link(at, "app_pages/indicator.py", id="biotech_lab")
    assert at.selectbox(key="indicator_id").value == "biotech_lab"
    assert "Phòng Công nghệ sinh học" in texts(at)


def test_a_link_wins_over_the_choice_last_made(open_page):
    at = open_page("app_pages/indicator.py")
    at.selectbox(key="indicator_id").set_value("biotech_lab").run()
    go_by_sidebar(at, OVERVIEW)
    follow_link(at, "app_pages/indicator.py", id="hightech_agri_zone")
    assert at.selectbox(key="indicator_id").value == "hightech_agri_zone"
    # and the reader's next choice on the page is theirs, not the link's again
    at.selectbox(key="indicator_id").set_value("public_st_orgs").run()
    assert at.selectbox(key="indicator_id").value == "public_st_orgs"
    assert url_value(at, "id") == "public_st_orgs"
