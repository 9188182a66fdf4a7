"""ASL500 sequential-independent-awaits, for real: three independent GETs to a slow local server,
awaited one after the other, reach the server one at a time; the `--unsafe-fixes` output
(`asyncio.gather`) has the server serving all three at once and returns the same results. The
wall time of both is measured and recorded (`record_property`), not asserted: it depends on the
machine, the server's concurrency does not."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.local_http import serve_both
from tests.runtime.proofs import assert_flagged, fixed, load, source

DELAY = 0.2

CODE = source(
    """
    import httpx

    BASE_URL = ""


    async def dashboard(uid):
        async with httpx.AsyncClient(base_url=BASE_URL) as client:
            profile = await client.get(f"/users/{uid}")
            orders = await client.get(f"/orders/{uid}")
            invoices = await client.get(f"/invoices/{uid}")
        return [profile.json(), orders.json(), invoices.json()]
    """
)


def test_sequential_reads_wait_for_each_other_and_gathered_ones_do_not(tmp_path: Path, record_property: pytest.RecordProperty) -> None:
    assert_flagged(CODE, "ASL500")
    repaired_code = fixed(CODE, "ASL500", unsafe=True)
    assert "await asyncio.gather(" in repaired_code
    before, after = serve_both(load(CODE, tmp_path), load(repaired_code, tmp_path), lambda module: asyncio.run(module.dashboard(7)), DELAY)
    assert before.result == after.result == [{"path": "/users/7"}, {"path": "/orders/7"}, {"path": "/invoices/7"}]
    assert (before.most_at_once, after.most_at_once) == (1, 3)
    record_property("sequential_seconds", round(before.seconds, 3))
    record_property("gathered_seconds", round(after.seconds, 3))
    print(f"3 calls of {DELAY}s: sequential {before.seconds:.3f}s, gathered {after.seconds:.3f}s")
