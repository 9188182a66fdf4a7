"""How objects of sync I/O libraries are reached from one another, as data: which attribute or
item of an object is another object (a pymongo client's attributes are databases, a database's
attributes and items are collections), and what the types are called.

The type inference reads these shapes; they are written with their package in
`blocking_packages` (what blocks on each type, and its async twin, is there too)."""

from __future__ import annotations

from async_lint.knowledge.blocking_model import ObjectShape
from async_lint.knowledge.blocking_packages import PACKAGES

SHAPES: dict[str, ObjectShape] = {
    name: receiver.shape
    for package in PACKAGES
    for receiver in package.types
    if receiver.shape is not None
    for name in receiver.names
}
"""By the qualified type name the inference gives the object (`VALUE_TYPES` in
`blocking_calls` maps constructors and factories to these names)."""

__all__ = ["SHAPES", "ObjectShape"]
