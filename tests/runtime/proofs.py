"""Running flagged code and its fix for real.

A proof takes a small program, asserts async-lint flags it with the rule's code, runs it and
shows the failure the rule's docs claim, then runs the output of `--fix` (or the documented
replacement) and shows that it works.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import itertools
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from tests.helpers import check, fix, source_of, with_rule

_counter = itertools.count()


source = source_of
"""An indented example as a program's text."""


def assert_flagged(code: str, rule: str) -> None:
    found = {d.code for d in check(code, with_rule(rule))}
    assert rule in found, f"async-lint does not flag this with {rule} (found {sorted(found)})"


def assert_clean(code: str, rule: str) -> None:
    found = [d for d in check(code, with_rule(rule)) if d.code == rule]
    assert found == [], f"the fixed code is still flagged: {found}"


def fixed(code: str, rule: str, unsafe: bool = False) -> str:
    result = fix(code, frozenset({rule}), unsafe=unsafe)
    assert result != code, f"--fix changed nothing for {rule}"
    assert_clean(result, rule)
    return result


@contextlib.contextmanager
def never_awaited_warnings() -> Iterator[None]:
    """The failing code leaves a coroutine that was never awaited; collect it here, so its
    `RuntimeWarning` does not surface in an unrelated test."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
        try:
            yield
        finally:
            gc.collect()


def load(code: str, directory: Path) -> ModuleType:
    """Import `code` as a fresh module from a real file (so tracebacks and inspection work)."""
    name = f"proof_module_{next(_counter)}"
    path = directory / f"{name}.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module

