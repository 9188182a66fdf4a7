"""What the concurrency rules (ASL500, ASL501) know of APIs, as data: which awaited calls are
independent reads that may run concurrently, which objects order their operations, and the
names of the tools that run awaitables concurrently.

A call counts as an independent read only when it is listed here (or is a project coroutine
that awaits nothing else): the rules never guess an I/O nature from a name.
"""

from __future__ import annotations

from async_lint.knowledge.langchain import SYNC_METHODS, Kind

_OPENAI_READS = frozenset(
    {
        "chat.completions.create",
        "chat.completions.parse",
        "beta.chat.completions.parse",
        "completions.create",
        "embeddings.create",
        "moderations.create",
        "responses.create",
        "responses.parse",
    }
)
_ANTHROPIC_READS = frozenset({"messages.create", "messages.count_tokens", "completions.create"})
_GROQ_READS = frozenset({"chat.completions.create", "embeddings.create"})

CLIENT_READS: dict[str, frozenset[str]] = {
    # client (the qualified class or factory that made it) -> attribute paths of its methods
    # whose calls only read: no state of the client or of the program changes, and the client
    # (a connection pool) serves many of them at once.
    "httpx.AsyncClient": frozenset({"get", "head", "options"}),
    "openai.AsyncOpenAI": _OPENAI_READS,
    "openai.AsyncClient": _OPENAI_READS,
    "openai.AsyncAzureOpenAI": _OPENAI_READS,
    "anthropic.AsyncAnthropic": _ANTHROPIC_READS,
    "anthropic.AsyncClient": _ANTHROPIC_READS,
    "groq.AsyncGroq": _GROQ_READS,
    "groq.AsyncClient": _GROQ_READS,
    "ollama.AsyncClient": frozenset({"chat", "generate", "embed", "embeddings", "show"}),
}
"""POST, PUT, PATCH and DELETE requests are not reads (a write and a later read of the same
resource must stay in order); LLM SDKs' completion calls are, since they change nothing."""

_LANGCHAIN_WRITES = frozenset({"aadd_documents", "aadd_texts", "adelete"})

LANGCHAIN_READS: dict[Kind, frozenset[str]] = {
    kind: frozenset(twin.name for twin in SYNC_METHODS[kind].values() if not twin.iterated and twin.name not in _LANGCHAIN_WRITES)
    for kind in (Kind.CHAT_MODEL, Kind.EMBEDDINGS, Kind.RETRIEVER, Kind.VECTOR_STORE)
}
"""LangChain objects whose calls are stateless reads, by kind. Not here: compiled graphs (a
checkpointer orders the runs of one thread), tools (side effects), chains and other runnables
(they may hold any step)."""

ORDER_SENSITIVE_TYPES = frozenset(
    {
        "sqlalchemy.ext.asyncio.AsyncSession",
        "sqlalchemy.ext.asyncio.session.AsyncSession",
        "sqlalchemy.ext.asyncio.AsyncConnection",
        "sqlmodel.ext.asyncio.session.AsyncSession",
        "asyncpg.Connection",
        "asyncpg.connection.Connection",
        "asyncpg.connect",
        "aiosqlite.Connection",
        "aiosqlite.connect",
        "psycopg.AsyncConnection",
        "psycopg.AsyncCursor",
        "aiomysql.Connection",
        "fastapi.WebSocket",
        "starlette.websockets.WebSocket",
        "websockets.connect",
        "websockets.asyncio.client.connect",
        "aiohttp.ClientWebSocketResponse",
        "asyncio.StreamReader",
        "asyncio.StreamWriter",
        "asyncio.Queue",
        "asyncio.Lock",
        "asyncio.Semaphore",
        "asyncio.BoundedSemaphore",
        "asyncio.Condition",
        "aiofiles.open",
        "mcp.ClientSession",
    }
)
"""Objects that order their operations (a session or transaction, one connection, a websocket,
a stream or file, a queue, a lock): calls that use one are never run concurrently by a fix."""

CONCURRENT_CONTEXTS = frozenset(
    {
        *CLIENT_READS,
        "aiohttp.ClientSession",
        "asyncio.timeout",
        "asyncio.timeout_at",
        "anyio.fail_after",
        "anyio.move_on_after",
    }
)
"""`with`/`async with` managers (by what made them) whose block does not serialise the awaits in
it on purpose: a client's lifetime, a deadline. Any other block (a lock, a semaphore, a
transaction, a task group, an unknown manager) keeps its awaits as they are."""

MUTATING_METHODS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "add",
        "update",
        "setdefault",
        "pop",
        "popitem",
        "remove",
        "discard",
        "clear",
        "put",
        "put_nowait",
        "write",
        "writelines",
        "send",
        "sendall",
        "set",
        "delete",
        "acquire",
        "release",
    }
)
"""Methods that change their receiver: a coroutine that calls one on something it did not make
itself has effects a concurrent run could reorder."""

LOCK_METHODS = frozenset({"acquire"})
"""A function that calls one holds a lock across what follows: its awaits stay as they are."""

COLLECTING_METHODS = frozenset({"append", "add", "extend", "update"})
"""How a loop collects what each iteration awaited (`results.append(await fetch(item))`)."""

COLLECTING_FIXES: dict[str, str] = {"append": "extend", "add": "update"}
"""A loop body's one collecting call that a fix rewrites, and the call that takes every
gathered result at once (`results.extend(await asyncio.gather(...))`)."""

GATHERING_LIBRARY = "asyncio"
"""The library whose `gather` (and `TaskGroup`) the fixes spell."""

TASK_GROUP = "asyncio.TaskGroup"

TASK_GROUPS: dict[str, str] = {
    # a library's structured-concurrency API -> how the advice names it
    "asyncio.TaskGroup": "an `asyncio.TaskGroup`",
    "anyio.create_task_group": "an anyio task group (`anyio.create_task_group()`)",
    "trio.open_nursery": "a trio nursery (`trio.open_nursery()`)",
}
"""A module that uses one of these prefers structured concurrency to `asyncio.gather`."""

LIBRARY_TASK_GROUPS: dict[str, str] = {"anyio": "anyio.create_task_group", "trio": "trio.open_nursery"}
"""The structured-concurrency API the advice names in a module that runs on another library."""

TASK_GROUP_VERSION = (3, 11)
"""`asyncio.TaskGroup` is new in Python 3.11."""
