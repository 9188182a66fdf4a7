"""LLM-framework rules (ASL400-ASL405): the sync and async halves of LangChain, LangGraph and
the LLM SDKs, used on the wrong side.

Every call is classified once (`classify_call`), with a fixed precedence so one call gets one
finding: an async-only tool run synchronously (ASL405), a graph with `async def` nodes run
synchronously (ASL404), a one-way checkpointer used the other way (ASL402, ASL403), a sync SDK
client (ASL401), and only then the plain sync-in-async case (ASL400). Receivers are proven by
the type inference (`ctx.object_info`); unproven receivers are never flagged (except the tier-A names only
LangChain uses).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.framework_objects import ObjectInfo
from async_lint.analysis.project import display_path
from async_lint.analysis.types import ClassType, Instance, members
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.langchain import (
    CLIENT_ASYNC_ATTRIBUTES,
    CLIENT_NON_IO_METHODS,
    GRAPH_ASYNC_CALLS,
    GRAPH_SYNC_CALLS,
    SYNC_CLIENT_FUNCTIONS,
    SYNC_DRIVERS,
    SYNC_METHODS,
    TIER_A_SYNC_METHODS,
    Kind,
    Mode,
    Twin,
    short_name,
)
from async_lint.rules.base import Invalid, Rule, dedent_example

_GRAPH_KINDS = frozenset({Kind.COMPILED_GRAPH, Kind.RUNNABLE, Kind.CHAIN})
"""Kinds that can carry a graph's facts (a graph's `with_retry()` is a plain Runnable)."""
_CALLABLE_KINDS = frozenset({Kind.CHAT_MODEL, Kind.CHAIN, Kind.TOOL})
"""Kinds whose deprecated `__call__` (`llm(messages)`, `chain(inputs)`) is flagged."""
_TOOL_SYNC_CALLS = frozenset({"invoke", "run", "batch", "stream", "__call__"})
_SYNC_CODE_METHODS = SYNC_DRIVERS | _TOOL_SYNC_CALLS

SQLITE_SAVER_ERROR = (
    "NotImplementedError: The SqliteSaver does not support async methods. "
    "Consider using AsyncSqliteSaver instead."
)
NO_SYNC_NODE_ERROR = 'TypeError: No synchronous function provided to "{node}".'
SYNC_TOOL_ERROR = "NotImplementedError: StructuredTool does not support sync invocation."
INVALID_STATE_ERROR = (
    "asyncio.InvalidStateError: Synchronous calls to {saver} are only allowed from a different thread"
)
INVALID_STATE_STORE_ERROR = "asyncio.InvalidStateError: Synchronous calls to {saver} detected in the main event loop"


@dataclass(frozen=True)
class CallFinding:
    code: str
    message: str
    fix: NodeFix | None = None


_NOTHING = CallFinding("", "")


def classify_call(node: cst.Call, ctx: ModuleWalker) -> CallFinding | None:
    """The one finding of ASL400-ASL405 this call gets, if any (memoised per node)."""
    findings = ctx.facts(_call_findings)
    found = findings.get(id(node))
    if found is None:
        found = _classify(node, ctx) or _NOTHING
        findings[id(node)] = found
    return None if found is _NOTHING else found


def _call_findings(ctx: ModuleWalker) -> dict[int, CallFinding]:
    return {}


def _classify(node: cst.Call, ctx: ModuleWalker) -> CallFinding | None:
    func = node.func
    in_async = ctx.in_async_function
    if in_async:
        qualified = ctx.resolve(func)
        if qualified is not None and qualified in SYNC_CLIENT_FUNCTIONS:
            return _sync_function_finding(node, qualified, ctx)
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if not in_async and method not in _SYNC_CODE_METHODS and not method.startswith("a"):
            return None  # outside async code only ASL402, ASL404 and ASL405 apply
        receiver = func.value
        info = ctx.object_info(receiver)
        if in_async:
            client = _sync_client_finding(node, func, info, ctx)
            if client is not None:
                return client
    elif isinstance(func, cst.Name):
        method = "__call__"
        receiver = func
        info = ctx.object_info(func)
        if info is None or info.kind not in _CALLABLE_KINDS:
            return None
    else:
        return None
    if info is None:
        return _tier_a_finding(node, func, method, receiver, ctx) if in_async else None
    return (
        _async_only_tool_finding(node, method, receiver, info, ctx)
        or _async_node_finding(node, method, receiver, info, ctx)
        or _sync_saver_finding(node, method, receiver, info, ctx)
        or (_async_saver_finding(node, method, receiver, info, ctx) if in_async else None)
        or (_sync_half_finding(node, method, receiver, info, ctx) if in_async else None)
    )


def _is_project_object(expr: cst.BaseExpression, ctx: ModuleWalker) -> bool:
    """Whether `expr` is shown to be something else: an instance (or `self`) of a project class
    that does not derive from a LangChain class, or the class itself."""
    found = members(ctx.type_of(expr))
    return bool(found) and all(
        isinstance(m, ClassType) or (isinstance(m, Instance) and isinstance(m.of, ClassType)) for m in found
    )


# --- the cases ---


def _sync_function_finding(node: cst.Call, qualified: str, ctx: ModuleWalker) -> CallFinding:
    replacement = SYNC_CLIENT_FUNCTIONS[qualified]
    fix = None
    func = node.func
    if isinstance(func, cst.Attribute) and "(" not in replacement:
        new = cst.Await(expression=node.with_changes(func=func.with_changes(attr=cst.Name(short_name(replacement)))))
        fix = NodeFix(f"Use `{ctx.module.code_for_node(new)}`", Applicability.SUGGESTION, ((node, _parenthesized(new, node, ctx)),))
    return CallFinding(
        "ASL401",
        f"`{qualified}()` inside `async def {_function_name(ctx)}` is a blocking network call; "
        f"`await {replacement}(...)` instead",
        fix or NodeFix(f"Use `await {replacement}(...)`", Applicability.SUGGESTION),
    )


def _sync_client_finding(
    node: cst.Call, func: cst.Attribute, info: ObjectInfo | None, ctx: ModuleWalker
) -> CallFinding | None:
    """A method reached through a sync SDK client (`client.chat.completions.create(...)`)."""
    path = [func.attr.value]
    expr: cst.BaseExpression = func.value
    while info is None and isinstance(expr, cst.Attribute):
        path.insert(0, expr.attr.value)
        expr = expr.value
        info = ctx.object_info(expr)
    if info is None or info.kind is not Kind.SYNC_CLIENT:
        return None
    if any(part in CLIENT_ASYNC_ATTRIBUTES for part in path) or (len(path) == 1 and path[0] in CLIENT_NON_IO_METHODS):
        return None
    shown = f"{_short(expr, ctx)}.{'.'.join(path)}()"
    replacement = info.async_replacement or "the async client"
    if replacement.startswith("."):
        advice = f"`await {_short(expr, ctx)}{replacement}.{'.'.join(path)}(...)`"
        instead = f"call `await {_short(expr, ctx)}{replacement}.{'.'.join(path)}(...)`, its async side"
    else:
        advice = f"`{replacement}`, created once, and `await` the call"
        instead = f"create one `{replacement}` and `await` its calls"
    return CallFinding(
        "ASL401",
        f"`{shown}` on a sync client ({_origin(info, ctx)}) inside `async def {_function_name(ctx)}` blocks "
        f"the event loop; {instead}",
        NodeFix(f"Use {advice}", Applicability.SUGGESTION),
    )


def _tier_a_finding(
    node: cst.Call, func: cst.BaseExpression, method: str, receiver: cst.BaseExpression, ctx: ModuleWalker
) -> CallFinding | None:
    twin = TIER_A_SYNC_METHODS.get(method)
    if twin is None or not isinstance(func, cst.Attribute) or _is_project_object(receiver, ctx):
        return None
    return _sync_call_finding("ASL400", node, method, receiver, twin, None, ctx)


def _async_only_tool_finding(
    node: cst.Call, method: str, receiver: cst.BaseExpression, info: ObjectInfo, ctx: ModuleWalker
) -> CallFinding | None:
    if not info.async_only_tools:
        return None
    if info.kind is Kind.TOOL and method in _TOOL_SYNC_CALLS:
        twin = SYNC_METHODS[Kind.TOOL][method]
        what = f"an async-only tool ({_origin(info, ctx)})"
    elif info.kind in _GRAPH_KINDS and method in SYNC_DRIVERS:
        twin = SYNC_METHODS[Kind.RUNNABLE][method]
        what = f"a graph or agent that runs async-only tools ({', '.join(f'`{t}`' for t in info.async_only_tools)})"
    else:
        return None
    return _driven_finding("ASL405", node, method, receiver, twin, what, SYNC_TOOL_ERROR, ctx)


def _async_node_finding(
    node: cst.Call, method: str, receiver: cst.BaseExpression, info: ObjectInfo, ctx: ModuleWalker
) -> CallFinding | None:
    if not info.async_nodes or info.kind not in _GRAPH_KINDS or method not in SYNC_DRIVERS:
        return None
    twin = SYNC_METHODS[Kind.RUNNABLE][method]
    nodes = ", ".join(f"`{n}`" for n in info.async_nodes)
    what = f"a graph with `async def` node{'s' if len(info.async_nodes) > 1 else ''} {nodes}"
    error = NO_SYNC_NODE_ERROR.format(node=info.async_nodes[0])
    return _driven_finding("ASL404", node, method, receiver, twin, what, error, ctx)


def _sync_saver_finding(
    node: cst.Call, method: str, receiver: cst.BaseExpression, info: ObjectInfo, ctx: ModuleWalker
) -> CallFinding | None:
    savers = [s for s in info.savers if s.mode is Mode.SYNC_ONLY]
    if not savers:
        return None
    if info.kind in (Kind.CHECKPOINTER, Kind.STORE):
        applies = method.startswith("a") and (method[1:] in SYNC_METHODS[info.kind] or method == "alist")
    else:
        applies = info.kind in _GRAPH_KINDS and method in GRAPH_ASYNC_CALLS
    if not applies:
        return None
    saver = savers[0]
    if saver.name == "SqliteSaver":
        error = f"`{SQLITE_SAVER_ERROR}`"
    elif saver.name == "SqliteStore":
        error = "`NotImplementedError: The SqliteStore does not support async methods.`"
    else:
        error = "a bare `NotImplementedError`"
    replacement = saver.async_replacement or "the async saver"
    shown = f"{_short(receiver, ctx)}.{method}()"
    target = f"a `{saver.name}`" if info.kind in (Kind.CHECKPOINTER, Kind.STORE) else f"a graph compiled with `{saver.name}`"
    return CallFinding(
        "ASL402",
        f"`{shown}` on {target} raises {error}: `{saver.name}` has no async implementation; "
        f"use `{replacement}` (under `async with {replacement}.from_conn_string(...)`)",
        NodeFix(f"Compile the graph with `{replacement}`", Applicability.SUGGESTION),
    )


def _async_saver_finding(
    node: cst.Call, method: str, receiver: cst.BaseExpression, info: ObjectInfo, ctx: ModuleWalker
) -> CallFinding | None:
    savers = [s for s in info.savers if s.mode is Mode.ASYNC_ONLY]
    if not savers:
        return None
    if info.kind in (Kind.CHECKPOINTER, Kind.STORE):
        twin = SYNC_METHODS[info.kind].get(method)
        target = f"`{savers[0].name}`"
    else:
        twin = SYNC_METHODS[Kind.COMPILED_GRAPH].get(method) if info.kind in _GRAPH_KINDS and method in GRAPH_SYNC_CALLS else None
        target = f"a graph compiled with `{savers[0].name}`"
    if twin is None:
        return None
    template = INVALID_STATE_STORE_ERROR if savers[0].name.endswith("Store") else INVALID_STATE_ERROR
    error = template.format(saver=savers[0].name)
    return _sync_call_finding("ASL403", node, method, receiver, twin, None, ctx, what=target, error=error)


def _sync_half_finding(
    node: cst.Call, method: str, receiver: cst.BaseExpression, info: ObjectInfo, ctx: ModuleWalker
) -> CallFinding | None:
    if info.in_memory or info.kind is Kind.PROMPT:
        return None
    twin = SYNC_METHODS.get(info.kind, {}).get(method)
    if twin is None:
        return None
    return _sync_call_finding("ASL400", node, method, receiver, twin, info, ctx)


# --- messages and fixes ---


def _driven_finding(
    code: str, node: cst.Call, method: str, receiver: cst.BaseExpression, twin: Twin, what: str, error: str, ctx: ModuleWalker
) -> CallFinding:
    """ASL404/ASL405: wrong wherever it runs; fixed in async code, a suggestion elsewhere."""
    if ctx.in_async_function:
        return _sync_call_finding(code, node, method, receiver, twin, None, ctx, what=what, error=error)
    shown = _shown_call(receiver, method, ctx)
    awaited = _twin_text(receiver, twin, ctx)
    return CallFinding(
        code,
        f"`{shown}` on {what} raises `{error}`; run it with `{awaited}` "
        f"(from sync code: `asyncio.run(...)` at the entry point)",
        NodeFix(f"Use `{awaited}`", Applicability.SUGGESTION),
    )


def _sync_call_finding(
    code: str,
    node: cst.Call,
    method: str,
    receiver: cst.BaseExpression,
    twin: Twin,
    info: ObjectInfo | None,
    ctx: ModuleWalker,
    *,
    what: str | None = None,
    error: str | None = None,
) -> CallFinding:
    shown = _shown_call(receiver, method, ctx)
    awaited = _twin_text(receiver, twin, ctx)
    if what is None:
        what = f"{info.kind.value}: {_origin(info, ctx)}" if info is not None else "a LangChain method"
        where = f"`{shown}` ({what}) inside `async def {_function_name(ctx)}` blocks the event loop"
    elif error is not None and code == "ASL403":
        where = f"`{shown}` on {what} inside `async def {_function_name(ctx)}` raises `{error}` (older versions deadlock)"
    else:
        where = f"`{shown}` on {what} raises `{error}`"
    legacy = " (removed in langchain-core 1.0)" if twin.legacy else ""
    return CallFinding(code, f"{where}{legacy}; use `{awaited}`", _twin_fix(node, twin, ctx, awaited))


def _twin_fix(node: cst.Call, twin: Twin, ctx: ModuleWalker, awaited: str) -> NodeFix | None:
    if not ctx.can_await:
        return None
    func = node.func
    if isinstance(func, cst.Attribute):
        new_func: cst.BaseExpression = func.with_changes(attr=cst.Name(twin.name))
    else:
        new_func = cst.Attribute(value=func, attr=cst.Name(twin.name))
    new_call = node.with_changes(func=new_func)
    if isinstance(ctx.parent, cst.Await) and (twin.iterated or twin.result_attribute is not None):
        return None
    if twin.iterated:
        loop = ctx.parent
        if isinstance(loop, cst.For) and loop.iter is node and loop.asynchronous is None and not _has_multiline_string(loop):
            return NodeFix(f"Use `{awaited}`", Applicability.SAFE, ((loop, _async_for_text(loop, new_call, ctx)),))
        return None
    if isinstance(ctx.parent, cst.Await) and twin.result_attribute is None:
        # `await llm.invoke(x)` (awaiting the result, a TypeError): only the name changes.
        replacement: cst.BaseExpression = new_call
    else:
        replacement = cst.Await(expression=new_call)
    if twin.result_attribute is not None:
        replacement = cst.Attribute(value=_wrap(replacement), attr=cst.Name(twin.result_attribute))
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    if twin.shape_differs or (twin.legacy and (len(positional) != len(node.args) or len(positional) > 1)):
        applicability = Applicability.SUGGESTION
    elif twin.legacy:
        applicability = Applicability.UNSAFE
    else:
        applicability = Applicability.SAFE
    replacement = _parenthesized(replacement, node, ctx)
    return NodeFix(f"Replace with `{ctx.module.code_for_node(replacement)}`", applicability, ((node, replacement),))


def _async_for_text(loop: cst.For, new_call: cst.Call, ctx: ModuleWalker) -> str:
    """The loop as `async for`, ending where the node's position ends (before the block's
    footer comments and the final newline, which stay in place)."""
    new_loop = loop.with_changes(leading_lines=(), asynchronous=cst.Asynchronous(), iter=new_call)
    last = "orelse" if loop.orelse is not None else "body"
    block = getattr(new_loop, last)
    if last == "orelse":
        inner = block.body
        if isinstance(inner, cst.IndentedBlock):
            new_loop = new_loop.with_changes(orelse=block.with_changes(body=inner.with_changes(footer=())))
    elif isinstance(block, cst.IndentedBlock):
        new_loop = new_loop.with_changes(body=block.with_changes(footer=()))
    text = ctx.module.code_for_node(new_loop)
    newline = ctx.module.default_newline
    text = text.removesuffix(newline)
    # A node's code is rendered with the indentation relative to its own block: put back the
    # blocks' indentation around it (safe: the loop holds no multi-line string).
    indent = "".join(
        block.indent if block.indent is not None else ctx.module.default_indent
        for block in ctx.ancestors
        if isinstance(block, cst.IndentedBlock)
    )
    lines = text.split(newline)
    return newline.join([lines[0], *(indent + line if line.strip() else line for line in lines[1:])])


class _MultilineStringFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.found = self.found or "\n" in node.value

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.found = self.found or "\n" in cst.Module([]).code_for_node(node)


def _has_multiline_string(node: cst.CSTNode) -> bool:
    finder = _MultilineStringFinder()
    traversal.visit(node, finder)
    return finder.found


def _parenthesized(replacement: cst.BaseExpression, node: cst.Call, ctx: ModuleWalker) -> cst.BaseExpression:
    """`(await x.ainvoke(...)).content` where the call was the value of an attribute,
    subscript or call."""
    parent = ctx.parent
    if (
        (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is node)
        or (isinstance(parent, cst.Call) and parent.func is node)
    ):
        return _wrap(replacement)
    return replacement


def _wrap(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.with_changes(lpar=(cst.LeftParen(),), rpar=(cst.RightParen(),))


def _twin_text(receiver: cst.BaseExpression, twin: Twin, ctx: ModuleWalker) -> str:
    call = f"{_short(receiver, ctx)}.{twin.name}(...)"
    if twin.iterated:
        return f"async for ... in {call}"
    if twin.result_attribute is not None:
        return f"(await {call}).{twin.result_attribute}"
    return f"await {call}"


def _shown_call(receiver: cst.BaseExpression, method: str, ctx: ModuleWalker) -> str:
    if method == "__call__":
        return f"{_short(receiver, ctx)}()"
    return f"{_short(receiver, ctx)}.{method}()"


def _short(expr: cst.BaseExpression, ctx: ModuleWalker) -> str:
    text = " ".join(ctx.module.code_for_node(expr).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _origin(info: ObjectInfo, ctx: ModuleWalker) -> str:
    """`ChatOpenAI(...)`, and where it was built when that is another module
    (`StateGraph.compile()` built in app/graph.py:31)."""
    shown = f"`{info.origin}`"
    if info.path is not None and info.path != ctx.path:
        where = display_path(info.path)
        return f"{shown} built in {where}:{info.line}" if info.line else f"{shown} from {where}"
    return shown


def _function_name(ctx: ModuleWalker) -> str:
    function = ctx.function
    return function.name if function is not None else "<module>"


# --- the rules ---


class _FrameworkRule(Rule):
    """Reports the calls `classify_call` assigns to this rule's code."""

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        finding = classify_call(node, ctx)
        if finding is not None and finding.code == self.code:
            ctx.report(self.code, node, finding.message, finding.fix)


