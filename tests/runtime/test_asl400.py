"""ASL400 sync-framework-call-in-async, for real: a chat model's sync `invoke` in an async node
blocks the loop for the whole model call (a LangChain fake chat model with latency stands in for
the network); the fixed `await llm.ainvoke(...)` keeps the loop free."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run
from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    llm = FakeListChatModel(responses=["Paris"], sleep=0.3)


    async def answer(state):
        reply = llm.invoke(state["question"])
        return {"answer": reply.content}
    """
)


def test_sync_invoke_blocks_the_loop_and_ainvoke_does_not(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL400")
    broken = load(CODE, tmp_path)
    repaired_code = fixed(CODE, "ASL400")
    assert "await llm.ainvoke(" in repaired_code
    repaired = load(repaired_code, tmp_path)
    state = {"question": "Capital of France?"}
    assert blocks_the_loop(lambda: broken.answer(state), 0.25)
    assert lets_the_loop_run(lambda: repaired.answer(state))
    assert asyncio.run(repaired.answer(state)) == {"answer": "Paris"}
