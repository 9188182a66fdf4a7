"""What the blocking-call rules (one per family: sleep, HTTP, files, processes, the rest)
share: the catalog verdict for a call in an `async def`, the message, and the best fix the
position allows. Which calls block, and what replaces each, is data (`knowledge/blocking_calls.py`)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from async_lint.analysis.async_library import in_module_library
from async_lint.analysis.blocking_calls import BlockingCallSite, blocking_call_in_coroutine, catalog
from async_lint.analysis.names import shown_name
from async_lint.analysis.thread_bound import thread_bound
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.config import RuleOptions
from async_lint.diagnostics import Applicability
from async_lint.knowledge.blocking_calls import BlockingFamily
from async_lint.rules.base import Rule
from async_lint.rules.fix_builders import awaited_twin_fix, to_thread_fix

_SHOWN_RECEIVER_LIMIT = 40
"""Longer receiver expressions are named by their type in messages."""

HANDED_OFF = (
    "A call handed to a thread rather than made here: `await asyncio.to_thread(f, x)`, "
    "`loop.run_in_executor(pool, f, x)`, a lambda or a nested sync `def` passed to either."
)
SYNC_CODE = (
    "Any of these calls in a plain `def` (including a sync FastAPI route, which FastAPI runs in a "
    "threadpool, and a sync `def` nested inside an `async def`) or at module level."
)
ALLOWED = "Qualified names (or prefixes such as `os.path`) listed in `allow-blocking`."


class BlockingCallRule(Rule):
    """Flags a catalog call of this rule's family whose innermost enclosing function is an
    `async def`, with the best fix the position allows."""

    family: ClassVar[BlockingFamily]
    fix_safety = (
        "Unsafe: `await asyncio.to_thread(f, *args, **kwargs)` when the call is a statement of "
        "its own or the value of an assignment or `return` and its result is plain data (a "
        "response, bytes, a list): the call then runs in a worker thread, so thread-local state "
        "and the order relative to other tasks can change. In a trio or anyio module the fix is "
        "`await trio.to_thread.run_sync(f, *args)` (`anyio.to_thread.run_sync`; keywords bound "
        "with `functools.partial`). Where the result is a sync object whose later use blocks "
        "again (a file, a connection, a process, a generator), or the call sits inside a larger "
        "expression or a generator expression, the fix is a suggestion naming the async replacement."
    )

    def __init__(self, options: RuleOptions) -> None:
        super().__init__(options)
        self.catalog = catalog(options)

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        site = blocking_call_in_coroutine(node, ctx, self.catalog)
        if site is None or site.entry.family is not self.family:
            return
        function = ctx.function
        assert function is not None
        ctx.report(
            self.code,
            node,
            f"{_shown_call(node, site, ctx)} inside `async def {function.name}` blocks the event loop; {_advice(site, ctx)}",
            _fix(node, site, ctx),
        )


def _shown_call(node: cst.Call, site: BlockingCallSite, ctx: ModuleWalker) -> str:
    name = shown_name(site.entry.qualified_name)
    if site.receiver_type is None:
        return f"`{name}()`"
    written = ctx.module.code_for_node(node.func)
    if len(written) > _SHOWN_RECEIVER_LIMIT or "\n" in written:
        return f"`{name}()`"
    return f"`{written}()` (`{name}`)"


def _advice(site: BlockingCallSite, ctx: ModuleWalker) -> str:
    """What to do instead, in the module's library; for an object bound to its thread (a sqlite3
    connection), the advice that runs: the whole job in one worker thread, or the async driver."""
    bound = thread_bound(site)
    return in_module_library(bound.advice if bound is not None else site.entry.replacement, ctx)


def _fix(node: cst.Call, site: BlockingCallSite, ctx: ModuleWalker) -> NodeFix:
    """The async twin (safe), else the call handed to a thread (unsafe; not for an object bound
    to its thread, where that raises), else a suggestion."""
    entry = site.entry
    fix: NodeFix | None = None
    if entry.async_twin is not None:
        fix = awaited_twin_fix(node, entry.async_twin, ctx)
    elif thread_bound(site) is None:
        fix = to_thread_fix(node, ctx, entry.handoff)
    advice = _advice(site, ctx)
    return fix or NodeFix(advice[:1].upper() + advice[1:], Applicability.SUGGESTION)
