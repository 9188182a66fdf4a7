"""A content-addressed cache of each file's diagnostics, under `.async_lint_cache/`.

The key hashes the tool version, the enabled codes, the rule options, the module name and the
file's bytes, so any change to one of them is a miss. Entries are checksummed and written
atomically (`cache_files.py`), so concurrent runs never read half an entry; an unreadable,
damaged or corrupt entry is a miss, never an error.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from async_lint import __version__
from async_lint.diagnostics import Diagnostic
from async_lint.engine.cache_files import read_json, write_json
from async_lint.rule_catalog import RULES


@functools.cache
def code_fingerprint() -> str:
    """The installed async-lint's own files (names, sizes, mtimes): a development checkout
    that changes a rule invalidates the cache without a version bump."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


class ResultCache:
    def __init__(self, directory: Path) -> None:
        self.root = directory
        self.directory = directory / __version__

    @staticmethod
    def key(data: bytes, *parts: str) -> str:
        digest = hashlib.sha256()
        for part in (code_fingerprint(), *parts):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, filename: str) -> list[Diagnostic] | None:
        raw = read_json(self._path(key))
        if not isinstance(raw, list):
            return None
        try:
            diagnostics = [Diagnostic.from_dict({**item, "filename": filename}) for item in raw]
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if not all(d.code in RULES for d in diagnostics):
            return None  # a corrupt (or hand-edited) entry: a code no rule has
        return diagnostics

    def has(self, key: str) -> bool:
        """Whether an entry is there (intact or not: `get` tells)."""
        return self._path(key).is_file()

    def put(self, key: str, diagnostics: list[Diagnostic]) -> None:
        self.put_data(key, [d.to_dict() for d in diagnostics])

    def put_data(self, key: str, findings: list[dict[str, object]]) -> None:
        """Findings as dicts (`Diagnostic.to_dict`; the file name is set when they are read)."""
        write_json(self._path(key), findings, self.root)