class SyncFrameworkCallInAsync(_FrameworkRule):
    """Flags the sync half of a LangChain/LangGraph pair called inside `async def`: `invoke`,
    `batch`, `stream`, `get_state`, `update_state`, `get_state_history`, retriever and tool
    `invoke`/`run`, vector store `similarity_search*`/`add_documents`, embeddings
    `embed_query`/`embed_documents`, chat model `generate`, checkpointer and store methods, and
    the names removed in langchain-core 1.0 (`predict`, `run`, `__call__`,
    `get_relevant_documents`), on a receiver shown to be such an object: built by a known
    constructor or factory (through imports), an LCEL pipe, a builder method (`bind_tools`,
    `with_structured_output`, `as_retriever`, `compile`...), an annotation (`llm: BaseChatModel`),
    or a function of the module returning one. Names only LangChain uses (`embed_query`,
    `similarity_search`, `get_state_history`...) need no proof of the receiver."""

    code = "ASL400"
    proof = "tests/runtime/test_asl400.py"
    name = "sync-framework-call-in-async"
    summary = "sync LangChain/LangGraph call (`invoke`, `stream`, `get_state`...) inside `async def`"
    why = (
        "`invoke`, `stream`, `similarity_search` and the other sync methods do their network I/O on "
        "the calling thread. Inside `async def` (an async LangGraph node, a FastAPI handler) that "
        "thread runs the event loop, so every other request, stream and timer waits for the model "
        "to answer (lfnovo/open-notebook #971: the whole API froze). Under `langgraph dev` the "
        "blockbuster detector raises `BlockingError: Blocking call to ...`. Every sync method has "
        "an async twin: `await llm.ainvoke(...)`, `async for chunk in graph.astream(...)`."
    )
    fix_safety = (
        "Safe: `x.invoke(...)` becomes `await x.ainvoke(...)` (same arguments, same result; "
        "`Runnable.ainvoke` falls back to a thread when a component has no native async), and "
        "`for c in x.stream(...)` becomes `async for c in x.astream(...)`. An iterator twin "
        "anywhere else than a `for` statement gets no fix. The names removed in langchain-core 1.0 "
        "change name too: `retriever.get_relevant_documents(q)` -> `await retriever.ainvoke(q)` "
        "and `llm(messages)` -> `await llm.ainvoke(messages)` are unsafe fixes (older "
        "installations), `llm.predict(text)` -> `(await llm.ainvoke(text)).content` too; "
        "`chain.run(...)` (returned the output string, `ainvoke` returns a dict) and calls "
        "passing extra arguments are only suggestions."
    )
    not_flagged = (
        ("A plain `def` LangGraph node calling `llm.invoke()`: LangGraph runs sync nodes in a "
        "worker thread, so they do not block the loop."),
        ("`model.predict(x)`, `payload.get(...)`, `store.search(...)` on objects nobody can show to "
        "be LangChain objects (a scikit-learn model, a dict, a project class with its own `invoke`)."),
        "A sync call handed to a thread: `await asyncio.to_thread(graph.invoke, state)`.",
        ("Prompt templates and output parsers (`prompt.invoke(...)` does no I/O), and "
        "`InMemorySaver`/`InMemoryStore` methods."),
        "`self.invoke(...)` inside a class's own methods (a Runnable implementing its async side).",
    )
    valid = (
        """
        from langchain_openai import ChatOpenAI

        llm = ChatOpenAI(model="gpt-4o-mini")

        def answer(state):
            return {"answer": llm.invoke(state["question"]).content}
        """,
        """
        import asyncio

        async def handler(graph, state):
            return await asyncio.to_thread(graph.invoke, state)
        """,
        """
        async def score(model, rows):
            return model.predict(rows)
        """,
    )
    invalid = (
        Invalid(
            """
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o-mini")

            async def answer(state):
                reply = llm.invoke(state["question"])
                return {"answer": reply.content}
            """,
            fixed="""
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o-mini")

            async def answer(state):
                reply = await llm.ainvoke(state["question"])
                return {"answer": reply.content}
            """,
        ),
        Invalid(
            """
            from langgraph.graph import StateGraph

            class Agent:
                def __init__(self, builder: StateGraph):
                    self.app = builder.compile()

                async def chat(self, state):
                    for chunk in self.app.stream(state, stream_mode="updates"):
                        yield chunk
            """,
            fixed="""
            from langgraph.graph import StateGraph

            class Agent:
                def __init__(self, builder: StateGraph):
                    self.app = builder.compile()

                async def chat(self, state):
                    async for chunk in self.app.astream(state, stream_mode="updates"):
                        yield chunk
            """,
        ),
    )


