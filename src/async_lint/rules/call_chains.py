"""Call-chain rules: async code calling a sync project function whose calls, further down and
possibly in other modules, reach a loop runner (ASL202) or a blocking call (ASL305).

The chains come from `analysis/call_chains.py`: a graph pass over the cached module models,
typed by the inference. Each finding names the chain, shortest first, and lists its steps as related
locations (notes in text output, `related` in JSON, `relatedLocations` in SARIF).
"""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.call_chains import (
    Chain,
    ChainSearch,
    blocking_sink,
    chain_search,
    checks_loop_state,
    loop_runner_sink,
)
from async_lint.analysis.project import display_path
from async_lint.analysis.types import ClassType, FunctionType
from async_lint.analysis.reports import NodeFix, RelatedNode
from async_lint.analysis.walker import ModuleWalker
from async_lint.config import RuleOptions
from async_lint.diagnostics import Applicability
from async_lint.analysis.blocking_calls import catalog
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.loop_runners import nested_runs_allowed

_SHOWN_CALLEE_LIMIT = 40

def _chain_start(node: cst.Call, ctx: ModuleWalker, search: ChainSearch) -> FunctionType | None:
    """The sync project function this call (in async code) runs (its type is memoised per node,
    so both rules work it out once)."""
    return search.enterable(ctx.type_of(node.func))


class CallChainRule(Rule):
    """What ASL202 and ASL305 share: find the chain from a call in async code, report it."""

    triggers = ("async",)

    def search(self, ctx: ModuleWalker) -> ChainSearch:
        raise NotImplementedError

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        if not ctx.in_async_function or not isinstance(node.func, (cst.Name, cst.Attribute)):
            return
        search = self.search(ctx)
        start = _chain_start(node, ctx, search)
        if start is None:
            return
        chain = search.chain(start)
        if chain is None:
            return
        function = ctx.function
        assert function is not None
        self.report(node, ctx, start, chain, function.name)

    def report(self, node: cst.Call, ctx: ModuleWalker, start: FunctionType, chain: Chain, caller: str) -> None:
        raise NotImplementedError


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


def _shown(node: cst.Call, ctx: ModuleWalker) -> str:
    written = ctx.module.code_for_node(node.func)
    if len(written) > _SHOWN_CALLEE_LIMIT or "\n" in written:
        written = written.rsplit(".", 1)[-1].strip()
    return f"`{written}()`"


def _chain_text(chain: Chain, caller: str) -> str:
    """The chain, its last file named as the notes name it (relative to the working directory)."""
    return chain.display(caller)


def to_thread_fix(node: cst.Call, ctx: ModuleWalker) -> NodeFix | None:
    """`await asyncio.to_thread(f, *args)` where the call is a statement of its own, or the
    value of an assignment or `return`."""
    parent = ctx.parent
    plain = (isinstance(parent, cst.Expr) and parent.value is node) or (
        isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return)) and parent.value is node
    )
    reference = ctx.module_reference("asyncio") if plain and ctx.can_await else None
    if reference is None:
        return None
    asyncio_name, imports = reference
    function_arg = cst.Arg(
        value=node.func,
        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if node.args else cst.MaybeSentinel.DEFAULT,
    )
    handoff = cst.Await(
        expression=cst.Call(
            func=cst.Attribute(value=cst.Name(asyncio_name), attr=cst.Name("to_thread")),
            args=(function_arg, *node.args),
        )
    )
    rest = ", ..." if node.args else ""
    return NodeFix(
        f"Run it in a worker thread: `await {asyncio_name}.to_thread({ctx.module.code_for_node(node.func)}{rest})`",
        Applicability.UNSAFE,
        ((node, handoff),),
        imports,
    )


