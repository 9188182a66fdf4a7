"""LangChain classes known by family where no table lists them and their package is not
installed (a pre-commit hook's environment): what `langchain_community.tools` exports is a tool,
a provider package's `Chat*` class a chat model, `*Embeddings` embeddings, a vector store's
`load_local`/`from_*` classmethods the store itself (`knowledge.langchain.FAMILIES`). A family
never makes a project class, or a class of a non-LangChain package, a LangChain object; an
installed package's own sources overrule it."""

from __future__ import annotations

import site
import textwrap
from pathlib import Path

import pytest

from async_lint.analysis import distributions
from async_lint.analysis.project import project_layout
from async_lint.config import RuleOptions
from async_lint.engine.checker import check_text
from async_lint.rules import build_rule_set
from async_lint.engine.project_index import ProjectIndex
from async_lint.knowledge.langchain import Kind, family_factory
from tests.helpers import check

ASL400 = frozenset({"ASL400"})


@pytest.mark.parametrize(
    ("qualified", "kind"),
    [
        ("langchain_community.tools.DuckDuckGoSearchRun", Kind.TOOL),
        ("langchain_community.tools.tavily_search.TavilySearchResults", Kind.TOOL),
        ("langchain_community.tools.wikipedia.tool.WikipediaQueryRun", Kind.TOOL),
        ("langchain_tavily.TavilySearch", None),  # no family says: unknown, silent
        ("langchain_experimental.tools.PythonREPLTool", Kind.TOOL),
        ("langchain_community.retrievers.BM25Retriever", Kind.RETRIEVER),
        ("langchain.retrievers.EnsembleRetriever", Kind.RETRIEVER),
        ("langchain_community.vectorstores.redis.RedisVectorStoreRetriever", Kind.RETRIEVER),
        ("langchain_aws.retrievers.AmazonKnowledgeBasesRetriever", Kind.RETRIEVER),
        ("langchain_community.chat_models.ChatZhipuAI", Kind.CHAT_MODEL),
        ("langchain_community.chat_models.MiniMaxChat", Kind.CHAT_MODEL),
        ("langchain_community.llms.LlamaCpp", Kind.CHAT_MODEL),
        ("langchain_xyz.ChatXyz", Kind.CHAT_MODEL),
        ("langchain_ibm.WatsonxLLM", Kind.CHAT_MODEL),
        ("langchain_community.embeddings.DashScopeEmbeddings", Kind.EMBEDDINGS),
        ("langchain_community.embeddings.TitanTakeoffEmbed", Kind.EMBEDDINGS),
        ("langchain_voyageai.VoyageAIEmbeddings", Kind.EMBEDDINGS),
        ("langchain_community.vectorstores.Qdrant", Kind.VECTOR_STORE),
        ("langchain_community.vectorstores.faiss.FAISS", Kind.VECTOR_STORE),
        ("langchain_qdrant.QdrantVectorStore", Kind.VECTOR_STORE),
        ("langchain_mongodb.MongoDBAtlasVectorSearch", Kind.VECTOR_STORE),
        ("langgraph.checkpoint.redis.RedisSaver", Kind.CHECKPOINTER),
        ("langgraph.store.redis.AsyncRedisStore", Kind.STORE),
    ],
)
def test_a_family_names_the_kind(qualified: str, kind: Kind | None) -> None:
    found = family_factory(qualified)
    assert (found.kind if found is not None else None) is kind


@pytest.mark.parametrize(
    "qualified",
    [
        "myapp.services.ChatService",  # not a LangChain package
        "chatlib.ChatModel",
        "langchain_core.prompts.ChatPromptTemplate",  # not a provider package
        "langchain_core.messages.ChatMessage",
        "langchain_community.chat_message_histories.ChatMessageHistory",
        "langchain_community.document_loaders.ChatGPTLoader",
        "langchain_google_genai.ChatGoogleGenerativeAIError",
        "langchain_aws.chat_models.bedrock.ChatPromptAdapter",
        "langchain_openai.ChatOpenAIChunk",
        "langchain_community.tools.ddg_search.tool.DDGInput",
        "langchain_community.tools.reddit_search.tool.RedditSearchSchema",
        "langchain_community.tools.APIOperation",
        "langchain_community.tools.format_tool_to_openai_function",
        "langchain_community.utilities.DuckDuckGoSearchAPIWrapper",
        "langchain_community.agent_toolkits.SQLDatabaseToolkit",
        "langchain_community.vectorstores.DistanceStrategy",
        "langchain_community.vectorstores.ClickhouseSettings",
        "langchain_community.vectorstores.redis.RedisFilter",
        "langchain_community.vectorstores.redis.RedisText",
        "langchain_community.llms.sagemaker_endpoint.LLMContentHandler",
        "langchain_text_splitters.RecursiveCharacterTextSplitter",
        "langgraph.checkpoint.serde.jsonplus.JsonPlusSerializer",
        "openai.Embeddings",
    ],
)
def test_look_alikes_are_no_family_members(qualified: str) -> None:
    assert family_factory(qualified) is None


