"""Whether a blocking call is made on (or makes) an object bound to its thread
(`knowledge/thread_bound.py`): a `sqlite3` connection or cursor. Handing such a call to a worker
thread raises, so the blocking rules give the thread-bound advice instead of
`await asyncio.to_thread(conn.execute, ...)`."""

from __future__ import annotations

from async_lint.analysis.blocking_calls import BlockingCallSite
from async_lint.knowledge.blocking_calls import VALUE_TYPES
from async_lint.knowledge.thread_bound import THREAD_BOUND_TYPES, ThreadBound


def thread_bound(site: BlockingCallSite) -> ThreadBound | None:
    """The thread-bound object the call is made on (`conn.execute(...)`) or makes
    (`sqlite3.connect(...)`), if any."""
    if site.receiver_type is not None and site.receiver_type in THREAD_BOUND_TYPES:
        return THREAD_BOUND_TYPES[site.receiver_type]
    made = VALUE_TYPES.get(site.entry.qualified_name)
    return THREAD_BOUND_TYPES.get(made) if made is not None else None
