"""ASL500: consecutive awaits of independent reads that could run concurrently (opt-in)."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.concurrency import AwaitedRead, SequentialReads, gather_reference, sequential_reads, use_task_group
from async_lint.analysis.reports import NodeFix, RelatedNode
from async_lint.analysis.syntax import bound_names, has_comment, indentation
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.concurrency_advice import foreign_library_advice, read_proof, shown_read

MAX_LINE = 100
"""A fix longer than this puts one awaitable per line."""

_TRIGGERS = ("await",)


class SequentialIndependentAwaits(Rule):
    """Flags two or more consecutive statements `x = await read(...)` in an `async def` where
    every call is an independent I/O read and no call uses what an earlier one gave: they wait
    for each other for nothing. A read is a call of a known async client that changes nothing
    (`httpx.AsyncClient.get`, `AsyncOpenAI().chat.completions.create`), a stateless LangChain
    object's call (a chat model's or retriever's `ainvoke`, embeddings, vector-store searches),
    or a coroutine of the same module that awaits only such reads and changes nothing it did
    not make itself."""

    code = "ASL500"
    name = "sequential-independent-awaits"
    summary = "consecutive awaits of independent I/O reads that could run concurrently"
    opt_in = (
        "It is about speed, not a bug, and what it suggests changes behaviour: with "
        "`asyncio.gather` every call starts even when an earlier one would have failed, and an "
        "exception surfaces after all of them have started. Whether that is wanted is a design "
        "decision, so the rule runs only where a project asks for it."
    )
    why = (
        "`await` suspends the coroutine until the call is done, so two awaits in a row take the "
        "sum of their latencies: `profile = await client.get(...)` then `orders = await "
        "client.get(...)` takes two round trips where one would do. When no call needs another's "
        "result, `asyncio.gather` starts them together and the whole takes about as long as the "
        "slowest. The proof sends three independent 200 ms requests to a local server both ways: "
        "awaited in a row the server sees them one at a time, gathered all three at once, with "
        "the same results (it records the wall time of each run: about 0.6 s against 0.2 s, plus "
        "the client's start-up)."
    )
    proof = "tests/runtime/test_asl500.py"
    fix_safety = (
        "Unsafe: `a, b = await asyncio.gather(f(), g())` runs both calls even when the first "
        "fails (before, the second never started), and the first exception surfaces after every "
        "call has started, the others still running (use `asyncio.TaskGroup`, which the fix uses "
        "in a module that already does, to cancel them). When the target Python (`target-version`, "
        "else the project's `requires-python`) is older than 3.11 the fix never uses `TaskGroup`. "
        "In a module that runs "
        "on anyio or trio the message names their task group and there is no fix. There is no "
        "fix either when one of the statements spans several lines or carries a comment the "
        "rewrite would drop."
    )
    not_flagged = (
        "A later call that uses an earlier result, directly or through its attributes or items "
        "(`user = await get_user(uid)` then `await get_orders(user.id)`).",
        "Writes: POST/PUT/PATCH/DELETE requests, `await session.commit()`, anything awaited for "
        "its effect (a write and a later read of the same resource must stay in order).",
        "Calls on, or passing, an object that orders its operations: a DB session or "
        "connection, a websocket, a file, a stream, a queue, a lock or semaphore.",
        "Awaits inside `async with` / `with` blocks other than a client's lifetime or a "
        "deadline (a lock, a semaphore, a transaction serialise on purpose), and in functions "
        "that acquire a lock.",
        "Compiled LangGraph graphs (`graph.ainvoke`: a checkpointer orders the runs of a "
        "thread), tools, chains and other runnables (they may hold any step).",
        "Calls whose I/O nature is unknown: an untyped receiver, a coroutine of another module "
        "(the module model keeps no bodies), a coroutine that writes to what it was given.",
        "Anything between the awaits (a log line, a check) and awaits whose result is not "
        "assigned to a name.",
    )
    valid = (
        """
        import httpx

        async def user_and_orders(client: httpx.AsyncClient, uid: str):
            user = await client.get(f"/users/{uid}")
            orders = await client.get(f"/orders/{user.json()['id']}")
            return user, orders
        """,
        """
        import httpx

        async def create_then_read(client: httpx.AsyncClient, item: dict):
            created = await client.post("/items", json=item)
            listing = await client.get("/items")
            return created, listing
        """,
        """
        import asyncio
        import httpx

        async def polite(client: httpx.AsyncClient, lock: asyncio.Lock):
            async with lock:
                first = await client.get("/a")
                second = await client.get("/b")
            return first, second
        """,
        """
        async def unknown(service, uid):
            profile = await service.profile(uid)
            orders = await service.orders(uid)
            return profile, orders
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            import httpx

            async def dashboard(client: httpx.AsyncClient, uid: str):
                profile = await client.get(f"/users/{uid}")
                orders = await client.get(f"/orders/{uid}")
                return profile.json(), orders.json()
            """,
            fixed="""
            import asyncio

            import httpx

            async def dashboard(client: httpx.AsyncClient, uid: str):
                profile, orders = await asyncio.gather(
                    client.get(f"/users/{uid}"),
                    client.get(f"/orders/{uid}"),
                )
                return profile.json(), orders.json()
            """,
        ),
        Invalid(
            """
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o-mini")

            async def two_views(topic: str):
                pros = await llm.ainvoke(f"Arguments for {topic}")
                cons = await llm.ainvoke(f"Arguments against {topic}")
                return pros.content, cons.content
            """,
            fixed="""
            import asyncio
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o-mini")

            async def two_views(topic: str):
                pros, cons = await asyncio.gather(
                    llm.ainvoke(f"Arguments for {topic}"),
                    llm.ainvoke(f"Arguments against {topic}"),
                )
                return pros.content, cons.content
            """,
        ),
    )
    triggers = _TRIGGERS

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine, ctx: ModuleWalker) -> None:
        run = sequential_reads(node, ctx)
        if run is None:
            return
        members = run.members
        shown = ", ".join(f"`{shown_read(m.read, ctx)}`" for m in members[:4]) + (", ..." if len(members) > 4 else "")
        advice, fix = self._advice_and_fix(run, ctx)
        ctx.report(
            self.code,
            members[0].awaited,
            f"{len(members)} independent reads awaited one after the other ({shown}): none uses another's "
            f"result, yet each waits for the previous one to finish; {advice}",
            fix,
            related=[
                RelatedNode(f"then awaited: `{shown_read(m.read, ctx)}` ({read_proof(m.read, ctx)})", node=m.awaited) for m in members[1:]
            ],
        )

    def _advice_and_fix(self, run: SequentialReads, ctx: ModuleWalker) -> tuple[str, NodeFix | None]:
        foreign = foreign_library_advice(ctx, "them")
        if foreign is not None:
            return foreign, None
        reference = gather_reference(ctx)
        targets = ", ".join(_target_text(m, ctx) for m in run.members)
        if reference is None:
            return f"run them concurrently: `{targets} = await asyncio.gather(...)`", None
        local, imports = reference
        if use_task_group(ctx, self.options.python):
            fix = self._task_group_fix(run, local, imports, ctx)
            if fix is not None:
                return f"run them concurrently in an `{local}.TaskGroup()`", fix
        advice = f"run them concurrently: `{targets} = await {local}.gather(...)`"
        calls = [ctx.module.code_for_node(m.awaited.expression) for m in run.members]
        if not _rewritable(run, calls):
            return advice, None
        indent = indentation(ctx.ancestors, ctx.module)
        line = f"{targets} = await {local}.gather({', '.join(calls)})"
        if len(indent) + len(line) > MAX_LINE:
            inner = indent + (ctx.module.default_indent or "    ")
            newline = ctx.module.default_newline
            line = f"{targets} = await {local}.gather({newline}" + "".join(f"{inner}{c},{newline}" for c in calls) + f"{indent})"
        return advice, self._fix(run, line, f"Run them concurrently: `{targets} = await {local}.gather(...)`", imports)

    def _task_group_fix(self, run: SequentialReads, local: str, imports: tuple[str, ...], ctx: ModuleWalker) -> NodeFix | None:
        members = run.members
        if not all(isinstance(m.assign.targets[0].target, cst.Name) for m in members):
            return None
        calls = [ctx.module.code_for_node(m.awaited.expression) for m in members]
        if not _rewritable(run, calls):
            return None
        function = ctx.function
        taken = bound_names(function.node) if function is not None else set()
        group = _fresh("group", taken)
        tasks = [_fresh(f"{_target_text(m, ctx)}_task", taken) for m in members]
        indent = indentation(ctx.ancestors, ctx.module)
        inner = indent + (ctx.module.default_indent or "    ")
        newline = ctx.module.default_newline
        lines = [f"async with {local}.TaskGroup() as {group}:"]
        lines += [f"{inner}{task} = {group}.create_task({call})" for task, call in zip(tasks, calls)]
        targets = ", ".join(_target_text(m, ctx) for m in members)
        lines.append(f"{indent}{targets} = {', '.join(f'{task}.result()' for task in tasks)}")
        return self._fix(run, newline.join(lines), f"Run them concurrently in an `{local}.TaskGroup()`", imports)

    @staticmethod
    def _fix(run: SequentialReads, text: str, message: str, imports: tuple[str, ...]) -> NodeFix:
        first = run.members[0]
        return NodeFix(
            message,
            Applicability.UNSAFE,
            ((first.assign, text),),
            imports,
            deletions=tuple(m.statement for m in run.members[1:]),
        )


def _target_text(member: AwaitedRead, ctx: ModuleWalker) -> str:
    target = member.assign.targets[0].target
    text = ctx.module.code_for_node(target)
    return f"({text})" if isinstance(target, (cst.Tuple, cst.List)) and not target.lpar else text


def _rewritable(run: SequentialReads, calls: list[str]) -> bool:
    """No call spans lines, and no comment would be lost (the first statement's trailing
    comment stays where it is; the lines removed must not carry one)."""
    if any("\n" in call for call in calls):
        return False
    return not any(has_comment(m.assign) or m.statement.trailing_whitespace.comment is not None for m in run.members[1:]) and not has_comment(
        run.members[0].assign
    )


def _fresh(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}{number}"
    taken.add(candidate)
    return candidate

