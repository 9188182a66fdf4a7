"""The last run's findings, file by file, and the import graph they depend on: a warm run answers
from one file read, without parsing, summarising or importing LibCST.

The record keeps the run's import graph (`engine/dependency_graph.py`): a node per module (the
paths whose stamps it depends on itself: its file, its directory and the directories its imports
were looked for in; the modules it imports; the hash of its bytes), and each file's entry (its
findings) names its module's node. An entry holds while no stamp of a node its module reaches
has moved. Its size grows with the modules and their imports, not with the files times their
import closures, and telling which entries still hold is one pass over the reversed graph.

A moved stamp is not yet a change: a file whose bytes hash as before (a fresh clone, `touch`,
a branch switched there and back) or a directory whose entries are the same names is only
stamped again. When a module's bytes did change, the files that import it are not all checked
again: its old model (from the summary cache) and its new one tell which of its parts changed
(`ModuleModel.parts`), and a file is checked again only when one of their names is among the
identifiers of its text or the names mentioned by a module of its import closure on the way to
the edited one (`ModuleModel.mentions`, of those modules' models in the summary cache, read only
then). A comment, or a new function nobody names, re-checks only the edited file.

A recorded stamp is more than the check's (size, mtime): the inode and the status-change time
too, which no tool can set back, so an edit that keeps the size and restores the modification
time (`cp -p`, `touch -r`) is still seen. And as git does with its index, a file whose
modification time is within one clock tick of the moment the record is written (`is_racy`) is not
trusted: it may be changed again within the same tick of the file system's clock without its
stamp moving. The entries that depend on it are not recorded (they are checked again next
time).

One record per kind of run: the key covers the tool and its code, the enabled codes and the
options, the per-file ignores, where imports are resolved from and the working directory (file
names are shown relative to it). Checksummed and written atomically; an unreadable, damaged
or corrupt record is an empty one (and a model missing from the summary cache makes its module
a possible reader of every name: more files are checked, none wrongly answered).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from async_lint import __version__
from async_lint.diagnostics import Diagnostic
from async_lint.engine.cache import code_fingerprint
from async_lint.engine.dependency_graph import Node, importers_of, reversed_graph
from async_lint.engine.discovery import SourceFile
from async_lint.engine.record_files import Entry, FullStamp, RecordState, RecordStore
from async_lint.engine.run_settings import FileResult, RunSettings, display_name
from async_lint.engine.source_files import Stamp, UnreadableSource, read_source_file
from async_lint.rule_catalog import RULES

if TYPE_CHECKING:
    from async_lint.engine.project_index import ProjectIndex

RECORD_FORMAT = 5
RACY_WINDOW_NS = 2_000_000_000
"""File systems keep modification times in ticks of up to 2 s (FAT; 1 s on HFS+ and some
network file systems; a few ms on ext4): a stamp this close to now may not move on the next
write."""
FINE_RACY_WINDOW_NS = 50_000_000
"""For a modification time with a fraction of a second, the file system's clock is a fine one
(the kernel's tick, 1-10 ms): a stamp older than this has moved past its tick."""


def is_racy(mtime_ns: int, now_ns: int) -> bool:
    """Whether a stamp is too recent to be trusted (the next write may not move it)."""
    window = FINE_RACY_WINDOW_NS if mtime_ns % 1_000_000_000 else RACY_WINDOW_NS
    return mtime_ns >= now_ns - window
IDENTIFIER = re.compile(r"[^\W\d]\w*")
"""The names a file's text can use (a superset: strings and comments count too)."""

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


@dataclass
class _Taken:
    """What this run's results brought, as they arrived."""

    stamps: dict[str, Stamp] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    """Files checked or answered again: their old entries go, whatever their new ones."""
    answered_again: set[str] = field(default_factory=set)
    """Files answered again after an edit they cannot see (`revalidate`)."""
    conflicting_stamps: set[str] = field(default_factory=set)
    conflicting_nodes: set[str] = field(default_factory=set)


class RunRecord:
    def __init__(self, cache_dir: Path, key: str) -> None:
        self.path = cache_dir / __version__ / "runs" / f"{key}.json"
        self.stamps: dict[str, tuple[FullStamp, str]]
        """Path -> (its stamp, the hash of its content: a file's bytes, a directory's names; "" unknown)."""
        self.nodes: dict[str, Node]
        self._reversed: dict[str, list[str]] | None = None
        """`reversed_graph(self.nodes)`, made once (the graph is large on a big tree)."""
        self.entries: dict[str, Entry]
        """Absolute path -> its entry."""
        self._changed: set[str] | None = None
        """The recorded paths whose stamp moved and whose content changed (stat once per run)."""
        self._stale: set[str] | None = None
        """The nodes that reach a changed path, or a node or stamp not in the record."""
        self._touched: set[str] | None = None
        """`_touched_nodes`, made once."""
        self._unchanged: dict[str, Node] | None = None
        """The recorded nodes none of whose own paths changed (`known_nodes`)."""
        self._refreshed: dict[str, tuple[FullStamp, str]] = {}
        """Paths whose stamp moved but not their content: stamped again when the record is written."""
        self._taken = _Taken()
        self._store = RecordStore(self.path, cache_dir, RECORD_FORMAT)
        state = self._store.load()
        self.stamps, self.nodes, self.entries = state.stamps, state.nodes, state.entries

    # --- what still holds ---

    def _changed_paths(self) -> set[str]:
        if self._changed is None:
            self._changed = set()
            started = time.time_ns()
            for path, (stamp, content) in self.stamps.items():
                now = full_stamp(path)
                if now == stamp:
                    continue
                if content and now[0] != -2 and _content(path, now) == content:
                    if now[0] < 0 or not is_racy(now[1], started):
                        self._refreshed[path] = (now, content)
                    continue
                self._changed.add(path)
        return self._changed

    def _touched_nodes(self) -> set[str]:
        """The nodes that are not what they were: a path of their own changed (or is not in
        the record), or a module they import is not in the record."""
        if self._touched is None:
            changed = self._changed_paths()
            self._touched = {
                module
                for module, node in self.nodes.items()
                if _moved(node.own, changed, self.stamps) or not all(map(self.nodes.__contains__, node.imports))
            }
        return self._touched

    def _stale_nodes(self) -> set[str]:
        """The nodes whose import closure reaches a node that is not what it was."""
        if self._stale is None:
            self._stale = self._importers_of(self._touched_nodes())
        return self._stale

    def known_nodes(self) -> dict[str, Node]:
        """The import graph as far as it is known now: the recorded nodes that are what they
        were (a node depends only on its own paths), and those this run took in."""
        if self._unchanged is None:
            changed = self._changed_paths()
            self._unchanged = {m: n for m, n in self.nodes.items() if not _moved(n.own, changed, self.stamps)}
        return {**self._unchanged, **self._taken.nodes}

    def interfaces_kept(self) -> bool:
        """Whether every module this run took in was recorded with the same imports, import
        resolution and model (`Node.interface`): then no recorded file's closure fingerprint
        moved, and the result-cache keys of the files answered again are the ones they had."""
        return all(
            (old := self.nodes.get(m)) is not None and (old.imports, old.resolution, old.interface) == (n.imports, n.resolution, n.interface)
            for m, n in self._taken.nodes.items()
        )

    def lookup(self, source_file: SourceFile) -> FileResult | None:
        """The recorded result of `source_file`, when nothing it depends on has changed."""
        path = source_file.absolute
        entry = self.entries.get(path)
        if entry is None or entry[3] not in self.nodes or entry[3] in self._stale_nodes():
            return None
        return self._result(source_file, entry)

    def _result(self, source_file: SourceFile, entry: Entry) -> FileResult | None:
        module_name, is_package, findings, _ = entry
        if (module_name, is_package) != (source_file.module_name, source_file.is_package):
            return None
        filename = display_name(source_file.path)
        try:
            diagnostics = [Diagnostic.from_dict({**item, "filename": filename}) for item in findings]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        if not all(d.code in RULES for d in diagnostics):
            return None
        return FileResult(filename, diagnostics)

    def _importers_of(self, modules: set[str]) -> set[str]:
        if self._reversed is None:
            self._reversed = reversed_graph(self.nodes)
        return importers_of(self.nodes, modules, self._reversed)

    def revalidate(self, files: list[SourceFile], index: ProjectIndex) -> list[FileResult | None]:
        """For files `lookup` could not answer: the recorded result of each that an edit did
        not reach, and None for the others (and for files the record does not know). A file
        is reached when a module of its import closure changed how its imports resolve (or a
        directory they were looked for in changed), or changed a part of its model whose name
        the file's text or a module of its closure mentions (`ModuleModel.parts`)."""
        results: list[FileResult | None] = [None] * len(files)
        stale = self._stale_nodes()
        candidates = [(i, f) for i, f in enumerate(files) if (e := self.entries.get(f.absolute)) is not None and e[3] in stale]
        if not candidates:
            return results
        changed = self._changed_paths()
        touched = self._touched_nodes()
        everything: set[str] = set()
        """The modules whose importers are all reached."""
        edits: dict[str, frozenset[str]] = {}
        """A module whose model changed -> the names of its parts that changed."""
        for module in touched:
            names = self._changed_names(module, changed, index)
            if names is None:
                everything.add(module)
            else:
                edits[module] = names
        reached = self._importers_of(everything)
        reached.update(edits)
        all_names: frozenset[str] = frozenset().union(*edits.values())
        if all_names:
            # A module can read a changed part for the files importing it only when its import
            # closure reaches the edited module and it names the part.
            affected = self._importers_of(set(edits))
            readers = {m for m in affected if not self._mentions(m, index, m in edits).isdisjoint(all_names)}
            reached |= self._importers_of(readers) & affected
        for i, source_file in candidates:
            path = source_file.absolute
            entry = self.entries[path]
            if entry[3] in reached or path in changed:
                continue
            if all_names and _may_name(path, all_names):
                continue
            result = self._result(source_file, entry)
            if result is not None:
                results[i] = result
                self._taken.entries[path] = entry
                self._taken.checked.add(path)
                self._taken.answered_again.add(path)
        for module in edits:  # the nodes of the edited modules as they are now
            self.take_node(module, *index.node(Path(module)))
        return results

    def _mentions(self, module: str, index: ProjectIndex, edited: bool) -> frozenset[str] | _Everything:
        """The names `module`'s recorded model mentions (`ModuleModel.mentions`), and its new
        model's too when it was `edited`; every name when a model is not to be had."""
        node = self.nodes[module]
        if not node.content:
            return frozenset() if os.path.isdir(module) else _EVERYTHING
        old = index.cached_mentions(node.content)
        if old is None:
            return _EVERYTHING
        if not edited:
            return old
        new = index.model(Path(module))
        return _EVERYTHING if new is None else old | new.mentions()

    def _changed_names(self, module: str, changed: set[str], index: ProjectIndex) -> frozenset[str] | None:
        """The names of the parts of `module`'s model that differ from the recorded ones, when
        only its own file changed and its imports resolve as before; None when anything else
        changed or the old model is not in the summary cache."""
        old = self.nodes[module]
        if any(p in changed or p not in self.stamps for p in old.own if p != module) or any(d not in self.nodes for d in old.imports):
            return None
        path = Path(module)
        if path.is_dir() or not old.content:
            return None
        new, _ = index.node(path)
        if (new.imports, new.resolution, new.own) != (old.imports, old.resolution, old.own) or not new.content:
            return None
        before, after = index.cached_model(old.content), index.model(path)
        if before is None or after is None:
            return None
        old_parts = {key: data for key, _, data in before.parts()}
        names: set[str] = set()
        seen: set[str] = set()
        for key, part_names, data in after.parts():
            seen.add(key)
            if old_parts.get(key, _MISSING) != data:
                names.update(part_names)
        for key, part_names, _ in before.parts():
            if key not in seen:
                names.update(part_names)
        if any(name.startswith("__") for name in names):
            return None  # dunders are looked up unasked (`__init__`, `__aenter__`)
        return frozenset(names)

    # --- taking in this run's results ---

    def add(self, source_file: SourceFile, result: FileResult) -> None:
        """Take in one checked file's result as it arrives (its findings, its module's node),
        and let go of the result's node."""
        taken = result.graph
        result.graph = None
        path = source_file.absolute
        self._taken.checked.add(path)
        if taken is None:
            return
        self.take_node(path, *taken)
        findings = [{k: v for k, v in d.to_dict().items() if k != "filename"} for d in result.diagnostics]
        self._taken.entries[path] = (source_file.module_name, source_file.is_package, findings, path)

    def take_node(self, module: str, node: Node, stamps: dict[str, Stamp]) -> None:
        """Take in a module's node as this run made it (`ProjectIndex.node`)."""
        taken = self._taken
        for stamp_path, stamp in stamps.items():
            if taken.stamps.setdefault(stamp_path, tuple(stamp)) != tuple(stamp):  # type: ignore[arg-type]
                taken.conflicting_stamps.add(stamp_path)  # two processes saw two stamps
        if taken.nodes.setdefault(module, node) != node:
            taken.conflicting_nodes.add(module)  # two processes read two different models

    def complete(self, index: ProjectIndex) -> None:
        """Read the modules this run's entries reach that no result brought and the record
        does not hold as they are (not checked in this run: outside the checked files)."""
        taken = self._taken
        known = self.known_nodes()
        queue = [m for node in taken.nodes.values() for m in node.imports]
        while queue:
            module = queue.pop()
            if module in known or module in taken.nodes:
                continue
            node, stamps = index.node(Path(module))
            self.take_node(module, node, stamps)
            queue.extend(node.imports)

    def taken_entries(self) -> dict[str, Entry]:
        """The entries this run made (checked, or answered again after an edit it cannot see)."""
        return self._taken.entries

    def answered_again(self) -> set[str]:
        """The files of `taken_entries` answered again after an edit they cannot see."""
        return self._taken.answered_again

    def update(self, checked: Iterable[tuple[SourceFile, FileResult]] = ()) -> None:
        """Record what was just checked (`checked`, and what `add` and `revalidate` took in),
        and write the record when it changed. Entries of files this run did not check stay,
        unless a stamp they depend on has changed since."""
        for source_file, result in checked:
            self.add(source_file, result)
        taken, self._taken = self._taken, _Taken()
        if not taken.entries and not self._refreshed:
            return
        # Seen changed since a check read it, or too recent to be trusted: nothing that
        # depends on it is recorded.
        conflicting = set(taken.conflicting_stamps)
        written = time.time_ns()
        new_stamps: dict[str, tuple[FullStamp, str]] = dict(self._refreshed)
        for stamp_path, stamp in taken.stamps.items():
            now = full_stamp(stamp_path)
            if now[:2] != stamp or (now[0] >= 0 and is_racy(now[1], written)):
                conflicting.add(stamp_path)
            node = taken.nodes.get(stamp_path)
            old = self.stamps.get(stamp_path)
            content = node.content if node is not None else old[1] if old is not None and old[0] == now else _content(stamp_path, now)
            new_stamps[stamp_path] = (now, content)
        # The old entries that stay: none whose graph reaches a stamp that changed since, a
        # node whose imports are not what they were, or a conflict.
        moved = {p for p, (stamp, _) in new_stamps.items() if p in self.stamps and self.stamps[p][0] != stamp and p not in self._refreshed}
        moved |= conflicting | self._changed_paths()
        redefined = {m for m, node in taken.nodes.items() if self.nodes.get(m, node) != node} | taken.conflicting_nodes
        stale_old = self._importers_of({m for m, n in self.nodes.items() if m in redefined or not moved.isdisjoint(n.own)})
        entries = {p: e for p, e in self.entries.items() if p not in taken.checked and e[3] not in stale_old and e[3] in self.nodes}
        # A node depends only on its own paths: the recorded ones that did not move still hold.
        nodes = {**{m: n for m, n in self.nodes.items() if m not in redefined and moved.isdisjoint(n.own)}, **taken.nodes}
        stamps = {**self.stamps, **new_stamps}
        seeds = {
            m
            for m, n in nodes.items()
            if m in taken.conflicting_nodes or _moved(n.own, conflicting, stamps) or not all(map(nodes.__contains__, n.imports))
        }
        stale_new = importers_of(nodes, seeds)
        entries.update((p, e) for p, e in taken.entries.items() if e[3] not in stale_new and e[3] in nodes)
        self.entries, self.nodes, self.stamps = entries, nodes, stamps
        self._reversed = None
        self._changed = self._stale = self._unchanged = self._touched = None
        self._refreshed = {}
        self._store.save(RecordState(stamps, nodes, entries))


_MISSING = object()


class _Everything:
    """The names mentioned by a module whose model is not to be had: every name."""

    def isdisjoint(self, names: Iterable[str]) -> bool:
        return not any(True for _ in names)


_EVERYTHING = _Everything()


def _moved(own: tuple[str, ...], changed: set[str], stamps: dict[str, tuple[FullStamp, str]]) -> bool:
    """Whether one of a node's own paths changed, or has no stamp in the record."""
    return not changed.isdisjoint(own) or not all(map(stamps.__contains__, own))


def _content(path: str, stamp: FullStamp) -> str:
    """A file's content key (as `ProjectIndex` knows its bytes), a directory's names' hash."""
    if stamp[0] == -1:
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return ""
        return "dir:" + hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    from async_lint.engine.project_index import content_key

    try:
        data, _ = read_source_file(Path(path))
    except UnreadableSource:
        return ""
    return content_key(data)


def _may_name(path: str, names: frozenset[str]) -> bool:
    """Whether the file's text has one of `names` as an identifier (True when it cannot be
    read). Most files have none of them even as a substring, which is quicker to find out."""
    try:
        data, _ = read_source_file(Path(path))
    except UnreadableSource:
        return True
    text = data.decode("utf-8", "replace")
    if not any(name in text for name in names):
        return False
    return not names.isdisjoint(IDENTIFIER.findall(text))
