"""ASL101 coroutine-never-awaited, for real: the name holds a coroutine object, not the data
(`'coroutine' object is not subscriptable`); the fixed code gets the data."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.proofs import assert_flagged, fixed, load, never_awaited_warnings, source

CODE = source(
    """
    import asyncio


    async def fetch_user(user_id):
        await asyncio.sleep(0)
        return {"id": user_id, "name": "Ada"}


    async def handler():
        user = fetch_user(7)
        return user["name"]
    """
)


def test_the_name_holds_a_coroutine_and_the_fix_holds_the_data(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL101")
    broken = load(CODE, tmp_path)
    with never_awaited_warnings(), pytest.raises(TypeError, match="'coroutine' object is not subscriptable"):
        asyncio.run(broken.handler())
    repaired = load(fixed(CODE, "ASL101"), tmp_path)
    assert asyncio.run(repaired.handler()) == "Ada"
