"""Evaluate the arithmetic of a numeric item's derivation ('12 * 200 - 100') without eval()."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_CALLS: dict[str, Callable[..., float]] = {"min": min, "max": max, "round": round, "abs": abs}


class ArithmeticError_(ValueError):
    pass


def evaluate(expression: str) -> float:
    """Numbers, + - * / // %, parentheses, min/max/round/abs; anything else is refused."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as e:
        raise ArithmeticError_(f"derivation {expression!r} is not arithmetic ({e.msg})") from None
    return _eval(tree.body, expression)


def _eval(node: ast.AST, expression: str) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        try:
            return _BINARY[type(node.op)](_eval(node.left, expression), _eval(node.right, expression))
        except ZeroDivisionError:
            raise ArithmeticError_(f"derivation {expression!r} divides by zero") from None
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_eval(node.operand, expression))
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CALLS
            and not node.keywords):
        return _CALLS[node.func.id](*(_eval(a, expression) for a in node.args))
    raise ArithmeticError_(
        f"derivation {expression!r}: only numbers, + - * / ( ) and min, max, round, abs are allowed"
    )
