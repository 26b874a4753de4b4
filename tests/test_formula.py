"""Formula limits (issue 10, finding 5): length, nesting and numbers bounded, each refused as a
plan problem on the formula's line instead of RecursionError or OverflowError on every page."""

from __future__ import annotations

import numpy as np
import pytest

from kpis.errors import PlanInvalid
from kpis.formula import FormulaError, parse_formula
from kpis.plan import parse_plan
from tests.helpers import plan_text


def formula_problem(formula: str) -> str:
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(plan_text({"id": "a"}, {"id": "b", "formula": formula}))
    (problem,) = caught.value.problems
    assert problem.column == "b: formula"
    return problem.message_en


def test_a_formula_of_2000_terms_is_refused_by_its_length():
    assert "7,997 characters long, more than 2,000" in formula_problem(" + ".join(["a"] * 2000))


def test_a_formula_nested_beyond_the_limit_is_refused():
    assert "nested 201 levels deep, more than 100" in formula_problem(" + ".join(["a"] * 200))


def test_a_400_digit_constant_is_refused():
    assert "a number too large" in formula_problem("a * 1" + "0" * 400)


@pytest.mark.parametrize("formula", ["a * 1e999", "a + 9" * 1 + "9" * 5000])
def test_numbers_beyond_floats_are_refused(formula):
    with pytest.raises(FormulaError):
        parse_formula(formula)


def test_a_sum_of_fifty_inputs_still_evaluates():
    names = [f"x{i}" for i in range(50)]
    formula = parse_formula(" + ".join(names))
    result = formula.evaluate({name: np.array([1.0, 2.0]) for name in names})
    assert result.tolist() == [50.0, 100.0]


@pytest.mark.parametrize("formula", ["a # `[x](http://e.x)`", "a + 'b'", "a\tb"])
def test_anything_but_ids_numbers_and_operators_is_refused(formula):
    with pytest.raises(FormulaError):
        parse_formula(formula)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("st_investment / total_budget_spending * 100", "A ÷ B × 100"),
        ("(a + b) / c", "(A + B) ÷ C"),
        ("a - (b + c)", "A − (B + C)"),
        ("a - b + c", "A − B + C"),
        ("a / (b * c)", "A ÷ (B × C)"),
        ("a * (b / c)", "A × B ÷ C"),
        ("-(a + b) * 0.5", "−(A + B) × 0,5"),
    ],
)
def test_formula_in_words_keeps_the_order_of_operations(text, words):
    names = {"st_investment": "A", "total_budget_spending": "B", "a": "A", "b": "B", "c": "C"}
    shown = parse_formula(text).words(names.__getitem__, lambda v: f"{v:g}".replace(".", ","))
    assert shown == words


def test_formula_in_words_reads_the_shipped_plan_in_both_languages(repo_root):
    from kpis.plan import load_plan
    from kpis.ui_text import formula_words

    plan, _ = load_plan(repo_root / "targets.yaml")
    share = plan.indicator("st_investment_share")
    assert formula_words(plan, share, "vi") == (
        f"{plan.indicator('st_investment').name} ÷ "
        f"{plan.indicator('total_budget_spending').name} × 100"
    )
    english = formula_words(plan, share, "en")
    assert plan.indicator("st_investment").name_en in english and "_" not in english
