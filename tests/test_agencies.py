"""Agencies: figures owed by each, one agency's page, editor limits from secrets.toml."""

from __future__ import annotations

import pandas as pd

from kpis.agencies import agency_page, outside, owed_by_agency, refusal, round_refusal
from kpis.auth import hash_password, load_editors
from kpis.plan import load_plan
from kpis.progress import assess
from kpis.scope import Limit, Scope
from kpis.store import ImportPlan, Snapshot
from kpis.tasks import task_table
from tests.test_tasks import PLAN, D, progress

BAC_KAN = "bac-kan-684-2016"


def only(*agencies: str, plan: str = "test-plan", **more) -> Scope:
    """An editor limited to `agencies` of `plan` (None for none given: the whole plan)."""
    return Scope({plan: frozenset(agencies) if agencies else None}, **more)


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
    assert editors.limits("an") == Limit(agencies=frozenset({"so-tc"}))
    assert editors.limits("chi") is None
    assert "bad" not in editors.passwords  # a broken limit disables the account, never widens it
    assert any("editors.bad: agencies must be" in p for p in editors.problems)
    assert editors.limits("A@x.vn") == Limit(agencies=frozenset({"so-khcn", "so-tc"}))
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
    [problem] = refusal(PLAN, only("so-tc"), "an", figures=planned, file="up.csv")
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
    problems = refusal(PLAN, only("so-tc"), "an", figures=planned, file="up.csv")
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
    rest = refusal(PLAN, only("so-tc"), "an", figures=planned, file="up.csv")[-1]
    assert "on lines 18, 20, 22, 24, 26, 28, 30, 32 (+14)." in rest.format("en")


def audit_row(
    agency: str, indicator: str = "", task: str = "", year: str = "2024", plan: str = BAC_KAN
) -> dict:
    file = f"_tasks-{plan}.csv" if task else f"{year}.csv"
    row = {"indicator": indicator, "task": task, "year": "" if task else year, "agency": agency}
    return {**row, "file": file}


# The catalogue as the trail's rows are read against it: which plans have each indicator.
INDICATOR_PLANS = {
    "total_budget_spending": (BAC_KAN,),
    "shared": (BAC_KAN,),
    "hightech_agri_zone": (BAC_KAN,),
    "investment_projects_tech_appraised": ("lang-son-147-2023",),
}


def test_outside_keeps_the_rows_no_agency_of_the_editor_answers_for():
    rows = [
        audit_row("so-tc", "total_budget_spending"),
        audit_row("so-khcn so-tc", "shared"),  # two agencies answer: one of them is enough
        audit_row("so-nnptnt", "hightech_agri_zone"),
        audit_row("", "older_trail"),  # no agency recorded: outside every limit
        audit_row("so-khcn", task="iii-a1-2020"),
    ]
    assert outside(rows, None) == []  # no limit
    mine = only("so-tc", plan=BAC_KAN, indicator_plans=INDICATOR_PLANS)
    assert [r["indicator"] or r["task"] for r in outside(rows, mine)] == [
        "hightech_agri_zone",
        "older_trail",
        "iii-a1-2020",
    ]


def test_outside_holds_an_agency_id_to_its_plan():
    """Lạng Sơn's plan calls its department «so-khcn», as Bắc Kạn's does (security review 1):
    a save of Lạng Sơn's figures or of another plan's tasks is outside a Bắc Kạn limit."""
    lang_son = audit_row("so-khcn", "investment_projects_tech_appraised")
    bac_kan_task = audit_row("so-khcn", task="iii-a1-2020")
    other_task = audit_row("so-khcn", task="iii-a1-2020", plan="lang-son-147-2023")
    rows = [lang_son, bac_kan_task, other_task]
    bac_kan = only("so-khcn", plan=BAC_KAN, indicator_plans=INDICATOR_PLANS)
    assert outside(rows, bac_kan) == [lang_son, other_task]
    # A whole plan: its rows, whatever their agency (a plan that names none included).
    whole = only(plan="lang-son-147-2023", indicator_plans=INDICATOR_PLANS)
    assert outside(rows, whole) == [bac_kan_task]


