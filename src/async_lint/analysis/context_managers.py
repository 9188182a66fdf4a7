"""`with` and `async with` against what the object supports: only `async with` (an
`@asynccontextmanager` factory, a class with only `__aenter__`, `httpx.AsyncClient()`...) or only
`with` (`open()`, a class with only `__enter__`, `threading.Lock()`...), as the type inference
shows it. Objects supporting both, and unknown ones, are silent.

`with_misuse(node, ctx)` gives the verdict for a `with` statement.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_lint.analysis.inference import TypeInference
from async_lint.analysis.types import NONE, ClassType, Instance, Type, members
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.async_protocols import (
    ASYNC_CONTEXT_MANAGERS,
    CONTEXT_MANAGER_TYPES,
    SYNC_CONTEXT_MANAGERS,
    ContextKind,
)


@dataclass(frozen=True)
class MisusedItem:
    expression: cst.BaseExpression
    """The context manager of one item of the statement."""
    counterpart: str | None = None
    """For a sync-only one from the knowledge base, its async counterpart (`asyncio.Lock()`)."""


@dataclass(frozen=True)
class WithMisuse:
    kind: ContextKind
    """What the misused items support: only `async with` (used in `with`), or only `with`
    (used in `async with`)."""
    items: tuple[MisusedItem, ...]
    uniform: bool
    """Every item of the statement is of that kind, so the statement can switch as a whole."""


def with_misuse(node: cst.With, ctx: ModuleWalker) -> WithMisuse | None:
    """The items of a `with` that support only `async with`, or of an `async with` that support
    only `with`; None when there are none, and for an `async with` outside a coroutine (a
    syntax error of its own)."""
    kinds = [_context_kind(item.item, ctx) for item in node.items]
    misused = ContextKind.SYNC if node.asynchronous is not None else ContextKind.ASYNC
    if misused not in kinds:
        return None
    if node.asynchronous is not None and not ctx.in_async_function:
        return None
    items = tuple(
        MisusedItem(item.item, _sync_counterpart(item.item, ctx) if misused is ContextKind.SYNC else None)
        for item, kind in zip(node.items, kinds, strict=True)
        if kind is misused
    )
    return WithMisuse(misused, items, uniform=all(kind is misused for kind in kinds))


def _context_kind(expr: cst.BaseExpression, ctx: ModuleWalker) -> ContextKind | None:
    """Whether the object `expr` stands for supports only `async with` or only `with`: every
    type the inference allows for it agrees."""
    kinds = {_type_context_kind(member, ctx.inference) for member in members(ctx.type_of(expr)) if member != NONE}
    if len(kinds) != 1:
        return None
    return kinds.pop()


def _type_context_kind(value: Type, inference: TypeInference) -> ContextKind | None:
    if not isinstance(value, Instance):
        return None
    if isinstance(value.of, ClassType):
        return _class_context_kind(value.of, inference)
    name = value.external
    if name is None:
        return None
    if name in CONTEXT_MANAGER_TYPES:
        return CONTEXT_MANAGER_TYPES[name]
    if name in ASYNC_CONTEXT_MANAGERS:
        return ContextKind.ASYNC
    if name in SYNC_CONTEXT_MANAGERS:
        return ContextKind.SYNC
    return None


def _class_context_kind(cls: ClassType, inference: TypeInference) -> ContextKind | None:
    if not inference.fully_known(cls):
        return None
    aenter = inference.lookup_method(cls, "__aenter__")
    enter = inference.lookup_method(cls, "__enter__")
    if aenter is not None and enter is None:
        return ContextKind.ASYNC
    if enter is not None and aenter is None:
        return ContextKind.SYNC
    return None


def _sync_counterpart(expr: cst.BaseExpression, ctx: ModuleWalker) -> str | None:
    """For a sync-only context manager from the knowledge base, its async counterpart."""
    if isinstance(expr, cst.Call):
        counterpart = SYNC_CONTEXT_MANAGERS.get(ctx.resolve(expr.func) or "")
        if counterpart:
            return counterpart
    for member in members(ctx.type_of(expr)):
        name = member.external if isinstance(member, Instance) else None
        if name is not None and SYNC_CONTEXT_MANAGERS.get(name):
            return SYNC_CONTEXT_MANAGERS[name]
    return None
