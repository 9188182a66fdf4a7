"""A fix's replacement as the smallest text edits: `--fix` changes only the tokens the fix needs
(inserts `await `, renames `invoke` to `ainvoke`, swaps `time` for `asyncio`) and leaves every
other character, comment and line break where it was.

A rule says what a node becomes, as code (a LibCST node rendered where the old one stands, or
text). Both the old and the new code are split into tokens and the gaps between them
(whitespace, comments, line continuations); the tokens are aligned with `difflib`, and the
result is the new code's tokens where:

- a token the alignment keeps is the old text itself;
- the gap between two tokens that were neighbours in the old code too (each kept, or put in
  the place of exactly one old token) is the old gap, comments and line breaks included; next
  to a replaced symbol (`(` becoming `,`) only when the old gap breaks the line. Either way
  only if a line break there is still inside brackets exactly when it was (outside brackets it
  would end the statement);
- any other gap (next to an inserted or removed token) is the new code's.

When the fix drops a pair of the old code's parentheses around code it keeps whole (`asyncio.run(`
... `)` becoming `await ...`) and a line break or a comment hangs on them, they stay as grouping
parentheses (`await (`), so the lines inside keep their place.

The edits are the stretches of the old text that differ from that result.

Messages and fix titles quote code on one line (`one_line_message`): the edits carry the full code.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import re
import warnings
from collections import Counter
from dataclasses import dataclass

_LEXEME = re.compile(
    r"""
    (?P<gap>(?:[ \t\f]+|\\(?:\r\n|\r|\n)|\r\n|\r|\n|\#[^\r\n]*)+)
    | (?P<string>(?:[rR][bBfFtT]?|[bBfFtT][rR]?|[uU])?
        (?:'''(?:\\.|.)*?'''|\"\"\"(?:\\.|.)*?\"\"\"|'(?:\\.|[^\\'\r\n])*'|"(?:\\.|[^\\"\r\n])*"))
    | (?P<word>\w+)
    | (?P<symbol>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_COMMENT = re.compile(r"#[^\r\n]*")
_CONTINUATION = re.compile(r"\\(?:\r\n|\r|\n)")
_LINE_BREAK = re.compile(r"[\r\n]")
_LAYOUT = re.compile(r"[\r\n#]")
"""A gap holding a line break or a comment."""
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")


@dataclass(frozen=True)
class TextEdit:
    """Replace `text[start:end]` of the old code with `content`."""

    start: int
    end: int
    content: str


@dataclass(frozen=True)
class LayoutEdits:
    edits: tuple[TextEdit, ...]
    drops_comments: bool
    """The replacement loses a comment of the old code (so the fix is not safe)."""


@dataclass(frozen=True)
class _Lexed:
    text: str
    tokens: tuple[tuple[int, int], ...]
    gaps: tuple[tuple[int, int], ...]
    """`gaps[k]` precedes `tokens[k]`; the last one follows the last token."""
    depths: tuple[int, ...]
    """The bracket depth (within this code) at each gap."""

    def words(self) -> list[str]:
        return [self.text[start:end] for start, end in self.tokens]

    def gap(self, index: int) -> str:
        start, end = self.gaps[index]
        return self.text[start:end]


def _lex(text: str) -> _Lexed:
    tokens: list[tuple[int, int]] = []
    gaps: list[tuple[int, int]] = []
    depths: list[int] = []
    gap_start = depth = 0
    for match in _LEXEME.finditer(text):
        if match.lastgroup == "gap":
            continue
        gaps.append((gap_start, match.start()))
        depths.append(depth)
        tokens.append(match.span())
        token = match.group()
        if token in _OPENING:
            depth += 1
        elif token in _CLOSING:
            depth = max(depth - 1, 0)
        gap_start = match.end()
    gaps.append((gap_start, len(text)))
    depths.append(depth)
    return _Lexed(text, tuple(tokens), tuple(gaps), tuple(depths))


def _breaks_line(gap: str) -> bool:
    """Whether the gap holds a line break that is not a backslash continuation."""
    return bool(_LINE_BREAK.search(_CONTINUATION.sub("", gap)))


def _comments(text: str) -> Counter[str]:
    lexed = _lex(text)
    return Counter(comment for index in range(len(lexed.gaps)) for comment in _COMMENT.findall(lexed.gap(index)))


def layout_edits(old: str, new: str) -> LayoutEdits:
    """The edits that turn `old` into `new`'s tokens, keeping `old`'s layout (see the module
    docstring)."""
    before = _lex(old)
    while True:
        after = _lex(new)
        alignment = _align(before, after)
        grouped = _keeping_grouping_parentheses(before, after, alignment)
        if grouped is None:
            break
        new = grouped
    edits = _edits(old, _pieces(before, after, alignment))
    lost = _comments(old) - _comments(_applied(old, edits))
    return LayoutEdits(edits, drops_comments=bool(lost))


@dataclass(frozen=True)
class _Alignment:
    slot: list[int | None]
    """For each new token, the old token whose place it takes (the same token, or one replaced
    by exactly one)."""
    kept: list[bool]
    """The new token is the old one."""
    renamed: list[bool]
    """The new token is a name in the place of an old name."""


def _align(before: _Lexed, after: _Lexed) -> _Alignment:
    old_words, new_words = before.words(), after.words()
    alignment = _Alignment([None] * len(new_words), [False] * len(new_words), [False] * len(new_words))
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(j2 - j1):
                alignment.slot[j1 + k] = i1 + k
                alignment.kept[j1 + k] = tag == "equal"
                alignment.renamed[j1 + k] = _is_name(old_words[i1 + k]) and _is_name(new_words[j1 + k])
    return alignment


def _is_name(word: str) -> bool:
    return word.isidentifier() and not keyword.iskeyword(word)


def _pieces(before: _Lexed, after: _Lexed, alignment: _Alignment) -> list[tuple[int, int] | str]:
    """The result: spans of the old text, and new text."""
    slot, kept, renamed = alignment.slot, alignment.kept, alignment.renamed
    pieces: list[tuple[int, int] | str] = []
    count = len(slot)
    for j in range(count + 1):
        previous = -1 if j == 0 else slot[j - 1]
        following = len(before.tokens) if j == count else slot[j]
        if count > 0 and previous is not None and following == previous + 1:
            # Neighbours in the old code too: the old gap, unless a symbol replaced next to it
            # makes it the new code's business (`(` -> `, ` keeps only a line break).
            settled = all(kept[i] or renamed[i] for i in (j - 1, j) if 0 <= i < count)
            old_gap = before.gap(following)
            if (settled or _breaks_line(old_gap)) and _gap_fits(old_gap, before.depths[following], after.depths[j]):
                pieces.append(before.gaps[following])
            else:
                pieces.append(after.gap(j))
        else:
            pieces.append(after.gap(j))
        if j < count:
            position = slot[j]
            pieces.append(before.tokens[position] if kept[j] and position is not None else after.words()[j])
    return pieces


def _keeping_grouping_parentheses(before: _Lexed, after: _Lexed, alignment: _Alignment) -> str | None:
    """The new code with one more pair of grouping parentheses, when the fix drops a pair of
    the old code's parentheses (`asyncio.run(` ... `)`) around code it keeps whole and a line
    break or comment hangs on them: `await (` keeps the lines below as they were. None when
    there is no such pair, or when the parentheses would change what the new code means."""
    position_in_new = {old: new for new, old in enumerate(alignment.slot) if old is not None and alignment.kept[new]}
    for opening, closing in _parenthesis_pairs(before):
        inside = range(opening + 1, closing)
        if opening in position_in_new or closing in position_in_new or not inside:
            continue
        if not all(index in position_in_new for index in inside):
            continue
        first, last = position_in_new[inside[0]], position_in_new[inside[-1]]
        if last - first != len(inside) - 1:
            continue
        if not any(_LAYOUT.search(before.gap(index)) for index in (opening + 1, closing)):
            continue
        start, end = after.tokens[first][0], after.tokens[last][1]
        grouped = f"{after.text[:start]}({after.text[start:end]}){after.text[end:]}"
        syntax = _syntax(after.text)
        if syntax is not None and syntax == _syntax(grouped):
            return grouped
    return None


def _parenthesis_pairs(lexed: _Lexed) -> list[tuple[int, int]]:
    """Matching `(` and `)`, by token index."""
    words = lexed.words()
    return [(start, end) for start, end in _bracket_pairs(lexed) if words[start] == "("]


def _bracket_pairs(lexed: _Lexed) -> list[tuple[int, int]]:
    """Matching opening and closing brackets, by token index."""
    pairs: list[tuple[int, int]] = []
    open_brackets: list[int] = []
    for index, word in enumerate(lexed.words()):
        if word in _OPENING:
            open_brackets.append(index)
        elif word in _CLOSING and open_brackets:
            pairs.append((open_brackets.pop(), index))
    return pairs


def _syntax(code: str) -> str | None:
    """What Python makes of `code` (an expression, or statements), or None if it does not parse."""
    for source, mode in ((f"(\n{code}\n)", "eval"), (code, "exec")):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.dump(ast.parse(source, mode=mode))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    return None


def _gap_fits(gap: str, old_depth: int, new_depth: int) -> bool:
    return not _breaks_line(gap) or (old_depth > 0) == (new_depth > 0)


def _edits(old: str, pieces: list[tuple[int, int] | str]) -> tuple[TextEdit, ...]:
    edits: list[TextEdit] = []
    cursor = 0
    pending: list[str] = []

    def flush(end: int) -> None:
        content = "".join(pending)
        pending.clear()
        if old[cursor:end] != content:
            edits.append(TextEdit(cursor, end, content))

    for piece in pieces:
        if isinstance(piece, str):
            pending.append(piece)
            continue
        start, end = piece
        assert start >= cursor, "kept stretches of the old code come in order"
        flush(start)
        cursor = end
    flush(len(old))
    return tuple(edits)


def _applied(old: str, edits: tuple[TextEdit, ...]) -> str:
    for edit in reversed(edits):
        old = old[: edit.start] + edit.content + old[edit.end :]
    return old


def code_on_one_line(code: str) -> str:
    """`code` shown on one line: what a bracket holds over several lines becomes `...`
    (`await llm.ainvoke(\\n    [...]\\n)` reads `await llm.ainvoke(...)`), and any other line
    break a space."""
    lexed = _lex(code)
    words = lexed.words()
    closing_of = dict(_bracket_pairs(lexed))
    parts: list[str] = []
    index = 0
    while index < len(words):
        if index > 0:
            parts.append(" " if _LINE_BREAK.search(lexed.gap(index)) else lexed.gap(index))
        parts.append(words[index])
        closing = closing_of.get(index)
        if closing is not None and _LINE_BREAK.search(code[lexed.tokens[index][1] : lexed.tokens[closing][0]]):
            parts += ["...", words[closing]]
            index = closing
        index += 1
    return "".join(parts)


_CODE_SPAN = re.compile(r"`([^`]*)`")
_LINE_ENDING = re.compile(r"\r\n|\r|\n")


def one_line_message(message: str) -> str:
    """A message (or a fix's title) on one line, whatever code it quotes: a finding is one line
    of output in every format, and the fix itself shows the full code."""
    if not _LINE_BREAK.search(message):
        return message
    spans = _CODE_SPAN.sub(
        lambda match: f"`{code_on_one_line(match.group(1))}`" if _LINE_BREAK.search(match.group(1)) else match.group(0),
        message,
    )
    return _LINE_ENDING.sub(" ", spans)
