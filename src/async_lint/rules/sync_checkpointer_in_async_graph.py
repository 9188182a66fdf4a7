"""ASL402 sync-checkpointer-in-async-graph: an async call on a graph compiled with a sync-only
checkpointer or store, or on the saver itself."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.framework_calls import SyncOnlySaverAsyncCall, framework_call
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.langchain import SYNC_ONLY_SAVER_ERRORS
from async_lint.rules.base import Invalid, Rule, dedent_example
from async_lint.rules.twin_calls import shown_call


class SyncCheckpointerInAsyncGraph(Rule):
    """Flags an async call (`ainvoke`, `astream`, `astream_events`, `aget_state`,
    `aupdate_state`...) on a graph compiled with a sync-only checkpointer or store
    (`SqliteSaver`, `PostgresSaver`, `ShallowPostgresSaver`, `SqliteStore`, also when bound by
    `with SqliteSaver.from_conn_string(...) as saver`), and the `a*` methods of such a saver."""

    code = "ASL402"
    proof = "tests/runtime/test_asl402.py"
    name = "sync-checkpointer-in-async-graph"
    summary = "graph with `SqliteSaver`/`PostgresSaver` driven by `ainvoke`/`astream`/`aget_state`"
    why = (
        "`SqliteSaver` has no async implementation: the first `await graph.ainvoke(...)` raises "
        f"`{SYNC_ONLY_SAVER_ERRORS['SqliteSaver']}` (langgraph #495, #597). `PostgresSaver` inherits the base "
        "class's async methods and raises a bare `NotImplementedError` with an empty message "
        "(langgraph #4193). `SqliteStore` does the same for the store."
    )
    use_instead = dedent_example(
        """
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
        from langgraph.graph import StateGraph

        builder = StateGraph(dict)

        async def chat(state, config):
            async with AsyncSqliteSaver.from_conn_string("checkpoints.db") as memory:
                graph = builder.compile(checkpointer=memory)
                return await graph.ainvoke(state, config)
        """
    )
    fix_safety = "Suggestion only: the saver is created elsewhere, and the async one needs `aiosqlite` / `psycopg` async setup."
    not_flagged = (
        "`InMemorySaver`/`MemorySaver` and `MongoDBSaver`, which serve both halves.",
        "Sync calls (`invoke`, `get_state`) on a graph with a sync saver.",
        "Graphs whose checkpointer cannot be traced to a constructor in this module.",
    )
    valid = (
        """
        from langgraph.checkpoint.memory import InMemorySaver

        async def run(builder, state, config):
            graph = builder.compile(checkpointer=InMemorySaver())
            return await graph.ainvoke(state, config)
        """,
    )
    invalid = (
        Invalid(
            """
            import sqlite3

            from langgraph.checkpoint.sqlite import SqliteSaver
            from langgraph.graph import StateGraph

            builder = StateGraph(dict)
            memory = SqliteSaver(sqlite3.connect("checkpoints.db", check_same_thread=False))
            graph = builder.compile(checkpointer=memory)

            async def chat(state, config):
                return await graph.ainvoke(state, config)
            """,
        ),
    )
    triggers = ("Saver", "Store")

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        call = framework_call(node, ctx)
        if not isinstance(call, SyncOnlySaverAsyncCall):
            return
        saver = call.saver.name
        raises = f"`{call.raises}`" if call.raises is not None else "a bare `NotImplementedError`"
        replacement = call.saver.async_replacement or "the async saver"
        target = f"a `{saver}`" if call.on_saver else f"a graph compiled with `{saver}`"
        ctx.report(
            self.code,
            node,
            f"`{shown_call(call, ctx)}` on {target} raises {raises}: `{saver}` has no async implementation; "
            f"use `{replacement}` (under `async with {replacement}.from_conn_string(...)`)",
            NodeFix(f"Compile the graph with `{replacement}`", Applicability.SUGGESTION),
        )
