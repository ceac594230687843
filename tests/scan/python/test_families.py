"""Families named by convention (langchain_<provider>, llama_index.llms.<provider>) and the Chinese providers'
own SDKs (dashscope, zhipuai/zai, qianfan, volcengine Ark)."""

from tests.scan.conftest import only, targets


def test_langchain_partner_packages_name_their_provider(scan_files):
    result = scan_files({"app/chains.py": """
        from langchain_openai import AzureChatOpenAI, ChatOpenAI, OpenAIEmbeddings
        from langchain_google_genai import ChatGoogleGenerativeAI
        from langchain_upstage import ChatUpstage
        from langchain_nomic import NomicEmbeddings
        from langchain_zetaflow import ChatZetaflow
        from langchain_gigachat.chat_models import GigaChat
        ChatOpenAI(model="gpt-4o-mini")
        OpenAIEmbeddings(model="text-embedding-3-small")
        AzureChatOpenAI(azure_deployment="prod-gpt")
        ChatGoogleGenerativeAI(model="gemini-2.0-flash")
        ChatUpstage(model="solar-pro")
        NomicEmbeddings(model="nomic-embed-text-v1.5")
        ChatZetaflow(model="gpt-4o")
        GigaChat(model="GigaChat-2-Max")
    """})
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (7, "chat", [("openai", "gpt-4o-mini")]),
        (8, "embedding", [("openai", "text-embedding-3-small")]),
        (9, "chat", [("azure-openai", "prod-gpt")]),
        (10, "chat", [("google", "gemini-2.0-flash")]),
        (11, "chat", [("upstage", "solar-pro")]),
        (12, "embedding", [("nomic", "nomic-embed-text-v1.5")]),
        (13, "chat", [(None, "gpt-4o")]),
        (14, "chat", [("gigachat", "GigaChat-2-Max")]),
    ]
    assert "names the provider 'zetaflow' (by its package); not in the catalog" in result.paths[-2].targets[0].unresolved


def test_langchain_packages_that_are_no_model_api_are_not_paths(scan_files):
    result = scan_files({"app/rag.py": """
        from langchain_core.messages import ChatMessage
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter
        from langchain_mongodb.chat_message_histories import MongoDBChatMessageHistory
        MongoDBChatMessageHistory(session_id="s")  # Chat inside a name is no chat model
        ChatMessage(role="user", content="hi")
        Chroma(collection_name="docs")
        RecursiveCharacterTextSplitter(chunk_size=500)
    """})
    assert result.paths == []


def test_llama_index_integrations_name_their_provider(scan_files):
    result = scan_files({"app/index.py": """
        from llama_index.llms.openai import OpenAI
        from llama_index.embeddings.dashscope import DashScopeEmbedding
        from llama_index.llms.acme_cloud import AcmeCloud
        from llama_index.core.llms import ChatMessage
        OpenAI(model="gpt-4o")
        DashScopeEmbedding(model_name="text-embedding-v2")
        AcmeCloud(model="acme-1")
        ChatMessage(role="user", content="hi")
    """})
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (5, "chat", [("openai", "gpt-4o")]),
        (6, "embedding", [("dashscope", "text-embedding-v2")]),
        (7, "chat", [(None, "acme-1")]),
    ]
    assert "'acme_cloud' (by its package); not in the catalog" in result.paths[-1].targets[0].unresolved


def test_llama_index_before_0_10_exports_its_integrations_from_one_package(scan_files):
    """``from llama_index.llms import OpenAI`` (one package for everything, before 0.10) and the multi-modal
    integrations are paths; the framework's own types beside them (ChatResponse, ChatMessage) are not."""
    result = scan_files({"app/rag.py": """
        from llama_index.llms import Anthropic, ChatMessage, OpenAI
        from llama_index.llms.base import ChatResponse
        from llama_index.embeddings import OpenAIEmbedding
        from llama_index.multi_modal_llms.openai import OpenAIMultiModal
        OpenAI(model="gpt-4-1106-preview")
        Anthropic(model="claude-2.1")
        OpenAIEmbedding(model="text-embedding-ada-002")
        OpenAIMultiModal(model="gpt-4-vision-preview")
        ChatMessage(role="assistant", content="hi")
        ChatResponse(message=ChatMessage(role="assistant", content="hi"))
    """})
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (5, "chat", [("openai", "gpt-4-1106-preview")]),
        (6, "chat", [("anthropic", "claude-2.1")]),
        (7, "embedding", [("openai", "text-embedding-ada-002")]),
        (8, "chat", [("openai", "gpt-4-vision-preview")]),
    ]


