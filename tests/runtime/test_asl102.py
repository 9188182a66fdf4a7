"""ASL102 async-iterator-misuse, for real: `for` over a real LangGraph `astream` raises
`TypeError: 'async_generator' object is not iterable`; the fixed `async for` streams every chunk.
The other direction: `async for` over a project's plain generator raises `TypeError: 'async
for' requires an object with __aiter__ method, got generator` before the first item; the fixed
`for` iterates it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    from typing import TypedDict

    from langgraph.graph import END, START, StateGraph


    class State(TypedDict):
        steps: list


    def first(state: State) -> dict:
        return {"steps": state["steps"] + ["first"]}


    def second(state: State) -> dict:
        return {"steps": state["steps"] + ["second"]}


    builder = StateGraph(State)
    builder.add_node("first", first)
    builder.add_node("second", second)
    builder.add_edge(START, "first")
    builder.add_edge("first", "second")
    builder.add_edge("second", END)
    graph = builder.compile()


    async def stream_updates():
        chunks = []
        for chunk in graph.astream({"steps": []}):
            chunks.append(chunk)
        return chunks
    """
)


def test_for_over_astream_fails_and_async_for_streams(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL102")
    broken = load(CODE, tmp_path)
    with pytest.raises(TypeError, match="'async_generator' object is not iterable"):
        asyncio.run(broken.stream_updates())
    repaired_code = fixed(CODE, "ASL102")
    assert "async for chunk in graph.astream(" in repaired_code
    chunks = asyncio.run(load(repaired_code, tmp_path).stream_updates())
    assert [list(chunk) for chunk in chunks] == [["first"], ["second"]]


SYNC_GENERATOR = source(
    """
    def pages(count):
        for number in range(count):
            yield f"page {number}"


    async def collect(count):
        found = []
        async for page in pages(count):
            found.append(page)
        return found
    """
)


def test_async_for_over_a_sync_generator_raises_and_for_iterates_it(tmp_path: Path) -> None:
    assert_flagged(SYNC_GENERATOR, "ASL102")
    broken = load(SYNC_GENERATOR, tmp_path)
    with pytest.raises(TypeError, match="'async for' requires an object with __aiter__ method, got generator"):
        asyncio.run(broken.collect(2))
    repaired_code = fixed(SYNC_GENERATOR, "ASL102")
    assert "    for page in pages(count):" in repaired_code
    assert asyncio.run(load(repaired_code, tmp_path).collect(2)) == ["page 0", "page 1"]
