"""Names from `typing`, `builtins` and `collections.abc` that the type inference reads in
annotations and bases, as data."""

from __future__ import annotations

OPTIONAL_TYPES = frozenset({"typing.Optional", "typing_extensions.Optional"})
UNION_TYPES = frozenset({"typing.Union", "typing_extensions.Union"})
TRANSPARENT_GENERICS = frozenset(
    {
        "typing.Annotated",
        "typing_extensions.Annotated",
        "typing.ClassVar",
        "typing.Final",
        "typing_extensions.Final",
        "typing.Required",
        "typing.NotRequired",
        "typing_extensions.Required",
        "typing_extensions.NotRequired",
        "typing.ReadOnly",
        "typing_extensions.ReadOnly",
    }
)
"""`Annotated[X, ...]`, `ClassVar[X]`, `Final[X]`: the type is `X`."""

NOTHING_TYPES = frozenset(
    {
        "typing.Any",
        "typing_extensions.Any",
        "builtins.object",
        "typing.TypeVar",
        "typing.Callable",
        "collections.abc.Callable",
    }
)
"""Annotations that say nothing about the object."""

CONTAINER_TYPES = frozenset(
    {
        "builtins.list",
        "builtins.set",
        "builtins.frozenset",
        "builtins.tuple",
        "typing.List",
        "typing.Set",
        "typing.FrozenSet",
        "typing.Tuple",
        "typing.Sequence",
        "typing.MutableSequence",
        "typing.Iterable",
        "typing.Iterator",
        "typing.Collection",
        "typing.AbstractSet",
        "typing.Generator",
        "collections.abc.Sequence",
        "collections.abc.MutableSequence",
        "collections.abc.Iterable",
        "collections.abc.Iterator",
        "collections.abc.Collection",
        "collections.abc.Set",
        "collections.abc.Generator",
        "collections.deque",
    }
)
"""Generic containers whose first parameter is what iterating (or indexing) gives."""

ROOT_CLASS = "builtins.object"
"""What every class derives from, last."""

NEUTRAL_BASES = frozenset(
    {
        "builtins.object",
        "abc.ABC",
        "typing.Generic",
        "typing.Protocol",
        "typing_extensions.Protocol",
        "typing.NamedTuple",
        "typing.TypedDict",
        "typing_extensions.TypedDict",
    }
)
"""External bases that add no methods a rule cares about: a class deriving only from project
classes and these has a fully known set of methods."""

DEPENDENCY_MARKERS = frozenset({"fastapi.Depends", "fastapi.params.Depends", "fastapi.param_functions.Depends"})
"""`param = Depends(provider)`: the parameter holds what the provider returns (or yields)."""
