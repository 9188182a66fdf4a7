"""LangChain, LangGraph and LLM-SDK objects, as data: which constructors and factories make
which kind of object, which sync methods each kind has, and each one's async twin (awaited, or
iterated with `async for`). The source is `/shared/reference/langchain-async-api.md`
(sections 1-5); rules and receiver inference read these tables and hold no names of their own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fnmatch import fnmatchcase


class Kind(enum.Enum):
    """What sort of object an expression holds, as far as the async rules care."""

    RUNNABLE = "runnable"
    PROMPT = "prompt template"
    """A Runnable that does no I/O (prompt templates, output parsers): never flagged."""
    CHAT_MODEL = "chat model"
    RETRIEVER = "retriever"
    VECTOR_STORE = "vector store"
    EMBEDDINGS = "embeddings"
    TOOL = "tool"
    TOOL_LIST = "list of tools"
    CHAIN = "legacy chain"
    GRAPH_BUILDER = "graph builder"
    COMPILED_GRAPH = "compiled graph"
    CHECKPOINTER = "checkpointer"
    STORE = "store"
    MCP_CLIENT = "MCP client"
    SYNC_CLIENT = "sync SDK client"
    ASYNC_CLIENT = "async SDK client"


class Mode(enum.Enum):
    """Which half of its API a checkpointer or store actually serves."""

    BOTH = "both"
    SYNC_ONLY = "sync only"
    """Every async method raises NotImplementedError (`SqliteSaver`, `PostgresSaver`)."""
    ASYNC_ONLY = "async only"
    """Sync methods on the loop's thread raise InvalidStateError or deadlock (`AsyncSqliteSaver`)."""


@dataclass(frozen=True)
class Twin:
    """The async replacement of a sync method."""

    name: str
    iterated: bool = False
    """An async iterator (`async for c in x.astream(...)`), not a coroutine (`await`)."""
    legacy: bool = False
    """The sync name was removed in langchain-core 1.0: the fix renames as well."""
    shape_differs: bool = False
    """The twin returns something else (`Chain.run` gave the output string, `ainvoke` a dict)."""
    result_attribute: str | None = None
    """The legacy call returned this attribute of the twin's result (`predict` -> `.content`)."""
    derived: bool = False
    """Found in the installed package's sources (`m` beside `async def a<m>`), not listed: the
    fix is unsafe (nothing vouches that the twin returns the same)."""


@dataclass(frozen=True)
class Factory:
    """What a constructor, factory function or decorator (by qualified name) produces."""

    kind: Kind
    mode: Mode = Mode.BOTH
    async_replacement: str | None = None
    """For sync SDK clients and savers: the class or function to use instead (`.aio`: the same
    client's async attribute, as `google.genai.Client().aio`)."""
    in_memory: bool = False
    """Does no I/O (`InMemorySaver`, `InMemoryStore`): its sync methods never block."""


OBJECT_CALL = "__call__"
"""How the tables name a call of the object itself (`llm(messages)`, `chain(inputs)`)."""

_RUNNABLE_METHODS = {
    "invoke": Twin("ainvoke"),
    "batch": Twin("abatch"),
    "stream": Twin("astream", iterated=True),
    "batch_as_completed": Twin("abatch_as_completed", iterated=True),
}
_GRAPH_METHODS = {
    **_RUNNABLE_METHODS,
    "get_state": Twin("aget_state"),
    "update_state": Twin("aupdate_state"),
    "bulk_update_state": Twin("abulk_update_state"),
    "get_state_history": Twin("aget_state_history", iterated=True),
    "get_subgraphs": Twin("aget_subgraphs", iterated=True),
    "clear_cache": Twin("aclear_cache"),
}
_VECTOR_STORE_METHODS = {
    name: Twin("a" + name)
    for name in (
        "add_texts",
        "add_documents",
        "delete",
        "get_by_ids",
        "search",
        "similarity_search",
        "similarity_search_with_score",
        "similarity_search_with_relevance_scores",
        "similarity_search_by_vector",
        "max_marginal_relevance_search",
        "max_marginal_relevance_search_by_vector",
    )
}

