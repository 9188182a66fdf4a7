"""Calls that use the wrong half of LangChain, LangGraph or an LLM SDK (ASL400-ASL405): what
each call is, as one verdict.

Every call is classified once per module walk (`framework_call`, memoised through `ctx.facts`),
with a fixed precedence so that one call gets one verdict: an async-only tool run synchronously,
a graph with `async def` nodes run synchronously, a one-way checkpointer used the other way
(sync-only under an async call, then async-only under a sync call), a sync SDK client, and only
then the plain sync half of a pair inside `async def`. Receivers are proven by the type
inference (`ctx.object_info`); unproven receivers get no verdict, except for the names only
LangChain uses (`TIER_A_SYNC_METHODS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import libcst as cst

from async_lint.analysis.derived_twins import client_method_does_io, derived_client, derived_twin
from async_lint.analysis.framework_objects import ObjectInfo
from async_lint.analysis.types import ClassType, Instance, Saver, members
from async_lint.analysis.unresolved import explain_receiver, explaining
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.langchain import (
    ASYNC_ONLY_SAVER_ERRORS,
    CALLABLE_KINDS,
    DERIVED_TWIN_KINDS,
    CLIENT_ASYNC_ATTRIBUTES,
    CLIENT_NON_IO_METHODS,
    GRAPH_ASYNC_CALLS,
    GRAPH_KINDS,
    GRAPH_SYNC_CALLS,
    NO_SYNC_NODE_ERROR,
    OBJECT_CALL,
    SAVER_ASYNC_CALLS,
    SAVER_KINDS,
    SYNC_CLIENT_FUNCTIONS,
    SYNC_DRIVERS,
    SYNC_METHODS,
    SYNC_ONLY_SAVER_ERRORS,
    SYNC_TOOL_ERROR,
    TIER_A_SYNC_METHODS,
    TOOL_SYNC_CALLS,
    Kind,
    Mode,
    Twin,
    short_name,
)

_CHECKED_IN_SYNC_CODE = SYNC_DRIVERS | TOOL_SYNC_CALLS | GRAPH_ASYNC_CALLS | frozenset().union(*SAVER_ASYNC_CALLS.values())
"""The methods that can get a verdict outside `async def` (async-only tools and `async def`
nodes run synchronously, sync-only savers under an async call)."""


@dataclass(frozen=True)
class MethodCall:
    """`receiver.method(...)`, or `receiver(...)` (`method` is then `OBJECT_CALL`)."""

    receiver: cst.BaseExpression
    method: str


@dataclass(frozen=True)
class TwinCall(MethodCall):
    """A sync call that has an async twin on the same receiver."""

    twin: Twin


@dataclass(frozen=True)
class AsyncOnlyToolDriven(TwinCall):
    """A tool that has only a coroutine, or a graph or agent running such tools, driven by a sync
    call (in any code)."""

    driven: ObjectInfo
    """The tool, or the graph or agent (its `async_only_tools` name the tools)."""
    runs_tools: bool
    """The receiver is a graph or agent running the tools, not a tool."""
    raises: str


@dataclass(frozen=True)
class AsyncNodesDriven(TwinCall):
    """A graph with `async def` nodes (or an `async def` `@entrypoint`) driven by a sync call (in
    any code)."""

    nodes: tuple[str, ...]
    raises: str


@dataclass(frozen=True)
class SyncOnlySaverAsyncCall(MethodCall):
    """An async call on a sync-only checkpointer or store, or on a graph compiled with one."""

    saver: Saver
    on_saver: bool
    """On the saver itself, not on a graph."""
    raises: str | None
    """What the call raises; None: a bare `NotImplementedError`."""


@dataclass(frozen=True)
class AsyncOnlySaverSyncCall(TwinCall):
    """A sync call inside `async def` on an async-only checkpointer or store, or on a graph
    compiled with one."""

    saver: Saver
    on_saver: bool
    raises: str


@dataclass(frozen=True)
class SyncClientCall:
    """A method reached through a sync SDK client inside `async def`
    (`client.chat.completions.create(...)`)."""

    client: cst.BaseExpression
    path: tuple[str, ...]
    """The attributes from the client to the method called: `("chat", "completions", "create")`."""
    info: ObjectInfo
    async_client: str | None
    """The async client class to create instead."""
    async_attribute: str | None
    """Or the same client's async side (`aio` on a `google.genai.Client`)."""


@dataclass(frozen=True)
class SyncClientFunction:
    """A module function of an SDK that does network I/O, inside `async def` (`litellm.completion`)."""

    qualified: str
    replacement: str
    """What to await instead: `litellm.acompletion`, `ollama.AsyncClient().chat`."""
    renamed: str | None
    """The replacement's name when it is in the same module (`acompletion`): `x.completion(...)`
    becomes `x.acompletion(...)`."""


