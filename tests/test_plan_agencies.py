"""Plan agencies and tasks (issue 16): who answers for what, and every mistake with its line."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from kpis.errors import PlanInvalid
from kpis.plan import load_plan, parse_plan
from tests.helpers import PLAN_HEAD

AGENCIES = [
    {"id": "so-khcn", "name": "Sở Khoa học và Công nghệ", "name_en": "Department of S&T"},
    {"id": "so-tc", "name": "Sở Tài chính", "name_en": "Department of Finance"},
]
TASK = {
    "id": "t1",
    "name": "Nhiệm vụ một",
    "clause": "Mục III.A.1",
    "responsible": "so-khcn",
    "deadline": "2020-12-31",
}


def plan_yaml(indicators=None, agencies=AGENCIES, tasks=(TASK,)) -> str:
    data = {
        "plan": PLAN_HEAD,
        "indicators": indicators
        or [{"id": "orgs", "name": "Tổ chức", "unit": "cái", "responsible": "so-khcn"}],
    }
    if agencies is not None:
        data["agencies"] = agencies
    if tasks:
        data["tasks"] = list(tasks)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def errors(text: str) -> list[str]:
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(text, "targets.yaml")
    return [p.format("en") for p in caught.value.problems if p.is_error]


def line_of(text: str, fragment: str, after: str | None = None) -> int:
    lines = text.splitlines()
    start = lines.index(after) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and fragment in line) + 1


def test_agencies_and_tasks_load_typed():
    plan, warnings = parse_plan(plan_yaml())
    assert warnings == []
    assert [a.id for a in plan.agencies] == ["so-khcn", "so-tc"]
    [task] = plan.tasks
    assert task.deadline == dt.date(2020, 12, 31)
    assert plan.indicators_of("so-khcn")[0].id == "orgs"
    assert plan.tasks_of("so-khcn") == [task] and plan.tasks_of("so-tc") == []
    assert plan.responsible_text(plan.indicator("orgs"), "en") == "Department of S&T"


def test_responsible_may_name_several_agencies():
    text = plan_yaml([{"id": "a", "name": "A", "unit": "x", "responsible": ["so-khcn", "so-tc"]}])
    plan, _ = parse_plan(text)
    assert plan.responsible_text(plan.indicator("a")) == "Sở Khoa học và Công nghệ, Sở Tài chính"
    assert plan.indicators_of("so-tc")[0].id == "a"


def test_free_text_responsible_stays_valid_without_agencies():
    """CONTRACT.md §1: `responsible: "Sở KH&CN"` was free text and stays so."""
    text = plan_yaml(
        [{"id": "a", "name": "A", "unit": "x", "responsible": "Sở KH&CN"}], agencies=None, tasks=()
    )
    plan, _ = parse_plan(text)
    assert plan.responsible_text(plan.indicator("a")) == "Sở KH&CN"


@pytest.mark.parametrize(
    ("indicators", "tasks", "expected", "at"),
    [
        (
            [{"id": "a", "name": "A", "unit": "x", "responsible": "so-khnc"}],
            (),
            "a: responsible: «so-khnc» is not an agency id of `agencies` (so-khcn",
            "responsible: so-khnc",
        ),
        (
            [{"id": "a", "name": "A", "unit": "x", "responsible": ["so-tc", "Sở KH&CN"]}],
            (),
            "a: responsible[2]: «Sở KH&CN» is not an agency id",
            "- Sở KH&CN",
        ),
        (
            None,
            ({**TASK, "responsible": "so-yt"},),
            "tasks.t1: responsible: «so-yt» is not an agency id of `agencies`",
            "responsible: so-yt",
        ),
        (
            None,
            ({**TASK, "indicator": "org"},),
            "tasks.t1: indicator: «org» is not an indicator of the plan (orgs?)",
            "indicator: org",
        ),
        (
            None,
            ({**TASK, "deadline": "31/12/2020"},),
            "tasks.t1: deadline: '31/12/2020' is not a date YYYY-MM-DD",
            "deadline:",
        ),
        (
            None,
            ({k: v for k, v in TASK.items() if k != "deadline"} | {"deadline_inferred": True},),
            "tasks.t1: deadline_inferred: `deadline_inferred` needs a `deadline`",
            "deadline_inferred:",
        ),
        (
            None,
            (TASK, {**TASK, "name": "again"}),
            "tasks.t1: id: id «t1» is already used by item 1 of `tasks`",
            "name: again",
        ),
        (
            None,
            ({**TASK, "owner": "so-khcn"},),
            "tasks.t1: owner: unknown key «owner»",
            "owner:",
        ),
        (
            None,
            ({k: v for k, v in TASK.items() if k != "clause"},),
            "tasks.t1: clause: required field is missing",
            "- id: t1",
        ),
    ],
)
def test_agency_and_task_mistakes_are_plan_errors_with_their_line(indicators, tasks, expected, at):
    text = plan_yaml(indicators, tasks=tasks)
    found = errors(text)
    match = [p for p in found if expected in p]
    assert match, found
    line = int(match[0].split(":")[1])
    # The problem's line is the line of the key (or of the list item that lacks it).
    wanted = [i + 1 for i, row in enumerate(text.splitlines()) if at in row]
    assert line in wanted or line == wanted[-1] - 1, (line, wanted, text)


def test_duplicate_agency_and_every_problem_at_once():
    text = plan_yaml(
        [{"id": "a", "name": "A", "unit": "x", "responsible": "nobody"}],
        agencies=[*AGENCIES, AGENCIES[0]],
        tasks=({**TASK, "responsible": "nobody"},),
    )
    found = errors(text)
    assert any("agencies.so-khcn: id: id «so-khcn» is already used" in p for p in found)
    assert any(p.startswith("targets.yaml:") and "a: responsible" in p for p in found)
    assert any("tasks.t1: responsible" in p for p in found)


def test_messages_are_vietnamese_by_default():
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(plan_yaml([{"id": "a", "name": "A", "unit": "x", "responsible": "x"}]))
    assert "không phải mã cơ quan" in caught.value.problems[0].format("vi")


def test_shipped_plans_name_their_agencies_and_decision_684_tasks(repo_root):
    plan, _ = load_plan(repo_root / "targets.yaml")
    assert {"so-khcn", "so-nnptnt", "so-tc", "so-ct", "so-yt"} <= set(plan.agency_by_id)
    assert all(ind.responsible_ids for ind in plan.indicators)
    assert len(plan.tasks) >= 60
    for task in plan.tasks:
        assert task.clause.startswith("Mục III") or task.clause.startswith("Mục IV"), task.id
        assert task.quote, task.id
        if task.deadline is not None:
            # The decision gives years only: every date is inferred and says how.
            assert task.deadline_inferred and "suy ra" in task.notes, task.id
            assert task.deadline.year in (2020, 2030)
    lang_son, _ = load_plan(repo_root / "plans" / "lang-son-147-2023.yaml")
    assert [a.id for a in lang_son.agencies] == ["so-khcn"]
    assert "Suy ra" in lang_son.agencies[0].notes
