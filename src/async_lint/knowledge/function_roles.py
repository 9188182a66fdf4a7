"""Which framework objects make a function a web route handler, a LangGraph node, a LangChain
or MCP tool, and what each framework does with a sync function (where it runs it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Framework:
    name: str
    """How messages name it: `FastAPI`, `LangGraph`..."""
    role: str
    """What the function is to it: `route handler`, `node`, `tool`."""
    sync_runs: str
    """Where a sync (`def`) function of this role runs, and what a loop runner does there
    (`{error}` is the runner's error inside a running loop)."""
    accepts_async: bool = True
    """Whether every way of registering a function accepts an `async def` in its place
    (`StructuredTool.from_function(func=...)` does not: the async one goes in `coroutine=`)."""


_THREADPOOL_ROUTE = (
    "runs in a worker thread: a new event loop per request, where objects bound to the app's "
    "loop (a shared `httpx.AsyncClient`, an `asyncio.Lock`) fail"
)

FASTAPI = Framework("FastAPI", "route handler", _THREADPOOL_ROUTE)
STARLETTE = Framework("Starlette", "route handler", _THREADPOOL_ROUTE)
AIOHTTP = Framework("aiohttp", "route handler", "runs on the event loop's thread, where the call raises `{error}`")
CONFIGURED = Framework(
    "configured",
    "route handler",
    "runs on the server's event loop (where the call raises `{error}`) or in a worker thread "
    "(a new event loop per request)",
)
LANGGRAPH = Framework(
    "LangGraph",
    "node",
    "runs inline under `graph.invoke()` (raising `{error}` when that is called from a running loop) "
    "and in a worker thread with a new event loop per step under `graph.ainvoke()`",
)
LANGCHAIN_TOOL = Framework(
    "LangChain",
    "tool",
    "runs inline under `tool.invoke()` (raising `{error}` when that is called from a running loop) "
    "and in a worker thread with a new event loop per call under `tool.ainvoke()`",
    accepts_async=False,
)
MCP_TOOL = Framework("MCP", "tool", "runs on the MCP server's event-loop thread, where the call raises `{error}`")

ROUTE_APP_CLASSES: dict[str, Framework] = {
    "fastapi.FastAPI": FASTAPI,
    "fastapi.applications.FastAPI": FASTAPI,
    "fastapi.APIRouter": FASTAPI,
    "fastapi.routing.APIRouter": FASTAPI,
    "starlette.applications.Starlette": STARLETTE,
    "starlette.routing.Router": STARLETTE,
    "aiohttp.web.RouteTableDef": AIOHTTP,
    "aiohttp.web_routedef.RouteTableDef": AIOHTTP,
}
"""Classes whose instances register route handlers with decorators (`@app.get("/x")`)."""

ROUTE_DECORATOR_METHODS: dict[Framework, frozenset[str]] = {
    FASTAPI: frozenset(
        {"get", "post", "put", "delete", "patch", "options", "head", "trace", "api_route", "websocket", "route", "websocket_route"}
    ),
    STARLETTE: frozenset({"route", "websocket_route"}),
    AIOHTTP: frozenset({"get", "post", "put", "patch", "delete", "head", "options", "view", "route"}),
}

ROUTE_REGISTRATION_METHODS: dict[Framework, dict[str, int]] = {
    FASTAPI: {"add_api_route": 1, "add_api_websocket_route": 1, "add_route": 1, "add_websocket_route": 1},
    STARLETTE: {"add_route": 1, "add_websocket_route": 1},
}
"""`app.add_api_route("/x", endpoint)`: the method and the position of the endpoint argument."""

ROUTE_REGISTRATION_KEYWORDS = ("endpoint", "route")
"""The keywords of the endpoint argument of those methods (`add_route("/x", route=f)`)."""

ROUTE_CONSTRUCTORS: dict[str, tuple[Framework, int, str]] = {
    "starlette.routing.Route": (STARLETTE, 1, "endpoint"),
    "starlette.routing.WebSocketRoute": (STARLETTE, 1, "endpoint"),
    "fastapi.routing.APIRoute": (FASTAPI, 1, "endpoint"),
    "fastapi.routing.APIWebSocketRoute": (FASTAPI, 1, "endpoint"),
    "aiohttp.web.get": (AIOHTTP, 1, "handler"),
    "aiohttp.web.post": (AIOHTTP, 1, "handler"),
    "aiohttp.web.put": (AIOHTTP, 1, "handler"),
    "aiohttp.web.patch": (AIOHTTP, 1, "handler"),
    "aiohttp.web.delete": (AIOHTTP, 1, "handler"),
    "aiohttp.web.head": (AIOHTTP, 1, "handler"),
    "aiohttp.web.view": (AIOHTTP, 1, "handler"),
    "aiohttp.web.route": (AIOHTTP, 2, "handler"),
}
"""Calls that take a route handler (`Route("/x", endpoint)`): its position and keyword."""

GRAPH_CLASSES = frozenset(
    {
        "langgraph.graph.StateGraph",
        "langgraph.graph.state.StateGraph",
        "langgraph.graph.MessageGraph",
        "langgraph.graph.message.MessageGraph",
        "langgraph.graph.Graph",
        "langgraph.graph.graph.Graph",
    }
)
"""Graph builders whose `add_node(...)` takes a node function."""

GRAPH_NODE_METHOD = "add_node"
GRAPH_NODE_KEYWORD = "action"
"""`builder.add_node("name", fn)`, `add_node(fn)`, `add_node("name", action=fn)`: a graph
builder's registration of a node function."""

GRAPH_BUILDER_METHODS = frozenset({GRAPH_NODE_METHOD, "add_edge", "add_conditional_edges", "add_sequence", "set_entry_point", "set_finish_point"})
"""Builder methods that return the builder (`StateGraph(S).add_node(a).add_node(b)`)."""

GRAPH_FUNCTION_DECORATORS = frozenset({"langgraph.func.task", "langgraph.func.entrypoint"})
"""The functional API: `@task` / `@entrypoint(...)` functions run as graph steps."""

TOOL_DECORATORS = frozenset(
    {
        "langchain_core.tools.tool",
        "langchain_core.tools.convert.tool",
        "langchain.tools.tool",
        "langchain.agents.tool",
    }
)

TOOL_BASE_CLASSES = frozenset(
    {
        "langchain_core.tools.BaseTool",
        "langchain_core.tools.base.BaseTool",
        "langchain.tools.BaseTool",
        "langchain_core.tools.StructuredTool",
        "langchain_core.tools.structured.StructuredTool",
    }
)
"""Subclasses implement the sync path in `_run` (and the async one in `_arun`)."""
TOOL_SYNC_METHOD = "_run"
TOOL_ASYNC_METHOD = "_arun"

TOOL_CONSTRUCTORS: dict[str, tuple[int, str]] = {
    "langchain_core.tools.StructuredTool.from_function": (0, "func"),
    "langchain_core.tools.structured.StructuredTool.from_function": (0, "func"),
    "langchain_core.tools.Tool.from_function": (0, "func"),
    "langchain_core.tools.simple.Tool.from_function": (0, "func"),
    "langchain_core.tools.Tool": (1, "func"),
    "langchain_core.tools.simple.Tool": (1, "func"),
    "langchain.tools.StructuredTool.from_function": (0, "func"),
    "langchain.tools.Tool": (1, "func"),
}
"""Calls that make a tool from a sync function: its position and keyword."""
TOOL_COROUTINE_KEYWORD = "coroutine"
"""`StructuredTool.from_function(func=f, coroutine=af)`: the tool's async implementation."""

MCP_SERVER_CLASSES = frozenset({"mcp.server.fastmcp.FastMCP", "mcp.server.fastmcp.server.FastMCP", "fastmcp.FastMCP"})
MCP_DECORATOR_METHODS = frozenset({"tool", "resource", "prompt"})

ENTRY_POINT_RUNNERS = frozenset({"asyncio.run", "anyio.run", "trio.run", "sys.exit"})
"""`asyncio.run(main())` / `sys.exit(main())` under `if __name__ == "__main__":` make `main` an entry point."""

REGISTERING_PACKAGES = (
    "langgraph",
    "starlette",
    "fastapi",
    "aiohttp",
    "langchain_core.tools",
    "langchain.tools",
)
"""A module can register a function by call (`add_node`, `Route`, `from_function`) only if it
imports one of these (the gate for the extra pass over the module)."""