class SyncLlmClientInAsync(_FrameworkRule):
    """Flags calls through a sync LLM SDK client inside `async def`: `openai.OpenAI`,
    `AzureOpenAI`, `anthropic.Anthropic` (and its cloud variants), `groq.Groq`, `langsmith.Client`,
    `ollama.Client`, `cohere.Client`, `huggingface_hub.InferenceClient`, `google.genai.Client`
    (outside `.aio`), `langgraph_sdk.get_sync_client()`, and the module functions
    `litellm.completion`/`embedding`/... and `ollama.chat`/`generate`. The client must be shown to
    be one (constructor, annotation, `self.client = Groq()` in the class)."""

    code = "ASL401"
    proof = "tests/runtime/test_asl401.py"
    name = "sync-llm-client-in-async"
    summary = "sync SDK client (`OpenAI`, `Groq`, `Anthropic`, LangSmith `Client`...) used inside `async def`"
    why = (
        "The sync clients wrap `httpx.Client`: `client.chat.completions.create(...)` holds the "
        "thread for the whole model call, seconds at a time, and inside `async def` that thread is "
        "the event loop's. Each SDK ships an async client with the same method paths "
        "(`AsyncOpenAI`, `AsyncGroq`, `AsyncAnthropic`, `langsmith.AsyncClient`, "
        "`langgraph_sdk.get_client()`) whose calls are awaited; litellm has `acompletion`. "
        "LangSmith's sync `Client.pull_prompt` in an async node is a classic `BlockingError: "
        "Blocking call to socket.socket.connect` under `langgraph dev`."
    )
    use_instead = dedent_example(
        """
        from groq import AsyncGroq

        client = AsyncGroq()

        async def ask(question):
            return await client.chat.completions.create(model="llama3", messages=[{"role": "user", "content": question}])
        """
    )
    fix_safety = (
        "Suggestion only: switching clients changes the object other code shares, and a streamed "
        "response becomes an async iterator; `litellm.completion(...)` shows "
        "`await litellm.acompletion(...)`."
    )
    not_flagged = (
        ("Sync clients in plain `def` code (including sync FastAPI routes and sync LangGraph nodes, "
        "which run in worker threads)."),
        "`client.aio.models.generate_content(...)` on a `google.genai.Client` (the async side).",
        ("Clients nobody can show to be a sync SDK client (`client.chat(...)` on a parameter without "
        "annotation)."),
        "`client.with_options(...)` and other calls that do no I/O on the calling thread (LangSmith `create_run`/`update_run` only queue the run for the background tracer).",
    )
    valid = (
        """
        from groq import AsyncGroq

        client = AsyncGroq()

        async def ask(question):
            return await client.chat.completions.create(model="llama3", messages=[{"role": "user", "content": question}])
        """,
        """
        from openai import OpenAI

        client = OpenAI()

        def summarize(text):
            return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
        """,
    )
    invalid = (
        Invalid(
            """
            from groq import Groq

            client = Groq()

            async def ask(question):
                return client.chat.completions.create(model="llama3", messages=[{"role": "user", "content": question}])
            """,
        ),
        Invalid(
            """
            import litellm

            async def ask(messages):
                return litellm.completion(model="gpt-4o-mini", messages=messages)
            """,
        ),
    )


