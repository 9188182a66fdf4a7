"""`--fix --unsafe-fixes` on real code at scale, proven safe.

Copies the installed packages of the corpus (langgraph, langchain_core, fastapi, starlette,
httpx, aiohttp, anyio, libcst, flake8, pip: whichever are installed, found through importlib)
into a temporary directory, then, through the real CLI:

1. `check` (findings before, and which carry an applicable fix);
2. `check --fix --unsafe-fixes` (writes the fixes);
3. `check --fix --unsafe-fixes` again,

and verifies: no ASL003 internal-error in any run; every file that compiled before still
compiles; the second fix run changes no file; and after fixing, no finding with an applicable
fix is left (a fixed finding never comes back). Works with whatever rules are registered.

    python scripts/fix_corpus.py [--jobs 2] [--keep] [--packages langgraph,httpx]

With `--seed-mistakes`, each `async def` of the copy first gets a known mistake as its first
statement, spread over several lines with comments (`tests/planting.py`: ASL100, ASL101,
ASL200, ASL300, ASL301, ASL400 in turn), so the fixer is exercised on thousands of real module
layouts (docstrings, `__future__` imports, decorators, nested functions, CRLF files...), not
only on the corpus's few findings; and the lines the fix run touches are counted: each must be a
planted line, or a line an edit of one of the corpus's own findings names.

Exit status 0 when every check holds, 1 otherwise. Results: scripts/fix_corpus.md.
"""

from __future__ import annotations

import argparse
import ast
import collections
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.planting import Planted, plant_mistakes, touched_rows  # noqa: E402 - the repository first
PACKAGES = ("langgraph", "langchain_core", "fastapi", "starlette", "httpx", "aiohttp", "anyio", "libcst", "flake8", "pip")
CONFIG = '[tool.async-lint]\n# check everything copied, vendored and build folders included\nexclude = []\nrespect-gitignore = false\n'


def package_roots(names: list[str]) -> dict[str, Path]:
    """Each installed package's directory (every directory of a namespace package)."""
    roots: dict[str, Path] = {}
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.submodule_search_locations is None:
            print(f"  not installed, skipped: {name}")
            continue
        for index, location in enumerate(spec.submodule_search_locations):
            roots[name if index == 0 else f"{name}-{index}"] = Path(location)
    return roots


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".py", ".pyi") and p.is_file())