SYNC_METHODS: dict[Kind, dict[str, Twin]] = {
    Kind.RUNNABLE: _RUNNABLE_METHODS,
    Kind.CHAT_MODEL: {
        **_RUNNABLE_METHODS,
        "generate": Twin("agenerate"),
        "generate_prompt": Twin("agenerate_prompt"),
        "predict": Twin("ainvoke", legacy=True, result_attribute="content"),
        "call_as_llm": Twin("ainvoke", legacy=True, result_attribute="content"),
        "predict_messages": Twin("ainvoke", legacy=True),
        OBJECT_CALL: Twin("ainvoke", legacy=True),
    },
    Kind.RETRIEVER: {
        **_RUNNABLE_METHODS,
        "get_relevant_documents": Twin("ainvoke", legacy=True),
        "add_documents": Twin("aadd_documents"),
    },
    Kind.TOOL: {**_RUNNABLE_METHODS, "run": Twin("arun"), OBJECT_CALL: Twin("ainvoke", legacy=True)},
    Kind.CHAIN: {
        **_RUNNABLE_METHODS,
        "run": Twin("ainvoke", legacy=True, shape_differs=True),
        OBJECT_CALL: Twin("ainvoke", legacy=True),
        "predict": Twin("apredict"),
    },
    Kind.COMPILED_GRAPH: _GRAPH_METHODS,
    Kind.VECTOR_STORE: _VECTOR_STORE_METHODS,
    Kind.EMBEDDINGS: {"embed_query": Twin("aembed_query"), "embed_documents": Twin("aembed_documents")},
    Kind.CHECKPOINTER: {
        "get": Twin("aget"),
        "get_tuple": Twin("aget_tuple"),
        "list": Twin("alist", iterated=True),
        "put": Twin("aput"),
        "put_writes": Twin("aput_writes"),
        "delete_thread": Twin("adelete_thread"),
    },
    Kind.STORE: {
        name: Twin("a" + name) for name in ("get", "put", "search", "delete", "list_namespaces", "batch")
    },
}
"""Per kind: the sync methods that do I/O, and their async twins."""

TIER_A_SYNC_METHODS: dict[str, Twin] = {
    "get_state_history": Twin("aget_state_history", iterated=True),
    "bulk_update_state": Twin("abulk_update_state"),
    "batch_as_completed": Twin("abatch_as_completed", iterated=True),
    "get_relevant_documents": Twin("ainvoke", legacy=True),
    "embed_query": Twin("aembed_query"),
    "embed_documents": Twin("aembed_documents"),
    **{name: twin for name, twin in _VECTOR_STORE_METHODS.items() if name.startswith(("similarity_search", "max_marginal"))},
}
"""Sync names only LangChain uses (reference section 5.3, tier A): flagged without receiver proof."""

SYNC_DRIVERS = frozenset({"invoke", "stream", "batch", "batch_as_completed"})
"""The calls that run a graph's nodes (or a tool) synchronously."""

GRAPH_SYNC_CALLS = frozenset({*SYNC_DRIVERS, "get_state", "get_state_history", "update_state", "bulk_update_state"})
"""Sync graph calls that reach the checkpointer."""

GRAPH_ASYNC_CALLS = frozenset(
    {
        "ainvoke",
        "astream",
        "astream_events",
        "astream_log",
        "abatch",
        "abatch_as_completed",
        "aget_state",
        "aget_state_history",
        "aupdate_state",
        "abulk_update_state",
    }
)
"""Async graph calls that reach the checkpointer."""

TOOL_SYNC_CALLS = frozenset({"invoke", "run", "batch", "stream", OBJECT_CALL})
"""The calls that run a tool synchronously."""

GRAPH_KINDS = frozenset({Kind.COMPILED_GRAPH, Kind.RUNNABLE, Kind.CHAIN})
"""Kinds that can carry a graph's facts (a graph's `with_retry()` is a plain Runnable)."""

CALLABLE_KINDS = frozenset({Kind.CHAT_MODEL, Kind.CHAIN, Kind.TOOL})
"""Kinds whose deprecated `__call__` (`llm(messages)`, `chain(inputs)`) makes the sync call."""

SAVER_KINDS = frozenset({Kind.CHECKPOINTER, Kind.STORE})

DERIVED_TWIN_KINDS = frozenset(
    {Kind.RUNNABLE, Kind.CHAT_MODEL, Kind.RETRIEVER, Kind.VECTOR_STORE, Kind.EMBEDDINGS, Kind.TOOL, Kind.CHAIN, Kind.COMPILED_GRAPH, Kind.CHECKPOINTER, Kind.STORE}
)
"""Kinds whose methods beyond `SYNC_METHODS` may have a twin derived from the installed class
(`m` / `async def a<m>`); prompts and parsers do no I/O, clients and builders have none."""

