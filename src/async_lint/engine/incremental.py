"""Re-parsing a module after an edit by parsing only the top-level statements the edit touched.

In the editor every keystroke is a new text; parsing all of a 1,000-line file again is the
largest part of a check. An edit usually touches one top-level statement, so the statements
before and after it are reused as they are (LibCST nodes are immutable) and only the touched
ones, plus one on either side, are parsed again. Whenever that cannot be done exactly (the
edited region does not parse on its own, or it would change the module's indentation or
newline style), the whole text is parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst


@dataclass(frozen=True)
class ParsedText:
    text: str
    module: cst.Module
    ends: tuple[int, ...]
    """Offset in `text` where each top-level statement (with its leading comments) ends; the
    first starts after the module header."""
    header_end: int


def parse_text(text: str) -> ParsedText:
    """A full parse. Raises what `cst.parse_module` raises."""
    module = cst.parse_module(text)
    return _with_offsets(text, module, 0, module.body, 0, ())


def _with_offsets(
    text: str, module: cst.Module, start: int, statements: Sequence[cst.BaseStatement], header_end: int, before: tuple[int, ...]
) -> ParsedText:
    empty = cst.Module([], default_indent=module.default_indent, default_newline=module.default_newline)
    if not before:
        header_end = len(empty.with_changes(header=module.header).code) if module.header else 0
        start = header_end
    ends = list(before)
    for statement in statements:
        start += len(empty.code_for_node(statement))
        ends.append(start)
    return ParsedText(text, module, tuple(ends), header_end)


def reparse(previous: ParsedText, text: str) -> ParsedText:
    """`text`'s module, reusing the statements of `previous` that the edit left alone."""
    old = previous.text
    if text == old:
        return previous
    body = previous.module.body
    if len(body) < 3:
        return parse_text(text)
    prefix = _common_prefix(old, text)
    suffix = _common_suffix(old, text, min(len(old), len(text)) - prefix)
    changed_start, changed_end = prefix, len(old) - suffix
    starts = (previous.header_end, *previous.ends[:-1])
    first = next((i for i, end in enumerate(previous.ends) if end >= changed_start), len(body) - 1)
    last = next((i for i in range(len(body) - 1, -1, -1) if starts[i] <= changed_end), 0)
    first, last = max(first - 1, 0), min(max(last, first) + 1, len(body) - 1)
    if first == 0 or last == len(body) - 1 or changed_start < previous.header_end:
        return parse_text(text)  # the header or the footer may change: not worth the care
    delta = len(text) - len(old)
    chunk_start, chunk_end = starts[first], previous.ends[last] + delta
    try:
        chunk = cst.parse_module(text[chunk_start:chunk_end])
    except Exception:  # noqa: BLE001 - any parse failure: let the full parse report it
        return parse_text(text)
    module = previous.module
    if (
        not chunk.body
        or chunk.footer
        or not chunk.has_trailing_newline
        or chunk.default_indent != module.default_indent
        or chunk.default_newline != module.default_newline
    ):
        return parse_text(text)
    new_statements = list(chunk.body)
    if chunk.header:
        new_statements[0] = new_statements[0].with_changes(leading_lines=[*chunk.header, *new_statements[0].leading_lines])
    stitched = module.with_changes(body=[*body[:first], *new_statements, *body[last + 1 :]])
    parsed = _with_offsets(text, stitched, chunk_start, new_statements, previous.header_end, previous.ends[:first])
    tail = tuple(end + delta for end in previous.ends[last + 1 :])
    return ParsedText(text, stitched, (*parsed.ends, *tail), previous.header_end)


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # binary search on slice equality: C-speed comparisons
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, max(limit, 0)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low
