"""LangChain, LangGraph and LLM-SDK objects in the type lattice: what constructing one, calling
one of its builder methods, piping or awaiting one gives (the type inference asks), and which
kind of object a type is (the ASL40x rules ask: `object_info`).

A value is such an object when its type is an instance made by a known constructor or factory
(`ChatOpenAI(...)`, `StateGraph(...).compile()`, `llm.bind_tools(...)`), annotated with a known
type (`llm: BaseChatModel`), or an instance of a project class deriving from a known base.
For graphs the instance carries what decides ASL402-ASL405 (`types.Facts`): the checkpointer or
store it was compiled with, its `async def` nodes, and the async-only tools it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from async_lint.analysis.expressions import Attribute, Call, Constant, Expr, Name
from async_lint.analysis.types import (
    NONE,
    NO_FACTS,
    ClassType,
    ExternalName,
    Facts,
    FunctionType,
    Instance,
    Origin,
    Saver,
    Type,
    members,
)
from async_lint.knowledge.async_protocols import CONTEXT_FACTORY_TYPES
from async_lint.knowledge.langchain import (
    ASYNC_ONLY_TOOL_FACTORIES,
    ENTRYPOINT_DECORATORS,
    MCP_TOOL_METHODS,
    RUNNABLE_BUILDERS,
    RUNNABLE_DECORATORS,
    SAME_OBJECT_METHODS,
    TOOL_CLASSES,
    TOOL_DECORATORS,
    TOOL_RUNNERS,
    Factory,
    Kind,
    Mode,
    class_factory,
    factory_for,
    family_factory,
    listed_factory,
    short_name,
)

RUNNABLE_KINDS = frozenset(
    {Kind.RUNNABLE, Kind.PROMPT, Kind.CHAT_MODEL, Kind.RETRIEVER, Kind.TOOL, Kind.CHAIN, Kind.COMPILED_GRAPH}
)

# Types the inference gives to what LangChain's builders return (any known name of the kind).
_RUNNABLE = "langchain_core.runnables.Runnable"
_COMPILED_GRAPH = "langgraph.graph.state.CompiledStateGraph"
_TOOL = "langchain_core.tools.BaseTool"
_RETRIEVER = "langchain_core.vectorstores.VectorStoreRetriever"
_STRUCTURED_TOOL = "langchain_core.tools.StructuredTool"
_TOOL_LIST = "builtins.list"

_FACTORY_CONTEXTS = frozenset(CONTEXT_FACTORY_TYPES.values())

Evaluate = Callable[[Expr], "Type | None"]
"""The inference's evaluation of an expression where a call is written."""
NodeFacts = Callable[[Call], Facts]
"""What one `add_node(...)` call adds to a graph (the inference knows which functions are
`async def`)."""


@dataclass(frozen=True)
class ObjectInfo:
    """What the ASL40x rules know of a receiver."""

    kind: Kind
    origin: str
    """What proves it, for messages: `ChatOpenAI(...)`, `StateGraph.compile()`."""
    async_replacement: str | None = None
    """For sync SDK clients and one-way savers: what to use instead."""
    facts: Facts = NO_FACTS
    in_memory: bool = False
    """For checkpointers and stores that do no I/O (`InMemorySaver`)."""
    path: Path | None = None
    line: int = 0
    """Where it was made, when the inference knows (another module's object)."""

    @property
    def savers(self) -> tuple[Saver, ...]:
        return self.facts.savers

    @property
    def async_nodes(self) -> tuple[str, ...]:
        return self.facts.async_nodes

    @property
    def async_only_tools(self) -> tuple[str, ...]:
        return self.facts.async_only_tools


# --- what the inference asks ---


