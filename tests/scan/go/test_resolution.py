"""Go resolution: constants, env, struct fields, the files of a package, product packages, fallbacks."""

import pytest

from offramp.scan.rules import language_rules
from tests.scan.conftest import only, targets


def test_package_level_names_and_struct_fields_across_files_of_a_package(scan_files):
    result = scan_files({
        "internal/llm/config.go": """
            package llm

            import "os"

            const DefaultModel = "gpt-4o-mini"

            var baseURL = "https://api.together.xyz/v1"

            func init() {
                if v := os.Getenv("LLM_BASE_URL"); v != "" {
                    baseURL = v
                }
            }
        """,
        "internal/llm/service.go": """
            package llm

            import (
                "github.com/openai/openai-go"
                "github.com/openai/openai-go/option"
            )

            type Service struct {
                client openai.Client
                model  string
            }

            func NewService() *Service {
                s := &Service{model: DefaultModel}
                s.client = openai.NewClient(option.WithBaseURL(baseURL))
                return s
            }
        """,
        "internal/llm/ask.go": """
            package llm

            import "github.com/openai/openai-go"

            func (s *Service) Ask(ctx context.Context) {
                s.client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: s.model})
            }
        """,
    })
    path = only(result)
    assert (path.file, path.function) == ("internal/llm/ask.go", "Service.Ask")
    assert targets(path) == {("together", "gpt-4o-mini")}


def test_client_from_another_package_of_the_product(scan_files):
    result = scan_files({
        "go.mod": "module github.com/acme/app\n",
        "pkg/ai/client.go": """
            package ai

            import (
                "os"
                "github.com/sashabaranov/go-openai"
            )

            const Model = openai.GPT4o

            var Client = openai.NewClient(os.Getenv("OPENAI_API_KEY"))
        """,
        "cmd/server/main.go": """
            package main

            import (
                "github.com/acme/app/pkg/ai"
                "github.com/sashabaranov/go-openai"
            )

            func main() {
                ai.Client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: ai.Model})
            }
        """,
    })
    path = only(result)
    assert (path.file, path.sdk, targets(path)) == ("cmd/server/main.go", "go-openai", {("openai", "gpt-4o")})


def test_env_model_with_value_from_env_file(scan_files):
    path = only(scan_files({
        ".env": "CHAT_MODEL=claude-3-5-haiku-latest\n",
        "agent/run.go": """
            package agent

            import (
                "os"
                "github.com/anthropics/anthropic-sdk-go"
            )

            func run() {
                client := anthropic.NewClient()
                client.Messages.New(ctx, anthropic.MessageNewParams{Model: anthropic.Model(os.Getenv("CHAT_MODEL"))})
            }
        """,
    }))
    assert targets(path) == {("anthropic", "claude-3-5-haiku-latest")}
    assert "CHAT_MODEL=claude-3-5-haiku-latest in .env:1" in path.targets[0].model_why


def test_options_slice_built_with_append(scan_files):
    path = only(scan_files({"svc/client.go": """
        package svc

        import (
            "github.com/openai/openai-go"
            "github.com/openai/openai-go/option"
        )

        func client(local bool) openai.Client {
            opts := []option.RequestOption{option.WithMaxRetries(2)}
            if local {
                opts = append(opts, option.WithBaseURL("http://localhost:11434/v1"))
            }
            return openai.NewClient(opts...)
        }

        func ask() { client(true).Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "qwen2.5:7b"}) }
    """}))
    assert targets(path) == {("ollama", "qwen2.5:7b")}


def test_error_branch_calling_another_model_is_a_fallback(scan_files):
    result = scan_files({"svc/fallback.go": """
        package svc

        import (
            "github.com/anthropics/anthropic-sdk-go"
            "github.com/ollama/ollama/api"
        )

        func ask(ctx context.Context) error {
            claude := anthropic.NewClient()
            local, _ := api.ClientFromEnvironment()
            _, err := claude.Messages.New(ctx, anthropic.MessageNewParams{Model: anthropic.ModelClaudeOpus4_1})
            if err != nil {
                err = local.Chat(ctx, &api.ChatRequest{Model: "qwen3:32b"}, handle)
            }
            if _, err := claude.Messages.New(ctx, anthropic.MessageNewParams{Model: "claude-haiku-4-5"}); err != nil {
                return err
            }
            return nil
        }
    """})
    assert [(p.line, sorted(targets(p)), sorted((t.provider, t.model) for t in p.fallbacks))
            for p in result.paths] == [
        (11, [("anthropic", "claude-opus-4-1")], [("ollama", "qwen3:32b")]),
        (13, [("ollama", "qwen3:32b")], []),  # the error branch's call is a path of its own too
        (15, [("anthropic", "claude-haiku-4-5")], []),
    ]
    assert "if err != nil at line 12" in result.paths[0].fallback_why


