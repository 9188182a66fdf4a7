"""ASL501 await-in-loop, for real: a loop awaiting one GET per item to a slow local server sends
them one at a time; the `--unsafe-fixes` output (`results.extend(await asyncio.gather(...))`)
has the server serving every item's request at once, and returns the same results in the same
order. The wall time of both is measured and recorded (`record_property`), not asserted."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.local_http import echo_server
from tests.runtime.proofs import assert_flagged, fixed, load, source

DELAY = 0.2
ITEMS = [3, 1, 4, 1, 5]

CODE = source(
    """
    import httpx

    BASE_URL = ""


    async def fetch_all(ids):
        async with httpx.AsyncClient(base_url=BASE_URL) as client:
            results = []
            for item in ids:
                results.append(await client.get(f"/items/{item}"))
        return [response.json() for response in results]
    """
)


def test_a_loop_of_awaits_is_serial_and_the_gathered_fix_is_not(tmp_path: Path, record_property: pytest.RecordProperty) -> None:
    assert_flagged(CODE, "ASL501")
    repaired_code = fixed(CODE, "ASL501", unsafe=True)
    assert "results.extend(await asyncio.gather(*(" in repaired_code
    looped = load(CODE, tmp_path)
    gathered = load(repaired_code, tmp_path)
    with echo_server(DELAY) as (base_url, server):
        looped.BASE_URL = gathered.BASE_URL = base_url
        before_seconds, before, before_at_once = server.measure(lambda: asyncio.run(looped.fetch_all(ITEMS)))
        after_seconds, after, after_at_once = server.measure(lambda: asyncio.run(gathered.fetch_all(ITEMS)))
    assert before == after == [{"path": f"/items/{item}"} for item in ITEMS]
    assert (before_at_once, after_at_once) == (1, len(ITEMS))
    record_property("loop_seconds", round(before_seconds, 3))
    record_property("gathered_seconds", round(after_seconds, 3))
    print(f"{len(ITEMS)} calls of {DELAY}s: loop {before_seconds:.3f}s, gathered {after_seconds:.3f}s")
