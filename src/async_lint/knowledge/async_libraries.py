"""The async libraries a program can run on (asyncio, trio, anyio), as data: what tells which
one a module is written for, and each library's spelling of the calls the fixes and messages
name (`await trio.sleep(x)` where asyncio code gets `await asyncio.sleep(x)`).

An asyncio call in a trio program fails at once (`RuntimeError: no running event loop`), and
trio's in an asyncio one (`RuntimeError: must be called from async context`); anyio's run on
either backend. `analysis/async_library.py` decides a module's library from these tables.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class AsyncLibrary(enum.Enum):
    ASYNCIO = "asyncio"
    TRIO = "trio"
    ANYIO = "anyio"
    """Runs on asyncio or on trio (its backends): anyio's names work under either."""


LIBRARY_MODULES: dict[str, AsyncLibrary] = {library.value: library for library in AsyncLibrary}
"""Top-level modules whose import says which library a module's async code is written for."""

RUNS_ON_ASYNCIO = frozenset(
    {
        "aiohttp",
        "aiofiles",
        "aiosqlite",
        "aiomysql",
        "aioredis",
        "asyncpg",
        "motor",
        "uvloop",
        "aiogram",
        "discord",
        "telegram",
        "langgraph",
        "langchain_core",
        "nest_asyncio",
    }
)
"""Top-level packages whose async API needs an asyncio loop (they call `asyncio` themselves):
a module importing one runs its coroutines on asyncio."""

LOOP_RUNNERS: dict[str, AsyncLibrary] = {
    "asyncio.run": AsyncLibrary.ASYNCIO,
    "asyncio.runners.run": AsyncLibrary.ASYNCIO,
    "asyncio.Runner": AsyncLibrary.ASYNCIO,
    "asyncio.runners.Runner": AsyncLibrary.ASYNCIO,
    "trio.run": AsyncLibrary.TRIO,
    "anyio.run": AsyncLibrary.ANYIO,
}
"""Calls that start a library's loop: a module making one runs its coroutines there."""


@dataclass(frozen=True)
class LibraryCall:
    """One library's spelling of a call."""

    qualified: str
    keywords: bool = True
    """Passes keyword arguments on to the function it runs (`asyncio.to_thread(f, x, k=1)`);
    trio's and anyio's `run_sync` take positional ones only: `functools.partial` carries the
    keywords there."""
    takes_function: bool = False
    """Takes the async function and its arguments (`trio.run(main, x)`), not a coroutine
    (`asyncio.run(main(x))`)."""


SLEEP = "asyncio.sleep"
TO_THREAD = "asyncio.to_thread"
RUN = "asyncio.run"

SPELLINGS: dict[str, dict[AsyncLibrary, LibraryCall]] = {
    SLEEP: {
        AsyncLibrary.ASYNCIO: LibraryCall(SLEEP),
        AsyncLibrary.TRIO: LibraryCall("trio.sleep"),
        AsyncLibrary.ANYIO: LibraryCall("anyio.sleep"),
    },
    TO_THREAD: {
        AsyncLibrary.ASYNCIO: LibraryCall(TO_THREAD),
        AsyncLibrary.TRIO: LibraryCall("trio.to_thread.run_sync", keywords=False),
        AsyncLibrary.ANYIO: LibraryCall("anyio.to_thread.run_sync", keywords=False),
    },
    RUN: {
        AsyncLibrary.ASYNCIO: LibraryCall(RUN),
        AsyncLibrary.TRIO: LibraryCall("trio.run", keywords=False, takes_function=True),
        AsyncLibrary.ANYIO: LibraryCall("anyio.run", keywords=False, takes_function=True),
    },
    "asyncio.create_subprocess_exec": {
        AsyncLibrary.ASYNCIO: LibraryCall("asyncio.create_subprocess_exec"),
        AsyncLibrary.TRIO: LibraryCall("trio.run_process"),
        AsyncLibrary.ANYIO: LibraryCall("anyio.run_process"),
    },
    **{
        f"asyncio.{primitive}": {library: LibraryCall(f"{library.value}.{primitive}") for library in AsyncLibrary}
        for primitive in ("Lock", "Event", "Condition", "Semaphore")
    },
}
"""By the asyncio name (as the other tables and the messages spell it): each library's own.
The synchronisation primitives are named alike in all three (messages only; no fix builds them)."""

KEYWORD_BINDER = "functools.partial"
"""Binds a call's keyword arguments for a runner that passes only positional ones."""

DEFAULT_LIBRARY = AsyncLibrary.ASYNCIO
"""Whose names a fix spells when the module's library is unknown (the fix is then not safe)."""