def async_variant(start: FunctionType, ctx: ModuleWalker) -> str | None:
    """The name of an async twin the project defines next to `start` (`arun` / `run_async` on
    the same class, or in the same module), when it is a coroutine function."""
    inference = ctx.inference
    function = inference.function_scope(start)
    if function is None or function.name.startswith("__"):
        return None
    for candidate in (f"a{function.name}", f"{function.name}_async"):
        twin: object
        if function.class_key is not None:
            twin = inference.lookup_method(ClassType(start.path, function.class_key), candidate)
        else:
            twin = inference.module_member(start.path, candidate) if "." not in start.key else None
        twin_scope = inference.function_scope(twin) if isinstance(twin, FunctionType) else None
        if twin_scope is not None and twin_scope.is_coroutine_function:
            return candidate
    return None


def _variant_fix(node: cst.Call, variant: str, ctx: ModuleWalker) -> NodeFix | None:
    """`await agent.aanswer(question)` for `agent.answer(question)` (a suggestion: the async
    twin may differ in what it returns or needs)."""
    if not isinstance(node.func, cst.Attribute) or not ctx.can_await:
        return None
    replacement: cst.BaseExpression = cst.Await(
        expression=node.with_changes(func=node.func.with_changes(attr=cst.Name(variant)))
    )
    parent = ctx.parent
    if isinstance(parent, cst.Await):
        return None
    if (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is node) or (
        isinstance(parent, cst.Call) and parent.func is node
    ):
        replacement = replacement.with_changes(lpar=(cst.LeftParen(),), rpar=(cst.RightParen(),))
    shown = ctx.module.code_for_node(replacement)
    return NodeFix(f"Use the async variant: `{shown}`", Applicability.SUGGESTION, ((node, replacement),))


