"""Iteration and `await` against what a call returns: an async iterator consumed by `for`, a
comprehension or an iterating builtin (`list()`, `next()`...), or awaited; a coroutine iterated
with `for` or `async for`. What the call returns comes from `analysis.async_protocols`
(`CallKind`); unknown is silent.

`iteration_misuse(node, ctx)` gives the verdict for a `for` statement, a comprehension's `for`,
an `await` or a builtin call.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import libcst as cst

from async_lint.analysis.async_protocols import is_project_receiver, value_origin
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.async_protocols import ASYNC_ITERATOR_METHODS, ITERATING_BUILTINS, CallKind


class Misuse(enum.Enum):
    ASYNC_ITERATOR_ITERATED = "async iterator iterated"
    """`for` (or a comprehension, or a builtin such as `list()`) over an async iterator."""
    ASYNC_ITERATOR_AWAITED = "async iterator awaited"
    COROUTINE_ITERATED = "coroutine iterated"
    """`for` (or a comprehension, or a builtin) over a coroutine."""
    COROUTINE_ASYNC_ITERATED = "coroutine async-iterated"
    """`async for` over a coroutine."""


Consumer = cst.For | cst.CompFor | cst.Await | cst.Call
"""What consumes the value: a `for` statement, a comprehension's `for`, an `await`, or a call
of an iterating builtin."""


@dataclass(frozen=True)
class IterationMisuse:
    misuse: Misuse
    consumer: Consumer
    value: cst.BaseExpression
    """What is iterated or awaited: the call itself, or a name or `self.<attr>` bound to it."""
    call: cst.Call
    """The call that made the value."""
    builtin: str | None = None
    """For a builtin consumer, its qualified name (`builtins.list`)."""
    sync_twin: str | None = None
    """For an async iterator made by a known method of a library object: the method's sync twin
    (`stream` for `astream`), which sync code can iterate instead."""


def iteration_misuse(node: Consumer, ctx: ModuleWalker) -> IterationMisuse | None:
    """The verdict for a `for`, a comprehension's `for`, an `await` or a builtin call; None when
    the use fits what the value is, or nobody can tell. `async for` and `await` outside a
    coroutine get none (they are a syntax error of their own)."""
    if isinstance(node, cst.Await):
        return _awaited(node, ctx) if ctx.in_async_function else None
    if isinstance(node, cst.Call):
        return _builtin_argument(node, ctx)
    found = value_origin(node.iter, ctx)
    if found is None:
        return None
    call, kind = found
    if node.asynchronous is not None:
        if kind is CallKind.COROUTINE and ctx.in_async_function:
            return IterationMisuse(Misuse.COROUTINE_ASYNC_ITERATED, node, node.iter, call)
        return None
    return _iterated(kind, node, node.iter, call, ctx)


def _awaited(node: cst.Await, ctx: ModuleWalker) -> IterationMisuse | None:
    found = value_origin(node.expression, ctx)
    if found is None or found[1] is not CallKind.ASYNC_ITERATOR:
        return None
    return IterationMisuse(Misuse.ASYNC_ITERATOR_AWAITED, node, node.expression, found[0])


def _builtin_argument(node: cst.Call, ctx: ModuleWalker) -> IterationMisuse | None:
    """`list(x)`, `next(x)`, `sorted(x)`... over what `x` is."""
    if not isinstance(node.func, cst.Name) or not node.args:
        return None
    builtin = ctx.resolve(node.func)
    if builtin not in ITERATING_BUILTINS:
        return None
    first = node.args[0]
    if first.keyword is not None or first.star:
        return None
    found = value_origin(first.value, ctx)
    if found is None:
        return None
    call, kind = found
    return _iterated(kind, node, first.value, call, ctx, builtin)


def _iterated(
    kind: CallKind, consumer: Consumer, value: cst.BaseExpression, call: cst.Call, ctx: ModuleWalker, builtin: str | None = None
) -> IterationMisuse | None:
    """The verdict for a sync iteration of what `call` returns."""
    if kind is CallKind.ASYNC_ITERATOR:
        return IterationMisuse(Misuse.ASYNC_ITERATOR_ITERATED, consumer, value, call, builtin, _sync_twin(call, ctx))
    if kind is CallKind.COROUTINE:
        return IterationMisuse(Misuse.COROUTINE_ITERATED, consumer, value, call, builtin)
    return None


def _sync_twin(call: cst.Call, ctx: ModuleWalker) -> str | None:
    """The sync twin of a known async-iterator method (`astream` -> `stream`), not for project
    objects (whose methods are their own)."""
    if not isinstance(call.func, cst.Attribute) or is_project_receiver(call.func.value, ctx):
        return None
    return ASYNC_ITERATOR_METHODS.get(call.func.attr.value)
