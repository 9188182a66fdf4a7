"""Dotted names and import statements, the raw material of qualified-name resolution."""

from __future__ import annotations

import builtins

import libcst as cst

BUILTIN_NAMES = frozenset(dir(builtins))


def attribute_chain(expr: cst.BaseExpression) -> tuple[str, list[str]] | None:
    """`("a", ["b", "c"])` for `a.b.c`; None when the chain does not start at a plain name."""
    attrs: list[str] = []
    while isinstance(expr, cst.Attribute):
        attrs.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    attrs.reverse()
    return expr.value, attrs


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


def absolute_module(relative: str, level: int, current_module: str | None, is_package: bool) -> str | None:
    """Resolve `from ..x import y`'s module part against the importing module's name."""
    if level == 0:
        return relative
    if current_module is None:
        return None
    package_parts = current_module.split(".")
    if not is_package:
        package_parts = package_parts[:-1]
    drop = level - 1
    if drop > len(package_parts):
        return None
    base = package_parts[: len(package_parts) - drop] if drop else package_parts
    return ".".join([*base, relative] if relative else base) or None


def imported_names(
    node: cst.Import | cst.ImportFrom, current_module: str | None, is_package: bool
) -> list[tuple[str, str]]:
    """The (local name, qualified name) pairs an import statement binds.

    `import a.b` binds `a` to `a`; `import a.b as c` binds `c` to `a.b`;
    `from a import b as c` binds `c` to `a.b`. Star imports bind nothing we can know.
    """
    pairs: list[tuple[str, str]] = []
    if isinstance(node, cst.Import):
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                pairs.append((alias.asname.name.value, full))
            else:
                top = full.split(".", 1)[0]
                pairs.append((top, top))
        return pairs
    if isinstance(node.names, cst.ImportStar):
        return pairs
    module_part = dotted_name(node.module) if node.module is not None else ""
    if module_part is None:
        return pairs
    module = absolute_module(module_part, len(node.relative), current_module, is_package)
    if module is None:
        return pairs
    for alias in node.names:
        if not isinstance(alias.name, cst.Name):
            continue
        local = alias.name.value
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            local = alias.asname.name.value
        pairs.append((local, f"{module}.{alias.name.value}"))
    return pairs


def shown_name(qualified: str) -> str:
    """A qualified name as messages show it: `open` for `builtins.open`."""
    return qualified.removeprefix(f"{builtins.__name__}.")
