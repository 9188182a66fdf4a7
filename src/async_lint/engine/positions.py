"""The positions of a few nodes, exactly as LibCST's `PositionProvider` gives them, for a fraction
of its cost.

`PositionProvider` re-generates the module's code and, for every one of its nodes, records where
the node starts and ends, splitting every token on newlines to keep a running line and column.
A check needs the positions of a handful of nodes (its findings and their fixes), so this
generates the code once with plain token appends and counts lines only when one of those nodes
begins or ends. The syntactic-position rules (which whitespace, parentheses and bodies a node's
range excludes) are LibCST's own, since they live in each node's code generation.

For the nodes a fix replaces, the same pass also records where the node's whole code lies (its
parentheses and the whitespace it owns included) and the indentation of the block it is in: what
it takes to render the replacement exactly as it would stand in the file (`NodeSource`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

_LINE_BREAK = re.compile(r"\r\n?|\n")


@dataclass(frozen=True)
class NodeSource:
    """Where a node's whole code lies in the module's text (from the first token its code
    generation emits to the last: its own parentheses included), and the indentation tokens of
    the enclosing blocks at that point (what an indented continuation line inside it starts with)."""

    start: CodePosition
    end: CodePosition
    start_offset: int
    end_offset: int
    indent: tuple[str, ...]


@dataclass(frozen=True)
class NodeLocations:
    ranges: dict[cst.CSTNode, CodeRange]
    """`PositionProvider`'s range of each node asked for (and maybe a few more)."""
    sources: dict[cst.CSTNode, NodeSource]
    """The whole code of each node asked for with `with_source`."""


@dataclass(frozen=False)
class _TargetedCodegenState(CodegenState):
    wanted: set[int] = field(default_factory=set)
    """`id()`s of the nodes to record (LibCST nodes hash by identity, but through a Python-level
    `__hash__`: the builtin `id` keeps the per-node cost to a set lookup)."""
    found: dict[cst.CSTNode, CodeRange] = field(default_factory=dict)
    starts: dict[int, CodePosition] = field(default_factory=dict)
    with_source: set[int] = field(default_factory=set)
    """`id()`s of the nodes whose whole code to record too (`NodeSource`)."""
    sources: dict[cst.CSTNode, NodeSource] = field(default_factory=dict)
    source_starts: dict[int, tuple[CodePosition, int, tuple[str, ...]]] = field(default_factory=dict)
    line: int = 1
    column: int = 0
    offset: int = 0
    counted: int = 0
    """How many of `tokens` `line`, `column` and `offset` account for."""

    def position(self) -> CodePosition:
        if self.counted < len(self.tokens):
            text = "".join(self.tokens[self.counted :])
            self.counted = len(self.tokens)
            self.offset += len(text)
            breaks = _LINE_BREAK.split(text)
            if len(breaks) == 1:
                self.column += len(text)
            else:
                self.line += len(breaks) - 1
                self.column = len(breaks[-1])
        return CodePosition(self.line, self.column)

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.starts[id(node)] = self.position()
        if id(node) in self.with_source:
            start = self.position()
            self.source_starts[id(node)] = (start, self.offset, tuple(self.indent_tokens))

    def after_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted and node not in self.found:
            self.found[node] = CodeRange(self.starts[id(node)], self.position())
        if id(node) in self.with_source and node not in self.sources:
            start, start_offset, indent = self.source_starts[id(node)]
            end = self.position()
            self.sources[node] = NodeSource(start, end, start_offset, self.offset, indent)

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        if id(node) not in self.wanted:
            yield
            return
        # The range may be hoisted from children: make sure theirs are recorded too.
        self.wanted.update(id(child) for child in (start_node, end_node) if child is not None)
        start = self.position()
        try:
            yield
        finally:
            end = self.position()
            start = self.found[start_node].start if start_node is not None else start
            end = self.found[end_node].end if end_node is not None else end
            self.found[node] = CodeRange(start, end)


def node_positions(module: cst.Module, nodes: Collection[cst.CSTNode]) -> dict[cst.CSTNode, CodeRange]:
    """`PositionProvider`'s range for each of `nodes` (nodes of `module`), and maybe a few more."""
    return locate_nodes(module, nodes).ranges


def locate_nodes(
    module: cst.Module, nodes: Collection[cst.CSTNode], with_source: Collection[cst.CSTNode] = ()
) -> NodeLocations:
    """The ranges of `nodes`, and the whole code of `with_source` (all nodes of `module`), in
    one code generation."""
    state = _TargetedCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        wanted={id(node) for node in nodes},
        with_source={id(node) for node in with_source},
    )
    module._codegen(state)
    return NodeLocations(state.found, state.sources)


def render_in_place(node: cst.CSTNode, module: cst.Module, indent: tuple[str, ...]) -> str:
    """`node`'s code as it would read standing where the indentation is `indent` (a
    `NodeSource`'s): continuation lines keep the enclosing blocks' indentation, which
    `Module.code_for_node` (rendering at the top level) drops."""
    state = CodegenState(
        default_indent=module.default_indent, default_newline=module.default_newline, indent_tokens=list(indent)
    )
    node._codegen(state)
    return "".join(state.tokens)
