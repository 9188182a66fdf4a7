"""ASL303 blocking-subprocess, for real: `subprocess.run` in a coroutine stalls the loop until the
child exits; `asyncio.create_subprocess_exec` (the documented replacement) does not."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run
from tests.runtime.proofs import assert_flagged, load, source

CHILD = [sys.executable, "-c", "import time; time.sleep(0.3)"]

CODE = source(
    """
    import subprocess


    async def run_child(argv):
        return subprocess.run(argv).returncode
    """
)

REPLACEMENT = source(
    """
    import asyncio


    async def run_child(argv):
        process = await asyncio.create_subprocess_exec(*argv)
        return await process.wait()
    """
)


def test_subprocess_run_stalls_the_loop_and_the_replacement_does_not(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL303")
    broken = load(CODE, tmp_path)
    replacement = load(REPLACEMENT, tmp_path)
    assert blocks_the_loop(lambda: broken.run_child(CHILD), 0.25)
    assert lets_the_loop_run(lambda: replacement.run_child(CHILD))