SAVER_ASYNC_CALLS: dict[Kind, frozenset[str]] = {
    kind: frozenset(twin.name for twin in SYNC_METHODS[kind].values()) for kind in SAVER_KINDS
}
"""The async methods of a checkpointer or store (the twins of its sync ones)."""

RUNNABLE_BUILDERS = frozenset(
    {
        "pipe",
        "bind",
        "bind_tools",
        "with_structured_output",
        "with_config",
        "with_retry",
        "with_fallbacks",
        "with_listeners",
        "with_alisteners",
        "with_types",
        "assign",
        "pick",
        "map",
        "configurable_fields",
        "configurable_alternatives",
        "copy",
    }
)
"""Methods of a Runnable that return a Runnable running the same thing (reference 5.2)."""

SAME_OBJECT_METHODS = frozenset({"with_config", "copy"})
"""Builder methods that keep the receiver's own kind (a graph's `with_config` is a graph)."""

BUILDER_EFFECT_METHODS = frozenset({"add_node", "add_sequence"})
"""Graph builder methods called as statements that change what the builder will compile to
(`builder.add_node("enrich", enrich)` adds an `async def` node): the module model records
them per name."""

CLASS_FACTORIES = frozenset(
    {
        "from_template",
        "from_messages",
        "from_function",
        "from_documents",
        "from_texts",
        "from_conn_string",
        "from_llm",
        "from_chain_type",
        "from_agent_and_tools",
        "from_examples",
        "from_file",
    }
)
"""Classmethods that build an instance of their class (`ChatPromptTemplate.from_template`)."""

CLIENT_NON_IO_METHODS = frozenset({"with_options", "copy", "close", "create_run", "update_run"})
"""SDK client methods that do no network I/O on the calling thread (LangSmith's `create_run` /
`update_run` only queue the run for the background tracing thread)."""

CLIENT_ASYNC_ATTRIBUTES = frozenset({"aio"})
"""Sub-objects of a sync SDK client that are async (`google.genai.Client().aio`)."""

TOOL_DECORATORS = frozenset({"langchain_core.tools.tool", "langchain.tools.tool", "langchain.agents.tool", "langchain_core.tools.convert.tool"})
ENTRYPOINT_DECORATORS = frozenset({"langgraph.func.entrypoint"})
RUNNABLE_DECORATORS = frozenset({"langchain_core.runnables.chain"})
ASYNC_ONLY_TOOL_FACTORIES = frozenset({"langchain_mcp_adapters.tools.load_mcp_tools"})
"""Coroutines whose awaited result is a list of async-only tools."""
MCP_TOOL_METHODS = frozenset({"get_tools"})
"""`await MultiServerMCPClient(...).get_tools()`: async-only tools."""
TOOL_CLASSES = frozenset({"langchain_core.tools.StructuredTool", "langchain_core.tools.Tool", "langchain.tools.StructuredTool", "langchain.tools.Tool"})
"""Tools built from `func=`/`coroutine=`: async-only when only `coroutine` is given."""
TOOL_RUNNERS: dict[str, int | None] = {"create_react_agent": 1, "create_agent": 1, "ToolNode": 0, "AgentExecutor": None}
"""Agent/graph factories (by short name) that run the tools passed as `tools=` or at this position."""

_F = Factory
_C = Kind.CHAT_MODEL

