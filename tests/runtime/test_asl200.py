"""ASL200 loop-runner-in-async, for real: `asyncio.run` inside an async FastAPI route that drives a
real compiled LangGraph graph fails every request; the fixed route answers 200."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.runtime.proofs import assert_flagged, fixed, load, never_awaited_warnings, source

ROUTE = source(
    """
    import asyncio
    from typing import TypedDict

    from fastapi import FastAPI
    from langgraph.graph import END, START, StateGraph


    class State(TypedDict):
        question: str
        answer: str


    async def respond(state: State) -> dict:
        await asyncio.sleep(0)
        return {"answer": state["question"].upper()}


    builder = StateGraph(State)
    builder.add_node("respond", respond)
    builder.add_edge(START, "respond")
    builder.add_edge("respond", END)
    graph = builder.compile()

    app = FastAPI()


    @app.get("/ask")
    async def ask(question: str) -> dict:
        result = asyncio.run(graph.ainvoke({"question": question}))
        return {"answer": result["answer"]}
    """
)


def test_asyncio_run_in_an_async_route_fails_and_the_fix_works(tmp_path: Path) -> None:
    assert_flagged(ROUTE, "ASL200")
    broken = load(ROUTE, tmp_path)
    with never_awaited_warnings(), TestClient(broken.app) as client, pytest.raises(
        RuntimeError, match=r"asyncio.run\(\) cannot be called from a running event loop"
    ):
        client.get("/ask", params={"question": "hi"})

    repaired = fixed(ROUTE, "ASL200")
    assert 'result = await graph.ainvoke({"question": question})' in repaired
    with TestClient(load(repaired, tmp_path).app) as client:
        response = client.get("/ask", params={"question": "hi"})
    assert (response.status_code, response.json()) == (200, {"answer": "HI"})


def test_run_until_complete_in_a_coroutine_fails_and_the_fix_works(tmp_path: Path) -> None:
    code = source(
        """
        import asyncio


        async def fetch():
            await asyncio.sleep(0)
            return 42


        async def handler():
            loop = asyncio.get_event_loop()
            return loop.run_until_complete(fetch())
        """
    )
    assert_flagged(code, "ASL200")
    import asyncio

    broken = load(code, tmp_path)
    with never_awaited_warnings(), pytest.raises(
        RuntimeError, match="This event loop is already running"
    ):
        asyncio.run(broken.handler())
    assert asyncio.run(load(fixed(code, "ASL200"), tmp_path).handler()) == 42
