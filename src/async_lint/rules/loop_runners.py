"""Event-loop rules: a loop runner (`asyncio.run`, `loop.run_until_complete`, ...) where a loop
is already running."""

from __future__ import annotations

import itertools

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.function_roles import FunctionRole, RoleKind, function_role
from async_lint.analysis.names import dotted_name
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import Frame, FrameKind, ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.loop_runners import (
    CURRENT_LOOP_GETTERS,
    LOOP_FACTORIES,
    LOOP_RUNNER_FUNCTIONS,
    LOOP_RUNNER_METHODS,
    LOOP_RUNNER_TRIGGERS,
    NESTED_LOOP_PATCHES,
    RUNNER_CONSTRUCTORS,
    RUNNER_METHOD,
    LoopRunner,
)
from async_lint.rules.base import Invalid, Rule, dedent_example


def loop_runner_called(node: cst.Call, ctx: ModuleWalker) -> LoopRunner | None:
    """The loop runner this call is, if it is one."""
    func = node.func
    qualified = ctx.resolve(func)
    if qualified is not None and qualified in LOOP_RUNNER_FUNCTIONS:
        return LOOP_RUNNER_FUNCTIONS[qualified]
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if method in LOOP_RUNNER_METHODS:
            return LOOP_RUNNER_METHODS[method]
        if method == "run" and _is_asyncio_runner(func.value, ctx):
            return RUNNER_METHOD
    return None


def _is_asyncio_runner(expr: cst.BaseExpression, ctx: ModuleWalker) -> bool:
    return ctx.made_by(expr) in RUNNER_CONSTRUCTORS


def awaited_form(node: cst.Call, runner: LoopRunner) -> cst.Await | None:
    """`await coro` for `asyncio.run(coro)`, `await fn(*args)` for `anyio.run(fn, *args)`;
    None when the call passes options a plain `await` would drop."""
    args = node.args
    if any(arg.keyword is not None or arg.star for arg in args) or not args:
        return None
    if runner.takes_function:
        function = args[0].value
        return cst.Await(expression=cst.Call(func=function, args=args[1:]))
    if len(args) != 1:
        return None
    return cst.Await(expression=args[0].value)


