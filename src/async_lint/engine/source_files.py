"""Reading a Python file into text, the way Python itself would, and writing it back the same way.

Encoding follows PEP 263 (BOM, `# -*- coding: ... -*-`, UTF-8 by default); line endings are
kept as they are, so a fix changes only the characters it means to change.
"""

from __future__ import annotations

import io
import os
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path


class UnreadableSource(Exception):
    """The file cannot be read as Python text; the message says why, for ASL002."""


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str
    """As `tokenize.detect_encoding` names it (`utf-8-sig` keeps a BOM on write)."""


def decode_source(data: bytes) -> SourceText:
    if b"\x00" in data:
        raise UnreadableSource("binary file (contains NUL bytes), not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if "invalid or missing encoding declaration" in str(error):
            raise UnreadableSource("not valid UTF-8 (and no encoding declaration)") from error
        raise UnreadableSource(f"bad encoding declaration: {error.msg}") from error
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise UnreadableSource(f"not valid {encoding}: {error}") from error
    return SourceText(text, encoding)


def read_source(path: Path) -> SourceText:
    try:
        data = path.read_bytes()
    except IsADirectoryError as error:
        raise UnreadableSource("is a directory, not a file") from error
    except OSError as error:
        raise UnreadableSource(f"cannot read: {error.strerror or error}") from error
    return decode_source(data)


def write_source_atomically(path: Path, text: str, encoding: str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`: a reader (or a
    crash) sees the old file or the new one, never half of one. Keeps the file's mode."""
    data = text.encode(encoding)
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".async-lint.tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