def test_a_round_refusal_names_each_agency_its_items_once_and_the_editors_own(repo_root):
    from kpis.errors import OutsideAgencies

    plan, _ = load_plan(repo_root / "targets.yaml")
    rows = [
        audit_row("so-nnptnt", "hightech_agri_zone", year="2024"),
        audit_row("so-nnptnt", "hightech_agri_zone", year="2024"),  # another region: once
        audit_row("so-khcn", task="iii-a1-2020"),
        audit_row("so-khcn", "public_st_orgs", year="2025"),
    ]
    mine = only("so-tc", plan=BAC_KAN)
    refused = OutsideAgencies("e1", "chi", "2025-01-02T03:04:05+00:00", rows, mine)
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
    redo = OutsideAgencies("e1", "chi", "T", rows[:1], mine, redo=True)
    assert round_refusal(None, "an", redo, "en") == (  # no plan: the agencies by their ids
        "Nothing was redone: account «an» may only write for so-tc (plan «bac-kan-684-2016»), "
        "and the save of T by chi changed 1 item of so-nnptnt: hightech_agri_zone 2024. Ask an "
        "editor of that agency (or an account without agency limits) to redo it."
    )


def test_a_round_refusal_tells_another_plans_agency_from_this_ones(repo_root):
    """Lạng Sơn's «so-khcn» is not Bắc Kạn's Department: named by its id and its plan."""
    from kpis.errors import OutsideAgencies

    plan, _ = load_plan(repo_root / "targets.yaml")
    rows = [audit_row("so-khcn", "investment_projects_tech_appraised", year="2023")]
    mine = only("so-khcn", plan=BAC_KAN, indicator_plans=INDICATOR_PLANS)
    refused = OutsideAgencies("e1", "chi", "T", rows, mine)
    assert round_refusal(plan, "an", refused, "en") == (
        "Nothing was undone: account «an» may only write for Department of Science and "
        "Technology, and the save of T by chi changed 1 item of so-khcn (plan "
        "«lang-son-147-2023»): investment_projects_tech_appraised 2023. Ask an editor of that "
        "agency (or an account without agency limits) to undo it."
    )


# ---------------------------------------------------------------------------------------------
# Limits tied to plans (kpis/scope.py; security review 1)

LANG_SON = "lang-son-147-2023"
THAI_NGUYEN = "thai-nguyen-57-2025"


def test_secrets_write_plans_and_agencies_per_plan(tmp_path):
    stored = hash_password("x", n=2**4)
    path = tmp_path / "secrets.toml"
    path.write_text(
        "[editors]\n"
        f'ls = {{ hash = "{stored}", agencies = ["{LANG_SON}:so-khcn"] }}\n'
        f'tn = {{ hash = "{stored}", plans = ["{THAI_NGUYEN}"] }}\n'
        f'two = {{ hash = "{stored}", plans = ["{BAC_KAN}", "{THAI_NGUYEN}"], agencies = ["so-tc"] }}\n'
        f'stray = {{ hash = "{stored}", plans = ["{BAC_KAN}"], agencies = ["{LANG_SON}:so-khcn"] }}\n'
        f'empty = {{ hash = "{stored}", plans = [] }}\n'
        f'half = {{ hash = "{stored}", agencies = [":so-khcn"] }}\n'
        f'nothing = {{ hash = "{stored}" }}\n'
        "[editor_emails]\n"
        'emails = ["a@x.vn", "b@x.vn"]\n'
        "[editor_emails.plans]\n"
        f'"A@x.vn" = ["{LANG_SON}"]\n'
        "[editor_emails.agencies]\n"
        '"b@x.vn" = ["so-khcn"]\n',
        encoding="utf-8",
    )
    editors = load_editors(path)
    assert editors.limits("ls") == Limit(plan_agencies={LANG_SON: frozenset({"so-khcn"})})
    assert editors.limits("tn") == Limit(plans=frozenset({THAI_NGUYEN}))
    assert editors.limits("two") == Limit(
        plans=frozenset({BAC_KAN, THAI_NGUYEN}), agencies=frozenset({"so-tc"})
    )
    assert editors.limits("a@x.vn") == Limit(plans=frozenset({LANG_SON}))
    assert editors.limits("b@x.vn") == Limit(agencies=frozenset({"so-khcn"}))
    # Written wrong: disabled, never left without a limit.
    for user in ("stray", "empty", "half", "nothing"):
        assert user not in editors.passwords, user
        assert any(f"editors.{user}:" in p for p in editors.problems), user
    assert any("plans that `plans` does not list" in p for p in editors.problems)


