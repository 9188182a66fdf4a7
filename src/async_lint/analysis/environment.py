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
from fnmatch import fnmatchcase
from pathlib import Path

from async_lint.analysis.inference import TypeInference
from async_lint.analysis.module_model import FunctionScope
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
from async_lint.knowledge.langchain import Twin
from async_lint.knowledge.twins import ASYNC_SIBLING_SPELLINGS, IN_MEMORY_CLASSES, NOT_IO_TWINS, TWIN_METHOD
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


    # --- twins derived from the sources (knowledge.twins) ---

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - see `bases`
    def method_twin(self, qualified: str, method: str) -> Twin | None:
        """The async twin of `qualified`'s sync `method`: an `async def a<method>` the class has
        beside a plain `def method` (through its installed bases), `iterated` when the twin is
        an async generator; a twin taking other parameters is marked as differing in shape.
        None when the sources show no such pair."""
        if method.startswith("_") or method in NOT_IO_TWINS:
            return None
        cls = self.resolve(qualified)
        if not isinstance(cls, ClassType) or any(fnmatchcase(cls.qualname, pattern) for pattern in IN_MEMORY_CLASSES):
            return None
        methods = self._methods(cls)
        sync, twin = methods.get(method), methods.get(TWIN_METHOD.format(name=method))
        if sync is None or twin is None or sync.is_async or not twin.is_async or sync.is_property or twin.is_property:
            return None
        same_parameters = _parameters(sync) == _parameters(twin)
        return Twin(twin.name, iterated=twin.is_generator, shape_differs=not same_parameters, derived=True)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - see `bases`
    def async_sibling(self, qualified: str) -> str | None:
        """The async client class of the sync client class `qualified` (as the user's module
        names it), in its package (`openai.AsyncOpenAI` for `openai.OpenAI`): a sibling
        spelled as `ASYNC_SIBLING_SPELLINGS` say whose methods of the same name are
        `async def` where the sync class's are plain `def` (at least one; none the other way
        round). None when the sources show none."""
        if "." not in qualified:
            return None
        module, name = qualified.rsplit(".", 1)
        cls: Type | None = None
        tried: list[str] = []
        modules = [module]
        while True:
            for where in modules:
                for spelling in ASYNC_SIBLING_SPELLINGS:
                    candidate = spelling.format(module=where, package=where.split(".", 1)[0], name=name)
                    if candidate in tried or candidate == qualified:
                        continue
                    tried.append(candidate)
                    sibling = self.resolve(candidate)
                    if not isinstance(sibling, ClassType):
                        continue
                    cls = cls or self.resolve(qualified)
                    if isinstance(cls, ClassType) and sibling != cls and self._async_counterpart(cls, sibling):
                        return candidate
            # Then where the class is defined (`openai._client`), when it is elsewhere.
            cls = cls or self.resolve(qualified)
            defined = self.name_of(cls) if isinstance(cls, ClassType) else None
            if defined is None or defined.rsplit(".", 1)[0] in modules:
                return None
            modules = [defined.rsplit(".", 1)[0]]

    def is_async_method(self, qualified: str, method: str) -> bool:
        """Whether `qualified`'s `method` is an `async def` (an async generator too)."""
        cls = self.resolve(qualified)
        found = self._methods(cls).get(method) if isinstance(cls, ClassType) else None
        return found is not None and found.is_async

    def _async_counterpart(self, sync: ClassType, candidate: ClassType) -> bool:
        sync_methods, async_methods = self._methods(sync), self._methods(candidate)
        pairs = 0
        for name, scope in sync_methods.items():
            other = async_methods.get(name)
            if other is None or name.startswith("_"):
                continue
            if scope.is_async:
                return False
            if other.is_async and not scope.is_property:
                pairs += 1
        return pairs > 0

    def _methods(self, cls: ClassType) -> dict[str, FunctionScope]:
        """A class's methods by name, through its bases in the installed sources (the nearest
        definition of each)."""
        found: dict[str, FunctionScope] = {}
        for base in self.inference.mro(cls)[:MAX_BASES]:
            if not isinstance(base, ClassType):
                continue
            scope = self.inference.class_scope(base)
            if scope is None:
                continue
            for name, key in scope.methods.items():
                if name not in found:
                    function = self.inference.function_scope(FunctionType(base.path, key))
                    if function is not None:
                        found[name] = function
        return found


def _parameters(function: FunctionScope) -> tuple[tuple[str, str], ...]:
    """A method's parameters after `self`, by name and kind, for comparing twins."""
    return tuple((parameter.name, parameter.star) for parameter in function.params[1:])
