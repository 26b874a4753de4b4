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
