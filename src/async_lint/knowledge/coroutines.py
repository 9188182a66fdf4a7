"""Calls that return a coroutine (or a future) outside the project: the standard library's,
the `a`-prefixed LangChain/LangGraph methods, and the methods of known async SDK clients.

The LangChain/LangGraph names come from `shared/reference/langchain-async-api.md` section 5.3:
tier A names are LangChain's alone, so any receiver counts; tier B names are used elsewhere
too, so they count only in a file that imports LangChain or LangGraph.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Awaitable:
    sync_twin: str | None = None
    """The function sync code calls instead (`time.sleep` for `asyncio.sleep`), if any."""
    runs_given_function: bool = False
    """It runs the sync function it is given (`asyncio.to_thread(f, x)`): sync code calls
    `f(x)` directly."""
    future: bool = False
    """A future (already scheduled work whose result is dropped), not a coroutine: it cannot
    be handed to `asyncio.run`."""


COROUTINE_FUNCTIONS: dict[str, Awaitable] = {
    "asyncio.sleep": Awaitable("time.sleep"),
    "asyncio.wait_for": Awaitable(),
    "asyncio.wait": Awaitable(),
    "asyncio.gather": Awaitable(future=True),
    "asyncio.shield": Awaitable(future=True),
    "asyncio.to_thread": Awaitable(runs_given_function=True),
    "asyncio.open_connection": Awaitable("socket.create_connection"),
    "asyncio.open_unix_connection": Awaitable(),
    "asyncio.start_server": Awaitable(),
    "asyncio.start_unix_server": Awaitable(),
    "asyncio.create_subprocess_exec": Awaitable("subprocess.run"),
    "asyncio.create_subprocess_shell": Awaitable("subprocess.run"),
    "asyncio.staggered.staggered_race": Awaitable(),
    "anyio.sleep": Awaitable("time.sleep"),
    "anyio.sleep_forever": Awaitable(),
    "anyio.sleep_until": Awaitable(),
    "anyio.to_thread.run_sync": Awaitable(runs_given_function=True),
    "anyio.open_file": Awaitable("open"),
    "anyio.run_process": Awaitable("subprocess.run"),
    "anyio.connect_tcp": Awaitable("socket.create_connection"),
    "anyio.connect_unix": Awaitable(),
    "anyio.getaddrinfo": Awaitable("socket.getaddrinfo"),
    "trio.sleep": Awaitable("time.sleep"),
    "trio.to_thread.run_sync": Awaitable(runs_given_function=True),
    "langchain_core.callbacks.manager.adispatch_custom_event": Awaitable("dispatch_custom_event"),
    "langchain_core.callbacks.adispatch_custom_event": Awaitable("dispatch_custom_event"),
    "langchain_core.indexing.aindex": Awaitable("index"),
    "litellm.acompletion": Awaitable("litellm.completion"),
    "litellm.aembedding": Awaitable("litellm.embedding"),
}
"""By qualified name."""

COROUTINE_METHODS_ANY_RECEIVER: dict[str, Awaitable] = {
    # asyncio's own name: a loop's `run_in_executor` returns a future.
    "run_in_executor": Awaitable(runs_given_function=True, future=True),
}

LANGCHAIN_COROUTINE_METHODS: frozenset[str] = frozenset(
    {
        # Tier A (reference 5.3): LangChain/LangGraph names, on any receiver; all coroutines.
        "ainvoke",
        "aget_state",
        "aupdate_state",
        "abulk_update_state",
        "aget_relevant_documents",
        "asimilarity_search",
        "asimilarity_search_with_score",
        "asimilarity_search_with_relevance_scores",
        "asimilarity_search_by_vector",
        "amax_marginal_relevance_search",
        "amax_marginal_relevance_search_by_vector",
        "aembed_query",
        "aembed_documents",
        "aadd_documents",
        "aadd_texts",
        "afrom_documents",
        "afrom_texts",
        "agenerate_prompt",
        "apredict_messages",
        "aget_tuple",
        "aput_writes",
        "alist_namespaces",
        "aformat_messages",
        "atransform_documents",
        "acompress_documents",
    }
)
"""The sync twin of each is the name without the leading `a` (`langchain_sync_twin`)."""

LANGCHAIN_COROUTINE_METHODS_WITH_IMPORT: frozenset[str] = frozenset(
    {
        # Tier B: LangChain's too, but other libraries use the names; a file must import
        # langchain*/langgraph* for these to count.
        "abatch",
        "apredict",
        "agenerate",
        "arun",
        "acall",
    }
)
LANGCHAIN_PACKAGES: tuple[str, ...] = ("langchain", "langgraph")
"""Top-level package prefixes (`langchain_core`, `langchain_openai`, `langgraph.graph`...)."""


def sync_twin_spellings(name: str) -> tuple[str, ...]:
    """The names a project gives the sync twin of its coroutine function `name`, most likely
    first: `fetch` for `afetch`, `fetch_async` or `async_fetch`."""
    spellings = (name[1:] if name.startswith("a") else "", name.removesuffix("_async"), name.removeprefix("async_"))
    return tuple(spelling for spelling in spellings if spelling and spelling != name)


def langchain_sync_twin(method: str) -> str:
    """The sync twin of a LangChain coroutine method: `invoke` for `ainvoke`."""
    return method.removeprefix("a")


# --- what ASL101 counts as a use of a stored coroutine ---

COROUTINE_PROTOCOL = frozenset({"send", "throw", "close", "__await__", "cr_frame", "cr_running", "cr_await", "cr_code"})
"""Attributes of a coroutine object: code reading them handles the coroutine itself."""

CONSUMERS = frozenset(
    {"builtins.print", "builtins.str", "builtins.repr", "builtins.len", "builtins.bool", "builtins.format"}
)
"""Functions that only look at a value (given a coroutine, they show or test the object)."""

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
"""Logging calls (`logger.info(coro)` only shows the object)."""
LOGGERS = frozenset({"logging", "logger", "log", "LOGGER", "_logger", "self.logger", "self.log"})
"""Receivers of `LOG_METHODS` that are loggers, as written."""


@dataclass(frozen=True)
class AsyncClient:
    """An async SDK client class: which method calls on it (at any attribute depth,
    `client.chat.completions.create`) return a coroutine."""

    sync_client: str
    coroutine_methods: frozenset[str] | None
    """None: every method, except `not_coroutines`."""
    not_coroutines: frozenset[str] = frozenset()
    depth: int = 0
    """How many attributes the method call spells (`client.runs.wait` is 2); 0: any."""


_STAINLESS = frozenset(
    {"create", "parse", "retrieve", "update", "delete", "cancel", "count_tokens", "generate", "close", "content"}
)
"""Request methods of the OpenAI/Anthropic/Groq SDKs (`list` gives a paginator and `stream` a
context manager, both used otherwise)."""
_HTTPX = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "aclose"})

ASYNC_CLIENTS: dict[str, AsyncClient] = {
    "openai.AsyncOpenAI": AsyncClient("openai.OpenAI", _STAINLESS),
    "openai.AsyncClient": AsyncClient("openai.OpenAI", _STAINLESS),
    "openai.AsyncAzureOpenAI": AsyncClient("openai.AzureOpenAI", _STAINLESS),
    "anthropic.AsyncAnthropic": AsyncClient("anthropic.Anthropic", _STAINLESS),
    "anthropic.AsyncClient": AsyncClient("anthropic.Anthropic", _STAINLESS),
    "groq.AsyncGroq": AsyncClient("groq.Groq", _STAINLESS),
    "groq.AsyncClient": AsyncClient("groq.Groq", _STAINLESS),
    "httpx.AsyncClient": AsyncClient("httpx.Client", _HTTPX),
    "ollama.AsyncClient": AsyncClient(
        "ollama.Client",
        frozenset({"chat", "generate", "embed", "embeddings", "pull", "push", "create", "delete", "show"}),
    ),
    "langsmith.AsyncClient": AsyncClient("langsmith.Client", None, depth=1),
    "langgraph_sdk.get_client": AsyncClient(
        "langgraph_sdk.get_sync_client", None, frozenset({"stream", "join_stream", "get_headers"}), depth=2
    ),
}
"""By the qualified name of the class (or factory) that makes the client."""


def client_method_awaitable(client: AsyncClient, attrs: tuple[str, ...]) -> bool:
    """Whether calling `client.<attrs>` returns a coroutine."""
    if not attrs:
        return False
    method = attrs[-1]
    if method.startswith("_"):
        return False
    if client.depth and len(attrs) != client.depth:
        return False
    if client.coroutine_methods is None:
        return method not in client.not_coroutines
    return method in client.coroutine_methods