@dataclass(frozen=True)
class SyncHalfCall(TwinCall):
    """The sync half of a LangChain/LangGraph pair inside `async def`."""

    info: ObjectInfo | None
    """What the receiver is; None for a name only LangChain uses, on a receiver not proven, or
    for a twin derived from an installed class (`derived_from`)."""
    derived_from: str | None = None
    """The installed class whose sources have the twin, when no table lists it
    (`PyPDFLoader`: `load` / `async def aload`)."""


FrameworkCall = Union[
    AsyncOnlyToolDriven,
    AsyncNodesDriven,
    SyncOnlySaverAsyncCall,
    AsyncOnlySaverSyncCall,
    SyncClientCall,
    SyncClientFunction,
    SyncHalfCall,
]


def framework_call(node: cst.Call, ctx: ModuleWalker) -> FrameworkCall | None:
    """The one verdict this call gets, if any (computed once per call)."""
    verdicts = ctx.facts(_verdicts)
    if node not in verdicts:
        verdicts[node] = _classify(node, ctx)
        if verdicts[node] is None and explaining() and ctx.in_async_function and isinstance(node.func, cst.Attribute):
            explain_receiver(node.func.value, node.func.attr.value, ctx)
    return verdicts[node]


def _verdicts(ctx: ModuleWalker) -> dict[cst.Call, FrameworkCall | None]:
    return {}


def _classify(node: cst.Call, ctx: ModuleWalker) -> FrameworkCall | None:
    func = node.func
    in_async = ctx.in_async_function
    if in_async:
        qualified = ctx.resolve(func)
        if qualified is not None and qualified in SYNC_CLIENT_FUNCTIONS:
            return _sync_client_function(func, qualified)
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if not in_async and method not in _CHECKED_IN_SYNC_CODE:
            return None
        receiver = func.value
        info = ctx.object_info(receiver)
        if in_async:
            client = _sync_client_call(func, info, ctx)
            if client is not None:
                return client
    elif isinstance(func, cst.Name):
        method = OBJECT_CALL
        receiver = func
        info = ctx.object_info(func)
        if info is None or info.kind not in CALLABLE_KINDS:
            return None
    else:
        return None
    call = MethodCall(receiver, method)
    if info is None:
        return (_unproven_sync_half(func, method, receiver, ctx) or _derived_sync_half(call, None, ctx)) if in_async else None
    return (
        _async_only_tool_driven(call, info)
        or _async_nodes_driven(call, info)
        or _sync_only_saver_async_call(call, info)
        or (_async_only_saver_sync_call(call, info) if in_async else None)
        or (_sync_half_call(call, info) or _derived_sync_half(call, info, ctx) if in_async else None)
    )


# --- the cases, in precedence order ---


def _async_only_tool_driven(call: MethodCall, info: ObjectInfo) -> AsyncOnlyToolDriven | None:
    if not info.async_only_tools:
        return None
    if info.kind is Kind.TOOL and call.method in TOOL_SYNC_CALLS:
        twin = SYNC_METHODS[Kind.TOOL][call.method]
        runs_tools = False
    elif info.kind in GRAPH_KINDS and call.method in SYNC_DRIVERS:
        twin = SYNC_METHODS[Kind.RUNNABLE][call.method]
        runs_tools = True
    else:
        return None
    return AsyncOnlyToolDriven(call.receiver, call.method, twin, info, runs_tools, SYNC_TOOL_ERROR)


def _async_nodes_driven(call: MethodCall, info: ObjectInfo) -> AsyncNodesDriven | None:
    if not info.async_nodes or info.kind not in GRAPH_KINDS or call.method not in SYNC_DRIVERS:
        return None
    twin = SYNC_METHODS[Kind.RUNNABLE][call.method]
    raises = NO_SYNC_NODE_ERROR.format(node=info.async_nodes[0])
    return AsyncNodesDriven(call.receiver, call.method, twin, info.async_nodes, raises)


def _sync_only_saver_async_call(call: MethodCall, info: ObjectInfo) -> SyncOnlySaverAsyncCall | None:
    saver = _one_way_saver(info, Mode.SYNC_ONLY)
    if saver is None:
        return None
    on_saver = info.kind in SAVER_KINDS
    if on_saver:
        applies = call.method in SAVER_ASYNC_CALLS[info.kind]
    else:
        applies = info.kind in GRAPH_KINDS and call.method in GRAPH_ASYNC_CALLS
    if not applies:
        return None
    return SyncOnlySaverAsyncCall(call.receiver, call.method, saver, on_saver, SYNC_ONLY_SAVER_ERRORS.get(saver.name))


