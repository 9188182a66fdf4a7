"""`analysis.traversal` calls back for exactly the nodes LibCST's `visit` does, in the same
order, minus the syntax trivia nobody handles; and the walker and the rules' sub-visitors built
on it see what they saw through LibCST."""

from __future__ import annotations

import os
from pathlib import Path

from collections.abc import Collection, Iterator

import libcst as cst
import pytest

from async_lint.analysis import traversal
from async_lint.analysis.project import Project
from async_lint.analysis.project_view import ProjectView
from async_lint.analysis.walker import ModuleWalker
from async_lint.config import RuleOptions
from async_lint.rules import build_rule_set
from async_lint.rules import all_rules
from tests.helpers import FIXTURES, REPO, all_nodes

GENERATED = {
    "comprehensions": """\
values = [x * 2 for x in range(10) if x % 2 if x > 1]
pairs = {k: v for k, v in zip(a, b)}
unique = {(y, z) for y in a for z in b}
total = sum(n ** 2 for n in range(3))
nested = [[i + j for j in row] for i, row in enumerate(grid)]
""",
    "lambdas_and_decorators": """\
import functools

@functools.lru_cache(maxsize=None)
@staticmethod
def cached(a, /, b=1, *args, c: int = 2, **kwargs) -> int:
    key = lambda item, *, reverse=False: (-item if reverse else item)
    return sorted(args, key=key)[0] if args else ~a + -b + +c

class Shape(Base, metaclass=Meta):
    @property
    def area(self) -> float: return self._w * self._h; pass
""",
    "match": """\
match command.split():
    case [action]:
        pass
    case ["go", direction] | ["move", direction] if direction in ("n", "s"):
        go(direction)
    case {"x": x, **rest}:
        pass
    case Point(x=0, y=yy) as p:
        pass
    case [1, *others]:
        pass
    case -1 | 1.5 | "s" | None:
        pass
    case _:
        pass
""",
    "walrus_async_fstrings": """\
async def main(session, *urls, **options):
    if (n := len(urls)) > 10 and not options or n is not None:
        print(f"{n=} {urls[0]!r:>{width}} {{literal}}", *urls, sep=", ", **options)
    async with session.get(urls[0]) as response, lock:
        async for chunk in response.content.iter_chunked(1024):
            await process(chunk)
    results = [await fetch(u) async for u in aiter(urls)]
    total += 1; total -= 2; total //= 3; total @= m
    return await asyncio.gather(*(fetch(u) for u in urls), return_exceptions=True)
""",
    "annotations_globals_misc": """\
from typing import Callable
from . import sibling
from ..parent.module import (a as b, c,)
from os.path import *
import os.path as osp, sys
counter: int = 0
handler: Callable[[int, str], None] | None
def bump(x: "list[int]", *, y: dict[str, int] = {}) -> tuple[int, ...]:
    global counter
    def inner():
        nonlocal x
        del x[0], y
        assert x, "message"
        raise ValueError("bad") from None
    counter += 1
    try:
        yield from inner()
    except (KeyError, IndexError) as error:
        raise
    else:
        return x[1:2, ::3], y[...], {**y}, {*x}, (x,), [*x]
    finally:
        while True:
            break
        else:
            continue
    with open("f") as (a, b):
        pass
    try:
        pass
    except* OSError:
        pass
    for i, j in items:  # comment
        pass
    else:
        pass
    return x if x else (yield)
""",
}


def _sources() -> Iterator[tuple[str, str]]:
    for path in sorted([*FIXTURES.glob("*.py"), *(REPO / "tests" / "projects").rglob("*.py")]):
        yield str(path.relative_to(REPO)), path.read_text(encoding="utf-8")
    yield from GENERATED.items()


SOURCES = dict(_sources())

Event = tuple[str, str, int]


class _Recorder(cst.CSTVisitor):
    def __init__(self, skipped: Collection[type] = ()) -> None:
        super().__init__()
        self.skipped = skipped
        self.events: list[Event] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) not in self.skipped:
            self.events.append(("visit", type(node).__name__, id(node)))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if type(original_node) not in self.skipped:
            self.events.append(("leave", type(original_node).__name__, id(original_node)))


def _walked(root: cst.CSTNode, skipped: Collection[type]) -> list[Event]:
    recorder = _Recorder()
    traversal.walk(root, recorder.on_visit, recorder.on_leave, skipped)
    return recorder.events


