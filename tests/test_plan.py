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


def test_an_unknown_key_does_not_hide_the_other_problems():
    # CONTRACT.md §1: every problem at once. An unknown key under `plan:` once hid every
    # indicator's target checks, and one in an indicator hid that indicator's.
    text = plan_text(
        {"id": "a", "targets": [{"year": 2014, "min": 1}]},
        {"id": "a", "kind": "cumulative", "targets": [{"year": 2013, "min": 1}]},
        {"id": "b", "shade": "blue", "targets": [{"year": 2010, "min": 1, "colour": "red"}]},
        colour="red",
    )
    found = problems_of(text)
    expected = [
        "plan.colour: unknown key «colour»",
        "b: shade: unknown key «shade»",
        "b: targets[1].colour: unknown key «colour»",
        "a: id: id «a» is already used by indicator 1",
        "a: targets[1].year: year 2014 must be after the indicator's baseline year 2015",
        "a: kind: a cumulative indicator needs `cumulative_from`",
        "a: targets[1].year: year 2013 must be after the indicator's baseline year 2015",
        "b: targets[1].year: year 2010 must be after the indicator's baseline year 2015",
    ]
    assert len(found) == len(expected), found
    for said in expected:
        assert any(said in problem for problem in found), (said, found)
    # A misspelt key says only that: «minn» leaves the target without a value, not said again.
    [only] = problems_of(one_indicator(targets=[{"year": 2010, "minn": 3}]))
    assert "unknown key «minn»" in only


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
        ({"targets": [{"from": 2025, "to": 2020, "min": 1}]}, "must be before `to` (2020)"),
        # CONTRACT.md §1: `from` < `to` for a standing target too, worded as for the others
        ({"targets": [{"from": 2019, "to": 2019, "min": 1}]}, "`from` (2019) must be before `to`"),
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


# ---------------------------------------------------------------------------------------------
# Version 2 of the contract: value_range, integer target values, exclusive, growth, period
# average, regions, decimal commas. Each error at its line, in Vietnamese and English.


def error_at(text: str, column: str):
    """The one error of `text` whose place is `column` (the plan field)."""
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(text, "targets.yaml")
    found = [p for p in caught.value.problems if p.is_error and p.column == column]
    assert len(found) == 1, [p.format("en") for p in caught.value.problems]
    return found[0]


def line_of(text: str, fragment: str, after: int = 0) -> int:
    """The 1-based line of the first line containing `fragment`, from line `after` + 1 on."""
    lines = text.splitlines()
    return next(i for i, line in enumerate(lines, start=1) if i > after and fragment in line)


