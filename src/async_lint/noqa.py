"""`# noqa` comments, read the way flake8 reads them, from the file's comments only (a `"# noqa"`
inside a string suppresses nothing):

- `# noqa` / `# noqa: ASL300,ASL200` at the end of a finding's first or last line;
- `# async-lint: noqa` / `# async-lint: noqa: ASL300` on a line of its own anywhere in the file:
  the whole file (as ruff's `# ruff: noqa`).

Reading comments takes Python's tokenizer, which costs as much as a fast parse: `NoqaComments`
runs it only for a file whose finding lines (or text) mention `noqa` at all, or whose finding
starts on a line a comment may not end (after a backslash, inside a multi-line string).
"""

from __future__ import annotations

import functools
import io
import re
import tokenize
from collections.abc import Iterable

from async_lint.text_positions import split_lines

_NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
_FILE_NOQA = re.compile(
    r"#\s*async-lint:\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"[,\s]+")
_TRIPLE_QUOTE = re.compile(r"'''|\"\"\"")


def _codes(text: str | None) -> frozenset[str]:
    return frozenset(code.upper() for code in _SEPARATOR.split(text or "") if code)


def suppressed_codes(comment: str) -> frozenset[str] | None:
    """None when the comment has no `# noqa`; an empty set for a bare `# noqa` (all codes);
    otherwise the codes it names (upper-cased)."""
    match = _NOQA.search(comment)
    if match is None:
        return None
    return _codes(match.group("codes"))


def covers(codes: frozenset[str], code: str) -> bool:
    """Whether a `noqa` naming `codes` (empty: every code) covers `code` (codes are prefixes)."""
    return not codes or any(code.startswith(prefix) for prefix in codes)


def is_suppressed(code: str, comment: str) -> bool:
    codes = suppressed_codes(comment)
    return codes is not None and covers(codes, code)


def with_noqa(line: str, codes: Iterable[str], comment: str | None) -> str:
    """The line with `codes` added to its `# noqa: ...` comment, or with `  # noqa: CODE, ...`
    appended after whatever comment it has; codes it covers already are left out (a bare
    `# noqa` covers every code). `comment` is the line's comment when it mentions `noqa`
    (`NoqaComments.comment`)."""
    match = _NOQA.search(comment) if comment is not None else None
    if comment is None or match is None:
        return f"{line.rstrip()}  # noqa: {', '.join(dict.fromkeys(codes))}"
    missing = [code for code in dict.fromkeys(codes) if not covers(_codes(match.group("codes")), code)]
    if not match.group("codes") or not missing:
        return line
    end = line.rfind(comment) + match.end("codes")
    return f"{line[:end]}, {', '.join(missing)}{line[end:]}"


class NoqaComments:
    """The comments of one file that `noqa` cares about, read (once, and only if needed) from
    its tokens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = split_lines(text)

    @functools.cached_property
    def _tokens(self) -> tuple[dict[int, str], frozenset[int]] | None:
        """Each row's comment, and the rows a comment cannot end (inside a multi-line string or
        continued by a backslash); None when the text does not tokenize."""
        comments: dict[int, str] = {}
        closed: set[int] = set()
        try:
            for token in tokenize.generate_tokens(io.StringIO(self.text).readline):
                if token.type == tokenize.COMMENT:
                    comments[token.start[0]] = token.string
                elif token.end[0] > token.start[0] and token.type not in (tokenize.NEWLINE, tokenize.NL):
                    closed.update(range(token.start[0], token.end[0]))
        except (tokenize.TokenError, SyntaxError):
            return None
        closed.update(row for row, line in enumerate(self.lines, start=1) if line.rstrip().endswith("\\"))
        return comments, frozenset(closed)

    def comment(self, row: int) -> str | None:
        """The comment at the end of the row (None: none, or the text does not tokenize)."""
        if not 0 < row <= len(self.lines) or "noqa" not in self.lines[row - 1].lower():
            return None
        tokens = self._tokens
        return tokens[0].get(row) if tokens is not None else None

    def suppresses(self, code: str, rows: set[int]) -> bool:
        """Whether a `# noqa` comment on one of the rows covers the code."""
        return any((comment := self.comment(row)) is not None and is_suppressed(code, comment) for row in rows)

    @functools.cached_property
    def file_exemption(self) -> frozenset[str] | None:
        """The codes a `# async-lint: noqa[: CODES]` line exempts the file from (empty: all);
        None when there is none."""
        if "async-lint" not in self.text:
            return None
        tokens = self._tokens
        if tokens is None:
            return None
        exempt: frozenset[str] | None = None
        for row, comment in tokens[0].items():
            match = _FILE_NOQA.match(comment)
            if match is None or self.lines[row - 1].strip() != comment.strip():
                continue
            codes = _codes(match.group("codes"))
            exempt = frozenset() if not codes or exempt == frozenset() else (exempt or frozenset()) | codes
        return exempt

    def exempts(self, code: str) -> bool:
        exemption = self.file_exemption
        return exemption is not None and covers(exemption, code)

    def noqa_row(self, start: int, end: int) -> int:
        """The row a `# noqa` for a finding from `start` to `end` goes on: the first of the two
        that a comment can end (not inside a multi-line string, not continued by a backslash),
        else the first after `end` (where the string or the continued line ends)."""
        line = self.lines[start - 1] if 0 < start <= len(self.lines) else ""
        if not _TRIPLE_QUOTE.search(line) and not line.rstrip().endswith("\\"):
            return start
        tokens = self._tokens
        closed = tokens[1] if tokens is not None else frozenset()
        candidates = (start, end, *range(end + 1, len(self.lines) + 1))
        return next((row for row in candidates if row not in closed), end)
