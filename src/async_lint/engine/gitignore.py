"""Gitignore-style patterns with git's semantics, matched without backtracking blow-ups.

Used for `.gitignore` files (and `.git/info/exclude`, and the user's global excludes file),
for the `exclude`/`extend-exclude` settings and for `per-file-ignores`.

The semantics are git's (`gitignore(5)`): a pattern without a slash (a trailing one aside)
matches a name at any depth; a pattern with one is anchored to its base directory; a trailing
slash matches directories only; `**` between slashes matches any number of directories (a
trailing `/**` at least one); `!` re-includes; the last matching line of a list decides; and
lists read from deeper directories take precedence over shallower ones.

A translation to one regular expression (what `pathspec` does) backtracks exponentially on
patterns such as `**/a/**/a/**/a/**/b`. Here a pattern is a list of path segments matched by a
set-of-states simulation (each `**` a loop), and each segment by the classic wildcard
algorithm that only ever backtracks to the last `*`: O(path length x pattern length), always.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

_ANY_DIRECTORIES = "**"


@dataclass(frozen=True)
class _Segment:
    """One path segment of a pattern: a glob within a single name (`*`, `?`, `[...]`)."""

    tokens: tuple[str | frozenset[str] | tuple[frozenset[str], bool] | None, ...]
    """A literal character (str), `?` (None), `*` (the empty frozenset), or a bracket
    expression: (its characters and ranges expanded lazily, negated)."""

    literal: str | None
    """The name this segment matches, when it has no wildcard (most patterns)."""

    def matches(self, name: str) -> bool:
        if self.literal is not None:
            return name == self.literal
        tokens = self.tokens
        position, token_index = 0, 0
        star_token, star_position = -1, 0
        while position < len(name):
            if token_index < len(tokens):
                token = tokens[token_index]
                if token == _STAR:
                    star_token, star_position = token_index, position
                    token_index += 1
                    continue
                if _single_matches(token, name[position]):
                    position += 1
                    token_index += 1
                    continue
            if star_token < 0:
                return False
            # Let the last `*` take one more character and retry from there.
            star_position += 1
            position = star_position
            token_index = star_token + 1
        return all(token == _STAR for token in tokens[token_index:])


_STAR: frozenset[str] = frozenset()


def _single_matches(token: str | frozenset[str] | tuple[frozenset[str], bool] | None, char: str) -> bool:
    if token is None:
        return True
    if isinstance(token, str):
        return token == char
    if isinstance(token, tuple):
        members, negated = token
        return (char in members or any(_in_range(item, char) for item in members)) != negated
    return False


def _in_range(item: str, char: str) -> bool:
    """A range (`a-z`) or a character class (`[:digit:]`) of a bracket expression."""
    if item.startswith("[:"):
        return bool(_CLASSES[item[2:-2]](char))
    return len(item) == 3 and item[1] == "-" and item[0] <= char <= item[2]


_CLASSES: dict[str, Callable[[str], bool]] = {
    "alnum": str.isalnum,
    "alpha": str.isalpha,
    "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or ord(c) == 127,
    "digit": str.isdigit,
    "graph": lambda c: c.isprintable() and not c.isspace(),
    "lower": str.islower,
    "print": str.isprintable,
    "punct": lambda c: c.isprintable() and not c.isalnum() and not c.isspace(),
    "space": str.isspace,
    "upper": str.isupper,
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


def _parse_segment(text: str) -> _Segment:
    tokens: list[str | frozenset[str] | tuple[frozenset[str], bool] | None] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            tokens.append(text[index + 1])
            index += 2
        elif char == "*":
            if not tokens or tokens[-1] != _STAR:  # `**` inside a name is one `*`
                tokens.append(_STAR)
            index += 1
        elif char == "?":
            tokens.append(None)
            index += 1
        elif char == "[":
            parsed = _parse_bracket(text, index)
            if parsed is None:
                tokens.append("[")
                index += 1
            else:
                token, index = parsed
                tokens.append(token)
        else:
            tokens.append(char)
            index += 1
    literal = "".join(t for t in tokens if isinstance(t, str)) if all(isinstance(t, str) for t in tokens) else None
    return _Segment(tuple(tokens), literal)


def _parse_bracket(text: str, start: int) -> tuple[tuple[frozenset[str], bool], int] | None:
    """A bracket expression starting at `text[start] == "["`, and the index after it; None
    when it is not closed (then `[` is a literal character, as in git)."""
    index = start + 1
    negated = index < len(text) and text[index] in "!^"
    if negated:
        index += 1
    members: set[str] = set()
    first = True
    while index < len(text):
        char = text[index]
        if char == "]" and not first:
            return (frozenset(members), negated), index + 1
        first = False
        if char == "[" and text.startswith("[:", index):
            end = text.find(":]", index + 2)
            name = text[index + 2 : end] if end >= 0 else ""
            if name in _CLASSES:
                members.add(f"[:{name}:]")
                index = end + 2
                continue
        if char == "\\" and index + 1 < len(text):
            index += 1
            char = text[index]
        if index + 2 < len(text) and text[index + 1] == "-" and text[index + 2] != "]":
            high = text[index + 2]
            if high == "\\" and index + 3 < len(text):
                high = text[index + 3]
                index += 1
            members.add(f"{char}-{high}")
            index += 3
            continue
        members.add(char)
        index += 1
    return None


@dataclass(frozen=True)
class GitPattern:
    """One line of a gitignore-style list."""

    source: str
    segments: tuple[_Segment | None, ...]
    """The pattern's path segments; None for a `**` segment."""
    negated: bool
    directory_only: bool
    anchored: bool
    """Has a slash at its start or in its middle: matched from the base directory, not at any depth."""

    def matches(self, parts: Sequence[str], is_dir: bool) -> bool:
        """Whether the pattern matches the path `parts` (relative to the list's base)."""
        if self.directory_only and not is_dir:
            return False
        if not self.anchored:  # a name at any depth: `**/name`
            segment = self.segments[0]
            if segment is None:
                return bool(parts)
            return bool(parts) and segment.matches(parts[-1])
        return _matches_segments(self.segments, parts)


