"""/ (overview): the plan, the counts by status as kpis.progress judges them, the scorecard."""

from __future__ import annotations

import re
import shutil

from kpis.i18n import STATUS_STYLES
from tests.pages.conftest import texts


def shown_counts(at) -> dict[str, int]:
    """The status cards: '<b>4</b>✔ Đã đạt' -> {'achieved': 4}."""
    cards = next(m.value for m in at.markdown if 'class="kpi-counts"' in m.value)
    words = {}
    for status, style in STATUS_STYLES.items():
        found = re.search(
            rf"<b>(\d+)</b>{re.escape(style.icon)} ({re.escape(style.vi)}|"
            rf"{re.escape(style.en)})</div>",
            cards,
        )
        if found:
            words[status] = int(found.group(1))
    return words


def test_counts_match_the_method_on_the_shipped_data(open_page, status_counts):
    at = open_page()
    assert shown_counts(at) == status_counts()
    page = texts(at)
    assert "Kế hoạch hành động thực hiện Đề án tái cơ cấu ngành Khoa học và Công nghệ" in page
    assert "684/QĐ-UBND ngày 16/05/2016 của UBND tỉnh Bắc Kạn" in page
    assert "Tình hình tính đến năm 2024" in page
    assert f"{sum(status_counts().values())} mục tiêu" in page
    assert any("Số liệu minh họa" in i.value for i in at.info)  # the shipped data is sample data


def test_each_target_row_has_its_target_latest_figure_and_status(open_page):
    page = texts(open_page())
    assert "Mục tiêu: ≥ 3 tổ chức vào năm 2020" in page
    assert "Mục tiêu: ≥ 1,5% mỗi năm 2016–2030" in page
    assert "**1,11%**" in page and "đạt 4/9 năm" in page
    assert "Cần đẩy nhanh" in page and "Tổ chức KH&CN" in page  # a status and a group heading
    assert "[1] Minh họa – không phải số liệu thực tế" in page  # every figure's source
    assert "Chỉ theo dõi: kế hoạch không đặt mục tiêu" in page  # st_investment: no target


def test_english_and_as_of_change_what_is_shown(open_page, status_counts):
    at = open_page(lang="en", as_of=2018)
    page = texts(at)
    assert "Action plan implementing the scheme" in page
    assert "Position as at 2018" in page
    assert "≥ 3 organisations by 2020" in page
    assert shown_counts(at) == status_counts(2018)
    assert shown_counts(at) != status_counts()


def test_switching_language_in_the_sidebar_updates_the_page_and_the_link(open_page):
    at = open_page()
    at.radio(key="lang").set_value("en").run()
    assert "Position as at 2024" in texts(at)
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"
    at.selectbox(key="as_of").set_value(2020).run()
    assert "Position as at 2020" in texts(at)


