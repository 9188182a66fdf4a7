"""ASL404 async-node-in-sync-run: a graph with `async def` nodes run by a sync `invoke`/`stream`."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.framework_calls import AsyncNodesDriven, framework_call
from async_lint.analysis.walker import ModuleWalker
from async_lint.rules.base import Invalid, Rule, dedent_example
from async_lint.rules.twin_calls import driven_call_report


class AsyncNodeInSyncRun(Rule):
    """Flags `invoke`/`stream`/`batch` on a graph one of whose nodes is an `async def` (found
    through `add_node` calls on the builder, also inside a function of the module that returns
    the builder or the compiled graph), and on an `async def` `@entrypoint`."""

    code = "ASL404"
    proof = "tests/runtime/test_asl404.py"
    name = "async-node-in-sync-run"
    summary = "graph with `async def` nodes run by sync `invoke`/`stream`"
    why = (
        "The sync runner calls each node's sync function, and an `async def` node has none: "
        "`graph.invoke(...)` raises `TypeError: No synchronous function provided to \"<node>\". "
        "Either initialize with a synchronous function or invoke via the async API (ainvoke, "
        "astream, etc.)` (before langgraph #547: `TypeError: None is not a callable object`). "
        "The same holds for an `async def` `@entrypoint`."
    )
    fix_safety = (
        "Safe inside `async def`: `graph.invoke(...)` becomes `await graph.ainvoke(...)`, and a "
        "`for` over `graph.stream(...)` becomes `async for` over `graph.astream(...)`. In sync code "
        "the fix is a suggestion: `asyncio.run(graph.ainvoke(...))` belongs at the entry point."
    )
    use_instead = dedent_example(
        """
        import asyncio

        from langgraph.graph import StateGraph

        async def fetch(state):
            return state

        def build_graph():
            builder = StateGraph(dict)
            builder.add_node("fetch", fetch)
            return builder.compile()

        graph = build_graph()
        print(asyncio.run(graph.ainvoke({})))
        """
    )
    not_flagged = (
        "Graphs whose nodes are all plain `def` (LangGraph runs them in threads under `ainvoke`).",
        "`ainvoke`/`astream` on any graph.",
    )
    valid = (
        """
        from langgraph.graph import StateGraph

        async def fetch(state):
            return state

        builder = StateGraph(dict)
        builder.add_node("fetch", fetch)
        graph = builder.compile()

        async def main():
            return await graph.ainvoke({})
        """,
    )
    invalid = (
        Invalid(
            """
            from langgraph.graph import StateGraph

            async def fetch(state):
                return state

            def build_graph():
                builder = StateGraph(dict)
                builder.add_node("fetch", fetch)
                return builder.compile()

            graph = build_graph()
            print(graph.invoke({}))
            """,
        ),
    )

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        call = framework_call(node, ctx)
        if not isinstance(call, AsyncNodesDriven):
            return
        nodes = ", ".join(f"`{name}`" for name in call.nodes)
        what = f"a graph with `async def` node{'s' if len(call.nodes) > 1 else ''} {nodes}"
        message, fix = driven_call_report(node, call, what, call.raises, ctx)
        ctx.report(self.code, node, message, fix)
