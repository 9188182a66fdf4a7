"""ASL304 blocking-call, for real: `queue.Queue.get` (a blocking wait) in a coroutine stalls the
loop; `asyncio.to_thread` (the fix) keeps it ticking. A sqlite3 connection opened on the loop
cannot be handed to a worker thread call by call (`sqlite3.ProgrammingError`): the advice (the
whole job in one thread, or aiosqlite) runs."""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from async_lint.diagnostics import Applicability
from async_lint.rules.blocking_call import BlockingOtherCall
from tests.helpers import check, fix
from tests.runtime.heartbeat import blocks_the_loop, lets_the_loop_run
from tests.runtime.proofs import assert_clean, assert_flagged, fixed, load, source

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


# --- a sqlite3 connection is bound to the thread that opened it ---

SQLITE = source(
    """
    import sqlite3


    async def save(db_path, row):
        conn = sqlite3.connect(db_path)
        conn.execute("CREATE TABLE IF NOT EXISTS rows (x)")
        conn.execute("INSERT INTO rows VALUES (?)", (row,))
        conn.commit()
        conn.close()
    """
)
HANDED_OFF_CALL_BY_CALL = SQLITE.replace("import sqlite3", "import asyncio\nimport sqlite3").replace(
    '    conn.execute("CREATE TABLE IF NOT EXISTS rows (x)")',
    '    await asyncio.to_thread(conn.execute, "CREATE TABLE IF NOT EXISTS rows (x)")',
)
assert HANDED_OFF_CALL_BY_CALL != SQLITE
"""What the fix used to write: each call on the connection handed to a worker thread."""


def _rows(db_path: Path) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return conn.execute("SELECT x FROM rows").fetchall()


def test_a_sqlite_connection_cannot_be_handed_to_a_thread_call_by_call(tmp_path: Path) -> None:
    found = [d for d in check(SQLITE) if d.code == "ASL304"]
    assert [d.start.row for d in found] == [5, 6, 7, 8]
    for finding in found:
        assert "bound to the thread that opened it" in finding.message
        assert finding.fix is not None and finding.fix.applicability is Applicability.SUGGESTION
        assert "to_thread(conn." not in finding.message + finding.fix.message
    assert fix(SQLITE, frozenset({"ASL304"}), unsafe=True) == SQLITE, "no fix writes a call-by-call hand-off"

    broken = load(HANDED_OFF_CALL_BY_CALL, tmp_path)
    with pytest.raises(sqlite3.ProgrammingError, match="SQLite objects created in a thread can only be used in that same thread"):
        asyncio.run(broken.save(tmp_path / "broken.db", 1))


def test_the_advice_runs_the_whole_job_in_one_thread_or_on_aiosqlite(tmp_path: Path) -> None:
    """The rule page's *Use instead*, run as it is written there."""
    advice = load(BlockingOtherCall.use_instead or "", tmp_path)
    assert_clean(BlockingOtherCall.use_instead or "", "ASL304")
    db = tmp_path / "rows.db"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE rows (x)")
    asyncio.run(advice.save(db, 1))
    asyncio.run(advice.save_with_aiosqlite(db, 2))
    assert _rows(db) == [(1,), (2,)]

    async def save_slowly() -> None:
        # The job in the worker thread takes its time: the loop keeps beating meanwhile.
        def slow_job() -> None:
            time.sleep(0.3)
            advice.save_row(db, 3)

        await asyncio.to_thread(slow_job)

    assert lets_the_loop_run(save_slowly)
    assert _rows(db)[-1] == (3,)