def test_a_second_region_gets_its_own_view(open_page, repo_root, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(repo_root / "data", data)
    (data / "cho-don.csv").write_text(
        "indicator,region,year,value,source\n"
        "public_st_orgs,Chợ Đồn,2016,1,Báo cáo huyện\n"
        "public_st_orgs,Chợ Đồn,2024,3,Báo cáo huyện\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KPI_DATA", str(data))
    at = open_page()
    assert "Địa bàn: Bắc Kạn" in texts(at)
    at.selectbox(key="region").set_value("Chợ Đồn").run()
    page = texts(at)
    assert "Địa bàn: Chợ Đồn" in page
    assert "[1] Báo cáo huyện" in page  # that region's own source
    assert at.query_params["region"] in ("Chợ Đồn", ["Chợ Đồn"])


def test_an_empty_data_folder_says_so(open_page, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("KPI_DATA", str(tmp_path / "data"))
    at = open_page()
    assert any("Chưa có số liệu nào" in i.value for i in at.info)
    assert shown_counts(at) == {"no_data": 11}  # every target of the shipped plan


def test_a_plan_without_targets_lists_its_tracked_indicators(open_page, tmp_path, monkeypatch):
    (tmp_path / "targets.yaml").write_text(
        "plan: {id: tracked, title: Kế hoạch theo dõi, document: 1/KH-UBND, issued: 2023-07-04,"
        " issuer: UBND tỉnh Thử, region: Thử, baseline_year: 2022}\n"
        "indicators:\n  - {id: tasks, name: Nhiệm vụ KH&CN, unit: nhiệm vụ, integer: true}\n",
        encoding="utf-8",
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "d.csv").write_text(
        "indicator,year,value,source\ntasks,2022,7,Báo cáo 1\ntasks,2023,9,Báo cáo 2\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KPI_TARGETS", str(tmp_path / "targets.yaml"))
    monkeypatch.setenv("KPI_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("KPI_PLANS", str(tmp_path / "no-plans"))
    at = open_page()
    assert any("không đặt mục tiêu định lượng" in i.value for i in at.info)
    page = texts(at)
    assert "**9 nhiệm vụ**  \nNăm 2023 [1]" in page and "[1] Báo cáo 2" in page
    assert "0 mục tiêu" not in page  # no empty count cards either


def test_detail_links_keep_language_plan_and_year(open_page):
    at = open_page(lang="en", as_of=2020)
    # The first link is the tasks line's (issue 16); the first card's link follows.
    assert at.page_link[0].proto.query_string == "lang=en&as_of=2020"
    query = at.page_link[1].proto.query_string
    assert query == "lang=en&as_of=2020&id=public_st_orgs"


def test_a_mistyped_link_falls_back_to_the_defaults(open_page):
    at = open_page(lang="fr", as_of="20x4", region="Nowhere")
    page = texts(at)
    assert "Tình hình tính đến năm 2024 · Địa bàn: Bắc Kạn" in page
    at = open_page(as_of=1990)  # a year without figures is not offered: the latest is used
    assert "Tình hình tính đến năm 2024" in texts(at)


def test_the_shipped_plan_shows_every_group_open(open_page, shipped, status_counts):
    at = open_page()
    assert not at.expander  # a provincial plan: headings and every card, nothing folded
    tracked = sum(1 for ind in shipped.plan.indicators if not ind.targets)
    details = [link for link in at.page_link if "id=" in link.proto.query_string]
    assert len(details) == sum(status_counts().values()) + tracked  # one "Chi tiết" a card
    assert len(at.page_link) == len(details) + 1  # and the tasks line's (issue 16)


def test_a_national_plan_folds_its_groups_and_opens_one_on_demand(open_page, use_national):
    at = open_page()
    assert "157 mục tiêu" in texts(at)
    # one fold per group, named with its targets and how many of them have each status
    labels = [e.label for e in at.expander]
    assert len(labels) == 11 and labels[0].startswith("**Nhóm 1** · 16 mục tiêu · ✔ ")
    from_labels: dict[str, int] = {}
    for label in labels:
        for status, style in STATUS_STYLES.items():
            if found := re.search(rf"{re.escape(style.icon)} (\d+)", label):
                from_labels[status] = from_labels.get(status, 0) + int(found.group(1))
    assert from_labels == shown_counts(at)
    # the first group is open with its 16 cards; the others are not drawn until opened
    assert [len(e.get("page_link")) for e in at.expander] == [16] + [0] * 10
    at.session_state["overview_group_national-synthetic-x1_3"] = True  # a click on Nhóm 4
    at.run()
    assert [len(e.get("page_link")) for e in at.expander][:4] == [16, 0, 0, 16]
    assert "Mục tiêu: " in " ".join(m.value for m in at.expander[3].get("markdown"))


def test_the_written_report_is_made_on_click_then_downloaded(open_page, monkeypatch):
    # no browser here: the report is made without charts, fast (the browser test draws them
    # and watches the bar count them)
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    for lang, make, label in (
        ("vi", "Tạo báo cáo (Word)", "Tải báo cáo (Word)"),
        ("en", "Make the report (Word)", "Download the report (Word)"),
    ):
        at = open_page(lang=lang)
        # the page's reruns never pay for the report: nothing is made until asked
        assert at.button(key="overview_report_make").label == make
        assert label not in [b.proto.label for b in at.get("download_button")]
        at.button(key="overview_report_make").click().run()
        assert label in [b.proto.label for b in at.get("download_button")]
        assert at.session_state["_made_overview_report"][1][:2] == b"PK"  # a .docx
        at.run()  # made once: a rerun of the same view serves the same file
        assert label in [b.proto.label for b in at.get("download_button")]
