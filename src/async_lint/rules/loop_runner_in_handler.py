"""ASL201 loop-runner-in-handler: a loop runner in a sync function a framework calls for us."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.loop_runners import RunnerInHandler, loop_runner_call
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import FrameKind, ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.function_roles import TOOL_ASYNC_METHOD, TOOL_COROUTINE_KEYWORD
from async_lint.knowledge.loop_runners import LOOP_RUNNER_TRIGGERS
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.fix_builders import as_operand, awaited_runner_call


class LoopRunnerInHandler(Rule):
    """Flags a loop runner (`asyncio.run`, `run_until_complete`, `anyio.run`, ...) in a sync
    function a framework calls for you: a web route handler (FastAPI/`APIRouter` route decorators
    and `add_api_route`, Starlette `Route`/`WebSocketRoute`, aiohttp `RouteTableDef` and
    `web.get(...)`, decorators from `route-decorators`), a LangGraph node (`add_node` on a
    `StateGraph`, `@task`, `@entrypoint`), or a tool (LangChain `@tool`, `StructuredTool.from_function`,
    `BaseTool._run`; MCP `@mcp.tool()`). In an `async def` handler the same call is ASL200."""

    code = "ASL201"
    name = "loop-runner-in-handler"
    summary = "`asyncio.run()` in a sync route handler, LangGraph node or tool"
    why = (
        "The framework already has an event loop, and it decides where a sync handler runs. "
        "aiohttp and MCP servers call sync handlers on the loop's own thread, where "
        "`asyncio.run()` raises `RuntimeError: asyncio.run() cannot be called from a running event "
        "loop` on every call. FastAPI and Starlette run sync routes in a worker thread, so each "
        "request starts and tears down a new loop; objects bound to the app's loop (a shared "
        "`httpx.AsyncClient`, an `asyncio.Lock`, a database pool) then fail with `RuntimeError: "
        "<asyncio.locks.Lock ...> is bound to a different event loop` or `RuntimeError: Event loop "
        "is closed`. A sync LangGraph node or LangChain tool runs inline under `invoke()`, so "
        "it raises as soon as the graph or agent is invoked from a running loop (a notebook, an "
        "async server). All of these frameworks accept an `async def` handler and run it on "
        "their loop: write the handler as `async def` and `await` the coroutine."
    )
    proof = "tests/runtime/test_asl201.py"
    fix_safety = (
        "Unsafe: the fix makes the handler `async def` and replaces the call with `await coro`. "
        "The framework accepts it, but everything else that calls the function directly (tests, "
        "other code) now gets a coroutine; an `async def` LangGraph node makes sync `graph.invoke()` "
        "raise `TypeError: No synchronous function provided`, and an `async def` `@tool` makes "
        "`tool.invoke()` raise `NotImplementedError: StructuredTool does not support sync "
        "invocation`; and blocking calls left in the handler now block the loop (async-lint "
        "reports them next). No fix for `BaseTool._run` (implement `async def _arun` instead), "
        "`StructuredTool.from_function(func=...)` (the async function goes in `coroutine=`), "
        "lambdas, generators, or calls whose options `await` cannot express."
    )
    not_flagged = (
        "A loop runner in an `async def` handler: that is ASL200 (one finding per call).",
        ("A sync function no framework calls for us, including a plain function named like a route "
        "(`def get_item()`) and `@app.get` on an `app` not shown to be a FastAPI/Starlette/aiohttp "
        "app (an import from elsewhere, a parameter)."),
        "The script's entry point: `asyncio.run(main())` under `if __name__ == \"__main__\":`.",
        ("A coroutine handed to a thread from the handler (`pool.submit(asyncio.run, coro)`, "
        "a nested `def` passed to `asyncio.to_thread`): it runs where no loop is running."),
        "A module that calls `nest_asyncio.apply()` (nested runs allowed on purpose).",
        ("The sync fallback of a tool that also has an async path: `_run` in a `BaseTool` that "
        "defines `async def _arun`, `func=` of `StructuredTool.from_function(..., coroutine=...)`; "
        "agents use the async path, and sync callers run where no loop is running."),
    )
    valid = (
        """
        import asyncio

        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/items/{item_id}")
        async def get_item(item_id: int):
            return {"id": item_id}

        def get_items():
            return asyncio.run(load())

        async def load():
            return []
        """,
        """
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        from fastapi import FastAPI

        app = FastAPI()
        pool = ThreadPoolExecutor()

        @app.get("/report")
        def report():
            return pool.submit(asyncio.run, build_report()).result()

        async def build_report():
            return {}
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            from fastapi import FastAPI

            app = FastAPI()

            async def fetch_item(item_id: int) -> dict:
                return {"id": item_id}

            @app.get("/items/{item_id}")
            def get_item(item_id: int) -> dict:
                return asyncio.run(fetch_item(item_id))
            """,
            fixed="""
            import asyncio

            from fastapi import FastAPI

            app = FastAPI()

            async def fetch_item(item_id: int) -> dict:
                return {"id": item_id}

            @app.get("/items/{item_id}")
            async def get_item(item_id: int) -> dict:
                return await fetch_item(item_id)
            """,
        ),
        Invalid(
            """
            import asyncio

            from langchain_core.tools import tool

            @tool
            def search_docs(query: str) -> str:
                \"\"\"Search the documentation.\"\"\"
                return asyncio.run(retriever.ainvoke(query))
            """,
            fixed="""
            import asyncio

            from langchain_core.tools import tool

            @tool
            async def search_docs(query: str) -> str:
                \"\"\"Search the documentation.\"\"\"
                return await retriever.ainvoke(query)
            """,
        ),
        Invalid(
            """
            import asyncio

            from langgraph.graph import StateGraph

            def summarize(state):
                return {"summary": asyncio.run(llm.ainvoke(state["text"])).content}

            builder = StateGraph(dict)
            builder.add_node("summarize", summarize)
            """,
            fixed="""
            import asyncio

            from langgraph.graph import StateGraph

            async def summarize(state):
                return {"summary": (await llm.ainvoke(state["text"])).content}

            builder = StateGraph(dict)
            builder.add_node("summarize", summarize)
            """,
        ),
    )
    triggers = LOOP_RUNNER_TRIGGERS

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        found = loop_runner_call(node, ctx, self.options.route_decorators)
        if not isinstance(found, RunnerInHandler):
            return
        runner, role, name = found.runner, found.role, found.function.name
        framework = role.framework
        assert framework is not None
        fix = None
        if isinstance(role.evidence, cst.ClassDef):
            advice = f"implement `async def {TOOL_ASYNC_METHOD}(...)` that awaits the coroutine"
        elif isinstance(role.evidence, cst.Call) and not framework.accepts_async:
            advice = f"pass an `async def` that awaits the coroutine as `{TOOL_COROUTINE_KEYWORD}=`"
        else:
            advice = "make it `async def` and `await` the coroutine"
            fix = _async_handler_fix(node, found, ctx)
        runs = framework.sync_runs.format(error=runner.error)
        ctx.report(self.code, node, f"`{runner.display}` in sync {role.describe(name)}, which {runs}; {advice}", fix)


def _async_handler_fix(node: cst.Call, found: RunnerInHandler, ctx: ModuleWalker) -> NodeFix | None:
    """`def handler(): return asyncio.run(coro)` -> `async def handler(): return await coro`;
    not for a lambda or a generator, nor inside a generator expression."""
    definition = found.function.node
    scope = ctx.model.function(found.function.key)
    if not isinstance(definition, cst.FunctionDef) or scope is None or scope.is_generator or _in_generator_expression(found, ctx):
        return None
    replacement = awaited_runner_call(node, found.runner)
    if replacement is None:
        return None
    replacement = as_operand(replacement, node, ctx)
    return NodeFix(
        f"Make `{definition.name.value}` `async def` and replace with `{ctx.module.code_for_node(replacement)}`",
        Applicability.UNSAFE,
        ((node, replacement),),
        insertions=((definition, "async "),),
    )


def _in_generator_expression(found: RunnerInHandler, ctx: ModuleWalker) -> bool:
    frame = ctx.frame
    while frame is not found.function:
        if frame.kind is FrameKind.COMPREHENSION and isinstance(frame.node, cst.GeneratorExp):
            return True
        assert frame.parent is not None
        frame = frame.parent
    return False
