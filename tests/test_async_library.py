"""The module's own async library (`analysis/async_library.py`): decided from the loop it starts
and what it imports, and used by the fixes and messages (`trio.sleep`, `trio.to_thread.run_sync`,
`trio.run(f, x)` in trio code); where it is not known, a fix naming one library is not safe."""

from __future__ import annotations

import textwrap

import pytest

from async_lint.analysis.async_library import LibraryVerdict, module_library
from async_lint.diagnostics import Applicability
from async_lint.knowledge.async_libraries import AsyncLibrary
from tests.helpers import check, fix, walker


def _verdict(text: str) -> LibraryVerdict:
    ctx = walker(textwrap.dedent(text), {})
    return module_library(ctx)


@pytest.mark.parametrize(
    ("text", "library"),
    [
        ("import trio\n", AsyncLibrary.TRIO),
        ("from anyio import to_thread\n", AsyncLibrary.ANYIO),
        ("import asyncio as aio\n", AsyncLibrary.ASYNCIO),
        ("from aiohttp import ClientSession\n", AsyncLibrary.ASYNCIO),  # runs only on asyncio
        ("from langgraph.graph import StateGraph\n", AsyncLibrary.ASYNCIO),
        # the loop the module starts decides, whatever else it imports
        ("import asyncio\nimport trio\n\nasync def main(): ...\n\nif __name__ == '__main__':\n    trio.run(main)\n", AsyncLibrary.TRIO),
        ("import asyncio, anyio\n\ndef main():\n    anyio.run(serve)\n", AsyncLibrary.ANYIO),
        ("import sys, asyncio, trio\nsys.exit(asyncio.run(main()))\n", AsyncLibrary.ASYNCIO),
    ],
)
def test_the_module_library(text: str, library: AsyncLibrary) -> None:
    assert _verdict(text).library is library


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("import time\n", "nothing in the module says whether it runs on asyncio, trio or anyio"),
        ("import fastapi\n", "nothing in the module says whether it runs on asyncio, trio or anyio"),  # anyio-based: either
        ("import asyncio\nimport trio\n", "the module uses both asyncio and trio"),
        ("import anyio\nimport asyncio\n", "the module uses both asyncio and anyio"),
        ("import asyncio, trio\ntrio.run(a)\nasyncio.run(b())\n", "the module uses both asyncio and trio"),
        ("from . import asyncio\n", "nothing in the module says whether it runs on asyncio, trio or anyio"),  # a project module
    ],
)
def test_unknown_or_ambiguous(text: str, why: str) -> None:
    verdict = _verdict(text)
    assert verdict.library is None and verdict.why_unknown() == why


def _fixes(text: str, code: str) -> list[tuple[str, Applicability]]:
    found = check(textwrap.dedent(text), frozenset({code}))
    return [(d.fix.message, d.fix.applicability) for d in found if d.fix is not None]


def test_sleep_fix_is_safe_in_the_library_and_unsafe_without_one() -> None:
    trio_module = "import time\nimport trio\n\n\nasync def f():\n    time.sleep(1)\n"
    assert _fixes(trio_module, "ASL300") == [("Replace with `await trio.sleep(1)`", Applicability.SAFE)]
    ambiguous = "import asyncio, time, trio\n\n\nasync def f():\n    time.sleep(1)\n"
    assert _fixes(ambiguous, "ASL300") == [
        ("Replace with `await asyncio.sleep(1)` (not safe: the module uses both asyncio and trio)", Applicability.UNSAFE)
    ]


def test_to_thread_in_trio_and_anyio_binds_keywords_with_partial() -> None:
    source = """\
        import subprocess
        import trio


        async def build(cmd):
            subprocess.run(cmd, check=True)
            out = subprocess.check_output(cmd)
            return out
        """
    fixed = fix(textwrap.dedent(source), frozenset({"ASL303"}), unsafe=True)
    assert "    await trio.to_thread.run_sync(functools.partial(subprocess.run, cmd, check=True))\n" in fixed
    assert "    out = await trio.to_thread.run_sync(subprocess.check_output, cmd)\n" in fixed
    assert fixed.startswith("import functools\nimport subprocess\nimport trio\n")
    message = check(textwrap.dedent(source), frozenset({"ASL303"}))[0].message
    assert "`await trio.to_thread.run_sync(...)`" in message and "asyncio" not in message
    anyio_fixed = fix(textwrap.dedent(source).replace("trio", "anyio"), frozenset({"ASL303"}), unsafe=True)
    assert "await anyio.to_thread.run_sync(functools.partial(subprocess.run, cmd, check=True))" in anyio_fixed


def test_to_thread_in_asyncio_passes_keywords_on() -> None:
    source = "import asyncio, subprocess\n\n\nasync def build(cmd):\n    subprocess.run(cmd, check=True)\n"
    fixed = fix(source, frozenset({"ASL303"}), unsafe=True)
    assert "await asyncio.to_thread(subprocess.run, cmd, check=True)" in fixed and "functools" not in fixed