FACTORIES: dict[str, Factory] = {
    # Runnables (reference 5.1 #1-14)
    **{f"langchain_core.runnables.{name}": _F(Kind.RUNNABLE) for name in (
        "RunnableLambda", "RunnableSequence", "RunnableParallel", "RunnableMap", "RunnablePassthrough",
        "RunnableBranch", "RunnableGenerator", "RunnableWithFallbacks", "RunnableBinding", "RunnableAssign",
        "RunnablePick", "RunnableSerializable", "Runnable",
    )},
    "langchain_core.runnables.history.RunnableWithMessageHistory": _F(Kind.RUNNABLE),
    "langchain_core.runnables.RunnableWithMessageHistory": _F(Kind.RUNNABLE),
    **{f"langchain_core.prompts.{name}": _F(Kind.PROMPT) for name in (
        "ChatPromptTemplate", "PromptTemplate", "FewShotPromptTemplate", "FewShotChatMessagePromptTemplate",
    )},
    **{f"langchain_core.output_parsers.{name}": _F(Kind.PROMPT) for name in (
        "StrOutputParser", "JsonOutputParser", "PydanticOutputParser", "CommaSeparatedListOutputParser",
        "XMLOutputParser", "SimpleJsonOutputParser",
    )},
    "langchain_core.tools.StructuredTool": _F(Kind.TOOL),
    "langchain.tools.StructuredTool": _F(Kind.TOOL),
    "langchain.tools.Tool": _F(Kind.TOOL),
    "langchain.tools.BaseTool": _F(Kind.TOOL),
    "langchain_core.tools.Tool": _F(Kind.TOOL),
    "langchain_core.tools.BaseTool": _F(Kind.TOOL),
    "langchain_core.tools.convert_runnable_to_tool": _F(Kind.TOOL),
    "langchain_core.language_models.fake_chat_models.FakeListChatModel": _F(_C),
    "langchain_core.language_models.fake_chat_models.GenericFakeChatModel": _F(_C),
    "langchain_core.language_models.FakeListChatModel": _F(_C),
    "langchain_core.language_models.BaseChatModel": _F(_C),
    "langchain_core.language_models.chat_models.BaseChatModel": _F(_C),
    "langchain_core.language_models.BaseLanguageModel": _F(_C),
    "langchain_core.language_models.BaseLLM": _F(_C),
    "langchain_core.language_models.LanguageModelLike": _F(_C),
    "langchain_core.retrievers.BaseRetriever": _F(Kind.RETRIEVER),
    "langchain_core.vectorstores.VectorStoreRetriever": _F(Kind.RETRIEVER),
    "langchain_core.vectorstores.VectorStore": _F(Kind.VECTOR_STORE),
    "langchain_core.vectorstores.InMemoryVectorStore": _F(Kind.VECTOR_STORE),
    "langchain_core.embeddings.Embeddings": _F(Kind.EMBEDDINGS),
    # Chat and LLM models (#15-26)
    "langchain.chat_models.init_chat_model": _F(_C),
    "langchain_openai.ChatOpenAI": _F(_C),
    "langchain_openai.AzureChatOpenAI": _F(_C),
    "langchain_openai.OpenAI": _F(_C),
    "langchain_anthropic.ChatAnthropic": _F(_C),
    "langchain_groq.ChatGroq": _F(_C),
    "langchain_google_genai.ChatGoogleGenerativeAI": _F(_C),
    "langchain_google_vertexai.ChatVertexAI": _F(_C),
    "langchain_ollama.ChatOllama": _F(_C),
    "langchain_ollama.OllamaLLM": _F(_C),
    "langchain_mistralai.ChatMistralAI": _F(_C),
    "langchain_aws.ChatBedrock": _F(_C),
    "langchain_aws.ChatBedrockConverse": _F(_C),
    "langchain_cohere.ChatCohere": _F(_C),
    "langchain_deepseek.ChatDeepSeek": _F(_C),
    "langchain_fireworks.ChatFireworks": _F(_C),
    "langchain_xai.ChatXAI": _F(_C),
    "langchain_together.ChatTogether": _F(_C),
    "langchain_huggingface.ChatHuggingFace": _F(_C),
    "langchain.chat_models.ChatOpenAI": _F(_C),
    "langchain.llms.OpenAI": _F(_C),
    "langchain_community.chat_models.ChatOpenAI": _F(_C),
    "langchain_community.chat_models.ChatOllama": _F(_C),
    "langchain_community.llms.Ollama": _F(_C),
    # Retrieval (#27-28)
    "langchain.embeddings.init_embeddings": _F(Kind.EMBEDDINGS),
    "langchain_openai.OpenAIEmbeddings": _F(Kind.EMBEDDINGS),
    "langchain_openai.AzureOpenAIEmbeddings": _F(Kind.EMBEDDINGS),
    "langchain_ollama.OllamaEmbeddings": _F(Kind.EMBEDDINGS),
    "langchain_google_genai.GoogleGenerativeAIEmbeddings": _F(Kind.EMBEDDINGS),
    "langchain_aws.BedrockEmbeddings": _F(Kind.EMBEDDINGS),
    "langchain_community.embeddings.HuggingFaceEmbeddings": _F(Kind.EMBEDDINGS),
    "langchain_huggingface.HuggingFaceEmbeddings": _F(Kind.EMBEDDINGS),
    "langchain_community.vectorstores.FAISS": _F(Kind.VECTOR_STORE),
    "langchain_community.vectorstores.Chroma": _F(Kind.VECTOR_STORE),
    "langchain_chroma.Chroma": _F(Kind.VECTOR_STORE),
    "langchain_postgres.PGVector": _F(Kind.VECTOR_STORE),
    "langchain_pinecone.PineconeVectorStore": _F(Kind.VECTOR_STORE),
    # LangGraph (#29-41)
    "langgraph.graph.StateGraph": _F(Kind.GRAPH_BUILDER),
    "langgraph.graph.state.StateGraph": _F(Kind.GRAPH_BUILDER),
    "langgraph.graph.message.MessageGraph": _F(Kind.GRAPH_BUILDER),
    "langgraph.graph.Graph": _F(Kind.GRAPH_BUILDER),
    "langgraph.graph.graph.Graph": _F(Kind.GRAPH_BUILDER),
    "langgraph.graph.MessageGraph": _F(Kind.GRAPH_BUILDER),
    "langgraph_supervisor.create_supervisor": _F(Kind.GRAPH_BUILDER),
    "langgraph_swarm.create_swarm": _F(Kind.GRAPH_BUILDER),
    "langgraph.graph.state.CompiledStateGraph": _F(Kind.COMPILED_GRAPH),
    "langgraph.graph.graph.CompiledGraph": _F(Kind.COMPILED_GRAPH),
    "langgraph.pregel.Pregel": _F(Kind.COMPILED_GRAPH),
    "langgraph.pregel.remote.RemoteGraph": _F(Kind.COMPILED_GRAPH),
    "langgraph.prebuilt.create_react_agent": _F(Kind.COMPILED_GRAPH),
    "langgraph.prebuilt.chat_agent_executor.create_react_agent": _F(Kind.COMPILED_GRAPH),
    "langchain.agents.create_agent": _F(Kind.COMPILED_GRAPH),
    "langgraph.prebuilt.ToolNode": _F(Kind.RUNNABLE),
    "langgraph.prebuilt.tool_node.ToolNode": _F(Kind.RUNNABLE),
    "langgraph.prebuilt.ValidationNode": _F(Kind.RUNNABLE),
    "langgraph.checkpoint.base.BaseCheckpointSaver": _F(Kind.CHECKPOINTER),
    "langgraph.checkpoint.memory.InMemorySaver": _F(Kind.CHECKPOINTER, in_memory=True),
    "langgraph.checkpoint.memory.MemorySaver": _F(Kind.CHECKPOINTER, in_memory=True),
    "langgraph.checkpoint.mongodb.MongoDBSaver": _F(Kind.CHECKPOINTER),
    "langgraph.checkpoint.sqlite.SqliteSaver": _F(Kind.CHECKPOINTER, Mode.SYNC_ONLY, "AsyncSqliteSaver"),
    "langgraph.checkpoint.postgres.PostgresSaver": _F(Kind.CHECKPOINTER, Mode.SYNC_ONLY, "AsyncPostgresSaver"),
    "langgraph.checkpoint.postgres.shallow.ShallowPostgresSaver": _F(Kind.CHECKPOINTER, Mode.SYNC_ONLY, "AsyncShallowPostgresSaver"),
    "langgraph.checkpoint.sqlite.aio.AsyncSqliteSaver": _F(Kind.CHECKPOINTER, Mode.ASYNC_ONLY),
    "langgraph.checkpoint.aiosqlite.AsyncSqliteSaver": _F(Kind.CHECKPOINTER, Mode.ASYNC_ONLY),
    "langgraph.checkpoint.postgres.aio.AsyncPostgresSaver": _F(Kind.CHECKPOINTER, Mode.ASYNC_ONLY),
    "langgraph.checkpoint.postgres.shallow.AsyncShallowPostgresSaver": _F(Kind.CHECKPOINTER, Mode.ASYNC_ONLY),
    "langgraph.store.base.BaseStore": _F(Kind.STORE),
    "langgraph.store.memory.InMemoryStore": _F(Kind.STORE, in_memory=True),
    "langgraph.store.postgres.PostgresStore": _F(Kind.STORE),
    "langgraph.store.sqlite.SqliteStore": _F(Kind.STORE, Mode.SYNC_ONLY, "AsyncSqliteStore"),
    "langgraph.store.postgres.AsyncPostgresStore": _F(Kind.STORE, Mode.ASYNC_ONLY),
    "langgraph.store.postgres.aio.AsyncPostgresStore": _F(Kind.STORE, Mode.ASYNC_ONLY),
    "langgraph.store.sqlite.aio.AsyncSqliteStore": _F(Kind.STORE, Mode.ASYNC_ONLY),
    "langgraph_sdk.get_sync_client": _F(Kind.SYNC_CLIENT, async_replacement="langgraph_sdk.get_client()"),
    "langchain_mcp_adapters.client.MultiServerMCPClient": _F(Kind.MCP_CLIENT),
    # Legacy chains and agents (#42-44)
    **{f"{package}.{name}": _F(Kind.CHAIN) for package in ("langchain.chains", "langchain_classic.chains") for name in (
        "LLMChain", "RetrievalQA", "ConversationalRetrievalChain", "ConversationChain",
    )},
    **{f"{package}.{name}": _F(Kind.RUNNABLE) for package in ("langchain.chains", "langchain_classic.chains") for name in (
        "create_retrieval_chain", "create_history_aware_retriever",
    )},
    "langchain.chains.combine_documents.create_stuff_documents_chain": _F(Kind.RUNNABLE),
    "langchain_classic.chains.combine_documents.create_stuff_documents_chain": _F(Kind.RUNNABLE),
    **{f"{package}.{name}": _F(Kind.CHAIN) for package in ("langchain.agents", "langchain_classic.agents") for name in (
        "AgentExecutor", "initialize_agent",
    )},
    **{f"{package}.{name}": _F(Kind.RUNNABLE) for package in ("langchain.agents", "langchain_classic.agents") for name in (
        "create_tool_calling_agent", "create_openai_functions_agent",
    )},
    # Sync LLM SDK clients (reference section 4) and their async counterparts
    "openai.OpenAI": _F(Kind.SYNC_CLIENT, async_replacement="openai.AsyncOpenAI"),
    "openai.Client": _F(Kind.SYNC_CLIENT, async_replacement="openai.AsyncOpenAI"),
    "openai.AzureOpenAI": _F(Kind.SYNC_CLIENT, async_replacement="openai.AsyncAzureOpenAI"),
    "anthropic.Anthropic": _F(Kind.SYNC_CLIENT, async_replacement="anthropic.AsyncAnthropic"),
    "anthropic.Client": _F(Kind.SYNC_CLIENT, async_replacement="anthropic.AsyncAnthropic"),
    **{f"anthropic.Anthropic{cloud}": _F(Kind.SYNC_CLIENT, async_replacement=f"anthropic.AsyncAnthropic{cloud}") for cloud in (
        "Bedrock", "Vertex", "Foundry", "AWS", "GoogleCloud",
    )},
    "groq.Groq": _F(Kind.SYNC_CLIENT, async_replacement="groq.AsyncGroq"),
    "groq.Client": _F(Kind.SYNC_CLIENT, async_replacement="groq.AsyncGroq"),
    "langsmith.Client": _F(Kind.SYNC_CLIENT, async_replacement="langsmith.AsyncClient"),
    "ollama.Client": _F(Kind.SYNC_CLIENT, async_replacement="ollama.AsyncClient"),
    "cohere.Client": _F(Kind.SYNC_CLIENT, async_replacement="cohere.AsyncClient"),
    "cohere.ClientV2": _F(Kind.SYNC_CLIENT, async_replacement="cohere.AsyncClientV2"),
    "huggingface_hub.InferenceClient": _F(Kind.SYNC_CLIENT, async_replacement="huggingface_hub.AsyncInferenceClient"),
    "google.genai.Client": _F(Kind.SYNC_CLIENT, async_replacement=".aio"),
    **{name: _F(Kind.ASYNC_CLIENT) for name in (
        "openai.AsyncOpenAI", "openai.AsyncClient", "openai.AsyncAzureOpenAI", "anthropic.AsyncAnthropic",
        "anthropic.AsyncClient", "groq.AsyncGroq", "groq.AsyncClient", "langsmith.AsyncClient", "ollama.AsyncClient",
        "cohere.AsyncClient", "cohere.AsyncClientV2", "huggingface_hub.AsyncInferenceClient", "langgraph_sdk.get_client",
    )},
}
"""Qualified constructor, factory or type name -> what it makes (reference 5.1). Type names
double as annotations: `llm: BaseChatModel` proves the receiver as well as `ChatOpenAI()` does."""

