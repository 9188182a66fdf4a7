"""LibCST expressions in the type inference's form (`analysis.expressions`).

Rules walk LibCST; the inference reads the module model, built from `ast`. This is the bridge:
the expression a rule asks about becomes the same small tree the model holds. A name bound by
an enclosing lambda or comprehension (not a scope of the model) becomes opaque, so it is never
taken for the function's name of the same spelling.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from async_lint.analysis.expressions import (
    MAX_CONSTANT,
    OPAQUE,
    Attribute,
    Await,
    BinaryOp,
    Call,
    Constant,
    Either,
    Expr,
    Keyword,
    Name,
    Sequence,
    Subscript,
)

_CONSTANT_NAMES: dict[str, Constant] = {"None": Constant(None), "True": Constant(True), "False": Constant(False)}


def from_cst(expr: cst.BaseExpression, shadowed: Callable[[str], bool] = lambda name: False) -> Expr:
    """`expr` in the inference's form; `shadowed(name)` says whether a name is bound by an
    enclosing lambda or comprehension."""
    if isinstance(expr, cst.Name):
        constant = _CONSTANT_NAMES.get(expr.value)
        if constant is not None:
            return constant
        return OPAQUE if shadowed(expr.value) else Name(expr.value)
    if isinstance(expr, cst.Attribute):
        return Attribute(from_cst(expr.value, shadowed), expr.attr.value)
    if isinstance(expr, cst.Call):
        return _call(expr, shadowed)
    if isinstance(expr, cst.Await):
        return Await(from_cst(expr.expression, shadowed))
    if isinstance(expr, cst.Subscript):
        items = tuple(
            from_cst(element.slice.value, shadowed) if isinstance(element.slice, cst.Index) else OPAQUE for element in expr.slice
        )
        return Subscript(from_cst(expr.value, shadowed), items)
    if isinstance(expr, cst.BinaryOperation):
        operator = expr.operator
        symbol = "|" if isinstance(operator, cst.BitOr) else "/" if isinstance(operator, cst.Divide) else None
        if symbol is None:
            return OPAQUE
        return BinaryOp(symbol, from_cst(expr.left, shadowed), from_cst(expr.right, shadowed))
    if isinstance(expr, cst.BooleanOperation):
        return Either((from_cst(expr.left, shadowed), from_cst(expr.right, shadowed)))
    if isinstance(expr, cst.IfExp):
        return Either((from_cst(expr.body, shadowed), from_cst(expr.orelse, shadowed)))
    if isinstance(expr, cst.SimpleString):
        text = expr.evaluated_value
        return Constant(text) if isinstance(text, str) and len(text) <= MAX_CONSTANT else OPAQUE
    if isinstance(expr, (cst.Integer, cst.Float)):
        return Constant(expr.evaluated_value)
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        return Sequence(tuple(OPAQUE if isinstance(e, cst.StarredElement) else from_cst(e.value, shadowed) for e in expr.elements))
    if isinstance(expr, cst.NamedExpr):
        return from_cst(expr.value, shadowed)
    return OPAQUE


def _call(node: cst.Call, shadowed: Callable[[str], bool]) -> Call:
    args: list[Expr] = []
    keywords: list[Keyword] = []
    starred = False
    for arg in node.args:
        if arg.keyword is not None:
            keywords.append(Keyword(arg.keyword.value, from_cst(arg.value, shadowed)))
        elif arg.star == "**":
            keywords.append(Keyword(None, from_cst(arg.value, shadowed)))
        elif arg.star == "*":
            starred = True
        else:
            args.append(OPAQUE if starred else from_cst(arg.value, shadowed))
    return Call(from_cst(node.func, shadowed), tuple(args), tuple(keywords), starred)
