"""Objects bound to the thread that made them, as data: handing one of their method calls to a
worker thread (`await asyncio.to_thread(conn.execute, ...)`) fails, so the advice for a blocking
call on one is to move the whole use, from making the object on, into one function run in the
thread, or an async driver.

By the receiver type the blocking-call catalog gives the object (`knowledge/blocking_calls.py`:
`sqlite3.connect(...)` makes a `sqlite3.Connection`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ThreadBound:
    error: str
    """What a use from another thread raises."""
    advice: str
    """What to do instead, as the message shows it after a `;` (the module's library's
    spelling of `asyncio.to_thread` replaces asyncio's)."""
    example: str
    """The advice as code, for the rule pages."""


_SQLITE = ThreadBound(
    error="sqlite3.ProgrammingError: SQLite objects created in a thread can only be used in that same thread",
    advice=(
        "a sqlite3 connection is bound to the thread that opened it: run the whole job (connect, "
        "query, commit, close) in one function with `await asyncio.to_thread(job, ...)`, or use `aiosqlite`"
    ),
    example=(
        "import asyncio\n"
        "import sqlite3\n"
        "\n"
        "def save_row(db_path, row):\n"
        "    conn = sqlite3.connect(db_path)  # opened, used and closed in one worker thread\n"
        "    try:\n"
        '        conn.execute("INSERT INTO rows VALUES (?)", (row,))\n'
        "        conn.commit()\n"
        "    finally:\n"
        "        conn.close()\n"
        "\n"
        "async def save(db_path, row):\n"
        "    await asyncio.to_thread(save_row, db_path, row)\n"
        "\n"
        "# or the async driver\n"
        "import aiosqlite\n"
        "\n"
        "async def save_with_aiosqlite(db_path, row):\n"
        "    async with aiosqlite.connect(db_path) as db:\n"
        '        await db.execute("INSERT INTO rows VALUES (?)", (row,))\n'
        "        await db.commit()\n"
    ),
)

SQLITE_CONNECTION = "sqlite3.Connection"

THREAD_BOUND_TYPES: dict[str, ThreadBound] = {
    SQLITE_CONNECTION: _SQLITE,
    "sqlite3.Cursor": _SQLITE,
}
"""By receiver type. (A connection opened with `check_same_thread=False` may be shared, but the
advice runs for it as well.)"""
