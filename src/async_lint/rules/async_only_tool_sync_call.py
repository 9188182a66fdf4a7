"""ASL405 async-only-tool-sync-call: a tool that has only a coroutine, or an agent or graph running
such tools, driven synchronously."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.framework_calls import AsyncOnlyToolDriven, framework_call
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.langchain import SYNC_TOOL_ERROR
from async_lint.rules.base import Invalid, Rule, dedent_example
from async_lint.rules.twin_calls import driven_call_report, origin


class AsyncOnlyToolSyncCall(Rule):
    """Flags async-only tools driven synchronously: tools from `await
    MultiServerMCPClient(...).get_tools()` / `await load_mcp_tools(session)`, `@tool` on an
    `async def`, `StructuredTool(coroutine=...)` / `StructuredTool.from_function(coroutine=...)`
    without `func`, called with `invoke`/`run`/`batch`/`stream`, and agents or graphs that run
    them (`create_react_agent(model, tools)`, `create_agent`, `ToolNode(tools)`) driven by sync
    `invoke`/`stream`."""

    code = "ASL405"
    proof = "tests/runtime/test_asl405.py"
    name = "async-only-tool-sync-call"
    summary = "async-only tool (MCP, `@tool async def`) driven by sync `invoke`/`run`"
    why = (
        "A tool with only a coroutine has no sync implementation: `tool.invoke(...)` raises "
        f"`{SYNC_TOOL_ERROR}` (`Tool does not support sync invocation.` for `Tool`). Inside an "
        "agent run with `invoke` the error comes back as a `ToolMessage` and the model answers "
        "without the tool (langchain-mcp-adapters #85, #576)."
    )
    fix_safety = (
        "Safe inside `async def`: `tool.invoke(args)` becomes `await tool.ainvoke(args)`, "
        "`tool.run(args)` `await tool.arun(args)`, `agent.invoke(...)` `await agent.ainvoke(...)`. "
        "In sync code, a suggestion (run the agent with `asyncio.run(agent.ainvoke(...))` at the "
        "entry point, or give the tool a sync `func=`)."
    )
    use_instead = dedent_example(
        """
        import asyncio

        from langchain_core.tools import tool

        @tool
        async def weather(city: str) -> str:
            \"\"\"The weather in a city.\"\"\"
            return "sunny"

        print(asyncio.run(weather.ainvoke({"city": "Paris"})))
        """
    )
    not_flagged = (
        "`@tool` on a plain `def` (it has a sync implementation).",
        "`StructuredTool.from_function(func=..., coroutine=...)` (both halves).",
        "`await tool.ainvoke(...)` / `await agent.ainvoke(...)`.",
    )
    valid = (
        """
        from langchain_core.tools import tool

        @tool
        async def weather(city: str) -> str:
            \"\"\"The weather in a city.\"\"\"
            return "sunny"

        async def main():
            return await weather.ainvoke({"city": "Paris"})
        """,
    )
    invalid = (
        Invalid(
            """
            from langchain_core.tools import tool

            @tool
            async def weather(city: str) -> str:
                \"\"\"The weather in a city.\"\"\"
                return "sunny"

            print(weather.invoke({"city": "Paris"}))
            """,
        ),
    )
    triggers = ("async", "await", "coroutine")

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        call = framework_call(node, ctx)
        if not isinstance(call, AsyncOnlyToolDriven):
            return
        if call.runs_tools:
            tools = ", ".join(f"`{tool}`" for tool in call.driven.async_only_tools)
            what = f"a graph or agent that runs async-only tools ({tools})"
        else:
            what = f"an async-only tool ({origin(call.driven, ctx)})"
        message, fix = driven_call_report(node, call, what, call.raises, ctx)
        ctx.report(self.code, node, message, fix)
