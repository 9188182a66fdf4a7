"""Which installed distribution a module comes from and what it requires, read from the
distributions' metadata (nothing is imported)."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path


@functools.cache
def _distributions() -> dict[str, list[str]]:
    """Top-level module -> the distributions that install it (from their metadata: nothing is
    imported)."""
    from importlib import metadata

    return {name: list(dists) for name, dists in metadata.packages_distributions().items()}


@functools.cache
def _distributions_of(top: str) -> tuple[str, ...]:
    """The distributions that install the top-level module `top`: none for the standard
    library; the one named like it when there is one (a look-up by name, cheap); else from every
    distribution's metadata (a scan of them all, once per process, only when needed)."""
    if top in sys.stdlib_module_names:
        return ()
    from importlib import metadata

    try:
        return (metadata.distribution(top).metadata["Name"],)
    except (metadata.PackageNotFoundError, ValueError):
        return tuple(_distributions().get(top, ()))


@functools.cache
def _requirements(distribution: str) -> frozenset[str]:
    from importlib import metadata

    try:
        requires = metadata.requires(distribution) or []
    except metadata.PackageNotFoundError:
        return frozenset()
    names = set()
    for requirement in requires:
        name = requirement.split(";", 1)[0].strip()
        for stop in "<>=!~[ (":
            name = name.split(stop, 1)[0]
        names.add(name.strip().lower().replace("_", "-"))
    return frozenset(names)


def depends_on(qualified: str, roots: frozenset[str]) -> bool:
    """Whether the package of `qualified` is one of the `roots` distributions, or one that
    requires one of them (only those can derive from their classes)."""
    top = qualified.split(".", 1)[0]
    for distribution in _distributions_of(top):
        normalised = distribution.lower().replace("_", "-")
        if normalised in roots or _requirements(distribution) & roots:
            return True
    return False


def installed_version(top: str) -> str | None:
    """The version of the distribution that installs the top-level module `top`, if one does."""
    from importlib import metadata

    for distribution in _distributions_of(top):
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return None


def environment_directories() -> tuple[Path, ...]:
    """Where the running interpreter keeps third-party packages."""
    import site
    import sysconfig

    found: list[Path] = []
    for location in [*site.getsitepackages(), site.getusersitepackages(), sysconfig.get_paths().get("purelib", "")]:
        if location and os.path.isdir(location):
            path = Path(os.path.abspath(location))
            if path not in found:
                found.append(path)
    return tuple(found)
