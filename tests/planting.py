"""Plant known mistakes into real code, spread over several lines with comments, so a test (and
`scripts/fix_corpus.py --seed-mistakes`) can show that `--fix` touches the planted lines and
nothing else.

Each `async def` whose first statement starts its own line gets one plant before that statement
(the plants take turns); a plant brings its own imports, inside the function, so no fix needs to
add one at the top of the module.
"""

from __future__ import annotations

import ast
import difflib
import warnings
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Plant:
    code: str
    """The rule the mistake is for."""
    lines: tuple[str, ...]
    """The statements, indented relative to the function body."""


PLANTS: tuple[Plant, ...] = (
    Plant("ASL300", ("import asyncio", "import time", "time.sleep(  # planted", "    0,", ")")),
    Plant("ASL100", ("import asyncio", "asyncio.sleep(", "    0,  # planted", ")")),
    Plant("ASL200", ("import asyncio", "asyncio.run(  # planted", "    asyncio.sleep(", "        0,", "    )", ")")),
    Plant("ASL101", ("import asyncio", "_planted = asyncio.sleep(", "    0,", ")  # planted")),
    Plant(
        "ASL400",
        ("from langchain_core.runnables import RunnableLambda", "RunnableLambda(str).invoke(  # planted", '    "x",', ")"),
    ),
    Plant("ASL301", ("import asyncio", "import requests", "requests.get(  # planted", '    "https://example.com",', "    timeout=1,", ")")),
)


@dataclass(frozen=True)
class Planted:
    rows: frozenset[int]
    """The rows of the planted lines, in the file as planted (1-based)."""
    codes: tuple[str, ...]
    """The rule of each plant, in order."""


def plant_mistakes(path: Path) -> Planted:
    """Plant a mistake in every `async def` of the file that has room for one (see the module
    docstring), keeping the file's line endings; nothing when the file does not parse."""
    data = path.read_bytes()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
        text = data.decode("utf-8")
    except (SyntaxError, ValueError, UnicodeDecodeError):
        return Planted(frozenset(), ())
    lines = text.splitlines(keepends=True)
    inserts: list[tuple[int, list[str], str]] = []
    for node in ast.walk(tree):
        row = _planting_row(node, lines)
        if row is None:
            continue
        line = lines[row - 1]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        ending = line[len(line.rstrip("\r\n")) :] or "\n"
        plant = PLANTS[len(inserts) % len(PLANTS)]
        inserts.append((row, [f"{indent}{statement}{ending}" for statement in plant.lines], plant.code))
    for row, planted_lines, _ in sorted(inserts, key=lambda insert: insert[0], reverse=True):
        lines[row - 1 : row - 1] = planted_lines
    if inserts:
        path.write_bytes("".join(lines).encode("utf-8"))
    rows: set[int] = set()
    shift = 0
    for row, planted_lines, _ in sorted(inserts, key=lambda insert: insert[0]):
        rows.update(range(row + shift, row + shift + len(planted_lines)))
        shift += len(planted_lines)
    return Planted(frozenset(rows), tuple(code for _, _, code in inserts))


def _planting_row(node: ast.AST, lines: list[str]) -> int | None:
    """The row before which a plant goes in `node`, when it is an `async def` whose first
    statement (after the docstring) starts its own line, at the body's indentation."""
    if not isinstance(node, ast.AsyncFunctionDef) or node.body[0].lineno == node.lineno:
        return None
    target = node.body[0]
    if isinstance(target, ast.Expr) and isinstance(target.value, ast.Constant) and isinstance(target.value.value, str):
        if len(node.body) < 2:
            return None
        target = node.body[1]
    first: ast.stmt | ast.expr = min([target, *getattr(target, "decorator_list", ())], key=lambda n: (n.lineno, n.col_offset))
    line = lines[first.lineno - 1]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if not indent or len(indent) != first.col_offset - (1 if first is not target else 0):
        return None  # the statement does not start its line (`) -> T: ...` of an overload)
    row: int = first.lineno
    return row


def touched_rows(before: str, after: str) -> set[int]:
    """The rows of `before` that `after` changes or removes, and the rows new lines go before."""
    touched: set[int] = set()
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            touched.update(range(i1 + 1, i2 + 1))
        elif tag == "insert":
            touched.add(i1 + 1)
    return touched
