"""Blocking-call rules: calls that stall the event loop when made inside a coroutine.

Which calls block, and what replaces each, is data (`knowledge/blocking_calls.py`); the rules
here share one check and differ in the family they report (sleep, HTTP, files, processes,
everything else).
"""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.blocking_calls import BlockingCallSite, blocking_call_at
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.config import RuleOptions
from async_lint.diagnostics import Applicability
from async_lint.analysis.blocking_calls import Catalog, catalog
from async_lint.knowledge.blocking_calls import Handoff
from async_lint.rules.base import Invalid, Rule

_SHOWN_RECEIVER_LIMIT = 40
"""Longer receiver expressions are named by their type in messages."""

_last_site: tuple[cst.Call, Catalog, BlockingCallSite | None] | None = None


def _site(node: cst.Call, ctx: ModuleWalker, known: Catalog) -> BlockingCallSite | None:
    """The catalog entry of this call, worked out once for the five rules that ask."""
    global _last_site
    if _last_site is None or _last_site[0] is not node or _last_site[1] is not known:
        _last_site = (node, known, blocking_call_at(node, ctx, known))
    return _last_site[2]


class BlockingCallRule(Rule):
    """What ASL300-ASL304 share: flag a catalog call of this rule's family whose innermost
    enclosing function is an `async def`, and offer the best fix the position allows."""

    fix_safety = (
        "Unsafe: `await asyncio.to_thread(f, *args, **kwargs)` when the call is a statement of "
        "its own or the value of an assignment or `return` and its result is plain data (a "
        "response, bytes, a list): the call then runs in a worker thread, so thread-local state "
        "and the order relative to other tasks can change. Where the result is a sync object "
        "whose later use blocks again (a file, a connection, a process, a generator), or the "
        "call sits inside a larger expression or a generator expression, the fix is a "
        "suggestion naming the async replacement."
    )

    def __init__(self, options: RuleOptions) -> None:
        super().__init__(options)
        self.catalog = catalog(options)

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        if not ctx.in_async_function:
            return
        site = _site(node, ctx, self.catalog)
        if site is None or site.entry.code != self.code:
            return
        function = ctx.function
        assert function is not None
        shown = _shown_call(node, site, ctx)
        ctx.report(
            self.code,
            node,
            f"{shown} inside `async def {function.name}` blocks the event loop; {site.entry.replacement}",
            _fix(node, site, ctx),
        )


def _shown_call(node: cst.Call, site: BlockingCallSite, ctx: ModuleWalker) -> str:
    name = site.entry.qualified_name.removeprefix("builtins.")
    if site.receiver_type is None:
        return f"`{name}()`"
    written = ctx.module.code_for_node(node.func)
    if len(written) > _SHOWN_RECEIVER_LIMIT or "\n" in written:
        return f"`{name}()`"
    return f"`{written}()` (`{name}`)"


def _fix(node: cst.Call, site: BlockingCallSite, ctx: ModuleWalker) -> NodeFix:
    entry = site.entry
    suggestion = NodeFix(entry.replacement[:1].upper() + entry.replacement[1:], Applicability.SUGGESTION)
    reference = ctx.module_reference("asyncio") if ctx.can_await else None
    if reference is None:
        return suggestion
    asyncio_name, imports = reference
    if entry.async_twin is not None:
        twin_module, twin_function = entry.async_twin.rsplit(".", 1)
        assert twin_module == "asyncio"
        replacement = cst.Await(
            expression=cst.Call(func=cst.Attribute(value=cst.Name(asyncio_name), attr=cst.Name(twin_function)), args=node.args)
        )
        return NodeFix(f"Replace with `{ctx.module.code_for_node(replacement)}`", Applicability.SAFE, ((node, replacement),), imports)
    if not _result_allows_handoff(node, entry.handoff, ctx):
        return suggestion
    function_arg = cst.Arg(
        value=node.func,
        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if node.args else cst.MaybeSentinel.DEFAULT,
    )
    handoff = cst.Await(
        expression=cst.Call(
            func=cst.Attribute(value=cst.Name(asyncio_name), attr=cst.Name("to_thread")),
            args=(function_arg, *node.args),
        )
    )
    function_code = ctx.module.code_for_node(node.func)
    rest = ", ..." if node.args else ""
    return NodeFix(
        f"Run it in a worker thread: `await {asyncio_name}.to_thread({function_code}{rest})`",
        Applicability.UNSAFE,
        ((node, handoff),),
        imports,
    )


