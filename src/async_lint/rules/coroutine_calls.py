"""Coroutine rules: a coroutine function called and its coroutine never awaited, so the
function's body never runs."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import libcst as cst

from async_lint.analysis import traversal
from async_lint.analysis.project import logger
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.types import BoundMethod, ClassType, ExternalName, FunctionType, Instance, ModuleType
from async_lint.analysis.walker import FrameKind, ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.coroutines import (
    ASYNC_CLIENTS,
    COROUTINE_FUNCTIONS,
    COROUTINE_METHODS_ANY_RECEIVER,
    LANGCHAIN_COROUTINE_METHODS,
    LANGCHAIN_COROUTINE_METHODS_WITH_IMPORT,
    LANGCHAIN_PACKAGES,
    client_method_awaitable,
)
from async_lint.rules.base import Invalid, Rule

_TRIGGERS = (
    "async",
    "Async",
    *COROUTINE_METHODS_ANY_RECEIVER,
    *sorted(LANGCHAIN_COROUTINE_METHODS),
    *sorted(LANGCHAIN_COROUTINE_METHODS_WITH_IMPORT),
)


@dataclass(frozen=True)
class CoroutineCall:
    """What a call returns that has to be awaited."""

    name: str
    """How the message names the callee (`fetch_data`, `asyncio.sleep`, `graph.ainvoke`)."""
    future: bool = False
    sync_twin: str | None = None
    """What sync code can call instead, for the message."""
    twin_method: str | None = None
    """When the twin is the same receiver's method of another name (`ainvoke` -> `invoke`)."""


def coroutine_call(node: cst.Call, ctx: ModuleWalker) -> CoroutineCall | None:
    """The coroutine (or future) this call returns, if it is known to return one."""
    func = node.func
    shown = _callee_text(func, ctx)
    target = ctx.type_of(func)
    function = target.function if isinstance(target, BoundMethod) else target
    if isinstance(function, FunctionType):
        scope = ctx.inference.function_scope(function)
        if scope is None or not scope.is_coroutine_function:
            return None  # a project function that is not a coroutine function, whatever its name
        twin = _project_sync_twin(function, ctx)
        if twin is None:
            return CoroutineCall(shown)
        twin_method = twin.rsplit(".", 1)[-1] if isinstance(func, cst.Attribute) else None
        return CoroutineCall(shown, sync_twin=_shown_twin(twin), twin_method=twin_method)
    if isinstance(target, (ClassType, ModuleType)) or (isinstance(target, Instance) and isinstance(target.of, ClassType)):
        return None
    if isinstance(target, ExternalName) and target.qualified in COROUTINE_FUNCTIONS:
        known = COROUTINE_FUNCTIONS[target.qualified]
        return CoroutineCall(shown, known.future, _shown_twin(known.sync_twin))
    if isinstance(target, Instance) and isinstance(target.of, ExternalName):
        client = ASYNC_CLIENTS.get(target.of.qualified)
        if client is not None:
            if client_method_awaitable(client, target.attrs):
                return CoroutineCall(shown, sync_twin=f"the same method of a sync `{client.sync_client}` client")
            return None
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    if method in COROUTINE_METHODS_ANY_RECEIVER:
        known = COROUTINE_METHODS_ANY_RECEIVER[method]
        return CoroutineCall(shown, known.future, _shown_twin(known.sync_twin))
    if method in LANGCHAIN_COROUTINE_METHODS or (
        method in LANGCHAIN_COROUTINE_METHODS_WITH_IMPORT and _imports_langchain(ctx)
    ):
        twin = method[1:]
        return CoroutineCall(shown, sync_twin=f"the sync `.{twin}()`", twin_method=twin)
    return None


def explain_if_unresolved(expr: cst.BaseExpression, ctx: ModuleWalker) -> None:
    """With the debug log on (`--explain-unresolved`): say so when `expr` cannot be resolved
    (the inference logs why just before)."""
    if logger.isEnabledFor(logging.DEBUG) and ctx.type_of(expr) is None:
        where = ctx.frame.qualname or "<module>"
        logger.debug("unresolved: %s: in %s: `%s`", ctx.filename, where, ctx.module.code_for_node(expr))


def _shown_twin(twin: str | None) -> str | None:
    """`the sync `time.sleep`` for a name; prose ("the function directly") as it is."""
    if twin is None or " " in twin:
        return twin
    return f"the sync `{twin}`"


