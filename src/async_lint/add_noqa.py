"""`async-lint check --add-noqa`: write `# noqa: CODE` on the line of every finding (its
`noqa_row`), adding the codes to a `# noqa` comment the line has and keeping any other
comment, so that a codebase adopting async-lint starts from a clean run and fixes at its pace."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from async_lint.engine.run_settings import FileResult
from async_lint.engine.source_files import FileChanged, UnreadableSource, decode_source, read_source_bytes, write_fixed_source
from async_lint.text_positions import lines_with_endings
from async_lint.noqa import NoqaComments, with_noqa
from async_lint.rule_catalog import RULES


@dataclass(frozen=True)
class AddedNoqa:
    added: int
    """Lines that got a `# noqa` comment or more codes in theirs."""
    problems: tuple[str, ...]
    """Files that could not be read or written, and why."""


def add_noqa(results: list[FileResult]) -> AddedNoqa:
    added = 0
    problems: list[str] = []
    for result in results:
        codes_by_row: defaultdict[int, list[str]] = defaultdict(list)
        for d in result.diagnostics:
            if not RULES[d.code].infrastructure:
                codes_by_row[d.noqa_row or d.start.row].append(d.code)
        if not codes_by_row:
            continue
        path = Path(result.filename)
        try:
            data = read_source_bytes(path)
            source = decode_source(data)
            text, count = with_noqa_comments(source.text, codes_by_row)
            if count:
                write_fixed_source(path, data, text, source.encoding)
        except FileChanged:
            problems.append(f"{result.filename}: the file changed during the run; noqa comments not written")
            continue
        except UnreadableSource as error:
            problems.append(f"{result.filename}: {error}")
            continue
        except (OSError, UnicodeError) as error:
            problems.append(f"{result.filename}: cannot write: {getattr(error, 'strerror', None) or error}")
            continue
        added += count
    return AddedNoqa(added, tuple(problems))


def with_noqa_comments(text: str, codes_by_row: dict[int, list[str]]) -> tuple[str, int]:
    """The text with the codes added to each row's `# noqa`, and how many rows changed."""
    comments = NoqaComments(text)
    lines = lines_with_endings(text)
    changed = 0
    for row, codes in codes_by_row.items():
        if not 0 < row <= len(lines):
            continue
        line = lines[row - 1]
        body = line.rstrip("\r\n")
        new_body = with_noqa(body, sorted(codes), comments.comment(row))
        if new_body != body:
            lines[row - 1] = new_body + line[len(body) :]
            changed += 1
    return "".join(lines), changed