class SyncCheckpointerInAsyncGraph(_FrameworkRule):
    """Flags an async call (`ainvoke`, `astream`, `astream_events`, `aget_state`,
    `aupdate_state`...) on a graph compiled with a sync-only checkpointer or store
    (`SqliteSaver`, `PostgresSaver`, `ShallowPostgresSaver`, `SqliteStore`, also when bound by
    `with SqliteSaver.from_conn_string(...) as saver`), and the `a*` methods of such a saver."""

    code = "ASL402"
    proof = "tests/runtime/test_asl402.py"
    name = "sync-checkpointer-in-async-graph"
    summary = "graph with `SqliteSaver`/`PostgresSaver` driven by `ainvoke`/`astream`/`aget_state`"
    why = (
        "`SqliteSaver` has no async implementation: the first `await graph.ainvoke(...)` raises "
        f"`{SQLITE_SAVER_ERROR}` (langgraph #495, #597). `PostgresSaver` inherits the base "
        "class's async methods and raises a bare `NotImplementedError` with an empty message "
        "(langgraph #4193). `SqliteStore` does the same for the store."
    )
    use_instead = dedent_example(
        """
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
        from langgraph.graph import StateGraph

        builder = StateGraph(dict)

        async def chat(state, config):
            async with AsyncSqliteSaver.from_conn_string("checkpoints.db") as memory:
                graph = builder.compile(checkpointer=memory)
                return await graph.ainvoke(state, config)
        """
    )
    fix_safety = "Suggestion only: the saver is created elsewhere, and the async one needs `aiosqlite` / `psycopg` async setup."
    not_flagged = (
        "`InMemorySaver`/`MemorySaver` and `MongoDBSaver`, which serve both halves.",
        "Sync calls (`invoke`, `get_state`) on a graph with a sync saver.",
        "Graphs whose checkpointer cannot be traced to a constructor in this module.",
    )
    valid = (
        """
        from langgraph.checkpoint.memory import InMemorySaver

        async def run(builder, state, config):
            graph = builder.compile(checkpointer=InMemorySaver())
            return await graph.ainvoke(state, config)
        """,
    )
    invalid = (
        Invalid(
            """
            import sqlite3

            from langgraph.checkpoint.sqlite import SqliteSaver
            from langgraph.graph import StateGraph

            builder = StateGraph(dict)
            memory = SqliteSaver(sqlite3.connect("checkpoints.db", check_same_thread=False))
            graph = builder.compile(checkpointer=memory)

            async def chat(state, config):
                return await graph.ainvoke(state, config)
            """,
        ),
    )
    triggers = ("Saver", "Store")


