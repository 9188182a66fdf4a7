"""Calls that return a coroutine (or a future) which has to be awaited, what sync code can call
instead, and where the calling code runs (ASL100, ASL101).

A coroutine function is the project's `async def` (through the type inference), a known one of
the standard library or an SDK (`knowledge.coroutines`), a method of a known async SDK client,
or a method whose name only LangChain gives to a coroutine.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

import libcst as cst

from async_lint.analysis.project import logger
from async_lint.analysis.types import BoundMethod, ClassType, ExternalName, FunctionType, Instance, ModuleType
from async_lint.analysis.walker import FrameKind, ModuleWalker
from async_lint.knowledge.coroutines import (
    ASYNC_CLIENTS,
    COROUTINE_FUNCTIONS,
    COROUTINE_METHODS_ANY_RECEIVER,
    LANGCHAIN_COROUTINE_METHODS,
    LANGCHAIN_COROUTINE_METHODS_WITH_IMPORT,
    LANGCHAIN_PACKAGES,
    Awaitable,
    client_method_awaitable,
    langchain_sync_twin,
    sync_twin_spellings,
)


class TwinKind(enum.Enum):
    FUNCTION = "function"
    """A sync function, by its dotted name: `time.sleep`, the project's `Agent.answer`."""
    METHOD = "method"
    """The receiver's own sync method: `invoke` for `ainvoke`."""
    CLIENT_METHOD = "client method"
    """The same method of a sync SDK client (named by its class: `openai.OpenAI`)."""
    GIVEN_FUNCTION = "given function"
    """The function the call is given, called directly (`asyncio.to_thread(f, x)` -> `f(x)`)."""


@dataclass(frozen=True)
class SyncTwin:
    """What sync code can call instead of a coroutine function."""

    kind: TwinKind
    name: str = ""
    method: str | None = None
    """The receiver's method that makes the call sync, when the call is `x.method(...)`
    (`invoke` for `graph.ainvoke(...)`, `answer` for `self.aanswer(...)`)."""


@dataclass(frozen=True)
class CoroutineCall:
    """A call that returns a coroutine, or a future, that has to be awaited."""

    future: bool = False
    """A future: the work is scheduled already, its result and exceptions are what is lost."""
    twin: SyncTwin | None = None


def coroutine_call(node: cst.Call, ctx: ModuleWalker) -> CoroutineCall | None:
    """The coroutine (or future) this call returns, if it is known to return one."""
    func = node.func
    target = ctx.type_of(func)
    function = target.function if isinstance(target, BoundMethod) else target
    if isinstance(function, FunctionType):
        scope = ctx.inference.function_scope(function)
        if scope is None or not scope.is_coroutine_function:
            return None  # a project function that is not a coroutine function, whatever its name
        twin = _project_sync_twin(function, ctx)
        if twin is None:
            return CoroutineCall()
        method = twin.rsplit(".", 1)[-1] if isinstance(func, cst.Attribute) else None
        return CoroutineCall(twin=SyncTwin(TwinKind.FUNCTION, twin, method))
    if isinstance(target, (ClassType, ModuleType)) or (isinstance(target, Instance) and isinstance(target.of, ClassType)):
        return None
    if isinstance(target, ExternalName) and target.qualified in COROUTINE_FUNCTIONS:
        return _known(COROUTINE_FUNCTIONS[target.qualified])
    if isinstance(target, Instance) and isinstance(target.of, ExternalName):
        client = ASYNC_CLIENTS.get(target.of.qualified)
        if client is not None:
            if client_method_awaitable(client, target.attrs):
                return CoroutineCall(twin=SyncTwin(TwinKind.CLIENT_METHOD, client.sync_client))
            return None
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    if method in COROUTINE_METHODS_ANY_RECEIVER:
        return _known(COROUTINE_METHODS_ANY_RECEIVER[method])
    if method in LANGCHAIN_COROUTINE_METHODS or (
        method in LANGCHAIN_COROUTINE_METHODS_WITH_IMPORT and _imports_langchain(ctx)
    ):
        twin = langchain_sync_twin(method)
        return CoroutineCall(twin=SyncTwin(TwinKind.METHOD, twin, twin))
    return None


def explain_if_unresolved(expr: cst.BaseExpression, ctx: ModuleWalker) -> None:
    """With the debug log on (`--explain-unresolved`): say so when `expr` cannot be resolved
    (the inference logs why just before)."""
    if logger.isEnabledFor(logging.DEBUG) and ctx.type_of(expr) is None:
        where = ctx.frame.qualname or "<module>"
        logger.debug("unresolved: %s: in %s: `%s`", ctx.filename, where, ctx.module.code_for_node(expr))


def _known(known: Awaitable) -> CoroutineCall:
    if known.runs_given_function:
        return CoroutineCall(known.future, SyncTwin(TwinKind.GIVEN_FUNCTION))
    if known.sync_twin is not None:
        return CoroutineCall(known.future, SyncTwin(TwinKind.FUNCTION, known.sync_twin))
    return CoroutineCall(known.future)


def _project_sync_twin(function: FunctionType, ctx: ModuleWalker) -> str | None:
    """`Agent.answer` for `Agent.aanswer`, `fetch` for `afetch` / `fetch_async` /
    `async_fetch`, when the project defines it as a sync function."""
    inference = ctx.inference
    scope = inference.function_scope(function)
    if scope is None:
        return None
    for candidate in sync_twin_spellings(scope.name):
        twin: FunctionType | None
        if scope.class_key is not None:
            twin = inference.lookup_method(ClassType(function.path, scope.class_key), candidate)
        else:
            prefix = function.key.rsplit(".", 1)[0] + "." if "." in function.key else ""
            twin = FunctionType(function.path, prefix + candidate)
        twin_scope = inference.function_scope(twin) if twin is not None else None
        if twin_scope is not None and not twin_scope.is_async:
            return twin_scope.qualname
    return None


def _imports_langchain(ctx: ModuleWalker) -> bool:
    return any(name.split(".", 1)[0].startswith(LANGCHAIN_PACKAGES) for name in ctx.imported_modules())


# --- where the call runs ---


def under_main_guard(ctx: ModuleWalker) -> bool:
    """Whether the traversal is inside an `if __name__ == "__main__":` block."""
    return any(_is_main_guard(node) for node in ctx.ancestors)


def at_entry_point(ctx: ModuleWalker) -> bool:
    """Module level under `if __name__ == "__main__":`, or in a module-level sync function
    called only from there (`main()`)."""
    function = ctx.function
    if function is None:
        return ctx.frame.kind is FrameKind.MODULE and under_main_guard(ctx)
    parent = function.parent
    return (
        function.kind is FrameKind.FUNCTION
        and parent is not None
        and parent.kind is FrameKind.MODULE
        and ctx.view.is_entry_point(function.name)
    )


def _is_main_guard(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.If) or not isinstance(node.test, cst.Comparison):
        return False
    test = node.test
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"]
    return len(names) == 1 and len(strings) == 1
