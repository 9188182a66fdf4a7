"""A heartbeat on the event loop, to show whether a coroutine lets the loop run other tasks
(on asyncio, or on trio: `trio_heartbeat`).

A blocking call stops the heartbeat for as long as the call takes: the longest gap between two
beats is at least the call's duration, whatever else the machine is doing (a busy machine only
makes gaps longer). A well-behaved coroutine lets the heartbeat beat while it waits: at least
one beat falls inside it. Neither check has an upper time bound, so a loaded machine cannot
make them fail."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

TICK = 0.01


@dataclass(frozen=True)
class Beats:
    longest_stall: float
    """Seconds of the longest gap between two heartbeats while the work ran."""
    during: int
    """Heartbeats that ran while the work was in flight (0: the loop never got control)."""


async def _measure(make_work: Callable[[], Awaitable[Any]]) -> Beats:
    stalls: list[float] = []
    done = asyncio.Event()
    in_flight = False
    during = 0

    async def heartbeat() -> None:
        nonlocal during
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            stalls.append(now - last - TICK)
            last = now
            during += in_flight

    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(TICK * 2)
    in_flight = True
    try:
        await make_work()
    finally:
        in_flight = False
        done.set()
        await beat
    return Beats(max(stalls, default=0.0), during)


def heartbeat(make_work: Callable[[], Awaitable[Any]]) -> Beats:
    """Run `make_work()` on a fresh loop beside a heartbeat task."""
    return asyncio.run(_measure(make_work))


def blocks_the_loop(make_work: Callable[[], Awaitable[Any]], duration: float) -> bool:
    """The loop ran nothing else for at least `duration` seconds while the work ran."""
    return heartbeat(make_work).longest_stall >= duration


def lets_the_loop_run(make_work: Callable[[], Awaitable[Any]]) -> bool:
    """Other tasks ran while the work was in flight."""
    return heartbeat(make_work).during > 0


async def _measure_on_trio(make_work: Callable[[], Awaitable[Any]]) -> Beats:
    import trio

    stalls: list[float] = []
    in_flight = False
    during = 0

    async def heartbeat(cancel: trio.CancelScope) -> None:
        nonlocal during
        with cancel:
            last = time.perf_counter()
            while True:
                await trio.sleep(TICK)
                now = time.perf_counter()
                stalls.append(now - last - TICK)
                last = now
                during += in_flight

    cancel = trio.CancelScope()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(heartbeat, cancel)
        await trio.sleep(TICK * 2)
        in_flight = True
        try:
            await make_work()
        finally:
            in_flight = False
            await trio.sleep(TICK * 2)  # the beat after a blocking call shows its stall
            cancel.cancel()
    return Beats(max(stalls, default=0.0), during)


def trio_heartbeat(make_work: Callable[[], Awaitable[Any]]) -> Beats:
    """Run `make_work()` under `trio.run` beside a heartbeat task."""
    import trio

    return trio.run(_measure_on_trio, make_work)
