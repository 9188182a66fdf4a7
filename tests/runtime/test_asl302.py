"""ASL302 blocking-file-io, for real: `open()` in a coroutine is a blocking call on the loop's
thread (blockbuster raises `BlockingError`); the documented replacement, the whole read in
`await asyncio.to_thread(...)`, is not."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from blockbuster import BlockingError, blockbuster_ctx

from tests.runtime.proofs import assert_flagged, load, source

CODE = source(
    """
    async def read_settings(path):
        with open(path) as settings:
            return settings.read()
    """
)

REPLACEMENT = source(
    """
    import asyncio


    def _read(path):
        with open(path) as settings:
            return settings.read()


    async def read_settings(path):
        return await asyncio.to_thread(_read, path)
    """
)


def test_open_in_a_coroutine_blocks_and_the_replacement_does_not(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL302")
    settings = tmp_path / "settings.toml"
    settings.write_text("debug = true\n")
    broken = load(CODE, tmp_path)
    replacement = load(REPLACEMENT, tmp_path)
    with blockbuster_ctx(), pytest.raises(BlockingError):
        asyncio.run(broken.read_settings(settings))
    with blockbuster_ctx():
        assert asyncio.run(replacement.read_settings(settings)) == "debug = true\n"