_BOUNDARIES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _path_in_function(ctx: ModuleWalker, node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node and its ancestors up to (not including) the `def`/`lambda`/`class` it runs in,
    outermost first."""
    path = [node]
    for ancestor in reversed(ctx.ancestors):
        if isinstance(ancestor, _BOUNDARIES):
            break
        path.append(ancestor)
    path.reverse()
    return path


def running_guard(ctx: ModuleWalker, node: cst.Call, runner: LoopRunner) -> cst.If | cst.IfExp | None:
    """The `if loop.is_running():` (or the `else:` of `if not loop.is_running():`) the loop
    runner sits in: a branch that only runs while the loop is running, so the call always fails."""
    path = _path_in_function(ctx, node)
    for parent, child in itertools.pairwise(path):
        if not isinstance(parent, (cst.If, cst.IfExp)):
            continue
        if child is parent.body and _asserts_running(parent.test, ctx, node, runner):
            return parent
        if child is parent.orelse and _denies_running(parent.test, ctx, node, runner):
            return parent
    return None


def _asserts_running(test: cst.BaseExpression, ctx: ModuleWalker, call: cst.Call, runner: LoopRunner) -> bool:
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _asserts_running(test.left, ctx, call, runner) or _asserts_running(test.right, ctx, call, runner)
    if (
        isinstance(test, cst.Call)
        and isinstance(test.func, cst.Attribute)
        and test.func.attr.value == "is_running"
        and not test.args
    ):
        return _is_the_runners_loop(test.func.value, ctx, call, runner)
    return False


def _denies_running(test: cst.BaseExpression, ctx: ModuleWalker, call: cst.Call, runner: LoopRunner) -> bool:
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        return _denies_running(test.left, ctx, call, runner) or _denies_running(test.right, ctx, call, runner)
    return (
        isinstance(test, cst.UnaryOperation)
        and isinstance(test.operator, cst.Not)
        and _asserts_running(test.expression, ctx, call, runner)
    )


def _is_the_runners_loop(loop: cst.BaseExpression, ctx: ModuleWalker, call: cst.Call, runner: LoopRunner) -> bool:
    """Whether `loop` (in `loop.is_running()`) is the loop the call would run: the same
    receiver (`loop.run_until_complete`), or this thread's current loop for `asyncio.run`
    (a loop running in another thread does not stop `asyncio.run` here)."""
    func = call.func
    if runner.new_loop_per_call:
        return _is_current_loop(loop, ctx)
    if isinstance(func, cst.Attribute):
        receiver = dotted_name(func.value)
        if receiver is not None and receiver == dotted_name(loop):
            return True
        return _is_current_loop(loop, ctx) and _is_current_loop(func.value, ctx)
    return False


def _is_current_loop(expr: cst.BaseExpression, ctx: ModuleWalker) -> bool:
    """`asyncio.get_event_loop()` / `get_running_loop()`, or a name bound to one."""
    return ctx.made_by(expr) in CURRENT_LOOP_GETTERS


def nested_runs_allowed(ctx: ModuleWalker) -> bool:
    """Whether the module calls `nest_asyncio.apply()`: it patches asyncio so that loop
    runners work inside a running loop, which its author wants."""
    return ctx.facts(_applies_nest_asyncio)


def _applies_nest_asyncio(ctx: ModuleWalker) -> bool:
    return _calls_patch(ctx.module, ctx)


_STATEMENT_CONTAINERS = (cst.BaseCompoundStatement, cst.IndentedBlock, cst.Else, cst.ExceptHandler, cst.Finally)


def _calls_patch(node: cst.CSTNode, ctx: ModuleWalker) -> bool:
    """A statement-level search (no expressions): `nest_asyncio.apply()` is a statement."""
    for child in traversal.child_nodes(node):
        if isinstance(child, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in child.body:
                if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                    func = small.value.func
                    name = ctx.resolve(func, ctx.module_frame) or dotted_name(func)
                    if name in NESTED_LOOP_PATCHES:
                        return True
        elif isinstance(child, _STATEMENT_CONTAINERS) and _calls_patch(child, ctx):
            return True
    return False


def handler_role(ctx: ModuleWalker, function: Frame, route_decorators: frozenset[str]) -> FunctionRole | None:
    """The role that makes a loop runner in this sync function an ASL201 finding."""
    role = function_role(ctx, function, route_decorators)
    if role is None or role.kind is RoleKind.ENTRY_POINT or role.sync_fallback:
        return None
    return role


def _as_operand(replacement: cst.Await, node: cst.Call, ctx: ModuleWalker) -> cst.Await:
    """`asyncio.run(c).content` becomes `(await c).content`, not `await c.content`."""
    parent = ctx.parent
    if (isinstance(parent, (cst.Attribute, cst.Subscript)) and parent.value is node) or (
        isinstance(parent, cst.Call) and parent.func is node
    ):
        return replacement.with_changes(lpar=(cst.LeftParen(),), rpar=(cst.RightParen(),))
    return replacement


class LoopRunnerInAsync(Rule):
    """Flags a call that starts an event loop (`asyncio.run`, `loop.run_until_complete`,
    `asyncio.get_event_loop().run_until_complete`, `asyncio.new_event_loop().run_until_complete`,
    `asyncio.Runner().run`, `anyio.run`, `trio.run`) where a loop is already running: inside an
    `async def`, and in the branch of an inverted guard, `if loop.is_running():
    loop.run_until_complete(...)` (the branch only runs while the loop runs, in sync code too)."""

    code = "ASL200"
    name = "loop-runner-in-async"
    summary = "`asyncio.run()` / `run_until_complete()` inside `async def` or under `if loop.is_running():`"
    triggers = ("async", "is_running")
    why = (
        "An `async def` only runs inside a running event loop, and a thread has one loop at a time. "
        "`asyncio.run()` there raises `RuntimeError: asyncio.run() cannot be called from a running "
        "event loop`; `loop.run_until_complete()` raises `RuntimeError: This event loop is already "
        "running`. The coroutine never runs, and in a FastAPI handler every request fails with a 500. "
        "A script enters the loop once, with `asyncio.run(main())`; code already inside the loop "
        "uses `await`. The guard `if loop.is_running(): loop.run_until_complete(coro)` gets the test "
        "backwards: its branch only runs when the call is certain to raise."
    )
    proof = "tests/runtime/test_asl200.py"
    fix_safety = (
        "Safe: `asyncio.run(coro)` and `loop.run_until_complete(coro)` become `await coro`, and "
        "`anyio.run(fn, *args)` / `trio.run(fn, *args)` become `await fn(*args)`: the same "
        "coroutine, run by the loop that is already there. No fix is offered when the call passes "
        "options (`debug=True`, `backend=...`) that `await` cannot express, or inside a generator "
        "expression, or for the `is_running()` guard in sync code (`await` needs an `async def`)."
    )
    not_flagged = (
        "`asyncio.run(main())` in a plain `def` or at module level (the script's entry point).",
        "A loop runner in a sync `def` nested inside an `async def` (it runs wherever it is called; ASL202 follows such calls).",
        "`asyncio.run` passed as a value (`executor.submit(asyncio.run, coro)`), since nothing is called here.",
        "A `.run()` method on objects not shown to be an `asyncio.Runner`.",
        ("The right way round: `if not loop.is_running(): loop.run_until_complete(coro)`, and "
        "`asyncio.run` under `self.loop.is_running()` (that loop may run in another thread)."),
        "A module that calls `nest_asyncio.apply()`: it patches asyncio so nested runs work, on purpose.",
    )
    valid = (
        """
        import asyncio

        async def main():
            await asyncio.sleep(1)

        if __name__ == "__main__":
            asyncio.run(main())
        """,
        """
        import asyncio

        def sync_entry(coro):
            return asyncio.run(coro)
        """,
        """
        import asyncio

        async def handler(pool, coro):
            def in_thread():
                return asyncio.run(coro)
            return await asyncio.to_thread(in_thread)
        """,
        """
        async def start(app):
            app.run()
        """,
        """
        import asyncio

        def run_sync(coro):
            loop = asyncio.get_event_loop()
            if not loop.is_running():
                return loop.run_until_complete(coro)
            raise RuntimeError("call the async API from async code")
        """,
        """
        import asyncio

        import nest_asyncio

        nest_asyncio.apply()

        async def notebook_cell(coro):
            return asyncio.run(coro)
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            async def fetch_data():
                return {"id": 1}

            async def handler():
                data = asyncio.run(fetch_data())
                return data
            """,
            fixed="""
            import asyncio

            async def fetch_data():
                return {"id": 1}

            async def handler():
                data = await fetch_data()
                return data
            """,
        ),
        Invalid(
            """
            import asyncio

            async def handler(coro):
                loop = asyncio.get_event_loop()
                return loop.run_until_complete(coro)
            """,
            fixed="""
            import asyncio

            async def handler(coro):
                loop = asyncio.get_event_loop()
                return await coro
            """,
        ),
        Invalid(
            """
            from asyncio import run

            async def handler(graph, state):
                return run(graph.ainvoke(state), debug=True)
            """,
        ),
        Invalid(
            """
            import asyncio

            def run_sync(coro):
                loop = asyncio.get_event_loop()
                if loop.is_running():
                    return loop.run_until_complete(coro)
                return asyncio.run(coro)
            """,
        ),
    )

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        runner = loop_runner_called(node, ctx)
        if runner is None:
            return
        if ctx.in_async_function:
            if nested_runs_allowed(ctx):
                return
            function = ctx.function
            assert function is not None
            fix = None
            replacement = awaited_form(node, runner) if ctx.can_await else None
            if replacement is not None:
                replacement = _as_operand(replacement, node, ctx)
                shown = ctx.module.code_for_node(replacement)
                fix = NodeFix(f"Replace with `{shown}`", Applicability.SAFE, ((node, replacement),))
            ctx.report(
                self.code,
                node,
                f"`{runner.display}` inside `async def {function.name}` raises "
                f"`{runner.error}`; `await` the coroutine instead",
                fix,
            )
            return
        guard = running_guard(ctx, node, runner)
        if guard is None or nested_runs_allowed(ctx):
            return
        test = ctx.module.code_for_node(guard.test)
        branch = f"`if {test}:`" if _in_body(ctx, node, guard) else f"the `else:` of `if {test}:`"
        ctx.report(
            self.code,
            node,
            f"`{runner.display}` under {branch} only runs while the loop is running, so it always "
            f"raises `{runner.error}`; make the caller `async def` and `await` the coroutine",
        )


def _in_body(ctx: ModuleWalker, node: cst.CSTNode, guard: cst.If | cst.IfExp) -> bool:
    path = _path_in_function(ctx, node)
    index = next(i for i, item in enumerate(path) if item is guard)
    return path[index + 1] is guard.body


class LoopRunnerInHandler(Rule):
    """Flags a loop runner (`asyncio.run`, `run_until_complete`, `anyio.run`, ...) in a sync
    function a framework calls for you: a web route handler (FastAPI/`APIRouter` route decorators
    and `add_api_route`, Starlette `Route`/`WebSocketRoute`, aiohttp `RouteTableDef` and
    `web.get(...)`, decorators from `route-decorators`), a LangGraph node (`add_node` on a
    `StateGraph`, `@task`, `@entrypoint`), or a tool (LangChain `@tool`, `StructuredTool.from_function`,
    `BaseTool._run`; MCP `@mcp.tool()`). In an `async def` handler the same call is ASL200."""

    code = "ASL201"
    name = "loop-runner-in-handler"
    summary = "`asyncio.run()` in a sync route handler, LangGraph node or tool"
    why = (
        "The framework already has an event loop, and it decides where a sync handler runs. "
        "aiohttp and MCP servers call sync handlers on the loop's own thread, where "
        "`asyncio.run()` raises `RuntimeError: asyncio.run() cannot be called from a running event "
        "loop` on every call. FastAPI and Starlette run sync routes in a worker thread, so each "
        "request starts and tears down a new loop; objects bound to the app's loop (a shared "
        "`httpx.AsyncClient`, an `asyncio.Lock`, a database pool) then fail with `RuntimeError: "
        "<asyncio.locks.Lock ...> is bound to a different event loop` or `RuntimeError: Event loop "
        "is closed`. A sync LangGraph node or LangChain tool runs inline under `invoke()`, so "
        "it raises as soon as the graph or agent is invoked from a running loop (a notebook, an "
        "async server). All of these frameworks accept an `async def` handler and run it on "
        "their loop: write the handler as `async def` and `await` the coroutine."
    )
    proof = "tests/runtime/test_asl201.py"
    fix_safety = (
        "Unsafe: the fix makes the handler `async def` and replaces the call with `await coro`. "
        "The framework accepts it, but everything else that calls the function directly (tests, "
        "other code) now gets a coroutine; an `async def` LangGraph node makes sync `graph.invoke()` "
        "raise `TypeError: No synchronous function provided`, and an `async def` `@tool` makes "
        "`tool.invoke()` raise `NotImplementedError: StructuredTool does not support sync "
        "invocation`; and blocking calls left in the handler now block the loop (async-lint "
        "reports them next). No fix for `BaseTool._run` (implement `async def _arun` instead), "
        "`StructuredTool.from_function(func=...)` (the async function goes in `coroutine=`), "
        "lambdas, generators, or calls whose options `await` cannot express."
    )
    not_flagged = (
        "A loop runner in an `async def` handler: that is ASL200 (one finding per call).",
        ("A sync function no framework calls for us, including a plain function named like a route "
        "(`def get_item()`) and `@app.get` on an `app` not shown to be a FastAPI/Starlette/aiohttp "
        "app (an import from elsewhere, a parameter)."),
        "The script's entry point: `asyncio.run(main())` under `if __name__ == \"__main__\":`.",
        ("A coroutine handed to a thread from the handler (`pool.submit(asyncio.run, coro)`, "
        "a nested `def` passed to `asyncio.to_thread`): it runs where no loop is running."),
        "A module that calls `nest_asyncio.apply()` (nested runs allowed on purpose).",
        ("The sync fallback of a tool that also has an async path: `_run` in a `BaseTool` that "
        "defines `async def _arun`, `func=` of `StructuredTool.from_function(..., coroutine=...)`; "
        "agents use the async path, and sync callers run where no loop is running."),
    )
    valid = (
        """
        import asyncio

        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/items/{item_id}")
        async def get_item(item_id: int):
            return {"id": item_id}

        def get_items():
            return asyncio.run(load())

        async def load():
            return []
        """,
        """
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        from fastapi import FastAPI

        app = FastAPI()
        pool = ThreadPoolExecutor()

        @app.get("/report")
        def report():
            return pool.submit(asyncio.run, build_report()).result()

        async def build_report():
            return {}
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            from fastapi import FastAPI

            app = FastAPI()

            async def fetch_item(item_id: int) -> dict:
                return {"id": item_id}

            @app.get("/items/{item_id}")
            def get_item(item_id: int) -> dict:
                return asyncio.run(fetch_item(item_id))
            """,
            fixed="""
            import asyncio

            from fastapi import FastAPI

            app = FastAPI()

            async def fetch_item(item_id: int) -> dict:
                return {"id": item_id}

            @app.get("/items/{item_id}")
            async def get_item(item_id: int) -> dict:
                return await fetch_item(item_id)
            """,
        ),
        Invalid(
            """
            import asyncio

            from langchain_core.tools import tool

            @tool
            def search_docs(query: str) -> str:
                \"\"\"Search the documentation.\"\"\"
                return asyncio.run(retriever.ainvoke(query))
            """,
            fixed="""
            import asyncio

            from langchain_core.tools import tool

            @tool
            async def search_docs(query: str) -> str:
                \"\"\"Search the documentation.\"\"\"
                return await retriever.ainvoke(query)
            """,
        ),
        Invalid(
            """
            import asyncio

            from langgraph.graph import StateGraph

            def summarize(state):
                return {"summary": asyncio.run(llm.ainvoke(state["text"])).content}

            builder = StateGraph(dict)
            builder.add_node("summarize", summarize)
            """,
            fixed="""
            import asyncio

            from langgraph.graph import StateGraph

            async def summarize(state):
                return {"summary": (await llm.ainvoke(state["text"])).content}

            builder = StateGraph(dict)
            builder.add_node("summarize", summarize)
            """,
        ),
    )
    triggers = LOOP_RUNNER_TRIGGERS

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        if ctx.in_async_function:
            return
        function = ctx.function
        if function is None:
            return
        runner = loop_runner_called(node, ctx)
        if runner is None or running_guard(ctx, node, runner) is not None:
            return
        role = handler_role(ctx, function, self.options.route_decorators)
        if role is None or nested_runs_allowed(ctx):
            return
        framework = role.framework
        assert framework is not None
        fix = None
        if isinstance(role.evidence, cst.ClassDef):
            advice = "implement `async def _arun(...)` that awaits the coroutine"
        elif isinstance(role.evidence, cst.Call) and not framework.accepts_async:
            advice = "pass an `async def` that awaits the coroutine as `coroutine=`"
        else:
            advice = "make it `async def` and `await` the coroutine"
            fix = _async_handler_fix(ctx, node, runner, function)
        runs = framework.sync_runs.format(error=runner.error)
        ctx.report(self.code, node, f"`{runner.display}` in sync {role.describe(function.name)}, which {runs}; {advice}", fix)


def _async_handler_fix(ctx: ModuleWalker, node: cst.Call, runner: LoopRunner, function: Frame) -> NodeFix | None:
    """`def handler(): return asyncio.run(coro)` -> `async def handler(): return await coro`."""
    definition = function.node
    if not isinstance(definition, cst.FunctionDef):
        return None
    frame: Frame | None = ctx.frame
    while frame is not None and frame is not function:
        if frame.kind is FrameKind.COMPREHENSION and isinstance(frame.node, cst.GeneratorExp):
            return None
        frame = frame.parent
    replacement = awaited_form(node, runner)
    if replacement is None or _is_generator(definition):
        return None
    replacement = _as_operand(replacement, node, ctx)
    shown = ctx.module.code_for_node(replacement)
    return NodeFix(
        f"Make `{definition.name.value}` `async def` and replace with `{shown}`",
        Applicability.UNSAFE,
        ((node, replacement),),
        insertions=((definition, "async "),),
    )


def _is_generator(definition: cst.FunctionDef) -> bool:
    finder = _YieldFinder()
    traversal.visit(definition.body, finder)
    return finder.found


class _YieldFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Yield(self, node: cst.Yield) -> None:
        self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


class LoopRunnerInLoop(Rule):
    """Flags `asyncio.run(...)` (and `anyio.run`, `trio.run`, `asyncio.new_event_loop().run_until_complete`)
    in the body of a `for` loop or a comprehension in sync code: every item gets its own new
    event loop, and the items run one after another."""

    code = "ASL203"
    name = "loop-runner-in-loop"
    summary = "`asyncio.run()` inside a `for` loop or comprehension"
    why = (
        "`asyncio.run()` creates an event loop, runs one coroutine, and closes the loop. In a loop "
        "that means a new event loop per item and no concurrency: the coroutines run one by one, "
        "which is the one thing async code was meant to avoid. Anything bound to a loop breaks "
        "between items: an `httpx.AsyncClient` or aiohttp session created once and used in each "
        "`asyncio.run()` fails on the second item with `RuntimeError: Event loop is closed`."
    )
    use_instead = dedent_example(
        """
        import asyncio

        async def fetch(url: str) -> str:
            return url

        async def fetch_all(urls: list[str]) -> list[str]:
            # One loop for all items; `for url in urls: await fetch(url)` when order matters.
            return await asyncio.gather(*(fetch(url) for url in urls))

        results = asyncio.run(fetch_all(urls))
        """
    )
    proof = "tests/runtime/test_asl203.py"
    fix_safety = (
        "No automatic fix: whether the items may run concurrently (`asyncio.gather`) or must be "
        "awaited one by one in a single `async def` is the author's call."
    )
    not_flagged = (
        ("A loop runner inside `async def` (ASL200) or in a sync route handler, graph node or tool "
        "(ASL201): one finding per call."),
        ("`while` loops: a REPL (`while True: asyncio.run(chat(input()))`), a daemon or poller, "
        "or pagination waits for the previous turn; each turn is sequential by nature."),
        ("A `for` loop that stops after a run (`break` or `return` in its body): a retry loop or a "
        "first-match search, sequential on purpose."),
        "The loop's iterable (`for x in asyncio.run(load()):` runs once) and its `else:` block.",
        ("One loop reused for every item: `with asyncio.Runner() as runner:` / "
        "`loop.run_until_complete(...)` on an existing loop in the loop body."),
        "A `def` or `lambda` defined in the loop body (it runs when it is called).",
    )
    valid = (
        """
        import asyncio

        async def main(urls):
            return await asyncio.gather(*(fetch(url) for url in urls))

        async def fetch(url):
            return url

        if __name__ == "__main__":
            asyncio.run(main(["a", "b"]))
        """,
        """
        import asyncio

        def chat(agent):
            while True:
                question = input("> ")
                print(asyncio.run(agent.ainvoke(question)))
        """,
        """
        import asyncio
        import time

        def fetch_with_retries(coro_factory):
            for attempt in range(3):
                try:
                    return asyncio.run(coro_factory())
                except ConnectionError:
                    time.sleep(2**attempt)
        """,
        """
        import asyncio

        def process(items, handle):
            with asyncio.Runner() as runner:
                for item in items:
                    runner.run(handle(item))
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            async def fetch(url: str) -> str:
                return url

            def fetch_all(urls: list[str]) -> list[str]:
                results = []
                for url in urls:
                    results.append(asyncio.run(fetch(url)))
                return results
            """,
        ),
        Invalid(
            """
            import asyncio

            summaries = [asyncio.run(chain.ainvoke(doc)) for doc in docs]
            """,
        ),
    )
    triggers = LOOP_RUNNER_TRIGGERS

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        if ctx.in_async_function:
            return
        runner = loop_runner_called(node, ctx)
        if runner is None or not _new_loop_per_call(node, runner, ctx):
            return
        loop = _enclosing_loop(ctx, node)
        if loop is None or running_guard(ctx, node, runner) is not None:
            return
        function = ctx.function
        if function is not None and handler_role(ctx, function, self.options.route_decorators) is not None:
            return
        where = "a `for` loop" if isinstance(loop, cst.For) else "a comprehension"
        ctx.report(
            self.code,
            node,
            f"`{runner.display}` in {where} starts a new event loop for every item and runs the "
            "items one at a time; call `asyncio.run()` once, on an `async def` that "
            "`asyncio.gather()`s them (or awaits each in turn)",
        )


def _new_loop_per_call(node: cst.Call, runner: LoopRunner, ctx: ModuleWalker) -> bool:
    """`asyncio.run(...)`, `anyio.run`, `trio.run`, and `asyncio.new_event_loop().run_until_complete`
    or `asyncio.Runner().run` written on one line (a fresh loop each time)."""
    if runner.new_loop_per_call:
        return True
    func = node.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
        made_by = ctx.resolve(func.value.func)
        return made_by in LOOP_FACTORIES or made_by in RUNNER_CONSTRUCTORS
    return False


def _enclosing_loop(ctx: ModuleWalker, node: cst.Call) -> cst.CSTNode | None:
    """The `for` loop or comprehension that runs the call once per item, if any (a `while`
    loop, or a `for` loop that exits after a run, stops the search: see `not_flagged`)."""
    path = _path_in_function(ctx, node)
    for index in range(len(path) - 2, -1, -1):
        parent, child = path[index], path[index + 1]
        if isinstance(parent, cst.While):
            return None
        if isinstance(parent, cst.For) and child is parent.body:
            return None if _exits_early(parent) else parent
        if isinstance(parent, _COMPREHENSIONS):
            once = child is parent.for_in and index + 2 < len(path) and path[index + 2] is parent.for_in.iter
            if not once:
                return parent
    return None


def _exits_early(loop: cst.For) -> bool:
    finder = _LoopExitFinder()
    traversal.visit(loop.body, finder)
    return finder.found


class _LoopExitFinder(cst.CSTVisitor):
    """A `break` of this loop or a `return` (not in nested loops or functions)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found = False

    def visit_For(self, node: cst.For) -> None:
        self.depth += 1

    def leave_For(self, original_node: cst.For) -> None:
        self.depth -= 1

    def visit_While(self, node: cst.While) -> None:
        self.depth += 1

    def leave_While(self, original_node: cst.While) -> None:
        self.depth -= 1

    def visit_Break(self, node: cst.Break) -> None:
        if self.depth == 0:
            self.found = True

    def visit_Return(self, node: cst.Return) -> None:
        self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False