@pytest.mark.parametrize(
    "indicator, column, fragment, en, vi",
    [
        (
            {
                "value_range": [1, None],
                "direction": "decrease",
                "targets": [{"year": 2020, "max": 0}],
            },
            "orgs: targets[1].max",
            "max: 0",
            "0 is below 1, the lowest value of this indicator (`value_range`)",
            "0 nhỏ hơn giá trị thấp nhất 1",
        ),
        (
            {"unit": "%", "targets": [{"year": 2020, "min": 120}]},
            "orgs: targets[1].min",
            "min: 120",
            "120% is above 100%",
            "120% lớn hơn 100%",
        ),
        (
            {"value_range": [-50, 50], "targets": [{"from": 2016, "to": 2020, "mean_min": 60}]},
            "orgs: targets[1].mean_min",
            "mean_min: 60",
            "60 is above 50, the highest value of this indicator",
            "60 lớn hơn giá trị cao nhất 50",
        ),
        (
            {"value_range": [1, None], "baseline": {"value": 0}},
            "orgs: baseline.value",
            "value: 0",
            "0 is below 1",
            "0 nhỏ hơn giá trị thấp nhất 1",
        ),
        (
            {"value_range": [10, 5]},
            "orgs: value_range",
            "value_range",
            "`value_range` [10, 5]: the lowest value is above the highest",
            "giá trị thấp nhất lớn hơn cao nhất",
        ),
        (
            {"integer": True, "targets": [{"from": 2016, "to": 2020, "mean_min": 2.5}]},
            "orgs: targets[1].mean_min",
            "mean_min: 2.5",
            "2.5 is not a whole number",
            "2.5 không phải số nguyên",
        ),
        (
            {"targets": [{"year": 2020, "min": 3, "max": 5, "exclusive": True}]},
            "orgs: targets[1]",
            "- year: 2020",
            "`exclusive` goes with a single `min` or `max`",
            "`exclusive` chỉ đi với một giá trị `min` hoặc `max`",
        ),
        (
            {"targets": [{"year": 2020, "min": 3, "approx": True, "exclusive": True}]},
            "orgs: targets[1]",
            "- year: 2020",
            "`exclusive` («more than», «less than») does not go with `approx`",
            "không đi cùng `approx`",
        ),
        (
            {
                "targets": [
                    {"from": 2016, "to": 2020, "mean_min": 3, "mean_max": 5, "exclusive": True}
                ]
            },
            "orgs: targets[1]",
            "- from: 2016",
            "`exclusive` goes with a single `min` or `max`",
            "không với khoảng",
        ),
        (
            {"kind": "milestone", "targets": [{"year": 2020, "min": 1, "exclusive": True}]},
            "orgs: targets[1]",
            "- year: 2020",
            "a milestone takes only targets of the form {year: Y, min: 1}",
            "mốc hoàn thành chỉ nhận",
        ),
        (
            {"targets": [{"year": 2020, "min_growth": 7}]},
            "orgs: targets[1]",
            "- year: 2020",
            "a growth target uses `from` and `to`, not `year`",
            "mục tiêu tăng trưởng dùng `from` và `to`",
        ),
        (
            {"targets": [{"from": 2020, "min_growth": 7}]},
            "orgs: targets[1]",
            "- from: 2020",
            "a growth target needs both `from` and `to`",
            "cần cả `from` và `to`",
        ),
        (
            {"targets": [{"from": 2020, "to": 2020, "min_growth": 7}]},
            "orgs: targets[1]",
            "- from: 2020",
            "`from` (2020) must be before `to` (2020)",
            "phải trước `to`",
        ),
        (
            {"targets": [{"from": 2020, "to": 2025, "min_growth": 7, "max_growth": 9}]},
            "orgs: targets[1]",
            "- from: 2020",
            "a growth target takes `min_growth` or `max_growth`, not both",
            "không dùng cả hai",
        ),
        (
            {"targets": [{"from": 2020, "to": 2025, "min_growth": 7, "min": 9}]},
            "orgs: targets[1]",
            "- from: 2020",
            "`min`/`max` does not go with `min_growth`/`max_growth`: choose one form",
            "mỗi mục tiêu chọn một dạng",
        ),
        (
            {"targets": [{"from": 2020, "to": 2025, "min_growth": -100}]},
            "orgs: targets[1].min_growth",
            "min_growth: -100",
            "must be > -100",
            "phải > -100",
        ),
        (
            # a rate no plan sets, whose level would be beyond any float (kpis.plan)
            {"targets": [{"from": 2020, "to": 2030, "min_growth": 1e40}]},
            "orgs: targets[1].min_growth",
            "min_growth: 1.0e+40",
            "1e+40% a year is too large: an average growth is at most 1000% a year",
            "1e+40%/năm quá lớn: tăng bình quân tối đa 1000%/năm",
        ),
        (
            {"targets": [{"from": 1995, "to": 2100, "max_growth": 100000}]},
            "orgs: targets[1].max_growth",
            "max_growth: 100000",
            "100000% a year is too large",
            "100000%/năm quá lớn",
        ),
        (
            {"targets": [{"from": 2010, "to": 2015, "min_growth": 7}]},
            "orgs: targets[1].to",
            "to: 2015",
            "year 2015 must be after the indicator's baseline year 2015",
            "năm 2015 phải sau năm gốc 2015",
        ),
        (
            {"targets": [{"from": 2016, "to": 2015, "mean_min": 7}]},
            "orgs: targets[1]",
            "- from: 2016",
            "`from` (2016) must be before `to` (2015)",
            "phải trước `to`",
        ),
        (
            {"targets": [{"from": 2016, "to": 2020, "mean_min": 8, "mean_max": 7}]},
            "orgs: targets[1]",
            "- from: 2016",
            "`mean_min` (8) is above `mean_max` (7): swap them",
            "đổi chỗ hai giá trị",
        ),
    ],
)
def test_version_2_rules_each_at_its_line(indicator, column, fragment, en, vi):
    text = one_indicator(**indicator)
    problem = error_at(text, column)
    assert problem.line == line_of(text, fragment, after=line_of(text, "indicators:"))
    assert en in problem.message("en"), problem.message("en")
    assert vi in problem.message("vi"), problem.message("vi")


def test_version_2_forms_load():
    plan, warnings = parse_plan(
        one_indicator(
            value_range=[None, None],
            targets=[
                {"year": 2020, "min": 80, "exclusive": True},
                {"from": 2010, "to": 2030, "min_growth": 7},
                {"from": 2016, "to": 2020, "mean_min": -8, "mean_max": 10},
                {"from": 2016, "to": 2020, "max": -1, "exclusive": True},
            ],
        )
    )
    exclusive, growth, mean, standing = plan.indicator("orgs").targets
    assert plan.indicator("orgs").bounds == (None, None)
    assert (exclusive.form, exclusive.exclusive) == ("min", True)
    assert (growth.form, growth.end_year, growth.growth_rate, growth.is_standing) == (
        "growth",
        2030,
        7,
        False,
    )
    assert (mean.form, mean.end_year, mean.is_period_average) == ("period_average", 2020, True)
    assert (standing.form, standing.exclusive) == ("standing", True)
    assert warnings == []