def _result_allows_handoff(node: cst.Call, handoff: Handoff, ctx: ModuleWalker) -> bool:
    """Whether `await asyncio.to_thread(...)` can stand where the call stands."""
    if handoff is Handoff.NEVER:
        return False
    parent = ctx.parent
    if isinstance(parent, cst.Expr) and parent.value is node:
        return True
    if handoff is Handoff.STATEMENT:
        return False
    return isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return)) and parent.value is node


_HANDED_OFF = (
    "A call handed to a thread rather than made here: `await asyncio.to_thread(f, x)`, "
    "`loop.run_in_executor(pool, f, x)`, a lambda or a nested sync `def` passed to either."
)
_SYNC_CODE = (
    "Any of these calls in a plain `def` (including a sync FastAPI route, which FastAPI runs in a "
    "threadpool, and a sync `def` nested inside an `async def`) or at module level."
)
_ALLOWED = "Qualified names (or prefixes such as `os.path`) listed in `allow-blocking`."


class BlockingSleep(BlockingCallRule):
    """Flags `time.sleep(...)` inside an `async def` (through any import spelling:
    `import time as t`, `from time import sleep`)."""

    code = "ASL300"
    name = "blocking-sleep"
    summary = "`time.sleep()` inside `async def`"
    why = (
        "`time.sleep()` blocks the whole thread, and the event loop runs every task on that one "
        "thread: while one coroutine sleeps, no other request, stream or timer makes progress. "
        "`await asyncio.sleep()` suspends only the current task and lets the loop run the others."
    )
    proof = "tests/runtime/test_asl300.py"
    fix_safety = (
        "Safe: `time.sleep(x)` becomes `await asyncio.sleep(x)` (using the module's existing "
        "`asyncio` import or alias, and adding `import asyncio` when there is none). Not offered "
        "inside a generator expression, where `await` would turn it into an async generator, or "
        "where the name `asyncio` means something else."
    )
    not_flagged = (
        ("`time.sleep` in a plain `def`, including a sync `def` nested inside an `async def` "
        "(it runs wherever it is called, often a worker thread)."),
        ("`time.sleep` handed to a thread: `await asyncio.to_thread(time.sleep, 1)`, "
        "`loop.run_in_executor(None, time.sleep, 1)` (it is passed, not called)."),
        "A sync FastAPI route (`def`, not `async def`): FastAPI runs those in a threadpool.",
        "A `sleep` that is not `time.sleep` (`trio.sleep`, a local function named `sleep`).",
        _ALLOWED,
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


class BlockingHttp(BlockingCallRule):
    """Flags a synchronous HTTP request inside an `async def`: the `requests` verbs and
    `requests.Session` methods, `urllib.request.urlopen`, `urllib3` pool requests,
    `http.client.HTTPConnection` requests, the module-level `httpx` verbs and `httpx.Client`
    methods. A session or client counts when it is shown to be one: assigned from its
    constructor (`s = requests.Session()`), bound by `with httpx.Client() as c:`, annotated as
    one, or a `self.client` the class assigns so."""

    code = "ASL301"
    proof = "tests/runtime/test_asl301.py"
    name = "blocking-http"
    summary = "a sync HTTP call (`requests`, `urllib`, `httpx.get`, `httpx.Client`) inside `async def`"
    why = (
        "A sync HTTP request holds the event loop's only thread for the whole round trip (DNS, "
        "connect, TLS, the server's response time): every other request the service is handling "
        "waits, so one slow upstream turns into a stall of the whole process, and timeouts set on "
        "`asyncio.wait_for` cannot interrupt it."
    )
    use_instead = (
        "An async client: `async with httpx.AsyncClient() as client: response = await "
        "client.get(url)` (or `aiohttp`); or, for a one-off call, `await asyncio.to_thread(requests.get, url)`."
    )
    not_flagged = (
        ("`httpx.AsyncClient` and `aiohttp` calls (awaited), and `.get()` on objects not shown to be "
        "a sync session or client (`payload.get(...)`, `dict.get`, a parameter with no annotation)."),
        _HANDED_OFF,
        _SYNC_CODE,
        "A local function or method that happens to be called `get`/`post`/`request`.",
        _ALLOWED,
    )
    valid = (
        """
        import httpx

        async def fetch(url):
            async with httpx.AsyncClient() as client:
                return (await client.get(url)).json()
        """,
        """
        import asyncio
        import requests

        async def fetch(url):
            return await asyncio.to_thread(requests.get, url)
        """,
        """
        async def lookup(payload, key):
            return payload.get(key)
        """,
    )
    invalid = (
        Invalid(
            """
            import requests

            async def fetch_user(user_id):
                response = requests.get(f"https://api.example.com/users/{user_id}")
                return response.json()
            """,
            fixed="""
            import asyncio
            import requests

            async def fetch_user(user_id):
                response = await asyncio.to_thread(requests.get, f"https://api.example.com/users/{user_id}")
                return response.json()
            """,
        ),
        Invalid(
            """
            import httpx

            async def post_all(items):
                with httpx.Client(base_url="https://api.example.com") as client:
                    for item in items:
                        client.post("/items", json=item)
            """,
            fixed="""
            import asyncio
            import httpx

            async def post_all(items):
                with httpx.Client(base_url="https://api.example.com") as client:
                    for item in items:
                        await asyncio.to_thread(client.post, "/items", json=item)
            """,
        ),
    )


class BlockingFileIo(BlockingCallRule):
    """Flags blocking file-system calls inside an `async def`: `open()`/`io.open()`, the
    `pathlib.Path` methods that touch the disk (`read_text`, `write_bytes`, `open`, `iterdir`,
    `glob`, `exists`, `is_file`, `mkdir`, `unlink`, ...) on values shown to be paths
    (`Path(...)`, `Path(...) / "x"`, a name bound to one, a parameter annotated `Path`), the
    `os` file operations (`os.remove`, `os.listdir`, `os.walk`, `os.stat`, `os.makedirs`, ...),
    the `os.path` queries that stat the disk (`exists`, `isfile`, `isdir`, `getsize`, `getmtime`,
    ...), `shutil` copies, moves and `rmtree`, and `json`/`pickle` `load`/`dump` on a file."""

    code = "ASL302"
    proof = "tests/runtime/test_asl302.py"
    name = "blocking-file-io"
    summary = "blocking file I/O (`open()`, `Path.read_text()`, `os`/`shutil` file calls) inside `async def`"
    why = (
        "File-system calls block the thread until the disk (or a network mount) answers; the event "
        "loop does not run meanwhile. A local SSD read is short, but a large file, a slow or "
        "network file system, or a directory walk stalls every other task on the loop for its "
        "whole duration, and it shows up as latency spikes nobody can attribute."
    )
    use_instead = (
        "`async with aiofiles.open(path) as f: data = await f.read()`, `await anyio.Path(path).read_text()`, "
        "or `await asyncio.to_thread(path.read_text)`."
    )
    not_flagged = (
        ("Pure path arithmetic that never touches the disk: `os.path.join`, `basename`, `dirname`, "
        "`splitext`, `abspath`, `normpath`, `Path(...) / 'x'`, `.name`, `.suffix`, `.with_suffix()`. "
        "`os.path.realpath` and `Path.resolve()` are not flagged either (a few cached `lstat`s; "
        "flagging them would be noise). `os.path.exists`/`isfile`/`isdir`/`getsize`/`getmtime` do "
        "stat the disk and are flagged; a team that accepts them lists `os.path` in `allow-blocking`."),
        ("`aiofiles.open`, `anyio.open_file`, `anyio.Path` methods (awaited), and `.open()`/"
        "`.exists()` on objects not shown to be `pathlib.Path`s."),
        ("`json.loads`/`json.dumps` (strings, no I/O), and `json`/`pickle` `load`/`dump` on an "
        "`io.StringIO()`/`io.BytesIO()` buffer."),
        _HANDED_OFF,
        _SYNC_CODE,
        "A local function named `open`.",
        _ALLOWED,
    )
    valid = (
        """
        import aiofiles

        async def load(path):
            async with aiofiles.open(path) as f:
                return await f.read()
        """,
        """
        import asyncio

        async def load(loop, path):
            return await loop.run_in_executor(None, open, path)
        """,
        """
        import os

        async def target(base, name):
            return os.path.join(base, name)
        """,
    )
    invalid = (
        Invalid(
            """
            from pathlib import Path

            async def load_prompt(name):
                text = (Path("prompts") / f"{name}.txt").read_text()
                return text.strip()
            """,
            fixed="""
            import asyncio
            from pathlib import Path

            async def load_prompt(name):
                text = await asyncio.to_thread((Path("prompts") / f"{name}.txt").read_text)
                return text.strip()
            """,
        ),
        Invalid(
            """
            async def load_config(path):
                with open(path) as f:
                    return f.read()
            """,
        ),
    )


class BlockingSubprocess(BlockingCallRule):
    """Flags process calls that wait inside an `async def`: `subprocess.run`/`call`/
    `check_call`/`check_output`/`Popen` and `Popen(...).wait()`/`.communicate()`, `os.system`,
    `os.popen`, `os.spawn*` and `os.wait*`."""

    code = "ASL303"
    proof = "tests/runtime/test_asl303.py"
    name = "blocking-subprocess"
    summary = "`subprocess.*`, `os.system`, `os.popen`, `os.wait*` inside `async def`"
    why = (
        "These calls wait for another process to finish (or for its output) on the event loop's "
        "thread; for as long as the child runs, no other task makes progress. "
        "`asyncio.create_subprocess_exec` starts the same process and lets the loop run while it works."
    )
    use_instead = (
        "`proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE)` and "
        "`out, _ = await proc.communicate()`; or `await asyncio.to_thread(subprocess.run, cmd)`."
    )
    not_flagged = (
        "`asyncio.create_subprocess_exec`/`_shell` and `await proc.wait()` on their processes.",
        "`.wait()`/`.communicate()` on objects not shown to be a `subprocess.Popen`.",
        _HANDED_OFF,
        _SYNC_CODE,
        _ALLOWED,
    )
    valid = (
        """
        import asyncio

        async def git_head():
            proc = await asyncio.create_subprocess_exec("git", "rev-parse", "HEAD", stdout=asyncio.subprocess.PIPE)
            out, _ = await proc.communicate()
            return out.decode().strip()
        """,
        """
        import subprocess

        def git_head():
            return subprocess.check_output(["git", "rev-parse", "HEAD"]).decode().strip()
        """,
    )
    invalid = (
        Invalid(
            """
            import subprocess

            async def git_head():
                out = subprocess.check_output(["git", "rev-parse", "HEAD"])
                return out.decode().strip()
            """,
            fixed="""
            import asyncio
            import subprocess

            async def git_head():
                out = await asyncio.to_thread(subprocess.check_output, ["git", "rev-parse", "HEAD"])
                return out.decode().strip()
            """,
        ),
        Invalid(
            """
            from subprocess import Popen, PIPE

            async def run(cmd):
                proc = Popen(cmd, stdout=PIPE)
                return proc.stdout.read()
            """,
        ),
    )


class BlockingOtherCall(BlockingCallRule):
    """Flags other calls that block inside an `async def`: `input()`, blocking `socket` methods
    on values shown to be sockets, `select.select`, sync database drivers (`sqlite3.connect` and
    its connection/cursor methods, `psycopg2`/`psycopg` sync connect, `pymysql.connect`,
    `pymongo.MongoClient`, `redis.Redis`/`StrictRedis` and their commands), `threading` waits
    (`Lock().acquire()`, `Event().wait()`, `Condition().wait()`, `Semaphore().acquire()`,
    `Thread().join()`), blocking `queue.Queue` `get`/`put`, `concurrent.futures.Future.result()`
    (including the future `asyncio.run_coroutine_threadsafe` returns), and every call listed
    under `blocking-calls` in `[tool.async-lint]` (`"module.func" = "what to use instead"`; a
    method as `"module.Class.method"`) or in flake8's `--async-lint-blocking-calls`."""

    code = "ASL304"
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
    use_instead = (
        "The async driver or primitive: `aiosqlite`, `asyncpg`/`psycopg.AsyncConnection`, `motor`, "
        "`redis.asyncio`, `asyncio.Lock`/`Event`/`Queue`, `await asyncio.wrap_future(f)`; or "
        "`await asyncio.to_thread(...)` for a one-off call."
    )
    not_flagged = (
        "`redis.asyncio.Redis`, `aiosqlite`, `asyncpg`, `motor` and `asyncio` primitives.",
        ("Non-blocking forms: `lock.acquire(False)`, `lock.acquire(blocking=False)`, "
        "`q.get(block=False)`, `q.get_nowait()`, `q.put_nowait(x)`."),
        ("`.get()`, `.wait()`, `.result()`, `.execute()` on objects not shown to be one of these "
        "types (an `asyncio.Queue`, an `asyncio.Event`, an unknown parameter)."),
        _HANDED_OFF,
        _SYNC_CODE,
        _ALLOWED,
    )
    valid = (
        """
        import asyncio

        async def consume(queue: asyncio.Queue):
            return await queue.get()
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
            fixed="""
            import asyncio
            import sqlite3

            async def save(db_path, row):
                conn = sqlite3.connect(db_path)
                await asyncio.to_thread(conn.execute, "INSERT INTO rows VALUES (?)", (row,))
                await asyncio.to_thread(conn.commit)
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
