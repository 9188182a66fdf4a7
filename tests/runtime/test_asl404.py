"""ASL404 async-node-in-sync-run, for real: a real graph with an `async def` node run by sync
`invoke` raises `TypeError: No synchronous function provided`; `await graph.ainvoke` works."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.proofs import assert_flagged, load, source

CODE = source(
    """
    import asyncio
    from typing import TypedDict

    from langgraph.graph import END, START, StateGraph


    class State(TypedDict):
        count: int


    async def bump(state: State) -> dict:
        await asyncio.sleep(0)
        return {"count": state["count"] + 1}


    def build():
        builder = StateGraph(State)
        builder.add_node("bump", bump)
        builder.add_edge(START, "bump")
        builder.add_edge("bump", END)
        return builder.compile()


    def run_once():
        return build().invoke({"count": 0})
    """
)


def test_async_node_under_invoke_fails_and_ainvoke_works(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL404")
    module = load(CODE, tmp_path)
    with pytest.raises(TypeError, match='No synchronous function provided to "bump"'):
        module.run_once()
    assert asyncio.run(module.build().ainvoke({"count": 0})) == {"count": 1}
