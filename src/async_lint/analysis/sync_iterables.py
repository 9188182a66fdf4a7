"""Whether an expression is known to be a sync iterable, for `async for` over it (ASL102's other
direction: `TypeError: 'async for' requires an object with __aiter__ method, got list`).

Known means shown: a literal (a list, tuple, set, dict or string display, a comprehension, a
generator expression with no `await` or `async for` in it), a call of a builtin that makes one
(`range()`, `enumerate()`, `zip()`, `sorted()`), a method of a known type that returns one
(`path.iterdir()`), or a value the type inference types as one: a project `def` generator, an
annotated `list[...]`/`Iterator[...]`, a project class whose methods (all known) include
`__iter__` and not `__aiter__`, every member of a union. Anything else is unknown, and unknown
is silent. The verdict says what shows it; the rule words the message.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import libcst as cst

from async_lint.analysis.syntax import count, descendants
from async_lint.analysis.types import NONE, ClassType, ExternalName, Instance, Type, members
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.iterables import (
    SYNC_GENERATOR_TYPES,
    SYNC_ITERABLE_TYPES,
    SYNC_ITERATOR_FUNCTIONS,
    SYNC_ITERATOR_METHODS,
)

_DISPLAYS: dict[type[cst.CSTNode], str] = {
    cst.List: "list",
    cst.ListComp: "list",
    cst.Tuple: "tuple",
    cst.Set: "set",
    cst.SetComp: "set",
    cst.Dict: "dict",
    cst.DictComp: "dict",
    cst.SimpleString: "str",
    cst.ConcatenatedString: "str",
    cst.FormattedString: "str",
}


class IterableSource(enum.Enum):
    DISPLAY = "display"
    """A list, tuple, set, dict or string literal, or a comprehension (`name`: its type)."""
    GENERATOR_EXPRESSION = "generator expression"
    GENERATOR = "generator"
    """A plain generator (a project `def` with `yield`)."""
    BUILTIN = "builtin"
    """What a builtin returns (`name`: the builtin, `enumerate`)."""
    METHOD = "method"
    """What a method of a known type returns (`name`: the method, `iterdir`)."""
    TYPED = "typed"
    """A value of a known sync iterable type (`name`: the type, `list`, `Iterator`)."""
    PROJECT_CLASS = "project class"
    """An instance of a project class with `__iter__` and no `__aiter__` (`name`: the class)."""
    EVERY_BINDING = "every binding"
    """A name whose every possible value is a sync iterable, of more than one type."""


@dataclass(frozen=True)
class SyncIterable:
    source: IterableSource
    name: str
    type_name: str | None
    """The type Python's error names (`list`, `generator`), None when it depends."""


def sync_iterable(expr: cst.BaseExpression, ctx: ModuleWalker) -> SyncIterable | None:
    """`expr` (written where the traversal is) is known to have `__iter__` and no `__aiter__`."""
    display = _DISPLAYS.get(type(expr))
    if display is not None:
        if isinstance(expr, cst.SimpleString) and isinstance(expr.evaluated_value, bytes):
            display = "bytes"
        return SyncIterable(IterableSource.DISPLAY, display, display)
    if isinstance(expr, cst.GeneratorExp):
        if count(expr, cst.Await) or any(isinstance(n, cst.CompFor) and n.asynchronous is not None for n in descendants(expr)):
            return None  # an async generator expression
        return SyncIterable(IterableSource.GENERATOR_EXPRESSION, "generator", "generator")
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        method = expr.func.attr.value
        kinds = [m for m in members(ctx.type_of(expr.func.value)) if m != NONE]
        receiver = kinds[0] if len(kinds) == 1 else None
        if isinstance(receiver, Instance) and receiver.external is not None and method in SYNC_ITERATOR_METHODS.get(receiver.external, ()):
            return SyncIterable(IterableSource.METHOD, method, None)
    found = _known(ctx.type_of(expr), ctx)
    if found is None and isinstance(expr, cst.Call):
        made = ctx.resolve(expr.func)
        if made is not None and (made in SYNC_ITERATOR_FUNCTIONS or made in SYNC_ITERABLE_TYPES):
            return _external(made)
    return found


def _known(value: Type | None, ctx: ModuleWalker) -> SyncIterable | None:
    """Every type the value may have (`None` aside) is a sync iterable."""
    found = [_member(kind, ctx) for kind in members(value) if kind != NONE]
    if not found or any(f is None for f in found):
        return None
    type_names = {f.type_name for f in found if f is not None}
    first = found[0]
    assert first is not None
    if len(found) == 1:
        return first
    return SyncIterable(IterableSource.EVERY_BINDING, "", type_names.pop() if len(type_names) == 1 else None)


def _member(value: Type, ctx: ModuleWalker) -> SyncIterable | None:
    if not isinstance(value, Instance):
        return None
    if isinstance(value.of, ExternalName):
        made = value.external
        known = made is not None and (made in SYNC_ITERABLE_TYPES or made in SYNC_ITERATOR_FUNCTIONS or made in SYNC_GENERATOR_TYPES)
        return _external(made) if made is not None and known else None
    return _project_iterable(value.of, ctx)


def _external(made: str) -> SyncIterable:
    short = made.rsplit(".", 1)[-1]
    if made in SYNC_GENERATOR_TYPES:
        return SyncIterable(IterableSource.GENERATOR, short, "generator")
    if made in SYNC_ITERATOR_FUNCTIONS:
        return SyncIterable(IterableSource.BUILTIN, short, SYNC_ITERATOR_FUNCTIONS[made])
    return SyncIterable(IterableSource.TYPED, short, SYNC_ITERABLE_TYPES[made])


def _project_iterable(cls: ClassType, ctx: ModuleWalker) -> SyncIterable | None:
    inference = ctx.inference
    if not inference.fully_known(cls):
        return None
    if inference.lookup_method(cls, "__iter__") is None or inference.lookup_method(cls, "__aiter__") is not None:
        return None
    name = cls.qualname.rsplit(".", 1)[-1]
    return SyncIterable(IterableSource.PROJECT_CLASS, name, name)
