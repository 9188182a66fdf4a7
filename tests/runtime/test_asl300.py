"""ASL300 blocking-sleep, for real: `time.sleep` in a coroutine stops every other task on the
loop (blockbuster catches the blocking call, and a heartbeat task misses its ticks); the fixed
code keeps the loop free. In a trio program the fix is `await trio.sleep(...)`, which runs under
`trio.run` where `asyncio.sleep` raises `RuntimeError: no running event loop`; in an anyio
program `await anyio.sleep(...)`, which runs on both of anyio's backends."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from blockbuster import BlockingError, blockbuster_ctx

from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run, trio_heartbeat
from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    import asyncio
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


TRIO_CODE = source(
    """
    import time
    import trio


    async def tick(seconds):
        time.sleep(seconds)
        return "done"


    def main():
        return trio.run(tick, 0.3)
    """
)


def test_in_a_trio_program_the_fix_is_trio_sleep_and_runs_under_trio_run(tmp_path: Path) -> None:
    assert_flagged(TRIO_CODE, "ASL300")
    repaired_text = fixed(TRIO_CODE, "ASL300")  # a safe fix: the module runs on trio
    assert "await trio.sleep(seconds)" in repaired_text and "asyncio" not in repaired_text
    broken, repaired = load(TRIO_CODE, tmp_path), load(repaired_text, tmp_path)
    assert repaired.main() == "done"
    assert trio_heartbeat(lambda: broken.tick(0.3)).longest_stall >= 0.25
    assert trio_heartbeat(lambda: repaired.tick(0.3)).during > 0

    # What the fix wrote before it knew the module's library: asyncio's sleep, under trio.run.
    asyncio_fixed = load(TRIO_CODE.replace("import time", "import asyncio").replace("time.sleep(seconds)", "await asyncio.sleep(seconds)"), tmp_path)
    with pytest.raises(RuntimeError, match="no running event loop"):
        asyncio_fixed.main()


ANYIO_CODE = source(
    """
    import time
    import anyio


    async def tick(seconds):
        time.sleep(seconds)
        return "done"


    def main(backend):
        return anyio.run(tick, 0.05, backend=backend)
    """
)


def test_in_an_anyio_program_the_fix_is_anyio_sleep_on_either_backend(tmp_path: Path) -> None:
    assert_flagged(ANYIO_CODE, "ASL300")
    repaired_text = fixed(ANYIO_CODE, "ASL300")
    assert "await anyio.sleep(seconds)" in repaired_text and "asyncio" not in repaired_text
    repaired = load(repaired_text, tmp_path)
    assert repaired.main("asyncio") == repaired.main("trio") == "done"
    assert lets_the_loop_run(lambda: repaired.tick(0.3))
