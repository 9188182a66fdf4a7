"""ASL305 blocking-call-reachable-from-async, for real: a coroutine calls a sync helper whose
chain reaches a blocking call; the loop stalls for the whole chain. The fix (`await
asyncio.to_thread(build_report, ...)`) keeps the loop ticking."""

from __future__ import annotations

from pathlib import Path

from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run
from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    import time


    def load_rows(source):
        time.sleep(0.3)  # a slow query, say
        return [source, source]


    def build_report(source):
        return {"rows": len(load_rows(source))}


    async def report(source):
        summary = build_report(source)
        return summary
    """
)


def test_a_blocking_call_two_calls_down_stalls_the_loop_and_the_fix_does_not(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL305")
    broken = load(CODE, tmp_path)
    repaired_code = fixed(CODE, "ASL305", unsafe=True)
    assert "await asyncio.to_thread(build_report, source)" in repaired_code
    repaired = load(repaired_code, tmp_path)
    assert blocks_the_loop(lambda: broken.report("db"), 0.25)
    assert lets_the_loop_run(lambda: repaired.report("db"))
