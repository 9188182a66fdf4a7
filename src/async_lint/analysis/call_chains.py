"""Call chains from async code into sync project functions: which sync functions reach a sink
(a loop runner, a blocking call) through sync calls, and by which shortest chain.

The search is a graph pass over the module models (never a parse): a function's outgoing edges
are its model's recorded calls, typed once by the inference (so `self.repo.save()` follows the
repository a typed `__init__` was given); the shortest chain from each function is memoised,
and so is "reaches none" for everything a failed search visited. One `ChainSearch` per sink
kind is shared by the whole project (`Project.shared`) until a model changes; a call in async
code asks it through `loop_runner_chain` / `blocking_chain`.

What the search enters: sync, non-generator project functions whose decorators are known to
return the function as is (`staticmethod`, `lru_cache`, route decorators...; an unknown one may
run it in a thread or make it something else), and `__init__` for a project class called.
Not entered: coroutine functions (calling one runs nothing), generators (their bodies run when
iterated), nested `def`s called through a local name (one handed to a thread is never part of a
chain).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import libcst as cst

from async_lint.analysis.blocking_calls import Catalog
from async_lint.analysis.expressions import shown_expression
from async_lint.analysis.framework_calls import SYNC_HALF_NAMES, sync_half_twin
from async_lint.analysis.inference import Place
from async_lint.analysis.loop_runners import nested_runs_allowed
from async_lint.analysis.module_model import FunctionScope, transparent_decorator
from async_lint.analysis.names import shown_name
from async_lint.analysis.project import Project
from async_lint.analysis.types import BoundMethod, ClassType, ExternalName, FunctionType, Instance, Type
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.blocking_calls import NONBLOCKING_MARKERS
from async_lint.knowledge.langchain import short_name
from async_lint.knowledge.loop_runners import (
    ANOTHER_LOOP_RUNNING,
    ASYNC_VARIANT_NAMES,
    CURRENT_LOOP_GETTERS,
    LOOP_FACTORIES,
    LOOP_RUNNER_FUNCTIONS,
    LOOP_RUNNER_METHODS,
    LOOP_STATE_CHECKS,
    NESTED_LOOP_PATCHES,
    RUNNER_CONSTRUCTORS,
    RUNNER_METHODS,
)

MAX_DEPTH = 12
"""The longest chain reported."""


@dataclass(frozen=True)
class CallTarget:
    """A call as a sink predicate sees it: what the callee is (its type), the last name of the
    callee as written (`run_until_complete` for `loop.run_until_complete`), and its text."""

    target: Type | None
    method: str | None
    callee: str


@dataclass(frozen=True)
class Sink:
    """What a chain ends in: the call as the message names it, and why it is a problem."""

    display: str
    detail: str
    """The runtime consequence (`RuntimeError: ...`) or the catalog's replacement text."""


@dataclass(frozen=True)
class Link:
    """One call in a chain: `caller` calls `callee` at `line`/`column` of `path`."""

    caller: FunctionType
    path: Path
    line: int
    column: int
    callee: str
    """What is called, for the chain display (`Agent.run`, `Agent.__init__`, `asyncio.run`)."""


@dataclass(frozen=True)
class Chain:
    links: tuple[Link, ...]
    sink: Sink

    def display(self, caller: str, relative_to: Path | None = None) -> str:
        """`ask -> answer_question -> Agent.run -> asyncio.run (agent.py:88)`, `caller` being
        the async function that makes the first call."""
        last = self.links[-1]
        names = " -> ".join((caller, self.links[0].caller.qualname, *(link.callee for link in self.links)))
        return f"{names} ({short_path(last.path, relative_to)}:{last.line})"


SinkPredicate = Callable[[Project, FunctionType, FunctionScope, CallTarget], Sink | None]
"""Whether a call (made by `function`, whose summary is given) is a sink."""


@dataclass(frozen=True)
class _Edge:
    link: Link
    following: FunctionType | None
    """The project function the call runs (None for a sink or an unknown callee)."""
    sink: Sink | None


