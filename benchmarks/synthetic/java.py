"""Java classes for the synthetic repository, and the Java inference calls it plants."""

from __future__ import annotations

import random
from collections.abc import Callable

from .base import PLANT_MARK, WORDS, Language, Template, function, name, snake_to_camel

LIBRARIES = [
    "import java.time.Instant;",
    "import java.util.Optional;",
    "import java.util.stream.Collectors;",
    "import org.slf4j.Logger;",
    "import org.springframework.stereotype.Service;",
    "import com.fasterxml.jackson.databind.ObjectMapper;",
]
GITIGNORE = "target/\n.gradle/\n*.class\n"


def _java(*lines: str) -> Callable[[str], list[str]]:
    return function("public String {name}(String prompt) {{", list(lines), "}", "    ", base="    ")


TEMPLATES = (
    Template(
        "openai-java",
        "com.openai:openai-java",
        "openai",
        "gpt-4o-mini",
        (
            "import com.openai.client.OpenAIClient;",
            "import com.openai.client.okhttp.OpenAIOkHttpClient;",
            "import com.openai.models.chat.completions.ChatCompletion;",
            "import com.openai.models.chat.completions.ChatCompletionCreateParams;",
        ),
        _java(
            "OpenAIClient client = OpenAIOkHttpClient.fromEnv();",
            "ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()",
            "        .addUserMessage(prompt)",
            '        .model("gpt-4o-mini")',
            "        .build();",
            "ChatCompletion completion = client.chat().completions().create(params);" + PLANT_MARK,
            'return completion.choices().get(0).message().content().orElse("");',
        ),
    ),
    Template(
        "anthropic-java",
        "com.anthropic:anthropic-java",
        "anthropic",
        "claude-3-5-sonnet-latest",
        (
            "import com.anthropic.client.AnthropicClient;",
            "import com.anthropic.client.okhttp.AnthropicOkHttpClient;",
            "import com.anthropic.models.messages.Message;",
            "import com.anthropic.models.messages.MessageCreateParams;",
        ),
        _java(
            "AnthropicClient client = AnthropicOkHttpClient.fromEnv();",
            "MessageCreateParams params = MessageCreateParams.builder()",
            '        .model("claude-3-5-sonnet-latest")',
            "        .maxTokens(1024L)",
            "        .addUserMessage(prompt)",
            "        .build();",
            "Message message = client.messages().create(params);" + PLANT_MARK,
            'return message.content().get(0).text().map(block -> block.text()).orElse("");',
        ),
    ),
    Template(
        "bedrock-converse-java",
        "software.amazon.awssdk:bedrockruntime",
        "aws-bedrock",
        "amazon.nova-pro-v1:0",
        (
            "import software.amazon.awssdk.regions.Region;",
            "import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;",
            "import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;",
            "import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;",
            "import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;",
            "import software.amazon.awssdk.services.bedrockruntime.model.Message;",
        ),
        _java(
            "BedrockRuntimeClient client = BedrockRuntimeClient.builder().region(Region.US_EAST_1).build();",
            "Message message = Message.builder()",
            "        .content(ContentBlock.fromText(prompt)).role(ConversationRole.USER).build();",
            "ConverseResponse response = client.converse(request -> request" + PLANT_MARK,
            '        .modelId("amazon.nova-pro-v1:0")',
            "        .messages(message));",
            "return response.output().message().content().get(0).text();",
        ),
    ),
    Template(
        "langchain4j-openai",
        "dev.langchain4j:langchain4j-open-ai",
        "openai",
        "gpt-4o",
        ("import dev.langchain4j.model.openai.OpenAiChatModel;",),
        _java(
            "OpenAiChatModel model = OpenAiChatModel.builder()" + PLANT_MARK,
            '        .apiKey(System.getenv("OPENAI_API_KEY"))',
            '        .modelName("gpt-4o")',
            "        .build();",
            "return model.chat(prompt);",
        ),
    ),
)

DECOYS = (
    _java(
        "// Slack's API has chat and messages too; not a model call (we moved off openai).",
        'slack.methods().chatPostMessage(r -> r.channel("#ops").text(prompt));',
        "return prompt;",
    ),
    _java(
        'boolean openAiEnabled = settings.getOrDefault("openai", false); // a feature flag, not the SDK',
        "return String.valueOf(openAiEnabled);",
    ),
)


class Java(Language):
    name = "java"
    suffix = ".java"
    rg_type = "java"
    gitignore = GITIGNORE
    templates = TEMPLATES
    decoys = DECOYS

    def path(self, area: str, package: str, sub: str, stem: str) -> str:
        class_name = snake_to_camel(stem.rsplit("_", 1)[0], upper_first=True) + stem.rsplit("_", 1)[1]
        source_set = {"src": "main", "tests": "test"}.get(area, area)
        suffix = "Test" if area == "tests" else ""
        return f"java/{package}/src/{source_set}/java/com/acme/{package}/{sub}/{class_name}{suffix}.java".replace(
            "//", "/"
        )

    def function_name(self, snake: str) -> str:
        return snake_to_camel(snake)

    def module(self, rng: random.Random, path: str, package: str, lines: int, is_test: bool) -> list[str]:
        java_package = path.split("/java/", 1)[1].rsplit("/", 1)[0].replace("/", ".")
        class_name = path.rsplit("/", 1)[1].removesuffix(".java")
        imports = sorted({"import java.util.List;", "import java.util.Map;", *rng.sample(LIBRARIES, rng.randint(0, 3))})
        if is_test:
            imports.append("import org.junit.jupiter.api.Test;")
        out = [
            f"package {java_package};",
            "",
            *imports,
            "",
            f"/** {rng.choice(WORDS).title()}s for {package}. */",
            f"public class {class_name} {{",
            "    private final Map<String, Integer> store;",
            "",
            f"    public {class_name}(Map<String, Integer> store) {{",
            "        this.store = store;",
            "    }",
            "",
        ]
        out += self._method(rng, is_test)
        while len(out) < lines - 1:
            out += self._method(rng, is_test)
        return [*out, "}"]

    def with_block(self, module: list[str], block: list[str], imports: tuple[str, ...]) -> list[str]:
        body = [*module[:-1], *block, module[-1]]  # a method at the end of the class
        return [body[0], "", *imports, *body[1:]]

    def _method(self, rng: random.Random, is_test: bool) -> list[str]:
        method = snake_to_camel(name(rng))
        if is_test and rng.random() < 0.4:
            return [
                "    @Test",
                f"    void {method}() {{",
                f"        assert store.size() >= {rng.randint(0, 9)};",
                "    }",
                "",
            ]
        lines = [f"    public int {method}(List<String> keys) {{", "        int total = 0;"]
        for _ in range(rng.randint(2, 6)):
            word = rng.choice(WORDS)
            lines += [
                f"        // {word} before {rng.choice(WORDS)}: it may be stale",
                "        for (String key : keys) {",
                f'            total += store.getOrDefault(key + "{word}", {rng.randint(0, 9)});',
                "        }",
            ]
        return [*lines, "        return total;", "    }", ""]
