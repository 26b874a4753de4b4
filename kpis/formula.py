"""Derived indicators: parse `+ - * /` formulas over indicator ids and evaluate them safely.

Formulas come from a plan file that anyone may edit, so they are parsed with `ast` and only
arithmetic nodes are allowed; nothing is ever passed to `eval`. Their length and nesting are
held to kpis.limits before anything recurses over them, and every number in them must be a
finite float (a 400-digit constant would overflow on every page).
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from kpis.i18n import format_number
from kpis.limits import active as active_limits

_BINARY: dict[type[ast.operator], Callable] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_UNARY: dict[type[ast.unaryop], Callable] = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_STRAY = re.compile(r"[^A-Za-z0-9_ .+\-*/()]")


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
        """Evaluate over aligned arrays; NaN where an input is missing or a division is by 0
        (or the result passes the float range: not defined, never a numpy warning)."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            result = np.asarray(_evaluate(self.tree, values), dtype=float)
        return np.where(np.isfinite(result), result, np.nan)

    def words(self, name_of: Callable[[str], str], number: Callable[[float], str]) -> str:
        """The formula for people: each id replaced by `name_of(id)`, each constant by
        `number(value)`, operators as × ÷ − (parentheses only where the order needs them):
        "Tổng đầu tư cho KH&CN ÷ Tổng chi ngân sách × 100"."""
        return _words(self.tree, name_of, number)


def parse_formula(text: str) -> Formula:
    """Parse `text`, raising FormulaError for anything but numbers, ids, + - * / and (), and
    for a formula longer or deeper than the limits."""
    limits = active_limits()
    if len(text) > limits.formula_chars:
        raise FormulaError(
            f"công thức dài {format_number(len(text))} ký tự, quá giới hạn "
            f"{format_number(limits.formula_chars)}",
            f"the formula is {len(text):,} characters long, more than {limits.formula_chars:,}",
        )
    stray = _STRAY.search(text)
    if stray:  # a comment (#), a string, a backtick: nothing a formula needs, shown as code
        raise FormulaError(
            f"công thức chỉ được dùng + - * /, ngoặc, số và mã chỉ tiêu; không dùng được "
            f"«{stray.group(0)}»",
            f"a formula may only use + - * /, parentheses, numbers and indicator ids, "
            f"not «{stray.group(0)}»",
        )
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        # ValueError: an integer of more than 4,300 digits; the others: nesting the parser
        # itself cannot hold.
        exc = exc if isinstance(exc, SyntaxError) else SyntaxError(type(exc).__name__)
        raise FormulaError(
            f"công thức không đọc được ({exc.msg}); chỉ dùng + - * /, ngoặc, số và mã chỉ tiêu",
            f"formula cannot be parsed ({exc.msg}); use only + - * /, parentheses, numbers "
            "and indicator ids",
        ) from None
    depth = _depth(tree)
    if depth > limits.formula_depth:
        raise FormulaError(
            f"công thức lồng nhau {depth} cấp, quá giới hạn {limits.formula_depth}: tách thành "
            "các chỉ tiêu trung gian",
            f"the formula is nested {depth} levels deep, more than {limits.formula_depth}: "
            "split it into intermediate indicators",
        )
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
        try:
            finite = math.isfinite(float(node.value))
        except OverflowError:
            finite = False
        if not finite:
            raise FormulaError(
                "công thức có một số quá lớn: dùng số nhỏ hơn 10^308",
                "the formula holds a number too large: use numbers below 10^308",
            )
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


def _depth(tree: ast.AST) -> int:
    """How deep the tree is, walked with a stack: a formula of thousands of terms must not
    exhaust Python's recursion before it is refused."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


_SIGNS: dict[type, tuple[str, int]] = {  # operator: (sign, precedence)
    ast.Add: ("+", 1),
    ast.Sub: ("−", 1),
    ast.Mult: ("×", 2),
    ast.Div: ("÷", 2),
}


def _words(node: ast.expr, name_of: Callable[[str], str], number: Callable[[float], str]) -> str:
    if isinstance(node, ast.BinOp):
        sign, rank = _SIGNS[type(node.op)]
        left = _words(node.left, name_of, number)
        right = _words(node.right, name_of, number)
        if isinstance(node.left, ast.BinOp) and _SIGNS[type(node.left.op)][1] < rank:
            left = f"({left})"
        # a − (b + c), a ÷ (b × c): the right side keeps its brackets at equal rank too
        if isinstance(node.right, ast.BinOp) and (
            _SIGNS[type(node.right.op)][1] < rank
            or (_SIGNS[type(node.right.op)][1] == rank and type(node.op) in (ast.Sub, ast.Div))
        ):
            right = f"({right})"
        return f"{left} {sign} {right}"
    if isinstance(node, ast.UnaryOp):
        inner = _words(node.operand, name_of, number)
        if isinstance(node.operand, ast.BinOp):
            inner = f"({inner})"
        return f"−{inner}" if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Constant):
        return number(float(node.value))
    if isinstance(node, ast.Name):
        return name_of(node.id)
    raise AssertionError("parse_formula admits no other node")  # pragma: no cover


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
