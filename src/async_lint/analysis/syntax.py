"""Small questions about LibCST trees that several analyses ask: which nodes are under a node,
which names an expression reads, which names a target binds, whether a comment is inside."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import libcst as cst

from async_lint.analysis import traversal

NESTED_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
"""Nodes whose names are their own (a comprehension's targets, a lambda's parameters)."""



@functools.cache
def _with_comments() -> frozenset[type]:
    """The trivia a walk that looks for comments may skip (worked out on first use: it reads
    LibCST's field order)."""
    return traversal.skipped_types({cst.Comment})


def descendants(node: cst.CSTNode, stop: tuple[type[cst.CSTNode], ...] = ()) -> Iterator[cst.CSTNode]:
    """`node` and every node under it (syntax trivia aside), in source order; the nodes under a
    descendant of one of the `stop` types are not visited (the descendant itself is)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is not node and isinstance(current, stop):
            continue
        stack.extend(reversed(list(traversal.child_nodes(current))))


def loaded_names(node: cst.CSTNode) -> set[str]:
    """Every identifier `node` may read: its names, but not attribute names nor keyword
    argument names (more than it reads when it binds names of its own, which is the safe side
    for a question about dependencies)."""
    found: set[str] = set()
    skipped: set[int] = set()
    for current in descendants(node):
        if isinstance(current, cst.Attribute):
            skipped.add(id(current.attr))
        elif isinstance(current, cst.Arg) and current.keyword is not None:
            skipped.add(id(current.keyword))
        elif isinstance(current, cst.Name) and id(current) not in skipped:
            found.add(current.value)
    return found


def target_names(target: cst.BaseExpression) -> set[str] | None:
    """The names an assignment or loop target binds; None when it also writes something else
    (an attribute, a subscript)."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        names: set[str] = set()
        for element in target.elements:
            inner = target_names(element.value)
            if inner is None:
                return None
            names |= inner
        return names
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return None


def root_name(expr: cst.BaseExpression) -> str | None:
    """`a` for `a.b[c].d`; None when the chain does not start at a name."""
    while isinstance(expr, (cst.Attribute, cst.Subscript)):
        expr = expr.value
    return expr.value if isinstance(expr, cst.Name) else None


def has_comment(node: cst.CSTNode) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Comment):
            return True
        stack.extend(traversal.child_nodes(current, _with_comments()))
    return False


def count(node: cst.CSTNode, kind: type[cst.CSTNode], stop: tuple[type[cst.CSTNode], ...] = ()) -> int:
    """How many nodes of `kind` are under `node` (itself included), not looking into `stop` nodes."""
    return sum(1 for current in descendants(node, stop) if isinstance(current, kind))


def indentation(ancestors: list[cst.CSTNode], module: cst.Module) -> str:
    """The indentation of a statement whose enclosing nodes are `ancestors` (outermost first)."""
    return "".join(
        (node.indent if node.indent is not None else module.default_indent)
        for node in ancestors
        if isinstance(node, cst.IndentedBlock)
    )


def bound_names(node: cst.CSTNode) -> set[str]:
    """Every identifier used anywhere under `node` (a new name a fix introduces must avoid them)."""
    return {current.value for current in descendants(node) if isinstance(current, cst.Name)}