def test_the_library_alias_is_used_and_a_taken_name_gets_a_suggestion() -> None:
    aliased = "import time\nimport trio as t\n\n\nasync def f():\n    time.sleep(1)\n"
    assert _fixes(aliased, "ASL300") == [("Replace with `await t.sleep(1)`", Applicability.SAFE)]
    taken = "import time\nfrom anyio import run as anyio_run\n\nanyio = None\n\n\nasync def f():\n    time.sleep(1)\n"
    assert _fixes(taken, "ASL300") == [("Use `await anyio.sleep(...)`", Applicability.SUGGESTION)]


def test_entry_point_advice_runs_the_coroutine_with_the_module_library() -> None:
    source = """\
        import trio


        async def fetch(url, retries):
            return url


        if __name__ == "__main__":
            fetch("u", 3)
            fetch("u", retries=3)
        """
    found = check(textwrap.dedent(source), frozenset({"ASL100"}))
    assert "run it with `trio.run(fetch, \"u\", 3)`" in found[0].message
    assert found[0].fix is not None and found[0].fix.message == "Run it: `trio.run(fetch, \"u\", 3)`"
    assert "run it with `trio.run(fetch, ...)`" in found[1].message and found[1].fix is None
    asyncio_source = textwrap.dedent(source).replace("import trio", "import asyncio")
    assert "run it with `asyncio.run(fetch(\"u\", 3))`" in check(asyncio_source, frozenset({"ASL100"}))[0].message


def test_a_trio_message_names_trio() -> None:
    source = "import requests, trio\n\n\nasync def f(url):\n    return requests.get(url)\n"
    [found] = check(source, frozenset({"ASL301"}))
    assert found.message.endswith("or `await trio.to_thread.run_sync(...)`")
    assert found.fix is not None and found.fix.message == "Run it in a worker thread: `await trio.to_thread.run_sync(requests.get, ...)`"


def test_a_runner_called_inside_async_def_does_not_decide() -> None:
    """That call is a bug of its own (ASL200); only sync code and module-level statements start
    the module's loop."""
    assert _verdict("import asyncio\nimport trio\n\nasync def f():\n    trio.run(g)\n").library is None
    assert _verdict("import asyncio\nimport trio\n\ndef f():\n    trio.run(g)\n").library is AsyncLibrary.TRIO


CONCURRENT = """\
import asyncio
import httpx
import trio


async def dashboard(client: httpx.AsyncClient, uid: str):
    profile = await client.get(f"/users/{uid}")
    orders = await client.get(f"/orders/{uid}")
    return profile, orders
"""


def test_the_concurrency_advice_reads_the_same_verdict() -> None:
    """ASL500's advice and fix follow `module_library`: a module that imports asyncio but starts
    `trio.run` gets trio's nursery and no `asyncio.gather` fix; one that only imports both gets
    no fix either (the library is not known)."""
    started = CONCURRENT + "\n\nif __name__ == '__main__':\n    trio.run(dashboard, httpx.AsyncClient(), '1')\n"
    [found] = check(started, frozenset({"ASL500"}))
    assert "trio.open_nursery()" in found.message and found.fix is None
    [ambiguous] = check(CONCURRENT, frozenset({"ASL500"}))
    assert ambiguous.fix is None
    [asyncio_only] = check(CONCURRENT.replace("import trio\n", ""), frozenset({"ASL500"}))
    assert asyncio_only.fix is not None and "asyncio.gather" in asyncio_only.fix.message


def test_messages_respell_whole_asyncio_names_only() -> None:
    from async_lint.analysis.async_library import in_module_library

    ctx = walker("import trio\n", {})
    text = "use `await asyncio.to_thread(f)`, not `asyncio.run_coroutine_threadsafe` nor `asyncio.run(main())`"
    assert in_module_library(text, ctx) == (
        "use `await trio.to_thread.run_sync(f)`, not `asyncio.run_coroutine_threadsafe` nor `trio.run(main())`"
    )


def test_a_loop_runner_per_item_is_advised_in_the_module_library() -> None:
    source = "import trio\n\n\nasync def fetch(u):\n    await trio.sleep(0)\n\n\ndef main(urls):\n    for u in urls:\n        trio.run(fetch, u)\n"
    [found] = check(source, frozenset({"ASL203"}))
    assert found.message.endswith("call `trio.run()` once, on an `async def` that starts them in a trio nursery (`trio.open_nursery()`) (or awaits each in turn)")
    assert "asyncio" not in found.message


def test_a_blocking_lock_in_trio_code_is_advised_with_trio_primitives() -> None:
    source = "import threading\nimport trio\n\nlock = threading.Lock()\n\n\nasync def f():\n    lock.acquire()\n"
    found = check(source, frozenset({"ASL304"}))
    assert found and "`trio.Lock`" in found[0].message and "asyncio" not in found[0].message, found
