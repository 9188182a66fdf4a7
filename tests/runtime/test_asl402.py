"""ASL402 sync-checkpointer-in-async-graph, for real: a graph compiled with a real `SqliteSaver`
and driven by `ainvoke` raises `NotImplementedError: The SqliteSaver does not support async
methods`; with `AsyncSqliteSaver` (the documented replacement) it works."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import TypedDict

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import END, START, StateGraph

from tests.runtime.proofs import assert_flagged, source

CODE = source(
    """
    import sqlite3

    from langgraph.checkpoint.sqlite import SqliteSaver


    async def chat(builder, message):
        saver = SqliteSaver(sqlite3.connect(":memory:", check_same_thread=False))
        graph = builder.compile(checkpointer=saver)
        return await graph.ainvoke({"messages": [message]}, {"configurable": {"thread_id": "1"}})
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


def test_sync_saver_under_ainvoke_fails_and_the_async_saver_works() -> None:
    assert_flagged(CODE, "ASL402")
    saver = SqliteSaver(sqlite3.connect(":memory:", check_same_thread=False))
    graph = _builder().compile(checkpointer=saver)
    with pytest.raises(NotImplementedError, match="The SqliteSaver does not support async methods"):
        asyncio.run(graph.ainvoke({"count": 0}, CONFIG))  # noqa: ASL402 - the mistake this test runs

    async def with_async_saver() -> dict:
        async with AsyncSqliteSaver.from_conn_string(":memory:") as async_saver:
            return await _builder().compile(checkpointer=async_saver).ainvoke({"count": 0}, CONFIG)

    assert asyncio.run(with_async_saver()) == {"count": 1}
