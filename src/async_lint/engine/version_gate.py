"""Which Python a fix needs: the newest of the APIs (`knowledge.python_versions`) its new code
writes that the old code did not have, through whatever name the module imports them by."""

from __future__ import annotations

import re
from collections.abc import Iterable

from async_lint.config import PythonVersion
from async_lint.knowledge.python_versions import ADDED_IN

_MODULES = frozenset(name.rsplit(".", 1)[0] for name in ADDED_IN)


def module_names(text: str) -> dict[str, frozenset[str]]:
    """For each module of the table, the names the text imports it by (`import asyncio as aio`
    -> `aio`), its own name included (a fix may add `import asyncio`)."""
    names: dict[str, frozenset[str]] = {}
    for module in _MODULES:
        aliases = re.findall(rf"(?m)^[ \t]*import[ \t]+{re.escape(module)}[ \t]+as[ \t]+(\w+)", text)
        names[module] = frozenset((module, *aliases))
    return names


def needed_python(old: str, new: str, names: dict[str, frozenset[str]]) -> PythonVersion | None:
    """The newest Python that an API written in `new` but not in `old` needs; None when none."""
    needed = [version for api, version in ADDED_IN.items() if _count(api, new, names) > _count(api, old, names)]
    return max(needed) if needed else None


def _count(api: str, code: str, names: dict[str, frozenset[str]]) -> int:
    module, attribute = api.rsplit(".", 1)
    return sum(len(re.findall(rf"\b{re.escape(name)}\s*\.\s*{re.escape(attribute)}\b", code)) for name in names[module])


def newest(versions: Iterable[PythonVersion | None]) -> PythonVersion | None:
    known = [version for version in versions if version is not None]
    return max(known) if known else None
