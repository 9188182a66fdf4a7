"""ASL202 loop-runner-reachable-from-async, for real: an async FastAPI route calls a sync helper,
which calls `Agent.run`, which calls `asyncio.run(self.graph.ainvoke(...))` on a real compiled
LangGraph graph: every request fails with `RuntimeError: asyncio.run() cannot be called from a
running event loop`. With the chain made async and awaited (the suggested fix), the route answers 200."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.runtime.proofs import assert_flagged, load, never_awaited_warnings, source

CODE = source(
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


    def build_graph():
        builder = StateGraph(State)
        builder.add_node("respond", respond)
        builder.add_edge(START, "respond")
        builder.add_edge("respond", END)
        return builder.compile()


    class Agent:
        def __init__(self):
            self.graph = build_graph()

        def run(self, question):
            return asyncio.run(self.graph.ainvoke({"question": question}))["answer"]


    agent = Agent()


    def answer_question(question):
        return agent.run(question)


    app = FastAPI()


    @app.get("/ask")
    async def ask(question: str) -> dict:
        return {"answer": answer_question(question)}
    """
)

ASYNC_CHAIN = source(
    CODE.split("class Agent:")[0]
    + """
    class Agent:
        def __init__(self):
            self.graph = build_graph()

        async def arun(self, question):
            return (await self.graph.ainvoke({"question": question}))["answer"]


    agent = Agent()


    async def answer_question(question):
        return await agent.arun(question)


    app = FastAPI()


    @app.get("/ask")
    async def ask(question: str) -> dict:
        return {"answer": await answer_question(question)}
    """.replace("\n    ", "\n")
)


def test_a_loop_runner_two_calls_below_an_async_route_fails_and_the_async_chain_works(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL202")
    assert ASYNC_CHAIN != CODE
    with never_awaited_warnings(), TestClient(load(CODE, tmp_path).app) as client, pytest.raises(
        RuntimeError, match=r"asyncio.run\(\) cannot be called from a running event loop"
    ):
        client.get("/ask", params={"question": "hi"})
    with TestClient(load(ASYNC_CHAIN, tmp_path).app) as client:
        response = client.get("/ask", params={"question": "hi"})
    assert (response.status_code, response.json()) == (200, {"answer": "HI"})
