"""Renderers: diagnostics -> text for people, JSON (ruff's shape), SARIF 2.1.0, GitHub annotations,
GitLab code quality.

Each renderer is imported when its format is asked for: SARIF and GitLab read the rules' full
documentation (and so import the rules and LibCST), which a warm run otherwise never needs."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from async_lint.diagnostics import Diagnostic

_RENDERERS = {
    "text": ("async_lint.output.text", "render_text"),
    "json": ("async_lint.output.json_output", "render_json"),
    "sarif": ("async_lint.output.sarif", "render_sarif"),
    "github": ("async_lint.output.github", "render_github"),
    "gitlab": ("async_lint.output.gitlab", "render_gitlab"),
}
FORMATS = tuple(_RENDERERS)


def renderer(output_format: str) -> Callable[[list[Diagnostic]], str]:
    module, function = _RENDERERS[output_format]
    render: Callable[[list[Diagnostic]], str] = getattr(importlib.import_module(module), function)
    return render