SYNC_CLIENT_FUNCTIONS: dict[str, str] = {
    "litellm.completion": "litellm.acompletion",
    "litellm.embedding": "litellm.aembedding",
    "litellm.image_generation": "litellm.aimage_generation",
    "litellm.transcription": "litellm.atranscription",
    "litellm.speech": "litellm.aspeech",
    "ollama.chat": "ollama.AsyncClient().chat",
    "ollama.generate": "ollama.AsyncClient().generate",
    "ollama.embed": "ollama.AsyncClient().embed",
}
"""Module-level sync SDK functions that do network I/O -> the awaitable replacement."""

_BY_SHORT_NAME: dict[tuple[str, str], Factory] = {}
for _qualified, _factory in FACTORIES.items():
    _BY_SHORT_NAME.setdefault((_qualified.split(".", 1)[0], _qualified.rsplit(".", 1)[-1]), _factory)


# --- families: classes known by where they live and how they are named ---


@dataclass(frozen=True)
class Family:
    """Classes LangChain names by convention: every class defined or exported under one of
    `modules` whose name matches one of `names` (and none of `not_names`) is a `kind`. For
    packages the tables do not list class by class, where they are not installed (a
    pre-commit hook's environment): `DuckDuckGoSearchRun` is a tool because
    `langchain_community.tools` exports it, `ChatZhipuAI` a chat model by its name in a
    provider package."""

    kind: Kind
    modules: tuple[str, ...]
    """`fnmatch` patterns of a module or package the class's module is, or is under."""
    names: tuple[str, ...]
    """`fnmatch` patterns (case-sensitive) of the class name."""
    not_names: tuple[str, ...] = ()
    not_modules: tuple[str, ...] = ()


