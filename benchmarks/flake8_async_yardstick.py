"""How many of flake8-async's expected blocking-call findings async-lint reports.

    python benchmarks/flake8_async_yardstick.py DIR [--show-misses]

DIR holds flake8-async's published eval files for blocking calls, `tests/eval_files/async2*.py`
of https://github.com/python-trio/flake8-async (ASYNC210-251; `async200.py` is configuration-
driven and not read). They are not part of this repository: fetch them yourself, read-only.

Each expected finding is a trailing `# ASYNCxxx: col, ...` comment (several may share a line).
A line counts as reported when async-lint reports any ASL3xx finding on it (the codes differ:
ASYNC210-212 are ASL301, ASYNC230-240 ASL302, ASYNC220-222 ASL303, ASYNC250/251 ASL304/ASL300).

Two columns:

- **as published**: the files exactly as flake8-async ships them. Several use a module they never
  import (`subprocess.run()` with no `import subprocess`, `httpx.Client()` with only `import
  urllib3`): flake8-async matches the name as written, async-lint resolves names through imports
  and an unbound name is unknown, so those lines are silent by design.
- **imports added**: the same files with the missing module imports appended at the end of the
  file (line numbers unchanged; a module-level import binds the name for the whole module).

Excluded from both (listed with the reason in the output): expected lines whose call only
computes on a path string (`os.path.normpath`, `relpath`, the private `_path_normpath` and
`_joinrealpath` helpers) or resolves it with a few cached `lstat`s (`os.path.realpath`): ASL302
does not flag those by design (see its "What it does not flag").
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

MARKER = re.compile(r"#\s*(ASYNC\d{3})(?:_asyncio)?:\s*(\d+)")

PURE_PATH_FUNCTIONS = {
    "normpath": "computes on the string",
    "relpath": "computes on the strings",
    "_path_normpath": "private helper of normpath: computes on the string",
    "_joinrealpath": "private helper of realpath",
    "realpath": "resolves with a few cached lstat calls; not flagged by design (ASL302)",
}
"""Callee names whose expected lines are excluded, and why."""

IMPORTS_THE_FILES_LEAVE_OUT = {
    "os": "import os",
    "subprocess": "import subprocess",
    "httpx": "import httpx",
    "httpx2": "import httpx2",
    "io": "import io",
    "requests": "import requests",
    "urllib3": "import urllib3",
    "time": "import time",
    "request": "from urllib import request",
    "urlopen": "from urllib.request import urlopen",
    "Optional": "from typing import Optional",
}
"""Names the eval files use unbound, and the import that binds them as flake8-async assumes."""


def expected_lines(text: str) -> dict[int, list[str]]:
    """line -> the ASYNC codes expected there."""
    found: dict[int, list[str]] = defaultdict(list)
    for number, line in enumerate(text.splitlines(), 1):
        for match in MARKER.finditer(line):
            found[number].append(match.group(1))
    return dict(found)


def excluded_lines(text: str, lines: dict[int, list[str]]) -> dict[int, str]:
    """Expected lines whose call is a pure path-string function -> why they are excluded."""
    excluded: dict[int, str] = {}
    for number in lines:
        source = text.splitlines()[number - 1]
        for name, why in PURE_PATH_FUNCTIONS.items():
            if re.search(rf"\b{re.escape(name)}\(", source):
                excluded[number] = f"`{name}`: {why}"
    return excluded


def bound_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def with_imports_added(text: str) -> str:
    """The file with an import appended for each module it uses without binding."""
    tree = ast.parse(text)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    missing = sorted((used - bound_names(tree)) & IMPORTS_THE_FILES_LEAVE_OUT.keys())
    if not missing:
        return text
    return text.rstrip("\n") + "\n\n" + "\n".join(IMPORTS_THE_FILES_LEAVE_OUT[name] for name in missing) + "\n"


def reported_lines(directory: Path) -> dict[str, set[int]]:
    """file name -> lines with an ASL3xx finding."""
    command = [
        sys.executable, "-m", "async_lint", "check", str(directory), "--select", "ASL3",
        "--format", "json", "--no-cache", "--exit-zero", "-q",
    ]  # fmt: skip
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    if result.returncode != 0:
        raise SystemExit(f"async-lint failed ({result.returncode}):\n{result.stderr}")
    found: dict[str, set[int]] = defaultdict(set)
    for finding in json.loads(result.stdout):
        found[Path(finding["filename"]).name].add(finding["location"]["row"])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="flake8-async's tests/eval_files (or a copy of its async2*.py)")
    parser.add_argument("--show-misses", action="store_true", help="print every expected line not reported")
    args = parser.parse_args()
    files = sorted(path for path in args.directory.glob("async2*.py") if path.name != "async200.py")
    if not files:
        raise SystemExit(f"no async2*.py eval files in {args.directory}")
    with tempfile.TemporaryDirectory() as raw, tempfile.TemporaryDirectory() as added:
        for path in files:
            text = path.read_text(encoding="utf-8")
            (Path(raw) / path.name).write_text(text, encoding="utf-8")
            (Path(added) / path.name).write_text(with_imports_added(text), encoding="utf-8")
        as_published = reported_lines(Path(raw))
        imports_added = reported_lines(Path(added))
    rows = []
    totals = [0, 0, 0, 0]
    exclusions: list[str] = []
    misses: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        lines = expected_lines(text)
        excluded = excluded_lines(text, lines)
        exclusions += [f"{path.name}:{number}: {why}" for number, why in sorted(excluded.items())]
        counted = [number for number in lines if number not in excluded]
        raw_hits = sum(number in as_published.get(path.name, set()) for number in counted)
        added_hits = sum(number in imports_added.get(path.name, set()) for number in counted)
        misses += [
            f"{path.name}:{number}: {text.splitlines()[number - 1].strip()}"
            for number in counted
            if number not in imports_added.get(path.name, set())
        ]
        rows.append((path.name, len(counted), len(excluded), raw_hits, added_hits))
        for index, value in enumerate((len(counted), len(excluded), raw_hits, added_hits)):
            totals[index] += value
    print("| file | expected lines | excluded | reported as published | reported, imports added |")
    print("|---|---:|---:|---:|---:|")
    for name, counted, excluded_count, raw_hits, added_hits in rows:
        print(f"| {name} | {counted} | {excluded_count} | {raw_hits} | {added_hits} |")
    expected, excluded_total, raw_total, added_total = totals
    print(
        f"| **total** | **{expected}** | **{excluded_total}** | **{raw_total} ({raw_total / expected:.1%})** "
        f"| **{added_total} ({added_total / expected:.1%})** |"
    )
    print("\nExcluded (pure path-string functions, not flagged by design):")
    for line in exclusions:
        print(f"- {line}")
    if args.show_misses:
        print("\nNot reported (imports added):")
        for line in misses:
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
