"""ASL501: a loop awaiting one independent read per item, one item after the other (opt-in)."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.async_library import in_module_library
from async_lint.analysis.concurrency import LoopRead, comprehension_read, gather_reference, loop_read
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.syntax import has_comment
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.knowledge.concurrency import COLLECTING_FIXES
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.concurrency_advice import BOUND, foreign_library_advice, read_proof, shown_read

_SELF_DELIMITED = (
    cst.Name,
    cst.Attribute,
    cst.Call,
    cst.Subscript,
    cst.List,
    cst.Set,
    cst.Dict,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.SimpleString,
)
"""Iterables a generator expression can take as they are (`for x in a if c else b` cannot)."""


class AwaitInLoop(Rule):
    """Flags a `for` loop, or a list, set or dict comprehension, in an `async def` that awaits
    one independent I/O read per item and collects the results: `for item in items:
    results.append(await fetch(item))`, `[await fetch(i) for i in ids]`. The iterations are
    independent: the call uses the item, nothing an iteration writes is read by a later one,
    the loop neither breaks nor returns on a result, and what it awaits is a read as ASL500
    defines it (a known async client's read, a stateless LangChain object's call, a coroutine
    of the same module that awaits only those)."""

    code = "ASL501"
    name = "await-in-loop"
    summary = "a loop awaiting one independent I/O read per item, one after the other"
    opt_in = (
        "It is about speed, not a bug, and the fix changes behaviour: every item's call starts at "
        "once (a large input can overload the service or hit a rate limit unless the concurrency "
        "is bounded), and a failure no longer stops the items after it. The rule runs only where "
        "a project asks for it."
    )
    why = (
        "Each `await` in the loop waits for its call to finish before the next item's call starts, "
        "so N items take N round trips. When the iterations do not depend on each other, "
        "`asyncio.gather(*(fetch(i) for i in items))` starts them all and takes about as long as "
        "the slowest. The proof runs five independent 200 ms requests to a local server both "
        "ways: in the loop the server sees them one at a time, gathered all five at once, with "
        "the same results in the same order (it records the wall time of each run: about 1 s "
        "against 0.2 s, plus the client's start-up)."
    )
    proof = "tests/runtime/test_asl501.py"
    fix_safety = (
        "Unsafe: `results.extend(await asyncio.gather(*(fetch(item) for item in items)))` "
        "(and `[await fetch(i) for i in ids]` -> `await asyncio.gather(*(fetch(i) for i in ids))`) "
        "keeps the results and their order, but starts every call at once and lets them all run "
        "when one fails. For many items, bound the concurrency: `async with semaphore:` around "
        "each call in a small helper coroutine. Only a loop whose whole body is "
        "`results.append(await ...)` / `.add(...)`, and a list comprehension, are rewritten; other "
        "loops get the advice alone, as do modules on anyio or trio (their task groups)."
    )
    not_flagged = (
        "Loops that `break` or `return` on a result, or whose next iteration reads what the "
        "previous one wrote (`cursor = await page(cursor)`, `total += ...`).",
        "Loops that await more than once per item, or whose call does not use the item (polling).",
        "Loops whose results are not collected (awaits for an effect: sends, writes).",
        "`async for` loops (the items arrive one by one), `while` loops, generator expressions.",
        "Everything ASL500 leaves alone: writes, calls on an object that orders its operations "
        "(a session, a connection, a websocket, a lock), blocks that serialise on purpose, calls "
        "whose I/O nature is unknown.",
    )
    valid = (
        """
        import httpx

        async def all_pages(client: httpx.AsyncClient):
            pages = []
            cursor = ""
            for _ in range(10):
                page = await client.get("/items", params={"cursor": cursor})
                cursor = page.json()["next"]
                pages.append(page)
            return pages
        """,
        """
        import httpx

        async def first_available(client: httpx.AsyncClient, mirrors: list[str]):
            for mirror in mirrors:
                response = await client.get(mirror)
                if response.status_code == 200:
                    return response
            return None
        """,
        """
        async def notify(websocket, messages):
            for message in messages:
                await websocket.send_text(message)
        """,
    )
    invalid = (
        Invalid(
            """
            import asyncio

            import httpx

            async def fetch_all(client: httpx.AsyncClient, ids: list[int]):
                results = []
                for item in ids:
                    results.append(await client.get(f"/items/{item}"))
                return results
            """,
            fixed="""
            import asyncio

            import httpx

            async def fetch_all(client: httpx.AsyncClient, ids: list[int]):
                results = []
                results.extend(await asyncio.gather(*(client.get(f"/items/{item}") for item in ids)))
                return results
            """,
        ),
        Invalid(
            """
            from langchain_openai import OpenAIEmbeddings

            embeddings = OpenAIEmbeddings()

            async def embed_all(texts: list[str]):
                return [await embeddings.aembed_query(text) for text in texts]
            """,
            fixed="""
            import asyncio
            from langchain_openai import OpenAIEmbeddings

            embeddings = OpenAIEmbeddings()

            async def embed_all(texts: list[str]):
                return await asyncio.gather(*(embeddings.aembed_query(text) for text in texts))
            """,
        ),
        Invalid(
            """
            import httpx

            async def prices(client: httpx.AsyncClient, symbols: list[str]):
                found = {}
                for symbol in symbols:
                    response = await client.get(f"/price/{symbol}")
                    found[symbol] = response.json()["price"]
                return found
            """,
        ),
    )
    triggers = ("await",)

    def visit_For(self, node: cst.For, ctx: ModuleWalker) -> None:
        found = loop_read(node, ctx)
        if found is not None:
            self._report(found, "a `for` loop", ctx)

    def visit_ListComp(self, node: cst.ListComp, ctx: ModuleWalker) -> None:
        self._comprehension(node, ctx)

    def visit_SetComp(self, node: cst.SetComp, ctx: ModuleWalker) -> None:
        self._comprehension(node, ctx)

    def visit_DictComp(self, node: cst.DictComp, ctx: ModuleWalker) -> None:
        self._comprehension(node, ctx)

    def _comprehension(self, node: cst.ListComp | cst.SetComp | cst.DictComp, ctx: ModuleWalker) -> None:
        found = comprehension_read(node, ctx)
        if found is not None:
            self._report(found, "a comprehension", ctx)

    def _report(self, found: LoopRead, where: str, ctx: ModuleWalker) -> None:
        callee = shown_read(found.read, ctx)
        shown = f"await {callee}(...)"
        fix = None
        foreign = foreign_library_advice(ctx, "one task per item")
        if foreign is not None:
            advice = foreign
        else:
            reference = gather_reference(ctx)
            local = reference[0] if reference is not None else "asyncio"
            advice = f"run them concurrently with `await {local}.gather(*({callee}(...) for ... in ...))`"
            if reference is not None:
                fix = _fix(found, reference[0], reference[1], ctx)
        ctx.report(
            self.code,
            found.awaited,
            f"`{shown}` in {where} waits for each item's call before starting the next one, though the "
            f"items are independent ({read_proof(found.read, ctx)}); {advice} ({in_module_library(BOUND, ctx)})",
            fix,
        )


def _fix(found: LoopRead, local: str, imports: tuple[str, ...], ctx: ModuleWalker) -> NodeFix | None:
    loop = found.loop
    call = ctx.module.code_for_node(found.awaited.expression)
    if isinstance(loop, cst.ListComp):
        generator = ctx.module.code_for_node(cst.GeneratorExp(elt=found.awaited.expression, for_in=loop.for_in))
        if "\n" in generator or has_comment(loop):
            return None
        text = f"await {local}.gather(*{generator})"
        if isinstance(ctx.parent, (cst.Attribute, cst.Subscript)) or (isinstance(ctx.parent, cst.Call) and ctx.parent.func is loop):
            text = f"({text})"
        return NodeFix(f"Run them concurrently: `await {local}.gather(*(...))`", Applicability.UNSAFE, ((loop, text),), imports)
    if not isinstance(loop, cst.For) or found.collector is None or found.method is None or _loses_comment(loop):
        return None
    iterable = loop.iter
    iterated = ctx.module.code_for_node(iterable)
    if not isinstance(iterable, _SELF_DELIMITED) and not (isinstance(iterable, cst.Tuple) and iterable.lpar):
        iterated = f"({iterated})"
    target = ctx.module.code_for_node(loop.target)
    if "\n" in call or "\n" in iterated or "\n" in target:
        return None
    method = COLLECTING_FIXES[found.method]
    text = f"{found.collector}.{method}(await {local}.gather(*({call} for {target} in {iterated})))"
    return NodeFix(
        f"Run them concurrently: `{found.collector}.{method}(await {local}.gather(*(...)))`",
        Applicability.UNSAFE,
        ((loop, text),),
        imports,
    )


def _loses_comment(loop: cst.For) -> bool:
    """Whether rewriting the loop (a one-statement body) would drop a comment: one anywhere in
    the loop but after its last statement (that one stays, past the replaced range)."""
    body = loop.body
    if has_comment(loop.target) or has_comment(loop.iter):
        return True
    if isinstance(body, cst.SimpleStatementSuite):
        return any(has_comment(statement) for statement in body.body)
    assert isinstance(body, cst.IndentedBlock)
    if body.header.comment is not None:
        return True
    for line in body.body:
        if not isinstance(line, cst.SimpleStatementLine):
            return has_comment(line)
        if any(empty.comment is not None for empty in line.leading_lines) or any(has_comment(s) for s in line.body):
            return True
    return False
