"""Paths -> the Python files to check, and the module name of each.

Directories are walked for `*.py` and `*.pyi`, skipping excluded names (`.git`, virtualenvs,
`node_modules`, `build`, ... and the configured `exclude`/`extend-exclude`) and whatever the
`.gitignore` files on the way ignore. Files named explicitly are always checked, unless
`force_exclude` (for pre-commit, which passes every staged file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pathspec

from async_lint.config import Config

PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    module_name: str | None
    is_package: bool


@dataclass(frozen=True)
class Discovery:
    files: list[SourceFile]
    missing: list[Path]
    """Paths named on the command line that do not exist."""


def module_name_for(path: Path, packages: dict[str, tuple[str, ...]] | None = None) -> tuple[str | None, bool]:
    """`pkg.sub.mod` for `.../pkg/sub/mod.py`, walking up while directories are packages
    (have `__init__.py`). A loose script's module name is its stem. `packages` caches, for
    the length of one discovery, what each directory's walk up found."""
    stem = path.name.rsplit(".", 1)[0]
    is_package = stem == "__init__"
    parts = [*([] if is_package else [stem]), *_package_names(str(path.parent), {} if packages is None else packages)]
    if not parts or not all(part.isidentifier() for part in parts):
        return None, is_package
    return ".".join(reversed(parts)), is_package


def _package_names(directory: str, packages: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The names of `directory` and its ancestors while each is a package, innermost first."""
    if directory not in packages:
        parent = os.path.dirname(directory)
        if not os.path.exists(os.path.join(directory, "__init__.py")):
            packages[directory] = ()
        elif parent == directory:
            packages[directory] = (os.path.basename(directory),)
        else:
            packages[directory] = (os.path.basename(directory), *_package_names(parent, packages))
    return packages[directory]


class _Excluder:
    def __init__(self, config: Config) -> None:
        self.root = config.root
        self.spec = pathspec.GitIgnoreSpec.from_lines([*config.exclude, *config.extend_exclude])

    def excluded(self, path: Path, is_dir: bool) -> bool:
        try:
            relative = Path(os.path.realpath(path)).relative_to(self.root).as_posix()  # no RuntimeError on a symlink loop
        except ValueError:
            relative = None
        return self.matches(relative, path.name, is_dir)

    def matches(self, relative: str | None, name: str, is_dir: bool) -> bool:
        """`relative`: the path from the configuration's root (None when outside it)."""
        suffix = "/" if is_dir else ""
        return self.spec.match_file((relative if relative is not None else name) + suffix) or self.spec.match_file(name + suffix)


def _gitignore(directory: str) -> pathspec.GitIgnoreSpec | None:
    try:
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as stream:
            lines = stream.read().splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _git_ignored(path: str, is_dir: bool, specs: list[tuple[str, pathspec.GitIgnoreSpec]]) -> bool:
    """`path` absolute; each spec's base an absolute directory above it."""
    for base, spec in specs:
        relative = path[len(base) :].lstrip(os.sep).replace(os.sep, "/") + ("/" if is_dir else "")
        if spec.match_file(relative):
            return True
    return False


def discover(paths: list[Path], config: Config, force_exclude: bool = False) -> Discovery:
    excluder = _Excluder(config)
    seen: set[str] = set()
    files: list[SourceFile] = []
    missing: list[Path] = []
    packages: dict[str, tuple[str, ...]] = {}

    def add(path: Path) -> None:
        key = os.path.abspath(path)
        if key in seen:
            return
        seen.add(key)
        module_name, is_package = module_name_for(Path(key), packages)
        files.append(SourceFile(path, module_name, is_package))

    for path in paths:
        if not path.exists() and not path.is_symlink():
            missing.append(path)
        elif path.is_dir():
            if force_exclude and excluder.excluded(path, is_dir=True):
                continue
            for file in _walk(path, config, excluder):
                add(file)
        elif not (force_exclude and excluder.excluded(path, is_dir=False)):
            add(path)
    return Discovery(files, missing)


def _walk(top: Path, config: Config, excluder: _Excluder) -> list[Path]:
    """The Python files under `top`, in sorted order. Paths are handled as strings: a project
    has thousands of them, and a warm run's whole time is of this order."""
    found: list[Path] = []
    absolute_top = os.path.abspath(top)
    inherited: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    if config.respect_gitignore:
        for ancestor in reversed(Path(absolute_top).parents):
            if (ancestor / ".git").exists() or inherited:
                spec = _gitignore(str(ancestor))
                if spec is not None:
                    inherited.append((str(ancestor), spec))
    # Exclusion patterns match the path from the configuration's root; os.walk does not follow
    # symbolic links below `top`, so only `top` itself needs resolving.
    try:
        root_relative: str | None = Path(os.path.realpath(top)).relative_to(config.root).as_posix()
    except ValueError:
        root_relative = None
    top_text = str(top)
    specs_by_dir: dict[str, list[tuple[str, pathspec.GitIgnoreSpec]]] = {}
    for directory, dirnames, filenames in os.walk(top_text):
        below = directory[len(top_text) :].lstrip(os.sep).replace(os.sep, "/")
        relative = None if root_relative is None else "/".join(part for part in (root_relative, below) if part and part != ".")
        absolute = os.path.join(absolute_top, below) if below else absolute_top
        parent_specs = specs_by_dir.get(os.path.dirname(directory), inherited) if directory != top_text else inherited
        specs = parent_specs
        if config.respect_gitignore:
            spec = _gitignore(directory)
            if spec is not None:
                specs = [*parent_specs, (absolute, spec)]
        specs_by_dir[directory] = specs

        place = (relative, absolute, specs)
        dirnames[:] = [name for name in sorted(dirnames) if not _skipped(excluder, place, name, True)]
        here = Path(directory)
        found.extend(
            here / name
            for name in sorted(filenames)
            if name.endswith(PYTHON_SUFFIXES) and not _skipped(excluder, place, name, False)
        )
    return found


def _skipped(
    excluder: _Excluder, place: tuple[str | None, str, list[tuple[str, pathspec.GitIgnoreSpec]]], name: str, is_dir: bool
) -> bool:
    """Whether the entry `name` of a walked directory is excluded or git-ignored; `place` is the
    directory's path from the configuration's root, its absolute path, and its gitignore specs."""
    relative, absolute, specs = place
    child_relative = None if relative is None else f"{relative}/{name}" if relative else name
    return excluder.matches(child_relative, name, is_dir) or _git_ignored(os.path.join(absolute, name), is_dir, specs)
