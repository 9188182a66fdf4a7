"""ASL400 sync-framework-call-in-async: the sync half of a LangChain/LangGraph pair called inside
`async def`."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.framework_calls import SyncHalfCall, framework_call
from async_lint.analysis.walker import ModuleWalker
from async_lint.knowledge.langchain import short_name
from async_lint.rules.base import Invalid, Rule
from async_lint.rules.twin_calls import function_name, origin, shown_call, twin_call_report


class SyncFrameworkCallInAsync(Rule):
    """Flags the sync half of a LangChain/LangGraph pair called inside `async def`: `invoke`,
    `batch`, `stream`, `get_state`, `update_state`, `get_state_history`, retriever and tool
    `invoke`/`run`, vector store `similarity_search*`/`add_documents`, embeddings
    `embed_query`/`embed_documents`, chat model `generate`, checkpointer and store methods, and
    the names removed in langchain-core 1.0 (`predict`, `run`, `__call__`,
    `get_relevant_documents`), on a receiver shown to be such an object: built by a known
    constructor or factory (through imports), an LCEL pipe, a builder method (`bind_tools`,
    `with_structured_output`, `as_retriever`, `compile`...), an annotation (`llm: BaseChatModel`),
    or a function of the module returning one. Names only LangChain uses (`embed_query`,
    `similarity_search`, `get_state_history`...) need no proof of the receiver. Where the
    package is installed, a method no table lists is the sync half too when the receiver's
    class has an `async def a<method>` beside it (`loader.load()` / `await loader.aload()`)."""

    code = "ASL400"
    proof = "tests/runtime/test_asl400.py"
    name = "sync-framework-call-in-async"
    summary = "sync LangChain/LangGraph call (`invoke`, `stream`, `get_state`...) inside `async def`"
    why = (
        "`invoke`, `stream`, `similarity_search` and the other sync methods do their network I/O on "
        "the calling thread. Inside `async def` (an async LangGraph node, a FastAPI handler) that "
        "thread runs the event loop, so every other request, stream and timer waits for the model "
        "to answer (lfnovo/open-notebook #971: the whole API froze). Under `langgraph dev` the "
        "blockbuster detector raises `BlockingError: Blocking call to ...`. Every sync method has "
        "an async twin: `await llm.ainvoke(...)`, `async for chunk in graph.astream(...)`."
    )
    fix_safety = (
        "Safe: `x.invoke(...)` becomes `await x.ainvoke(...)` (same arguments, same result; "
        "`Runnable.ainvoke` falls back to a thread when a component has no native async), and "
        "`for c in x.stream(...)` becomes `async for c in x.astream(...)`. An iterator twin "
        "anywhere else than a `for` statement gets no fix. The names removed in langchain-core 1.0 "
        "change name too: `retriever.get_relevant_documents(q)` -> `await retriever.ainvoke(q)` "
        "and `llm(messages)` -> `await llm.ainvoke(messages)` are unsafe fixes (older "
        "installations), `llm.predict(text)` -> `(await llm.ainvoke(text)).content` too; "
        "`chain.run(...)` (returned the output string, `ainvoke` returns a dict) and calls "
        "passing extra arguments are only suggestions. A twin derived from the installed "
        "package's sources (`load` / `aload`) is an unsafe fix, a suggestion when its "
        "parameters differ from the sync method's."
    )
    not_flagged = (
        ("A plain `def` LangGraph node calling `llm.invoke()`: LangGraph runs sync nodes in a "
        "worker thread, so they do not block the loop."),
        ("`model.predict(x)`, `payload.get(...)`, `store.search(...)` on objects nobody can show to "
        "be LangChain objects (a scikit-learn model, a dict, a project class with its own `invoke`)."),
        "A sync call handed to a thread: `await asyncio.to_thread(graph.invoke, state)`.",
        ("Prompt templates and output parsers (`prompt.invoke(...)` does no I/O), and "
        "`InMemorySaver`/`InMemoryStore` methods."),
        "`self.invoke(...)` inside a class's own methods (a Runnable implementing its async side).",
    )
    valid = (
        """
        from langchain_openai import ChatOpenAI

        llm = ChatOpenAI(model="gpt-4o-mini")

        def answer(state):
            return {"answer": llm.invoke(state["question"]).content}
        """,
        """
        import asyncio

        async def handler(graph, state):
            return await asyncio.to_thread(graph.invoke, state)
        """,
        """
        async def score(model, rows):
            return model.predict(rows)
        """,
    )
    invalid = (
        Invalid(
            """
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o-mini")

            async def answer(state):
                reply = llm.invoke(state["question"])
                return {"answer": reply.content}
            """,
            fixed="""
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="gpt-4o-mini")

            async def answer(state):
                reply = await llm.ainvoke(state["question"])
                return {"answer": reply.content}
            """,
        ),
        Invalid(
            """
            from langgraph.graph import StateGraph

            class Agent:
                def __init__(self, builder: StateGraph):
                    self.app = builder.compile()

                async def chat(self, state):
                    for chunk in self.app.stream(state, stream_mode="updates"):
                        yield chunk
            """,
            fixed="""
            from langgraph.graph import StateGraph

            class Agent:
                def __init__(self, builder: StateGraph):
                    self.app = builder.compile()

                async def chat(self, state):
                    async for chunk in self.app.astream(state, stream_mode="updates"):
                        yield chunk
            """,
        ),
    )

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        call = framework_call(node, ctx)
        if not isinstance(call, SyncHalfCall):
            return
        if call.info is not None:
            what = f"{call.info.kind.value}: {origin(call.info, ctx)}"
        elif call.derived_from is not None:
            what = f"`{short_name(call.derived_from)}` has `async def {call.twin.name}`"
        else:
            what = "a LangChain method"
        where = f"`{shown_call(call, ctx)}` ({what}) inside `async def {function_name(ctx)}` blocks the event loop"
        message, fix = twin_call_report(node, call, where, ctx)
        ctx.report(self.code, node, message, fix)