def test_client_as_parameter_of_a_function_is_reported_unresolved(scan_files):
    path = only(scan_files({"svc/param.go": """
        package svc

        import "github.com/openai/openai-go"

        func ask(client openai.Client) {
            client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: openai.ChatModelGPT4oMini})
        }
    """}))
    assert path.sdk == "openai-go" and [t.model for t in path.targets] == ["gpt-4o-mini"]


# Constant names and the ids they hold, as the SDKs' sources spell them (openai-go 4e5a07a6 shared/constant
# and chatmodel.go; anthropic-sdk-go b43f0d7a message.go; go-openai 3d58ac5a completion.go, embeddings.go).
SDK_CONSTANTS = [
    ("openai-go", "ChatModelGPT4o", "gpt-4o"),
    ("openai-go", "ChatModelGPT4_1Mini2025_04_14", "gpt-4.1-mini-2025-04-14"),
    ("openai-go", "ChatModelGPT3_5Turbo16k0613", "gpt-3.5-turbo-16k-0613"),
    ("openai-go", "ChatModelGPT4_0125Preview", "gpt-4-0125-preview"),
    ("openai-go", "ChatModelGPT4_32k0314", "gpt-4-32k-0314"),
    ("openai-go", "ChatModelO1_2024_12_17", "o1-2024-12-17"),
    ("openai-go", "ChatModelChatgpt4oLatest", "chatgpt-4o-latest"),
    ("openai-go", "ChatModelGPT5_1_2025_11_13", "gpt-5.1-2025-11-13"),
    ("openai-go", "EmbeddingModelTextEmbeddingAda002", "text-embedding-ada-002"),
    ("openai-go", "ImageModelDallE3", "dall-e-3"),
    ("openai-go", "ImageModelGPTImage1_5", "gpt-image-1.5"),
    ("openai-go", "SpeechModelTTS1HD", "tts-1-hd"),
    ("openai-go", "AudioModelWhisper1", "whisper-1"),
    ("anthropic-sdk-go", "ModelClaude3_7SonnetLatest", "claude-3-7-sonnet-latest"),
    ("anthropic-sdk-go", "ModelClaudeSonnet4_5_20250929", "claude-sonnet-4-5-20250929"),
    ("anthropic-sdk-go", "ModelClaude_3_Haiku_20240307", "claude-3-haiku-20240307"),
    ("anthropic-sdk-go", "ModelClaudeOpus4_20250514", "claude-opus-4-20250514"),
    ("anthropic-sdk-go", "ModelClaude_2_1", "claude-2.1"),
    ("go-openai", "GPT4o20240806", "gpt-4o-2024-08-06"),
    ("go-openai", "O120241217", "o1-2024-12-17"),
    ("go-openai", "GPT4Dot1Mini20250414", "gpt-4.1-mini-2025-04-14"),
    ("go-openai", "GPT3Dot5Turbo16K0613", "gpt-3.5-turbo-16k-0613"),
    ("go-openai", "O4MiniDeepResearch", "o4-mini-deep-research"),
    ("go-openai", "GPT5Dot1CodexMini", "gpt-5.1-codex-mini"),
    ("go-openai", "GPT4Turbo0125", "gpt-4-0125-preview"),
    ("go-openai", "LargeEmbedding3", "text-embedding-3-large"),
]


@pytest.mark.parametrize(("sdk", "constant", "model"), SDK_CONSTANTS)
def test_model_constants_name_the_ids_the_sdk_sends(sdk, constant, model):
    rule = next(r for r in language_rules("go").sdk if r.id == sdk)
    assert rule.model_constants is not None
    assert rule.model_constants.model_id(f".{constant}") == model


def test_sdk_names_that_are_not_model_constants():
    rules = {r.id: r.model_constants for r in language_rules("go").sdk if r.model_constants}
    assert rules["go-openai"].model_id(".ChatMessageRoleUser") is None
    assert rules["openai-go"].model_id(".ChatCompletionNewParams") is None
    assert rules["openai-go"].model_id(".shared.ChatModelGPT4o") == "gpt-4o"


