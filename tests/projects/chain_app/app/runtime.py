"""Running coroutines from sync code."""

import asyncio


def run_sync(coro):
    return asyncio.run(coro)


def run_if_no_loop(coro):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    raise RuntimeError("inside a running loop: await the coroutine instead")
