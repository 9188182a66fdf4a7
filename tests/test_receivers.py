"""Receiver inference beyond the fixtures: the project index's hook for cross-module objects."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.receivers import ObjectInfo, ProjectObjects, ReceiverInference
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.langchain import Kind

SOURCE = """
from app.graph import build_graph, graph

async def handler(state):
    built = build_graph()
    return built.invoke(state), graph.invoke(state)
"""


def _receivers(project_objects: ProjectObjects | None) -> list[ObjectInfo | None]:
    found: list[ObjectInfo | None] = []

    def on_call(node: cst.Call, ctx: ModuleWalker) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "invoke":
            found.append(ReceiverInference(ctx, project_objects).infer(node.func.value))

    module = cst.parse_module(SOURCE)
    module.visit(ModuleWalker(module, {cst.Call: [("TEST", on_call)]}, module_name="app.api"))
    return found


def test_cross_module_objects_stay_unknown_without_an_index() -> None:
    assert _receivers(None) == [None, None]


def test_the_index_hook_proves_imported_factories_and_objects() -> None:
    graph = ObjectInfo(Kind.COMPILED_GRAPH, "StateGraph(...).compile()", async_nodes=("fetch",))
    known = {"app.graph.build_graph": graph, "app.graph.graph": graph}
    assert _receivers(known.get) == [graph, graph]