def _callee_text(func: cst.BaseExpression, ctx: ModuleWalker) -> str:
    text = ctx.module.code_for_node(func)
    return text if len(text) <= 60 and "\n" not in text else "..." + text[-40:].split("\n")[-1]


def _project_sync_twin(function: FunctionType, ctx: ModuleWalker) -> str | None:
    """`Agent.answer` for `Agent.aanswer`, `fetch` for `afetch` / `fetch_async` /
    `async_fetch`, when the project defines it as a sync function."""
    inference = ctx.inference
    scope = inference.function_scope(function)
    if scope is None:
        return None
    name = scope.name
    spellings = (name[1:] if name.startswith("a") else "", name.removesuffix("_async"), name.removeprefix("async_"))
    candidates = [c for c in spellings if c and c != name]
    for candidate in candidates:
        twin: FunctionType | None
        if scope.class_key is not None:
            twin = inference.lookup_method(ClassType(function.path, scope.class_key), candidate)
        else:
            prefix = function.key.rsplit(".", 1)[0] + "." if "." in function.key else ""
            twin = FunctionType(function.path, prefix + candidate)
        twin_scope = inference.function_scope(twin) if twin is not None else None
        if twin_scope is not None and not twin_scope.is_async:
            return twin_scope.qualname
    return None


def _imports_langchain(ctx: ModuleWalker) -> bool:
    return any(name.split(".", 1)[0].startswith(LANGCHAIN_PACKAGES) for name in ctx.imported_modules())


# --- where the call is, which decides the fix ---


def _is_main_guard(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.If) or not isinstance(node.test, cst.Comparison):
        return False
    test = node.test
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"]
    return len(names) == 1 and len(strings) == 1


def _at_entry_point(ctx: ModuleWalker) -> bool:
    """Module level under `if __name__ == "__main__":`, or in a module-level sync function
    called only from there (`main()`)."""
    function = ctx.function
    if function is None:
        return ctx.frame.kind is FrameKind.MODULE and any(_is_main_guard(node) for node in ctx.ancestors)
    parent = function.parent
    return (
        function.kind is FrameKind.FUNCTION
        and parent is not None
        and parent.kind is FrameKind.MODULE
        and ctx.view.is_entry_point(function.name)
    )


def _where(ctx: ModuleWalker) -> str:
    function = ctx.function
    if function is None:
        if any(_is_main_guard(node) for node in ctx.ancestors):
            return 'under `if __name__ == "__main__":`'
        return "at module level"
    if function.kind is FrameKind.LAMBDA:
        return "in a `lambda`"
    return f"in sync `def {function.name}`"


def _fix_and_advice(call: cst.Call, info: CoroutineCall, ctx: ModuleWalker, target: str) -> tuple[str, NodeFix | None]:
    """The end of the message and the fix for `call`, by where it is. `target` is the part
    of the statement the fix rewrites (the call itself)."""
    if ctx.in_async_function:
        if not ctx.can_await:
            return "`await` it", None
        replacement = cst.Await(expression=call)
        return "`await` it", NodeFix(f"Add `await`: `await {target}`", Applicability.SAFE, ((call, replacement),))
    where = _where(ctx)
    if info.future:
        return (
            f"{where}, no event loop is running to schedule it on: move this into an `async def` and `await` it",
            None,
        )
    if _at_entry_point(ctx) or ctx.function is None:
        reference = ctx.module_reference("asyncio")
        if reference is None:
            return "run it with `asyncio.run(...)`", None
        local, imports = reference
        run_call = cst.Call(
            func=cst.Attribute(value=cst.Name(local), attr=cst.Name("run")), args=[cst.Arg(value=call)]
        )
        shown = f"{local}.run({target})"
        return (
            f"{where}, no event loop runs it: run it with `{shown}`",
            NodeFix(f"Run it: `{shown}`", Applicability.SUGGESTION, ((call, run_call),), imports),
        )
    if info.sync_twin is not None:
        advice = f"{where}, call {info.sync_twin} instead, or make the function `async def` and `await` it"
        if info.twin_method is not None and isinstance(call.func, cst.Attribute):
            twin = call.func.with_changes(attr=cst.Name(info.twin_method))
            fix = NodeFix(
                f"Call the sync `{ctx.module.code_for_node(twin)}()`",
                Applicability.SUGGESTION,
                ((call.func, twin),),
            )
            return advice, fix
        return advice, None
    return (
        f"{where}, it cannot be awaited: make the function `async def` and `await` this call "
        "(and `await` the function where it is called), or run it with `asyncio.run(...)` at the "
        "program's entry point",
        None,
    )