def constructed(qualified: str, call: Call | None, evaluate: Evaluate, origin: Origin) -> Instance | None:
    """The object `qualified(...)` makes, when `qualified` is a known LangChain/LangGraph/SDK
    constructor or factory (`ChatPromptTemplate.from_template` counts as its class)."""
    factory = factory_for(qualified)
    name = short_name(qualified)
    manager: str | None = None
    if factory is None and "." in qualified:
        owner = qualified.rsplit(".", 1)[0]
        made_by_owner = factory_for(owner)
        if made_by_owner is not None and class_factory(made_by_owner.kind, name):
            # `ChatPromptTemplate.from_template(...)`, `FAISS.load_local(...)`: the class itself.
            manager = CONTEXT_FACTORY_TYPES.get(qualified)
            factory = made_by_owner
            name = f"{short_name(owner)}.{name}"
            qualified = owner
    if factory is None:
        return None
    if manager is not None:
        # `AsyncSqliteSaver.from_conn_string(...)`: a context manager whose `__aenter__` gives
        # the saver; it carries the saver's facts for code that passes it on as it is.
        inner = constructed(qualified, None, evaluate, origin)
        assert inner is not None
        return Instance(ExternalName(manager), args=(inner,), facts=inner.facts, origin=Origin(f"{name}(...)", origin.path, origin.line))
    origin = Origin(f"{name}(...)", origin.path, origin.line)
    facts = _saver_facts(factory, name.split(".")[0])
    is_tool_class = any(qualified == c or qualified.startswith(c + ".") for c in TOOL_CLASSES)
    if call is not None:
        if factory.kind is Kind.TOOL and is_tool_class and _async_only_tool_call(call):
            label = _tool_label(call) or name
            return Instance(ExternalName(qualified), facts=Facts(async_only_tools=(label,)), origin=Origin(f"{name}(coroutine=...)", origin.path, origin.line))
        runner = TOOL_RUNNERS.get(short_name(qualified))
        if qualified in TOOL_RUNNERS or (short_name(qualified) in TOOL_RUNNERS and factory.kind in (Kind.COMPILED_GRAPH, Kind.RUNNABLE, Kind.CHAIN)):
            tools = call.argument(runner, "tools")
            if tools is not None:
                facts = facts.merged(carried_facts(evaluate(tools)))
        if factory.kind is Kind.COMPILED_GRAPH:
            facts = facts.merged(*_compile_options(call, evaluate))
    return Instance(ExternalName(qualified), facts=facts, origin=origin)


def method_result(
    receiver: Instance, info: ObjectInfo, method: str, call: Call | None, evaluate: Evaluate, node_facts: NodeFacts, origin: Origin
) -> Type | None:
    """What `receiver.method(...)` returns, for the builder methods of a known object."""
    if info.kind is Kind.GRAPH_BUILDER:
        if method == "compile":
            facts = receiver.facts.merged(*(_compile_options(call, evaluate) if call is not None else ()))
            return Instance(ExternalName(_COMPILED_GRAPH), facts=facts, origin=Origin(f"{info.origin.removesuffix('(...)')}.compile()", origin.path, origin.line))
        if method in ("add_node", "add_edge", "add_conditional_edges", "set_entry_point", "set_finish_point", "add_sequence"):
            added = node_facts(call) if call is not None and method in ("add_node", "add_sequence") else NO_FACTS
            return Instance(receiver.of, receiver.attrs, receiver.args, receiver.facts.merged(added), receiver.origin)
        return None
    if info.kind is Kind.VECTOR_STORE and method == "as_retriever":
        return Instance(ExternalName(_RETRIEVER), origin=Origin(f"{info.origin}.as_retriever()", origin.path, origin.line))
    if info.kind in RUNNABLE_KINDS and method in RUNNABLE_BUILDERS:
        if method in SAME_OBJECT_METHODS:
            return receiver
        return Instance(ExternalName(_RUNNABLE), facts=receiver.facts, origin=Origin(f"{info.origin}.{method}(...)", origin.path, origin.line))
    if info.kind in RUNNABLE_KINDS and method == "as_tool":
        return Instance(ExternalName(_TOOL), facts=receiver.facts, origin=Origin(f"{info.origin}.as_tool()", origin.path, origin.line))
    if info.kind is Kind.SYNC_CLIENT and method == "with_options":
        return receiver
    return None


def unknown_receiver_compile(call: Call, evaluate: Evaluate, shown: str, origin: Origin) -> Instance | None:
    """`<unknown builder>.compile(checkpointer=saver)`: a known saver proves the graph."""
    options = [facts for facts in _compile_options(call, evaluate, kinds=(Kind.CHECKPOINTER, Kind.STORE)) if facts is not None]
    if not options:
        return None
    return Instance(ExternalName(_COMPILED_GRAPH), facts=NO_FACTS.merged(*options), origin=Origin(f"{shown}.compile(...)", origin.path, origin.line))


def awaited_call(qualified: str | None, receiver: Instance | None, receiver_info: ObjectInfo | None, method: str | None, shown: str, origin: Origin) -> Type | None:
    """What `await f(...)` gives for the async factories of LangChain objects."""
    if qualified is not None and qualified in ASYNC_ONLY_TOOL_FACTORIES:
        label = f"{short_name(qualified)}()"
        return Instance(ExternalName(_TOOL_LIST), facts=Facts(async_only_tools=(label,)), origin=Origin(f"await {label.removesuffix('()')}(...)", origin.path, origin.line))
    if receiver is not None and receiver_info is not None and method is not None:
        if receiver_info.kind is Kind.MCP_CLIENT and method in MCP_TOOL_METHODS:
            return Instance(ExternalName(_TOOL_LIST), facts=Facts(async_only_tools=("MCP tools",)), origin=Origin(f"await {shown}()", origin.path, origin.line))
        if method.startswith("afrom_") and receiver_info.kind is Kind.VECTOR_STORE:
            return receiver
    return None


