"""A read-only traversal of a LibCST tree: LibCST's visiting order, without rebuilding nodes and
without visiting syntax trivia.

`CSTNode.visit` is built for transformers: leaving a node re-runs its constructor (dataclass
`__post_init__` and `_validate`) through `_visit_and_replace_children`, and the visitor is
called for every whitespace, comma, parenthesis and operator token. For a visitor that only
reads, that costs several times the parse itself. `walk` reads each node's child fields
directly, in the order its `_visit_and_replace_children` visits them, and skips the subtrees of
trivia types no callback asked for.

Trivia subtrees hold only trivia (whitespace, comments, newlines), so skipping one whole never
hides a node a callback handles, unless a callback handles a trivia type itself; then only
trivia leaves are skipped (see `skipped_types`).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import textwrap
from collections.abc import Callable, Collection, Iterable, Iterator

import libcst as cst

_TRIVIA_BASES: tuple[type[cst.CSTNode], ...] = (
    cst.BaseParenthesizableWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Newline,
    cst.Comment,
    cst.Comma,
    cst.Dot,
    cst.Colon,
    cst.Semicolon,
    cst.AssignEqual,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.ImportStar,
    cst.Asynchronous,
    cst.BaseBinaryOp,
    cst.BaseBooleanOp,
    cst.BaseCompOp,
    cst.BaseUnaryOp,
    cst.BaseAugOp,
)


def _with_subclasses(bases: Iterable[type]) -> frozenset[type]:
    found: set[type] = set()
    pending = list(bases)
    while pending:
        node_type = pending.pop()
        if node_type not in found:
            found.add(node_type)
            pending.extend(node_type.__subclasses__())
    return frozenset(found)


TRIVIA_TYPES: frozenset[type[cst.CSTNode]] = _with_subclasses(_TRIVIA_BASES)
"""Whitespace, comment, punctuation and operator-token node types (every LibCST subclass of
`_TRIVIA_BASES`, so operators a later LibCST adds are included)."""

_VISIT_HELPERS = frozenset(
    {
        "visit_required",
        "visit_optional",
        "visit_sentinel",
        "visit_sequence",
        "visit_iterable",
        "visit_body_sequence",
        "visit_body_iterable",
    }
)
"""The functions of `libcst._nodes.internal` through which `_visit_and_replace_children` visits
a field: `(self, "field", value, visitor)`."""


_KNOWN_FIELDS: dict[str, tuple[str, ...] | None] = {}
"""Child-field orders worked out by an earlier process (`install_child_fields`), by type."""


def _type_key(node_type: type) -> str:
    return f"{node_type.__module__}.{node_type.__qualname__}"


def all_child_fields() -> dict[str, list[str] | None]:
    """The child-field order of every LibCST node type, as a table a later process can install
    instead of reading LibCST's sources again (about 0.1 s)."""
    table: dict[str, list[str] | None] = {}
    for node_type in _with_subclasses((cst.CSTNode,)):
        fields = child_fields(node_type)
        table[_type_key(node_type)] = list(fields) if fields is not None else None
    return table


def install_child_fields(table: object) -> bool:
    """Take the orders of `all_child_fields`'s table (of this LibCST version); False, and
    nothing taken, when it is not one."""
    if not isinstance(table, dict):
        return False
    known: dict[str, tuple[str, ...] | None] = {}
    for key, fields in table.items():
        if not isinstance(key, str):
            return False
        if fields is None:
            known[key] = None
        elif isinstance(fields, list) and all(isinstance(name, str) for name in fields):
            known[key] = tuple(fields)
        else:
            return False
    _KNOWN_FIELDS.update(known)
    return True


@functools.cache
def child_fields(node_type: type[cst.CSTNode]) -> tuple[str, ...] | None:
    """The fields holding a node type's children, in the order LibCST visits them; None when
    that order cannot be read from the source of its `_visit_and_replace_children`.

    The order is the order of that method's calls to LibCST's `visit_*` helpers, which is not
    always the dataclass field order (`FunctionDef` visits `decorators` before `asynchronous`).
    It is read from the installed LibCST at run time rather than from a generated table, so a
    LibCST release that adds a node type or a field is followed without a regeneration step;
    a method that does anything else with the visitor yields None (the caller falls back to
    `node.children`, slow but exact)."""
    key = _type_key(node_type)
    if key in _KNOWN_FIELDS:
        return _KNOWN_FIELDS[key]
    try:
        source = textwrap.dedent(inspect.getsource(node_type._visit_and_replace_children))
        function = ast.parse(source).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    if not isinstance(function, ast.FunctionDef) or len(function.args.args) != 2:
        return None
    visitor_name = function.args.args[1].arg
    visitor_uses = [node for node in ast.walk(function) if isinstance(node, ast.Name) and node.id == visitor_name]
    calls = [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _VISIT_HELPERS
    ]
    field_names = {field.name for field in dataclasses.fields(node_type)} if dataclasses.is_dataclass(node_type) else set()
    fields: list[str] = []
    for call in sorted(calls, key=lambda call: (call.lineno, call.col_offset)):
        if (
            len(call.args) != 4
            or call.keywords
            or not isinstance(call.args[1], ast.Constant)
            or call.args[1].value not in field_names
            or not (isinstance(call.args[3], ast.Name) and call.args[3].id == visitor_name)
        ):
            return None
        if call.args[1].value not in fields:
            fields.append(call.args[1].value)
    if len(visitor_uses) != len(calls):  # the visitor also goes somewhere else
        return None
    return tuple(fields)