def test_default_ranges():
    plan = parse_plan(
        plan_text(
            {"id": "a"},
            {"id": "b", "unit": "%"},
            {"id": "c", "unit": "%", "value_range": [None, 300]},
        )
    )[0]
    assert [plan.indicator(i).bounds for i in "abc"] == [(0, None), (0, 100), (None, 300)]


def test_integer_target_written_with_a_thousands_dot():
    # YAML reads 1.500 as 1.5: the text as written tells what was meant.
    text = one_indicator(integer=True, targets=[{"year": 2020, "min": 3}]).replace(
        "min: 3", "min: 1.500"
    )
    problem = error_at(text, "orgs: targets[1].min")
    assert problem.line == line_of(text, "min: 1.500")
    assert problem.message("en").startswith("1.500 is 1.5; write 1500")
    assert problem.message("vi").startswith("1.500 là 1.5; viết 1500")


def test_decimal_comma_flow_style_reads_like_block_style():
    block = one_indicator(unit="%", targets=[{"year": 2020, "min": 3}]).replace(
        "min: 3", "min: 0,7"
    )
    flow = one_indicator(unit="%").rstrip("\n") + "\n  targets:\n  - {year: 2020, min: 0,7}\n"
    found = [error_at(text, "orgs: targets[1].min") for text in (block, flow)]
    assert [p.line for p in found] == [line_of(block, "min: 0,7"), line_of(flow, "min: 0,7")]
    for problem in found:
        assert problem.message("vi") == (
            "«0,7» viết bằng dấu phẩy thập phân, YAML không đọc được: viết 0.7"
        )
        assert (
            problem.message("en")
            == "«0,7» has a decimal comma, which YAML does not read: write 0.7"
        )
    # Nothing of PyYAML's English, no stray key «7».
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(flow)
    assert len(caught.value.problems) == 1


def test_a_comma_with_a_space_in_a_flow_mapping_stays_two_keys():
    flow = one_indicator().rstrip("\n") + "\n  targets:\n  - {year: 2020, min: 1, max: 2}\n"
    plan, _ = parse_plan(flow)
    assert (plan.indicator("orgs").targets[0].min, plan.indicator("orgs").targets[0].max) == (1, 2)


REGIONS = [
    {"name": "Thái Nguyên", "aliases": ["Thai Nguyen"]},
    {"name": "Bắc Kạn", "aliases": ["Bac Kan"], "until": 2025, "merged_into": "Thái Nguyên"},
]


def test_regions_load_and_the_plan_region_counts_under_its_canonical_name():
    plan, _ = parse_plan(plan_text({"id": "orgs"}, region="tỉnh Thái Nguyên", regions=REGIONS))
    assert plan.plan.region == "Thái Nguyên"
    assert plan.canonical_region("TỈNH BẮC KẠN") == "Bắc Kạn"
    assert plan.canonical_region("Bac Kan") == "Bắc Kạn"
    assert plan.canonical_region("Hà Nội") is None
    assert plan.canonical_region("") == "Thái Nguyên"
    assert plan.region("Bắc Kạn").until == 2025


@pytest.mark.parametrize(
    "regions, region, column, fragment, en, vi",
    [
        (
            REGIONS,
            "Thai Nguyen Province",
            "plan.region",
            "region: Thai",
            "is not among `regions`; did you mean: Thái Nguyên?",
            "không có trong `regions`",
        ),
        (
            [*REGIONS, {"name": "Bắc Cạn", "aliases": ["bắc kạn"]}],
            "Thái Nguyên",
            "plan.regions[3]",
            "- name: Bắc Cạn",
            "«bắc kạn» already names the region «Bắc Kạn»",
            "đã là tên của địa bàn «Bắc Kạn»",
        ),
        (
            [{"name": "Thái Nguyên", "alias": ["x"]}],
            "Thái Nguyên",
            "plan.regions[1].alias",
            "alias:",
            "did you mean «aliases»",
            "có phải «aliases»",
        ),
        (
            [{"name": "Bắc Kạn", "until": 2200}],
            "Bắc Kạn",
            "plan.regions[1].until",
            "until: 2200",
            "must be ≤ 2100",
            "phải ≤ 2100",
        ),
    ],
)
def test_region_rules(regions, region, column, fragment, en, vi):
    text = plan_text({"id": "orgs"}, region=region, regions=regions)
    problem = error_at(text, column)
    assert problem.line == line_of(text, fragment)
    assert en in problem.message("en") and vi in problem.message("vi")
