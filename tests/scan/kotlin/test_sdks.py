"""Kotlin: openai-java, anthropic-java, AWS SDK v2 and the AWS SDK for Kotlin, LangChain4j, Spring AI."""

from tests.scan.conftest import targets

OPENAI = """
package com.acme.chat

import com.openai.client.OpenAIClient
import com.openai.client.okhttp.OpenAIOkHttpClient
import com.openai.models.ChatModel
import com.openai.models.chat.completions.ChatCompletionCreateParams

const val EMBEDDINGS = "text-embedding-3-large"
val CHAT_MODEL: String = System.getenv("CHAT_MODEL") ?: "gpt-4o-mini"

class ChatService(private val summaryModel: String = "o3-mini") {
    private val client: OpenAIClient
    private val model: String
    private val deepseek = OpenAIOkHttpClient.builder()
        .baseUrl("https://api.deepseek.com/v1").apiKey(System.getenv("DEEPSEEK_API_KEY")).build()

    init {
        client = OpenAIOkHttpClient.fromEnv()
        model = CHAT_MODEL
    }

    fun ask(question: String): String {
        val params = ChatCompletionCreateParams.builder().model(ChatModel.GPT_4_1_MINI).addUserMessage(question).build()
        client.chat().completions().create(params)
        client.chat().completions().createStreaming(ChatCompletionCreateParams.builder().model(model).build())
        client.chat().completions().create(ChatCompletionCreateParams.builder().model(summaryModel).build())
        deepseek.chat().completions().create(ChatCompletionCreateParams.builder().model("deepseek-${"chat"}").build())
        return client.embeddings().create(EmbeddingCreateParams.builder().model(EMBEDDINGS).build()).toString()
    }
}
"""


