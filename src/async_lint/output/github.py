"""`--format github`: GitHub Actions workflow commands, shown as annotations on the diff."""

from __future__ import annotations

from async_lint.diagnostics import Diagnostic


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: list[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        properties = ",".join(
            [
                f"file={_escape_property(d.filename)}",
                f"line={d.start.row}",
                f"col={d.start.column}",
                f"endLine={d.end.row}",
                f"endColumn={d.end.column}",
                f"title={_escape_property(d.code)}",
            ]
        )
        message = d.message
        if d.fix is not None:
            message += f"\n{d.fix.applicability.label}: {d.fix.message}"
        lines.append(f"::error {properties}::{_escape_data(f'{d.code} {message}')}")
    return "".join(line + "\n" for line in lines)
