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


def module_name_for(path: Path) -> tuple[str | None, bool]:
    """`pkg.sub.mod` for `.../pkg/sub/mod.py`, walking up while directories are packages
    (have `__init__.py`). A loose script's module name is its stem."""
    stem = path.name.rsplit(".", 1)[0]
    is_package = stem == "__init__"
    parts = [] if is_package else [stem]
    directory = path.parent
    if is_package or (directory / "__init__.py").exists():
        while (directory / "__init__.py").exists():
            parts.append(directory.name)
            if directory.parent == directory:
                break
            directory = directory.parent
    if not parts or not all(part.isidentifier() for part in parts):
        return None, is_package
    return ".".join(reversed(parts)), is_package


class _Excluder:
    def __init__(self, config: Config) -> None:
        self.root = config.root
        self.spec = pathspec.GitIgnoreSpec.from_lines([*config.exclude, *config.extend_exclude])

    def excluded(self, path: Path, is_dir: bool) -> bool:
        try:
            relative = Path(os.path.realpath(path)).relative_to(self.root).as_posix()  # no RuntimeError on a symlink loop
        except ValueError:
            relative = path.name
        if is_dir:
            relative += "/"
        return self.spec.match_file(relative) or self.spec.match_file(path.name + ("/" if is_dir else ""))


def _gitignore(directory: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _git_ignored(path: Path, is_dir: bool, specs: list[tuple[Path, pathspec.GitIgnoreSpec]]) -> bool:
    for base, spec in specs:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        if spec.match_file(relative):
            return True
    return False


def discover(paths: list[Path], config: Config, force_exclude: bool = False) -> Discovery:
    excluder = _Excluder(config)
    seen: set[Path] = set()
    files: list[SourceFile] = []
    missing: list[Path] = []

    def add(path: Path) -> None:
        key = path.absolute()
        if key in seen:
            return
        seen.add(key)
        module_name, is_package = module_name_for(path.absolute())
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
    found: list[Path] = []
    inherited: list[tuple[Path, pathspec.GitIgnoreSpec]] = []
    if config.respect_gitignore:
        for ancestor in reversed(top.absolute().parents):
            if (ancestor / ".git").exists() or inherited:
                spec = _gitignore(ancestor)
                if spec is not None:
                    inherited.append((ancestor, spec))
    specs_by_dir: dict[str, list[tuple[Path, pathspec.GitIgnoreSpec]]] = {}
    for directory, dirnames, filenames in os.walk(top):
        here = Path(directory)
        parent_specs = specs_by_dir.get(os.path.dirname(directory), inherited) if here != top else inherited
        specs = parent_specs
        if config.respect_gitignore:
            spec = _gitignore(here)
            if spec is not None:
                specs = [*parent_specs, (here.absolute(), spec)]
        specs_by_dir[directory] = specs
        kept = []
        for name in sorted(dirnames):
            child = here / name
            if excluder.excluded(child, is_dir=True) or _git_ignored(child.absolute(), True, specs):
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if not name.endswith(PYTHON_SUFFIXES):
                continue
            child = here / name
            if excluder.excluded(child, is_dir=False) or _git_ignored(child.absolute(), False, specs):
                continue
            found.append(child)
    return found
