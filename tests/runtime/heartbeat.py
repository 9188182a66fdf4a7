"""A heartbeat on the event loop: how long the loop went without running other tasks while a
coroutine ran. A blocking call shows as a stall as long as the call; a well-behaved coroutine
leaves only scheduling jitter."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

TICK = 0.01


async def _measure(make_work: Callable[[], Awaitable[Any]]) -> float:
    stalls: list[float] = []
    done = asyncio.Event()

    async def heartbeat() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            stalls.append(now - last - TICK)
            last = now

    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(TICK * 2)
    try:
        await make_work()
    finally:
        done.set()
        await beat
    return max(stalls, default=0.0)


def longest_stall(make_work: Callable[[], Awaitable[Any]]) -> float:
    """Seconds of the longest gap between heartbeats while `make_work()` ran."""
    return asyncio.run(_measure(make_work))
