"""Java: openai-java, anthropic-java (incl. Bedrock), AWS SDK v2 Bedrock runtime, LangChain4j, Spring AI."""

from tests.scan.conftest import targets

OPENAI = """
package com.acme.chat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;

public class ChatService {
    private static final String EMBEDDINGS = "text-embedding-3-large";
    private final OpenAIClient client;
    private final OpenAIClient deepseek = OpenAIOkHttpClient.builder()
        .baseUrl("https://api.deepseek.com/v1").apiKey(System.getenv("DEEPSEEK_API_KEY")).build();

    public ChatService() {
        this.client = OpenAIOkHttpClient.fromEnv();
    }

    public String ask(String question) {
        var params = ChatCompletionCreateParams.builder()
            .model(ChatModel.GPT_4_1_MINI)
            .addUserMessage(question)
            .build();
        client.chat().completions().create(params);
        client.async().chat().completions().createStreaming(ChatCompletionCreateParams.builder().model(ChatModel.O3_MINI).build());
        deepseek.chat().completions().create(ChatCompletionCreateParams.builder().model("deepseek-chat").build());
        return client.embeddings().create(EmbeddingCreateParams.builder().model(EMBEDDINGS).input(question).build()).toString();
    }
}
"""


def test_openai_java_builders_fields_constants_and_base_url(scan_files):
    result = scan_files({"src/main/java/com/acme/chat/ChatService.java": OPENAI})
    assert [(p.line, p.operation, p.streaming, sorted(targets(p))) for p in result.paths] == [
        (24, "chat.completions.create", False, [("openai", "gpt-4.1-mini")]),
        (25, "chat.completions.createStreaming", True, [("openai", "o3-mini")]),
        (26, "chat.completions.create", False, [("deepseek", "deepseek-chat")]),
        (27, "embeddings.create", False, [("openai", "text-embedding-3-large")]),
    ]
    assert result.paths[0].function == "ChatService.ask" and result.paths[3].operation_kind == "embedding"


def test_anthropic_java_direct_and_bedrock_backend(scan_files):
    result = scan_files({"src/main/java/com/acme/Claude.java": """
        package com.acme;

        import com.anthropic.bedrock.backends.BedrockBackend;
        import com.anthropic.client.AnthropicClient;
        import com.anthropic.client.okhttp.AnthropicOkHttpClient;
        import com.anthropic.models.messages.MessageCreateParams;
        import com.anthropic.models.messages.Model;

        class Claude {
            void run() {
                AnthropicClient direct = AnthropicOkHttpClient.fromEnv();
                direct.messages().create(MessageCreateParams.builder().model(Model.CLAUDE_3_7_SONNET_LATEST).maxTokens(1024L).build());
                AnthropicClient aws = AnthropicOkHttpClient.builder().backend(BedrockBackend.fromEnv()).build();
                aws.messages().createStreaming(MessageCreateParams.builder().model("anthropic.claude-3-5-haiku-20241022-v1:0").build());
            }
        }
    """})
    assert [(p.streaming, sorted(targets(p))) for p in result.paths] == [
        (False, [("anthropic", "claude-3-7-sonnet-latest")]),
        (True, [("aws-bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0")]),
    ]


def test_bedrock_runtime_request_builders_and_lambda_builders(scan_files):
    result = scan_files({"src/main/java/com/acme/Bedrock.java": """
        package com.acme;

        import software.amazon.awssdk.regions.Region;
        import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
        import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;

        public class Bedrock {
            static final String NOVA = "amazon.nova-lite-v1:0";
            private final BedrockRuntimeClient client = BedrockRuntimeClient.builder().region(Region.US_EAST_1).build();

            void run() {
                client.converse(ConverseRequest.builder().modelId(NOVA).messages(message).build());
                client.converse(request -> request.modelId("us.anthropic.claude-3-5-sonnet-20241022-v2:0").messages(message));
                client.invokeModel(r -> r.modelId("meta.llama3-8b-instruct-v1:0").body(body));
            }
        }
    """})
    assert [(p.operation, sorted(targets(p))) for p in result.paths] == [
        ("converse", [("aws-bedrock", "amazon.nova-lite-v1:0")]),
        ("converse", [("aws-bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0")]),
        ("invokeModel", [("aws-bedrock", "meta.llama3-8b-instruct-v1:0")]),
    ]


