"""google-genai, google-generativeai and vertexai."""

from tests.scan.conftest import targets


def test_genai_client_gemini_api_and_vertex_switch(scan_files):
    result = scan_files({"app/gemini.py": """
        from google import genai
        client = genai.Client(api_key="x")
        vertex = genai.Client(vertexai=True, project="acme", location="us-central1")
        client.models.generate_content(model="gemini-2.5-flash", contents="hi")
        vertex.models.generate_content_stream(model="gemini-2.5-pro", contents="hi")
        async def f():
            await client.aio.models.embed_content(model="text-embedding-004", contents=["a"])
    """})
    assert [(p.providers, p.models, p.operation_kind) for p in result.paths] == [
        (["google"], ["gemini-2.5-flash"], "chat"),
        (["google-vertex"], ["gemini-2.5-pro"], "chat"),
        (["google"], ["text-embedding-004"], "embedding"),
    ]
    assert result.paths[1].streaming
    assert result.paths[2].operation == "models.embed_content"  # .aio is a modifier, not part of the operation


def test_a_vertex_flag_known_only_at_run_time_may_reach_either_api(scan_files):
    result = scan_files({"app/gemini.py": """
        import os
        from google import genai
        def make(api_key=None):
            return genai.Client(api_key=api_key, vertexai=api_key is None)
        either = make(os.getenv("GEMINI_API_KEY"))
        gemini = genai.Client(api_key="x", vertexai=False)
        vertex = genai.Client(vertexai="yes")
        direct = genai.Client(vertexai=os.getenv("USE_VERTEX") == "1")
        either.models.generate_content(model="gemini-2.5-flash", contents="hi")
        gemini.models.generate_content(model="gemini-2.5-flash", contents="hi")
        vertex.models.generate_content(model="gemini-2.5-flash", contents="hi")
        direct.models.generate_content(model="gemini-2.5-flash", contents="hi")
    """})
    # `vertexai=api_key is None` is decided at run time: the client is one of the two; a constant decides
    assert [sorted(p.providers) for p in result.paths] == [
        ["google", "google-vertex"], ["google"], ["google-vertex"], ["google", "google-vertex"]]


def test_generativeai_binding_and_embed_function(scan_files):
    result = scan_files({"app/old_gemini.py": """
        import google.generativeai as genai
        genai.configure(api_key="x")
        model = genai.GenerativeModel("models/gemini-1.5-pro")
        model.generate_content("hello")
        genai.embed_content(model="models/text-embedding-004", content="x")
    """})
    # the path is where the request is sent (generate_content), with the model its constructor chose
    assert [(p.line, p.kind, targets(p)) for p in result.paths] == [
        (4, "sdk_call", {("google", "models/gemini-1.5-pro")}),
        (5, "sdk_call", {("google", "models/text-embedding-004")}),
    ]


def test_vertexai_generative_model(scan_files):
    result = scan_files({"app/vertex.py": """
        import vertexai
        from vertexai.generative_models import GenerativeModel
        from vertexai.language_models import TextEmbeddingModel
        vertexai.init(project="acme", location="us-central1")
        llm = GenerativeModel("gemini-1.5-flash-002")
        embedder = TextEmbeddingModel.from_pretrained("text-embedding-005")
        unused = GenerativeModel("gemini-1.5-pro-002")  # constructed, never asked: sends nothing
        llm.generate_content("hello", stream=True)
        embedder.get_embeddings(["hello"])
    """})
    assert [(p.line, p.operation, p.operation_kind, targets(p), p.streaming) for p in result.paths] == [
        (8, "GenerativeModel.generate_content", "chat", {("google-vertex", "gemini-1.5-flash-002")}, True),
        (9, "TextEmbeddingModel.get_embeddings", "embedding", {("google-vertex", "text-embedding-005")}, False)]


def test_other_google_clients_are_not_paths(scan_files):
    result = scan_files({"app/storage.py": """
        from google.cloud import storage
        client = storage.Client()
        client.bucket("b").blob("x").upload_from_string("data")
    """})
    assert result.paths == []


def test_call_through_a_thread_wrapper_counts_at_the_wrapper(scan_files):
    result = scan_files({"app/images.py": """
        import asyncio
        from google import genai

        class Images:
            def __init__(self):
                self._client = genai.Client(api_key="x")

            async def make(self, prompt):
                return await asyncio.to_thread(self._client.models.generate_images, model="imagen-3.0-generate-002",
                                               prompt=prompt)
    """})
    assert [(p.line, p.operation, p.providers, p.models, p.is_async) for p in result.paths] == [
        (9, "models.generate_images", ["google"], ["imagen-3.0-generate-002"], True)]


def test_a_model_object_passed_in_is_asked_where_it_sends(scan_files):
    result = scan_files({
        "app/gemini.py": """
            class Bot:
                def build(self):
                    import google.generativeai as genai
                    return genai.GenerativeModel

                def sync_reply(self, model, messages, request_params):
                    return model.generate_content(messages, **request_params)

                def stream_reply(self, model, messages, request_params):
                    return model.generate_content(messages, stream=True, **request_params)

                def render(self, template, text):
                    return template.generate_content(text)  # no request's shape: not a model call
        """,
        "app/templates.py": """
            def render(model, messages, params):  # imports no model SDK: not a path
                return model.generate_content(messages, **params)
        """,
    })
    # the model object comes from a caller the repository does not have: the SDK the file imports names Gemini
    assert [(p.file, p.line, p.operation, p.providers) for p in result.paths] == [
        ("app/gemini.py", 7, "generate_content", ["google"]),
        ("app/gemini.py", 10, "generate_content", ["google"]),
    ]
    assert result.paths[1].streaming
