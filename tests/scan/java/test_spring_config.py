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
