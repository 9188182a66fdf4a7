"""ASL300 blocking-sleep, for real: `time.sleep` in a coroutine stops every other task on the
loop (blockbuster catches the blocking call, and a heartbeat task misses its ticks); the fixed
code keeps the loop free."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from blockbuster import BlockingError, blockbuster_ctx

from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run
from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    import time


    async def fetch_data():
        time.sleep(0.3)
        return {"id": 1}
    """
)


def test_time_sleep_blocks_the_loop_and_the_fix_does_not(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL300")
    broken = load(CODE, tmp_path)
    repaired = load(fixed(CODE, "ASL300"), tmp_path)

    with blockbuster_ctx(), pytest.raises(BlockingError, match="time.sleep"):
        asyncio.run(broken.fetch_data())
    with blockbuster_ctx():
        assert asyncio.run(repaired.fetch_data()) == {"id": 1}

    assert blocks_the_loop(broken.fetch_data, 0.25)
    assert lets_the_loop_run(repaired.fetch_data)
