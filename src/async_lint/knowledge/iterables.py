"""Sync iterables whose type is known, by the name the type inference gives them, with the
type name Python's `TypeError` shows for `async for` over one ("... got list"; None when it
depends on what is iterated)."""

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
    "typing.List": "list",
    "typing.Tuple": "tuple",
    "typing.Set": "set",
    "typing.FrozenSet": "frozenset",
    "typing.Dict": "dict",
    "typing.Iterator": None,
    "collections.abc.Iterator": None,
    "collections.deque": "collections.deque",
}
"""Types that have `__iter__` and never `__aiter__`. Abstract iterables (`Iterable`,
`Sequence`, `Mapping`) are not here: a class may be both."""

SYNC_GENERATOR_TYPES = frozenset({"typing.Generator", "collections.abc.Generator"})
"""What the type inference calls a plain generator (a project `def` with `yield`)."""

SYNC_ITERATOR_FUNCTIONS: dict[str, str | None] = {
    "builtins.enumerate": "enumerate",
    "builtins.zip": "zip",
    "builtins.map": "map",
    "builtins.filter": "filter",
    "builtins.reversed": None,
    "builtins.sorted": "list",
    "builtins.iter": None,
}
"""Builtins whose call gives a sync iterable."""

SYNC_ITERATOR_METHODS: dict[str, frozenset[str]] = {
    "pathlib.Path": frozenset({"iterdir", "glob", "rglob", "walk"}),
    "builtins.dict": frozenset({"items", "keys", "values"}),
}
"""Methods of known types that return a sync iterator (`path.iterdir()`, `mapping.items()`)."""

ASYNC_FOR_OVER_SYNC = "TypeError: 'async for' requires an object with __aiter__ method, got {}"
"""What `async for` over a sync iterable raises (`{}`: the type's name)."""
