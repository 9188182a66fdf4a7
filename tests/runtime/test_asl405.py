"""ASL405 async-only-tool-sync-call, for real: an `@tool async def` driven by `.invoke` raises
`NotImplementedError: StructuredTool does not support sync invocation`; `ainvoke` works."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.proofs import assert_flagged, load, source

CODE = source(
    """
    import asyncio

    from langchain_core.tools import tool


    @tool
    async def lookup_order(order_id: str) -> str:
        \"\"\"Look an order up.\"\"\"
        await asyncio.sleep(0)
        return f"order {order_id}: shipped"


    def status(order_id):
        return lookup_order.invoke({"order_id": order_id})
    """
)


def test_async_only_tool_under_invoke_fails_and_ainvoke_works(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL405")
    module = load(CODE, tmp_path)
    with pytest.raises(NotImplementedError, match="StructuredTool does not support sync invocation"):
        module.status("42")
    assert asyncio.run(module.lookup_order.ainvoke({"order_id": "42"})) == "order 42: shipped"
