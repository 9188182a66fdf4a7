"""Renderers: diagnostics -> text for people, JSON (ruff's shape), SARIF 2.1.0, GitHub annotations,
GitLab code quality."""

from __future__ import annotations

from collections.abc import Callable

from async_lint.diagnostics import Diagnostic
from async_lint.output.github import render_github
from async_lint.output.gitlab import render_gitlab
from async_lint.output.json_output import render_json
from async_lint.output.sarif import render_sarif

MACHINE_FORMATS: dict[str, Callable[[list[Diagnostic]], str]] = {
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "gitlab": render_gitlab,
}
FORMATS = ("text", *MACHINE_FORMATS)