def test_langchain4j_model_builders_are_paths(scan_files):
    result = scan_files({"src/main/java/com/acme/Models.java": """
        package com.acme;

        import dev.langchain4j.model.anthropic.AnthropicChatModel;
        import dev.langchain4j.model.ollama.*;
        import dev.langchain4j.model.openai.OpenAiChatModel;
        import dev.langchain4j.model.openai.OpenAiEmbeddingModel;

        public class Models {
            ChatModel gpt = OpenAiChatModel.builder().apiKey(System.getenv("OPENAI_API_KEY")).modelName("gpt-4o").build();
            ChatModel claude = AnthropicChatModel.builder().modelName("claude-sonnet-4-5").build();
            ChatModel local = OllamaChatModel.builder().baseUrl("http://localhost:11434").modelName("qwen3:8b").build();
            EmbeddingModel embeddings = OpenAiEmbeddingModel.builder().modelName("text-embedding-3-small").build();
        }
    """})
    assert [(p.kind, p.operation, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        ("binding", "OpenAiChatModel", "chat", [("openai", "gpt-4o")]),
        ("binding", "AnthropicChatModel", "chat", [("anthropic", "claude-sonnet-4-5")]),
        ("binding", "OllamaChatModel", "chat", [("ollama", "qwen3:8b")]),
        ("binding", "OpenAiEmbeddingModel", "embedding", [("openai", "text-embedding-3-small")]),
    ]


def test_spring_ai_chat_client_reads_its_model_from_configuration(scan_files):
    result = scan_files({
        ".env": "SPRING_AI_ANTHROPIC_CHAT_OPTIONS_MODEL=claude-3-5-haiku-latest\n",
        "src/main/java/com/acme/Assistant.java": """
            package com.acme;

            import org.springframework.ai.chat.client.ChatClient;
            import org.springframework.ai.openai.OpenAiChatModel;
            import org.springframework.stereotype.Service;

            @Service
            public class Assistant {
                private final ChatClient chatClient;
                private final OpenAiChatModel openAi;

                public Assistant(ChatClient.Builder builder, OpenAiChatModel openAi) {
                    this.chatClient = builder.defaultSystem("You are helpful").build();
                    this.openAi = openAi;
                }

                public String answer(String question) {
                    openAi.call(question);
                    return chatClient.prompt().user(question).call().content();
                }
            }
        """,
    })
    assert [(p.line, p.sdk, sorted(targets(p))) for p in result.paths] == [
        (18, "spring-ai-openai", [("openai", None)]),
        (19, "spring-ai", [("anthropic", "claude-3-5-haiku-latest")]),
    ]
    assert "spring.ai.openai.chat.options.model" in (result.paths[0].targets[0].unresolved or "")


def test_lookalikes_are_not_paths(scan_files):
    result = scan_files({"src/main/java/com/acme/Notify.java": """
        package com.acme;

        import com.slack.api.Slack;
        import com.stripe.model.checkout.Session;

        class Notify {
            private final Chat chat = new Chat();
            void run() {
                Slack.getInstance().methods().chatPostMessage(r -> r.channel("#ops").text("model gpt-4o is slow"));
                Session.create(params);
                // client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o").build());
                String doc = "client.messages().create(MessageCreateParams.builder().model(\\"claude\\").build())";
                chat.completions().create(Request.builder().model("not-a-model-call").build());
            }
        }
    """})
    assert result.paths == []


def test_unparsable_java_is_reported_as_skipped(scan_files):
    result = scan_files({"src/Broken.java": "class { com.openai ((( }}} void ;;; (((\n" * 5})
    assert [(s.file, "Java" in s.reason) for s in result.skipped] == [("src/Broken.java", True)]


def test_a_response_streamed_as_a_java_collection_is_not_another_call(scan_files):
    result = scan_files({"src/main/java/com/acme/Tasks.java": """
        package com.acme;

        import org.springframework.ai.chat.client.ChatClient;

        class Tasks {
            private final ChatClient chat;
            Tasks(ChatClient chat) { this.chat = chat; }
            java.util.List<String> plan(String q) {
                return chat.prompt().user(q).call().entity(Plan.class).tasks().stream().map(Object::toString).toList();
            }
        }
    """})
    assert [(p.line, p.operation) for p in result.paths] == [(9, "prompt.user.call")]
