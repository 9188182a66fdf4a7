"""ASL201 loop-runner-in-handler, for real: a sync LangChain `@tool` that calls `asyncio.run` runs
inline under `tool.invoke()`, so called from code already on a running loop (an async agent
step, a notebook cell) it raises `RuntimeError: asyncio.run() cannot be called from a running
event loop`. The (unsafe) fix makes the tool `async def`; agents call it with `ainvoke`, which works."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.proofs import assert_flagged, fixed, load, never_awaited_warnings, source

CODE = source(
    """
    import asyncio

    from langchain_core.tools import tool


    async def fetch_article(topic):
        await asyncio.sleep(0)
        return f"article about {topic}"


    @tool
    def lookup_article(topic: str) -> str:
        \"\"\"Look a help-centre article up.\"\"\"
        return asyncio.run(fetch_article(topic))
    """
)


def test_sync_tool_running_a_loop_fails_on_a_running_loop_and_the_async_tool_works(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL201")
    broken = load(CODE, tmp_path)

    async def agent_step(tool):  # noqa: ANN001, ANN202 - code that already runs on the loop
        return tool.invoke({"topic": "billing"})

    with never_awaited_warnings(), pytest.raises(RuntimeError, match=r"asyncio.run\(\) cannot be called from a running event loop"):
        asyncio.run(agent_step(broken.lookup_article))

    repaired_code = fixed(CODE, "ASL201", unsafe=True)
    assert "async def lookup_article(topic: str) -> str:" in repaired_code
    assert "return await fetch_article(topic)" in repaired_code
    repaired = load(repaired_code, tmp_path)
    assert asyncio.run(repaired.lookup_article.ainvoke({"topic": "billing"})) == "article about billing"
