"""The project index: every module's model, kept for a run (and for the editor's life), and
each module's node of the import graph (`node`: what the run record and the result cache's keys
are made of).

Made empty for each run and filled on demand: a checked file is modelled from the bytes its
check read, a module an import reaches when it is first looked at (pre-commit passes only the
staged files; the modules they import are found all the same). Each worker process fills its
own copy. Models are cached by content hash under `.async_lint_cache/<version>/summaries/`, so
a module is modelled once until it changes.

The models' module is imported when a model is first needed: a run the record answers whole
neither builds nor reads one.

What names mean across modules is the analysis's business (`analysis.project.Project`, which
this index feeds, and `analysis.inference`); the index owns reading, caching and fingerprints.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from async_lint import __version__
from async_lint.analysis.distributions import environment_directories
from async_lint.analysis.project import Project, ProjectLayout, absolute
from async_lint.engine.cache_files import json_payload, read_entry, read_json, write_entry, write_json
from async_lint.engine.dependency_graph import Node
from async_lint.engine.source_files import Stamp, UnreadableSource, read_source_file

if TYPE_CHECKING:
    from async_lint.analysis.environment import Environment
    from async_lint.analysis.module_model import ModuleModel


_MENTIONS_SUFFIX = ".mentions.json"
"""Beside each cached model: the names it mentions."""


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
            self.project.environment_factory = self._environment
        self.hashes: dict[Path, str] = {}
        self._interfaces: dict[str, str] = {}
        """A model's content key -> the hash of its model (`Node.interface`)."""
        self._unusable: set[str] = set()
        """Summary-cache entries found damaged or not a model: written again, never trusted."""
        self.stamps: dict[Path, Stamp] = {}
        """Each module file's stamp as of the read its model comes from."""
        self.stats = IndexStats()
        self._dependency_cache: dict[Path, tuple[str, tuple[Path, ...]]] = {}
        self._other_stamps: dict[Path, Stamp] = {}
        """Directories' stamps (and files' whose model was not read), taken once per run."""

    def _environment(self) -> Environment:
        from async_lint.analysis.environment import Environment

        assert self.environment_index is not None
        return Environment(self.environment_index.project)

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
        key = content_key(data)
        known = self.project.models.get(path)
        if self.hashes.get(path) == key and known is not None:
            return known
        model = self._cached(key)
        if model is None:
            from async_lint.analysis.module_model import model_of_source, model_of_tree

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
            for table in (self.stamps, self.hashes):
                table.pop(path, None)
        self.project.forget(changed)
        self._forget_graph()

    def _forget_graph(self) -> None:
        self._dependency_cache.clear()

    def cached_model(self, key: str) -> ModuleModel | None:
        """The model cached under a content key (`Node.content`), if it is still there."""
        return self._cached(key)

    def cached_mentions(self, key: str) -> frozenset[str] | None:
        """The names the model cached under `key` mentions (`ModuleModel.mentions`), kept
        beside it once asked for, so that the run record can ask a hundred importers after an
        edit without reading their models (a first run writes none: most are never asked)."""
        if self.cache_dir is None:
            return None
        names = read_json(self._entry(key, _MENTIONS_SUFFIX))
        if isinstance(names, list) and all(isinstance(name, str) for name in names):
            return frozenset(names)
        model = self._cached(key)
        if model is None:
            return None
        mentions = model.mentions()
        write_json(self._entry(key, _MENTIONS_SUFFIX), sorted(mentions), self.cache_dir.parent.parent)
        return mentions

    def _entry(self, key: str, suffix: str = ".json") -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / key[:2] / f"{key}{suffix}"

    def _cached(self, key: str) -> ModuleModel | None:
        if self.cache_dir is None:
            return None
        entry = self._entry(key)
        payload = read_entry(entry)  # None when damaged
        if payload is None:
            if entry.exists():
                self._unusable.add(key)
            return None
        from async_lint.analysis.module_model import ModuleModel

        try:
            model = ModuleModel.from_data(json.loads(payload))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
            self._unusable.add(key)
            return None
        self._interfaces[key] = _digest(payload)
        return model

    def _store(self, key: str, model: ModuleModel) -> None:
        """Put a model just made in the summary cache, unless another process (a worker
        beside this one) has put it there meanwhile: the same bytes make the same model.
        The names it mentions are written beside it only when a run asks for them."""
        if self.cache_dir is None:
            return
        entry = self._entry(key)
        payload = read_entry(entry) if key not in self._unusable else None
        if payload is None:
            payload = json_payload(model.to_data())
            write_entry(entry, payload, self.cache_dir.parent.parent)
        self._interfaces[key] = _digest(payload)

    def _interface(self, path: Path, model: ModuleModel) -> str:
        """The hash of a module's model (`Node.interface`): of its JSON, as the summary cache
        keeps it (hashed when it was written or read)."""
        key = self.hashes.get(path)
        found = self._interfaces.get(key) if key is not None else None
        if found is None:
            found = _digest(json_payload(model.to_data()))
            if key is not None:
                self._interfaces[key] = found
        return found

    def model(self, path: Path) -> ModuleModel | None:
        """A module file's model (read now if it was not in the index)."""
        return self.project.model(path)

    # --- what a check depends on ---

    def node(self, path: Path) -> tuple[Node, dict[str, Stamp]]:
        """What the run record and the result cache's keys need of one module (read now if it
        was not): its node of the import graph (`engine/dependency_graph.py`), the stamps of
        the paths the node depends on itself (a file's as of the read its model came from).
        Made from the module alone: no check pays for its import closure."""
        path = absolute(path)
        model = self.model(path) if not path.is_dir() else None
        resolution, imported = self._dependencies(path)
        own = self._stamp_paths(path)
        content = self.hashes.get(path, "") if model is not None else ""
        interface = self._interface(path, model) if model is not None else ""
        node = Node(tuple(map(str, own)), tuple(map(str, imported)), resolution, content, interface)
        stamps = {str(item): self._stamp(item) for item in own}
        return node, stamps

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
            for target in sorted(set(model.imported_targets()), key=lambda target: target.dotted()):
                for resolved in self.project.import_files(target, module):
                    parts.append(f"{target.dotted()}->{resolved}")
                    if resolved is not None and resolved != module:
                        imported.append(resolved)
        local = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
        result = (local, tuple(dict.fromkeys(imported)))
        self._dependency_cache[module] = result
        return result


def user_cache_dir() -> Path:
    """Where async-lint keeps what is shared by every project (`$XDG_CACHE_HOME/async-lint`)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "async-lint"


def _digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:32]


def content_key(data: bytes) -> str:
    """What a module's bytes are known by: the summary cache's key of its model."""
    from async_lint.analysis.module_model import MODEL_FORMAT

    return hashlib.sha256(f"{__version__}:{MODEL_FORMAT}\0".encode() + data).hexdigest()


def current_stamp(path: Path | str) -> Stamp:
    """(size, mtime) of a file; (-1, mtime) of a directory; (-2, 0) when there is nothing."""
    try:
        status = os.stat(path)
    except OSError:
        return (-2, 0)
    return (-1 if stat.S_ISDIR(status.st_mode) else status.st_size, status.st_mtime_ns)
