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
from async_lint.engine.run_settings import FileResult, RunSettings, display_name
from async_lint.engine.source_files import Stamp
from async_lint.rule_catalog import RULES

RECORD_FORMAT = 2
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


class RunRecord:
    def __init__(self, cache_dir: Path, key: str) -> None:
        self.cache_dir = cache_dir
        self.path = cache_dir / __version__ / "runs" / f"{key}.json"
        self.stamps: dict[str, FullStamp] = {}
        self.entries: dict[str, tuple[str | None, bool, list[dict[str, object]], list[str]]] = {}
        """Absolute path -> (module name, is package, findings as dicts, paths of its stamps)."""
        self._moved: set[str] | None = None
        """The recorded stamp paths whose stamp is not what it was (stat once per run)."""
        data = read_json(self.path)
        try:
            if data["format"] != RECORD_FORMAT:  # type: ignore[index]
                return
            self.stamps = {path: tuple(stamp) for path, stamp in data["stamps"].items()}  # type: ignore[index]
            if not all(len(stamp) == 4 and all(isinstance(n, int) for n in stamp) for stamp in self.stamps.values()):
                raise ValueError("a stamp of the wrong shape")
            self.entries = {
                path: (module, bool(package), list(findings), [data["paths"][i] for i in stamp_ids])  # type: ignore[index]
                for path, (module, package, findings, stamp_ids) in data["entries"].items()  # type: ignore[index]
            }
            # An entry is only as good as its stamps: one whose stamps are not all there is dropped.
            self.entries = {path: entry for path, entry in self.entries.items() if all(p in self.stamps for p in entry[3])}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.stamps, self.entries = {}, {}

    def _moved_paths(self) -> set[str]:
        if self._moved is None:
            self._moved = {path for path, stamp in self.stamps.items() if full_stamp(path) != stamp}
        return self._moved

    def lookup(self, source_file: SourceFile) -> FileResult | None:
        """The recorded result of `source_file`, when nothing it depends on has changed."""
        path = os.path.abspath(source_file.path)
        entry = self.entries.get(path)
        if entry is None:
            return None
        module_name, is_package, findings, stamp_paths = entry
        if (module_name, is_package) != (source_file.module_name, source_file.is_package):
            return None
        if not self._moved_paths().isdisjoint(stamp_paths):
            return None
        filename = display_name(source_file.path)
        try:
            diagnostics = [Diagnostic.from_dict({**item, "filename": filename}) for item in findings]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        if not all(d.code in RULES for d in diagnostics):
            return None
        return FileResult(filename, diagnostics)

    def update(self, checked: Iterable[tuple[SourceFile, FileResult]]) -> None:
        """Record what was just checked, and write the record when it changed. Entries of files
        this run did not check stay, unless a stamp they depend on has moved since."""
        new_entries: dict[str, tuple[str | None, bool, list[dict[str, object]], list[str]]] = {}
        seen_stamps: dict[str, Stamp] = {}
        conflicting: set[str] = set()
        """Seen with two stamps by two workers, or changed since a check read it, or too recent
        to be trusted: nothing that depends on it is recorded."""
        for source_file, result in checked:
            if result.stamps is None:
                continue
            for stamp_path, stamp in result.stamps.items():
                if seen_stamps.setdefault(stamp_path, stamp) != stamp:
                    conflicting.add(stamp_path)
            findings = [{k: v for k, v in d.to_dict().items() if k != "filename"} for d in result.diagnostics]
            path = os.path.abspath(source_file.path)
            new_entries[path] = (source_file.module_name, source_file.is_package, findings, list(result.stamps))
        racy_after = time.time_ns() - RACY_WINDOW_NS
        new_stamps: dict[str, FullStamp] = {}
        for stamp_path, stamp in seen_stamps.items():
            now = full_stamp(stamp_path)
            if now[:2] != tuple(stamp) or (now[0] >= 0 and now[1] >= racy_after):
                conflicting.add(stamp_path)
            new_stamps[stamp_path] = now
        if conflicting:
            new_entries = {path: entry for path, entry in new_entries.items() if conflicting.isdisjoint(entry[3])}
        if not new_entries:
            return
        moved = {path for path, stamp in new_stamps.items() if self.stamps.get(path, stamp) != stamp} | conflicting
        if moved:
            self.entries = {path: entry for path, entry in self.entries.items() if moved.isdisjoint(entry[3])}
        self.entries.update(new_entries)
        self.stamps.update(new_stamps)
        self._write()

    def _write(self) -> None:
        used = sorted({stamp_path for entry in self.entries.values() for stamp_path in entry[3]})
        ids = {path: number for number, path in enumerate(used)}
        data = {
            "format": RECORD_FORMAT,
            "paths": used,
            "stamps": {path: self.stamps[path] for path in used},
            "entries": {
                path: [module, package, findings, [ids[p] for p in stamp_paths]]
                for path, (module, package, findings, stamp_paths) in self.entries.items()
            },
        }
        write_json(self.path, data, self.cache_dir)  # a read-only tree is still checked, just not recorded
