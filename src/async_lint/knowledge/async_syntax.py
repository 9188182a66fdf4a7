"""The async syntax only a coroutine may use, and what CPython's compiler says when it meets
it anywhere else (`ast.parse` and LibCST accept it)."""

from __future__ import annotations

import enum


class AsyncConstruct(enum.Enum):
    AWAIT = "await"
    ASYNC_FOR = "async for"
    ASYNC_WITH = "async with"
    ASYNC_COMPREHENSION = "async comprehension"
    """A comprehension with `async for` (outside a generator expression)."""


OUTSIDE_ASYNC_FUNCTION: dict[AsyncConstruct, str] = {
    AsyncConstruct.AWAIT: "'await' outside async function",
    AsyncConstruct.ASYNC_FOR: "'async for' outside async function",
    AsyncConstruct.ASYNC_WITH: "'async with' outside async function",
    AsyncConstruct.ASYNC_COMPREHENSION: "asynchronous comprehension outside of an asynchronous function",
}
"""The `SyntaxError` in a plain `def` or a lambda."""

AWAIT_OUTSIDE_FUNCTION = "'await' outside function"
"""The `SyntaxError` for an `await` at module level or in a class body."""
