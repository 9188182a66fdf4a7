"""The project as one file's check sees it: the file's own model (of the text being checked,
which may be unsaved or `--fix`ed text), installed in the project so that every other module's
model sees the same, and the questions the engine asks before walking the file."""

from __future__ import annotations

import os
from pathlib import Path

from async_lint.analysis.module_model import ModuleModel, model_of_source
from async_lint.analysis.project import Project
from async_lint.analysis.types import ExternalName, FunctionType, Instance, ModuleType, Type, UnionType
from async_lint.knowledge.coroutines import ASYNC_CLIENTS, COROUTINE_FUNCTIONS

_COROUTINE_MAKERS = (*COROUTINE_FUNCTIONS, *ASYNC_CLIENTS)
_REACHES_COROUTINE = "modules-reaching-a-coroutine"
"""`Project.shared` key: whether a module may lead to a coroutine function, by path."""


class ProjectView:
    def __init__(self, project: Project, path: Path, text: str, model: ModuleModel | None = None) -> None:
        """`model` is `text`'s, when the caller has it already."""
        self.project = project
        self.path = path
        self._text = text
        self._current = model
        if model is not None:
            self._install(model)

    @property
    def current(self) -> ModuleModel:
        """This file's own model (of the text being checked)."""
        if self._current is None:
            self._current = model_of_source(self._text)
            self._install(self._current)
        return self._current

    def _install(self, model: ModuleModel) -> None:
        known = self.project.models.get(self.path)
        if known is not model and known != model:
            self.project.set_model(self.path, model)  # replacing one clears the memos: only on a real change

    def imports_project_coroutine(self) -> bool:
        """Whether something this file imports may lead to a project coroutine function (so
        a call here may create a coroutine whose name this file need not spell as `async`)."""
        inference = self.project.inference
        known = self.project.shared(_REACHES_COROUTINE, dict[Path, bool])
        for target in set(self.current.imported_targets()):
            search = _CoroutineSearch(self.project, known)
            if search.reaches(inference.resolve_import(target, self.path)):
                return True
            # Nothing the search saw leads to a coroutine function: whatever each module
            # reaches, the search went there too. Remembered for the other files' checks.
            known.update(dict.fromkeys(search.visited, False))
        return False

    def is_entry_point(self, function_name: str) -> bool:
        """A module-level sync function called only from the `__main__` block."""
        return function_name in self.current.entry_points


PACKAGE_SCAN_LIMIT = 300
"""Modules one search may look at inside packages before it answers "may reach" without
looking further: a check of two files that `import company` does not model a 10,000-module
tree to find out."""
SEARCH_DEPTH_LIMIT = 100
"""Imports followed one inside another before a search answers "may reach": far deeper than
real import chains, far below what the calling thread's stack holds."""


class _CoroutineSearch:
    """One search, from one imported name, for a coroutine function it may lead to: a project
    `async def`, or a known coroutine function or async client outside the project, among
    what resolving attributes of it can reach (a module's names, through imports; a package's
    submodules)."""

    def __init__(self, project: Project, known: dict[Path, bool]) -> None:
        self.project = project
        self.inference = project.inference
        self.known = known
        """What earlier searches found, by module (shared by every file's check of the run)."""
        self.visited: set[Path] = set()
        self.scanned = 0
        self.packages: set[str] = set()
        """The real paths of the package directories searched (a symlink back into one is not
        searched twice)."""
        self.depth = 0

    def reaches(self, found: Type | None) -> bool:
        if found is None:
            return False
        if isinstance(found, UnionType):
            return any(self.reaches(member) for member in found.members)
        if isinstance(found, Instance):
            found = found.of if isinstance(found.of, ExternalName) else ModuleType(found.of.path)
        if isinstance(found, ExternalName):
            prefix = found.qualified + "."
            return any(name == found.qualified or name.startswith(prefix) for name in _COROUTINE_MAKERS)
        path = found.path if isinstance(found, (ModuleType, FunctionType)) else getattr(found, "path", None)
        if path is None:
            return False
        if path in self.known:
            return self.known[path]
        if path in self.visited:
            return False
        self.visited.add(path)
        if self.depth >= SEARCH_DEPTH_LIMIT:
            return True  # cannot tell in reason: assume it may
        self.depth += 1
        try:
            reached = self._module(path)
        finally:
            self.depth -= 1
        if reached:
            self.known[path] = True
        return reached

    def _module(self, path: Path) -> bool:
        if self.project.is_directory(path):
            return self._package(path)  # a namespace package
        model = self.project.model(path)
        if model is None:
            return False
        if any(function.is_async for function in model.functions()):
            return True
        for bindings in model.names.values():
            for binding in bindings:
                if binding.target is not None and self.reaches(self.inference.resolve_import(binding.target, path)):
                    return True
        return path.name == "__init__.py" and self._package(path.parent)

    def _package(self, directory: Path) -> bool:
        """A package's submodules and subpackages are its attributes too (`pkg.sub.fetch()`
        once something imported `pkg.sub`): whether any of them may lead to one."""
        try:
            real = os.path.realpath(directory)
            if real in self.packages:
                return False  # searched already, under another name (a symlink)
            self.packages.add(real)
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            return True  # cannot tell
        for entry in entries:
            name = entry.name
            try:
                if name.endswith(".py"):
                    if name == "__init__.py" or not name[:-3].isidentifier():
                        continue
                    module = Path(entry.path)
                elif name.isidentifier() and name != "__pycache__" and entry.is_dir():
                    init = Path(entry.path, "__init__.py")
                    module = init if init.is_file() else Path(entry.path)
                else:
                    continue
            except OSError:
                return True  # cannot tell (a symlink loop, no permission)
            self.scanned += 1
            if self.scanned > PACKAGE_SCAN_LIMIT:
                return True  # too big to look through for one file: assume it may
            if self.reaches(ModuleType(module)):
                return True
        return False
