"""`--format json`: a list of findings in ruff's shape, so tools that read ruff's JSON read ours."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from async_lint.diagnostics import Diagnostic
from async_lint.rule_catalog import RULES, rule_url


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """ruff's keys (`cell` is for notebook cells, which async-lint does not read: always null),
    and `related` (the notes: a call chain's steps)."""
    data = diagnostic.to_dict()
    data["filename"] = str(Path(diagnostic.filename).absolute())
    for item in data["related"]:
        item["filename"] = str(Path(item["filename"]).absolute())
    data["url"] = rule_url(diagnostic.code) if diagnostic.code in RULES else None
    data["cell"] = None
    return data


def render_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([diagnostic_json(d) for d in diagnostics], indent=2) + "\n"
