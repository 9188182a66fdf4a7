"""Which async library a module's coroutines run on (asyncio, trio or anyio), as one verdict:
the fixes and messages spell that library's calls (`await trio.sleep(x)` in a trio program,
where `await asyncio.sleep(x)` would raise `RuntimeError: no running event loop`).

The module runs on a library when the loop runners it calls (`trio.run(main)`,
`asyncio.run(main())`, at module level or in its sync functions) all start that one; else when
what it imports says so: `asyncio`, `trio` or `anyio` itself, or a package that works only on
asyncio (`aiohttp`, `langgraph`...). None of these, or several, and the library is not known:
a fix that names one is then not safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from async_lint.analysis.inference import Place
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.async_libraries import (
    DEFAULT_LIBRARY,
    LIBRARY_MODULES,
    LOOP_RUNNERS,
    RUNS_ON_ASYNCIO,
    SPELLINGS,
    AsyncLibrary,
    LibraryCall,
)


@dataclass(frozen=True)
class LibraryVerdict:
    """What a module's coroutines run on."""

    library: AsyncLibrary | None
    """The one library it runs on; None when nothing says, or several things disagree."""
    candidates: tuple[AsyncLibrary, ...] = ()
    """What its runners and imports name (several: ambiguous; none: unknown)."""

    @property
    def known(self) -> bool:
        return self.library is not None

    @property
    def spelled(self) -> AsyncLibrary:
        """The library whose names a fix spells: the module's own, else asyncio's (and the fix
        is then not safe)."""
        return self.library or DEFAULT_LIBRARY

    def why_unknown(self) -> str:
        """For messages: `the module uses both asyncio and trio`, `nothing in the module says
        whether it runs on asyncio, trio or anyio`."""
        if self.candidates:
            return f"the module uses both {' and '.join(c.value for c in self.candidates)}"
        names = [library.value for library in AsyncLibrary]
        return f"nothing in the module says whether it runs on {', '.join(names[:-1])} or {names[-1]}"


def module_library(ctx: ModuleWalker) -> LibraryVerdict:
    """The verdict for the module being walked (worked out once per module)."""
    return ctx.facts(_decide)


def library_call(asyncio_name: str, ctx: ModuleWalker) -> LibraryCall:
    """The module's library's spelling of a call the tables name by its asyncio name
    (`trio.to_thread.run_sync` for `asyncio.to_thread` in a trio module); the name itself
    when no library has another."""
    spellings = SPELLINGS.get(asyncio_name)
    if spellings is None:
        return LibraryCall(asyncio_name)
    return spellings[module_library(ctx).spelled]


def in_module_library(text: str, ctx: ModuleWalker) -> str:
    """A message's text with the asyncio calls it names spelled as the module's library spells
    them (unchanged in asyncio modules, and where the library is not known)."""
    library = module_library(ctx).library
    if library is None or library is DEFAULT_LIBRARY:
        return text
    return _ASYNCIO_NAMES.sub(lambda match: SPELLINGS[match.group(0)][library].qualified, text)


_ASYNCIO_NAMES = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(name) for name in sorted(SPELLINGS, key=len, reverse=True)) + r")(?![\w])")
"""The asyncio names a message may spell, whole (`asyncio.run`, not `asyncio.run_coroutine_threadsafe`)."""


def _decide(ctx: ModuleWalker) -> LibraryVerdict:
    started = sorted({LOOP_RUNNERS[name] for name in _runners_called(ctx)}, key=_order)
    if len(started) == 1:
        return LibraryVerdict(started[0], tuple(started))
    imported = sorted(set(_imported_libraries(ctx)), key=_order)
    if not started and len(imported) == 1:
        return LibraryVerdict(imported[0], tuple(imported))
    return LibraryVerdict(None, tuple(sorted(set(started) | set(imported), key=_order)))


def _order(library: AsyncLibrary) -> int:
    return list(AsyncLibrary).index(library)


def _imported_libraries(ctx: ModuleWalker) -> Iterator[AsyncLibrary]:
    for target in ctx.model.imported_targets():
        if target.level:
            continue
        top = target.dotted().split(".", 1)[0]
        if top in LIBRARY_MODULES:
            yield LIBRARY_MODULES[top]
        elif top in RUNS_ON_ASYNCIO:
            yield AsyncLibrary.ASYNCIO


def _runners_called(ctx: ModuleWalker) -> Iterator[str]:
    """The loop runners the module calls: in its sync functions (their calls are in the
    model) and in its module-level statements (`if __name__ == "__main__": trio.run(main)`)."""
    inference = ctx.inference
    for function in ctx.model.functions():
        for site in function.calls:
            name = inference.qualified_name(site.func, Place(ctx.path, function.key))
            if name in LOOP_RUNNERS:
                yield name
    for call in _module_level_calls(ctx.module.body):
        name = ctx.resolve(call.func, ctx.module_frame)
        if name in LOOP_RUNNERS:
            yield name


def _module_level_calls(body: Sequence[cst.BaseStatement]) -> Iterator[cst.Call]:
    """Calls written as module-level statements or values (`trio.run(main)`,
    `result = asyncio.run(main())`), also under `if`/`else` and `try` at module level, and
    their arguments' calls (`sys.exit(anyio.run(main))`)."""
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                value = getattr(small, "value", None)
                if isinstance(value, cst.BaseExpression):
                    yield from _calls_in(value)
        elif isinstance(statement, cst.If):
            yield from _module_level_calls(_block(statement.body))
            orelse = statement.orelse
            while orelse is not None:
                yield from _module_level_calls(_block(orelse.body))
                orelse = orelse.orelse if isinstance(orelse, cst.If) else None
        elif isinstance(statement, cst.Try):
            yield from _module_level_calls(_block(statement.body))


def _block(body: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    if isinstance(body, cst.IndentedBlock):
        return tuple(body.body)
    if isinstance(body, cst.SimpleStatementSuite):
        return (cst.SimpleStatementLine(body=body.body),)
    return ()


def _calls_in(value: cst.BaseExpression) -> Iterator[cst.Call]:
    if isinstance(value, cst.Call):
        yield value
        for arg in value.args:
            yield from _calls_in(arg.value)
    elif isinstance(value, cst.Await):
        yield from _calls_in(value.expression)
