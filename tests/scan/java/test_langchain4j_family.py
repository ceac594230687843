"""LangChain4j's provider modules are one family, named by convention: any <Vendor>[Streaming](Chat|...)Model of
dev.langchain4j.model.<provider> (or the community modules) is a path, its provider the package segment."""

from tests.scan.conftest import only, targets


def test_every_provider_module_of_the_family_is_a_path(scan_files):
    result = scan_files({"src/main/java/com/acme/Models.java": """
        package com.acme;

        import dev.langchain4j.community.model.dashscope.QwenChatModel;
        import dev.langchain4j.community.model.zhipu.ZhipuAiStreamingChatModel;
        import dev.langchain4j.model.github.GitHubModelsChatModel;
        import dev.langchain4j.model.huggingface.HuggingFaceLanguageModel;
        import dev.langchain4j.model.mistralai.MistralAiEmbeddingModel;
        import dev.langchain4j.model.qianfan.QianfanChatModel;
        import dev.langchain4j.model.vertexai.gemini.VertexAiGeminiChatModel;

        public class Models {
            ChatModel qwen = QwenChatModel.builder().apiKey(key).modelName("qwen-max").build();
            StreamingChatModel glm = ZhipuAiStreamingChatModel.builder().model("glm-4-flash").build();
            ChatModel github = GitHubModelsChatModel.builder().modelName("gpt-4o-mini").build();
            LanguageModel hf = HuggingFaceLanguageModel.withApiKey(System.getenv("HF_API_KEY"));
            EmbeddingModel mistral = MistralAiEmbeddingModel.builder().modelName("mistral-embed").build();
            ChatModel ernie = new QianfanChatModel("ERNIE-4.0-8K");
            ChatModel gemini = VertexAiGeminiChatModel.builder().project("p").modelName("gemini-2.0-flash").build();
        }
    """})
    assert [(p.operation, p.operation_kind, p.streaming, sorted(targets(p))) for p in result.paths] == [
        ("QwenChatModel", "chat", False, [("dashscope", "qwen-max")]),
        ("ZhipuAiStreamingChatModel", "chat", True, [("zhipu", "glm-4-flash")]),
        ("GitHubModelsChatModel", "chat", False, [("github-models", "gpt-4o-mini")]),
        ("HuggingFaceLanguageModel", "completion", False, [("huggingface", None)]),
        ("MistralAiEmbeddingModel", "embedding", False, [("mistral", "mistral-embed")]),
        ("QianfanChatModel", "chat", False, [("baidu", "ERNIE-4.0-8K")]),
        ("VertexAiGeminiChatModel", "chat", False, [("google-vertex", "gemini-2.0-flash")]),
    ]


def test_a_provider_module_the_catalog_does_not_know_is_named_not_guessed(scan_files):
    result = scan_files({"src/main/java/com/acme/Local.java": """
        package com.acme;

        import dev.langchain4j.model.gpustack.GpuStackChatModel;

        public class Local {
            ChatModel model = GpuStackChatModel.builder().modelName("gpt-4o").build();
        }
    """})
    [path] = result.paths
    [target] = path.targets
    assert (target.provider, target.model) == (None, "gpt-4o")
    assert "'gpustack'" in (target.unresolved or "") and "not in the catalog" in (target.unresolved or "")


def test_the_frameworks_own_interfaces_and_look_alikes_are_not_paths(scan_files):
    result = scan_files({"src/main/java/com/acme/Wiring.java": """
        package com.acme;

        import dev.langchain4j.model.chat.ChatModel;
        import dev.langchain4j.model.chat.StreamingChatLanguageModel;
        import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
        import dev.langchain4j.model.openai.OpenAiChatModelName;
        import dev.langchain4j.model.openai.OpenAiTokenCountEstimator;
        import com.acme.model.openai.OpenAiChatModel;

        public class Wiring {
            ChatModel chat = ChatModel.builder().build();
            StreamingChatLanguageModel streaming = StreamingChatLanguageModel.builder().build();
            EmbeddingModel local = new AllMiniLmL6V2EmbeddingModel();
            String name = OpenAiChatModelName.builder().build();
            OpenAiTokenCountEstimator estimator = new OpenAiTokenCountEstimator("gpt-4o");
            OpenAiChatModel ours = OpenAiChatModel.builder().modelName("gpt-4o").build();
        }
    """})
    assert result.paths == []


