"""Agencies: figures owed by each, one agency's page, editor limits from secrets.toml."""

from __future__ import annotations

import pandas as pd

from kpis.agencies import agency_page, outside, owed_by_agency, refusal, round_refusal
from kpis.auth import hash_password, load_editors
from kpis.plan import load_plan
from kpis.progress import assess
from kpis.store import ImportPlan, Snapshot
from kpis.tasks import task_table
from tests.test_tasks import PLAN, D, progress


def test_limits_read_from_secrets(tmp_path):
    stored = hash_password("x", n=2**4)
    path = tmp_path / "secrets.toml"
    path.write_text(
        "[editors]\n"
        f'an = {{ hash = "{stored}", agencies = ["so-tc"] }}\n'
        f'chi = "{stored}"\n'
        f'bad = {{ hash = "{stored}", agencies = [] }}\n'
        "[editor_emails]\n"
        'emails = ["A@x.vn", "b@x.vn"]\n'
        "[editor_emails.agencies]\n"
        '"a@x.vn" = ["so-khcn", "so-tc"]\n',
        encoding="utf-8",
    )
    editors = load_editors(path)
    assert editors.limits("an") == {"so-tc"}
    assert editors.limits("chi") is None
    assert "bad" not in editors.passwords  # a broken limit disables the account, never widens it
    assert any("editors.bad.agencies" in p for p in editors.problems)
    assert editors.limits("A@x.vn") == {"so-khcn", "so-tc"}
    assert editors.limits("b@x.vn") is None


def test_owed_figures_by_agency_on_the_shipped_plan(repo_root):
    plan, _ = load_plan(repo_root / "targets.yaml")
    table = pd.DataFrame(
        {"indicator": ["public_st_orgs"], "year": [2024], "region": ["Bắc Kạn"], "value": [3.0]}
    )
    owed = dict(owed_by_agency(plan, table, 2024, "Bắc Kạn"))
    assert "public_st_orgs" not in owed["so-khcn"]
    assert owed["so-tc"] == ["total_budget_spending"]
    assert "hightech_agri_zone" in owed["so-nnptnt"]
    assert owed["so-yt"] == []
    derived = [i.id for i in plan.indicators if i.is_derived]
    assert not any(i in ids for ids in owed.values() for i in derived)


def test_agency_page_lists_its_indicators_statuses_owed_figures_and_tasks(repo_root):
    plan, _ = load_plan(repo_root / "targets.yaml")
    table = pd.DataFrame(
        {
            "indicator": ["total_budget_spending"],
            "year": [2023],
            "region": ["Bắc Kạn"],
            "value": [4.0e6],
            "source": [""],
            "note": [""],
        }
    )
    tasks = task_table(plan, progress(), D(2024, 12, 31))
    page = agency_page(plan, "so-nnptnt", table, assess(plan, table), tasks, 2024, "Bắc Kạn")
    assert page.indicators == ["hightech_agri_zone", "hightech_vegetable_models"]
    assert all(page.statuses[i] for i in page.indicators)
    assert page.owed == page.indicators
    assert set(page.tasks["agency"]) == {"so-nnptnt"} and len(page.tasks) == 4


def figure_rows(*items: tuple[str, int, int]) -> pd.DataFrame:
    """An import plan's rows: (indicator, year, line in the file)."""
    return pd.DataFrame(
        [(i, "Bắc Kạn", y, None, 1.0, "", "", "", "", "2024.csv", n) for i, y, n in items],
        columns=[
            "indicator",
            "region",
            "year",
            "old",
            "new",
            "source",
            "note",
            "old_source",
            "old_note",
            "file",
            "line",
        ],
    )


def test_refusal_names_each_refused_line_its_figure_and_agency():
    empty = figure_rows()
    planned = ImportPlan(figure_rows(("orgs", 2024, 2)), empty, empty, [], Snapshot("", 0))
    assert refusal(PLAN, None, "an", figures=planned) == []
    [problem] = refusal(PLAN, {"so-tc"}, "an", figures=planned, file="up.csv")
    # The line of the file and its column: where to remove it.
    assert (problem.file, problem.line, problem.column) == ("up.csv", 2, "indicator")
    # «orgs» has no agency in this plan: nobody may write it under a limit. The indicator by
    # its name in the reader's language and the year, never by its id.
    assert problem.format("en") == (
        "up.csv:2: indicator: account «an» may only write for Finance; «Tổ chức (no English "
        "text yet)» 2024 belongs to no agency. Remove this line, or ask that agency"
    )
    assert problem.format("vi") == (
        "up.csv:2: indicator: tài khoản «an» chỉ được ghi cho Sở Tài chính; «Tổ chức» 2024 "
        "không thuộc cơ quan nào. Bỏ dòng này, hoặc nhờ cơ quan đó nhập"
    )
    assert "orgs" not in problem.format("vi") + problem.format("en")