LANGCHAIN_PACKAGES = ("langchain", "langchain_*")
"""Every LangChain distribution's top-level package (`langchain_core`, `langchain_openai`...)."""
NOT_PROVIDER_PACKAGES = (
    "langchain",
    "langchain_core",
    "langchain_community",
    "langchain_classic",
    "langchain_text_splitters",
    "langchain_experimental",
    "langchain_tests",
    "langchain_cli",
)
"""LangChain packages that are not one provider's integration (their `Chat*` classes are
prompts, messages, histories...)."""

NOT_OBJECTS = (
    "*Error", "*Exception", "*Warning", "*Input", "*Schema", "*Args", "*Params", "*Config",
    "*Settings", "*Wrapper", "*Toolkit", "*Handler", "*Callback", "*Type", "*Enum", "*Mixin",
)  # fmt: skip
"""Class names that are never one of the objects (errors, input schemas, settings, API
wrappers, toolkits, callbacks), whatever family's module they sit in."""

FAMILIES: tuple[Family, ...] = (
    # Names LangChain keeps for one kind across every package.
    Family(Kind.RETRIEVER, LANGCHAIN_PACKAGES, ("*Retriever",)),
    Family(Kind.EMBEDDINGS, LANGCHAIN_PACKAGES, ("*Embeddings",)),
    Family(Kind.VECTOR_STORE, LANGCHAIN_PACKAGES, ("*VectorStore", "*VectorSearch")),
    Family(Kind.TOOL, LANGCHAIN_PACKAGES, ("*Tool",)),
    # What `langchain_community`'s (and the legacy `langchain`'s) family packages export.
    Family(Kind.TOOL, ("langchain_community.tools",), ("[A-Z]*",), ("APIOperation", "OpenAPISpec", "Detector", "*Spec")),
    Family(Kind.RETRIEVER, ("langchain_community.retrievers", "langchain.retrievers", "langchain_classic.retrievers"), ("[A-Z]*Retriever",)),
    Family(Kind.CHAT_MODEL, ("langchain_community.chat_models", "langchain_community.llms", "langchain.chat_models", "langchain.llms"), ("[A-Z]*",)),
    Family(Kind.EMBEDDINGS, ("langchain_community.embeddings", "langchain.embeddings"), ("[A-Z]*Embedding*", "[A-Z]*Embed")),
    Family(
        Kind.VECTOR_STORE,
        ("langchain_community.vectorstores", "langchain.vectorstores"),
        ("[A-Z]*",),
        ("*Strategy", "*Filter", "*Field", "*Fields", "*Tag", "*Text", "*Num", "*Expression", "*Metadata", "*Client"),
    ),
    # A provider package's chat models and LLMs (`langchain_openai.ChatOpenAI`, `langchain_ollama.OllamaLLM`).
    Family(
        Kind.CHAT_MODEL,
        ("langchain_*",),
        ("Chat[A-Z]*", "*LLM"),
        ("ChatPrompt*", "ChatMessage*", "ChatGeneration*", "ChatResult*", "ChatSession*", "*History", "*Loader", "*Adapter", "*Chunk"),
        NOT_PROVIDER_PACKAGES,
    ),
    # LangGraph's savers and stores, in any of its checkpoint and store packages.
    Family(Kind.CHECKPOINTER, ("langgraph.checkpoint",), ("*Saver",)),
    Family(Kind.STORE, ("langgraph.store",), ("*Store",)),
)
"""First match wins: a retriever in `langchain_community.vectorstores` (`RedisVectorStoreRetriever`)
is a retriever. A class the tables list is what they say; an installed package's own sources
overrule a family (see `analysis/framework_objects.py`)."""