class ChainSearch:
    def __init__(self, project: Project, is_sink: SinkPredicate, stops: Callable[[FunctionScope], bool] | None = None) -> None:
        """`stops(function)`: the search does not go on through this function's calls (a
        function that checks whether a loop runs has chosen what to do about it)."""
        self.project = project
        self.is_sink = is_sink
        self.stops = stops
        self._edges: dict[FunctionType, tuple[_Edge, ...]] = {}
        self._chains: dict[FunctionType, Chain | None] = {}
        self._inside: dict[Path, bool] = {}

    def enterable(self, target: Type | None) -> FunctionType | None:
        """The sync project function a call of `target` runs at once, if the search may go
        through it (a class called runs its `__init__`)."""
        inference = self.project.inference
        if isinstance(target, ClassType):
            target = inference.lookup_method(target, "__init__")
        if isinstance(target, BoundMethod):
            target = target.function
        if not isinstance(target, FunctionType) or not self._in_project(target.path):
            return None
        function = inference.function_scope(target)
        if function is None or function.is_async or function.is_generator or function.is_property:
            return None
        if not all(transparent_decorator(d) for d in function.decorator_names):
            return None
        return target

    def _in_project(self, path: Path) -> bool:
        """Under the project root or a checked directory: installed packages an import
        happens to resolve to (checking `site-packages/pkg` makes its siblings importable)
        are not the project's chains."""
        inside = self._inside.get(path)
        if inside is None:
            inside = self._inside[path] = self.project.in_project(path)
        return inside

    def chain(self, start: FunctionType) -> Chain | None:
        """The shortest chain by which calling `start` reaches a sink, or None."""
        if start in self._chains:
            return self._chains[start]
        parents: dict[FunctionType, tuple[FunctionType, Link] | None] = {start: None}
        queue = deque([(start, 0)])
        best: tuple[int, FunctionType, Link, Chain | None] | None = None
        """(length, last function on the new part of the path, its link, the known chain
        after that link, or None when the link is a sink)."""
        while queue:
            function_sym, depth = queue.popleft()
            if best is not None and depth + 1 >= best[0]:
                break
            for edge in self._edges_of(function_sym):
                if edge.sink is not None:
                    if best is None or depth + 1 < best[0]:
                        best = (depth + 1, function_sym, edge.link, None)
                    continue
                following = edge.following
                if following is None or following in parents:
                    continue
                known = self._chains.get(following, False)
                if known is None:
                    continue  # reaches nothing
                if known is not False:
                    assert isinstance(known, Chain)
                    length = depth + 1 + len(known.links)
                    if best is None or length < best[0]:
                        best = (length, function_sym, edge.link, known)
                    continue
                parents[following] = (function_sym, edge.link)
                queue.append((following, depth + 1))
        if best is None:
            for visited in parents:
                self._chains[visited] = None
            return None
        _, last, link, rest = best
        chain = self._assemble(parents, last, link, rest)
        if len(chain.links) > MAX_DEPTH:
            return None
        return self._chains[start]

    def _assemble(
        self,
        parents: dict[FunctionType, tuple[FunctionType, Link] | None],
        last: FunctionType,
        link: Link,
        rest: Chain | None,
    ) -> Chain:
        """Rebuild the path found, and memoise the chain of every function on it (a suffix
        of a shortest chain is a shortest chain)."""
        if rest is None:
            sink_edge = next(e for e in self._edges_of(last) if e.link is link)
            assert sink_edge.sink is not None
            chain = Chain((link,), sink_edge.sink)
        else:
            chain = Chain((link, *rest.links), rest.sink)
        function: FunctionType = last
        while True:
            self._chains.setdefault(function, chain)
            step = parents[function]
            if step is None:
                return chain
            function, previous = step
            chain = Chain((previous, *chain.links), chain.sink)

    def _edges_of(self, caller: FunctionType) -> tuple[_Edge, ...]:
        edges = self._edges.get(caller)
        if edges is not None:
            return edges
        inference = self.project.inference
        function = inference.function_scope(caller)
        found: list[_Edge] = []
        if function is not None and not (self.stops is not None and self.stops(function)):
            place = Place(caller.path, caller.key)
            for site in function.calls:
                target = inference.expression(site.func, place)
                callee = shown_expression(site.func) or site.method or "?"
                following = self.enterable(target)
                sink = None if following is not None else self.is_sink(self.project, caller, function, CallTarget(target, site.method, callee))
                if following is None and sink is None:
                    continue
                shown = sink.display if sink is not None else following.qualname if following is not None else "?"
                link = Link(caller, caller.path, site.line, site.column, shown)
                found.append(_Edge(link, following, sink))
        edges = tuple(found)
        self._edges[caller] = edges
        return edges


