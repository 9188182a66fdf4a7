"""`--output-format text`, for people: one line per finding (`[*]` when `--fix` alone fixes it),
its fix in ruff's words (`fix`, `unsafe fix`, `suggestion`) and its notes; and the summary,
`--statistics`, `--show-fixes` and `--diff` blocks."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from async_lint.diagnostics import Applicability, Diagnostic
from async_lint.engine.run_settings import FileResult
from async_lint.fixes import is_applicable, is_safe_fixable
from async_lint.rule_catalog import RULES

SAFE_MARKER = "[*]"
"""Marks a finding, or a code in `--statistics`, that `--fix` alone fixes."""


def finding_text(d: Diagnostic) -> str:
    marker = f"{SAFE_MARKER} " if is_safe_fixable(d) else ""
    text = f"{d.filename}:{d.start.row}:{d.start.column}: {d.code} {marker}{d.message}\n"
    if d.fix is not None:
        text += f"    {d.fix.applicability.label}: {d.fix.message}\n"
    for item in d.related:
        text += f"    note: {item.filename}:{item.start.row}:{item.start.column}: {item.message}\n"
    return text


def render_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(finding_text(d) for d in diagnostics)


def statistics_text(diagnostics: list[Diagnostic]) -> str:
    counts = Counter(d.code for d in diagnostics)
    safe = {d.code for d in diagnostics if is_safe_fixable(d)}
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        marker = SAFE_MARKER if code in safe else " " * len(SAFE_MARKER)
        lines.append(f"{count:>5}  {code}  {marker} {RULES[code].name}\n")
    return "".join(lines)


@dataclass(frozen=True)
class _FixKind:
    applicability: Applicability
    how: str


_PLURALS = {"fix": "fixes", "unsafe fix": "unsafe fixes", "suggestion": "suggestions"}
_KINDS = (
    _FixKind(Applicability.SAFE, "`--fix`"),
    _FixKind(Applicability.UNSAFE, "`--fix --unsafe-fixes`"),
    _FixKind(Applicability.SUGGESTION, "shown, never applied"),
)


def fixes_text(results: list[FileResult], diagnostics: list[Diagnostic], fixing: bool, would: bool) -> str:
    """`--show-fixes`: after `--fix` (or `--diff`, `would`), the findings fixed, by file and code
    (ruff's enumeration); otherwise every fix on offer, by kind, file and code."""
    if fixing:
        fixed = [(r.filename, code) for r in results for code in r.fixed]
        noun = "error" if len(fixed) == 1 else "errors"
        return f"{'Would fix' if would else 'Fixed'} {len(fixed)} {noun}:\n{_by_file(fixed)}" if fixed else ""
    blocks = []
    for kind in _KINDS:
        found = [(d.filename, d.code) for d in diagnostics if d.fix is not None and d.fix.applicability is kind.applicability]
        if found:
            label = kind.applicability.label if len(found) == 1 else _PLURALS[kind.applicability.label]
            blocks.append(f"{len(found)} {label} ({kind.how}):\n{_by_file(found)}")
    return "".join(blocks)


def _by_file(items: list[tuple[str, str]]) -> str:
    by_file: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for filename, code in items:
        by_file[filename][code] += 1
    text = ""
    for filename in sorted(by_file):
        text += f"- {filename}:\n"
        for code, count in sorted(by_file[filename].items(), key=lambda item: (-item[1], item[0])):
            text += f"    {count} × {code} ({RULES[code].name})\n"
    return text


def diff_text(results: list[FileResult]) -> str:
    chunks: list[str] = []
    for result in results:
        if not result.changed:
            continue
        assert result.original_text is not None and result.fixed_text is not None
        chunks += difflib.unified_diff(
            result.original_text.splitlines(keepends=True),
            result.fixed_text.splitlines(keepends=True),
            fromfile=f"a/{result.filename}",
            tofile=f"b/{result.filename}",
        )
    return "".join(chunks)


def summary_text(results: list[FileResult], diagnostics: list[Diagnostic], fixing: bool, diffing: bool) -> str:
    fixed = sum(len(r.fixed) for r in results)
    unchecked = [d for d in diagnostics if RULES[d.code].infrastructure]
    findings = [d for d in diagnostics if not RULES[d.code].infrastructure]
    if not diagnostics and not fixed:
        return "All checks passed!\n"
    parts = []
    total = len(findings) + fixed
    noun = "error" if total == 1 else "errors"
    if diffing:
        changed = sum(1 for r in results if r.changed)
        parts.append(f"Would fix {changed} file{'s' if changed != 1 else ''}.")
    elif fixing:
        parts.append(f"Found {total} {noun} ({fixed} fixed, {len(findings)} remaining).")
    elif findings:
        safe = sum(1 for d in findings if is_safe_fixable(d))
        unsafe_only = sum(1 for d in findings if is_applicable(d.fix, unsafe=True)) - safe
        detail = []
        if safe:
            detail.append(f"{safe} fixable with `--fix`")
        if unsafe_only:
            detail.append(f"{unsafe_only} more with `--fix --unsafe-fixes`")
        parts.append(f"Found {len(findings)} {noun}" + (f" ({', '.join(detail)})." if detail else "."))
    if unchecked:
        by_code = Counter(d.code for d in unchecked)
        listing = ", ".join(f"{count} {code} {RULES[code].name}" for code, count in sorted(by_code.items()))
        parts.append(f"{len(unchecked)} file{'s' if len(unchecked) != 1 else ''} not fully checked: {listing}.")
    return "\n".join(parts) + "\n"
