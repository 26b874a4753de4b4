"""The plan loader's limits (issue 10, finding 5): nesting, aliases and size are refused before
PyYAML builds anything, with the line, as a plan problem (never a crash or a RecursionError)."""

from __future__ import annotations

import datetime as dt

import pytest

from kpis.errors import PlanInvalid
from kpis.plan import load_plan, parse_plan
from kpis.yaml_lines import load_yaml_with_lines
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


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "plan: &p\n  id: x\n  notes: [*p]\n",
            "targets.yaml:3: the alias *p on line 3 refers to itself (it lies inside the value &p "
            "opened on line 1): write the value out instead of the alias",
        ),
        (
            "a: &a [*a]\n",
            "targets.yaml:1: the alias *a on line 1 refers to itself (it lies inside the value &a "
            "opened on line 1): write the value out instead of the alias",
        ),
        (
            "a: &a {b: [1, {c: *a}]}\n",
            "targets.yaml:1: the alias *a on line 1 refers to itself (it lies inside the value &a "
            "opened on line 1): write the value out instead of the alias",
        ),
    ],
)
def test_a_recursive_alias_is_refused_with_its_line(text, expected):
    # It spun forever (kpis/yaml_lines.py _join_decimal_commas walked the cycle).
    code = (
        "import json; from kpis.plan import parse_plan; from kpis.errors import PlanInvalid\n"
        f"try:\n    parse_plan({text!r})\n"
        "except PlanInvalid as e:\n    print(json.dumps([p.format('en') for p in e.problems]))\n"
    )
    assert run_limited(code, timeout=30) == [expected]


def test_a_recursive_alias_in_vietnamese():
    assert "bí danh *p ở dòng 3 trỏ vào chính nó" in str(
        pytest.raises(PlanInvalid, parse_plan, "plan: &p\n  id: x\n  notes: [*p]\n")
        .value.problems[0]
        .format("vi")
    )


def test_an_anchor_used_after_it_closes_is_no_recursion():
    loaded = load_yaml_with_lines("a: &a [1, &b {c: 2}]\nb: [*a, *b, {d: *a}]\n")
    assert loaded.data == {"a": [1, {"c": 2}], "b": [[1, {"c": 2}], {"c": 2}, {"d": [1, {"c": 2}]}]}


def test_aliases_are_walked_once_per_node_by_the_decimal_comma_join():
    loaded = load_yaml_with_lines("a: &a {min: 0,7}\nb: [*a, *a]\n")
    assert loaded.data == {"a": {"min": "0,7"}, "b": [{"min": "0,7"}, {"min": "0,7"}]}


def test_a_date_that_does_not_exist_and_a_huge_number_are_reported_with_the_rest():
    text = (
        plan_text({"id": "orgs", "targets": [{"year": 2020, "min": 3}]})
        .replace("issued: '2016-05-16'", "issued: 2016-02-30")
        .replace("min: 3", "min: " + "9" * 5000)
        .replace("baseline_year: 2015", "baseline_year: 2015\n  colour: red")
    )
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(text)
    found = [p.format("en") for p in caught.value.problems]
    assert (
        "targets.yaml:5: plan.issued: the date «2016-02-30» does not exist: check the day and "
        "month (YYYY-MM-DD)" in found
    )
    assert any(
        m.endswith("orgs: targets[1].min: the number is too long (5,000 digits): check the value")
        for m in found
    )
    assert any("colour" in m for m in found)  # the plan's other problems, at once
    assert len(found) == 3  # and nothing more said of the two values ("not a date")
    vi = [p.format("vi") for p in caught.value.problems]
    assert (
        "targets.yaml:5: plan.issued: ngày «2016-02-30» không có thật: kiểm tra ngày/tháng "
        "(YYYY-MM-DD)" in vi
    )
    assert any("số quá dài (5.000 chữ số)" in m for m in vi)


def test_an_unbuildable_value_is_kept_as_its_text():
    loaded = load_yaml_with_lines("a: 2020-06-31\nb: 2020-06-30\n")
    assert loaded.data == {"a": "2020-06-31", "b": dt.date(2020, 6, 30)}
    assert [(path, line) for path, line, *_ in loaded.unreadable] == [(("a",), 1)]