class UnawaitedCoroutine(Rule):
    """Flags a call of a coroutine function used as a statement: the coroutine it returns is
    dropped, so the function's body never runs. Coroutine functions are the project's
    `async def`s (same module, imported, methods through `self`/`cls` or known instances,
    nested functions), the standard library's (`asyncio.sleep`, `asyncio.wait_for`,
    `asyncio.gather`, `asyncio.to_thread`, `loop.run_in_executor`...), the `a`-prefixed
    LangChain/LangGraph methods (`ainvoke`, `aget_state`, `aupdate_state`...) and the methods of
    known async SDK clients (`AsyncOpenAI().chat.completions.create`)."""

    code = "ASL100"
    proof = "tests/runtime/test_asl100.py"
    name = "unawaited-coroutine"
    summary = "a coroutine function called without `await`; its body never runs"
    why = (
        "Calling an `async def` does not run it: it returns a coroutine object, and only `await` "
        "(or a task, or `asyncio.run`) runs it. Dropped, the coroutine is garbage-collected with "
        "`RuntimeWarning: coroutine 'fetch_data' was never awaited`, and nothing it was meant to do "
        "happens: no request sent, no row written, no error raised. A dropped future "
        "(`asyncio.gather(...)`, `loop.run_in_executor(...)`) runs, but its result and its "
        "exceptions are lost (`Future exception was never retrieved`)."
    )
    fix_safety = (
        "Safe inside `async def`: `fetch_data()` becomes `await fetch_data()`, which runs the "
        "coroutine the code already meant to run. At a script's entry point (under "
        '`if __name__ == "__main__":`, or in a `main()` called only from there) the suggestion is '
        "`asyncio.run(fetch_data())`, not applied automatically. Elsewhere in sync code there is no "
        "mechanical fix: the message names the sync twin when there is one (`ainvoke` -> `invoke`), "
        "or says the function has to become `async def`."
    )
    not_flagged = (
        "A coroutine passed on: `asyncio.gather(*coros)`, `asyncio.create_task(fetch())`, `return fetch()`, "
        "`tasks.append(fetch())` (only a call used as a whole statement is flagged).",
        "`asyncio.run(main())` at the entry point.",
        "A sync method that shares a coroutine's name on an unrelated class (`cache.update(...)` is not "
        "`self.update`), and a project class's own sync `ainvoke`-like method when the receiver resolves to it.",
        "An `async def` with `yield` (an async generator: calling it runs nothing, and `await` would be wrong).",
        "An `async def` wrapped by an unknown decorator (it may no longer return a coroutine).",
        "Calls whose callee cannot be resolved (a parameter's method, a name from a star import), unless "
        "the method's name is LangChain's alone (`x.ainvoke(...)`): the rule stays silent; "
        "`--explain-unresolved` says why.",
    )
    valid = (
        """
        import asyncio

        async def fetch(i):
            return i

        async def main(ids):
            coros = [fetch(i) for i in ids]
            await asyncio.gather(*coros)
            task = asyncio.create_task(fetch(0))
            await task
            return fetch(1)

        if __name__ == "__main__":
            asyncio.run(main([1, 2]))
        """,
        """
        class Cache:
            def update(self, key):
                return key

        async def update(key):
            return key

        def refresh(cache: Cache):
            cache.update("k")
        """,
        """
        class FakeModel:
            def ainvoke(self, prompt):
                return prompt

        def run():
            model = FakeModel()
            model.ainvoke("hi")
        """,
    )
    invalid = (
        Invalid(
            """
            async def save(record):
                ...

            async def handler(record):
                save(record)
            """,
            fixed="""
            async def save(record):
                ...

            async def handler(record):
                await save(record)
            """,
        ),
        Invalid(
            """
            import asyncio

            async def main():
                await asyncio.sleep(1)

            if __name__ == "__main__":
                main()
            """,
        ),
        Invalid(
            """
            def answer(graph, state):
                graph.ainvoke(state)
            """,
        ),
    )
    triggers = _TRIGGERS
    triggers_on_project_imports = True

    def visit_Expr(self, node: cst.Expr, ctx: ModuleWalker) -> None:
        call = node.value
        if not isinstance(call, cst.Call):
            return
        info = coroutine_call(call, ctx)
        if info is None:
            explain_if_unresolved(call.func, ctx)
            return
        shown = _callee_text(call.func, ctx)
        advice, fix = _fix_and_advice(call, info, ctx, f"{shown}(...)" if call.args else f"{shown}()")
        if info.future:
            what = f"`{shown}()` returns a future that is never awaited: its result and exceptions are lost"
        else:
            what = f"`{shown}()` creates a coroutine that is never awaited, so it never runs"
        ctx.report(self.code, call, f"{what}; {advice}", fix)


