"""The rule registry: every `Rule` subclass defined in a module of this package, by code.

Rules are found by walking the package, so adding a rule is adding a module (or a class to one):
nothing else has to be edited.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from async_lint.rules.base import Rule


@functools.cache
def all_rules() -> dict[str, type[Rule]]:
    found: dict[str, type[Rule]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__ and "code" in vars(value):
                if value.code in found:
                    raise RuntimeError(f"rule code {value.code} defined twice: {found[value.code]} and {value}")
                found[value.code] = value
    return dict(sorted(found.items()))