def piped(left: Type | None, right: Type | None, info: Callable[[Type | None], ObjectInfo | None], shown: str, origin: Origin) -> Instance | None:
    """`prompt | llm`: a Runnable when either side is one (a prompt template when both are)."""
    infos = [info(side) for side in (left, right)]
    if not any(found is not None and found.kind in RUNNABLE_KINDS for found in infos):
        return None
    kinds = {found.kind for found in infos if found is not None}
    name = "langchain_core.prompts.ChatPromptTemplate" if kinds == {Kind.PROMPT} else _RUNNABLE
    return Instance(ExternalName(name), facts=NO_FACTS.merged(*(carried_facts(side) for side in (left, right))), origin=Origin(shown, origin.path, origin.line))


def with_effects(builder: Instance, calls: Iterable[Call], node_facts: NodeFacts) -> Instance:
    """A graph builder after the `add_node` calls made on its name."""
    facts = builder.facts.merged(*(node_facts(call) for call in calls))
    return Instance(builder.of, builder.attrs, builder.args, facts, builder.origin)


def decorated(decorator: str, function: FunctionType, name: str, is_async: bool, call: Call | None, evaluate: Evaluate, origin: Origin) -> Instance | None:
    """`@tool`, `@entrypoint(...)`, `@chain` turn a function into a Runnable."""
    if decorator in TOOL_DECORATORS:
        if is_async:
            return Instance(ExternalName(_STRUCTURED_TOOL), facts=Facts(async_only_tools=(name,)), origin=Origin(f"@tool async def {name}", origin.path, origin.line))
        return Instance(ExternalName(_STRUCTURED_TOOL), origin=Origin(f"@tool def {name}", origin.path, origin.line))
    if decorator in ENTRYPOINT_DECORATORS:
        facts = Facts(async_nodes=(name,)) if is_async else NO_FACTS
        if call is not None:
            facts = facts.merged(*_compile_options(call, evaluate))
        return Instance(ExternalName("langgraph.pregel.Pregel"), facts=facts, origin=Origin(f"@entrypoint {'async ' if is_async else ''}def {name}", origin.path, origin.line))
    if decorator in RUNNABLE_DECORATORS:
        return Instance(ExternalName(_RUNNABLE), origin=Origin(f"@chain def {name}", origin.path, origin.line))
    return None


def node_action(call: Call) -> tuple[Expr | None, str | None]:
    """`builder.add_node("name", action)` / `add_node(action)` / `add_node(..., action=...)`:
    the action and the label given to it (None when the node takes the function's name)."""
    positional = call.args
    action = call.argument(None, "action")
    if action is None and positional:
        action = positional[1] if len(positional) > 1 else positional[0]
    label = None
    if len(positional) > 1 and isinstance(positional[0], Constant) and isinstance(positional[0].value, str):
        label = positional[0].value
    return action, label


def facts_of(value: Type | None) -> Facts:
    return NO_FACTS.merged(*(member.facts for member in members(value) if isinstance(member, Instance)))


# --- what the rules ask ---


ExternalBases = Callable[[str], Iterable[str]]
"""What an external class derives from, as far as the installed sources show (nothing when
they are not installed)."""


def object_info(
    value: Type | None, bases: Callable[[ClassType], Iterable[ExternalName]], external_bases: ExternalBases = lambda name: ()
) -> ObjectInfo | None:
    """Which LangChain/LangGraph/SDK object a value is; None when it is not shown to be one.
    A union is one when every member (other than `None`) is one of the same kind."""
    found: list[ObjectInfo] = []
    for member in members(value):
        if member == NONE:
            continue
        info = _instance_info(member, bases, external_bases)
        if info is None:
            return None
        found.append(info)
    if not found:
        return None
    first = found[0]
    if len(found) == 1:
        return first
    kinds = {info.kind for info in found}
    if len(kinds) > 1 and not kinds <= RUNNABLE_KINDS:
        return None
    kind = first.kind if len(kinds) == 1 else Kind.RUNNABLE
    facts = NO_FACTS.merged(*(info.facts for info in found))
    return ObjectInfo(kind, first.origin, first.async_replacement, facts, all(info.in_memory for info in found), first.path, first.line)


