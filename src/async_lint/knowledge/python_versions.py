"""Standard-library APIs a fix may write that older Pythons lack, with the version that added
each (major, minor): a fix that writes one is only suggested when the code must run on an older
Python. Data only: no import (knowledge sits below every other layer)."""

from __future__ import annotations

ADDED_IN: dict[str, tuple[int, int]] = {
    "asyncio.to_thread": (3, 9),
    "asyncio.TaskGroup": (3, 11),
    "asyncio.timeout": (3, 11),
    "asyncio.timeout_at": (3, 11),
    "asyncio.Runner": (3, 11),
    "asyncio.Barrier": (3, 11),
}
