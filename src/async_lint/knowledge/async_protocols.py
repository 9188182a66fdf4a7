"""Which calls return an async iterator, a coroutine or a context manager of one kind only, so
that `for`/`async for`, `await` and `with`/`async with` can be checked against them.

Method names count whatever the receiver is (they are specific to LangChain, LangGraph, httpx);
context-manager factories count by qualified name, after import resolution.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class CallKind(enum.Enum):
    """What calling something returns, as far as iteration and `await` are concerned."""

    COROUTINE = "coroutine"
    """`await` it; neither `for` nor `async for` works on it."""
    ASYNC_ITERATOR = "async iterator"
    """`async for` over it; it cannot be awaited nor iterated with `for`."""
    PLAIN = "plain"
    """A plain `def` (a value or a sync generator; a project's own sync `astream`, say):
    `for` works if anything does, `await` does not apply."""


class ContextKind(enum.Enum):
    ASYNC = "async"
    """Only `async with` (it has `__aenter__`/`__aexit__` and no `__enter__`)."""
    SYNC = "sync"
    """Only `with`."""


ASYNC_ITERATOR_METHODS: dict[str, str | None] = {
    # method -> its sync twin (a sync iterator), None when there is none
    "astream": "stream",
    "astream_events": None,  # v1/v2; `version="v3"` returns an awaitable (see below)
    "astream_log": None,
    "atransform": "transform",
    "abatch_as_completed": "batch_as_completed",
    "aget_state_history": "get_state_history",
    "aget_subgraphs": "get_subgraphs",
    "alist": "list",  # checkpointers
    "alazy_load": "lazy_load",  # document loaders
    "ayield_keys": "yield_keys",  # key-value stores
    "aiter_bytes": "iter_bytes",  # httpx responses
    "aiter_text": "iter_text",
    "aiter_lines": "iter_lines",
    "aiter_raw": "iter_raw",
}
"""Methods that return an async iterator (an async generator, or a plain `def` returning one)."""

AWAITED_RESULT_METHODS: dict[str, str] = {"astream": "ainvoke"}
"""Async-iterator methods whose whole result another method returns, as a coroutine: `await
llm.astream(x)` most likely meant `await llm.ainvoke(x)`."""

@dataclass(frozen=True)
class AwaitedWhen:
    """A keyword argument whose value makes an async-iterator method return an awaitable."""

    keyword: str
    value: str


AWAITED_WHEN: dict[str, AwaitedWhen] = {"astream_events": AwaitedWhen("version", "v3")}
"""`astream_events(..., version="v3")` returns an awaitable that resolves to the stream: the one
`astream*` call that must be awaited (v1/v2 stream; an unknown version could be either)."""

COROUTINE_METHODS: dict[str, str | None] = {
    # method -> the async-iterator method to use for streaming, None when there is none
    "ainvoke": "astream",
    "abatch": None,
    "aget_state": None,
    "aupdate_state": None,
    "aget_relevant_documents": None,
    "asimilarity_search": None,
    "asimilarity_search_with_score": None,
    "asimilarity_search_with_relevance_scores": None,
    "amax_marginal_relevance_search": None,
    "aembed_documents": None,
    "aembed_query": None,
    "aload": "alazy_load",
    "aget_tuple": None,
    "alist_namespaces": None,
    "aget_messages": None,
    "agenerate": None,
    "apredict": None,
    "apredict_messages": None,
    "aformat_messages": None,
    "atransform_documents": None,
    "acompress_documents": None,
}
"""LangChain/LangGraph coroutine methods whose result people try to iterate directly."""

COROUTINE_FUNCTIONS = frozenset(
    {"asyncio.sleep", "asyncio.gather", "asyncio.wait", "asyncio.wait_for", "asyncio.to_thread", "asyncio.shield"}
)

ASYNC_CONTEXT_MANAGERS: frozenset[str] = frozenset(
    {
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "asyncio.TaskGroup",
        "asyncio.timeout",
        "asyncio.timeout_at",
        "asyncio.Lock",
        "asyncio.Semaphore",
        "asyncio.BoundedSemaphore",
        "asyncio.Condition",
        "anyio.create_task_group",
        "anyio.Lock",
        "anyio.Semaphore",
        "contextlib.AsyncExitStack",
        "aiofiles.open",
        "aiosqlite.connect",
        "openai.AsyncOpenAI",
        "anthropic.AsyncAnthropic",
        "groq.AsyncGroq",
        "mcp.ClientSession",
        "mcp.client.stdio.stdio_client",
        "mcp.client.sse.sse_client",
        "mcp.client.streamable_http.streamablehttp_client",
        "langgraph.checkpoint.sqlite.aio.AsyncSqliteSaver.from_conn_string",
        "langgraph.checkpoint.postgres.aio.AsyncPostgresSaver.from_conn_string",
        "langgraph.checkpoint.postgres.shallow.AsyncShallowPostgresSaver.from_conn_string",
        "langgraph.store.postgres.AsyncPostgresStore.from_conn_string",
        "langgraph.store.postgres.aio.AsyncPostgresStore.from_conn_string",
        "langgraph.store.sqlite.aio.AsyncSqliteStore.from_conn_string",
    }
)
"""Calls whose result supports only `async with`."""

SYNC_CONTEXT_MANAGERS: dict[str, str | None] = {
    # qualified name -> the async counterpart to suggest, None when there is none
    "builtins.open": "aiofiles.open()",
    "httpx.Client": "httpx.AsyncClient()",
    "httpx.stream": "httpx.AsyncClient().stream()",
    "requests.Session": "httpx.AsyncClient()",
    "threading.Lock": "asyncio.Lock()",
    "threading.RLock": "asyncio.Lock()",
    "threading.Semaphore": "asyncio.Semaphore()",
    "threading.BoundedSemaphore": "asyncio.BoundedSemaphore()",
    "threading.Condition": "asyncio.Condition()",
    "sqlite3.connect": "aiosqlite.connect()",
    "sqlite3.Connection": "aiosqlite.connect()",
    "concurrent.futures.Executor": None,
    "tempfile.TemporaryDirectory": None,
    "tempfile.NamedTemporaryFile": None,
    "contextlib.ExitStack": "contextlib.AsyncExitStack()",
    "concurrent.futures.ThreadPoolExecutor": None,
    "concurrent.futures.ProcessPoolExecutor": None,
    "anyio.fail_after": None,
    "anyio.move_on_after": None,
    "anyio.CancelScope": None,
    "openai.OpenAI": "openai.AsyncOpenAI()",
    "anthropic.Anthropic": "anthropic.AsyncAnthropic()",
    "groq.Groq": "groq.AsyncGroq()",
    "langgraph.checkpoint.sqlite.SqliteSaver.from_conn_string": "AsyncSqliteSaver.from_conn_string()",
    "langgraph.checkpoint.postgres.PostgresSaver.from_conn_string": "AsyncPostgresSaver.from_conn_string()",
    "langgraph.store.postgres.PostgresStore.from_conn_string": "AsyncPostgresStore.from_conn_string()",
    "langgraph.store.sqlite.SqliteStore.from_conn_string": "AsyncSqliteStore.from_conn_string()",
}
"""Calls whose result supports only `with`."""

CONTEXT_MANAGER_TYPES: dict[str, ContextKind] = {
    "contextlib.AbstractAsyncContextManager": ContextKind.ASYNC,
    "contextlib.AbstractContextManager": ContextKind.SYNC,
}
"""The types the inference gives to what an `@asynccontextmanager` / `@contextmanager` function
or a context-manager factory (`AsyncSqliteSaver.from_conn_string`, `client.stream`) returns."""

CONTEXT_FACTORY_TYPES: dict[str, str] = {
    **{name: "contextlib.AbstractAsyncContextManager" for name in ASYNC_CONTEXT_MANAGERS if name.endswith(".from_conn_string")},
    **{name: "contextlib.AbstractContextManager" for name in SYNC_CONTEXT_MANAGERS if name.endswith(".from_conn_string")},
}
"""Class factories that return a context manager around the instance (`async with
AsyncSqliteSaver.from_conn_string(...) as saver`), by qualified name."""

CLIENT_STREAM_HELPERS: dict[str, tuple[ContextKind, frozenset[str]]] = {
    # client class -> (kind of the helper's context manager, attribute paths of the helper)
    "httpx.AsyncClient": (ContextKind.ASYNC, frozenset({"stream"})),
    "httpx.Client": (ContextKind.SYNC, frozenset({"stream"})),
    "anthropic.AsyncAnthropic": (ContextKind.ASYNC, frozenset({"messages.stream", "beta.messages.stream"})),
    "anthropic.Anthropic": (ContextKind.SYNC, frozenset({"messages.stream", "beta.messages.stream"})),
    "openai.AsyncOpenAI": (
        ContextKind.ASYNC,
        frozenset({"chat.completions.stream", "beta.chat.completions.stream", "responses.stream"}),
    ),
    "openai.OpenAI": (
        ContextKind.SYNC,
        frozenset({"chat.completions.stream", "beta.chat.completions.stream", "responses.stream"}),
    ),
}
"""`.stream(...)` helpers of SDK clients: an async context manager on the async client."""

EVENT_LOOP_GETTERS = frozenset({"asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.new_event_loop"})
"""Calls returning an event loop, whose `create_task` is the same as `asyncio.create_task`."""

EVENT_LOOP_TYPES = frozenset({"asyncio.AbstractEventLoop", "asyncio.BaseEventLoop", "asyncio.events.AbstractEventLoop"})
"""Annotations that make a parameter an event loop."""

ITERATING_BUILTINS = frozenset(
    f"builtins.{name}"
    for name in ("list", "tuple", "set", "frozenset", "sorted", "dict", "enumerate", "zip", "sum", "min", "max", "any", "all", "next", "iter")
)
"""Builtins that iterate their first argument synchronously."""

COLLECTING_BUILTIN = "builtins.list"
"""`list(x)`: over an async iterator, `[item async for item in x]` collects the same items."""

NEXT_BUILTINS: dict[str, str] = {"builtins.next": "anext"}
"""`next(x)` and its async twin: `await anext(x)` over an async iterator. It takes an iterator,
not an iterable (hence its own error text)."""

# --- what CPython raises when the protocols are mixed up ---

ASYNC_ITERATOR_NOT_ITERABLE = "TypeError: 'async_generator' object is not iterable"
ASYNC_ITERATOR_NOT_AN_ITERATOR = "TypeError: 'async_generator' object is not an iterator"
ASYNC_ITERATOR_NOT_AWAITABLE = "TypeError: object async_generator can't be used in 'await' expression"
COROUTINE_NOT_ITERABLE = "TypeError: 'coroutine' object is not iterable"
COROUTINE_NOT_ASYNC_ITERABLE = "TypeError: 'async for' requires an object with __aiter__ method, got coroutine"
