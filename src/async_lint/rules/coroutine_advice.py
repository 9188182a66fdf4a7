"""What ASL100 and ASL101 say about a coroutine that is never awaited, and the fix: `await` in
async code, `asyncio.run(...)` at the entry point (`trio.run(f, ...)`, `anyio.run(f, ...)` in
trio and anyio modules), else the sync twin."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.async_library import library_call
from async_lint.analysis.coroutine_calls import CoroutineCall, SyncTwin, TwinKind, at_entry_point, under_main_guard
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import FrameKind, ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.async_libraries import RUN
from async_lint.knowledge.coroutines import (
    COROUTINE_METHODS_ANY_RECEIVER,
    LANGCHAIN_COROUTINE_METHODS,
    LANGCHAIN_COROUTINE_METHODS_WITH_IMPORT,
)
from async_lint.rules.fix_builders import entry_point_run

TRIGGERS = (
    "async",
    "Async",
    *COROUTINE_METHODS_ANY_RECEIVER,
    *sorted(LANGCHAIN_COROUTINE_METHODS),
    *sorted(LANGCHAIN_COROUTINE_METHODS_WITH_IMPORT),
)
"""A file without any of these creates no coroutine (but for the project's own, which
`triggers_on_project_imports` covers)."""


def callee_text(func: cst.BaseExpression, ctx: ModuleWalker) -> str:
    text = ctx.module.code_for_node(func)
    return text if len(text) <= 60 and "\n" not in text else "..." + text[-40:].split("\n")[-1]


def call_text(call: cst.Call, ctx: ModuleWalker) -> str:
    """`fetch_data()`, `fetch_data(...)` when it has arguments."""
    shown = callee_text(call.func, ctx)
    return f"{shown}(...)" if call.args else f"{shown}()"


def fix_and_advice(call: cst.Call, coroutine: CoroutineCall, ctx: ModuleWalker) -> tuple[str, NodeFix | None]:
    """The end of the message and the fix for `call`, by where it is."""
    target = call_text(call, ctx)
    if ctx.in_async_function:
        if not ctx.can_await:
            return "`await` it", None
        replacement = cst.Await(expression=call)
        return "`await` it", NodeFix(f"Add `await`: `await {target}`", Applicability.SAFE, ((call, replacement),))
    where = _where(ctx)
    if coroutine.future:
        return (
            f"{where}, no event loop is running to schedule it on: move this into an `async def` and `await` it",
            None,
        )
    if at_entry_point(ctx) or ctx.function is None:
        shown, run_call, imports = entry_point_run(call, ctx)
        if run_call is None:
            return f"{where}, no event loop runs it: run it with `{shown}`", None
        return (
            f"{where}, no event loop runs it: run it with `{shown}`",
            NodeFix(f"Run it: `{shown}`", Applicability.SUGGESTION, ((call, run_call),), imports),
        )
    twin = coroutine.twin
    if twin is not None:
        advice = f"{where}, call {_twin_text(twin)} instead, or make the function `async def` and `await` it"
        if twin.method is not None and isinstance(call.func, cst.Attribute):
            renamed = call.func.with_changes(attr=cst.Name(twin.method))
            fix = NodeFix(
                f"Call the sync `{ctx.module.code_for_node(renamed)}()`",
                Applicability.SUGGESTION,
                ((call.func, renamed),),
            )
            return advice, fix
        return advice, None
    return (
        f"{where}, it cannot be awaited: make the function `async def` and `await` this call "
        f"(and `await` the function where it is called), or run it with `{library_call(RUN, ctx).qualified}(...)` "
        "at the program's entry point",
        None,
    )


def _twin_text(twin: SyncTwin) -> str:
    if twin.kind is TwinKind.METHOD:
        return f"the sync `.{twin.name}()`"
    if twin.kind is TwinKind.CLIENT_METHOD:
        return f"the same method of a sync `{twin.name}` client"
    if twin.kind is TwinKind.GIVEN_FUNCTION:
        return "the function directly"
    return f"the sync `{twin.name}`"


def _where(ctx: ModuleWalker) -> str:
    function = ctx.function
    if function is None:
        if under_main_guard(ctx):
            return 'under `if __name__ == "__main__":`'
        return "at module level"
    if function.kind is FrameKind.LAMBDA:
        return "in a `lambda`"
    return f"in sync `def {function.name}`"