def test_the_vendors_model_name_constants_name_their_model_ids(scan_files):
    result = scan_files({"src/main/java/com/acme/Models.java": """
        package com.acme;

        import dev.langchain4j.model.openai.OpenAiChatModel;
        import dev.langchain4j.model.anthropic.AnthropicChatModel;
        import dev.langchain4j.model.anthropic.AnthropicChatModelName;
        import dev.langchain4j.model.mistralai.MistralAiChatModel;
        import dev.langchain4j.model.mistralai.MistralAiChatModelName;
        import static dev.langchain4j.model.openai.OpenAiChatModelName.GPT_4_O_MINI;
        import com.acme.config.OpenAiChatModelName;

        public class Models {
            ChatModel a = OpenAiChatModel.builder().modelName(GPT_4_O_MINI).build();
            ChatModel b = AnthropicChatModel.builder().modelName(AnthropicChatModelName.CLAUDE_3_5_SONNET_20240620).build();
            ChatModel c = MistralAiChatModel.builder().modelName(MistralAiChatModelName.OPEN_MIXTRAL_8x7B).build();
            ChatModel d = OpenAiChatModel.builder().modelName(OpenAiChatModelName.GPT_3_5_TURBO).build();
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (12, [("openai", "gpt-4o-mini")]),
        (13, [("anthropic", "claude-3-5-sonnet-20240620")]),
        (14, [("mistral", "open-mixtral-8x7b")]),
        # the product's own enum of the same name is not the SDK's: its value is not known
        (15, [("openai", None)]),
    ]


LOW_LEVEL_CONTROLLER = """
    package com.acme;

    import dev.langchain4j.model.chat.ChatModel;

    class Answers {
        private final ChatModel chatModel;

        Answers(ChatModel chatModel) {
            this.chatModel = chatModel;
        }

        String answer(String question) {
            return chatModel.chat(question);
        }
    }
"""


def _pom(artifact: str) -> str:
    return f"""<project><dependencies>
      <dependency><groupId>dev.langchain4j</groupId><artifactId>{artifact}</artifactId></dependency>
    </dependencies></project>"""


def test_the_chat_model_bean_of_a_spring_boot_starter_is_asked_where_it_is_called(scan_files):
    """With LangChain4j's Spring Boot starter the application never builds its ChatModel: the starter's bean is
    injected, its provider the starter's, its model the starter's setting."""
    path = only(scan_files({
        "pom.xml": _pom("langchain4j-open-ai-spring-boot-starter"),
        "src/main/resources/application.properties": "langchain4j.open-ai.chat-model.model-name=gpt-4o-mini\n",
        "src/main/java/com/acme/Answers.java": LOW_LEVEL_CONTROLLER,
    }))
    assert (path.line, path.operation) == (13, "chat")
    assert targets(path) == {("openai", "gpt-4o-mini")}


def test_a_chat_model_passed_in_without_a_starter_is_the_one_built_in_the_code(scan_files):
    """Without a starter the ChatModel was built by the code: that construction is the path, not each call on it."""
    result = scan_files({
        "pom.xml": _pom("langchain4j-open-ai"),
        "src/main/java/com/acme/Answers.java": LOW_LEVEL_CONTROLLER,
        "src/main/java/com/acme/Main.java": """
            package com.acme;

            import dev.langchain4j.model.openai.OpenAiChatModel;

            class Main {
                public static void main(String[] args) {
                    var model = OpenAiChatModel.builder().apiKey(System.getenv("OPENAI_API_KEY"))
                            .modelName("gpt-4o-mini").build();
                    System.out.println(new Answers(model).answer("hi"));
                }
            }
        """,
    })
    assert [(p.file, p.operation, sorted(targets(p))) for p in result.paths] == [
        ("src/main/java/com/acme/Main.java", "OpenAiChatModel", [("openai", "gpt-4o-mini")])]
