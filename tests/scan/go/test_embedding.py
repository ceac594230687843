"""Go struct embedding: a struct that embeds an SDK client calls the client's methods as its own (promoted)."""

from tests.scan.conftest import targets


def test_methods_promoted_from_an_embedded_client_set_in_a_literal(scan_files):
    result = scan_files({"internal/llm/anthropic.go": """
        package llm

        import (
            "github.com/anthropics/anthropic-sdk-go"
            "github.com/anthropics/anthropic-sdk-go/option"
        )

        type Client struct {
            *anthropic.Client
        }

        func New(key string) *Client {
            client := anthropic.NewClient(option.WithAPIKey(key))
            return &Client{Client: &client}
        }

        func (c *Client) Ask(ctx context.Context) {
            c.Messages.NewStreaming(ctx, anthropic.MessageNewParams{Model: "claude-sonnet-4-5"})
        }
    """})
    assert [(p.line, p.sdk, sorted(targets(p))) for p in result.paths] == [
        (18, "anthropic-sdk-go", [("anthropic", "claude-sonnet-4-5")])]


def test_promoted_through_a_declared_type_and_through_an_embedded_struct(scan_files):
    result = scan_files({"internal/llm/ollama.go": """
        package llm

        import "github.com/ollama/ollama/api"

        type base struct {
            *api.Client
        }

        type Service struct {
            base
            name string
        }

        func (s *Service) Ask(ctx context.Context) {
            s.Chat(ctx, &api.ChatRequest{Model: "llama3.2"}, nil)
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [(15, [("ollama", "llama3.2")])]


def test_an_embedded_struct_of_the_product_with_a_look_alike_method_is_no_path(scan_files):
    result = scan_files({"internal/store/store.go": """
        package store

        import "github.com/acme/kv"

        type Store struct {
            *kv.Client
        }

        func (s *Store) Save(ctx context.Context) {
            s.Chat(ctx, &kv.ChatRequest{Model: "llama3.2"})
            s.Messages.NewStreaming(ctx, kv.Params{Model: "claude-sonnet-4-5"})
        }
    """})
    assert result.paths == []
