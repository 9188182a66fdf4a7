"""Async twins derived from the installed packages' sources where no table lists them
(`analysis/environment.py` reads the sources, `knowledge/twins.py` says what to look for):

- `derived_client`: an object of an installed sync client class that has an `Async<Name>`
  sibling in its package (`elasticsearch.Elasticsearch` / `AsyncElasticsearch`) is a sync SDK
  client (ASL401), its twin the sibling;
- `derived_twin`: a method `m` of an installed LangChain-family class that has `async def a<m>`
  beside it (`loader.load()` / `await loader.aload()`) is the sync half of a pair (ASL400).

Without the package installed nothing is derived: the built-in tables answer. Packages the
blocking-call catalog covers (redis, pymongo, httpx...) are left to the blocking rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from async_lint.analysis.distributions import depends_on
from async_lint.analysis.framework_objects import ObjectInfo
from async_lint.analysis.types import Instance, members, without_none
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.blocking_calls import METHOD_OWNERS
from async_lint.knowledge.langchain import ENVIRONMENT_ROOTS, Kind, Twin, listed_factory, short_name

_BLOCKING_PACKAGES = frozenset(owner.split(".", 1)[0] for owner in METHOD_OWNERS)
"""Top-level packages whose objects the blocking catalog judges (ASL301-ASL304)."""


@dataclass(frozen=True)
class DerivedTwin:
    twin: Twin
    owner: str
    """The installed class whose sources have the twin (as the module names it)."""


def derived_client(expr: cst.BaseExpression, ctx: ModuleWalker) -> ObjectInfo | None:
    """`expr` is an object of an installed sync client class with an async sibling class."""
    environment = ctx.inference.project.environment
    if environment is None:
        return None
    made = ctx.made_by(expr)
    if made is None or listed_factory(made) is not None or made.split(".", 1)[0] in _BLOCKING_PACKAGES:
        return None
    sibling = environment.async_sibling(made)
    if sibling is None:
        return None
    origin = next((m.origin for m in members(without_none(ctx.type_of(expr))) if isinstance(m, Instance) and m.origin is not None), None)
    text = origin.text if origin is not None and origin.text else short_name(made)
    return ObjectInfo(
        Kind.SYNC_CLIENT,
        text,
        sibling,
        path=origin.path if origin is not None else None,
        line=origin.line if origin is not None else 0,
    )


def client_method_does_io(info: ObjectInfo, method: str, ctx: ModuleWalker) -> bool:
    """For a derived client's own method (`es.search(...)`): its sibling's method of that
    name is an `async def` (`es.options(...)` is plain on both sides: no I/O)."""
    environment = ctx.inference.project.environment
    return environment is not None and info.async_replacement is not None and environment.is_async_method(info.async_replacement, method)


def derived_twin(receiver: cst.BaseExpression, method: str, ctx: ModuleWalker) -> DerivedTwin | None:
    """The async twin of `receiver.method(...)` the receiver's installed class has, for a class
    of a package that derives from LangChain's or LangGraph's."""
    environment = ctx.inference.project.environment
    if environment is None:
        return None
    made = ctx.made_by(receiver)
    if made is None or not depends_on(made, ENVIRONMENT_ROOTS):
        return None
    twin = environment.method_twin(made, method)
    return DerivedTwin(twin, made) if twin is not None else None
