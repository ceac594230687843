"""Go modules for the synthetic repository, and the Go inference calls it plants."""

from __future__ import annotations

import random
from collections.abc import Callable

from .base import PLANT_MARK, WORDS, Language, Template, camel, function, insert_at_top_level, name, snake_to_camel

LIBRARIES = [
    '"context"',
    '"errors"',
    '"fmt"',
    '"strings"',
    '"time"',
    '"sort"',
    '"log/slog"',
    '"github.com/jackc/pgx/v5"',
    '"github.com/go-chi/chi/v5"',
]
GITIGNORE = "/bin/\n*.test\n*.out\n"


def _go(*lines: str) -> Callable[[str], list[str]]:
    return function("func {name}(ctx context.Context, prompt string) (string, error) {{", list(lines), "}", "\t")


TEMPLATES = (
    Template(
        "openai-go",
        "github.com/openai/openai-go",
        "openai",
        "gpt-4o-mini",
        ('"github.com/openai/openai-go"',),
        _go(
            "client := openai.NewClient()",
            "resp, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{" + PLANT_MARK,
            '\tModel:    "gpt-4o-mini",',
            "\tMessages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)},",
            "})",
            "if err != nil {",
            '\treturn "", err',
            "}",
            "return resp.Choices[0].Message.Content, nil",
        ),
    ),
    Template(
        "go-openai-deepseek-base-url",
        "github.com/sashabaranov/go-openai",
        "deepseek",
        "deepseek-chat",
        ('openai "github.com/sashabaranov/go-openai"', '"os"'),
        _go(
            'config := openai.DefaultConfig(os.Getenv("DEEPSEEK_API_KEY"))',
            'config.BaseURL = "https://api.deepseek.com/v1"',
            "client := openai.NewClientWithConfig(config)",
            "resp, err := client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{" + PLANT_MARK,
            '\tModel:    "deepseek-chat",',
            "\tMessages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: prompt}},",
            "})",
            "if err != nil {",
            '\treturn "", err',
            "}",
            "return resp.Choices[0].Message.Content, nil",
        ),
    ),
    Template(
        "anthropic-go",
        "github.com/anthropics/anthropic-sdk-go",
        "anthropic",
        "claude-3-7-sonnet-latest",
        ('"github.com/anthropics/anthropic-sdk-go"',),
        _go(
            "client := anthropic.NewClient()",
            "msg, err := client.Messages.New(ctx, anthropic.MessageNewParams{" + PLANT_MARK,
            '\tModel:     "claude-3-7-sonnet-latest",',
            "\tMaxTokens: 1024,",
            "\tMessages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(prompt))},",
            "})",
            "if err != nil {",
            '\treturn "", err',
            "}",
            "return msg.Content[0].Text, nil",
        ),
    ),
    Template(
        "bedrock-converse-go",
        "github.com/aws/aws-sdk-go-v2/service/bedrockruntime",
        "aws-bedrock",
        "anthropic.claude-3-haiku-20240307-v1:0",
        (
            '"github.com/aws/aws-sdk-go-v2/aws"',
            '"github.com/aws/aws-sdk-go-v2/config"',
            '"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"',
            '"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"',
        ),
        _go(
            'cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"))',
            "if err != nil {",
            '\treturn "", err',
            "}",
            "client := bedrockruntime.NewFromConfig(cfg)",
            "out, err := client.Converse(ctx, &bedrockruntime.ConverseInput{" + PLANT_MARK,
            '\tModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"),',
            "\tMessages: []types.Message{{Role: types.ConversationRoleUser,",
            "\t\tContent: []types.ContentBlock{&types.ContentBlockMemberText{Value: prompt}}}},",
            "})",
            "if err != nil {",
            '\treturn "", err',
            "}",
            "return fmt.Sprint(out.Output), nil",
        ),
    ),
    Template(
        "go-http-openai",
        "net/http",
        "openai",
        "gpt-4o",
        ('"net/http"', '"io"', '"os"'),
        _go(
            'body := strings.NewReader(`{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}`)',
            "req, err := http.NewRequestWithContext(" + PLANT_MARK,
            '\tctx, http.MethodPost, "https://api.openai.com/v1/chat/completions", body)',
            "if err != nil {",
            '\treturn "", err',
            "}",
            'req.Header.Set("Authorization", "Bearer "+os.Getenv("OPENAI_API_KEY"))',
            "resp, err := http.DefaultClient.Do(req)",
            "if err != nil {",
            '\treturn "", err',
            "}",
            "defer resp.Body.Close()",
            "data, err := io.ReadAll(resp.Body)",
            "return string(data), err",
        ),
    ),
)

