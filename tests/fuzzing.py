"""What the fuzz tests share: a generator of async-flavoured programs that make the rules fire,
and the properties every input must satisfy. `scripts/fuzz_campaign.py` runs the same
properties for longer."""

from __future__ import annotations

import ast
import os
import warnings

from hypothesis import strategies as st

from async_lint.config import RuleOptions
from async_lint.diagnostics import Diagnostic
from async_lint.engine.checker import check_text, compiles
from async_lint.rules import build_rule_set
from async_lint.engine.run_settings import FixMode, RunSettings
from async_lint.engine.runner import check_source
from async_lint.engine.source_files import SourceText
from tests.helpers import REPO, rule_codes

EXAMPLES_VARIABLE = "ASYNC_LINT_FUZZ_EXAMPLES"


def examples(default: int) -> int:
    """How many examples a property runs: `default` in the suite, more by hand with
    ASYNC_LINT_FUZZ_EXAMPLES=2000."""
    value = os.environ.get(EXAMPLES_VARIABLE)
    return int(value) if value else default


IMPORTS = (
    "import asyncio",
    "import time",
    "from time import sleep",
    "import time as t",
    "import asyncio as aio",
    "from asyncio import run",
    "import requests",
    "import subprocess, os",
    "import httpx",
    "from langgraph.graph import StateGraph",
    "from langchain_openai import ChatOpenAI",
    "from __future__ import annotations",
)

ANYWHERE = (
    "time.sleep(1)",
    "time.sleep(0.1 * n)",
    "t.sleep(2)",
    "sleep(3)",
    "asyncio.run(main())",
    "aio.run(fetch())",
    "run(main())",
    "loop.run_until_complete(fetch())",
    "fetch()",
    "x = fetch()",
    "print(x)",
    "requests.get(url)",
    "data = open(path).read()",
    "subprocess.run(['ls'])",
    "os.system('ls')",
    "graph.invoke({})",
    "llm.invoke('hi')",
    "asyncio.create_task(fetch())",
    "task = asyncio.create_task(fetch())",
    "x = [time.sleep(i) for i in range(3)]",
    "f = lambda: time.sleep(1)",
    "x = time.sleep(1) if x else None",
    "print(time.sleep(1))",
    "time.sleep(1); time.sleep(2)",
    "x = (time.sleep(1),\n    time.sleep(2))",
    "time.sleep(  # why\n    1)",
    "time.sleep(1)  # noqa",
    "time.sleep(1)  # noqa: ASL300",
    "asyncio.run(main())  # noqa: ASL200",
    "graph = StateGraph(dict).compile()",
    "llm = ChatOpenAI()",
    "client = httpx.AsyncClient()",
    "pass",
    "x = 1",
    "del x",
    "assert x, time.sleep(1)",
    "raise ValueError(time.sleep(1))",
)
IN_FUNCTION = ("return fetch()", "return time.sleep(1)", "return", "yield time.sleep(1)", "x = yield")
IN_ASYNC = (
    "await asyncio.sleep(1)",
    "await fetch()",
    "x = await fetch()",
    "await graph.ainvoke({})",
    "x = await asyncio.to_thread(time.sleep, 1)",
    "x = [await fetch() for _ in range(2)]",
    "async for chunk in graph.astream({}): pass",
    "async with client: pass",
    "await asyncio.gather(fetch(), fetch())",
)


@st.composite
def _block(draw: st.DrawFn, depth: int, context: str) -> list[str]:
    """Lines (indented relative to the block) of a block in `context`: module, class, def, async."""
    size = draw(st.integers(1, 4))
    lines: list[str] = []
    for _ in range(size):
        lines.extend(draw(_statement(depth, context)))
    return lines


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line if line else line for line in lines]


@st.composite
def _statement(draw: st.DrawFn, depth: int, context: str) -> list[str]:
    kinds = ["simple"] * 4
    if depth < 3:
        kinds += ["async def", "def", "class", "if", "for", "try", "with"]
        if context == "async":
            kinds += ["async with", "async for"]
    kind = draw(st.sampled_from(kinds))
    if kind == "simple":
        pool = list(ANYWHERE)
        if context == "class":
            pool = [p for p in pool if "\n" not in p]
        if context in ("def", "async"):
            pool += IN_FUNCTION
        if context == "async":
            pool += IN_ASYNC
        if context != "module" and draw(st.booleans()):
            return [draw(st.sampled_from(IMPORTS[:-1]))]
        return draw(st.sampled_from(pool)).split("\n")
    name = draw(st.sampled_from(["main", "fetch", "handler", "node", "helper", "run"]))
    if kind in ("async def", "def"):
        decorator = draw(st.sampled_from(["", "@app.get('/')", "@tool", "@staticmethod"]))
        inner = "async" if kind == "async def" else "def"
        header = f"{kind} {name}(self, n=1):" if context == "class" else f"{kind} {name}(n=1):"
        return ([decorator] if decorator else []) + [header, *_indent(draw(_block(depth + 1, inner)))]
    if kind == "class":
        return [f"class {name.title()}:", *_indent(draw(_block(depth + 1, "class")))]
    header = {
        "if": "if n:",
        "for": "for i in range(3):",
        "try": "try:",
        "with": "with lock:",
        "async with": "async with lock:",
        "async for": "async for item in stream():",
    }[kind]
    lines = [header, *_indent(draw(_block(depth + 1, context)))]
    if kind == "try":
        lines += ["except Exception:", *_indent(draw(_block(depth + 1, context)))]
    elif kind == "if" and draw(st.booleans()):
        lines += ["else:", *_indent(draw(_block(depth + 1, context)))]
    return lines


