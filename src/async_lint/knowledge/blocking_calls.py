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

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace


class BlockingFamily(enum.Enum):
    """What a blocking call waits for."""

    SLEEP = "sleep"
    HTTP = "http"
    FILE_IO = "file-io"
    SUBPROCESS = "subprocess"
    OTHER = "other"
    """Users, sockets, databases, threads, futures, and the configured `blocking-calls`."""


class Handoff(enum.Enum):
    """Where `await asyncio.to_thread(f, *args, **kwargs)` is a mechanical replacement."""

    ANY = "any"
    """The result is plain data (a response, bytes, a list): as a statement, or as the value
    of an assignment or a `return`."""
    STATEMENT = "statement"
    """The result is a sync object whose later use blocks again (a cursor, an unread
    response): only where the result is dropped."""
    NEVER = "never"
    """A constructor, context manager or generator: the blocking happens later, through the
    object it returns (`open`, `os.walk`, `sqlite3.connect`, `subprocess.Popen`)."""


@dataclass(frozen=True)
class BlockingCall:
    qualified_name: str
    family: BlockingFamily
    replacement: str
    """What to do instead, as the message shows it after a `;` (Markdown backticks):
    `use httpx.AsyncClient ...`; a configured suggestion is taken as written."""
    handoff: Handoff = Handoff.ANY
    async_twin: str | None = None
    """A drop-in awaitable taking the same arguments (`asyncio.sleep` for `time.sleep`): the
    fix `await <twin>(...)` is then safe."""
    nonblocking_flag: tuple[int, str] | None = None
    """(position, keyword) of a `block`/`blocking` argument: a literal `False` there makes the
    call return at once (`lock.acquire(False)`, `q.get(block=False)`)."""
    file_argument: int | None = None
    """Position of the file object (`json.load(f)`: 0, `json.dump(obj, f)`: 1): an in-memory
    buffer there (`io.StringIO()`, `io.BytesIO()`) makes the call pure computation."""
    lazy: bool = False
    """A generator: nothing blocks until it is iterated, so the call counts only where it is
    consumed in place (`for p in path.iterdir():`, `list(os.walk(top))`), not where it is
    stored and handed to a thread to iterate."""


# --- replacement texts, one per family ---

_SLEEP = "use `await asyncio.sleep(...)`"
_HTTP = "use `httpx.AsyncClient` (`await client.get(...)`) or `aiohttp`, or `await asyncio.to_thread(...)`"
_FILE = "use `aiofiles` / `anyio.Path` / `anyio.open_file`, or `await asyncio.to_thread(...)`"
_OPEN = "use `async with aiofiles.open(...)` or `await anyio.open_file(...)`, or do the whole read/write in `await asyncio.to_thread(...)`"
_LISTING = "use `anyio.Path(...).iterdir()/glob()` with `async for`, or `await asyncio.to_thread(list, ...)`"
_PROCESS = "use `await asyncio.create_subprocess_exec(...)` (or `_shell`), or `await asyncio.to_thread(...)`"
_PROCESS_WAIT = "use `asyncio.create_subprocess_exec(...)` and `await proc.wait()` / `await proc.communicate()`"
_INPUT = "use `await asyncio.to_thread(input, ...)` (or read stdin with `asyncio.StreamReader`)"
_SOCKET = "use `asyncio.open_connection()` streams or `await loop.sock_recv/sock_sendall/sock_connect(...)`"
_DNS = "use `await loop.getaddrinfo(...)`"
_SELECT = "use the event loop itself (`loop.add_reader`, `asyncio.wait`), or `await asyncio.to_thread(...)`"
_SQLITE = "use `aiosqlite` (`async with aiosqlite.connect(...)`), or `await asyncio.to_thread(...)`"
_POSTGRES = "use `asyncpg` or `await psycopg.AsyncConnection.connect(...)`"
_MYSQL = "use `aiomysql` or `asyncmy`"
_MONGO = "use `motor.motor_asyncio.AsyncIOMotorClient` (or `pymongo.AsyncMongoClient`)"
_REDIS = "use `redis.asyncio.Redis` (`await r.get(...)`)"
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
    "getatime", "getctime", "samefile",
)  # fmt: skip
_SHUTIL_FUNCTIONS = (
    "copy", "copy2", "copyfile", "copyfileobj", "copymode", "copystat", "copytree", "move",
    "rmtree", "make_archive", "unpack_archive", "chown", "disk_usage",
)  # fmt: skip
_OS_SPAWN = ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe")
_OS_WAIT = ("wait", "waitpid", "wait3", "wait4", "waitid")
_SOCKET_METHODS = ("accept", "connect", "recv", "recv_into", "recvfrom", "recvfrom_into", "send", "sendall", "sendto", "sendfile")
_DB_CURSOR_METHODS = ("execute", "executemany", "fetchone", "fetchmany", "fetchall")
_REDIS_METHODS = (
    "get", "set", "delete", "exists", "expire", "incr", "decr", "mget", "mset", "hget", "hset",
    "hgetall", "hdel", "lpush", "rpush", "lpop", "rpop", "blpop", "brpop", "lrange", "sadd",
    "smembers", "zadd", "zrange", "publish", "keys", "scan", "ping", "flushdb",
)  # fmt: skip