def child_nodes(node: cst.CSTNode, skipped: Collection[type] = TRIVIA_TYPES) -> Iterator[cst.CSTNode]:
    """The node's children in LibCST's visiting order (the order of `node.children`), except
    those whose type is in `skipped`."""
    fields = child_fields(type(node))
    if fields is None:
        yield from (child for child in node.children if type(child) not in skipped)
        return
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            if type(value) not in skipped:
                yield value
        elif value is not None and value is not cst.MaybeSentinel.DEFAULT:
            yield from (child for child in value if type(child) not in skipped)


def skipped_types(handled: Collection[type]) -> frozenset[type]:
    """The trivia types a traversal may skip, subtree and all, when callbacks handle `handled`.

    Trivia subtrees hold only trivia, so when no trivia type is handled every trivia subtree
    can go; when one is, only trivia leaves (types without children) that are not handled."""
    handled = frozenset(handled)
    if handled.isdisjoint(TRIVIA_TYPES):
        return TRIVIA_TYPES
    return frozenset(node_type for node_type in TRIVIA_TYPES - handled if child_fields(node_type) == ())


def walk(
    root: cst.CSTNode,
    on_visit: Callable[[cst.CSTNode], bool],
    on_leave: Callable[[cst.CSTNode], None],
    skipped: Collection[type],
) -> None:
    """Call `on_visit` and `on_leave` for `root` and its descendants exactly as `root.visit`
    calls a `CSTVisitor`'s (same nodes, same order; children not visited when `on_visit`
    returns False), except for the nodes whose type is in `skipped` and their subtrees.

    Plain recursion, one Python frame per tree level (LibCST's `visit` takes three or more);
    measured faster than an explicit stack."""
    fields_of = child_fields
    node_base = cst.CSTNode
    no_value = cst.MaybeSentinel.DEFAULT

    def visit(node: cst.CSTNode) -> None:
        if on_visit(node):
            fields = fields_of(type(node))
            if fields is None:
                for child in node.children:
                    if type(child) not in skipped:
                        visit(child)
            else:
                for name in fields:
                    value = getattr(node, name)
                    kind = type(value)
                    # The cheap identity checks first: `isinstance` on the abstract CSTNode is slow.
                    if kind is tuple or kind is list:
                        for child in value:
                            if type(child) not in skipped:
                                visit(child)
                    elif value is None or value is no_value or kind in skipped:
                        pass
                    elif isinstance(value, node_base):
                        visit(value)
                    else:  # another kind of sequence
                        for child in value:
                            if type(child) not in skipped:
                                visit(child)
        on_leave(node)

    try:
        visit(root)
    finally:
        visit = None  # type: ignore[assignment]  # the closure refers to itself: break the cycle


_HOOKS = ("on_visit", "on_leave", "on_visit_attribute", "on_leave_attribute")


@functools.cache
def _callback_names(
    visitor_type: type[cst.CSTVisitor],
) -> tuple[dict[type[cst.CSTNode], str], dict[type[cst.CSTNode], str]] | None:
    """The `visit_<Node>` and `leave_<Node>` methods a visitor class defines, by node type; None
    when it also relies on something `walk` does not call (its own `on_visit`/`on_leave`,
    attribute callbacks such as `visit_Call_func`)."""
    if any(getattr(visitor_type, hook) is not getattr(cst.CSTVisitor, hook) for hook in _HOOKS):
        return None
    visits: dict[type[cst.CSTNode], str] = {}
    leaves: dict[type[cst.CSTNode], str] = {}
    for attribute in dir(visitor_type):
        prefix, _, type_name = attribute.partition("_")
        if prefix not in ("visit", "leave") or getattr(visitor_type, attribute) is getattr(cst.CSTVisitor, attribute, None):
            continue
        node_type = getattr(cst, type_name, None)
        if not (isinstance(node_type, type) and issubclass(node_type, cst.CSTNode)):
            return None
        (visits if prefix == "visit" else leaves)[node_type] = attribute
    return visits, leaves


def visit(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """`node.visit(visitor)` for a read-only visitor, through `walk`: its `visit_<Node>` and
    `leave_<Node>` methods see the same nodes in the same order, and `visit_<Node>` returning
    False still skips the children. Falls back to LibCST's own `visit` for visitors `walk`
    cannot serve exactly (see `_callback_names`)."""
    names = _callback_names(type(visitor))
    if names is None:
        node.visit(visitor)
        return
    visits = {node_type: getattr(visitor, name) for node_type, name in names[0].items()}
    leaves = {node_type: getattr(visitor, name) for node_type, name in names[1].items()}

    def on_visit(node: cst.CSTNode) -> bool:
        callback = visits.get(type(node))
        return callback is None or callback(node) is not False

    def on_leave(node: cst.CSTNode) -> None:
        callback = leaves.get(type(node))
        if callback is not None:
            callback(node)

    walk(node, on_visit, on_leave, skipped_types(visits.keys() | leaves.keys()))
