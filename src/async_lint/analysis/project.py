"""The project as the analysis sees it: a model per module, found the way Python would find it.

Models are filled on demand through `load` (the engine's summary store: it reads the file and
caches the model by content hash); the analysis never reads files or imports the engine. A
module is found by trying, in order, the configured `src` roots, the checked directories (and
the directory each is in, so `check pkg/` resolves `import pkg.x`), `src/`, then each ancestor
directory of the importing file up to the outermost checked directory or the project root: the
first that has the module wins.
"""

from __future__ import annotations

import functools
import logging
import os
import site
import sysconfig
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from async_lint.analysis.module_model import ImportTarget, ModuleModel
    from async_lint.analysis.environment import Environment
    from async_lint.analysis.inference import TypeInference

logger = logging.getLogger("async_lint.project")

ModelLoader = Callable[[Path], "ModuleModel | None"]
"""Reads and models one module file (None when it cannot be read)."""
T = TypeVar("T")


@dataclass(frozen=True)
class ProjectLayout:
    """Where a run's modules live: roots to resolve imports from, and the directories whose
    ancestors may be searched (the checked directories and the project root)."""

    roots: tuple[Path, ...] = ()
    boundaries: tuple[Path, ...] = ()


def project_layout(project_root: Path, src: Iterable[str], checked: Iterable[Path]) -> ProjectLayout:
    project_root = absolute(project_root)
    src_dirs = tuple(absolute(project_root / s) for s in src)
    checked_dirs = [absolute(p) for p in checked if p.is_dir()]
    roots: list[Path] = [*src_dirs]
    for directory in checked_dirs:
        roots.append(directory)
        if (directory / "__init__.py").is_file():
            # A package checked by name: its imports of itself start from its parent. Any other
            # directory's parent is not searched (it is often a busy one: `~/code`, `/tmp`).
            roots.append(directory.parent)
    roots.extend([project_root, project_root / "src"])
    unique = tuple(dict.fromkeys(roots))
    boundaries = tuple(dict.fromkeys([project_root, *checked_dirs]))
    return ProjectLayout(unique, boundaries)


def absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


class Project:
    def __init__(self, layout: ProjectLayout = ProjectLayout(), load: ModelLoader | None = None) -> None:
        self.roots = tuple(absolute(root) for root in layout.roots)
        self.boundaries = tuple(absolute(b) for b in layout.boundaries)
        self._load = load
        self.models: dict[Path, ModuleModel | None] = {}
        self._module_cache: dict[tuple[Path, str], Path | None] = {}
        self._roots_cache: dict[Path, tuple[Path, ...]] = {}
        self._directories: dict[Path, bool] = {}
        self._inference: TypeInference | None = None
        self._environment: Environment | None = None
        self.environment_factory: Callable[[], Environment] | None = None
        """Makes the installed packages' reader, on first use (None: only the tables answer)."""
        self._shared: dict[Hashable, object] = {}
        self._generation = 0
        """Bumped whenever a model changes: memos keyed on the project compare it."""

    @property
    def environment(self) -> Environment | None:
        """The installed packages, read for what the knowledge tables do not list (None: only
        the tables answer). Made when first asked: a run the record answers never needs it."""
        if self._environment is None and self.environment_factory is not None:
            self._environment = self.environment_factory()
        return self._environment

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def inference(self) -> TypeInference:
        """The project's one type inference (memoised until a model changes)."""
        if self._inference is None:
            from async_lint.analysis.inference import TypeInference

            self._inference = TypeInference(self)
        return self._inference

    def shared(self, key: Hashable, make: Callable[[], T]) -> T:
        """A project-wide analysis built on the models (a call-chain search), made on first use
        and dropped, like the inference, when a model changes."""
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]  # type: ignore[return-value]

    # --- models ---

    def model(self, path: Path) -> ModuleModel | None:
        """A module file's model (read now if it was not known)."""
        if path in self.models:
            return self.models[path]
        if self._load is None or self.is_directory(path):
            return None
        found = self._load(path)
        self.models[path] = found
        return found

    def set_model(self, path: Path, model: ModuleModel | None) -> None:
        """Replace what the project knows of `path` (the text being checked differs from the
        file, or the file changed): every memo built on the old model goes."""
        known = self.models.get(path, False)
        if known is model:
            return
        self.models[path] = model
        if known is not False:
            self.changed()

    def add_model(self, path: Path, model: ModuleModel | None) -> None:
        """Record a model read for the first time (no memo can depend on it yet)."""
        if path in self.models:
            self.set_model(path, model)
        else:
            self.models[path] = model

    def forget(self, paths: Iterable[Path]) -> None:
        """Drop these modules' models (to be read again) and where modules were found."""
        for path in paths:
            self.models.pop(path, None)
        self._module_cache.clear()
        self._roots_cache.clear()
        self._directories.clear()
        self.changed()

    def changed(self) -> None:
        self._generation += 1
        self._inference = None
        self._shared.clear()

    # --- finding modules ---

    def is_directory(self, path: Path) -> bool:
        """Whether a module path is a directory (a namespace package), asked of the file
        system once per path (the editor's index forgets the answers with the modules)."""
        found = self._directories.get(path)
        if found is None:
            found = self._directories[path] = path.is_dir()
        return found

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
            found = self.module_in(root, parts)
            if found is not None:
                return found
        return None

    def module_in(self, root: Path, parts: Sequence[str]) -> Path | None:
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
            return self.module_in(directory, target.module.split("."))
        init = directory / "__init__.py"
        return init if init.is_file() else directory

    def import_files(self, target: ImportTarget, importing: Path) -> list[Path | None]:
        """The module an import names, and for `from package import name` the submodule
        `name` when there is one (what the import may depend on)."""
        module = self.import_module_path(target, importing)
        files: list[Path | None] = [module]
        if module is not None and target.name is not None:
            directory = module if self.is_directory(module) else module.parent if module.name == "__init__.py" else None
            if directory is not None:
                files.append(self.module_in(directory, [target.name]))
        return files

    def in_project(self, path: Path) -> bool:
        """Whether a module is the project's own: under the project root or a checked
        directory, or anywhere but an installed environment. Installed packages an import
        happens to resolve to (checking `site-packages/pkg` makes its siblings importable) are
        not the project's, unless they are what is being checked."""
        text = str(path)
        if any(text.startswith(str(b).rstrip(os.sep) + os.sep) for b in self.boundaries):
            return True
        return not any(text.startswith(prefix) for prefix in _environment_prefixes())


@functools.cache
def _environment_prefixes() -> tuple[str, ...]:
    """Where this interpreter keeps installed packages and the standard library."""
    found: set[str] = set()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        location = sysconfig.get_paths().get(name)
        if location:
            found.add(os.path.abspath(location).rstrip(os.sep) + os.sep)
    for location in [*site.getsitepackages(), site.getusersitepackages()]:
        found.add(os.path.abspath(location).rstrip(os.sep) + os.sep)
    return tuple(sorted(found))


def display_path(path: Path) -> str:
    """A file as the CLI names it (relative to the working directory when under it)."""
    cwd = Path.cwd()
    return path.relative_to(cwd).as_posix() if path.is_relative_to(cwd) else path.as_posix()


def explain(message: str, *args: object) -> None:
    """Say why a name could not be followed (`--explain-unresolved` prints the debug log)."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("unresolved: " + message, *args)
