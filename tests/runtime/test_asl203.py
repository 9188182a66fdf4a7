"""ASL203 loop-runner-in-loop, for real: one `asyncio.run` per item runs the items one after the
other (N items take N waits); one `asyncio.run` over `asyncio.gather` (the documented shape)
takes about one wait."""

from __future__ import annotations

import time
from pathlib import Path

from tests.runtime.proofs import assert_flagged, load, source

WAIT = 0.1
ITEMS = list(range(5))

CODE = source(
    """
    import asyncio


    async def fetch(item):
        await asyncio.sleep(0.1)
        return item * 2


    def fetch_all(items):
        results = []
        for item in items:
            results.append(asyncio.run(fetch(item)))
        return results
    """
)

REPLACEMENT = source(
    """
    import asyncio


    async def fetch(item):
        await asyncio.sleep(0.1)
        return item * 2


    async def _fetch_all(items):
        return await asyncio.gather(*(fetch(item) for item in items))


    def fetch_all(items):
        return list(asyncio.run(_fetch_all(items)))
    """
)


def _seconds(function, items) -> tuple[float, list]:  # noqa: ANN001
    start = time.perf_counter()
    result = function(items)
    return time.perf_counter() - start, result


def test_a_loop_per_item_is_serial_and_one_gathered_loop_is_not(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL203")
    serial, serial_result = _seconds(load(CODE, tmp_path).fetch_all, ITEMS)
    gathered, gathered_result = _seconds(load(REPLACEMENT, tmp_path).fetch_all, ITEMS)
    assert serial_result == gathered_result == [0, 2, 4, 6, 8]
    assert serial >= WAIT * len(ITEMS) * 0.9
    assert gathered < WAIT * len(ITEMS) / 2
