"""Go frameworks whose model components follow a naming convention: one module per provider, a constructor that
takes the model in a config struct or an option, never first."""

from tests.scan.conftest import targets


def test_eino_model_components_are_paths_by_their_provider_module(scan_files):
    result = scan_files({"agent/models.go": """
        package agent

        import (
            "context"
            "os"

            "github.com/cloudwego/eino-ext/components/embedding/ark"
            "github.com/cloudwego/eino-ext/components/model/ollama"
            "github.com/cloudwego/eino-ext/components/model/openai"
            "github.com/cloudwego/eino-ext/components/model/qwen"
            "github.com/cloudwego/eino/components/model"
            "github.com/cloudwego/eino-ext/components/prompt/mcp"
        )

        func build(ctx context.Context) []model.ToolCallingChatModel {
            gpt, _ := openai.NewChatModel(ctx, &openai.ChatModelConfig{Model: "gpt-4o", APIKey: os.Getenv("K")})
            cfg := &ollama.ChatModelConfig{BaseURL: "http://localhost:11434", Model: "llama3.1:8b"}
            local, _ := ollama.NewChatModel(ctx, cfg)
            qw, _ := qwen.NewChatModel(ctx, &qwen.ChatModelConfig{Model: "qwen-plus"})
            emb, _ := ark.NewEmbedder(ctx, &ark.EmbeddingConfig{Model: os.Getenv("ARK_EMBEDDING_MODEL")})
            _, _ = mcp.NewPromptTemplate(ctx, &mcp.Config{Name: "gpt-4o"})
            _ = emb
            return []model.ToolCallingChatModel{gpt, local, qw}
        }
    """})
    assert [(p.line, p.sdk, p.operation_kind, sorted(targets(p))) for p in result.paths] == [
        (16, "eino", "chat", [("openai", "gpt-4o")]),
        (18, "eino", "chat", [("ollama", "llama3.1:8b")]),
        (19, "eino", "chat", [("dashscope", "qwen-plus")]),
        (20, "eino", "embedding", [("volcengine", None)]),  # the prompt component is no model
    ]
    assert result.paths[3].targets[0].model_unknown.startswith("$ARK_EMBEDDING_MODEL")


def test_an_azure_flag_decided_at_run_time_leaves_the_provider_unknown(scan_files):
    result = scan_files({"agent/azure.go": """
        package agent

        import (
            "context"
            "os"

            "github.com/cloudwego/eino-ext/components/model/openai"
        )

        func build(ctx context.Context) {
            on, _ := openai.NewChatModel(ctx, &openai.ChatModelConfig{Model: "gpt-4o", ByAzure: true,
                BaseURL: "https://contoso.openai.azure.com"})
            off, _ := openai.NewChatModel(ctx, &openai.ChatModelConfig{Model: "gpt-4o", ByAzure: false})
            either, _ := openai.NewChatModel(ctx, &openai.ChatModelConfig{Model: "gpt-4o",
                ByAzure: os.Getenv("OPENAI_BY_AZURE") == "true", BaseURL: os.Getenv("OPENAI_BASE_URL")})
            _, _, _ = on, off, either
        }
    """})
    assert [sorted(targets(p)) for p in result.paths] == [
        [("azure-openai", "gpt-4o")], [("openai", "gpt-4o")], [(None, "gpt-4o")]]
    assert result.paths[2].targets[0].provider_unknown == \
        "openai or azure-openai: chosen at run time by ByAzure"


def test_a_context_first_is_not_the_model_of_an_options_constructor(scan_files):
    result = scan_files({"chat/google.go": """
        package chat

        import (
            "context"

            "github.com/tmc/langchaingo/llms/googleai"
        )

        func build(ctx context.Context) {
            named, _ := googleai.New(ctx, googleai.WithDefaultModel("gemini-2.0-flash"))
            unnamed, _ := googleai.New(ctx)
            _, _ = named, unnamed
        }
    """})
    assert [sorted(targets(p)) for p in result.paths] == [[("google", "gemini-2.0-flash")], [("google", None)]]
    assert result.paths[1].targets[0].model_unknown == "no model argument"


def test_only_a_provider_packages_constructor_makes_a_model(scan_files):
    """langchaingo's llms/<provider> packages make their model with New: their helpers (a cache, a cache
    control part) ask nothing; a package the catalog does not know is named, not guessed; watsonx alone names
    the model first."""
    result = scan_files({"chat/llms.go": """
        package chat

        import (
            "context"
            "time"

            "github.com/tmc/langchaingo/llms/anthropic"
            "github.com/tmc/langchaingo/llms/llamafile"
            "github.com/tmc/langchaingo/llms/ollama"
            "github.com/tmc/langchaingo/llms/watsonx"
        )

        func build(ctx context.Context) {
            claude, _ := anthropic.New(anthropic.WithModel("claude-3-5-haiku-latest"))
            _ = anthropic.EphemeralCache()
            _ = ollama.NewContextCache(10, 10*time.Minute)
            local, _ := llamafile.New()
            granite, _ := watsonx.New("ibm/granite-13b-chat-v2")
            _, _, _ = claude, local, granite
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (14, [("anthropic", "claude-3-5-haiku-latest")]),
        (17, [(None, None)]),
        (18, [("watsonx", "ibm/granite-13b-chat-v2")]),
    ]
    assert "'llamafile'" in result.paths[1].targets[0].provider_unknown


def test_a_command_line_flag_holds_its_default(scan_files):
    result = scan_files({"cmd/chat/main.go": """
        package main

        import (
            "flag"

            "github.com/tmc/langchaingo/llms/openai"
        )

        var model = flag.String("model", "gpt-4o-mini", "model to use")
        var other = flag.String("other-model", "", "must be given")

        func main() {
            flag.Parse()
            named, _ := openai.New(openai.WithModel(*model))
            given, _ := openai.New(openai.WithModel(*other))
            _, _ = named, given
        }
    """})
    assert [sorted(targets(p)) for p in result.paths] == [[("openai", "gpt-4o-mini")], [("openai", None)]]
    assert result.paths[1].targets[0].model_unknown == "an empty string"
