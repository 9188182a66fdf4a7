"""Check (and fix) many files, in parallel: each worker reads, checks, fixes and writes its own
files, so nothing but small result objects crosses process boundaries.

The project index is made by the caller and filled as it is used: each worker summarises a
module when a check first reaches it (its own file from the bytes it has read, an imported one
from the summary cache or from its text). Forked workers inherit the parent's index, spawned
ones receive it once through the pool initializer (never per file)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from async_lint.analysis.module_model import ModuleModel
from async_lint.deep_stack import run_deep
from async_lint.diagnostics import Diagnostic
from async_lint.engine.cache import ResultCache
from async_lint.engine.checker import (
    check_text,
    compiles,
    infrastructure_diagnostic,
)
from async_lint.engine.collection import collected_after
from async_lint.engine.dependency_graph import Node
from async_lint.engine.discovery import SourceFile
from async_lint.engine.interrupts import EXIT_TERMINATED, Terminated, prepare_worker, stop_signals_held
from async_lint.engine.libcst_fields import install_field_order
from async_lint.engine.project_index import ProjectIndex, user_cache_dir
from async_lint.engine.run_settings import (
    FileResult,
    FixMode,
    RunSettings,
    display_name,
    enabled_for_file,
)
from async_lint.engine.source_files import (
    SourceText,
    Stamp,
    UnreadableSource,
    check_size,
    decode_source,
    FileChanged,
    read_source_file,
    write_fixed_source,
)
from async_lint.fixes import apply_fixes
from async_lint.rule_catalog import INTERNAL_ERROR, UNREADABLE_FILE

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

MAX_FIX_ROUNDS = 10


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
    summary: ModuleModel | None = None,
    keep_text: bool = True,
) -> FileResult:
    """Check one file's text (whose summary `summary` is, when given), and fix it when the
    settings say so (writing nothing). The result keeps the text (`original_text`) when
    fixing, or when `keep_text`."""
    rule_set = settings.rules(settings.enabled, settings.options).only(settings.enabled if codes is None else codes)

    def check(text: str, summary: ModuleModel | None = None) -> list[Diagnostic]:
        return check_text(
            text,
            filename,
            rule_set,
            module_name=module_name,
            is_package=is_package,
            project=project,
            path=path,
            summary=summary,
        )

    diagnostics = check(source.text, summary)
    if settings.fix_mode == FixMode.NONE and not keep_text:
        return FileResult(filename, diagnostics)  # the text stays here: the caller holds only findings
    result = FileResult(filename, diagnostics, original_text=source.text)
    if settings.fix_mode == FixMode.NONE:
        return result
    text = source.text
    originally_compiles = compiles(text, filename)
    for _ in range(MAX_FIX_ROUNDS):
        new_text, applied = apply_fixes(text, diagnostics, settings.unsafe_fixes)
        if not applied:
            break
        problem = _unusable_fix(new_text, filename, originally_compiles)
        if problem is not None:
            result.fix_error = f"fixes left unapplied: they would make the file {problem}"
            break
        text = new_text
        result.fixed += applied
        diagnostics = check(text)
    result.fixed_text = text
    result.diagnostics = diagnostics
    return result


def _unusable_fix(text: str, filename: str, must_compile: bool) -> str | None:
    try:
        run_deep(cst.parse_module, text)
    except Exception:  # noqa: BLE001
        return "fail to parse"
    if must_compile and not compiles(text, filename):
        return "fail to compile"
    return None


def process_file(source_file: SourceFile, settings: RunSettings, cache_key: str | None = None) -> FileResult:
    """Read, check, maybe fix and write one file. Never raises: every failure is a diagnostic.
    `cache_key`: where the result cache may hold its findings (None: not looked up)."""
    filename = display_name(source_file.path)
    stats = _project.stats if _project is not None else None
    before = (stats.summarised, stats.from_cache) if stats is not None else (0, 0)
    try:
        with collected_after():
            result = _process_file(source_file, filename, settings, cache_key)
        if stats is not None:
            result.summarised, result.summaries_read = stats.summarised - before[0], stats.from_cache - before[1]
        return result
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001
        message = f"internal error while checking this file: {type(error).__name__}: {error}"
        return FileResult(filename, [infrastructure_diagnostic(INTERNAL_ERROR, filename, message)])


def _process_file(source_file: SourceFile, filename: str, settings: RunSettings, cache_key: str | None) -> FileResult:
    path = source_file.path
    try:
        data, stamp = read_source_file(path)
        check_size(len(data), settings.max_file_size)
        source = decode_source(data)
    except UnreadableSource as error:
        return FileResult(filename, [infrastructure_diagnostic(UNREADABLE_FILE, filename, str(error))])
    codes = enabled_for_file(path, settings)
    summary = _project.summary_of_source(path, data, stamp) if _project is not None else None
    recording = settings.cache_dir is not None and settings.fix_mode == FixMode.NONE and _project is not None
    if recording and cache_key is not None:
        # The key was made by the caller, from the import graph (`result_cache_key`): a file's
        # findings depend on the modules it imports too (ASL100 knows their coroutines).
        assert settings.cache_dir is not None
        cached = ResultCache(settings.cache_dir).get(cache_key, filename)
        if cached is not None:
            return _recorded(FileResult(filename, cached, from_result_cache=True), path)
    result = check_source(
        source, filename, settings, source_file.module_name, source_file.is_package, codes, _project, path, summary, keep_text=False
    )
    if recording and not any(d.code == INTERNAL_ERROR for d in result.diagnostics):
        _recorded(result, path)
    if settings.fix_mode == FixMode.WRITE and result.changed:
        assert result.fixed_text is not None
        try:
            write_fixed_source(path, data, result.fixed_text, source.encoding)
        except FileChanged:
            result.fix_error = "the file changed during the run; fixes not written"
        except UnreadableSource as error:
            result.fix_error = f"fixes not written: {error}"
            result.write_failed = True
        except (OSError, UnicodeError) as error:
            result.fix_error = f"cannot write the fixes: {getattr(error, 'strerror', None) or error}"
            result.write_failed = True
        if result.fix_error:
            result.fixed_text = None
            result.fixed = []
            result.diagnostics = check_source(
                source,
                filename,
                RunSettings(codes, settings.options, settings.config_root, rules=settings.rules),
                source_file.module_name,
                source_file.is_package,
                project=_project,
                path=path,
            ).diagnostics
    return result


def _recorded(result: FileResult, path: Path) -> FileResult:
    """`result` with what the run record and the result cache need of its module: its node of
    the import graph (made from the module alone: no file pays for its import closure)."""
    assert _project is not None
    result.graph = _project.node(path)
    return result


def result_cache_key(content: str, codes: frozenset[str], settings: RunSettings, source_file: SourceFile, closure: str) -> str:
    """A file's key in the result cache: its bytes (their content key, `Node.content`), what the
    run asks, its module name, and its import closure's fingerprint (`closure_fingerprints`)."""
    parts = (",".join(sorted(codes)), repr(settings.options), source_file.module_name or "", str(source_file.is_package))
    return ResultCache.key(content.encode(), *parts, "closure:" + closure)


