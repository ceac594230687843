"""Go: a client known only by its declared type (a parameter *openai.Client) is a path whose provider is the
SDK's own when it cannot be redirected, and unknown, with why, when its endpoint is the caller's choice."""

from tests.scan.conftest import targets


def test_parameters_typed_with_an_sdk_client(scan_files):
    result = scan_files({"internal/ask/ask.go": """
        package ask

        import (
            "github.com/anthropics/anthropic-sdk-go"
            "github.com/openai/openai-go"
        )

        func Claude(ctx context.Context, client *anthropic.Client) {
            client.Messages.New(ctx, anthropic.MessageNewParams{Model: "claude-sonnet-4-5"})
        }

        func GPT(ctx context.Context, client openai.Client, model string) {
            client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: model})
        }
    """})
    claude, gpt = result.paths
    assert targets(claude) == {("anthropic", "claude-sonnet-4-5")}
    [target] = gpt.targets
    assert (target.provider, target.model) == (None, None)
    assert "client" in (target.unresolved or "")


def test_a_parameter_of_a_look_alike_type_is_no_path(scan_files):
    result = scan_files({"internal/ask/store.go": """
        package ask

        import "github.com/acme/anthropic"

        func Save(ctx context.Context, client *anthropic.Client) {
            client.Messages.New(ctx, anthropic.MessageNewParams{Model: "claude-sonnet-4-5"})
        }
    """})
    assert result.paths == []