def test_a_plan_outside_the_account_is_refused_whole_naming_the_plans_and_whom_to_ask(repo_root):
    """The review's reproduction: an account for Bắc Kạn's «so-khcn» saving a Lạng Sơn figure.
    Plans are named as the sidebar names them; the ids only in the lines for the secrets
    file."""
    from kpis.catalogue import load_catalogue
    from kpis.scope import scope_in

    catalogue = load_catalogue(repo_root / "targets.yaml", repo_root / "plans")
    lang_son = catalogue.get(LANG_SON).plan
    rows = figure_rows(("investment_projects_tech_appraised", 2023, 2))
    planned = ImportPlan(figure_rows(), rows, figure_rows(), [], Snapshot("", 0))
    limit, _ = Limit.parse(["so-khcn"])
    bac_kan = scope_in(limit, catalogue, repo_root / "targets.yaml")
    [problem] = refusal(lang_son, bac_kan, "khcn_backan", figures=planned, file="up.csv")
    assert problem.is_error and problem.line is None
    assert problem.format("vi") == (
        "up.csv: tài khoản «khcn_backan» không được ghi số liệu hay tiến độ của kế hoạch "
        "«147/KH-UBND · Lạng Sơn»: tài khoản chỉ được ghi cho kế hoạch «684/QĐ-UBND · Bắc Kạn». "
        'Mã cơ quan không kèm mã kế hoạch (agencies = ["so-khcn"]) chỉ áp dụng cho kế hoạch mặc '
        "định «684/QĐ-UBND · Bắc Kạn». Nếu tài khoản cần ghi cho kế hoạch này, nhờ quản trị viên "
        'thêm vào tài khoản trong tệp secrets plans = ["lang-son-147-2023"] hoặc agencies = '
        '["lang-son-147-2023:MÃ-CƠ-QUAN"]; nếu không, chọn kế hoạch của mình'
    )
    assert problem.format("en").startswith(
        "up.csv: account «khcn_backan» may not write figures or progress of plan «147/KH-UBND · "
        "Lạng Sơn»: it may write only for plan «684/QĐ-UBND · Bắc Kạn». Agency ids without a "
        'plan id (agencies = ["so-khcn"]) hold in the default plan «684/QĐ-UBND · Bắc Kạn» only.'
    )
    assert 'ask the administrator to add plans = ["lang-son-147-2023"]' in problem.format("en")
    # A plan the catalogue does not have (a secrets file naming a removed one): its id.
    assert "chỉ được ghi cho kế hoạch «bac-kan-684-2016»" in refusal(
        lang_son, Limit(agencies=frozenset({"so-khcn"})).scope(BAC_KAN), "k", figures=planned
    )[0].format("vi")
    # The same department of Lạng Sơn, named with its plan: within the plan, as before.
    mine = Limit(plan_agencies={LANG_SON: frozenset({"so-khcn"})}).scope(BAC_KAN)
    assert refusal(lang_son, mine, "khcn_langson", figures=planned) == []


def test_a_whole_plan_reaches_its_own_indicators_only():
    empty = figure_rows()
    planned = ImportPlan(
        figure_rows(("orgs", 2024, 2), ("elsewhere", 2024, 3)), empty, empty, [], Snapshot("", 0)
    )
    [problem] = refusal(PLAN, only(), "an", figures=planned, file="up.csv")
    assert problem.line == 3
