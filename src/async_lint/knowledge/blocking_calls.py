"""Blocking calls that stall the event loop when made inside a coroutine, each with the rule
that reports it and what to use instead."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BlockingCall:
    qualified_name: str
    code: str
    replacement: str
    """What to use instead, as shown in the message."""


BLOCKING_CALLS: dict[str, BlockingCall] = {
    entry.qualified_name: entry
    for entry in (
        BlockingCall("time.sleep", "ASL300", "`await asyncio.sleep(...)`"),
    )
}
