"""What ASL106 knows of the ways code uses a value, as data."""

from __future__ import annotations

import enum

from async_lint.knowledge.coroutines import CONSUMERS, COROUTINE_PROTOCOL


class BuiltinUse(enum.Enum):
    TRUTH = "truth"
    FORMATTED = "formatted"
    SIZED = "sized"
    CONVERTED = "converted"


VALUE_BUILTINS: dict[str, BuiltinUse] = {
    "builtins.bool": BuiltinUse.TRUTH,
    "builtins.str": BuiltinUse.FORMATTED,
    "builtins.repr": BuiltinUse.FORMATTED,
    "builtins.format": BuiltinUse.FORMATTED,
    "builtins.print": BuiltinUse.FORMATTED,
    "builtins.len": BuiltinUse.SIZED,
    "builtins.int": BuiltinUse.CONVERTED,
    "builtins.float": BuiltinUse.CONVERTED,
}
"""Builtins that use their first argument as a result (iterating builtins, `list()`, `sorted()`,
are ASL102's)."""

INSPECTING_BUILTINS = CONSUMERS
"""Builtins that look at a container without running what it holds."""

COROUTINE_ATTRIBUTES = COROUTINE_PROTOCOL | {"cr_origin", "cr_suspended", "__name__", "__qualname__"}
"""What a coroutine object does have: reading one is the coroutine protocol, not a mistake."""

PICKING_METHODS = frozenset({"get", "pop"})
"""Container methods that take one item out (`handlers.get(key)`)."""
