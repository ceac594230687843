"""Kotlin dependency injection: a client injected by its type is the one the product's @Bean function makes."""

from tests.scan.conftest import targets


def test_an_injected_client_is_the_one_its_bean_function_makes(scan_files):
    result = scan_files({
        "src/main/kotlin/com/acme/AiConfig.kt": """
            package com.acme

            import com.anthropic.client.AnthropicClient
            import com.anthropic.client.okhttp.AnthropicOkHttpClient
            import org.springframework.context.annotation.Bean

            class AiConfig {
                @Bean
                fun anthropic(): AnthropicClient = AnthropicOkHttpClient.builder().baseUrl("http://localhost:4000").build()
            }
        """,
        "src/main/kotlin/com/acme/Assistant.kt": """
            package com.acme

            import com.anthropic.client.AnthropicClient
            import com.anthropic.models.messages.MessageCreateParams

            class Assistant(private val client: AnthropicClient) {
                fun ask() = client.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5").build())
            }
        """,
    })
    [path] = result.paths
    assert targets(path) == {("litellm-proxy", "claude-sonnet-4-5")}


def test_a_bean_of_another_type_does_not_apply(scan_files):
    result = scan_files({
        "src/main/kotlin/com/acme/AiConfig.kt": """
            package com.acme

            import com.anthropic.client.okhttp.AnthropicOkHttpClient
            import org.springframework.context.annotation.Bean

            class AiConfig {
                @Bean
                fun gateway(): Gateway = Gateway(AnthropicOkHttpClient.builder().baseUrl("http://localhost:4000").build())
            }
        """,
        "src/main/kotlin/com/acme/Assistant.kt": """
            package com.acme

            import com.anthropic.client.AnthropicClient
            import com.anthropic.models.messages.MessageCreateParams

            class Assistant(private val client: AnthropicClient) {
                fun ask() = client.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5").build())
            }
        """,
    })
    [path] = result.paths
    assert targets(path) == {("anthropic", "claude-sonnet-4-5")}
