"""ASL304 blocking-call: the other blocking calls in a coroutine (input, sockets, sync
database drivers, thread waits, configured calls)."""

from __future__ import annotations

from async_lint.knowledge.blocking_calls import BlockingFamily
from async_lint.knowledge.thread_bound import SQLITE_CONNECTION, THREAD_BOUND_TYPES
from async_lint.rules.base import Invalid
from async_lint.rules.blocking_call_rule import ALLOWED, HANDED_OFF, SYNC_CODE, BlockingCallRule


class BlockingOtherCall(BlockingCallRule):
    """Flags other calls that block inside an `async def`: `input()`, blocking `socket` methods
    on values shown to be sockets, `select.select`, sync database drivers and service clients
    (`sqlite3`; by package, every method of their objects but a few pure ones: redis clients,
    pipelines' `execute()` and pub/sub, pymongo clients, databases, collections and cursors,
    SQLAlchemy's sync `Session`/`Engine`/`Connection`, psycopg2/psycopg/PyMySQL connections and
    cursors, Elasticsearch, supabase's sync client, boto3 clients and resources,
    `google.generativeai` models and chats, `smtplib`, `ftplib`, `paramiko`; see
    docs/blocking-apis.md), `threading` waits
    (`Lock().acquire()`, `Event().wait()`, `Condition().wait()`, `Semaphore().acquire()`,
    `Thread().join()`), blocking `queue.Queue` `get`/`put`, `concurrent.futures.Future.result()`
    (including the future `asyncio.run_coroutine_threadsafe` returns), and every call listed
    under `blocking-calls` in `[tool.async-lint]` (`"module.func" = "what to use instead"`; a
    method as `"module.Class.method"`) or in flake8's `--async-lint-blocking-calls`, and every
    method of the receiver types listed under `blocking-packages` but their pure ones."""

    code = "ASL304"
    family = BlockingFamily.OTHER
    proof = "tests/runtime/test_asl304.py"
    name = "blocking-call"
    summary = "other blocking calls (`input()`, sync sockets and DB drivers, `threading` waits, configured calls) inside `async def`"
    why = (
        "Each of these waits on the event loop's thread, for a user, a peer, a database, another "
        "thread or a future, and nothing else runs on the loop meanwhile. Waiting on a thread lock, "
        "a queue or a `concurrent.futures.Future` that a task on the same loop must complete "
        "deadlocks the process outright (`asyncio.run_coroutine_threadsafe(coro, loop).result()` "
        "from the loop's own thread never returns)."
    )
    fix_safety = BlockingCallRule.fix_safety + (
        " A sqlite3 connection or cursor gets no thread hand-off: it is bound to the thread that "
        "opened it, so `await asyncio.to_thread(conn.execute, ...)` on a connection opened on the "
        f"loop raises `{THREAD_BOUND_TYPES[SQLITE_CONNECTION].error}`; the suggestion moves the whole "
        "job (connect, query, commit, close) into one function handed to a worker thread, or to "
        "`aiosqlite` (*Use instead*)."
    )
    use_instead = THREAD_BOUND_TYPES[SQLITE_CONNECTION].example
    """For the other calls: the async driver or primitive (`asyncpg`/`psycopg.AsyncConnection`,
    `motor`, `redis.asyncio`, `asyncio.Lock`/`Event`/`Queue`, `await asyncio.wrap_future(f)`), or
    `await asyncio.to_thread(...)` for a one-off call; the message names each."""
    not_flagged = (
        "`redis.asyncio.Redis`, `aiosqlite`, `asyncpg`, `motor` and `asyncio` primitives.",
        ("The pure methods of a sync package's objects (they build or look, and send nothing): "
        "`r.pipeline()` and the commands buffered on a pipeline, `collection.find(...)` and cursor "
        "builders stored for later, `session.add(obj)`, `session.query(...)` chains not yet fetched, "
        "`.table(...).select(...).eq(...)` builders, `s3.get_paginator(...)`, "
        "`s3.generate_presigned_url(...)`; the full lists are in docs/blocking-apis.md."),
        "A call that is awaited: whatever its receiver seemed to be, it is an async object.",
        ("Non-blocking forms: `lock.acquire(False)`, `lock.acquire(blocking=False)`, "
        "`q.get(block=False)`, `q.get_nowait()`, `q.put_nowait(x)`."),
        ("`.get()`, `.wait()`, `.result()`, `.execute()` on objects not shown to be one of these "
        "types (an `asyncio.Queue`, an `asyncio.Event`, an unknown parameter)."),
        HANDED_OFF,
        SYNC_CODE,
        ALLOWED,
    )
    valid = (
        """
        import asyncio

        async def consume(queue: asyncio.Queue):
            return await queue.get()
        """,
        """
        import redis

        cache = redis.Redis()

        async def queue_writes(events):
            pipe = cache.pipeline()
            for event in events:
                pipe.rpush("events", event)
            return pipe  # nothing is sent until `pipe.execute()`
        """,
        """
        import queue

        jobs = queue.Queue()

        async def next_job():
            return jobs.get(block=False)
        """,
        """
        import aiosqlite

        async def count(db_path):
            async with aiosqlite.connect(db_path) as db:
                return await db.execute("SELECT count(*) FROM t")
        """,
    )
    invalid = (
        Invalid(
            """
            import sqlite3

            async def save(db_path, row):
                conn = sqlite3.connect(db_path)
                conn.execute("INSERT INTO rows VALUES (?)", (row,))
                conn.commit()
            """,
        ),
        Invalid(
            """
            from pymongo import MongoClient

            db = MongoClient().shop

            async def order_count(user_id):
                return db.orders.count_documents({"user": user_id})
            """,
            fixed="""
            import asyncio
            from pymongo import MongoClient

            db = MongoClient().shop

            async def order_count(user_id):
                return await asyncio.to_thread(db.orders.count_documents, {"user": user_id})
            """,
        ),
        Invalid(
            """
            import asyncio

            async def call_soon(coro, loop):
                return asyncio.run_coroutine_threadsafe(coro, loop).result()
            """,
        ),
    )
