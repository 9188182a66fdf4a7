"""ASL300 blocking-sleep: `time.sleep()` in a coroutine stalls the event loop."""

from __future__ import annotations

from async_lint.knowledge.blocking_calls import BlockingFamily
from async_lint.rules.base import Invalid
from async_lint.rules.blocking_call_rule import ALLOWED, BlockingCallRule


class BlockingSleep(BlockingCallRule):
    """Flags `time.sleep(...)` inside an `async def` (through any import spelling:
    `import time as t`, `from time import sleep`)."""

    code = "ASL300"
    family = BlockingFamily.SLEEP
    name = "blocking-sleep"
    summary = "`time.sleep()` inside `async def`"
    why = (
        "`time.sleep()` blocks the whole thread, and the event loop runs every task on that one "
        "thread: while one coroutine sleeps, no other request, stream or timer makes progress. "
        "`await asyncio.sleep()` suspends only the current task and lets the loop run the others."
    )
    proof = "tests/runtime/test_asl300.py"
    fix_safety = (
        "Safe where the module's async library is known: `time.sleep(x)` becomes "
        "`await asyncio.sleep(x)` in asyncio code, `await trio.sleep(x)` in trio code and "
        "`await anyio.sleep(x)` in anyio code (using the module's import or alias of the "
        "library, and adding the import when there is none). The library is the one the module's "
        "loop runner starts (`asyncio.run`, `trio.run`, `anyio.run`), else the one it imports "
        "(`asyncio`, `trio`, `anyio`, or a package that runs only on asyncio, such as `aiohttp` "
        "or `langgraph`). Where nothing says, or the module uses several, the fix spells asyncio's "
        "name and is unsafe: `asyncio.sleep` under `trio.run` raises `RuntimeError: no running "
        "event loop`. Not offered inside a generator expression, where `await` would turn it into "
        "an async generator, or where the library's name means something else."
    )
    not_flagged = (
        ("`time.sleep` in a plain `def`, including a sync `def` nested inside an `async def` "
        "(it runs wherever it is called, often a worker thread)."),
        ("`time.sleep` handed to a thread: `await asyncio.to_thread(time.sleep, 1)`, "
        "`loop.run_in_executor(None, time.sleep, 1)` (it is passed, not called)."),
        "A sync FastAPI route (`def`, not `async def`): FastAPI runs those in a threadpool.",
        "A `sleep` that is not `time.sleep` (`trio.sleep`, a local function named `sleep`).",
        ALLOWED,
    )
    valid = (
        """
        import time

        def retry_later():
            time.sleep(1)
        """,
        """
        import asyncio
        import time

        async def handler():
            await asyncio.to_thread(time.sleep, 1)
        """,
        """
        import time

        async def handler():
            def slow():
                time.sleep(1)
            return slow
        """,
        """
        async def handler(sleep):
            sleep(1)
        """,
    )
    invalid = (
        Invalid(
            """
            import time

            async def fetch_data():
                time.sleep(2)
                return {"id": 1}
            """,
            fixed="""
            import asyncio
            import time

            async def fetch_data():
                await asyncio.sleep(2)
                return {"id": 1}
            """,
        ),
        Invalid(
            """
            import time
            import trio

            async def tick():
                time.sleep(1)

            trio.run(tick)
            """,
            fixed="""
            import time
            import trio

            async def tick():
                await trio.sleep(1)

            trio.run(tick)
            """,
        ),
        Invalid(
            """
            import asyncio as aio
            from time import sleep

            async def poll():
                while True:
                    sleep(0.5)
                    await aio.sleep(0)
            """,
            fixed="""
            import asyncio as aio
            from time import sleep

            async def poll():
                while True:
                    await aio.sleep(0.5)
                    await aio.sleep(0)
            """,
        ),
    )
