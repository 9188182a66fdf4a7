"""The thread hand-off fix in a trio program, for real: `await trio.to_thread.run_sync(...)`
(keywords bound with `functools.partial`, which `run_sync` needs) runs the blocking call in a
worker thread under `trio.run` and the loop keeps beating; `asyncio.to_thread` there raises
`RuntimeError: no running event loop`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.runtime.heartbeat import trio_heartbeat
from tests.runtime.proofs import assert_flagged, fixed, load, source

CODE = source(
    f"""
    import subprocess
    import trio

    COMMAND = [{sys.executable!r}, "-c", "import time; time.sleep(0.3); print('built')"]


    async def build():
        subprocess.run(COMMAND, check=True, capture_output=True)
        return "done"


    def main():
        return trio.run(build)
    """
)


def test_the_trio_hand_off_runs_under_trio_run(tmp_path: Path) -> None:
    assert_flagged(CODE, "ASL303")
    repaired_text = fixed(CODE, "ASL303", unsafe=True)
    assert "await trio.to_thread.run_sync(functools.partial(subprocess.run, COMMAND, check=True, capture_output=True))" in repaired_text
    broken, repaired = load(CODE, tmp_path), load(repaired_text, tmp_path)
    assert repaired.main() == "done"
    assert trio_heartbeat(broken.build).longest_stall >= 0.25
    assert trio_heartbeat(repaired.build).during > 0

    asyncio_handoff = load(
        CODE.replace("import trio", "import asyncio\nimport trio").replace(
            "subprocess.run(COMMAND, check=True, capture_output=True)",
            "await asyncio.to_thread(subprocess.run, COMMAND, check=True, capture_output=True)",
        ),
        tmp_path,
    )
    with pytest.raises(RuntimeError, match="no running event loop"):
        asyncio_handoff.main()
