"""Requests declared by annotation on an interface a library implements (Retrofit's @POST): the method is the
path, its URL relative to the base URL its file gives the library's builder."""

from tests.scan.conftest import targets


def test_a_retrofit_interface_method_posting_to_a_model_api_is_a_path(scan_files):
    result = scan_files({
        "src/main/java/com/acme/net/Api.java": """
            package com.acme.net;

            import retrofit2.Retrofit;
            import retrofit2.http.Body;
            import retrofit2.http.GET;
            import retrofit2.http.POST;

            public final class Api {
                private static final String BASE_URL = "https://api.groq.com/openai/v1/";

                interface Chat {
                    @POST("chat/completions")
                    Call<Answer> complete(@Body Question question);

                    @GET("models")
                    Call<Models> models();

                }

                static Chat chat() {
                    return new Retrofit.Builder().baseUrl(BASE_URL).build().create(Chat.class);
                }
            }
        """,
        "src/main/java/com/acme/net/Elsewhere.java": """
            package com.acme.net;

            import retrofit2.http.POST;

            interface Elsewhere {
                @POST("v1/chat/completions")
                Call<Answer> complete(@Body Question question);
            }
        """,
        "src/main/java/com/acme/net/Hooks.java": """
            package com.acme.net;

            import retrofit2.Retrofit;
            import retrofit2.http.POST;

            public final class Hooks {
                interface Notify {
                    @POST("chat/notify")
                    Call<Void> notify(@Body Message message);
                }

                static Notify notifier() {
                    return new Retrofit.Builder().baseUrl("https://hooks.example.com/").build().create(Notify.class);
                }
            }
        """,
        "src/main/java/com/acme/rest/Resource.java": """
            package com.acme.rest;

            import javax.ws.rs.POST;
            import javax.ws.rs.Path;

            public class Resource {
                @POST
                @Path("chat/completions")
                public Answer serve(Question question) { return null; }
            }
        """,
    })
    assert [(p.file.rsplit("/", 1)[1], p.line, sorted(targets(p))) for p in result.paths] == [
        ("Api.java", 12, [("groq", None)]),
        ("Elsewhere.java", 6, [(None, None)]),  # the base URL is set in another file: the host stays unknown
    ]  # a model list, a webhook, and a server's own resource are not asked of a model