def compiles(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def touched_outside(
    files: list[Path], corpus: Path, planted: dict[Path, Planted], texts_before: dict[Path, str], findings: list[dict]
) -> list[str]:
    """Count the lines the fix run touched, and name each that is neither planted nor named by
    an edit of one of the corpus's own findings."""
    named: dict[Path, set[int]] = collections.defaultdict(set)
    planted_edits_outside = 0
    for item in findings:
        if not applicable(item):
            continue
        path = Path(item["filename"]).resolve()
        rows = {row for edit in item["fix"]["edits"] for row in range(edit["location"]["row"], edit["end_location"]["row"] + 1)}
        if item["location"]["row"] in planted[path].rows:
            planted_edits_outside += len(rows - planted[path].rows)
        else:
            named[path].update(rows)
    in_planted = by_own_findings = 0
    problems = []
    for path in files:
        touched = touched_rows(texts_before[path], path.read_bytes().decode("utf-8", errors="replace"))
        in_planted += len(touched & planted[path].rows)
        by_own_findings += len(touched & named[path] - planted[path].rows)
        problems += [f"touched outside the planted lines: {path.relative_to(corpus)}:{row}" for row in sorted(touched - planted[path].rows - named[path])]
    print(
        f"lines touched: {in_planted} planted, {by_own_findings} of the corpus's own findings, "
        f"{len(problems)} elsewhere; edits of planted findings outside the planted lines: {planted_edits_outside}"
    )
    if planted_edits_outside:
        problems.append(f"{planted_edits_outside} edits of planted findings reach outside the planted lines")
    return problems


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(args: list[str], cwd: Path, jobs: int) -> tuple[subprocess.CompletedProcess[str], float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    command = [sys.executable, "-m", "async_lint", "check", "--no-cache", "--config", "async-lint.toml", "-j", str(jobs), *args, "corpus"]
    started = time.perf_counter()
    process = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    return process, time.perf_counter() - started


def applicable(item: dict, unsafe: bool = True) -> bool:
    fix = item.get("fix")
    if not fix or not fix["edits"]:
        return False
    return fix["applicability"] == "safe" or (unsafe and fix["applicability"] == "unsafe")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy (its path is printed)")
    parser.add_argument("--packages", default=",".join(PACKAGES))
    parser.add_argument("--seed-mistakes", action="store_true", help="put a known mistake in every async def first")
    args = parser.parse_args()

    workspace = Path(tempfile.mkdtemp(prefix="async-lint-corpus-")).resolve()
    corpus = workspace / "corpus"
    problems: list[str] = []
    try:
        print("copying the corpus:")
        for name, root in package_roots(args.packages.split(",")).items():
            shutil.copytree(root, corpus / name, ignore=shutil.ignore_patterns("__pycache__"), symlinks=True)
            print(f"  {name}: {root}")
        (workspace / "async-lint.toml").write_text(CONFIG)
        files = python_files(corpus)
        planted: dict[Path, Planted] = {}
        if args.seed_mistakes:
            compiled = {p for p in files if compiles(p)}
            planted = {p: plant_mistakes(p) for p in files}
            spoiled = [p for p in compiled if not compiles(p)]
            seeded = sum(len(p.codes) for p in planted.values())
            print(f"seeded {seeded} mistakes over {sum(len(p.rows) for p in planted.values())} lines ({len(spoiled)} files spoiled by seeding: {spoiled[:3]})")
        texts_before = {p: p.read_bytes().decode("utf-8", errors="replace") for p in files}
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        compiled_before = {p for p in files if compiles(p)}
        hashes = {p: digest(p) for p in files}
        print(f"{len(files)} files, {lines} lines ({len(files) - len(compiled_before)} do not compile before)")

        check, check_seconds = run_cli(["--format", "json", "--exit-zero"], workspace, args.jobs)
        before = json.loads(check.stdout) if check.stdout.strip() else []
        if check.returncode not in (0, 1):
            problems.append(f"check exited {check.returncode}: {check.stderr[-2000:]}")
        codes = collections.Counter(item["code"] for item in before)
        fixable = collections.Counter(item["code"] for item in before if applicable(item))
        print(f"check: {len(before)} findings in {check_seconds:.1f} s, {sum(fixable.values())} with a fix (unsafe included)")
        for code, count in sorted(codes.items()):
            print(f"  {code}: {count} ({fixable[code]} fixable)")

        first, first_seconds = run_cli(["--fix", "--unsafe-fixes", "--exit-zero"], workspace, args.jobs)
        summary = [line for line in first.stdout.splitlines() if line.startswith(("Found", "All checks"))]
        changed = [p for p in files if digest(p) != hashes[p]]
        refused = [line for line in first.stderr.splitlines() if "fixes left unapplied" in line or "cannot write" in line]
        print(f"fix: {summary[0] if summary else first.stdout[-300:]} ({len(changed)} files changed, {first_seconds:.1f} s)")
        for line in refused:
            print(f"  refused: {line}")
        if first.returncode not in (0, 1):
            problems.append(f"fix run exited {first.returncode}: {first.stderr[-2000:]}")

        if args.seed_mistakes:
            problems += touched_outside(files, corpus, planted, texts_before, before)
        broken = [p for p in changed if p in compiled_before and not compiles(p)]
        problems += [f"no longer compiles after the fix: {p.relative_to(corpus)}" for p in broken]

        hashes_after_fix = {p: digest(p) for p in files}
        second, second_seconds = run_cli(["--fix", "--unsafe-fixes", "--format", "json", "--exit-zero"], workspace, args.jobs)
        after = json.loads(second.stdout) if second.stdout.strip() else []
        changed_again = [p for p in files if digest(p) != hashes_after_fix[p]]
        problems += [f"the second fix run changed {p.relative_to(corpus)}" for p in changed_again]
        came_back = [item for item in after if applicable(item)]
        problems += [
            f"a fixable finding is left after fixing: {item['filename']}:{item['location']['row']} {item['code']}"
            for item in came_back
        ]
        internal = [item for item in [*before, *after] if item["code"] == "ASL003"]
        internal_text = [line for line in first.stdout.splitlines() if " ASL003 " in line]
        problems += [f"internal error: {item['filename']}: {item['message']}" for item in internal]
        problems += [f"internal error during the fix run: {line}" for line in internal_text]
        print(f"second fix run: {len(changed_again)} files changed, {len(after)} findings left, {second_seconds:.1f} s")
        print(
            "numbers: "
            + json.dumps(
                {
                    "files": len(files),
                    "lines": lines,
                    "findings": len(before),
                    "fixable": sum(fixable.values()),
                    "files_fixed": len(changed),
                    "findings_left": len(after),
                    "internal_errors": len(internal) + len(internal_text),
                    "check_seconds": round(check_seconds, 1),
                    "fix_seconds": round(first_seconds, 1),
                    "second_fix_seconds": round(second_seconds, 1),
                }
            )
        )
    finally:
        if args.keep:
            print(f"kept: {workspace}")
        else:
            shutil.rmtree(workspace, ignore_errors=True)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("OK: no internal error, everything compiles, the second run changes nothing" if not problems else f"{len(problems)} problems")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
