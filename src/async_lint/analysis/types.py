"""What an expression holds, as far as the rules care: a small lattice of types.

- `ModuleType`, `FunctionType`, `ClassType`: a module, function or class of the project;
- `ExternalName`: a name outside the project (`asyncio.sleep`, `openai.OpenAI`, `requests`);
- `Instance`: an object, of a project class or made by an external callable (`Instance(
  ExternalName("openai.OpenAI"))`; `attrs` for attributes read from an external object since:
  `client.chat.completions`); `args` are a generic's parameters (`list[Path]`);
- `BoundMethod`: a project method read from an instance or class;
- `CoroutineOf`, `AsyncIteratorOf`: what calling an `async def` (with or without `yield`) gives;
- `UnionType`: one of several, when every way a name is bound is known.

Unknown is None, and unknown is silent: the inference never guesses from a name. An `Instance`
may carry `Facts` (a compiled graph's checkpointer, its `async def` nodes, the async-only tools
it runs) and an `Origin` (what made it and where, for messages; not part of its identity).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from async_lint.knowledge.langchain import Mode


@dataclass(frozen=True, slots=True)
class ModuleType:
    path: Path
    """A module file, or a directory (a namespace package)."""


@dataclass(frozen=True, slots=True)
class FunctionType:
    """A project function or method (`key` as in its module's model: `Agent.run`)."""

    path: Path
    key: str

    @property
    def qualname(self) -> str:
        """`Agent.run` (a redefinition's `#2` dropped)."""
        return qualname_of(self.key)


@dataclass(frozen=True, slots=True)
class ClassType:
    path: Path
    key: str

    @property
    def qualname(self) -> str:
        return qualname_of(self.key)


def qualname_of(key: str) -> str:
    """A model scope's dotted name as `__qualname__` has it (`Agent.run` for `Agent.run#2`)."""
    return ".".join(part.split("#", 1)[0] for part in key.split("."))


@dataclass(frozen=True, slots=True)
class ExternalName:
    """Something outside the project, by its dotted name."""

    qualified: str


@dataclass(frozen=True, slots=True)
class Saver:
    """A checkpointer or store a graph was compiled with that serves only one half of the API."""

    name: str
    mode: Mode
    async_replacement: str | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """What a LangChain/LangGraph object carries beyond its class."""

    savers: tuple[Saver, ...] = ()
    """One-way checkpointers/stores a graph was compiled with."""
    async_nodes: tuple[str, ...] = ()
    """Names of a graph's `async def` nodes (or its async `@entrypoint`)."""
    async_only_tools: tuple[str, ...] = ()
    """The async-only tools a graph, agent, tool list or tool runs."""

    def merged(self, *others: Facts) -> Facts:
        savers, nodes, tools = list(self.savers), list(self.async_nodes), list(self.async_only_tools)
        for other in others:
            savers += [s for s in other.savers if s not in savers]
            nodes += [n for n in other.async_nodes if n not in nodes]
            tools += [t for t in other.async_only_tools if t not in tools]
        return Facts(tuple(savers), tuple(nodes), tuple(tools))

    def __bool__(self) -> bool:
        return bool(self.savers or self.async_nodes or self.async_only_tools)


NO_FACTS = Facts()


@dataclass(frozen=True, slots=True)
class Origin:
    """What made a value (`ChatOpenAI(...)`, `StateGraph.compile()`) and where, for messages."""

    text: str
    path: Path | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Instance:
    of: ClassType | ExternalName
    attrs: tuple[str, ...] = ()
    args: tuple[Type | None, ...] = ()
    facts: Facts = NO_FACTS
    origin: Origin | None = field(default=None, compare=False)

    @property
    def external(self) -> str | None:
        """The external class or factory that made it (None for a project class's instance,
        or for an attribute read from an external object)."""
        return self.of.qualified if isinstance(self.of, ExternalName) and not self.attrs else None


@dataclass(frozen=True, slots=True)
class BoundMethod:
    function: FunctionType
    receiver: Instance | ClassType


@dataclass(frozen=True, slots=True)
class CoroutineOf:
    result: Type | None


@dataclass(frozen=True, slots=True)
class AsyncIteratorOf:
    item: Type | None


@dataclass(frozen=True, slots=True)
class UnionType:
    members: frozenset[Type]


Type = Union[ModuleType, FunctionType, ClassType, ExternalName, Instance, BoundMethod, CoroutineOf, AsyncIteratorOf, UnionType]

NONE = Instance(ExternalName("builtins.None"))
"""The type of `None`."""


def union(types: Iterable[Type | None]) -> Type | None:
    """One of `types`; unknown when any of them is (a name bound once to something unknown may
    hold anything)."""
    members: list[Type] = []
    for item in types:
        if item is None:
            return None
        for member in item.members if isinstance(item, UnionType) else (item,):
            if member not in members:
                members.append(member)
    if not members:
        return None
    if len(members) == 1:
        return members[0]
    return UnionType(frozenset(members))


def members(item: Type | None) -> tuple[Type, ...]:
    """The types a value may have (empty when unknown)."""
    if item is None:
        return ()
    if isinstance(item, UnionType):
        return tuple(item.members)
    return (item,)


def without_none(item: Type | None) -> Type | None:
    """What a value is when it is used as an object: `Optional[X]` is `X` there (on `None` the
    use would fail anyway)."""
    if isinstance(item, UnionType):
        rest = [m for m in item.members if m != NONE]
        return union(rest) if rest else None
    return None if item == NONE else item


def made_by(value: Type | None) -> str | None:
    """The external class (or factory, or annotated type) that made the value, when every type
    the value may have (`None` aside) agrees on one: `asyncio.Runner` for `runner` after
    `runner = asyncio.Runner()`."""
    found = {m.external for m in members(without_none(value)) if isinstance(m, Instance)}
    if len(found) != 1 or len(members(without_none(value))) != 1:
        return None
    return found.pop()