def _libcst_visited(root: cst.CSTNode, skipped: Collection[type]) -> list[Event]:
    recorder = _Recorder(skipped)
    root.visit(recorder)
    return recorder.events


@pytest.mark.parametrize("name", list(SOURCES))
def test_walk_visits_what_libcst_visits_minus_trivia(name: str) -> None:
    module = cst.parse_module(SOURCES[name])
    skipped = traversal.skipped_types(())
    assert skipped == traversal.TRIVIA_TYPES
    assert _walked(module, skipped) == _libcst_visited(module, skipped)


@pytest.mark.parametrize("name", list(SOURCES))
def test_module_walker_sees_what_libcst_visit_shows_it(name: str) -> None:
    """The walker with every rule's handlers: the same callbacks (and the same findings) as
    `module.visit(walker)`, minus the skipped types."""
    handlers = build_rule_set(frozenset(all_rules()), RuleOptions()).handlers
    module = cst.parse_module(SOURCES[name])
    view = ProjectView(Project(), Path(os.path.abspath(name)), SOURCES[name])

    class Recording(ModuleWalker):
        def __init__(self) -> None:
            super().__init__(module, handlers, view, filename=name)
            self.events: list[Event] = []

        def on_visit(self, node: cst.CSTNode) -> bool:
            self.events.append(("visit", type(node).__name__, id(node)))
            return super().on_visit(node)

        def on_leave(self, original_node: cst.CSTNode) -> None:
            self.events.append(("leave", type(original_node).__name__, id(original_node)))
            super().on_leave(original_node)

    class Forwarding(cst.CSTVisitor):
        """LibCST's own visit, driving the walker's callbacks."""

        def __init__(self, target: ModuleWalker) -> None:
            super().__init__()
            self.target = target

        def on_visit(self, node: cst.CSTNode) -> bool:
            return self.target.on_visit(node)

        def on_leave(self, original_node: cst.CSTNode) -> None:
            self.target.on_leave(original_node)

    walked, visited = Recording(), Recording()
    walked.walk()
    module.visit(Forwarding(visited))
    skipped = traversal.skipped_types(handlers.keys())
    assert walked.events == [event for event in visited.events if getattr(cst, event[1]) not in skipped]
    assert [(r.code, id(r.node), r.message) for r in walked.reports] == [
        (r.code, id(r.node), r.message) for r in visited.reports
    ]


def test_no_rule_handles_a_skipped_type() -> None:
    handlers = build_rule_set(frozenset(all_rules()), RuleOptions()).handlers
    assert handlers
    assert traversal.skipped_types(handlers.keys()).isdisjoint(handlers)


@pytest.mark.parametrize("handled", [cst.Comment, cst.Comma, cst.SimpleWhitespace, cst.LeftParen])
def test_a_handled_trivia_type_is_visited_where_libcst_visits_it(handled: type[cst.CSTNode]) -> None:
    module = cst.parse_module(GENERATED["annotations_globals_misc"] + GENERATED["walrus_async_fstrings"])
    skipped = traversal.skipped_types({handled})
    assert handled not in skipped
    events = _walked(module, skipped)
    assert events == _libcst_visited(module, skipped)
    assert any(type_name == handled.__name__ for _, type_name, _ in events)