class LoopRunnerReachableFromAsync(CallChainRule):
    """Flags a call in async code to a sync project function whose call chain (through sync
    calls, `self.method()` calls, methods of module-level instances and class instantiation,
    across modules) reaches a loop runner: `asyncio.run`, `loop.run_until_complete`,
    `asyncio.Runner().run`, `anyio.run`, `trio.run`. The message shows the shortest chain,
    `ask -> answer_question -> Agent.run -> asyncio.run (agent.py:88)`, and each step is a
    related location."""

    code = "ASL202"
    name = "loop-runner-reachable-from-async"
    summary = "async code calls a sync function whose call chain reaches `asyncio.run()`"
    why = (
        "The loop runner runs in the caller's thread, where the event loop is already running: "
        "`asyncio.run()` raises `RuntimeError: asyncio.run() cannot be called from a running event "
        "loop`, `loop.run_until_complete()` raises `RuntimeError: This event loop is already "
        "running`. It does not matter how many sync calls sit between the `async def` and the "
        "loop runner, or in which modules: an async FastAPI route calling a helper that calls "
        "`agent.run()`, which calls `asyncio.run(self.graph.ainvoke(...))`, fails on every request "
        "with a 500. The direct rule (ASL200) cannot see it, since no single function is wrong on "
        "its own."
    )
    proof = "tests/runtime/test_asl202.py"
    fix_safety = (
        "When the project defines an async twin of the called function (`arun` or `run_async` "
        "next to `run`, a coroutine function), a suggestion to `await` it. Otherwise an unsafe "
        "fix, `await asyncio.to_thread(f, *args)`, where the call is a statement of its own or "
        "the value of an assignment or `return`: the loop runner then runs in a worker thread, "
        "where no loop is running, so it works; but the chain now runs in another thread and "
        "concurrently with other tasks, which code holding thread-local state or unsynchronised "
        "shared objects may not expect. The real repair is an async chain, awaited."
    )
    not_flagged = (
        "A loop runner written in the `async def` itself: that is ASL200.",
        "A call handed to a thread: `await asyncio.to_thread(f, x)`, `loop.run_in_executor(None, f)`.",
        ("A chain through a nested `def` passed to a thread or executor (it runs where no loop "
        "is running), through a generator, a coroutine function, or a function with a decorator "
        "not known to return it unchanged."),
        ("A function that checks for a running loop (`asyncio.get_running_loop()`, "
        "`loop.is_running()`) before choosing to run one, and modules that apply `nest_asyncio`."),
        "A call whose callee cannot be resolved to a project function (stay silent rather than guess).",
        "A sync function reaching a loop runner that no async code calls (`asyncio.run(main())` at the entry point).",
    )
    valid = (
        """
        import asyncio

        def run_report(coro):
            return asyncio.run(coro)

        async def handler(coro):
            return await asyncio.to_thread(run_report, coro)
        """,
        """
        import asyncio

        def run_sync(coro):
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return asyncio.run(coro)
            raise RuntimeError("use the async API inside a running loop")

        async def handler(coro):
            return run_sync(coro)
        """,
        """
        import asyncio

        async def main():
            await asyncio.sleep(0)

        def cli():
            asyncio.run(main())

        if __name__ == "__main__":
            cli()
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            class Agent:
                def run(self, question):
                    return asyncio.run(self.arun(question))

                async def arun(self, question):
                    return question

            agent = Agent()

            def answer_question(question):
                return agent.run(question)

            async def ask(question):
                answer = answer_question(question)
                return answer
            """,
            fixed="""
            import asyncio

            class Agent:
                def run(self, question):
                    return asyncio.run(self.arun(question))

                async def arun(self, question):
                    return question

            agent = Agent()

            def answer_question(question):
                return agent.run(question)

            async def ask(question):
                answer = await asyncio.to_thread(answer_question, question)
                return answer
            """,
        ),
        Invalid(
            """
            import asyncio

            class Agent:
                def run(self, question):
                    return asyncio.run(self.arun(question))

                async def arun(self, question):
                    return question

            async def ask(agent: Agent, question):
                return {"answer": Agent().run(question)}
            """,
        ),
    )

    def search(self, ctx: ModuleWalker) -> ChainSearch:
        return chain_search(ctx.view.project, self.code, lambda: loop_runner_sink, checks_loop_state)

    def report(self, node: cst.Call, ctx: ModuleWalker, start: FunctionType, chain: Chain, caller: str) -> None:
        if nested_runs_allowed(ctx):
            return
        variant = async_variant(start, ctx)
        if variant is not None:
            advice = f"await the async variant `{variant}()` instead"
            fix = _variant_fix(node, variant, ctx)
        else:
            advice = "make the chain async and await it, or run the call in a worker thread"
            fix = to_thread_fix(node, ctx)
        ctx.report(
            self.code,
            node,
            f"{_shown(node, ctx)} runs `{chain.sink.display}()` inside the running event loop: "
            f"`{_chain_text(chain, caller)}` raises `{chain.sink.detail}`; {advice}",
            fix,
            related_steps(chain, ctx),
        )


class BlockingCallReachableFromAsync(CallChainRule):
    """Flags a call in async code to a sync project function whose call chain (through sync
    calls, methods and class instantiation, across modules) reaches a blocking call from the
    catalog of ASL300-ASL304 (`time.sleep`, `requests.get`, `open`, `subprocess.run`,
    `sqlite3.connect`...). The message shows the shortest chain,
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
        "Unsafe: `await asyncio.to_thread(f, *args, **kwargs)` when the call is a statement of its "
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

    def search(self, ctx: ModuleWalker) -> ChainSearch:
        known = self.catalog
        return chain_search(ctx.view.project, (self.code, self.options), lambda: blocking_sink(known))

    def report(self, node: cst.Call, ctx: ModuleWalker, start: FunctionType, chain: Chain, caller: str) -> None:
        fix = to_thread_fix(node, ctx)
        function_code = ctx.module.code_for_node(node.func) + (", ..." if node.args else "")
        ctx.report(
            self.code,
            node,
            f"{_shown(node, ctx)} blocks the event loop: `{_chain_text(chain, caller)}` makes "
            f"a blocking call; run it in a worker thread (`await asyncio.to_thread({function_code})`) or make the "
            f"chain async (for `{chain.sink.display}`: {chain.sink.detail})",
            fix,
            related_steps(chain, ctx),
        )

