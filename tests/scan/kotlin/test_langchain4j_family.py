"""LangChain4j's provider family in Kotlin: the same rule as Java, by package convention."""

from tests.scan.conftest import targets


def test_provider_modules_by_convention_with_named_arguments(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Models.kt": """
        package com.acme

        import dev.langchain4j.community.model.dashscope.QwenStreamingChatModel
        import dev.langchain4j.model.bedrock.BedrockChatModel
        import dev.langchain4j.model.googleai.GoogleAiEmbeddingModel
        import dev.langchain4j.model.chat.ChatModel

        class Models {
            val qwen = QwenStreamingChatModel.builder().modelName("qwen-plus").build()
            val bedrock: ChatModel = BedrockChatModel.builder().modelId("anthropic.claude-3-haiku-20240307-v1:0").build()
            val embed = GoogleAiEmbeddingModel.builder().modelName(modelName = "text-embedding-004").build()
        }
    """})
    assert [(p.operation, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        ("QwenStreamingChatModel", "chat", [("dashscope", "qwen-plus")]),
        ("BedrockChatModel", "chat", [("aws-bedrock", "anthropic.claude-3-haiku-20240307-v1:0")]),
        ("GoogleAiEmbeddingModel", "embedding", [("google", "text-embedding-004")]),
    ]


def test_interfaces_and_a_products_own_look_alike_are_not_paths(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Wiring.kt": """
        package com.acme

        import dev.langchain4j.model.chat.ChatModel
        import com.acme.llm.qianfan.QianfanChatModel

        class Wiring(private val chat: ChatModel) {
            val ours = QianfanChatModel.builder().modelName("ERNIE-4.0-8K").build()
        }
    """})
    assert result.paths == []


def test_a_model_name_constant_of_the_sdk_names_the_model(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Bot.kt": """
        package com.acme

        import dev.langchain4j.model.openai.OpenAiChatModel
        import dev.langchain4j.model.openai.OpenAiChatModelName

        val model = OpenAiChatModel.builder().modelName(OpenAiChatModelName.GPT_4_1_MINI).build()
        val latest = OpenAiChatModel.builder().modelName(OpenAiChatModelName.GPT_4_O).build()
    """})
    assert [sorted(targets(p)) for p in result.paths] == [[("openai", "gpt-4.1-mini")], [("openai", "gpt-4o")]]
