"""Applying fixes to a text: pick the applicable ones, drop those whose edits overlap an
earlier one (the next round picks them up), apply the rest from the end backwards."""

from __future__ import annotations

from collections.abc import Iterable

from async_lint.diagnostics import Applicability, Diagnostic, Edit, Fix
from async_lint.text_positions import line_starts, offset_of


def is_safe_fixable(diagnostic: Diagnostic) -> bool:
    """What `[*]` marks: `--fix` alone fixes it."""
    return is_applicable(diagnostic.fix, unsafe=False)


def is_applicable(fix: Fix | None, unsafe: bool) -> bool:
    if fix is None or not fix.edits:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return unsafe and fix.applicability is Applicability.UNSAFE


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic], unsafe: bool) -> tuple[str, list[str]]:
    """The text with every non-overlapping applicable fix applied, and the codes of the findings
    whose fixes were."""
    starts = line_starts(text)
    length = len(text)
    accepted: list[tuple[int, int, str]] = []
    applied: list[str] = []
    fixable = sorted(
        (d for d in diagnostics if d.fix is not None and is_applicable(d.fix, unsafe)),
        key=lambda d: d.fix.edits[0].start,  # type: ignore[union-attr]
    )
    for diagnostic in fixable:
        assert diagnostic.fix is not None
        spans = [_span(edit, starts, length) for edit in diagnostic.fix.edits]
        new_spans = [span for span in spans if span not in accepted]
        if any(_overlaps(span, other) for span in new_spans for other in accepted):
            continue
        accepted.extend(new_spans)
        applied.append(diagnostic.code)
    for start, end, content in sorted(accepted, key=lambda span: (span[0], span[1]), reverse=True):
        text = text[:start] + content + text[end:]
    return text, applied


def _span(edit: Edit, starts: list[int], length: int) -> tuple[int, int, str]:
    return offset_of(edit.start, starts, length), offset_of(edit.end, starts, length), edit.content


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two edits conflict when their ranges intersect, or both insert at the same point."""
    if a[0] == a[1] == b[0] == b[1]:
        return True
    return a[0] < b[1] and b[0] < a[1]
