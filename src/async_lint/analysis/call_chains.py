"""Call chains from async code into sync project functions, for ASL202 and ASL305: which sync
functions reach a sink (a loop runner, a blocking call) through sync calls, and by which
shortest chain.

The search is a graph pass over the project index's summaries (never a parse): a function's
outgoing edges are its summary's recorded calls, resolved once; the shortest chain from each
function is memoised, and so is "reaches none" for everything a failed search visited. One
`ChainSearch` per (index, sink kind) lives as long as the index (a run, or a worker process).

What the search enters: sync, non-generator project functions whose decorators are known to
return the function as is (`staticmethod`, `lru_cache`, route decorators...; an unknown one may
run it in a thread or make it something else), and `__init__` for a project class called.
Not entered: coroutine functions (calling one runs nothing), generators (their bodies run when
iterated), nested `def`s (only called through a local name, which summaries do not follow, so
one handed to a thread is never part of a chain).
"""

from __future__ import annotations

import os
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from async_lint.analysis.module_summary import (
    FunctionSummary,
    ModuleSummary,
    transparent_decorator,
)
from async_lint.engine.project_index import (
    MAX_DEPTH,
    CallTarget,
    ClassSym,
    ExternalSym,
    FunctionSym,
    InstanceSym,
    ProjectIndex,
    Symbol,
)
from async_lint.knowledge.blocking_calls import (
    NONBLOCKING_MARKERS,
    VALUE_TYPES,
    Catalog,
)
from async_lint.knowledge.loop_runners import (
    CURRENT_LOOP_GETTERS,
    LOOP_FACTORIES,
    LOOP_RUNNER_FUNCTIONS,
    LOOP_RUNNER_METHODS,
    NESTED_LOOP_PATCHES,
    RUNNER_CONSTRUCTORS,
    RUNNER_METHOD,
)

LOOP_STATE_CHECKS = frozenset({"get_running_loop", "_get_running_loop", "is_running"})
"""A function that asks whether a loop is running chooses what to do about it: its loop
runners are not findings and the search does not go through it (precision first)."""


@dataclass(frozen=True)
class Sink:
    """What a chain ends in: the call as the message names it, and why it is a problem."""

    display: str
    detail: str
    """The runtime consequence (`RuntimeError: ...`) or the catalog's replacement text."""
    code: str = ""
    """For blocking calls: the direct rule's code (ASL300-ASL304) for that call."""


@dataclass(frozen=True)
class Link:
    """One call in a chain: `caller` calls `callee` at `line`/`column` of `path`."""

    caller: FunctionSym
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


SinkPredicate = Callable[[ProjectIndex, FunctionSym, FunctionSummary, CallTarget], Sink | None]
"""Whether a call (made by `function`, whose summary is given) is a sink."""


@dataclass(frozen=True)
class _Edge:
    link: Link
    following: FunctionSym | None
    """The project function the call runs (None for a sink or an unknown callee)."""
    sink: Sink | None


