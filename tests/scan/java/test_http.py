"""Raw HTTP in Java: java.net.http and OkHttp requests to model APIs, reported where the client sends them."""

from tests.scan.conftest import targets


def test_java_net_http_and_okhttp_requests_to_model_hosts(scan_files):
    result = scan_files({"src/main/java/com/acme/Raw.java": """
        package com.acme;

        import java.net.URI;
        import java.net.http.HttpClient;
        import java.net.http.HttpRequest;
        import java.net.http.HttpResponse;
        import okhttp3.OkHttpClient;
        import okhttp3.Request;
        import okhttp3.RequestBody;

        public class Raw {
            private static final String BASE = "https://api.deepseek.com";
            private final HttpClient http = HttpClient.newHttpClient();
            private final OkHttpClient ok = new OkHttpClient();

            String ask(String body) throws Exception {
                HttpRequest request = HttpRequest.newBuilder()
                        .uri(URI.create(BASE + "/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                http.send(request, HttpResponse.BodyHandlers.ofString());
                Request claude = new Request.Builder()
                        .url("https://api.anthropic.com/v1/messages")
                        .post(RequestBody.create(body, null))
                        .build();
                return ok.newCall(claude).execute().body().string();
            }
        }
    """})
    assert [(p.kind, p.line, sorted(targets(p))) for p in result.paths] == [
        ("http", 22, [("deepseek", None)]),
        ("http", 27, [("anthropic", None)]),
    ]


def test_requests_to_other_apis_and_model_listing_are_not_paths(scan_files):
    result = scan_files({"src/main/java/com/acme/Other.java": """
        package com.acme;

        import java.net.URI;
        import java.net.http.HttpClient;
        import java.net.http.HttpRequest;

        public class Other {
            void run(HttpClient http) throws Exception {
                http.send(HttpRequest.newBuilder().uri(URI.create("https://hooks.slack.com/chat/completions-log")).build(), null);
                HttpClient client = HttpClient.newHttpClient();
                client.send(HttpRequest.newBuilder().uri(URI.create("https://api.openai.com/v1/models")).build(), null);
                StringBuilder text = new StringBuilder().append("https://api.openai.com/v1/chat/completions");
            }
        }
    """})
    assert result.paths == []
