"""ASL304 blocking-call, for real: `queue.Queue.get` (a blocking wait) in a coroutine stalls the
loop; `asyncio.to_thread` (the fix) keeps it ticking."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run
from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    import queue

    jobs = queue.Queue()


    async def next_job():
        job = jobs.get(timeout=5)
        return job
    """
)


def test_blocking_queue_get_stalls_the_loop_and_the_fix_does_not(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL304")
    broken = load(CODE, tmp_path)
    repaired = load(fixed(CODE, "ASL304", unsafe=True), tmp_path)
    for module in (broken, repaired):
        assert isinstance(module.jobs, queue.Queue)
    threading.Timer(0.3, broken.jobs.put, args=("job-1",)).start()
    assert blocks_the_loop(broken.next_job, 0.25)
    threading.Timer(0.3, repaired.jobs.put, args=("job-2",)).start()
    assert lets_the_loop_run(repaired.next_job)
