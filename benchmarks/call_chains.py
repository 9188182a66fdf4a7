"""What the call-chain rules (ASL202, ASL305) cost on a generated 1,000-module project.

    /work/venv/bin/python benchmarks/call_chains.py [--modules 1000] [--keep DIR]

The project: packages of modules whose async handlers call sync services, which call helpers
in other modules, methods of module-level instances and classes' `__init__`; a few modules end
a chain in `asyncio.run` or `open`. Prints:

- the graph pass alone: the shortest chain from every sync function of the project, from a
  warm summary cache, in one process (an upper bound of what the rules ask for);
- end to end, one worker (`-j 1`), the result cache off and the summary cache warm: `check`
  with ASL300 only, and with ASL300 + ASL202 + ASL305 (both sets parse the same files);
- a warm run (result cache on, nothing changed), with and without the two rules.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from async_lint.analysis.blocking_calls import catalog
from async_lint.analysis.call_chains import ChainSearch, blocking_sink, loop_runner_sink
from async_lint.analysis.project import project_layout
from async_lint.analysis.types import FunctionType
from async_lint.config import RuleOptions
from async_lint.engine.project_index import ProjectIndex

PACKAGE_SIZE = 100


def module_source(number: int, rng: random.Random) -> str:
    imports = sorted({rng.randrange(number) for _ in range(3)}) if number else []
    lines = ["import asyncio", "import json", ""]
    for other in imports:
        lines.append(f"from pkg{other // PACKAGE_SIZE}.mod{other} import helper_{other}, service_{other}, store_{other}")
    lines += ["", ""]
    lines += [f"class Store{number}:", "    def __init__(self):", "        self.items = {}", ""]
    lines += ["    def get(self, key):", "        return self.lookup(key)", ""]
    lines += ["    def lookup(self, key):", "        return self.items.get(key)", "", ""]
    lines += [f"store_{number} = Store{number}()", "", ""]
    sink = ""
    if number % 50 == 7:
        sink = "    asyncio.run(asyncio.sleep(0))"
    elif number % 50 == 31:
        sink = "    with open('data.json') as handle:\n        json.load(handle)"
    lines += [f"def helper_{number}(value):", "    value = str(value).strip()"]
    if sink:
        lines.append(sink)
    lines += ["    return value", "", ""]
    calls = [f"helper_{number}(value)", f"store_{number}.get(value)"]
    for other in imports:
        calls += [f"helper_{other}(value)", f"store_{other}.get(value)"]
    lines += [f"def service_{number}(value):"]
    lines += [f"    {call}" for call in rng.sample(calls, min(3, len(calls)))]
    lines += ["    return value", "", ""]
    for index in range(3):
        lines += [f"def utility_{number}_{index}(items):", "    return sorted(str(item) for item in items)", "", ""]
    targets = [f"service_{number}(request)"] + [f"service_{other}(request)" for other in imports]
    for index in range(2):
        lines += [f"async def handler_{number}_{index}(request):", f"    result = {rng.choice(targets)}"]
        lines += [f"    return {{'ok': utility_{number}_{index}([result])}}", "", ""]
    return "\n".join(lines) + "\n"


def make_project(root: Path, modules: int) -> None:
    rng = random.Random(1000)
    (root / "pyproject.toml").write_text("[tool.async-lint]\n")
    for number in range(modules):
        package = root / f"pkg{number // PACKAGE_SIZE}"
        package.mkdir(exist_ok=True)
        (package / "__init__.py").touch()
        (package / f"mod{number}.py").write_text(module_source(number, rng))


def cli(root: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "async_lint", "check", "-j", "1", "--exit-zero", *args, "."],
        cwd=root,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def graph_pass(root: Path) -> tuple[float, int, int]:
    files = sorted(root.rglob("*.py"))
    index = ProjectIndex(project_layout(root, (), [root]), root / ".async_lint_cache")
    starts = []
    for path in files:
        model = index.add(path)
        if model is not None:
            starts += [FunctionType(path, function.key) for function in model.functions() if not function.is_async]
    started = time.perf_counter()
    found = 0
    for sink in (loop_runner_sink, blocking_sink(catalog(RuleOptions()))):
        search = ChainSearch(index.project, sink)
        found += sum(1 for start in starts if search.chain(start) is not None)
    return time.perf_counter() - started, len(starts), found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="generate the project here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="chains-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        make_project(root, args.modules)
        cli(root, "--select", "ASL300,ASL202,ASL305")  # warms the summary and result caches
        seconds, starts, found = graph_pass(root)
        print(f"graph pass: {starts} sync functions x 2 sink kinds, {found} chains, {seconds * 1000:.0f} ms")
        base = min(cli(root, "--no-cache", "--select", "ASL300") for _ in range(2))
        both = min(cli(root, "--no-cache", "--select", "ASL300,ASL202,ASL305") for _ in range(2))
        print(f"check -j 1, no result cache: ASL300 {base:.2f}s, +ASL202/ASL305 {both:.2f}s (+{both - base:.2f}s)")
        warm_base = min(cli(root, "--select", "ASL300") for _ in range(2))
        warm_both = min(cli(root, "--select", "ASL300,ASL202,ASL305") for _ in range(2))
        print(f"warm run -j 1: ASL300 {warm_base:.2f}s, +ASL202/ASL305 {warm_both:.2f}s (+{warm_both - warm_base:.2f}s)")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