def test_dashscope_calls_are_paths(scan_files):
    result = scan_files({"app/qwen.py": """
        import dashscope
        from dashscope import MultiModalConversation, TextEmbedding
        from dashscope.aigc.generation import Generation
        dashscope.Generation.call(model="qwen-plus", messages=[])
        MultiModalConversation.call(model="qwen-vl-max", messages=[])
        TextEmbedding.call(model="text-embedding-v3", input="hi")
        Generation.call(model="qwen-turbo", prompt="hi")
    """})
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (4, "chat", [("dashscope", "qwen-plus")]),
        (5, "chat", [("dashscope", "qwen-vl-max")]),
        (6, "embedding", [("dashscope", "text-embedding-v3")]),
        (7, "chat", [("dashscope", "qwen-turbo")]),
    ]


def test_a_products_own_generation_class_is_not_dashscope(scan_files):
    result = scan_files({"app/own.py": """
        class Generation:
            @staticmethod
            def call(model, messages):
                return model
        Generation.call(model="qwen-plus", messages=[])
    """})
    assert result.paths == []


def test_zhipu_qianfan_and_ark_clients(scan_files):
    result = scan_files({"app/cn.py": """
        import qianfan
        from zhipuai import ZhipuAI
        from zai import ZhipuAiClient
        from volcenginesdkarkruntime import Ark
        ZhipuAI(api_key="k").chat.completions.create(model="glm-4-flash", messages=[])
        ZhipuAiClient(api_key="k").embeddings.create(model="embedding-3", input="hi")
        qianfan.ChatCompletion().do(model="ERNIE-4.0-8K", messages=[])
        qianfan.Embedding().do(model="Embedding-V1", texts=["hi"])
        Ark(api_key="k").chat.completions.create(model="doubao-1-5-pro-32k-250115", messages=[])
    """})
    assert [(p.line, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (5, "chat", [("zhipu", "glm-4-flash")]),
        (6, "embedding", [("zhipu", "embedding-3")]),
        (7, "chat", [("baidu", "ERNIE-4.0-8K")]),
        (8, "embedding", [("baidu", "Embedding-V1")]),
        (9, "chat", [("volcengine", "doubao-1-5-pro-32k-250115")]),
    ]


def test_a_zhipu_client_on_another_host_follows_its_base_url(scan_files):
    path = only(scan_files({"app/glm.py": """
        from zai import ZaiClient
        ZaiClient(base_url="http://localhost:8000/v1").chat.completions.create(model="glm-4.6", messages=[])
    """}))
    assert targets(path) == {("vllm", "glm-4.6")}


def test_iflytek_spark_sdk_sends_where_its_chat_model_is_asked(scan_files):
    result = scan_files({"app/spark.py": """
        from sparkai.llm.llm import ChatSparkLLM
        from sparkai.embedding.spark_embedding import SparkAIEmbeddingFunction

        class Spark:
            def __init__(self, config):
                self.client = ChatSparkLLM(spark_api_url=config.url, spark_llm_domain=config.domain)
                self.embed = SparkAIEmbeddingFunction(spark_embedding_app_id=config.app)

            async def ask(self, messages, stream):
                if stream:
                    return self.client.astream(messages)
                return await self.client.agenerate([messages])

            def size(self, messages):
                return self.client.get_num_tokens(messages)  # counted locally: asks nothing
    """})
    # the chat model is asked at astream/agenerate (its constructor sends nothing); the embedding function is
    # handed to a vector store, so it counts where it is made
    assert [(p.line, p.operation, p.providers) for p in result.paths] == [
        (7, "SparkAIEmbeddingFunction", ["xunfei-spark"]),
        (11, "ChatSparkLLM.astream", ["xunfei-spark"]),
        (12, "ChatSparkLLM.agenerate", ["xunfei-spark"]),
    ]
