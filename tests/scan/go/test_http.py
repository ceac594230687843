"""Raw HTTP in Go: URLs composed with fmt.Sprintf, url.JoinPath, path.Join and +, from constants in other files
of the package; a request built with http.NewRequest is reported where client.Do sends it."""

from tests.scan.conftest import only, targets


def test_request_built_with_sprintf_from_a_constant_of_another_file_is_reported_where_it_is_sent(scan_files):
    result = scan_files({
        "internal/llm/consts.go": """
            package llm

            const apiHost = "api.deepseek.com"
        """,
        "internal/llm/client.go": """
            package llm

            import (
                "bytes"
                "fmt"
                "net/http"
            )

            type Client struct{ http *http.Client }

            func (c *Client) Ask(body []byte) {
                endpoint := fmt.Sprintf("https://%s/v1/chat/completions?v=%d", apiHost, 2)
                req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
                if err != nil {
                    return
                }
                req.Header.Set("Content-Type", "application/json")
                c.http.Do(req)
            }
        """,
    })
    path = only(result)
    assert (path.kind, path.line, path.snippet) == ("http", 18, "c.http.Do(req)")
    assert targets(path) == {("deepseek", None)}


def test_url_join_path_and_path_join_compose_the_url(scan_files):
    result = scan_files({"svc/raw.go": """
        package svc

        import (
            "net/http"
            "net/url"
            "path"
        )

        const base = "https://api.groq.com/openai/"

        func Ask() {
            u, _ := url.JoinPath(base, "/v1/", "chat/completions")
            http.Post(u, "application/json", nil)
            http.Post("https://api.mistral.ai/"+path.Join("v1", "embeddings"), "application/json", nil)
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (13, [("groq", None)]), (14, [("mistral", None)])]


def test_look_alike_requests_are_not_paths(scan_files):
    result = scan_files({"svc/other.go": """
        package svc

        import (
            "fmt"
            "net/http"
        )

        func Notify(user string) {
            req, _ := http.NewRequest("POST", fmt.Sprintf("https://hooks.example.com/%s/messages", user), nil)
            http.DefaultClient.Do(req)
            msg := fmt.Sprintf("see https://api.openai.com/v1/chat/completions for %s", user)
            fmt.Println(msg)
        }
    """})
    assert result.paths == []


def test_a_helper_that_sends_its_url_parameter_reports_what_its_callers_pass(scan_files):
    result = scan_files({"internal/llm/client.go": """
        package llm

        import (
            "bytes"
            "net/http"
        )

        const deepseek = "https://api.deepseek.com"

        type Client struct{ http *http.Client }

        func (c *Client) post(url string, body []byte) error {
            req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
            if err != nil {
                return err
            }
            _, err = c.http.Do(req)
            return err
        }

        func (c *Client) Chat(body []byte) error {
            return c.post(deepseek+"/v1/chat/completions", body)
        }

        func (c *Client) Embed(body []byte) error {
            return c.post("https://api.mistral.ai/v1/embeddings", body)
        }
    """})
    path = only(result)
    assert (path.line, path.snippet) == (17, "_, err = c.http.Do(req)")
    assert {p for p, _ in targets(path)} == {"deepseek", "mistral"}


def test_a_helper_whose_callers_pass_no_model_url_is_no_path(scan_files):
    result = scan_files({"internal/hooks/hooks.go": """
        package hooks

        import "net/http"

        func send(url string) {
            req, _ := http.NewRequest("POST", url, nil)
            http.DefaultClient.Do(req)
        }

        type Other struct{}

        func (Other) send(url string) {}

        func Notify() {
            send("https://hooks.example.com/deploy")
            Other{}.send("https://api.openai.com/v1/chat/completions")
        }
    """})
    assert result.paths == []


def test_callers_in_other_files_of_the_package_reach_the_helper(scan_files):
    result = scan_files({
        "internal/llm/send.go": """
            package llm

            import "net/http"

            func send(url string, model string) {
                req, _ := http.NewRequest("POST", url, nil)
                http.DefaultClient.Do(req)
            }
        """,
        "internal/llm/groq.go": """
            package llm

            func AskGroq() {
                send("https://api.groq.com/openai/v1/chat/completions", "llama-3.3-70b-versatile")
            }
        """,
    })
    path = only(result)
    assert (path.file, path.line) == ("internal/llm/send.go", 7)
    assert {p for p, _ in targets(path)} == {"groq"}


def test_an_unknown_label_of_a_host_stands_for_some_label(scan_files):
    result = scan_files({"pkg/ai/mantle.go": """
        package ai

        import (
            "fmt"

            openai "github.com/sashabaranov/go-openai"
        )

        func Ask(token, region, tenant string) {
            config := openai.DefaultConfig(token)
            config.BaseURL = fmt.Sprintf("https://bedrock-mantle.%s.api.aws/v1", region)
            openai.NewClientWithConfig(config).CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "m1"})
            other := openai.DefaultConfig(token)
            other.BaseURL = fmt.Sprintf("https://api.%s.com/v1", tenant)
            openai.NewClientWithConfig(other).CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: "m2"})
        }
    """})
    assert [sorted(p for p, _ in targets(path)) for path in result.paths] == [["aws-bedrock"], [None]]


CUSTOM_REST = """
    package ai

    import (
        "bytes"
        "encoding/json"
        "net/http"
        "net/url"
    )

    const defaultBase = "http://localhost:11434"

    type Request struct {
        {fields}
    }

    type Client struct {
        base  *url.URL
        model string
    }

    func (c *Client) Configure(baseURL string) {
        if baseURL == "" {
            baseURL = defaultBase
        }
        parsed, _ := url.Parse(baseURL)
        c.base = parsed
        c.model = "llama3"
    }

    func (c *Client) Ask(prompt string) {
        body, _ := json.Marshal(&Request{{values}})
        request, _ := http.NewRequest(http.MethodPost, c.base.String(), bytes.NewBuffer(body))
        http.DefaultClient.Do(request)
    }