def graph_nodes(paths: list[Path], jobs: int, project: ProjectIndex) -> list[tuple[Node, dict[str, Stamp]] | None]:
    """Each module's node of the import graph (`ProjectIndex.node`), made by `jobs` processes;
    None for a module that cannot be read."""
    _install_project(project)
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1 or len(paths) < 64:
        return [_node_of(path) for path in paths]
    chunksize = max(1, min(64, len(paths) // (jobs * 8)))
    pool = _pool(jobs, project)
    try:
        with stop_signals_held():
            chunks = [pool.submit(_nodes_in_worker, paths[start : start + chunksize]) for start in range(0, len(paths), chunksize)]
        return [node for chunk in chunks for node in chunk.result()]
    except BaseException:
        _terminate_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True)


def _node_of(path: Path) -> tuple[Node, dict[str, Stamp]] | None:
    assert _project is not None
    try:
        return _project.node(path)
    except (OSError, ValueError, RecursionError, MemoryError):
        return None


def _nodes_in_worker(paths: list[Path]) -> list[tuple[Node, dict[str, Stamp]] | None]:
    try:
        return [_node_of(path) for path in paths]
    except Terminated:
        os._exit(EXIT_TERMINATED)


def _pool(jobs: int, project: ProjectIndex | None) -> ProcessPoolExecutor:
    """Worker processes, forked where that is safe (Linux), else spawned. Forked workers already
    have the index (the initializer's arguments are not pickled then). Imported here: a run of
    a few files in this process needs no pool."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods and sys.platform == "linux" else "spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(project, os.getpid()))


def run_files(
    files: list[SourceFile],
    settings: RunSettings,
    jobs: int,
    on_result: Callable[[FileResult], None] | None = None,
    project: ProjectIndex | None = None,
    cache_keys: list[str | None] | None = None,
) -> list[FileResult]:
    """Results in the order of `files`; `project` is the index the rules resolve names in;
    `cache_keys[i]`: where the result cache may hold the findings of `files[i]`."""
    _install_project(project)
    install_field_order(user_cache_dir() if settings.cache_dir is not None else None)  # before the workers fork
    results: list[FileResult] = []
    keys: list[str | None] = cache_keys if cache_keys is not None else [None] * len(files)
    for result in _iter_results(files, keys, settings, jobs, project):
        if on_result is not None:
            on_result(result)
        results.append(result)
    return results


def _iter_results(
    files: list[SourceFile], keys: list[str | None], settings: RunSettings, jobs: int, project: ProjectIndex | None
) -> Iterator[FileResult]:
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1 or len(files) < 8:
        for source_file, key in zip(files, keys, strict=True):
            yield process_file(source_file, settings, key)
        return
    settings.rules(settings.enabled, settings.options)  # warm before forking
    pool = _pool(jobs, project)
    try:
        with stop_signals_held():  # the workers start within: see `stop_signals_held`
            # Chunks submitted one by one, not `pool.map`: its iterator cancels the pending
            # futures when a signal unwinds it, and the pool then fails on the cancelled ones.
            chunks = [
                pool.submit(_process_files_in_worker, files[start:end], keys[start:end], settings)
                for start, end in guided_chunks(len(files), jobs)
            ]
        for chunk in chunks:
            yield from chunk.result()
    except BaseException:
        _terminate_workers(pool)  # the pending files' futures then fail, quietly, with the pool
        raise
    finally:
        pool.shutdown(wait=True)


SMALLEST_CHUNK = 4
"""Files in the last chunks handed to a worker."""


def guided_chunks(count: int, jobs: int) -> list[tuple[int, int]]:
    """`count` files split into contiguous runs for `jobs` workers, large first and shrinking
    (guided scheduling): each run is a share of what is left. The files come sorted by path,
    so one package's files mostly go to one worker, which then models the modules they import
    once, where small interleaved chunks made every worker model nearly every module; the
    small last runs keep the workers finishing together."""
    spans: list[tuple[int, int]] = []
    start = 0
    while start < count:
        end = min(count, start + max(SMALLEST_CHUNK, (count - start) // (jobs * 2)))
        spans.append((start, end))
        start = end
    return spans


def _terminate_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM to each worker (its writes in progress clean up), so that none outlives the run;
    `shutdown` alone would let each finish its current files first."""
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        if process.is_alive():
            process.terminate()
    for process in list(processes.values()):
        process.join()


def _process_files_in_worker(files: list[SourceFile], keys: list[str | None], settings: RunSettings) -> list[FileResult]:
    """`process_file` for each file, ending the worker on SIGTERM once the file's writes have
    cleaned up (the pool would otherwise send the exception back as a result and go on)."""
    try:
        return [process_file(source_file, settings, key) for source_file, key in zip(files, keys, strict=True)]
    except Terminated:
        os._exit(EXIT_TERMINATED)


def _start_worker(project: ProjectIndex | None, parent: int) -> None:
    prepare_worker(parent)
    _install_project(project)


