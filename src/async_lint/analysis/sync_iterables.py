"""Whether an expression is known to be a sync iterable, for `async for` over it (ASL102's
other direction: `TypeError: 'async for' requires an object with __aiter__ method, got list`).

Known means shown: a literal (a list, tuple, set, dict or string display, a comprehension, a
generator expression with no `await` or `async for` in it), a call of a builtin that makes one
(`range()`, `enumerate()`, `zip()`, `sorted()`), or a value the type inference types as one: a
project `def` generator (`Generator`), an annotated `list[...]`/`Iterator[...]`, a project class
whose methods (all known) include `__iter__` and not `__aiter__`, every member of a union.
Anything else is unknown, and unknown is silent.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_lint.analysis.syntax import count, descendants
from async_lint.analysis.types import NONE, AsyncIteratorOf, ClassType, ExternalName, Instance, Type, members
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.iterables import SYNC_ITERABLE_TYPES, SYNC_ITERATOR_METHODS

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


@dataclass(frozen=True)
class SyncIterable:
    """What shows that a value is a sync iterable."""

    what: str
    """For the message: `a list`, `a sync generator`, `` a `Feed` ``."""
    type_name: str | None
    """The type Python's error names (`list`, `generator`), None when it depends."""


def sync_iterable(expr: cst.BaseExpression, ctx: ModuleWalker) -> SyncIterable | None:
    """`expr` (written where the traversal is) is known to have `__iter__` and no `__aiter__`."""
    display = _DISPLAYS.get(type(expr))
    if display is not None:
        if isinstance(expr, cst.SimpleString) and expr.prefix.lower().startswith("b"):
            return SyncIterable("a bytes literal", "bytes")
        return SyncIterable(f"a {display}", display)
    if isinstance(expr, cst.GeneratorExp):
        if count(expr, cst.Await) or any(isinstance(n, cst.CompFor) and n.asynchronous is not None for n in descendants(expr)):
            return None  # an async generator expression
        return SyncIterable("a generator expression", "generator")
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        method = expr.func.attr.value
        receiver = _single(ctx.type_of(expr.func.value))
        if isinstance(receiver, Instance) and receiver.external is not None and method in SYNC_ITERATOR_METHODS.get(receiver.external, ()):
            return SyncIterable(f"the sync iterator `.{method}()` returns", None)
    found = _known(ctx.type_of(expr), ctx)
    if found is None and isinstance(expr, cst.Call):
        made = ctx.resolve(expr.func)
        if made is not None and made in SYNC_ITERABLE_TYPES:
            return _described(made)
    return found


def _single(value: Type | None) -> Type | None:
    kinds = [m for m in members(value) if m != NONE]
    return kinds[0] if len(kinds) == 1 else None


def _known(value: Type | None, ctx: ModuleWalker) -> SyncIterable | None:
    """Every type the value may have (`None` aside) is a sync iterable."""
    kinds = [m for m in members(value) if m != NONE]
    found = [_member(kind, ctx) for kind in kinds]
    if not found or any(f is None for f in found):
        return None
    names = {f.type_name for f in found if f is not None}
    first = found[0]
    assert first is not None
    return first if len(found) == 1 else SyncIterable("a sync iterable", names.pop() if len(names) == 1 else None)


def _member(value: Type, ctx: ModuleWalker) -> SyncIterable | None:
    if isinstance(value, AsyncIteratorOf) or not isinstance(value, Instance):
        return None
    if isinstance(value.of, ExternalName):
        made = value.external
        if made is None or made not in SYNC_ITERABLE_TYPES:
            return None
        return _described(made)
    return _project_iterable(value.of, ctx)


def _described(made: str) -> SyncIterable:
    name = SYNC_ITERABLE_TYPES[made]
    short = made.rsplit(".", 1)[-1]
    if name == "generator":
        return SyncIterable("a sync generator", name)
    if made.startswith("builtins.") and short[0].islower() and short not in ("list", "tuple", "set", "frozenset", "dict", "str", "bytes"):
        return SyncIterable(f"the sync iterator `{short}()` returns", name)
    if name is None:
        return SyncIterable("a sync iterator", None)
    return SyncIterable(f"a {name}", name)


def _project_iterable(cls: ClassType, ctx: ModuleWalker) -> SyncIterable | None:
    inference = ctx.inference
    if not inference.fully_known(cls):
        return None
    if inference.lookup_method(cls, "__iter__") is None or inference.lookup_method(cls, "__aiter__") is not None:
        return None
    name = cls.qualname.rsplit(".", 1)[-1]
    return SyncIterable(f"a `{name}` (it defines `__iter__`, not `__aiter__`)", name)