# --- ASL101 ---

_COROUTINE_PROTOCOL = frozenset(
    {"send", "throw", "close", "__await__", "cr_frame", "cr_running", "cr_await", "cr_code"}
)
_CONSUMERS = frozenset(
    {"builtins.print", "builtins.str", "builtins.repr", "builtins.len", "builtins.bool", "builtins.format"}
)
_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})


_INSPECTING_PARENTS = (
    cst.Comparison,
    cst.ComparisonTarget,
    cst.BooleanOperation,
    cst.UnaryOperation,
    cst.BinaryOperation,
    cst.FormattedStringExpression,
)
"""Expressions that look at the value (a coroutine object, where the code means a result)."""


def _uses_escape(scope_node: cst.CSTNode, name: str, assignment: cst.CSTNode, ctx: ModuleWalker) -> bool:
    """Whether, anywhere in the scope, `name` is awaited, returned, yielded, passed on,
    stored, or used where we cannot tell (a nested function, a `global`...). Uses that are
    the bug itself (`data.content`, `data["x"]`, `print(data)`, `if data:`) do not count."""
    finder = _UseFinder(name, assignment, ctx)
    # The finder looks at names, scopes and their parents, never at whitespace or punctuation.
    traversal.walk(scope_node, finder.on_visit, finder.on_leave, traversal.TRIVIA_TYPES)
    return finder.escapes


_NESTED_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
"""Scopes of their own: a use of the name inside one is a use we cannot follow."""


class _UseFinder(cst.CSTVisitor):
    def __init__(self, name: str, assignment: cst.CSTNode, ctx: ModuleWalker) -> None:
        super().__init__()
        self.name = name
        self.assignment = assignment
        self.ctx = ctx
        self.stack: list[cst.CSTNode] = []
        self.depth_in_nested = 0
        self.escapes = False
        self.started = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.escapes:
            return False
        if node is self.assignment:
            return False  # the assignment's own target is no use
        nested = self.started and isinstance(node, _NESTED_SCOPES)
        self.started = True
        if isinstance(node, (cst.Global, cst.Nonlocal)) and any(n.name.value == self.name for n in node.names):
            self.escapes = True
            return False
        if (
            isinstance(node, cst.Name)
            and node.value == self.name
            and (self.depth_in_nested or not self._harmless_use(node))
        ):
            self.escapes = True
            return False
        if nested:
            self.depth_in_nested += 1
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self.stack and self.stack[-1] is original_node:
            self.stack.pop()
            if isinstance(original_node, _NESTED_SCOPES) and self.depth_in_nested:
                self.depth_in_nested -= 1

    def _harmless_use(self, name: cst.Name) -> bool:
        """A use that leaves the coroutine un-awaited (the bug), or a rebinding."""
        parent = self.stack[-1] if self.stack else None
        if isinstance(parent, cst.AssignTarget) and parent.target is name:
            return True  # rebinding the name
        if isinstance(parent, cst.Attribute) and parent.value is name:
            return parent.attr.value not in _COROUTINE_PROTOCOL
        if isinstance(parent, cst.Subscript) and parent.value is name:
            return True
        if isinstance(parent, _INSPECTING_PARENTS):
            return True
        if isinstance(parent, (cst.If, cst.While)) and parent.test is name:
            return True
        if isinstance(parent, cst.For) and parent.iter is name:
            return True
        if isinstance(parent, cst.Arg) and len(self.stack) >= 2 and parent.value is name:
            call = self.stack[-2]
            if isinstance(call, cst.Call):
                qualified = self.ctx.resolve(call.func)
                if qualified in _CONSUMERS:
                    return True
                if isinstance(call.func, cst.Attribute) and call.func.attr.value in _LOG_METHODS:
                    receiver = self.ctx.module.code_for_node(call.func.value)
                    return receiver in ("logging", "logger", "log", "LOGGER", "_logger", "self.logger", "self.log")
        return False


