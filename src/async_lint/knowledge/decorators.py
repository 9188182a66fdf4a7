"""Decorators, as data: which ones leave a function what its `def` says it is, and which ones
make it something else that the type inference knows."""

from __future__ import annotations

TRANSPARENT_DECORATORS = frozenset(
    {
        # Python's own, which return the function itself (or a descriptor calling it).
        "staticmethod",
        "classmethod",
        "abstractmethod",
        "override",
        "final",
        "wraps",
        "cache",
        "lru_cache",
        "no_type_check",
        "deprecated",
        # Web route and event registration: the function is registered and returned as is.
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "route",
        "api_route",
        "websocket",
        "websocket_route",
        "on_event",
        "exception_handler",
        "middleware",
        # Tracing and retry wrappers that keep an async def async.
        "traceable",
        "observe",
        "retry",
    }
)
"""Decorators (by their last name) that return the function as is, or a wrapper calling it
with the same result: what calling the function returns is what its `def` says."""

RESULT_KEEPING_DECORATORS = frozenset(
    {"builtins.staticmethod", "builtins.classmethod", "typing.final", "typing.override", "typing_extensions.override"}
)
"""Decorators (by qualified name) that leave what calling the function returns as its `def`
says, so an `async def` under them still makes a coroutine (or an async iterator)."""

PROPERTY_DECORATORS = frozenset({"builtins.property", "functools.cached_property"})
"""Reading the attribute calls the getter: its type is the getter's return type."""

CONTEXT_MANAGER_FACTORIES = {
    "contextlib.contextmanager": "contextlib.AbstractContextManager",
    "contextlib.asynccontextmanager": "contextlib.AbstractAsyncContextManager",
}
"""Decorators that turn a generator function into a context manager factory: calling the
function gives an instance of this type."""
