"""Kotlin: openai-kotlin (com.aallam.openai), whose requests are data classes built with named arguments, and
clients held in properties delegated to `lazy`."""

from tests.scan.conftest import targets

CHAT = """
package com.acme.chat

import com.aallam.openai.api.chat.ChatCompletionRequest
import com.aallam.openai.api.chat.ChatMessage
import com.aallam.openai.api.chat.ChatRole
import com.aallam.openai.api.image.ImageCreation
import com.aallam.openai.api.model.ModelId
import com.aallam.openai.client.OpenAI
import com.aallam.openai.client.OpenAIConfig
import com.aallam.openai.client.OpenAIHost

const val CHAT_MODEL = "gpt-4o-mini"

class Assistant(private val token: String) {
    private val openAI: OpenAI by lazy { OpenAI(token = token) }
    private val local = OpenAI(OpenAIConfig(token = "none", host = OpenAIHost(baseUrl = "http://localhost:11434/v1/")))

    suspend fun ask(text: String): String {
        val request = ChatCompletionRequest(
            model = ModelId(CHAT_MODEL),
            messages = listOf(ChatMessage(role = ChatRole.User, content = text)),
        )
        val answer = openAI.chatCompletion(request)
        local.chatCompletions(ChatCompletionRequest(model = ModelId("llama3.1:8b"), messages = listOf()))
        openAI.imageURL(creation = ImageCreation(prompt = text, model = ModelId("dall-e-3")))
        openAI.models()
        return answer.choices[0].message.content ?: ""
    }
}
"""


def test_openai_kotlin_requests_are_read_through_their_data_classes(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/chat/Assistant.kt": CHAT})
    assert [(p.line, p.operation, p.operation_kind, p.streaming, sorted(targets(p))) for p in result.paths] == [
        (23, "chatCompletion", "chat", False, [("openai", "gpt-4o-mini")]),  # the client made by `lazy`
        (24, "chatCompletions", "chat", True, [("ollama", "llama3.1:8b")]),  # the host's base URL decides
        (25, "imageURL", "image", False, [("openai", "dall-e-3")]),
    ]  # listing the models asks none


def test_a_delegate_other_than_lazy_and_a_product_data_class_say_nothing(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/chat/Other.kt": """
        package com.acme.chat

        import com.aallam.openai.client.OpenAI
        import kotlin.properties.Delegates

        data class Ask(val model: String)

        class Other {
            private val client = OpenAI(token = "t")
            var later: OpenAI by Delegates.notNull()

            suspend fun ask() = client.chatCompletion(Ask(model = "gpt-4o"))
            suspend fun askLater() = later.chatCompletion(Ask(model = "gpt-4o"))
        }
    """})
    assert [sorted(targets(p)) for p in result.paths] == [[("openai", None)], [(None, None)]]
    assert result.paths[0].targets[0].model_unknown == "no model argument"  # the product's class is no request


def test_a_packages_top_level_function_and_constant_are_read_from_its_files(scan_files):
    """`import com.acme.config.openAiClient` names a top-level function of a package (any of its files); the
    same name in another package is another function."""
    result = scan_files({
        "app/src/main/java/com/acme/config/Clients.kt": """
            package com.acme.config

            import com.aallam.openai.client.OpenAI
            import com.aallam.openai.client.OpenAIConfig
            import com.aallam.openai.client.OpenAIHost

            fun openAiClient(): OpenAI = OpenAI(token = System.getenv("OPENAI_API_KEY"))

            fun localClient(): OpenAI {
                return OpenAI(OpenAIConfig(token = "none", host = OpenAIHost(baseUrl = "http://localhost:11434/v1/")))
            }
        """,
        "app/src/main/java/com/acme/config/Models.kt": """
            package com.acme.config

            const val CHAT_MODEL = "gpt-4o"
        """,
        "app/src/main/java/com/acme/other/Clients.kt": """
            package com.acme.other

            import com.aallam.openai.client.OpenAI

            fun openAiClient(): OpenAI = OpenAI(token = "t", host = OpenAIHost(baseUrl = "https://api.groq.com/openai/v1/"))
        """,
        "app/src/main/java/com/acme/chat/Chat.kt": """
            package com.acme.chat

            import com.aallam.openai.api.chat.ChatCompletionRequest
            import com.aallam.openai.api.model.ModelId
            import com.acme.config.CHAT_MODEL
            import com.acme.config.localClient
            import com.acme.config.openAiClient

            class Chat {
                private val client by lazy { openAiClient() }

                suspend fun ask() = client.chatCompletion(ChatCompletionRequest(model = ModelId(CHAT_MODEL)))
                suspend fun askLocally() = localClient().chatCompletion(ChatCompletionRequest(model = ModelId("qwen3")))
            }
        """,
    })
    assert [(p.file.rsplit("/", 1)[1], p.line, sorted(targets(p))) for p in result.paths] == [
        ("Chat.kt", 12, [("openai", "gpt-4o")]),
        ("Chat.kt", 13, [("ollama", "qwen3")]),
    ]
