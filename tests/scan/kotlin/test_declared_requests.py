"""Kotlin: requests declared by annotation on a Retrofit interface, relative to the file's builder base URL."""

from tests.scan.conftest import targets


def test_a_retrofit_interface_method_is_a_path_with_the_files_base_url(scan_files):
    result = scan_files({"app/src/main/java/com/acme/net/Service.kt": """
        package com.acme.net

        import okhttp3.OkHttpClient
        import retrofit2.Retrofit
        import retrofit2.http.Body
        import retrofit2.http.GET
        import retrofit2.http.Headers
        import retrofit2.http.POST
        import retrofit2.http.Streaming

        private const val BASE_URL = "https://api.openai.com/v1/"

        private val retrofit = Retrofit.Builder()
            .client(OkHttpClient.Builder().build())
            .baseUrl(BASE_URL)
            .build()

        interface ChatService {
            @Headers("Content-Type: application/json")
            @POST("chat/completions")
            suspend fun complete(@Body request: ChatRequest): ChatResponse

            @GET("chat/completions/{id}")
            suspend fun stored(@Path("id") id: String): ChatResponse
        }

        object Network {
            val chat: ChatService by lazy { retrofit.create(ChatService::class.java) }
        }
    """})
    assert [(p.line, p.operation, sorted(targets(p))) for p in result.paths] == [
        (19, "retrofit2.http.POST", [("openai", None)]),
    ]  # reading a stored completion back asks no model
