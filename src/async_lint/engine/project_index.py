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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from async_lint import __version__
from async_lint.analysis.module_model import MODEL_FORMAT, ImportTarget, ModuleModel, model_of_source, model_of_tree
from async_lint.analysis.environment import Environment, environment_directories
from async_lint.analysis.project import Project, ProjectLayout, absolute
from async_lint.engine.cache_files import read_json, write_json
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
        if self.project.models.get(path) is model:
            return
        self.project.add_model(path, model)
        for table in (self._digests, self._mention_cache, self._part_cache):
            table.pop(path, None)
        self._dependency_cache.clear()
        self._closure_cache.clear()

    def forget_changed_files(self) -> None:
        """Drop what the index read from module files that have changed on disk since, and
        where modules were found (one may have been added): for a long-lived index, the
        editor's, whose files change under it."""
        changed = [path for path, stamp in self.stamps.items() if current_stamp(path) != stamp]
        for path in changed:
            for table in (self.stamps, self.hashes, self._digests, self._mention_cache, self._part_cache):
                table.pop(path, None)
        self.project.forget(changed)
        self._dependency_cache.clear()
        self._closure_cache.clear()

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
        modules."""
        stamps: dict[str, Stamp] = {}
        for module in self.dependency_closure(path):
            for item in (module, module.parent, *self.project.search_roots(module)):
                key = str(item)
                if key not in stamps:
                    stamps[key] = self.stamps[item] if item in self.stamps else current_stamp(item)
        return stamps

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