def _matches_segments(segments: Sequence[_Segment | None], parts: Sequence[str]) -> bool:
    """A set-of-states simulation: `states` holds the indexes of the segments that may match the
    next path part; `**` (None) may match no part (unless it is the last segment, where git
    wants at least one) or loop over any number of them."""
    last = len(segments) - 1

    def closure(states: set[int]) -> set[int]:
        pending = list(states)
        while pending:
            index = pending.pop()
            if index < last and segments[index] is None and index + 1 not in states:
                states.add(index + 1)
                pending.append(index + 1)
        return states

    states = closure({0})
    for part in parts:
        following: set[int] = set()
        for index in states:
            if index > last:
                continue
            segment = segments[index]
            if segment is None:
                following.add(index)
                following.add(index + 1)
            elif segment.matches(part):
                following.add(index + 1)
        if not following:
            return False
        states = closure(following)
    return len(segments) in states


def parse_pattern(line: str) -> GitPattern | None:
    """A gitignore line as git reads it; None for a blank line or a comment."""
    line = line.rstrip("\r\n")
    # Trailing spaces are dropped unless escaped with a backslash.
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    elif line.startswith("\\!") or line.startswith("\\#"):
        line = line[1:]
    directory_only = line.endswith("/") and not line.endswith("\\/")
    if directory_only:
        line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    if not line:
        return None
    segments = tuple(None if text == _ANY_DIRECTORIES else _parse_segment(text) for text in line.split("/") if text)
    return GitPattern(line, segments, negated, directory_only, anchored)


