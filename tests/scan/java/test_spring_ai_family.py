"""Spring AI's model modules are one family by convention: org.springframework.ai.<provider>.<Vendor>ChatModel,
built or injected, asked with call/stream; the provider is the package segment, never a guess."""

from tests.scan.conftest import targets


def test_model_modules_no_rule_lists_are_paths_by_convention(scan_files):
    result = scan_files({"src/main/java/com/acme/Assistant.java": """
        package com.acme;

        import org.springframework.ai.deepseek.DeepSeekChatModel;
        import org.springframework.ai.mistralai.MistralAiChatModel;
        import org.springframework.ai.mistralai.api.MistralAiApi;
        import org.springframework.ai.zhipuai.ZhiPuAiEmbeddingModel;
        import org.springframework.stereotype.Service;

        @Service
        public class Assistant {
            private final DeepSeekChatModel deepseek;
            private final ZhiPuAiEmbeddingModel embeddings;

            public Assistant(DeepSeekChatModel deepseek, ZhiPuAiEmbeddingModel embeddings) {
                this.deepseek = deepseek;
                this.embeddings = embeddings;
            }

            public String answer(String question) {
                MistralAiChatModel mistral = MistralAiChatModel.builder().mistralAiApi(new MistralAiApi(key)).build();
                mistral.stream(question);
                embeddings.embed(question);
                return deepseek.call(question);
            }
        }
    """})
    assert sorted((p.line, p.sdk, p.operation_kind, p.streaming, sorted(targets(p))) for p in result.paths) == [
        (21, "spring-ai-models", "chat", True, [("mistral", None)]),
        (22, "spring-ai-models", "embedding", False, [("zhipu", None)]),
        (23, "spring-ai-models", "chat", False, [("deepseek", None)]),
    ]


def test_a_module_the_catalog_does_not_know_is_named_and_interfaces_are_not_paths(scan_files):
    result = scan_files({"src/main/java/com/acme/Local.java": """
        package com.acme;

        import org.springframework.ai.chat.model.ChatModel;
        import org.springframework.ai.openai.api.OpenAiApi;
        import org.springframework.ai.postgresml.PostgresMlEmbeddingModel;
        import org.springframework.ai.transformers.TransformersEmbeddingModel;

        public class Local {
            void run(ChatModel chat, PostgresMlEmbeddingModel pg, TransformersEmbeddingModel onnx, OpenAiApi api) {
                pg.embed("text");
                onnx.embed("text");
                api.chatCompletionEntity(request);
            }
        }
    """})
    [path] = result.paths
    [target] = path.targets
    assert (path.line, target.provider) == (10, None)
    assert "'postgresml'" in (target.unresolved or "") and "not in the catalog" in (target.unresolved or "")


def test_a_family_chat_model_reads_the_setting_its_segment_names(scan_files):
    result = scan_files({
        "src/main/resources/application.properties": "spring.ai.deepseek.chat.options.model=deepseek-chat\n"
                                                     "spring.ai.zhipuai.chat.options.model=glm-4-flash\n",
        "src/main/java/com/acme/Assistant.java": """
            package com.acme;

            import org.springframework.ai.deepseek.DeepSeekChatModel;
            import org.springframework.ai.zhipuai.ZhiPuAiEmbeddingModel;

            public class Assistant {
                private final DeepSeekChatModel deepseek;
                private final ZhiPuAiEmbeddingModel embeddings;

                public Assistant(DeepSeekChatModel deepseek, ZhiPuAiEmbeddingModel embeddings) {
                    this.deepseek = deepseek;
                    this.embeddings = embeddings;
                }

                public String answer(String question) {
                    embeddings.embed(question);
                    return deepseek.call(question);
                }
            }
        """})
    assert sorted((p.line, sorted(targets(p))) for p in result.paths) == [
        (16, [("zhipu", None)]),  # the chat setting is not the embedding model's
        (17, [("deepseek", "deepseek-chat")]),
    ]
