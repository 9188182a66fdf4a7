"""Sync iterables whose type is known, by the name the type inference gives them, with the
type name Python's `TypeError` shows for `async for` over one ("... got list")."""

from __future__ import annotations

SYNC_ITERABLE_TYPES: dict[str, str | None] = {
    "builtins.list": "list",
    "builtins.tuple": "tuple",
    "builtins.set": "set",
    "builtins.frozenset": "frozenset",
    "builtins.dict": "dict",
    "builtins.str": "str",
    "builtins.bytes": "bytes",
    "builtins.range": "range",
    "builtins.enumerate": "enumerate",
    "builtins.zip": "zip",
    "builtins.map": "map",
    "builtins.filter": "filter",
    "builtins.reversed": None,
    "builtins.sorted": "list",
    "builtins.iter": None,
    "typing.List": "list",
    "typing.Tuple": "tuple",
    "typing.Set": "set",
    "typing.FrozenSet": "frozenset",
    "typing.Dict": "dict",
    "typing.Generator": "generator",
    "typing.Iterator": None,
    "collections.abc.Generator": "generator",
    "collections.abc.Iterator": None,
    "collections.deque": "collections.deque",
}
"""Types (and builtins called to make one) that have `__iter__` and never `__aiter__`; the
value is the type name in the error, None when it depends on what is iterated. Abstract
iterables (`Iterable`, `Sequence`, `Mapping`) are not here: a class may be both."""

SYNC_ITERATOR_METHODS: dict[str, frozenset[str]] = {
    "pathlib.Path": frozenset({"iterdir", "glob", "rglob", "walk"}),
    "builtins.dict": frozenset({"items", "keys", "values"}),
}
"""Methods of known types that return a sync iterator (`path.iterdir()`, `mapping.items()`)."""
