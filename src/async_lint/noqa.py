"""`# noqa` and `# noqa: ASL300,ASL200` on a reported line, read the way flake8 reads them."""

from __future__ import annotations

import re

_NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"[,\s]+")


def suppressed_codes(line: str) -> frozenset[str] | None:
    """None when the line has no `# noqa`; an empty set for a bare `# noqa` (all codes);
    otherwise the codes it names (upper-cased)."""
    if "noqa" not in line and "NOQA" not in line.upper():
        return None
    match = _NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return frozenset()
    return frozenset(code.upper() for code in _SEPARATOR.split(codes) if code)


def is_suppressed(code: str, line: str) -> bool:
    codes = suppressed_codes(line)
    if codes is None:
        return False
    return not codes or any(code.startswith(prefix) for prefix in codes)


def with_noqa(line: str, code: str) -> str:
    """The line with `code` added to its `# noqa: ...` comment, or with `  # noqa: CODE` appended
    (a line under a bare `# noqa` is returned unchanged: it already silences every code)."""
    match = _NOQA.search(line) if suppressed_codes(line) is not None else None
    if match is None:
        return f"{line.rstrip()}  # noqa: {code}"
    if not match.group("codes"):
        return line
    end = match.end("codes")
    return f"{line[:end]}, {code}{line[end:]}"