class PatternList:
    """The lines of one list (a `.gitignore`, or a setting), relative to `base`."""

    def __init__(self, lines: Iterable[str], base: str = "") -> None:
        self.base = base.strip("/")
        """The list's directory, as a `/`-separated path from the walk's common root ("" for it)."""
        self.patterns = tuple(p for p in (parse_pattern(line) for line in lines) if p is not None)
        self._plain = not any(p.negated for p in self.patterns)
        """No line re-includes: any matching line decides, in any order."""
        names: set[str] = set()
        directory_names: set[str] = set()
        others: list[GitPattern] = []
        for pattern in self.patterns:
            segment = pattern.segments[0]
            if self._plain and not pattern.anchored and segment is not None and segment.literal is not None:
                (directory_names if pattern.directory_only else names).add(segment.literal)
            else:
                others.append(pattern)
        self._names, self._directory_names = frozenset(names), frozenset(directory_names)
        """A plain list's names matched at any depth (most lines: `.venv`, `build/`): one set look-up."""
        self._others = tuple(others)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def decide(self, parts: Sequence[str], is_dir: bool) -> bool | None:
        """True when the last matching line ignores the path, False when it re-includes it
        (`!`), None when no line matches. `parts` are relative to `base`."""
        if self._plain:
            if parts and (parts[-1] in self._names or (is_dir and parts[-1] in self._directory_names)):
                return True
            return True if any(pattern.matches(parts, is_dir) for pattern in self._others) else None
        for pattern in reversed(self.patterns):
            if pattern.matches(parts, is_dir):
                return not pattern.negated
        return None

    def matches(self, relative: str, is_dir: bool) -> bool:
        """Whether `relative` (a `/`-separated path from the base) is ignored by this list."""
        return self.decide(_split(relative), is_dir) is True

    def matches_path_or_parent(self, relative: str) -> bool:
        """Whether the file `relative`, or one of the directories it is in, is ignored: what
        `per-file-ignores` means by a pattern (`tests/` covers every file below `tests`)."""
        parts = _split(relative)
        return any(self.decide(parts[:length], length < len(parts)) is True for length in range(1, len(parts) + 1))


def _split(relative: str) -> list[str]:
    return [part for part in relative.split("/") if part and part != "."]


def read_pattern_file(path: str | Path) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as stream:
            return stream.read().splitlines()
    except (OSError, ValueError):
        return []


@dataclass(frozen=True)
class GitRepository:
    root: str
    """The work tree's top directory."""
    excludes: tuple[PatternList, ...]
    """`.git/info/exclude`, then the user's global excludes file: the lowest precedence."""


def find_repository(directory: str) -> GitRepository | None:
    """The git work tree `directory` is in (a `.git` directory, or a `.git` file as in linked
    work trees and submodules), with its repository-wide exclude lists."""
    for candidate in (directory, *(str(p) for p in Path(directory).parents)):
        dot_git = os.path.join(candidate, ".git")
        if os.path.isdir(dot_git):
            return GitRepository(candidate, _repository_excludes(dot_git))
        if os.path.isfile(dot_git):
            return GitRepository(candidate, _repository_excludes(_linked_git_dir(dot_git, candidate)))
    return None


def _linked_git_dir(dot_git_file: str, work_tree: str) -> str:
    for line in read_pattern_file(dot_git_file):
        if line.startswith("gitdir:"):
            return os.path.join(work_tree, line.split(":", 1)[1].strip())
    return dot_git_file


def _repository_excludes(git_dir: str) -> tuple[PatternList, ...]:
    common = git_dir
    for line in read_pattern_file(os.path.join(git_dir, "commondir"))[:1]:
        common = os.path.normpath(os.path.join(git_dir, line.strip()))
    lists = [PatternList(read_pattern_file(os.path.join(common, "info", "exclude")))]
    global_file = global_excludes_file()
    if global_file is not None:
        lists.append(PatternList(read_pattern_file(global_file)))
    return tuple(pattern_list for pattern_list in lists if pattern_list)


_EXCLUDES_FILE = re.compile(r"^\s*excludesfile\s*=\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)


def global_excludes_file() -> str | None:
    """`core.excludesFile` from the user's git configuration, else git's default
    (`$XDG_CONFIG_HOME/git/ignore`)."""
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    for config in (os.path.join(os.path.expanduser("~"), ".gitconfig"), os.path.join(config_home, "git", "config")):
        text = "\n".join(read_pattern_file(config))
        in_core = False
        for line in text.splitlines():
            section = re.match(r"^\s*\[\s*([^\]\s]+)", line)
            if section:
                in_core = section.group(1).lower() == "core"
            elif in_core and (match := _EXCLUDES_FILE.match(line)):
                return os.path.expanduser(match.group(1).strip('"'))
    default = os.path.join(config_home, "git", "ignore")
    return default if os.path.isfile(default) else None
