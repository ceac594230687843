"""Java dependency injection: a client injected by its type is the one the product's @Bean method makes."""

from tests.scan.conftest import targets


def test_an_injected_client_is_the_one_its_bean_method_makes(scan_files):
    result = scan_files({
        "src/main/java/com/acme/AiConfig.java": """
            package com.acme;

            import com.openai.client.OpenAIClient;
            import com.openai.client.okhttp.OpenAIOkHttpClient;
            import org.springframework.context.annotation.Bean;
            import org.springframework.context.annotation.Configuration;

            @Configuration
            public class AiConfig {
                @Bean
                public OpenAIClient openAiClient() {
                    return OpenAIOkHttpClient.builder().baseUrl("https://api.deepseek.com").apiKey(key).build();
                }
            }
        """,
        "src/main/java/com/acme/Assistant.java": """
            package com.acme;

            import com.openai.client.OpenAIClient;
            import com.openai.models.chat.completions.ChatCompletionCreateParams;

            public class Assistant {
                private final OpenAIClient client;

                public Assistant(OpenAIClient client) {
                    this.client = client;
                }

                public void ask() {
                    client.chat().completions().create(ChatCompletionCreateParams.builder().model("deepseek-chat").build());
                }
            }
        """,
    })
    [path] = result.paths
    assert (path.file, targets(path)) == ("src/main/java/com/acme/Assistant.java", {("deepseek", "deepseek-chat")})


def test_without_a_bean_of_its_type_the_endpoint_stays_unknown(scan_files):
    result = scan_files({
        "src/main/java/com/acme/Other.java": """
            package com.acme;

            import com.openai.client.okhttp.OpenAIOkHttpClient;
            import org.springframework.context.annotation.Bean;

            public class Other {
                @Bean
                public Object notAClient() {
                    return OpenAIOkHttpClient.builder().baseUrl("https://api.deepseek.com").build();
                }
            }
        """,
        "src/main/java/com/acme/Assistant.java": """
            package com.acme;

            import com.openai.client.OpenAIClient;
            import com.openai.models.chat.completions.ChatCompletionCreateParams;

            public class Assistant {
                public void ask(OpenAIClient client) {
                    client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o").build());
                }
            }
        """,
    })
    [path] = result.paths
    [target] = path.targets
    assert (target.provider, target.model) == (None, "gpt-4o")