@pytest.mark.parametrize("name", list(SOURCES))
def test_trivia_subtrees_hold_only_trivia(name: str) -> None:
    """What makes skipping a trivia node's whole subtree safe."""
    module = cst.parse_module(SOURCES[name])

    class Check(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.trivia_depth = 0
            self.escaped: list[str] = []

        def on_visit(self, node: cst.CSTNode) -> bool:
            if type(node) in traversal.TRIVIA_TYPES:
                self.trivia_depth += 1
            elif self.trivia_depth:
                self.escaped.append(type(node).__name__)
            return True

        def on_leave(self, original_node: cst.CSTNode) -> None:
            if type(original_node) in traversal.TRIVIA_TYPES:
                self.trivia_depth -= 1

    check = Check()
    module.visit(check)
    assert check.escaped == []


def _concrete_node_types() -> set[type[cst.CSTNode]]:
    return {
        value
        for value in vars(cst).values()
        if isinstance(value, type) and issubclass(value, cst.CSTNode) and not getattr(value, "__abstractmethods__", None)
    }


def test_every_libcst_node_type_has_its_child_fields_read_from_source() -> None:
    """With the installed LibCST no node type needs the slow `node.children` fallback."""
    unreadable = sorted(t.__name__ for t in _concrete_node_types() if traversal.child_fields(t) is None)
    assert unreadable == []
    assert traversal.child_fields(cst.FunctionDef)[:6] == (
        "leading_lines",
        "decorators",
        "lines_after_decorators",
        "asynchronous",
        "whitespace_after_def",
        "name",
    )
    assert traversal.child_fields(cst.Name) == ("lpar", "rpar")
    assert traversal.child_fields(cst.SimpleWhitespace) == ()


@pytest.mark.parametrize("name", list(SOURCES))
def test_child_nodes_are_the_children_minus_trivia(name: str) -> None:
    module = cst.parse_module(SOURCES[name])
    for node in all_nodes(module):
        expected = [child for child in node.children if type(child) not in traversal.TRIVIA_TYPES]
        assert list(traversal.child_nodes(node)) == expected


def test_a_method_without_readable_source_falls_back_to_children() -> None:
    namespace: dict[str, object] = {}
    exec("def _visit_and_replace_children(self, visitor): return self", namespace)  # noqa: S102 - no source file
    opaque = type("Opaque", (cst.Name,), {"_visit_and_replace_children": namespace["_visit_and_replace_children"]})
    assert traversal.child_fields.__wrapped__(opaque) is None


def test_walk_falls_back_to_children_where_the_fields_are_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    fields = traversal.child_fields
    unknown = (cst.FunctionDef, cst.Call, cst.Module, cst.IndentedBlock, cst.Comma)
    monkeypatch.setattr(traversal, "child_fields", lambda node_type: None if node_type in unknown else fields(node_type))
    module = cst.parse_module(GENERATED["lambdas_and_decorators"] + GENERATED["walrus_async_fstrings"])
    for skipped in (traversal.TRIVIA_TYPES, traversal.skipped_types({cst.Comma})):
        assert _walked(module, skipped) == _libcst_visited(module, skipped)


class _Pruning(cst.CSTVisitor):
    """`visit_<Node>` returning False skips the children; `leave_<Node>` still runs."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.events.append(("visit", "FunctionDef", id(node)))
        return node.asynchronous is None

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.events.append(("leave", "FunctionDef", id(original_node)))

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(("visit", "Name", id(node)))

    def visit_Comma(self, node: cst.Comma) -> None:
        self.events.append(("visit", "Comma", id(node)))


class _AttributeVisitor(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []

    def visit_Call_func(self, node: cst.Call) -> None:
        self.events.append(("visit", "Call.func", id(node)))


@pytest.mark.parametrize("visitor_type", [_Pruning, _AttributeVisitor])
def test_visit_calls_a_visitors_methods_as_libcst_does(visitor_type: type[_Pruning | _AttributeVisitor]) -> None:
    module = cst.parse_module(
        GENERATED["walrus_async_fstrings"] + GENERATED["lambdas_and_decorators"] + "def g(a, b): pass\n"
    )
    ours, libcsts = visitor_type(), visitor_type()
    traversal.visit(module, ours)
    module.visit(libcsts)
    assert ours.events == libcsts.events
    assert ours.events


def test_the_field_order_table_is_kept_per_libcst_version(tmp_path: Path) -> None:
    """A process installs LibCST's child-field order from the user cache instead of reading
    LibCST's sources; a missing or damaged table is worked out and written again."""
    import subprocess
    import sys
    from importlib import metadata

    from tests.helpers import environment

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from async_lint.analysis import traversal\n"
        "from async_lint.engine.libcst_fields import install_field_order\n"
        "install_field_order(Path(sys.argv[1]))\n"
        "import libcst as cst\n"
        "print(len(traversal._KNOWN_FIELDS), traversal.child_fields(cst.FunctionDef)[:3])\n"
    )
    table = tmp_path / "libcst-fields" / f"{metadata.version('libcst')}.json"

    def run() -> str:
        result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=environment(), capture_output=True, text=True, check=True)
        return result.stdout.strip()

    first = run()
    assert table.is_file()
    assert run() == first and first.endswith("('leading_lines', 'decorators', 'lines_after_decorators')")
    table.write_text("damaged")
    assert run() == first and table.read_bytes() != b"damaged"
