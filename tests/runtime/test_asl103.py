"""ASL103 async-context-manager-misuse, for real: `with httpx.AsyncClient()` and
`with asyncio.TaskGroup()` raise at once; the fixed `async with` works."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    import asyncio

    import httpx


    async def client_is_open():
        with httpx.AsyncClient() as client:
            return not client.is_closed


    async def run_both():
        results = []
        with asyncio.TaskGroup() as tg:
            tg.create_task(asyncio.sleep(0))
            results.append("started")
        return results
    """
)


def test_sync_with_on_async_context_managers_fails_and_async_with_works(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL103")
    broken = load(CODE, tmp_path)
    with pytest.raises((TypeError, AttributeError), match="__enter__|context manager"):
        asyncio.run(broken.client_is_open())
    with pytest.raises((TypeError, AttributeError), match="__enter__|context manager"):
        asyncio.run(broken.run_both())
    repaired = load(fixed(CODE, "ASL103"), tmp_path)
    assert asyncio.run(repaired.client_is_open()) is True
    assert asyncio.run(repaired.run_both()) == ["started"]
