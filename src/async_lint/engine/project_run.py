"""A run over a project's files with the cache on: what the run record answers, what it can
answer again after an edit the file cannot see, what the result cache holds, and the rest
checked; then the record and the result cache brought up to date.

The parent process holds the findings and the import graph (a node per module, passed up by the
worker that checked it: `ProjectIndex.node`); the workers keep the models. The result cache's
keys are made here, once per run, from the graph (`closure_fingerprints`): no worker reads the
import closure of the files it checks, so a first run costs what a run without the cache costs,
plus writing the cache.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from async_lint.engine.cache import ResultCache
from async_lint.engine.dependency_graph import closure_fingerprints
from async_lint.engine.discovery import SourceFile
from async_lint.engine.project_index import ProjectIndex
from async_lint.engine.run_record import RunRecord, run_key
from async_lint.engine.run_settings import FileResult, FixMode, RunSettings, enabled_for_file


@dataclass
class RunStats:
    from_record: int = 0
    """Answered by the run record as it was."""
    revalidated: int = 0
    """Answered by the run record after an edit the file cannot see."""
    summarised: int = 0
    summaries_read: int = 0
    """Module models this process made, and read from the summary cache, for the record (the
    workers count their own in each `FileResult`)."""


def check_project_files(
    files: list[SourceFile],
    settings: RunSettings,
    project: ProjectIndex,
    jobs: int,
    on_checked: Callable[[int], Callable[[FileResult], None]] | None = None,
) -> tuple[list[FileResult], RunStats]:
    """Each file's result, in order. `on_checked(n)`: told that `n` files are to be checked,
    gives what is called with each of their results as it comes."""
    stats = RunStats()
    record = None
    if settings.cache_dir is not None and settings.fix_mode == FixMode.NONE:
        record = RunRecord(settings.cache_dir, run_key(settings, project.roots, project.boundaries))
    results: list[FileResult | None] = [record.lookup(f) if record is not None else None for f in files]
    stats.from_record = sum(result is not None for result in results)
    pending = [index for index, result in enumerate(results) if result is None]
    keys: list[str | None] = [None] * len(pending)
    before = (project.stats.summarised, project.stats.from_cache)
    if record is not None and pending:
        again = record.revalidate([files[i] for i in pending], project)
        for index, result in zip(pending, again, strict=True):
            results[index] = result
        stats.revalidated = sum(result is not None for result in again)
        pending = [index for index in pending if results[index] is None]
        if not record.entries and pending and _has_results(settings.cache_dir):
            # No record (another kind of run, or a lost one) but results from earlier runs: the
            # graph is made first, in parallel, for the keys (its models are cached on the way).
            from async_lint.engine.runner import graph_nodes

            paths = [files[i].path for i in pending]
            for path, found in zip(paths, graph_nodes(paths, jobs, project), strict=True):
                if found is not None:
                    record.take_node(os.path.abspath(path), *found)
            record.complete(project)
        keys = _cache_keys(record, [files[i] for i in pending], settings)
    stats.summarised, stats.summaries_read = project.stats.summarised - before[0], project.stats.from_cache - before[1]
    if pending:
        from async_lint.engine.runner import run_files

        pending_files = [files[i] for i in pending]
        on_result = on_checked(len(pending)) if on_checked is not None else None
        if record is not None:
            # Each result goes into the record as it comes: its node is not kept twice.
            recording, order, told = record, iter(pending_files), on_result

            def take(result: FileResult) -> None:
                recording.add(next(order), result)
                if told is not None:
                    told(result)

            on_result = take
        checked = run_files(pending_files, settings, jobs, on_result, project=project, cache_keys=keys)
        for index, result in zip(pending, checked, strict=True):
            results[index] = result
    if record is not None:
        before = (project.stats.summarised, project.stats.from_cache)
        record.complete(project)
        stats.summarised += project.stats.summarised - before[0]
        stats.summaries_read += project.stats.from_cache - before[1]
        _fill_result_cache(record, files, settings)
        record.update()
    return [result for result in results if result is not None], stats


def _has_results(cache_dir: Path | None) -> bool:
    """Whether the result cache holds anything (its entries are in two-hex-digit directories)."""
    if cache_dir is None:
        return False
    try:
        with os.scandir(ResultCache(cache_dir).directory) as entries:
            return any(len(entry.name) == 2 and entry.is_dir() for entry in entries)
    except OSError:
        return False


def _cache_keys(record: RunRecord, files: list[SourceFile], settings: RunSettings) -> list[str | None]:
    """Where the result cache may hold each file's findings, when the graph as known before the
    run holds the file's whole import closure (else None: the file is checked)."""
    from async_lint.engine.runner import result_cache_key

    nodes = record.known_nodes()
    paths = [f.absolute for f in files]
    fingerprints = closure_fingerprints(nodes, [p for p in paths if p in nodes])
    keys: list[str | None] = []
    for path, source_file in zip(paths, files, strict=True):
        fingerprint = fingerprints.get(path)
        content = nodes[path].content if path in nodes else ""
        if fingerprint is None or not content:
            keys.append(None)
        else:
            keys.append(result_cache_key(content, enabled_for_file(source_file.path, settings), settings, source_file, fingerprint))
    return keys


def _fill_result_cache(record: RunRecord, files: list[SourceFile], settings: RunSettings) -> None:
    """Put the findings of every file this run checked (or answered again) in the result cache,
    under the keys the graph now gives them. A file answered again after an edit that left
    every model and import as it was keeps the key it had: its entry is there already."""
    assert settings.cache_dir is not None
    entries = record.taken_entries()
    if not entries:
        return  # a run the record answered whole imports neither the runner nor LibCST
    from async_lint.engine.runner import result_cache_key

    answered_again = record.answered_again()
    if answered_again and record.interfaces_kept():
        entries = {path: entry for path, entry in entries.items() if path not in answered_again}
    nodes = record.known_nodes()
    fingerprints = closure_fingerprints(nodes, [entry[3] for entry in entries.values()])
    cache = ResultCache(settings.cache_dir)
    by_path = {f.absolute: f for f in files}
    for path, (_, _, findings, node) in entries.items():
        source_file = by_path.get(path)
        fingerprint = fingerprints.get(node)
        if source_file is None or fingerprint is None or not nodes[node].content:
            continue
        key = result_cache_key(nodes[node].content, enabled_for_file(Path(path), settings), settings, source_file, fingerprint)
        if path in answered_again and cache.has(key):
            continue  # an edit that changed no part this file reads: the entry may be there
        cache.put_data(key, findings)
