"""`--format gitlab`: GitLab CI's code quality report (a JSON list of Code Climate issues), shown
in merge requests when a job publishes it as `artifacts: reports: codequality`."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from async_lint.diagnostics import Diagnostic
from async_lint.rules import all_rules


def _path(filename: str) -> str:
    """Relative to the working directory (the repository root in CI), as GitLab expects."""
    path = Path(filename)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            pass
    return path.as_posix()


def render_gitlab(diagnostics: list[Diagnostic]) -> str:
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for d in diagnostics:
        path = _path(d.filename)
        # No line number in the fingerprint: a finding that moves when lines are added above it
        # stays the same issue; identical findings in one file are told apart by their order.
        key = (d.code, path, d.message)
        seen[key] += 1
        fingerprint = hashlib.sha256("\0".join([*key, str(seen[key])]).encode("utf-8", "surrogateescape")).hexdigest()
        rule = all_rules()[d.code]
        issues.append(
            {
                "type": "issue",
                "check_name": d.code,
                "description": f"{d.code} {d.message}",
                "content": {"body": f"{rule.why}\n\n{rule.url()}"},
                "categories": ["Bug Risk"],
                "severity": "critical" if rule.infrastructure else "major",
                "fingerprint": fingerprint,
                "location": {"path": path, "lines": {"begin": d.start.row, "end": d.end.row}},
            }
        )
    return json.dumps(issues, indent=2) + "\n"
