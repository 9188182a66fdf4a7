"""ASL103 async-context-manager-misuse: `with` on an async context manager, `async with` on a
sync one."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.async_scopes import in_async_body
from async_lint.analysis.context_managers import MisusedItem, WithMisuse, with_misuse
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.async_protocols import ASYNC_CONTEXT_MANAGERS, ContextKind
from async_lint.rules.base import Invalid, Rule


def _factory_names() -> tuple[str, ...]:
    """The last part of every known async factory: a file using one spells it somewhere."""
    return tuple(sorted({name.rsplit(".", 1)[-1] for name in ASYNC_CONTEXT_MANAGERS}))


class AsyncContextManagerMisuse(Rule):
    """Flags `with` on a context manager that supports only `async with` (`httpx.AsyncClient()`,
    `aiohttp.ClientSession()`, `asyncio.TaskGroup()`, `asyncio.timeout()`, `asyncio.Lock()`,
    `AsyncSqliteSaver.from_conn_string()`, `AsyncAnthropic().messages.stream()`, an
    `@asynccontextmanager` function or a class with only `__aenter__` in this module), and
    `async with` on one that supports only `with` (`open()`, `httpx.Client()`,
    `threading.Lock()`, `SqliteSaver.from_conn_string()`, an `@contextmanager` function or a
    class with only `__enter__` in this module). Names and `self.<attr>` bound to such a call,
    and parameters annotated with such a class (`lock: asyncio.Lock`), count too."""

    code = "ASL103"
    name = "async-context-manager-misuse"
    summary = "`with` on an async context manager, or `async with` on a sync one"
    why = (
        "`with` calls `__enter__`, which an async context manager does not have: "
        "`with AsyncSqliteSaver.from_conn_string(...)` raises `TypeError: "
        "'_AsyncGeneratorContextManager' object does not support the context manager protocol`, "
        "`with async_client.messages.stream(...)` raises `TypeError: 'AsyncMessageStreamManager' "
        "object does not support the context manager protocol`. The reverse, `async with open(...)`, "
        "raises `TypeError: '_io.TextIOWrapper' object does not support the asynchronous context "
        "manager protocol`. Either way the body never runs."
    )
    proof = "tests/runtime/test_asl103.py"
    fix_safety = (
        "Safe inside an `async def`: `with` becomes `async with` when every item of the statement is "
        "an async context manager. Unsafe: `async with` becomes `with` for a sync-only one: it runs "
        "then, but in async code you probably wanted its async counterpart (`asyncio.Lock()` for "
        "`threading.Lock()`, `AsyncSqliteSaver` for `SqliteSaver`), which the message names. "
        "No fix when the statement mixes kinds, or outside an `async def`."
    )
    not_flagged = (
        "`with httpx.Client()` and `async with httpx.AsyncClient()`: each used the way it supports.",
        "Objects that support both protocols, and objects nobody can show to be of one kind "
        "(a parameter, a call of an unknown function, a class with bases from other modules).",
        "`async with` in a plain `def`: ASL105 reports that.",
    )
    valid = (
        """
        import httpx

        async def fetch(url):
            async with httpx.AsyncClient() as client:
                return (await client.get(url)).text
        """,
        """
        import httpx

        def fetch(url):
            with httpx.Client() as client:
                return client.get(url).text
        """,
        """
        import asyncio

        async def crawl(urls, fetch):
            async with asyncio.TaskGroup() as tg:
                for url in urls:
                    tg.create_task(fetch(url))
        """,
    )
    invalid = (
        Invalid(
            """
            from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

            async def run(builder, state):
                with AsyncSqliteSaver.from_conn_string("state.db") as saver:
                    graph = builder.compile(checkpointer=saver)
                    return await graph.ainvoke(state)
            """,
            fixed="""
            from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

            async def run(builder, state):
                async with AsyncSqliteSaver.from_conn_string("state.db") as saver:
                    graph = builder.compile(checkpointer=saver)
                    return await graph.ainvoke(state)
            """,
        ),
        Invalid(
            """
            import asyncio

            lock = asyncio.Lock()

            async def update(cache, key, value):
                with lock:
                    cache[key] = value
            """,
            fixed="""
            import asyncio

            lock = asyncio.Lock()

            async def update(cache, key, value):
                async with lock:
                    cache[key] = value
            """,
        ),
        Invalid(
            """
            import threading

            lock = threading.Lock()

            async def update(cache, key, value):
                async with lock:
                    cache[key] = value
            """,
            fixed="""
            import threading

            lock = threading.Lock()

            async def update(cache, key, value):
                with lock:
                    cache[key] = value
            """,
        ),
    )
    triggers = ("async", "Async", *_factory_names())

    def visit_With(self, node: cst.With, ctx: ModuleWalker) -> None:
        found = with_misuse(node, ctx)
        if found is None:
            return
        fix = _switch_fix(node, found, ctx)
        for item in found.items:
            ctx.report(self.code, item.expression, _message(item, found.kind, ctx), fix)


def _message(item: MisusedItem, kind: ContextKind, ctx: ModuleWalker) -> str:
    shown = ctx.module.code_for_node(item.expression)
    if kind is ContextKind.ASYNC:
        where = "" if ctx.in_async_function else " (inside an `async def`)"
        return f"`{shown}` is an async context manager: use `async with`{where}, not `with`"
    instead = f"; its async counterpart is `{item.counterpart}`" if item.counterpart else ""
    return f"`{shown}` is a sync context manager: `async with` needs `__aenter__`, use `with`{instead}"


def _switch_fix(node: cst.With, found: WithMisuse, ctx: ModuleWalker) -> NodeFix | None:
    """`async with` for `with` (safe), `with` for `async with` (unsafe: the async counterpart
    was probably meant); only when every item agrees, in an `async def` body."""
    if not found.uniform or not in_async_body(ctx):
        return None
    if found.kind is ContextKind.ASYNC:
        return NodeFix("Use `async with`", Applicability.SAFE, insertions=((node, "async "),))
    keyword = node.asynchronous
    if keyword is None:
        return None
    return NodeFix("Use `with`", Applicability.UNSAFE, ((keyword, ""), (keyword.whitespace_after, "")))
