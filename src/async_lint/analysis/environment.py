"""The installed packages, read (never imported) for what the knowledge tables do not list.

When a receiver is an instance of a class from an installed package that no table names
(`DuckDuckGoSearchRun`, a provider's `ChatSomething`, a community retriever), its package's
modules are modelled like the project's own (the same `ast` models, cached by content) and the
same inference follows the class's bases: a subclass of LangChain's `Runnable`, `BaseTool`,
`BaseRetriever`, `BaseChatModel` or a checkpointer then needs no table entry. Likewise a method
or factory of a known object returns what the library's own annotation says
(`FAISS.load_local(...) -> FAISS`).

Only the environment async-lint runs in is read: in a lint-only environment (pre-commit's
isolated hook, a CI image without the project's dependencies) the built-in tables answer.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from async_lint.analysis.inference import TypeInference
from async_lint.analysis.project import Project, explain
from async_lint.analysis.types import (
    BoundMethod,
    ClassType,
    ExternalName,
    FunctionType,
    Instance,
    ModuleType,
    Type,
    members,
    without_none,
)
from async_lint.knowledge.types import ROOT_CLASS

MAX_BASES = 32


class Environment:
    def __init__(self, project: Project) -> None:
        """`project`: the installed packages' directories (site-packages) as a project of their
        own, whose models the engine reads and caches."""
        self.project = project
        self.directories = project.roots
        self._prefixes = tuple(str(d).rstrip(os.sep) + os.sep for d in self.directories)

    @property
    def inference(self) -> TypeInference:
        return self.project.inference

    def resolve(self, qualified: str) -> Type | None:
        """What a dotted name of an installed package stands for (`langchain_core.tools.BaseTool`
        -> the class where it is defined), through the package's re-exports."""
        parts = qualified.split(".")
        for split in range(len(parts), 0, -1):
            module = self.project.module_path(".".join(parts[:split]), None)
            if module is None:
                continue
            found: Type | None = ModuleType(module)
            for attr in parts[split:]:
                if found is None:
                    return None
                found = self.inference.member(found, attr)
            return found
        return None

    def name_of(self, found: ClassType | FunctionType) -> str | None:
        """The dotted name of a class or function where it is defined."""
        text = str(found.path)
        for prefix in self._prefixes:
            if text.startswith(prefix):
                relative = Path(text[len(prefix) :])
                parts = list(relative.with_suffix("").parts)
                if parts and parts[-1] == "__init__":
                    parts.pop()
                return ".".join([*parts, found.qualname])
        return None

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one environment per run, kept for the run
    def bases(self, qualified: str) -> tuple[str, ...]:
        """The dotted names of the classes `qualified` derives from, nearest first (itself
        excluded, `builtins.object` last), as far as the installed sources show; none when
        they do not show the class."""
        cls = self.resolve(qualified)
        if not isinstance(cls, ClassType):
            explain("%s: not a class of an installed package", qualified)
            return ()
        names: list[str] = []
        for base in self.inference.mro(cls)[1:MAX_BASES]:
            name = self.name_of(base) if isinstance(base, ClassType) else base.qualified if isinstance(base, ExternalName) else None
            if name is not None and name not in names:
                names.append(name)
        if ROOT_CLASS not in names:
            names.append(ROOT_CLASS)
        return tuple(names)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - see `bases`
    def returns(self, qualified: str) -> str | None:
        """The class that calling `qualified` gives (a function, a method as `Class.method`,
        a classmethod factory), by the library's annotation or its `return` statements."""
        target = self.resolve(qualified)
        if isinstance(target, ClassType):
            return self.name_of(target)
        function = target.function if isinstance(target, BoundMethod) else target
        if not isinstance(function, FunctionType):
            return None
        scope = self.inference.function_scope(function)
        if scope is None or scope.is_async:
            return None
        result = without_none(self.inference.function_result(function))
        found = members(result)
        if len(found) != 1:
            return None
        only = found[0]
        if isinstance(only, Instance):
            if isinstance(only.of, ClassType):
                return self.name_of(only.of)
            return only.external
        return None


def environment_directories() -> tuple[Path, ...]:
    """Where the running interpreter keeps third-party packages."""
    import site
    import sysconfig

    found: list[Path] = []
    for location in [*site.getsitepackages(), site.getusersitepackages(), sysconfig.get_paths().get("purelib", "")]:
        if location and os.path.isdir(location):
            path = Path(os.path.abspath(location))
            if path not in found:
                found.append(path)
    return tuple(found)