def test_a_test_files_call_in_the_package_passes_nothing_to_production_code(scan_files):
    result = scan_files({
        "chat/a_test.go": """
            package chat

            func TestSend(t *testing.T) {
                New(&Config{BaseURL: "http://127.0.0.1:1", Model: "fake-model"}).Send(context.Background())
            }
        """,
        "chat/chat.go": """
            package chat

            import (
                "bytes"
                "context"
                "encoding/json"
                "net/http"
            )

            type Config struct{ BaseURL, Model string }
            type Chat struct{ baseURL, model string }

            func New(cfg *Config) *Chat {
                return &Chat{baseURL: "https://api.anthropic.com", model: cfg.Model}
            }

            func (c *Chat) Send(ctx context.Context) (*http.Response, error) {
                body, _ := json.Marshal(map[string]any{"model": c.model, "max_tokens": 100})
                req, _ := http.NewRequestWithContext(ctx, "POST", c.baseURL+"/v1/messages", bytes.NewReader(body))
                return http.DefaultClient.Do(req)
            }
        """})
    path = only(result)
    assert path.file == "chat/chat.go"
    assert targets(path) == {("anthropic", None)}
    assert "no caller in the repository" in path.targets[0].model_unknown


def test_a_caller_in_a_package_that_imports_no_sdk_passes_its_value(scan_files):
    result = scan_files({
        "go.mod": "module example.com/app\n",
        "llm/llm.go": """
            package llm

            import (
                "context"

                openai "github.com/sashabaranov/go-openai"
            )

            type Service struct {
                client *openai.Client
                model  string
            }

            func NewService(model string) *Service {
                return &Service{client: openai.NewClient("key"), model: model}
            }

            func (s *Service) Ask(ctx context.Context, q string) (openai.ChatCompletionResponse, error) {
                return s.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: s.model})
            }
        """,
        "cmd/app/main.go": """
            package main

            import "example.com/app/llm"

            func main() {
                llm.NewService("gpt-4o-mini")
            }
        """,
    })
    assert targets(only(result)) == {("openai", "gpt-4o-mini")}


def test_a_request_a_method_of_the_receiver_builds_keeps_its_model(scan_files):
    result = scan_files({"bot/bot.go": """
        package bot

        import (
            "context"

            openai "github.com/sashabaranov/go-openai"
        )

        type Bot struct{ client *openai.Client }

        func NewBot() *Bot { return &Bot{client: openai.NewClient("key")} }

        func (b *Bot) newRequest() openai.ChatCompletionRequest {
            return openai.ChatCompletionRequest{Model: "gpt-4o-mini"}
        }

        func (b *Bot) Inline(ctx context.Context) {
            b.client.CreateChatCompletion(ctx, b.newRequest())
        }

        func (b *Bot) Held(ctx context.Context) {
            request := b.newRequest()
            b.client.CreateChatCompletion(ctx, request)
        }
    """})
    assert [(p.line, targets(p)) for p in result.paths] == [
        (18, {("openai", "gpt-4o-mini")}), (23, {("openai", "gpt-4o-mini")})]


def test_a_client_field_another_package_sets_or_nobody_sets_is_still_a_path(scan_files):
    result = scan_files({
        "go.mod": "module example.com/app\n",
        "llm/llm.go": """
            package llm

            import (
                "context"

                openai "github.com/sashabaranov/go-openai"
            )

            type Service struct {
                Client *openai.Client
            }

            func (s *Service) Ask(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
                return s.Client.CreateChatCompletion(ctx, req)
            }
        """,
        "app/app.go": """
            package app

            import (
                "context"

                "example.com/app/llm"
                openai "github.com/sashabaranov/go-openai"
            )

            func Run(ctx context.Context) {
                config := openai.DefaultConfig("key")
                config.BaseURL = "https://api.deepseek.com/v1"
                s := &llm.Service{Client: openai.NewClientWithConfig(config)}
                s.Ask(ctx, openai.ChatCompletionRequest{Model: "deepseek-chat"})
            }
        """,
        "embed/embed.go": """
            package embed

            import (
                "context"

                openai "github.com/sashabaranov/go-openai"
            )

            type Embedder struct {
                Client *openai.Client
            }

            func (e *Embedder) Embed(ctx context.Context, req openai.EmbeddingRequest) (openai.EmbeddingResponse, error) {
                return e.Client.CreateEmbeddings(ctx, req)
            }
        """,
    })
    assert [(p.file, p.line, sorted(t.provider or "?" for t in p.targets)) for p in result.paths] == [
        ("embed/embed.go", 14, ["?"]), ("llm/llm.go", 14, ["deepseek"])]
    assert result.paths[0].targets[0].unresolved == "Embedder Client, declared openai.Client"
