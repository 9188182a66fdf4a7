"""LibCST's child-field order (`analysis.traversal.child_fields`), read from LibCST's sources
once per LibCST version and kept in the user cache: a process that checks a few files (a run
after one edit, a flake8 worker, the editor) installs the table instead of reading the
sources again (about 0.1 s)."""

from __future__ import annotations

import functools
from pathlib import Path

import libcst

from async_lint.analysis import traversal
from async_lint.engine.cache_files import read_json, write_json


@functools.cache
def install_field_order(cache_root: Path | None) -> None:
    """Once per process: the table of this LibCST version from `cache_root` (the user cache;
    None: no cache is used, the sources are read as needed), written there when missing or
    damaged."""
    if cache_root is None:
        return
    version = _libcst_version()
    if version is None:
        return
    path = cache_root / "libcst-fields" / f"{version}.json"
    if traversal.install_child_fields(read_json(path)):
        return
    table = traversal.all_child_fields()
    write_json(path, table, cache_root)
    traversal.install_child_fields(table)


def _libcst_version() -> str | None:
    """LibCST's version as it says it (`LIBCST_VERSION`: no scan of the installed distributions),
    else as its distribution does."""
    if libcst.LIBCST_VERSION != "unknown":
        return libcst.LIBCST_VERSION
    from importlib import metadata

    try:
        return metadata.version("libcst")
    except metadata.PackageNotFoundError:
        return None