class AsyncCheckpointerInSyncCall(_FrameworkRule):
    """Flags a sync call (`invoke`, `stream`, `batch`, `get_state`, `get_state_history`,
    `update_state`) inside `async def` on a graph compiled with an async-only checkpointer or store
    (`AsyncSqliteSaver`, `AsyncPostgresSaver`, `AsyncPostgresStore`, `AsyncSqliteStore`), and sync
    methods of such a saver or store itself (`saver.get_tuple(...)`, `store.get(...)`)."""

    code = "ASL403"
    proof = "tests/runtime/test_asl403.py"
    name = "async-checkpointer-in-sync-call"
    summary = "graph with `AsyncSqliteSaver`/`AsyncPostgresSaver` driven by sync `invoke`/`get_state`"
    why = (
        "The async savers serve sync calls only from another thread (bridged to their loop). On "
        "the loop's own thread `graph.get_state(config)` raises `asyncio.InvalidStateError: "
        "Synchronous calls to AsyncSqliteSaver are only allowed from a different thread. From the "
        "main thread, use the async interface.` (CopilotKit #1325); older versions hung forever "
        "(langgraph #1800, #2992), and `AsyncSqliteSaver.put` still deadlocks silently (#7857)."
    )
    fix_safety = (
        "Safe: `graph.get_state(config)` becomes `await graph.aget_state(config)`, and "
        "`for s in graph.get_state_history(cfg)` becomes `async for s in graph.aget_state_history(cfg)`."
    )
    not_flagged = (
        "The same calls in plain `def` code run from another thread.",
        "Graphs with `InMemorySaver`, which serves both halves.",
    )
    valid = (
        """
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        async def history(builder, config):
            async with AsyncSqliteSaver.from_conn_string("checkpoints.db") as saver:
                graph = builder.compile(checkpointer=saver)
                return await graph.aget_state(config)
        """,
    )
    invalid = (
        Invalid(
            """
            from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

            async def history(builder, config):
                async with AsyncSqliteSaver.from_conn_string("checkpoints.db") as saver:
                    graph = builder.compile(checkpointer=saver)
                    return graph.get_state(config)
            """,
            fixed="""
            from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

            async def history(builder, config):
                async with AsyncSqliteSaver.from_conn_string("checkpoints.db") as saver:
                    graph = builder.compile(checkpointer=saver)
                    return await graph.aget_state(config)
            """,
        ),
    )
    triggers = ("Saver", "Store")


