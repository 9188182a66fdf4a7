"""Reading a Python file into text, the way Python itself would, and writing it back the same way.

Encoding follows PEP 263 (BOM, `# -*- coding: ... -*-`, UTF-8 by default); line endings are
kept as they are, so a fix changes only the characters it means to change.
"""

from __future__ import annotations

import io
import os
import stat
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


def check_size(size: int, limit: int) -> None:
    """`UnreadableSource` (ASL002) for a file larger than the `max-file-size` setting: LibCST
    needs several hundred bytes of memory per byte of source (a 5 MB generated module took
    3.9 GB and 70 s), so such a file is reported, not checked."""
    if size > limit:
        raise UnreadableSource(
            f"not checked: {_megabytes(size)} is more than max-file-size ({_megabytes(limit)}); "
            "raise `max-file-size` in [tool.async-lint] to check it, or exclude it"
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 100 * 1024 else f"{size:,} bytes"


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


Stamp = tuple[int, int]
"""A file's (size, mtime in ns): what the run record compares to tell an unchanged file."""


def read_source_bytes(path: Path) -> bytes:
    return read_source_file(path)[0]


def read_source_file(path: Path) -> tuple[bytes, Stamp]:
    """The bytes of a regular file, and its stamp as of the read. Anything else (a directory,
    a FIFO, a device, a dangling symlink or a symlink loop) is `UnreadableSource`: opening is
    non-blocking, so a FIFO named `x.py` cannot hang the run waiting for a writer."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError as error:
        raise UnreadableSource("cannot read: is a directory") from error
    except FileNotFoundError as error:
        reason = "a dangling symbolic link" if os.path.islink(path) else "no such file (deleted during the run?)"
        raise UnreadableSource(f"cannot read: {reason}") from error
    except OSError as error:
        raise UnreadableSource(f"cannot read: {error.strerror or error}") from error
    try:
        status = os.fstat(descriptor)
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableSource("cannot read: is a directory")
        if not stat.S_ISREG(mode):
            raise UnreadableSource("cannot read: not a regular file (a FIFO, socket or device)")
        with os.fdopen(descriptor, "rb") as stream:
            descriptor = -1
            return stream.read(), (status.st_size, status.st_mtime_ns)
    except OSError as error:
        raise UnreadableSource(f"cannot read: {error.strerror or error}") from error
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def read_source(path: Path) -> SourceText:
    return decode_source(read_source_bytes(path))


class FileChanged(Exception):
    """The file no longer holds what was checked: someone edited it during the run."""


def write_fixed_source(path: Path, checked: bytes, text: str, encoding: str) -> None:
    """Replace the file's content, `checked` when the run read it, with `text`, unless it
    changed since (`FileChanged`).

    Everything slow (encoding, writing and syncing the new content to a temporary file beside
    the real one, its mode and owner) happens first; the last step compares the file's identity
    and content with what was checked and renames the temporary file over it at once, so an
    edit made meanwhile is not lost. A reader (or a crash) sees the old file or the new one,
    never half of one. A symbolic link is written through (the link stays a link, its target
    gets the fixes). A file with other hard links is written in place after the same checks,
    so that every name keeps showing the same file (a rename would leave the other names with
    the old content)."""
    data = text.encode(encoding)
    target = Path(os.path.realpath(path))
    status = target.stat()
    if status.st_nlink > 1:
        _write_in_place(target, checked, data)
        return
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".async-lint.tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        if hasattr(os, "chown"):
            try:
                os.chown(temporary, status.st_uid, status.st_gid)
            except OSError:
                pass  # not ours to give away: the fixed file belongs to whoever ran the fix
        now = target.stat()
        if (now.st_dev, now.st_ino) != (status.st_dev, status.st_ino) or read_source_bytes(target) != checked:
            raise FileChanged
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _write_in_place(target: Path, checked: bytes, data: bytes) -> None:
    with open(target, "r+b") as stream:
        if stream.read() != checked:
            raise FileChanged
        stream.seek(0)
        stream.write(data)
        stream.truncate()
        stream.flush()
        os.fsync(stream.fileno())
