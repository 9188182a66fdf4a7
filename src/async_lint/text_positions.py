"""Rows and columns <-> offsets in a text, counting lines the way Python (and LibCST) do:
`\\r\\n`, `\\r` and `\\n` end a line; form feeds and other Unicode breaks do not."""

from __future__ import annotations

import bisect
import re

from async_lint.diagnostics import Location

_LINE_END = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each line (line 1 at index 0)."""
    return [0, *(match.end() for match in _LINE_END.finditer(text))]


def split_lines(text: str) -> list[str]:
    """The lines of `text` without their line endings."""
    return _LINE_END.split(text)


def lines_with_endings(text: str) -> list[str]:
    """The lines of `text`, each with its line ending (the last one may have none)."""
    return _LINE.findall(text)


def offset_of(location: Location, starts: list[int], text_length: int) -> int:
    if location.row - 1 >= len(starts):
        return text_length
    return min(starts[location.row - 1] + location.column - 1, text_length)


def location_at(offset: int, starts: list[int]) -> Location:
    """The row and column of a character offset (`starts` from `line_starts`)."""
    row = bisect.bisect_right(starts, offset)
    return Location(row, offset - starts[row - 1] + 1)