def _instance_info(member: Type, bases: Callable[[ClassType], Iterable[ExternalName]], external_bases: ExternalBases) -> ObjectInfo | None:
    if not isinstance(member, Instance) or member.attrs:
        return None
    if member.external in _FACTORY_CONTEXTS and member.args and isinstance(member.args[0], Instance):
        # `PostgresSaver.from_conn_string(...)` kept as it is (not entered): used as the saver.
        return _instance_info(member.args[0], bases, external_bases)
    origin = member.origin
    if isinstance(member.of, ExternalName):
        name = member.of.qualified
        if name == _TOOL_LIST and member.facts.async_only_tools:
            return ObjectInfo(Kind.TOOL_LIST, origin.text if origin else "", facts=member.facts)
        factory = external_factory(name, external_bases)
        if factory is None:
            return None
        text = origin.text if origin is not None and origin.text else short_name(name)
        return _info(factory, member.facts.merged(_saver_facts(factory, short_name(name))), text, origin)
    for base in bases(member.of):
        factory = external_factory(base.qualified, external_bases)
        if factory is not None and factory.kind not in (Kind.GRAPH_BUILDER, Kind.MCP_CLIENT):
            text = f"class {member.of.qualname.rsplit('.', 1)[-1]}({short_name(base.qualified)})"
            return _info(factory, member.facts, text, origin)
    return None


def external_factory(name: str, external_bases: ExternalBases) -> Factory | None:
    """What an external class is: what the tables list; else what the installed package's own
    sources show (its nearest base the knowledge names); else, when its sources are not there
    to ask, what its family says (`knowledge.langchain.FAMILIES`: a class that
    `langchain_community.tools` exports is a tool). Installed sources that show the class's
    bases overrule the family."""
    factory = listed_factory(name)
    if factory is not None:
        return factory
    bases = tuple(external_bases(name))
    return _derived_factory(bases) if bases else family_factory(name)


def _derived_factory(bases: Iterable[str]) -> Factory | None:
    """What a class is by the nearest base the knowledge names (a community tool is a `BaseTool`)."""
    for base in bases:
        factory = factory_for(base)
        if factory is not None and factory.kind not in (Kind.GRAPH_BUILDER, Kind.MCP_CLIENT):
            return factory
    return None


def _info(factory: Factory, facts: Facts, text: str, origin: Origin | None) -> ObjectInfo:
    return ObjectInfo(
        factory.kind,
        text,
        factory.async_replacement,
        facts,
        factory.in_memory,
        origin.path if origin is not None else None,
        origin.line if origin is not None else 0,
    )


def _saver_facts(factory: Factory, name: str) -> Facts:
    if factory.mode is Mode.BOTH:
        return NO_FACTS
    return Facts(savers=(Saver(name, factory.mode, factory.async_replacement),))


def carried_facts(value: Type | None) -> Facts:
    """The facts a value brings to what it is passed to: its own, and for a one-way saver
    (made or annotated: `saver: SqliteSaver`) the saver itself."""
    found = facts_of(value)
    for member in members(value):
        if isinstance(member, Instance) and member.external is not None:
            factory = factory_for(member.external)
            if factory is not None:
                found = found.merged(_saver_facts(factory, short_name(member.external)))
    return found


def _compile_options(call: Call | None, evaluate: Evaluate, kinds: tuple[Kind, ...] | None = None) -> list[Facts]:
    if call is None:
        return []
    found: list[Facts] = []
    for key in ("checkpointer", "store"):
        value = call.argument(None, key)
        if value is None:
            continue
        value_type = evaluate(value)
        if kinds is not None:
            external = [m for m in members(value_type) if isinstance(m, Instance) and m.external is not None]
            if not external or not all((f := factory_for(m.external or "")) is not None and f.kind in kinds for m in external):
                continue
        found.append(carried_facts(value_type))
    return found


def _async_only_tool_call(call: Call) -> bool:
    """`StructuredTool(coroutine=f)` / `.from_function(coroutine=f)` / `Tool(name, None, ...,
    coroutine=f)` with no sync `func`."""
    if call.argument(None, "coroutine") is None:
        return False
    func = call.argument(None, "func")
    if func is None:
        name = _callee_name(call.func)
        positional = call.args
        if name == "Tool" and len(positional) > 1:
            func = positional[1]
        elif name == "from_function" and positional:
            func = positional[0]
    return func is None or (isinstance(func, Constant) and func.value is None) or (isinstance(func, Name) and func.id == "None")


def _callee_name(func: Expr) -> str:
    if isinstance(func, Attribute):
        return func.attr
    if isinstance(func, Name):
        return func.id
    return ""


def _tool_label(call: Call) -> str | None:
    name = call.argument(None, "name")
    if isinstance(name, Constant) and isinstance(name.value, str):
        return name.value
    coroutine = call.argument(None, "coroutine")
    return coroutine.id if isinstance(coroutine, Name) else None