def test_openai_java_from_kotlin_properties_init_blocks_constants_and_base_url(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/chat/ChatService.kt": OPENAI})
    assert [(p.line, p.operation, p.streaming, sorted(targets(p))) for p in result.paths] == [
        (24, "chat.completions.create", False, [("openai", "gpt-4.1-mini")]),
        (25, "chat.completions.createStreaming", True, [("openai", "gpt-4o-mini")]),
        (26, "chat.completions.create", False, [("openai", "o3-mini")]),
        (27, "chat.completions.create", False, [("deepseek", "deepseek-chat")]),
        (28, "embeddings.create", False, [("openai", "text-embedding-3-large")]),
    ]
    assert result.paths[0].function == "ChatService.ask" and result.paths[4].operation_kind == "embedding"
    assert "CHAT_MODEL" in result.paths[1].targets[0].model_why


def test_anthropic_java_from_kotlin_direct_and_bedrock_backend(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Claude.kt": """
        package com.acme

        import com.anthropic.bedrock.backends.BedrockBackend
        import com.anthropic.client.okhttp.AnthropicOkHttpClient
        import com.anthropic.models.messages.MessageCreateParams
        import com.anthropic.models.messages.Model

        object Claude {
            private val direct = AnthropicOkHttpClient.fromEnv()
            private val aws = AnthropicOkHttpClient.builder().backend(BedrockBackend.fromEnv()).build()

            fun run() {
                direct.messages().create(MessageCreateParams.builder().model(Model.CLAUDE_3_7_SONNET_LATEST).maxTokens(1024L).build())
                aws.messages().createStreaming(MessageCreateParams.builder().model("anthropic.claude-3-5-haiku-20241022-v1:0").build())
            }
        }
    """})
    assert [(p.streaming, sorted(targets(p))) for p in result.paths] == [
        (False, [("anthropic", "claude-3-7-sonnet-latest")]),
        (True, [("aws-bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0")]),
    ]


def test_aws_sdk_for_kotlin_dsl_blocks_and_use_receivers(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Bedrock.kt": """
        package com.acme

        import aws.sdk.kotlin.services.bedrockruntime.BedrockRuntimeClient
        import aws.sdk.kotlin.services.bedrockruntime.model.ConverseRequest
        import aws.sdk.kotlin.services.bedrockruntime.model.InvokeModelRequest

        object Models {
            const val CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0"
        }

        suspend fun converse(prompt: String) {
            BedrockRuntimeClient { region = "us-east-1" }.use { client ->
                client.converse {
                    modelId = Models.CLAUDE
                    messages = listOf()
                }
            }
            val other = BedrockRuntimeClient.fromEnvironment()
            other.converseStream(ConverseRequest { modelId = "meta.llama3-70b-instruct-v1:0" })
            BedrockRuntimeClient { region = "us-west-2" }.use {
                it.invokeModel(InvokeModelRequest { modelId = "amazon.titan-text-express-v1"; body = prompt.toByteArray() })
            }
        }
    """})
    assert [(p.line, p.operation, p.streaming, sorted(targets(p))) for p in result.paths] == [
        (13, "converse", False, [("aws-bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0")]),
        (19, "converseStream", True, [("aws-bedrock", "meta.llama3-70b-instruct-v1:0")]),
        (21, "invokeModel", False, [("aws-bedrock", "amazon.titan-text-express-v1")]),
    ]


def test_aws_sdk_v2_request_builders_and_lambdas_from_kotlin(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Bedrock.kt": """
        package com.acme

        import software.amazon.awssdk.regions.Region
        import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient
        import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest

        class Bedrock {
            private val client = BedrockRuntimeClient.builder().region(Region.US_EAST_1).build()

            fun ask() = client.converse(ConverseRequest.builder().modelId("mistral.mistral-large-2402-v1:0").build())
            fun stream() = client.converseStream { it.modelId("cohere.command-r-v1:0").messages(listOf()) }
            fun invoke() = client.invokeModel { r -> r.modelId("amazon.titan-text-lite-v1") }
        }
    """})
    assert [(p.operation, sorted(targets(p))) for p in result.paths] == [
        ("converse", [("aws-bedrock", "mistral.mistral-large-2402-v1:0")]),
        ("converseStream", [("aws-bedrock", "cohere.command-r-v1:0")]),
        ("invokeModel", [("aws-bedrock", "amazon.titan-text-lite-v1")]),
    ]


def test_langchain4j_builders_and_named_arguments(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Models.kt": """
        package com.acme

        import dev.langchain4j.model.anthropic.AnthropicChatModel
        import dev.langchain4j.model.ollama.*
        import dev.langchain4j.model.openai.OpenAiChatModel

        class Models {
            val gpt = OpenAiChatModel.builder().apiKey(System.getenv("OPENAI_API_KEY")).modelName("gpt-4o").build()
            val claude = AnthropicChatModel.builder().modelName(modelName = "claude-sonnet-4-5").build()
            val local = OllamaChatModel.builder().baseUrl("http://localhost:11434").modelName("qwen3:8b").build()
        }
    """})
    assert [(p.kind, p.operation, sorted(targets(p))) for p in result.paths] == [
        ("binding", "OpenAiChatModel", [("openai", "gpt-4o")]),
        ("binding", "AnthropicChatModel", [("anthropic", "claude-sonnet-4-5")]),
        ("binding", "OllamaChatModel", [("ollama", "qwen3:8b")]),
    ]


def test_catch_block_that_asks_another_model_is_a_fallback(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Resilient.kt": """
        package com.acme

        import com.openai.client.okhttp.OpenAIOkHttpClient
        import com.openai.models.chat.completions.ChatCompletionCreateParams

        class Resilient {
            private val primary = OpenAIOkHttpClient.fromEnv()
            private val local = OpenAIOkHttpClient.builder().baseUrl("http://localhost:11434/v1").build()

            fun ask() {
                try {
                    primary.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o").build())
                } catch (e: Exception) {
                    local.chat().completions().create(ChatCompletionCreateParams.builder().model("qwen3:8b").build())
                }
            }
        }
    """})
    primary = next(p for p in result.paths if targets(p) == {("openai", "gpt-4o")})
    assert {(t.provider, t.model) for t in primary.fallbacks} == {("ollama", "qwen3:8b")}
    assert "catch block at line 13" in primary.fallback_why


def test_look_alikes_without_an_sdk_are_not_paths(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Lookalike.kt": """
        package com.acme

        import com.acme.gateway.Gateway

        class Completions { fun create(model: String) = model }
        class Chat { fun completions() = Completions() }
        class Client { fun chat() = Chat() }

        fun run(gateway: Gateway) {
            Client().chat().completions().create("gpt-4o")
            gateway.converse { modelId = "anthropic.claude-3-5-sonnet-20240620-v1:0" }
            val note = "OpenAIOkHttpClient.builder() is what the openai-java docs use"
        }
    """})
    assert result.paths == []


def test_unparsable_kotlin_is_reported_as_skipped(scan_files):
    result = scan_files({"src/Broken.kt": "import com.openai.client.okhttp.OpenAIOkHttpClient\n"
                                          "fun ( { ) } class } val = = = } } )) {{ ((\n" * 3})
    assert [(s.file, "Kotlin" in s.reason) for s in result.skipped] == [("src/Broken.kt", True)]
