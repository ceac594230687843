"""Go SDKs: openai-go, go-openai, anthropic-sdk-go (incl. Bedrock and Vertex), genai, Bedrock runtime, Ollama."""

from tests.scan.conftest import only, targets


def test_openai_go_struct_params_model_constants_and_base_url_option(scan_files):
    result = scan_files({"internal/chat/chat.go": """
        package chat

        import (
            "context"
            "os"

            "github.com/openai/openai-go/v2"
            "github.com/openai/openai-go/v2/option"
        )

        func Ask(ctx context.Context, q string) error {
            client := openai.NewClient(option.WithAPIKey(os.Getenv("OPENAI_API_KEY")))
            _, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
                Model:    openai.ChatModelGPT4_1Mini,
                Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(q)},
            })
            stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{Model: openai.ChatModelO3Mini2025_01_31})
            _ = stream
            local := openai.NewClient(option.WithBaseURL("https://api.deepseek.com/v1"))
            local.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "deepseek-chat"})
            client.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: openai.EmbeddingModelTextEmbedding3Small})
            return err
        }
    """})
    assert [(p.line, p.operation, p.streaming, sorted(targets(p))) for p in result.paths] == [
        (13, "Chat.Completions.New", False, [("openai", "gpt-4.1-mini")]),
        (17, "Chat.Completions.NewStreaming", True, [("openai", "o3-mini-2025-01-31")]),
        (20, "Chat.Completions.New", False, [("deepseek", "deepseek-chat")]),
        (21, "Embeddings.New", False, [("openai", "text-embedding-3-small")]),
    ]
    assert result.paths[0].function == "Ask" and result.paths[3].operation_kind == "embedding"


def test_openai_go_azure_endpoint_option_switches_provider(scan_files):
    path = only(scan_files({"svc/azure.go": """
        package svc

        import (
            "github.com/openai/openai-go"
            "github.com/openai/openai-go/azure"
        )

        var client = openai.NewClient(azure.WithEndpoint("https://acme.openai.azure.com", "2024-10-21"))

        func run() { client.Responses.New(ctx, responses.ResponseNewParams{Model: "gpt-4o"}) }
    """}))
    assert targets(path) == {("azure-openai", "gpt-4o")}


def test_go_openai_default_config_base_url_and_constants(scan_files):
    result = scan_files({"bot/llm.go": """
        package bot

        import (
            "os"
            openai "github.com/sashabaranov/go-openai"
        )

        func clients() {
            plain := openai.NewClient(os.Getenv("OPENAI_API_KEY"))
            plain.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: openai.GPT4oMini20240718, Stream: true})
            plain.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{Model: openai.GPT4Dot1Nano})
            plain.CreateEmbeddings(ctx, openai.EmbeddingRequest{Model: openai.SmallEmbedding3})

            config := openai.DefaultConfig(os.Getenv("KIMI_API_KEY"))
            config.BaseURL = "https://api.moonshot.cn/v1"
            kimi := openai.NewClientWithConfig(config)
            kimi.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "kimi-k2-0905-preview"})
        }
    """})
    assert [(p.operation, p.operation_kind, p.streaming, sorted(targets(p))) for p in result.paths] == [
        ("CreateChatCompletion", "chat", True, [("openai", "gpt-4o-mini-2024-07-18")]),
        ("CreateChatCompletionStream", "chat", True, [("openai", "gpt-4.1-nano")]),
        ("CreateEmbeddings", "embedding", False, [("openai", "text-embedding-3-small")]),
        ("CreateChatCompletion", "chat", False, [("moonshot", "kimi-k2-0905-preview")]),
    ]


def test_anthropic_go_direct_bedrock_and_vertex(scan_files):
    result = scan_files({"agent/claude.go": """
        package agent

        import (
            "github.com/anthropics/anthropic-sdk-go"
            "github.com/anthropics/anthropic-sdk-go/bedrock"
            "github.com/anthropics/anthropic-sdk-go/vertex"
        )

        func run() {
            direct := anthropic.NewClient()
            direct.Messages.New(ctx, anthropic.MessageNewParams{Model: anthropic.ModelClaude3_7SonnetLatest, MaxTokens: 1024})
            onAWS := anthropic.NewClient(bedrock.WithLoadDefaultConfig(ctx))
            onAWS.Messages.NewStreaming(ctx, anthropic.MessageNewParams{Model: "anthropic.claude-3-5-haiku-20241022-v1:0"})
            onGCP := anthropic.NewClient(vertex.WithGoogleAuth(ctx, "us-east5", "acme"))
            onGCP.Messages.New(ctx, anthropic.MessageNewParams{Model: anthropic.ModelClaudeSonnet4_5})
        }
    """})
    assert [(p.streaming, sorted(targets(p))) for p in result.paths] == [
        (False, [("anthropic", "claude-3-7-sonnet-latest")]),
        (True, [("aws-bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0")]),
        (False, [("google-vertex", "claude-sonnet-4-5")]),
    ]


