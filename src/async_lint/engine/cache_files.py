"""The files of the cache directory: checksummed entries written atomically, a `.gitignore`
that never hides the user's own files, and pruning.

Every entry (a file's findings, a module summary, a run record) starts with a header line that
holds a SHA-256 of the rest: a truncated, damaged or bit-flipped entry is a miss, never a wrong
answer, and so is one nested too deeply for the JSON decoder. Entries are written to a
temporary file and renamed into place (a reader sees the old entry or the new one), and the
temporary file is removed whatever stops the write, a signal included.

The cache directory may be a directory of the user's (`cache-dir = "."`): the `.gitignore`
that keeps the cache out of git goes into the directory async-lint created (the cache
directory when it made it, else its version directory), and pruning only ever removes what
async-lint wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from async_lint import __version__

_HEADER = b"async-lint-cache 1 "
_VERSION_MARKER = ".async-lint-cache"
"""In each version directory: what tells pruning that a directory is async-lint's."""
_PRUNED_MARKER = ".last-pruned"
PRUNE_EVERY_SECONDS = 24 * 3600
UNUSED_FOR_SECONDS = 30 * 24 * 3600
"""An entry neither written nor read for this long is removed by pruning."""
TOUCH_AFTER_SECONDS = 24 * 3600
"""A read entry whose modification time is older than this is touched (marked as used)."""
TEMPORARY_FOR_SECONDS = 3600
"""A temporary file older than this was left by a run that was killed: removed by pruning."""

_claimed: set[Path] = set()


def read_entry(path: Path) -> bytes | None:
    """The payload of a cache entry; None when it is missing, unreadable or damaged."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
            status = os.fstat(stream.fileno())
    except OSError:
        return None
    header, newline, payload = data.partition(b"\n")
    if not newline or not header.startswith(_HEADER) or header[len(_HEADER) :] != checksum(payload):
        return None
    if time.time() - status.st_mtime > TOUCH_AFTER_SECONDS:
        try:
            os.utime(path)
        except OSError:
            pass
    return payload


def read_json(path: Path) -> object | None:
    """A JSON cache entry's value; None when there is no intact entry."""
    payload = read_entry(path)
    if payload is None:
        return None
    try:
        value: object = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    return value


def write_entry(path: Path, payload: bytes, cache_root: Path) -> bool:
    """Write an entry atomically under `cache_root`; whether it was written (a failure to write
    is no error: the run goes on uncached)."""
    try:
        claim(cache_root)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(_HEADER + checksum(payload) + b"\n" + payload)
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if not isinstance(error, OSError):
            raise
        return False
    return True


def json_payload(value: object) -> bytes:
    """The bytes a JSON entry holds for `value` (`write_json`)."""
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def write_json(path: Path, value: object, cache_root: Path) -> bool:
    return write_entry(path, json_payload(value), cache_root)


def checksum(payload: bytes) -> bytes:
    """What an entry's header (and a run record's journal line) holds of its payload."""
    return hashlib.sha256(payload).hexdigest().encode("ascii")


def claim(cache_root: Path) -> None:
    """Make the cache's version directory, marked as async-lint's, with a `.gitignore` (`*`)
    in the cache directory when async-lint creates it, else in the version directory: a
    `cache-dir` that is a directory of the project must not hide the project from git."""
    version_dir = cache_root / __version__
    if version_dir in _claimed:
        return
    if not (version_dir / _VERSION_MARKER).exists():
        created = not cache_root.exists()
        version_dir.mkdir(parents=True, exist_ok=True)
        (version_dir / _VERSION_MARKER).write_bytes(b"")
        ignore_in = cache_root if created or _is_our_gitignore(cache_root / ".gitignore") else version_dir
        marker = ignore_in / ".gitignore"
        if not marker.exists():
            marker.write_text("# Created by async-lint automatically.\n*\n", encoding="utf-8")
    _claimed.add(version_dir)


def _is_our_gitignore(path: Path) -> bool:
    try:
        return path.read_text(encoding="utf-8").startswith("# Created by async-lint automatically.")
    except (OSError, UnicodeDecodeError):
        return False


def prune(cache_root: Path, now: float | None = None) -> None:
    """At most once a day: remove the version directories of other async-lint versions, the
    entries of this one that no run has written or read for `UNUSED_FOR_SECONDS`, and the
    temporary files of killed runs. Only what async-lint wrote is ever removed."""
    now = time.time() if now is None else now
    version_dir = cache_root / __version__
    marker = version_dir / _PRUNED_MARKER
    try:
        if now - marker.stat().st_mtime < PRUNE_EVERY_SECONDS:
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    if not (version_dir / _VERSION_MARKER).exists():
        return
    try:
        marker.write_bytes(b"")
        siblings = list(cache_root.iterdir())
    except OSError:
        return
    for sibling in siblings:
        if sibling != version_dir and sibling.is_dir() and not sibling.is_symlink() and (sibling / _VERSION_MARKER).is_file():
            shutil.rmtree(sibling, ignore_errors=True)
    for directory, _, names in os.walk(version_dir):
        for name in names:
            path = os.path.join(directory, name)
            limit = TEMPORARY_FOR_SECONDS if name.endswith(".tmp") else UNUSED_FOR_SECONDS
            if not name.endswith((".json", ".journal", ".tmp")):
                continue
            try:
                if now - os.stat(path).st_mtime > limit:
                    os.unlink(path)
            except OSError:
                continue
