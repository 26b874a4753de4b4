"""The plan loader's limits (issue 10, finding 5): nesting, aliases and size are refused before
PyYAML builds anything, with the line, as a plan problem (never a crash or a RecursionError)."""

from __future__ import annotations

import pytest

from kpis.errors import PlanInvalid
from kpis.plan import load_plan, parse_plan
from tests.helpers import plan_text
from tests.sandbox import run_limited

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def problem_of(text: str) -> str:
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(text)
    (problem,) = caught.value.problems
    return problem.format("en")


def test_a_plan_nested_50000_deep_is_refused_without_crashing_the_process():
    # libyaml's composer recursed in C: this killed the server with a segmentation fault.
    code = (
        "import json; from kpis.plan import parse_plan; from kpis.errors import PlanInvalid\n"
        "try:\n    parse_plan('a: ' + '[' * 50000 + ']' * 50000)\n"
        "except PlanInvalid as e:\n    print(json.dumps(e.problems[0].format('en')))\n"
    )
    assert "nested more than 40 levels deep" in run_limited(code, timeout=60)


def test_a_plan_nested_5000_deep_is_a_problem_on_its_line():
    text = "plan:\n  id: x\nb: " + "{x: " * 5000 + "1" + "}" * 5000
    assert problem_of(text).startswith("targets.yaml:3: the document is nested more than 40")


def test_a_billion_laughs_is_refused_at_once():
    message = problem_of(LAUGHS)
    assert "more than 200,000 values (aliases `*` expanded)" in message


def test_aliases_within_the_limit_still_load():
    from kpis.yaml_lines import load_yaml_with_lines

    loaded = load_yaml_with_lines("a: &a [1, 2]\nb: *a\n")
    assert loaded.data == {"a": [1, 2], "b": [1, 2]}


def test_a_plan_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_MAX_PLAN_KB", "1")
    path = tmp_path / "targets.yaml"
    path.write_text(plan_text({"id": "a", "note": "x" * 5000}), encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        load_plan(path)
    assert "more than the limit of 1 kB" in caught.value.problems[0].format("en")


def test_the_shipped_plans_are_within_the_limits(repo_root):
    load_plan(repo_root / "targets.yaml")
    for path in (repo_root / "plans").glob("*.yaml"):
        load_plan(path)