def test_genai_backends_and_positional_model(scan_files):
    result = scan_files({"gen/gemini.go": """
        package gen

        import "google.golang.org/genai"

        const flash = "gemini-2.0-flash"

        func run() {
            studio, _ := genai.NewClient(ctx, &genai.ClientConfig{APIKey: key, Backend: genai.BackendGeminiAPI})
            studio.Models.GenerateContent(ctx, flash, genai.Text("hi"), nil)
            vertex, _ := genai.NewClient(ctx, &genai.ClientConfig{Backend: genai.BackendVertexAI, Project: "acme"})
            for chunk, _ := range vertex.Models.GenerateContentStream(ctx, "gemini-2.5-pro", contents, nil) { _ = chunk }
            vertex.Models.EmbedContent(ctx, "text-embedding-004", contents, nil)
        }
    """})
    assert [(p.operation, p.streaming, sorted(targets(p))) for p in result.paths] == [
        ("Models.GenerateContent", False, [("google", "gemini-2.0-flash")]),
        ("Models.GenerateContentStream", True, [("google-vertex", "gemini-2.5-pro")]),
        ("Models.EmbedContent", False, [("google-vertex", "text-embedding-004")]),
    ]


def test_bedrock_runtime_converse_invoke_and_streams(scan_files):
    result = scan_files({"aws/bedrock.go": """
        package aws

        import (
            "github.com/aws/aws-sdk-go-v2/aws"
            "github.com/aws/aws-sdk-go-v2/config"
            "github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
        )

        const llama = "us.meta.llama3-3-70b-instruct-v1:0"

        func run() {
            cfg, _ := config.LoadDefaultConfig(ctx)
            client := bedrockruntime.NewFromConfig(cfg)
            client.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String(llama)})
            client.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: aws.String("amazon.nova-pro-v1:0")})
            client.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"), Body: body})
            client.InvokeModelWithResponseStream(ctx, &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(llama)})
        }
    """})
    assert [(p.operation, p.streaming, sorted(targets(p))) for p in result.paths] == [
        ("Converse", False, [("aws-bedrock", "us.meta.llama3-3-70b-instruct-v1:0")]),
        ("ConverseStream", True, [("aws-bedrock", "amazon.nova-pro-v1:0")]),
        ("InvokeModel", False, [("aws-bedrock", "anthropic.claude-3-haiku-20240307-v1:0")]),
        ("InvokeModelWithResponseStream", True, [("aws-bedrock", "us.meta.llama3-3-70b-instruct-v1:0")]),
    ]


def test_ollama_go_client_and_langchaingo_bindings(scan_files):
    result = scan_files({"local/llm.go": """
        package local

        import (
            "github.com/ollama/ollama/api"
            "github.com/tmc/langchaingo/llms/anthropic"
            "github.com/tmc/langchaingo/llms/ollama"
            "github.com/tmc/langchaingo/llms/openai"
        )

        func run() {
            client, _ := api.ClientFromEnvironment()
            client.Chat(ctx, &api.ChatRequest{Model: "llama3.1:8b"}, func(r api.ChatResponse) error { return nil })
            gpt, _ := openai.New(openai.WithModel("gpt-4o"), openai.WithToken(token))
            claude, _ := anthropic.New(anthropic.WithModel("claude-3-5-sonnet-20241022"))
            qwen, _ := ollama.New(ollama.WithModel("qwen2.5:7b"), ollama.WithServerURL("http://localhost:11434"))
            _, _ = llms.GenerateFromSinglePrompt(ctx, gpt, "hi")
        }
    """})
    assert [(p.sdk, p.kind, sorted(targets(p))) for p in result.paths] == [
        ("ollama-go", "sdk_call", [("ollama", "llama3.1:8b")]),
        ("langchaingo", "binding", [("openai", "gpt-4o")]),
        ("langchaingo", "binding", [("anthropic", "claude-3-5-sonnet-20241022")]),
        ("langchaingo", "binding", [("ollama", "qwen2.5:7b")]),
    ]


def test_raw_http_requests_to_model_hosts(scan_files):
    result = scan_files({"rawhttp/call.go": """
        package rawhttp

        import (
            "bytes"
            "encoding/json"
            "net/http"
        )

        const base = "https://api.anthropic.com"

        func run() {
            body, _ := json.Marshal(map[string]any{"model": "claude-sonnet-4-5", "max_tokens": 64})
            req, _ := http.NewRequest("POST", base+"/v1/messages", bytes.NewReader(body))
            http.DefaultClient.Do(req)
            http.Post("https://api.mistral.ai/v1/chat/completions", "application/json", nil)
            client := &http.Client{}
            client.Post("https://api.groq.com/openai/v1/chat/completions", "application/json", nil)
            http.NewRequest("GET", "https://api.openai.com/v1/models", nil)
            http.Post("https://hooks.slack.com/services/x", "application/json", nil)
        }
    """})
    assert [(p.line, p.operation, sorted(targets(p))) for p in result.paths] == [
        (14, "net.http.NewRequest", [("anthropic", "claude-sonnet-4-5")]),  # sent by Do
        (15, "net.http.Post", [("mistral", None)]),
        (17, "net.http.Post", [("groq", None)]),
    ]