def _async_only_saver_sync_call(call: MethodCall, info: ObjectInfo) -> AsyncOnlySaverSyncCall | None:
    saver = _one_way_saver(info, Mode.ASYNC_ONLY)
    if saver is None:
        return None
    on_saver = info.kind in SAVER_KINDS
    if on_saver:
        twin = SYNC_METHODS[info.kind].get(call.method)
    elif info.kind in GRAPH_KINDS and call.method in GRAPH_SYNC_CALLS:
        twin = SYNC_METHODS[Kind.COMPILED_GRAPH].get(call.method)
    else:
        twin = None
    if twin is None:
        return None
    return AsyncOnlySaverSyncCall(call.receiver, call.method, twin, saver, on_saver, ASYNC_ONLY_SAVER_ERRORS[saver.name])


def _one_way_saver(info: ObjectInfo, mode: Mode) -> Saver | None:
    """The first checkpointer or store the object was compiled with (or is) that serves only
    `mode`'s half of the API."""
    return next((saver for saver in info.savers if saver.mode is mode), None)


def _sync_client_call(func: cst.Attribute, info: ObjectInfo | None, ctx: ModuleWalker) -> SyncClientCall | None:
    """A method reached through a sync SDK client, the client being the receiver or an object
    further left (`client.chat.completions.create`)."""
    path = [func.attr.value]
    expr: cst.BaseExpression = func.value
    derived = False
    if info is None:
        info = derived_client(expr, ctx)
        derived = info is not None
    while info is None and isinstance(expr, cst.Attribute):
        path.insert(0, expr.attr.value)
        expr = expr.value
        info = ctx.object_info(expr)
        if info is None:
            info = derived_client(expr, ctx)
            derived = info is not None
    if info is None or info.kind is not Kind.SYNC_CLIENT:
        return None
    if any(part in CLIENT_ASYNC_ATTRIBUTES for part in path) or (len(path) == 1 and path[0] in CLIENT_NON_IO_METHODS):
        return None
    if derived and len(path) == 1 and not client_method_does_io(info, path[0], ctx):
        return None
    replacement = info.async_replacement
    if replacement is not None and replacement.startswith("."):
        return SyncClientCall(expr, tuple(path), info, None, replacement[1:])
    return SyncClientCall(expr, tuple(path), info, replacement, None)


def _sync_client_function(func: cst.BaseExpression, qualified: str) -> SyncClientFunction:
    replacement = SYNC_CLIENT_FUNCTIONS[qualified]
    module, _ = qualified.rsplit(".", 1)
    same_module = isinstance(func, cst.Attribute) and replacement.rsplit(".", 1)[0] == module
    return SyncClientFunction(qualified, replacement, short_name(replacement) if same_module else None)


def _unproven_sync_half(
    func: cst.BaseExpression, method: str, receiver: cst.BaseExpression, ctx: ModuleWalker
) -> SyncHalfCall | None:
    twin = TIER_A_SYNC_METHODS.get(method)
    if twin is None or not isinstance(func, cst.Attribute) or _is_project_object(receiver, ctx):
        return None
    return SyncHalfCall(receiver, method, twin, None)


def _sync_half_call(call: MethodCall, info: ObjectInfo) -> SyncHalfCall | None:
    twin = sync_half_twin(info, call.method)
    if twin is None:
        return None
    return SyncHalfCall(call.receiver, call.method, twin, info)


SYNC_HALF_NAMES = frozenset(name for methods in SYNC_METHODS.values() for name in methods)
"""Every method name that is the sync half of a pair on some kind of object: a call by any
other name needs no look at its receiver."""


def sync_half_twin(info: ObjectInfo, method: str) -> Twin | None:
    """The async twin of `method` when it is the sync half of a pair on this object (not on an
    in-memory object or a prompt, which do no I/O)."""
    if info.in_memory or info.kind is Kind.PROMPT:
        return None
    return SYNC_METHODS.get(info.kind, {}).get(method)


def _derived_sync_half(call: MethodCall, info: ObjectInfo | None, ctx: ModuleWalker) -> SyncHalfCall | None:
    """A method whose async twin the receiver's installed class has (`load` / `aload`)."""
    if call.method == OBJECT_CALL or (info is not None and (info.in_memory or info.kind not in DERIVED_TWIN_KINDS)):
        return None
    derived = derived_twin(call.receiver, call.method, ctx)
    if derived is None:
        return None
    return SyncHalfCall(call.receiver, call.method, derived.twin, info, derived.owner)


def _is_project_object(expr: cst.BaseExpression, ctx: ModuleWalker) -> bool:
    """Whether `expr` is shown to be something else: an instance (or `self`) of a project class
    that does not derive from a LangChain class, or the class itself."""
    found = members(ctx.type_of(expr))
    return bool(found) and all(
        isinstance(m, ClassType) or (isinstance(m, Instance) and isinstance(m.of, ClassType)) for m in found
    )
