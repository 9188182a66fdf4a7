"""Expressions as the type inference reads them: a small tree that both syntax trees map to.

The module model is built from CPython's `ast` (fast, and cached as JSON per module); the rules
walk LibCST (which keeps every character, for fixes). Both give their expressions to the one
type inference in this form, so there is a single evaluator whichever tree an expression came
from. Only what can decide a type is kept: names, attributes, calls with their arguments,
subscripts, `await`, the `|` and `/` operators, `a or b` / `a if c else b`, short string
constants (graph node names, tool names) and literal lists. Everything else is `OPAQUE`.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union

MAX_CONSTANT = 120
"""Longer strings (prompts, docs) are opaque: no rule needs their text, and they would bloat
the cached models."""


@dataclass(frozen=True, slots=True)
class Name:
    id: str


@dataclass(frozen=True, slots=True)
class Attribute:
    value: Expr
    attr: str


@dataclass(frozen=True, slots=True)
class Keyword:
    name: str | None
    """None for `**kwargs`."""
    value: Expr


@dataclass(frozen=True, slots=True)
class Call:
    func: Expr
    args: tuple[Expr, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    starred: bool = False
    """A `*args` among the positional arguments: positions after it are unknown."""
    line: int = 0
    """Where the call is (0 when the tree gives no position cheaply: LibCST's)."""

    def argument(self, position: int | None, keyword: str) -> Expr | None:
        """The argument passed as `keyword=`, else at `position` (when no `*args` comes first)."""
        for item in self.keywords:
            if item.name == keyword:
                return item.value
        if position is not None and position < len(self.args) and not self.starred:
            return self.args[position]
        return None


@dataclass(frozen=True, slots=True)
class Subscript:
    value: Expr
    index: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Await:
    value: Expr


@dataclass(frozen=True, slots=True)
class BinaryOp:
    op: str
    """`|` or `/` (the others are opaque)."""
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Either:
    """`a or b`, `a and b`, `a if c else b`: one of the options."""

    options: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Constant:
    value: str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Sequence:
    """A list, tuple or set display."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Opaque:
    """An expression no rule can learn a type from (a lambda, arithmetic, a comprehension)."""


OPAQUE = Opaque()

Expr = Union[Name, Attribute, Call, Subscript, Await, BinaryOp, Either, Constant, Sequence, Opaque]


def dotted(expr: Expr) -> str | None:
    """`a.b.c` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(expr, Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def shown_expression(expr: Expr) -> str | None:
    """A callee as messages show it: `Agent().run`, `self.client.get`, `asyncio.run`."""
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Attribute):
        base = shown_expression(expr.value)
        return f"{base}.{expr.attr}" if base is not None else None
    if isinstance(expr, Call):
        base = shown_expression(expr.func)
        return f"{base}()" if base is not None else None
    return None


def callee(expr: Expr) -> Expr:
    """What a decorator calls: `app.get` for `@app.get("/")`, the expression itself otherwise."""
    return expr.func if isinstance(expr, Call) else expr


def walk(expr: Expr) -> Iterator[Expr]:
    """The expression and every expression inside it."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Attribute):
            stack.append(node.value)
        elif isinstance(node, Call):
            stack.append(node.func)
            stack.extend(node.args)
            stack.extend(k.value for k in node.keywords)
        elif isinstance(node, Subscript):
            stack.append(node.value)
            stack.extend(node.index)
        elif isinstance(node, Await):
            stack.append(node.value)
        elif isinstance(node, BinaryOp):
            stack.append(node.left)
            stack.append(node.right)
        elif isinstance(node, (Either, Sequence)):
            stack.extend(node.options if isinstance(node, Either) else node.items)


def names_in(expr: Expr) -> Iterator[str]:
    """The identifiers an expression uses to look things up (names and attribute names)."""
    for node in walk(expr):
        if isinstance(node, Name):
            yield node.id
        elif isinstance(node, Attribute):
            yield node.attr


# --- from CPython's ast ---


def from_ast(node: ast.expr | None) -> Expr:
    if node is None:
        return OPAQUE
    if isinstance(node, ast.Name):
        return Name(node.id)
    if isinstance(node, ast.Attribute):
        return Attribute(from_ast(node.value), node.attr)
    if isinstance(node, ast.Call):
        return _call_from_ast(node)
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, str) and len(value) > MAX_CONSTANT:
            return OPAQUE
        if value is None or isinstance(value, (str, int, float, bool)):
            return Constant(value)
        return OPAQUE
    if isinstance(node, ast.Await):
        return Await(from_ast(node.value))
    if isinstance(node, ast.Subscript):
        index = node.slice
        items = index.elts if isinstance(index, ast.Tuple) else [index]
        return Subscript(from_ast(node.value), tuple(from_ast(item) for item in items))
    if isinstance(node, ast.BinOp):
        symbol = "|" if isinstance(node.op, ast.BitOr) else "/" if isinstance(node.op, ast.Div) else None
        if symbol is None:
            return OPAQUE
        return BinaryOp(symbol, from_ast(node.left), from_ast(node.right))
    if isinstance(node, ast.BoolOp):
        return Either(tuple(from_ast(value) for value in node.values))
    if isinstance(node, ast.IfExp):
        return Either((from_ast(node.body), from_ast(node.orelse)))
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return Sequence(tuple(from_ast(item) for item in node.elts))
    if isinstance(node, ast.NamedExpr):
        return from_ast(node.value)
    return OPAQUE


def _call_from_ast(node: ast.Call) -> Call:
    args: list[Expr] = []
    starred = False
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            starred = True
            continue
        args.append(OPAQUE if starred else from_ast(arg))
    keywords = tuple(Keyword(item.arg, from_ast(item.value)) for item in node.keywords)
    return Call(from_ast(node.func), tuple(args), keywords, starred, node.lineno)


def annotation_from_ast(node: ast.expr | None) -> Expr | None:
    """An annotation, string annotations parsed (`"httpx.Client"`, `"Optional[Agent]"`)."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _string_annotation(node.value)
    if isinstance(node, ast.Subscript):
        index = node.slice
        items = index.elts if isinstance(index, ast.Tuple) else [index]
        return Subscript(from_ast(node.value), tuple(annotation_from_ast(item) or OPAQUE for item in items))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return BinaryOp("|", annotation_from_ast(node.left) or OPAQUE, annotation_from_ast(node.right) or OPAQUE)
    return from_ast(node)


@functools.lru_cache(maxsize=4096)
def _string_annotation(text: str) -> Expr | None:
    try:
        parsed = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return OPAQUE
    return annotation_from_ast(parsed.body)


# --- JSON (the cache format): nested lists, the first item a tag ---

Data = Union[list[object], str, None]


def to_data(expr: Expr) -> Data:
    if isinstance(expr, Name):
        return expr.id  # the commonest case, as a bare string
    if isinstance(expr, Attribute):
        return ["a", to_data(expr.value), expr.attr]
    if isinstance(expr, Call):
        keywords = [[k.name, to_data(k.value)] for k in expr.keywords]
        return ["c", to_data(expr.func), [to_data(a) for a in expr.args], keywords, expr.starred, expr.line]
    if isinstance(expr, Constant):
        return ["k", expr.value]
    if isinstance(expr, Subscript):
        return ["s", to_data(expr.value), [to_data(i) for i in expr.index]]
    if isinstance(expr, Await):
        return ["w", to_data(expr.value)]
    if isinstance(expr, BinaryOp):
        return ["b", expr.op, to_data(expr.left), to_data(expr.right)]
    if isinstance(expr, Either):
        return ["e", [to_data(o) for o in expr.options]]
    if isinstance(expr, Sequence):
        return ["l", [to_data(i) for i in expr.items]]
    return None


def from_data(data: object) -> Expr:
    if isinstance(data, str):
        return Name(data)
    if not isinstance(data, list) or not data:
        return OPAQUE
    tag = data[0]
    if tag == "a":
        return Attribute(from_data(data[1]), str(data[2]))
    if tag == "c":
        keywords = tuple(Keyword(k[0], from_data(k[1])) for k in data[3])
        return Call(from_data(data[1]), tuple(from_data(a) for a in data[2]), keywords, bool(data[4]), int(data[5]))
    if tag == "k":
        return Constant(data[1])
    if tag == "s":
        return Subscript(from_data(data[1]), tuple(from_data(i) for i in data[2]))
    if tag == "w":
        return Await(from_data(data[1]))
    if tag == "b":
        return BinaryOp(str(data[1]), from_data(data[2]), from_data(data[3]))
    if tag == "e":
        return Either(tuple(from_data(o) for o in data[1]))
    if tag == "l":
        return Sequence(tuple(from_data(i) for i in data[1]))
    return OPAQUE


def optional_to_data(expr: Expr | None) -> Data:
    """Absent is None; an opaque expression, which `to_data` writes as None, is `["?"]`."""
    if expr is None:
        return None
    data = to_data(expr)
    return ["?"] if data is None else data


def optional_from_data(data: object) -> Expr | None:
    if data is None:
        return None
    if isinstance(data, list) and data and data[0] == "?":
        return OPAQUE
    return from_data(data)
