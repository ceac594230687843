"""Go's block scopes: a name declared with ``:=`` or ``var`` in an if branch, a switch case or a loop body is its
own variable, seen only there; ``=`` sets the variable declared further out, which later statements read."""

from tests.scan.conftest import targets

EINO_IMPORTS = """
    import (
        "context"
        "os"

        "github.com/cloudwego/eino-ext/components/model/ark"
        "github.com/cloudwego/eino-ext/components/model/openai"
        "github.com/cloudwego/eino/components/model"
    )
"""


def test_each_branch_and_case_sends_its_own_config(scan_files):
    result = scan_files({"llm/model.go": "package llm\n" + EINO_IMPORTS + """
        func newModel(ctx context.Context, kind string) (model.ChatModel, error) {
            if kind == "openai" {
                config := &openai.ChatModelConfig{ByAzure: os.Getenv("USE_AZURE") == "true", Model: "gpt-4o"}
                return openai.NewChatModel(ctx, config)
            } else {
                config := &ark.ChatModelConfig{Model: "doubao-1.5-pro"}
                return ark.NewChatModel(ctx, config)
            }
        }

        func byCase(ctx context.Context, kind string) (model.ChatModel, error) {
            switch kind {
            case "ark":
                config := &ark.ChatModelConfig{Model: "doubao-1.5-lite"}
                return ark.NewChatModel(ctx, config)
            default:
                config := &openai.ChatModelConfig{Model: "gpt-4o-mini"}
                return openai.NewChatModel(ctx, config)
            }
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (15, [(None, "gpt-4o")]),  # Azure or not is decided at run time: this branch's flag only
        (18, [("volcengine", "doubao-1.5-pro")]),
        (26, [("volcengine", "doubao-1.5-lite")]),
        (29, [("openai", "gpt-4o-mini")]),
    ]
    assert result.paths[0].targets[0].provider_unknown == "openai or azure-openai: chosen at run time by ByAzure"


def test_assignment_inside_a_block_reaches_the_outer_variable_and_a_declaration_does_not(scan_files):
    template = """
        func {name}(ctx context.Context, local bool) {{
            baseURL := "https://api.groq.com/openai/v1"
            if local {{
                baseURL {operator} "http://localhost:11434/v1"
                println(baseURL)
            }}
            for _, name := range []string{{"a"}} {{
                var baseURL = "https://api.deepseek.com/v1"
                println(name, baseURL)
            }}
            config := openai.DefaultConfig(os.Getenv("LLM_API_KEY"))
            config.BaseURL = baseURL
            client := openai.NewClientWithConfig(config)
            client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{{Model: "llama-3.1-8b-instant"}})
        }}
    """
    result = scan_files({"llm/ask.go": """
        package llm

        import (
            "context"
            "os"

            "github.com/sashabaranov/go-openai"
        )
    """ + template.format(name="assigned", operator="=") + template.format(name="shadowed", operator=":=")})
    by_function = {p.function: {provider for provider, _ in targets(p)} for p in result.paths}
    assert by_function == {"assigned": {"groq", "ollama"}, "shadowed": {"groq"}}


def test_an_if_statements_own_declaration_is_seen_in_its_branches_only(scan_files):
    result = scan_files({"llm/init.go": "package llm\n" + EINO_IMPORTS + """
        func build(ctx context.Context) (m model.ChatModel) {
            if config := &openai.ChatModelConfig{Model: "gpt-4o"}; os.Getenv("OPENAI_API_KEY") != "" {
                m, _ = openai.NewChatModel(ctx, config)
            }
            if config := &ark.ChatModelConfig{Model: "doubao-1.5-pro"}; os.Getenv("ARK_API_KEY") == "" {
                return nil
            } else {
                m, _ = ark.NewChatModel(ctx, config)
            }
            return m
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (14, [("openai", "gpt-4o")]), (19, [("volcengine", "doubao-1.5-pro")])]
