"""ASL501 await-in-loop, for real: a loop awaiting one GET per item to a slow local server sends
them one at a time; the `--unsafe-fixes` output (`results.extend(await asyncio.gather(...))`)
has the server serving every item's request at once, and returns the same results in the same
order. The wall time of both is measured and recorded (`record_property`), not asserted."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.local_http import serve_both
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
    before, after = serve_both(load(CODE, tmp_path), load(repaired_code, tmp_path), lambda module: asyncio.run(module.fetch_all(ITEMS)), DELAY)
    assert before.result == after.result == [{"path": f"/items/{item}"} for item in ITEMS]
    assert (before.most_at_once, after.most_at_once) == (1, len(ITEMS))
    record_property("loop_seconds", round(before.seconds, 3))
    record_property("gathered_seconds", round(after.seconds, 3))
    print(f"{len(ITEMS)} calls of {DELAY}s: loop {before.seconds:.3f}s, gathered {after.seconds:.3f}s")
