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
    kind = type(expr)
    if kind is cst.Name:
        value = expr.value  # type: ignore[attr-defined]
        constant = _CONSTANT_NAMES.get(value)
        if constant is not None:
            return constant
        return OPAQUE if shadowed(value) else Name(value)
    if kind is cst.Attribute:
        return Attribute(from_cst(expr.value, shadowed), expr.attr.value)  # type: ignore[attr-defined]
    if kind is cst.Call:
        return _call(expr, shadowed)  # type: ignore[arg-type]
    if kind is cst.Await:
        return Await(from_cst(expr.expression, shadowed))  # type: ignore[attr-defined]
    if kind is cst.Subscript:
        items: list[Expr] = []
        for element in expr.slice:  # type: ignore[attr-defined]
            index = element.slice
            items.append(from_cst(index.value, shadowed) if isinstance(index, cst.Index) else OPAQUE)
        return Subscript(from_cst(expr.value, shadowed), tuple(items))  # type: ignore[attr-defined]
    if kind is cst.BinaryOperation:
        operator = expr.operator  # type: ignore[attr-defined]
        symbol = "|" if isinstance(operator, cst.BitOr) else "/" if isinstance(operator, cst.Divide) else None
        if symbol is None:
            return OPAQUE
        return BinaryOp(symbol, from_cst(expr.left, shadowed), from_cst(expr.right, shadowed))  # type: ignore[attr-defined]
    if kind is cst.BooleanOperation:
        return Either((from_cst(expr.left, shadowed), from_cst(expr.right, shadowed)))  # type: ignore[attr-defined]
    if kind is cst.IfExp:
        return Either((from_cst(expr.body, shadowed), from_cst(expr.orelse, shadowed)))  # type: ignore[attr-defined]
    if kind is cst.SimpleString:
        text = expr.evaluated_value  # type: ignore[attr-defined]
        return Constant(text) if isinstance(text, str) and len(text) <= MAX_CONSTANT else OPAQUE
    if kind is cst.Integer or kind is cst.Float:
        return Constant(expr.evaluated_value)  # type: ignore[attr-defined]
    if kind in (cst.List, cst.Tuple, cst.Set):
        elements = expr.elements  # type: ignore[attr-defined]
        return Sequence(tuple(OPAQUE if isinstance(e, cst.StarredElement) else from_cst(e.value, shadowed) for e in elements))
    if kind is cst.NamedExpr:
        return from_cst(expr.value, shadowed)  # type: ignore[attr-defined]
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