def test_lookalikes_are_not_paths(scan_files):
    result = scan_files({"notify/notify.go": """
        package notify

        import (
            "github.com/slack-go/slack"
            "github.com/stripe/stripe-go/v76/checkout/session"
        )

        type fakeChat struct{}

        func (fakeChat) New(ctx any, p any) {}

        func run() {
            api := slack.New("token")
            api.PostMessage("#ops", slack.MsgOptionText("model gpt-4o is slow", false))
            session.New(&stripe.CheckoutSessionParams{})
            // client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "gpt-4o"})
            doc := "client.Messages.New(ctx, anthropic.MessageNewParams{Model: \\"claude\\"})"
            chat := struct{ Completions fakeChat }{}
            chat.Completions.New(nil, map[string]string{"Model": "not-a-model-call"})
            _ = doc
        }
    """})
    assert result.paths == []


def test_unparsable_go_is_reported_as_skipped(scan_files):
    result = scan_files({
        "broken/broken.go": "package broken\nfunc {{{ ]] openai.NewClient( ((( \n" * 5,
        "ok/ok.go": 'package ok\nimport "github.com/openai/openai-go"\nvar c = openai.NewClient()\n',
    })
    assert [(s.file, "Go" in s.reason) for s in result.skipped] == [("broken/broken.go", True)]


def test_vertexai_generative_model_and_cohere_go(scan_files):
    result = scan_files({"svc/more.go": """
        package svc

        import (
            "cloud.google.com/go/vertexai/genai"
            api "github.com/cohere-ai/cohere-go/v2"
            cohere "github.com/cohere-ai/cohere-go/v2/client"
        )

        func run() {
            vertex, _ := genai.NewClient(ctx, "acme", "us-central1")
            model := vertex.GenerativeModel("gemini-2.5-flash")
            model.GenerateContent(ctx, genai.Text("hi"))
            co := cohere.NewClient()
            co.Chat(ctx, &api.ChatRequest{Model: api.String("command-r-plus")})
        }
    """})
    assert [(p.sdk, sorted(targets(p))) for p in result.paths] == [
        ("vertexai-go", [("google-vertex", "gemini-2.5-flash")]),
        ("cohere-go", [("cohere", "command-r-plus")]),
    ]


def test_go_openai_config_defaults_apply_unless_always_replaced(scan_files):
    result = scan_files({"bot/configs.go": """
        package bot

        import openai "github.com/sashabaranov/go-openai"

        func clients(token, endpoint, override, kind string) {
            maybe := openai.DefaultConfig(token)
            if override != "" {
                maybe.BaseURL = "https://api.deepseek.com/v1"
            }
            openai.NewClientWithConfig(maybe).CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "m1"})

            either := openai.DefaultConfig(token)
            if override != "" {
                either.BaseURL = "https://api.deepseek.com/v1"
            } else {
                either.BaseURL = "https://api.groq.com/openai/v1"
            }
            openai.NewClientWithConfig(either).CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "m2"})

            azure := openai.DefaultAzureConfig(token, endpoint)
            switch kind {
            case "ad":
                azure.APIType = openai.APITypeAzureAD
            }
            openai.NewClientWithConfig(azure).CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "m3"})

            notAzure := openai.DefaultConfig(token)
            notAzure.APIType = openai.APITypeOpenAI
            openai.NewClientWithConfig(notAzure).CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "m4"})
        }
    """})
    assert [sorted(p for p, _ in targets(path)) for path in result.paths] == [
        ["deepseek", "openai"], ["deepseek", "groq"], ["azure-openai"], ["openai"]]


def test_go_openai_config_made_as_one_of_two_structs_keeps_each(scan_files):
    result = scan_files({"bot/llm.go": """
        package bot

        import openai "github.com/sashabaranov/go-openai"

        type Bot struct {
            client *openai.Client
        }

        func New(token, resource string, azureOn bool, base string) *Bot {
            config := openai.DefaultConfig(token)
            if azureOn {
                config = openai.DefaultAzureConfig(token, "https://"+resource+".openai.azure.com")
            } else if base != "" {
                config.BaseURL = "https://api.deepseek.com/v1"
            }
            return &Bot{client: openai.NewClientWithConfig(config)}
        }

        func Either(token string, azureOn bool) {
            config := openai.DefaultConfig(token)
            if azureOn {
                config = openai.DefaultAzureConfig(token, "https://acme.openai.azure.com")
            }
            openai.NewClientWithConfig(config).CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "m2"})
        }

        func Plain(token string) {
            config := openai.DefaultConfig(token)
            openai.NewClientWithConfig(config).CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "m3"})
        }

        func (b *Bot) Ask() {
            b.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "m1"})
        }
    """})
    assert {path.line: sorted(p for p, _ in targets(path)) for path in result.paths} == {
        # the default struct, the Azure one made in a branch, the default with its BaseURL written in another
        33: ["azure-openai", "deepseek", "openai"],
        24: ["azure-openai", "openai"],
        # a struct made one way only is that one
        29: ["openai"],
    }
