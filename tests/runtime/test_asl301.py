"""ASL301 blocking-http, for real: `requests.get` to a slow local server inside a coroutine stalls
the event loop for the whole request; the fix (`await asyncio.to_thread(...)`) keeps it ticking."""

from __future__ import annotations

from pathlib import Path

from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run
from tests.runtime.local_http import DELAY, slow_server
from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    import requests

    BASE_URL = ""


    async def status():
        response = requests.get(BASE_URL + "/status", timeout=5)
        return response.json()
    """
)


def test_requests_in_a_coroutine_stalls_the_loop_and_the_fix_does_not(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL301")
    broken = load(CODE, tmp_path)
    repaired = load(fixed(CODE, "ASL301", unsafe=True), tmp_path)
    with slow_server() as base_url:
        broken.BASE_URL = repaired.BASE_URL = base_url
        assert blocks_the_loop(broken.status, DELAY * 0.8)
        assert lets_the_loop_run(repaired.status)