"""


def test_a_struct_naming_a_model_posted_to_a_private_address_is_a_self_hosted_server(scan_files):
    source = CUSTOM_REST.replace("{fields}", 'Model string `json:"model"`\n    Prompt string `json:"prompt"`') \
        .replace("{values}", "Model: c.model, Prompt: prompt")
    path = only(scan_files({"pkg/ai/customrest.go": source}))
    assert (path.line, path.snippet, targets(path)) == (34, "http.DefaultClient.Do(request)", {("self-hosted", "llama3")})
    # the port is Ollama's, but Ollama serves no API at the bare address: the server is the user's own, not named
    assert "no model API's path" in path.targets[0].provider_why


def test_a_struct_naming_no_model_posted_to_a_private_address_is_no_path(scan_files):
    source = CUSTOM_REST.replace("{fields}", 'Query string `json:"query"`\n    Limit int `json:"limit"`') \
        .replace("{values}", "Query: prompt, Limit: 5")
    assert scan_files({"pkg/ai/search.go": source}).paths == []


def _built_and_sent(url: str) -> dict[str, str]:
    return {
        "internal/gemini/build.go": """
            package gemini

            import (
                "bytes"
                "context"
                "net/http"
            )

            type Builder struct{}

            func (b *Builder) Build(ctx context.Context, url string, body []byte) (req *http.Request, err error) {
                req, err = http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
                return
            }
        """,
        "internal/gemini/client.go": f"""
            package gemini

            import (
                "context"
                "net/http"
            )

            type Config struct {{
                BaseURL string
                Retries int
            }}

            type Client struct {{
                config  Config
                builder *Builder
            }}

            func New(config Config) *Client {{ return &Client{{config: config, builder: &Builder{{}}}} }}

            func DefaultConfig() Config {{ return Config{{BaseURL: "{url}"}} }}

            func Default() *Client {{
                cfg := DefaultConfig()
                cfg.Retries = 3  // a field set afterwards: the others stay as DefaultConfig made them
                return New(cfg)
            }}

            func (c *Client) newRequest(ctx context.Context, baseURL string, body []byte) (*http.Request, error) {{
                req, err := c.builder.Build(ctx, baseURL, body)
                return req, err
            }}

            func (c *Client) Ask(ctx context.Context, body []byte) {{
                req, _ := c.newRequest(ctx, c.config.BaseURL, body)
                send(req)
            }}

            func send(req *http.Request) {{
                http.DefaultClient.Do(req)
            }}
        """,
    }


def test_a_request_built_by_a_helper_is_reported_where_another_function_sends_it(scan_files):
    path = only(scan_files(_built_and_sent(
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent")))
    assert (path.file, path.line, path.snippet) == ("internal/gemini/client.go", 39, "http.DefaultClient.Do(req)")
    assert targets(path) == {("google", "gemini-2.0-flash")}


def test_a_request_built_by_a_helper_for_another_service_is_no_path(scan_files):
    result = scan_files(_built_and_sent("https://storage.example.com/v1/upload"))
    assert result.files_parsed >= 1 and result.paths == []


def test_an_accounts_billing_and_balance_on_a_model_host_ask_no_model(scan_files):
    """A relay checks each channel's balance on the provider's own host (/dashboard/billing/..., /user/balance,
    /credits): those requests ask no model; the chat request beside them does."""
    result = scan_files({"relay/billing.go": """
        package relay

        import (
            "fmt"
            "net/http"
        )

        func get(url string) {
            req, _ := http.NewRequest("GET", url, nil)
            http.DefaultClient.Do(req)
        }

        func Balances(base string) {
            get(fmt.Sprintf("%s/v1/dashboard/billing/subscription", "https://api.openai.com"))
            get("https://api.deepseek.com/user/balance")
            get("https://openrouter.ai/api/v1/credits")
            http.Post("https://api.deepseek.com/chat/completions", "application/json", nil)
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [(17, [("deepseek", None)])]