# --- a call in async code ---


@dataclass(frozen=True)
class ChainFromCall:
    """A call in async code that runs the sync project function `start`, whose shortest chain
    reaches a sink."""

    start: FunctionType
    chain: Chain


def loop_runner_chain(node: cst.Call, ctx: ModuleWalker) -> ChainFromCall | None:
    """The chain by which this call, in async code, reaches a loop runner; None in a module
    that allows nested runs (`nest_asyncio.apply()`)."""
    if nested_runs_allowed(ctx):
        return None
    project = ctx.view.project
    search = project.shared((ChainSearch, loop_runner_sink), lambda: ChainSearch(project, loop_runner_sink, checks_loop_state))
    return _chain_from(node, ctx, search)


def blocking_chain(node: cst.Call, ctx: ModuleWalker, known: Catalog) -> ChainFromCall | None:
    """The chain by which this call, in async code, reaches a blocking call of the catalog."""
    project = ctx.view.project
    search = project.shared((ChainSearch, known), lambda: ChainSearch(project, blocking_sink(known)))
    return _chain_from(node, ctx, search)


def _chain_from(node: cst.Call, ctx: ModuleWalker, search: ChainSearch) -> ChainFromCall | None:
    if not ctx.in_async_function or not isinstance(node.func, (cst.Name, cst.Attribute)):
        return None
    start = search.enterable(ctx.type_of(node.func))
    if start is None:
        return None
    chain = search.chain(start)
    return ChainFromCall(start, chain) if chain is not None else None


def async_variant(start: FunctionType, ctx: ModuleWalker) -> str | None:
    """The name of an async twin the project defines next to `start` (`arun` / `run_async` on
    the same class, or in the same module), when it is a coroutine function."""
    inference = ctx.inference
    function = inference.function_scope(start)
    if function is None or function.name.startswith("__"):
        return None
    for pattern in ASYNC_VARIANT_NAMES:
        candidate = pattern.format(name=function.name)
        twin: Type | None
        if function.class_key is not None:
            twin = inference.lookup_method(ClassType(start.path, function.class_key), candidate)
        else:
            twin = inference.module_member(start.path, candidate) if "." not in start.key else None
        twin_scope = inference.function_scope(twin) if isinstance(twin, FunctionType) else None
        if twin_scope is not None and twin_scope.is_coroutine_function:
            return candidate
    return None


# --- sinks ---


def loop_runner_sink(project: Project, caller: FunctionType, function: FunctionScope, call: CallTarget) -> Sink | None:
    """`asyncio.run(...)`, `anyio.run`, `trio.run`, `<loop>.run_until_complete(...)`,
    `asyncio.Runner().run(...)`; not in a function that checks whether a loop is running,
    nor in a module that applies `nest_asyncio` (both choose to run nested on purpose)."""
    runner = None
    detail = None
    target = call.target
    if isinstance(target, ExternalName) and target.qualified in LOOP_RUNNER_FUNCTIONS:
        runner = LOOP_RUNNER_FUNCTIONS[target.qualified]
    elif call.method in LOOP_RUNNER_METHODS and not isinstance(target, (FunctionType, ClassType, BoundMethod)):
        runner = LOOP_RUNNER_METHODS[call.method]
        detail = _run_until_complete_error(runner.error, target)
    elif (
        call.method in RUNNER_METHODS
        and isinstance(target, Instance)
        and isinstance(target.of, ExternalName)
        and target.of.qualified in RUNNER_CONSTRUCTORS
        and target.attrs == (call.method,)
    ):
        runner = RUNNER_METHODS[call.method]
    if runner is None or checks_loop_state(function) or _patches_nested_loops(project, caller.path):
        return None
    return Sink(runner.display.removesuffix("()"), detail or runner.error)


