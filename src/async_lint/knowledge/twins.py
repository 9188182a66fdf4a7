"""How libraries name the async twin of a sync API, as data: what `analysis/environment.py`
looks for in an installed package's sources to derive a twin no table lists.

- a method `m` with an `async def a<m>` on the same class (LangChain's convention:
  `loader.load()` / `await loader.aload()`);
- a sync client class `Name` with an `Async<Name>` sibling in its package (`OpenAI` /
  `AsyncOpenAI`, `Elasticsearch` / `AsyncElasticsearch`, `redis.Redis` / `redis.asyncio.Redis`),
  when the two share methods that are plain `def` on the sync side and `async def` on the other.
"""

from __future__ import annotations

TWIN_METHOD = "a{name}"
"""The async twin of method `name` on the same class."""

NOT_IO_TWINS = frozenset(
    {
        "get_graph",  # a drawing, computed locally (the twin exists for remote subgraphs)
        "transform",  # takes an iterator where `atransform` takes an async one
        "format",
        "format_messages",
        "format_prompt",
        "parse",
        "parse_result",
        "select_examples",
        "add_example",
    }
)
"""Sync methods with an `a`-twin that do no I/O of their own (prompt and parser work, drawings)
or whose twin takes other arguments: never flagged by derivation."""

IN_MEMORY_CLASSES = ("InMemory*", "Fake*", "*InMemory*")
"""Class names (`fnmatch`) of objects that keep everything in memory: their sync methods do no
I/O, whatever twins they have."""

ASYNC_SIBLING_SPELLINGS = (
    "{module}.Async{name}",
    "{package}.Async{name}",
    "{package}.asyncio.{name}",
    "{package}.asyncio.Async{name}",
    "{package}.aio.{name}",
    "{package}.aio.Async{name}",
)
"""Where a package keeps the async twin of its sync class `name` (imported from `module`,
whose top-level package is `package`): `openai.AsyncOpenAI`, `redis.asyncio.Redis`."""
