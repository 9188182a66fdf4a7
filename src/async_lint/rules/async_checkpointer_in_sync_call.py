"""ASL403 async-checkpointer-in-sync-call: a sync call inside `async def` on a graph compiled with
an async-only checkpointer or store, or on the saver itself."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.framework_calls import AsyncOnlySaverSyncCall, framework_call
from async_lint.analysis.walker import ModuleWalker
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.twin_calls import function_name, shown_call, twin_call_report


class AsyncCheckpointerInSyncCall(Rule):
    """Flags a sync call (`invoke`, `stream`, `batch`, `get_state`, `get_state_history`,
    `update_state`) inside `async def` on a graph compiled with an async-only checkpointer or store
    (`AsyncSqliteSaver`, `AsyncPostgresSaver`, `AsyncPostgresStore`, `AsyncSqliteStore`), and sync
    methods of such a saver or store itself (`saver.get_tuple(...)`, `store.get(...)`)."""

    code = "ASL403"
    proof = "tests/runtime/test_asl403.py"
    name = "async-checkpointer-in-sync-call"
    summary = "graph with `AsyncSqliteSaver`/`AsyncPostgresSaver` driven by sync `invoke`/`get_state`"
    why = (
        "The async savers serve sync calls only from another thread (bridged to their loop). On "
        "the loop's own thread `graph.get_state(config)` raises `asyncio.InvalidStateError: "
        "Synchronous calls to AsyncSqliteSaver are only allowed from a different thread. From the "
        "main thread, use the async interface.` (CopilotKit #1325); older versions hung forever "
        "(langgraph #1800, #2992), and `AsyncSqliteSaver.put` still deadlocks silently (#7857)."
    )
    fix_safety = (
        "Safe: `graph.get_state(config)` becomes `await graph.aget_state(config)`, and "
        "`for s in graph.get_state_history(cfg)` becomes `async for s in graph.aget_state_history(cfg)`."
    )
    not_flagged = (
        "The same calls in plain `def` code run from another thread.",
        "Graphs with `InMemorySaver`, which serves both halves.",
    )
    valid = (
        """
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        async def history(builder, config):
            async with AsyncSqliteSaver.from_conn_string("checkpoints.db") as saver:
                graph = builder.compile(checkpointer=saver)
                return await graph.aget_state(config)
        """,
    )
    invalid = (
        Invalid(
            """
            from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

            async def history(builder, config):
                async with AsyncSqliteSaver.from_conn_string("checkpoints.db") as saver:
                    graph = builder.compile(checkpointer=saver)
                    return graph.get_state(config)
            """,
            fixed="""
            from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

            async def history(builder, config):
                async with AsyncSqliteSaver.from_conn_string("checkpoints.db") as saver:
                    graph = builder.compile(checkpointer=saver)
                    return await graph.aget_state(config)
            """,
        ),
    )
    triggers = ("Saver", "Store")

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        call = framework_call(node, ctx)
        if not isinstance(call, AsyncOnlySaverSyncCall):
            return
        saver = call.saver.name
        target = f"`{saver}`" if call.on_saver else f"a graph compiled with `{saver}`"
        where = (
            f"`{shown_call(call, ctx)}` on {target} inside `async def {function_name(ctx)}` raises "
            f"`{call.raises}` (older versions deadlock)"
        )
        message, fix = twin_call_report(node, call, where, ctx)
        ctx.report(self.code, node, message, fix)