class AsyncNodeInSyncRun(_FrameworkRule):
    """Flags `invoke`/`stream`/`batch` on a graph one of whose nodes is an `async def` (found
    through `add_node` calls on the builder, also inside a function of the module that returns
    the builder or the compiled graph), and on an `async def` `@entrypoint`."""

    code = "ASL404"
    proof = "tests/runtime/test_asl404.py"
    name = "async-node-in-sync-run"
    summary = "graph with `async def` nodes run by sync `invoke`/`stream`"
    why = (
        "The sync runner calls each node's sync function, and an `async def` node has none: "
        "`graph.invoke(...)` raises `TypeError: No synchronous function provided to \"<node>\". "
        "Either initialize with a synchronous function or invoke via the async API (ainvoke, "
        "astream, etc.)` (before langgraph #547: `TypeError: None is not a callable object`). "
        "The same holds for an `async def` `@entrypoint`."
    )
    fix_safety = (
        "Safe inside `async def`: `graph.invoke(...)` becomes `await graph.ainvoke(...)`, and a "
        "`for` over `graph.stream(...)` becomes `async for` over `graph.astream(...)`. In sync code "
        "the fix is a suggestion: `asyncio.run(graph.ainvoke(...))` belongs at the entry point."
    )
    use_instead = dedent_example(
        """
        import asyncio

        from langgraph.graph import StateGraph

        async def fetch(state):
            return state

        def build_graph():
            builder = StateGraph(dict)
            builder.add_node("fetch", fetch)
            return builder.compile()

        graph = build_graph()
        print(asyncio.run(graph.ainvoke({})))
        """
    )
    not_flagged = (
        "Graphs whose nodes are all plain `def` (LangGraph runs them in threads under `ainvoke`).",
        "`ainvoke`/`astream` on any graph.",
    )
    valid = (
        """
        from langgraph.graph import StateGraph

        async def fetch(state):
            return state

        builder = StateGraph(dict)
        builder.add_node("fetch", fetch)
        graph = builder.compile()

        async def main():
            return await graph.ainvoke({})
        """,
    )
    invalid = (
        Invalid(
            """
            from langgraph.graph import StateGraph

            async def fetch(state):
                return state

            def build_graph():
                builder = StateGraph(dict)
                builder.add_node("fetch", fetch)
                return builder.compile()

            graph = build_graph()
            print(graph.invoke({}))
            """,
        ),
    )


