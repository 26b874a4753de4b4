"""targets.yaml: the schema, every problem at once with its place, and the plan rules."""

from __future__ import annotations

import json

import pytest

from kpis.errors import InputNotFound, PlanInvalid
from kpis.plan import load_plan, parse_plan, plan_json_schema
from tests.helpers import plan_text


def problems_of(text: str) -> list[str]:
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(text, "targets.yaml")
    return [p.format("en") for p in caught.value.problems if p.is_error]


def one_indicator(**fields) -> str:
    return plan_text({"id": "orgs", **fields})


def test_a_valid_plan_loads_with_typed_targets():
    plan, warnings = parse_plan(
        one_indicator(targets=[{"year": 2020, "min": 3}, {"from": 2016, "to": 2030, "min": 1}])
    )
    assert warnings == []
    first, standing = plan.indicator("orgs").targets
    assert (first.form, first.end_year) == ("min", 2020)
    assert (standing.form, standing.end_year, standing.is_standing) == ("standing", 2030, True)


def test_unknown_key_names_its_place_line_and_the_likely_key():
    text = one_indicator(targets=[{"year": 2020, "minn": 3}])
    [problem] = problems_of(text)
    line = text.splitlines().index("  - year: 2020") + 2  # `minn:` is on the next line
    assert problem.startswith(f"targets.yaml:{line}: orgs: targets[1].minn: ")
    assert "did you mean «min»" in problem


def test_every_problem_is_reported_at_once_across_indicators():
    text = plan_text(
        {"id": "a", "kind": "stocks"},
        {"id": "b", "targets": [{"year": 2020, "min": 5, "max": 3}]},
        {"id": "c", "targets": [{"year": 2010, "min": 1}]},
    )
    found = problems_of(text)
    assert len(found) == 3
    assert any("a: kind" in p and "stock" in p for p in found)
    assert any("b: targets[1]" in p and "`min` (5) is above `max` (3)" in p for p in found)
    assert any(
        "c: targets[1].year" in p and "after the indicator's baseline year 2015" in p for p in found
    )


def test_problems_are_in_vietnamese_by_default():
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(one_indicator(targets=[{"year": 2020, "min": 5, "max": 3}]))
    assert "lớn hơn" in caught.value.problems[0].format("vi")


@pytest.mark.parametrize(
    "fields, expected",
    [
        (
            {"kind": "cumulative", "targets": [{"year": 2020, "min": 1}]},
            "orgs: kind: a cumulative indicator needs `cumulative_from`",
        ),
        ({"cumulative_from": 2016}, "`cumulative_from` is only for `kind: cumulative`"),
        ({"targets": [{"year": 2020}]}, "no target value"),
        (
            {"targets": [{"year": 2020, "min": 1, "min_times_baseline": 2}]},
            "does not go with `min`/`max`",
        ),
        (
            {"targets": [{"year": 2020, "min": 1, "max": 2, "approx": True}]},
            "`approx` goes with a single `min` or `max`",
        ),
        ({"targets": [{"from": 2020, "min": 1}]}, "needs both `from` and `to`"),
        ({"targets": [{"year": 2020, "from": 2016, "to": 2020, "min": 1}]}, "not `year`"),
        ({"targets": [{"from": 2025, "to": 2020, "min": 1}]}, "must not be after `to`"),
        ({"targets": [{"year": 2200, "min": 1}]}, "must be ≤ 2100"),
        (
            {"kind": "milestone", "targets": [{"year": 2020, "min": 2}]},
            "a milestone takes only targets of the form {year: Y, min: 1}",
        ),
        ({"unit": "%", "targets": [{"year": 2020, "min": 120}]}, "120% is above 100%"),
        ({"baseline": {"year": 2015, "value": -1}}, "orgs: baseline.value: -1 is negative"),
        ({"integer": True, "baseline": {"value": 2.5}}, "2.5 is not a whole number"),
        (
            {"kind": "cumulative", "cumulative_from": 2016, "targets": [{"year": 2015, "min": 1}]},
            "after the indicator's baseline year 2015",
        ),
    ],
)
def test_plan_rules(fields, expected):
    found = problems_of(one_indicator(**fields))
    assert any(expected in p for p in found), found


def test_duplicate_key_is_an_error_naming_both_lines():
    text = one_indicator(unit="cái").replace("  unit: cái\n", "  unit: cái\n  unit: tổ chức\n")
    [problem] = problems_of(text)
    assert "key «unit» given twice" in problem


def test_duplicate_ids():
    found = problems_of(plan_text({"id": "a"}, {"id": "a"}))
    assert any("id «a» is already used" in p for p in found)


@pytest.mark.parametrize(
    "formula, expected",
    [
        ("x / y * 100", None),
        ("orgs + 1", "may not refer to its own indicator"),
        ("x + missing", "«missing», which is not an indicator"),
        ("__import__('os').system('echo hacked')", "may only use + - * /"),
        ("x ** 2", "may only use + - * /"),
        ("x.real", "may only use + - * /"),
        ("x +", "cannot be parsed"),
    ],
)
def test_formulas(formula, expected):
    text = plan_text({"id": "x"}, {"id": "y"}, {"id": "orgs", "formula": formula})
    if expected is None:
        plan, _ = parse_plan(text)
        assert plan.indicator("orgs").parsed_formula.names == ("x", "y")
    else:
        assert any(expected in p for p in problems_of(text))


def test_formula_cycle_is_reported_once_with_its_path():
    text = plan_text(
        {"id": "a", "formula": "b + 1"},
        {"id": "b", "formula": "c * 2"},
        {"id": "c", "formula": "a / 3"},
    )
    cycles = [p for p in problems_of(text) if "cycle" in p]
    assert len(cycles) == 1
    assert "a → b → c → a" in cycles[0]


def test_direction_mismatch_is_a_warning_not_an_error():
    plan, warnings = parse_plan(
        one_indicator(direction="decrease", targets=[{"year": 2020, "min": 3}])
    )
    assert [w.severity for w in warnings] == ["warning"]
    assert plan.indicator("orgs")


def test_missing_plan_fields_and_bad_yaml():
    found = problems_of("plan:\n  id: BAD ID\nindicators: []\n")
    assert any("plan.id" in p for p in found)
    assert any("plan.title" in p and "required" in p for p in found)
    bad = problems_of("plan: [\n")
    assert bad and "invalid YAML" in bad[0]


def test_missing_file_is_input_not_found(tmp_path):
    with pytest.raises(InputNotFound):
        load_plan(tmp_path / "none.yaml")


def test_json_schema_describes_the_plan_for_editors(repo_root):
    schema = plan_json_schema()
    assert schema["additionalProperties"] is False
    target = schema["$defs"]["Target"]
    assert "from" in target["properties"] and target["additionalProperties"] is False
    shipped = json.loads((repo_root / "schema" / "targets.schema.json").read_text("utf-8"))
    assert shipped == schema, "regenerate: python -m kpis schema > schema/targets.schema.json"
