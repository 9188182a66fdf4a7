"""The last run's findings, file by file, with the stamps they depend on: a warm run answers
from one file read, without parsing, summarising or importing LibCST.

A file's entry holds its findings and the (size, mtime) of every file and directory they depend
on: the file itself, the project modules it reaches through imports, and the directories those
imports were looked for in (`ProjectIndex.dependency_stamps`). When every one of those stamps is
unchanged, so are the findings; when any differs, the file is checked again (and then, often,
found in the content-addressed `ResultCache`, which tells an edit that changed a module's
summary from one that did not).

A recorded stamp is more than the check's (size, mtime): the inode and the status-change time
too, which no tool can set back, so an edit that keeps the size and restores the modification
time (`cp -p`, `touch -r`) is still seen. And as git does with its index, a file whose
modification time is within `RACY_WINDOW_NS` of the moment the record is written is not
trusted: it may be changed again within the same tick of the file system's clock without its
stamp moving. The entries that depend on it are not recorded (they are checked again next
time, usually from the result cache). Directories (where imports were looked for) are
compared by their stamps alone: adding or removing a module moves their ctime as well.

One record per kind of run: the key covers the tool and its code, the enabled codes and the
options, the per-file ignores, where imports are resolved from and the working directory (file
names are shown relative to it). Checksummed and written atomically; an unreadable, damaged
or corrupt record is an empty one.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from async_lint import __version__
from async_lint.diagnostics import Diagnostic
from async_lint.engine.cache import code_fingerprint
from async_lint.engine.cache_files import read_json, write_json
from async_lint.engine.discovery import SourceFile
from async_lint.engine.run_settings import FileResult, GraphNode, RunSettings, display_name
from async_lint.engine.source_files import Stamp
from async_lint.rule_catalog import RULES

RECORD_FORMAT = 3
RACY_WINDOW_NS = 2_000_000_000
"""File systems keep modification times in ticks of up to 2 s (FAT; 1 s on HFS+ and some
network file systems; a few ms on ext4): a stamp this close to now may not move on the next
write."""

FullStamp = tuple[int, int, int, int]
"""(size, mtime, ctime, inode); size -1 for a directory, (-2, 0, 0, 0) for nothing there."""


def full_stamp(path: str) -> FullStamp:
    try:
        status = os.stat(path)
    except OSError:
        return (-2, 0, 0, 0)
    size = -1 if stat.S_ISDIR(status.st_mode) else status.st_size
    return (size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def run_key(settings: RunSettings, roots: Iterable[Path], boundaries: Iterable[Path]) -> str:
    parts = [
        str(RECORD_FORMAT),
        code_fingerprint(),
        ",".join(sorted(settings.enabled)),
        repr(settings.options),
        repr(settings.per_file_ignores),
        str(settings.config_root),
        "|".join(map(str, roots)),
        "|".join(map(str, boundaries)),
        os.getcwd(),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


Entry = tuple[str | None, bool, list[dict[str, object]], str]
"""(Module name, is package, findings as dicts, the node of the import graph its check started from)."""


class RunRecord:
    """The record, kept as the run's import graph: a file's entry names its module's node, and
    its findings hold while no stamp of a node reachable from there has moved. Its size grows
    with the modules and their imports, not with the files times their import closures, and
    telling which entries still hold is one pass over the graph."""

    def __init__(self, cache_dir: Path, key: str) -> None:
        self.cache_dir = cache_dir
        self.path = cache_dir / __version__ / "runs" / f"{key}.json"
        self.stamps: dict[str, FullStamp] = {}
        self.nodes: dict[str, GraphNode] = {}
        """Module path -> (paths of its own stamps, the modules it imports)."""
        self.entries: dict[str, Entry] = {}
        """Absolute path -> its entry."""
        self._stale: set[str] | None = None
        """The nodes whose findings cannot be trusted: a stamp of theirs, or of a node they
        reach, has moved (stat once per run)."""
        self._new_stamps: dict[str, Stamp] = {}
        self._new_nodes: dict[str, GraphNode] = {}
        self._new_entries: dict[str, Entry] = {}
        self._conflicting_stamps: set[str] = set()
        self._conflicting_nodes: set[str] = set()
        self._checked: set[str] = set()
        """The files checked in this run: their old entries go, whatever their new ones."""
        data = read_json(self.path)
        try:
            if data["format"] != RECORD_FORMAT:  # type: ignore[index]
                return
            paths: list[str] = data["paths"]  # type: ignore[index]
            if not all(isinstance(path, str) for path in paths):
                raise ValueError("a path that is not a string")
            stamps = {paths[i]: tuple(stamp) for i, stamp in data["stamps"]}  # type: ignore[index]
            if not all(len(stamp) == 4 and all(isinstance(n, int) for n in stamp) for stamp in stamps.values()):
                raise ValueError("a stamp of the wrong shape")
            nodes = {
                paths[i]: (tuple(paths[j] for j in own), tuple(paths[j] for j in imported))
                for i, own, imported in data["nodes"]  # type: ignore[index]
            }
            entries = {
                path: (module, bool(package), list(findings), paths[node])
                for path, (module, package, findings, node) in data["entries"].items()  # type: ignore[index]
            }
            if not all(isinstance(path, str) and (module is None or isinstance(module, str)) for path, (module, *_) in entries.items()):
                raise ValueError("an entry of the wrong shape")
            self.stamps, self.nodes, self.entries = stamps, nodes, entries
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.stamps, self.nodes, self.entries = {}, {}, {}

    def _stale_nodes(self) -> set[str]:
        if self._stale is None:
            moved = {path for path, stamp in self.stamps.items() if full_stamp(path) != stamp}
            self._stale = _reaching(self.nodes, moved, self.stamps)
        return self._stale

    def lookup(self, source_file: SourceFile) -> FileResult | None:
        """The recorded result of `source_file`, when nothing it depends on has changed."""
        path = os.path.abspath(source_file.path)
        entry = self.entries.get(path)
        if entry is None:
            return None
        module_name, is_package, findings, node = entry
        if (module_name, is_package) != (source_file.module_name, source_file.is_package):
            return None
        if node not in self.nodes or node in self._stale_nodes():
            return None
        filename = display_name(source_file.path)
        try:
            diagnostics = [Diagnostic.from_dict({**item, "filename": filename}) for item in findings]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        if not all(d.code in RULES for d in diagnostics):
            return None
        return FileResult(filename, diagnostics)

    def add(self, source_file: SourceFile, result: FileResult) -> None:
        """Take in one checked file's result as it arrives (its findings, and the part of the
        import graph its process had not given before), and let go of the result's graph."""
        stamps, nodes, node = result.stamps, result.graph, result.node
        result.stamps = result.graph = result.node = None
        self._checked.add(os.path.abspath(source_file.path))
        if stamps is None or nodes is None or node is None:
            return
        for stamp_path, stamp in stamps.items():
            if self._new_stamps.setdefault(stamp_path, stamp) != stamp:
                self._conflicting_stamps.add(stamp_path)  # two processes saw two stamps
        for module, graph_node in nodes.items():
            if self._new_nodes.setdefault(module, graph_node) != graph_node:
                self._conflicting_nodes.add(module)  # two processes read two different models
        findings = [{k: v for k, v in d.to_dict().items() if k != "filename"} for d in result.diagnostics]
        self._new_entries[os.path.abspath(source_file.path)] = (source_file.module_name, source_file.is_package, findings, node)

    def update(self, checked: Iterable[tuple[SourceFile, FileResult]] = ()) -> None:
        """Record what was just checked (`checked`, and what `add` took in), and write the
        record when it changed. Entries of files this run did not check stay, unless a stamp
        they depend on has moved since."""
        for source_file, result in checked:
            self.add(source_file, result)
        new_entries, new_nodes = self._new_entries, self._new_nodes
        if not new_entries:
            return
        # Seen changed since a check read it, or too recent to be trusted: nothing that
        # depends on it is recorded.
        conflicting = set(self._conflicting_stamps)
        racy_after = time.time_ns() - RACY_WINDOW_NS
        new_stamps: dict[str, FullStamp] = {}
        for stamp_path, stamp in self._new_stamps.items():
            now = full_stamp(stamp_path)
            if now[:2] != tuple(stamp) or (now[0] >= 0 and now[1] >= racy_after):
                conflicting.add(stamp_path)
            new_stamps[stamp_path] = now
        # The old entries that stay: none whose graph reaches a stamp that moved since, a node
        # whose imports are not what they were, or a conflict.
        moved = {path for path, stamp in new_stamps.items() if self.stamps.get(path, stamp) != stamp} | conflicting
        redefined = {module for module, graph_node in new_nodes.items() if self.nodes.get(module, graph_node) != graph_node}
        stale_old = _reaching(self.nodes, moved, self.stamps, redefined | self._conflicting_nodes)
        entries = {path: entry for path, entry in self.entries.items() if path not in self._checked and entry[3] not in stale_old}
        nodes = {**self.nodes, **new_nodes}
        stamps = {**self.stamps, **new_stamps}
        stale_new = _reaching(nodes, conflicting, stamps, self._conflicting_nodes)
        entries.update((path, entry) for path, entry in new_entries.items() if entry[3] not in stale_new)
        self._new_stamps, self._new_nodes, self._new_entries = {}, {}, {}
        self._conflicting_stamps, self._conflicting_nodes, self._checked = set(), set(), set()
        self.entries, self.nodes, self.stamps = entries, nodes, stamps
        self._stale = None
        self._write()

    def _write(self) -> None:
        # Only what the entries reach is kept.
        reached: dict[str, None] = {}
        queue = [entry[3] for entry in self.entries.values()]
        while queue:
            module = queue.pop()
            if module in reached:
                continue
            reached[module] = None
            queue.extend(m for m in self.nodes[module][1] if m not in reached)
        ids: dict[str, int] = {}

        def number(path: str) -> int:
            found = ids.get(path)
            if found is None:
                found = ids[path] = len(ids)
            return found

        nodes = [[number(module), [number(p) for p in self.nodes[module][0]], [number(m) for m in self.nodes[module][1]]] for module in sorted(reached)]
        used_stamps = sorted({p for module in reached for p in self.nodes[module][0]})
        data = {
            "format": RECORD_FORMAT,
            "stamps": [[number(path), self.stamps[path]] for path in used_stamps],
            "nodes": nodes,
            "entries": {
                path: [module, package, findings, number(node)] for path, (module, package, findings, node) in self.entries.items()
            },
        }
        data["paths"] = list(ids)
        write_json(self.path, data, self.cache_dir)  # a read-only tree is still checked, just not recorded


def _reaching(nodes: dict[str, GraphNode], moved: set[str], stamps: dict[str, FullStamp], bad: Iterable[str] = ()) -> set[str]:
    """The nodes from which a moved stamp, a stamp that is not there, a node in `bad` or one
    that is not there can be reached: one pass over the reversed graph."""
    importers: dict[str, list[str]] = {}
    stale: set[str] = set()
    for module, (own, imported) in nodes.items():
        if any(p in moved or p not in stamps for p in own):
            stale.add(module)
        for dependency in imported:
            if dependency not in nodes:
                stale.add(module)
            else:
                importers.setdefault(dependency, []).append(module)
    stale.update(module for module in bad if module in nodes)
    queue = list(stale)
    while queue:
        for importer in importers.get(queue.pop(), ()):
            if importer not in stale:
                stale.add(importer)
                queue.append(importer)
    return stale
