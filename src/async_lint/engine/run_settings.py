"""What a run is asked to do, and what it found in each file: the parts of a run that the CLI
needs before it knows whether any file must be parsed (so importing them imports no LibCST)."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from async_lint.config import DEFAULT_MAX_FILE_SIZE, RuleOptions
from async_lint.diagnostics import Diagnostic
from async_lint.engine.dependency_graph import Node
from async_lint.engine.gitignore import PatternList

if TYPE_CHECKING:
    from async_lint.analysis.rule_set import RuleSetFactory


class FixMode:
    NONE = "none"
    DIFF = "diff"
    """Compute the fixed text, write nothing."""
    WRITE = "write"


@dataclass(frozen=True)
class RunSettings:
    enabled: frozenset[str]
    options: RuleOptions
    config_root: Path
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fix_mode: str = FixMode.NONE
    unsafe_fixes: bool = False
    cache_dir: Path | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """Bytes; a larger file is reported (ASL002), not checked."""
    rules: RuleSetFactory = field(kw_only=True)
    """Makes the rule set for a file's codes: the front end hands it in (the engine imports no
    rule); a module-level function, so it reaches worker processes by name."""


@dataclass
class FileResult:
    filename: str
    diagnostics: list[Diagnostic]
    original_text: str | None = None
    fixed_text: str | None = None
    fixed: list[str] = field(default_factory=list)
    """The codes of the findings `--fix` fixed, one per fix applied."""
    fix_error: str | None = None
    write_failed: bool = False
    """The fixes could not be written (the file is not writable...): the run failed (exit 2)."""
    from_result_cache: bool = False
    """Found in the per-file result cache (not checked again)."""
    summarised: int = 0
    summaries_read: int = 0
    """Module summaries this file's check computed, and read from the summary cache."""
    graph: tuple[Node, dict[str, tuple[int, int]]] | None = None
    """For the run record (`engine/run_record.py`): the checked module's node of the import
    graph and the (size, mtime) of its own paths as the check saw them (`ProjectIndex.node`);
    None: not recorded."""
    @property
    def changed(self) -> bool:
        return self.fixed_text is not None and self.fixed_text != self.original_text


def display_name(path: Path) -> str:
    """A file's name as output shows it: relative to the working directory when under it."""
    if not path.is_absolute():
        return path.as_posix()  # what `Path(cwd, path).relative_to(cwd)` gives, without asking
    cwd = os.getcwd()
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


def enabled_for_file(path: Path, settings: RunSettings) -> frozenset[str]:
    if not settings.per_file_ignores:
        return settings.enabled
    try:
        relative = Path(os.path.realpath(path)).relative_to(settings.config_root).as_posix()
    except ValueError:
        relative = path.as_posix()
    ignored: set[str] = set()
    for pattern, codes in settings.per_file_ignores:
        if _pattern(pattern).matches_path_or_parent(relative):
            ignored.update(code for code in settings.enabled if any(code.startswith(prefix) for prefix in codes))
    return settings.enabled - ignored


@functools.lru_cache(maxsize=256)
def _pattern(pattern: str) -> PatternList:
    return PatternList([pattern])


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def usable_jobs(requested: int | None, files: int) -> int:
    """Worker processes for a run: as many as asked (every core by default), but never more
    than the cores or the files (more would only cost memory and start-up time)."""
    cores = available_cores()
    return max(1, min(requested or cores, cores, files))
