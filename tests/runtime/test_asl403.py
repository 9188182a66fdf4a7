"""ASL403 async-checkpointer-in-sync-call, for real: a graph with a real `AsyncSqliteSaver` driven
by sync `invoke` on the loop's thread raises `InvalidStateError: Synchronous calls to
AsyncSqliteSaver are only allowed from a different thread`; `await graph.ainvoke` works."""

from __future__ import annotations

import asyncio
from typing import TypedDict

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import END, START, StateGraph

from tests.runtime.proofs import assert_flagged, source

CODE = source(
    """
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver


    async def chat(builder, message):
        async with AsyncSqliteSaver.from_conn_string(":memory:") as saver:
            graph = builder.compile(checkpointer=saver)
            return graph.invoke({"messages": [message]}, {"configurable": {"thread_id": "1"}})
    """
)


class State(TypedDict):
    count: int


def _builder() -> StateGraph:
    builder = StateGraph(State)
    builder.add_node("bump", lambda state: {"count": state["count"] + 1})
    builder.add_edge(START, "bump")
    builder.add_edge("bump", END)
    return builder


CONFIG = {"configurable": {"thread_id": "1"}}


def test_async_saver_under_sync_invoke_fails_and_ainvoke_works() -> None:
    assert_flagged(CODE, "ASL403")

    async def run(use_async: bool) -> dict:
        async with AsyncSqliteSaver.from_conn_string(":memory:") as saver:
            graph = _builder().compile(checkpointer=saver)
            if use_async:
                return await graph.ainvoke({"count": 0}, CONFIG)
            return graph.invoke({"count": 0}, CONFIG)  # noqa: ASL403 - the mistake this test runs

    with pytest.raises(asyncio.InvalidStateError, match="Synchronous calls to AsyncSqliteSaver are only allowed from a different thread"):
        asyncio.run(run(use_async=False))
    assert asyncio.run(run(use_async=True)) == {"count": 1}
