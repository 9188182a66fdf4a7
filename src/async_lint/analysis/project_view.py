"""The project as one file's check sees it: the file's own model (of the text being checked,
which may be unsaved or `--fix`ed text), installed in the project so that every other module's
model sees the same, and the questions the engine asks before walking the file."""

from __future__ import annotations

from pathlib import Path

from async_lint.analysis.module_model import ModuleModel, model_of_source
from async_lint.analysis.project import Project
from async_lint.analysis.types import ExternalName, FunctionType, Instance, ModuleType, Type, UnionType
from async_lint.knowledge.coroutines import ASYNC_CLIENTS, COROUTINE_FUNCTIONS

_COROUTINE_MAKERS = (*COROUTINE_FUNCTIONS, *ASYNC_CLIENTS)


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
        targets = set(self.current.imported_targets())
        return any(self._may_reach_coroutine(inference.resolve_import(target, self.path), set()) for target in targets)

    def is_entry_point(self, function_name: str) -> bool:
        """A module-level sync function called only from the `__main__` block."""
        return function_name in self.current.entry_points

    def _may_reach_coroutine(self, found: Type | None, visited: set[Path | str]) -> bool:
        """Whether a coroutine function is `found` or among what resolving attributes of it
        can reach (a module's names, through imports): a project `async def`, or a known
        coroutine function or async client outside the project. Errs towards True where it
        cannot tell (a namespace package, a package's submodules)."""
        if found is None:
            return False
        if isinstance(found, UnionType):
            return any(self._may_reach_coroutine(m, visited) for m in found.members)
        if isinstance(found, Instance):
            found = found.of if isinstance(found.of, ExternalName) else ModuleType(found.of.path)
        if isinstance(found, ExternalName):
            prefix = found.qualified + "."
            return any(name == found.qualified or name.startswith(prefix) for name in _COROUTINE_MAKERS)
        path = found.path if isinstance(found, (ModuleType, FunctionType)) else getattr(found, "path", None)
        if path is None:
            return False
        if path in visited:
            return False
        visited.add(path)
        if path.is_dir() or path.name == "__init__.py":
            return True  # its submodules are attributes too
        model = self.project.model(path)
        if model is None:
            return False
        if any(function.is_async for function in model.functions()):
            return True
        inference = self.project.inference
        for bindings in model.names.values():
            for binding in bindings:
                if binding.target is not None and self._may_reach_coroutine(inference.resolve_import(binding.target, path), visited):
                    return True
        return False
