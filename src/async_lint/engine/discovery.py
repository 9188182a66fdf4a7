"""Paths -> the Python files to check, and the module name of each.

Directories are walked for `*.py` and `*.pyi`, skipping excluded names (`.git`, virtualenvs,
`node_modules`, `build`, ... and the configured `exclude`/`extend-exclude`) and whatever the
`.gitignore` files on the way ignore. Files named explicitly are always checked, unless
`force_exclude` (for pre-commit, which passes every staged file).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from async_lint.config import Config, ConfigResolver
from async_lint.engine.gitignore import GitRepository, PatternList, find_repository, read_pattern_file

PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    module_name: str | None
    is_package: bool
    absolute: str
    """`os.path.abspath(path)`: what the run record knows the file by."""


@dataclass(frozen=True)
class Discovery:
    groups: list[tuple[Config, list[SourceFile]]]
    """The files found, by the configuration that applies to them."""
    missing: list[Path]
    """Paths named on the command line that do not exist."""

    @property
    def files(self) -> list[SourceFile]:
        return [file for _, files in self.groups for file in files]


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
    """The `exclude` and `extend-exclude` patterns, relative to the configuration's root."""

    def __init__(self, config: Config) -> None:
        self.root = config.root
        self.patterns = PatternList([*config.exclude, *config.extend_exclude])

    def excluded(self, path: Path, is_dir: bool) -> bool:
        """Whether `path`, or a directory it is in below the root, is excluded (for paths
        named on the command line under `--force-exclude`)."""
        try:
            parts = Path(os.path.realpath(path)).relative_to(self.root).parts  # no RuntimeError on a symlink loop
        except ValueError:
            return self.matches(None, path.name, is_dir)
        return any(self.patterns.decide(parts[:n], is_dir or n < len(parts)) is True for n in range(1, len(parts) + 1))

    def matches(self, relative: str | None, name: str, is_dir: bool) -> bool:
        """Whether the walked entry itself is excluded; `relative`: its path from the
        configuration's root (None when outside it: then only its name is matched)."""
        return self.patterns.matches(relative if relative is not None else name, is_dir)


GitLists = tuple[tuple[str, PatternList], ...]
"""The `.gitignore` lists that apply in a directory, each with its absolute base, shallowest first."""


def _gitignore(directory: str) -> PatternList | None:
    lines = read_pattern_file(os.path.join(directory, ".gitignore"))
    return PatternList(lines) if lines else None


def _git_ignored(path: str, is_dir: bool, lists: GitLists, repository: GitRepository | None) -> bool:
    """Git's verdict on `path` (absolute): the deepest `.gitignore` with a matching line decides,
    then `.git/info/exclude`, then the global excludes file."""
    for base, patterns in reversed(lists):
        verdict = patterns.decide(_relative_parts(path, base), is_dir)
        if verdict is not None:
            return verdict
    if repository is not None:
        parts = _relative_parts(path, repository.root)
        for patterns in repository.excludes:
            verdict = patterns.decide(parts, is_dir)
            if verdict is not None:
                return verdict
    return False


def _relative_parts(path: str, base: str) -> list[str]:
    return [part for part in path[len(base) :].split(os.sep) if part]


def discover(paths: list[Path], resolver: ConfigResolver, force_exclude: bool = False) -> Discovery:
    """The files to check under `paths`, each with the configuration that applies to it (the
    closest one, see `ConfigResolver`); a directory's own exclusions are its configuration's."""
    excluders: dict[Config, _Excluder] = {}
    seen: set[str] = set()
    groups: dict[Config, list[SourceFile]] = {}
    missing: list[Path] = []
    packages: dict[str, tuple[str, ...]] = {}

    def excluder_for(config: Config) -> _Excluder:
        if config not in excluders:
            excluders[config] = _Excluder(config)
        return excluders[config]

    def add(path: Path, config: Config) -> None:
        key = os.path.abspath(path)
        if key in seen:
            return
        seen.add(key)
        module_name, is_package = module_name_for(Path(key), packages)
        groups.setdefault(config, []).append(SourceFile(path, module_name, is_package, key))

    for path in paths:
        if not path.exists() and not path.is_symlink():
            missing.append(path)
        elif path.is_dir():
            config = resolver.for_directory(path)
            if force_exclude and excluder_for(config).excluded(path, is_dir=True):
                continue
            for file, file_config in _walk(path, config, resolver, excluder_for):
                add(file, file_config)
        else:
            config = resolver.for_file(path)
            if not (force_exclude and excluder_for(config).excluded(path, is_dir=False)):
                add(path, config)
    return Discovery(list(groups.items()), missing)