CLASS_FACTORY_PATTERNS: dict[Kind, tuple[str, ...]] = {Kind.VECTOR_STORE: ("from_*", "load_local")}
"""Classmethods of a kind of class that build an instance of it besides `CLASS_FACTORIES`
(`FAISS.load_local(...)`, `PGVector.from_existing_index(...)`)."""
NOT_CLASS_FACTORIES = frozenset({"from_texts_return_keys"})
"""Look-alikes that return something else (a tuple of the store and the ids)."""


def listed_factory(qualified: str) -> Factory | None:
    """The factory a table lists for `qualified`, also through the package's other export
    paths (`langchain_openai.chat_models.ChatOpenAI` is `langchain_openai.ChatOpenAI`)."""
    found = FACTORIES.get(qualified)
    if found is not None:
        return found
    parts = qualified.split(".")
    if len(parts) < 2:
        return None
    return _BY_SHORT_NAME.get((parts[0], parts[-1]))


def family_factory(qualified: str) -> Factory | None:
    """What `qualified` is by the family rules (`FAMILIES`), for a class no table lists."""
    module, _, name = qualified.rpartition(".")
    if not module:
        return None
    parts = module.split(".")
    prefixes = [".".join(parts[: length + 1]) for length in range(len(parts))]
    for family in FAMILIES:
        if not any(fnmatchcase(name, pattern) for pattern in family.names):
            continue
        if any(fnmatchcase(name, pattern) for pattern in (*family.not_names, *NOT_OBJECTS)):
            continue
        if not any(fnmatchcase(prefix, pattern) for prefix in prefixes for pattern in family.modules):
            continue
        if any(fnmatchcase(prefix, pattern) for prefix in prefixes for pattern in family.not_modules):
            continue
        return Factory(family.kind)
    return None


