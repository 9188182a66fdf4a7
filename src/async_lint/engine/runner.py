"""Check (and fix) many files, in parallel: each worker reads, checks, fixes and writes its own
files, so nothing but small result objects crosses process boundaries.

The project index is built by the caller, in the parent, before the pool starts: forked workers
inherit it, spawned ones receive it once through the pool initializer (never per file)."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
import pathspec

from async_lint.config import RuleOptions
from async_lint.diagnostics import Diagnostic
from async_lint.engine.cache import ResultCache
from async_lint.engine.checker import (
    INTERNAL_ERROR,
    UNREADABLE_FILE,
    build_rule_set,
    check_text,
    compiles,
    infrastructure_diagnostic,
)
from async_lint.engine.discovery import SourceFile
from async_lint.engine.project_index import ProjectIndex
from async_lint.engine.source_files import (
    SourceText,
    UnreadableSource,
    decode_source,
    read_source_bytes,
    write_source_atomically,
)
from async_lint.fixes import apply_fixes

MAX_FIX_ROUNDS = 10


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


@dataclass
class FileResult:
    filename: str
    diagnostics: list[Diagnostic]
    original_text: str | None = None
    fixed_text: str | None = None
    fixed_count: int = 0
    fix_error: str | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed_text is not None and self.fixed_text != self.original_text


def display_name(path: Path) -> str:
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
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
        if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(relative):
            ignored.update(code for code in settings.enabled if any(code.startswith(prefix) for prefix in codes))
    return settings.enabled - ignored


_project: ProjectIndex | None = None
"""The run's project index, in this process (set by `run_files`, inherited by workers)."""


def _install_project(project: ProjectIndex | None) -> None:
    global _project  # noqa: PLW0603 - one index per process, installed before any file is checked
    _project = project


def check_source(
    source: SourceText,
    filename: str,
    settings: RunSettings,
    module_name: str | None = None,
    is_package: bool = False,
    codes: frozenset[str] | None = None,
    project: ProjectIndex | None = None,
    path: Path | None = None,
) -> FileResult:
    """Check one file's text, and fix it when the settings say so (writing nothing)."""
    rule_set = build_rule_set(settings.enabled if codes is None else codes, settings.options)

    def check(text: str) -> list[Diagnostic]:
        return check_text(
            text, filename, rule_set, module_name=module_name, is_package=is_package, project=project, path=path
        )

    diagnostics = check(source.text)
    result = FileResult(filename, diagnostics, original_text=source.text)
    if settings.fix_mode == FixMode.NONE:
        return result
    text = source.text
    originally_compiles = compiles(text, filename)
    for _ in range(MAX_FIX_ROUNDS):
        new_text, applied = apply_fixes(text, diagnostics, settings.unsafe_fixes)
        if applied == 0:
            break
        problem = _unusable_fix(new_text, filename, originally_compiles)
        if problem is not None:
            result.fix_error = f"fixes left unapplied: they would make the file {problem}"
            break
        text = new_text
        result.fixed_count += applied
        diagnostics = check(text)
    result.fixed_text = text
    result.diagnostics = diagnostics
    return result


def _unusable_fix(text: str, filename: str, must_compile: bool) -> str | None:
    try:
        cst.parse_module(text)
    except Exception:  # noqa: BLE001
        return "fail to parse"
    if must_compile and not compiles(text, filename):
        return "fail to compile"
    return None


def process_file(source_file: SourceFile, settings: RunSettings) -> FileResult:
    """Read, check, maybe fix and write one file. Never raises: every failure is a diagnostic."""
    filename = display_name(source_file.path)
    try:
        return _process_file(source_file, filename, settings)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001
        message = f"internal error while checking this file: {type(error).__name__}: {error}"
        return FileResult(filename, [infrastructure_diagnostic(INTERNAL_ERROR, filename, message)])


def _process_file(source_file: SourceFile, filename: str, settings: RunSettings) -> FileResult:
    path = source_file.path
    try:
        data = read_source_bytes(path)
        source = decode_source(data)
    except UnreadableSource as error:
        return FileResult(filename, [infrastructure_diagnostic(UNREADABLE_FILE, filename, str(error))])
    codes = enabled_for_file(path, settings)
    cache = None
    key = ""
    if settings.cache_dir is not None and settings.fix_mode == FixMode.NONE:
        cache = ResultCache(settings.cache_dir)
        # A file's findings depend on the modules it imports too (ASL100 knows their coroutines).
        dependencies = _project.dependency_fingerprint(path) if _project is not None else ""
        key = ResultCache.key(
            data,
            ",".join(sorted(codes)),
            repr(settings.options),
            source_file.module_name or "",
            str(source_file.is_package),
            dependencies,
        )
        cached = cache.get(key, filename)
        if cached is not None:
            return FileResult(filename, cached)
    result = check_source(
        source, filename, settings, source_file.module_name, source_file.is_package, codes, _project, path
    )
    if cache is not None and not any(d.code == INTERNAL_ERROR for d in result.diagnostics):
        cache.put(key, result.diagnostics)
    if settings.fix_mode == FixMode.WRITE and result.changed:
        assert result.fixed_text is not None
        try:
            if read_source_bytes(path) != data:
                result.fix_error = "the file changed during the run; fixes not written"
            else:
                write_source_atomically(path, result.fixed_text, source.encoding)
        except UnreadableSource as error:
            result.fix_error = f"fixes not written: {error}"
        except (OSError, UnicodeError) as error:
            result.fix_error = f"cannot write the fixes: {getattr(error, 'strerror', None) or error}"
        if result.fix_error:
            result.fixed_text = None
            result.diagnostics = check_source(
                source,
                filename,
                RunSettings(codes, settings.options, settings.config_root),
                source_file.module_name,
                source_file.is_package,
                project=_project,
                path=path,
            ).diagnostics
    return result


def _pool_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform == "linux" else "spawn")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run_files(
    files: list[SourceFile],
    settings: RunSettings,
    jobs: int,
    on_result: Callable[[FileResult], None] | None = None,
    project: ProjectIndex | None = None,
) -> list[FileResult]:
    """Results in the order of `files`; `project` is the index the rules resolve names in."""
    _install_project(project)
    results: list[FileResult] = []
    for result in _iter_results(files, settings, jobs, project):
        if on_result is not None:
            on_result(result)
        results.append(result)
    return results


def _iter_results(
    files: list[SourceFile], settings: RunSettings, jobs: int, project: ProjectIndex | None
) -> Iterator[FileResult]:
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1 or len(files) < 8:
        for source_file in files:
            yield process_file(source_file, settings)
        return
    build_rule_set(settings.enabled, settings.options)  # warm before forking
    chunksize = max(1, min(16, len(files) // (jobs * 8)))
    context = _pool_context()
    # Forked workers already have the index (the initializer's arguments are not pickled then).
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_install_project, initargs=(project,)
    ) as pool:
        yield from pool.map(process_file, files, [settings] * len(files), chunksize=chunksize)