DECOYS = (
    _go(
        "// Slack's API has messages too; this is not a model call (we moved off openai).",
        '_, _, err := slackClient.PostMessage(prompt, slack.MsgOptionText("done", false))',
        'return "", err',
    ),
    _go(
        "type settings struct{ OpenAI bool } // a feature flag, not the SDK",
        'return fmt.Sprint(settings{OpenAI: prompt != ""}), nil',
    ),
)


class Go(Language):
    name = "go"
    suffix = ".go"
    rg_type = "go"
    gitignore = GITIGNORE
    templates = TEMPLATES
    decoys = DECOYS

    def path(self, area: str, package: str, sub: str, stem: str) -> str:
        if area in ("src", "tests"):
            test = "_test" if area == "tests" else ""
            return f"go/{package}/internal/{sub}/{stem}{test}.go".replace("//", "/")
        return f"go/{package}/cmd/{stem}/main.go"

    def function_name(self, snake: str) -> str:
        return snake_to_camel(snake, upper_first=True)

    def module(self, rng: random.Random, path: str, package: str, lines: int, is_test: bool) -> list[str]:
        folder = path.rsplit("/", 2)[-2]
        clause = "main" if path.endswith("/main.go") else folder.replace("-", "")
        imports = sorted({'"context"', '"fmt"', '"strings"', *rng.sample(LIBRARIES, rng.randint(0, 3))})
        if is_test:
            imports.append('"testing"')
        out = [
            f"// Package {clause} handles {rng.choice(WORDS)}s for {package}.",
            f"package {clause}",
            "",
            "import (",
            *(f"\t{line}" for line in imports),
            ")",
            "",
        ]
        makers = (self._function, self._struct)
        out += rng.choice(makers)(rng)
        while len(out) < lines:
            out += (self._test if is_test and rng.random() < 0.4 else rng.choice(makers))(rng)
        return out

    def with_block(self, module: list[str], block: list[str], imports: tuple[str, ...]) -> list[str]:
        body = insert_at_top_level(module, block, lambda line: line.startswith(("func ", "type ")))
        at = body.index("import (") + 1
        return [*body[:at], *(f"\t{line}" for line in imports), *body[at:]]

    def _statement(self, rng: random.Random, pad: str) -> list[str]:
        a, b = snake_to_camel(name(rng)), snake_to_camel(name(rng))
        kind = rng.randrange(5)
        if kind == 0:
            return [f'{pad}{a} := strings.TrimSpace({b} + "{rng.choice(WORDS)}")', f"{pad}_ = {a}"]
        if kind == 1:
            return [f"{pad}if {a} == nil {{", f'{pad}\treturn fmt.Errorf("missing {rng.choice(WORDS)}")', f"{pad}}}"]
        if kind == 2:
            return [f"{pad}for _, {rng.choice(WORDS)} := range {b} {{", f"{pad}\tcount++", f"{pad}}}"]
        if kind == 3:
            return [
                f"{pad}// {rng.choice(WORDS)} before {rng.choice(WORDS)}: it may be stale",
                f"{pad}{a} := len({b}) * {rng.randint(1, 9)}",
                f"{pad}_ = {a}",
            ]
        return [f"{pad}select {{", f"{pad}case <-ctx.Done():", f"{pad}\treturn ctx.Err()", f"{pad}default:", f"{pad}}}"]

    def _function(self, rng: random.Random) -> list[str]:
        head = f"func {snake_to_camel(name(rng), upper_first=True)}(ctx context.Context, count int) error {{"
        body = []
        for _ in range(rng.randint(2, 8)):
            body += self._statement(rng, "\t")
        return [head, *body, "\treturn nil", "}", ""]

    def _struct(self, rng: random.Random) -> list[str]:
        type_name = camel(rng)
        lines = [f"type {type_name} struct {{", "\tstore map[string]int", "\tlimit int", "}", ""]
        for _ in range(rng.randint(1, 3)):
            lines += [
                f"func (s *{type_name}) {snake_to_camel(name(rng), upper_first=True)}(key string) int {{",
                "\tvalue, ok := s.store[key]",
                "\tif !ok {",
                f"\t\treturn {rng.randint(0, 9)}",
                "\t}",
                "\tif value > s.limit {",
                "\t\tvalue = s.limit",
                "\t}",
                "\treturn value",
                "}",
                "",
            ]
        return lines

    def _test(self, rng: random.Random) -> list[str]:
        return [
            f"func Test{camel(rng)}(t *testing.T) {{",
            f"\tif got := {rng.randint(0, 9)}; got != 1 {{",
            '\t\tt.Fatalf("got %d", got)',
            "\t}",
            "}",
            "",
        ]