def factory_for(qualified: str) -> Factory | None:
    """The known factory `qualified` names: listed in the tables, else by its family."""
    return listed_factory(qualified) or family_factory(qualified)


def class_factory(kind: Kind, method: str) -> bool:
    """Whether `Class.method(...)` builds an instance of `Class`, a `kind`."""
    if method in CLASS_FACTORIES:
        return True
    return method not in NOT_CLASS_FACTORIES and any(fnmatchcase(method, pattern) for pattern in CLASS_FACTORY_PATTERNS.get(kind, ()))


def short_name(qualified: str) -> str:
    return qualified.rsplit(".", 1)[-1]


# --- what the wrong half raises at run time (quoted in messages) ---

NO_SYNC_NODE_ERROR = 'TypeError: No synchronous function provided to "{node}".'
"""`invoke` on a graph with an `async def` node (named in `{node}`)."""

SYNC_TOOL_ERROR = "NotImplementedError: StructuredTool does not support sync invocation."
"""`invoke`/`run` on a tool that has only a coroutine."""

SYNC_ONLY_SAVER_ERRORS: dict[str, str] = {
    "SqliteSaver": (
        "NotImplementedError: The SqliteSaver does not support async methods. "
        "Consider using AsyncSqliteSaver instead."
    ),
    "SqliteStore": "NotImplementedError: The SqliteStore does not support async methods.",
}
"""The async methods of a sync-only saver or store, by its class name; the others (`PostgresSaver`)
raise a bare `NotImplementedError`."""

_INVALID_STATE_ERRORS = {
    Kind.CHECKPOINTER: "asyncio.InvalidStateError: Synchronous calls to {saver} are only allowed from a different thread",
    Kind.STORE: "asyncio.InvalidStateError: Synchronous calls to {saver} detected in the main event loop",
}

ASYNC_ONLY_SAVER_ERRORS: dict[str, str] = {
    short_name(qualified): _INVALID_STATE_ERRORS[factory.kind].format(saver=short_name(qualified))
    for qualified, factory in FACTORIES.items()
    if factory.mode is Mode.ASYNC_ONLY
}
"""The sync methods of an async-only saver or store called on the event loop's thread, by its
class name."""


ENVIRONMENT_ROOTS = frozenset({"langchain-core", "langgraph", "langgraph-checkpoint"})
"""Distributions whose classes the knowledge names as bases (`Runnable`, `BaseTool`,
`BaseChatModel`, `BaseCheckpointSaver`...): an installed package is read for a class's bases
only when it is one of these or requires one (see `analysis/environment.py`)."""
