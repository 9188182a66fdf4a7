"""Where the code being walked runs as a coroutine, so that `await`, `async for` and `async with`
are allowed there."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.walker import Frame, FrameKind, ModuleWalker


def in_async_body(ctx: ModuleWalker) -> bool:
    """Whether a statement here runs directly in an `async def` body, where `async for` and
    `async with` are allowed."""
    return ctx.frame.kind is FrameKind.FUNCTION and ctx.frame.is_async


def sync_scope(ctx: ModuleWalker) -> Frame | None:
    """The plain `def`, lambda, class body or module that makes an `await` here a syntax
    error; None where it is allowed (an `async def`, or a generator expression, which an
    `await` turns into an async generator expression)."""
    scope = ctx.frame
    while scope.kind is FrameKind.COMPREHENSION:
        if isinstance(scope.node, cst.GeneratorExp):
            return None
        assert scope.parent is not None
        scope = scope.parent
    if scope.kind is FrameKind.FUNCTION and scope.is_async:
        return None
    return scope
