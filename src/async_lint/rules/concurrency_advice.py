"""What ASL500 and ASL501 say about independent reads: what shows each is a read, and the advice
in a module that runs on anyio or trio (their task groups; the fixes spell asyncio's API)."""

from __future__ import annotations

from async_lint.analysis.concurrency import IoRead, ReadSource, foreign_task_group
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.concurrency import TASK_GROUPS
from async_lint.rules.coroutine_advice import callee_text

BOUND = "for many items, bound how many run at once with an `asyncio.Semaphore` around each call"


def read_proof(read: IoRead, ctx: ModuleWalker) -> str:
    """Why the call counts as a read: `httpx.AsyncClient.get`, a chat model's `ainvoke`,
    awaits only `client.get`."""
    if read.source is ReadSource.CLIENT:
        return f"`{read.owner}.{read.member}`"
    if read.source is ReadSource.LANGCHAIN:
        return f"a {read.owner}'s `{read.member}`"
    shown = list(dict.fromkeys(callee_text(leaf.func, ctx) for leaf in read.reads))
    return "awaits only " + ", ".join(f"`{text}`" for text in shown[:3])


def shown_read(read: IoRead, ctx: ModuleWalker) -> str:
    """The awaited callee as written: `client.get`, `self.llm.ainvoke`."""
    return callee_text(read.call.func, ctx)


def foreign_library_advice(ctx: ModuleWalker, what: str) -> str | None:
    """`start <what> in an anyio task group (...)` in a module on anyio or trio, else None."""
    group = foreign_task_group(ctx)
    return f"start {what} in {TASK_GROUPS[group]}" if group is not None else None
