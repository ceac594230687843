"""Java resolution: constants of other classes, settings, injected clients, try/catch fallbacks."""

import pytest

from offramp.scan.rules import language_rules
from tests.scan.conftest import only, targets


def test_constants_from_an_imported_class_and_from_the_same_package(scan_files):
    result = scan_files({
        "src/main/java/com/acme/config/LlmConfig.java": """
            package com.acme.config;

            public final class LlmConfig {
                public static final String BASE_URL = "https://api.groq.com/openai/v1";
                public static final String MODEL = System.getenv().getOrDefault("X", "llama-3.3-70b-versatile");
                public static final String FAST = "llama-3.1-8b-instant";
            }
        """,
        "src/main/java/com/acme/chat/Defaults.java": """
            package com.acme.chat;

            class Defaults {
                static final String MODEL = "qwen/qwen3-32b";
            }
        """,
        "src/main/java/com/acme/chat/Chat.java": """
            package com.acme.chat;

            import com.acme.config.LlmConfig;
            import com.openai.client.okhttp.OpenAIOkHttpClient;
            import com.openai.models.chat.completions.ChatCompletionCreateParams;
            import static com.acme.config.LlmConfig.FAST;

            class Chat {
                void run() {
                    var client = OpenAIOkHttpClient.builder().baseUrl(LlmConfig.BASE_URL).build();
                    client.chat().completions().create(ChatCompletionCreateParams.builder().model(FAST).build());
                    client.chat().completions().create(ChatCompletionCreateParams.builder().model(Defaults.MODEL).build());
                }
            }
        """,
    })
    assert [sorted(targets(p)) for p in result.paths] == [
        [("groq", "llama-3.1-8b-instant")], [("groq", "qwen/qwen3-32b")],
    ]


def test_value_annotation_reads_a_setting_with_its_default(scan_files):
    path = only(scan_files({"src/main/java/com/acme/Bot.java": """
        package com.acme;

        import dev.langchain4j.model.openai.OpenAiChatModel;
        import org.springframework.beans.factory.annotation.Value;

        class Bot {
            @Value("${bot.model:gpt-4o-mini}")
            private String model;

            Object chatModel() {
                return OpenAiChatModel.builder().modelName(model).build();
            }
        }
    """}))
    assert targets(path) == {("openai", "gpt-4o-mini")}
    assert "default of $bot.model" in path.targets[0].model_why


def test_catch_block_calling_another_model_is_a_fallback(scan_files):
    path, backup = (scan_files({"src/main/java/com/acme/Resilient.java": """
        package com.acme;

        import com.anthropic.client.okhttp.AnthropicOkHttpClient;
        import com.anthropic.models.messages.MessageCreateParams;
        import com.anthropic.models.messages.Model;
        import com.openai.client.okhttp.OpenAIOkHttpClient;
        import com.openai.models.chat.completions.ChatCompletionCreateParams;

        class Resilient {
            private final OpenAIClient local = OpenAIOkHttpClient.builder().baseUrl("http://localhost:11434/v1").build();

            String ask(String q) {
                try {
                    return AnthropicOkHttpClient.fromEnv().messages()
                        .create(MessageCreateParams.builder().model(Model.CLAUDE_SONNET_4_5).build()).toString();
                } catch (RuntimeException e) {
                    return local.chat().completions().create(ChatCompletionCreateParams.builder().model("qwen3:32b").build()).toString();
                }
            }
        }
    """}).paths)
    assert targets(path) == {("anthropic", "claude-sonnet-4-5")}
    assert {(t.provider, t.model) for t in path.fallbacks} == {("ollama", "qwen3:32b")}
    assert "catch block at line 16" in path.fallback_why
    assert {(t.provider, t.model) for t in backup.targets} == {("ollama", "qwen3:32b")}  # a path of its own


# Enum constants and the ids they hold, as the SDKs spell them (openai-java ChatModel, anthropic-java Model).
SDK_CONSTANTS = [
    ("openai-java", "ChatModel.GPT_4O", "gpt-4o"),
    ("openai-java", "ChatModel.GPT_4_1_MINI", "gpt-4.1-mini"),
    ("openai-java", "ChatModel.GPT_4O_2024_08_06", "gpt-4o-2024-08-06"),
    ("openai-java", "ChatModel.GPT_3_5_TURBO_16K", "gpt-3.5-turbo-16k"),
    ("openai-java", "ChatModel.O1_MINI", "o1-mini"),
    ("openai-java", "ChatModel.CHATGPT_4O_LATEST", "chatgpt-4o-latest"),
    ("openai-java", "EmbeddingModel.TEXT_EMBEDDING_3_SMALL", "text-embedding-3-small"),
    ("anthropic-java", "Model.CLAUDE_3_7_SONNET_LATEST", "claude-3-7-sonnet-latest"),
    ("anthropic-java", "Model.CLAUDE_SONNET_4_5_20250929", "claude-sonnet-4-5-20250929"),
    ("anthropic-java", "Model.CLAUDE_3_5_HAIKU_20241022", "claude-3-5-haiku-20241022"),
    ("anthropic-java", "Model.CLAUDE_2_1", "claude-2.1"),
]


@pytest.mark.parametrize(("sdk", "constant", "model"), SDK_CONSTANTS)
def test_enum_constants_name_the_ids_the_sdk_sends(sdk, constant, model):
    rule = next(r for r in language_rules("java").sdk if r.id == sdk)
    assert rule.model_constants is not None and rule.model_constants.model_id(f".models.{constant}") == model
