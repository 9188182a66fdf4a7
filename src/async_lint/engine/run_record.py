"""The last run's findings, file by file, with the stamps they depend on: a warm run answers
from one file read, without parsing, summarising or importing LibCST.

A file's entry holds its findings and the (size, mtime) of every file and directory they depend
on: the file itself, the project modules it reaches through imports, and the directories those
imports were looked for in (`ProjectIndex.dependency_stamps`). When every one of those stamps is
unchanged, so are the findings; when any differs, the file is checked again (and then, often,
found in the content-addressed `ResultCache`, which tells an edit that changed a module's
summary from one that did not).

One record per kind of run: the key covers the tool and its code, the enabled codes and the
options, the per-file ignores, where imports are resolved from and the working directory (file
names are shown relative to it). Written atomically; an unreadable or corrupt record is an
empty one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from async_lint import __version__
from async_lint.diagnostics import Diagnostic
from async_lint.engine.cache import code_fingerprint, ensure_gitignore
from async_lint.engine.discovery import SourceFile
from async_lint.engine.project_index import current_stamp
from async_lint.engine.run_settings import FileResult, RunSettings, display_name
from async_lint.engine.source_files import Stamp
from async_lint.rule_catalog import RULES

RECORD_FORMAT = 1


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
        self.path = cache_dir / __version__ / "runs" / f"{key}.json"
        self.stamps: dict[str, Stamp] = {}
        self.entries: dict[str, tuple[str | None, bool, list[dict], list[str]]] = {}
        """Absolute path -> (module name, is package, findings as dicts, paths of its stamps)."""
        self._moved: set[str] | None = None
        """The recorded stamp paths whose stamp is not what it was (stat once per run)."""
        try:
            data = json.loads(self.path.read_bytes())
            if data["format"] != RECORD_FORMAT:
                return
            self.stamps = {path: (size, mtime) for path, (size, mtime) in data["stamps"].items()}
            self.entries = {
                path: (module, bool(package), list(findings), [data["paths"][i] for i in stamp_ids])
                for path, (module, package, findings, stamp_ids) in data["entries"].items()
            }
            # An entry is only as good as its stamps: one whose stamps are not all there is dropped.
            self.entries = {path: entry for path, entry in self.entries.items() if all(p in self.stamps for p in entry[3])}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.stamps, self.entries = {}, {}

    def _moved_paths(self) -> set[str]:
        if self._moved is None:
            self._moved = {path for path, stamp in self.stamps.items() if current_stamp(path) != stamp}
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
        new_entries: dict[str, tuple[str | None, bool, list[dict], list[str]]] = {}
        new_stamps: dict[str, Stamp] = {}
        conflicting: set[str] = set()
        """Seen with two stamps by two workers: the file changed during the run."""
        for source_file, result in checked:
            if result.stamps is None:
                continue
            for stamp_path, stamp in result.stamps.items():
                if new_stamps.setdefault(stamp_path, stamp) != stamp:
                    conflicting.add(stamp_path)
            findings = [{k: v for k, v in d.to_dict().items() if k != "filename"} for d in result.diagnostics]
            path = os.path.abspath(source_file.path)
            new_entries[path] = (source_file.module_name, source_file.is_package, findings, list(result.stamps))
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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ensure_gitignore(self.path.parent.parent.parent)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(json.dumps(data, separators=(",", ":")))  # dumps: the C encoder, dump is not
            os.replace(temporary, self.path)
        except OSError:
            return  # a read-only tree is still checked, just not recorded
