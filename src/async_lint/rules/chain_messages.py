"""What the call-chain rules show of a chain: the call that enters it, the chain itself
(`ask -> answer_question -> Agent.run -> asyncio.run (agent.py:88)`), and each of its steps as a
related location (a note in text output, `related` in JSON, `relatedLocations` in SARIF)."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.call_chains import Chain
from async_lint.analysis.project import display_path
from async_lint.analysis.reports import RelatedNode
from async_lint.analysis.walker import ModuleWalker

_SHOWN_CALLEE_LIMIT = 40
"""A longer callee is shown by its last name."""


def shown_callee(node: cst.Call, ctx: ModuleWalker) -> str:
    written = ctx.module.code_for_node(node.func)
    if len(written) > _SHOWN_CALLEE_LIMIT or "\n" in written:
        written = written.rsplit(".", 1)[-1].strip()
    return f"`{written}()`"


def chain_text(chain: Chain, ctx: ModuleWalker) -> str:
    """The chain from the `async def` the call is made in, its last file named as the notes
    name it (relative to the working directory)."""
    function = ctx.function
    assert function is not None
    return chain.display(function.name)


def related_steps(chain: Chain, ctx: ModuleWalker) -> tuple[RelatedNode, ...]:
    """One note per call in the chain, where it is made."""
    return tuple(
        RelatedNode(
            f"`{link.caller.qualname}` calls `{link.callee}`",
            None if link.path == ctx.path else display_path(link.path),
            link.line,
            link.column,
        )
        for link in chain.links
    )
