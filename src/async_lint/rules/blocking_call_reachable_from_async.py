"""ASL305 blocking-call-reachable-from-async: async code calls a sync function whose call chain
reaches a blocking call."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.blocking_calls import catalog
from async_lint.analysis.call_chains import blocking_chain
from async_lint.analysis.walker import ModuleWalker
from async_lint.config import RuleOptions
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.chain_messages import chain_text, related_steps, shown_callee
from async_lint.rules.fix_builders import thread_handoff_text, to_thread_fix


class BlockingCallReachableFromAsync(Rule):
    """Flags a call in async code to a sync project function whose call chain (through sync
    calls, methods and class instantiation, across modules) reaches a blocking call from the
    catalog of ASL300-ASL304 (`time.sleep`, `requests.get`, `open`, `subprocess.run`,
    `sqlite3.connect`...) or the sync half of a LangChain pair that ASL400 reports in `async def`
    (`chain.invoke`, `vector_store.similarity_search` on an object the type inference proves to
    be one: a project wrapper class around a vector store is followed into). The message shows the shortest chain,
    `report -> build_report -> load_rows -> open (rows.py:9)`, and each step is a related location."""

    code = "ASL305"
    name = "blocking-call-reachable-from-async"
    summary = "async code calls a sync function whose call chain reaches a blocking call"
    why = (
        "A sync function runs to completion in the thread that calls it: called from a coroutine, "
        "every blocking call anywhere below it (a file read, an HTTP request, a `time.sleep`) "
        "stalls the event loop, and with it every other request, task and heartbeat, for as long "
        "as the call takes. The direct rules (ASL300-ASL304) only see blocking calls written in "
        "the `async def` itself; most real ones sit one or two helpers down, in another module."
    )
    proof = "tests/runtime/test_asl305.py"
    fix_safety = (
        "Unsafe: `await asyncio.to_thread(f, *args, **kwargs)` (in trio and anyio modules "
        "`await trio.to_thread.run_sync(...)` / `anyio.to_thread.run_sync`, keywords bound with "
        "`functools.partial`) when the call is a statement of its "
        "own or the value of an assignment or `return`: the whole chain then runs in a worker "
        "thread and the loop keeps serving, but the chain runs concurrently with other tasks, "
        "which code touching unsynchronised shared state may not expect. Inside a larger "
        "expression no fix is offered; the lasting repair is an async chain (the message names "
        "the blocking call's async replacement)."
    )
    not_flagged = (
        "A blocking call written in the `async def` itself: that is ASL300-ASL304.",
        "A call handed to a thread: `await asyncio.to_thread(build_report, x)`, `loop.run_in_executor(None, f)`.",
        ("A chain through a nested `def` passed to a thread, a generator, a coroutine function, "
        "or a function with a decorator not known to return it unchanged."),
        ("Blocking calls a summary cannot judge: lazy listings (`os.walk`, `Path.iterdir`) not "
        "consumed on the spot, calls with a non-blocking flag (`q.get(block=False)`), sockets and "
        "futures; and names in `allow-blocking`."),
        "A call whose callee cannot be resolved to a project function.",
    )
    valid = (
        """
        import asyncio
        import time

        def load_rows(source):
            time.sleep(0.3)
            return [source]

        async def report(source):
            return await asyncio.to_thread(load_rows, source)
        """,
        """
        import time

        def load_rows(source):
            time.sleep(0.3)
            return [source]

        def nightly_job():
            return load_rows("db")
        """,
    )
    invalid = (
        Invalid(
            """
            import json

            def load_rows(path):
                with open(path) as rows:
                    return json.load(rows)

            def build_report(path):
                return {"rows": len(load_rows(path))}

            async def report(path):
                summary = build_report(path)
                return summary
            """,
            fixed="""
            import asyncio
            import json

            def load_rows(path):
                with open(path) as rows:
                    return json.load(rows)

            def build_report(path):
                return {"rows": len(load_rows(path))}

            async def report(path):
                summary = await asyncio.to_thread(build_report, path)
                return summary
            """,
        ),
    )

    def __init__(self, options: RuleOptions) -> None:
        super().__init__(options)
        self.catalog = catalog(options)

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        found = blocking_chain(node, ctx, self.catalog)
        if found is None:
            return
        chain = found.chain
        handed_off = ctx.module.code_for_node(node.func) + (", ..." if node.args else "")
        ctx.report(
            self.code,
            node,
            f"{shown_callee(node, ctx)} blocks the event loop: `{chain_text(chain, ctx)}` makes "
            f"a blocking call; run it in a worker thread (`{thread_handoff_text(handed_off, ctx)}`) or make the "
            f"chain async (for `{chain.sink.display}`: {chain.sink.detail})",
            to_thread_fix(node, ctx),
            related_steps(chain, ctx),
        )
