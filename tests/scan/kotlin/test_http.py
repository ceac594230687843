"""Raw HTTP in Kotlin: OkHttp's Request.Builder() and java.net.http requests to model APIs."""

from tests.scan.conftest import targets


def test_okhttp_and_java_net_http_requests(scan_files):
    result = scan_files({"src/main/kotlin/com/acme/Raw.kt": """
        package com.acme

        import java.net.URI
        import java.net.http.HttpClient
        import java.net.http.HttpRequest
        import okhttp3.OkHttpClient
        import okhttp3.Request

        class Raw(private val body: okhttp3.RequestBody) {
            private val ok = OkHttpClient()
            private val http = HttpClient.newHttpClient()

            fun ask(json: String) {
                val request = Request.Builder().url("https://api.mistral.ai/v1/chat/completions").post(body).build()
                ok.newCall(request).execute()
                val gemini = HttpRequest.newBuilder()
                    .uri(URI.create("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent"))
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build()
                http.send(gemini, null)
                val notes = Request.Builder().url("https://notes.example.com/v1/notes").build()
                ok.newCall(notes).execute()
            }
        }
    """})
    assert [(p.line, sorted(targets(p))) for p in result.paths] == [
        (15, [("mistral", None)]), (20, [("google", "gemini-2.0-flash")])]
