"""Kotlin resolution: Spring settings, injected clients, constants of other files, build.gradle.kts."""

from tests.scan.conftest import only, targets


def test_spring_ai_chat_client_model_comes_from_application_yml(scan_files):
    result = scan_files({
        "src/main/resources/application.yml": """
            spring:
              ai:
                openai:
                  chat:
                    options:
                      model: gpt-4o-mini
        """,
        "src/main/kotlin/com/acme/SupportController.kt": """
            package com.acme

            import org.springframework.ai.chat.client.ChatClient
            import org.springframework.web.bind.annotation.*

            @RestController
            class SupportController(builder: ChatClient.Builder) {
                private val chat = builder.build()

                @GetMapping("/reply")
                fun reply(@RequestParam question: String): String? = chat.prompt().user(question).call().content()
            }
        """,
    })
    path = only(result)
    assert targets(path) == {("openai", "gpt-4o-mini")}
    assert "application.yml" in path.targets[0].model_why
    assert result.config == []


def test_value_annotation_reads_a_setting_with_its_default(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Assistant.kt": """
        package com.acme

        import com.openai.client.okhttp.OpenAIOkHttpClient
        import com.openai.models.chat.completions.ChatCompletionCreateParams
        import org.springframework.beans.factory.annotation.Value

        class Assistant(@Value("\\${assistant.model:gpt-4.1}") private val model: String) {
            private val client = OpenAIOkHttpClient.fromEnv()

            fun ask() = client.chat().completions().create(ChatCompletionCreateParams.builder().model(model).build())
        }
    """})
    assert targets(only(result)) == {("openai", "gpt-4.1")}


def test_constants_of_an_object_in_another_file(scan_files):
    result = scan_files({
        "src/main/kotlin/com/acme/config/Models.kt": """
            package com.acme.config

            object Models {
                const val CHAT = "claude-sonnet-4-5"
            }
        """,
        "src/main/kotlin/com/acme/Chat.kt": """
            package com.acme

            import com.acme.config.Models
            import dev.langchain4j.model.anthropic.AnthropicChatModel

            val model = AnthropicChatModel.builder().modelName(Models.CHAT).build()
        """,
    })
    assert targets(only(result)) == {("anthropic", "claude-sonnet-4-5")}


def test_build_gradle_kts_stays_a_manifest(scan_files):
    result = scan_files({"build.gradle.kts": """
        dependencies {
            implementation("com.openai:openai-java:2.8.0")
        }
    """})
    assert [(d.file, d.version) for d in result.dependencies] == [("build.gradle.kts", "2.8.0")]
    assert result.files_parsed == 0 and result.skipped == []
