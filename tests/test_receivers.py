"""Receivers built in another module: the walker asks the type inference, which reads the
other module's model (no LibCST parse of it)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from async_lint.analysis.framework_objects import ObjectInfo
from async_lint.analysis.project import project_layout
from async_lint.analysis.project_view import ProjectView
from async_lint.analysis.walker import ModuleWalker
from async_lint.engine.project_index import ProjectIndex
from async_lint.knowledge.langchain import Kind

API = """
from app.graph import build_graph, graph

async def handler(state):
    built = build_graph()
    return built.invoke(state), graph.invoke(state)
"""

GRAPH = """
from langgraph.graph import StateGraph

async def fetch(state):
    return state

def build_graph():
    builder = StateGraph(dict)
    builder.add_node("fetch", fetch)
    return builder.compile()

graph = build_graph()
"""


def _receivers(root: Path, with_graph_module: bool) -> list[ObjectInfo | None]:
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "api.py").write_text(API)
    if with_graph_module:
        (root / "app" / "graph.py").write_text(GRAPH)
    index = ProjectIndex(project_layout(root, (), [root]))
    found: list[ObjectInfo | None] = []

    def on_call(node: cst.CSTNode, ctx: ModuleWalker) -> None:
        assert isinstance(node, cst.Call)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "invoke":
            found.append(ctx.object_info(node.func.value))

    module = cst.parse_module(API)
    view = ProjectView(index.project, root / "app" / "api.py", API)
    ModuleWalker(module, {cst.Call: [("TEST", on_call)]}, view, module_name="app.api").walk()
    return found


def test_cross_module_objects_stay_unknown_when_the_module_is_missing(tmp_path: Path) -> None:
    assert _receivers(tmp_path, with_graph_module=False) == [None, None]


def test_factories_and_objects_of_another_module_are_known(tmp_path: Path) -> None:
    built, imported = _receivers(tmp_path, with_graph_module=True)
    for info in (built, imported):
        assert info is not None
        assert info.kind is Kind.COMPILED_GRAPH
        assert info.async_nodes == ("fetch",)
        assert info.origin == "StateGraph.compile()"
        assert info.path == tmp_path / "app" / "graph.py"
    assert (built.line, imported.line) == (10, 10)  # type: ignore[union-attr]
