"""Standard-library APIs a fix may write that older Pythons lack, with the version that added
each: a fix that writes one is only suggested when the code must run on an older Python."""

from __future__ import annotations

from async_lint.config import PythonVersion

ADDED_IN: dict[str, PythonVersion] = {
    "asyncio.to_thread": (3, 9),
    "asyncio.TaskGroup": (3, 11),
    "asyncio.timeout": (3, 11),
    "asyncio.timeout_at": (3, 11),
    "asyncio.Runner": (3, 11),
    "asyncio.Barrier": (3, 11),
}
