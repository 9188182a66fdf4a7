"""The project index: every module's model, kept for a run (and for the editor's life), and
what a check depends on (the fingerprints and stamps of its import closure).

Made empty for each run and filled on demand: a checked file is modelled from the bytes its
check read, a module an import reaches when it is first looked at (pre-commit passes only the
staged files; the modules they import are found all the same). Each worker process fills its
own copy. Models are cached by content hash under `.async_lint_cache/<version>/summaries/`, so
a module is modelled once until it changes.

What names mean across modules is the analysis's business (`analysis.project.Project`, which
this index feeds, and `analysis.inference`); the index owns reading, caching and fingerprints.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import stat
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from async_lint import __version__
from async_lint.analysis.module_model import MODEL_FORMAT, ImportTarget, ModuleModel, model_of_source, model_of_tree
from async_lint.analysis.environment import Environment, environment_directories
from async_lint.analysis.project import Project, ProjectLayout, absolute
from async_lint.engine.cache_files import read_json, write_json
from async_lint.engine.run_settings import GraphNode
from async_lint.engine.source_files import Stamp, UnreadableSource, read_source_file


@dataclass
class IndexStats:
    summarised: int = 0
    """Models computed (not found in memory or in the summary cache)."""
    from_cache: int = 0


class ProjectIndex:
    def __init__(
        self,
        layout: ProjectLayout = ProjectLayout(),
        cache_dir: Path | None = None,
        lazy: bool = True,
        environment: Sequence[Path] = (),
        environment_cache: Path | None = None,
    ) -> None:
        """`environment`: the directories of installed packages to read where the knowledge
        tables are silent (their models cached under `environment_cache`, shared by every
        project); none: only the tables answer."""
        self.layout = layout
        self.cache_dir = cache_dir / __version__ / "summaries" if cache_dir is not None else None
        self.lazy = lazy
        self.project = Project(layout, self.add if lazy else None)
        self.environment_index: ProjectIndex | None = None
        """The installed packages' models (None: the environment is not read)."""
        if environment:
            self.environment_index = ProjectIndex(ProjectLayout(tuple(environment), tuple(environment)), environment_cache)
            self.project.environment = Environment(self.environment_index.project)
        self.hashes: dict[Path, str] = {}
        self.stamps: dict[Path, Stamp] = {}
        """Each module file's stamp as of the read its model comes from."""
        self.stats = IndexStats()
        self._dependency_cache: dict[Path, tuple[str, tuple[Path, ...]]] = {}
        self._digests: dict[Path, str] = {}
        self._mention_cache: dict[Path, frozenset[str]] = {}
        self._part_cache: dict[Path, _PartDigests] = {}
        self._closure_cache: dict[Path, list[Path]] = {}
        self._component_of: dict[Path, int] = {}
        self._components: list[tuple[tuple[Path, ...], tuple[int, ...]]] = []
        """Each component's modules and the components they import."""
        self._fingerprints: list[str] = []
        self._other_stamps: dict[Path, Stamp] = {}
        """Directories' stamps (and files' whose model was not read), taken once per run."""
        self._sent_nodes: set[Path] = set()
        self._sent_stamps: set[str] = set()
        """The modules and stamps `dependency_graph` has given (see there)."""

    @classmethod
    def for_run(cls, layout: ProjectLayout, cache_dir: Path | None) -> ProjectIndex:
        """The index a check of a project uses: its models cached under `cache_dir` (None: not
        cached), and the installed packages read where the knowledge tables are silent, their
        models cached in the user's cache directory (shared by every project)."""
        shared = user_cache_dir() / "environment" if cache_dir is not None else None
        return cls(layout, cache_dir, environment=environment_directories(), environment_cache=shared)

    @property
    def roots(self) -> tuple[Path, ...]:
        return self.project.roots

    @property
    def boundaries(self) -> tuple[Path, ...]:
        return self.project.boundaries

    @property
    def models(self) -> dict[Path, ModuleModel | None]:
        return self.project.models

    # --- building ---

    def add(self, path: Path) -> ModuleModel | None:
        """Read and model a module file (None when it cannot be read)."""
        path = absolute(path)
        if path in self.project.models:
            return self.project.models[path]
        try:
            data, stamp = read_source_file(path)
        except UnreadableSource:
            self.project.add_model(path, None)
            return None
        return self.summary_of_source(path, data, stamp)

    def summary_of_source(self, path: Path, data: bytes, stamp: Stamp, tree: ast.Module | None = None) -> ModuleModel:
        """The model of `data`, the bytes just read from `path` (which the index then holds
        for `path`): the one in memory or in the cache when the content is the same, else
        made from `tree` when the caller has parsed `data` with `ast` already."""
        path = absolute(path)
        self.stamps[path] = stamp
        key = _summary_key(data)
        known = self.project.models.get(path)
        if self.hashes.get(path) == key and known is not None:
            return known
        model = self._cached(key)
        if model is None:
            model = model_of_tree(tree) if tree is not None else model_of_source(data)
            self.stats.summarised += 1
            self._store(key, model)
        else:
            self.stats.from_cache += 1
        self.hashes[path] = key
        self.set_model(path, model)
        return model

    def set_model(self, path: Path, model: ModuleModel) -> None:
        """Replace what the index knows of `path` (the text being checked differs from the file)."""
        known = self.project.models.get(path, False)
        if known is model:
            return
        self.project.add_model(path, model)
        for table in (self._digests, self._mention_cache, self._part_cache):
            table.pop(path, None)
        if known is not False or path in self._dependency_cache:
            # A model replaced (not one read for the first time, which no import's resolution
            # or closure can have depended on yet): what was built on the old one goes.
            self._forget_graph()

    def forget_changed_files(self) -> None:
        """Drop what the index read from module files that have changed on disk since, and
        where modules were found (one may have been added): for a long-lived index, the
        editor's, whose files change under it."""
        changed = [path for path, stamp in self.stamps.items() if current_stamp(path) != stamp]
        self._other_stamps.clear()
        for path in changed:
            for table in (self.stamps, self.hashes, self._digests, self._mention_cache, self._part_cache):
                table.pop(path, None)
        self.project.forget(changed)
        self._forget_graph()

    def _forget_graph(self) -> None:
        self._dependency_cache.clear()
        self._closure_cache.clear()
        self._component_of.clear()
        self._components.clear()
        self._fingerprints.clear()

    def _cached(self, key: str) -> ModuleModel | None:
        if self.cache_dir is None:
            return None
        data = read_json(self.cache_dir / key[:2] / f"{key}.json")  # None when damaged, or nested too deeply
        try:
            return ModuleModel.from_data(data)  # type: ignore[arg-type]
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    def _store(self, key: str, model: ModuleModel) -> None:
        if self.cache_dir is None:
            return
        write_json(self.cache_dir / key[:2] / f"{key}.json", model.to_data(), self.cache_dir.parent.parent)

    def model(self, path: Path) -> ModuleModel | None:
        """A module file's model (read now if it was not in the index)."""
        return self.project.model(path)

    # --- what a check depends on ---

    def closure_fingerprint(self, path: Path) -> str:
        """A hash of the whole models of `path`'s import closure and of how their imports
        resolve: coarser than `dependency_fingerprint`, and cheaper. It is a hash tree over the
        import graph's strongly connected components (each component's modules, then the
        fingerprints of the components it imports), each computed once per run: a module's is
        the same for every file that imports it, and no file pays for its whole closure."""
        path = absolute(path)
        return self._fingerprints[self._component(path)]

    def _component(self, path: Path) -> int:
        """The strongly connected component of the import graph that `path` is in (Tarjan's
        algorithm, iteratively, from `path`; components found before are complete already)."""
        known = self._component_of.get(path)
        if known is not None:
            return known
        index: dict[Path, int] = {}
        low: dict[Path, int] = {}
        stack: list[Path] = []
        on_stack: set[Path] = set()
        work: list[tuple[Path, Iterator[Path]]] = [(path, iter(self._dependencies(path)[1]))]
        index[path] = low[path] = 0
        stack.append(path)
        on_stack.add(path)
        while work:
            module, edges = work[-1]
            for dependency in edges:
                if dependency in self._component_of:
                    continue  # a finished component
                if dependency not in index:
                    index[dependency] = low[dependency] = len(index)
                    stack.append(dependency)
                    on_stack.add(dependency)
                    work.append((dependency, iter(self._dependencies(dependency)[1])))
                    break
                if dependency in on_stack:
                    low[module] = min(low[module], index[dependency])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    members: list[Path] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == module:
                            break
                    self._finish_component(members)
        return self._component_of[path]

    def _finish_component(self, members: list[Path]) -> None:
        number = len(self._components)
        for member in members:
            self._component_of[member] = number
        successors = sorted(
            {
                self._component_of[dependency]
                for member in members
                for dependency in self._dependencies(member)[1]
                if self._component_of[dependency] != number
            }
        )
        self._components.append((tuple(members), tuple(successors)))
        local = sorted(f"{self._dependencies(member)[0]}:{self._digest(member)}" for member in members)
        imported = sorted(self._fingerprints[successor] for successor in successors)
        text = "".join(local) + "|" + "".join(imported)
        self._fingerprints.append(hashlib.sha256(text.encode()).hexdigest()[:24])

    def dependency_fingerprint(self, path: Path, words: Iterable[str]) -> str:
        """A hash of what the index can tell a check of `path`, whose text holds the identifiers
        `words`: how the imports of every project module it reaches resolve, and of those
        modules' summaries (functions, classes, module-level names) the parts that a name
        written in `path` or in one of those summaries can reach, and every dunder. A new
        function nobody names, or a comment, changes no other file's fingerprint; a changed
        function that the file, or a module on its way, calls or imports does."""
        path = absolute(path)
        closure = self.dependency_closure(path)
        mentioned = set(words)
        for module in closure:
            model = self.project.models.get(module)
            if model is not None:
                mentioned |= self._mentions(module, model)
        local = []
        for module in closure:
            resolution = self._dependencies(module)[0]
            local.append(f"{resolution}:{self._digest(module) if module == path else self._part_digest(module, mentioned)}")
        return hashlib.sha256("".join(sorted(local)).encode()).hexdigest()[:24]

    def _mentions(self, module: Path, model: ModuleModel) -> frozenset[str]:
        if module not in self._mention_cache:
            self._mention_cache[module] = model.mentions()
        return self._mention_cache[module]

    def _part_digest(self, module: Path, mentioned: set[str]) -> str:
        """A hash of the parts of `module`'s model that a name in `mentioned` can reach."""
        model = self.project.models.get(module)
        if model is None:
            return "dir" if module.is_dir() else ""
        if module not in self._part_cache:
            self._part_cache[module] = _PartDigests(model)
        return self._part_cache[module].reached_by(mentioned)

    def dependency_closure(self, path: Path) -> list[Path]:
        """`path` and every project module (file or namespace directory) it reaches through imports."""
        path = absolute(path)
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
        modules. (The run record keeps these as a graph: `dependency_graph`.)"""
        stamps: dict[str, Stamp] = {}
        for module in self.dependency_closure(path):
            for item in self._stamp_paths(module):
                key = str(item)
                if key not in stamps:
                    stamps[key] = self._stamp(item)
        return stamps

    def dependency_graph(self, path: Path) -> tuple[dict[str, Stamp], dict[str, GraphNode]]:
        """What the run record needs to know when a check of `path` can be trusted again:
        the nodes of the import graph reachable from `path` (a module: the paths whose stamps
        it depends on itself, the modules it imports) and those paths' stamps, leaving out
        the nodes given before by this index (everything they reach was given with them): over
        a run each module is given once per process,
        however many files import it: the record's size grows with the graph, not with the
        files times their closures (`dependency_stamps`)."""
        path = absolute(path)
        stamps: dict[str, Stamp] = {}
        nodes: dict[str, GraphNode] = {}
        sent = self._sent_nodes
        if path in sent:
            return stamps, nodes
        sent.add(path)
        queue = deque([path])
        while queue:
            module = queue.popleft()
            own = tuple(str(item) for item in self._stamp_paths(module))
            imported = self._dependencies(module)[1]
            nodes[str(module)] = (own, tuple(map(str, imported)))
            for item, key in zip(self._stamp_paths(module), own):
                if key not in self._sent_stamps:
                    self._sent_stamps.add(key)
                    stamps[key] = self._stamp(item)
            for dependency in imported:
                if dependency not in sent:
                    sent.add(dependency)
                    queue.append(dependency)
        return stamps, nodes

    def _stamp_paths(self, module: Path) -> tuple[Path, ...]:
        """A module's file, its directory and the directories its absolute imports are looked
        for in (once each, in order)."""
        return tuple(dict.fromkeys((module, module.parent, *self.project.search_roots(module))))

    def _stamp(self, item: Path) -> Stamp:
        """A module file's stamp as of the read its model came from; a directory's (or a
        file's that no model was read from), once per run."""
        known = self.stamps.get(item)
        if known is not None:
            return known
        if item not in self._other_stamps:
            self._other_stamps[item] = current_stamp(item)
        return self._other_stamps[item]

    def _dependencies(self, module: Path) -> tuple[str, tuple[Path, ...]]:
        """(A short hash of how this module's imports resolve, the project modules it imports),
        computed once per module."""
        if module in self._dependency_cache:
            return self._dependency_cache[module]
        model = self.model(module) if not module.is_dir() else None
        parts = [str(module)]
        imported: list[Path] = []
        if model is not None:
            for target in sorted(set(model.imported_targets()), key=ImportTarget.dotted):
                for resolved in self.project.import_files(target, module):
                    parts.append(f"{target.dotted()}->{resolved}")
                    if resolved is not None and resolved != module:
                        imported.append(resolved)
        local = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
        result = (local, tuple(dict.fromkeys(imported)))
        self._dependency_cache[module] = result
        return result

    def _digest(self, module: Path) -> str:
        """A hash of a module's model ("dir" for a namespace directory, "" when unreadable)."""
        model = self.project.models.get(module)
        if model is None:
            return "dir" if module.is_dir() else ""
        if module not in self._digests:
            data = json.dumps(model.to_data(), separators=(",", ":")).encode()
            self._digests[module] = hashlib.sha256(data).hexdigest()[:24]
        return self._digests[module]


class _PartDigests:
    """A module model's parts (`ModuleModel.parts`), each hashed once, found by name."""

    def __init__(self, summary: ModuleModel) -> None:
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


def user_cache_dir() -> Path:
    """Where async-lint keeps what is shared by every project (`$XDG_CACHE_HOME/async-lint`)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "async-lint"


def _summary_key(data: bytes) -> str:
    return hashlib.sha256(f"{__version__}:{MODEL_FORMAT}\0".encode() + data).hexdigest()


def current_stamp(path: Path | str) -> Stamp:
    """(size, mtime) of a file; (-1, mtime) of a directory; (-2, 0) when there is nothing."""
    try:
        status = os.stat(path)
    except OSError:
        return (-2, 0)
    return (-1 if stat.S_ISDIR(status.st_mode) else status.st_size, status.st_mtime_ns)
