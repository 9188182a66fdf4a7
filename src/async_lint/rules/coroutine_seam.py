"""What ASL106 takes from ASL100/ASL101's module (`coroutine_calls`, restructured on the
`rules-llm` branch): whether a call makes a coroutine, and the advice for sync code. The one
place to re-point when that module's names move."""

from __future__ import annotations

from async_lint.rules.coroutine_calls import _TRIGGERS as COROUTINE_TRIGGERS
from async_lint.rules.coroutine_calls import _callee_text as callee_text
from async_lint.rules.coroutine_calls import _fix_and_advice as fix_and_advice
from async_lint.rules.coroutine_calls import CoroutineCall, coroutine_call

__all__ = ["COROUTINE_TRIGGERS", "CoroutineCall", "callee_text", "coroutine_call", "fix_and_advice"]
