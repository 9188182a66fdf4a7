"""What the tests share: running the CLI as users do, reading fixture markers, checking text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import libcst as cst

from async_lint.analysis.project import Project
from async_lint.analysis.project_view import ProjectView
from async_lint.analysis.walker import Handler, ModuleWalker
from async_lint.config import RuleOptions
from async_lint.diagnostics import Diagnostic, Location
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from async_lint.engine.run_settings import FixMode, RunSettings
from async_lint.engine.runner import check_source
from async_lint.engine.source_files import SourceText
from async_lint.text_positions import line_starts, offset_of
from async_lint.rules import all_rules
from async_lint.selection import default_codes

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
FIXTURES = REPO / "tests" / "fixtures"
EXAMPLES = REPO / "examples"
MARKER = re.compile(r"#\s*error:\s*(?P<codes>ASL\d{3}(?:\s*,\s*ASL\d{3})*)")


def walker(
    text: str,
    handlers: dict[type[cst.CSTNode], list[tuple[str, Handler]]],
    filename: str = "<test>.py",
    module_name: str | None = None,
) -> ModuleWalker:
    """A walker over `text` alone (no other module of a project is known), not yet walked."""
    path = Path(os.path.abspath(filename))
    view = ProjectView(Project(), path, text)
    return ModuleWalker(cst.parse_module(text), handlers, view, module_name=module_name, filename=filename)


def source_of(code: str) -> str:
    """An indented example as a file's text."""
    return textwrap.dedent(code).strip("\n") + "\n"


def environment() -> dict[str, str]:
    """The subprocess environment: this checkout's `src/` first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "async_lint", *args],
        cwd=cwd or REPO,
        env=environment(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def expected_markers(text: str) -> set[tuple[int, str]]:
    """(row, code) for every `# error: ASLxxx[, ASLyyy]` marker."""
    found = set()
    for row, line in enumerate(text.splitlines(), start=1):
        match = MARKER.search(line)
        if match:
            for code in match.group("codes").split(","):
                found.add((row, code.strip()))
    return found


def rule_codes() -> list[str]:
    return [code for code, rule in all_rules().items() if not rule.infrastructure]


def with_rule(code: str) -> frozenset[str]:
    """The default selection plus `code` (which may be an opt-in rule): what a user who enables
    that rule runs."""
    return default_codes() | {code}


def check(text: str, codes: frozenset[str] | None = None, filename: str = "example.py", module_name: str | None = None) -> list[Diagnostic]:
    """The findings of `codes` (default: the default selection, as an unconfigured run)."""
    enabled = default_codes() if codes is None else codes
    return check_text(text, filename, build_rule_set(enabled, RuleOptions()), module_name=module_name)


def fix(text: str, codes: frozenset[str] | None = None, unsafe: bool = False, filename: str = "example.py") -> str:
    enabled = default_codes() if codes is None else codes
    settings = RunSettings(enabled, RuleOptions(), REPO, fix_mode=FixMode.DIFF, unsafe_fixes=unsafe, rules=build_rule_set)
    result = check_source(SourceText(text, "utf-8"), filename, settings)
    assert result.fixed_text is not None
    return result.fixed_text


def apply_json_fix(text: str, fix: dict[str, Any]) -> str:
    """`text` with the edits of a fix from the JSON output applied (rows and columns 1-based)."""
    starts = line_starts(text)
    for edit in sorted(fix["edits"], key=lambda e: (e["location"]["row"], e["location"]["column"]), reverse=True):
        start = offset_of(Location(**edit["location"]), starts, len(text))
        end = offset_of(Location(**edit["end_location"]), starts, len(text))
        text = text[:start] + edit["content"] + text[end:]
    return text


def all_nodes(module: cst.Module) -> list[cst.CSTNode]:
    """Every node of the module, in the order LibCST's own visitor reaches them."""
    nodes: list[cst.CSTNode] = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            nodes.append(node)
            return True

    module.visit(Collect())
    return nodes
