"""ASL401 sync-llm-client-in-async: a sync LLM SDK client, or a blocking SDK function, used inside
`async def`."""

from __future__ import annotations

import libcst as cst

from async_lint.analysis.framework_calls import SyncClientCall, SyncClientFunction, framework_call
from async_lint.analysis.reports import NodeFix
from async_lint.analysis.walker import ModuleWalker
from async_lint.diagnostics import Applicability
from async_lint.rules.base import Invalid, Rule, dedent_example
from async_lint.rules.fix_builders import as_operand
from async_lint.rules.twin_calls import function_name, origin, short


class SyncLlmClientInAsync(Rule):
    """Flags calls through a sync LLM SDK client inside `async def`: `openai.OpenAI`,
    `AzureOpenAI`, `anthropic.Anthropic` (and its cloud variants), `groq.Groq`, `langsmith.Client`,
    `ollama.Client`, `cohere.Client`, `huggingface_hub.InferenceClient`, `google.genai.Client`
    (outside `.aio`), `langgraph_sdk.get_sync_client()`, and the module functions
    `litellm.completion`/`embedding`/... and `ollama.chat`/`generate`. The client must be shown to
    be one (constructor, annotation, `self.client = Groq()` in the class). Where its package is
    installed, a client class no table lists is one too when the package has an async sibling
    of it (`Async<Name>`, `<package>.asyncio.<Name>`) whose methods of the same names are
    `async def` where its own are plain `def` (`elasticsearch.Elasticsearch` /
    `AsyncElasticsearch`); its own methods count when the sibling's are `async def`. Packages
    the blocking rules cover (`redis`, `pymongo`, `httpx`...) are theirs."""

    code = "ASL401"
    proof = "tests/runtime/test_asl401.py"
    name = "sync-llm-client-in-async"
    summary = "sync SDK client (`OpenAI`, `Groq`, `Anthropic`, LangSmith `Client`...) used inside `async def`"
    why = (
        "The sync clients wrap `httpx.Client`: `client.chat.completions.create(...)` holds the "
        "thread for the whole model call, seconds at a time, and inside `async def` that thread is "
        "the event loop's. Each SDK ships an async client with the same method paths "
        "(`AsyncOpenAI`, `AsyncGroq`, `AsyncAnthropic`, `langsmith.AsyncClient`, "
        "`langgraph_sdk.get_client()`) whose calls are awaited; litellm has `acompletion`. "
        "LangSmith's sync `Client.pull_prompt` in an async node is a classic `BlockingError: "
        "Blocking call to socket.socket.connect` under `langgraph dev`."
    )
    use_instead = dedent_example(
        """
        from groq import AsyncGroq

        client = AsyncGroq()

        async def ask(question):
            return await client.chat.completions.create(model="llama3", messages=[{"role": "user", "content": question}])
        """
    )
    fix_safety = (
        "Suggestion only: switching clients changes the object other code shares, and a streamed "
        "response becomes an async iterator; `litellm.completion(...)` shows "
        "`await litellm.acompletion(...)`."
    )
    not_flagged = (
        ("Sync clients in plain `def` code (including sync FastAPI routes and sync LangGraph nodes, "
        "which run in worker threads)."),
        "`client.aio.models.generate_content(...)` on a `google.genai.Client` (the async side).",
        ("Clients nobody can show to be a sync SDK client (`client.chat(...)` on a parameter without "
        "annotation)."),
        "`client.with_options(...)` and other calls that do no I/O on the calling thread (LangSmith `create_run`/`update_run` only queue the run for the background tracer).",
    )
    valid = (
        """
        from groq import AsyncGroq

        client = AsyncGroq()

        async def ask(question):
            return await client.chat.completions.create(model="llama3", messages=[{"role": "user", "content": question}])
        """,
        """
        from openai import OpenAI

        client = OpenAI()

        def summarize(text):
            return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
        """,
    )
    invalid = (
        Invalid(
            """
            from groq import Groq

            client = Groq()

            async def ask(question):
                return client.chat.completions.create(model="llama3", messages=[{"role": "user", "content": question}])
            """,
        ),
        Invalid(
            """
            import litellm

            async def ask(messages):
                return litellm.completion(model="gpt-4o-mini", messages=messages)
            """,
        ),
    )

    def visit_Call(self, node: cst.Call, ctx: ModuleWalker) -> None:
        call = framework_call(node, ctx)
        if isinstance(call, SyncClientCall):
            self._report_client(node, call, ctx)
        elif isinstance(call, SyncClientFunction):
            self._report_function(node, call, ctx)

    def _report_client(self, node: cst.Call, call: SyncClientCall, ctx: ModuleWalker) -> None:
        client = short(call.client, ctx)
        method = ".".join(call.path)
        if call.async_attribute is not None:
            awaited = f"await {client}.{call.async_attribute}.{method}(...)"
            advice = f"`{awaited}`"
            instead = f"call `{awaited}`, its async side"
        else:
            replacement = call.async_client or "the async client"
            advice = f"`{replacement}`, created once, and `await` the call"
            instead = f"create one `{replacement}` and `await` its calls"
        ctx.report(
            self.code,
            node,
            f"`{client}.{method}()` on a sync client ({origin(call.info, ctx)}) inside `async def {function_name(ctx)}` "
            f"blocks the event loop; {instead}",
            NodeFix(f"Use {advice}", Applicability.SUGGESTION),
        )

    def _report_function(self, node: cst.Call, call: SyncClientFunction, ctx: ModuleWalker) -> None:
        fix = NodeFix(f"Use `await {call.replacement}(...)`", Applicability.SUGGESTION)
        if call.renamed is not None and isinstance(node.func, cst.Attribute):
            new = cst.Await(expression=node.with_changes(func=node.func.with_changes(attr=cst.Name(call.renamed))))
            fix = NodeFix(
                f"Use `{ctx.module.code_for_node(new)}`", Applicability.SUGGESTION, ((node, as_operand(new, node, ctx)),)
            )
        ctx.report(
            self.code,
            node,
            f"`{call.qualified}()` inside `async def {function_name(ctx)}` is a blocking network call; "
            f"`await {call.replacement}(...)` instead",
            fix,
        )
