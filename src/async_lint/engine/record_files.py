"""The run record on disk: a base and a journal of the changes since, so that a run that changed
a few entries writes those few, not the whole record again (on a 10,000-file tree the record
is megabytes: rewriting it cost more than checking the edited file).

The base (`<key>.json`) is a checksummed entry written atomically (`cache_files`), with a
random id. The journal (`<key>.journal`) holds one line per run since, appended with a single
write: a checksum, then what the run set and dropped, the base's id, and how many lines were
applied when the run read the record. A line is applied only in order, to its own base, after
exactly the lines its run saw: a torn line, a line of another base (written before a
compaction) or a line of a run that read the record while another one wrote it ends the
journal there; what was read is the state some run wrote whole, so a record is never a mix
of two runs' views. Such a journal, or one grown past a quarter of the base (and 64 KiB) or
200 lines, is folded into a new base the next time the record is written (compaction: only
the nodes the entries reach are kept), and removed.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from async_lint.engine.cache_files import checksum, claim, json_payload, read_json, write_json
from async_lint.engine.dependency_graph import Node

FullStamp = tuple[int, int, int, int]
"""(size, mtime, ctime, inode); size -1 for a directory, (-2, 0, 0, 0) for nothing there."""
Entry = tuple[str | None, bool, list[dict[str, object]], str]
"""(Module name, is package, findings as dicts, the module's node in the import graph)."""

Value = TypeVar("Value")

COMPACT_ABOVE = 0.25
COMPACT_FLOOR_BYTES = 64 * 1024
"""The journal is folded into a new base once it is this share of the base's size, and at least
this many bytes (a small record is cheap to write whole, but not at every run)."""
COMPACT_AFTER_LINES = 200


@dataclass
class RecordState:
    stamps: dict[str, tuple[FullStamp, str]] = field(default_factory=dict)
    """Path -> (its stamp, the hash of its content: a file's bytes, a directory's names; "" unknown)."""
    nodes: dict[str, Node] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    """Absolute path -> its entry."""


class RecordStore:
    """Reads and writes one run record (`RunRecord` holds what it means)."""

    def __init__(self, path: Path, cache_root: Path, record_format: int) -> None:
        self.path = path
        self.journal = path.with_suffix(".journal")
        self.cache_root = cache_root
        self.format = record_format
        self._base_id = ""
        self._base_size = 0
        self._journal_size = 0
        self._applied = 0
        """Journal lines applied when the record was read (or written since)."""
        self._compact = True
        """Whether the next write must write the base whole (no base, or a journal to fold)."""
        self._on_disk = RecordState()

    def load(self) -> RecordState:
        """The record's state; an empty one when the base is missing or damaged."""
        data = read_json(self.path)
        try:
            if not isinstance(data, dict) or data.get("format") != self.format or not isinstance(data.get("id"), str):
                return RecordState()
            state = _decode(data)
        except (ValueError, KeyError, TypeError, IndexError):
            return RecordState()
        self._base_id = data["id"]
        self._base_size = _size(self.path)
        self._compact = False
        self._read_journal(state)
        self._on_disk = state
        return RecordState(dict(state.stamps), dict(state.nodes), dict(state.entries))

    def _read_journal(self, state: RecordState) -> None:
        try:
            with open(self.journal, "rb") as stream:
                lines = stream.read().split(b"\n")
        except FileNotFoundError:
            return
        except OSError:
            self._compact = True
            return
        complete = lines[:-1]  # what follows the last newline is a write under way, or torn
        for line in complete:
            digest, _, payload = line.partition(b" ")
            try:
                if digest != checksum(payload):
                    raise ValueError("a damaged line")
                change = json.loads(payload)
                if change["base"] != self._base_id or change["after"] != self._applied:
                    raise ValueError("a line of another base, or of a run that did not see the lines before it")
                _apply(state, change)
            except (ValueError, KeyError, TypeError, IndexError, RecursionError):
                self._compact = True
                break
            self._applied += 1
            self._journal_size += len(line) + 1
        if lines[-1]:
            self._compact = True

    def save(self, state: RecordState) -> None:
        """Write `state`: the difference from what is on disk as a journal line, or the whole
        record as a new base (then the journal goes). A failure to write is no error."""
        journal_full = self._journal_size > max(self._base_size * COMPACT_ABOVE, COMPACT_FLOOR_BYTES) or self._applied >= COMPACT_AFTER_LINES
        if self._compact or journal_full:
            self._write_base(state)
            return
        change = _difference(self._on_disk, state)
        if change is None:
            return
        change.update(base=self._base_id, after=self._applied)
        payload = json_payload(change)
        line = checksum(payload) + b" " + payload + b"\n"
        try:
            claim(self.cache_root)
            handle = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(handle, line)
            finally:
                os.close(handle)
        except OSError:
            return
        self._applied += 1
        self._journal_size += len(line)
        self._on_disk = state

    def _write_base(self, state: RecordState) -> None:
        kept = _reached(state)
        base_id = secrets.token_hex(8)
        data = {"format": self.format, "id": base_id, **_encode(kept)}
        if not write_json(self.path, data, self.cache_root):
            return  # a read-only cache: the tree is still checked, just not recorded
        try:
            os.unlink(self.journal)
        except OSError:
            pass
        self._base_id, self._base_size = base_id, _size(self.path)
        self._journal_size = self._applied = 0
        self._compact = False
        self._on_disk = kept


def _reached(state: RecordState) -> RecordState:
    """The nodes the entries reach, and the stamps of their own paths."""
    reached: set[str] = set()
    queue = [entry[3] for entry in state.entries.values()]
    while queue:
        module = queue.pop()
        if module in reached or module not in state.nodes:
            continue
        reached.add(module)
        queue.extend(m for m in state.nodes[module].imports if m not in reached)
    nodes = {m: state.nodes[m] for m in sorted(reached)}
    used = sorted({p for node in nodes.values() for p in node.own})
    return RecordState({p: state.stamps[p] for p in used if p in state.stamps}, nodes, dict(state.entries))


def _encode(state: RecordState) -> dict[str, object]:
    """`state` as JSON data: every path written once, in `paths`, and named by its index."""
    ids: dict[str, int] = {}

    def number(path: str) -> int:
        found = ids.get(path)
        if found is None:
            found = ids[path] = len(ids)
        return found

    return {
        "stamps": [[number(p), *stamp] for p, stamp in state.stamps.items()],
        "nodes": [[number(m), node.to_data(number)] for m, node in state.nodes.items()],
        "entries": {path: [module, package, findings, number(node)] for path, (module, package, findings, node) in state.entries.items()},
        "paths": list(ids),
    }


def _decode(data: Mapping[str, object]) -> RecordState:
    paths = data["paths"]
    if not isinstance(paths, list) or not all(isinstance(path, str) for path in paths):
        raise ValueError("a path that is not a string")
    stamps = {paths[i]: (tuple(stamp), content) for i, stamp, content in data["stamps"]}  # type: ignore[attr-defined]
    if not all(len(stamp) == 4 and all(isinstance(n, int) for n in stamp) and isinstance(content, str) for stamp, content in stamps.values()):
        raise ValueError("a stamp of the wrong shape")
    nodes = {paths[i]: Node.from_data(node, paths) for i, node in data["nodes"]}  # type: ignore[attr-defined]
    entries = {
        path: (module, bool(package), list(findings), paths[node])
        for path, (module, package, findings, node) in data["entries"].items()  # type: ignore[attr-defined]
    }
    if not all(module is None or isinstance(module, str) for module, *_ in entries.values()):
        raise ValueError("an entry of the wrong shape")
    return RecordState(stamps, nodes, entries)


def _difference(old: RecordState, new: RecordState) -> dict[str, object] | None:
    """What turns `old` into `new`: the items set (as `_encode` writes them) and the keys
    dropped; None when they are the same."""
    changed = RecordState(_changed(old.stamps, new.stamps), _changed(old.nodes, new.nodes), _changed(old.entries, new.entries))
    dropped = {
        "stamps": [p for p in old.stamps if p not in new.stamps],
        "nodes": [m for m in old.nodes if m not in new.nodes],
        "entries": [p for p in old.entries if p not in new.entries],
    }
    if not (changed.stamps or changed.nodes or changed.entries or any(dropped.values())):
        return None
    return {**_encode(changed), "drop": dropped}


def _changed(old: Mapping[str, Value], new: Mapping[str, Value]) -> dict[str, Value]:
    return {key: value for key, value in new.items() if (before := old.get(key, _MISSING)) is not value and before != value}


_MISSING: Any = object()


def _apply(state: RecordState, change: Mapping[str, object]) -> None:
    """Apply one journal line to `state`, whole or not at all (a line of the wrong shape raises
    before anything is changed)."""
    dropped = change["drop"]
    names = ("stamps", "nodes", "entries")
    if not isinstance(dropped, dict) or not all(isinstance(dropped[n], list) and all(isinstance(k, str) for k in dropped[n]) for n in names):
        raise ValueError("a change of the wrong shape")
    changed = _decode(change)
    for key in dropped["stamps"]:
        state.stamps.pop(key, None)
    for key in dropped["nodes"]:
        state.nodes.pop(key, None)
    for key in dropped["entries"]:
        state.entries.pop(key, None)
    state.stamps.update(changed.stamps)
    state.nodes.update(changed.nodes)
    state.entries.update(changed.entries)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
