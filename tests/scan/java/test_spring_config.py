"""Spring AI paths take their model from application.yml / application.properties."""

from tests.scan.conftest import only, targets


def test_chat_client_model_comes_from_application_yml(scan_files):
    result = scan_files({
        "src/main/resources/application.yml": """
            spring:
              ai:
                openai:
                  chat:
                    options:
                      model: gpt-4o-mini
        """,
        "src/main/java/com/acme/SupportController.java": """
            package com.acme;

            import org.springframework.ai.chat.client.ChatClient;
            import org.springframework.ai.openai.OpenAiChatModel;
            import org.springframework.web.bind.annotation.*;

            @RestController
            class SupportController {
                private final ChatClient chat;

                SupportController(OpenAiChatModel model) {
                    this.chat = ChatClient.builder(model).build();
                }

                @GetMapping("/reply")
                String reply(@RequestParam String question) {
                    return chat.prompt().user(question).call().content();
                }
            }
        """,
    })
    path = only(result)
    assert targets(path) == {("openai", "gpt-4o-mini")}
    assert "application.yml" in path.targets[0].model_why
    assert result.config == []  # the setting is linked to the path, not reported on its own


def _spring_app(starter: str, properties: str = "") -> dict[str, str]:
    files = {
        "pom.xml": f"""
            <project>
              <dependencies>
                <dependency>
                  <groupId>org.springframework.ai</groupId>
                  <artifactId>{starter}</artifactId>
                </dependency>
              </dependencies>
            </project>
        """,
        "src/main/java/com/acme/Answers.java": """
            package com.acme;

            import org.springframework.ai.chat.client.ChatClient;

            class Answers {
                private final ChatClient chat;

                Answers(ChatClient.Builder builder) {
                    this.chat = builder.build();
                }

                String answer(String question) {
                    return chat.prompt().user(question).call().content();
                }
            }
        """,
    }
    if properties:
        files["src/main/resources/application.properties"] = properties
    return files


def _in(folder: str, files: dict[str, str]) -> dict[str, str]:
    return {f"{folder}/{relpath}": text for relpath, text in files.items()}


def test_chat_client_provider_is_the_starter_its_own_project_declares(scan_files):
    """A repository of several Spring AI applications: each ChatClient asks its own application's starter, with
    its own settings; a sibling's starter or model setting says nothing about it, and a model setting of another
    starter (Ollama's llama3.2 beside the Anthropic starter) is not the model, nor a clue to the provider."""
    result = scan_files({
        "pom.xml": "<project><modules><module>openai-app</module><module>anthropic-app</module></modules></project>",
        **_in("openai-app", _spring_app("spring-ai-starter-model-openai",
                                        "spring.ai.openai.chat.options.model=gpt-4o-mini\n")),
        **_in("anthropic-app", _spring_app("spring-ai-starter-model-anthropic",
                                           "spring.ai.ollama.chat.options.model=llama3.2:latest\n")),
    })
    by_app = {path.file.split("/")[0]: path for path in result.paths}
    assert targets(by_app["openai-app"]) == {("openai", "gpt-4o-mini")}
    assert "openai-app/pom.xml" in by_app["openai-app"].targets[0].provider_why
    assert targets(by_app["anthropic-app"]) == {("anthropic", None)}
    assert "anthropic-app/pom.xml" in by_app["anthropic-app"].targets[0].provider_why


def test_chat_client_without_a_declared_starter_keeps_the_configured_models_provider(scan_files):
    """No starter in the build (a build the scan cannot read): the model setting under the starter's prefix
    still says which model, and so which provider."""
    files = _spring_app("spring-ai-bom", "spring.ai.anthropic.chat.options.model=claude-sonnet-4-5\n")
    path = only(scan_files(files))
    assert targets(path) == {("anthropic", "claude-sonnet-4-5")}


def _starter_app(group: str, starter: str, properties: str) -> dict[str, str]:
    files = _spring_app(starter, properties)
    files["pom.xml"] = files["pom.xml"].replace("org.springframework.ai", group)
    return files


def test_chat_client_reads_the_model_setting_of_its_declared_starter_only(scan_files):
    """The starter's own setting names the model (DashScope's, or a family member's by its segment:
    spring.ai.mistralai...); another starter's setting in the same file is not its model, nor is the model of a
    provider no rule knows the setting of guessed from another's."""
    result = scan_files({
        "pom.xml": "<project><modules><module>qwen</module><module>mistral</module></modules></project>",
        **_in("qwen", _starter_app("com.alibaba.cloud.ai", "spring-ai-alibaba-starter-dashscope",
                                   "spring.ai.dashscope.chat.options.model=qwen-max\n"
                                   "spring.ai.openai.chat.options.model=gpt-4o\n")),
        **_in("mistral", _starter_app("org.springframework.ai", "spring-ai-starter-model-mistral-ai",
                                      "spring.ai.mistralai.chat.options.model=mistral-small-latest\n"
                                      "spring.ai.openai.chat.options.model=gpt-4o\n")),
    })
    by_app = {path.file.split("/")[0]: path for path in result.paths}
    assert targets(by_app["qwen"]) == {("dashscope", "qwen-max")}
    assert targets(by_app["mistral"]) == {("mistral", "mistral-small-latest")}


def test_another_starters_model_setting_is_not_the_model_of_the_declared_one(scan_files):
    files = _starter_app("com.alibaba.cloud.ai", "spring-ai-alibaba-starter-dashscope",
                         "spring.ai.openai.chat.options.model=gpt-4o\n")
    path = only(scan_files(files))
    assert targets(path) == {("dashscope", None)}
    assert path.targets[0].model_unknown.startswith("$spring.ai.dashscope.chat.options.model")


def test_the_declared_starters_base_url_setting_decides_where_it_sends(scan_files):
    """The OpenAI starter pointed at DashScope's compatible endpoint reaches DashScope; another starter's
    base URL setting is not this one's."""
    result = scan_files({
        "pom.xml": "<project><modules><module>compat</module><module>plain</module></modules></project>",
        **_in("compat", _spring_app("spring-ai-starter-model-openai",
                                    "spring.ai.openai.base-url=https://dashscope.aliyuncs.com/compatible-mode\n"
                                    "spring.ai.openai.chat.options.model=qwen-plus\n")),
        **_in("plain", _spring_app("spring-ai-starter-model-openai",
                                   "spring.ai.ollama.base-url=http://localhost:11434\n"
                                   "spring.ai.openai.chat.options.model=gpt-4o\n")),
    })
    by_app = {path.file.split("/")[0]: path for path in result.paths}
    assert targets(by_app["compat"]) == {("dashscope", "qwen-plus")}
    assert "dashscope.aliyuncs.com" in by_app["compat"].targets[0].provider_why
    assert targets(by_app["plain"]) == {("openai", "gpt-4o")}
