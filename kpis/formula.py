"""Derived indicators: parse `+ - * /` formulas over indicator ids and evaluate them safely.

Formulas come from a plan file that anyone may edit, so they are parsed with `ast` and only
arithmetic nodes are allowed; nothing is ever passed to `eval`.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

_BINARY: dict[type[ast.operator], Callable] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_UNARY: dict[type[ast.unaryop], Callable] = {ast.UAdd: operator.pos, ast.USub: operator.neg}


class FormulaError(ValueError):
    """A formula that is not plain arithmetic over indicator ids."""

    def __init__(self, message_vi: str, message_en: str):
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(message_en)


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    names: tuple[str, ...]  # indicator ids used, in order of first appearance

    def evaluate(self, values: Mapping[str, np.ndarray]) -> np.ndarray:
        """Evaluate over aligned arrays; NaN where an input is missing or a division is by 0."""
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.asarray(_evaluate(self.tree, values), dtype=float)
        return np.where(np.isfinite(result), result, np.nan)


def parse_formula(text: str) -> Formula:
    """Parse `text`, raising FormulaError for anything but numbers, ids, + - * / and ()."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(
            f"công thức không đọc được ({exc.msg}); chỉ dùng + - * /, ngoặc, số và mã chỉ tiêu",
            f"formula cannot be parsed ({exc.msg}); use only + - * /, parentheses, numbers "
            "and indicator ids",
        ) from None
    names: list[str] = []
    _check(tree, names)
    return Formula(text=text, tree=tree, names=tuple(dict.fromkeys(names)))


def _check(node: ast.AST, names: list[str]) -> None:
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        _check(node.left, names)
        _check(node.right, names)
    elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        _check(node.operand, names)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    elif isinstance(node, ast.Name):
        names.append(node.id)
    else:
        snippet = ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__
        raise FormulaError(
            f"công thức chỉ được dùng + - * /, ngoặc, số và mã chỉ tiêu; không dùng được "
            f"«{snippet}»",
            f"a formula may only use + - * /, parentheses, numbers and indicator ids, "
            f"not «{snippet}»",
        )


def _evaluate(node: ast.expr, values: Mapping[str, np.ndarray]):
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate(node.operand, values))
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return values[node.id]
    raise AssertionError("parse_formula admits no other node")  # pragma: no cover
