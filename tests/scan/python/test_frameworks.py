"""LangChain and LlamaIndex bindings: the object is the path."""

from tests.scan.conftest import only, targets


def test_langchain_bindings_across_packages(scan_files):
    result = scan_files({"app/chains.py": """
        from langchain_openai import ChatOpenAI, OpenAIEmbeddings
        from langchain_anthropic import ChatAnthropic
        from langchain_aws import ChatBedrockConverse
        from langchain.chat_models import init_chat_model
        from langchain_community.chat_models import ChatOllama
        chat = ChatOpenAI(model="gpt-4o-mini", temperature=0)
        summariser = ChatAnthropic(model_name="claude-3-5-haiku-20241022")
        embedder = OpenAIEmbeddings(model="text-embedding-3-large")
        bedrock = ChatBedrockConverse(model="anthropic.claude-3-haiku-20240307-v1:0", region_name="us-east-1")
        generic = init_chat_model("mistral-large-latest", model_provider="mistral")
        local = ChatOllama(model="llama3.1:8b")
        deepseek = ChatOpenAI(model="deepseek-chat", base_url="https://api.deepseek.com/v1")
    """})
    assert [(p.operation, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        ("ChatOpenAI", "chat", [("openai", "gpt-4o-mini")]),
        ("ChatAnthropic", "chat", [("anthropic", "claude-3-5-haiku-20241022")]),
        ("OpenAIEmbeddings", "embedding", [("openai", "text-embedding-3-large")]),
        ("ChatBedrockConverse", "chat", [("aws-bedrock", "anthropic.claude-3-haiku-20240307-v1:0")]),
        ("init_chat_model", "chat", [("mistral", "mistral-large-latest")]),
        ("ChatOllama", "chat", [("ollama", "llama3.1:8b")]),
        ("ChatOpenAI", "chat", [("deepseek", "deepseek-chat")]),
    ]
    assert all(p.kind == "binding" for p in result.paths)


def test_llamaindex_integration_decides_the_provider(scan_files):
    result = scan_files({"app/rag.py": """
        from llama_index.llms.openai import OpenAI
        from llama_index.llms.anthropic import Anthropic
        from llama_index.llms.openai_like import OpenAILike
        from llama_index.embeddings.openai import OpenAIEmbedding
        from llama_index.core import Settings
        Settings.llm = OpenAI(model="gpt-4o")
        claude = Anthropic(model="claude-3-opus-20240229")
        local = OpenAILike(model="Qwen/Qwen2.5-7B-Instruct", api_base="http://localhost:8000/v1")
        Settings.embed_model = OpenAIEmbedding(model="text-embedding-3-small")
    """})
    assert [(p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        ("chat", [("openai", "gpt-4o")]),
        ("chat", [("anthropic", "claude-3-opus-20240229")]),
        ("chat", [("vllm", "Qwen/Qwen2.5-7B-Instruct")]),
        ("embedding", [("openai", "text-embedding-3-small")]),
    ]


def test_a_class_named_openai_from_elsewhere_is_not_a_binding(scan_files):
    result = scan_files({"app/misc.py": """
        from langchain_core.prompts import ChatPromptTemplate
        from mylib.vendors import ChatOpenAI
        prompt = ChatPromptTemplate.from_messages([("system", "hi")])
        x = ChatOpenAI(model="gpt-4o")
    """})
    assert result.paths == []


def test_a_model_class_looked_up_in_a_mapping_is_one_path_to_each_provider(scan_files):
    """``CLASSES[kind](model=...)``: one path, reaching each model class's provider; a mapping of other classes
    called the same way is no path."""
    result = scan_files({"app/llm.py": """
        from collections import OrderedDict
        from langchain_groq import ChatGroq
        from langchain_mistralai import ChatMistralAI

        CLASSES = {"groq": ChatGroq, "mistral": ChatMistralAI}
        CONTAINERS = {"ordered": OrderedDict, "plain": dict}


        def build(kind, model="mistral-small-latest"):
            store = CONTAINERS[kind]()
            cls = CLASSES[kind]
            return cls(model=model, temperature=0)
    """})
    path = only(result)
    assert (path.line, path.operation) == (12, "ChatGroq | ChatMistralAI")
    assert targets(path) == {("groq", "mistral-small-latest"), ("mistral", "mistral-small-latest")}


def test_a_provider_colon_model_id_names_its_provider_where_the_library_routes_by_it(scan_files):
    result = scan_files({
        "app/agent.py": """
            from langchain.chat_models import init_chat_model
            from langchain_ollama import ChatOllama
            fast = init_chat_model("anthropic:claude-haiku-4-5-20251001")
            smart = init_chat_model(model="google_genai:gemini-2.5-pro")
            local = ChatOllama(model="mistral:7b")
        """,
        "web/agent.ts": """
            import { initChatModel } from "langchain/chat_models/universal";
            export const ask = async () => (await initChatModel("openai:gpt-4o")).invoke("hi");
        """})
    assert [(p.file, sorted(targets(p))) for p in result.paths] == [
        ("app/agent.py", [("anthropic", "anthropic:claude-haiku-4-5-20251001")]),
        ("app/agent.py", [("google", "google_genai:gemini-2.5-pro")]),
        ("app/agent.py", [("ollama", "mistral:7b")]),
        ("web/agent.ts", [("openai", "openai:gpt-4o")])]
