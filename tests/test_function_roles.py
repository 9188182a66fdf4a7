"""`analysis.function_roles`: what a function is to its framework, probed from inside it."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from async_lint.analysis.function_roles import RoleKind, function_role
from async_lint.analysis.walker import ModuleWalker
from async_lint.config import RuleOptions
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from tests.helpers import walker


def roles(source: str, route_decorators: frozenset[str] = frozenset()) -> dict[str, str | None]:
    """For every `probe()` call: the enclosing function's name -> `describe()` of its role."""
    found: dict[str, str | None] = {}

    def probe(node: cst.CSTNode, ctx: ModuleWalker) -> None:
        assert isinstance(node, cst.Call)
        if isinstance(node.func, cst.Name) and node.func.value == "probe" and ctx.function is not None:
            role = function_role(ctx, ctx.function, route_decorators)
            found[ctx.function.qualname] = None if role is None else role.describe(ctx.function.name)

    walker(textwrap.dedent(source), {cst.Call: [("TEST", probe)]}, module_name="app").walk()
    return found


def test_fastapi_routes_through_bindings_and_imports() -> None:
    found = roles(
        """
        import fastapi
        from fastapi import APIRouter as Router

        app = fastapi.FastAPI()
        router = Router()

        @app.get("/a")
        def a():
            probe()

        @router.websocket("/b")
        def b():
            probe()

        def c():
            probe()

        def d(other):
            @other.get("/d")
            def inner():
                probe()
        """
    )
    assert found == {
        "a": "FastAPI route handler `a`",
        "b": "FastAPI route handler `b`",
        "c": None,
        "d.inner": None,
    }


def test_registrations_after_the_function() -> None:
    found = roles(
        """
        from langgraph.graph import StateGraph
        from starlette.routing import Route

        def node(state):
            probe()

        def page(request):
            probe()

        def helper():
            probe()

        def build():
            graph = StateGraph(dict).add_node("first", node)
            return graph

        routes = [Route("/", endpoint=page)]
        """
    )
    assert found == {"node": "LangGraph node `node`", "page": "Starlette route handler `page`", "helper": None}


def test_methods_registered_through_self_and_local_imports() -> None:
    found = roles(
        """
        from langgraph.graph import START

        class Agent:
            def __init__(self):
                from langgraph.graph import StateGraph

                self.builder = StateGraph(dict)
                self.builder.add_node("plan", self.plan)

            def plan(self, state):
                probe()

            def other(self, state):
                probe()
        """
    )
    assert found == {"Agent.plan": "LangGraph node `plan`", "Agent.other": None}


def test_tools_and_entry_points() -> None:
    found = roles(
        """
        import asyncio

        from langchain_core.tools import BaseTool, tool
        from mcp.server.fastmcp import FastMCP

        mcp = FastMCP("x")

        @tool
        def search(q: str) -> str:
            probe()

        @mcp.tool()
        def remote(q: str) -> str:
            probe()

        class Base(BaseTool):
            pass

        class Search(Base):
            def _run(self, q):
                probe()

        async def main():
            probe()

        if __name__ == "__main__":
            asyncio.run(main())
        """
    )
    assert found == {
        "search": "LangChain tool `search`",
        "remote": "MCP tool `remote`",
        "Search._run": "LangChain tool `_run`",
        "main": "entry point `main`",
    }


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        (frozenset({"*.route"}), "configured route handler `view`"),
        (frozenset({"flask.Flask.route"}), None),
        (frozenset(), None),
    ],
)
def test_configured_route_decorators(patterns: frozenset[str], expected: str | None) -> None:
    found = roles(
        """
        from flask import Flask

        app = Flask(__name__)

        @app.route("/")
        def view():
            probe()
        """,
        patterns,
    )
    assert found == {"view": expected}


def test_asl201_with_configured_decorator() -> None:
    source = textwrap.dedent(
        """
        import asyncio

        from myframework import endpoint

        @endpoint("/items")
        def items():
            return asyncio.run(load())
        """
    )
    plain = check_text(source, "x.py", build_rule_set(frozenset({"ASL201"}), RuleOptions()))
    configured = check_text(
        source, "x.py", build_rule_set(frozenset({"ASL201"}), RuleOptions(route_decorators=frozenset({"myframework.endpoint"})))
    )
    assert plain == []
    assert [(d.code, d.start.row) for d in configured] == [("ASL201", 8)]
    assert RoleKind.ROUTE_HANDLER.value in configured[0].message


def test_no_registration_pass_without_a_registering_framework() -> None:
    found = roles(
        """
        def node(state):
            probe()

        def build():
            from langgraph.graph import StateGraph

            StateGraph(dict).add_node("node", node)
        """
    )
    assert found == {"node": None}
