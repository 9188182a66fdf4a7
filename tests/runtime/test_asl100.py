"""ASL100 unawaited-coroutine, for real: a coroutine call used as a statement never runs (Python
warns `coroutine ... was never awaited`); the fixed call runs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    """
    import asyncio

    saved = []


    async def save(record):
        await asyncio.sleep(0)
        saved.append(record)


    async def handler():
        save({"id": 1})
        await asyncio.sleep(0.01)
        return list(saved)
    """
)


def test_unawaited_call_never_runs_and_the_fix_does(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL100")
    broken = load(CODE, tmp_path)
    with pytest.warns(RuntimeWarning, match="coroutine 'save' was never awaited"):
        assert asyncio.run(broken.handler()) == []
    repaired = load(fixed(CODE, "ASL100"), tmp_path)
    assert asyncio.run(repaired.handler()) == [{"id": 1}]
