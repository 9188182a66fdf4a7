"""The import graph of a run, as the run record and the result cache's keys see it: one node per
module, made once per run by the process that checked (or first read) the module, and passed to
the parent as a few strings. Nothing here grows with the files times their import closures:

- a file's closure fingerprint (the result cache's dependency key) is a hash tree over the
  graph's strongly connected components, each computed once (`closure_fingerprints`);
- which files an edit can reach is one pass over the reversed graph (`importers_of`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    """A module of the import graph: a file (or a namespace package's directory)."""

    own: tuple[str, ...]
    """The paths whose stamps it depends on itself: its file, its directory, and the directories
    its absolute imports are looked for in (where a new module would change what they mean)."""
    imports: tuple[str, ...]
    """The project modules it imports (files or namespace directories), as resolved."""
    resolution: str
    """A hash of how each of its imports resolved."""
    content: str
    """The hash of its bytes its model was made from (the summary cache's key); "" for a
    directory or an unreadable file."""
    interface: str = ""
    """The hash of its model: all that other modules' checks read of it. An edit that leaves
    the model as it was (a comment, a function's body) leaves it as it was."""

    def to_data(self, number: Callable[[str], int]) -> list[object]:
        return [[number(p) for p in self.own], [number(m) for m in self.imports], self.resolution, self.content, self.interface]

    @classmethod
    def from_data(cls, data: list[object], paths: list[str]) -> Node:
        own, imports, resolution, content, interface = data
        if not isinstance(resolution, str) or not isinstance(content, str) or not isinstance(interface, str):
            raise ValueError("a node of the wrong shape")
        return cls(
            tuple(paths[i] for i in own),  # type: ignore[attr-defined]
            tuple(paths[i] for i in imports),  # type: ignore[attr-defined]
            resolution,
            content,
            interface,
        )


def closure_fingerprints(nodes: Mapping[str, Node], wanted: Iterable[str]) -> dict[str, str]:
    """The closure fingerprint of each module in `wanted` whose import closure `nodes` holds
    whole: a hash of every module's model (`Node.interface`: the module's own bytes are in
    its result's key already) and import resolution in it, computed as a hash
    tree over the strongly connected components (Tarjan's algorithm, iteratively): each
    component once, however many files reach it."""
    fingerprints: dict[str, str | None] = {}
    """Module -> its component's fingerprint; None: its closure reaches a module not in `nodes`."""
    for start in wanted:
        if start in fingerprints:
            continue
        if start not in nodes:
            fingerprints[start] = None
            continue
        index: dict[str, int] = {start: 0}
        low: dict[str, int] = {start: 0}
        stack: list[str] = [start]
        on_stack: set[str] = {start}
        work: list[tuple[str, Iterator[str]]] = [(start, iter(nodes[start].imports))]
        while work:
            module, edges = work[-1]
            for dependency in edges:
                if dependency in fingerprints:
                    continue
                if dependency not in nodes:
                    fingerprints[dependency] = None
                    continue
                if dependency not in index:
                    index[dependency] = low[dependency] = len(index)
                    stack.append(dependency)
                    on_stack.add(dependency)
                    work.append((dependency, iter(nodes[dependency].imports)))
                    break
                if dependency in on_stack:
                    low[module] = min(low[module], index[dependency])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    members: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == module:
                            break
                    _finish(members, nodes, fingerprints)
    return {module: fingerprint for module in wanted if (fingerprint := fingerprints.get(module)) is not None}


def _finish(members: list[str], nodes: Mapping[str, Node], fingerprints: dict[str, str | None]) -> None:
    inside = set(members)
    imported: set[str | None] = {fingerprints[d] for m in members for d in nodes[m].imports if d not in inside}
    if None in imported:
        for member in members:
            fingerprints[member] = None
        return
    local = sorted(f"{m}:{nodes[m].resolution}:{nodes[m].interface}" for m in members)
    text = "\n".join(local) + "|" + "".join(sorted(f for f in imported if f is not None))
    fingerprint = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    for member in members:
        fingerprints[member] = fingerprint


def reversed_graph(nodes: Mapping[str, Node]) -> dict[str, list[str]]:
    """Each module -> the modules that import it."""
    importers: dict[str, list[str]] = {}
    for module, node in nodes.items():
        for dependency in node.imports:
            importers.setdefault(dependency, []).append(module)
    return importers


def importers_of(nodes: Mapping[str, Node], modules: Collection[str], importers: Mapping[str, list[str]] | None = None) -> set[str]:
    """`modules` and every node whose import closure reaches one of them (one pass over the
    reversed graph; `importers`: `reversed_graph(nodes)`, when the caller has it)."""
    if not modules:
        return set()
    if importers is None:
        importers = reversed_graph(nodes)
    reached = set(modules)
    queue = list(reached)
    while queue:
        for importer in importers.get(queue.pop(), ()):
            if importer not in reached:
                reached.add(importer)
                queue.append(importer)
    return reached