def _walk(
    top: Path, top_config: Config, resolver: ConfigResolver, excluder_for: Callable[[Config], _Excluder]
) -> list[tuple[Path, Config]]:
    """The Python files under `top`, in sorted order, each with its configuration: a directory
    with a pyproject.toml that has the table starts a new one (unless `--config` fixed it).
    `top` itself is not matched against the exclusions (a path named on the command line is
    checked); what is below it is. Paths are handled as strings: a project has thousands of
    them, and a warm run's whole time is of this order."""
    found: list[tuple[Path, Config]] = []
    absolute_top = os.path.abspath(top)
    respect_gitignore = top_config.respect_gitignore
    repository = find_repository(absolute_top) if respect_gitignore else None
    inherited: GitLists = ()
    if repository is not None:
        for ancestor in reversed(Path(absolute_top).parents):
            if len(str(ancestor)) >= len(repository.root) and str(ancestor).startswith(repository.root):
                patterns = _gitignore(str(ancestor))
                if patterns is not None:
                    inherited = (*inherited, (str(ancestor), patterns))
    # Exclusion patterns match the path from the configuration's root; os.walk does not follow
    # symbolic links below `top`, so only `top` itself needs resolving.
    real_top = os.path.realpath(top)
    top_text = str(top)
    lists_by_dir: dict[str, GitLists] = {}
    config_by_dir: dict[str, Config] = {}
    for directory, dirnames, filenames in os.walk(top_text):
        below = directory[len(top_text) :].lstrip(os.sep)
        absolute = os.path.join(absolute_top, below) if below else absolute_top
        parent = os.path.dirname(directory)
        lists = lists_by_dir.get(parent, inherited) if directory != top_text else inherited
        if respect_gitignore and ".gitignore" in filenames:
            patterns = _gitignore(directory)
            if patterns is not None:
                lists = (*lists, (absolute, patterns))
        lists_by_dir[directory] = lists
        config = config_by_dir.get(parent, top_config) if directory != top_text else top_config
        if "pyproject.toml" in filenames and directory != top_text and resolver.fixed is None:
            config = resolver.for_directory(Path(directory))
        config_by_dir[directory] = config

        real = os.path.join(real_top, below) if below else real_top
        relative = _relative_to(real, str(config.root))
        place = _Place(relative, absolute, lists, repository)
        excluder = excluder_for(config)
        dirnames[:] = [name for name in sorted(dirnames) if not _skipped(excluder, place, name, True)]
        here = Path(directory)
        found.extend(
            (here / name, config)
            for name in sorted(filenames)
            if name.endswith(PYTHON_SUFFIXES) and not _skipped(excluder, place, name, False)
        )
    return found


def _relative_to(path: str, root: str) -> str | None:
    """`path` from `root`, `/`-separated ("" for the root itself); None when outside it."""
    if path == root:
        return ""
    prefix = root.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].replace(os.sep, "/")


@dataclass(frozen=True)
class _Place:
    """A walked directory: its path from the configuration's root (None when outside it), its
    absolute path, the `.gitignore` lists that apply in it, and its git repository."""

    relative: str | None
    absolute: str
    lists: GitLists
    repository: GitRepository | None


def _skipped(excluder: _Excluder, place: _Place, name: str, is_dir: bool) -> bool:
    """Whether the entry `name` of a walked directory is excluded or git-ignored."""
    relative = place.relative
    child_relative = None if relative is None else f"{relative}/{name}" if relative else name
    if excluder.matches(child_relative, name, is_dir):
        return True
    return (bool(place.lists) or place.repository is not None) and _git_ignored(
        os.path.join(place.absolute, name), is_dir, place.lists, place.repository
    )