class ChainSearch:
    def __init__(self, index: ProjectIndex, is_sink: SinkPredicate) -> None:
        self.index = index
        self.is_sink = is_sink
        self._edges: dict[FunctionSym, tuple[_Edge, ...]] = {}
        self._chains: dict[FunctionSym, Chain | None] = {}
        self._checked: dict[Path, ModuleSummary] = {}
        self._boundaries = tuple(str(b).rstrip(os.sep) + os.sep for b in index.boundaries)
        self._inside: dict[Path, bool] = {}

    def refresh(self, path: Path, summary: ModuleSummary) -> None:
        """Forget what was learnt when the checked file's text changed since (`--fix` re-checks
        its output; an editor checks unsaved text)."""
        seen = self._checked.get(path)
        if seen is not None and seen is not summary and seen != summary:
            self._edges.clear()
            self._chains.clear()
        self._checked[path] = summary

    def enterable(self, symbol: Symbol | None) -> FunctionSym | None:
        """The sync project function a call of `symbol` runs at once, if the search may go
        through it (a class called runs its `__init__`)."""
        if isinstance(symbol, ClassSym):
            symbol = self.index.lookup_method(symbol, "__init__")
        if not isinstance(symbol, FunctionSym) or not self._in_project(symbol.path):
            return None
        function = self.index.function(symbol)
        if function is None or function.is_async or function.is_generator or function.is_property:
            return None
        if not all(transparent_decorator(d) for d in function.decorators):
            return None
        return symbol

    def _in_project(self, path: Path) -> bool:
        """Under the project root or a checked directory: installed packages an import
        happens to resolve to (checking `site-packages/pkg` makes its siblings importable)
        are not the project's chains."""
        if not self._boundaries:
            return True
        inside = self._inside.get(path)
        if inside is None:
            inside = self._inside[path] = str(path).startswith(self._boundaries)
        return inside

    def chain(self, start: FunctionSym) -> Chain | None:
        """The shortest chain by which calling `start` reaches a sink, or None."""
        if start in self._chains:
            return self._chains[start]
        parents: dict[FunctionSym, tuple[FunctionSym, Link] | None] = {start: None}
        queue = deque([(start, 0)])
        best: tuple[int, FunctionSym, Link, Chain | None] | None = None
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
        parents: dict[FunctionSym, tuple[FunctionSym, Link] | None],
        last: FunctionSym,
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
        function: FunctionSym = last
        while True:
            self._chains.setdefault(function, chain)
            step = parents[function]
            if step is None:
                return chain
            function, previous = step
            chain = Chain((previous, *chain.links), chain.sink)

    def _edges_of(self, function_sym: FunctionSym) -> tuple[_Edge, ...]:
        edges = self._edges.get(function_sym)
        if edges is not None:
            return edges
        index = self.index
        function = index.function(function_sym)
        found: list[_Edge] = []
        if function is not None:
            for site in function.calls:
                target = (
                    index.resolve_ref(site.ref, function_sym.path, function.class_qualname) if site.ref is not None else None
                )
                callee = site.ref.display() if site.ref is not None else (site.method or "?")
                call = CallTarget(target, site.method, callee)
                following = self.enterable(target)
                sink = None if following is not None else self.is_sink(index, function_sym, function, call)
                if following is None and sink is None:
                    continue
                shown = sink.display if sink is not None else _qualname(following)
                link = Link(function_sym, function_sym.path, site.line, site.column, shown)
                found.append(_Edge(link, following, sink))
        edges = tuple(found)
        self._edges[function_sym] = edges
        return edges


def _qualname(symbol: FunctionSym | None) -> str:
    return symbol.qualname if symbol is not None else "?"


_searches: weakref.WeakKeyDictionary[ProjectIndex, dict[object, ChainSearch]] = weakref.WeakKeyDictionary()


def chain_search(index: ProjectIndex, key: object, make: Callable[[], SinkPredicate]) -> ChainSearch:
    """The search for one kind of sink (`key`: the predicate's configuration), made once per index."""
    searches = _searches.setdefault(index, {})
    search = searches.get(key)
    if search is None:
        search = searches[key] = ChainSearch(index, make())
    return search


# --- sinks ---


def loop_runner_sink(index: ProjectIndex, caller: FunctionSym, function: FunctionSummary, call: CallTarget) -> Sink | None:
    """`asyncio.run(...)`, `anyio.run`, `trio.run`, `<loop>.run_until_complete(...)`,
    `asyncio.Runner().run(...)`; not in a function that checks whether a loop is running,
    nor in a module that applies `nest_asyncio` (both choose to run nested on purpose)."""
    runner = None
    detail = None
    symbol = call.symbol
    if isinstance(symbol, ExternalSym) and symbol.qualified in LOOP_RUNNER_FUNCTIONS:
        runner = LOOP_RUNNER_FUNCTIONS[symbol.qualified]
    elif call.method in LOOP_RUNNER_METHODS and not isinstance(symbol, (FunctionSym, ClassSym)):
        runner = LOOP_RUNNER_METHODS[call.method]
        detail = _run_until_complete_error(symbol)
    elif (
        call.method == "run"
        and isinstance(symbol, InstanceSym)
        and isinstance(symbol.of, ExternalSym)
        and symbol.of.qualified in RUNNER_CONSTRUCTORS
        and symbol.attrs == ("run",)
    ):
        runner = RUNNER_METHOD
    if runner is None or checks_loop_state(function) or _patches_nested_loops(index, caller.path):
        return None
    return Sink(runner.display.removesuffix("()"), detail or runner.error)


