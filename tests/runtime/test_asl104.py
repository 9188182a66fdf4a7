"""ASL104 dangling-task, for real: the event loop keeps only weak references to tasks, so a task
nobody references can be garbage-collected before it finishes; a kept task completes.

The task waits on a future that its producer holds weakly (as many event emitters do). With the
task dropped, `gc.collect()` destroys it mid-flight and its work never happens."""

from __future__ import annotations

import asyncio
import gc
import weakref

from tests.runtime.proofs import assert_flagged, source

DROPPED = source(
    """
    import asyncio


    async def start(job):
        asyncio.create_task(job())
    """
)


async def _scenario(keep_reference: bool) -> tuple[bool, list[str]]:
    loop = asyncio.get_running_loop()
    waiters: weakref.WeakSet[asyncio.Future[str]] = weakref.WeakSet()
    done: list[str] = []

    async def job() -> None:
        future: asyncio.Future[str] = loop.create_future()
        waiters.add(future)
        done.append(await future)

    background: set[asyncio.Task[None]] = set()
    task = asyncio.create_task(job())
    if keep_reference:
        background.add(task)
        task.add_done_callback(background.discard)
    alive = weakref.ref(task)
    del task
    await asyncio.sleep(0)  # the job starts and waits
    gc.collect()
    for future in list(waiters):
        future.set_result("finished")
    await asyncio.sleep(0.01)
    return alive() is not None or bool(done), done


def test_dropped_task_is_collected_mid_flight_and_a_kept_one_completes() -> None:
    assert_flagged(DROPPED, "ASL104")
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda loop, context: None)  # "Task was destroyed but it is pending!"
    try:
        survived, done = loop.run_until_complete(_scenario(keep_reference=False))
        assert (survived, done) == (False, [])
        survived, done = loop.run_until_complete(_scenario(keep_reference=True))
        assert done == ["finished"]
    finally:
        loop.close()