_MONGO_CLIENT_METHODS = ("list_database_names", "list_databases", "server_info", "drop_database")
_MONGO_DATABASE_METHODS = ("command", "list_collection_names", "list_collections", "create_collection", "drop_collection", "validate_collection")
_MONGO_COLLECTION_METHODS = (
    "find_one", "insert_one", "insert_many", "update_one", "update_many", "replace_one", "delete_one",
    "delete_many", "count_documents", "estimated_document_count", "distinct", "aggregate", "bulk_write",
    "create_index", "create_indexes", "drop", "drop_index", "drop_indexes", "find_one_and_delete",
    "find_one_and_replace", "find_one_and_update", "index_information", "list_indexes", "rename",
)  # fmt: skip
"""pymongo's methods that talk to the server (`find` only builds a cursor: iterating it does)."""

_CATALOG: tuple[BlockingCall, ...] = (
    # sleep
    BlockingCall("time.sleep", BlockingFamily.SLEEP, _SLEEP, async_twin="asyncio.sleep"),
    # HTTP
    *_entries(BlockingFamily.HTTP, _HTTP, [f"requests.{verb}" for verb in _HTTP_VERBS]),
    *_entries(BlockingFamily.HTTP, _HTTP, _methods("requests.Session", (*_HTTP_VERBS, "send"))),
    *_entries(BlockingFamily.HTTP, _HTTP, [f"httpx.{verb}" for verb in _HTTP_VERBS]),
    *_entries(BlockingFamily.HTTP, _HTTP, _methods("httpx.Client", (*_HTTP_VERBS, "send"))),
    *_entries(BlockingFamily.HTTP, _HTTP, ["httpx.stream", "httpx.Client.stream"], Handoff.NEVER),
    *_entries(BlockingFamily.HTTP, _HTTP, ["urllib.request.urlopen"], Handoff.STATEMENT),
    *_entries(BlockingFamily.HTTP, _HTTP, ["urllib3.request", *_methods("urllib3.PoolManager", ("request", "urlopen", "request_encode_url", "request_encode_body"))]),
    *_entries(BlockingFamily.HTTP, _HTTP, _methods("http.client.HTTPConnection", ("connect", "request", "send", "endheaders"))),
    *_entries(BlockingFamily.HTTP, _HTTP, ["http.client.HTTPConnection.getresponse"], Handoff.STATEMENT),
    # files
    *_entries(BlockingFamily.FILE_IO, _OPEN, ["builtins.open", "io.open", "codecs.open", "pathlib.Path.open"], Handoff.NEVER),
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
    *_entries(BlockingFamily.OTHER, _POSTGRES, ["psycopg2.connect", "psycopg.connect", "psycopg.Connection.connect"], Handoff.NEVER),
    *_entries(BlockingFamily.OTHER, _POSTGRES, _methods("psycopg.Connection", ("execute", "commit", "rollback")), Handoff.STATEMENT),
    *_entries(BlockingFamily.OTHER, _POSTGRES, _methods("psycopg2.connection", ("commit", "rollback"))),
    *_entries(BlockingFamily.OTHER, _POSTGRES, _methods("psycopg.Cursor", _DB_CURSOR_METHODS), Handoff.STATEMENT),
    *_entries(BlockingFamily.OTHER, _POSTGRES, _methods("psycopg2.cursor", _DB_CURSOR_METHODS), Handoff.STATEMENT),
    *_entries(BlockingFamily.OTHER, _MYSQL, ["pymysql.connect", "pymysql.connections.Connection"], Handoff.NEVER),
    *_entries(BlockingFamily.OTHER, _MONGO, ["pymongo.MongoClient", "pymongo.mongo_client.MongoClient"], Handoff.NEVER),
    *_entries(BlockingFamily.OTHER, _MONGO, _methods("pymongo.mongo_client.MongoClient", _MONGO_CLIENT_METHODS)),
    *_entries(BlockingFamily.OTHER, _MONGO, _methods("pymongo.database.Database", _MONGO_DATABASE_METHODS)),
    *_entries(BlockingFamily.OTHER, _MONGO, _methods("pymongo.collection.Collection", _MONGO_COLLECTION_METHODS)),
    *[replace(entry, lazy=True) for entry in _entries(BlockingFamily.OTHER, _MONGO, ["pymongo.collection.Collection.find"], Handoff.NEVER)],
    *_entries(
        BlockingFamily.OTHER,
        _REDIS,
        ["redis.Redis", "redis.StrictRedis", "redis.client.Redis", "redis.from_url", "redis.Redis.from_url"],
        Handoff.NEVER,
    ),
    *_entries(BlockingFamily.OTHER, _REDIS, _methods("redis.Redis", _REDIS_METHODS)),
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

VALUE_TYPES: Mapping[str, str] = {
    # constructors and factories -> the receiver type their value has
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
    "httpx.Client": "httpx.Client",
    "urllib3.PoolManager": "urllib3.PoolManager",
    "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
    "http.client.HTTPConnection": "http.client.HTTPConnection",
    "http.client.HTTPSConnection": "http.client.HTTPConnection",
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
    "psycopg.connect": "psycopg.Connection",
    "psycopg.Connection": "psycopg.Connection",
    "psycopg.Connection.connect": "psycopg.Connection",
    "psycopg2.connect": "psycopg2.connection",
    "pymongo.MongoClient": "pymongo.mongo_client.MongoClient",
    "pymongo.mongo_client.MongoClient": "pymongo.mongo_client.MongoClient",
    "pymongo.mongo_client.MongoClient.get_database": "pymongo.database.Database",
    "pymongo.mongo_client.MongoClient.get_default_database": "pymongo.database.Database",
    "pymongo.database.Database": "pymongo.database.Database",
    "pymongo.database.Database.get_collection": "pymongo.collection.Collection",
    "pymongo.collection.Collection": "pymongo.collection.Collection",
    "redis.Redis": "redis.Redis",
    "redis.StrictRedis": "redis.Redis",
    "redis.client.Redis": "redis.Redis",
    "redis.from_url": "redis.Redis",
    "redis.Redis.from_url": "redis.Redis",
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
    "psycopg.Connection.cursor": "psycopg.Cursor",
    "psycopg.Connection.execute": "psycopg.Cursor",
    "psycopg2.connection.cursor": "psycopg2.cursor",
    **{f"pathlib.Path.{method}": "pathlib.Path" for method in ("joinpath", "with_name", "with_suffix", "with_stem", "absolute", "resolve", "expanduser", "relative_to")},
}
"""What a call returns, for the receiver types the catalog has methods of."""

PATH_TYPE = "pathlib.Path"
ATTRIBUTE_TYPES: Mapping[str, str] = {"pathlib.Path.parent": PATH_TYPE}
"""Attributes of the receiver types above that are objects of a known type (`Path(...).parent`
is a Path; so is `Path(...) / "x"`)."""

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

CATALOG: tuple[BlockingCall, ...] = _CATALOG
"""Every built-in blocking call."""

THREAD_HANDOFF = "asyncio.to_thread"
"""What runs a blocking call in a worker thread: `await asyncio.to_thread(f, *args, **kwargs)`."""