@st.composite
def async_programs(draw: st.DrawFn) -> str:
    """Programs made of the calls the rules look for, in sync and async functions, classes,
    loops, handlers and at module level, with odd line endings and indentation now and then."""
    imports = draw(st.lists(st.sampled_from(IMPORTS), max_size=5, unique=True))
    for usual in ("import time", "import asyncio"):
        if usual not in imports and draw(st.integers(0, 9)) > 0:
            imports.insert(draw(st.integers(0, len(imports))), usual)
    if "from __future__ import annotations" in imports:
        imports.remove("from __future__ import annotations")
        imports.insert(0, "from __future__ import annotations")
    lines = [*imports]
    for _ in range(draw(st.integers(1, 5))):
        lines.extend(draw(_statement(0, "module")))
    if draw(st.booleans()):
        lines.insert(0, draw(st.sampled_from(['"""Module docstring."""', "#!/usr/bin/env python", "# -*- coding: utf-8 -*-"])))
    if draw(st.booleans()):
        lines = [line.replace("    ", "\t") for line in lines]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = newline.join(lines)
    return text + newline if draw(st.booleans()) else text


# --- the properties -----------------------------------------------------------------------------


def all_codes() -> frozenset[str]:
    return frozenset(rule_codes()) | {"ASL001", "ASL002", "ASL003"}


def check(text: str) -> list[Diagnostic]:
    return check_text(text, "fuzz.py", build_rule_set(all_codes(), RuleOptions()), module_name="fuzz")


def fix(text: str) -> tuple[str, str | None]:
    """(fixed text, the fixer's complaint if it refused a fix)."""
    settings = RunSettings(all_codes(), RuleOptions(), REPO, fix_mode=FixMode.DIFF, unsafe_fixes=True, rules=build_rule_set)
    result = check_source(SourceText(text, "utf-8"), "fuzz.py", settings, "fuzz")
    assert result.fixed_text is not None
    return result.fixed_text, result.fix_error


def assert_checker_never_fails(text: str) -> list[Diagnostic]:
    diagnostics = check(text)  # raising is the failure
    internal = [d for d in diagnostics if d.code == "ASL003"]
    assert not internal, internal
    return diagnostics


def assert_fix_is_sound(text: str) -> None:
    """A fix of code that compiled compiles; a second fix run changes nothing."""
    fixed, complaint = fix(text)
    if compiles(text, "fuzz.py"):
        assert compiles(fixed, "fuzz.py"), f"fix broke the code:\n{fixed}"
    assert complaint is None, complaint
    again, _ = fix(fixed)
    assert again == fixed, "fixing twice differs from fixing once"


def _outermost_scopes(text: str) -> dict[int, str]:
    """Row -> the module-level def/class containing it ('' for module level)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    rows: dict[int, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            for row in range(first, (node.end_lineno or node.lineno) + 1):
                rows[row] = f"{node.name}@{node.lineno}"
    return rows


def assert_removing_findings_stays_local(text: str) -> None:
    """Replace each one-line finding's line by `pass`: no new finding appears in another
    module-level def or class than the ones edited."""
    if not compiles(text, "fuzz.py"):
        return
    before = check(text)
    lines = text.splitlines(keepends=True)
    scopes = _outermost_scopes(text)
    edited: set[str] = set()
    for diagnostic in before:
        row = diagnostic.start.row
        if diagnostic.end.row != row or row > len(lines) or row not in scopes:
            continue
        line = lines[row - 1]
        stripped = line.lstrip(" \t")
        if stripped.rstrip("\r\n").endswith(":") or stripped.startswith(("@", "def ", "async def ", "class ")):
            continue
        indent = line[: len(line) - len(stripped)]
        ending = line[len(line.rstrip("\r\n")) :]
        candidate = lines.copy()
        candidate[row - 1] = f"{indent}pass{ending}"
        if compiles("".join(candidate), "fuzz.py"):
            lines = candidate
            edited.add(scopes[row])
    if not edited:
        return
    after = check("".join(lines))
    old = {(d.code, d.start.row, d.start.column) for d in before}
    for diagnostic in after:
        if (diagnostic.code, diagnostic.start.row, diagnostic.start.column) in old:
            continue
        scope = scopes.get(diagnostic.start.row, "")
        assert scope in edited, f"new {diagnostic.code} at {diagnostic.start.row} in {scope or 'module level'}, edited {edited}"