def test_a_whole_file_of_another_agency_names_lines_without_flooding():
    # A national file of 1,200 figures: the first lines one error each, the rest one error
    # that counts them and lists their lines, as every other count on screen: «1.192», «1,192».
    rows = figure_rows(*[("orgs", y, y - 998) for y in range(1000, 2200)])
    planned = ImportPlan(rows, figure_rows(), figure_rows(), [], Snapshot("", 0))
    problems = refusal(PLAN, {"so-tc"}, "an", figures=planned, file="up.csv")
    assert [p.line for p in problems] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    rest = problems[-1]
    assert rest.format("vi") == (
        "up.csv:10: indicator: tài khoản «an» chỉ được ghi cho Sở Tài chính; 1.192 mục nữa "
        "không thuộc cơ quan nào, ở các dòng 10–1201. Bỏ các dòng này, hoặc nhờ cơ quan đó nhập"
    )
    assert "; 1,192 more items belong to no agency, on lines 10–1201. Remove those lines" in (
        rest.format("en")
    )
    # Lines apart are listed as ranges, the first few; the others counted.
    scattered = figure_rows(*[("orgs", y, 2 * (y - 1000) + 2) for y in range(1000, 1030)])
    planned = ImportPlan(scattered, figure_rows(), figure_rows(), [], Snapshot("", 0))
    rest = refusal(PLAN, {"so-tc"}, "an", figures=planned, file="up.csv")[-1]
    assert "on lines 18, 20, 22, 24, 26, 28, 30, 32 (+14)." in rest.format("en")


def audit_row(agency: str, indicator: str = "", task: str = "", year: str = "2024") -> dict:
    return {"indicator": indicator, "task": task, "year": "" if task else year, "agency": agency}


def test_outside_keeps_the_rows_no_agency_of_the_editor_answers_for():
    rows = [
        audit_row("so-tc", "total_budget_spending"),
        audit_row("so-khcn so-tc", "shared"),  # two agencies answer: one of them is enough
        audit_row("so-nnptnt", "hightech_agri_zone"),
        audit_row("", "older_trail"),  # no agency recorded: outside every limit
        audit_row("so-khcn", task="iii-a1-2020"),
    ]
    assert outside(rows, None) == []  # no limit
    assert [r["indicator"] or r["task"] for r in outside(rows, {"so-tc"})] == [
        "hightech_agri_zone",
        "older_trail",
        "iii-a1-2020",
    ]


def test_a_round_refusal_names_each_agency_its_items_once_and_the_editors_own(repo_root):
    from kpis.errors import OutsideAgencies

    plan, _ = load_plan(repo_root / "targets.yaml")
    rows = [
        audit_row("so-nnptnt", "hightech_agri_zone", year="2024"),
        audit_row("so-nnptnt", "hightech_agri_zone", year="2024"),  # another region: once
        audit_row("so-khcn", task="iii-a1-2020"),
        audit_row("so-khcn", "public_st_orgs", year="2025"),
    ]
    refused = OutsideAgencies("e1", "chi", "2025-01-02T03:04:05+00:00", rows, frozenset({"so-tc"}))
    assert round_refusal(plan, "an", refused, "vi", "02/01/2025 10:04") == (
        "Không hoàn tác: tài khoản «an» chỉ được ghi cho Sở Tài chính, mà lượt lưu lúc "
        "02/01/2025 10:04 của chi đã thay đổi 1 mục của Sở Nông nghiệp và Phát triển nông thôn: "
        "«Khu nông nghiệp ứng dụng công nghệ cao đi vào hoạt động» 2024; 2 mục của Sở Khoa học "
        "và Công nghệ: «Quy hoạch, đào tạo, phát triển nguồn nhân lực KH&CN», «Số tổ chức KH&CN "
        "công lập» 2025. Chưa có gì thay đổi; nhờ cán bộ của cơ quan đó (hoặc một tài khoản "
        "không giới hạn cơ quan) hoàn tác."
    )
    assert "«High-tech agriculture zone in operation» 2024" in round_refusal(
        plan, "an", refused, "en"
    )
    redo = OutsideAgencies("e1", "chi", "T", rows[:1], frozenset({"so-tc"}), redo=True)
    assert round_refusal(None, "an", redo, "en") == (  # no plan: the agencies by their ids
        "Nothing was redone: account «an» may only write for so-tc, and the save of T by chi "
        "changed 1 item of so-nnptnt: hightech_agri_zone 2024. Ask an editor of that agency "
        "(or an account without agency limits) to redo it."
    )
