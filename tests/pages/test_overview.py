"""/ (overview): the plan, the counts by status as kpis.progress judges them, the scorecard."""

from __future__ import annotations

import re
import shutil

import yaml

from kpis.i18n import STATUS_STYLES
from tests.pages.conftest import open_every_group, texts


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
    assert (
        "Ban hành kèm theo Quyết định số 684/QĐ-UBND ngày 16/05/2016 của UBND tỉnh Bắc Kạn" in page
    )
    assert "Tình hình tính đến năm 2024" in page
    assert f"{sum(status_counts().values())} mục tiêu" in page
    assert any("Số liệu minh họa" in i.value for i in at.info)  # the shipped data is sample data


def test_each_target_row_has_its_target_latest_figure_and_status(open_page):
    at = open_every_group(open_page())
    page = texts(at)
    assert "Mục tiêu: ≥ 3 tổ chức vào năm 2020" in page
    assert "Mục tiêu: ≥ 1,5% mỗi năm 2016–2030" in page
    assert "**1,11%**" in page and "đạt 4/9 năm" in page
    assert "Cần đẩy nhanh" in page  # a status
    assert at.expander[0].label.startswith("**Tổ chức KH&CN** · ")  # a group heading
    assert "[1] Minh họa – không phải số liệu thực tế" in page  # every figure's source
    assert "Chỉ theo dõi: kế hoạch không đặt mục tiêu" in page  # st_investment: no target


def test_english_and_as_of_change_what_is_shown(open_page, status_counts):
    at = open_every_group(open_page(lang="en", as_of=2018))
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
    at = open_every_group(open_page(lang="en", as_of=2020))
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


def counts_in_labels(at) -> dict[str, int]:
    """The folds' labels ('**Nhóm 1** · 16 mục tiêu · ✔ 4 ⚠ 3'), their statuses added up."""
    found: dict[str, int] = {}
    for label in (e.label for e in at.expander):
        for status, style in STATUS_STYLES.items():
            if count := re.search(rf"{re.escape(style.icon)} (\d+)", label):
                found[status] = found.get(status, 0) + int(count.group(1))
    return found


def cards_shown(at) -> list[int]:
    """How many cards each fold shows (one "Chi tiết" link a card)."""
    return [len(e.get("page_link")) for e in at.expander]


def test_the_shipped_plan_folds_its_groups_with_their_counts(open_page, shipped, status_counts):
    at = open_page()
    groups = [g for g in shipped.plan.groups if any(i.group == g for i in shipped.plan.indicators)]
    # one fold per group, named with its targets and how many of them have each status
    assert [e.label.split("**")[1] for e in at.expander] == groups
    assert at.expander[0].label == "**Tổ chức KH&CN** · 2 mục tiêu · ✔ 1 ⚠ 1"
    assert counts_in_labels(at) == shown_counts(at) == status_counts()
    assert cards_shown(at) == [0] * len(groups)  # folded: no card is built into the page
    assert len(at.page_link) == 1  # the tasks line's (issue 16)
    open_every_group(at)
    tracked = sum(1 for ind in shipped.plan.indicators if not ind.targets)
    details = [link for link in at.page_link if "id=" in link.proto.query_string]
    assert len(details) == sum(status_counts().values()) + tracked  # one "Chi tiết" a card
    assert len(at.page_link) == len(details) + 1  # and the tasks line's (issue 16)
    # each card says its status first, then the indicator and its target
    first = [m.value for m in at.expander[0].get("markdown")]
    assert 'class="kpi-badge"' in first[0] and "Cần đẩy nhanh" not in first[0]
    assert first[1].startswith("**Số tổ chức KH&CN công lập**  \nMục tiêu: ≥ 3 tổ chức")


def test_an_opened_group_stays_open_across_year_and_language(open_page, shipped):
    at = open_page()
    at.session_state[f"overview_group_{shipped.plan.plan.id}_1"] = True  # a click on the 2nd
    at.run()
    assert cards_shown(at) == [0, 2, 0, 0, 0]
    at.selectbox(key="as_of").set_value(2020).run()
    assert cards_shown(at) == [0, 2, 0, 0, 0]
    at.radio(key="lang").set_value("en").run()
    assert at.expander[1].label.startswith("**S&T infrastructure** · 2 targets · ")
    assert cards_shown(at) == [0, 2, 0, 0, 0]
    at.session_state[f"overview_group_{shipped.plan.plan.id}_1"] = False  # folded again
    at.run()
    assert cards_shown(at) == [0] * 5


def test_a_national_plan_folds_its_groups_and_opens_one_on_demand(open_page, use_national):
    at = open_page()
    assert "157 mục tiêu" in texts(at)
    # one fold per group, named with its targets and how many of them have each status
    labels = [e.label for e in at.expander]
    assert len(labels) == 11 and labels[0].startswith("**Nhóm 1** · 16 mục tiêu · ✔ ")
    assert counts_in_labels(at) == shown_counts(at)
    # every group folded: no card is built into the page until its group is opened
    assert cards_shown(at) == [0] * 11
    at.session_state["overview_group_national-synthetic-x1_3"] = True  # a click on Nhóm 4
    at.run()
    assert cards_shown(at)[:4] == [0, 0, 0, 16]
    assert "Mục tiêu: " in " ".join(m.value for m in at.expander[3].get("markdown"))


def test_a_large_plan_without_groups_shows_its_cards_a_page_at_a_time(
    open_page, national, tmp_path, monkeypatch
):
    plan = yaml.safe_load((national / "targets.yaml").read_text(encoding="utf-8"))
    for indicator in plan["indicators"]:
        indicator.pop("group", None), indicator.pop("group_en", None)
    (tmp_path / "targets.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), "utf-8")
    monkeypatch.setenv("KPI_TARGETS", str(tmp_path / "targets.yaml"))
    monkeypatch.setenv("KPI_DATA", str(national / "data"))
    monkeypatch.setenv("KPI_PLANS", str(tmp_path / "no-plans"))
    tracked = sum(1 for indicator in plan["indicators"] if not indicator.get("targets"))
    at = open_page()
    assert len(at.expander) == 1 and at.expander[0].label.startswith(
        "**Chỉ tiêu khác** · 157 mục tiêu · ✔ "
    )
    assert at.expander[0].label.endswith(f" · {tracked} chỉ tiêu chỉ theo dõi")
    # one group larger than a page: folded like any group; opened, its first 20 cards
    # shown, the others a choice away
    assert cards_shown(at) == [0] and not at.expander[0].get("radio")
    at.session_state["overview_group_national-synthetic-x1_0"] = True
    at.run()
    pages = at.radio(key="overview_page_national-synthetic-x1_0")
    cards = 157 + tracked
    assert pages.label == f"Xem (trong số {cards})" and len(pages.options) == -(-cards // 20)
    assert cards_shown(at) == [20]
    names = [m.value for m in at.expander[0].get("markdown") if m.value.startswith("**Chỉ")]
    assert names[0].startswith("**Chỉ tiêu tổng hợp số 1**")
    last = (20 * (len(pages.options) - 1) + 1, cards)
    assert pages.options[-1] == f"{last[0]}–{last[1]}"
    pages.set_value(last).run()
    assert cards_shown(at) == [cards - last[0] + 1]


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