_OTHER_LOOP_RUNNING = "RuntimeError: Cannot run the event loop while another loop is running"


def _run_until_complete_error(receiver: Symbol | None) -> str:
    """A loop made here fails because another loop runs; the thread's current loop because it
    is the one running; a loop from elsewhere, one or the other."""
    made_by = receiver.of.qualified if isinstance(receiver, InstanceSym) and isinstance(receiver.of, ExternalSym) else None
    if made_by in LOOP_FACTORIES:
        return _OTHER_LOOP_RUNNING
    if made_by in CURRENT_LOOP_GETTERS:
        return LOOP_RUNNER_METHODS["run_until_complete"].error
    return f"{LOOP_RUNNER_METHODS['run_until_complete'].error}` (or `{_OTHER_LOOP_RUNNING.removeprefix('RuntimeError: ')}`)"


def checks_loop_state(function: FunctionSummary) -> bool:
    return any(site.method in LOOP_STATE_CHECKS for site in function.calls)


def _patches_nested_loops(index: ProjectIndex, path: Path) -> bool:
    """The module imports `nest_asyncio` (to call `nest_asyncio.apply()`)."""
    summary = index.summary(path)
    if summary is None:
        return False
    patch_modules = {name.rsplit(".", 1)[0] for name in NESTED_LOOP_PATCHES}
    return any(
        binding.target is not None and binding.target.module.split(".", 1)[0] in patch_modules
        for binding in summary.names.values()
    )


def blocking_sink(known: Catalog) -> SinkPredicate:
    """Catalog calls, by qualified name (`time.sleep`, `builtins.open`) or as a method of a
    receiver made in the same function (`requests.Session().get`, `Path(p).read_text()`).
    Left out, since a summary cannot tell: generators that block only when iterated
    (`os.walk`), calls with a non-blocking flag (`q.get(block=False)`), sockets and futures
    (whose blocking depends on their state)."""

    def is_sink(index: ProjectIndex, caller: FunctionSym, function: FunctionSummary, call: CallTarget) -> Sink | None:
        name = _blocking_name(call.symbol)
        if name is None:
            return None
        entry = known.get(name)
        if entry is None or entry.lazy or entry.nonblocking_flag is not None:
            return None
        if name.rsplit(".", 1)[0] in NONBLOCKING_MARKERS:
            return None
        return Sink(name.removeprefix("builtins."), entry.replacement, entry.code)

    return is_sink


def _blocking_name(symbol: Symbol | None) -> str | None:
    if isinstance(symbol, ExternalSym):
        return symbol.qualified
    if isinstance(symbol, InstanceSym) and isinstance(symbol.of, ExternalSym) and len(symbol.attrs) == 1:
        receiver = VALUE_TYPES.get(symbol.of.qualified)
        return f"{receiver}.{symbol.attrs[0]}" if receiver is not None else None
    return None


def short_path(path: Path, relative_to: Path | None = None) -> str:
    """A chain step's file as messages show it: relative to the checked file's directory when
    it is under it, else to the working directory, else absolute."""
    for base in (relative_to, Path.cwd()):
        if base is not None and path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.as_posix()


def display_path(path: Path) -> str:
    """A file as the CLI names it (relative to the working directory when under it)."""
    return path.relative_to(Path.cwd()).as_posix() if path.is_relative_to(Path.cwd()) else path.as_posix()