def _run_until_complete_error(running: str, method: Type | None) -> str:
    """A loop made here fails because another loop runs; the thread's current loop because it
    is the one running (`running`, the runner's error); a loop from elsewhere, one or the other."""
    made_by = method.of.qualified if isinstance(method, Instance) and isinstance(method.of, ExternalName) else None
    if made_by in LOOP_FACTORIES:
        return f"RuntimeError: {ANOTHER_LOOP_RUNNING}"
    if made_by in CURRENT_LOOP_GETTERS:
        return running
    return f"{running}` (or `{ANOTHER_LOOP_RUNNING}`)"


def checks_loop_state(function: FunctionScope) -> bool:
    return any(site.method in LOOP_STATE_CHECKS for site in function.calls)


def _patches_nested_loops(project: Project, path: Path) -> bool:
    """The module imports `nest_asyncio` (to call `nest_asyncio.apply()`)."""
    model = project.model(path)
    if model is None:
        return False
    patch_modules = {name.rsplit(".", 1)[0] for name in NESTED_LOOP_PATCHES}
    return any(
        binding.target is not None and binding.target.module.split(".", 1)[0] in patch_modules
        for bindings in model.names.values()
        for binding in bindings
    )


def blocking_sink(known: Catalog) -> SinkPredicate:
    """Catalog calls, by qualified name (`time.sleep`, `builtins.open`) or as a method of a
    receiver whose type the inference knows (`requests.Session().get`, `self.http.get` with
    `http: httpx.Client` given to `__init__`). Left out, since a model cannot tell: generators
    that block only when iterated (`os.walk`), calls with a non-blocking flag
    (`q.get(block=False)`), sockets and futures (whose blocking depends on their state)."""

    def is_sink(project: Project, caller: FunctionType, function: FunctionScope, call: CallTarget) -> Sink | None:
        name = _blocking_name(call.target)
        entry = known.get(name) if name is not None else None
        if name is None or entry is None:
            return _sync_half_sink(project, call)
        if entry.lazy or entry.nonblocking_flag is not None:
            return None
        owner = name.rsplit(".", 1)[0]
        if owner in NONBLOCKING_MARKERS:
            return None
        if known.is_protocol(owner) and not _on_plain_name(call.callee):
            return None
        return Sink(shown_name(name), entry.replacement)

    return is_sink


def _sync_half_sink(project: Project, call: CallTarget) -> Sink | None:
    """The sync half of a LangChain pair (`store.similarity_search`, `chain.invoke`) on an object
    the inference proves to be one (what ASL400 reports when it is written in `async def`)."""
    target = call.target
    if not isinstance(target, Instance) or len(target.attrs) != 1 or target.attrs[0] not in SYNC_HALF_NAMES:
        return None
    info = project.inference.object_info(replace(target, attrs=()))
    twin = sync_half_twin(info, target.attrs[0]) if info is not None else None
    if twin is None:
        return None
    owner = short_name(target.of.qualified) if isinstance(target.of, ExternalName) else target.of.qualname.rsplit(".", 1)[-1]
    receiver = call.callee.rpartition(".")[0]
    if not all(part.isidentifier() for part in receiver.split(".")):
        return Sink(f"{owner}.{target.attrs[0]}", f"use its async twin `{twin.name}`")
    use = f"async for ... in {receiver}.{twin.name}(...)" if twin.iterated else f"await {receiver}.{twin.name}(...)"
    return Sink(f"{owner}.{target.attrs[0]}", f"use `{use}`")


def _on_plain_name(callee: str) -> bool:
    """`f.read` (a method of a plain name), not `self.file.read`."""
    receiver, _, _ = callee.rpartition(".")
    return receiver.isidentifier()


def _blocking_name(target: Type | None) -> str | None:
    if isinstance(target, ExternalName):
        return target.qualified
    if isinstance(target, Instance) and isinstance(target.of, ExternalName) and len(target.attrs) == 1:
        return f"{target.of.qualified}.{target.attrs[0]}"
    return None


def short_path(path: Path, relative_to: Path | None = None) -> str:
    """A chain step's file as messages show it: relative to the checked file's directory when
    it is under it, else to the working directory, else absolute."""
    for base in (relative_to, Path.cwd()):
        if base is not None and path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()
