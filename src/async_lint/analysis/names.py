"""Dotted names as written (`a.b.c`) and as messages show them."""

from __future__ import annotations

import builtins

import libcst as cst


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


def shown_name(qualified: str) -> str:
    """A qualified name as messages show it: `open` for `builtins.open`."""
    return qualified.removeprefix(f"{builtins.__name__}.")
