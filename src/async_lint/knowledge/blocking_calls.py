"""Blocking calls that stall the event loop when made inside a coroutine, each with its family
(sleep, HTTP, files, processes, the rest: one rule each), what to use instead, and whether a
mechanical fix exists.

A call is named by its qualified name: a function (`requests.get`, `builtins.open`) or a
method, spelled `<receiver type>.<method>` (`requests.Session.get`, `pathlib.Path.read_text`).
`VALUE_TYPES` says which calls produce a receiver of such a type (`requests.session()` ->
`requests.Session`, `sqlite3.connect()` -> `sqlite3.Connection`), so a rule can tell that `s`
in `s = requests.Session(); s.get(url)` is a session.

`analysis.blocking_calls.catalog(options)` assembles the entries in force for a
configuration (the built-in ones, plus `blocking-calls`, minus `allow-blocking`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from async_lint.knowledge.blocking_model import BlockingCall, BlockingFamily, BlockingPackage, Handoff, ReceiverType
from async_lint.knowledge.blocking_packages import PACKAGES, RECEIVER_TYPES

# --- replacement texts, one per family ---

_SLEEP = "use `await asyncio.sleep(...)`"
_FILE = "use `aiofiles` / `anyio.Path` / `anyio.open_file`, or `await asyncio.to_thread(...)`"
_LISTING = "use `anyio.Path(...).iterdir()/glob()` with `async for`, or `await asyncio.to_thread(list, ...)`"
_PROCESS = "use `await asyncio.create_subprocess_exec(...)` (or `_shell`), or `await asyncio.to_thread(...)`"
_PROCESS_WAIT = "use `asyncio.create_subprocess_exec(...)` and `await proc.wait()` / `await proc.communicate()`"
_INPUT = "use `await asyncio.to_thread(input, ...)` (or read stdin with `asyncio.StreamReader`)"
_SOCKET = "use `asyncio.open_connection()` streams or `await loop.sock_recv/sock_sendall/sock_connect(...)`"
_DNS = "use `await loop.getaddrinfo(...)`"
_SELECT = "use the event loop itself (`loop.add_reader`, `asyncio.wait`), or `await asyncio.to_thread(...)`"
_SQLITE = "use `aiosqlite` (`async with aiosqlite.connect(...)`), or `await asyncio.to_thread(...)`"
_LOCK = "use an `asyncio.Lock` / `asyncio.Event` / `asyncio.Condition` / `asyncio.Semaphore`, or `await asyncio.to_thread(...)`"
_JOIN = "use `await asyncio.to_thread(thread.join)`"
_QUEUE = "use an `asyncio.Queue` (`await q.get()`), `get_nowait()`/`put_nowait()`, or `await asyncio.to_thread(...)`"
_FUTURE = "use `await asyncio.wrap_future(future)`"
_FUTURES_WAIT = "use `asyncio.wait(...)` over `asyncio.wrap_future(...)` futures, or `await asyncio.to_thread(...)`"


def _entries(family: BlockingFamily, replacement: str, names: Iterable[str], handoff: Handoff = Handoff.ANY) -> list[BlockingCall]:
    return [BlockingCall(name, family, replacement, handoff) for name in names]


def _methods(owner: str, methods: Iterable[str]) -> list[str]:
    return [f"{owner}.{method}" for method in methods]


_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
_PATH_DATA_METHODS = (
    "read_text", "write_text", "read_bytes", "write_bytes", "exists", "is_file", "is_dir",
    "is_symlink", "is_mount", "stat", "lstat", "mkdir", "rmdir", "unlink", "rename", "replace",
    "touch", "chmod", "samefile", "owner", "group", "readlink", "symlink_to", "hardlink_to",
)  # fmt: skip
_OS_FILE_FUNCTIONS = (
    "remove", "unlink", "rename", "renames", "replace", "listdir", "stat", "lstat", "makedirs",
    "mkdir", "rmdir", "removedirs", "chmod", "chown", "link", "symlink", "readlink", "truncate",
    "utime", "fsync", "open",
)  # fmt: skip
_OS_PATH_FUNCTIONS = (
    "exists", "lexists", "isfile", "isdir", "islink", "ismount", "getsize", "getmtime",
    "getatime", "getctime", "samefile", "sameopenfile",
)  # fmt: skip
"""`os.path` calls that stat the disk (`join`, `basename`, `normpath`, `relpath` only compute
on the string, and `realpath`/`abspath` are left alone on purpose: see ASL302)."""
_SHUTIL_FUNCTIONS = (
    "copy", "copy2", "copyfile", "copyfileobj", "copymode", "copystat", "copytree", "move",
    "rmtree", "make_archive", "unpack_archive", "chown", "disk_usage",
)  # fmt: skip
_OS_SPAWN = ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe", "posix_spawn", "posix_spawnp")
_OS_WAIT = ("wait", "waitpid", "wait3", "wait4", "waitid")
_SOCKET_METHODS = ("accept", "connect", "recv", "recv_into", "recvfrom", "recvfrom_into", "send", "sendall", "sendto", "sendfile")

_CATALOG: tuple[BlockingCall, ...] = (
    # sleep
    BlockingCall("time.sleep", BlockingFamily.SLEEP, _SLEEP, async_twin="asyncio.sleep"),
    # files (file objects, `open` and the file-reading packages: `blocking_packages`)
    *_entries(BlockingFamily.FILE_IO, _FILE, _methods("pathlib.Path", _PATH_DATA_METHODS)),
    *[replace(entry, lazy=True) for entry in _entries(BlockingFamily.FILE_IO, _LISTING, [*_methods("pathlib.Path", ("iterdir", "glob", "rglob", "walk")), "os.walk", "os.fwalk"], Handoff.NEVER)],
    *_entries(BlockingFamily.FILE_IO, _FILE, [f"os.{name}" for name in _OS_FILE_FUNCTIONS]),
    *_entries(BlockingFamily.FILE_IO, _LISTING, ["os.scandir"], Handoff.NEVER),
    *_entries(BlockingFamily.FILE_IO, _FILE, [f"os.path.{name}" for name in _OS_PATH_FUNCTIONS]),
    *_entries(BlockingFamily.FILE_IO, _FILE, [f"shutil.{name}" for name in _SHUTIL_FUNCTIONS]),
    *(
        BlockingCall(f"{module}.{function}", BlockingFamily.FILE_IO, _FILE, file_argument=position)
        for module in ("json", "pickle")
        for function, position in (("load", 0), ("dump", 1))
    ),
    BlockingCall("tomllib.load", BlockingFamily.FILE_IO, _FILE, file_argument=0),
    # processes
    *_entries(BlockingFamily.SUBPROCESS, _PROCESS, [f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput")]),
    *_entries(BlockingFamily.SUBPROCESS, _PROCESS, ["subprocess.Popen", "os.popen"], Handoff.NEVER),
    *_entries(BlockingFamily.SUBPROCESS, _PROCESS_WAIT, _methods("subprocess.Popen", ("wait", "communicate"))),
    *_entries(BlockingFamily.SUBPROCESS, _PROCESS, ["os.system", *(f"os.{name}" for name in _OS_SPAWN)]),
    *_entries(BlockingFamily.SUBPROCESS, _PROCESS_WAIT, [f"os.{name}" for name in _OS_WAIT]),
    # everything else
    *_entries(BlockingFamily.OTHER, _INPUT, ["builtins.input"]),
    *_entries(BlockingFamily.OTHER, _SOCKET, _methods("socket.socket", _SOCKET_METHODS)),
    *_entries(BlockingFamily.OTHER, _SOCKET, ["socket.create_connection"], Handoff.NEVER),
    *_entries(BlockingFamily.OTHER, _DNS, ["socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"]),
    *_entries(BlockingFamily.OTHER, _SELECT, ["select.select"]),
    *_entries(BlockingFamily.OTHER, _SQLITE, ["sqlite3.connect"], Handoff.NEVER),
    *_entries(BlockingFamily.OTHER, _SQLITE, _methods("sqlite3.Connection", ("execute", "executemany", "executescript")), Handoff.STATEMENT),
    *_entries(BlockingFamily.OTHER, _SQLITE, _methods("sqlite3.Connection", ("commit", "rollback", "backup"))),
    *_entries(BlockingFamily.OTHER, _SQLITE, _methods("sqlite3.Cursor", ("execute", "executemany", "executescript")), Handoff.STATEMENT),
    *_entries(BlockingFamily.OTHER, _SQLITE, _methods("sqlite3.Cursor", ("fetchone", "fetchmany", "fetchall"))),
    # A lock acquired in a worker thread belongs to that thread (an `RLock` or a `Condition`
    # then cannot be released here), so lock waits get no `to_thread` fix.
    *(
        BlockingCall(f"threading.{owner}.acquire", BlockingFamily.OTHER, _LOCK, Handoff.NEVER, nonblocking_flag=(0, "blocking"))
        for owner in ("Lock", "Condition", "Semaphore")
    ),
    *_entries(BlockingFamily.OTHER, _LOCK, ["threading.Condition.wait", "threading.Condition.wait_for"], Handoff.NEVER),
    *_entries(BlockingFamily.OTHER, _LOCK, ["threading.Event.wait", "threading.Barrier.wait"]),
    *_entries(BlockingFamily.OTHER, _JOIN, ["threading.Thread.join"]),
    BlockingCall("queue.Queue.get", BlockingFamily.OTHER, _QUEUE, nonblocking_flag=(0, "block")),
    BlockingCall("queue.Queue.put", BlockingFamily.OTHER, _QUEUE, nonblocking_flag=(1, "block")),
    *_entries(BlockingFamily.OTHER, _QUEUE, ["queue.Queue.join"]),
    *_entries(BlockingFamily.OTHER, _FUTURE, ["concurrent.futures.Future.result", "concurrent.futures.Future.exception"], Handoff.NEVER),
    *_entries(BlockingFamily.OTHER, _FUTURES_WAIT, ["concurrent.futures.wait"]),
)

_VALUE_TYPES: dict[str, str] = {
    # constructors and factories -> the receiver type their value has
    "pathlib.Path": "pathlib.Path",
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "pathlib.Path.home": "pathlib.Path",
    "pathlib.Path.cwd": "pathlib.Path",
    "subprocess.Popen": "subprocess.Popen",
    "socket.socket": "socket.socket",
    "socket.create_connection": "socket.socket",
    "socket.create_server": "socket.socket",
    "sqlite3.connect": "sqlite3.Connection",
    "sqlite3.Connection": "sqlite3.Connection",
    "sqlite3.Cursor": "sqlite3.Cursor",
    "threading.Lock": "threading.Lock",
    "threading.RLock": "threading.Lock",
    "threading.Condition": "threading.Condition",
    "threading.Semaphore": "threading.Semaphore",
    "threading.BoundedSemaphore": "threading.Semaphore",
    "threading.Event": "threading.Event",
    "threading.Barrier": "threading.Barrier",
    "threading.Thread": "threading.Thread",
    "queue.Queue": "queue.Queue",
    "queue.LifoQueue": "queue.Queue",
    "queue.PriorityQueue": "queue.Queue",
    "queue.SimpleQueue": "queue.Queue",
    "concurrent.futures.Future": "concurrent.futures.Future",
    "concurrent.futures.ThreadPoolExecutor": "concurrent.futures.Executor",
    "concurrent.futures.ProcessPoolExecutor": "concurrent.futures.Executor",
    "concurrent.futures.thread.ThreadPoolExecutor": "concurrent.futures.Executor",
    "concurrent.futures.Executor": "concurrent.futures.Executor",
    "asyncio.run_coroutine_threadsafe": "concurrent.futures.Future",
    # methods -> the type of their result
    "concurrent.futures.Executor.submit": "concurrent.futures.Future",
    "sqlite3.Connection.cursor": "sqlite3.Cursor",
    "sqlite3.Connection.execute": "sqlite3.Cursor",
    "sqlite3.Cursor.execute": "sqlite3.Cursor",
    **{f"pathlib.Path.{method}": "pathlib.Path" for method in ("joinpath", "with_name", "with_suffix", "with_stem", "absolute", "resolve", "expanduser", "relative_to")},
}


def _package_values(packages: Iterable[BlockingPackage]) -> dict[str, str]:
    """What the packages' constructors, factories and methods make, each method under every
    name of its receiver type."""
    found: dict[str, str] = {}
    for package in packages:
        found.update(package.values)
        for receiver in package.types:
            for name in receiver.names:
                found.update({f"{name}.{method}": made for method, made in receiver.returns.items()})
    return found


def _package_attributes(packages: Iterable[BlockingPackage]) -> dict[str, str]:
    return {
        f"{name}.{attribute}": held
        for package in packages
        for receiver in package.types
        for name in receiver.names
        for attribute, held in receiver.attributes.items()
    }


VALUE_TYPES: Mapping[str, str] = {**_VALUE_TYPES, **_package_values(PACKAGES)}
"""What a call returns, for the receiver types the catalog has methods of (the single calls'
types, and every package's)."""

PATH_TYPE = "pathlib.Path"
ATTRIBUTE_TYPES: Mapping[str, str] = {"pathlib.Path.parent": PATH_TYPE, **_package_attributes(PACKAGES)}
"""Attributes of the receiver types above that are objects of a known type (`Path(...).parent`
is a Path; so is `Path(...) / "x"`; `supabase.auth` is the auth client)."""

MEMORY_FILES = frozenset({"io.StringIO", "io.BytesIO"})
"""File objects that never touch the disk."""

CONSUMERS = frozenset(
    f"builtins.{name}" for name in ("list", "tuple", "set", "sorted", "next", "any", "all", "sum", "min", "max", "dict", "frozenset", "enumerate")
)
"""Calls that iterate a lazy listing on the spot (`list(path.iterdir())`)."""

NONBLOCKING_MARKERS: Mapping[str, tuple[str, ...]] = {
    "socket.socket": ("setblocking",),
    "concurrent.futures.Future": ("add_done_callback", "done", "cancelled"),
}
"""Receiver types whose blocking depends on the object's state: a socket switched to
non-blocking mode, a future whose completion is awaited some other way (a done-callback, a
`done()` check). Their methods count only on a name assigned in the enclosing function (a
parameter's state is the caller's business) on which that function calls none of these."""

METHOD_OWNERS = frozenset(VALUE_TYPES.values())
"""Receiver types that have blocking methods in the catalog."""

CATALOG: tuple[BlockingCall, ...] = (*_CATALOG, *(call for package in PACKAGES for call in package.calls))
"""Every built-in blocking call named one by one (the packages' receiver types add the rest,
method by method: `RECEIVER_TYPES`)."""

PACKAGE_TYPES: Mapping[str, ReceiverType] = RECEIVER_TYPES
"""Receiver types whose every public method blocks but the pure ones (see `blocking_packages`)."""

THREAD_HANDOFF = "asyncio.to_thread"
"""What runs a blocking call in a worker thread: `await asyncio.to_thread(f, *args, **kwargs)`."""

__all__ = [
    "ATTRIBUTE_TYPES",
    "CATALOG",
    "CONSUMERS",
    "MEMORY_FILES",
    "METHOD_OWNERS",
    "NONBLOCKING_MARKERS",
    "PACKAGE_TYPES",
    "PATH_TYPE",
    "THREAD_HANDOFF",
    "VALUE_TYPES",
    "BlockingCall",
    "BlockingFamily",
    "Handoff",
]