OFFLINE_APP = """\
from langchain_community.tools import DuckDuckGoSearchRun
from langchain_community.vectorstores import FAISS
from langchain_community.embeddings import HuggingFaceBgeEmbeddings
from langchain_deepinfra import ChatDeepInfra
from langchain_core.prompts import ChatPromptTemplate

search = DuckDuckGoSearchRun()
store = FAISS.load_local("index", HuggingFaceBgeEmbeddings(), allow_dangerous_deserialization=True)
retriever = store.as_retriever(search_kwargs={"k": 3})
llm = ChatDeepInfra(model="m")
prompt = ChatPromptTemplate.from_template("{q}")


async def answer(q):
    search.invoke(q)
    docs = retriever.invoke(q)
    more = store.similarity_search(q)
    reply = llm.invoke(q)
    shown = prompt.invoke({"q": q})
    return docs, more, reply, shown
"""


def test_families_work_without_the_packages_installed() -> None:
    found = {d.start.row: d.message for d in check(OFFLINE_APP, ASL400)}
    assert sorted(found) == [15, 16, 17, 18], "the prompt template does no I/O"
    assert "(tool: `DuckDuckGoSearchRun(...)`)" in found[15]
    assert "(retriever: `FAISS.load_local(...).as_retriever()`)" in found[16]
    assert "(vector store: `FAISS.load_local(...)`)" in found[17]
    assert "(chat model: `ChatDeepInfra(...)`)" in found[18]


def test_a_project_class_named_like_a_family_is_not_one(tmp_path: Path) -> None:
    (tmp_path / "services.py").write_text("class ChatService:\n    def invoke(self, q):\n        return q\n")
    app = tmp_path / "app.py"
    app.write_text("from services import ChatService\n\nsvc = ChatService()\n\n\nasync def f(q):\n    return svc.invoke(q)\n")
    index = ProjectIndex(project_layout(tmp_path, (), [tmp_path]))
    assert check_text(app.read_text(), str(app), build_rule_set(ASL400, RuleOptions()), project=index, path=app) == []


# --- an installed package's own sources overrule its family ---

NOT_A_TOOL = {
    "langchain_community/__init__.py": "",
    "langchain_community/tools/__init__.py": "from langchain_community.tools.things import ToolLikeThing, RealTool\n",
    "langchain_community/tools/things.py": """
        from langchain_core.tools import BaseTool


        class ToolLikeThing:
            def invoke(self, q):
                return q


        class RealTool(BaseTool):
            name: str = "real"
    """,
    "langchain_community-9.9.dist-info/METADATA": "Metadata-Version: 2.1\nName: langchain-community\nVersion: 9.9\nRequires-Dist: langchain-core>=1.0\n",
    "langchain_community-9.9.dist-info/top_level.txt": "langchain_community\n",
    "langchain_community-9.9.dist-info/RECORD": "",
}

USES_BOTH = """\
from langchain_community.tools import RealTool, ToolLikeThing

thing = ToolLikeThing()
tool = RealTool()


async def f(q):
    thing.invoke(q)
    tool.invoke(q)
"""


@pytest.fixture
def community(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "site-packages"
    for name, text in NOT_A_TOOL.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(directory))
    distributions._distributions.cache_clear()
    distributions._requirements.cache_clear()
    yield directory
    distributions._distributions.cache_clear()
    distributions._requirements.cache_clear()


def test_installed_sources_overrule_the_family(tmp_path: Path, community: Path) -> None:
    app = tmp_path / "project" / "app.py"
    app.parent.mkdir()
    app.write_text(USES_BOTH)
    rules = build_rule_set(ASL400, RuleOptions())
    offline = ProjectIndex(project_layout(app.parent, (), [app.parent]))
    installed = ProjectIndex(project_layout(app.parent, (), [app.parent]), environment=[community, *map(Path, site.getsitepackages())])
    rows = [{d.start.row for d in check_text(USES_BOTH, str(app), rules, project=index, path=app)} for index in (offline, installed)]
    assert rows[0] == {8, 9}, "offline, the family is all there is to go by"
    assert rows[1] == {9}, "installed, the sources show ToolLikeThing is no tool"