class AsyncOnlyToolSyncCall(_FrameworkRule):
    """Flags async-only tools driven synchronously: tools from `await
    MultiServerMCPClient(...).get_tools()` / `await load_mcp_tools(session)`, `@tool` on an
    `async def`, `StructuredTool(coroutine=...)` / `StructuredTool.from_function(coroutine=...)`
    without `func`, called with `invoke`/`run`/`batch`/`stream`, and agents or graphs that run
    them (`create_react_agent(model, tools)`, `create_agent`, `ToolNode(tools)`) driven by sync
    `invoke`/`stream`."""

    code = "ASL405"
    proof = "tests/runtime/test_asl405.py"
    name = "async-only-tool-sync-call"
    summary = "async-only tool (MCP, `@tool async def`) driven by sync `invoke`/`run`"
    why = (
        "A tool with only a coroutine has no sync implementation: `tool.invoke(...)` raises "
        f"`{SYNC_TOOL_ERROR}` (`Tool does not support sync invocation.` for `Tool`). Inside an "
        "agent run with `invoke` the error comes back as a `ToolMessage` and the model answers "
        "without the tool (langchain-mcp-adapters #85, #576)."
    )
    fix_safety = (
        "Safe inside `async def`: `tool.invoke(args)` becomes `await tool.ainvoke(args)`, "
        "`tool.run(args)` `await tool.arun(args)`, `agent.invoke(...)` `await agent.ainvoke(...)`. "
        "In sync code, a suggestion (run the agent with `asyncio.run(agent.ainvoke(...))` at the "
        "entry point, or give the tool a sync `func=`)."
    )
    use_instead = dedent_example(
        """
        import asyncio

        from langchain_core.tools import tool

        @tool
        async def weather(city: str) -> str:
            \"\"\"The weather in a city.\"\"\"
            return "sunny"

        print(asyncio.run(weather.ainvoke({"city": "Paris"})))
        """
    )
    not_flagged = (
        "`@tool` on a plain `def` (it has a sync implementation).",
        "`StructuredTool.from_function(func=..., coroutine=...)` (both halves).",
        "`await tool.ainvoke(...)` / `await agent.ainvoke(...)`.",
    )
    valid = (
        """
        from langchain_core.tools import tool

        @tool
        async def weather(city: str) -> str:
            \"\"\"The weather in a city.\"\"\"
            return "sunny"

        async def main():
            return await weather.ainvoke({"city": "Paris"})
        """,
    )
    invalid = (
        Invalid(
            """
            from langchain_core.tools import tool

            @tool
            async def weather(city: str) -> str:
                \"\"\"The weather in a city.\"\"\"
                return "sunny"

            print(weather.invoke({"city": "Paris"}))
            """,
        ),
    )
    triggers = ("async", "await", "coroutine")
