"""A content-addressed cache of each file's diagnostics, under `.async_lint_cache/`.

The key hashes the tool version, the enabled codes, the rule options, the module name and the
file's bytes, so any change to one of them is a miss. Entries are written atomically (temporary
file, then rename), so concurrent runs never read half an entry; an unreadable or corrupt
entry is a miss, never an error.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from async_lint import __version__
from async_lint.diagnostics import Diagnostic
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
        try:
            raw = json.loads(self._path(key).read_text(encoding="utf-8"))
            diagnostics = [Diagnostic.from_dict({**item, "filename": filename}) for item in raw]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if not all(d.code in RULES for d in diagnostics):
            return None  # a corrupt (or hand-edited) entry: a code no rule has
        return diagnostics

    def put(self, key: str, diagnostics: list[Diagnostic]) -> None:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            ensure_gitignore(self.directory.parent)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(json.dumps([d.to_dict() for d in diagnostics]))
            os.replace(temporary, target)
        except OSError:
            return  # a read-only tree still gets checked, just not cached


def ensure_gitignore(cache_root: Path) -> None:
    marker = cache_root / ".gitignore"
    if not marker.exists():
        marker.write_text("# Created by async-lint automatically.\n*\n", encoding="utf-8")
