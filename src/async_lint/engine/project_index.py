"""The project index: every module's summary, and the queries that resolve names across them.

Made empty for each run (and once for the editor's life) and filled on demand: a checked file
is summarised from the bytes its check read, a module an import reaches when it is first
looked at (pre-commit passes only the staged files; the modules they import are found all the
same). Each worker process fills its own copy. Summaries are cached by content hash under
`.async_lint_cache/<version>/summaries/`, so a module is summarised once until it changes.

Names are resolved the way Python would, within the project: `from store.pricing import
refresh_rates`, `import store.pricing as p`, relative imports, re-exports through
`__init__.py`, module-level instances (`bot = SupportBot(...)`), `self`/`cls` attributes and
methods, and inheritance within the project. Whatever cannot be followed resolves to None
(callers stay silent); the reason goes to the `async_lint.project` debug log, which the CLI's
`--explain-unresolved` prints.

A module is found by trying, in order, the configured `src` roots, the checked directories
(and the directory each is in, so `check pkg/` resolves `import pkg.x`), `src/`, then each
ancestor directory of the importing file up to the outermost checked directory or the
project root: the first that has the module wins.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import json
import logging
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from async_lint import __version__
from async_lint.analysis.module_summary import (
    SUMMARY_FORMAT,
    ClassSummary,
    FunctionSummary,
    ImportTarget,
    ModuleSummary,
    NameBinding,
    Ref,
    summarise_source,
    summarise_tree,
)
from async_lint.engine.cache_files import read_json, write_json
from async_lint.engine.source_files import Stamp, UnreadableSource, read_source_file

logger = logging.getLogger("async_lint.project")

_BUILTIN_NAMES = frozenset(dir(builtins))
_NEUTRAL_BASES = frozenset(
    {
        "builtins.object",
        "abc.ABC",
        "typing.Generic",
        "typing.Protocol",
        "typing_extensions.Protocol",
        "typing.NamedTuple",
        "typing.TypedDict",
        "typing_extensions.TypedDict",
    }
)
"""External bases that add no methods a rule cares about: a class deriving only from project
classes and these has a fully known set of methods."""
MAX_DEPTH = 12


# --- what a name can stand for ---


@dataclass(frozen=True)
class ModuleSym:
    path: Path
    """A module file, or a directory (a namespace package)."""


@dataclass(frozen=True)
class FunctionSym:
    """A project function or method (`qualname` as in its module: `Agent.run`)."""

    path: Path
    qualname: str


@dataclass(frozen=True)
class ClassSym:
    path: Path
    qualname: str


@dataclass(frozen=True)
class ExternalSym:
    """Something outside the project, by its dotted name (`asyncio.sleep`, `openai.AsyncOpenAI`)."""

    qualified: str


@dataclass(frozen=True)
class InstanceSym:
    """An object made by calling `of`; for an external class, `attrs` are the attributes read
    from it since (`client.chat.completions.create` -> `of` AsyncOpenAI, attrs chat, completions, create)."""

    of: ClassSym | ExternalSym
    attrs: tuple[str, ...] = ()


Symbol = ModuleSym | FunctionSym | ClassSym | ExternalSym | InstanceSym


@dataclass
class IndexStats:
    summarised: int = 0
    """Summaries computed (not found in memory or in the summary cache)."""
    from_cache: int = 0


@dataclass(frozen=True)
class ChainStep:
    """`function` makes the call at `line`/`column` of its file, to `target` (None when it
    cannot be resolved) named `callee` as written."""

    function: FunctionSym
    line: int
    column: int
    callee: str
    target: Symbol | None


@dataclass(frozen=True)
class CallTarget:
    """A call as a reachability predicate sees it."""

    symbol: Symbol | None
    method: str | None
    """The last name of the callee as written (`run_until_complete` for `loop.run_until_complete`)."""
    callee: str

    @property
    def qualified_name(self) -> str | None:
        """For a call outside the project: its dotted name (`time.sleep`), else None."""
        return self.symbol.qualified if isinstance(self.symbol, ExternalSym) else None


class ProjectIndex:
    def __init__(
        self,
        roots: Sequence[Path] = (),
        boundaries: Sequence[Path] = (),
        cache_dir: Path | None = None,
        lazy: bool = True,
    ) -> None:
        self.roots = tuple(_absolute(root) for root in roots)
        self.boundaries = tuple(_absolute(b) for b in boundaries)
        self.cache_dir = cache_dir / __version__ / "summaries" if cache_dir is not None else None
        self.lazy = lazy
        self.summaries: dict[Path, ModuleSummary | None] = {}
        self.hashes: dict[Path, str] = {}
        self.stamps: dict[Path, Stamp] = {}
        """Each module file's stamp as of the read its summary comes from."""
        self.stats = IndexStats()
        self._module_cache: dict[tuple[Path, str], Path | None] = {}
        self._mro_cache: dict[ClassSym, tuple[ClassSym | ExternalSym | None, ...]] = {}
        self._dependency_cache: dict[Path, tuple[str, tuple[Path, ...]]] = {}
        self._digests: dict[Path, str] = {}
        self._reach: dict[Symbol, bool] = {}
        self._mention_cache: dict[Path, frozenset[str]] = {}
        self._part_cache: dict[Path, _PartDigests] = {}
        self._closure_cache: dict[Path, list[Path]] = {}
        self._roots_cache: dict[Path, tuple[Path, ...]] = {}

    # --- building ---

    def add(self, path: Path) -> ModuleSummary | None:
        """Read and summarise a module file (None when it cannot be read)."""
        path = _absolute(path)
        if path in self.summaries:
            return self.summaries[path]
        try:
            data, stamp = read_source_file(path)
        except UnreadableSource:
            self.summaries[path] = None
            return None
        return self.summary_of_source(path, data, stamp)

    def summary_of_source(self, path: Path, data: bytes, stamp: Stamp, tree: ast.Module | None = None) -> ModuleSummary:
        """The summary of `data`, the bytes just read from `path` (which the index then holds
        for `path`): the one in memory or in the cache when the content is the same, else
        made from `tree` when the caller has parsed `data` with `ast` already."""
        path = _absolute(path)
        self.stamps[path] = stamp
        key = _summary_key(data)
        if self.hashes.get(path) == key and self.summaries.get(path) is not None:
            return self.summaries[path]  # type: ignore[return-value]
        summary = self._cached(key)
        if summary is None:
            summary = summarise_tree(tree) if tree is not None else summarise_source(data)
            self.stats.summarised += 1
            self._store(key, summary)
        else:
            self.stats.from_cache += 1
        self.hashes[path] = key
        if path in self.summaries:
            self.set_summary(path, summary)
        else:
            self.summaries[path] = summary
        return summary

    def forget_changed_files(self) -> None:
        """Drop what the index read from module files that have changed on disk since, and
        where modules were found (one may have been added): for a long-lived index, the
        editor's, whose files change under it."""
        changed = [path for path, stamp in self.stamps.items() if current_stamp(path) != stamp]
        for path in changed:
            for table in (self.stamps, self.summaries, self.hashes, self._digests, self._mention_cache, self._part_cache):
                table.pop(path, None)  # type: ignore[attr-defined]
        self._module_cache.clear()
        self._roots_cache.clear()
        self._dependency_cache.clear()
        self._closure_cache.clear()
        self._mro_cache.clear()
        self._reach.clear()

    def set_summary(self, path: Path, summary: ModuleSummary) -> None:
        """Replace what the index knows of `path` (the text being checked differs from the file)."""
        self.summaries[path] = summary
        for table in (self._digests, self._mention_cache, self._part_cache):
            table.pop(path, None)  # type: ignore[attr-defined]
        self._dependency_cache.clear()
        self._closure_cache.clear()
        self._mro_cache.clear()
        self._reach.clear()

    def _cached(self, key: str) -> ModuleSummary | None:
        if self.cache_dir is None:
            return None
        data = read_json(self.cache_dir / key[:2] / f"{key}.json")  # None when damaged, or nested too deeply
        try:
            return ModuleSummary.from_data(data)  # type: ignore[arg-type]
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def _store(self, key: str, summary: ModuleSummary) -> None:
        if self.cache_dir is None:
            return
        write_json(self.cache_dir / key[:2] / f"{key}.json", summary.to_data(), self.cache_dir.parent.parent)

    def summary(self, path: Path) -> ModuleSummary | None:
        """A module file's summary (summarised now if it was not in the index)."""
        if path in self.summaries:
            return self.summaries[path]
        if not self.lazy or path.is_dir():
            return None
        return self.add(path)

    # --- finding modules ---

    def search_roots(self, importing: Path | None) -> tuple[Path, ...]:
        """Where an absolute import in `importing` is looked for, in order."""
        if importing is None:
            return self.roots
        directory = importing.parent
        cached = self._roots_cache.get(directory)
        if cached is not None:
            return cached
        text = str(directory)
        outermost: str | None = None
        for boundary in map(str, self.boundaries):
            inside = text == boundary or text.startswith(boundary.rstrip(os.sep) + os.sep)
            if inside and (outermost is None or len(boundary) < len(outermost)):
                outermost = boundary
        roots = [*self.roots, directory]
        if outermost is not None and text != outermost:
            for ancestor in directory.parents:
                roots.append(ancestor)
                if str(ancestor) == outermost:
                    break
        result = tuple(roots)
        self._roots_cache[directory] = result
        return result

    def module_path(self, dotted: str, importing: Path | None) -> Path | None:
        """The file (or namespace directory) of an absolutely imported module, or None."""
        if not dotted:
            return None
        parts = dotted.split(".")
        for root in self.search_roots(importing):
            found = self._module_in(root, parts)
            if found is not None:
                return found
        return None

    def _module_in(self, root: Path, parts: Sequence[str]) -> Path | None:
        key = (root, ".".join(parts))
        if key in self._module_cache:
            return self._module_cache[key]
        base = root.joinpath(*parts) if parts else root
        found: Path | None = None
        module_file = base.with_name(base.name + ".py") if parts else None
        if module_file is not None and module_file.is_file():
            found = module_file
        elif (base / "__init__.py").is_file():
            found = base / "__init__.py"
        elif parts and base.is_dir():
            found = base
        self._module_cache[key] = found
        return found

    def import_module_path(self, target: ImportTarget, importing: Path) -> Path | None:
        """The module file/directory an import statement's module part names."""
        if target.level == 0:
            return self.module_path(target.module, importing)
        directory = importing.parent
        for _ in range(target.level - 1):
            directory = directory.parent
        if target.module:
            return self._module_in(directory, target.module.split("."))
        init = directory / "__init__.py"
        return init if init.is_file() else directory

    # --- resolving ---

    def resolve_import(self, target: ImportTarget, importing: Path, depth: int = 0) -> Symbol | None:
        module = self.import_module_path(target, importing)
        if module is None:
            if target.level:
                _explain("relative import %s from %s: no such module", target.dotted(), importing)
                return None
            return ExternalSym(target.dotted())
        if target.name is None:
            return ModuleSym(module)
        return self.member(ModuleSym(module), target.name, depth + 1)

    def resolve_ref(self, ref: Ref, path: Path, class_qualname: str | None = None, depth: int = 0) -> Symbol | None:
        """What a summary's `Ref` (written in module `path`, in a method of `class_qualname`)
        stands for."""
        if depth > MAX_DEPTH:
            return None
        symbol: Symbol | None
        if ref.kind == "global":
            symbol = self.module_member(path, ref.name, depth + 1)
        elif ref.kind == "import" and ref.target is not None:
            symbol = self.resolve_import(ref.target, path, depth + 1)
        elif ref.kind == "self":
            symbol = InstanceSym(ClassSym(path, class_qualname)) if class_qualname else None
        elif ref.kind == "call" and ref.inner is not None:
            symbol = self.call_result(self.resolve_ref(ref.inner, path, class_qualname, depth + 1))
        else:
            symbol = None
        for attr in ref.attrs:
            if symbol is None:
                return None
            symbol = self.member(symbol, attr, depth + 1)
        return symbol

    def module_member(self, path: Path, name: str, depth: int = 0) -> Symbol | None:
        """A module-level name of a module file (builtins when the module does not bind it)."""
        summary = self.summary(path)
        if summary is None:
            return None
        binding = summary.names.get(name)
        if binding is None:
            return ExternalSym(f"builtins.{name}") if name in _BUILTIN_NAMES else None
        return self._binding_symbol(binding, path, name, depth)

    def _binding_symbol(self, binding: NameBinding, path: Path, name: str, depth: int) -> Symbol | None:
        if binding.kind == "function":
            return FunctionSym(path, binding.qualname)
        if binding.kind == "class":
            return ClassSym(path, binding.qualname)
        if binding.kind == "import" and binding.target is not None:
            if depth > MAX_DEPTH:
                return None
            return self.resolve_import(binding.target, path, depth + 1)
        if binding.kind == "instance" and binding.ref is not None:
            return self.call_result(self.resolve_ref(binding.ref, path, None, depth + 1))
        _explain("%s: `%s` is bound in ways the index does not follow", path, name)
        return None

    def call_result(self, callee: Symbol | None) -> Symbol | None:
        """What calling `callee` gives, when that is known: an instance of a class."""
        if isinstance(callee, (ClassSym, ExternalSym)):
            return InstanceSym(callee)
        return None

    def member(self, symbol: Symbol, attr: str, depth: int = 0) -> Symbol | None:
        """`symbol.attr`."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(symbol, ExternalSym):
            return ExternalSym(f"{symbol.qualified}.{attr}")
        if isinstance(symbol, ModuleSym):
            path = symbol.path
            if path.is_dir():
                sub = self._module_in(path, [attr])
                return ModuleSym(sub) if sub is not None else None
            summary = self.summary(path)
            if summary is not None and attr in summary.names:
                return self._binding_symbol(summary.names[attr], path, attr, depth)
            if path.name == "__init__.py":
                sub = self._module_in(path.parent, [attr])
                if sub is not None:
                    return ModuleSym(sub)
            _explain("%s has no module-level name `%s`", path, attr)
            return None
        if isinstance(symbol, InstanceSym):
            if isinstance(symbol.of, ExternalSym):
                return InstanceSym(symbol.of, (*symbol.attrs, attr))
            return self._class_member(symbol.of, attr, depth)
        if isinstance(symbol, ClassSym):
            return self._class_member(symbol, attr, depth)
        return None

    def _class_member(self, cls: ClassSym, attr: str, depth: int) -> Symbol | None:
        for base in self.mro(cls):
            if not isinstance(base, ClassSym):
                if base is None or base.qualified not in _NEUTRAL_BASES:
                    _explain(
                        "`%s.%s`: not found before base %s, which is outside the project", cls.qualname, attr, base
                    )
                    return None
                continue
            summary = self.class_summary(base)
            if summary is None:
                return None
            if attr in summary.methods:
                method = FunctionSym(base.path, f"{base.qualname}.{attr}")
                function = self.function(method)
                if function is not None and function.is_property:
                    return None
                return method
            if attr in summary.attributes:
                return self.call_result(self.resolve_ref(summary.attributes[attr], base.path, base.qualname, depth + 1))
        _explain("`%s` has no method or known attribute `%s`", cls.qualname, attr)
        return None

    def mro(self, cls: ClassSym) -> tuple[ClassSym | ExternalSym | None, ...]:
        """The class and its bases, depth first (simple inheritance; enough to find a method
        and to know when a base outside the project might define it)."""
        if cls in self._mro_cache:
            return self._mro_cache[cls]
        self._mro_cache[cls] = (cls,)  # a cycle stops here
        order: list[ClassSym | ExternalSym | None] = [cls]
        summary = self.class_summary(cls)
        if summary is not None:
            for base_ref in summary.bases:
                base = self.resolve_ref(base_ref, cls.path) if base_ref is not None else None
                if isinstance(base, ClassSym):
                    order.extend(b for b in self.mro(base) if b not in order)
                elif isinstance(base, ExternalSym):
                    order.append(base)
                else:
                    order.append(None)
        result = tuple(order)
        self._mro_cache[cls] = result
        return result

    def function(self, symbol: FunctionSym) -> FunctionSummary | None:
        summary = self.summary(symbol.path)
        return summary.functions.get(symbol.qualname) if summary is not None else None

    def class_summary(self, symbol: ClassSym) -> ClassSummary | None:
        summary = self.summary(symbol.path)
        return summary.classes.get(symbol.qualname) if summary is not None else None

    def lookup_method(self, cls: ClassSym, name: str) -> FunctionSym | None:
        symbol = self._class_member(cls, name, 0)
        return symbol if isinstance(symbol, FunctionSym) else None

    def has_only_async_context(self, cls: ClassSym) -> bool:
        """The class (or a project base) defines `__aenter__` and none defines `__enter__`."""
        aenter = self.lookup_method(cls, "__aenter__")
        return (
            aenter is not None
            and self.lookup_method(cls, "__enter__") is None
            and all(
                isinstance(base, ClassSym) or (base is not None and base.qualified in _NEUTRAL_BASES)
                for base in self.mro(cls)
            )
        )

    def may_reach_coroutine(self, symbol: Symbol | None, external: Callable[[Symbol], bool]) -> bool:
        """Whether a coroutine function is `symbol` or among what resolving attributes of it
        can reach (a module's names, a class's methods and attributes, through project bases):
        a project `async def`, or a name outside the project for which `external` (always the
        same predicate for one index) says so. When no import of a file may, the project cannot
        give the file an unawaited call to find. Errs towards True where it cannot tell (a
        namespace package, a package's submodules)."""
        if symbol is None:
            return False
        known = self._reach.get(symbol)
        if known is not None:
            return known
        visited: set[Symbol] = set()
        found = self._reaches(symbol, visited, external)
        if found:
            self._reach[symbol] = True
        else:  # nothing reachable from `symbol` reaches one: the same holds for every node visited
            self._reach.update(dict.fromkeys(visited, False))
        return found

    def _reaches(self, symbol: Symbol, visited: set[Symbol], external: Callable[[Symbol], bool]) -> bool:
        known = self._reach.get(symbol)
        if known is not None:
            return known
        if symbol in visited:
            return False
        visited.add(symbol)
        if isinstance(symbol, FunctionSym):
            return self.is_coroutine_function(symbol)
        if isinstance(symbol, ExternalSym) or (isinstance(symbol, InstanceSym) and isinstance(symbol.of, ExternalSym)):
            return external(symbol)
        if isinstance(symbol, InstanceSym):
            return self._reaches(symbol.of, visited, external)
        if isinstance(symbol, ClassSym):
            return any(
                self._class_reaches(base, visited, external) for base in self.mro(symbol) if isinstance(base, ClassSym)
            )
        if isinstance(symbol, ModuleSym):
            if symbol.path.is_dir() or symbol.path.name == "__init__.py":
                return True  # its submodules are attributes too
            summary = self.summary(symbol.path)
            if summary is None:
                return False
            if any(function.is_coroutine_function for function in summary.functions.values()):
                return True
            return any(
                self._reaches(member, visited, external)
                for name, binding in summary.names.items()
                if binding.kind in ("import", "instance")
                and (member := self._binding_symbol(binding, symbol.path, name, 0)) is not None
            )
        return False

    def _class_reaches(self, cls: ClassSym, visited: set[Symbol], external: Callable[[Symbol], bool]) -> bool:
        summary = self.class_summary(cls)
        if summary is None:
            return False
        if any(self.is_coroutine_function(FunctionSym(cls.path, f"{cls.qualname}.{m}")) for m in summary.methods):
            return True
        return any(
            (member := self.call_result(self.resolve_ref(ref, cls.path, cls.qualname))) is not None
            and self._reaches(member, visited, external)
            for ref in summary.attributes.values()
        )

    def is_coroutine_function(self, symbol: Symbol | None) -> bool:
        if isinstance(symbol, FunctionSym):
            function = self.function(symbol)
            return function is not None and function.is_coroutine_function
        return False

    # --- what a check depends on ---

    def closure_fingerprint(self, path: Path) -> str:
        """A hash of the whole summaries of `path`'s import closure and of how their imports
        resolve: coarser than `dependency_fingerprint`, and cheaper (its parts are computed
        once per module, not per file)."""
        local = sorted(f"{self._dependencies(module)[0]}:{self._digest(module)}" for module in self.dependency_closure(path))
        return hashlib.sha256("".join(local).encode()).hexdigest()[:24]

    def dependency_fingerprint(self, path: Path, words: Iterable[str]) -> str:
        """A hash of what the index can tell a check of `path`, whose text holds the identifiers
        `words`: how the imports of every project module it reaches resolve, and of those
        modules' summaries (functions, classes, module-level names) the parts that a name
        written in `path` or in one of those summaries can reach, and every dunder. A new
        function nobody names, or a comment, changes no other file's fingerprint; a changed
        function that the file, or a module on its way, calls or imports does."""
        path = _absolute(path)
        closure = self.dependency_closure(path)
        mentioned = set(words)
        for module in closure:
            summary = self.summaries.get(module)
            if summary is not None:
                mentioned |= self._mentions(module, summary)
        local = []
        for module in closure:
            resolution = self._dependencies(module)[0]
            local.append(f"{resolution}:{self._digest(module) if module == path else self._part_digest(module, mentioned)}")
        return hashlib.sha256("".join(sorted(local)).encode()).hexdigest()[:24]

    def _mentions(self, module: Path, summary: ModuleSummary) -> frozenset[str]:
        if module not in self._mention_cache:
            self._mention_cache[module] = summary.mentions()
        return self._mention_cache[module]

    def _part_digest(self, module: Path, mentioned: set[str]) -> str:
        """A hash of the parts of `module`'s summary that a name in `mentioned` can reach."""
        summary = self.summaries.get(module)
        if summary is None:
            return "dir" if module.is_dir() else ""
        if module not in self._part_cache:
            self._part_cache[module] = _PartDigests(summary)
        return self._part_cache[module].reached_by(mentioned)

    def dependency_closure(self, path: Path) -> list[Path]:
        """`path` and every project module (file or namespace directory) it reaches through imports."""
        path = _absolute(path)
        if path in self._closure_cache:
            return self._closure_cache[path]
        closure = {path: None}
        queue = deque([path])
        while queue:
            for dependency in self._dependencies(queue.popleft())[1]:
                if dependency not in closure:
                    closure[dependency] = None
                    queue.append(dependency)
        self._closure_cache[path] = list(closure)
        return self._closure_cache[path]

    def dependency_stamps(self, path: Path) -> dict[str, Stamp]:
        """The files and directories whose stamps, unchanged, show that a check of `path`
        would find what it found: its module closure (each file as of the read its summary
        came from), and the directories its imports were looked for in. A module added there
        may change what an import resolves to, and a directory's mtime changes when an entry
        is added, removed or renamed: that is how Python's own import system notices new
        modules."""
        stamps: dict[str, Stamp] = {}
        for module in self.dependency_closure(path):
            for item in (module, module.parent, *self.search_roots(module)):
                key = str(item)
                if key not in stamps:
                    stamps[key] = self.stamps[item] if item in self.stamps else current_stamp(item)
        return stamps

    def _dependencies(self, module: Path) -> tuple[str, tuple[Path, ...]]:
        """(A short hash of how this module's imports resolve, the project modules it imports),
        computed once per module."""
        if module in self._dependency_cache:
            return self._dependency_cache[module]
        summary = self.summary(module) if not module.is_dir() else None
        parts = [str(module)]
        imported: list[Path] = []
        if summary is not None:
            for target in sorted(set(summary.imported_targets()), key=ImportTarget.dotted):
                for resolved in self._import_files(target, module):
                    parts.append(f"{target.dotted()}->{resolved}")
                    if resolved is not None and resolved != module:
                        imported.append(resolved)
        local = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
        result = (local, tuple(dict.fromkeys(imported)))
        self._dependency_cache[module] = result
        return result

    def _digest(self, module: Path) -> str:
        """A hash of a module's summary ("dir" for a namespace directory, "" when unreadable)."""
        summary = self.summaries.get(module)
        if summary is None:
            return "dir" if module.is_dir() else ""
        if module not in self._digests:
            data = json.dumps(summary.to_data(), separators=(",", ":")).encode()
            self._digests[module] = hashlib.sha256(data).hexdigest()[:24]
        return self._digests[module]

    def _import_files(self, target: ImportTarget, importing: Path) -> list[Path | None]:
        module = self.import_module_path(target, importing)
        files: list[Path | None] = [module]
        if module is not None and target.name is not None:
            directory = module if module.is_dir() else module.parent if module.name == "__init__.py" else None
            if directory is not None:
                files.append(self._module_in(directory, [target.name]))
        return files

    # --- call chains (for ASL202 / ASL305) ---

    def call_chain(
        self,
        start: FunctionSym,
        matches: Callable[[CallTarget], bool],
        max_depth: int = MAX_DEPTH,
    ) -> list[ChainStep] | None:
        """The shortest chain of calls by which the sync function `start` reaches a call for
        which `matches` is true, through sync project functions, methods (`self.m()`, methods
        of module-level instances) and class instantiation (`Agent()` runs `Agent.__init__`).
        Coroutine functions are not entered: calling one from sync code runs nothing."""
        visited = {start}
        queue: deque[tuple[FunctionSym, tuple[ChainStep, ...]]] = deque([(start, ())])
        while queue:
            function_sym, chain = queue.popleft()
            function = self.function(function_sym)
            if function is None or function.is_async or len(chain) >= max_depth:
                continue
            for site in function.calls:
                target = (
                    self.resolve_ref(site.ref, function_sym.path, function.class_qualname)
                    if site.ref is not None
                    else None
                )
                callee = site.ref.display() if site.ref is not None else (site.method or "?")
                step = ChainStep(function_sym, site.line, site.column, callee, target)
                if matches(CallTarget(target, site.method, callee)):
                    return [*chain, step]
                following = target
                if isinstance(target, ClassSym):
                    following = self.lookup_method(target, "__init__")
                if isinstance(following, FunctionSym) and following not in visited:
                    visited.add(following)
                    queue.append((following, (*chain, step)))
        return None

    def display(self, symbol: Symbol | None) -> str:
        if isinstance(symbol, (FunctionSym, ClassSym)):
            return symbol.qualname
        if isinstance(symbol, ExternalSym):
            return symbol.qualified
        if isinstance(symbol, InstanceSym):
            return ".".join((f"{self.display(symbol.of)}()", *symbol.attrs))
        if isinstance(symbol, ModuleSym):
            return str(symbol.path)
        return "?"


class _PartDigests:
    """A module summary's parts (`ModuleSummary.parts`), each hashed once, found by name."""

    def __init__(self, summary: ModuleSummary) -> None:
        self.by_name: dict[str, list[int]] = {}
        self.digests: list[str] = []
        always: list[int] = []
        for number, (key, names, data) in enumerate(summary.parts()):
            self.digests.append(hashlib.sha256(f"{key}={json.dumps(data, separators=(',', ':'))}".encode()).hexdigest()[:16])
            for name in names:
                self.by_name.setdefault(name, []).append(number)
            if any(name.startswith("__") for name in names):
                always.append(number)  # dunders are looked up unasked (`__init__`, `__aenter__`)
        self.always = frozenset(always)

    def reached_by(self, mentioned: set[str]) -> str:
        reached = set(self.always)
        for name in mentioned.intersection(self.by_name):
            reached.update(self.by_name[name])
        return hashlib.sha256("".join(self.digests[number] for number in sorted(reached)).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class ProjectLayout:
    """Where a run's modules live: roots to resolve imports from, and the directories whose
    ancestors may be searched (the checked directories and the project root)."""

    roots: tuple[Path, ...]
    boundaries: tuple[Path, ...]


def project_layout(project_root: Path, src: Iterable[str], checked: Iterable[Path]) -> ProjectLayout:
    project_root = _absolute(project_root)
    src_dirs = tuple(_absolute(project_root / s) for s in src)
    checked_dirs = [_absolute(p) for p in checked if p.is_dir()]
    roots: list[Path] = [*src_dirs]
    for directory in checked_dirs:
        roots.append(directory)
        roots.append(directory.parent)
    roots.append(project_root / "src")
    unique = tuple(dict.fromkeys(roots))
    boundaries = tuple(dict.fromkeys([project_root, *checked_dirs]))
    return ProjectLayout(unique, boundaries)


def _summary_key(data: bytes) -> str:
    return hashlib.sha256(f"{__version__}:{SUMMARY_FORMAT}\0".encode() + data).hexdigest()


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def current_stamp(path: Path | str) -> Stamp:
    """(size, mtime) of a file; (-1, mtime) of a directory; (-2, 0) when there is nothing."""
    try:
        status = os.stat(path)
    except OSError:
        return (-2, 0)
    return (-1 if stat.S_ISDIR(status.st_mode) else status.st_size, status.st_mtime_ns)


def _explain(message: str, *args: object) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("unresolved: " + message, *args)