class CoroutineNeverAwaited(Rule):
    """Flags `x = coroutine_call()` where, in that scope, `x` is never awaited, returned,
    yielded, passed as an argument, stored in a container or an attribute, or scheduled: `x`
    holds a coroutine object, never its result."""

    code = "ASL101"
    proof = "tests/runtime/test_asl101.py"
    name = "coroutine-never-awaited"
    summary = "a coroutine stored in a name that is never awaited"
    why = (
        "`data = fetch_data()` binds `data` to a coroutine object, not to what `fetch_data` returns, "
        "and `fetch_data`'s body never runs. Code using `data` then fails far from the cause: "
        "`AttributeError: 'coroutine' object has no attribute 'content'`, `TypeError: 'coroutine' "
        "object is not subscriptable`, or `print(data)` shows `<coroutine object fetch_data at 0x...>`; "
        "then `RuntimeWarning: coroutine 'fetch_data' was never awaited`."
    )
    fix_safety = (
        "Safe inside `async def`: `data = fetch_data()` becomes `data = await fetch_data()`; every "
        "use of `data` in the scope treats it as the result already (uses that would hand the "
        "coroutine on, such as `await data` or `return data`, make the line clean instead). In sync "
        "code, the same advice as ASL100: `asyncio.run(...)` at the entry point, or the sync twin."
    )
    not_flagged = (
        "The coroutine awaited later (`task = fetch(); ...; await task`), returned, yielded, passed to "
        "any call (`asyncio.gather(c)`, `create_task(c)`), stored (`coros.append(c)`, `[c]`, `self.c = c`).",
        "A name used in a nested function or lambda, or declared `global`/`nonlocal` (the rule cannot "
        "see what happens to it there).",
        "Assignments at module or class level (other modules may import the name), except under "
        '`if __name__ == "__main__":`.',
    )
    valid = (
        """
        import asyncio

        async def fetch(i):
            return i

        async def main():
            first = fetch(1)
            second = fetch(2)
            task = asyncio.create_task(second)
            results = await asyncio.gather(first, task)
            later = fetch(3)
            return results, await later
        """,
        """
        async def fetch():
            return 1

        def make():
            coro = fetch()
            return coro
        """,
    )
    invalid = (
        Invalid(
            """
            async def fetch_data():
                return {"id": 1}

            async def handler():
                data = fetch_data()
                return data["id"]
            """,
            fixed="""
            async def fetch_data():
                return {"id": 1}

            async def handler():
                data = await fetch_data()
                return data["id"]
            """,
        ),
        Invalid(
            """
            def summarise(llm, text):
                reply = llm.ainvoke(text)
                print(reply)
            """,
        ),
    )
    triggers = _TRIGGERS
    triggers_on_project_imports = True

    def visit_Assign(self, node: cst.Assign, ctx: ModuleWalker) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        self._check(node, node.targets[0].target.value, node.value, ctx)

    def visit_AnnAssign(self, node: cst.AnnAssign, ctx: ModuleWalker) -> None:
        if node.value is None or not isinstance(node.target, cst.Name):
            return
        self._check(node, node.target.value, node.value, ctx)

    def _check(self, node: cst.CSTNode, name: str, value: cst.BaseExpression, ctx: ModuleWalker) -> None:
        if not isinstance(value, cst.Call):
            return
        scope = ctx.frame
        if scope.kind is FrameKind.FUNCTION:
            scope_node = scope.node
        elif scope.kind is FrameKind.MODULE:
            if not any(_is_main_guard(a) for a in ctx.ancestors):
                return
            scope_node = ctx.module
        else:
            return
        info = coroutine_call(value, ctx)
        if info is None or _uses_escape(scope_node, name, node, ctx):
            return
        shown = _callee_text(value.func, ctx)
        target = f"{shown}(...)" if value.args else f"{shown}()"
        advice, fix = _fix_and_advice(value, info, ctx, target)
        kind = "a future" if info.future else "a coroutine"
        where = f" in `{scope.name}`" if scope.kind is FrameKind.FUNCTION else ""
        ctx.report(
            self.code,
            value,
            f"`{target}` is {kind} never awaited{where}: `{name}` holds the {kind.split()[-1]} object, "
            f"not its result; {advice}",
            fix,
        )
